"""The search contract (docs/design.md §5, §7): the SAME cases against every backend, the same hits expected.

The fixture corpus (tests/search/fixture_corpus.py) holds real provision texts with synthetic
dates and tags; expectations are either hand-picked provisions whose text is known, or computed
from the corpus with an independent check (plain lemma and substring tests over the text, the
article heading and the headings above it, not the backend's code).

Part-level semantics (``group="none"``) come first, then article grouping (the default), the
thesaurus, phrases across case forms, notes and proximity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pytest

from nlp.lemmatize import fold, lemma_text
from search_api.models import IndexDoc, QueryError, SearchBackend, SearchQuery, SearchResult
from tests.search.fixture_corpus import current, doc, fixture_docs, in_force_on

MIG = "Z1100000477"
KOAP = "K1400000235"
UK = "K1400000226"


def search(backend: SearchBackend, q: str = "", **kw: object) -> SearchResult:
    """A part-level search (``group="none"``) unless the test asks for articles."""
    kw.setdefault("size", 100)
    kw.setdefault("group", "none")
    return backend.search(SearchQuery(q=q, **kw))


def articles(backend: SearchBackend, q: str = "", **kw: object) -> SearchResult:
    kw.setdefault("size", 100)
    return backend.search(SearchQuery(q=q, group="article", **kw))


def ids(result: SearchResult) -> set[str]:
    return {h.id for h in result.hits}


def keys(result: SearchResult) -> list[tuple[str, str]]:
    return [(h.act_id, h.eid) for h in result.hits]


# --- independent expectations -------------------------------------------------------------------------


def _own_ancestors(d: IndexDoc) -> list[str]:
    return d.ancestors[:-1] if d.article and d.eid != d.article else d.ancestors


def fields(d: IndexDoc) -> list[list[str]]:
    """The lemma sequences a document is searched in: its text, its article's heading, the headings above."""
    return [lemma_text(t).split() for t in (d.text, d.heading or "", *_own_ancestors(d))]


def has_lemma(d: IndexDoc, lemma: str) -> bool:
    return any(lemma in f for f in fields(d))


def with_lemma(lemma: str, docs: list[IndexDoc] | None = None) -> set[str]:
    return {d.id for d in (docs or current()) if has_lemma(d, lemma)}


def in_text(lemma: str, docs: list[IndexDoc] | None = None) -> set[str]:
    return {d.id for d in (docs or current()) if lemma in lemma_text(d.text).split()}


def has_lemma_phrase(d: IndexDoc, phrase: str) -> bool:
    want = lemma_text(phrase).split()
    return any(f[i : i + len(want)] == want for f in fields(d) for i in range(len(f)))


def with_lemma_phrase(phrase: str) -> set[str]:
    return {d.id for d in current() if has_lemma_phrase(d, phrase)}


def with_phrase(phrase: str) -> set[str]:
    """Exact surface forms, in the text."""
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
    return {d.id for d in current() if pattern.search(fold(d.text))}


def article_of(d: IndexDoc) -> tuple[str, str]:
    return (d.act_id, d.article or d.eid)


def articles_of(version_ids: Iterable[str]) -> set[tuple[str, str]]:
    return {article_of(doc(v)) for v in version_ids}


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


def test_a_part_is_found_by_its_articles_heading(backend: SearchBackend) -> None:
    """Parts 1-1 and 2 of УК 392 do not say «пересечение»; their article's heading does."""
    result = search(backend, "пересечения")
    assert ids(result) == with_lemma("пересечение")
    assert {f"{UK}/art_392__para_1-1@2025-09-16", f"{UK}/art_392__para_2@2025-09-16"} <= ids(result) - in_text(
        "пересечение"
    )
    assert result.hits[0].id == f"{UK}/art_392__para_1@2025-09-16"  # in the text too: first


def test_plural_and_case_forms_of_a_noun(backend: SearchBackend) -> None:
    assert ids(search(backend, "иммигрантов")) == ids(search(backend, "иммигрант")) == with_lemma("иммигрант")
    assert ids(search(backend, "иммигрант"))


