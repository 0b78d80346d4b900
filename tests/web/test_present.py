"""How the pages write provisions, headings and dates; date parameters checked, never dropped."""

from __future__ import annotations

from datetime import date

import pytest

from search_api.web.present import DateParamError, eid_label, heading_label, number_label, parse_date_param


@pytest.mark.parametrize(("eid", "kind", "ui", "within", "label"), [
    ("art_48", "закон", "ru", None, "ст. 48"),
    ("art_48__para_2__point_3", "закон", "ru", None, "подп. 3 п. 2 ст. 48"),
    ("art_48__para_2__point_3", "кодекс", "ru", None, "п. 3 ч. 2 ст. 48"),
    ("art_1__point_1-1", "закон", "ru", None, "подп. 1-1 ст. 1"),
    ("art_5__para_1__point_3__point_а", "закон", "ru", None, "подп. а) подп. 3 п. 1 ст. 5"),
    ("art_48__point_6-1", "закон", "ru", "art_48", "подп. 6-1"),
    ("art_48", "закон", "ru", "art_48", "ст. 48"),
    ("chp_8", "закон", "ru", None, "гл. 8"),
    ("part_special", "кодекс", "ru", None, "Особенная часть"),
    ("art_48__para_2__point_3", "закон", "en", None, "art. 48, para. 2, subpara. 3"),
    ("not an eid", None, "ru", None, "not an eid"),
])
def test_eid_label(eid: str, kind: str | None, ui: str, within: str | None, label: str) -> None:
    assert eid_label(eid, kind, ui, within=within) == label


def test_headings_and_numbers_as_printed() -> None:
    assert heading_label("article", "48", "Основания …") == "Статья 48. Основания …"
    assert heading_label("article", "48", "Негіздер", lang="kaz") == "48-бап. Негіздер"
    assert heading_label("chapter", "11-1", "ПОЛОЖЕНИЯ") == "Глава 11-1. ПОЛОЖЕНИЯ"
    assert heading_label("section", None, "ОСОБЕННАЯ ЧАСТЬ", eid="part_special") == "ОСОБЕННАЯ ЧАСТЬ"
    assert (number_label("part", "art_5__para_2", "2"), number_label("item", "art_5__point_3", "3")) == ("2.", "3)")


@pytest.mark.parametrize("bad", ["2020-13-01", "2020-02-30", "01.02.2020", "20200101", "2020-1-1", "вчера"])
def test_a_bad_date_is_an_error_naming_the_parameter(bad: str) -> None:
    with pytest.raises(DateParamError) as err:
        parse_date_param("at", bad)
    assert err.value.name == "at" and err.value.value == bad and str(err.value).startswith("at: ")


def test_an_empty_date_is_none_and_a_good_one_parses() -> None:
    assert parse_date_param("at", "") is None and parse_date_param("at", None) is None
    assert parse_date_param("at", " 2013-01-01 ") == date(2013, 1, 1)
