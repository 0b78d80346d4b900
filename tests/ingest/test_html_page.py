"""ingest.html_page and ingest.parse on the two saved adilet pages (real) and synthetic broken pages."""

from __future__ import annotations

import gzip
import hashlib
import re
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from corpus.models import ParsedDocument
from ingest.errors import MaintenancePage, ParseError
from ingest.html_page import linearize, parse_document, parse_requisites, status_of
from ingest.parse import act_id_from_filename, parse_path
from ingest.structure import group_lines

FIXTURES = Path(__file__).parents[1] / "fixtures" / "adilet"
MIGRATION = FIXTURES / "Z1100000477_rus.html"
CORRUPTION = FIXTURES / "Z1500000410_rus_raw.html"
EDITORIAL = re.compile(r"Сноска|Снсоска|Примечание\s+(?:ИЗПИ|РЦПИ)|Вниманию пользователей")


@pytest.fixture(scope="module")
def migration() -> ParsedDocument:
    return parse_document(MIGRATION.read_bytes(), act_id="Z1100000477")


@pytest.fixture(scope="module")
def corruption() -> ParsedDocument:
    return parse_document(CORRUPTION.read_bytes())


def _article_numbers_in_markup(html: str) -> list[str]:
    """Article numbers counted on the raw markup, independently of the parser: the text right after
    the opening tag of an h3 or of a bold paragraph's anchor."""
    return re.findall(r"(?:<h3[^>]*>|<p><b><a[^>]*></a>)\s*[CС]татья\s+(\d+(?:-\d+)?)\.", html)


def test_migration_law_articles_match_the_markup(migration: ParsedDocument) -> None:
    expected = _article_numbers_in_markup(MIGRATION.read_text(encoding="utf-8"))
    articles = [p for p in migration.provisions if p.kind == "article"]
    assert len(expected) == 80
    assert [a.number for a in articles] == expected
    assert len({p.eid for p in migration.provisions}) == len(migration.provisions)


@pytest.mark.parametrize(
    ("eid", "heading", "parent"),
    [
        ("art_1", "Основные понятия, используемые в настоящем Законе", "chp_1"),
        ("art_6-1", "Получение разрешения на временное проживание в Республике Казахстан", "chp_1"),
        ("art_16", "Квота иммиграции оралманов", "chp_3"),
        ("art_37", "Порядок выдачи разрешений работодателям на привлечение иностранной рабочей силы, справок "
         "иностранным работникам о соответствии квалификации для самостоятельного трудоустройства и их "
         "привлечения в рамках внутрикорпоративного перевода", "chp_6"),
        ("art_48", None, "chp_8"),
        ("chp_11-1", None, None),
        # "<h3> Глава 2. … ПРОЦЕССАМИ<br/>МИГРАЦИИ …</h3>": one heading on two lines
        ("chp_2", "ГОСУДАРСТВЕННАЯ СИСТЕМА УПРАВЛЕНИЯ ПРОЦЕССАМИ МИГРАЦИИ НАСЕЛЕНИЯ В РЕСПУБЛИКЕ КАЗАХСТАН", None),
    ],
)
def test_migration_law_headings(migration: ParsedDocument, eid: str, heading: str | None, parent: str | None) -> None:
    p = {x.eid: x for x in migration.provisions}[eid]
    if heading is not None:
        assert p.heading == heading
    assert p.parent == parent


@pytest.mark.parametrize(
    ("eid", "start"),
    [
        ("preamble", "Настоящий Закон регулирует общественные отношения в области миграции населения"),
        ("art_1", "В настоящем Законе используются следующие основные понятия:"),
        ("art_1__point_1-1", "бывший соотечественник – лицо, родившееся или ранее состоявшее в гражданстве"),
        # excluded items printed in span.note, the law's number a link between two spans
        ("art_1__point_15", "исключен Законом РК от 24.11.2015 № 421-V (вводится в действие по истечении"),
        ("art_1__point_27", "исключен Законом РК от 24.11.2015 № 421-V"),
        ("art_2__para_2", "Международные договоры, ратифицированные Республикой Казахстан, имеют приоритет"),
        ("art_4__para_2__point_1", "организация рационального расселения кандасов"),
        ("art_9__point_2", "исключен Законом РК от 30.06.2025 № 203-VIII"),
        ("art_23__para_2__point_1", "бесплатными адаптационными и интеграционными услугами"),
    ],
)
def test_migration_law_texts(migration: ParsedDocument, eid: str, start: str) -> None:
    p = {x.eid: x for x in migration.provisions}[eid]
    assert p.text.startswith(start)
    assert "\xa0" not in p.text and "  " not in p.text