def test_a_number_finds_its_numeral_words(backend: SearchBackend) -> None:
    """Codes write fines in words: "25" finds "двадцати пяти месячных расчетных показателей"."""
    result = search(backend, "25 месячных расчетных показателей")
    with_25 = {f"{KOAP}/art_517__para_4@2020-05-23", f"{KOAP}/art_517__para_5@2020-05-23"}
    assert {h.id for h in result.hits[:2]} == with_25  # every word: first
    assert search(backend, "25 месячных расчетных показателей", sort="date").total == 2


def test_a_hyphenated_compound_finds_its_parts(backend: SearchBackend) -> None:
    """"иммигранты-реадмиссия" (not in the texts as one word) finds both words in one provision."""
    result = search(backend, "иммигранты-реадмиссия", thesaurus=False)
    assert ids(result) == with_lemma("иммигрант") & with_lemma("реадмиссия")


# --- phrases ----------------------------------------------------------------------------------------


def test_quoted_phrase_matches_lemmas_in_order_in_any_case_form(backend: SearchBackend) -> None:
    result = search(backend, '"лица без гражданства"')
    assert ids(result) == with_lemma_phrase("лицо без гражданство")
    assert f"{UK}/art_392__para_1@2025-09-16" in ids(result)  # "лица без гражданства"
    assert f"{KOAP}/art_517__para_2@2020-05-23" in ids(result)  # "лицом без гражданства"
    # the words out of order are not the phrase
    assert search(backend, '"гражданства без лица"').total == 0


def test_another_case_form_in_quotes_finds_the_phrase(backend: SearchBackend) -> None:
    """The texts say «Незаконные иммигранты»; a scholar quotes another case form."""
    result = search(backend, '"незаконного иммигранта"')
    assert ids(result) == with_lemma_phrase("незаконный иммигрант") and result.total > 0
    hit = {h.id: h for h in result.hits}[f"{MIG}/art_60__para_1@2013-12-24"]
    assert "<mark>Незаконные иммигранты</mark>" in hit.snippet


def test_exact_phrase_with_equals_or_the_flag_matches_surface_forms(backend: SearchBackend) -> None:
    exact = search(backend, '="лица без гражданства"')
    assert ids(exact) == with_phrase("лица без гражданства")
    assert not any(h.act_id == KOAP for h in exact.hits)  # KoAP 517 says "лицом без гражданства"
    assert ids(search(backend, '"лица без гражданства"', exact=True)) == ids(exact)
    assert "<mark>лица без гражданства</mark>" in exact.hits[0].snippet
    one = search(backend, "=выдворению")  # one exact word form
    assert ids(one) == {d.id for d in current() if re.search(r"(?<!\w)выдворению(?!\w)", fold(d.text))}


def test_phrase_and_word_combine(backend: SearchBackend) -> None:
    result = search(backend, '"лица без гражданства" лишение', sort="date")  # date: the words stay required
    assert ids(result) == with_lemma_phrase("лицо без гражданство") & with_lemma("лишение")
    assert f"{UK}/art_392__para_1@2025-09-16" in ids(result)


def test_a_phrase_that_finds_nothing_says_so_with_a_hint(backend: SearchBackend) -> None:
    result = search(backend, '"гражданства без лица"')
    assert (result.total, result.hits, result.operator) == (0, [], "and")
    notes = {n.code: n.message for n in result.notes}
    words = with_lemma("гражданство") & with_lemma("лицо")
    assert "no_results" in notes
    assert f"(without the quotes): {len(words)} provisions" in notes["phrase_not_found"]
    exact = search(backend, '="незаконным иммигрантам"')
    assert exact.total == 0
    hint = {n.code: n.message for n in exact.notes}["exact_not_found"]
    assert f"in any case form (without '='): {len(with_lemma_phrase('незаконный иммигрант'))} provisions" in hint


# --- operators ----------------------------------------------------------------------------------------


def test_default_operator_is_and_with_the_rest_after_when_few_have_every_word(backend: SearchBackend) -> None:
    both = {f"{KOAP}/art_517__para_5@2020-05-23", f"{KOAP}/art_517__para_7@2020-05-23"}
    assert with_lemma("выдворение") & with_lemma("арест") == both
    result = search(backend, "выдворение арест")
    # only two have both words (fewer than a page): they come first, then those with either word
    assert {h.id for h in result.hits[:2]} == both
    assert ids(result) == with_lemma("выдворение") | with_lemma("арест")
    assert result.operator == "or" and result.total == len(ids(result))
    assert [n.code for n in result.notes] == ["or_fallback"] and "only 2 provisions" in result.notes[0].message
    # sorted by date, the words stay required (a date order cannot put them first)
    assert ids(search(backend, "выдворение арест", sort="date")) == both


