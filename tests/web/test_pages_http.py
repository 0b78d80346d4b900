"""The pages over real HTTP without a browser: server-rendered (a link works without JavaScript), bad
input is a visible 400/404 page naming what was wrong, exports and citations download, /rights/{id} is
a page for browsers, /docs and /redoc load only vendored files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

WEB = Path(__file__).resolve().parents[2] / "search_api" / "web"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what Chromium sends


@pytest.fixture(scope="module")
def http(site: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=30, headers=HTML) as client:
        yield client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_search_is_rendered_on_the_server_with_every_filter_in_the_url(http: httpx.Client) -> None:
    r = http.get("/", params={"q": "выдворение", "tag": "expulsion", "act": "Z1100000477"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert 'value="выдворение"' in page  # the form shows the query back
    assert '/law/Z1100000477/' in page and "<mark>" in page  # hits with marked word forms
    text = _text(page)
    assert "Выдворение, депортация, реадмиссия" in text and "О миграции населения" in text  # Russian labels
    assert "K1400000235" not in text and "expulsion" not in text  # no raw ids shown
    # each active filter is a chip whose link removes it and keeps the rest
    chip = re.search(r'<li><span>Выдворение, депортация, реадмиссия</span><a href="([^"]+)"', page)
    assert chip is not None
    assert "tag=" not in chip.group(1) and "act=Z1100000477" in chip.group(1).replace("&amp;", "&")


def test_htmx_gets_only_the_search_part_and_a_title(http: httpx.Client) -> None:
    r = http.get("/", params={"q": "беженец"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "<html" not in r.text and 'id="search-page"' in r.text and "<title>беженец" in r.text


@pytest.mark.parametrize(("params", "field", "value"), [
    ({"q": "въезд", "at": "2020-13-45"}, "Редакция на дату", "2020-13-45"),
    ({"q": "въезд", "amended_from": "01.02.2020"}, "Изменено с", "01.02.2020"),
])
def test_an_invalid_date_is_a_visible_error_and_stays_in_the_form(
        http: httpx.Client, params: dict[str, str], field: str, value: str) -> None:
    r = http.get("/", params=params)
    assert r.status_code == 400
    alert = re.search(r'<div class="alert error" role="alert" id="search-error">(.*?)</div>', r.text, re.S)
    assert alert is not None and value in alert.group(1) and field in alert.group(1)
    name = next(k for k in params if k != "q")
    assert re.search(rf'<input id="{name}" name="{name}" type="text"[^>]*value="{re.escape(value)}"[^>]*'
                     r'aria-invalid="true"', r.text)


def test_a_date_whose_wording_is_unknown_says_so_and_lists_the_wordings_held(http: httpx.Client) -> None:
    # art. 48 was in force on 01.06.2015, but the corpus holds its 2012 and later wordings only
    r = http.get("/law/Z1100000477/art_48", params={"at": "2015-06-01"})
    assert r.status_code == 200, r.text[:300]
    text = _text(r.text)
    assert "Текст на эту дату неизвестен" in text and "01.06.2015" in text
    assert "Известные редакции этого положения" in text
    held = re.findall(r'href="(/law/Z1100000477/art_48\?at=[0-9-]+)"', r.text)
    assert len(held) >= 2  # the wordings it does hold, each a link
    assert http.get(held[0]).status_code == 200
    en = http.get("/law/Z1100000477/art_48", params={"at": "2015-06-01", "ui": "en"})
    assert "Wording unknown on this date" in _text(en.text) and "1 June 2015" in _text(en.text)


def test_parts_left_out_of_a_comparison_are_named(http: httpx.Client) -> None:
    # art. 6 of the migration law: its wording of 01.06.2020 and today's are known, but part 4 changed between
    # the bank's redactions of 2019 and 2022 by amendments in force from 07.01.2020 and (not before) 27.11.2020:
    # its wording on 01.06.2020 is not in the corpus, so the API leaves it out (unknown_parts)
    r = http.get("/law/Z1100000477/art_6", params={"from": "2020-06-01", "to": "2025-12-01"})
    assert r.status_code == 200
    note = re.search(r'<p class="note diff-unknown-parts" role="status">(.*?)</p>', r.text, re.S)
    assert note is not None, "the left-out parts are not named"
    assert "Не сравнивались (1)" in note.group(1) and "4" in _text(note.group(1))


def test_a_date_before_the_provision_was_in_force_says_so_and_offers_its_first_wording(http: httpx.Client) -> None:
    # the migration law was adopted on 22.07.2011 and came into force (not before) 02.08.2011: compared with
    # its adoption day every item "appears", which the page explains, offering the first wording instead
    r = http.get("/law/Z1100000477/art_48", params={"from": "2011-07-22", "to": "2025-01-01"})
    assert r.status_code == 200
    block = re.search(r'<div class="diff-absent" role="status">(.*?)</div>', r.text, re.S)
    assert block is not None, "the page does not say that art. 48 was not in force on 22.07.2011"
    assert "На 22.07.2011 этого положения не было" in _text(block.group(1))
    offered = re.search(r'href="(/law/Z1100000477/art_48\?[^"]*from=2011-08-02[^"]*to=2025-01-01[^"]*)"',
                        block.group(1))
    assert offered is not None, _text(block.group(1))
    again = http.get(offered.group(1).replace("&amp;", "&"))
    assert again.status_code == 200 and 'class="diff-absent"' not in again.text
    # dates on which the provision was in force say nothing of the kind
    assert 'class="diff-absent"' not in http.get("/law/Z1100000477/art_48",
                                                 params={"from": "2012-01-01", "to": "2025-01-01"}).text
    en = http.get("/law/Z1100000477/art_48", params={"from": "2011-07-22", "to": "2025-01-01", "ui": "en"})
    assert "was not in force on 22 July 2011" in _text(en.text)


def test_unknown_ids_and_bad_parameters_are_named(http: httpx.Client) -> None:
    r = http.get("/", params={"q": "въезд", "tag": "no_such_tag"})
    assert r.status_code == 400 and "no_such_tag" in r.text
    r = http.get("/", params={"q": "въезд", "size": "1000"})
    assert r.status_code == 400 and "size" in _text(r.text)
    r = http.get("/law/Z9999999999")
    assert r.status_code == 404 and "Z9999999999" in r.text and "<html" in r.text
    r = http.get("/law/Z1100000477/art_48", params={"lang": "eng"})
    assert r.status_code == 400 and "lang" in r.text
    r = http.get("/law/Z1100000477/art_48", params={"at": "48"})
    assert r.status_code == 400 and "«48»" in r.text


def test_a_date_before_the_provision_lists_its_known_wordings(http: httpx.Client) -> None:
    r = http.get("/law/Z1100000477/art_48", params={"at": "2000-01-01"})
    assert r.status_code == 404
    # the wordings' in-force dates (the law ten days after publication; Закон № 82-VIII not before 27.05.2024)
    assert "/law/Z1100000477/art_48?at=2011-08-02" in r.text and "/law/Z1100000477/art_48?at=2024-05-27" in r.text


def test_the_article_is_printed_in_order_with_numbers_and_closing_paragraphs_last(http: httpx.Client) -> None:
    page = http.get("/law/Z1100000477/art_48").text
    text = _text(page[page.index('id="text"'):page.index('id="history"')])
    lead = text.index("Иммигранту запрещается въезд в Республику Казахстан:")
    items = [text.index(f"{n}) ") for n in ("1", "2", "6-1", "7-3", "14")]
    closing = text.index("Иммигрантам, ранее выдворенным")
    assert lead < items[0] < items[1] < items[2] < items[3] < items[4] < closing
    assert 'id="art_48__point_6-1"' in page  # every part and item is a link target
    assert "Сноска. Статья 48 в редакции Закона РК от 10.12.2013" in _text(page)  # the note, set apart
    assert re.search(r'<aside class="notes"', page)


def test_the_wording_on_a_date_and_the_kazakh_text(http: httpx.Client) -> None:
    old = _text(http.get("/law/Z1100000477/art_48", params={"at": "2013-01-01"}).text)
    assert "вынесения решения о выдворении" in old and "Редакция на 01.01.2013" in old
    assert "исполнения решения суда о выдворении" not in old
    # the Kazakh wording of 14.07.2022 stands beside the Russian one it translates (in force 2021-2024); the
    # Russian wording changed in 2024, and the Kazakh one since is not in the corpus
    then = http.get("/law/Z1100000477/art_48", params={"at": "2023-01-01"}).text
    assert '<table class="parallel">' in then and "Көшіп келушінің Қазақстан Республикасына" in then
    assert '<table class="parallel">' not in http.get("/law/Z1100000477/art_48").text
    kaz = http.get("/law/Z1100000477/art_48", params={"lang": "kaz", "at": "2023-01-01"}).text
    assert _text(kaz).index("Көшіп келушінің") < _text(kaz).index("Иммигранту запрещается въезд")  # Kazakh first
    assert '<article class="provision" lang="kk">' in kaz


def test_the_diff_between_two_wordings(http: httpx.Client) -> None:
    page = http.get("/law/Z1100000477/art_48", params={"from": "2013-01-01", "to": "2025-10-01"}).text
    diff = page[page.index('<div class="diff'):]
    assert "<del>вынесения</del>" in diff and "<ins>исполнения</ins>" in diff
    assert "Типизированная сводка изменений" in page or "Что изменилось" in page  # said either way


def test_citations_out_and_in_are_links(http: httpx.Client) -> None:
    page = http.get("/law/Z1100000477/art_9").text
    assert re.search(r'<a class="cite" href="/law/Z1100000477/art_48">статьей 48 настоящего Закона</a>', page)
    incoming = http.get("/law/Z1100000477/art_48").text
    section = incoming[incoming.index('id="citations"'):incoming.index('id="analysis"')]
    assert '/law/Z1100000477/art_9#art_9__point_4-1' in section


def test_search_export_csv_and_json(http: httpx.Client) -> None:
    params = {"q": "беженец", "act": "Z090000216_"}
    total = json.loads(http.get("/search", params=params, headers={"Accept": "application/json"}).text)["total"]
    r = http.get("/export/search.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == total > 10  # every page, not only the first
    assert rows[0]["act_title"] == "О беженцах" and rows[0]["url"].startswith("http://127.0.0.1:")
    assert "<mark>" not in rows[0]["snippet"]
    body = http.get("/export/search.json", params=params).json()
    assert body["total"] == total == body["exported"] and body["truncated"] is False
    assert body["query"] == {"q": "беженец", "act": "Z090000216_"}


def test_history_export(http: httpx.Client) -> None:
    r = http.get("/law/Z1100000477/art_48/history.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    restated = [x for x in rows if x["verb"] == "restated"]
    assert restated and restated[0]["verb_ru"] == "изложено в новой редакции"
    assert restated[0]["amending_act_number"] == "153-V" and restated[0]["adopted"] == "2013-12-10"
    assert {x["valid_from"] for x in rows if x["kind"] == "version"} == {
        "2011-08-02", "2017-07-22", "2021-01-01", "2024-05-27"}
    body = http.get("/law/Z1100000477/art_48/history.json").json()
    assert body["eid"] == "art_48" and len(body["versions"]) == 4


def test_citation_downloads(http: httpx.Client) -> None:
    r = http.get("/law/Z1100000477/art_48/cite.bib", params={"at": "2013-01-01"})
    assert r.headers["content-type"].startswith("application/x-bibtex")
    assert "note = {ст. 48; в редакции на 01.01.2013}" in r.text
    r = http.get("/law/Z1100000477/act/cite.json")
    (item,) = r.json()
    assert item["type"] == "legislation" and "section" not in item


def test_rights_page_for_browsers_api_json_for_clients(http: httpx.Client) -> None:
    r = http.get("/rights/non_refoulement")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Невысылка" in r.text and "Accept" in r.headers["vary"]
    assert "CCPR/C/110/D/2104/2011" in r.text  # a treaty-body decision on the right
    api = http.get("/rights/non_refoulement", headers={"Accept": "application/json"})
    assert api.status_code == 200 and api.json()["id"] == "non_refoulement"  # the JSON API at the same URL
    assert "Accept" in api.headers["vary"]
    missing = http.get("/rights/no_such_right")
    assert missing.status_code == 404 and "no_such_right" in missing.text and "<html" in missing.text


def test_interface_language_switch(http: httpx.Client) -> None:
    r = http.get("/ui/en", params={"next": "/law/Z1100000477/art_48"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/law/Z1100000477/art_48"
    assert "migralex_ui=en" in r.headers["set-cookie"]
    assert http.get("/ui/en", params={"next": "//evil.example"}, follow_redirects=False).headers["location"] == "/"
    page = http.get("/law/Z1100000477/art_48", headers={**HTML, "Cookie": "migralex_ui=en"}).text
    assert '<html lang="en">' in page and "Compare wordings" in page
    http.cookies.clear()  # the other tests read the Russian interface


def test_api_docs_load_only_vendored_files(http: httpx.Client) -> None:
    for path, asset in (("/docs", "/static/vendor/swagger-ui/swagger-ui-bundle.js"),
                        ("/redoc", "/static/vendor/redoc/redoc.standalone.js")):
        page = http.get(path).text
        assert asset in page
        assert not re.search(r'(?:src|href)="https?://', page), path
        assert http.get(asset).status_code == 200
    spec = http.get("/openapi.json").json()
    assert not [p for p in spec["paths"] if p.startswith(("/law", "/ui", "/export", "/_pages", "/docs"))]


def test_vendored_files_are_the_ones_recorded() -> None:
    vendor = WEB / "static" / "vendor"
    recorded = dict(re.findall(r"^([0-9a-f]{64})  (\S+)$", (vendor / "VENDORED.md").read_text(), re.M))
    assert len(recorded) == 4
    for digest, rel in recorded.items():
        assert hashlib.sha256((vendor / rel).read_bytes()).hexdigest() == digest, rel


def test_pages_fetch_nothing_from_other_hosts() -> None:
    """Scripts, styles, fonts and images of our own templates and files are local (links to adilet or
    the UN in the content are plain <a href> and are not fetched)."""
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("static/*.css"), *WEB.glob("static/*.js")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', text), path
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), path
        assert "@import" not in text, path


@pytest.mark.parametrize(("accept", "html"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # Chromium, Firefox
    ("*/*", False),  # curl, httpx
    ("application/json", False),
    ("", False),
    ("application/json, text/html;q=0.5", False),
    ("text/html;q=0.9, application/json;q=0.8", True),
])
def test_which_clients_get_the_rights_page(accept: str, html: bool) -> None:
    from search_api.web.routes import wants_html

    assert wants_html(accept) is html
