"""The HTTP API and web page (docs/design.md §6): a thin shell over the corpus store and a backend.

Wiring only: the shared state (:mod:`search_api.state`), the routes (:mod:`search_api.routes`), and the
error handlers. Errors are always JSON ``{"error": {"code", "message"}}``: 400/422 for bad parameters (the
message names the parameter), 404 for unknown ids, 414 for a URL past :data:`MAX_URL_BYTES`, 503 when the
store or the search backend is down, and 500 (JSON too, the connection kept) for anything unforeseen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corpus.store import NotFoundError, StoreError
from search_api import web
from search_api.models import BackendError, SearchBackend, SearchQuery
from search_api.routes import acts, rights, search, service
from search_api.state import AppState, ResultCache, StorePool

log = logging.getLogger("migralex.api")

#: Longest request target (path + query string) answered; longer → 414 JSON. Far above any real search.
MAX_URL_BYTES = 16_384
#: Default bound of the result cache per server process.
RESULT_CACHE_BYTES = 64 * 1024 * 1024


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}}, headers=headers)


class Guard:
    """Outermost app layer (inside uvicorn's own): refuses an oversized URL with 414 JSON, and turns any
    exception no handler knew into a JSON 500 that ENDS the response properly, so the keep-alive
    connection stays usable (an exception escaping to the server would close it, with a plain-text 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        size = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string") or b"")
        if size > MAX_URL_BYTES:
            await _send_json(send, 414, "uri_too_long", f"request URL of {size} bytes: at most {MAX_URL_BYTES}")
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            if started:  # half an answer is out: only closing the connection can tell the client
                raise
            await _send_json(send, 500, "internal_error", f"internal error ({type(exc).__name__}); it is logged")


async def _send_json(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(
    store_path: Path,
    backend: SearchBackend | Callable[[], SearchBackend],
    *,
    result_cache_bytes: int = RESULT_CACHE_BYTES,
    result_cache_ttl: float = 30.0,
) -> FastAPI:
    """Build the app. ``backend`` may be a factory so a backend that fails to open becomes a 503.

    Answers of /search are kept for ``result_cache_ttl`` seconds (0 turns this off), so a reindex
    is visible within that time, in at most ``result_cache_bytes`` per process. The store is opened
    read-only: the server never creates, migrates or writes one."""
    if not Path(store_path).exists():
        raise FileNotFoundError(f"corpus store not found: {store_path} (run `migralex build` first)")
    if isinstance(backend, SearchBackend):
        opened = backend

        def factory() -> SearchBackend:
            return opened
    else:
        factory = backend
    state = AppState(StorePool(Path(store_path)), factory, ResultCache(result_cache_bytes, result_cache_ttl))

    def warm_up() -> None:
        """Load the lemmatizer, the taxonomies and an in-process backend before the first request, so the
        first clients do not wait seconds for them. Nothing here may stop the server: a backend that
        fails answers 503 later, and a network backend is not asked at all (it may hang)."""
        from nlp.lemmatize import lemma
        from nlp.taxonomy import load_rights, load_topics

        lemma("выдворения")
        load_topics(), load_rights()
        try:
            backend = state.backend()
            if not getattr(backend, "io_bound", True):
                backend.search(SearchQuery(q="миграция", size=1))
        except Exception as exc:
            log.warning("search backend not ready at start-up (searches answer 503 until it is): %s", exc)

    async def expire_results() -> None:
        # expired answers leave the cache even when nobody asks again
        while True:
            await asyncio.sleep(max(1.0, result_cache_ttl / 2))
            state.results.expire()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(warm_up)
        expiry = asyncio.create_task(expire_results())
        yield
        expiry.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await expiry
        state.close()

    app = FastAPI(
        title="MigraLex",
        lifespan=lifespan,
        version="0.1.0",
        docs_url=None,  # /docs and /redoc are served offline by search_api.web
        redoc_url=None,
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
        code = {404: "not_found", 400: "bad_request", 405: "method_not_allowed", 503: "backend_unavailable"}.get(
            exc.status_code, "error"
        )
        return _error(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))  # e.g. Allow on a 405

    @app.exception_handler(BackendError)
    async def _backend(_: Request, exc: BackendError) -> JSONResponse:
        return _error(503, "backend_unavailable", str(exc))

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        if isinstance(exc, NotFoundError):  # an unknown provision asked of history()/diff()
            return _error(404, "not_found", str(exc))
        return _error(503, "store_unavailable", str(exc))

    for router in (service.router, search.router, acts.router, rights.router):
        app.include_router(router)
    web.install(app)  # the scholars' pages, their static files, offline /docs and /redoc
    app.add_middleware(Guard)  # added last: the outermost layer
    return app


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` (several worker processes): settings from the environment
    that ``migralex serve --workers N`` sets: MIGRALEX_STORE, MIGRALEX_INDEX, MIGRALEX_BACKEND,
    ES_URL, MIGRALEX_ES_TIMEOUT, MIGRALEX_CACHE_TTL, MIGRALEX_CACHE_MB."""
    from search_api.backends import make_backend

    env = os.environ
    backend = env.get("MIGRALEX_BACKEND", "embedded")
    return create_app(
        Path(env["MIGRALEX_STORE"]),
        lambda: make_backend(backend, index_dir=Path(env["MIGRALEX_INDEX"]), es_url=env.get("ES_URL"),
                             request_timeout=float(env.get("MIGRALEX_ES_TIMEOUT") or 0) or None),
        result_cache_ttl=float(env.get("MIGRALEX_CACHE_TTL", "30")),
        result_cache_bytes=int(float(env.get("MIGRALEX_CACHE_MB") or RESULT_CACHE_BYTES / 2**20) * 2**20),
    )
