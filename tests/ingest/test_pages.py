"""Parsers of adilet's /info, /history and /links pages.

The fixtures are SYNTHETIC (tests/fixtures/adilet_synthetic/README.md): adilet's real page chrome
around a guessed content layout. The inline variants check that the parsers read labels and hrefs,
not positions, so another layout of the same facts parses the same.
"""

from __future__ import annotations

from datetime import date

import pytest

from corpus.models import AmendingAct
from ingest.errors import MaintenancePage, ParseError
from ingest.pages import (
    HistoryEntry,
    LinkedAct,
    info_fields,
    is_amending_link,
    parse_history,
    parse_info,
    parse_links,
    publication_date,
    status_from_text,
)
from tests.ingest.adilet_server import SYNTHETIC


def fixture(name: str) -> str:
    return (SYNTHETIC / name).read_text(encoding="utf-8")


def act_page(body: str, act_id: str = "Z1100000477") -> str:
    """A minimal adilet-like page: the act's tabs (chrome) and ``body`` as the content block."""
    return f"""<html><body>
<div id="tabs_container"><ul>
<li><a href="/rus/docs/{act_id}/info">Информация</a></li><li><a href="/rus/docs/{act_id}/history">История</a></li>
<li><a href="/rus/docs/{act_id}/links">Ссылки</a></li></ul></div>
<div class="container_gamma text"><div class="gs_12">{body}</div></div>
<div id="footer"><ul><li>Дата обновления: <span>30.06.2026</span></li>
<li><a href="/rus/docs/K1500000414">Трудовой кодекс</a></li></ul></div>
</body></html>"""


# --- /info ----------------------------------------------------------------------------------------


def test_info_table_layout() -> None:
    info = parse_info(fixture("Z1100000477_rus_info.synthetic.html"))
    assert info["Вид акта"] == "Закон"
    assert info["Номер"] == "477-IV"
    assert info["Дата принятия"] == "22.07.2011"
    assert info["Статус"] == "Действующий"
    assert info["Орган"] == "Парламент Республики Казахстан"
    assert info["Номер группы регистрации"] == "Z1100000477"
    # the footer widgets ("Дата обновления", "Всего документов") are chrome, not the act's info
    assert not {"Дата обновления", "Всего документов", "Документы по состоянию на"} & set(info)
    f = info_fields(info)
    assert (f.kind, f.number, f.adopted, f.status) == ("закон", "477-IV", date(2011, 7, 22), "in_force")
    assert f.publication is not None and f.publication.startswith("SYNTHETIC")


def test_info_definition_list_and_label_line_layout() -> None:
    info = parse_info(fixture("Z1500000410_rus_info.synthetic.html"))
    assert info["Вид документа"] == "Закон"
    assert info["Дата принятия документа"] == "18 ноября 2015 года"
    assert info["Статус документа"] == "Обновленный"
    assert info["Источник опубликования"].startswith("SYNTHETIC")  # a "Метка: значение" paragraph
    f = info_fields(info)
    assert (f.number, f.adopted, f.status) == ("410-V", date(2015, 11, 18), "in_force")


@pytest.mark.parametrize(
    "body",
    [
        # sibling blocks
        '<div class="row"><div class="label">Статус:</div><div class="value">Утративший силу</div></div>'
        '<div class="row"><div class="label">Номер:</div><div class="value">№ 292-VІ</div></div>',
        # a table with header cells as labels
        "<table><tr><th>Статус</th><td>Утративший силу</td></tr><tr><th>Номер</th><td>№ 292-VІ</td></tr></table>",
        # one line per field, NBSP after the colon
        "<ul><li>Статус:\u00a0Утративший силу</li><li>Номер:\u00a0№ 292-VІ</li></ul>",
        # bold labels inside one paragraph, values as bare text
        "<p><b>Статус:</b> Утративший силу<br/><b>Номер:</b> № 292-VІ<br/></p>",
    ],
    ids=["div-pairs", "th-td", "label-lines", "bold-labels"],
)
def test_info_layouts_give_the_same_map(body: str) -> None:
    info = parse_info(act_page(body))
    assert info["Статус"] == "Утративший силу"
    assert info["Номер"] == "№ 292-VІ"  # raw value kept
    f = info_fields(info)
    assert f.status == "repealed"
    assert f.number == "292-VI"  # Cyrillic І inside the roman numeral folded to Latin I


