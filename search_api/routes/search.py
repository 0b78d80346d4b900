"""``/search``: morphology-aware search over provisions (docs/design.md §5)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from search_api.models import MAX_PAGE_SIZE, QueryError, SearchQuery, SearchResult
from search_api.schemas import ERROR_RESPONSES
from search_api.state import AppState, get_state

router = APIRouter(responses=ERROR_RESPONSES)


def check_vocabulary(query: SearchQuery) -> None:
    """Tag and right ids must be the taxonomy's (400 naming the parameter otherwise)."""
    from nlp.taxonomy import load_rights, load_topics

    vocab = (("tag", query.tag, load_topics().tags), ("right", query.right, load_rights().rights))
    for name, values, known in vocab:
        unknown = [v for v in values if v not in known]
        if unknown:
            raise HTTPException(400, f"{name}: unknown id(s) {', '.join(unknown)}; see /taxonomy")


@router.get("/search", response_model=SearchResult, summary="Morphology-aware search over provisions")
async def search(
    state: Annotated[AppState, Depends(get_state)],
    q: Annotated[str, Query(description="Query: words (any case form), \"phrase\", AND/OR/NOT, -term",
                            examples=["выдворения иностранцев"])] = "",
    at: Annotated[date | None, Query(description="Versions in force on this date (YYYY-MM-DD)")] = None,
    act: Annotated[list[str] | None, Query(description="Act id(s), e.g. Z1100000477")] = None,
    kind: Annotated[list[str] | None, Query(description="Act kind(s): закон, кодекс …")] = None,
    chapter: Annotated[str | None, Query(description="Chapter eid, e.g. chp_5")] = None,
    tag: Annotated[list[str] | None, Query(description="Topic tag id(s), see /taxonomy")] = None,
    right: Annotated[list[str] | None, Query(description="Right id(s), see /taxonomy")] = None,
    status: Annotated[list[str] | None, Query(description="in_force, repealed, historical …")] = None,
    amended_from: Annotated[date | None, Query(description="Changed on or after this date")] = None,
    amended_to: Annotated[date | None, Query(description="Changed on or before this date")] = None,
    page: Annotated[int, Query(ge=1, description="Page number, from 1")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Hits per page (1-100)")] = 10,
    sort: Annotated[str, Query(pattern="^(relevance|date)$", description="relevance or date")] = "relevance",
) -> Response:
    if amended_from and amended_to and amended_from > amended_to:
        raise HTTPException(400, "amended_from: must not be after amended_to")
    query = SearchQuery(
        q=q, at=at, act=act or [], kind=kind or [], chapter=chapter, tag=tag or [], right=right or [],
        status=status or [], amended_from=amended_from, amended_to=amended_to, page=page, size=size,
        sort=sort,
    )
    check_vocabulary(query)
    key = query.model_dump_json()
    body = state.results.get(key)
    if body is None:
        try:
            backend = state.backend()
            # a CPU-bound in-process backend answers faster inline (a thread hop only adds latency under
            # the GIL); a backend that waits on the network goes to the thread pool
            if getattr(backend, "io_bound", True):
                result = await run_in_threadpool(backend.search, query)
            else:
                result = backend.search(query)
        except QueryError as exc:
            raise HTTPException(400, f"q: {exc}") from exc
        body = result.model_dump_json().encode()
        state.results.put(key, body)
    return Response(body, media_type="application/json")
