"""The shared query language (search_api.query) and snippet highlighter (search_api.highlight)."""

from __future__ import annotations

import pytest

from search_api.highlight import marked_segments, snippet
from search_api.models import QueryError
from search_api.query import (
    MAX_DEPTH,
    MAX_QUERY_LENGTH,
    MAX_RESULT_WINDOW,
    And,
    Not,
    Or,
    Phrase,
    Term,
    check_window,
    parse_query,
    query_lemma_phrases,
    query_lemmas,
    query_surface_terms,
    surface_text,
    word_lemmas,
)

# --- parsing ----------------------------------------------------------------------------------------


def lemmas_of(node: object) -> object:
    """The tree with every Term reduced to its own lemma and every Phrase to its words: compact."""
    if isinstance(node, Term):
        return node.lemmas[0]
    if isinstance(node, Phrase):
        return ("phrase", *node.words)
    if isinstance(node, Not):
        return ("not", lemmas_of(node.child))
    if isinstance(node, And):
        return ("and" if not node.implicit else "and~", *(lemmas_of(c) for c in node.children))
    if isinstance(node, Or):
        return ("syn" if node.synonyms else "or", *(lemmas_of(c) for c in node.children))
    raise TypeError(node)


@pytest.mark.parametrize(
    ("q", "tree"),
    [
        ("выдворения", "выдворение"),
        ("Выдворению иностранцев", ("and~", "выдворение", "иностранец")),
        ("незаконные иммигранты", ("and~", "незаконный", "иммигрант")),
        ("подлежат выдворению за пределы", ("and~", "подлежать", "выдворение", "предел")),  # "за" is a stop word
        ('"лица без гражданства"', ("phrase", "лица", "без", "гражданства")),
        ('="лица без гражданства"', ("phrase", "лица", "без", "гражданства")),
        ('"Лицо без гражданства" выдворение', ("and~", ("phrase", "лицо", "без", "гражданства"), "выдворение")),
        ("«жертвы торговли людьми»", ("phrase", "жертвы", "торговли", "людьми")),
        ("реадмиссия OR выдворение", ("or", "реадмиссия", "выдворение")),
        ("реадмиссия AND выдворение", ("and", "реадмиссия", "выдворение")),
        ("беженец NOT депортация", ("and~", "беженец", ("not", "депортация"))),
        ("беженец -депортация", ("and~", "беженец", ("not", "депортация"))),
        ("(виза OR разрешение) трудовой", ("and~", ("or", "виза", "разрешение"), "трудовой")),
        # a hyphen inside a word: the compound, or its parts
        ("административно-процессуального",
         ("syn", "административно-процессуальный", ("and", "административно", "процессуальный"))),
        ("высококвалифицированной", "высококвалифицированный"),
        ("ещё", "еще"),  # ё → е
        ("выдворение - штраф", ("and~", "выдворение", "штраф")),  # a lone dash is punctuation
        ("КоАП ст.517", ("and~", "коап", "статья", ("syn", "517", ("phrase", "пятьсот", "семнадцать")))),
        ("кто выдает разрешение", ("and~", "выдавать", "разрешение")),  # question words dropped
        ("бизнес-иммигранты", ("syn", "бизнес-иммигрант", ("and", "бизнес", "иммигрант"))),
        ("or and", ("and~", "or", "and")),  # operators are upper case only
    ],
)
def test_parse_tree(q: str, tree: object) -> None:
    assert lemmas_of(parse_query(q).root) == tree


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ('"лица без гражданства', "unbalanced quote at position 1"),
        ("(выдворение OR арест", "unbalanced parenthesis: '(' at position 1"),
        ("выдворение)", "unbalanced parenthesis: ')' at position 11"),
        ("()", "empty parentheses"),
        ('""', "empty phrase"),
        ("выдворение AND", "operator AND at position 12 has no right-hand operand"),
        ("выдворение OR", "no right-hand operand"),
        ("AND выдворение", "no left-hand operand"),
        ("OR выдворение", "no left-hand operand"),
        ("выдворение AND OR арест", "no right-hand operand"),
        ("NOT выдворение", "only a negation"),
        ("-выдворение", "only a negation"),
        ("-выдворение -арест", "only negations"),
        ("выдворение OR NOT арест", "NOT cannot be an alternative of OR"),
        ("и в на", "no searchable words"),
        ("– ;", "no searchable words"),
    ],
)
def test_bad_queries_name_the_problem(q: str, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_query(q)


def test_verb_and_deverbal_noun_find_each_other() -> None:
    # задержать ↔ задержание: the pair is a weaker alternative of the word's own lemma
    assert word_lemmas("задержание") == ("задержание", "задержать")
    assert word_lemmas("задержать")[:2] == ("задержать", "задержание")
    term = parse_query("задержания").root
    assert isinstance(term, Term) and term.lemmas == ("задержание", "задержать")  # own lemma first
    assert word_lemmas("беженец") == ("беженец",)


@pytest.mark.parametrize(
    ("q", "relaxed"),
    [
        ("реадмиссия арест", ("or", "реадмиссия", "арест")),
        ("реадмиссия арест -штраф", ("and", ("or", "реадмиссия", "арест"), ("not", "штраф"))),
        ("(реадмиссия арест) AND выдворение", ("and", ("or", "реадмиссия", "арест"), "выдворение")),
        ("реадмиссия AND арест", None),  # asked for explicitly: nothing to relax
        ("реадмиссия", None),
        ("беженец -депортация", None),
        ('"лица без гражданства"', None),
    ],
)
def test_or_fallback(q: str, relaxed: object) -> None:
    fallback = parse_query(q).or_fallback()
    if relaxed is None:
        assert fallback is None
    else:
        assert fallback is not None and fallback.operator == "or"
        assert lemmas_of(fallback.root) == relaxed


def test_lemmas_and_phrases_for_highlighting_skip_negations() -> None:
    q = parse_query('"лица без гражданства" ="незаконные иммигранты" выдворения -штраф -"о беженцах"')
    assert {"выдворение"} <= query_lemmas(q) and "штраф" not in query_lemmas(q)
    assert query_lemma_phrases(q) == (("лицо", "без", "гражданство"),)  # quoted: any case form
    assert query_surface_terms(q) == (("незаконные", "иммигранты"),)  # "=": these forms


def test_phrases_are_lemmas_unless_exact() -> None:
    phrase = parse_query('"лица без гражданства"').root
    assert isinstance(phrase, Phrase) and not phrase.exact and phrase.lemmas == ("лицо", "без", "гражданство")
    for q, kw in (('="лица без гражданства"', {}), ('"лица без гражданства"', {"exact": True})):
        exact = parse_query(q, **kw).root
        assert isinstance(exact, Phrase) and exact.exact and exact.words == ("лица", "без", "гражданства")
    word = parse_query("=выдворению").root
    assert isinstance(word, Phrase) and word.exact and word.words == ("выдворению",)
    assert lemmas_of(parse_query("= выдворение").root) == "выдворение"  # a lone "=" is punctuation


def test_surface_text_folds_and_keeps_hyphenated_words() -> None:
    assert surface_text("Лица без гражданства, ёмкость; административно-процессуального") == (
        "лица без гражданства емкость административно-процессуального"
    )


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("(" * 238 + "виза" + ")" * 238, f"nested too deeply at position {MAX_DEPTH + 1}"),
        ("виза " + "NOT " * 950 + "паспорт", "query too long"),
        ("виза " + "NOT " * 40 + "паспорт", "nested too deeply"),
        ("виза " + "-(" * 40 + "паспорт" + ")" * 40, "nested too deeply"),
        ("виза " * 201, f"query too long: 1005 characters, at most {MAX_QUERY_LENGTH}"),
    ],
)
def test_deep_or_long_queries_are_refused_before_any_recursion(q: str, message: str) -> None:
    """The probe's 500s (RecursionError): now a QueryError naming the limit."""
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        parse_query(q)


