"""Amendment records from adilet's notes (ingest.amendments), on real notes from the samples.

The table of cases lives in tests/ingest/amendment_cases.py; the coverage test runs every "Сноска"
note of the migration law, the anti-corruption law and both codes, found by an independent method
(tags stripped line by line; paragraphs of the text copies), through parse_note.
"""

from __future__ import annotations

import gzip
import html
import re
from datetime import date
from pathlib import Path

import pytest

from corpus.models import AMENDMENT_VERBS, Amendment
from ingest.amendments import (
    is_note,
    is_repealed_stub,
    note_kind,
    parse_excluded_item,
    parse_note,
    replaced_words,
    unparsed_reason,
)
from legal.act_ids import derive_act_id, normalize_act_number
from tests.ingest.amendment_cases import EXCLUDED_CASES, NOTE_CASES, Expected

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "adilet"
BUNDLED = ROOT / "ingest" / "bundled"

_EID = re.compile(r"^(?:sec|chp|prgf|art)_\d+(?:-\d+)*(?:__(?:para|point)_\d+(?:-\d+)*)*$")


def _as_tuple(a: Amendment) -> Expected:
    act = a.amending_act
    return (
        a.eid,
        a.verb,
        act.number,
        act.date.isoformat() if act.date else None,
        act.id,
        a.effective_date.isoformat() if a.effective_date else None,
    )


# --- the table of real notes ------------------------------------------------------------------------


def test_table_is_large_and_varied() -> None:
    verbs = {e[1] for case in NOTE_CASES for e in case.expected}
    assert len(NOTE_CASES) + len(EXCLUDED_CASES) >= 40
    assert verbs >= {"amended", "supplemented", "restated", "repealed", "added", "replaced_throughout"}
    assert "prospective" in verbs


@pytest.mark.parametrize("case", NOTE_CASES, ids=lambda c: c.name)
def test_real_note(case) -> None:
    got = parse_note(case.text, act_id=case.act_id, context_eid=case.context_eid, source_kind=case.source_kind)
    assert [_as_tuple(a) for a in got] == case.expected
    for a in got:
        assert a.act_id == case.act_id
        assert a.source_kind == case.source_kind
        assert a.verb in AMENDMENT_VERBS
        # the raw note, NBSP and the line breaks of text copies folded
        assert "\xa0" not in a.source and "\n" not in a.source
        assert a.source == " ".join(case.text.split())
        if a.effective_text is not None:  # as written, less the spaces link lines left inside brackets
            assert a.effective_text.startswith("(")
            assert a.effective_text.replace(" ", "") in a.source.replace(" ", "")


@pytest.mark.parametrize("case", EXCLUDED_CASES, ids=lambda c: c.name)
def test_real_excluded_item(case) -> None:
    got = parse_excluded_item(case.text, act_id=case.act_id, eid=case.eid)
    assert [_as_tuple(a) for a in got] == case.expected
    assert all(a.source_kind == "excluded_item" and a.verb == "repealed" for a in got)


def _case(name: str):
    return next(c for c in NOTE_CASES if c.name == name)


def _parse_case(name: str) -> list[Amendment]:
    c = _case(name)
    return parse_note(c.text, act_id=c.act_id, context_eid=c.context_eid, source_kind=c.source_kind)


def test_effective_bracket_with_its_own_parentheses_is_kept_whole() -> None:
    by_number = {a.amending_act.number: a for a in _parse_case("migration_art1_eighteen_acts")}
    assert by_number["421-V"].effective_text == "(порядок введения в действие см. пп. 1) п. 1 ст. 2)"
    assert by_number["292-VI"].effective_text == "(порядок введения в действие см. ст.2)"
    assert by_number["226-VII"].effective_text == "(вводится в действие с 01.07.2023)"
    [whole] = _parse_case("migration_whole_text_replaced")
    assert whole.effective_text is not None and whole.effective_text.endswith("(Налоговый кодекс))")


