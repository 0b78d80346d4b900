"""How a search is answered, the same for both backends (docs/design.md §5): parse, expand with the
thesaurus, rank (:mod:`search_api.ranking`), fall back, group by article, explain.

A backend provides three primitives over its index of :mod:`search_api.documents`:

- ``_page(clause, query, level)``: the total, the page of (score, stored hit) and the facets of the
  documents of ``level`` matching ``clause`` (None: browse) and the query's filters; the facets may
  still be being counted (``Page.pending``): they are collected after the hits are built;
- ``_count(clause, query, level)``: only the total (for hints);
- ``_parts(clause, query, keys, n)``: for each article key, its ``n`` best part documents matching
  ``clause`` and the filters.

and :class:`SearchEngine.search` does the rest:

1. ``q`` is parsed (:func:`search_api.query.parse_query`; ``exact`` makes quoted phrases exact) and,
   unless ``thesaurus=False``, expanded (:func:`search_api.expand.expand`); the expansions are
   reported in the answer.
2. The default operator is AND; when nothing has every word, the words become optional (OR) and
   the answer says so (``operator: "or"`` and a note).
3. ``group="article"`` (the default) ranks article documents, and under each article hit shows its
   best-matching parts (any of the query's words or phrases, the same filters); ``total``, paging
   and facets count articles. ``group="none"`` ranks provisions (parts, items) as before.
4. When nothing is found, notes say so, and for a quoted phrase give a hint: how many would match in
   any case form (for an exact ``=`` phrase) or with the phrase's words anywhere.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from search_api import ranking
from search_api.documents import Level, article_key
from search_api.expand import expand
from search_api.highlight import Marks, snippet
from search_api.models import Expansion, Hit, Note, PartHit, SearchQuery, SearchResult
from search_api.query import And, Node, Not, Or, Phrase, Query, Term, check_window, parse_query, word_lemmas
from search_api.query import is_stop_word as _is_stop
from search_api.ranking import Clause, matching_clause, relaxed_clause, scoring_clause

#: Parts and items shown under an article hit.
PARTS_PER_HIT = 3

Row = tuple[float, dict[str, Any]]  # (score, stored hit)


Facets = dict[str, dict[str, int]]


@dataclass
class Page:
    total: int
    rows: list[Row]
    facets: Facets = field(default_factory=dict)
    #: facets still being counted (on another thread): collected by :meth:`facet_counts`
    pending: Callable[[], Facets] | None = None

    def facet_counts(self) -> Facets:
        return self.pending() if self.pending is not None else self.facets


class SearchEngine:
    """The shared ``search`` of both backends; subclasses implement the primitives."""

    def _page(self, clause: Clause | None, query: SearchQuery, level: Level) -> Page:
        raise NotImplementedError

    def _count(self, clause: Clause, query: SearchQuery, level: Level) -> int:
        raise NotImplementedError

    def _parts(self, clause: Clause | None, query: SearchQuery, keys: list[str], n: int) -> dict[str, list[Row]]:
        raise NotImplementedError

    def _guard(self) -> AbstractContextManager[object]:
        """Around the backend's work for one search, after the query is parsed (a bad query is a
        QueryError before any BackendError): e.g. opening the index, a circuit breaker."""
        return contextlib.nullcontext()

    def search(self, query: SearchQuery) -> SearchResult:
        """Answer ``query``; QueryError for bad query text (before any BackendError)."""
        check_window(query.page, query.size)
        parsed = parse_query(query.q, exact=query.exact) if query.q.strip() else None
        expansions: list[Expansion] = []
        if parsed is not None and query.thesaurus:
            parsed, expansions = expand(parsed)
        with self._guard():
            return self._answer(query, parsed, expansions)

    def _answer(self, query: SearchQuery, parsed: Query | None, expansions: list[Expansion]) -> SearchResult:
        level: Level = "article" if query.group == "article" else "part"
        notes: list[Note] = []
        page = self._page(scoring_clause(parsed.root) if parsed else None, query, level)
        used = parsed
        relaxed = parsed.or_fallback() if parsed is not None else None
        # Too few with every word: the words become optional, those with every word first (ranking).
        # Sorted by date, only an empty answer falls back (a date order cannot put them first).
        few = page.total < ranking.WEIGHTS.and_min if query.sort == "relevance" else page.total == 0
        if parsed is not None and relaxed is not None and few:
            strict = page.total
            wider = self._page(relaxed_clause(parsed.root, relaxed.root), query, level)
            if wider.total > strict:  # else the same documents: the answer with every word stands
                page, used = wider, relaxed
                if strict == 0:
                    message = f"no {_unit(level)} has all the words: {_plural(level)} with any of them"
                else:
                    message = (f"only {strict} {_plural(level, strict)} with all the words, shown first; then "
                               f"{_plural(level)} with some of them")
                notes.append(Note(code="or_fallback", message=message + ", those with more of them first"))
        if page.total == 0:
            notes.extend(self._empty_notes(parsed, query, level))
        hits = self._hits(page.rows, used, query, level)  # while the facets may still be counted
        return SearchResult(
            total=page.total,
            hits=hits,
            facets=page.facet_counts(),
            operator=used.operator if used is not None else "and",
            group=query.group,
            expansions=expansions,
            notes=notes,
        )

    # --- hits ----------------------------------------------------------------------------------------

    def _hits(self, rows: list[Row], used: Query | None, query: SearchQuery, level: Level) -> list[Hit]:
        marks = Marks.of(used) if used is not None else None  # once, not per snippet
        if level == "part":
            return [_part_hit(score, stored, marks) for score, stored in rows]
        keys = [article_key(stored["act_id"], stored["eid"], stored["eid"]) for _, stored in rows]
        # one more than shown: the article's own node (its heading, no text of its own) is not a part
        wanted = PARTS_PER_HIT + 1
        parts = self._parts(matching_clause(used.root) if used else None, query, keys, wanted) if keys else {}
        hits = []
        for (score, stored), key in zip(rows, keys, strict=True):
            with_text = [(s, st) for s, st in parts.get(key, []) if (st.get("text") or "").strip()]
            shown = [_sub_hit(s, st, marks) for s, st in with_text[:PARTS_PER_HIT]]
            hits.append(Hit(**_fields(stored), snippet=shown[0].snippet if shown else "", score=score, parts=shown))
        return hits

    # --- notes when nothing is found ------------------------------------------------------------------

    def _empty_notes(self, parsed: Query | None, query: SearchQuery, level: Level) -> list[Note]:
        notes: list[Note] = []
        filters = _filters_used(query)
        where = f" with the filters {', '.join(filters)}" if filters else ""
        notes.append(Note(code="no_results", message=f"no {_unit(level)} matches{where}"))
        if parsed is None:
            return notes
        phrases = [p for p in _phrases(parsed.root)]
        exact = [p for p in phrases if p.exact]
        if exact:
            relaxed = _map_phrases(parsed.root, lambda p: dataclasses.replace(p, exact=False) if p.exact else p)
            n = self._count(ranking.text_clause(relaxed), query, level)
            shown = ", ".join(f'"{p.text}"' for p in exact)
            notes.append(Note(code="exact_not_found", message=f"no {_unit(level)} has the exact forms {shown}; "
                              f"in any case form (without '='): {n} {_plural(level, n)}"))
        lemma = [p for p in phrases if not p.exact]
        if lemma:
            relaxed = _map_phrases(parsed.root, _phrase_words)
            n = self._count(ranking.text_clause(relaxed), query, level)
            shown = ", ".join(f'"{p.text}"' for p in lemma)
            notes.append(Note(code="phrase_not_found", message=f"no {_unit(level)} has {shown} as a phrase "
                              f"(its words next to each other, in this order, in any case form); its words "
                              f"anywhere in the {_unit(level)} (without the quotes): {n} {_plural(level, n)}"))
        return notes


# --- helpers (pure) ---------------------------------------------------------------------------------------

_HIT_FIELDS = ("id", "act_id", "eid", "heading", "ancestors", "valid_from", "valid_to", "status", "tags")


def _fields(stored: dict[str, Any]) -> dict[str, Any]:
    return {k: stored[k] for k in _HIT_FIELDS if k in stored}


def _snippet(stored: dict[str, Any], marks: Marks | None) -> str:
    return snippet(stored.get("text") or "", marks)


def _part_hit(score: float, stored: dict[str, Any], marks: Marks | None) -> Hit:
    return Hit(**_fields(stored), snippet=_snippet(stored, marks), score=score)


def _sub_hit(score: float, stored: dict[str, Any], marks: Marks | None) -> PartHit:
    return PartHit(
        id=stored["id"],
        eid=stored["eid"],
        snippet=_snippet(stored, marks),
        score=score,
        valid_from=stored.get("valid_from"),
        valid_to=stored.get("valid_to"),
        status=stored.get("status") or "in_force",
        tags=stored.get("tags") or [],
    )


def _unit(level: Level) -> str:
    return "article" if level == "article" else "provision"


def _plural(level: Level, n: int = 2) -> str:
    return _unit(level) + ("" if n == 1 else "s")


def _filters_used(q: SearchQuery) -> list[str]:
    named = {"act": q.act, "kind": q.kind, "chapter": q.chapter, "tag": q.tag, "right": q.right,
             "status": q.status, "at": q.at, "amended_from": q.amended_from, "amended_to": q.amended_to}
    return [k for k, v in named.items() if v]


def _phrases(node: Node) -> list[Phrase]:
    if isinstance(node, Phrase):
        return [node] if node.origin == "query" else []
    if isinstance(node, And | Or):
        return [p for c in node.children for p in _phrases(c)]
    return []  # negated phrases are not what is missing


def _map_phrases(node: Node, fn: Any) -> Node:
    if isinstance(node, Phrase):
        return fn(node) if node.origin == "query" else node
    if isinstance(node, And):
        return And(tuple(c if isinstance(c, Not) else _map_phrases(c, fn) for c in node.children), node.implicit)
    if isinstance(node, Or):
        return Or(tuple(_map_phrases(c, fn) for c in node.children), node.synonyms)
    return node


def _phrase_words(p: Phrase) -> Node:
    """A phrase's words, each anywhere (AND), stop words dropped."""
    terms: list[Node] = [Term(w, word_lemmas(w)) for w in p.words if not _is_stop(w)]
    if not terms:
        return p
    return terms[0] if len(terms) == 1 else And(tuple(terms), implicit=True)
