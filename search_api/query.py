"""The search query language shared by both backends (docs/design.md §5).

``parse_query`` turns the user's text into a small AST; :mod:`search_api.expand` adds the thesaurus's
alternatives, :mod:`search_api.ranking` turns it into one backend-neutral scoring query, and each
backend translates that (tantivy ``BooleanQuery``, Elasticsearch ``bool``), so both answer the same.

Grammar (operators are upper-case words; default operator AND; ``=`` marks exact surface forms)::

    query  := or
    or     := and ("OR" and)*
    and    := unary (["AND"] unary)*
    unary  := "NOT" unary | "-" atom | atom
    atom   := ["="] WORD | ["="] '"' phrase '"' | "(" or ")"

- A word matches by lemma (``nlp.lemmatize.lemma``, ё→е): "выдворения", "выдворению" find
  "выдворение". A word also matches its verb/deverbal-noun pair when both are dictionary words
  (выдворить ↔ выдворение, задержать ↔ задержание) so "выдворен" finds "выдворение"; the pair is a
  secondary alternative, weighted lower by ``search_api.ranking``.
- A quoted phrase matches its words' lemmas in order, next to each other (slop 0), stop words
  included: ``"незаконная миграция"`` finds "незаконной миграции". With ``=`` before the quote
  (``="незаконной миграции"``) or ``parse_query(q, exact=True)`` it matches the folded surface forms
  (lower case, ё→е) instead; ``=word`` is one exact word form.
- Stop words (предлоги, союзы, частицы) and question words (кто, какой, когда, можно …) are dropped
  from word matching.
- ``NOT x`` and ``-x`` exclude; a query (or a group) needs at least one positive term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from legal.numerals import number_words
from nlp.lemmatize import WORD_RE as _NLP_WORD_RE  # analyze()'s word pattern
from nlp.lemmatize import analyze, fold, lemma
from search_api.models import QueryError

#: Dropped from word matching (still part of quoted phrases): prepositions, conjunctions, particles.
_STOP_WORDS_TEXT = """
    а без бы в во да для до же за и из или к ко ли либо на над не ни но о об обо от по под при
    про с со то у через что чтобы как это его ее их
"""
#: Question words and modal fillers of queries in a scholar's own words («на каком основании …»,
#: «можно ли …», «кто выдает …»): they carry no topic, and with the default AND they would only
#: exclude the article that answers. Folded surface forms.
_QUESTION_WORDS_TEXT = """
    кто кого кому кем ком какой какая какое какие каком какого какому каким какими каких какую
    каков какова каковы когда где куда откуда почему зачем сколько можно нельзя ли если может могут
    будет будут он она оно они него нее них ему ей им ими нему ней ним нем себя
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split()) | frozenset(_QUESTION_WORDS_TEXT.split())

# Deverbal noun suffix ↔ infinitive suffix (выдворение ↔ выдворить, задержание ↔ задержать).
_DERIVATIONS: tuple[tuple[str, str], ...] = (("ение", "ить"), ("ание", "ать"), ("яние", "ять"))

OPERATORS = ("AND", "OR", "NOT")

#: Longest query text accepted (characters) and deepest nesting of parentheses and NOT: a query is a few
#: words, and the parser, the query translators and the backends all recurse over the tree.
MAX_QUERY_LENGTH = 1000
MAX_DEPTH = 32

#: Deepest hit a page may reach (page * size), as Elasticsearch's default ``max_result_window``.
MAX_RESULT_WINDOW = 10_000


def check_window(page: int, size: int) -> None:
    """Both backends refuse pages past :data:`MAX_RESULT_WINDOW` with the same QueryError."""
    if page * size > MAX_RESULT_WINDOW:
        raise QueryError(
            f"page {page} of size {size} goes past the first {MAX_RESULT_WINDOW} hits: narrow the query"
        )


#: Where a word or phrase of the parsed query came from: the user's text, or the thesaurus
#: (:mod:`search_api.expand`). The ranking (:mod:`search_api.ranking`) weighs them.
Origin = Literal["query", "thesaurus"]


