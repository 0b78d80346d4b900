"""What the API's routes share: the store (one read connection per server thread), the search backend
(opened lazily, so a backend that fails to open answers 503 rather than stopping the server) and the
result cache. Kept on ``app.state.migralex``; routes reach it through :func:`get_state`.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from cachetools import TTLCache
from fastapi import HTTPException, Request

from corpus.models import Act
from corpus.store import Store
from search_api.models import BackendError, SearchBackend

T = TypeVar("T")


class ResultCache:
    """Recently answered searches as JSON bytes, bounded by BYTES (answers of ``size=100`` weigh
    hundreds of kB) and expired by time: ``cachetools.TTLCache`` with a size function, least recently
    used out first. Expired answers go at every insertion and on :meth:`expire` (the app calls it
    periodically), not only when asked for again. Used only from the event loop."""

    #: Bytes counted per entry beside its key and body: the TTLCache's links and dict slots.
    ENTRY_OVERHEAD = 256

    def __init__(self, max_bytes: int, ttl: float, *, timer: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes, self.ttl = max_bytes, ttl
        self.hits = self.misses = 0
        self._items: TTLCache[str, tuple[int, bytes]] | None = None
        if ttl > 0 and max_bytes > 0:
            self._items = TTLCache(maxsize=max_bytes, ttl=ttl, timer=timer, getsizeof=self._weight)

    @classmethod
    def _weight(cls, entry: tuple[int, bytes]) -> int:
        return entry[0] + len(entry[1]) + cls.ENTRY_OVERHEAD

    def get(self, key: str) -> bytes | None:
        entry = self._items.get(key) if self._items is not None else None
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        return entry[1]

    def put(self, key: str, body: bytes) -> None:
        if self._items is None:
            return
        entry = (len(key.encode()), body)
        if self._weight(entry) > self.max_bytes:
            return  # larger than the whole cache: not kept
        self._items[key] = entry

    def expire(self) -> None:
        if self._items is not None:
            self._items.expire()

    def stats(self) -> dict[str, float | int]:
        """What /health reports: entries, bytes held, the bound, time to live, hits and misses."""
        self.expire()
        items = self._items
        return {
            "entries": len(items) if items is not None else 0,
            "bytes": int(items.currsize) if items is not None else 0,
            "max_bytes": self.max_bytes if items is not None else 0,
            "ttl": self.ttl,
            "hits": self.hits,
            "misses": self.misses,
        }


class StorePool:
    """One read-only connection per server thread (sqlite3 connections must stay on their thread).

    The server never creates, migrates or writes a store. A build from scratch swaps a new store
    generation in under the same path (``corpus.store.publish_generation``): a thread notices it by
    the path's inode, one ``stat`` per request, and reopens."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is not None:
            try:
                swapped = os.stat(self.path).st_ino != store.inode
            except OSError:
                swapped = True  # gone: reopening says so (StoreMissingError → 503)
            if swapped:
                self._forget(store)
                store = None
        if store is None:
            store = Store(self.path, readonly=True)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def _forget(self, store: Store) -> None:
        self._local.store = None
        with self._lock:
            if store in self._all:
                self._all.remove(store)
        store.close()

    def close(self) -> None:
        with self._lock:
            for s in self._all:
                s.close()
            self._all.clear()


#: Threads that run backend calls, never the event loop nor the threads that answer the store-only
#: endpoints (/acts, /taxonomy …). A network backend waits: many threads, so a slow node holds only
#: these. An in-process backend computes: ONE thread per server process, as more only contend for the
#: GIL (tantivy releases it, and runs facets on threads of its own), which measured worse tail latency.
SEARCH_THREADS_NETWORK = 16
SEARCH_THREADS_IN_PROCESS = 1
#: Seconds /health waits for the backend's own status check before answering 503.
HEALTH_WAIT = 3.0


@dataclass
class AppState:
    pool: StorePool
    make_backend: Callable[[], SearchBackend]
    results: ResultCache
    _backend: SearchBackend | None = field(default=None, init=False)
    _backend_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _searches: ThreadPoolExecutor | None = field(default=None, init=False)
    # health checks get threads of their own, so they never queue behind searches stuck on a slow node
    probes: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(2, thread_name_prefix="migralex-health"), init=False
    )

    def store(self) -> Store:
        return self.pool.get()

    def backend(self) -> SearchBackend:
        """The backend, opened on first use; one that cannot be opened is a BackendError (503)."""
        if self._backend is None:
            with self._backend_lock:
                if self._backend is None:
                    try:
                        backend = self.make_backend()
                    except BackendError:
                        raise
                    except Exception as exc:  # a misconfiguration (unknown backend, bad URL …): 503, said
                        raise BackendError(f"the search backend cannot be opened: {type(exc).__name__}: {exc}") from exc
                    io_bound = getattr(backend, "io_bound", True)
                    threads = SEARCH_THREADS_NETWORK if io_bound else SEARCH_THREADS_IN_PROCESS
                    self._searches = ThreadPoolExecutor(threads, thread_name_prefix="migralex-search")
                    self._backend = backend
        return self._backend

    async def call_backend(self, fn: Callable[..., T], *args: Any, probe: bool = False) -> T:
        """Run a (blocking) backend call off the event loop, on the backend's own threads; refused at
        once while the backend's circuit breaker is open."""
        breaker = getattr(self.backend(), "breaker", None)
        if breaker is not None:
            breaker.check()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.probes if probe else self._searches, functools.partial(fn, *args))

    def close(self) -> None:
        if self._searches is not None:
            self._searches.shutdown(wait=False, cancel_futures=True)
        self.probes.shutdown(wait=False, cancel_futures=True)
        self.pool.close()

    def require_act(self, act_id: str) -> Act:
        act = self.store().act(act_id)
        if act is None:
            raise HTTPException(404, f"unknown act: {act_id}")
        return act


async def get_state(request: Request) -> AppState:
    """(async: FastAPI would run a plain function on a worker thread, a hop per request)"""
    state: AppState = request.app.state.migralex
    return state