def test_migration_law_paragraph_after_items_stays_in_its_part(migration: ParsedDocument) -> None:
    p = {x.eid: x for x in migration.provisions}
    assert "\nПри этом для включения в региональную квоту" in p["art_21-1__para_3"].text
    assert p["art_16"].text == ""  # the article is excluded: only its note, which is not text


def test_no_note_text_leaks_into_provisions(migration: ParsedDocument, corruption: ParsedDocument) -> None:
    for doc in (migration, corruption):
        leaks = [p.eid for p in doc.provisions if EDITORIAL.search(p.text)]
        assert leaks == []
        assert not [p.eid for p in doc.provisions if p.kind == "chapter" and p.text]  # no wrapped headings


def test_signature_is_not_provision_text(migration: ParsedDocument, corruption: ParsedDocument) -> None:
    for doc in (migration, corruption):
        assert not [p.eid for p in doc.provisions if "НАЗАРБАЕВ" in p.text or p.text.endswith("Президент")]
    assert {p.eid: p for p in migration.provisions}["art_63__para_2"].text.endswith("2010 г., № 24, ст. 149).")


def test_migration_law_ancestors(migration: ParsedDocument) -> None:
    p = {x.eid: x for x in migration.provisions}["art_1__point_1"]
    assert p.ancestors == ["Глава 1. ОСНОВНЫЕ ПОЛОЖЕНИЯ", "Статья 1. Основные понятия, используемые в настоящем Законе"]


def test_migration_law_act_and_redaction(migration: ParsedDocument) -> None:
    act, red = migration.act, migration.redaction
    assert (act.id, act.kind, act.title, act.number, act.adopted, act.status) == (
        "Z1100000477", "закон", "О миграции населения", "477-IV", date(2011, 7, 22), "in_force"
    )
    assert red.content_hash == hashlib.sha256(MIGRATION.read_bytes()).hexdigest()
    # newest footnote: 27.09.2025 № 220-VIII; "Дата обновления: 30.06.2026"; ИЗПИ notes are prospective
    assert red.valid_from is not None and date(2025, 9, 27) <= red.valid_from <= date(2026, 6, 30)
    assert act.source_url == "https://adilet.zan.kz/rus/docs/Z1100000477"


def test_migration_law_amendments_reach_their_provisions(migration: ParsedDocument) -> None:
    by_eid = {(a.eid, a.verb, a.amending_act.number) for a in migration.amendments}
    assert ("art_16", "repealed", "153-V") in by_eid  # "Сноска. Cтатья 16 исключена …" (Latin C)
    assert ("art_1__point_15", "repealed", "421-V") in by_eid  # excluded item, number from the link
    assert any(a.eid == "art_1" and a.amending_act.number == "15-V" for a in migration.amendments)
    assert any(a.source_kind == "izpi_note" for a in migration.amendments)
    assert all(a.act_id == "Z1100000477" for a in migration.amendments)


@pytest.mark.parametrize(
    "markup",
    [
        '<h3 id="z3"> Статья 1. Основные понятия</h3>',
        '<p><b><a name="z1"></a>Статья 1. Основные понятия</b></p>',
        '<p><a name="z1"></a><b>Статья 1.</b> Основные понятия</p>',  # bold number only (synthetic)
    ],
)
def test_heading_markups(markup: str) -> None:
    page = f"<html><body><article>{markup}<p id='z4'>     1. Текст части.</p></article></body></html>"
    doc = parse_document(page, act_id="Z9900000001")
    assert [(p.eid, p.heading) for p in doc.provisions] == [("art_1", "Основные понятия"), ("art_1__para_1", None)]


