"""Issue 11: Elasticsearch faults beyond "connection refused", against a REAL misbehaving HTTP server on
127.0.0.1 (tests/search/bad_es_server.py): a node that accepts and never answers, answers HTML, odd
JSON, or answers too slowly. Searches answer 503 JSON within the client timeout and then at once (the
circuit breaker); /acts, /taxonomy and the web page never wait on the backend; /health answers fast
with the fault; ``migralex serve`` starts whatever stands at ES_URL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from search_api.elastic import ElasticBackend
from search_api.state import HEALTH_WAIT
from search_api.web.browser import free_port
from tests.api.test_api import _error, serve
from tests.search.bad_es_server import MODES, bad_elastic

TIMEOUT = 1.0  # the client timeout the tests give the backend (the default is 5 s)
STORE_ONLY = ("/acts", "/acts/Z1100000477", "/acts/Z1100000477/provisions/art_1", "/taxonomy", "/")


def _timed(client: httpx.Client, path: str, **params: str) -> tuple[httpx.Response, float]:
    t = time.monotonic()
    resp = client.get(path, params=params)
    return resp, time.monotonic() - t


@pytest.mark.parametrize("mode", MODES)
def test_a_misbehaving_node_is_503_json_and_never_stalls_the_store_endpoints(built_home: Path, mode: str) -> None:
    with (
        bad_elastic(mode, delay=3 * TIMEOUT) as es,
        serve(built_home / "corpus.sqlite", lambda: ElasticBackend(es.url, request_timeout=TIMEOUT)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
        ThreadPoolExecutor(6) as pool,
    ):
        searches = [pool.submit(_timed, client, "/search", q=f"виза {i}") for i in range(6)]
        time.sleep(0.1)  # the searches are in flight (a hanging node holds them for the timeout)
        for path in STORE_ONLY:
            resp, took = _timed(client, path)
            assert resp.status_code == 200 and took < 1.0, (path, resp.status_code, took)
        health, took = _timed(client, "/health")
        assert took < HEALTH_WAIT + 1.0
        assert "Elasticsearch" in _error(health, 503) or "did not answer" in _error(health, 503)
        for future in searches:
            resp, took = future.result()
            assert resp.headers["content-type"] == "application/json"
            assert "Elasticsearch" in _error(resp, 503)
            assert took < 2 * TIMEOUT + 2.0, took  # one timeout (plus the OR fallback's), never 10-50 s
        # after a few failures the circuit is open: no more waiting on the node
        resp, took = _timed(client, "/search", q="паспорт")
        assert "failing" in _error(resp, 503) and took < 0.5
        health, took = _timed(client, "/health")
        assert health.status_code == 503 and took < 0.5



@pytest.mark.parametrize(("mode", "workers"), [("hang", "1"), ("html_with_header", "2"), ("odd_json", "1")])
def test_serve_starts_whatever_answers_at_es_url(built_home: Path, mode: str, workers: str) -> None:
    """Before: an odd answer at ES_URL killed `serve` at start-up, a hanging one held it for the timeout."""
    port = free_port()
    with bad_elastic(mode) as es:
        env = {**os.environ, "MIGRALEX_HOME": str(built_home)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "migralex.cli", "serve", "--port", str(port), "--backend", "elasticsearch",
             "--es-url", es.url, "--es-timeout", str(TIMEOUT), "--workers", workers],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 60
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                while True:
                    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                    try:
                        acts = client.get("/acts")
                        break
                    except httpx.TransportError:
                        assert time.monotonic() < deadline, "serve did not start"
                        time.sleep(0.2)
                assert acts.status_code == 200 and acts.json()["acts"]
                health, took = _timed(client, "/health")
                assert health.status_code == 503 and took < HEALTH_WAIT + 1.0
                assert "Elasticsearch" in _error(client.get("/search", params={"q": "виза"}), 503)
                assert proc.poll() is None
        finally:
            proc.terminate()
            proc.wait(timeout=20)
