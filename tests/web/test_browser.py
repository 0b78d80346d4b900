"""The pages in a real browser (Debian's Chromium through Playwright), with every request to another host
blocked: each page, and a scholar's flow search → provision → change date → diff → follow a citation →
copy the citation → export; the back button; keyboard and screen-reader basics; the English interface;
the offline API docs; the print stylesheet; the pages without JavaScript."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture then skips with the reason (or fails, in CI)
    expect = None  # type: ignore[assignment]

pytestmark = pytest.mark.browser


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_scholars_flow(page: Any, site: str) -> None:
    # search: typed and submitted in the page (htmx swaps the results in and pushes the URL)
    page.goto(site + "/")
    page.fill("#q", "основания для отказа во въезде")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"\?q="))
    page.wait_for_selector("li.group")
    assert _query(page.url)["q"] == ["основания для отказа во въезде"]
    # the article headed «Основания для отказа иммигранту во въезде …» first (issue 9's example)
    assert "Статья 48." in page.locator("li.group").first.locator("h2").inner_text()
    assert page.locator("#live").inner_text() != "" or page.locator("#results").get_attribute("data-summary")

    # → the provision: the article's page, scrolled to the part that matched
    art9 = page.locator("li.group", has=page.locator("h2", has_text="Статья 9."))
    art9.locator("a.part-label").first.click()
    page.wait_for_url(re.compile(r"/law/Z1100000477/art_9#art_9__point_4-1$"))
    assert page.locator("h1").inner_text().startswith("Статья 9.")
    assert page.locator("#art_9__point_4-1").is_visible()

    # → change the date: the wording in force on 1 January 2020
    page.fill("form.controls >> nth=0 >> input[name=at]", "2020-01-01")
    page.locator("form.controls >> nth=0 >> button[type=submit]").click()
    page.wait_for_url(re.compile(r"at=2020-01-01"))
    assert "Редакция на 01.01.2020" in page.locator(".wording-line").inner_text()

    # → the diff between two consecutive wordings (Законы № 34-VII and № 95-VII), then switched to one column
    page.locator("#diff a", has_text="11.05.2021 → 10.01.2022").click()
    page.wait_for_url(re.compile(r"from=2021-05-11.*to=2022-01-10"))
    assert page.locator(".diff-side tbody tr").count() >= 4
    assert page.locator(".diff-side tbody tr.same").count() == 0  # unchanged provisions only on request
    page.check("input[name=view][value=inline]")
    page.wait_for_url(re.compile(r"view=inline"))
    assert page.locator(".diff-inline").is_visible() and page.locator(".diff-side").count() == 0
    assert page.locator(".diff-inline del, .diff-inline ins").count() > 0

    # → follow a citation in the text: "статьей 48 настоящего Закона"
    page.goto(site + "/law/Z1100000477/art_9")
    page.locator("#art_9__point_4-1 a.cite").click()
    page.wait_for_url(re.compile(r"/law/Z1100000477/art_48$"))
    assert page.locator("h1").inner_text().startswith("Статья 48.")

    # → copy the citation (ГОСТ) to the clipboard
    page.locator("button.copy[data-copy='#cite-gost']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("О миграции населения : Закон Республики Казахстан от 22.07.2011 № 477-IV (в редакции на")
    assert copied == page.locator("#cite-gost").inner_text().strip()

    # → back to the search with the back button, then export its results
    for _ in range(8):  # art 9, the diff, the date, the article, … the search
        if urlsplit(page.url).path == "/":
            break
        page.go_back()
    page.wait_for_url(re.compile(r"/\?q="))
    page.wait_for_selector("li.group")
    assert page.input_value("#q") == "основания для отказа во въезде"
    with page.expect_download() as info:
        page.locator(".exports a", has_text="CSV").click()
    download = info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows and rows[0]["eid"] == "art_48" and download.suggested_filename == "migralex-search.csv"


def test_filters_chips_facets_and_paging_keep_the_url(page: Any, site: str) -> None:
    page.goto(site + "/?q=беженец")
    page.wait_for_selector(".facets")
    page.locator(".facets a", has_text="О беженцах").first.click()
    page.wait_for_url(re.compile(r"act=Z090000216_"))
    chip = page.locator(".chips li", has_text="О беженцах")
    assert chip.count() == 1
    assert page.locator("input[name=act][value=Z090000216_]").is_checked()  # the form follows the URL
    if page.locator(".pager a", has_text="2").count():
        page.locator(".pager a", has_text="2").first.click()
        page.wait_for_url(re.compile(r"page=2"))
        assert page.locator(".pager a.current").inner_text() == "2"
    chip.locator("a").click()
    page.wait_for_url(lambda url: "act=" not in url)
    assert page.locator(".chips li", has_text="О беженцах").count() == 0
    page.go_back()
    page.wait_for_url(re.compile(r"act=Z090000216_"))


def test_an_invalid_date_is_shown_where_the_reader_looks(page: Any, site: str) -> None:
    page.goto(site + "/?q=въезд&at=2020-13-45")
    alert = page.locator("#search-error")
    assert alert.is_visible() and "2020-13-45" in alert.inner_text()
    box = alert.bounding_box()
    assert box is not None and box["y"] + box["height"] < 900  # in the first screen, not under the filters
    assert page.input_value("#at") == "2020-13-45"
    assert page.get_attribute("#at", "aria-invalid") == "true"


def test_every_control_has_a_label_and_the_keyboard_works(page: Any, site: str) -> None:
    unlabelled = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()
                     && !e.getAttribute('aria-labelledby'))
        .map(e => e.outerHTML.slice(0, 80))"""
    for path in ("/", "/?q=выдворение", "/law/Z1100000477", "/law/Z1100000477/art_48", "/rights/liberty", "/about"):
        page.goto(site + path)
        assert page.evaluate(unlabelled) == [], path
        assert page.locator("main#main").count() == 1 and page.locator("#live[aria-live=polite]").count() == 1
    page.goto(site + "/law/Z1100000477/art_48")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # "skip to content" comes first
    page.goto(site + "/?q=выдворение")
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("End")
    page.keyboard.type(" иностранцев")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: _query(url).get("q") == ["выдворение иностранцев"])
    assert set(_query(page.url)) == {"q"}  # no empty or default fields in the permalink
    expect(page.locator("#live")).to_have_text(re.compile(r"^Найдено \d+"))  # announced to screen readers


