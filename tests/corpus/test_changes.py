"""corpus.changes: typed changes between two wordings, on real texts.

Texts: УК art. 394 part 1 as of 01.01.2023 (reference bank excerpt) and as now (adilet text copy), art. 1
item 2 of the migration law before and after Закон от 13.05.2020 № 327-VІ replaced "оралман" with "кандас"
(the older form made by undoing the replacement, as tests/corpus/test_timeline.py does), and items of
art. 48 of the migration law in its 2012 and current wordings (reference bank, adilet page).
"""

from __future__ import annotations

from datetime import date

import pytest

from corpus.changes import Change, diff, subtree_diff, text_changes
from corpus.models import Provision
from corpus.timeline import content_hash
from tests.corpus.test_timeline import ART_1_2, ART_1_2_BEFORE_2020

UK_394_1_2023 = (
    "Организация незаконной миграции путем создания условий для незаконного въезда в Республику Казахстан, "
    "пребывания в Республике Казахстан или транзитного проезда через территорию Республики Казахстан "
    "иностранцев или лиц без гражданства, а равно их незаконного вывоза из Республики Казахстан, – "
    "наказывается штрафом в размере до двух тысяч месячных расчетных показателей либо исправительными "
    "работами в том же размере, либо привлечением к общественным работам на срок до шестисот часов, либо "
    "ограничением свободы на срок до двух лет, либо лишением свободы на тот же срок, с конфискацией имущества."
)
UK_394_1_NOW = (
    "Организация незаконной миграции путем создания условий для незаконного въезда в Республику Казахстан, "
    "пребывания в Республике Казахстан или транзитного проезда через территорию Республики Казахстан "
    "иностранцев или лиц без гражданства, а равно их незаконного вывоза из Республики Казахстан, – "
    "наказывается штрафом в размере до трех тысяч месячных расчетных показателей либо исправительными "
    "работами в том же размере, либо привлечением к общественным работам на срок до восьмисот часов, либо "
    "ограничением свободы на срок до трех лет, либо лишением свободы на тот же срок, с выдворением за пределы "
    "Республики Казахстан иностранца."
)
POINT_7_2012 = ("если при обращении с ходатайством о въезде он сообщил о себе ложные сведения или не представил "
                "необходимые документы в срок, установленный законодательством Республики Казахстан;")
POINT_8_2012 = "при наличии у него заболеваний, являющихся противопоказанием для въезда в Республику Казахстан."
POINT_7_NOW = ("если им не исполнено административное взыскание за совершение административного правонарушения, "
               "наложенное на него в период предыдущего пребывания в Республике Казахстан;")
POINT_4_2012 = "если он разжигает межнациональную и религиозную вражду;"
POINT_4_NOW = "если он разжигает межнациональную, межконфессиональную и религиозную вражду;"
POINT_14 = "если он совершил преступление против половой неприкосновенности несовершеннолетнего."
STUB = "исключен Законом РК от 24.11.2015 № 421-V (вводится в действие по истечении десяти календарных дней …);"


def test_numbers_in_words_with_their_units() -> None:
    got = [(c.type, c.before, c.after, c.before_value, c.after_value, c.unit)
           for c in text_changes("art_394__para_1", UK_394_1_2023, UK_394_1_NOW) if c.type == "number_changed"]
    assert got == [
        ("number_changed", "двух тысяч", "трех тысяч", 2000, 3000, "МРП"),
        ("number_changed", "шестисот", "восьмисот", 600, 800, "часов"),
        ("number_changed", "двух", "трех", 2, 3, "лет"),
    ]