def test_links_on_lines_of_their_own_are_folded() -> None:
    # "(\nвводится\n в действие …" in the text copy: the bracket reads as on the page
    last = _parse_case("koap_art1_multiline_links")[-1]
    assert last.effective_text == (
        "(вводится в действие по истечении десяти календарных дней после дня его первого официального опубликования)"
    )
    [item] = parse_excluded_item(
        next(c for c in EXCLUDED_CASES if c.name == "criminal_item_excluded_see_art2").text,
        act_id="K1400000226",
        eid="art_188__para_2__point_3",
    )
    assert item.effective_text == "(порядок введения в действие см. ст.2)"


def test_no_date_when_the_bracket_gives_none() -> None:
    [a] = _parse_case("migration_art2_single")
    assert a.effective_text is not None and "по истечении десяти календарных дней" in a.effective_text
    assert a.effective_date is None


def test_amending_act_kind_is_carried_over_later_acts() -> None:
    got = _parse_case("migration_art9_restated_then_amended")
    assert {a.amending_act.kind for a in got} == {"закон"}


# --- synthetic wording not found in the samples (SYNTHETIC: built to adilet's patterns) ------------

SYNTHETIC_NOTES: list[tuple[str, str | None, list[Expected]]] = [
    (
        "Сноска. Статья 5 с изменением, внесенным Указом Президента РК от 14.03.2022 № 830 "
        "(вводится в действие со дня его первого официального опубликования).",
        "art_5",
        [("art_5", "amended", "830", "2022-03-14", None, None)],
    ),
    (
        "Сноска. Статья 12 в редакции Конституционного закона РК от 05.11.2022 № 157-VII "
        "(вводится в действие с 01.01.2023).",
        "art_12",
        [("art_12", "restated", "157-VII", "2022-11-05", "Z2200000157", "2023-01-01")],
    ),
    (
        "Сноска. Статьи 5 и 6 исключены Законом РК от 13 мая 2020 года № 327-VІ "
        "(вводится в действие с 1 января 2021 года).",
        "art_6",
        [
            ("art_5", "repealed", "327-VI", "2020-05-13", "Z2000000327", "2021-01-01"),
            ("art_6", "repealed", "327-VI", "2020-05-13", "Z2000000327", "2021-01-01"),
        ],
    ),
    (
        "Сноска. Статья 5-1 введена Законом РК от 10.01.2025 № 155-VIII (вводится в действие с 01.03.2025).",
        None,
        [("art_5-1", "added", "155-VIII", "2025-01-10", "Z2500000155", "2025-03-01")],
    ),
    (
        "Сноска. Подпункт 3) пункта 2 статьи 5 с изменением, внесенным постановлением Правительства РК "
        "от 01.02.2021 № 40.",
        "art_5",
        [("art_5__para_2__point_3", "amended", "40", "2021-02-01", None, None)],
    ),
    (
        "Сноска. Статья 12 дополнена пунктом 3-1 в соответствии с Законом РК от 27.09.2025 № 220-VIII "
        "(вводится в действие по истечении десяти календарных дней после дня его первого официального "
        "опубликования).",
        "art_12",
        [("art_12__para_3-1", "added", "220-VIII", "2025-09-27", "Z2500000220", None)],
    ),
    (
        "Примечание ИЗПИ! В статью 7 будут внесены изменения Законом РК от 11.06.2026 № 306-VIII "
        "(вводится в действие с 01.07.2026).",
        "art_7",
        [("art_7", "prospective", "306-VIII", "2026-06-11", "Z2600000306", "2026-07-01")],
    ),
    (
        "Сноска. Преамбула с изменением, внесенным Законом РК от 16.05.2024 № 82-VIII.",
        None,
        [("preamble", "amended", "82-VIII", "2024-05-16", "Z2400000082", None)],
    ),
    (  # a приказ without articles: its пункты are numbered from the top
        "Сноска. Правила дополнены пунктом 5-1 в соответствии с приказом Министра внутренних дел РК "
        "от 01.02.2020 № 45 (вводится в действие по истечении десяти календарных дней после дня его "
        "первого официального опубликования).",
        "para_5-1",
        [("para_5-1", "added", "45", "2020-02-01", None, None)],
    ),
    (
        "Сноска. Пункт 3 в редакции постановления Правительства РК от 12.05.2015 № 345.",
        None,
        [("para_3", "restated", "345", "2015-05-12", None, None)],
    ),
    (  # " и от" instead of "; от", and "вступает в силу"
        "Сноска. Статья 5 с изменениями, внесенными законами РК от 24.11.2015 № 421-V (вводится в "
        "действие с 01.01.2016) и от 03.12.2015 № 432-V (вступает в силу с 1 января 2016 года).",
        "art_5",
        [
            ("art_5", "amended", "421-V", "2015-11-24", "Z1500000421", "2016-01-01"),
            ("art_5", "amended", "432-V", "2015-12-03", "Z1500000432", "2016-01-01"),
        ],
    ),
    (  # only the main clause of the bracket dates the act
        "Сноска. Статья 9 с изменением, внесенным Законом РК от 24.11.2015 № 421-V (вводится в действие "
        "по истечении десяти календарных дней после дня его первого официального опубликования, за "
        "исключением подпункта 2), который вводится в действие с 01.01.2017).",
        "art_9",
        [("art_9", "amended", "421-V", "2015-11-24", "Z1500000421", None)],
    ),
    (  # приказы say "утратил силу" for a repeal
        "Сноска. Пункт 5 утратил силу приказом Министра энергетики РК от 01.01.2024 № 7 (вводится в "
        "действие по истечении десяти календарных дней после дня его первого официального опубликования).",
        "para_4",
        [("para_5", "repealed", "7", "2024-01-01", None, None)],
    ),
    (  # an act cited inside the effective bracket of another is not an amending act
        "Сноска. Статья 8 с изменениями, внесенными законами РК от 24.11.2015 № 421-V (порядок введения "
        "в действие см. ст. 2 Закона РК от 24.11.2015 № 422-V); от 13.05.2020 № 327-VI.",
        "art_8",
        [
            ("art_8", "amended", "421-V", "2015-11-24", "Z1500000421", None),
            ("art_8", "amended", "327-VI", "2020-05-13", "Z2000000327", None),
        ],
    ),
    (
        "Сноска. Статья 3 с изменениями, внесенными Законом РК от 29.06.2010 № 304-IV.",
        "art_3",
        [("art_3", "amended", "304-IV", "2010-06-29", None, None)],
    ),
]


