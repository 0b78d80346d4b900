"""Service routes: the taxonomy, health, and the web page at ``/``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse

from search_api.schemas import ERROR_RESPONSES, Health, RightOut, TaxonomyView, TopicOut
from search_api.state import AppState, get_state

router = APIRouter(responses=ERROR_RESPONSES)
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@router.get("/", include_in_schema=False)
def index_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/taxonomy", response_model=TaxonomyView, summary="Topic tags and rights with their instruments")
def taxonomy() -> TaxonomyView:
    from nlp.taxonomy import load_rights, load_topics

    topics, rights = load_topics(), load_rights()
    return TaxonomyView(
        version={"topics": topics.version, "rights": rights.version},
        topics=[TopicOut(id=t.id, parent=t.parent, label=t.label, covers=t.covers) for t in topics.tags.values()],
        rights=[RightOut(id=r.id, label=r.label, instruments=list(r.instruments)) for r in rights.rights.values()],
    )


@router.get("/health", response_model=Health, summary="Store and backend status")
def health(state: Annotated[AppState, Depends(get_state)]) -> Health:
    store = state.store()
    backend = state.backend()
    info = backend.health()  # raises BackendError → 503
    return Health(status="ok", backend=backend.name, backend_info=info, acts=len(store.acts()),
                  provision_versions=store.count_versions())
