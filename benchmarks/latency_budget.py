"""Where the time of a search goes, against the latency targets' budget (the source of the README's
"what stands in the way" figures for the API and the 1M-version targets).

    python benchmarks/latency_budget.py [--home DIR]                # the API: CPU per /search
    python benchmarks/latency_budget.py --index DIR [--slowest 12]  # a large index (search_bench's 1M)

1. The API (``--home``, the built bundled corpus; $MIGRALEX_HOME by default): 2,000 /search requests of
   api_bench.py (30 % with an ``at`` date) through the ASGI app in this process, no HTTP and no load
   generator, and the CPU each takes (``time.process_time``):

   - the whole app without the result cache;
   - ``backend.search`` alone, and of it the time inside tantivy (searches, facets, stored documents);
   - the framework's floor: the same requests answered from the result cache (routing, validation,
     the cache, the response) with no search at all.

   It prints the most CPU a request may take for ``--clients`` clients to wait under ``--target`` ms on
   ``--cores`` cores: ``cores × target / clients``, the bound if every request waited exactly the mean
   (a closed loop: throughput × latency = clients) and the load generator took no CPU.

2. A large index (``--index``, e.g. ``search_bench.py --scale 1000000 --index-dir DIR``): the ``--slowest``
   of search_bench.py's 200 queries, and for each the two passes over the index that bound it: the top-k
   (with the total) and the facets. Beside them, two exact alternatives measured and not kept: quoted and
   thesaurus phrases required to hold their word pairs too (``pairs`` terms) and the top-k split in two
   halves of the index searched on two threads; and one that is not exact: the phrases' word pairs
   instead of the phrases (stop words unchecked), with how many more documents it matches. And a filter
   (a tag, a page's article keys) as tantivy's term set query against the terms the backend uses.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api_bench import ensure_built, request_paths
from search_bench import queries
from tantivy import Occur, Query

from migralex.paths import Paths, default_home
from search_api.app import create_app
from search_api.documents import pairs_of
from search_api.embedded import EmbeddedBackend, _loader
from search_api.embedded import _count as hit_count
from search_api.expand import expand
from search_api.models import SearchQuery
from search_api.query import parse_query
from search_api.ranking import F_BODY, F_HEADING, F_HEADING_PAIRS, F_PAIRS, PhraseQ, scoring_clause

FACETS = {"f": {"terms": {"field": "facets", "size": 200}}}


class _TimedSearcher:
    """A tantivy searcher that adds the time spent in its methods to ``spent`` (seconds)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.spent = 0.0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self.spent += time.perf_counter() - t

        return timed


def _scope(path: str) -> dict[str, Any]:
    u = urlsplit(path)
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": u.path, "raw_path": u.path.encode(), "query_string": u.query.encode(),
            "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
            "root_path": "", "state": {}}  # fmt: skip


async def _cpu_per_request(app: Any, paths: list[str], warm: int) -> float:
    """CPU ms per request of ``paths`` through the ASGI ``app`` (after ``warm`` requests)."""

    async def call(path: str) -> None:
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(_scope(path), receive, send)
        if status != [200]:
            raise SystemExit(f"{path} answered {status}")

    async with app.router.lifespan_context(app):
        for p in paths[:warm]:
            await call(p)
        t = time.process_time()
        for p in paths:
            await call(p)
        return (time.process_time() - t) / len(paths) * 1000


def _query(path: str) -> SearchQuery:
    params = parse_qs(urlsplit(path).query)
    return SearchQuery(q=params["q"][0], at=params.get("at", [None])[0])


