"""Table-driven tests of the shared legal-text rules (legal/), on real examples from adilet."""

from __future__ import annotations

from datetime import date

import pytest

from legal.act_ids import (
    bank_id,
    derive_act_id,
    find_act_id,
    is_act_id,
    is_bank_id,
    is_corpus_act_id,
    kind_by_id,
    normalize_act_number,
)
from legal.act_kinds import kind_of
from legal.dates import find_dates, format_ru, parse_date
from legal.eid import Eid, EidError, article_of, enclosing_eids
from legal.roman import is_roman, to_latin, value

DATES = [
    ("от 22.07.2011 № 477-IV", date(2011, 7, 22)),
    ("Закон Республики Казахстан от 22 июля 2011 года № 477-IV.", date(2011, 7, 22)),
    ("вступает в силу с 1 января 2020 г.", date(2020, 1, 1)),
    ("вводится в действие с 01.01.2015", date(2015, 1, 1)),
    ("ҚР 2012.04.27 № 15-V (алғашқы ресми жарияланғанынан кейін) Заңымен", date(2012, 4, 27)),
    ("Қазақстан Республикасының 2011 жылғы 22 шілдедегі № 477-IV Заңы", date(2011, 7, 22)),
    ("от 31.02.2020 и от 01.03.2020", date(2020, 3, 1)),  # the impossible date is skipped
    ("№ 1-2, ст. 5", None),
    ("версия 1.2.20201", None),
    ("Законом РК от 27.09.2025 № 220-VIII", date(2025, 9, 27)),
    ("от 3 июля 2014 г. № 226-V", date(2014, 7, 3)),
    ("по истечении десяти календарных дней", None),
    ("Закон РК от 8 апреля 2016 года № 491-V ЗРК", date(2016, 4, 8)),
    ("31.02.2020", None),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_find_dates_in_text_order() -> None:
    found = find_dates("от 24.11.2015 № 421-V; от 13 мая 2020 года № 327-VІ")
    assert [d for _, d in found] == [date(2015, 11, 24), date(2020, 5, 13)]
    assert format_ru(date(2011, 7, 2)) == "02.07.2011"


ROMANS = [
    ("IV", 4, "IV"), ("ІV", 4, "IV"), ("VІ", 6, "VI"), ("VIII", 8, "VIII"),
    ("ХІV", 14, "XIV"), ("MCMXCV", 1995, "MCMXCV"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "number", "latin"), ROMANS)
def test_roman(text: str, number: int, latin: str) -> None:
    assert is_roman(text)
    assert value(text) == number
    assert to_latin(text) == latin


@pytest.mark.parametrize("text", ["", "48", "ЗРК", "IVa"])
def test_not_roman(text: str) -> None:
    assert not is_roman(text)
    with pytest.raises(ValueError):
        value(text)


KINDS = [
    ("Законом РК", "закон"),
    ("законами Республики Казахстан", "закон"),
    ("аконами РК", "закон"),  # a typo of the original, "Снсоска"-style
    ("Конституционным законом РК", "конституционный закон"),
    ("Указом Президента РК", "указ"),
    ("Кодексом РК", "кодекс"),
    ("постановлением Правительства РК", "постановление"),
    ("Нормативным постановлением Конституционного Суда", "нормативное постановление"),
    ("Конституции Республики Казахстан", "конституция"),
    ("законодательством", None),
    ("указанного Закона", None),
]


@pytest.mark.parametrize(("text", "kind"), KINDS)
def test_kind_of(text: str, kind: str | None) -> None:
    assert kind_of(text) == kind


NUMBERS = [
    ("№ 292-VІ", "292-VI"), ("15-V", "15-V"), ("№ 410-V ЗРК", "410-V"), ("220-VIII", "220-VIII"), ("2337", "2337"),
    ("№ 147-VІ", "147-VI"), (" 220 - VIII ", "220-VIII"), ("№\xa0306-VIII", "306-VIII"), ("12-ХІ", "12-XI"),
    ("15-VIII ЗРК", "15-VIII"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "number"), NUMBERS)
def test_normalize_act_number(raw: str, number: str) -> None:
    assert normalize_act_number(raw) == number


@pytest.mark.parametrize("raw", ["б/н", "", "№", "Закон"])
def test_normalize_act_number_refuses_words(raw: str) -> None:
    with pytest.raises(ValueError, match="not an act number"):
        normalize_act_number(raw)


DERIVED = [
    ("закон", date(2025, 9, 27), "220-VIII", "Z2500000220"),
    ("конституционный закон", date(2017, 3, 10), "51-VI", "Z1700000051"),
    ("кодекс", 2014, 226, "K1400000226"),
    ("кодекс", date(2020, 6, 29), "350-VI", "K2000000350"),
    ("закон", date(2011, 1, 6), "380-IV", "Z1100000380"),
    ("закон", date(2020, 5, 13), "327-VI", "Z2000000327"),
    ("Закон РК", date(2011, 7, 22), "477-IV", "Z1100000477"),  # the kind as a note writes it
    ("кодекс", date(2014, 7, 3), "226-V", "K1400000226"),
    ("закон", None, "327-VI", None),
    ("закон", date(2020, 5, 13), None, None),
    ("закон", date(2010, 5, 4), "274-IV", None),  # 2010 laws keep the old form (Z100000274_)
    ("указ", date(2015, 1, 1), "1", None),  # decrees are never derived
    (None, date(2015, 1, 1), "1-V", None),
]


@pytest.mark.parametrize(("kind", "adopted", "number", "act_id"), DERIVED)
def test_derive_act_id(kind: str | None, adopted: date | int, number: str | int, act_id: str | None) -> None:
    assert derive_act_id(kind, adopted, number) == act_id


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Z1100000477", True), ("Z090000216_", True), ("K1400000226", True), ("V16UL003811", True),
        ("Z11000004", False), ("z1100000477", False), ("README12345", False),
    ],
)
def test_is_act_id(text: str, ok: bool) -> None:
    assert is_act_id(text) is ok


