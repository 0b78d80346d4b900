"""``/search``: morphology-aware search over articles and provisions (docs/design.md §5, §7)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corpus.timeline import VERSION_STATUSES
from legal.act_kinds import KINDS
from nlp.taxonomy import load_rights, load_topics
from search_api.coverage import with_coverage
from search_api.models import MAX_PAGE_SIZE, QueryError, SearchQuery, SearchResult
from search_api.query import MAX_RESULT_WINDOW
from search_api.schemas import ERROR_RESPONSES, IsoDate
from search_api.state import AppState, get_state
from search_api.validation import ParameterError, check_query

router = APIRouter(responses=ERROR_RESPONSES)


def _one_of(values: Iterable[str]) -> dict[str, Any]:
    """OpenAPI of a repeatable id parameter: each value one of ``values``. Documentation only: the check
    itself (400 naming the parameter) is :func:`search_api.validation.check_query`, shared with the CLI."""
    return {"items": {"type": "string", "enum": list(values)}}



@router.get("/search", response_model=SearchResult, summary="Morphology-aware search over articles and provisions")
async def search(
    state: Annotated[AppState, Depends(get_state)],
    q: Annotated[str, Query(description="Query: words (any case form), \"phrase\" (any case form), =\"exact forms\","
                                        " AND/OR/NOT, -term", examples=["выдворения иностранцев"])] = "",
    at: Annotated[IsoDate | None, Query(description="Versions in force on this date (YYYY-MM-DD)")] = None,
    act: Annotated[list[str] | None, Query(description="Act id(s), e.g. Z1100000477; see /acts")] = None,
    kind: Annotated[list[str] | None, Query(description="Act kind(s): закон, кодекс …",
                                            json_schema_extra=_one_of(KINDS))] = None,
    chapter: Annotated[str | None, Query(description="Chapter eid, e.g. chp_5")] = None,
    tag: Annotated[list[str] | None, Query(description="Topic tag id(s), see /taxonomy",
                                           json_schema_extra=_one_of(load_topics().tags))] = None,
    right: Annotated[list[str] | None, Query(description="Right id(s), see /taxonomy",
                                             json_schema_extra=_one_of(load_rights().rights))] = None,
    status: Annotated[list[str] | None, Query(description="Version status(es)",
                                              json_schema_extra=_one_of(VERSION_STATUSES))] = None,
    amended_from: Annotated[IsoDate | None, Query(description="Changed on or after this date")] = None,
    amended_to: Annotated[IsoDate | None, Query(description="Changed on or before this date")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_RESULT_WINDOW, description="Page, from 1 (page × size ≤ 10000)")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Hits per page (1-100)")] = 10,
    sort: Annotated[str, Query(pattern="^(relevance|date)$", description="relevance or date")] = "relevance",
    group: Annotated[Literal["article", "none"], Query(
        description="article: one hit per article with its best parts (total and pages count articles); "
                    "none: one hit per provision")] = "article",
    thesaurus: Annotated[bool, Query(
        description="Also search the legal thesaurus's terms (высылка → выдворение)")] = True,
    exact: Annotated[bool, Query(description="Quoted phrases match these word forms only (as =\"…\")")] = False,
) -> Response:
    query = SearchQuery(
        q=q, at=at, act=act or [], kind=kind or [], chapter=chapter, tag=tag or [], right=right or [],
        status=status or [], amended_from=amended_from, amended_to=amended_to, page=page, size=size,
        sort=sort, group=group, thesaurus=thesaurus, exact=exact,
    )
    try:
        check_query(query, None)  # the same checks as the CLI; the store's ids (a query) off the event loop
        if query.act or query.chapter is not None:
            await run_in_threadpool(lambda: check_query(query, state.store()))
    except ParameterError as exc:
        raise HTTPException(400, str(exc)) from exc
    key = query.model_dump_json()
    body = state.results.get(key)
    if body is None:
        backend = state.backend()

        def answer() -> bytes:
            result = backend.search(query)
            if query.at is not None:  # a point-in-time answer says what it covers (docs/design.md §7)
                result = with_coverage(result, state.store(), query)
            return result.model_dump_json().encode()

        try:
            # off the event loop, on the backend's own threads (tantivy releases the GIL while it
            # searches); the coverage and the JSON in the same hop (a thread hop costs ~0.1 ms of CPU)
            body = await state.call_backend(answer)
        except QueryError as exc:
            raise HTTPException(400, f"q: {exc}") from exc
        state.results.put(key, body)
    return Response(body, media_type="application/json")