@pytest.mark.parametrize(("text", "context", "expected"), SYNTHETIC_NOTES, ids=lambda v: str(v)[:40])
def test_synthetic_wording(text: str, context: str | None, expected: list[Expected]) -> None:
    got = parse_note(text, act_id="Z1100000477", context_eid=context)
    assert [_as_tuple(a) for a in got] == expected


def test_kinds_of_amending_acts() -> None:
    kinds = [
        parse_note(t, act_id="Z1100000477", context_eid=c)[0].amending_act.kind
        for t, c, _ in SYNTHETIC_NOTES[:2] + SYNTHETIC_NOTES[4:5]
    ]
    assert kinds == ["указ", "конституционный закон", "постановление"]


# --- notes that give no record, and why -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason_has"),
    [
        (_case("criminal_contents_repealed").text, "оглавление"),
        (_case("koap_constitutional_review_not_amendment").text, "no wording of a change"),
        ("\xa0\xa0\xa0\xa0\xa0 Сноска:", "empty"),
        (  # SYNTHETIC
            "Сноска. Действие статьи 5 приостановлено до 01.01.2024 Законом РК от 01.12.2023 № 40-VIII.",
            "suspension",
        ),
        (
            "\xa0\xa0\xa0\xa0\xa0 Примечание РЦПИ!\nПорядок введения в действие настоящего Закона РК см. ст.63",
            "no amending act",
        ),
        (
            "Примечание ИЗПИ! Конституционным Судом РК начато производство по проверке "
            "конституционности части второй статьи 50.",
            "no amending act",
        ),
    ],
)
def test_unparsed_notes_say_why(text: str, reason_has: str) -> None:
    assert parse_note(text, act_id="K1400000235", context_eid=None) == []
    reason = unparsed_reason(text)
    assert reason is not None and reason_has in reason