@dataclass(frozen=True)
class Term:
    """A word: matches any of ``lemmas``; ``lemmas[0]`` is the word's own lemma, the others its
    verb/deverbal-noun pair (weighted lower by the ranking)."""

    text: str
    lemmas: tuple[str, ...]
    origin: Origin = "query"


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase: its words next to each other, in order. ``lemmas`` match any case form;
    ``exact`` phrases match the folded surface forms ``words`` instead."""

    text: str
    words: tuple[str, ...]
    lemmas: tuple[str, ...] = ()
    exact: bool = False
    origin: Origin = "query"


@dataclass(frozen=True)
class Acts:
    """The provisions of these acts (an act named in the query: "УК", "КоАП"), from the thesaurus."""

    text: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    """Conjunction; ``implicit`` when written without AND (the default operator, relaxed by
    :meth:`Query.or_fallback`)."""

    children: tuple[Node, ...]
    implicit: bool = False


@dataclass(frozen=True)
class Or:
    """Alternatives; ``synonyms`` when they are one concept in other words (the thesaurus): the
    ranking scores such a group by its best alternative rather than adding them up."""

    children: tuple[Node, ...]
    synonyms: bool = False


Node = Term | Phrase | Acts | Not | And | Or


@dataclass(frozen=True)
class Query:
    """A parsed query: ``root`` is never None (an empty query is a QueryError)."""

    text: str
    root: Node
    operator: Literal["and", "or"] = "and"

    def or_fallback(self) -> Query | None:
        """The same query with every default (implicit) AND turned into OR, keeping NOT terms as
        exclusions; None when that would not change anything (nothing to fall back to)."""
        relaxed = _relax(self.root)
        if relaxed == self.root:
            return None
        return Query(self.text, relaxed, "or")


def _relax(node: Node) -> Node:
    if isinstance(node, And):
        children = tuple(_relax(c) for c in node.children)
        positives = tuple(c for c in children if not isinstance(c, Not))
        negatives = tuple(c for c in children if isinstance(c, Not))
        if not node.implicit or len(positives) < 2:
            return And(children, node.implicit)
        alt: Node = positives[0] if len(positives) == 1 else Or(positives)
        return And((alt, *negatives)) if negatives else alt
    if isinstance(node, Or):
        return Or(tuple(_relax(c) for c in node.children), node.synonyms)
    if isinstance(node, Not):
        return Not(_relax(node.child))
    return node


# --- lemmas of a query word ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _morph():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _is_lemma_of(word: str, pos: set[str]) -> bool:
    return any(p.normal_form == word and p.tag.POS in pos for p in _morph().parse(word))


@lru_cache(maxsize=50_000)
def word_lemmas(word: str) -> tuple[str, ...]:
    """The lemma of ``word`` first, then its verb/deverbal-noun pair when both are dictionary words."""
    own = lemma(word)
    out = [own]
    for noun_suffix, verb_suffix in _DERIVATIONS:
        if own.endswith(noun_suffix) and _is_lemma_of(own, {"NOUN"}):
            verb = own[: -len(noun_suffix)] + verb_suffix
            if _morph().word_is_known(verb) and _is_lemma_of(verb, {"INFN"}):
                out.append(verb)
        elif own.endswith(verb_suffix) and _is_lemma_of(own, {"INFN"}):
            noun = own[: -len(verb_suffix)] + noun_suffix
            if _morph().word_is_known(noun) and _is_lemma_of(noun, {"NOUN"}):
                out.append(noun)
    return tuple(dict.fromkeys(out))


def is_stop_word(word: str) -> bool:
    return fold(word) in STOP_WORDS


def surface_text(text: str) -> str:
    """What the surface (phrase) field indexes in both backends: the folded word forms of ``text``
    (the same tokens as ``nlp.lemmatize.analyze``), space-joined; tokenize it on whitespace.

    Folding first and then finding the words gives the same tokens (folding maps letters to letters
    and NBSP to a space) at a fraction of the cost of ``analyze``, which also lemmatizes."""
    return " ".join(_NLP_WORD_RE.findall(fold(text)))


# --- tokenizer -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    kind: Literal["word", "phrase", "op", "lpar", "rpar", "minus"]
    text: str
    pos: int
    exact: bool = False  # written with "=" before it: surface forms, not lemmas


def _tokenize(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    exact_at = -1  # position of a pending "=" (exact surface forms for the next phrase or word)
    while i < n:
        c = q[i]
        exact = exact_at >= 0 and exact_at == i - 1
        if c.isspace():
            i += 1
        elif c == "=" and i + 1 < n and not q[i + 1].isspace() and (i == 0 or q[i - 1] in " \t\n("):
            exact_at = i
            i += 1
        elif c in '"«»“”„':
            close = q.find('"', i + 1) if c == '"' else -1
            if c != '"':  # typographic quotes close with any closing quote
                close = min((j for j in (q.find(x, i + 1) for x in '"»“”') if j >= 0), default=-1)
            if close < 0:
                raise QueryError(f"unbalanced quote at position {i + 1}: {q[i : i + 30]!r}")
            toks.append(_Tok("phrase", q[i + 1 : close], i, exact))
            i = close + 1
        elif c == "(":
            toks.append(_Tok("lpar", c, i))
            i += 1
        elif c == ")":
            toks.append(_Tok("rpar", c, i))
            i += 1
        elif c == "-" and i + 1 < n and not q[i + 1].isspace() and (i == 0 or q[i - 1] in " \t\n("):
            # "-term" negates; a hyphen inside a word (административно-процессуальный) does not
            toks.append(_Tok("minus", c, i))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in '()"«»“”„':
                j += 1
            word = q[i:j]
            toks.append(_Tok("op" if word in OPERATORS and not exact else "word", word, i, exact))
            i = j
    return toks


# --- parser ----------------------------------------------------------------------------------------


def _is_op(tok: _Tok, op: str) -> bool:
    return tok.kind == "op" and tok.text == op


class _Parser:
    def __init__(self, q: str, *, exact: bool = False) -> None:
        self.q = q
        self.toks = _tokenize(q)
        self.i = 0
        self.depth = 0  # open parentheses and NOTs around the current token
        self.exact = exact  # quoted phrases match surface forms

    def _nest(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(
                f"query nested too deeply at position {tok.pos + 1}: at most {MAX_DEPTH} levels of parentheses and NOT"
            )

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        node = self.or_()
        tok = self.peek()
        if tok is not None:
            if tok.kind == "rpar":
                raise QueryError(f"unbalanced parenthesis: ')' at position {tok.pos + 1} has no '('")
            raise QueryError(f"unexpected {tok.text!r} at position {tok.pos + 1}")
        return node

    def or_(self) -> Node | None:
        if (first := self.peek()) is not None and _is_op(first, "OR"):
            raise QueryError(f"operator OR at position {first.pos + 1} has no left-hand operand")
        parts = [self.and_()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            self.take()
            self._need_operand(tok)
            parts.append(self.and_())
        kept = [p for p in parts if p is not None]
        if len(parts) > 1 and any(isinstance(p, Not) for p in kept):
            raise QueryError("NOT cannot be an alternative of OR: write 'a NOT b' or '(a OR b) NOT c'")
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_(self) -> Node | None:
        kept: list[Node] = []
        implicit = True
        while (tok := self.peek()) is not None and tok.kind != "rpar" and not _is_op(tok, "OR"):
            if kept and tok.kind == "op" and tok.text == "AND":
                self.take()
                self._need_operand(tok)
                implicit = False
            node = self.unary()
            if tok.kind == "word" and isinstance(node, And):  # "ст.517" → its words join this AND
                kept.extend(node.children)
            elif node is not None:
                kept.append(node)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else And(tuple(kept), implicit)

    def _need_operand(self, op: _Tok) -> None:
        nxt = self.peek()
        if nxt is None or nxt.kind == "rpar" or (nxt.kind == "op" and nxt.text in ("AND", "OR")):
            raise QueryError(f"operator {op.text} at position {op.pos + 1} has no right-hand operand")

    def unary(self) -> Node | None:
        tok = self.peek()
        if tok is None:
            raise QueryError("unexpected end of query")
        if tok.kind == "op":
            if tok.text != "NOT":
                raise QueryError(f"operator {tok.text} at position {tok.pos + 1} has no left-hand operand")
            self.take()
            self._need_operand(tok)
            self._nest(tok)
            child = self.unary()
            self.depth -= 1
            return Not(child) if child is not None else None
        if tok.kind == "minus":
            self.take()
            child = self.atom()
            return Not(child) if child is not None else None
        return self.atom()

    def atom(self) -> Node | None:
        tok = self.take()
        if tok.kind == "lpar":
            if (nxt := self.peek()) is not None and nxt.kind == "rpar":
                raise QueryError(f"empty parentheses at position {tok.pos + 1}")
            self._nest(tok)
            node = self.or_()
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != "rpar":
                raise QueryError(f"unbalanced parenthesis: '(' at position {tok.pos + 1} is not closed")
            self.take()
            return node
        if tok.kind == "rpar":
            raise QueryError(f"unbalanced parenthesis: ')' at position {tok.pos + 1} has no '('")
        if tok.kind == "phrase":
            tokens = analyze(tok.text)
            if not tokens:
                raise QueryError(f"empty phrase at position {tok.pos + 1}")
            words = tuple(fold(t.text) for t in tokens)
            return Phrase(tok.text, words, tuple(t.lemma for t in tokens), exact=tok.exact or self.exact)
        if tok.kind == "word":
            if tok.exact:  # =word: this form only
                tokens = analyze(tok.text)
                if not tokens:
                    return None
                return Phrase(tok.text, tuple(fold(t.text) for t in tokens), tuple(t.lemma for t in tokens), True)
            return _word_node(tok.text)
        raise QueryError(f"unexpected {tok.text!r} at position {tok.pos + 1}")


def _word_node(raw: str) -> Node | None:
    """A bare token; punctuation-only tokens vanish, "ст.517" gives two words (AND)."""
    terms: list[Node] = [_word(t.text) for t in analyze(raw) if not is_stop_word(t.text)]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(tuple(terms), implicit=True)


_NUMBER_RE = re.compile(r"[1-9][0-9]{0,5}")


def _word(text: str) -> Node:
    """One word. Two spellings of the same thing are alternatives of it (``Or(synonyms=True)``):
    a number and its numeral words (25 ↔ "двадцати пяти": codes write fines in words), and a
    hyphenated compound and its parts ("мигранты-домработницы": the compound itself, or both parts)."""
    term = Term(text, word_lemmas(text))
    if _NUMBER_RE.fullmatch(text):
        words = analyze(number_words(int(text)))
        spelled = Phrase(number_words(int(text)), tuple(fold(w.text) for w in words), tuple(w.lemma for w in words))
        return Or((term, spelled), synonyms=True)
    parts = [p for p in text.split("-") if p]
    if len(parts) > 1 and all(_NLP_WORD_RE.fullmatch(p) and not p.isdigit() for p in parts):
        pieces = tuple(Term(p, word_lemmas(p)) for p in parts if not is_stop_word(p))
        if pieces:
            return Or((term, pieces[0] if len(pieces) == 1 else And(pieces, implicit=False)), synonyms=True)
    return term


def _check(node: Node, q: str) -> None:
    """Every conjunction needs a positive operand: a query that is only NOT finds nothing sensible."""
    if isinstance(node, Not):
        raise QueryError(f"query {q!r} is only a negation (NOT/-term): add a term to search for")
    if isinstance(node, And):
        if all(isinstance(c, Not) for c in node.children):
            raise QueryError(f"query {q!r} is only negations (NOT/-term): add a term to search for")
        for c in node.children:
            _check(c.child if isinstance(c, Not) else c, q)
    elif isinstance(node, Or):
        for c in node.children:
            _check(c, q)


def parse_query(q: str, *, exact: bool = False) -> Query:
    """Parse the user's query text; raises :class:`QueryError` naming the problem. ``exact``: quoted
    phrases match surface forms (as if written with ``=``).

    An empty (or blank) query is an error here: backends treat an empty ``SearchQuery.q`` as
    browsing before they call this.
    """
    if not q or not q.strip():
        raise QueryError("empty query")
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(f"query too long: {len(q)} characters, at most {MAX_QUERY_LENGTH}")
    root = _Parser(q, exact=exact).parse()
    if root is None:
        raise QueryError(f"query {q!r} has no searchable words (only stop words or punctuation)")
    _check(root, q)
    return Query(q, root)


# --- what highlighting needs -----------------------------------------------------------------------


def _positives(node: Node) -> list[Term | Phrase]:
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, Not | Acts):
        return []
    out: list[Term | Phrase] = []
    for c in node.children:
        out.extend(_positives(c))
    return out


def query_lemmas(query: Query) -> frozenset[str]:
    """Every lemma (with derived alternatives) of the positive word terms: what snippets mark."""
    return frozenset(lem for t in _positives(query.root) if isinstance(t, Term) for lem in t.lemmas)


def query_surface_terms(query: Query) -> tuple[tuple[str, ...], ...]:
    """The positive exact phrases (``=``) as tuples of folded surface forms."""
    return tuple(p.words for p in _positives(query.root) if isinstance(p, Phrase) and p.exact)


def query_lemma_phrases(query: Query) -> tuple[tuple[str, ...], ...]:
    """The positive phrases matched on lemmas (quoted phrases, thesaurus phrases) as lemma tuples."""
    return tuple(p.lemmas for p in _positives(query.root) if isinstance(p, Phrase) and not p.exact and p.lemmas)
