"""corpus.timeline rule 11: an "исключен" stub whose eid a restructuring moved.

All redactions here are **synthetic** (made for these tests, not law text): an article "Статья 5" of an
invented act whose items go under a new part 1, modelled on art. 43-1 of the migration law (items under
part 1 from 01.01.2021, Закон от 30.12.2016 № 41-VI); the real case is tested on the bundled corpus in
tests/api/test_api_time.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from corpus.models import AmendingAct, Amendment, Provision
from corpus.timeline import Snapshot, Version, compute_versions, coverage_steps

ACT = "Z0000000000"  # synthetic
ADOPTED = date(2011, 7, 22)
R1, R2 = date(2019, 1, 1), date(2022, 7, 14)
STUB = "исключен Законом РК от 24.11.2015 № 421-V (вводится в действие по истечении десяти календарных дней после " \
       "дня его первого официального опубликования);"
OTHER_STUB = "исключен Законом РК от 18.04.2017 № 58-VI;"


def p(eid: str, text: str, *, stub: bool = False) -> Provision:
    kind = {"art": "article", "para": "part", "point": "item"}[eid.rsplit("__", 1)[-1].split("_")[0]]
    parent = eid.rsplit("__", 1)[0] if "__" in eid else None
    number = eid.rsplit("_", 1)[-1] if "__" in eid else None
    return Provision(act_id=ACT, eid=eid, kind=kind, number=number, text=text, parent=parent, repealed=stub)


def law(eid: str, adopted: date, number: str, *, verb: str = "amended", effective: date | None = None) -> Amendment:
    return Amendment(act_id=ACT, eid=eid, verb=verb, amending_act=AmendingAct(number=number, date=adopted),
                     effective_date=effective)


def snaps(old: list[Provision], new: list[Provision]) -> list[Snapshot]:
    def placed(ps: list[Provision]) -> list[Provision]:
        return [replace(x, position=i) for i, x in enumerate(ps)]

    return [Snapshot(R1, placed(old), date_source="version"), Snapshot(R2, placed(new), date_source="version")]


ARTICLE = p("art_5", "")
# the 2019 shape: items directly in the article
FLAT = [ARTICLE, p("art_5__point_1", "быть совершеннолетними;"), p("art_5__point_2", STUB, stub=True),
        p("art_5__point_3", "иметь документ;")]
# the 2022 shape: the same items under a new part 1, and a new part 2
NESTED = [ARTICLE, p("art_5__para_1", "Иммигранты должны:"), p("art_5__para_1__point_1", "быть совершеннолетними;"),
          p("art_5__para_1__point_2", STUB, stub=True), p("art_5__para_1__point_3", "иметь документ."),
          p("art_5__para_2", "Разрешение выдается.")]
# a part 1 already there in both shapes
PART_1 = [ARTICLE, p("art_5__para_1", "Иммигранты должны:"), p("art_5__para_1__point_1", "быть совершеннолетними;")]
REPEAL = law("art_5__point_2", date(2015, 11, 24), "421-V", verb="repealed", effective=date(2015, 12, 5))


def repeals(*eids: str, of: Amendment = REPEAL) -> list[Amendment]:
    """The "repealed" record ingest reads from each stub's own text (one per eid holding it)."""
    return [replace(of, eid=e) for e in eids]


OTHER_REPEAL = law("art_5", date(2017, 4, 18), "58-VI", verb="repealed")
RESTRUCTURE = law("art_5", date(2016, 12, 30), "41-VI", effective=date(2021, 1, 1))  # exact: "с 01.01.2021"
EARLIER = law("art_5", date(2019, 6, 1), "30-VI", effective=date(2020, 1, 1))
LATER = law("art_5", date(2016, 12, 30), "41-VI", effective=date(2023, 1, 1))  # after the newer redaction

# the rule text of a moved stub's new version names its old eid and the restructuring act
MOVED = ("the same repeal stub as art_5__point_2", "41-VI")

