"""Provision.anchor (adilet's element id of a heading, ``z446``) in the store: saved from the real page,
kept across redactions of the same wording that lack it (Markdown, text copies), migrated into an
older store, and round-tripped by the JSONL exchange."""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

from corpus.models import ParsedDocument
from corpus.schema import SCHEMA_VERSION
from corpus.store import Store
from tests.corpus import ACT, migration_law, synthetic_older_redaction


def _without_anchors(doc: ParsedDocument) -> ParsedDocument:
    """The redaction as a source without adilet ids (the bank's Markdown, a text copy) would give it."""
    return replace(doc, provisions=[replace(p, anchor=None) for p in doc.provisions])


def test_real_page_anchor_is_stored_and_read_back(tmp_path: Path) -> None:
    with Store(tmp_path / "c.sqlite") as store:
        store.save_document(migration_law())
        art = store.provision_at(ACT, "art_48")
        assert art is not None and art.anchor == "z446"
        part = store.provision_at(ACT, "art_48__point_1")
        assert part is not None and part.anchor is None


def test_anchor_survives_an_older_redaction_without_ids_in_either_order(tmp_path: Path) -> None:
    """SYNTHETIC older redaction (tests.corpus), stripped of anchors: where the wording goes on into the
    current page, the version keeps the page's anchor whichever redaction is saved first."""
    older = _without_anchors(synthetic_older_redaction(date(2019, 1, 1)))
    results: list[list[tuple[date | None, str | None]]] = []
    for order in ((older, migration_law()), (migration_law(), older)):
        path = tmp_path / f"c{len(results)}.sqlite"
        with Store(path) as store:
            for doc in order:
                store.save_document(doc)
            versions = store.provision_versions(ACT, "art_48")
            results.append([(v.valid_from, v.anchor) for v in versions])
    assert results[0] == results[1]
    assert results[0][-1][1] == "z446"


def test_migration_adds_the_anchor_column_to_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Store(path) as store:
        store.save_document(migration_law())
        n = store.count_versions()
    with closing(sqlite3.connect(path)) as db:  # the store as schema 5 left it
        db.execute("ALTER TABLE provisions DROP COLUMN anchor")
        db.execute("PRAGMA user_version = 5")
        db.commit()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.count_versions() == n
        art = store.provision_at(ACT, "art_48")
        assert art is not None and art.anchor is None  # unknown until the page is saved again
        store.save_document(migration_law())
        art = store.provision_at(ACT, "art_48")
        assert art is not None and art.anchor == "z446"


def test_exchange_round_trips_the_anchor(tmp_path: Path) -> None:
    buf = io.StringIO()
    with Store(tmp_path / "a.sqlite") as store:
        store.save_document(migration_law())
        store.export_jsonl(buf)
    text = buf.getvalue()
    rec = next(json.loads(line) for line in text.splitlines() if '"eid":"art_48"' in line)
    assert rec["anchor"] == "z446"
    with Store(tmp_path / "b.sqlite") as store:
        store.import_jsonl(io.StringIO(text))
        art = store.provision_at(ACT, "art_48")
        assert art is not None and art.anchor == "z446"
        again = io.StringIO()
        store.export_jsonl(again)
    assert again.getvalue() == text
