"""search_api.documents: part documents and article documents (one per stretch of time), the ranking's
scoring query (search_api.ranking) and the thesaurus applied to queries (search_api.expand)."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.lemmatize import lemma_text
from search_api.documents import article_docs, pairs_of, part_doc, search_docs
from search_api.expand import expand
from search_api.models import IndexDoc
from search_api.query import Acts, And, Or, Phrase, Term, parse_query
from search_api.ranking import (
    F_BODY,
    F_HEADING,
    F_HEADING_PAIRS,
    F_PAIRS,
    WEIGHTS,
    Bool,
    ConstOf,
    ConstQ,
    DisMax,
    TermQ,
    proximity_clauses,
    relaxed_clause,
    scoring_clause,
    text_clause,
)
from tests.search.fixture_corpus import fixture_docs

ACT = "SYN0000009"


def part(eid: str, text: str, vf: date | None, vt: date | None = None, *, tags: list[str] | None = None,
         status: str = "in_force", position: int = 0) -> IndexDoc:
    """A SYNTHETIC provision version of article 5 (made-up text)."""
    return IndexDoc(
        id=f"{ACT}/{eid}@{vf.isoformat() if vf else 'unknown'}", act_id=ACT, act_kind="закон", eid=eid,
        kind="article" if eid == "art_5" else "part", article="art_5", chapter="chp_1",
        heading="Статья о выдворении", ancestors=["Глава 1. ОБЩИЕ ПОЛОЖЕНИЯ"] + ([] if eid == "art_5" else
                                                                                  ["Статья 5. Статья о выдворении"]),
        text=text, lemmas=lemma_text(text), valid_from=vf, valid_to=vt,
        status=status if vt is None else "historical", tags=tags or [], position=position,
    )


# --- article documents --------------------------------------------------------------------------------


def test_an_article_has_one_document_per_stretch_of_time_with_the_same_parts() -> None:
    a = part("art_5", "", date(2011, 1, 1), position=1)
    p1_old = part("art_5__para_1", "Иностранцы выдворяются.", date(2011, 1, 1), date(2020, 1, 1), position=2)
    p1_new = part("art_5__para_1", "Иностранцы подлежат выдворению.", date(2020, 1, 1), position=2)
    p2 = part("art_5__para_2", "Решение принимает суд.", date(2015, 6, 1), tags=["expulsion"], position=3)
    docs = list(article_docs([p2, p1_new, a, p1_old]))
    assert [(d.valid_from, d.valid_to) for d in docs] == [
        (date(2011, 1, 1), date(2015, 6, 1)),
        (date(2015, 6, 1), date(2020, 1, 1)),
        (date(2020, 1, 1), None),
    ]
    first, middle, last = docs
    assert first.id == f"{ACT}/art_5@2011-01-01" and first.eid == "art_5" and first.level == "article"
    assert first.lemmas.split() == lemma_text("Иностранцы выдворяются.").split()
    assert middle.lemmas.split() == lemma_text("Иностранцы выдворяются. Решение принимает суд.").split()
    assert last.surface.startswith("статья о выдворении иностранцы подлежат выдворению")  # heading first
    assert (first.hit["status"], last.hit["status"]) == ("historical", "in_force")
    assert first.tags == [] and last.tags == ["expulsion"]  # a tag of one part is the article's
    assert set(middle.statuses) == {"historical", "in_force"}  # filter values: its own and its parts'
    assert last.heading_lemmas == "статья о выдворение" and last.ancestor_lemmas == "глава 1 общий положение"
    assert last.key == first.key == f"{ACT}/art_5"
    assert pairs_of(p1_new.lemmas) == "иностранец_подлежать подлежать_выдворение"
    assert last.pairs == f"{pairs_of(p1_new.lemmas)} {pairs_of(p2.lemmas)}"  # no pair across two parts


def test_an_article_known_only_by_its_heading_is_still_a_document() -> None:
    docs = list(article_docs([part("art_5", "", date(2011, 1, 1))]))
    assert len(docs) == 1 and docs[0].heading_lemmas and not docs[0].lemmas


def test_a_repealed_article_is_repealed_and_an_undated_one_starts_unknown() -> None:
    stub = part("art_5", "исключена", None, status="repealed")
    [doc] = list(article_docs([stub]))
    assert doc.id == f"{ACT}/art_5@unknown" and doc.valid_from is None and doc.hit["status"] == "repealed"


def test_part_documents_come_first_then_each_acts_articles() -> None:
    docs = list(search_docs(fixture_docs()))
    levels = [(d.act_id, d.level) for d in docs]
    for act in {a for a, _ in levels}:
        mine = [lv for a, lv in levels if a == act]
        assert mine == sorted(mine, key=lambda lv: lv == "article")  # parts, then articles
    parts = [d for d in docs if d.level == "part"]
    assert [d.id for d in parts] == [d.id for d in fixture_docs()]
    p = parts[0]
    assert p.key == "K1400000226/art_392" and p.hit["key"] == p.key
    assert p.ancestor_lemmas == lemma_text("Глава 16. УГОЛОВНЫЕ ПРАВОНАРУШЕНИЯ ПРОТИВ ПОРЯДКА УПРАВЛЕНИЯ")
    assert "умышленный_незаконный" in p.heading_pairs.split()


def test_pairs_skip_stop_words() -> None:
    assert pairs_of("основание для отказ в въезд") == "основание_отказ отказ_въезд"
    assert pairs_of("и в") == "" and pairs_of("") == ""
    assert part_doc(part("art_5__para_1", "Организация незаконной миграции.", None)).pairs == (
        "организация_незаконный незаконный_миграция"
    )


# --- the ranking's scoring query ------------------------------------------------------------------------


def test_a_word_scores_in_the_heading_ancestors_and_text_by_dis_max() -> None:
    clause = text_clause(parse_query("беженцы").root)
    assert clause == DisMax(
        (
            TermQ(F_HEADING, "беженец", WEIGHTS.heading),
            TermQ("ancestor_lemmas", "беженец", WEIGHTS.ancestors),
            TermQ(F_BODY, "беженец", WEIGHTS.body),
        ),
        WEIGHTS.tie,
    )
    derived = text_clause(parse_query("задержание").root)
    assert isinstance(derived, DisMax) and TermQ(F_BODY, "задержать", WEIGHTS.derived) in derived.children


def test_proximity_pairs_of_consecutive_query_words() -> None:
    node = parse_query("организация незаконной миграции").root
    assert proximity_clauses(node) == (
        TermQ(F_HEADING_PAIRS, "организация_незаконный", WEIGHTS.proximity * WEIGHTS.heading),
        TermQ(F_PAIRS, "организация_незаконный", WEIGHTS.proximity_text * WEIGHTS.body),
        TermQ(F_HEADING_PAIRS, "незаконный_миграция", WEIGHTS.proximity * WEIGHTS.heading),
        TermQ(F_PAIRS, "незаконный_миграция", WEIGHTS.proximity_text * WEIGHTS.body),
    )
    full = scoring_clause(node)
    assert isinstance(full, Bool) and full.should == proximity_clauses(node) and len(full.must) == 1
    assert proximity_clauses(parse_query("выдворение").root) == ()
    assert proximity_clauses(parse_query("выдворение -штраф суд").root) == ()  # not next to each other


def test_the_or_fallback_keeps_every_word_first() -> None:
    strict = parse_query("выдворение арест")
    relaxed = strict.or_fallback()
    assert relaxed is not None
    clause = relaxed_clause(strict.root, relaxed.root)
    assert isinstance(clause, Bool) and clause.should[0] == ConstOf(text_clause(strict.root), WEIGHTS.all_words)


def test_thesaurus_alternatives_count_once_and_weigh_less() -> None:
    expanded, _ = expand(parse_query("высылка"))
    clause = text_clause(expanded.root)
    assert isinstance(clause, DisMax)  # the typed word or its alternative: the best one
    _, alternative = clause.children
    assert isinstance(alternative, DisMax)
    assert TermQ(F_BODY, "выдворение", WEIGHTS.thesaurus * WEIGHTS.body) in alternative.children
    acts, _ = expand(parse_query("УК"))
    assert ConstQ("act_id", ("K1400000226",), WEIGHTS.act) in text_clause(acts.root).children  # type: ignore[union-attr]


# --- the thesaurus applied to a query ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "term", "also"),
    [
        ("высылки", "высылки", ["выдворение"]),
        ("гастарбайтеры", "гастарбайтеры", ["трудовой иммигрант", "иностранный работник", "иностранная рабочая сила"]),
        ("ВНЖ", "ВНЖ", ["вид на жительство", "разрешение на постоянное проживание"]),
        ("вида на жительство", "вид на жительство", ["разрешение на постоянное проживание"]),
        ("месячных расчетных показателей", "месячный расчетный показатель", ["МРП"]),  # mutual
        ('"принимающая сторона"', "принимающая сторона", ["принимающее лицо"]),  # a whole quoted term
    ],
)
def test_expansions_are_reported(q: str, term: str, also: list[str]) -> None:
    _, expansions = expand(parse_query(q))
    assert (expansions[0].term, expansions[0].also) == (term, also)


def test_a_run_of_words_becomes_a_group_of_alternatives() -> None:
    expanded, _ = expand(parse_query("вид на жительство иностранца"))
    assert isinstance(expanded.root, And)
    group, rest = expanded.root.children
    assert isinstance(group, Or) and group.synonyms
    assert group.children[0] == And((Term("вид", ("вид",)), Term("жительство", ("жительство",))), implicit=False)
    alternative = group.children[1]
    assert isinstance(alternative, Phrase) and alternative.origin == "thesaurus" and not alternative.exact
    assert alternative.lemmas == ("разрешение", "на", "постоянный", "проживание")
    assert isinstance(rest, Term) and rest.lemmas[0] == "иностранец"


def test_an_act_name_adds_the_act() -> None:
    expanded, expansions = expand(parse_query("КоАП выдворение"))
    assert isinstance(expanded.root, And) and isinstance(expanded.root.children[0], Or)
    assert Acts("КоАП", ("K1400000235",)) in expanded.root.children[0].children
    assert expansions[0].act == "K1400000235" and expansions[0].kind == "act"


def test_what_is_never_expanded() -> None:
    for q in ('="принимающая сторона"', "выдворение -высылка", '"принимающая сторона правила"'):
        expanded, expansions = expand(parse_query(q))
        assert expansions == [] and expanded == parse_query(q)