# The old stub's wording before its repeal is unknown back to the act's adoption (the older redaction is
# the first): its ``unknown_from`` is ADOPTED throughout.
# (case, redactions, amendments, expected versions of the stub eids: eid -> [(from, to, exact, unknown_from)],
#  what the new eid's rule says (None: not this rule))
CASES = [
    (
        "an item stub moved under a new part: both eids change when the part came into force",
        snaps(FLAT, NESTED), [*repeals("art_5__point_2", "art_5__para_1__point_2"), RESTRUCTURE],
        {"art_5__point_2": [(date(2015, 12, 5), date(2021, 1, 1), True, ADOPTED)],
         "art_5__para_1__point_2": [(date(2021, 1, 1), None, True, None)]},
        MOVED,
    ),
    (
        "a stub worded otherwise but with the same repeal recorded on both eids is the same stub",
        snaps(FLAT, [*NESTED[:3], p("art_5__para_1__point_2", "исключен Законом РК от 24.11.2015 № 421-V (порядок "
                                   "введения в действие см. ст.2);", stub=True), *NESTED[4:]]),
        [*repeals("art_5__point_2", "art_5__para_1__point_2"), RESTRUCTURE],
        {"art_5__point_2": [(date(2015, 12, 5), date(2021, 1, 1), True, ADOPTED)],
         "art_5__para_1__point_2": [(date(2021, 1, 1), None, True, None)]},
        MOVED,
    ),
    (
        "the new part's start is uncertain between two amendments: the stub's place is unknown in between",
        snaps(FLAT, NESTED), [*repeals("art_5__point_2", "art_5__para_1__point_2"), EARLIER, RESTRUCTURE],
        {"art_5__point_2": [(date(2015, 12, 5), date(2020, 1, 1), True, ADOPTED)],
         "art_5__para_1__point_2": [(date(2021, 1, 1), None, True, date(2020, 1, 1))]},
        MOVED,
    ),
    (
        "a lettered stub moved one level deeper (under item 2 of a new part 1)",
        snaps([ARTICLE, p("art_5__point_2", "в случаях:"), p("art_5__point_2__point_а", STUB, stub=True)],
              [ARTICLE, p("art_5__para_1", "Иммигранты должны:"), p("art_5__para_1__point_2", "в случаях:"),
               p("art_5__para_1__point_2__point_а", STUB, stub=True)]),
        [*repeals("art_5__point_2__point_а", "art_5__para_1__point_2__point_а"), RESTRUCTURE],
        {"art_5__point_2__point_а": [(date(2015, 12, 5), date(2021, 1, 1), True, ADOPTED)],
         "art_5__para_1__point_2__point_а": [(date(2021, 1, 1), None, True, None)]},
        ("the same repeal stub as art_5__point_2__point_а", "art_5__para_1__point_2 in force from then", "41-VI"),
    ),
    (
        "two stubs of one repeal pair by their numbers",
        snaps([*FLAT, p("art_5__point_4", STUB, stub=True)], [*NESTED, p("art_5__para_1__point_4", STUB, stub=True)]),
        [*repeals("art_5__point_2", "art_5__point_4", "art_5__para_1__point_2", "art_5__para_1__point_4"),
         RESTRUCTURE],
        {"art_5__point_2": [(date(2015, 12, 5), date(2021, 1, 1), True, ADOPTED)],
         "art_5__point_4": [(date(2015, 12, 5), date(2021, 1, 1), True, ADOPTED)],
         "art_5__para_1__point_2": [(date(2021, 1, 1), None, True, None)],
         "art_5__para_1__point_4": [(date(2021, 1, 1), None, True, None)]},
        ("the same repeal stub as art_5__point_", "41-VI"),
    ),
    # --- unchanged behaviour (rules 5-6) ---
    (
        "a stub that vanished with no successor ends at the newer redaction",
        snaps(FLAT, [x for x in NESTED if x.eid != "art_5__para_1__point_2"]),
        [*repeals("art_5__point_2"), RESTRUCTURE],
        {"art_5__point_2": [(date(2015, 12, 5), R2, True, ADOPTED)]},
        None,
    ),
    (
        "a different stub under the new eid is no successor",
        snaps(FLAT, [*NESTED[:3], p("art_5__para_1__point_2", OTHER_STUB, stub=True), *NESTED[4:]]),
        [*repeals("art_5__point_2"), *repeals("art_5__para_1__point_2", of=OTHER_REPEAL), RESTRUCTURE],
        {"art_5__point_2": [(date(2015, 12, 5), R2, True, ADOPTED)],
         "art_5__para_1__point_2": [(R2, None, False, date(2019, 1, 2))]},
        None,
    ),
    (
        "the new part's start is not known (nothing dates it): the newer redaction's date, unknown before",
        snaps(FLAT, NESTED), repeals("art_5__point_2", "art_5__para_1__point_2"),
        {"art_5__point_2": [(date(2015, 12, 5), R2, True, ADOPTED)],
         "art_5__para_1__point_2": [(R2, None, False, date(2019, 1, 2))]},
        None,
    ),
    (
        "the restructuring's date lies after the newer redaction (outside the span)",
        snaps(FLAT, NESTED), [*repeals("art_5__point_2", "art_5__para_1__point_2"), LATER],
        {"art_5__point_2": [(date(2015, 12, 5), R2, True, ADOPTED)],
         "art_5__para_1__point_2": [(R2, None, False, date(2019, 1, 2))]},
        None,
    ),
    (
        "moved under a part that was already there unchanged: its start is before the older redaction",
        snaps([*PART_1, p("art_5__para_2", "Иные требования:"), p("art_5__para_2__point_1", STUB, stub=True)],
              [*PART_1, p("art_5__para_1__point_2", STUB, stub=True)]),
        repeals("art_5__para_2__point_1", "art_5__para_1__point_2"),
        {"art_5__para_2__point_1": [(date(2015, 12, 5), R2, True, ADOPTED)],
         "art_5__para_1__point_2": [(R2, None, False, date(2019, 1, 2))]},
        None,
    ),
]


