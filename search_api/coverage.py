"""What a point-in-time search covers (docs/design.md §7): ``coverage: {"known": n, "unknown": m}``.

A search with ``at`` returns the versions in force on that date; provisions that were in force then but
whose wording the corpus does not hold cannot be found, so every such answer says how many there are.
The scope is the acts the query asks for (``act`` and ``kind`` filters; all acts otherwise); topic,
right, chapter and status filters narrow the hits, not the count. The count comes from the store's
coverage table (corpus.store.Store.coverage), the same for both backends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus.timeline import Coverage
from nlp.lemmatize import fold
from search_api.models import SearchQuery, SearchResult

if TYPE_CHECKING:
    from corpus.store import Store


def search_coverage(store: Store, query: SearchQuery) -> Coverage | None:
    """The coverage of ``query``'s acts on ``query.at`` (None without ``at``)."""
    if query.at is None:
        return None
    if not query.kind:  # no need to read the acts: the scope is the ids asked for, or all
        return store.coverage(query.at, list(query.act) or None)
    kinds = {fold(k) for k in query.kind}
    scope = [
        a.id for a in store.acts()
        if (not query.act or a.id in query.act) and a.kind is not None and fold(a.kind) in kinds
    ]
    return store.coverage(query.at, scope)


def with_coverage(result: SearchResult, store: Store, query: SearchQuery) -> SearchResult:
    """``result`` with the coverage of ``query`` (unchanged without ``at``)."""
    coverage = search_coverage(store, query)
    return result if coverage is None else result.model_copy(update={"coverage": coverage})
