"""The ``backend`` fixture: the same fixture corpus indexed into each backend once per session.

The Elasticsearch case needs a real node at ES_URL (``scripts/es-node.sh start``;
``export ES_URL=$(scripts/es-node.sh url)``); it is skipped with the reason otherwise. Its index
name is unique per session and removed afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from search_api.backends import make_backend
from search_api.models import SearchBackend
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


@pytest.fixture(
    scope="session",
    params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)],
)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchBackend]:
    """A backend holding the fixture corpus (tests/search/fixture_corpus.py)."""
    name = request.param
    es_index = f"test-migralex-contract-{uuid.uuid4().hex[:10]}"
    if name == "elasticsearch":
        if (why := es_unavailable()) is not None:
            pytest.skip(why)
        b = make_backend(name, es_url=os.environ["ES_URL"], index_name=es_index)
    else:
        b = make_backend(name, index_dir=tmp_path_factory.mktemp("contract-index"))
    try:
        b.index(fixture_docs())
        yield b
    finally:
        b.close()
        if name == "elasticsearch":
            _drop_es_index(es_index)