def test_the_other_rewordings_are_kept_with_both_sides() -> None:
    rest = [(c.type, c.before, c.after) for c in text_changes("art_394__para_1", UK_394_1_2023, UK_394_1_NOW)
            if c.type != "number_changed"]
    assert ("text_changed", "конфискацией имущества", "выдворением за пределы Республики Казахстан иностранца") in rest


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (ART_1_2_BEFORE_2020, ART_1_2, [("term_replaced", "оралманам", "кандасам")]),
        ("в течение десяти суток", "в течение тридцати суток", [("number_changed", "десяти", "тридцати")]),
        ("штраф в размере 15 МРП", "штраф в размере 25 МРП", [("number_changed", "15", "25")]),
        (POINT_4_2012, POINT_4_NOW, [("text_changed", None, ", межконфессиональную")]),
        (POINT_7_2012, POINT_7_NOW, [("text_changed", POINT_7_2012, POINT_7_NOW)]),  # rewritten through
        ("одинаковый текст", "одинаковый текст", []),
    ],
    ids=["term (оралман → кандас)", "number in words", "number in digits", "words added", "rewritten", "same"],
)
def test_text_changes(old: str, new: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert [(c.type, c.before, c.after) for c in text_changes("x", old, new)] == expected


def _tree(items: dict[str, str], on: date) -> dict[str, Provision]:
    out = {}
    for i, (eid, text) in enumerate(items.items()):
        kind = "article" if "__" not in eid else "item"
        out[eid] = Provision("Z1100000477", eid, kind, number=eid.rsplit("_", 1)[-1], text=text, position=i,
                             valid_from=on, repealed=text.startswith("исключен"))
    return out


def test_items_added_removed_renumbered_and_repealed() -> None:
    """Art. 48 from 2012 to now: old item 7 is now item 10 and old item 8 item 11 (with ";" for "."); item 7
    now holds a new ground; item 14 is new. A synthetic item 3 stands for an item that became a stub."""
    old = _tree({
        "art_48": "Иммигранту запрещается въезд в Республику Казахстан:",
        "art_48__point_3": "если он выступает против суверенитета;",
        "art_48__point_4": POINT_4_2012,
        "art_48__point_7": POINT_7_2012,
        "art_48__point_8": POINT_8_2012,
    }, date(2012, 5, 8))
    new = _tree({
        "art_48": "Иммигранту запрещается въезд в Республику Казахстан:",
        "art_48__point_3": STUB,
        "art_48__point_4": POINT_4_NOW,
        "art_48__point_7": POINT_7_NOW,
        "art_48__point_10": POINT_7_2012,
        "art_48__point_11": POINT_8_2012.replace(".", ";"),
        "art_48__point_14": POINT_14,
    }, date(2024, 5, 27))
    order = ["art_48", "art_48__point_3", "art_48__point_4", "art_48__point_7", "art_48__point_8",
             "art_48__point_10", "art_48__point_11", "art_48__point_14"]
    changes, parts = subtree_diff(old, new, order)
    got = [(c.type, c.eid, c.from_eid) for c in changes]
    assert got == [
        ("item_removed", "art_48__point_3", None),  # repealed: its stub is the after text
        ("text_changed", "art_48__point_4", None),
        ("item_added", "art_48__point_7", None),  # what stands under 7 now is new; the old 7 moved to 10
        ("item_renumbered", "art_48__point_10", "art_48__point_7"),
        ("item_renumbered", "art_48__point_11", "art_48__point_8"),  # "." → ";": punctuation, in its word diff only
        ("item_added", "art_48__point_14", None),
    ]
    assert changes[0].after == STUB and changes[0].before == "если он выступает против суверенитета;"
    assert {p.eid: p.state for p in parts} == {
        "art_48__point_3": "changed", "art_48__point_4": "changed", "art_48__point_7": "added",
        "art_48__point_10": "renumbered", "art_48__point_11": "renumbered", "art_48__point_14": "added",
    }
    assert "art_48__point_8" not in {p.eid for p in parts}  # moved, reported under its new number


def test_the_same_replacement_twice_in_one_provision_is_counted() -> None:
    old = "адаптационные услуги, предоставляемые оралманам, и услуги по интеграции, предоставляемые оралманам"
    new = old.replace("оралманам", "кандасам")
    assert [(c.type, c.count) for c in text_changes("x", old, new)] == [("term_replaced", 1), ("term_replaced", 1)]
    changes, parts = subtree_diff(_tree({"art_1": old}, date(2019, 1, 1)), _tree({"art_1": new}, date(2020, 5, 24)),
                                  ["art_1"])
    assert changes == [Change("term_replaced", "art_1", "оралманам", "кандасам", count=2)] and len(parts) == 1


# Z1100000477 art. 56 item 5 as of 2012 (adilet-style quotes) and of 2015 (reference bank's quotes)
ART_56_5_2012 = ("проходит срочную воинскую службу – до завершения прохождения этой службы или до освобождения "
                 "от нее в соответствии с Законом Республики Казахстан «О воинской службе и статусе военнослужащих;")
ART_56_5_2015 = ART_56_5_2012.replace("«", '"')
# Z1100000477 art. 1 item 13 (its start) as of 2012 and of 2018: a hyphen against an en dash
ART_1_13_2012 = "оралман - этнический казах, постоянно проживавший на момент приобретения суверенитета"
ART_1_13_2018 = "оралман – этнический казах, постоянно проживавший на момент приобретения суверенитета"


def test_typography_alone_is_no_change() -> None:
    for old, new in ((ART_56_5_2012, ART_56_5_2015), (ART_1_13_2012, ART_1_13_2018)):
        changes, parts = subtree_diff(_tree({"art_56__point_5": old}, date(2012, 2, 26)),
                                      _tree({"art_56__point_5": new}, date(2015, 1, 1)), ["art_56__point_5"])
        assert (changes, parts) == ([], [])
        assert diff(old, new) == [("equal", new)]  # the later source's typography


def test_a_real_change_beside_a_typographic_one_is_the_only_change() -> None:
    old = ART_1_13_2012
    new = ART_1_13_2018.replace("оралман", "кандас")
    assert diff(old, new) == [("delete", "оралман"), ("insert", "кандас"), ("equal", new[len("кандас"):])]
    assert [(c.type, c.before, c.after) for c in text_changes("art_1__point_13", old, new)] == [
        ("term_replaced", "оралман", "кандас")]


def test_a_new_source_s_typography_does_not_start_a_new_version() -> None:
    a = Provision("Z1100000477", "art_1__point_13", "item", number="13", text=ART_1_13_2012)
    b = Provision("Z1100000477", "art_1__point_13", "item", number="13", text=ART_1_13_2018)
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(Provision("Z1100000477", "art_1__point_13", "item", number="13",
                                                     text=ART_1_13_2018.replace("оралман", "кандас")))
