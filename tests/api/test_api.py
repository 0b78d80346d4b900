"""The HTTP API over real HTTP: uvicorn on 127.0.0.1, a real store and a real embedded index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from search_api.app import create_app
from search_api.embedded import EmbeddedBackend
from search_api.models import SearchBackend
from search_api.server import uvicorn_options
from search_api.web.browser import serve as web_serve


def serve(store_path: Path, backend: SearchBackend | Callable[[], SearchBackend]) -> AbstractContextManager[str]:
    """Run the app in uvicorn (with the server's own options) on a free loopback port; yields its base URL."""
    return web_serve(lambda: create_app(store_path, backend), start_timeout=20, **uvicorn_options())


@pytest.fixture(scope="module")
def api(built_home: Path) -> Iterator[httpx.Client]:
    with serve(built_home / "corpus.sqlite", lambda: EmbeddedBackend(built_home / "index")) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        yield client


def _error(resp: httpx.Response, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return str(body["error"]["message"])


def test_health(api: httpx.Client) -> None:
    body = api.get("/health").json()
    assert body["status"] == "ok" and body["backend"] == "embedded"
    assert body["acts"] == 1 and body["provision_versions"] > 500


def test_search_finds_other_word_forms_and_marks_them(api: httpx.Client) -> None:
    body = api.get("/search", params={"q": "выдворения", "size": 50}).json()
    assert body["total"] > 0
    hit = body["hits"][0]
    expected = {"id", "act_id", "eid", "heading", "snippet", "score", "valid_from", "valid_to", "status", "tags"}
    assert expected <= set(hit)
    assert hit["act_id"] == "Z1100000477" and hit["id"].startswith("Z1100000477/")
    marked = " ".join(h["snippet"] for h in body["hits"]).lower()
    assert "<mark>выдвор" in marked
    # the same lemma from another case form finds the same provisions
    other = api.get("/search", params={"q": "выдворению", "size": 50}).json()
    assert {h["id"] for h in other["hits"]} == {h["id"] for h in body["hits"]}


def test_search_filters_and_facets(api: httpx.Client) -> None:
    body = api.get("/search", params={"q": "беженец", "tag": "asylum_refugees"}).json()
    assert body["total"] > 0
    assert all("asylum_refugees" in h["tags"] for h in body["hits"])
    assert body["facets"]["acts"] == {"Z1100000477": body["total"]}


def test_paging_is_bounded(api: httpx.Client) -> None:
    assert "size" in _error(api.get("/search", params={"q": "миграция", "size": 101}), 422)
    assert "size" in _error(api.get("/search", params={"q": "миграция", "size": 0}), 422)
    assert "page" in _error(api.get("/search", params={"q": "миграция", "page": 0}), 422)
    p1 = api.get("/search", params={"q": "миграция", "size": 5, "page": 1}).json()
    p2 = api.get("/search", params={"q": "миграция", "size": 5, "page": 2}).json()
    assert len(p1["hits"]) == 5 and p1["total"] == p2["total"]
    assert not {h["id"] for h in p1["hits"]} & {h["id"] for h in p2["hits"]}


@pytest.mark.parametrize(
    ("params", "status", "names"),
    [
        ({"q": "миграция", "at": "22.07.2011"}, 422, "at"),
        ({"q": "миграция", "tag": "no_such_tag"}, 400, "tag"),
        ({"q": "миграция", "right": "no_such_right"}, 400, "right"),
        ({"q": "\"незакрытая фраза"}, 400, "q"),
        ({"q": "миграция", "sort": "alphabet"}, 422, "sort"),
        ({"q": "миграция", "amended_from": "2020-01-01", "amended_to": "2019-01-01"}, 400, "amended_from"),
    ],
)
def test_bad_parameters_are_named(api: httpx.Client, params: dict[str, str], status: int, names: str) -> None:
    assert names in _error(api.get("/search", params=params), status)


def test_acts_and_provision_views(api: httpx.Client) -> None:
    acts = api.get("/acts").json()["acts"]
    assert [a["id"] for a in acts] == ["Z1100000477"]
    act = api.get("/acts/Z1100000477").json()
    assert act["act"]["number"] == "477-IV"
    assert sum(1 for e in act["toc"] if e["kind"] == "article") == 80
    prov = api.get("/acts/Z1100000477/provisions/art_1").json()
    assert prov["provision"]["heading"].startswith("Основные понятия")
    assert any(c["eid"].startswith("art_1__") for c in prov["children"])
    assert prov["amendments"], "article 1 carries footnotes of amending laws"


def test_unknown_ids_are_404(api: httpx.Client) -> None:
    assert "Z0000000000" in _error(api.get("/acts/Z0000000000"), 404)
    assert "art_999" in _error(api.get("/acts/Z1100000477/provisions/art_999"), 404)
    assert "art_999" in _error(api.get("/acts/Z1100000477/provisions/art_999/history"), 404)


def test_history_diff_citations_taxonomy(api: httpx.Client) -> None:
    hist = api.get("/acts/Z1100000477/provisions/art_1/history").json()
    assert hist["versions"] and hist["amendments"]
    dated = [e["on"] for e in hist["events"] if e["on"]]
    assert dated == sorted(dated) and len(hist["events"]) == len(hist["versions"]) + len(hist["amendments"])
    vf = hist["versions"][-1]["valid_from"]
    diff = api.get("/acts/Z1100000477/provisions/art_1/diff", params={"from": vf, "to": vf}).json()
    assert diff["ops"] and {op[0] for op in diff["ops"]} == {"equal"}  # a version against itself
    assert "from" in _error(api.get("/acts/Z1100000477/provisions/art_1/diff", params={"to": vf}), 422)
    cites = api.get("/acts/Z1100000477/provisions/art_1/citations").json()
    assert set(cites) == {"id", "outgoing", "incoming"}
    tax = api.get("/taxonomy").json()
    assert {"illegal_migration", "expulsion", "trafficking"} <= {t["id"] for t in tax["topics"]}
    assert {"non_refoulement", "liberty"} <= {r["id"] for r in tax["rights"]}


def test_openapi_and_web_page(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    assert {"/search", "/acts", "/acts/{act_id}/provisions/{eid}/history", "/taxonomy", "/health"} <= set(spec["paths"])
    page = api.get("/")
    assert page.status_code == 200 and "MigraLex" in page.text


def test_backend_down_is_503_never_empty(built_home: Path, tmp_path: Path) -> None:
    # a real embedded backend pointed at a folder with no index: it cannot answer
    with serve(built_home / "corpus.sqlite", lambda: EmbeddedBackend(tmp_path / "no-index")) as url:
        resp = httpx.get(f"{url}/search", params={"q": "выдворение"}, timeout=30)
        assert "index" in _error(resp, 503)
        assert httpx.get(f"{url}/health", timeout=30).status_code == 503


def test_result_cache_is_bounded_by_bytes_and_expires_without_being_asked() -> None:
    from search_api.state import ResultCache

    now = [1000.0]
    weight = 10_000 + ResultCache.ENTRY_OVERHEAD + 1  # a 10 kB answer under a one-letter key
    cache = ResultCache(max_bytes=3 * weight, ttl=30, timer=lambda: now[0])
    for key in "abc":
        cache.put(key, b"x" * 10_000)
    assert cache.get("a") is not None  # "a" is now the most recently used
    cache.put("d", b"x" * 10_000)  # a fourth does not fit: the least recently used ("b") goes
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("d") is not None
    assert cache.stats()["bytes"] <= 3 * weight and cache.stats()["entries"] == 3
    cache.put("huge", b"x" * 40_000)  # larger than the whole cache: not kept, nothing evicted for it
    assert cache.get("huge") is None and cache.stats()["entries"] == 3
    now[0] += 31
    cache.expire()  # what the app runs periodically: expired answers go though nobody asked for them
    assert cache.stats()["entries"] == 0 and cache.stats()["bytes"] == 0
    assert cache.stats()["hits"] == 3 and cache.stats()["misses"] == 2
    off = ResultCache(max_bytes=10**6, ttl=0)
    off.put("a", b"1")
    assert off.get("a") is None


def test_repeated_search_gives_the_same_answer(api: httpx.Client) -> None:
    first = api.get("/search", params={"q": "кандас", "size": 3})
    second = api.get("/search", params={"q": "кандас", "size": 3})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and first.json()["total"] > 0


def test_diff_against_a_date_with_no_wording_in_force(api: httpx.Client) -> None:
    """Before the law existed there is no wording: the diff shows the whole text as added, not a 404."""
    resp = api.get("/acts/Z1100000477/provisions/art_1/diff", params={"from": "1990-01-01", "to": "2026-01-01"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["from_version"] is None and body["to_version"].startswith("Z1100000477/art_1@")
    assert {op[0] for op in body["ops"]} == {"insert"}
    both_before = api.get("/acts/Z1100000477/provisions/art_1/diff", params={"from": "1990-01-01", "to": "1991-01-01"})
    assert "no version" in _error(both_before, 404)


def test_openapi_describes_every_answer(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"ErrorBody", "SearchResult", "ActView", "ProvisionView", "History", "VersionDiff", "CitationsView",
            "TaxonomyView", "Health"} <= set(schemas)
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ok = op["responses"]["200"]["content"]["application/json"]["schema"]
            assert ok.get("$ref") or ok.get("type") not in (None, "object") or ok.get("properties"), (path, ok)
            for status in ("400", "404", "422", "503"):
                ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (path, method, status)