def api_budget(home: Path, n: int, clients: int, target_ms: float, cores: int) -> None:
    ensure_built(home)
    paths = request_paths(n)
    layout = Paths(home)
    backend = EmbeddedBackend(layout.index)
    store = layout.store
    full = asyncio.run(_cpu_per_request(create_app(store, backend, result_cache_ttl=0), paths, warm=300))
    cached = asyncio.run(_cpu_per_request(create_app(store, backend, result_cache_ttl=3600), paths, warm=n))

    qs = [_query(p) for p in paths]
    for q in qs[:300]:
        backend.search(q)
    timed = _TimedSearcher(backend._open())
    backend._searcher = timed  # type: ignore[assignment]  # the same generation: _open hands it out
    t = time.process_time()
    for q in qs:
        backend.search(q)
    alone = (time.process_time() - t) / n * 1000
    in_tantivy = timed.spent / n * 1000
    backend.close()

    budget = cores * target_ms / clients
    print(f"API, bundled corpus ({home}), {n} /search requests of api_bench.py, in process (no HTTP):")
    print(f"  whole app, no result cache      {full:5.2f} ms CPU per request")
    print(
        f"    backend.search alone          {alone:5.2f} ms, of which inside tantivy {in_tantivy:.2f} ms"
        f" (searches, facets, stored documents)"
    )
    print(f"    the rest (route, JSON, thread hop, FastAPI) {full - alone:5.2f} ms")
    print(f"  answered from the result cache  {cached:5.2f} ms (the framework's floor: no search)")
    print(
        f"  budget for p95 < {target_ms:g} ms at {clients} clients on {cores} cores: at most {budget:.2f} ms"
        f" of CPU per request, if every request waited exactly the mean and the load generator took none;"
    )
    print(f"  the floor plus tantivy alone: {cached + in_tantivy:.2f} ms (no snippets, no hits, no engine)")


def _timeit(fn: Callable[[], object], n: int = 5) -> float:
    fn()
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def _in_parallel(pool: ThreadPoolExecutor, calls: list[Callable[[], object]]) -> list[object]:
    return [f.result() for f in [pool.submit(c) for c in calls]]


def filters_as_sets_or_terms(backend: EmbeddedBackend, searcher: Any) -> None:
    """A filter as tantivy's term set query (a bit set as large as the index, filled in every segment)
    against a term or a union of terms (what ``EmbeddedBackend._terms`` builds), with a word beside it."""
    schema = backend._schema
    page = searcher.search(Query.term_query(schema, "level", "article"), 10, count=False).hits
    load = _loader(searcher)
    keys = list(dict.fromkeys(f"{h['act_id']}/{h['eid']}" for h in (load(a) for _, a in page)))
    word = Query.term_query(schema, F_BODY, "иностранец")
    print("  filters (ms, with the word «иностранец» beside them):")
    for label, field, values in (("a tag", "tags", ["expulsion"]), (f"{len(keys)} article keys", "key", keys)):
        as_set = Query.term_set_query(schema, field, values)
        as_terms = backend._terms(field, values)
        timed = [
            _timeit(
                partial(
                    searcher.search,
                    Query.boolean_query([(Occur.Must, Query.const_score_query(f, 0.0)), (Occur.Must, word)]),
                    10,
                    count=True,
                )
            )
            for f in (as_set, as_terms)
        ]
        print(f"    {label:16s} term set query {timed[0]:5.2f}   term(s) {timed[1]:5.2f}")


