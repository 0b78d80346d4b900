"""The HTTP API and web page (DESIGN.md §6): a thin shell over the corpus store and a backend.

Errors are always JSON ``{"error": {"code", "message"}}``: 400/422 for bad parameters (the
message names the parameter), 404 for unknown ids, 503 when the search backend is down.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from corpus.models import to_dict
from corpus.store import NotFoundError, Store, StoreError
from search_api.models import (
    MAX_PAGE_SIZE,
    BackendError,
    QueryError,
    SearchBackend,
    SearchQuery,
    SearchResult,
)

STATIC_DIR = Path(__file__).with_name("static")

SEARCH_EXAMPLES = {
    "q": "выдворения иностранцев",
    "at": "2020-01-01",
    "tag": "expulsion",
}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


class _ResultCache:
    """Recently answered searches as JSON bytes: a bounded LRU with a time to live. Many clients
    asking popular queries are answered without the backend; used only from the event loop."""

    def __init__(self, maxsize: int, ttl: float) -> None:
        self.maxsize, self.ttl = maxsize, ttl
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        item = self._items.get(key)
        if item is None:
            return None
        if time.monotonic() - item[0] > self.ttl:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return item[1]

    def put(self, key: str, body: bytes) -> None:
        if self.ttl <= 0 or self.maxsize <= 0:
            return
        self._items[key] = (time.monotonic(), body)
        self._items.move_to_end(key)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)


class _StorePool:
    """One read connection per server thread: sqlite3 connections must stay on their thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for s in self._all:
                s.close()
            self._all.clear()


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
    pool = _StorePool(Path(store_path))
    backend_box: dict[str, SearchBackend] = {}

    def get_backend() -> SearchBackend:
        if "b" not in backend_box:
            b = backend() if callable(backend) and not isinstance(backend, SearchBackend) else backend
            backend_box["b"] = b  # type: ignore[assignment]
        return backend_box["b"]

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_warm_up)
        yield
        pool.close()

    def _warm_up() -> None:
        """Load the lemmatizer, the taxonomies and the backend before the first request, so the
        first clients do not wait seconds for them. A backend that fails here answers 503 later."""
        from nlp.lemmatize import lemma
        from nlp.taxonomy import load_rights, load_topics

        lemma("выдворения")
        load_topics(), load_rights()
        try:
            get_backend().search(SearchQuery(q="миграция", size=1))
        except (BackendError, QueryError):
            backend_box.clear()

    app = FastAPI(
        title="MigraLex",
        lifespan=lifespan,
        version="0.1.0",
        description=(
            "Search and analysis of the migration law of Kazakhstan: provisions in every wording, "
            "their amendments, citations, migration topics and the rights they engage."
        ),
    )

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
        return _error(503, "backend_unavailable", str(exc))

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        if isinstance(exc, NotFoundError):  # an unknown provision asked of history()/diff()
            return _error(404, "not_found", str(exc))
        return _error(503, "store_unavailable", str(exc))

    def store() -> Store:
        return pool.get()

    def require_act(act_id: str) -> Any:
        act = store().act(act_id)
        if act is None:
            raise HTTPException(404, f"unknown act: {act_id}")
        return act

    @app.get("/", include_in_schema=False)
    def index_page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    results = _ResultCache(maxsize=result_cache_size, ttl=result_cache_ttl)

    @app.get("/search", response_model=SearchResult, summary="Morphology-aware search over provisions")
    async def search(
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
            sort=sort,  # type: ignore[arg-type]
        )
        _check_vocabulary(query)
        key = query.model_dump_json()
        body = results.get(key)
        if body is None:
            try:
                b = get_backend()
                # a CPU-bound in-process backend answers faster inline (a thread hop only adds latency
                # under the GIL); a backend that waits on the network goes to the thread pool
                if getattr(b, "io_bound", True):
                    result = await run_in_threadpool(b.search, query)
                else:
                    result = b.search(query)
            except QueryError as exc:
                raise HTTPException(400, f"q: {exc}") from exc
            body = result.model_dump_json().encode()
            results.put(key, body)
        return Response(body, media_type="application/json")

    def _check_vocabulary(query: SearchQuery) -> None:
        from nlp.taxonomy import load_rights, load_topics

        vocab = (("tag", query.tag, load_topics().tags), ("right", query.right, load_rights().rights))
        for name, values, known in vocab:
            unknown = [v for v in values if v not in known]
            if unknown:
                raise HTTPException(400, f"{name}: unknown id(s) {', '.join(unknown)}; see /taxonomy")

    @app.get("/acts", summary="Acts in the corpus")
    def acts() -> dict[str, Any]:
        return {"acts": [to_dict(a) for a in store().acts()]}

    @app.get("/acts/{act_id}", summary="One act: requisites, redactions and table of contents")
    def act_view(act_id: str) -> dict[str, Any]:
        act = require_act(act_id)
        s = store()
        toc = [
            {"eid": p.eid, "kind": p.kind, "number": p.number, "heading": p.heading, "parent": p.parent}
            for p in s.toc(act_id)
        ]
        return {
            "act": to_dict(act),
            "redactions": [to_dict(r) for r in s.redactions(act_id)],
            "toc": toc,
            "amendments": len(s.amendments(act_id)),
        }

    def provision_or_404(act_id: str, eid: str, at: date | None) -> Any:
        require_act(act_id)
        prov = store().provision_at(act_id, eid, at)
        if prov is None:
            versions = store().provision_versions(act_id, eid)
            if not versions:
                raise HTTPException(404, f"unknown provision: {act_id}/{eid}")
            raise HTTPException(
                404,
                f"{act_id}/{eid} has no wording in force on {at}; known versions start "
                f"{', '.join(str(v.valid_from) for v in versions)}",
            )
        return prov

    @app.get("/acts/{act_id}/provisions/{eid}", summary="A provision as in force on a date (default: now)")
    def provision(act_id: str, eid: str, at: date | None = None) -> dict[str, Any]:
        prov = provision_or_404(act_id, eid, at)
        s = store()
        ann = s.annotation(prov.version_id)
        return {
            "provision": {**to_dict(prov), "id": prov.version_id},
            "children": [{**to_dict(c), "id": c.version_id} for c in s.children(act_id, eid, at)],
            "amendments": [to_dict(a) for a in s.amendments(act_id, eid)],
            "annotation": to_dict(ann) if ann else None,
        }

    @app.get("/acts/{act_id}/provisions/{eid}/history", summary="Versions and amendments in date order")
    def history(act_id: str, eid: str) -> dict[str, Any]:
        require_act(act_id)
        if not store().provision_versions(act_id, eid):
            raise HTTPException(404, f"unknown provision: {act_id}/{eid}")
        return to_dict(store().history(act_id, eid))

    @app.get("/acts/{act_id}/provisions/{eid}/diff", summary="Word-level diff of two versions")
    def diff(
        act_id: str,
        eid: str,
        from_: Annotated[date, Query(alias="from", description="First date (YYYY-MM-DD)")],
        to: Annotated[date, Query(description="Second date (YYYY-MM-DD)")],
    ) -> dict[str, Any]:
        provision_or_404(act_id, eid, from_)
        provision_or_404(act_id, eid, to)
        return to_dict(store().diff(act_id, eid, from_, to))

    @app.get("/acts/{act_id}/provisions/{eid}/citations", summary="Citations from and to a provision")
    def citations(act_id: str, eid: str, at: date | None = None) -> dict[str, Any]:
        prov = provision_or_404(act_id, eid, at)
        s = store()
        ann = s.annotation(prov.version_id)
        outgoing = [to_dict(c) for c in (ann.citations if ann else [])]
        incoming = [{"from": vid, **to_dict(c)} for vid, c in s.citations_to(act_id, eid)]
        return {"id": prov.version_id, "outgoing": outgoing, "incoming": incoming}

    @app.get("/taxonomy", summary="Topic tags and rights with their instruments")
    def taxonomy() -> dict[str, Any]:
        from nlp.taxonomy import load_rights, load_topics

        topics, rights = load_topics(), load_rights()
        return {
            "version": {"topics": topics.version, "rights": rights.version},
            "topics": [to_dict(t) for t in topics.tags.values()],
            "rights": [to_dict(r) for r in rights.rights.values()],
        }

    @app.get("/health", summary="Store and backend status")
    def health() -> dict[str, Any]:
        s = store()
        b = get_backend()
        info = b.health()  # raises BackendError → 503
        return {"status": "ok", "backend": b.name, "backend_info": info, "acts": len(s.acts()),
                "provision_versions": s.count_versions()}

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