def test_plain_paragraph_citing_an_article_is_not_a_heading() -> None:
    page = ("<html><body><article><h3>Статья 2. Сфера</h3>"
            "<p>Статья 11. Меры финансового контроля действует в редакции …</p></article></body></html>")
    doc = parse_document(page, act_id="Z9900000001")
    assert [p.eid for p in doc.provisions] == ["art_2"]


def test_archive_url_dates_the_redaction() -> None:
    url = "https://adilet.zan.kz/rus/archive/docs/Z1100000477/01.01.2020"
    doc = parse_document(MIGRATION.read_bytes(), url=url)
    assert doc.act.id == "Z1100000477"
    assert doc.redaction.valid_from == date(2020, 1, 1) and doc.redaction.url == url


def test_raw_page_bold_headings(corruption: ParsedDocument) -> None:
    expected = _article_numbers_in_markup(CORRUPTION.read_text(encoding="utf-8"))
    articles = {p.eid: p for p in corruption.provisions if p.kind == "article"}
    assert len(expected) == 33 and [a.number for a in articles.values()] == expected
    assert articles["art_1"].heading == "Разъяснение некоторых понятий, содержащихся в настоящем Законе"
    assert articles["art_24-1"].parent == "chp_3"
    assert corruption.act.id == "Z1500000410"  # from the saved-from comment
    assert (corruption.act.number, corruption.act.adopted) == ("410-V", date(2015, 11, 18))


def test_raw_page_quoted_article_does_not_split_the_part(corruption: ParsedDocument) -> None:
    p = {x.eid: x for x in corruption.provisions}
    assert '"Статья 11. Меры финансового контроля' in p["art_27__para_3"].text
    assert not [e for e in p if re.search(r"(?:para|point)_[\d-]+_\d+$", e)]


def test_raw_page_footnote_keeps_the_links_between_spans() -> None:
    root = lxml.html.document_fromstring(CORRUPTION.read_text(encoding="utf-8"))
    notes = [b.text for b in group_lines(linearize(root.xpath("//article")[0])) if b.kind == "note"]
    first = next(n for n in notes if n.startswith("Сноска. Статья 1 с изменениями"))
    assert "от 06.04.2016 № 484-V (вводится в действие по истечении десяти календарных дней" in first
    izpi = next(n for n in notes if "1-1)" in n)
    assert izpi.startswith("Примечание ИЗПИ! В подпункт 1-1) предусматривается изменение Законом РК от 19.05.2026")


@pytest.mark.parametrize(
    ("line", "kind", "adopted", "number"),
    [
        ("Закон Республики Казахстан от 22 июля 2011 года № 477-IV.", "закон", date(2011, 7, 22), "477-IV"),
        ("Закон Республики Казахстан от 18 ноября 2015 года № 410-V ЗРК.", "закон", date(2015, 11, 18), "410-V"),
        # synthetic, in adilet's wording for other kinds of acts
        ("Кодекс Республики Казахстан от 3 июля 2014 года № 226-VІ ЗРК.", "кодекс", date(2014, 7, 3), "226-VI"),
        ("Указ Президента Республики Казахстан от 22.02.2024 № 123.", "указ", date(2024, 2, 22), "123"),
        ("Конституционный закон Республики Казахстан от 25.12.2000 № 132-II", "конституционный закон",
         date(2000, 12, 25), "132-II"),
    ],
)
def test_requisites(line: str, kind: str, adopted: date, number: str) -> None:
    r = parse_requisites(line)
    assert (r.kind, r.adopted, r.number) == (kind, adopted, number)


@pytest.mark.parametrize(
    ("badge", "status"),
    [("Обновленный", "in_force"), ("Действующий", "in_force"), ("Утративший силу", "repealed"),
     ("Недействующий", "repealed"), ("Не вступил в силу", "not_in_force_yet"), (None, "unknown"), ("", "unknown")],
)
def test_status(badge: str | None, status: str) -> None:
    assert status_of(badge) == status


# --- pages that are not documents ------------------------------------------------------------------

MAINTENANCE = """<!DOCTYPE html><html><head><title>ИПС "Әділет"</title></head><body>
<h1>Уважаемые пользователи!</h1><p>На сайте ведутся технические работы. Приносим извинения.</p>
</body></html>"""  # synthetic stub page

