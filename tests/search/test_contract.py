"""The search contract (docs/design.md §5): the SAME cases against every backend, the same hits expected.

The fixture corpus (tests/search/fixture_corpus.py) holds real provision texts with synthetic
dates and tags; expectations are either hand-picked provisions whose text is known, or computed
from the corpus with an independent check (plain substring/lemma tests, not the backend's code).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from nlp.lemmatize import fold, lemma_text
from search_api.models import QueryError, SearchBackend, SearchQuery, SearchResult
from tests.search.fixture_corpus import current, doc, fixture_docs, in_force_on

MIG = "Z1100000477"
KOAP = "K1400000235"
UK = "K1400000226"


def search(backend: SearchBackend, q: str = "", **kw: object) -> SearchResult:
    kw.setdefault("size", 100)
    return backend.search(SearchQuery(q=q, **kw))


def ids(result: SearchResult) -> set[str]:
    return {h.id for h in result.hits}


def with_lemma(lemma: str, docs: list | None = None) -> set[str]:
    return {d.id for d in (docs or current()) if lemma in lemma_text(d.text).split()}


def with_phrase(phrase: str) -> set[str]:
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
    return {d.id for d in current() if pattern.search(fold(d.text))}


# --- morphology -------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["выдворение", "выдворения", "выдворению", "выдворением", "Выдворен"])
def test_any_word_form_finds_every_form(backend: SearchBackend, form: str) -> None:
    result = search(backend, form)
    expected = with_lemma("выдворение")
    assert ids(result) == expected
    assert result.total == len(expected) >= 10
    # forms as they stand in the real texts
    assert f"{MIG}/art_60__para_1@2013-12-24" in expected  # "подлежат выдворению"
    assert f"{MIG}/art_49__point_11@2019-01-10" in expected  # "выдворенным в течение пяти лет"
    assert f"{KOAP}/art_517__para_7@2020-05-23" in expected  # "с административным выдворением"
    assert f"{KOAP}/art_517__para_2@2020-05-23" in expected  # "административное выдворение"


def test_plural_and_case_forms_of_a_noun(backend: SearchBackend) -> None:
    assert ids(search(backend, "иммигрантов")) == ids(search(backend, "иммигрант")) == with_lemma("иммигрант")
    assert ids(search(backend, "иммигрант"))


# --- phrases ----------------------------------------------------------------------------------------


def test_quoted_phrase_matches_surface_forms_in_order(backend: SearchBackend) -> None:
    result = search(backend, '"лица без гражданства"')
    assert ids(result) == with_phrase("лица без гражданства")
    assert f"{UK}/art_392__para_1@2025-09-16" in ids(result)
    # KoAP 517 says "лицом без гражданства": another surface form, not the phrase
    assert not any(h.act_id == KOAP for h in result.hits)
    assert search(backend, '"гражданства без лица"').total == 0


def test_phrase_and_word_combine(backend: SearchBackend) -> None:
    result = search(backend, '"лица без гражданства" лишение')
    assert ids(result) == {f"{UK}/art_392__para_1@2025-09-16", f"{UK}/art_392__para_1-1@2025-09-16",
                           f"{UK}/art_392__para_2@2025-09-16"}


# --- operators ----------------------------------------------------------------------------------------


def test_default_operator_is_and(backend: SearchBackend) -> None:
    result = search(backend, "выдворение арест")
    assert result.operator == "and"
    assert ids(result) == {f"{KOAP}/art_517__para_5@2020-05-23", f"{KOAP}/art_517__para_7@2020-05-23"}


def test_or_fallback_when_and_finds_nothing(backend: SearchBackend) -> None:
    result = search(backend, "реадмиссия арест")
    assert result.operator == "or"
    assert ids(result) == with_lemma("реадмиссия") | with_lemma("арест")
    assert result.total == len(ids(result)) > 2


def test_explicit_and_and_phrases_do_not_fall_back(backend: SearchBackend) -> None:
    explicit = search(backend, "реадмиссия AND арест")
    assert (explicit.total, explicit.operator) == (0, "and")
    assert search(backend, '"гражданства без лица"').operator == "and"


def test_or_operator(backend: SearchBackend) -> None:
    result = search(backend, "реадмиссия OR арест")
    assert result.operator == "and"  # what was asked, no fallback
    assert ids(result) == with_lemma("реадмиссия") | with_lemma("арест")


@pytest.mark.parametrize("q", ["выдворение NOT штраф", "выдворение -штраф", "выдворение AND NOT штраф"])
def test_negation_excludes(backend: SearchBackend, q: str) -> None:
    result = search(backend, q)
    assert ids(result) == with_lemma("выдворение") - with_lemma("штраф")
    assert f"{UK}/art_392__para_2@2025-09-16" in ids(result)  # лишение свободы, no штраф


def test_parentheses_group(backend: SearchBackend) -> None:
    result = search(backend, "(реадмиссия OR арест) выдворение")
    assert ids(result) == (with_lemma("реадмиссия") | with_lemma("арест")) & with_lemma("выдворение")


def test_stop_words_are_ignored(backend: SearchBackend) -> None:
    assert ids(search(backend, "выдворение за пределы")) == ids(search(backend, "выдворение пределы"))


# --- filters ----------------------------------------------------------------------------------------


def test_filter_act_and_kind(backend: SearchBackend) -> None:
    assert {h.act_id for h in search(backend, "выдворение", act=[KOAP]).hits} == {KOAP}
    assert {h.act_id for h in search(backend, "выдворение", act=[KOAP, UK]).hits} == {KOAP, UK}
    assert {h.act_id for h in search(backend, "выдворение", kind=["кодекс"]).hits} == {KOAP, UK}
    assert {h.act_id for h in search(backend, "выдворение", kind=["закон"]).hits} == {MIG}


def test_filter_chapter(backend: SearchBackend) -> None:
    result = search(backend, "", chapter="chp_12")
    assert ids(result) == {d.id for d in current() if d.chapter == "chp_12"}
    assert {h.eid.split("__")[0] for h in result.hits} == {"art_60", "art_60-1"}


def test_filter_tag_and_right(backend: SearchBackend) -> None:
    assert ids(search(backend, "", tag=["trafficking"])) == {f"{MIG}/art_60-1__para_1@2021-01-01"}
    assert ids(search(backend, "", tag=["illegal_border_crossing"])) == {d.id for d in current() if d.act_id == UK}
    both = search(backend, "", tag=["trafficking", "asylum_refugees"])
    assert ids(both) == {f"{MIG}/art_60-1__para_1@2021-01-01", f"{MIG}/art_47__para_1@2011-07-22"}
    assert ids(search(backend, "", right=["non_refoulement"])) == {f"{MIG}/art_60__para_1@2013-12-24"}
    assert ids(search(backend, "выдворение", tag=["detention"], right=["expulsion_safeguards"])) == {
        f"{KOAP}/art_517__para_5@2020-05-23",
        f"{KOAP}/art_517__para_7@2020-05-23",
    }


def test_filter_status(backend: SearchBackend) -> None:
    repealed = search(backend, "", status=["repealed"])
    assert ids(repealed) == {f"{MIG}/art_1__point_14@2015-12-05", f"{KOAP}/art_517__para_1@2020-01-10"}
    assert all(h.status == "repealed" for h in repealed.hits)
    old = search(backend, "", status=["historical"], at=date(2015, 1, 1))
    assert ids(old) == {f"{MIG}/art_1__point_13@2011-07-22"}


def test_filter_amended_period(backend: SearchBackend) -> None:
    result = search(backend, "", amended_from=date(2022, 1, 1), amended_to=date(2022, 12, 31))
    assert ids(result) == {f"{MIG}/art_37-3__para_1@2023-01-01", f"{MIG}/art_60__para_1@2013-12-24"}
    # bounds are inclusive, each side optional
    assert ids(search(backend, "", amended_from=date(2025, 7, 16))) == {d.id for d in current() if d.act_id == UK}
    assert ids(search(backend, "", amended_to=date(2013, 12, 10))) == {
        f"{MIG}/art_60__para_1@2013-12-24",
        f"{MIG}/art_60__para_2@2013-12-24",
    }


# --- point in time ----------------------------------------------------------------------------------


def test_without_at_only_current_versions(backend: SearchBackend) -> None:
    everything = search(backend, "")
    assert ids(everything) == {d.id for d in current()}
    assert everything.total == len(current()) == len(fixture_docs()) - 1


def test_point_in_time_old_wording_before_new_after(backend: SearchBackend) -> None:
    old, new = f"{MIG}/art_1__point_13@2011-07-22", f"{MIG}/art_1__point_13@2020-05-23"
    assert ids(search(backend, "оралман", at=date(2019, 1, 1))) == {old}
    assert ids(search(backend, "оралманы", at=date(2020, 5, 22))) == {old}
    assert search(backend, "оралман").total == 0
    assert search(backend, "кандас", at=date(2019, 1, 1)).total == 0
    assert ids(search(backend, "кандас", at=date(2020, 5, 23))) == {new}  # valid_from is inclusive
    assert ids(search(backend, "кандас")) == {new}
    hit = search(backend, "оралман", at=date(2019, 1, 1)).hits[0]
    assert (hit.valid_from, hit.valid_to, hit.status) == (date(2011, 7, 22), date(2020, 5, 23), "historical")


def test_at_sees_the_versions_in_force_on_that_day(backend: SearchBackend) -> None:
    day = date(2016, 6, 1)
    assert ids(search(backend, "", at=day)) == {d.id for d in in_force_on(day)}


# --- facets, paging, sort ---------------------------------------------------------------------------


def test_facets_count_all_matching_docs_not_the_page(backend: SearchBackend) -> None:
    result = search(backend, "выдворение", size=1)
    matching = [d for d in current() if d.id in with_lemma("выдворение")]
    assert len(result.hits) == 1
    assert result.facets["acts"] == {
        a: sum(1 for d in matching if d.act_id == a) for a in {d.act_id for d in matching}
    }
    tags = {t for d in matching for t in d.tags}
    assert result.facets["tags"] == {t: sum(1 for d in matching if t in d.tags) for t in tags}
    rights = {r for d in matching for r in d.rights}
    assert result.facets["rights"] == {r: sum(1 for d in matching if r in d.rights) for r in rights}
    years = {y for d in matching for y in d.amendment_years}
    assert result.facets["years"] == {str(y): sum(1 for d in matching if y in d.amendment_years) for y in years}


def test_facets_follow_filters(backend: SearchBackend) -> None:
    result = search(backend, "", act=[UK])
    assert result.facets["acts"] == {UK: 3}
    assert result.facets["years"] == {"2025": 3}


def test_date_sort_pages_are_deterministic(backend: SearchBackend) -> None:
    expected = [
        d.id for d in sorted(current(), key=lambda d: (-(d.valid_from or date.min).toordinal(), d.act_id, d.position))
    ]
    pages = [search(backend, "", sort="date", size=7, page=p) for p in (1, 2, 3, 4)]
    assert [h.id for p in pages for h in p.hits] == expected
    assert all(p.total == len(expected) for p in pages)
    starts = [h.valid_from or date.min for h in pages[0].hits]
    assert starts == sorted(starts, reverse=True)


def test_relevance_pages_partition_the_hits(backend: SearchBackend) -> None:
    everything = [h.id for h in search(backend, "выдворение", size=100).hits]
    paged = [h.id for p in (1, 2, 3) for h in search(backend, "выдворение", size=5, page=p).hits]
    assert paged == everything
    scores = [h.score for h in search(backend, "выдворение", size=100).hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_relevance_prefers_the_provision_about_it(backend: SearchBackend) -> None:
    assert search(backend, "жертвы торговли людьми").hits[0].id == f"{MIG}/art_60-1__para_1@2021-01-01"
    assert search(backend, "реадмиссия").hits[0].id in {
        f"{MIG}/art_1__point_13-5@2017-01-01",
        f"{MIG}/art_60__para_2@2013-12-24",
        f"{MIG}/art_60__para_3@2011-07-22",
    }


def test_page_past_the_result_window_is_a_query_error(backend: SearchBackend) -> None:
    with pytest.raises(QueryError, match="10000"):
        backend.search(SearchQuery(q="выдворение", page=101, size=100))


def test_browse_with_filters_in_document_order(backend: SearchBackend) -> None:
    result = search(backend, "", act=[KOAP])
    assert [h.eid for h in result.hits] == [f"art_517__para_{n}" for n in range(1, 8)]


# --- hits -------------------------------------------------------------------------------------------


def test_hit_fields(backend: SearchBackend) -> None:
    hit = search(backend, "кандас").hits[0]
    d = doc(f"{MIG}/art_1__point_13@2020-05-23")
    assert (hit.id, hit.act_id, hit.eid, hit.heading) == (d.id, MIG, "art_1__point_13", d.heading)
    assert hit.heading == "Основные понятия, используемые в настоящем Законе"  # the article's, for an item
    assert hit.ancestors == d.ancestors and hit.tags == ["ethnic_repatriation"]
    assert (hit.valid_from, hit.valid_to, hit.status) == (date(2020, 5, 23), None, "in_force")


def test_snippets_mark_the_matched_forms(backend: SearchBackend) -> None:
    hits = {h.id: h for h in search(backend, "выдворения").hits}
    assert "<mark>выдворению</mark>" in hits[f"{MIG}/art_60__para_1@2013-12-24"].snippet
    assert "<mark>выдворением</mark>" in hits[f"{KOAP}/art_517__para_7@2020-05-23"].snippet
    phrase = search(backend, '"лица без гражданства"').hits[0]
    assert "<mark>лица без гражданства</mark>" in phrase.snippet
    marked = search(backend, "выдворение -штраф").hits
    assert all("штраф" not in re.findall(r"<mark>(.*?)</mark>", h.snippet) for h in marked)


# --- long words -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("высококвалифицированной", f"{MIG}/art_4__para_2__point_2@2011-07-22"),  # 23 letters
        ("высококвалифицированная", f"{MIG}/art_4__para_2__point_2@2011-07-22"),
        ("внутрикорпоративного", f"{MIG}/art_37-3__para_1@2023-01-01"),  # 20 letters
        ('"высококвалифицированной иностранной рабочей силы"', f"{MIG}/art_4__para_2__point_2@2011-07-22"),
    ],
)
def test_words_of_twenty_letters_and_more_are_indexed(backend: SearchBackend, q: str, expected: str) -> None:
    assert len(q.strip('"').split()[0]) >= 20
    assert expected in ids(search(backend, q))


# --- errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"выдворение', "unbalanced quote"),
        ("(выдворение OR арест", "unbalanced parenthesis"),
        ("выдворение)", "unbalanced parenthesis"),
        ("выдворение AND", "no right-hand operand"),
        ("OR арест", "no left-hand operand"),
        ("NOT выдворение", "only a negation"),
        ("-выдворение -арест", "only negations"),
        ("и в на", "no searchable words"),
    ],
)
def test_bad_queries_are_query_errors(backend: SearchBackend, q: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        backend.search(SearchQuery(q=q))
