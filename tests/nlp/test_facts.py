"""Structured facts: sanctions, time limits, subjects and word numerals, on real provisions."""

from __future__ import annotations

import pytest

from nlp.facts import extract_facts, parse_number


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("пятидесяти", 50),
        ("ста пятидесяти", 150),
        ("двадцати пяти", 25),
        ("семидесяти пяти", 75),
        ("одной тысячи", 1000),
        ("двух тысяч", 2000),
        ("семи тысяч", 7000),
        ("двух тысяч пятисот", 2500),
        ("восьмисот", 800),
        ("сорока", 40),
        ("девяноста", 90),
        ("тридцать", 30),
        ("сто восемьдесят", 180),
        ("тридцатого", 30),
        ("90", 90),
        ("1 000", 1000),
    ],
)
def test_parse_number(words: str, value: int) -> None:
    assert parse_number(words) == value


def test_parse_number_rejects_non_numbers() -> None:
    with pytest.raises(ValueError, match="not a number word: 'суток'"):
        parse_number("пяти суток")
    with pytest.raises(ValueError, match="empty"):
        parse_number(" ")


def _kinds(facts: dict) -> list[str]:
    return [s["kind"] for s in facts["sanctions"]]


def test_fine_per_subject_koap_519() -> None:
    text = (  # КоАП ст. 519 ч. 2 (sanction)
        "влечет штраф на физических лиц в размере тридцати, на должностных лиц – в размере пятидесяти, на "
        "субъектов малого предпринимательства или некоммерческие организации – в размере ста, на субъектов "
        "среднего предпринимательства – в размере двухсот, на субъектов крупного предпринимательства – в размере "
        "семисот месячных расчетных показателей."
    )
    (fine,) = extract_facts(text)["sanctions"]
    assert fine["kind"] == "fine" and fine["unit"] == "mrp"
    assert [(a["subjects"], a["amount"]) for a in fine["amounts"]] == [
        (["individuals"], 30),
        (["officials"], 50),
        (["small_business", "non_profit"], 100),
        (["medium_business"], 200),
        (["large_business"], 700),
    ]
    assert text[fine["start"] : fine["end"]] == fine["text"]


def test_warning_then_fine_with_a_list_of_subjects_koap_518() -> None:
    text = (  # КоАП ст. 518 ч. 1 (sanction)
        "влечет предупреждение на физических лиц, штраф на должностных лиц, субъектов малого предпринимательства "
        "или некоммерческие организации в размере десяти, на субъектов среднего предпринимательства – в размере "
        "пятнадцати, на субъектов крупного предпринимательства – в размере двадцати месячных расчетных показателей."
    )
    facts = extract_facts(text)
    assert _kinds(facts) == ["warning", "fine"]
    amounts = facts["sanctions"][1]["amounts"]
    assert amounts[0] == {
        "subjects": ["officials", "small_business", "non_profit"],
        "amount": 10,
        "min": None,
        "up_to": False,
    }
    assert [a["amount"] for a in amounts] == [10, 15, 20]


def test_criminal_sanction_uk_392() -> None:
    text = (  # УК ст. 392 ч. 1 (sanction)
        "наказываются штрафом в размере до двух тысяч месячных расчетных показателей либо лишением свободы на "
        "срок до трех лет, с выдворением за пределы Республики Казахстан иностранца или лица без гражданства."
    )
    facts = extract_facts(text)
    fine, prison, expulsion = facts["sanctions"]
    assert fine["amounts"] == [{"subjects": [], "amount": 2000, "min": None, "up_to": True}]
    assert (prison["kind"], prison["min"], prison["max"], prison["unit"]) == ("imprisonment", None, 3, "years")
    assert (expulsion["kind"], expulsion["role"]) == ("expulsion", "additional")
    assert facts["subjects"] == ["foreigners", "stateless_persons"]


def test_term_range_and_same_term_uk_394() -> None:
    text = (  # УК ст. 394 ч. 2 and 3 (sanctions)
        "наказывается … ограничением свободы на срок от трех до семи лет, либо лишением свободы на тот же срок, "
        "с лишением права занимать определенные должности. 3. … наказывается лишением свободы на срок от пяти "
        "до десяти лет с выдворением за пределы Республики Казахстан иностранца или лица без гражданства."
    )
    s = extract_facts(text)["sanctions"]
    assert [(f["kind"], f["min"], f["max"]) for f in s if f["kind"] != "expulsion"] == [
        ("restriction_of_liberty", 3, 7),
        ("imprisonment", 3, 7),
        ("imprisonment", 5, 10),
    ]
    assert s[1]["same_as_previous"] is True


def test_arrest_and_main_expulsion_koap_517() -> None:
    text = (  # КоАП ст. 517 ч. 5 and ч. 7 (sanctions)
        "влечет штраф в размере двадцати пяти месячных расчетных показателей либо административный арест на срок "
        "до десяти суток либо административное выдворение за пределы Республики Казахстан. 7. … – влекут "
        "административный арест до пятнадцати суток с административным выдворением за пределы Республики Казахстан."
    )
    s = extract_facts(text)["sanctions"]
    assert _kinds({"sanctions": s}) == ["fine", "arrest", "expulsion", "arrest", "expulsion"]
    assert s[0]["amounts"][0]["amount"] == 25
    assert (s[1]["days"], s[1]["up_to"], s[1]["administrative"]) == (10, True, True)
    assert (s[2]["role"], s[4]["role"]) == ("main", "additional")
    assert s[3]["days"] == 15


