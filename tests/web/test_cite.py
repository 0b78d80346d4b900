"""'Cite as' for a provision in the wording on a date: ГОСТ Р 7.0.100-2018, a footnote, OSCOLA, BibTeX, CSL-JSON."""

from __future__ import annotations

import json
from datetime import date

from corpus.models import Act
from search_api.web.cite import CiteSubject, bibtex, csl_json, gost_footnote, gost_record, oscola, oscola_pinpoint

LAW = Act("Z1100000477", "закон", "О миграции населения", "477-IV", date(2011, 7, 22), "in_force")
CODE = Act("K1400000226", "кодекс", "Уголовный кодекс Республики Казахстан", "226-V", date(2014, 7, 3), "in_force")
URL = "https://adilet.zan.kz/rus/docs/Z1100000477"


def _art48(**kw: object) -> CiteSubject:
    args: dict = dict(act=LAW, eid="art_48", heading="Основания для отказа иммигранту во въезде в Республику Казахстан",
                      wording=date(2020, 1, 1), accessed=date(2026, 12, 1), url=URL,
                      title_en="On Migration of the Population")
    args.update(kw)
    return CiteSubject(**args)


def test_gost_record_of_a_law_names_kind_number_wording_system_url_and_access_date() -> None:
    assert gost_record(_art48()) == (
        "О миграции населения : Закон Республики Казахстан от 22.07.2011 № 477-IV (в редакции на 01.01.2020). – "
        "Текст : электронный // Әділет : информационно-правовая система нормативных правовых актов Республики "
        "Казахстан. – URL: https://adilet.zan.kz/rus/docs/Z1100000477 (дата обращения: 01.12.2026).")


def test_footnote_names_the_provision_innermost_first() -> None:
    s = _art48(eid="art_48__point_3")
    assert gost_footnote(s) == (
        "О миграции населения : Закон Республики Казахстан от 22.07.2011 № 477-IV (в редакции на 01.01.2020). "
        "Подп. 3 ст. 48. URL: https://adilet.zan.kz/rus/docs/Z1100000477 (дата обращения: 01.12.2026).")


def test_a_code_is_named_by_its_title_and_its_parts_are_parts() -> None:
    s = CiteSubject(CODE, "art_122__para_2", None, date(2026, 12, 1), date(2026, 12, 1),
                    "https://adilet.zan.kz/rus/docs/K1400000226")
    assert gost_footnote(s).startswith("Уголовный кодекс Республики Казахстан от 03.07.2014 № 226-V (в редакции на "
                                       "01.12.2026). Ч. 2 ст. 122. URL:")
    assert oscola(s).startswith("‘Уголовный кодекс Республики Казахстан’ No 226-V of 3 July 2014, art 122(2) ")


def test_oscola_with_translation_pinpoint_and_dates() -> None:
    assert oscola(_art48(eid="art_48__point_6-1")) == (
        "Law of the Republic of Kazakhstan No 477-IV of 22 July 2011 ‘О миграции населения’ "
        "[On Migration of the Population], art 48(6-1) (as in force on 1 January 2020) "
        "<https://adilet.zan.kz/rus/docs/Z1100000477> accessed 1 December 2026")
    assert oscola_pinpoint("art_15__para_1__point_6-9") == "art 15(1)(6-9)"


def test_the_reference_bank_is_named_as_the_system_when_the_wording_comes_from_it() -> None:
    s = _art48(url="https://zan.gov.kz/client/#!/doc/59947/rus/27.04.2012")
    assert "// Эталонный контрольный банк нормативных правовых актов Республики Казахстан в электронном виде. –" in (
        gost_record(s))


def test_bibtex_entry() -> None:
    assert bibtex(_art48()) == (
        "@misc{Z1100000477_art48_20200101,\n"
        "  title = {О миграции населения : Закон Республики Казахстан от 22.07.2011 № 477-IV},\n"
        "  type = {Закон Республики Казахстан},\n"
        "  number = {477-IV},\n"
        "  date = {2011-07-22},\n"
        "  year = {2011},\n"
        "  howpublished = {Әділет : информационно-правовая система нормативных правовых актов Республики Казахстан},\n"
        "  url = {https://adilet.zan.kz/rus/docs/Z1100000477},\n"
        "  urldate = {2026-12-01},\n"
        "  note = {ст. 48; в редакции на 01.01.2020},\n"
        "  langid = {russian}\n"
        "}\n")


def test_csl_json_is_legislation_with_section_and_dates() -> None:
    (item,) = json.loads(csl_json(_art48(eid="art_48__point_3")))
    assert item["type"] == "legislation" and item["title"] == "О миграции населения"
    assert item["number"] == "477-IV" and item["section"] == "подп. 3 ст. 48"
    assert item["issued"] == {"date-parts": [[2011, 7, 22]]}
    assert item["accessed"] == {"date-parts": [[2026, 12, 1]]}
    assert item["note"] == "в редакции на 01.01.2020" and item["URL"] == URL
