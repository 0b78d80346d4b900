"""A real HTTP server on 127.0.0.1 standing where Elasticsearch should be, misbehaving on purpose, for
the fault tests of the Elasticsearch backend and the API (as tests/ingest/adilet_server.py serves a
faulty adilet to the crawler). Nothing here imitates Elasticsearch's search: every mode is a fault.

Modes (``server.mode``, switchable while it runs):

* ``hang``: accepts the connection, reads the request and never answers;
* ``html``: answers 200 with an HTML page (a proxy's or a web server's welcome page);
* ``html_with_header``: the same page carrying Elasticsearch's product header (a body that cannot be
  decoded, past the product check);
* ``odd_json``: answers 200 ``{"hello": "world"}`` carrying Elasticsearch's product header, so the
  client's product check passes and the answer's shape is what is wrong;
* ``odd_json_no_header``: the same JSON without the product header (some other JSON service);
* ``slow``: answers like ``odd_json`` but only after ``server.delay`` seconds.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = ("hang", "html", "html_with_header", "odd_json", "odd_json_no_header", "slow")


class BadElasticServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str, delay: float = 5.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.delay = delay
        self.requests = 0
        self.released = threading.Event()  # set at shutdown: hanging handlers return

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: BadElasticServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _answer(self) -> None:
        self.server.requests += 1
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        mode = self.server.mode
        if mode == "hang":
            self.server.released.wait(120)
            self.close_connection = True
            return
        if mode == "slow" and self.server.released.wait(self.server.delay):
            self.close_connection = True
            return
        if mode.startswith("html"):
            body = b"<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>It works</body></html>"
            ctype, product = "text/html", ("Elasticsearch" if mode == "html_with_header" else None)
        else:
            body = json.dumps({"hello": "world"}).encode()
            ctype = "application/json"
            product = None if mode == "odd_json_no_header" else "Elasticsearch"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if product:
            self.send_header("X-Elastic-Product", product)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer


@contextmanager
def bad_elastic(mode: str, delay: float = 5.0) -> Iterator[BadElasticServer]:
    """Run a :class:`BadElasticServer` in a thread; yields it (its ``url`` is the ES_URL to use)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: one of {MODES}")
    server = BadElasticServer(mode, delay)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        time.sleep(0.05)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
