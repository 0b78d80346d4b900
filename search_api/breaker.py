"""A circuit breaker for a search backend reached over the network (issue 11).

After ``threshold`` consecutive failures the circuit OPENS: calls fail at once with
:class:`~search_api.models.BackendError` (HTTP 503) for ``cooldown`` seconds instead of each waiting
for a timeout on a node that does not answer. Then ONE trial call is let through (half-open): its
success closes the circuit, its failure opens it again. Thread-safe: searches run in a thread pool.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from search_api.models import BackendError


class CircuitBreaker:
    def __init__(
        self, name: str, *, threshold: int = 3, cooldown: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name, self.threshold, self.cooldown, self.clock = name, threshold, cooldown, clock
        self._lock = threading.Lock()
        self.failures = 0  # consecutive
        self.opened_at: float | None = None
        self.last_error = ""
        self._trial = False  # a half-open trial call is in flight

    @property
    def state(self) -> str:
        """``closed`` (calls go through), ``open`` (they fail at once) or ``half_open`` (one trial)."""
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "open" if self.clock() - self.opened_at < self.cooldown else "half_open"

    def check(self) -> None:
        """Raise BackendError at once while the circuit is open (or a trial call is in flight)."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return
            if state == "half_open" and not self._trial:
                self._trial = True
                return
            assert self.opened_at is not None
            retry = max(0.0, self.cooldown - (self.clock() - self.opened_at))
            raise BackendError(
                f"{self.name} is failing ({self.failures} failures in a row, last: {self.last_error});"
                f" not asked again for {retry:.0f} s"
            )

    def success(self) -> None:
        with self._lock:
            self.failures, self.opened_at, self._trial = 0, None, False

    def failure(self, error: str) -> None:
        with self._lock:
            self.failures += 1
            self.last_error = error
            if self._trial or self.failures >= self.threshold:
                self.opened_at = self.clock()
            self._trial = False

    @contextmanager
    def guard(self) -> Iterator[None]:
        """``with breaker.guard(): call()``: refuse while open, count a BackendError as a failure."""
        self.check()
        try:
            yield
        except BackendError as exc:
            self.failure(str(exc)[:300])
            raise
        except BaseException:
            with self._lock:
                self._trial = False  # not the backend's fault: let the next call try
            raise
        self.success()

    def info(self) -> dict[str, object]:
        with self._lock:
            return {"state": self._state(), "failures": self.failures, "last_error": self.last_error or None}