def test_parsed_note_has_no_unparsed_reason() -> None:
    assert unparsed_reason(_case("migration_art2_single").text) is None


def test_excluded_item_in_an_order_lost_force() -> None:  # SYNTHETIC, adilet's wording for приказы
    [a] = parse_excluded_item(
        "5. Утратил силу приказом Министра внутренних дел РК от 12.03.2021 № 150.", act_id="V2100022478", eid="para_5"
    )
    assert (a.eid, a.verb, a.amending_act.kind, a.amending_act.number) == ("para_5", "repealed", "приказ", "150")


def test_excluded_item_recognises_only_repealed_items() -> None:
    text = (  # SYNTHETIC
        "1. Статья 5 исключена из перечня, если лицо исключено из реестра в соответствии с Законом РК "
        "от 01.01.2020 № 1-VI."
    )
    assert parse_excluded_item(text, act_id="Z1100000477", eid="art_1__para_1") == []
    assert parse_excluded_item("3) исключен.", act_id="Z1100000477", eid="art_1__point_3") == []


@pytest.mark.parametrize(  # SYNTHETIC wordings of adilet's shape; the eids are what ingest.structure emits
    ("text", "eid"),
    [
        ("1) исключен Законом РК от 10.01.2025 № 154-VIII.", "art_468__para_1__point_1_2"),  # a duplicate item
        ("а) исключен Законом РК от 10.01.2025 № 154-VIII.", "art_5__point_а"),  # a letter item
    ],
)
def test_excluded_item_on_deduplicated_and_letter_eids(text: str, eid: str) -> None:
    [record] = parse_excluded_item(text, act_id="K1400000235", eid=eid)
    assert (record.eid, record.verb, record.amending_act.number) == (eid, "repealed", "154-VIII")


# --- note recognition, numbers and ids ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("\xa0\xa0\xa0\xa0\xa0 Сноска. Статья 1 с изменениями", "footnote"),
        ("Снсоска. Глава 11 дополнена статьей 55-1", "footnote"),
        ("Сноска:", "footnote"),
        ("Ескерту. Статья 31 с изменением", "footnote"),
        ("\xa0\xa0\xa0\xa0\xa0 Примечание ИЗПИ!", "izpi_note"),
        ("Примечание РЦПИ!", "izpi_note"),
        ("ҚР ЗҚАИ-ның ескертпесі! 1-баптың 2-тармағы өзгертілді", "izpi_note"),  # Kazakh pages
        ("Примечание. Под сертифицированными специальными … техническими средствами", None),
        ("Статья 5. Права иностранцев", None),
        ("14) исключен Законом РК от 24.11.2015 № 421-V", None),
    ],
)
def test_note_recognition(text: str, kind: str | None) -> None:
    assert note_kind(text) == kind
    assert is_note(text) is (kind is not None)


_LINKED_ACT = re.compile(
    r"от (\d\d)\.(\d\d)\.(\d{4}) </span><a href=\"https://adilet\.zan\.kz/rus/docs/(Z\d{10})[^\"]*\">№ ([^<]+)</a>"
)


def test_derived_ids_match_adilets_own_links() -> None:
    """The raw anti-corruption page links each amending law inside its notes: derived ids agree."""
    page = (FIXTURES / "Z1500000410_rus_raw.html").read_text(encoding="utf-8")
    links = _LINKED_ACT.findall(page)
    assert len(links) > 50
    for d, m, y, linked_id, number in links:
        assert derive_act_id("закон", date(int(y), int(m), int(d)), normalize_act_number(number)) == linked_id


