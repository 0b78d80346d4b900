"""Project-wide fixtures: a small real corpus (the migration law page) built through every layer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "adilet"
MIGRATION_LAW = FIXTURES / "Z1100000477_rus.html"


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A MigraLex home with the real migration law ingested, annotated and indexed (embedded)."""
    from corpus.store import Store
    from ingest.html_page import parse_document
    from nlp.annotate import annotate_store
    from search_api.embedded import EmbeddedBackend
    from search_api.indexer import index_docs

    home = tmp_path_factory.mktemp("migralex-home")
    doc = parse_document(MIGRATION_LAW.read_bytes(), act_id="Z1100000477",
                         url="https://adilet.zan.kz/rus/docs/Z1100000477")
    with Store(home / "corpus.sqlite") as store:
        store.save_document(doc)
        annotate_store(store)
        EmbeddedBackend(home / "index").index(index_docs(store))
    yield home
