"""What the API's routes share: the store (one read connection per server thread), the search backend
(opened lazily, so a backend that fails to open answers 503 rather than stopping the server) and the
result cache. Kept on ``app.state.migralex``; routes reach it through :func:`get_state`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import HTTPException, Request

from corpus.models import Act
from corpus.store import Store
from search_api.models import SearchBackend


class ResultCache:
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


class StorePool:
    """One read connection per server thread: sqlite3 connections must stay on their thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
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


@dataclass
class AppState:
    pool: StorePool
    make_backend: Callable[[], SearchBackend]
    results: ResultCache
    _backend: SearchBackend | None = field(default=None, init=False)

    def store(self) -> Store:
        return self.pool.get()

    def backend(self) -> SearchBackend:
        if self._backend is None:
            self._backend = self.make_backend()
        return self._backend

    def forget_backend(self) -> None:
        """Drop a backend that failed, so the next request tries to open it again."""
        self._backend = None

    def require_act(self, act_id: str) -> Act:
        act = self.store().act(act_id)
        if act is None:
            raise HTTPException(404, f"unknown act: {act_id}")
        return act


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.migralex
    return state