def test_info_in_kazakh() -> None:
    body = (
        "<table><tr><td>Мәртебесі</td><td>Күшін жойған</td></tr>"
        "<tr><td>Актіні қабылдау күні</td><td>19.07.2016</td></tr></table>"
    )
    f = info_fields(parse_info(act_page(body)))
    assert (f.status, f.adopted) == ("repealed", date(2016, 7, 19))


def test_info_bad_input_is_an_error() -> None:
    with pytest.raises(MaintenancePage):
        parse_info(fixture("maintenance.synthetic.html"))
    with pytest.raises(ParseError, match="no label/value pairs"):
        parse_info(act_page("<p>Документ не найден</p>"))
    with pytest.raises(ParseError, match="empty"):
        parse_info("  ")
    cp1251 = act_page("<table><tr><td>Статус</td><td>Действующий</td></tr></table>").encode("cp1251")
    assert parse_info(cp1251) == {"Статус": "Действующий"}  # bytes of an old cp1251 page


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Действующий", "in_force"),
        ("Обновленный", "in_force"),
        ("Новый", "in_force"),
        ("Утративший силу", "repealed"),
        ("Утратил силу", "repealed"),
        ("Недействующий", "repealed"),
        ("Не вступил в силу", "not_in_force_yet"),
        ("Күшін жойған", "repealed"),
        ("Жаңартылған", "in_force"),
        ("—", None),
    ],
)
def test_status_words(text: str, status: str | None) -> None:
    assert status_from_text(text) == status




# --- /history -------------------------------------------------------------------------------------


def test_history_table_with_an_archived_redaction() -> None:
    entries = parse_history(fixture("Z1100000477_rus_history.synthetic.html"))
    assert entries[0] == HistoryEntry(
        redaction_date=date(2016, 1, 1),
        url="/rus/archive/docs/Z1100000477/01.01.2016",
        amending_act=AmendingAct(number="421-V", date=date(2015, 11, 24), id="Z1500000421", kind="закон"),
        text="01.01.2016 Закон Республики Казахстан от 24 ноября 2015 года № 421-V",
    )
    # the current redaction: an amending act named without a link and no archived copy
    current = entries[1]
    assert current.url is None and current.redaction_date is None
    assert current.amending_act == AmendingAct(number="220-VIII", date=date(2025, 9, 27), id=None, kind="закон")
    assert len(entries) == 2


def test_history_list_of_amending_acts_without_archive_links() -> None:
    entries = parse_history(fixture("Z1500000410_rus_history.synthetic.html"))
    assert [(e.redaction_date, e.amending_act.id if e.amending_act else None, e.url) for e in entries] == [
        (date(2016, 4, 6), "Z1600000484", None),
        (date(2023, 1, 3), "Z2300000188", None),
    ]  # the "Действующая редакция" row links the act itself: not an amending act


def test_history_reads_hrefs_in_any_layout_and_language() -> None:
    body = """<p><a href="/kaz/archive/docs/Z1100000477/23.12.2020">23.12.2020</a> —
    ҚР 2020 жылғы 7 желтоқсандағы <a href="https://adilet.zan.kz/kaz/docs/Z2000000384#z2">№ 384-VІ</a> Заңы</p>
    <p><a href="/kaz/archive/docs/Z9999999999/01.01.2020">другого акта</a></p>"""
    (entry,) = parse_history(act_page(body))
    assert entry.redaction_date == date(2020, 12, 23)
    assert entry.url == "/kaz/archive/docs/Z1100000477/23.12.2020"
    assert entry.amending_act is not None
    assert (entry.amending_act.id, entry.amending_act.number) == ("Z2000000384", "384-VI")


