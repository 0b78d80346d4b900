"""Search types shared by both backends, the indexer, the API and the CLI (docs/design.md §5).

A backend indexes :class:`IndexDoc` records (one per provision version, built from the corpus
store by ``search_api.indexer``) and answers :class:`SearchQuery` with a :class:`SearchResult`.
Both backends keep exactly these semantics; ``tests/search/test_contract.py`` runs the same
cases against each.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from corpus.timeline import Coverage

MAX_PAGE_SIZE = 100


class IndexDoc(BaseModel):
    """One provision version as the search index sees it."""

    id: str  # version id {act_id}/{eid}@{valid_from}
    act_id: str
    act_title: str = ""
    act_kind: str | None = None
    act_status: str = "unknown"
    eid: str
    kind: str  # provision kind
    article: str | None = None  # article eid the provision belongs to
    chapter: str | None = None  # chapter eid, for the chapter filter
    number: str | None = None
    heading: str | None = None  # the article heading (for parts/items: their article's)
    ancestors: list[str] = Field(default_factory=list)
    text: str  # surface text (what phrase queries and snippets use)
    lemmas: str  # space-joined lemmas (what word queries match)
    valid_from: date | None = None
    valid_to: date | None = None
    status: str = "in_force"  # of this version: in_force | repealed | not_in_force_yet | historical
    tags: list[str] = Field(default_factory=list)  # topic tags incl. implied parents
    rights: list[str] = Field(default_factory=list)
    amendment_years: list[int] = Field(default_factory=list)
    amendment_dates: list[date] = Field(default_factory=list)
    position: int = 0


class SearchQuery(BaseModel):
    """A search request; every filter is optional and they combine with AND."""

    q: str = ""
    at: date | None = None  # versions in force on that date
    act: list[str] = Field(default_factory=list)
    kind: list[str] = Field(default_factory=list)  # act kind (закон, кодекс …)
    chapter: str | None = None
    tag: list[str] = Field(default_factory=list)
    right: list[str] = Field(default_factory=list)
    status: list[str] = Field(default_factory=list)
    amended_from: date | None = None
    amended_to: date | None = None
    page: int = Field(1, ge=1)
    size: int = Field(10, ge=1, le=MAX_PAGE_SIZE)
    sort: Literal["relevance", "date"] = "relevance"
    #: "article": one hit per article (статья) scored as a whole, its best parts under it; "none":
    #: one hit per matching provision (part, item) as before.
    group: Literal["article", "none"] = "article"
    thesaurus: bool = True  # also search the legal thesaurus's terms (высылка → выдворение)
    exact: bool = False  # quoted phrases match surface forms, not lemmas (as "=" before the quote)


class PartHit(BaseModel):
    """A part or item of an article hit (grouped answers): one of its best-matching provisions."""

    id: str
    eid: str
    snippet: str = ""
    score: float = 0.0
    valid_from: date | None = None
    valid_to: date | None = None
    status: str = "in_force"
    tags: list[str] = Field(default_factory=list)


class Hit(BaseModel):
    id: str
    act_id: str
    eid: str
    heading: str | None = None
    ancestors: list[str] = Field(default_factory=list)
    snippet: str = ""  # HTML-escaped text with <mark>…</mark> around matched forms
    score: float = 0.0
    valid_from: date | None = None
    valid_to: date | None = None
    status: str = "in_force"
    tags: list[str] = Field(default_factory=list)
    #: Grouped answers: the article's best-matching parts and items (at most PARTS_PER_HIT), best first.
    parts: list[PartHit] = Field(default_factory=list)


class Expansion(BaseModel):
    """A thesaurus expansion applied to the query: ``term`` as typed was also searched as ``also``."""

    term: str
    also: list[str] = Field(default_factory=list)
    kind: str = Field(description="colloquial, abbreviation, act, historical or loanword")
    act: str | None = Field(None, description="The act the term names (its provisions are preferred)")
    note: str | None = Field(None, description="e.g. the renaming's act and date")


class Note(BaseModel):
    """Something the user should know about how the answer was made (a fallback, a hint)."""

    code: str = Field(description="or_fallback, phrase_not_found, exact_not_found, no_results")
    message: str


class SearchResult(BaseModel):
    total: int  # provisions, or articles when grouped
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)  # acts, tags, rights, years
    operator: Literal["and", "or"] = "and"  # "or" when the AND query found nothing and we fell back
    group: Literal["article", "none"] = "none"  # what a hit (and total, facets) counts; search always says
    expansions: list[Expansion] = Field(default_factory=list)  # thesaurus terms also searched
    notes: list[Note] = Field(default_factory=list)  # fallbacks and hints
    #: with ``at``: how many provisions of the acts in scope have a known / unknown wording on that date
    #: (search_api.coverage; the backends leave it empty)
    coverage: Coverage | None = None


class BackendError(RuntimeError):
    """The backend is down or misconfigured: the API answers 503, never an empty result."""


class QueryError(ValueError):
    """The query text cannot be parsed: the API answers 400 naming the problem."""


@runtime_checkable
class SearchBackend(Protocol):
    name: str
    #: False for an in-process CPU-bound backend (the API calls it inline); a backend without the
    #: attribute is treated as waiting on the network and called from a thread pool.
    io_bound: bool

    def index(self, docs: Iterable[IndexDoc], *, progress: object | None = None) -> int:
        """Replace the whole index with ``docs``; returns the number indexed."""
        ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def health(self) -> dict[str, object]:
        """Raises BackendError when the backend cannot answer."""
        ...

    def count(self) -> int: ...

    def close(self) -> None: ...
