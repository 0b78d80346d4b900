"""Tests of corpus/: shared builders of real (and clearly synthetic) documents and a raw table dump."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from corpus.models import ParsedDocument
from corpus.timeline import amendment_date

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adilet"
MIGRATION_LAW = FIXTURES / "Z1100000477_rus.html"
ACT = "Z1100000477"
TABLES = ("acts", "redactions", "provisions", "amendments", "annotations", "citations")


@lru_cache(maxsize=1)
def _parsed() -> ParsedDocument:
    from ingest.html_page import parse_document

    return parse_document(MIGRATION_LAW.read_bytes(), act_id=ACT, url=f"https://adilet.zan.kz/rus/docs/{ACT}")


def migration_law() -> ParsedDocument:
    """The real current page of the migration law, parsed (a fresh copy each call)."""
    doc = _parsed()
    return replace(
        doc,
        act=replace(doc.act),
        redaction=replace(doc.redaction),
        provisions=[replace(p, ancestors=list(p.ancestors)) for p in doc.provisions],
        amendments=list(doc.amendments),
    )


def synthetic_older_redaction(on: date = date(2019, 1, 1)) -> ParsedDocument:
    """SYNTHETIC: an archive redaction of ``on`` derived from the real page by undoing one recorded
    change (Закон РК от 13.05.2020 № 327-VІ replaced "оралман" with "кандас" throughout) and keeping
    only the amendments dated by then. Not a real archived wording: everything else is today's text."""
    doc = migration_law()
    provisions = [
        replace(p, text=p.text.replace("кандас", "оралман").replace("Кандас", "Оралман")) for p in doc.provisions
    ]
    amendments = [a for a in doc.amendments if (d := amendment_date(a)) is not None and d <= on]
    redaction = replace(doc.redaction, valid_from=on, url=f"https://adilet.zan.kz/rus/archive/docs/{ACT}/{on:%d.%m.%Y}",
                        date_source="version")
    return replace(doc, redaction=redaction, provisions=provisions, amendments=amendments)


def table_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every store table, read with plain sqlite3 (not through the Store)."""
    with closing(sqlite3.connect(path)) as db:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


def row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