def test_ranges_and_disqualification_uk_174_and_394() -> None:
    text = (  # УК ст. 174 ч. 1 and ст. 394 ч. 2 (sanctions)
        "наказывается штрафом в размере от двух тысяч до семи тысяч месячных расчетных показателей либо "
        "ограничением свободы на срок от двух до семи лет, либо лишением свободы на тот же срок, с лишением права "
        "занимать определенные должности или заниматься определенной деятельностью на срок до семи лет"
    )
    facts = extract_facts(text)
    fine, restriction, prison, disq = facts["sanctions"]
    assert (fine["amounts"][0]["min"], fine["amounts"][0]["amount"]) == (2000, 7000)
    assert (restriction["min"], restriction["max"], prison["max"]) == (2, 7, 7)
    assert (disq["kind"], disq["max"], disq["unit"], disq["up_to"]) == ("disqualification", 7, "years", True)
    assert disq["right"].startswith("занимать определенные должности")
    assert facts["time_limits"] == []


def test_arrest_range_koap_147_1() -> None:
    text = (  # КоАП ст. 147-1 ч. 1 (sanction)
        "влечет штраф в размере пятидесяти месячных расчетных показателей либо административный арест на срок "
        "от пяти до двадцати суток."
    )
    arrest = extract_facts(text)["sanctions"][1]
    assert (arrest["min_days"], arrest["days"]) == (5, 20)


def test_public_works_is_a_sanction_not_a_time_limit() -> None:
    text = "либо привлечением к общественным работам на срок до восьмисот часов"  # УК ст. 394 ч. 1
    facts = extract_facts(text)
    assert (facts["sanctions"][0]["kind"], facts["sanctions"][0]["hours"]) == ("public_works", 800)
    assert facts["time_limits"] == []


def test_fine_in_percent_koap_251() -> None:
    text = "влечет штраф в размере двадцати процентов от суммы незачисленной национальной и (или) иностранной валюты."
    (fine,) = extract_facts(text)["sanctions"]
    assert fine["unit"] == "percent" and fine["amounts"][0]["amount"] == 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Закон о миграции ст. 6 п. 4
        (
            "Принимающие лица обязаны проинформировать органы внутренних дел о пребывающих у них иммигрантах в "
            "течение трех рабочих дней со дня их прибытия.",
            [(3, "days", "working", "within")],
        ),
        # Закон о миграции ст. 6 п. 4
        (
            "не может превышать тридцать календарных дней со дня пересечения Государственной границы",
            [(30, "days", "calendar", "max")],
        ),
        # Закон о миграции ст. 6 п. 5
        (
            "обязаны произвести регистрацию в органах внутренних дел Республики Казахстан не позднее тридцатого "
            "календарного дня после пересечения Государственной границы Республики Казахстан",
            [(30, "days", "calendar", "not_later")],
        ),
        # Закон о миграции ст. 60 п. 1
        (
            "в порядке, установленном законом Республики Казахстан, но не более чем на тридцать суток.",
            [(30, "days", None, "max")],
        ),
        # УК ст. 51 ч. 1
        (
            "с установлением запрета на въезд этого лица на территорию Республики Казахстан сроком на пять лет.",
            [(5, "years", None, "term")],
        ),
        # КоАП ст. 517 ч. 6: the recidivism window
        (
            "совершенные повторно в течение года после наложения административного взыскания",
            [(1, "years", None, "within")],
        ),
        # КоАП ст. 517 ч. 3
        ("1) в течение трех суток, – влечет предупреждение;", [(3, "days", None, "within")]),
        # Synthetic: digits
        ("сроком до 90 суток", [(90, "days", None, "up_to")]),
    ],
)
def test_time_limits(text: str, expected: list[tuple]) -> None:
    got = [(t["value"], t["unit"], t["day_kind"], t["relation"]) for t in extract_facts(text)["time_limits"]]
    assert got == expected


def test_arrest_term_is_not_a_time_limit() -> None:
    facts = extract_facts("влечет административный арест на срок до десяти суток")
    assert facts["time_limits"] == [] and facts["sanctions"][0]["days"] == 10


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        (  # КоАП ст. 519 ч. 1
            "Привлечение работодателем иностранной рабочей силы без разрешения местного исполнительного органа или "
            "использование труда иностранцев и (или) лиц без гражданства",
            ["employers", "labour_migrants", "foreigners", "stateless_persons"],
        ),
        ("Кандасы и члены их семей имеют право на:", ["kandases"]),  # Закон о миграции ст. 26 п. 1
        ("лиц, ищущих убежище, … статуса беженца", ["refugees"]),  # Закон о миграции ст. 47 п. 1
        ("совершены в отношении заведомо несовершеннолетнего", ["minors"]),  # УК ст. 125 ч. 3
        ("Непринятие принимающим лицом мер по оформлению документов", ["host_persons"]),  # КоАП ст. 518 ч. 1
        ("Торговля вне мест, установленных местным исполнительным органом", []),  # КоАП ст. 204
        ("требования репатриации национальной и (или) иностранной валюты", []),  # КоАП ст. 251: no foreigners
    ],
)
def test_subjects(text: str, subjects: list[str]) -> None:
    assert extract_facts(text)["subjects"] == subjects


def test_no_facts_and_bad_input() -> None:
    assert extract_facts("Настоящий Закон вводится в действие") == {"sanctions": [], "time_limits": [], "subjects": []}
    with pytest.raises(TypeError, match="text must be a str"):
        extract_facts(b"bytes")  # type: ignore[arg-type]