def test_evidence_is_highlighted_in_the_text_on_request(page: Any, site: str) -> None:
    page.goto(site + "/law/Z1100000477/art_48")
    assert page.locator("mark.ev.on").count() == 0
    toggle = page.locator("a.hl-toggle[data-hl='tag:expulsion']")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    on = page.locator("mark.ev.on")
    assert on.count() > 0 and "выдвор" in " ".join(on.all_inner_texts()).lower()
    assert _query(page.url)["hl"] == ["tag:expulsion"]
    page.reload()  # the highlight is in the URL: a permalink
    assert page.locator("mark.ev.on").count() == on.count()


def test_the_latest_change_is_compared_when_the_reader_reaches_it(page: Any, site: str) -> None:
    page.goto(site + "/law/Z1100000477/art_48")
    assert page.locator("#diff-body table").count() == 0  # not part of the first page load
    page.locator("#diff").scroll_into_view_if_needed()
    expect(page.locator("#diff-body table.diff-side")).to_be_visible()
    assert "27.05.2024" in page.locator("#diff-body thead").inner_text()  # Закон № 82-VIII, its latest change


def test_treaty_body_decisions_load_when_opened(page: Any, site: str) -> None:
    hit = page.request.get(site + "/search?right=non_refoulement&size=1&group=none").json()["hits"][0]
    article = hit["eid"].split("__")[0]
    page.goto(f"{site}/law/{hit['act_id']}/{article}")
    with_some = page.locator("summary", has_text=re.compile(r": [1-9]\d*$"))
    details = page.locator("details.decisions").filter(has=with_some).first
    assert details.locator("table").count() == 0  # not in the page until asked for
    details.locator("summary").click()
    expect(details.locator("table.decisions-table tbody tr").first).to_be_visible()


def test_kazakh_side_by_side_and_the_kazakh_wording_first(page: Any, site: str) -> None:
    page.goto(site + "/law/Z1100000477/art_48?at=2023-01-01")  # the Kazakh wording of 14.07.2022 in force
    cells = page.locator("table.parallel tbody tr").first.locator("td")
    assert "Иммигранту" in cells.nth(0).inner_text() and "Көшіп келушінің" in cells.nth(1).inner_text()
    assert cells.nth(1).get_attribute("lang") == "kk"
    page.select_option("#lang", "kaz")
    page.locator("form.controls >> nth=0 >> button[type=submit]").click()
    page.wait_for_url(re.compile(r"lang=kaz"))
    assert page.locator("h1").inner_text().startswith("48-бап.")


