"""corpus.timeline.AmendmentDates (what touched a provision, by eid) on the real migration law's footnotes."""

from __future__ import annotations

from datetime import date

from corpus.models import Amendment
from corpus.timeline import AmendmentDates
from ingest.html_page import parse_document
from tests.conftest import MIGRATION_LAW


def _naive(eid: str, amendments: list[Amendment]) -> list[date]:
    """The definition: amendments on the eid, on an enclosing provision, or on a descendant."""
    pieces = eid.split("__")
    enclosing = {"__".join(pieces[: i + 1]) for i in range(len(pieces))}
    return sorted(
        {
            a.effective_date or a.amending_act.date or date.min
            for a in amendments
            if a.eid and (a.eid in enclosing or a.eid.startswith(eid + "__"))
            and (a.effective_date or a.amending_act.date)
        }
    )


def test_amendment_dates_match_the_definition_on_every_provision() -> None:
    doc = parse_document(MIGRATION_LAW.read_bytes(), act_id="Z1100000477")
    index = AmendmentDates(doc.amendments)
    assert any(index.of(p.eid) for p in doc.provisions)
    for p in doc.provisions:
        assert index.of(p.eid) == _naive(p.eid, doc.amendments), p.eid


def test_an_article_sees_amendments_of_its_parts_and_a_part_those_of_its_article() -> None:
    a_part = Amendment("X", "art_5__para_2", "amended", effective_date=date(2020, 1, 1))
    an_article = Amendment("X", "art_5", "amended", effective_date=date(2019, 1, 1))
    other = Amendment("X", "art_50", "amended", effective_date=date(2018, 1, 1))  # art_5 is not a prefix of it
    index = AmendmentDates([a_part, an_article, other])
    assert index.of("art_5") == [date(2019, 1, 1), date(2020, 1, 1)]
    assert index.of("art_5__para_2__point_1") == [date(2019, 1, 1), date(2020, 1, 1)]
    assert index.of("art_5__para_1") == [date(2019, 1, 1)]
