"""Service routes: the taxonomy and health (the web pages are :mod:`search_api.web`)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from search_api.models import BackendError
from search_api.schemas import ERROR_RESPONSES, Health, RightOut, TaxonomyView, TopicOut
from search_api.state import HEALTH_WAIT, AppState, get_state

router = APIRouter(responses=ERROR_RESPONSES)


@router.get("/taxonomy", response_model=TaxonomyView, summary="Topic tags and rights with their instruments")
def taxonomy() -> TaxonomyView:
    from nlp.taxonomy import load_rights, load_topics

    topics, rights = load_topics(), load_rights()
    return TaxonomyView(
        version={"topics": topics.version, "rights": rights.version},
        topics=[TopicOut(id=t.id, parent=t.parent, label=t.label, covers=t.covers) for t in topics.tags.values()],
        rights=[RightOut(id=r.id, label=r.label, instruments=list(r.instruments)) for r in rights.rights.values()],
    )


@router.get("/health", response_model=Health, summary="Store, backend and result cache status")
async def health(state: Annotated[AppState, Depends(get_state)]) -> Health:
    """Fast whatever the backend does: its status check gets :data:`HEALTH_WAIT` seconds on threads of
    its own (an open circuit breaker answers at once); a failing backend is a 503 naming the fault."""

    def counts() -> tuple[int, int]:
        store = state.store()
        return len(store.act_ids()), store.count_versions()

    acts, versions = await run_in_threadpool(counts)
    backend = state.backend()
    try:
        info = await asyncio.wait_for(state.call_backend(backend.health, probe=True), HEALTH_WAIT)
    except TimeoutError as exc:
        raise BackendError(f"the {backend.name} backend did not answer its status check within {HEALTH_WAIT:.0f} s") \
            from exc
    return Health(status="ok", backend=backend.name, backend_info=info, acts=acts, provision_versions=versions,
                  result_cache=state.results.stats())