def test_act_page_table_of_contents_and_chart(page: Any, site: str) -> None:
    page.goto(site + "/law/Z1100000477")
    assert page.locator("h1").inner_text() == "О миграции населения"
    assert page.locator("svg.chart rect").count() > 5
    assert page.locator("table.data tbody tr").count() >= 5  # its redactions (rus and kaz)
    page.locator(".toc a", has_text="Статья 48.").click()
    page.wait_for_url(re.compile(r"/law/Z1100000477/art_48$"))
    page.goto(site + "/law/Z1100000477?at=2013-01-01")
    assert page.locator(".toc a", has_text="Статья 48.").count() == 1
    assert page.locator(".toc a", has_text="Статья 58-2.").count() == 0  # added later, not in the 2012 contents


def test_right_page_groups_provisions_and_lists_decisions(page: Any, site: str) -> None:
    page.goto(site + "/rights/non_refoulement")
    assert page.locator("h1").inner_text() == "Невысылка (non-refoulement)"
    rows = page.locator("table.decisions-table tbody tr")
    assert rows.count() >= 5
    assert "установлено" in rows.first.inner_text()  # stated violations come first
    assert page.locator(".right-group").count() >= 1


def test_about_page_lists_sources_and_coverage(page: Any, site: str) -> None:
    page.goto(site + "/about")
    assert page.locator("table.data").first.locator("tbody tr").count() == 2
    assert page.locator("svg.chart").count() == 1