def test_or_fallback_when_and_finds_nothing(backend: SearchBackend) -> None:
    result = search(backend, "реадмиссия арест")
    assert result.operator == "or"
    assert ids(result) == with_lemma("реадмиссия") | with_lemma("арест")
    assert result.total == len(ids(result)) > 2
    assert "no provision has all the words" in result.notes[0].message


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
    strict = (with_lemma("реадмиссия") | with_lemma("арест")) & with_lemma("выдворение")
    assert 0 < len(strict) < 10
    assert {h.id for h in result.hits[: len(strict)]} == strict  # every word first


def test_stop_and_question_words_are_ignored(backend: SearchBackend) -> None:
    assert ids(search(backend, "выдворение за пределы")) == ids(search(backend, "выдворение пределы"))
    assert ids(search(backend, "кто подлежит выдворению")) == ids(search(backend, "подлежит выдворению"))


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
    assert ids(search(backend, "оралман", at=date(2019, 1, 1), thesaurus=False)) == {old}
    assert ids(search(backend, "оралманы", at=date(2020, 5, 22), thesaurus=False)) == {old}
    assert search(backend, "оралман", thesaurus=False).total == 0
    assert search(backend, "кандас", at=date(2019, 1, 1), thesaurus=False).total == 0
    assert ids(search(backend, "кандас", at=date(2020, 5, 23), thesaurus=False)) == {new}  # valid_from inclusive
    assert ids(search(backend, "кандас", thesaurus=False)) == {new}
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
    hit = search(backend, "кандас", thesaurus=False).hits[0]
    d = doc(f"{MIG}/art_1__point_13@2020-05-23")
    assert (hit.id, hit.act_id, hit.eid, hit.heading) == (d.id, MIG, "art_1__point_13", d.heading)
    assert hit.heading == "Основные понятия, используемые в настоящем Законе"  # the article's, for an item
    assert hit.ancestors == d.ancestors and hit.tags == ["ethnic_repatriation"]
    assert (hit.valid_from, hit.valid_to, hit.status) == (date(2020, 5, 23), None, "in_force")
    assert hit.parts == []  # part-level hits have no parts under them


def test_snippets_mark_the_matched_forms(backend: SearchBackend) -> None:
    hits = {h.id: h for h in search(backend, "выдворения").hits}
    assert "<mark>выдворению</mark>" in hits[f"{MIG}/art_60__para_1@2013-12-24"].snippet
    assert "<mark>выдворением</mark>" in hits[f"{KOAP}/art_517__para_7@2020-05-23"].snippet
    phrase = search(backend, '"лица без гражданства"', act=[UK]).hits[0]
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
        ('="высококвалифицированной иностранной рабочей силы"', f"{MIG}/art_4__para_2__point_2@2011-07-22"),
    ],
)
def test_words_of_twenty_letters_and_more_are_indexed(backend: SearchBackend, q: str, expected: str) -> None:
    assert len(q.strip('="').split()[0]) >= 20
    assert expected in ids(search(backend, q))


# --- articles (group="article", the default) --------------------------------------------------------


def test_articles_are_the_default_unit(backend: SearchBackend) -> None:
    grouped = backend.search(SearchQuery(q="выдворение", size=100))
    assert grouped.group == "article"
    expected = articles_of(with_lemma("выдворение"))
    assert set(keys(grouped)) == expected and len(grouped.hits) == grouped.total == len(expected)
    assert all(h.eid.startswith("art_") and "__" not in h.eid for h in grouped.hits)
    assert search(backend, "выдворение").group == "none"