def index_passes(path: Path, slowest: int) -> None:
    backend = EmbeddedBackend(path)
    searcher = backend._open()
    schema = backend._schema
    qs = [q for q in queries(200, random.Random(11)) if q.q.strip()]
    for q in qs:
        backend.search(q)
    took = []
    for q in qs:
        t = time.perf_counter()
        backend.search(q)
        took.append(((time.perf_counter() - t) * 1000, q))
    took.sort(key=lambda r: -r[0])
    lat = sorted(ms for ms, _ in took)
    print(
        f"large index ({path}, {searcher.num_docs:,} documents): {len(qs)} searches with a text, one round, "
        f"median {statistics.median(lat):.1f} ms"
    )

    filters_as_sets_or_terms(backend, searcher)

    translate = backend._translate
    paired = {F_BODY: F_PAIRS, F_HEADING: F_HEADING_PAIRS}

    def pairs_instead(only: bool) -> Callable[[Any], Query]:
        def tr(c: Any) -> Query:
            """A phrase that must also hold its word pairs (stop words skipped, as the pairs fields index
            them), or (``only``) its word pairs instead of the phrase: not exact, stop words unchecked."""
            if isinstance(c, PhraseQ) and c.field in paired and c.slop == 0:
                pairs = pairs_of(" ".join(c.words)).split()
                if pairs:
                    terms = [Query.term_query(schema, paired[c.field], p) for p in dict.fromkeys(pairs)]
                    if only:
                        return Query.boost_query(Query.boolean_query([(Occur.Must, t) for t in terms]), c.boost)
                    need = [(Occur.Must, Query.const_score_query(t, 0.0)) for t in terms]
                    return Query.boolean_query([*need, (Occur.Must, translate(c))])
            return translate(c)

        return tr

    pool = ThreadPoolExecutor(2)
    half = searcher.num_docs // 2
    print(
        f"  {'query':44s} {'total':>8s} {'search':>7s} {'top-k':>7s} {'facets':>7s} {'+pairs':>7s} "
        f"{'halves':>7s} {'pairs':>7s} {'more':>7s}\n  (ms; search: the whole backend.search; top-k, facets: one "
        f"pass each; exact alternatives: +pairs, the top-k with the phrases' word pairs required too; halves, "
        f"the top-k as two halves on two threads; NOT exact: pairs, the phrases' word pairs instead of the "
        f"phrases, and how many more documents that matches)"
    )
    for ms, q in took[:slowest]:
        parsed = parse_query(q.q)
        if q.thesaurus:
            parsed, _ = expand(parsed)
        clause = scoring_clause(parsed.root)
        filters = backend._filters(q, "article")
        plain = backend._combined(clause, filters)
        backend._translate = pairs_instead(False)  # type: ignore[method-assign,assignment]
        prefiltered = backend._combined(clause, filters)
        backend._translate = pairs_instead(True)  # type: ignore[method-assign,assignment]
        by_pairs = backend._combined(clause, filters)
        del backend._translate
        halves = [
            Query.boolean_query(
                [(Occur.Must, plain), (Occur.Must, Query.const_score_query(backend._range("seq", lo, hi), 0.0))]
            )
            for lo, hi in ((0, half - 1), (half, None))
        ]
        total = hit_count(searcher.search(plain, 1, count=True))
        top = _timeit(partial(searcher.search, plain, 10, count=True))
        facets = _timeit(partial(searcher.aggregate, plain, FACETS))
        pre = _timeit(partial(searcher.search, prefiltered, 10, count=True))
        inexact = _timeit(partial(searcher.search, by_pairs, 10, count=True))
        more = hit_count(searcher.search(by_pairs, 1, count=True)) - total
        split = _timeit(partial(_in_parallel, pool, [partial(searcher.search, h, 10, count=True) for h in halves]))
        label = (q.q + (f" at={q.at}" if q.at else "") + (f" tag={q.tag[0]}" if q.tag else ""))[:44]
        print(
            f"  {label:44s} {total:8,d} {ms:7.1f} {top:7.1f} {facets:7.1f} {pre:7.1f} {split:7.1f} "
            f"{inexact:7.1f} {more:+7,d}"
        )
    pool.shutdown()
    backend.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--home", type=Path, default=None, help="a built home (default: migralex's own)")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--target", type=float, default=50.0, help="the API's p95 target, ms")
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--index", type=Path, default=None, help="a large embedded index (its generations' root)")
    ap.add_argument("--slowest", type=int, default=12)
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}\n")
    if args.index is not None:
        index_passes(args.index, args.slowest)
        return
    home = args.home or default_home()
    api_budget(home, args.requests, args.clients, args.target, args.cores)


if __name__ == "__main__":
    main()
