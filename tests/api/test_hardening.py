"""Issue 11, hostile input over real HTTP: deep queries, unforeseen errors, huge URLs, unknown ids.

Every answer is JSON ``{"error": {"code", "message"}}`` naming the parameter, and a keep-alive connection
stays usable after any of them (checked on one raw socket, as a browser or a proxy keeps it)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from search_api.embedded import EmbeddedBackend
from search_api.query import MAX_DEPTH, MAX_QUERY_LENGTH
from search_api.web.browser import serve as web_serve
from tests.api.test_api import _error, serve


@pytest.fixture(scope="module")
def url(built_home: Path) -> Iterator[str]:
    with serve(built_home / "corpus.sqlite", lambda: EmbeddedBackend(built_home / "index")) as base:
        yield base


@pytest.fixture(scope="module")
def api(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client


def _exchange(sock: socket.socket, target: str) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request and its whole answer on an open keep-alive socket."""
    sock.sendall(f"GET {target} HTTP/1.1\r\nHost: test\r\nConnection: keep-alive\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before the answer's headers"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed in the middle of the answer"
        body += chunk
    return status, headers, body


def _on_one_connection(url: str, targets: list[str]) -> list[tuple[int, dict[str, str], bytes]]:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        return [_exchange(sock, t) for t in targets]


DEEP_QUERIES = {
    "238 parentheses": "(" * 238 + "виза" + ")" * 238,
    "950 chained NOT": "виза " + "NOT " * 950 + "паспорт",
    f"{MAX_DEPTH + 1} parentheses": "(" * (MAX_DEPTH + 1) + "виза" + ")" * (MAX_DEPTH + 1),
    "too long": "виза " * (MAX_QUERY_LENGTH // 5 + 1),
}


@pytest.mark.parametrize("q", DEEP_QUERIES.values(), ids=DEEP_QUERIES.keys())
def test_deep_or_long_queries_are_400_naming_q_and_keep_the_connection(url: str, q: str) -> None:
    from urllib.parse import urlencode

    (status, headers, body), (after, _, after_body) = _on_one_connection(
        url, ["/search?" + urlencode({"q": q}), "/search?q=%D0%B2%D0%B8%D0%B7%D0%B0"]
    )
    assert status == 400 and headers["content-type"] == "application/json", body[:300]
    message = json.loads(body)["error"]["message"]
    assert message.startswith("q: ") and ("nested too deeply" in message or "too long" in message), message
    assert after == 200 and json.loads(after_body)["total"] > 0


def test_deepest_allowed_nesting_still_searches(api: httpx.Client) -> None:
    q = "(" * MAX_DEPTH + "виза" + ")" * MAX_DEPTH
    assert api.get("/search", params={"q": q}).json()["total"] > 0


def test_an_unforeseen_error_is_json_500_and_the_connection_stays_usable(built_home: Path) -> None:
    """A fault no handler knows (here: a route that raises) still answers JSON and ends the answer."""
    from search_api.app import create_app

    app = create_app(built_home / "corpus.sqlite", lambda: EmbeddedBackend(built_home / "index"))

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RecursionError("maximum recursion depth exceeded")

    with web_serve(lambda: app, log_level="critical") as url:
        (status, headers, body), (after, _, _) = _on_one_connection(url, ["/boom", "/taxonomy"])
    assert status == 500 and headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "error": {"code": "internal_error", "message": "internal error (RecursionError); it is logged"}
    }
    assert after == 200


def test_a_huge_url_gets_a_json_4xx(url: str) -> None:
    # past the app's bound: 414, and the connection goes on
    (status, headers, body), (after, _, _) = _on_one_connection(url, ["/search?q=" + "a" * 60_000, "/taxonomy"])
    assert status == 414 and headers["content-type"] == "application/json"
    assert "URL" in json.loads(body)["error"]["message"]
    assert after == 200
    # past what the HTTP parser reads (the probe's 100 kB): still the error schema, then the server closes
    [(status, headers, body)] = _on_one_connection(url, ["/search?q=" + "a" * 100_000])
    assert status == 400 and headers["content-type"] == "application/json"
    assert "too large" in json.loads(body)["error"]["message"]


@pytest.mark.parametrize(
    ("params", "name", "says"),
    [
        ({"q": "виза", "status": "valid"}, "status", "unknown value valid; one of in_force"),
        ({"q": "виза", "status": ""}, "status", "empty value"),
        ({"q": "виза", "kind": ""}, "kind", "empty value"),
        ({"q": "виза", "kind": "statute"}, "kind", "unknown value statute; one of"),
        ({"q": "виза", "act": ""}, "act", "empty value"),
        ({"q": "виза", "act": "Z0000000000"}, "act", "unknown value Z0000000000; see /acts"),
        ({"q": "виза", "act": ["Z1100000477", "K9"]}, "act", "unknown value K9"),
        ({"q": "виза", "tag": "nope"}, "tag", "unknown value nope; see /taxonomy"),
        ({"q": "виза", "tag": ""}, "tag", "empty value"),
        ({"q": "виза", "right": "nope"}, "right", "unknown value nope; see /taxonomy"),
        ({"q": "виза", "chapter": "chp_999"}, "chapter", "unknown chapter chp_999"),
        ({"q": "виза", "chapter": ""}, "chapter", "empty value"),
        ({"q": "виза", "chapter": "art_1"}, "chapter", "unknown chapter art_1"),
        ({"q": "виза", "page": 101, "size": 100}, "page", "goes past the first 10000 hits"),
        ({"q": "виза", "amended_from": "2020-01-01", "amended_to": "2019-01-01"}, "amended_from", "after amended_to"),
    ],
)
def test_every_id_filter_is_checked_the_same_way(
    api: httpx.Client, params: dict[str, object], name: str, says: str
) -> None:
    message = _error(api.get("/search", params=params), 400)  # type: ignore[arg-type]
    assert message.startswith(f"{name}: ") and says in message, message


def test_known_ids_pass_the_checks(api: httpx.Client) -> None:
    chapter = next(e["eid"] for e in api.get("/acts/Z1100000477").json()["toc"] if e["kind"] == "chapter")
    for params in (
        {"q": "виза", "status": "in_force", "act": "Z1100000477"},
        {"q": "виза", "kind": "закон", "chapter": chapter},
        {"q": "", "act": "Z1100000477", "chapter": chapter, "tag": "expulsion"},
    ):
        resp = api.get("/search", params=params)
        assert resp.status_code == 200, (params, resp.text)


def test_health_shows_the_result_cache(api: httpx.Client) -> None:
    api.get("/search", params={"q": "кандас", "size": 2})
    api.get("/search", params={"q": "кандас", "size": 2})
    cache = api.get("/health").json()["result_cache"]
    assert {"entries", "bytes", "max_bytes", "ttl", "hits", "misses"} <= set(cache)
    assert cache["entries"] >= 1 and 0 < cache["bytes"] <= cache["max_bytes"] and cache["hits"] >= 1


def test_a_store_that_disappears_is_a_503_and_is_never_recreated(built_home: Path, tmp_path: Path) -> None:
    """The server opens the store read-only: a missing store is an error, not a new empty store."""
    import shutil

    store = tmp_path / "corpus.sqlite"
    shutil.copy(built_home / "corpus.sqlite", store)
    with serve(store, lambda: EmbeddedBackend(built_home / "index")) as base, httpx.Client(base_url=base) as c:
        assert c.get("/acts").status_code == 200
        store.unlink()
        for path in ("/acts", "/acts/Z1100000477", "/health"):
            assert "no corpus store" in _error(c.get(path), 503)
        assert not store.exists()


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/search", {"q": "виза", "at": "0.0"}, "at"),
        ("/search", {"q": "виза", "amended_from": "20200101"}, "amended_from"),
        ("/acts/Z1100000477/provisions/art_1", {"at": "1"}, "at"),
        ("/acts/Z1100000477/provisions/art_1/diff", {"from": "2020-01-01", "to": "2020-1-1"}, "to"),
        ("/rights/non_refoulement", {"at": "0"}, "at"),  # found by the test command's schemathesis run
    ],
)
def test_dates_are_strictly_iso(api: httpx.Client, path: str, params: dict[str, str], name: str) -> None:
    """Found by schemathesis: "0.0" passed as a date (1970-01-01) and answered 200."""
    message = _error(api.get(path, params=params), 422)
    assert message.startswith(f"{name}: ") and "YYYY-MM-DD" in message, message


def test_an_undeclared_method_gets_405_json_with_allow(api: httpx.Client) -> None:
    resp = api.request("TRACE", "/acts")
    assert resp.status_code == 405 and resp.headers["allow"] == "GET"
    assert resp.json()["error"]["code"] == "method_not_allowed"


def test_openapi_declares_the_vocabularies_and_a_plain_diff_step(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    params = {p["name"]: p["schema"] for p in spec["paths"]["/search"]["get"]["parameters"]}

    def enum(name: str) -> list[str]:  # "items" beside anyOf [array, null]: it applies to the array
        return list(params[name]["items"]["enum"])

    assert "expulsion" in enum("tag") and "non_refoulement" in enum("right")
    assert set(enum("status")) == {"in_force", "historical", "not_in_force_yet", "repealed"}
    assert "кодекс" in enum("kind")
    assert params["page"]["maximum"] == 10_000
    ops = spec["components"]["schemas"]["VersionDiff"]["properties"]["ops"]["items"]
    assert ops == {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2,
                   "description": "[equal | insert | delete, text]"}