def test_an_article_hit_shows_its_best_parts(backend: SearchBackend) -> None:
    hit = {h.eid: h for h in articles(backend, "выдворение").hits}["art_517"]
    assert hit.id == f"{KOAP}/art_517@2020-05-23"  # the article in the wording of its newest part
    assert hit.heading == doc(f"{KOAP}/art_517__para_2@2020-05-23").heading
    assert 1 <= len(hit.parts) <= 3
    assert all(p.eid.startswith("art_517__") for p in hit.parts)
    assert all(p.id in in_text("выдворение") for p in hit.parts)  # the parts that have the word
    assert all("<mark>" in p.snippet for p in hit.parts) and hit.snippet == hit.parts[0].snippet
    scores = [p.score for p in hit.parts]
    assert scores == sorted(scores, reverse=True)


def test_words_spread_over_an_article_find_it(backend: SearchBackend) -> None:
    """No single part of KoAP 517 has both words (part 2: транзитного; part 3: предупреждение);
    the article has them all, so it comes first, with both parts under it."""
    assert not (in_text("транзитный") & in_text("предупреждение"))
    parts_only = search(backend, "транзитный проезд предупреждение")
    assert parts_only.operator == "or" and "no provision has all the words" in parts_only.notes[0].message
    grouped = articles(backend, "транзитный проезд предупреждение")
    assert keys(grouped)[0] == (KOAP, "art_517")
    assert {p.eid for p in grouped.hits[0].parts} >= {"art_517__para_2", "art_517__para_3"}


def test_headings_count_for_the_article(backend: SearchBackend) -> None:
    """«Основания для отказа иммигранту во въезде …» is art. 48's heading: the words are there."""
    result = articles(backend, "основания для отказа во въезде")
    assert keys(result)[0] == (MIG, "art_48")
    assert result.hits[0].parts[0].eid == "art_48"  # its own text (no parts in the fixture)


def test_article_total_and_pages_count_articles(backend: SearchBackend) -> None:
    everything = articles(backend, "иностранец")
    assert everything.total == len(everything.hits) == len(articles_of(with_lemma("иностранец"))) > 4
    paged = [h.id for p in (1, 2, 3) for h in articles(backend, "иностранец", size=2, page=p).hits]
    assert paged == [h.id for h in everything.hits][:6]


def test_article_filters_keep_their_meaning(backend: SearchBackend) -> None:
    assert {h.act_id for h in articles(backend, "выдворение", act=[KOAP]).hits} == {KOAP}
    assert keys(articles(backend, "", chapter="chp_12")) == [(MIG, "art_60"), (MIG, "art_60-1")]
    # an article has a tag (a right, an amendment date, a status) when one of its parts has it
    tagged = articles(backend, "", tag=["detention"])
    assert keys(tagged) == [(KOAP, "art_517")]
    assert {p.eid for p in tagged.hits[0].parts} <= {"art_517__para_5", "art_517__para_7"}
    assert keys(articles(backend, "", right=["non_refoulement"])) == [(MIG, "art_60")]
    assert set(keys(articles(backend, "", status=["repealed"]))) == {(MIG, "art_1"), (KOAP, "art_517")}
    amended = articles(backend, "", amended_from=date(2022, 1, 1), amended_to=date(2022, 12, 31))
    assert set(keys(amended)) == {(MIG, "art_37-3"), (MIG, "art_60")}
    assert {h.act_id for h in articles(backend, "выдворение", kind=["кодекс"]).hits} == {KOAP, UK}


def test_articles_at_a_date_hold_the_wording_of_that_day(backend: SearchBackend) -> None:
    old = articles(backend, "оралман", at=date(2019, 1, 1), thesaurus=False)
    assert keys(old) == [(MIG, "art_1")]
    hit = old.hits[0]
    assert [p.id for p in hit.parts] == [f"{MIG}/art_1__point_13@2011-07-22"]
    assert hit.valid_to == date(2020, 5, 23) and hit.status == "historical"
    assert articles(backend, "оралман", thesaurus=False).total == 0
    now = articles(backend, "кандас", thesaurus=False).hits[0]
    assert (now.valid_to, now.status) == (None, "in_force")
    assert [p.id for p in now.parts] == [f"{MIG}/art_1__point_13@2020-05-23"]


def test_article_facets_count_articles(backend: SearchBackend) -> None:
    result = articles(backend, "выдворение", size=1)
    expected = articles_of(with_lemma("выдворение"))
    assert result.facets["acts"] == {a: sum(1 for x, _ in expected if x == a) for a in {x for x, _ in expected}}
    assert result.facets["tags"]["expulsion"] == len({article_of(d) for d in current()
                                                       if article_of(d) in expected and "expulsion" in d.tags})