def test_english_interface(page: Any, site: str) -> None:
    page.goto(site + "/law/Z1100000477/art_48")
    page.locator(".ui-switch a", has_text="Eng").click()
    page.wait_for_url(re.compile(r"/law/Z1100000477/art_48$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".nav a").first.inner_text() == "Search"
    assert "English (OSCOLA)" in (page.locator("#cite").text_content() or "")
    page.goto(site + "/")
    assert page.locator("button[type=submit]").first.inner_text() == "Search"  # the cookie keeps it


def test_api_docs_work_offline(page: Any, site: str) -> None:
    page.goto(site + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    assert page.locator(".opblock").count() >= 8
    page.goto(site + "/redoc")
    page.wait_for_selector("text=/search", timeout=20000)
    assert "MigraLex" in page.title()


def test_print_stylesheet_keeps_the_law_and_drops_the_controls(page: Any, site: str) -> None:
    page.goto(site + "/law/Z1100000477/art_48")
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible() and not page.locator("form.controls").first.is_visible()
    assert page.locator("#text").is_visible() and page.locator("#cite-gost").is_visible()
    assert "Изменения" in page.locator("#history").inner_text()  # laid out in print too (content-visibility)


def test_pages_work_without_javascript(chromium: Any, site: str) -> None:
    ctx = chromium.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(site + "/")
        page.fill("#q", "беженец")
        page.press("#q", "Enter")  # a plain GET form
        page.wait_for_url(re.compile(r"\?q="))
        assert page.locator("li.group").count() > 0
        page.locator("a.hl-toggle").count()  # the provision page's toggles are plain links
        page.goto(site + "/law/Z090000216_/art_1")
        page.locator("a.hl-toggle").first.click()
        page.wait_for_url(re.compile(r"hl="))
        assert page.locator("mark.ev.on").count() > 0
        page.go_back()
        assert "hl=" not in page.url
    finally:
        ctx.close()


def test_the_article_links_to_its_own_anchor_on_adilet(page: Any, site: str) -> None:
    """Art. 48 of the migration law is ``<h3 id="z446">`` on adilet's page (the bundled page, read by ingest):
    the provision page's "on adilet" link and the citations point there, with no "no anchor" remark."""
    page.goto(site + "/law/Z1100000477/art_48")
    link = page.locator("#cite a[rel=external]", has_text="adilet.zan.kz")
    assert link.get_attribute("href") == "https://adilet.zan.kz/rus/docs/Z1100000477#z446"
    assert "Z1100000477#z446" in (page.locator("#cite-gost").text_content() or "")  # the ГОСТ record's URL
    assert "Якорь статьи" not in (page.locator("#cite").text_content() or "")


def _unknown_starts(page: Any, site: str, act: str, eid: str) -> set[str]:
    """The dates from which the API says the provision's wording is unknown (its versions' unknown_from)."""
    versions = page.request.get(f"{site}/acts/{act}/provisions/{eid}/history").json()["versions"]
    return {v["unknown_from"] for v in versions if v.get("unknown_from")}


def test_a_diff_against_an_unknown_wording_says_so_and_is_not_offered(page: Any, site: str) -> None:
    unknown = _unknown_starts(page, site, "Z1100000477", "art_48")
    assert unknown, "the bundled migration law has stretches of art. 48 whose wording is unknown"
    day = min(unknown)  # e.g. 2013-12-21: between the wordings of 2012 and of 2019
    api = page.request.get(f"{site}/acts/Z1100000477/provisions/art_48/diff?from={day}&to=2024-06-01").json()
    assert (api["from_state"], api["to_state"]) == ("unknown", "known")

    page.goto(f"{site}/law/Z1100000477/art_48?from={day}&to=2024-06-01#diff")
    said = page.locator("#diff-body .diff-unknown")
    shown = ".".join(reversed(day.split("-")))
    expect(said).to_contain_text(f"Текст этого положения на {shown} неизвестен")
    assert page.locator("#diff-body table.diff-side, #diff-body .diff-inline").count() == 0  # no empty diff
    assert "Изменений нет" not in page.locator("#diff-body").inner_text()
    # the nearest known wordings are offered instead, and they compare
    page.locator(".diff-unknown a").click()
    page.wait_for_url(lambda url: _query(url).get("to") == ["2024-06-01"] and _query(url)["from"] != [day])
    assert page.locator("#diff-body .diff-unknown").count() == 0
    expect(page.locator("#diff-body table.diff-side")).to_be_visible()

    # the list of versions shows the unknown stretches as such, without a link, and nothing offers them to compare
    page.goto(site + "/law/Z1100000477/art_48")
    gaps = page.locator("ol.wordings li.unknown")
    assert gaps.count() == len(unknown) and gaps.locator("a").count() == 0
    offered = [_query(h) for h in page.locator(".quick-diffs a").evaluate_all("els => els.map(e => e.href)")]
    assert offered and not {d for q in offered for d in (q["from"][0], q["to"][0])} & unknown
    options = set(page.locator("#wording-dates option").evaluate_all("els => els.map(e => e.value)"))
    assert options and not options & unknown
    # the latest change offered when the reader reaches the diff is between known wordings too
    page.locator("#diff").scroll_into_view_if_needed()
    expect(page.locator("#diff-body table.diff-side")).to_be_visible()

    # in English
    page.goto(f"{site}/law/Z1100000477/art_48?from={day}&to=2024-06-01")
    page.locator(".ui-switch a", has_text="Eng").click()
    page.wait_for_url(re.compile(r"from="))
    expect(page.locator("#diff-body .diff-unknown")).to_contain_text("is unknown: the provision was in force then")
    page.locator(".ui-switch a", has_text="Рус").click()


def test_the_lead_paragraph_comes_before_the_items_and_the_closing_ones_after(page: Any, site: str) -> None:
    """Art. 48 of the migration law as adilet prints it (<p id="z447"> "Иммигранту запрещается въезд …:",
    items 1)–…, then the two closing paragraphs "Иммигрантам, ранее выдворенным …", "Не рассматриваются …")."""
    page.goto(site + "/law/Z1100000477/art_48")
    rows = page.locator("#text .prov")
    texts = [t.strip() for t in rows.all_inner_texts()]
    classes = rows.evaluate_all("els => els.map(e => e.className)")
    assert texts[0] == "Иммигранту запрещается въезд в Республику Казахстан:" and "k-article" in classes[0]
    items = [i for i, c in enumerate(classes) if "k-item" in c]
    closing = [i for i, c in enumerate(classes) if "trailing" in c]
    children = page.request.get(f"{site}/acts/Z1100000477/provisions/art_48").json()["children"]
    assert texts[items[0]].startswith("1) ") and len(items) == len(children) > 10
    assert [texts[i].split(")")[0] for i in items] == [c["number"] for c in children]  # in the act's order
    assert closing and min(closing) > max(items)
    tail = "\n".join(texts[i] for i in closing)
    assert tail.index("Иммигрантам, ранее выдворенным") < tail.index("Не рассматриваются заявления")