def test_the_deepest_allowed_query_parses() -> None:
    q = "(" * (MAX_DEPTH - 1) + "NOT виза паспорт" + ")" * (MAX_DEPTH - 1)
    assert parse_query("паспорт " + q).root is not None
    assert parse_query("виза " * (MAX_QUERY_LENGTH // 5)).root is not None


def test_result_window() -> None:
    check_window(100, 100)
    with pytest.raises(QueryError, match=str(MAX_RESULT_WINDOW)):
        check_window(101, 100)


# --- snippets -------------------------------------------------------------------------------------------

# КоАП РК, ст. 517, ч. 7 (real text)
KOAP_517_7 = (
    "Деяния, предусмотренные частью второй, четвертой и пятой настоящей статьи, совершенные повторно в "
    "течение года после наложения административного взыскания, –\nвлекут административный арест до "
    "пятнадцати суток с административным выдворением за пределы Республики Казахстан."
)
# Закон «О миграции населения», ст. 60, п. 1 (real text, beginning)
MIG_60_1 = (
    "Незаконные иммигранты подлежат выдворению за пределы Республики Казахстан в государство их "
    "гражданской принадлежности или постоянного проживания, или в государство, из которого они прибыли."
)


def test_snippet_marks_every_form_of_the_query_lemma() -> None:
    s = snippet(KOAP_517_7, parse_query("выдворение"))
    assert "<mark>выдворением</mark>" in s
    assert snippet(MIG_60_1, parse_query("выдворения")).count("<mark>") == 1
    assert "<mark>Незаконные</mark> <mark>иммигранты</mark>" in snippet(MIG_60_1, parse_query("незаконный иммигрант"))


def test_snippet_marks_phrases_as_one_run_and_not_stop_words() -> None:
    s = snippet(MIG_60_1, parse_query('"за пределы Республики Казахстан" подлежать'))
    assert "<mark>за пределы Республики Казахстан</mark>" in s and "<mark>подлежат</mark>" in s
    assert "<mark>за</mark>" not in snippet(MIG_60_1, parse_query("выдворение за пределы"))


def test_snippet_is_a_window_around_the_best_match_with_ellipses() -> None:
    long_text = MIG_60_1 + " " + KOAP_517_7
    s = snippet(long_text, parse_query("арест"), max_chars=80)
    assert "<mark>арест</mark>" in s and s.startswith("…")
    assert len(s.replace("<mark>", "").replace("</mark>", "")) <= 80 + 2
    # no match: the beginning of the text
    assert snippet(long_text, None, max_chars=60).startswith("Незаконные иммигранты")


def test_snippet_escapes_html() -> None:
    s = snippet('Статья <b>5</b> & "кавычки" выдворение', parse_query("выдворение"))
    assert s == 'Статья &lt;b&gt;5&lt;/b&gt; &amp; "кавычки" <mark>выдворение</mark>'


def test_surface_text_has_the_tokens_of_analyze_on_real_texts() -> None:
    from nlp.lemmatize import analyze, fold
    from tests.search.fixture_corpus import fixture_docs

    for d in fixture_docs():
        assert surface_text(d.text) == " ".join(fold(t.text) for t in analyze(d.text)), d.id


def test_snippets_tokenize_exactly_as_the_corpus(built_home) -> None:
    """Snippets use word_spans (space-delimited chunks tokenized once): the words of analyze."""
    from corpus.store import Store
    from nlp.lemmatize import analyze, word_spans
    from tests.search.fixture_corpus import fixture_docs

    with Store(built_home / "corpus.sqlite", readonly=True) as store:
        texts = [t for p in store.versions() for t in (p.text, p.heading or "", " ".join(p.ancestors))]
    texts += [d.text for d in fixture_docs()] + ["ст.517-1  КоАП,\n«Иностранцы» –\u00a0выдворяются (п. 3)"]
    for text in texts:
        assert word_spans(text) == [(t.start, t.end, t.lemma) for t in analyze(text)], text[:80]


def test_marked_segments_give_back_the_plain_text_of_a_snippet() -> None:
    text = 'Иностранцы <и лица> без гражданства, "подлежащие" выдворению & депортации'
    html = snippet(text, parse_query("выдворение"))
    pieces = marked_segments(html)
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, marked in pieces if marked] == ["выдворению"]
