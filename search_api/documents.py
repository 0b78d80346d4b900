"""What both backends index: one document per provision version (level "part") and one per article
version (level "article"), analysed here once so both index the same tokens.

A scholar cites articles, so grouped search (``group=article``, the default) ranks articles as
units: an article document holds the article's heading, its ancestors' headings (глава, раздел) and
the text of the article and of all its parts and items. Part documents keep the part-level search
(``group=none``) and are where an article's best-matching parts are found.

Point in time: an article's parts change at different dates, so an article has one document per
stretch of time over which its set of part versions is the same: the boundaries are its members'
``valid_from``/``valid_to`` dates, and each document holds the versions in force over
``[valid_from, valid_to)``. Filters on an article document see the union of its members: its tags,
rights, statuses and amendment dates (an article "has" a tag when one of its parts has it), so the
facets count articles and a facet value, used as a filter, gives its count.

A provision outside any article (a preamble) with text is an article document of its own; chapter
and section headings are not (their words are in their articles' ancestors). An article whose text
the store does not hold (only its heading) is still found by its heading.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Any, Literal

from corpus.models import version_id
from nlp.lemmatize import analyze
from search_api.models import IndexDoc
from search_api.query import STOP_WORDS, surface_text
from search_api.ranking import pair

Level = Literal["part", "article"]

#: Status shown for an article version, in order of precedence over its members' statuses.
_STATUS_ORDER = ("in_force", "not_in_force_yet", "repealed", "historical")


@dataclass
class SearchDoc:
    """One search document, analysed: what a backend indexes and stores."""

    level: Level
    id: str
    act_id: str
    eid: str
    key: str  # "{act_id}/{article eid}": groups a part with its article
    act_kind: str | None
    chapter: str | None
    heading_lemmas: str
    ancestor_lemmas: str
    lemmas: str
    surface: str
    pairs: str  # consecutive word pairs of the text (search_api.ranking: proximity)
    heading_pairs: str
    valid_from: date | None
    valid_to: date | None
    statuses: list[str]  # filter values (an article: its own and its members')
    tags: list[str]
    rights: list[str]
    amendment_dates: list[date]
    amendment_years: list[int]
    hit: dict[str, Any] = field(default_factory=dict)  # stored: what a Hit needs (+ text of a part)


def pairs_of(lemmas: str) -> str:
    """Every two consecutive words of a lemma string as one token ``a_b``, stop words skipped (the
    query's stop words: ``search_api.query.STOP_WORDS``; changing them needs a reindex)."""
    words = [w for w in lemmas.split() if w not in STOP_WORDS]
    return " ".join(map(pair, words, words[1:]))


@lru_cache(maxsize=100_000)
def _heading_pairs(heading_lemmas: str) -> str:
    return pairs_of(heading_lemmas)


@lru_cache(maxsize=100_000)
def _surface_of(heading: str) -> str:
    return surface_text(heading)


@lru_cache(maxsize=100_000)
def lemmas_of(text: str) -> str:
    """Space-joined lemmas of a heading (headings repeat: each is analysed once)."""
    return " ".join(t.lemma for t in analyze(text))


def article_key(act_id: str, article: str | None, eid: str) -> str:
    return f"{act_id}/{article or eid}"


def _own_ancestors(doc: IndexDoc) -> list[str]:
    """The headings above the article: a part's ancestors end with its article's own line."""
    if doc.article is not None and doc.eid != doc.article and doc.ancestors:
        return doc.ancestors[:-1]
    return doc.ancestors


def _ancestor_lemmas(ancestors: list[str]) -> str:
    return " ".join(lemmas_of(a) for a in ancestors)


def part_doc(doc: IndexDoc) -> SearchDoc:
    ancestors = _own_ancestors(doc)
    lemmas = doc.lemmas.lower()
    heading_lemmas = lemmas_of(doc.heading) if doc.heading else ""
    return SearchDoc(
        level="part",
        id=doc.id,
        act_id=doc.act_id,
        eid=doc.eid,
        key=article_key(doc.act_id, doc.article, doc.eid),
        act_kind=doc.act_kind,
        chapter=doc.chapter,
        heading_lemmas=heading_lemmas,
        ancestor_lemmas=_ancestor_lemmas(ancestors),
        lemmas=lemmas,
        surface=surface_text(doc.text),
        pairs=pairs_of(lemmas),
        heading_pairs=_heading_pairs(heading_lemmas),
        valid_from=doc.valid_from,
        valid_to=doc.valid_to,
        statuses=[doc.status],
        tags=list(dict.fromkeys(doc.tags)),
        rights=list(dict.fromkeys(doc.rights)),
        amendment_dates=list(doc.amendment_dates),
        amendment_years=list(doc.amendment_years),
        hit={
            "id": doc.id,
            "act_id": doc.act_id,
            "eid": doc.eid,
            "heading": doc.heading,
            "ancestors": doc.ancestors,
            "valid_from": doc.valid_from.isoformat() if doc.valid_from else None,
            "valid_to": doc.valid_to.isoformat() if doc.valid_to else None,
            "status": doc.status,
            "tags": doc.tags,
            "key": article_key(doc.act_id, doc.article, doc.eid),
            "text": doc.text,
        },
    )


def _covers(d: IndexDoc, start: date | None, end: date | None) -> bool:
    """Is ``d`` in force over all of [start, end)? (None: open ends.)"""
    starts = d.valid_from is None or (start is not None and d.valid_from <= start)
    ends = d.valid_to is None or (end is not None and end <= d.valid_to)
    return starts and ends


def _intervals(members: list[IndexDoc]) -> list[tuple[date | None, date | None, list[IndexDoc]]]:
    """The stretches of time over which the set of member versions in force does not change."""
    points = sorted({d for m in members for d in (m.valid_from, m.valid_to) if d is not None})
    bounds: list[date | None] = [None, *points, None]
    out: list[tuple[date | None, date | None, list[IndexDoc]]] = []
    for start, end in pairwise(bounds):
        live = [m for m in members if _covers(m, start, end)]
        if live:
            out.append((start, end, live))
    return out


def _status(live: list[IndexDoc], end: date | None) -> str:
    if end is not None:
        return "historical"
    present = {m.status for m in live}
    return next((s for s in _STATUS_ORDER if s in present), live[0].status)


def article_docs(members: list[IndexDoc], parts: dict[str, SearchDoc] | None = None) -> Iterator[SearchDoc]:
    """The article documents of one article (or one provision outside articles) from the versions of
    its provisions (any order); ``parts``: their part documents by id, when already made (their
    analysed text is reused)."""
    members = sorted(members, key=lambda m: (m.position, m.eid, m.valid_from or date.min))
    made = parts if parts is not None else {m.id: part_doc(m) for m in members}
    first = members[0]
    art = first.article or first.eid
    for start, end, live in _intervals(members):
        own = next((m for m in live if m.eid == art), None)
        heading = own.heading if own is not None else live[0].heading
        if not heading and not any(m.text.strip() for m in live):
            continue  # nothing to find
        ancestors = own.ancestors if own is not None else _own_ancestors(live[0])
        status = _status(live, end)
        tags = list(dict.fromkeys(t for m in live for t in m.tags))
        dates = sorted({d for m in live for d in m.amendment_dates})
        analysed = [made[m.id] for m in live]
        uid = version_id(first.act_id, art, start)
        heading_lemmas = lemmas_of(heading) if heading else ""
        yield SearchDoc(
            level="article",
            id=uid,
            act_id=first.act_id,
            eid=art,
            key=article_key(first.act_id, art, art),
            act_kind=first.act_kind,
            chapter=first.chapter,
            heading_lemmas=heading_lemmas,
            ancestor_lemmas=_ancestor_lemmas(ancestors),
            lemmas=" ".join(a.lemmas for a in analysed if a.lemmas),
            surface=" ".join(filter(None, (_surface_of(heading or ""), *(a.surface for a in analysed)))),
            pairs=" ".join(a.pairs for a in analysed if a.pairs),  # no pair across two parts
            heading_pairs=_heading_pairs(heading_lemmas),
            valid_from=start,
            valid_to=end,
            statuses=list(dict.fromkeys([status, *(m.status for m in live)])),
            tags=tags,
            rights=list(dict.fromkeys(r for m in live for r in m.rights)),
            amendment_dates=dates,
            amendment_years=sorted({d.year for d in dates}),
            hit={
                "id": uid,
                "act_id": first.act_id,
                "eid": art,
                "heading": heading,
                "ancestors": ancestors,
                "valid_from": start.isoformat() if start else None,
                "valid_to": end.isoformat() if end else None,
                "status": status,
                "tags": tags,
            },
        )


def search_docs(docs: Iterable[IndexDoc]) -> Iterator[SearchDoc]:
    """Part documents in input order, then each act's article documents (in the order of their first
    provision), act by act: ``docs`` come act by act (``search_api.indexer.index_docs``)."""
    act: str | None = None
    groups: dict[str, list[IndexDoc]] = {}
    parts: dict[str, SearchDoc] = {}
    for doc in docs:
        if doc.act_id != act:
            for members in groups.values():
                yield from article_docs(members, parts)
            act, groups, parts = doc.act_id, {}, {}
        part = part_doc(doc)
        yield part
        if doc.article is not None or doc.text.strip():
            groups.setdefault(article_key(doc.act_id, doc.article, doc.eid), []).append(doc)
            parts[doc.id] = part
    for members in groups.values():
        yield from article_docs(members, parts)
