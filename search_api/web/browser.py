"""A real browser for the pages' tests, screenshots and timings (not used by the server itself).

Playwright (the PyPI package, whose driver ships in the wheel) drives Debian's Chromium
(``/usr/bin/chromium``, or ``$MIGRALEX_CHROMIUM``); no browser is downloaded. Each launch gets a fresh
profile (Playwright makes a new temporary user-data-dir), and the flags keep Chromium from reaching
for the network on its own (background networking, component updates, sync, QUIC). The app is served
by uvicorn on a free loopback port, and :func:`offline` aborts and records any request that would
leave 127.0.0.1, so a test can prove that a page needs nothing from the internet.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Route

#: The flags known to work on this project's machines (docs: /work/.library/env/machines/polyglot.md).
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage")


def chromium_path() -> str | None:
    """Debian's Chromium (or ``$MIGRALEX_CHROMIUM``), None when it is not installed."""
    env = os.environ.get("MIGRALEX_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def unavailable() -> str | None:
    """Why no browser can run here (None when one can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install playwright)"
    if chromium_path() is None:
        return "Chromium is not installed (apt-get install chromium, or set MIGRALEX_CHROMIUM)"
    return None


@contextmanager
def launch(*, headless: bool = True) -> Iterator[Browser]:
    """Chromium through Playwright with a fresh profile."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError(unavailable() or "no Chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=headless, args=list(CHROMIUM_FLAGS))
        try:
            yield browser
        finally:
            browser.close()


def offline(context: BrowserContext, allowed_host: str = "127.0.0.1") -> list[str]:
    """Abort every request of ``context`` to another host; returns the (growing) list of those URLs."""
    blocked: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host == allowed_host:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)
    return blocked


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(
    make_app: Callable[[], Any], port: int | None = None, *, start_timeout: float = 30, **config: Any
) -> Iterator[str]:
    """Run the app (from ``make_app``) in uvicorn on a thread on loopback; yields its base URL. ``config``:
    more ``uvicorn.Config`` options (``log_level`` is "warning" unless given)."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(make_app(), host="127.0.0.1", port=port,
                                           **{"log_level": "warning", **config}))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve_home(home: Path, port: int | None = None, *, result_cache_ttl: float = 30.0) -> Any:
    """:func:`serve` for a built MigraLex home (``corpus.sqlite`` and the embedded ``index/``);
    ``result_cache_ttl=0`` turns the search result cache off (for timings)."""
    from search_api.app import create_app
    from search_api.embedded import EmbeddedBackend

    return serve(lambda: create_app(home / "corpus.sqlite", lambda: EmbeddedBackend(home / "index"),
                                    result_cache_ttl=result_cache_ttl), port)
