"""Store benchmark on a SYNTHETIC corpus: many acts × redactions (arriving in random order) with
changing texts; prints ingest rate, scan and point-in-time read times, file size. Asserts nothing.

    python benchmarks/store_bench.py [--acts 50 --provisions 1000 --redactions 5 --change 0.2]

(--acts 556 gives about 1M provision versions.) The words are real migration-law vocabulary; the
texts, acts and amendments are synthetic.
"""

from __future__ import annotations

import random
import resource
import time
from datetime import date, timedelta
from pathlib import Path

from corpus.models import Act, AmendingAct, Amendment, ParsedDocument, Provision, Redaction
from corpus.store import Store

WORDS = (
    *("иностранец", "лицо", "без", "гражданства", "въезд", "выезд", "пребывание", "разрешение", "виза"),
    *("миграция", "орган", "внутренних", "дел", "Республики", "Казахстан", "выдворение", "срок", "суд"),
    *("решение", "депортация", "кандас"),
)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 60))) + ";"


def docs(act_no: int, n_prov: int, n_red: int, change: float, rng: random.Random) -> list[ParsedDocument]:
    act = Act(
        id=f"S{act_no:010d}",
        kind="закон",
        title=f"Синтетический акт {act_no}",
        adopted=date(2005, 1, 1),
        status="in_force",
    )
    provs = []
    for i in range(n_prov):
        art = i // 10
        eid = f"art_{art}" if i % 10 == 0 else f"art_{art}__para_{i % 10}"
        provs.append(
            Provision(
                act.id,
                eid,
                "article" if i % 10 == 0 else "part",
                text=text(rng),
                parent=None if i % 10 == 0 else f"art_{art}",
                ancestors=[f"Глава {art // 20}"],
                position=i,
            )
        )
    out = []
    for r in range(n_red):
        d = date(2010, 1, 1) + timedelta(days=365 * r)
        if r:
            provs = [p if rng.random() > change else Provision(**{**p.__dict__, "text": text(rng)}) for p in provs]
        ams = [
            Amendment(
                act.id,
                f"art_{rng.randrange(n_prov // 10)}",
                "amended",
                AmendingAct(f"{r}{k}-V", d - timedelta(days=30)),
                source=f"Сноска {r}.{k}",
            )
            for k in range(20)
        ]
        out.append(ParsedDocument(act, Redaction(act.id, "rus", d), list(provs), ams))
    rng.shuffle(out)  # redactions arrive in any order
    return out


def main(path: str, n_acts: int, n_prov: int, n_red: int, change: float) -> None:
    rng = random.Random(7)
    Path(path).unlink(missing_ok=True)
    store = Store(path)
    t0 = time.perf_counter()
    saved = 0
    for a in range(n_acts):
        for doc in docs(a, n_prov, n_red, change, rng):
            store.save_document(doc)
            saved += len(doc.provisions)
    ingest = time.perf_counter() - t0
    n = store.count_versions()
    print(
        f"versions {n:,}; ingest {ingest:.1f}s ({saved / ingest:,.0f} page provisions/s, {n / ingest:,.0f} versions/s)"
    )
    t = time.perf_counter()
    m = sum(1 for _ in store.versions())
    dt = time.perf_counter() - t
    print(f"versions() full scan {m:,} in {dt:.1f}s ({m / dt:,.0f}/s); max RSS {_rss_mb():.0f} MB")
    t = time.perf_counter()
    m = sum(1 for _ in store.versions(at=date(2012, 6, 1)))
    dt = time.perf_counter() - t
    print(f"versions(at=2012-06-01) {m:,} in {dt:.1f}s")
    ids = [(f"S{rng.randrange(n_acts):010d}", f"art_{rng.randrange(n_prov // 10)}__para_3") for _ in range(2000)]
    t = time.perf_counter()
    for act_id, eid in ids:
        store.provision_at(act_id, eid, date(2011, 6, 1))
    print(f"provision_at p-avg {1e3 * (time.perf_counter() - t) / len(ids):.3f} ms")
    t = time.perf_counter()
    for act_id, eid in ids[:500]:
        store.history(act_id, eid)
    print(f"history avg {1e3 * (time.perf_counter() - t) / 500:.3f} ms")
    t = time.perf_counter()
    todo = sum(1 for _ in store.unannotated("x"))
    print(f"unannotated scan {todo:,} in {time.perf_counter() - t:.1f}s")
    print(f"file {Path(path).stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    import argparse
    import tempfile

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--acts", type=int, default=50)
    ap.add_argument("--provisions", type=int, default=1000)
    ap.add_argument("--redactions", type=int, default=5)
    ap.add_argument("--change", type=float, default=0.2)
    ap.add_argument("--path", default=None, help="store file (default: a temporary one)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        main(args.path or f"{tmp}/bench.sqlite", args.acts, args.provisions, args.redactions, args.change)
