"""The one seam between the web pages and the JSON API: the pages call the same functions the API's
routes call (no HTTP round trip from the server to itself).

Every page reads the API through this module, so when an API answer gains a field (grouped hits,
coverage, typed diff changes, Kazakh wordings, right polarity …) only this module and the templates
change. Fields that the API of this checkout may not have yet are read with ``getattr``/``dict.get``
and the pages say plainly when they are absent.
"""

from __future__ import annotations

import functools
import inspect
from datetime import date
from typing import Any

from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from corpus.models import Act, Amendment, Annotation, Provision
from corpus.store import NotFoundError
from corpus.timeline import History, VersionDiff
from search_api.models import BackendError, QueryError, SearchResult
from search_api.routes import acts as acts_routes
from search_api.routes import rights as rights_routes
from search_api.routes import search as search_routes
from search_api.schemas import ActView, CitationsView, ProvisionView, TaxonomyView
from search_api.state import AppState

#: Page size the exports and the right view walk the search with (the API's maximum).
WALK_PAGE = 100


class PageError(Exception):
    """A request a page cannot answer: rendered as an HTML page with this status and message."""

    def __init__(self, status: int, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.param = status, message, param


class WordingUnknown(PageError):
    """The provision was in force on ``at`` but the corpus holds no wording of it for that date (the API's
    200 with ``wording_known: false``): the page says so and lists the wordings it does hold."""

    def __init__(self, at: date, message: str) -> None:
        super().__init__(200, message)
        self.at = at


def _page_error(exc: HTTPException) -> PageError:
    return PageError(exc.status_code, str(exc.detail))


# --- search ---------------------------------------------------------------------------------------

#: A search as the page asks it: the parameters of ``GET /search`` by name.
Query = dict[str, Any]


@functools.cache
def search_fields() -> frozenset[str]:
    """The parameters ``GET /search`` takes on this checkout (``group`` once issue 9 lands …)."""
    return frozenset(p for p in inspect.signature(search_routes.search).parameters if p != "state")


def make_query(**params: Any) -> Query:
    """The parameters the API's search knows, from those given (unknown ones dropped, so a page may
    offer a control such as grouping only when :func:`search_fields` has it; None left to the API)."""
    known = search_fields()
    return {k: v for k, v in params.items() if k in known and v is not None and v != []}


async def search(state: AppState, query: Query) -> SearchResult:
    """What ``GET /search`` answers: the route's own function (its validation, result cache and backend
    call), its JSON read back; an error it raises becomes a PageError with its status and message."""
    try:
        response = await search_routes.search(state, **query)
    except HTTPException as exc:
        raise _page_error(exc) from exc
    except QueryError as exc:
        raise PageError(400, f"q: {exc}", param="q") from exc
    except BackendError as exc:
        raise PageError(503, str(exc)) from exc
    except ValidationError as exc:  # a value FastAPI would have refused before the route (size=1000 …)
        where = ".".join(str(x) for x in exc.errors()[0]["loc"]) if exc.errors() else "query"
        raise PageError(400, f"{where}: {exc.errors()[0]['msg'] if exc.errors() else exc}", param=where) from exc
    return SearchResult.model_validate_json(bytes(response.body))


async def search_all(state: AppState, query: Query, limit: int) -> tuple[SearchResult, bool]:
    """Every hit of ``query`` up to ``limit`` (pages of :data:`WALK_PAGE`); True when cut at the limit."""
    first = await search(state, {**query, "page": 1, "size": WALK_PAGE})
    hits = list(first.hits)
    page = 1
    while len(hits) < min(first.total, limit) and len(hits) == page * WALK_PAGE:
        page += 1
        more = await search(state, {**query, "page": page, "size": WALK_PAGE})
        if not more.hits:
            break
        hits.extend(more.hits)
    return first.model_copy(update={"hits": hits[:limit]}), first.total > limit


# --- acts and provisions ----------------------------------------------------------------------------


def act(state: AppState, act_id: str) -> Act:
    try:
        return state.require_act(act_id)
    except HTTPException as exc:
        raise _page_error(exc) from exc


def acts(state: AppState) -> list[Act]:
    """``GET /acts``, in the order of their titles (what a reader scans lists by)."""
    return sorted(acts_routes.acts(state).acts, key=lambda a: (a.title or a.id).lower())


def act_view(state: AppState, act_id: str) -> ActView:
    """``GET /acts/{id}``: requisites, redactions, table of contents (of the newest wordings)."""
    try:
        return acts_routes.act_view(state, act_id=act_id)
    except HTTPException as exc:
        raise _page_error(exc) from exc


def toc(state: AppState, act_id: str, at: date | None, lang: str = "rus") -> list[Provision]:
    """The table of contents in force on ``at`` (the store call behind the act's contents)."""
    return state.store().toc(act_id, at, lang)


def amendments(state: AppState, act_id: str, eid: str | None = None) -> list[Amendment]:
    return state.store().amendments(act_id, eid)


def provision_view(state: AppState, act_id: str, eid: str, at: date | None) -> ProvisionView:
    """``GET /acts/{id}/provisions/{eid}?at=`` (the Russian wording)."""
    try:
        return acts_routes.provision(state, act_id=act_id, eid=eid, at=at)
    except HTTPException as exc:
        raise _page_error(exc) from exc


def provision_at(state: AppState, act_id: str, eid: str, at: date | None, lang: str) -> Provision | None:
    """The wording of one provision in ``lang`` (the store call behind ``?lang=``)."""
    return state.store().provision_at(act_id, eid, at, lang)


def children(state: AppState, act_id: str, eid: str, at: date | None, lang: str) -> list[Provision]:
    return state.store().children(act_id, eid, at, lang)


def versions(state: AppState, act_id: str, eid: str, lang: str) -> list[Provision]:
    return state.store().provision_versions(act_id, eid, lang)


def wording_state(state: AppState, act_id: str, eid: str, on: date, lang: str) -> str:
    """``known`` | ``unknown`` (in force, wording not in the corpus) | ``absent`` on ``on`` (the rule of the
    API's diff ``from_state``/``to_state``)."""
    return state.store().wording_state(act_id, eid, on, lang)


def annotation(state: AppState, version_id: str, lang: str) -> Annotation | None:
    return state.store().annotation(version_id, lang)


def history(state: AppState, act_id: str, eid: str) -> History:
    """``GET …/history``."""
    try:
        return acts_routes.history(state, act_id=act_id, eid=eid)
    except HTTPException as exc:
        raise _page_error(exc) from exc


def diff(state: AppState, act_id: str, eid: str, from_: date, to: date, lang: str) -> VersionDiff | None:
    """``GET …/diff?from=&to=`` for one provision; None when neither date has a wording of it."""
    try:
        return state.store().diff(act_id, eid, from_, to, lang)
    except NotFoundError:
        return None


def citations(state: AppState, act_id: str, eid: str, at: date | None) -> CitationsView:
    """``GET …/citations`` (both directions)."""
    try:
        return acts_routes.citations(state, act_id=act_id, eid=eid, at=at)
    except HTTPException as exc:
        raise _page_error(exc) from exc


def taxonomy() -> TaxonomyView:
    from search_api.routes.service import taxonomy as taxonomy_route

    return taxonomy_route()


# --- rights -------------------------------------------------------------------------------------


async def right_view(state: AppState, right_id: str, at: date | None) -> rights_routes.RightView:
    """``GET /rights/{id}?at=``: the provisions that restrict, guarantee or set the procedure of a right,
    by act and article, with the evidence of each link, and the treaty-body documents on it."""
    try:
        return await run_in_threadpool(rights_routes.right_view, state.store(), right_id, at)
    except KeyError as exc:
        raise PageError(404, str(exc.args[0])) from exc