# --- bad arguments ------------------------------------------------------------------------------------


def test_bad_arguments_raise() -> None:
    text = _case("migration_art2_single").text
    with pytest.raises(TypeError, match="string"):
        parse_note(None, act_id="Z1100000477", context_eid=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="act_id"):
        parse_note(text, act_id="", context_eid=None)
    with pytest.raises(ValueError, match="eid"):
        parse_note(text, act_id="Z1100000477", context_eid="Статья 2")
    with pytest.raises(ValueError, match="source_kind"):
        parse_note(text, act_id="Z1100000477", context_eid=None, source_kind="sidenote")
    with pytest.raises(ValueError, match="eid"):
        parse_excluded_item("3) исключен …", act_id="Z1100000477", eid="")


# --- coverage over every footnote of the samples ---------------------------------------------------

#: Measured: 1500 of 1502 notes give a dated, numbered record (the two that do not are
#: "Сноска. Оглавление исключено …", a change of adilet's table of contents, not of a provision).
COVERAGE_FLOOR = 0.995
_NOTE_START = re.compile(r"Сн(?:о|со)ска")


def _html_notes(path: Path) -> list[str]:
    """Each note of a saved page: from "Сноска" to the end of its source line, tags dropped."""
    notes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = html.unescape(re.sub(r"<[^>]+>", "", line))
        m = _NOTE_START.search(text)
        if m:
            notes.append(text[m.start() :])
    return notes


