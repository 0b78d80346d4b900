"""Elasticsearch-specific behaviour of ``search_api.elastic`` against a REAL node (ES_URL).

Start one with ``scripts/es-node.sh start`` and ``export ES_URL=$(scripts/es-node.sh url)``.
The shared query semantics are in ``test_contract.py``; here: the template, the alias swap, a
reindex without downtime, and failures that must be errors (503), never empty results.

The documents are SYNTHETIC (short made-up provisions in the style of the migration law), built
through the real lemmatizer.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from nlp.lemmatize import lemma_text
from search_api.elastic import ANALYZER, ElasticBackend, why_unreachable
from search_api.embedded import EmbeddedBackend
from search_api.models import BackendError, IndexDoc, QueryError, SearchQuery
from tests.search.fixture_corpus import fixture_docs

pytestmark = pytest.mark.elasticsearch

ES_URL = os.environ.get("ES_URL", "")


_WHY_NOT = why_unreachable(ES_URL)


@pytest.fixture(scope="module")
def es() -> Iterator[Elasticsearch]:
    if _WHY_NOT:
        pytest.skip(_WHY_NOT)
    with Elasticsearch(ES_URL, request_timeout=30) as client:
        yield client


@pytest.fixture
def alias(es: Elasticsearch) -> Iterator[str]:
    """A fresh alias name per test; its indices and template are removed afterwards."""
    name = f"test-migralex-{uuid.uuid4().hex[:10]}"
    yield name
    # delete by name: wildcard deletes are refused (action.destructive_requires_name)
    for index in es.indices.get(index=f"{name}-v*").body:
        es.indices.delete(index=index)
    es.options(ignore_status=404).indices.delete_index_template(name=name)
    es.options(ignore_status=404).indices.delete(index=name)


@pytest.fixture
def backend(es: Elasticsearch, alias: str) -> Iterator[ElasticBackend]:
    b = ElasticBackend(ES_URL, alias)
    yield b
    b.close()


def synthetic_doc(n: int, text: str, *, act_id: str = "Z1100000477", valid_from: date | None = date(2011, 7, 22),
                  valid_to: date | None = None, tags: list[str] | None = None,
                  amendment_years: list[int] | None = None) -> IndexDoc:
    eid = f"art_{n}"
    return IndexDoc(
        id=f"{act_id}/{eid}@{valid_from.isoformat() if valid_from else 'unknown'}",
        act_id=act_id, act_title="synthetic", act_kind="закон", eid=eid, kind="article", article=eid,
        chapter="chp_1", number=str(n), heading=f"Статья {n}. Синтетическая", text=text, lemmas=lemma_text(text),
        valid_from=valid_from, valid_to=valid_to, status="in_force" if valid_to is None else "historical",
        tags=tags or [], amendment_years=amendment_years or [],
        amendment_dates=[date(y, 1, 1) for y in amendment_years or []], position=n,
    )


CORPUS = [
    synthetic_doc(1, "Иностранцы подлежат выдворению за пределы Республики Казахстан.", tags=["expulsion"],
                  amendment_years=[2019]),
    synthetic_doc(2, "Решение о выдворении иностранца принимает суд.", tags=["expulsion"]),
    synthetic_doc(3, "Трудовые мигранты получают разрешение на трудовую деятельность.", tags=["labour_migration"],
                  act_id="Z1500000410", valid_from=date(2018, 1, 1)),
    # an old wording (редакция) of article 3 that is no longer in force
    synthetic_doc(3, "Трудовые мигранты получают справку о регистрации.", act_id="Z1500000410",
                  valid_from=date(2015, 1, 1), valid_to=date(2018, 1, 1), tags=["labour_migration"]),
]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- template and alias -----------------------------------------------------------------------------


def test_index_builds_versioned_index_behind_alias_with_template(es: Elasticsearch, backend: ElasticBackend,
                                                                 alias: str) -> None:
    assert backend.index(CORPUS) == len(CORPUS)
    targets = list(es.indices.get_alias(name=alias).body)
    assert len(targets) == 1 and targets[0].startswith(f"{alias}-v")
    template = es.indices.get_index_template(name=alias)["index_templates"][0]["index_template"]
    assert template["index_patterns"] == [f"{alias}-v*"]
    props = es.indices.get_mapping(index=targets[0])[targets[0]]["mappings"]["properties"]
    assert props["lemmas"]["analyzer"] == props["surface"]["analyzer"] == ANALYZER == "whitespace"
    assert props["act_id"]["type"] == props["tags"]["type"] == props["rights"]["type"] == "keyword"
    assert props["valid_to"]["type"] == "date" and props["amendment_years"]["type"] == "integer"
    assert backend.count() == len(CORPUS)
    health = backend.health()
    assert health["index"] == targets[0] and health["docs"] == len(CORPUS)


def test_reindex_swaps_alias_and_drops_old_index(es: Elasticsearch, backend: ElasticBackend, alias: str) -> None:
    backend.index(CORPUS)
    first = list(es.indices.get_alias(name=alias).body)
    progress: list[int] = []
    backend.index(CORPUS[:2], progress=progress.append)
    second = list(es.indices.get_alias(name=alias).body)
    assert first != second and len(second) == 1
    assert not es.indices.exists(index=first[0])
    assert sum(progress) == 2
    assert backend.count() == 2
    assert backend.search(SearchQuery(q="трудовой мигрант")).total == 0


def test_search_during_reindex_keeps_answering(backend: ElasticBackend) -> None:
    """Searches running while a bigger index is built and swapped in see the old or the new
    content, never an error or an empty result."""
    backend.index(CORPUS)
    bigger = CORPUS + [synthetic_doc(100 + i, f"Иностранец подлежит выдворению, основание {i}.") for i in range(3000)]
    totals: list[int] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                totals.append(backend.search(SearchQuery(q="выдворение")).total)
            except Exception as exc:
                errors.append(exc)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        backend.index(bigger)
        after = len(totals)
        while len(totals) < after + 3 and not errors:  # a few searches after the swap too
            time.sleep(0.01)
    finally:
        stop.set()
        searcher.join()
    assert errors == []
    assert set(totals) <= {2, 3002} and 2 in totals and 3002 in totals


def test_failed_bulk_keeps_old_index_serving(es: Elasticsearch, backend: ElasticBackend, alias: str) -> None:
    backend.index(CORPUS)
    before = list(es.indices.get_alias(name=alias).body)
    # a term longer than Lucene's limit (32766 bytes): the node refuses the document
    broken = synthetic_doc(9, "Иностранцы.").model_copy(update={"tags": ["x" * 40_000]})
    with pytest.raises(BackendError, match="bulk indexing"):
        backend.index([*CORPUS, broken])
    assert list(es.indices.get_alias(name=alias).body) == before
    assert list(es.indices.get(index=f"{alias}-v*").body) == before  # the half-built index is gone
    assert backend.search(SearchQuery(q="выдворение")).total == 2


# --- semantics the ES translation must get right ------------------------------------------------------


def test_lemmas_phrases_filters_and_facets(backend: ElasticBackend) -> None:
    backend.index(CORPUS)
    res = backend.search(SearchQuery(q="выдворения"))
    assert {h.id for h in res.hits} == {CORPUS[0].id, CORPUS[1].id}
    assert res.facets["acts"] == {"Z1100000477": 2}
    assert res.facets["years"] == {"2019": 1}
    assert "<mark>" in res.hits[0].snippet
    assert backend.search(SearchQuery(q='"о выдворении иностранца"')).total == 1
    assert backend.search(SearchQuery(q="выдворение -суд")).total == 1
    # current versions only without `at`; the old wording with `at` inside its period
    assert [h.id for h in backend.search(SearchQuery(q="справка")).hits] == []
    old = backend.search(SearchQuery(q="мигрант", at=date(2016, 6, 1), thesaurus=False))
    assert [h.id for h in old.hits] == [CORPUS[3].id]
    # [valid_from, valid_to): on the day the new wording starts, only the new one is in force
    new = backend.search(SearchQuery(q="мигрант", at=date(2018, 1, 1), thesaurus=False))
    assert [h.id for h in new.hits] == [CORPUS[2].id]
    assert backend.search(SearchQuery(q="мигрант", at=date(2010, 1, 1), thesaurus=False)).total == 0
    assert backend.search(SearchQuery(q="выдворение", amended_from=date(2019, 1, 1))).total == 1
    assert backend.search(SearchQuery(tag=["labour_migration"])).total == 1


def test_or_fallback_when_and_finds_nothing(backend: ElasticBackend) -> None:
    backend.index(CORPUS)
    res = backend.search(SearchQuery(q="выдворение мигрант"))
    assert res.operator == "or" and res.total == 3


def test_paging_and_date_sort_are_deterministic(backend: ElasticBackend) -> None:
    docs = [synthetic_doc(i, "Иностранец подлежит выдворению.", valid_from=date(2011 + i, 1, 1)) for i in range(1, 8)]
    backend.index(docs)
    by_date = backend.search(SearchQuery(q="выдворение", sort="date", size=100))
    assert [h.id for h in by_date.hits] == [d.id for d in reversed(docs)]
    # equal scores: indexing order, page after page
    pages = [backend.search(SearchQuery(q="выдворение", page=p, size=3)) for p in (1, 2, 3)]
    assert [h.id for p in pages for h in p.hits] == [d.id for d in docs]
    assert all(p.total == 7 for p in pages)
    # browsing (no query text): indexing order too
    assert [h.id for h in backend.search(SearchQuery(size=100)).hits] == [d.id for d in docs]
    with pytest.raises(QueryError, match="page"):
        backend.search(SearchQuery(q="выдворение", page=5000, size=100))


# --- failures are errors, never empty results ------------------------------------------------------


def test_node_down_is_backend_error() -> None:
    down = ElasticBackend(f"http://127.0.0.1:{_closed_port()}", request_timeout=2)
    for call in (lambda: down.search(SearchQuery(q="выдворение")), down.health, down.count,
                 lambda: down.index(CORPUS)):
        with pytest.raises(BackendError, match="unreachable"):
            call()


def test_missing_alias_is_backend_error(es: Elasticsearch, alias: str) -> None:
    missing = ElasticBackend(ES_URL, alias)  # nothing was ever indexed under this name
    with pytest.raises(BackendError, match="not found"):
        missing.search(SearchQuery(q="выдворение"))
    with pytest.raises(BackendError, match="not found"):
        missing.search(SearchQuery())
    with pytest.raises(BackendError, match="not found"):
        missing.health()
    with pytest.raises(BackendError, match="not found"):
        missing.count()


@pytest.mark.parametrize("name", ["MigraLex", "migra lex", "_migralex", "migralex*", ""])
def test_invalid_index_name_is_backend_error(name: str) -> None:
    with pytest.raises(BackendError, match="index name"):
        ElasticBackend("http://127.0.0.1:9", name)


def test_concrete_index_under_alias_name_is_backend_error(es: Elasticsearch, alias: str) -> None:
    es.indices.create(index=alias)
    with pytest.raises(BackendError, match="concrete index"):
        ElasticBackend(ES_URL, alias).index(CORPUS)


def test_lemma_field_is_lower_cased_like_the_embedded_index(backend: ElasticBackend) -> None:
    doc = synthetic_doc(1, "ВЫДВОРЕНИЕ ИНОСТРАНЦЕВ")
    assert doc.lemmas == "выдворение иностранец"  # nlp already folds; an upper-cased producer must not break it
    backend.index([doc.model_copy(update={"lemmas": "ВЫДВОРЕНИЕ ИНОСТРАНЕЦ"})])
    res = backend.search(SearchQuery(q="иностранца"))
    assert [h.id for h in res.hits] == [doc.id]
    assert res.hits[0].snippet == "ВЫДВОРЕНИЕ <mark>ИНОСТРАНЦЕВ</mark>"


# --- the same answers as the embedded backend ---------------------------------------------------------

SAME_AS_EMBEDDED = [
    {"q": "выдворения"},
    {"q": "иностранец", "at": date(2015, 1, 1)},
    {"q": "лицо без гражданства", "sort": "date"},
    {"q": '"лица без гражданства"'},
    {"q": "выдворение штраф"},
    {"q": "граница OR виза"},
    {"q": "иностранец -штраф", "size": 5, "page": 2},
    {"q": "незаконный мигрант", "act": ["Z1100000477"]},  # AND finds nothing → OR fallback
    {"q": "пребывание", "amended_from": date(2015, 1, 1), "amended_to": date(2021, 12, 31)},
    {"q": "", "tag": ["expulsion"]},
    {"q": "", "sort": "date", "size": 7, "page": 3},
    # part-level hits, the thesaurus, phrases and proximity
    {"q": "выдворения", "group": "none"},
    {"q": "выдворение штраф", "group": "none"},
    {"q": "высылка"},
    {"q": "оралман", "at": date(2019, 1, 1)},
    {"q": "КоАП выдворение иностранца"},
    {"q": '"незаконного иммигранта"', "group": "none"},
    {"q": '="лица без гражданства"'},
    {"q": "основания для отказа во въезде"},
    {"q": "незаконное пересечение границы", "group": "none"},
]


@pytest.fixture(scope="module")
def both_backends(
    es: Elasticsearch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[EmbeddedBackend, ElasticBackend]]:
    embedded = EmbeddedBackend(tmp_path_factory.mktemp("embedded-index"))
    embedded.index(fixture_docs())
    name = f"test-migralex-{uuid.uuid4().hex[:10]}"
    elastic = ElasticBackend(ES_URL, name)
    elastic.index(fixture_docs())
    yield embedded, elastic
    elastic.close()
    embedded.close()
    for index in es.indices.get(index=f"{name}-v*").body:
        es.indices.delete(index=index)
    es.indices.delete_index_template(name=name)


@pytest.mark.parametrize("params", SAME_AS_EMBEDDED, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_same_hits_order_facets_and_snippets_as_embedded(
    both_backends: tuple[EmbeddedBackend, ElasticBackend], params: dict[str, object]
) -> None:
    """The real fixture corpus (tests/search/fixture_corpus.py) in both backends: everything but the
    raw score values must agree, including the order (BM25 in both, ties in indexing order)."""
    embedded, elastic = both_backends
    query = SearchQuery.model_validate({"size": 100, **params})
    a, b = embedded.search(query), elastic.search(query)
    assert b.total == a.total > 0
    assert [h.id for h in b.hits] == [h.id for h in a.hits]
    assert [h.snippet for h in b.hits] == [h.snippet for h in a.hits]
    assert [(h.valid_from, h.valid_to, h.status, h.tags, h.heading) for h in b.hits] == [
        (h.valid_from, h.valid_to, h.status, h.tags, h.heading) for h in a.hits
    ]
    parts = [[(p.id, p.snippet) for p in h.parts] for h in a.hits]
    assert [[(p.id, p.snippet) for p in h.parts] for h in b.hits] == parts
    assert b.facets == a.facets
    assert (b.operator, b.group, b.expansions, b.notes) == (a.operator, a.group, a.expansions, a.notes)


# --- scripts/es-node.sh -------------------------------------------------------------------------------

ES_NODE = Path(__file__).resolve().parents[2] / "scripts" / "es-node.sh"


def _es_node(*args: str, port: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ES_PORT": str(port)}
    return subprocess.run([str(ES_NODE), *args], env=env, capture_output=True, text=True, timeout=300)


def test_es_node_script_url_status_and_usage() -> None:
    port = _closed_port()
    assert _es_node("url", port=port).stdout.strip() == f"http://127.0.0.1:{port}"
    status = _es_node("status", port=port)
    assert status.returncode == 3 and status.stdout.startswith("stopped")
    assert "not running" in _es_node("stop", port=port).stderr
    usage = _es_node("restart", port=port)
    assert usage.returncode == 2 and "usage" in usage.stderr


@pytest.mark.slow
def test_es_node_script_starts_a_second_node_and_stops_it(es: Elasticsearch) -> None:
    """A full cycle on a free port (the installed distribution is shared; the state is per port)."""
    port = _closed_port()
    try:
        started = _es_node("start", port=port)
        assert started.returncode == 0, started.stderr
        assert _es_node("status", port=port).stdout.startswith("running")
        again = _es_node("start", port=port)
        assert again.returncode == 0 and "already running" in again.stderr
        with Elasticsearch(f"http://127.0.0.1:{port}", request_timeout=10) as node:
            assert node.cluster.health()["status"] in ("green", "yellow")
            assert node.cluster.health()["cluster_name"] == "migralex-dev"
        with pytest.raises(BackendError, match="not found"):
            ElasticBackend(f"http://127.0.0.1:{port}").health()  # up, but nothing indexed
    finally:
        stopped = _es_node("stop", port=port)
    assert stopped.returncode == 0 and "stopped" in stopped.stderr
    status = _es_node("status", port=port)
    assert status.returncode == 3
    # the per-port state (data, logs, pid) sits next to the shared distribution: remove this one
    home = Path(status.stdout.split("home=")[1].strip())
    shutil.rmtree(home.parent / f"es-node-{port}", ignore_errors=True)
    with pytest.raises(BackendError, match="unreachable"):
        ElasticBackend(f"http://127.0.0.1:{port}", request_timeout=2).count()


# --- docker-compose.yml (Docker itself is not needed: the file is checked, not run) -------------------


def test_compose_pins_the_client_major_and_wires_the_api_to_elasticsearch() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML not installed: docker-compose.yml not checked")
    import elasticsearch

    compose = yaml.safe_load((ES_NODE.parents[1] / "docker-compose.yml").read_text(encoding="utf-8"))
    es_service, api = compose["services"]["elasticsearch"], compose["services"]["api"]
    image_version = es_service["image"].rsplit(":", 1)[1]
    assert int(image_version.split(".")[0]) == elasticsearch.__version__[0]  # server major = client major
    assert es_service["environment"]["discovery.type"] == "single-node"
    assert api["environment"]["ES_URL"] == "http://elasticsearch:9200"
    assert api["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
    assert "--backend elasticsearch" in " ".join(api["command"])
    assert (ES_NODE.parents[1] / api["build"]["dockerfile"]).is_file()
