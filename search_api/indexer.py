"""From the corpus store to search documents: one :class:`IndexDoc` per provision version.

Each version carries what the search filters and hits need: its lemmas (from the nlp annotation,
or lemmatized here when the store is not annotated yet), topic tags (the tagger already emits the
parents their children imply, docs/design.md §4),
rights, the article heading (for parts and items: their article's), the chapter (глава) from the
parent chain, the act's kind/title/status, the dates and years of the amendments (изменения) that
touched the provision, and a version status (действующая, историческая, утратившая силу,
не вступившая в силу).

Documents come out per act in (act_id, position, id) order: the embedded backend breaks relevance
ties in indexing order, the Elasticsearch backend by those same keys.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING

from corpus.models import Act, Amendment, Annotation, Provision
from corpus.timeline import AmendmentDates, version_status
from nlp.lemmatize import fold, lemma_text
from search_api.models import IndexDoc

if TYPE_CHECKING:
    from corpus.store import Store

def _chapter_of(eid: str, parents: Mapping[str, str | None], kinds: Mapping[str, str]) -> str | None:
    seen: set[str] = set()
    e: str | None = eid
    while e is not None and e not in seen:
        if kinds.get(e) == "chapter":
            return e
        seen.add(e)
        e = parents.get(e)
    return None


def _article_heading(p: Provision, articles: Mapping[str, list[Provision]]) -> str | None:
    """The heading of the article version in force when ``p`` started (else its latest)."""
    art = p.article
    if art is None or art == p.eid:
        return p.heading
    versions = articles.get(art, [])
    for v in versions:
        starts = v.valid_from is None or p.valid_from is None or v.valid_from <= p.valid_from
        ends = v.valid_to is None or p.valid_from is None or p.valid_from < v.valid_to
        if starts and ends:
            return v.heading
    return versions[-1].heading if versions else p.heading


def act_docs(
    act: Act,
    versions: list[Provision],
    amendments: list[Amendment],
    annotations: Mapping[str, Annotation | None],
    *,
    today: date,
) -> Iterator[IndexDoc]:
    """The IndexDocs of one act (pure: everything it needs is passed in)."""
    parents: dict[str, str | None] = {}
    kinds: dict[str, str] = {}
    articles: dict[str, list[Provision]] = {}
    for v in versions:
        parents.setdefault(v.eid, v.parent)
        kinds.setdefault(v.eid, v.kind)
        if v.kind == "article":
            articles.setdefault(v.eid, []).append(v)
    for vs in articles.values():
        vs.sort(key=lambda v: v.valid_from or date.min)
    dates_by_eid: dict[str, list[date]] = {}
    amendment_dates = AmendmentDates(amendments)
    for v in sorted(versions, key=lambda v: (v.position, v.version_id)):
        ann = annotations.get(v.version_id)
        if v.eid not in dates_by_eid:
            dates_by_eid[v.eid] = amendment_dates.of(v.eid)
        dates = dates_by_eid[v.eid]
        yield IndexDoc(
            id=v.version_id,
            act_id=act.id,
            act_title=act.title,
            act_kind=fold(act.kind) if act.kind else None,
            act_status=act.status,
            eid=v.eid,
            kind=v.kind,
            article=v.article,
            chapter=_chapter_of(v.eid, parents, kinds),
            number=v.number,
            heading=_article_heading(v, articles),
            ancestors=list(v.ancestors),
            text=v.text,
            lemmas=ann.lemmas if ann is not None and ann.lemmas else lemma_text(v.text),
            valid_from=v.valid_from,
            valid_to=v.valid_to,
            status=version_status(v, act, today=today),
            tags=list(dict.fromkeys(t.id for t in ann.tags)) if ann is not None else [],
            rights=list(dict.fromkeys(r.id for r in ann.rights)) if ann is not None else [],
            amendment_years=sorted({d.year for d in dates}),
            amendment_dates=dates,
            position=v.position,
        )


def index_docs(
    store: Store,
    *,
    annotations: bool = True,
    today: date | None = None,
) -> Iterator[IndexDoc]:
    """Every provision version of the store (Russian), act by act in act id order.

    ``annotations=False`` ignores the nlp annotations (lemmas are computed here, no tags/rights).
    """
    day = today or date.today()
    for act in sorted(store.acts(), key=lambda a: a.id):
        versions = list(store.versions(act.id))
        anns: Mapping[str, Annotation | None] = store.annotations_of(act.id) if annotations else {}
        yield from act_docs(act, versions, store.amendments(act.id), anns, today=day)
