"""The search page's model of an answer: hits grouped under their articles (this page's grouping for a
part-level answer; the API's own ``group=article`` answer with ``parts``), chips that remove one filter
each, facets with act titles, and the answer's notes and coverage.
"""

from __future__ import annotations

from datetime import date

from corpus.models import Act
from corpus.timeline import Coverage
from search_api.models import Expansion, Hit, Note, PartHit, SearchResult
from search_api.web.i18n import Strings
from search_api.web.pages import SearchParams, search_page

ACTS = [Act("Z1100000477", "закон", "О миграции населения"), Act("K1400000235", "кодекс", "Кодекс об АП")]
T = Strings("ru")


def _hit(eid: str, act: str = "Z1100000477", **kw: object) -> Hit:
    number = eid.split("__")[0].removeprefix("art_")
    fields: dict[str, object] = dict(
        id=f"{act}/{eid}@2025-09-27", act_id=act, eid=eid, heading="Основания для отказа",
        ancestors=["Глава 8. ОСНОВАНИЯ", f"Статья {number}. Основания для отказа"], snippet="<mark>въезд</mark>",
        valid_from=date(2025, 9, 27), tags=["expulsion"])
    return Hit.model_validate({**fields, **kw})


def test_parts_of_one_article_are_gathered_under_it_with_relative_labels() -> None:
    result = SearchResult(total=3, hits=[_hit("art_48__point_1"), _hit("art_51"), _hit("art_48__point_6-1")])
    page = search_page(SearchParams.from_pairs([("q", "въезд")]), result, T, ACTS, None, 1, 10)
    assert [g.title for g in page.groups] == ["Статья 48. Основания для отказа", "Статья 51. Основания для отказа"]
    assert [h.label for h in page.groups[0].hits] == ["подп. 1", "подп. 6-1"]
    assert page.groups[0].hits[1].href == "/law/Z1100000477/art_48#art_48__point_6-1"
    assert page.groups[0].act_title == "О миграции населения" and not page.grouped_by_api
    assert str(page.groups[0].hits[0].snippet) == "<mark>въезд</mark>"


def test_a_snippet_keeps_only_its_marks() -> None:
    result = SearchResult(total=1, hits=[_hit("art_48", snippet='<mark>въезд</mark> <script>x</script>')])
    page = search_page(SearchParams.from_pairs([("q", "въезд")]), result, T, ACTS, None, 1, 10)
    assert str(page.groups[0].hits[0].snippet) == "<mark>въезд</mark> &lt;script&gt;x&lt;/script&gt;"


def test_chips_remove_one_filter_and_keep_the_rest() -> None:
    p = SearchParams.from_pairs([("q", "въезд"), ("tag", "expulsion"), ("tag", "detention"), ("act", "Z1100000477"),
                                 ("amended_from", "2024-01-01"), ("amended_to", "2024-12-31"), ("page", "3")])
    page = search_page(p, SearchResult(total=0, hits=[]), T, ACTS, None, 3, 10)
    chips = {c.label: c.remove_url for c in page.chips}
    assert chips["Выдворение, депортация, реадмиссия"] == (
        "/?q=%D0%B2%D1%8A%D0%B5%D0%B7%D0%B4&amended_from=2024-01-01&amended_to=2024-12-31&act=Z1100000477&tag=detention")
    assert "изменено в 2024 г." in chips and "О миграции населения" in chips
    assert "page=" not in chips["О миграции населения"]  # a new filter starts at page 1


def test_facets_name_acts_and_toggle_filters() -> None:
    result = SearchResult(total=5, hits=[], facets={"acts": {"K1400000235": 3, "Z1100000477": 2},
                                                    "tags": {"expulsion": 5}, "years": {"2024": 2}})
    page = search_page(SearchParams.from_pairs([("q", "въезд"), ("tag", "expulsion")]), result, T, ACTS, None, 1, 10)
    blocks = {b.key: b for b in page.facets}
    assert [(i.label, i.count) for i in blocks["act"].items] == [("Кодекс об АП", 3), ("О миграции населения", 2)]
    tag = blocks["tag"].items[0]
    assert tag.label == "Выдворение, депортация, реадмиссия" and tag.active and "tag=" not in tag.url
    assert "amended_from=2024-01-01&amended_to=2024-12-31" in blocks["years"].items[0].url
    assert "tag=expulsion" in blocks["years"].items[0].url  # the other filters stay


def test_an_or_fallback_and_a_date_are_said() -> None:
    result = SearchResult(total=1, hits=[_hit("art_48")], operator="or")
    page = search_page(SearchParams.from_pairs([("q", "въезд транзит"), ("at", "2015-01-01")]), result, T, ACTS,
                       date(2015, 1, 1), 1, 10)
    texts = [n.text for n in page.notes]
    assert texts[0].startswith("Ни одно положение не содержит все слова запроса")
    assert "На 2015-01-01 показаны только положения, редакция которых на эту дату есть в корпусе" in texts[1]


def test_the_apis_article_groups_expansions_notes_and_coverage_are_shown() -> None:
    art = _hit("art_48", parts=[
        PartHit(id="Z1100000477/art_48__point_9@2025-09-27", eid="art_48__point_9", snippet="<mark>высылка</mark>")])
    lone = _hit("art_51")
    result = SearchResult(total=2, hits=[art, lone], operator="or", group="article",
                          expansions=[Expansion(term="высылка", also=["выдворение"], kind="colloquial")],
                          notes=[Note(code="or_fallback", message="no provision has all the words"),
                                 Note(code="something_new", message="A note this page has no words for")],
                          coverage=Coverage(known=120, unknown=7))
    p = SearchParams.from_pairs([("q", "высылка"), ("at", "2015-01-01")])
    page = search_page(p, result, T, ACTS, date(2015, 1, 1), 1, 10)
    assert page.grouped_by_api and page.summary == "Найдено 2 статьи"
    assert [h.label for h in page.groups[0].hits] == ["подп. 9"]
    assert [h.label for h in page.groups[1].hits] == [""]  # the article itself matched
    texts = [n.text for n in page.notes]
    assert sum("Ни одно положение не содержит" in x for x in texts) == 1  # said once, in Russian
    assert "A note this page has no words for" in texts
    assert "Также искали: высылка → выдворение." in texts
    expanded = next(n for n in page.notes if n.text.startswith("Также искали"))
    assert expanded.link is not None and "thesaurus=false" in expanded.link
    assert "На 2015-01-01: редакция известна для 120 положений, для 7 — неизвестна (не показаны)." in texts
