"""The ``backend`` fixture: the same fixture corpus indexed into each backend once per session.

The Elasticsearch case needs a real node at ES_URL (``scripts/es-node.sh start``;
``export ES_URL=$(scripts/es-node.sh url)``); it is skipped with the reason otherwise. Its index
name is unique per session and removed afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date

import pytest

from nlp.lemmatize import lemma_text
from search_api.backends import make_backend
from search_api.models import IndexDoc, SearchBackend
from tests.search.fixture_corpus import fixture_docs

ES_SKIP = "Elasticsearch not running: set ES_URL (scripts/es-node.sh start)"


def es_unavailable() -> str | None:
    """None when a real Elasticsearch answers at ES_URL, else why not."""
    from search_api.elastic import why_unreachable

    url = os.environ.get("ES_URL", "")
    why = why_unreachable(url)
    return None if why is None else (ES_SKIP if not url else f"{ES_SKIP}; {why}")


def _drop_es_index(name: str) -> None:
    from elasticsearch import Elasticsearch

    with Elasticsearch(os.environ["ES_URL"], request_timeout=30) as es:
        if es.indices.exists_alias(name=name):
            for index in es.indices.get_alias(name=name).body:
                es.indices.delete(index=index)
        for index in es.options(ignore_status=404).indices.get(index=f"{name}-v*").body or {}:
            es.indices.delete(index=index)
        es.options(ignore_status=404).indices.delete_index_template(name=name)


def _backend_with(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, docs: list[IndexDoc]
) -> Iterator[SearchBackend]:
    name = request.param
    es_index = f"test-migralex-contract-{uuid.uuid4().hex[:10]}"
    if name == "elasticsearch":
        if (why := es_unavailable()) is not None:
            pytest.skip(why)
        b = make_backend(name, es_url=os.environ["ES_URL"], index_name=es_index)
    else:
        b = make_backend(name, index_dir=tmp_path_factory.mktemp("contract-index"))
    try:
        b.index(docs)
        yield b
    finally:
        b.close()
        if name == "elasticsearch":
            _drop_es_index(es_index)


BACKENDS = ["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchBackend]:
    """A backend holding the fixture corpus (tests/search/fixture_corpus.py)."""
    yield from _backend_with(request, tmp_path_factory, fixture_docs())


def synthetic_article(act_id: str, n: int, heading: str, text: str) -> IndexDoc:
    """A SYNTHETIC one-paragraph article (made-up text), lemmatized by the project's lemmatizer."""
    eid = f"art_{n}"
    return IndexDoc(
        id=f"{act_id}/{eid}@2020-01-01", act_id=act_id, act_kind="закон", eid=eid, kind="article", article=eid,
        number=str(n), heading=heading, ancestors=["Глава 1. СИНТЕТИЧЕСКАЯ"], text=text, lemmas=lemma_text(text),
        valid_from=date(2020, 1, 1), position=n,
    )


#: SYNTHETIC pairs of articles that differ only in where the words stand (ranking cases).
RANKING_DOCS = [
    # the same words, the same length: apart, then together
    synthetic_article("SYN0000001", 1, "Синтетическая статья",
                      "Организация приема граждан, учет торговли, незаконной помощи населению, контроль за проездом и"
                      " миграции."),
    synthetic_article("SYN0000001", 2, "Синтетическая статья",
                      "Организация незаконной миграции, учет торговли, помощи населению, контроль за проездом и приема"
                      " граждан."),
    # the word in the text of one, in the heading of the other
    synthetic_article("SYN0000002", 1, "Порядок передачи лиц", "Реадмиссия лиц осуществляется в порядке передачи."),
    synthetic_article("SYN0000002", 2, "Реадмиссия лиц", "Порядок передачи лиц осуществляется в порядке передачи."),
]


@pytest.fixture(scope="session", params=BACKENDS)
def ranking_backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchBackend]:
    """A backend holding :data:`RANKING_DOCS`."""
    yield from _backend_with(request, tmp_path_factory, RANKING_DOCS)