def test_archive_hrefs_in_both_date_spellings_and_impossible_dates() -> None:
    body = """<ul><li><a href="/rus/archive/docs/Z1100000477/20231201">01.12.2023</a></li>
    <li><a href="/rus/archive/docs/Z1100000477/31.02.2020">31.02.2020</a></li></ul>"""
    (entry,) = parse_history(act_page(body))  # 31.02.2020 is no date: not an archived redaction
    assert (entry.redaction_date, entry.url) == (date(2023, 12, 1), "/rus/archive/docs/Z1100000477/20231201")


def test_history_of_a_never_amended_act_is_empty_but_a_foreign_page_is_an_error() -> None:
    assert parse_history(act_page("<p>Изменений нет</p>")) == []
    with pytest.raises(ParseError, match="/history"):
        parse_history("<html><body><p>Страница не найдена</p></body></html>")
    with pytest.raises(MaintenancePage):
        parse_history(fixture("maintenance.synthetic.html"))


# --- /links ---------------------------------------------------------------------------------------


def test_links_sections_from_and_to() -> None:
    links = parse_links(fixture("Z1100000477_rus_links.synthetic.html"))
    assert [(x.act_id, x.direction) for x in links] == [
        ("K1400000235", "from"),
        ("K1400000231", "from"),
        ("Z910004800_", "from"),
        ("Z1500000421", "to"),
        ("Z1500000410", "to"),
    ]
    amending = links[3]
    assert amending == LinkedAct(
        act_id="Z1500000421",
        title="Закон Республики Казахстан от 24 ноября 2015 года № 421-V",
        relation="вносит изменения и дополнения",
        url="/rus/docs/Z1500000421",
        direction="to",
    )
    assert links[0].relation == "Ссылки из документа"  # no row wording: the section heading
    # footer "Популярные документы" links and the act's own tabs are not links of the act
    assert not {"K1500000414", "K1400000226", "Z1100000477"} & {x.act_id for x in links}
    assert [x.act_id for x in links if is_amending_link(x)] == ["Z1500000421"]


def test_links_with_bold_headings_and_an_empty_section() -> None:
    links = parse_links(fixture("Z1500000410_rus_links.synthetic.html"))
    assert [(x.act_id, x.direction, x.title) for x in links] == [
        ("K1400000226", "from", "Уголовный кодекс Республики Казахстан")
    ]


def test_links_bad_input() -> None:
    assert parse_links(act_page("<p>нет ссылок</p>")) == []
    with pytest.raises(ParseError, match="/links"):
        parse_links("<html><body><p>пусто</p></body></html>")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the forms adilet's "Источник опубликования" takes (SYNTHETIC lines in its format, made-up numbers)
        ('"Казахстанская правда" от 03.08.2011 г. № 244-245 (26665-26666); Ведомости Парламента Республики '
         "Казахстан, 2011 г., № 16, ст. 128", date(2011, 8, 3)),
        ("Ведомости Парламента Республики Казахстан, 2011 г., № 16, ст. 128; \"Егемен Қазақстан\" от 02.08.2011 г.; "
         '"Казахстанская правда" от 03.08.2011 г.', date(2011, 8, 2)),  # the first publication: the earliest
        ("Эталонный контрольный банк НПА РК в электронном виде от 17 мая 2024 года", date(2024, 5, 17)),
        ("Ведомости Парламента Республики Казахстан, 2011 г., № 16, ст. 128", None),  # a year is not a date
        (None, None),
    ],
    ids=["newspaper", "earliest of several", "worded date", "year only", "none"],
)
def test_publication_date(source: str | None, expected: date | None) -> None:
    assert publication_date(source) == expected
    if source:
        assert info_fields({"Источник опубликования": source}).published == expected