def test_find_act_id() -> None:
    assert find_act_id("K1400000226_criminal_code_rus.txt.gz") == "K1400000226"
    assert find_act_id("https://adilet.zan.kz/rus/docs/Z090000216_/info") == "Z090000216_"
    assert find_act_id("EKB104249_immigration_law_1992_rus.md") == "EKB104249"
    assert find_act_id("notes.txt") is None


@pytest.mark.parametrize(
    ("text", "bank", "corpus", "adilet"),
    [
        ("EKB104249", True, True, False),  # the 1992 law "Об иммиграции": no adilet id is known
        ("EKB1", True, True, False),
        ("Z1100000477", False, True, True),
        ("EKB", False, False, False),
        ("EKB0104249", False, False, False),  # the bank's codes have no leading zero
        ("ekb104249", False, False, False),
        ("EKB104249_", False, False, False),
        ("EKB12345678901", False, False, False),
    ],
)
def test_reference_bank_ids(text: str, bank: bool, corpus: bool, adilet: bool) -> None:
    assert is_bank_id(text) is bank
    assert is_corpus_act_id(text) is corpus
    assert is_act_id(text) is adilet  # a bank id is never sent to adilet


def test_bank_id_of_a_code() -> None:
    assert bank_id("104249") == "EKB104249"
    assert bank_id(59947) == "EKB59947"
    for bad in ("", "0123", "12a", "-5"):
        with pytest.raises(ValueError, match="reference-bank document code"):
            bank_id(bad)


EIDS = [
    ("art_48", "article", "48", None, "art_48"),
    ("art_48__para_2", "part", "2", "art_48", "art_48"),
    ("art_48__para_2__point_3", "item", "3", "art_48__para_2", "art_48"),
    ("art_1__point_1-1", "item", "1-1", "art_1", "art_1"),
    ("art_3__point_1__point_а", "item", "а", "art_3__point_1", "art_3"),
    ("chp_5__prgf_1", "paragraph", "1", "chp_5", None),
    ("sec_IV", "section", "IV", None, None),
    ("part_general", "section", "general", None, None),
    ("preamble", "preamble", None, None, None),
    ("art_12__point_1_2", "item", "1", "art_12", "art_12"),
]


@pytest.mark.parametrize(("text", "kind", "number", "parent", "article"), EIDS)
def test_eid_parse(text: str, kind: str, number: str | None, parent: str | None, article: str | None) -> None:
    eid = Eid.parse(text)
    assert str(eid) == text
    assert eid.kind == kind
    assert eid.number == number
    assert (str(eid.parent) if eid.parent else None) == parent
    assert article_of(text) == article


@pytest.mark.parametrize("text", ["", "art48", "art_", "foo_1", "art_1___para_2", "ст_5", "art_1__"])
def test_eid_rejects(text: str) -> None:
    assert not Eid.is_valid(text)
    with pytest.raises(EidError, match="not an eid"):
        Eid.parse(text)


def test_eid_build_and_walk() -> None:
    eid = Eid.of(("art", "5")).child("para", "2").child("point", "1")
    assert str(eid) == "art_5__para_2__point_1"
    assert enclosing_eids(str(eid)) == ["art_5", "art_5__para_2", "art_5__para_2__point_1"]
    assert eid.descendant_prefix == "art_5__para_2__point_1__"
    assert Eid.parse("art_5").contains(eid) and not eid.contains(Eid.parse("art_5"))
    assert str(Eid.parse("art_12__point_1").with_dup(2)) == "art_12__point_1_2"


def test_eid_legal_order() -> None:
    raw = ["art_10", "art_5-1", "art_5", "art_6", "art_5-2", "art_5__para_2", "art_5__para_10", "art_5__para_1-1"]
    assert [str(e) for e in sorted(Eid.parse(x) for x in raw)] == [
        "art_5", "art_5__para_1-1", "art_5__para_2", "art_5__para_10", "art_5-1", "art_5-2", "art_6", "art_10",
    ]  # fmt: skip
    assert sorted(Eid.parse(x) for x in ["point_б", "point_а"])[0] == Eid.parse("point_а")


@pytest.mark.parametrize(
    ("act_id", "kind"),
    [("K1400000226", "кодекс"), ("Z1100000477", "закон"), ("U950002337_", "указ"), ("V16UL003811", None),
     ("EKB104249", None)],
)
def test_kind_by_id(act_id: str, kind: str | None) -> None:
    assert kind_by_id(act_id) == kind
