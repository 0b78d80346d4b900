"""A real HTTP server on 127.0.0.1 that serves saved adilet pages in adilet's URL layout, with
fault injection per path, for the client and crawler tests (adilet.zan.kz itself is not reachable
from the test machines).

Served by default:

* ``/rus/docs/Z1100000477`` and ``/rus/docs/Z1500000410``: the REAL saved pages in
  tests/fixtures/adilet/;
* ``/rus/docs/{ID}/info|history|links`` for both: SYNTHETIC pages in tests/fixtures/adilet_synthetic/;
* ``/rus/archive/docs/Z1100000477/01.01.2016``: a SYNTHETIC older redaction, made at start-up
  from the real page by :func:`synthetic_older_redaction` (one article reworded, its 2025 footnote
  dropped, a marker comment added);
* ``/robots.txt`` disallowing ``/rus/search/`` and ``/private/``.

Faults are queued per path and consumed one per request, before the page is served:
``[500, Fault.status(429, retry_after="1"), Fault.timeout(), Fault.truncated(), Fault.maintenance()]``.
Every request is counted per path and logged in order, so tests assert retries and "no refetch".
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL = FIXTURES / "adilet"
SYNTHETIC = FIXTURES / "adilet_synthetic"

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /rus/search/\nDisallow: /private/\n"

#: The archived redaction date served for the migration law (SYNTHETIC page).
SYNTHETIC_ARCHIVE_DATE = "01.01.2016"


def synthetic_older_redaction(current_html: str) -> str:
    """A SYNTHETIC older redaction of Z1100000477 built from the real current page: article 28
    part 2 gets a different (invented) wording and loses its 2025 footnote. Not law text."""
    old = "не менее величины прожиточного минимума"
    if old not in current_html:
        raise ValueError("the real Z1100000477 page no longer has the sentence the synthetic edit changes")
    html = current_html.replace(old, "не менее двукратной величины прожиточного минимума (SYNTHETIC wording)", 1)
    html = re.sub(r"<span class=\"note\">\s*Сноска\. Статья 28 – в редакции.*?<br/>", "", html, count=1, flags=re.S)
    return html.replace("<html>", "<html>\n<!-- SYNTHETIC older redaction made by tests/ingest/adilet_server.py -->", 1)


def default_routes() -> dict[str, str]:
    routes: dict[str, str] = {}
    current = (REAL / "Z1100000477_rus.html").read_text(encoding="utf-8")
    routes["/rus/docs/Z1100000477"] = current
    routes["/rus/docs/Z1500000410"] = (REAL / "Z1500000410_rus_raw.html").read_text(encoding="utf-8")
    for act_id in ("Z1100000477", "Z1500000410"):
        for tab in ("info", "history", "links"):
            page = SYNTHETIC / f"{act_id}_rus_{tab}.synthetic.html"
            routes[f"/rus/docs/{act_id}/{tab}"] = page.read_text(encoding="utf-8")
    routes[f"/rus/archive/docs/Z1100000477/{SYNTHETIC_ARCHIVE_DATE}"] = synthetic_older_redaction(current)
    return routes


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour, consumed by one request."""

    kind: str  # status | timeout | truncated | cut | maintenance | drop
    status: int = 200
    retry_after: str | None = None
    seconds: float = 0.0

    @classmethod
    def http(cls, status: int, retry_after: str | None = None) -> Fault:
        return cls("status", status=status, retry_after=retry_after)

    @classmethod
    def timeout(cls, seconds: float = 1.0) -> Fault:
        """Sleep longer than the client's timeout before answering."""
        return cls("timeout", seconds=seconds)

    @classmethod
    def truncated(cls) -> Fault:
        """Declare the full Content-Length, send half the page, close the connection."""
        return cls("truncated")

    @classmethod
    def cut(cls) -> Fault:
        """No Content-Length: send half the page (no closing </html>) and close."""
        return cls("cut")

    @classmethod
    def maintenance(cls) -> Fault:
        """200 OK with adilet's maintenance notice instead of the page."""
        return cls("maintenance")

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without any response."""
        return cls("drop")


FaultSpec = Fault | int


class AdiletTestServer:
    """Threaded HTTP server on an ephemeral 127.0.0.1 port; use as a context manager."""

    def __init__(self, routes: dict[str, str] | None = None, *, robots: str | None = DEFAULT_ROBOTS) -> None:
        self.routes: dict[str, str] = default_routes() if routes is None else dict(routes)
        if robots is not None:
            self.routes["/robots.txt"] = robots
        self.requests: Counter[str] = Counter()
        self.log: list[tuple[float, str, str]] = []  # (monotonic time, path, what was answered)
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self.maintenance_html = (SYNTHETIC / "maintenance.synthetic.html").read_text(encoding="utf-8")
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a handler still sleeping in a timeout fault must not hold up stop()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        port = self._httpd.server_address[1]
        return f"http://127.0.0.1:{port}"  # the server is bound to 127.0.0.1 (see __init__)

    def start(self) -> AdiletTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> AdiletTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def inject(self, path: str, faults: list[FaultSpec]) -> None:
        """Queue faults for ``path``: an int is an HTTP status with an empty body."""
        with self._lock:
            queue = self._faults.setdefault(path, [])
            queue.extend(Fault.http(f) if isinstance(f, int) else f for f in faults)

    def events(self, path: str) -> list[str]:
        with self._lock:
            return [what for _, p, what in self.log if p == path]

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [t for t, p, _ in self.log if p == path]

    # the handler -------------------------------------------------------------------------------

    def _next(self, path: str) -> Fault | None:
        with self._lock:
            self.requests[path] += 1
            queue = self._faults.get(path)
            fault = queue.pop(0) if queue else None
            if fault is None:
                what = "ok" if path in self.routes else "404"
            else:
                what = str(fault.status) if fault.kind == "status" else fault.kind
            self.log.append((time.monotonic(), path, what))
            return fault

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection: a cut body ends at close

            def log_message(self, format: str, *args: object) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                fault = server._next(path)
                page = server.routes.get(path)
                ctype = "text/plain; charset=utf-8" if path.endswith(".txt") else "text/html; charset=utf-8"
                body = page.encode("utf-8") if page is not None else b""
                try:
                    if fault is None:
                        if page is None:
                            self._send(404, b"<html><body>Not found</body></html>", "text/html; charset=utf-8")
                        else:
                            self._send(200, body, ctype)
                    elif fault.kind == "status":
                        extra = {"Retry-After": fault.retry_after} if fault.retry_after else None
                        self._send(fault.status, b"", "text/html; charset=utf-8", extra)
                    elif fault.kind == "timeout":
                        time.sleep(fault.seconds)
                        self._send(200, body, ctype)
                    elif fault.kind == "maintenance":
                        self._send(200, server.maintenance_html.encode("utf-8"), "text/html; charset=utf-8")
                    elif fault.kind == "truncated":
                        self.send_response(200)
                        self.send_header("Content-Type", ctype)
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body[: len(body) // 2])
                        self.wfile.flush()
                        self.close_connection = True
                    elif fault.kind == "cut":
                        self.send_response(200)
                        self.send_header("Content-Type", ctype)
                        self.end_headers()
                        self.wfile.write(body[: len(body) // 2])
                        self.close_connection = True
                    elif fault.kind == "drop":
                        self.close_connection = True
                        self.connection.close()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (timeouts): nothing to answer

        return Handler