def test_browsing_articles_in_document_order(backend: SearchBackend) -> None:
    result = articles(backend, "", act=[MIG])
    assert [eid for _, eid in keys(result)] == ["art_1", "art_4", "art_37-3", "art_47", "art_48", "art_49",
                                                "art_60", "art_60-1"]
    art1 = result.hits[0]
    assert [p.eid for p in art1.parts] == ["art_1__point_5", "art_1__point_6", "art_1__point_13"]  # its first parts


def test_articles_sorted_by_date(backend: SearchBackend) -> None:
    hits = articles(backend, "", sort="date").hits
    starts = [h.valid_from or date.min for h in hits]
    assert starts == sorted(starts, reverse=True) and keys(articles(backend, "", sort="date"))[0] == (UK, "art_392")


# --- the thesaurus ----------------------------------------------------------------------------------


def test_a_colloquial_word_also_searches_the_statutory_term(backend: SearchBackend) -> None:
    result = search(backend, "высылка")
    assert ids(result) == with_lemma("выдворение")
    assert [(e.term, e.also, e.kind) for e in result.expansions] == [("высылка", ["выдворение"], "colloquial")]
    assert "<mark>выдворению</mark>" in {h.id: h for h in result.hits}[f"{MIG}/art_60__para_1@2013-12-24"].snippet
    off = search(backend, "высылка", thesaurus=False)
    assert (off.total, off.expansions) == (0, [])
    assert [n.code for n in off.notes] == ["no_results"]


def test_a_renamed_term_finds_the_new_wording_and_says_when(backend: SearchBackend) -> None:
    result = search(backend, "оралман")
    assert f"{MIG}/art_1__point_13@2020-05-23" in ids(result)  # the current wording says кандас
    renaming = next(e for e in result.expansions if e.kind == "historical")
    assert renaming.also == ["кандас"] and renaming.note == "renamed by Закон РК от 13.05.2020 № 327-VI"
    # and the other way (mutual): the new term also finds the old wording on an old date
    assert ids(search(backend, "кандас", at=date(2019, 1, 1))) == {f"{MIG}/art_1__point_13@2011-07-22"}


def test_a_multi_word_term_and_a_phrase_alternative(backend: SearchBackend) -> None:
    # "апатрид" → «лицо без гражданства», in any case form
    assert ids(search(backend, "апатрид")) == with_lemma_phrase("лицо без гражданство")
    # "вид на жительство" (a run of words) → «разрешение на постоянное проживание»
    result = search(backend, "вид на жительство")
    assert f"{MIG}/art_49__point_11@2019-01-10" in ids(result)
    assert result.expansions[0].term == "вид на жительство"
    assert "разрешение на постоянное проживание" in result.expansions[0].also


def test_an_abbreviation_naming_a_code_prefers_its_provisions(backend: SearchBackend) -> None:
    result = search(backend, "КоАП выдворение")
    koap = {d.id for d in current() if d.act_id == KOAP} & with_lemma("выдворение")
    assert {h.id for h in result.hits[: len(koap)]} == koap  # then the others with выдворение
    act = next(e for e in result.expansions if e.kind == "act")
    assert (act.term, act.act) == ("КоАП", KOAP)
    assert search(backend, "КоАП выдворение", thesaurus=False).operator == "or"  # no text says "КоАП"
    assert keys(articles(backend, "УК выдворение"))[0] == (UK, "art_392")


# --- proximity and field weights ----------------------------------------------------------------------


def test_words_next_to_each_other_rank_higher(ranking_backend: SearchBackend) -> None:
    """Two SYNTHETIC articles with the same words and lengths: the words together rank first."""
    result = ranking_backend.search(SearchQuery(q="организация незаконной миграции", act=["SYN0000001"]))
    assert [h.eid for h in result.hits] == ["art_2", "art_1"]


def test_words_in_the_heading_rank_higher(ranking_backend: SearchBackend) -> None:
    result = ranking_backend.search(SearchQuery(q="реадмиссия", act=["SYN0000002"]))
    assert [h.eid for h in result.hits] == ["art_2", "art_1"]


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
