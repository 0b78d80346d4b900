"""Law in time at scale, on SYNTHETIC corpora of 10 versions per provision (docs/design.md §7):

    python benchmarks/time_bench.py                         # 1M versions: 100 acts × 1,000 provisions × 10
    python benchmarks/time_bench.py --acts 10 --skip-search # a quick run of the store part only

1. **Store.** Every provision of every act changes in each of 10 redactions (``store_bench.docs`` with
   change 1.0: made-up texts of real migration-law words, saved through ``Store.save_documents``, so the
   timeline computes every version). Then: a point-in-time lookup of one provision
   (``Store.provision_at`` at a random date: p50, p95, p99, max), ``wording_state``, the coverage of all
   acts on a date (first call, which reads the coverage table, and the cached calls after it), history,
   and the typed diff of an article with its parts.
2. **Search.** The same shape as an index: 100,000 provisions × 10 versions of windows of the real
   bundled text (``search_bench.real_tokens``), embedded backend. The queries of ``search_bench`` are run
   with ``at`` (a random date) and without; an at= answer also pays for its coverage (the store's cached
   lookup), measured with it.

Prints figures; asserts nothing. Peak memory is this process's ru_maxrss.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the worktree's code, not an installed copy
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_bench import docs as store_docs

from corpus.store import Store
from legal.eid import article_of
from search_api.embedded import EmbeddedBackend
from search_api.models import BackendError, IndexDoc, SearchQuery

SPAN = (date(2010, 1, 1), date(2020, 1, 1))  # the synthetic redactions are yearly from 2010


def percentiles(values: list[float]) -> str:
    s = sorted(values)

    def p(q: float) -> float:
        return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]

    return f"p50 {p(50):.3f}  p95 {p(95):.3f}  p99 {p(99):.3f}  max {s[-1]:.3f} ms"


def timed(fn: Callable[..., object], calls: Sequence[tuple[object, ...]]) -> list[float]:
    out = []
    for args in calls:
        t = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t) * 1000)
    return out


def random_day(rng: random.Random) -> date:
    return SPAN[0] + timedelta(days=rng.randrange((SPAN[1] - SPAN[0]).days))


def store_part(path: Path, n_acts: int, n_prov: int, n_red: int) -> None:
    rng = random.Random(7)
    path.unlink(missing_ok=True)
    with Store(path) as store:
        t0 = time.perf_counter()
        for a in range(n_acts):
            store.save_documents(store_docs(a, n_prov, n_red, 1.0, rng))
        ingest = time.perf_counter() - t0
        n = store.count_versions()
        print(f"store: {n:,} versions ({n_acts} acts × {n_prov:,} provisions × {n_red} redactions) saved in "
              f"{ingest:.0f} s ({n / ingest:,.0f} versions/s); file {path.stat().st_size / 1e6:,.0f} MB")
        acts = [f"S{a:010d}" for a in range(n_acts)]
        calls = [(rng.choice(acts), f"art_{rng.randrange(n_prov // 10)}__para_{rng.randrange(1, 10)}",
                  random_day(rng)) for _ in range(5000)]
        for act_id, eid, day in calls[:200]:  # warm the page cache
            store.provision_at(act_id, eid, day)
        print(f"  provision_at (one provision on a date)  {percentiles(timed(store.provision_at, calls))}")
        print(f"  wording_state                           {percentiles(timed(store.wording_state, calls[:2000]))}")
        days = [(random_day(rng),) for _ in range(2000)]
        t = time.perf_counter()
        store.coverage(days[0][0])
        print(f"  coverage, all acts, first call          {(time.perf_counter() - t) * 1000:.1f} ms (reads the table)")
        print(f"  coverage, all acts, cached              {percentiles(timed(store.coverage, days))}")
        one = [(d, [rng.choice(acts)]) for (d,) in days]
        print(f"  coverage, one act                       {percentiles(timed(store.coverage, one))}")
        hist = [(a, e) for a, e, _ in calls[:500]]
        print(f"  history                                 {percentiles(timed(store.history, hist))}")
        diffs = [(a, article_of(e), d, d + timedelta(days=1500)) for a, e, d in calls[:300]]
        print(f"  diff of an article with its parts       {percentiles(timed(store.diff, diffs))}")
        print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB\n")


def search_docs(n_prov: int, n_versions: int, tokens: list[tuple[str, str]]) -> Iterator[IndexDoc]:
    """``n_prov`` SYNTHETIC provisions of ``n_versions`` consecutive versions each (windows of real text)."""
    rng = random.Random(7)
    n_acts = max(8, n_prov // 1000)
    for i in range(n_prov):
        act = f"SYN{i * n_acts // n_prov:07d}"
        eid = f"art_{i // 10}__para_{i % 10 + 1}"
        start = SPAN[0] + timedelta(days=rng.randrange(400))
        for v in range(n_versions):
            length = rng.randint(30, 120)
            at = rng.randrange(0, len(tokens) - length)
            words = tokens[at : at + length]
            nxt = start + timedelta(days=rng.randint(120, 500)) if v + 1 < n_versions else None
            yield IndexDoc(
                id=f"{act}/{eid}@{start.isoformat()}", act_id=act, act_title=f"Синтетический акт {act}",
                act_kind="закон", eid=eid, kind="part", article=article_of(eid), chapter=f"chp_{i // 200}",
                text=" ".join(w for w, _ in words), lemmas=" ".join(lem for _, lem in words), valid_from=start,
                valid_to=nxt, status="historical" if nxt else "in_force", position=i,
            )
            if nxt is not None:
                start = nxt


def _holds(backend: EmbeddedBackend, n: int) -> bool:
    try:
        return backend.count() == n
    except BackendError:  # no index there yet
        return False


def search_part(store_path: Path, n_prov: int, n_versions: int, rounds: int, index_dir: Path | None) -> None:
    from search_bench import QUERY_TEXTS, real_tokens

    from search_api.coverage import with_coverage

    keep = index_dir is not None
    index_dir = index_dir or Path(tempfile.mkdtemp(prefix="time-bench-")) / "index"
    try:
        backend = EmbeddedBackend(index_dir)
        expected = n_prov * n_versions
        if keep and _holds(backend, expected):
            print(f"search: reused the index in {index_dir} ({expected:,} versions)")
        else:
            t0 = time.perf_counter()
            n = backend.index(search_docs(n_prov, n_versions, real_tokens()))
            took = time.perf_counter() - t0
            size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file()) / 2**20
            print(f"search: {n:,} versions ({n_prov:,} provisions × {n_versions}) indexed in {took:.0f} s "
                  f"({n / took:,.0f}/s), index {size:,.0f} MiB")
        rng = random.Random(11)
        texts = list(QUERY_TEXTS)[:100]
        plain = [SearchQuery(q=q) for q in texts]
        dated = [SearchQuery(q=q, at=SPAN[0] + timedelta(days=rng.randrange(3000))) for q in texts]
        lat: dict[str, list[float]] = {"without at": [], "at=": [], "at= with coverage": []}
        with Store(store_path) as store:
            for q in plain + dated:  # warm-up
                backend.search(q)
            # the three kinds interleaved query by query, so that what else the machine runs weighs on each alike
            for _ in range(rounds):
                for p, d in zip(plain, dated, strict=True):
                    for name, q, cover in (("without at", p, False), ("at=", d, False), ("at= with coverage", d, True)):
                        t = time.perf_counter()
                        result = backend.search(q)
                        if cover:
                            result = with_coverage(result, store, q)
                        lat[name].append((time.perf_counter() - t) * 1000)
        for name, values in lat.items():
            mean = statistics.fmean(values)
            print(f"  {name:<18} {percentiles(values)}  (mean {mean:.2f} ms, {len(values)} searches)")
        backend.close()
        print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    finally:
        if not keep:
            shutil.rmtree(index_dir.parent, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--acts", type=int, default=100)
    ap.add_argument("--provisions", type=int, default=1000, help="provisions per act")
    ap.add_argument("--versions", type=int, default=10, help="versions per provision (redactions)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--path", type=Path, default=None, help="store file (default: a temporary one); kept")
    ap.add_argument("--reuse-store", action="store_true", help="measure the store at --path as it is")
    ap.add_argument("--index-dir", type=Path, default=None, help="keep the index here (reused when it holds it)")
    ap.add_argument("--search-provisions", type=int, default=None,
                    help="provisions of the search corpus (default: acts × provisions)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.path or Path(tmp) / "time.sqlite"
        if not (args.reuse_store and path.exists()):
            store_part(path, args.acts, args.provisions, args.versions)
        if not args.skip_search:
            n_prov = args.search_provisions or args.acts * args.provisions
            search_part(path, n_prov, args.versions, args.rounds, args.index_dir)


if __name__ == "__main__":
    main()
