"""The HTTP API and web page (docs/design.md §6): a thin shell over the corpus store and a backend.

Wiring only: the shared state (:mod:`search_api.state`), the routes (:mod:`search_api.routes`), and the
error handlers. Errors are always JSON ``{"error": {"code", "message"}}``: 400/422 for bad parameters (the
message names the parameter), 404 for unknown ids, 503 when the store or the search backend is down.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from corpus.store import NotFoundError, StoreError
from search_api.models import BackendError, QueryError, SearchBackend, SearchQuery
from search_api.routes import acts, search, service
from search_api.state import AppState, ResultCache, StorePool


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def create_app(
    store_path: Path,
    backend: SearchBackend | Callable[[], SearchBackend],
    *,
    result_cache_size: int = 4096,
    result_cache_ttl: float = 30.0,
) -> FastAPI:
    """Build the app. ``backend`` may be a factory so a backend that fails to open becomes a 503.

    Answers of /search are kept for ``result_cache_ttl`` seconds (0 turns this off), so a reindex
    is visible within that time."""
    if not Path(store_path).exists():
        raise FileNotFoundError(f"corpus store not found: {store_path} (run `migralex build` first)")
    if isinstance(backend, SearchBackend):
        opened = backend

        def factory() -> SearchBackend:
            return opened
    else:
        factory = backend
    state = AppState(StorePool(Path(store_path)), factory, ResultCache(result_cache_size, result_cache_ttl))

    def warm_up() -> None:
        """Load the lemmatizer, the taxonomies and the backend before the first request, so the first
        clients do not wait seconds for them. A backend that fails here answers 503 later."""
        from nlp.lemmatize import lemma
        from nlp.taxonomy import load_rights, load_topics

        lemma("выдворения")
        load_topics(), load_rights()
        try:
            state.backend().search(SearchQuery(q="миграция", size=1))
        except (BackendError, QueryError):
            state.forget_backend()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(warm_up)
        yield
        state.pool.close()

    app = FastAPI(
        title="MigraLex",
        lifespan=lifespan,
        version="0.1.0",
        description=(
            "Search and analysis of the migration law of Kazakhstan: provisions in every wording, "
            "their amendments, citations, migration topics and the rights they engage."
        ),
    )
    app.state.migralex = state

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
            parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg')}")
        return _error(422, "invalid_parameter", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 400: "bad_request", 503: "backend_unavailable"}.get(exc.status_code, "error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(BackendError)
    async def _backend(_: Request, exc: BackendError) -> JSONResponse:
        state.forget_backend()
        return _error(503, "backend_unavailable", str(exc))

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        if isinstance(exc, NotFoundError):  # an unknown provision asked of history()/diff()
            return _error(404, "not_found", str(exc))
        return _error(503, "store_unavailable", str(exc))

    for router in (service.router, search.router, acts.router):
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` (several worker processes): settings from the environment
    that ``migralex serve --workers N`` sets: MIGRALEX_STORE, MIGRALEX_INDEX, MIGRALEX_BACKEND,
    ES_URL, MIGRALEX_CACHE_TTL."""
    from search_api.backends import make_backend

    env = os.environ
    backend = env.get("MIGRALEX_BACKEND", "embedded")
    return create_app(
        Path(env["MIGRALEX_STORE"]),
        lambda: make_backend(backend, index_dir=Path(env["MIGRALEX_INDEX"]), es_url=env.get("ES_URL")),
        result_cache_ttl=float(env.get("MIGRALEX_CACHE_TTL", "30")),
    )