NO_ARTICLE = """<!DOCTYPE html><html><head><title>Поиск - ИПС "Әділет"</title></head><body>
<h1>Результаты поиска</h1><p>Ничего не найдено</p></body></html>"""  # synthetic


def test_maintenance_page_raises_with_the_url() -> None:
    url = "https://adilet.zan.kz/rus/docs/Z1100000477"
    with pytest.raises(MaintenancePage, match="Z1100000477"):
        parse_document(MAINTENANCE, url=url)


def test_maintenance_notice_inside_the_article_frame_raises() -> None:
    page = NO_ARTICLE.replace("<p>Ничего не найдено</p>",
                              "<article><p>Ведутся технические работы, попробуйте позже.</p></article>")
    with pytest.raises(MaintenancePage, match="Z9900000001"):
        parse_document(page, act_id="Z9900000001")


def test_page_without_article_raises() -> None:
    with pytest.raises(ParseError, match=r"Z9900000001.*no <article>"):
        parse_document(NO_ARTICLE, act_id="Z9900000001")


def test_empty_article_raises() -> None:
    page = NO_ARTICLE.replace("<p>Ничего не найдено</p>", "<article>\n</article>")
    with pytest.raises(ParseError, match="no provisions"):
        parse_document(page, act_id="Z9900000001")


def test_page_without_any_act_id_raises() -> None:
    page = MIGRATION.read_text(encoding="utf-8")
    page = re.sub(r"/(?:rus|kaz|eng)/docs/Z1100000477", "/rus/docs/", page)
    with pytest.raises(ParseError, match="no act id"):
        parse_document(page)


# --- parse_path ------------------------------------------------------------------------------------


def test_parse_path_html_and_gzip(tmp_path: Path) -> None:
    plain = parse_path(MIGRATION)
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(MIGRATION.read_bytes()))
    zipped = parse_path(packed)
    assert plain.act.id == zipped.act.id == "Z1100000477"
    assert [p.eid for p in plain.provisions] == [p.eid for p in zipped.provisions]


def test_parse_path_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.html"
    with pytest.raises(ParseError, match=r"nope\.html"):
        parse_path(missing)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with pytest.raises(ParseError, match=r"empty\.html: empty file"):
        parse_path(empty)
    stub = tmp_path / "stub.html"
    stub.write_text(MAINTENANCE, encoding="utf-8")
    with pytest.raises(MaintenancePage, match=r"stub\.html"):
        parse_path(stub)


@pytest.mark.parametrize(
    ("name", "act_id"),
    [("K1400000226_criminal_code_rus.txt.gz", "K1400000226"), ("Z090000216__rus.html", "Z090000216_"),
     ("Z1100000477_rus.html", "Z1100000477"), ("criminal_code.txt", None)],
)
def test_act_id_from_filename(name: str, act_id: str | None) -> None:
    assert act_id_from_filename(name) == act_id


# --- the re-serialised page of the refugees law (ingest/bundled/Z090000216_rus.html.gz) ------------------

REFUGEES = Path(__file__).parents[2] / "ingest" / "bundled" / "Z090000216_rus.html.gz"


@pytest.fixture(scope="module")
def refugees() -> ParsedDocument:
    return parse_path(REFUGEES)


def test_reserialised_page_articles_match_its_markup(refugees: ParsedDocument) -> None:
    html = gzip.decompress(REFUGEES.read_bytes()).decode("utf-8")
    # the pipeline wrapped every article in div.article[data-number]: an independent count
    marked = re.findall(r'<div class="article" data-number="([^"]+)" data-type="статья"', html)
    assert len(marked) == 22
    assert [p.number for p in refugees.provisions if p.kind == "article"] == marked
    act = refugees.act
    assert (act.id, act.title, act.kind, act.number, act.adopted) == (
        "Z090000216_", "О беженцах", "закон", "216-IV", date(2009, 12, 4)
    )


