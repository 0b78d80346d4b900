"""The ranking function of MigraLex search: ONE place, used by both backends.

A parsed (and thesaurus-expanded) query becomes a small backend-neutral scoring query (the
``Clause`` types below); ``search_api.embedded`` and ``search_api.elastic`` translate it node for
node into tantivy and Elasticsearch queries, so both score the same way. Every weight is in
:class:`Weights`; :data:`WEIGHTS` is what search uses.

What a document is scored on (every search document has these fields, article or part):

- ``heading_lemmas``: the article's heading (заголовок статьи);
- ``ancestor_lemmas``: the headings above it (раздел, глава, параграф);
- ``lemmas``: the text (for an article: all its parts and items);
- ``surface``: the folded word forms of the text (for exact ``=`` phrases);
- ``pairs`` and ``heading_pairs``: every two consecutive words of the text and of the heading as one
  token ``a_b`` (lemmas, stop words skipped: «основания для отказа» → ``основание_отказ``), so that
  proximity is a plain term query.

The score of a document is BM25 (k1 1.2, b 0.75, per field, as both engines compute it) summed as
follows:

- a word (its lemma) scores in each field, weighted ``heading`` / ``ancestors`` / ``body``; the
  fields are combined by dis-max (the best field plus ``tie`` × the others), so a word in the heading
  counts more than in the text without counting twice. Its verb/deverbal-noun pair (выдворить for
  выдворение) is an alternative weighted ``derived``;
- a quoted phrase scores as a phrase of lemmas (slop 0) in each field, weighted the same way; an
  exact phrase scores on the surface forms, weighted ``body``;
- thesaurus alternatives (высылка → выдворение) score like the typed words times ``thesaurus``;
  a group of alternatives scores by its best one (dis-max, ``tie``), so synonyms do not add up;
  an act named in the query (УК, КоАП) adds ``act`` to every provision of that act;
- proximity: every two consecutive words of the query (stop words skipped) that also stand next to
  each other in the heading or the text (stop words skipped there too) add the BM25 score of that
  pair, weighted ``proximity`` in the heading and ``proximity_text`` in the text (× the field
  weight). "организация незаконной миграции" thus ranks the article headed «Организация незаконной
  миграции» over one that has the three words apart. Pairs are indexed as tokens (``pairs``) rather
  than found by phrase queries, which read positions and cost tens of milliseconds on frequent words
  over a million documents.

The default operator AND makes every word required (for an article: anywhere in its heading,
ancestors' headings, parts and items). When fewer than ``and_min`` documents have every word, the
words become optional (OR) with the same scoring, and a document that has every word gets
``all_words`` more, so those few come first and the rest follow by how well they match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from search_api.query import Acts, And, Node, Not, Or, Phrase, Term

# --- the weights ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    """Every tunable number of the ranking (tuned on the dev half of benchmarks/relevance only)."""

    heading: float = 2.0  #: a word in the article's heading
    ancestors: float = 0.5  #: … in a chapter / section heading above the article
    body: float = 1.0  #: … in the text
    tie: float = 0.3  #: dis-max tie breaker: the best field (or alternative) + tie × the others
    derived: float = 0.5  #: the verb/deverbal-noun pair of a word (выдворить for выдворение)
    thesaurus: float = 0.7  #: an alternative from the thesaurus
    act: float = 1.0  #: constant added for a provision of an act named in the query (УК, КоАП)
    proximity: float = 0.6  #: two consecutive query words next to each other in the heading (× heading)
    proximity_text: float = 1.5  #: … in the text (× body)
    and_min: int = 10  #: fewer hits than this with every word: the words become optional (OR) …
    all_words: float = 1000.0  #: … and a document with every word gets this much more (1000: all first)


#: The weights search uses (read at every query, so a tuning script may replace it).
WEIGHTS = Weights()

#: Index field names, the same in both backends.
F_HEADING = "heading_lemmas"
F_ANCESTORS = "ancestor_lemmas"
F_BODY = "lemmas"
F_SURFACE = "surface"
F_PAIRS = "pairs"
F_HEADING_PAIRS = "heading_pairs"
F_ACT = "act_id"


def pair(a: str, b: str) -> str:
    """The token of two consecutive words in the ``pairs`` fields (lemmas never hold "_")."""
    return f"{a}_{b}"

# --- the backend-neutral scoring query -----------------------------------------------------------


@dataclass(frozen=True)
class TermQ:
    """One indexed token in one field, BM25 × boost."""

    field: str
    value: str
    boost: float = 1.0


@dataclass(frozen=True)
class PhraseQ:
    """Tokens in order in one field with at most ``slop`` other tokens between them, × boost."""

    field: str
    words: tuple[str, ...]
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class ConstQ:
    """A constant ``boost`` for documents whose ``field`` has one of ``values``."""

    field: str
    values: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class ConstOf:
    """A constant ``boost`` for documents matching ``child`` (its own score ignored)."""

    child: Clause
    boost: float


@dataclass(frozen=True)
class DisMax:
    """The best child's score + ``tie`` × the others'; matches when any child does."""

    children: tuple[Clause, ...]
    tie: float


@dataclass(frozen=True)
class Bool:
    """Sum of the matching children. ``must`` all match; ``should`` add when they match (and at least
    one must when there is no ``must``); ``must_not`` none may match."""

    must: tuple[Clause, ...] = ()
    should: tuple[Clause, ...] = ()
    must_not: tuple[Clause, ...] = field(default=())


Clause = TermQ | PhraseQ | ConstQ | ConstOf | DisMax | Bool


# --- from the query tree to the scoring query -----------------------------------------------------------


def _fields(w: Weights) -> tuple[tuple[str, float], ...]:
    return ((F_HEADING, w.heading), (F_ANCESTORS, w.ancestors), (F_BODY, w.body))


def _origin(node: Term | Phrase, w: Weights) -> float:
    return w.thesaurus if node.origin == "thesaurus" else 1.0


def _term(node: Term, w: Weights) -> Clause:
    base = _origin(node, w)
    leaves: list[Clause] = []
    for i, lem in enumerate(node.lemmas):
        weight = base * (1.0 if i == 0 else w.derived)
        leaves.extend(TermQ(f, lem, weight * fw) for f, fw in _fields(w))
    return DisMax(tuple(leaves), w.tie)


def _phrase(node: Phrase, w: Weights) -> Clause:
    base = _origin(node, w)
    if node.exact:
        if len(node.words) == 1:
            return TermQ(F_SURFACE, node.words[0], base * w.body)
        return PhraseQ(F_SURFACE, node.words, 0, base * w.body)
    if len(node.lemmas) == 1:
        return DisMax(tuple(TermQ(f, node.lemmas[0], base * fw) for f, fw in _fields(w)), w.tie)
    return DisMax(tuple(PhraseQ(f, node.lemmas, 0, base * fw) for f, fw in _fields(w)), w.tie)


def text_clause(node: Node, w: Weights | None = None) -> Clause:
    """The matching-and-scoring query of a query tree (without proximity)."""
    w = w or WEIGHTS
    if isinstance(node, Term):
        return _term(node, w)
    if isinstance(node, Phrase):
        return _phrase(node, w)
    if isinstance(node, Acts):
        return ConstQ(F_ACT, node.ids, w.act)
    if isinstance(node, And):
        must = tuple(text_clause(c, w) for c in node.children if not isinstance(c, Not))
        must_not = tuple(text_clause(c.child, w) for c in node.children if isinstance(c, Not))
        return Bool(must=must, must_not=must_not)
    if isinstance(node, Or):
        children = tuple(text_clause(c, w) for c in node.children)
        return DisMax(children, w.tie) if node.synonyms else Bool(should=children)
    raise TypeError(f"a bare {type(node).__name__} cannot be searched")  # parse_query never yields one


def _word_runs(node: Node) -> list[list[str]]:
    """Runs of consecutive positive words (own lemmas) in query order; anything else breaks a run."""
    if isinstance(node, Term):
        return [[node.lemmas[0]]]
    if isinstance(node, Or) and node.synonyms:  # a thesaurus group: the words as typed come first
        return _word_runs(node.children[0])
    if isinstance(node, And):
        runs: list[list[str]] = [[]]
        for c in node.children:
            sub = _word_runs(c) if not isinstance(c, Not) else []
            if len(sub) == 1:
                runs[-1].extend(sub[0])
            else:
                runs.extend([*sub, []])
        return [r for r in runs if r]
    if isinstance(node, Or):
        return [r for c in node.children for r in _word_runs(c)]
    return []


def proximity_clauses(node: Node, w: Weights | None = None) -> tuple[Clause, ...]:
    """A term per pair of consecutive query words, in the heading's and the text's pairs."""
    w = w or WEIGHTS
    out: list[Clause] = []
    seen: set[tuple[str, str]] = set()
    for run in _word_runs(node):
        for a, b in pairwise(run):
            if a == b or (a, b) in seen:
                continue
            seen.add((a, b))
            if w.proximity > 0:
                out.append(TermQ(F_HEADING_PAIRS, pair(a, b), w.proximity * w.heading))
            if w.proximity_text > 0:
                out.append(TermQ(F_PAIRS, pair(a, b), w.proximity_text * w.body))
    return tuple(out)


def relaxed_clause(strict: Node, relaxed: Node, w: Weights | None = None) -> Clause:
    """The OR fallback of ``strict`` (``relaxed``, its words optional), where a document that has
    every word gets ``all_words`` more: used when fewer than ``and_min`` documents have them all."""
    w = w or WEIGHTS
    bonus = (ConstOf(text_clause(strict, w), w.all_words),) if w.all_words > 0 else ()
    prox = proximity_clauses(strict, w)  # the query's word order, before relaxing
    return Bool(must=(text_clause(relaxed, w),), should=bonus + prox)


def scoring_clause(node: Node, w: Weights | None = None) -> Clause:
    """What a backend runs for a query tree: its text clause (required) plus proximity (optional)."""
    w = w or WEIGHTS
    text = text_clause(node, w)
    prox = proximity_clauses(node, w)
    if not prox:
        return text
    return Bool(must=(text,), should=prox)


def matching_clause(node: Node, w: Weights | None = None) -> Clause:
    """Any positive word or phrase of the tree, scored the same way (negations dropped; no
    proximity): what picks an article's best parts, which need not hold every word of the query."""
    w = w or WEIGHTS
    clauses = tuple(text_clause(leaf, w) for leaf in _positive_leaves(node)) or (text_clause(node, w),)
    return Bool(should=clauses) if len(clauses) > 1 else clauses[0]


def _positive_leaves(node: Node) -> list[Node]:
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, Acts | Not):
        return []
    if isinstance(node, Or) and node.synonyms:
        return [node]
    out: list[Node] = []
    for c in node.children:
        out.extend(_positive_leaves(c))
    return out