def _stub_spans(versions: list[Version], eids: set[str]) -> dict[str, list[tuple[date | None, date | None, bool,
                                                                               date | None]]]:
    out: dict[str, list[tuple[date | None, date | None, bool, date | None]]] = {}
    for v in versions:
        q = v.provision
        if q.eid in eids:
            out.setdefault(q.eid, []).append((q.valid_from, q.valid_to, q.valid_from_exact, q.unknown_from))
    return out


@pytest.mark.parametrize(("redactions", "amendments", "expected", "rule"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_moved_stubs(redactions: list[Snapshot], amendments: list[Amendment],
                     expected: dict[str, list[tuple[date, date | None, bool, date | None]]],
                     rule: tuple[str, ...] | None) -> None:
    versions = compute_versions(redactions, amendments, ADOPTED, ACT)
    assert _stub_spans(versions, set(expected)) == expected
    new_eids = [e for e in expected if e not in {x.eid for x in redactions[0].provisions}]
    for v in versions:
        if v.provision.eid in new_eids:
            said = v.provision.valid_from_rule or ""
            if rule is None:
                assert "the same repeal stub" not in said
            else:
                assert all(bit in said for bit in rule), said
    # every version keeps its place in its redactions (since/through are not re-dated)
    for v in versions:
        assert v.since is not None and v.through is not None


def test_a_moved_stub_is_known_from_the_restructuring_and_never_shown_twice() -> None:
    amendments = [*repeals("art_5__point_2", "art_5__para_1__point_2"), RESTRUCTURE]
    versions = compute_versions(snaps(FLAT, NESTED), amendments, ADOPTED, ACT)
    stubs = [v.provision for v in versions if v.provision.repealed]

    def in_force(on: date) -> list[str]:
        return [q.eid for q in stubs if q.valid_from is not None and q.valid_from <= on
                and (q.valid_to is None or on < q.valid_to)]

    assert in_force(date(2020, 12, 31)) == ["art_5__point_2"]
    assert in_force(date(2021, 1, 1)) == in_force(date(2021, 6, 1)) == ["art_5__para_1__point_2"]
    # coverage: from the repeal on nothing about the stub is unknown (before it, the item's wording is)
    assert [(on, known, unknown) for on, known, unknown in coverage_steps(stubs) if on >= date(2015, 12, 5)] == [
        (date(2015, 12, 5), 1, 0), (date(2021, 1, 1), 1, 0)]
