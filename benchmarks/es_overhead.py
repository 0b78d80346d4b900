"""What each layer above Elasticsearch costs: raw client → ElasticBackend → FastAPI over HTTP.

    ES_URL=$(scripts/es-node.sh url) python benchmarks/es_overhead.py [--home DIR] [--rounds 20]

Corpus: the provision versions of a built store (``--home`` or $MIGRALEX_HOME, after
``migralex build``) or, without one, ``tests/search/fixture_corpus.jsonl`` replicated ``--copies``
times under distinct ids (a synthetic volume of real provision texts). It is indexed into a
throw-away alias ``migralex-bench-<pid>`` (deleted at the end), which also gives the index rate.

Then, sequentially on loopback, for each query of a fixed list, ``--rounds`` times:
  1. ``client.search`` with the exact body of ElasticBackend's first request (the articles matching
     the query, with facets: one Elasticsearch round trip);
  2. ``ElasticBackend.search`` (+ query parsing and thesaurus, the proximity rescoring and the best
     parts of each article hit: two more round trips, OR fallback, snippets, pydantic models);
  3. ``GET /search`` on ``search_api.app.create_app`` served by uvicorn in this process (+ HTTP,
     validation, JSON), without the result cache (a repeated query would otherwise be answered from it).
Prints p50/p95 per layer and the overhead over the raw query. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import httpx

from nlp.lemmatize import lemma_text
from search_api.elastic import ElasticBackend, search_body
from search_api.expand import expand
from search_api.models import IndexDoc, SearchQuery
from search_api.query import parse_query
from search_api.ranking import scoring_clause
from search_api.web.browser import serve

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "search" / "fixture_corpus.jsonl"

QUERIES = [
    "выдворение",
    "выдворения за пределы",
    "незаконная миграция",
    "беженец",
    '"пересечение Государственной границы"',
    "трудовой мигрант",
    "лицо без гражданства",
    "торговля людьми -труд",
    "въезд OR выезд",
    "депортация реадмиссия",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fixture_docs(copies: int) -> Iterator[IndexDoc]:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:  # the fixture leaves lemmas to the pipeline, as index_docs does
        row.setdefault("lemmas", lemma_text(row["text"]))
    for copy in range(copies):
        for row in rows:
            doc = IndexDoc.model_validate(row)
            if copy:  # distinct ids; the same real text
                doc = doc.model_copy(update={"id": f"{doc.id}#copy{copy}", "eid": f"{doc.eid}__copy{copy}"})
            yield doc


def store_docs(store_path: Path) -> list[IndexDoc]:
    from corpus.store import Store
    from search_api.indexer import index_docs

    with Store(store_path) as store:
        return list(index_docs(store))


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out



def _api_search(client: httpx.Client, q: str) -> object:
    return client.get("/search", params={"q": q}).raise_for_status()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--es-url", default=os.environ.get("ES_URL", "http://127.0.0.1:9200"))
    ap.add_argument("--home", type=Path, default=os.environ.get("MIGRALEX_HOME"))
    ap.add_argument("--copies", type=int, default=400, help="fixture replication when there is no built store")
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    store_path = args.home / "corpus.sqlite" if args.home else None
    if store_path is not None and store_path.exists():
        docs = store_docs(store_path)
        source = f"built store {store_path}"
    else:
        docs = list(fixture_docs(args.copies))
        source = f"{FIXTURE.name} × {args.copies} (synthetic volume)"
        store_path = None

    backend = ElasticBackend(args.es_url, f"migralex-bench-{os.getpid()}", request_timeout=60)
    try:
        t0 = time.perf_counter()
        n = backend.index(docs)
        took = time.perf_counter() - t0
        print(f"corpus: {source}")
        print(f"indexed {n} docs in {took:.2f} s = {n / took:,.0f} docs/s (surface forms, bulk, refresh, alias swap)")
        run(backend, store_path, args.rounds)
    finally:
        for index in backend.client.indices.get(index=f"{backend.alias}-v*").body:
            backend.client.indices.delete(index=index)
        backend.client.indices.delete_index_template(name=backend.alias)
        backend.close()


def run(backend: ElasticBackend, store_path: Path | None, rounds: int) -> None:
    """Round-robin over the layers for every query and round, so load drift on a shared machine
    hits all three alike."""
    layers: dict[str, list[float]] = {"raw client.search (ES round trip)": [], "ElasticBackend.search": []}
    with serve_api(backend, store_path) as api_client:
        if api_client is not None:
            layers["GET /search (uvicorn + FastAPI)"] = []
        for q in QUERIES:
            query = SearchQuery(q=q)
            # the first request of ElasticBackend.search: the articles matching the query
            body = search_body(query, scoring_clause(expand(parse_query(q))[0].root), "article")
            calls: list[Callable[[], object]] = [
                partial(backend.client.search, index=backend.alias, **body),
                partial(backend.search, query),
            ]
            if api_client is not None:
                calls.append(partial(_api_search, api_client, q))
            for call in calls:  # warm caches on both sides
                call()
            for _ in range(rounds):
                for values, call in zip(layers.values(), calls, strict=True):
                    values += timed(call, 1)
    print(f"{len(QUERIES)} queries × {rounds} rounds, sequential, loopback; latency in ms")
    print(f"{'layer':<40}{'p50':>8}{'p95':>8}{'mean':>8}")
    for name, values in layers.items():
        print(f"{name:<40}{percentile(values, 50):>8.2f}{percentile(values, 95):>8.2f}{statistics.mean(values):>8.2f}")
    base = percentile(next(iter(layers.values())), 50)
    for name, values in list(layers.items())[1:]:
        print(f"  {name}: {percentile(values, 50) - base:+.2f} ms at p50 over the raw query")


@contextmanager
def serve_api(backend: ElasticBackend, store_path: Path | None) -> Iterator[httpx.Client | None]:
    """``create_app`` on uvicorn in a thread; yields None (and says why) when the app cannot serve."""
    try:
        from search_api.app import create_app
    except ImportError as exc:
        print(f"GET /search: not measured (search_api.app: {exc})")
        yield None
        return
    with tempfile.TemporaryDirectory() as tmp:
        if store_path is None:
            # create_app needs a store file; /search reads only the backend
            from corpus.store import Store

            store_path = Path(tmp) / "corpus.sqlite"
            Store(store_path).close()
        with serve(lambda: create_app(store_path, backend, result_cache_ttl=0), log_level="critical") as url, \
                httpx.Client(base_url=url, timeout=30) as client:
            probe = client.get("/search", params={"q": QUERIES[0]})
            if probe.status_code != 200:
                print(f"GET /search: not measured (HTTP {probe.status_code}: {probe.text[:200]})")
                yield None
            else:
                yield client


if __name__ == "__main__":
    main()
