"""corpus.timeline: validity of provision versions, document order, history and word diff.

Texts are real items of art. 48 of the migration law (Z1100000477) as on adilet; where an older
wording is needed it is made by undoing the change its footnote records ("оралман" → "кандас", Закон
РК от 13.05.2020 № 327-VІ) and the test says so.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

import pytest

from corpus.dating import DatingContext
from corpus.models import Act, AmendingAct, Amendment, CausedBy, EffectiveRule, Provision
from corpus.timeline import (
    Snapshot,
    TimelineError,
    Version,
    align_versions,
    build_history,
    compute_versions,
    content_hash,
    coverage_steps,
    diff,
    document_order,
    redaction_members,
    refined_start,
    version_diff,
    version_status,
)
from ingest.amendments import replaced_words

ACT = "Z1100000477"
ADOPTED = date(2011, 7, 22)
R2019, R2020, R2025 = date(2019, 1, 1), date(2020, 5, 24), date(2025, 9, 27)

ART_48 = "Иммигранту запрещается въезд в Республику Казахстан:"
POINT_1 = "в интересах обеспечения национальной безопасности, охраны общественного порядка и здоровья населения;"
POINT_2 = "если его действия направлены на насильственное изменение конституционного строя;"
POINT_6_1 = "в случае признания судом в его действиях рецидива преступлений или опасного рецидива преступлений;"
# art. 1 item 2 as now, and as before Закон № 327-VІ replaced "оралманам" with "кандасам" (undone by hand)
ART_1_2 = (
    "адаптационные и интеграционные услуги - комплекс услуг (информационных, юридических, социальных, "
    "медицинских и образовательных), предоставляемых кандасам и членам их семей в целях адаптации и "
    "интеграции в общество;"
)
ART_1_2_BEFORE_2020 = ART_1_2.replace("кандасам", "оралманам")


def prov(eid: str, text: str, position: int = 0, kind: str = "item") -> Provision:
    parent = eid.rsplit("__", 1)[0] if "__" in eid else None
    return Provision(act_id=ACT, eid=eid, kind=kind, text=text, parent=parent, position=position)


def amend(eid: str | None, on: date | None, verb: str = "amended", effective: date | None = None) -> Amendment:
    return Amendment(
        act_id=ACT, eid=eid, verb=verb, amending_act=AmendingAct(number="82-VIII", date=on), effective_date=effective
    )


def spans(versions: list[Version]) -> list[tuple[str, date | None, date | None]]:
    return [(v.provision.eid, v.provision.valid_from, v.provision.valid_to) for v in versions]


# --- rule 5: refinement of the oldest redaction ------------------------------------------------------

REFINE_CASES = [
    # (case, eid, redaction date, amendments, adopted, expected valid_from)
    ("untouched: act adopted", "art_48__point_1", R2025, [], ADOPTED, ADOPTED),
    ("untouched, act date unknown: redaction date", "art_48__point_1", R2025, [], None, R2025),
    ("act adopted after the redaction date is capped", "art_48", R2019, [], date(2020, 1, 1), R2019),
    ("undated redaction, nothing known", "art_48", None, [], None, None),
    (
        "own amendment, effective date",
        "art_48",
        R2025,
        [amend("art_48", date(2014, 11, 3), effective=date(2015, 1, 2))],
        ADOPTED,
        date(2015, 1, 2),
    ),
    (
        "article's amendment touches its items",
        "art_48__point_1",
        R2025,
        [amend("art_48", date(2024, 5, 16))],
        ADOPTED,
        date(2024, 5, 16),
    ),
    (
        "part's amendment touches its sub-items",
        "art_4__para_2__point_1",
        R2025,
        [amend("art_4__para_2", R2019)],
        ADOPTED,
        R2019,
    ),
    (
        "latest of several wins",
        "art_48",
        R2025,
        [amend("art_48", date(2013, 12, 10)), amend("art_48", date(2024, 5, 16)), amend("art_48", date(2020, 5, 13))],
        ADOPTED,
        date(2024, 5, 16),
    ),
    (
        "item's amendment does not touch its article",
        "art_48",
        R2025,
        [amend("art_48__point_6-1", R2019)],
        ADOPTED,
        ADOPTED,
    ),
    ("art_48 does not touch art_48-1", "art_48-1", R2025, [amend("art_48", R2019)], ADOPTED, ADOPTED),
    ("chapter's amendment does not touch its articles", "art_48", R2025, [amend("chp_8", R2019)], ADOPTED, ADOPTED),
    (
        "prospective (ИЗПИ) skipped",
        "art_48",
        R2025,
        [amend("art_48", date(2023, 7, 4), verb="prospective", effective=date(2030, 1, 1))],
        ADOPTED,
        ADOPTED,
    ),
    (
        "whole-act amendment skipped",
        "art_1__point_2",
        R2025,
        [amend(None, date(2020, 5, 13), verb="replaced_throughout")],
        ADOPTED,
        ADOPTED,
    ),
    (
        "amendment effective after the redaction skipped",
        "art_48",
        R2019,
        [amend("art_48", date(2016, 12, 30), effective=date(2021, 1, 1)), amend("art_48", date(2015, 11, 24))],
        ADOPTED,
        date(2015, 11, 24),
    ),
    ("undated amendment skipped", "art_48", R2025, [amend("art_48", None)], ADOPTED, ADOPTED),
]


@pytest.mark.parametrize(
    ("eid", "redaction", "amendments", "adopted", "expected"),
    [c[1:] for c in REFINE_CASES],
    ids=[c[0] for c in REFINE_CASES],
)
def test_refined_start(
    eid: str, redaction: date | None, amendments: list[Amendment], adopted: date | None, expected: date | None
) -> None:
    assert refined_start(eid, redaction, amendments, adopted) == expected


# act-wide replacement notes, verbatim from the bundled pages (migration law, УК, КоАП)
NOTE_MIGRATION = (
    'Сноска. По всему тексту слова "оралманам", "оралман", "оралманов", "оралманах", "оралмана", "оралманами", '
    '"Оралманы", "оралманы", "Оралманам" и "оралманом" заменены соответственно словами "кандасам", "кандас", '
    '"кандасов", "кандасах", "кандаса", "кандасами", "Кандасы", "кандасы", "Кандасам" и "кандасом" в соответствии '
    "с Законом РК от 13.05.2020 № 327-VI (вводится в действие после дня введения в действие соответствующих "
    'изменений и дополнений в Кодекс РК "О налогах и других обязательных платежах в бюджет" (Налоговый кодекс)).'
)
NOTE_CRIMINAL_CODE = (
    'Сноска. По всему тексту: слова "информационно-коммуникационных сетей", "информационно-коммуникационной сети" '
    'и "информационно-коммуникационную сеть" заменены соответственно словами "сетей телекоммуникаций", "сетям '
    'телекоммуникаций" и "сеть телекоммуникаций"; слова "национальных электронных информационных ресурсов" и '
    '"национальной информационной системы" заменены соответственно словами "государственных электронных '
    'информационных ресурсов" и "информационных систем государственных органов" в соответствии с Законом РК от '
    '24.11.2015 № 419-V (вводится в действие с 01.01.2016); слова "ВИЧ/СПИД" заменены словом "ВИЧ" в '
    "соответствии с Законом РК от 28.12.2018 № 208-VI (вводится в действие по истечении десяти календарных дней "
    'после дня его первого официального опубликования); слова "ущерба окружающей среде" заменены словами '
    '"экологического ущерба" в соответствии с Законом РК от 02.01.2021 № 401-VI (вводится в действие с 01.07.2021).'
)
NOTE_KOAP = (
    'Сноска: по всему тексту Кодекса: слова "инвалидам", "инвалидов", "инвалидами" заменены словами "лицам с '
    'инвалидностью", "лиц с инвалидностью", "лицами с инвалидностью" в соответствии с Законом РК от 11.07.2022 '
    "№ 137-VII (вводится в действие по истечении десяти календарных дней после дня его первого официального "
    "опубликования)."
)


def replacement(source: str, number: str, on: date) -> Amendment:
    """An act-wide replacement record as ingest reads it from the note (new words included)."""
    return Amendment(
        ACT, None, "replaced_throughout", AmendingAct(number=number, date=on), source=source,
        new_words=list(replaced_words(source, number)),
    )


REPLACEMENT_REFINE_CASES = [
    ("holds a new word", ART_1_2, date(2020, 5, 13)),
    ("holds the old word (older page)", ART_1_2_BEFORE_2020, ADOPTED),
    ("new word only as part of another word", "кандасовский", ADOPTED),
    ("no new word", POINT_1, ADOPTED),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in REPLACEMENT_REFINE_CASES], ids=[c[0] for c in REPLACEMENT_REFINE_CASES]
)
def test_act_wide_replacement_touches_provisions_with_the_new_words(text: str, expected: date) -> None:
    amendments = [replacement(NOTE_MIGRATION, "327-VI", date(2020, 5, 13)), amend("art_1", date(2013, 6, 13))]
    assert refined_start("art_1__point_2", R2025, amendments, ADOPTED, text=text) == max(expected, date(2013, 6, 13))
    # capped like any amendment: not after the redaction date
    assert refined_start("art_1__point_2", R2019, amendments, ADOPTED, text=text) == date(2013, 6, 13)


# --- rules 1-4: several redactions ------------------------------------------------------------------

ART48_2019 = [
    prov("art_48", ART_48, 0, "article"),
    prov("art_48__point_1", POINT_1, 1),
    prov("art_48__point_2", POINT_2, 2),
]

TIMELINE_CASES = [
    (
        "unchanged text: one version spans both redactions",
        [Snapshot(R2019, ART48_2019), Snapshot(R2025, ART48_2019)],
        [("art_48", ADOPTED, None), ("art_48__point_1", ADOPTED, None), ("art_48__point_2", ADOPTED, None)],
    ),
    (
        "changed text starts a version at the later redaction",
        [
            Snapshot(R2019, [prov("art_1__point_2", ART_1_2_BEFORE_2020)]),
            Snapshot(R2020, [prov("art_1__point_2", ART_1_2)]),
        ],
        [("art_1__point_2", ADOPTED, R2020), ("art_1__point_2", R2020, None)],
    ),
    (
        "dropped provision ends at the redaction that lacks it",
        [Snapshot(R2019, ART48_2019), Snapshot(R2025, ART48_2019[:2])],
        [("art_48", ADOPTED, None), ("art_48__point_1", ADOPTED, None), ("art_48__point_2", ADOPTED, R2025)],
    ),
    (
        "added provision starts at its redaction (no refinement)",
        [Snapshot(R2019, ART48_2019[:2]), Snapshot(R2025, [*ART48_2019[:2], prov("art_48__point_6-1", POINT_6_1, 2)])],
        [("art_48", ADOPTED, None), ("art_48__point_1", ADOPTED, None), ("art_48__point_6-1", R2025, None)],
    ),
    (
        "dropped and back again: two versions",
        [Snapshot(R2019, ART48_2019), Snapshot(R2020, ART48_2019[:2]), Snapshot(R2025, ART48_2019)],
        [
            ("art_48", ADOPTED, None),
            ("art_48__point_1", ADOPTED, None),
            ("art_48__point_2", ADOPTED, R2020),
            ("art_48__point_2", R2025, None),
        ],
    ),
    (
        "text changed and changed back: three versions",
        [
            Snapshot(R2019, [prov("art_1__point_2", ART_1_2)]),
            Snapshot(R2020, [prov("art_1__point_2", ART_1_2_BEFORE_2020)]),
            Snapshot(R2025, [prov("art_1__point_2", ART_1_2)]),
        ],
        [("art_1__point_2", ADOPTED, R2020), ("art_1__point_2", R2020, R2025), ("art_1__point_2", R2025, None)],
    ),
    (
        "heading change is a change",
        [
            Snapshot(R2019, [Provision(ACT, "art_7", "article", "7", "Компетенция", "")]),
            Snapshot(R2025, [Provision(ACT, "art_7", "article", "7", "Компетенция Правительства", "")]),
        ],
        [("art_7", ADOPTED, R2025), ("art_7", R2025, None)],
    ),
    ("no redactions", [], []),
]


@pytest.mark.parametrize(("snapshots", "expected"), [c[1:] for c in TIMELINE_CASES], ids=[c[0] for c in TIMELINE_CASES])
def test_compute_versions(snapshots: list[Snapshot], expected: list[tuple[str, date, date | None]]) -> None:
    got = compute_versions(snapshots, [], ADOPTED, act_id=ACT)
    assert spans(got) == expected
    # order of arrival does not matter
    assert spans(compute_versions(list(reversed(snapshots)), [], ADOPTED, act_id=ACT)) == expected


def test_a_change_between_redactions_starts_with_the_amendment_that_made_it() -> None:
    amendments = [amend("art_48", date(2015, 11, 24)), amend("art_48", date(2024, 5, 16))]
    snaps = [Snapshot(R2019, [prov("art_48__point_1", POINT_1)]), Snapshot(R2025, [prov("art_48__point_1", POINT_1)])]
    assert spans(compute_versions(snaps, amendments, ADOPTED)) == [("art_48__point_1", date(2015, 11, 24), None)]
    changed = [snaps[0], Snapshot(R2025, [prov("art_48__point_1", POINT_1.replace("здоровья", "жизни"))])]
    assert spans(compute_versions(changed, amendments, ADOPTED)) == [
        ("art_48__point_1", date(2015, 11, 24), date(2024, 5, 16)),
        ("art_48__point_1", date(2024, 5, 16), None),
    ]
    # no amendment between the two redactions: the change is dated by the later redaction
    assert spans(compute_versions(changed, amendments[:1], ADOPTED)) == [
        ("art_48__point_1", date(2015, 11, 24), R2025),
        ("art_48__point_1", R2025, None),
    ]


def test_versions_keep_since_and_newest_placement() -> None:
    old = prov("art_48__point_1", POINT_1)
    new = replace(old, ancestors=["Глава 8. ОБЩИЕ ОСНОВАНИЯ ДЛЯ ОТКАЗА"], position=7)
    (v,) = compute_versions([Snapshot(R2019, [old]), Snapshot(R2025, [new])], [], ADOPTED)
    assert v.since == R2019
    assert v.provision.ancestors == ["Глава 8. ОБЩИЕ ОСНОВАНИЯ ДЛЯ ОТКАЗА"]
    assert v.text_hash == content_hash(old)
    assert old.valid_from is None  # inputs are not mutated


def test_redaction_members_rebuilds_each_redaction() -> None:
    snaps = [Snapshot(R2019, ART48_2019), Snapshot(R2020, ART48_2019[:2]), Snapshot(R2025, ART48_2019)]
    versions = compute_versions(snaps, [amend("art_48", date(2015, 1, 2))], ADOPTED)
    for snap in snaps:
        members = redaction_members(versions, snap.valid_from)
        assert sorted((p.eid, p.text) for p in members) == sorted((p.eid, p.text) for p in snap.provisions)


@pytest.mark.parametrize(
    ("snapshots", "message"),
    [
        ([Snapshot(None, ART48_2019), Snapshot(R2025, ART48_2019)], "undated redaction"),
        ([Snapshot(R2025, ART48_2019), Snapshot(R2025, ART48_2019)], "two redactions valid from 2025-09-27"),
        ([Snapshot(R2025, [*ART48_2019, prov("art_48__point_1", POINT_2, 9)])], "eid art_48__point_1 twice"),
    ],
    ids=["undated among dated", "same date twice", "duplicate eid"],
)
def test_compute_versions_refuses_inconsistent_redactions(snapshots: list[Snapshot], message: str) -> None:
    with pytest.raises(TimelineError, match=message):
        compute_versions(snapshots, [], ADOPTED, act_id=ACT)


def test_single_undated_redaction() -> None:
    (v,) = compute_versions([Snapshot(None, [prov("art_48", ART_48)])], [], None)
    assert (v.provision.valid_from, v.provision.valid_to, v.provision.version_id) == (
        None,
        None,
        f"{ACT}/art_48@unknown",
    )


# --- rule 7: document order --------------------------------------------------------------------------

ORDER_CASES = [
    ("one redaction", [["a", "b", "c"]], ["a", "b", "c"]),
    ("dropped goes after its predecessor", [["a", "b", "c"], ["a", "c"]], ["a", "b", "c"]),
    ("dropped at the start", [["x", "a"], ["a", "b"]], ["x", "a", "b"]),
    ("run of dropped keeps its order", [["a", "x", "y", "b"], ["a", "b"]], ["a", "x", "y", "b"]),
    ("newest order wins for moved eids", [["a", "b", "c"], ["c", "a", "b"]], ["c", "a", "b"]),
    ("three redactions", [["a", "old", "b"], ["a", "b", "mid"], ["a", "b", "new"]], ["a", "old", "b", "mid", "new"]),
]


@pytest.mark.parametrize(("sequences", "expected"), [c[1:] for c in ORDER_CASES], ids=[c[0] for c in ORDER_CASES])
def test_document_order(sequences: list[list[str]], expected: list[str]) -> None:
    assert document_order(sequences) == expected


def test_positions_follow_document_order_across_redactions() -> None:
    snaps = [Snapshot(R2019, ART48_2019), Snapshot(R2025, [ART48_2019[0], prov("art_48__point_6-1", POINT_6_1, 1)])]
    got = [(v.provision.eid, v.provision.position) for v in compute_versions(snaps, [], ADOPTED)]
    assert got == [("art_48", 0), ("art_48__point_1", 1), ("art_48__point_2", 2), ("art_48__point_6-1", 3)]


# --- history -------------------------------------------------------------------------------------------


def test_history_events_in_date_order() -> None:
    v1 = replace(prov("art_1__point_2", ART_1_2_BEFORE_2020), valid_from=ADOPTED, valid_to=R2020)
    v2 = replace(prov("art_1__point_2", ART_1_2), valid_from=R2020)
    a_2020 = amend("art_1", date(2020, 5, 13), effective=R2020)
    a_2013 = amend("art_1", date(2013, 6, 13))
    a_undated = amend("art_1", None)
    h = build_history(ACT, "art_1__point_2", [v1, v2], [a_undated, a_2020, a_2013])
    assert [(e.kind, e.on) for e in h.events] == [
        ("version", ADOPTED),
        ("amendment", date(2013, 6, 13)),
        ("amendment", R2020),  # on one day the amendment comes before the version it made
        ("version", R2020),
        ("amendment", None),
    ]
    assert h.events[3].version is v2 and h.events[2].amendment is a_2020
    assert h.versions == [v1, v2] and len(h.amendments) == 3


# --- word diff --------------------------------------------------------------------------------------------

DIFF_CASES = [
    ("identical", POINT_1, POINT_1, [("equal", POINT_1)]),
    ("both empty", "", "", []),
    ("from nothing", "", POINT_2, [("insert", POINT_2)]),
    ("to nothing", POINT_2, "", [("delete", POINT_2)]),
    (
        "one word replaced (Закон № 327-VІ)",
        ART_1_2_BEFORE_2020,
        ART_1_2,
        [
            ("equal", ART_1_2.split("кандасам")[0]),
            ("delete", "оралманам"),
            ("insert", "кандасам"),
            ("equal", ART_1_2.split("кандасам")[1]),
        ],
    ),
    (
        "adjacent words replaced as one change, no space crumbs",
        "охраны общественного порядка и здоровья населения;",
        "охраны прав и свобод граждан;",
        [
            ("equal", "охраны "),
            ("delete", "общественного порядка"),
            ("insert", "прав"),
            ("equal", " и "),
            ("delete", "здоровья населения"),
            ("insert", "свобод граждан"),
            ("equal", ";"),
        ],
    ),
    (
        "punctuation is its own token",
        "населения;",
        "населения.",
        [("equal", "населения"), ("delete", ";"), ("insert", ".")],
    ),
    (
        "hyphenated number is one word",
        "подпункт 6-1)",
        "подпункт 6-2)",
        [("equal", "подпункт "), ("delete", "6-1"), ("insert", "6-2"), ("equal", ")")],
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), [c[1:] for c in DIFF_CASES], ids=[c[0] for c in DIFF_CASES])
def test_diff(a: str, b: str, expected: list[tuple[str, str]]) -> None:
    assert diff(a, b) == expected


@pytest.mark.parametrize(("a", "b"), [(ART_48, POINT_1), (POINT_1, POINT_6_1), (ART_1_2, POINT_2), (POINT_2, ART_1_2)])
def test_diff_rebuilds_both_texts(a: str, b: str) -> None:
    ops = diff(a, b)
    assert "".join(t for op, t in ops if op != "insert") == a
    assert "".join(t for op, t in ops if op != "delete") == b
    assert all(t for _, t in ops)
    assert all(x[0] != y[0] for x, y in itertools.pairwise(ops) if "equal" in (x[0], y[0]))


def test_version_diff_names_versions_and_diffs_headings() -> None:
    old = Provision(ACT, "art_7", "article", "7", "Компетенция", "", valid_from=ADOPTED)
    new = replace(old, heading="Компетенция Правительства", valid_from=R2025)
    d = version_diff(old, new)
    assert (d.from_version, d.to_version) == (f"{ACT}/art_7@2011-07-22", f"{ACT}/art_7@2025-09-27")
    assert d.heading_ops == [("equal", "Компетенция"), ("insert", " Правительства")]
    assert d.ops == []
    added = version_diff(None, new)
    assert added.from_version is None and added.heading_ops == [("insert", "Компетенция Правительства")]


# --- version status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "act_status", "repealed", "expected"),
    [
        (date(2019, 1, 1), date(2020, 1, 1), "in_force", False, "historical"),
        (date(2030, 1, 1), None, "in_force", False, "not_in_force_yet"),
        (date(2019, 1, 1), None, "repealed", False, "repealed"),
        (date(2019, 1, 1), None, "in_force", True, "repealed"),
        (date(2019, 1, 1), None, "unknown", False, "in_force"),
        (None, None, "not_in_force_yet", False, "not_in_force_yet"),
    ],
)
def test_version_status(
    valid_from: date | None, valid_to: date | None, act_status: str, repealed: bool, expected: str
) -> None:
    p = Provision(ACT, "art_60__para_1", "part", text="…", valid_from=valid_from, valid_to=valid_to, repealed=repealed)
    assert version_status(p, Act(id=ACT, status=act_status), today=date(2026, 1, 1)) == expected


# --- law in time: in-force dates, bounds, unknown wordings (rules 3-7, 12) ------------------------------

TEN_DAYS = EffectiveRule("publication", days=10, day_after=True,
                         text="(вводится в действие по истечении десяти календарных дней после дня его первого "
                              "официального опубликования)")
SIXTY_DAYS = replace(TEN_DAYS, days=60, text=TEN_DAYS.text.replace("десяти", "шестидесяти"))


def law(eid: str | None, adopted: date, verb: str = "amended", rule: EffectiveRule | None = TEN_DAYS,
        number: str = "82-VIII") -> Amendment:
    return Amendment(act_id=ACT, eid=eid, verb=verb, amending_act=AmendingAct(number=number, date=adopted),
                     effective_rule=rule)


def test_a_delay_after_publication_starts_after_adoption_and_says_it_is_a_bound() -> None:
    (v,) = compute_versions([Snapshot(R2025, [prov("art_48", ART_48, kind="article")])],
                            [law("art_48", date(2024, 5, 16))], ADOPTED)
    p = v.provision
    assert (p.valid_from, p.valid_from_exact) == (date(2024, 5, 27), False)
    assert "not before 27.05.2024" in (p.valid_from_rule or "") and "82-VIII" in (p.valid_from_rule or "")
    # with the publication date known to the store the date is exact
    dating = DatingContext(published={"82-VIII|2024-05-16": date(2024, 5, 18)})
    (v,) = compute_versions([Snapshot(R2025, [prov("art_48", ART_48, kind="article")])],
                            [law("art_48", date(2024, 5, 16))], ADOPTED, dating=dating)
    assert (v.provision.valid_from, v.provision.valid_from_exact) == (date(2024, 5, 29), True)


def test_a_chapter_added_brings_its_articles() -> None:
    """Chapter 11-1 "Закон дополнен главой 11-1" (82-VIII, sixty days): art. 58-2 in it starts with it, and did
    not exist before (no unknown wording); a chapter merely "с изменениями" does not date its articles."""
    chapter = Provision(ACT, "chp_11-1", "chapter", "11-1", "Трудовая иммиграция", "", position=0)
    article = Provision(ACT, "art_58-2", "article", "58-2", "Разрешение", "", parent="chp_11-1", position=1)
    part = Provision(ACT, "art_58-2__para_1", "part", "1", text="Текст.", parent="art_58-2", position=2)
    added = [law("chp_11-1", date(2024, 5, 16), verb="added", rule=SIXTY_DAYS)]
    versions = compute_versions([Snapshot(R2025, [chapter, article, part])], added, ADOPTED)
    assert [(v.provision.eid, v.provision.valid_from, v.provision.unknown_from) for v in versions] == [
        ("chp_11-1", date(2024, 7, 16), None), ("art_58-2", date(2024, 7, 16), None),
        ("art_58-2__para_1", date(2024, 7, 16), None),
    ]
    amended = [law("chp_11-1", date(2024, 5, 16), rule=SIXTY_DAYS)]
    versions = compute_versions([Snapshot(R2025, [chapter, article, part])], amended, ADOPTED)
    assert [v.provision.valid_from for v in versions][1:] == [ADOPTED, ADOPTED]


def test_a_repealed_stub_starts_at_its_own_repeal() -> None:
    stub = replace(prov("art_1__point_14", "исключен Законом РК от 24.11.2015 № 421-V (вводится …);"), repealed=True)
    amendments = [law("art_1__point_14", date(2015, 11, 24), verb="repealed", number="421-V"),
                  law("art_1", date(2025, 7, 17), number="213-VIII")]
    (v,) = compute_versions([Snapshot(R2025, [stub])], amendments, ADOPTED)
    assert (v.provision.valid_from, v.provision.unknown_from) == (date(2015, 12, 5), ADOPTED)
    # with the item's earlier wording in an older redaction: it ends at the repeal, the stub starts there
    before = prov("art_1__point_14", "оралман - этнический казах …;")
    old, new = compute_versions([Snapshot(R2019 - timedelta(days=3000), [before]), Snapshot(R2025, [stub])],
                                amendments, ADOPTED)
    assert old.provision.valid_to == new.provision.valid_from == date(2015, 12, 5) and new.provision.repealed


def test_the_act_entry_into_force_bounds_every_start() -> None:
    code = Act(id="K1400000226", adopted=date(2014, 7, 3), in_force_from=date(2015, 1, 1), in_force_exact=True,
               in_force_exceptions={"art_45": date(2017, 1, 1)})
    snap = Snapshot(date(2026, 1, 1), [
        Provision(code.id, "art_44", "article", text="…", position=0),
        Provision(code.id, "art_45__para_1", "part", text="…", parent="art_45", position=1),
        Provision(code.id, "art_46", "article", text="…", position=2),
    ])
    early = Amendment(code.id, "art_46", "amended", AmendingAct("244-V", date(2014, 11, 3)),
                      effective_date=date(2014, 11, 20))
    got = {v.provision.eid: (v.provision.valid_from, v.provision.valid_from_exact)
           for v in compute_versions([snap], [early], code.adopted, act=code)}
    assert got == {"art_44": (date(2015, 1, 1), True), "art_45__para_1": (date(2017, 1, 1), True),
                   "art_46": (date(2015, 1, 1), True)}


def test_a_change_between_redactions_leaves_the_span_of_its_amendments_unknown() -> None:
    amendments = [law("art_48", date(2013, 12, 10), number="153-V"), law("art_48", date(2017, 7, 11), number="91-VI")]
    snaps = [Snapshot(date(2012, 4, 27), [prov("art_48__point_4", "если он разжигает межнациональную вражду;")]),
             Snapshot(R2019, [prov("art_48__point_4", "если он разжигает межнациональную и иную вражду;")])]
    old, new = (v.provision for v in compute_versions(snaps, amendments, ADOPTED))
    assert old.valid_to == new.unknown_from == date(2013, 12, 21)  # 153-V: the first that may have changed it
    assert new.valid_from == date(2017, 7, 22)  # 91-VI: the last
    steps = coverage_steps([old, new])
    assert steps == [(ADOPTED, 1, 0), (date(2013, 12, 21), 0, 1), (date(2017, 7, 22), 1, 0)]


def test_a_bank_version_dated_by_its_amending_act_starts_when_that_act_did() -> None:
    """The bank dates the version of 14.07.2022 by Закон от 14.07.2022 № 141-VII (its caused_by), in force ten
    days after publication: the changed wording starts after the redaction date, not on it."""
    cb = CausedBy(number="141-VII", date=date(2022, 7, 14))
    snaps = [Snapshot(R2019, [prov("art_1__point_13", "старый")], date_source="version"),
             Snapshot(date(2022, 7, 14), [prov("art_1__point_13", "новый")], caused_by=cb, date_source="version")]
    old, new = compute_versions(snaps, [law("art_1", date(2022, 7, 14), number="141-VII")], ADOPTED)
    assert old.provision.valid_to == new.provision.valid_from == date(2022, 7, 25)
    assert redaction_members([old, new], date(2022, 7, 14)) == [new.provision]  # still its redaction's member
    # a bank version date that is not the adoption date is the in-force date (exact)
    dating = DatingContext(bank_versions={(ACT, "203-VI|2018-12-26"): R2019})
    snaps = [Snapshot(R2019, [prov("art_1__point_13", "новый")], caused_by=CausedBy("203-VI", date(2018, 12, 26)),
                      date_source="version")]
    (v,) = compute_versions(snaps, [law("art_1", date(2018, 12, 26), number="203-VI")], ADOPTED, dating=dating)
    assert (v.provision.valid_from, v.provision.valid_from_exact) == (R2019, True)


def test_other_languages_take_the_dates_of_their_russian_pair() -> None:
    rus = compute_versions([Snapshot(R2019, [prov("art_48", "старый")]), Snapshot(R2025, [prov("art_48", "новый")])],
                           [law("art_48", date(2024, 5, 16))], ADOPTED)
    kaz_alone = compute_versions([Snapshot(R2019, [replace(prov("art_48", "ескі"), lang="kaz")])], [], ADOPTED)
    (kaz,) = align_versions(rus, kaz_alone, [R2019])
    assert (kaz.provision.valid_from, kaz.provision.valid_to) == (rus[0].provision.valid_from, date(2024, 5, 27))
    assert kaz.provision.lang == "kaz" and kaz_alone[0].provision.valid_to is None  # inputs untouched


def test_history_says_which_date_each_event_is() -> None:
    exact = Amendment(ACT, "art_48", "amended", AmendingAct("244-V", date(2014, 11, 3)),
                      effective_date=date(2015, 1, 2))
    bounded = law("art_48", date(2024, 5, 16))
    bare = law("art_48", date(2013, 12, 10), rule=None, number="153-V")
    h = build_history(ACT, "art_48", [], [exact, bounded, bare])
    got = [(e.on, e.date_is, e.adopted, e.in_force, e.in_force_exact) for e in h.events]
    assert got == [
        (date(2013, 12, 10), "adopted", date(2013, 12, 10), date(2013, 12, 10), False),
        (date(2015, 1, 2), "in_force", date(2014, 11, 3), date(2015, 1, 2), True),
        (date(2024, 5, 27), "in_force_not_before", date(2024, 5, 16), date(2024, 5, 27), False),
    ]


def test_a_stub_worded_otherwise_by_another_source_is_the_same_repeal() -> None:
    """Art. 9 item 2-1 of the migration law: the bank (2022) and adilet (2025) word the stub's bracket
    differently; it stays one repealed version from the repeal on."""
    bank = replace(prov("art_9__point_2-1", "исключен Законом РК от 27.12.2019 № 292-VІ (вводится в действие по "
                        "истечении десяти календарных дней после дня его первого официального опубликования);"),
                   repealed=True)
    adilet = replace(bank, text="исключен Законом РК от 27.12.2019 № 292-VІ (порядок введения в действие см. ст.2);")
    repeal = law("art_9__point_2-1", date(2019, 12, 27), verb="repealed", number="292-VI")
    (v,) = compute_versions([Snapshot(date(2022, 7, 14), [bank]), Snapshot(R2025, [adilet])], [repeal], ADOPTED)
    assert (v.provision.valid_from, v.provision.valid_to, v.provision.text) == (date(2020, 1, 7), None, adilet.text)
    assert [p.text for p in redaction_members([v], date(2022, 7, 14))] == [adilet.text]