def test_reserialised_page_keeps_chrome_notes_and_signature_out(refugees: ParsedDocument) -> None:
    by = {p.eid: p for p in refugees.provisions}
    # "Оглавление" (the page's table-of-contents link) is no preamble text
    assert by["preamble"].text == (
        "Настоящий Закон определяет правовое положение лиц, ищущих убежище, и беженцев на территории "
        "Республики Казахстан."
    )
    # the signature table ends the page: "Президент / Республики Казахстан / Н. Назарбаев"
    assert by["art_21__point_4"].text == "подпункта 10) статьи 12 настоящего Закона."
    for p in refugees.provisions:
        assert not EDITORIAL.search(p.text) and "Назарбаев" not in p.text and "Оглавление" not in p.text
    footnotes = [a for a in refugees.amendments if a.source_kind == "footnote"]
    assert {a.eid for a in footnotes} >= {"art_1", "art_6-1", "art_15", "art_21"}
    assert ("art_6-1", "added", "95-VII") in {(a.eid, a.verb, a.amending_act.number) for a in footnotes}


def test_quoted_wording_after_an_item_stays_with_it(refugees: ParsedDocument) -> None:
    by = {p.eid: p for p in refugees.provisions}
    # "2) пункта 6 статьи 10 …, установив, что … действует в следующей редакции:" + "\"6. В день …\";"
    assert by["art_21__point_2"].text.endswith(
        "на срок до принятия решения по его ходатайству.\";"
    )
    assert by["art_21__point_2"].text.split("\n")[1].startswith('"6. В день регистрации ходатайства')
    assert by["art_21"].text == (
        "Настоящий Закон вводится в действие с 1 января 2010 года.\nПриостановить до 1 января 2024 года действие:"
    )


# --- adilet's anchors of headings (Provision.anchor) ---------------------------------------------------


@pytest.mark.parametrize(
    ("page", "eid", "anchor"),
    [
        # real pages: <h3 id="z446"> Статья 48. …</h3> (Z1100000477_rus.html, line 3187)
        ("migration", "art_48", "z446"),
        ("migration", "chp_8", "z445"),
        ("migration", "art_1", "z3"),
        ("migration", "chp_1", "z2"),
        # <h3 id="z28"> Глава 1. …</h3><p><b><a name="z1"></a>Статья 1. … (the raw page)
        ("corruption", "chp_1", "z28"),
        ("corruption", "art_1", "z1"),
        # <div class="article" id="w_z2"><p><b><a id="z2" name="z2"></a>Статья 1. …: the wrapper is not adilet's
        ("refugees", "art_1", "z2"),
        ("refugees", "art_2", "z13"),
    ],
)
def test_heading_anchor_of_real_pages(request: pytest.FixtureRequest, page: str, eid: str, anchor: str) -> None:
    doc: ParsedDocument = request.getfixturevalue(page)
    assert {p.eid: p.anchor for p in doc.provisions}[eid] == anchor


def _heading_anchors_in_markup(html: str) -> list[str]:
    """The id of every article/chapter heading, read off the markup independently of the parser."""
    rx = r'(?:<h3 id="(z\d+)">|<a (?:id="z\d+" )?name="(z\d+)"></a>)\s*(?:[CС]татья|Глава)\s+\d'
    return [a or b for a, b in re.findall(rx, html)]


@pytest.mark.parametrize("page", ["migration", "corruption"])
def test_every_heading_keeps_its_anchor_and_nothing_else_has_one(request: pytest.FixtureRequest, page: str) -> None:
    doc: ParsedDocument = request.getfixturevalue(page)
    path = MIGRATION if page == "migration" else CORRUPTION
    expected = _heading_anchors_in_markup(path.read_text(encoding="utf-8"))
    headed = [p for p in doc.provisions if p.kind in ("chapter", "article")]
    assert len(expected) == len(headed) > 30
    assert [p.anchor for p in headed] == expected
    # parts and items have ids on the page too (<p id="z447">), but only headings are anchors here
    assert all(p.anchor is None for p in doc.provisions if p.kind not in ("chapter", "article", "section"))


def test_synthetic_heading_without_an_adilet_id_has_no_anchor() -> None:
    page = ('<html><body><article><div id="w_z9"><h3 id="toc-1"> Статья 1. Основные понятия</h3></div>'
            "<p>     1. Текст части.</p></article></body></html>")
    doc = parse_document(page, act_id="Z9900000001")
    assert [(p.eid, p.anchor) for p in doc.provisions] == [("art_1", None), ("art_1__para_1", None)]