def _txt_notes(path: Path) -> list[str]:
    """Paragraphs of a text copy that start with "Сноска"; a "Сноска:" heading takes the following
    "по всему тексту" / "слова …" paragraphs with it."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        paragraphs = re.split(r"\n[ \t\xa0]*\n", f.read())
    notes: list[str] = []
    i = 0
    while i < len(paragraphs):
        p = paragraphs[i]
        if re.match(r"\s*Сн(?:о|со)ска", p):
            while p.rstrip().endswith(":") and i + 1 < len(paragraphs):
                i += 1
                p += "\n\n" + paragraphs[i]
            while i + 1 < len(paragraphs) and re.match(r"[ \xa0]+слова ", paragraphs[i + 1]):
                i += 1
                p += "\n\n" + paragraphs[i]
            notes.append(p)
        i += 1
    return notes


SOURCES = [
    ("Z1100000477", lambda: _html_notes(FIXTURES / "Z1100000477_rus.html")),
    ("Z1500000410", lambda: _html_notes(FIXTURES / "Z1500000410_rus_raw.html")),
    ("K1400000226", lambda: _txt_notes(BUNDLED / "K1400000226_criminal_code_rus.txt.gz")),
    ("K1400000235", lambda: _txt_notes(BUNDLED / "K1400000235_koap_rus.txt.gz")),
]


def test_coverage_of_every_footnote_in_the_samples(capsys: pytest.CaptureFixture[str]) -> None:
    total = parsed = 0
    failures: list[str] = []
    named = mismatched = 0
    for act_id, load in SOURCES:
        notes = load()
        assert notes, act_id
        for note in notes:
            total += 1
            got = parse_note(note, act_id=act_id, context_eid="art_1")
            good = [a for a in got if a.amending_act.number and a.amending_act.date]
            if good:
                parsed += 1
            else:
                failures.append(f"{act_id}: {unparsed_reason(note)} | {' '.join(note.split())[:120]}")
            for a in got:
                assert a.verb in AMENDMENT_VERBS
                assert a.eid is None or _EID.match(a.eid), a.eid
            # independent check of the target: "Сноска. Статья N …" is about art_N
            m = re.match(r"\s*Сноска[.,]?\s*[СC]тать[яюи]\s+(\d+(?:-\d+)*)\s", note)
            if m and got:
                named += 1
                mismatched += got[0].eid != f"art_{m.group(1)}"
    rate = parsed / total
    with capsys.disabled():
        print(f"\namendment notes: {parsed}/{total} parsed ({rate:.2%}); unparsed:")
        for line in failures:
            print("   ", line)
    assert total > 1400
    assert rate >= COVERAGE_FLOOR
    assert named > 1000 and mismatched == 0


# --- act-wide replacements: the words they put in ------------------------------------------------

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


PHRASE_CASES = [
    (
        "one law, ten forms",
        NOTE_MIGRATION,
        "327-VI",
        (
            "кандасам",
            "кандас",
            "кандасов",
            "кандасах",
            "кандаса",
            "кандасами",
            "Кандасы",
            "кандасы",
            "Кандасам",
            "кандасом",
        ),
    ),
    (
        "first law of three, two clauses",
        NOTE_CRIMINAL_CODE,
        "419-V",
        (
            "сетей телекоммуникаций",
            "сетям телекоммуникаций",
            "сеть телекоммуникаций",
            "государственных электронных информационных ресурсов",
            "информационных систем государственных органов",
        ),
    ),
    ("middle law", NOTE_CRIMINAL_CODE, "208-VI", ("ВИЧ",)),
    ("Cyrillic І in the act number", NOTE_CRIMINAL_CODE, "208-VІ", ("ВИЧ",)),
    ("last law", NOTE_CRIMINAL_CODE, "401-VI", ("экологического ущерба",)),
    ("law not in the note", NOTE_CRIMINAL_CODE, "15-VIII", ()),
    (
        "multi-word forms",
        NOTE_KOAP,
        "137-VII",
        ("лицам с инвалидностью", "лиц с инвалидностью", "лицами с инвалидностью"),
    ),
    (
        "note naming no act: all of it",
        'По всему тексту слова "оралман" заменены словом "кандас".',
        "327-VI",
        ("кандас",),
    ),
]


@pytest.mark.parametrize(
    ("source", "number", "expected"), [c[1:] for c in PHRASE_CASES], ids=[c[0] for c in PHRASE_CASES]
)
def test_replaced_words(source: str, number: str, expected: tuple[str, ...]) -> None:
    assert replaced_words(source, number) == expected


def test_parse_note_sets_new_words_on_replacements_only() -> None:
    records = parse_note(NOTE_MIGRATION, act_id="Z1100000477", context_eid=None)
    assert {a.verb for a in records} == {"replaced_throughout"}
    assert records[0].new_words[:2] == ["кандасам", "кандас"]
    plain = parse_note("Сноска. Статья 5 с изменениями, внесенными Законом РК от 13.05.2020 № 327-VІ.",
                       act_id="Z1100000477", context_eid="art_5")
    assert plain and plain[0].new_words == []


# --- repealed stubs (real ones from the samples) ----------------------------------------------------

@pytest.mark.parametrize(
    ("text", "stub"),
    [
        ("исключен Законом РК от 24.11.2015 № 421-V (вводится в действие по истечении десяти календарных дней "
         "после дня его первого официального опубликования).", True),  # migration law art. 1 item 14
        ("Исключен Законом РК от 27.12.2019 № 292-VІ (порядок введения в действие см. ст. 2).", True),  # КоАП 517.1
        ("5. Исключена Законом РК от 06.04.2024", True),
        ("14) исключен Законом РК от 24.11.2015", True),
        ("Статья 25. Исключена Законом РК от 13.06.2013", True),
        ("утратил силу Законом РК от 16.05.2024", True),
        ("исключение из реестра осуществляется по решению уполномоченного органа", False),
        ("Незаконные иммигранты подлежат выдворению за пределы Республики Казахстан в государство их "
         "гражданской принадлежности или постоянного проживания", False),
    ],
)  # fmt: skip
def test_is_repealed_stub(text: str, stub: bool) -> None:
    assert is_repealed_stub(text) is stub
