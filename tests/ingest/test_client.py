"""AdiletClient against a real HTTP server on 127.0.0.1 (tests/ingest/adilet_server.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ingest.client import AdiletClient, cache_relpath, parse_retry_after
from ingest.errors import FetchError, MaintenancePage
from ingest.raw_pages import decode_body, is_maintenance_page, looks_truncated
from tests.ingest.adilet_server import REAL, SYNTHETIC, AdiletTestServer, Fault

DOC = "/rus/docs/Z1100000477"


@pytest.fixture
def server() -> Iterator[AdiletTestServer]:
    with AdiletTestServer() as srv:
        yield srv


def make_client(server: AdiletTestServer, cache: Path, **kw: object) -> AdiletClient:
    opts: dict[str, object] = {"min_interval": 0.01, "backoff": 0.01, "timeout": 0.5, "max_retries": 4}
    opts.update(kw)
    return AdiletClient(cache, base_url=server.base_url, **opts)  # type: ignore[arg-type]


def cache_files(cache: Path) -> list[str]:
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file())


# --- URL builders ---------------------------------------------------------------------------------


def test_url_builders_follow_adilets_layout(tmp_path: Path) -> None:
    c = AdiletClient(tmp_path)
    assert c.doc_url("Z1100000477") == "https://adilet.zan.kz/rus/docs/Z1100000477"
    assert c.info_url("Z1100000477") == "https://adilet.zan.kz/rus/docs/Z1100000477/info"
    assert c.history_url("Z090000216_") == "https://adilet.zan.kz/rus/docs/Z090000216_/history"
    assert c.links_url("K1400000226", "kaz") == "https://adilet.zan.kz/kaz/docs/K1400000226/links"
    assert (
        c.archive_url("Z1100000477", date(2016, 1, 1))
        == "https://adilet.zan.kz/rus/archive/docs/Z1100000477/01.01.2016"
    )
    assert c.archive_url("Z1100000477", date(2016, 1, 1), "kaz").startswith("https://adilet.zan.kz/kaz/archive/")
    with pytest.raises(ValueError, match="act id"):
        c.doc_url("../etc/passwd")
    with pytest.raises(ValueError, match="language"):
        c.doc_url("Z1100000477", "deu")
    with pytest.raises(FetchError, match="not an adilet URL"):
        c.fetch("https://example.org/rus/docs/Z1100000477")


# --- fetching and the cache -----------------------------------------------------------------------


def test_fetch_caches_at_a_readable_path_and_a_rerun_fetches_nothing(server: AdiletTestServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    page = make_client(server, cache).fetch(DOC)
    assert page.status == 200 and not page.from_cache
    assert "Статья 28. Порядок получения визы" in page.text
    assert page.url == server.base_url + DOC
    html = cache / "rus/docs/Z1100000477.html"
    meta = json.loads((cache / "rus/docs/Z1100000477.html.json").read_text(encoding="utf-8"))
    assert html.read_text(encoding="utf-8") == page.text
    assert meta["url"] == page.url and meta["status"] == 200 and meta["sha256"] == page.content_hash
    assert datetime.fromisoformat(meta["fetched_at"]) == page.fetched_at

    again = make_client(server, cache).fetch(server.base_url + DOC + "#z320")  # a fresh client, same cache
    assert again.from_cache and again.text == page.text and again.content_hash == page.content_hash
    assert server.requests[DOC] == 1


def test_refresh_refetches_and_offline_serves_only_the_cache(server: AdiletTestServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    offline = make_client(server, cache, offline=True)
    with pytest.raises(FetchError, match="not in cache"):
        offline.fetch(DOC)
    assert server.requests[DOC] == 0 and server.requests["/robots.txt"] == 0

    make_client(server, cache).fetch(DOC)
    assert offline.fetch(DOC).from_cache
    refreshed = make_client(server, cache, refresh=True).fetch(DOC)
    assert not refreshed.from_cache
    assert server.requests[DOC] == 2


def test_a_tampered_cache_entry_is_not_served(server: AdiletTestServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    client = make_client(server, cache)
    client.fetch(DOC)
    (cache / "rus/docs/Z1100000477.html").write_text("<html>half", encoding="utf-8")
    assert not client.fetch(DOC).from_cache
    assert server.requests[DOC] == 2


def test_404_fails_at_once_without_retries(server: AdiletTestServer, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        make_client(server, tmp_path).fetch("/rus/docs/Z9900000001")
    assert server.requests["/rus/docs/Z9900000001"] == 1
    assert cache_files(tmp_path) == []


# --- retries --------------------------------------------------------------------------------------


def test_5xx_then_ok_is_retried_in_order(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [500, 502, 503])
    page = make_client(server, tmp_path).fetch(DOC)
    assert "О миграции населения" in page.text
    assert server.events(DOC) == ["500", "502", "503", "ok"]


def test_retries_exhausted_raise_and_cache_nothing(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [500] * 10)
    with pytest.raises(FetchError, match=r"giving up after 3 attempts.*HTTP 500"):
        make_client(server, tmp_path, max_retries=2).fetch(DOC)
    assert server.requests[DOC] == 3
    assert "rus/docs/Z1100000477.html" not in cache_files(tmp_path)


def test_retry_after_is_honoured(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [Fault.http(429, retry_after="1")])
    make_client(server, tmp_path, backoff=0.01).fetch(DOC)
    assert server.events(DOC) == ["429", "ok"]
    first, second = server.times(DOC)
    assert second - first >= 0.9  # waited for the server's Retry-After, not the 10 ms backoff


def test_retry_after_is_capped(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [Fault.http(503, retry_after="3600")])
    make_client(server, tmp_path, max_retry_after=0.05).fetch(DOC)
    assert server.events(DOC) == ["503", "ok"]


def test_parse_retry_after_seconds_and_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0  # in the past: no wait
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_timeout_is_retried(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [Fault.timeout(1.0)])
    page = make_client(server, tmp_path, timeout=0.3).fetch(DOC)
    assert not page.from_cache
    assert server.events(DOC) == ["timeout", "ok"]


def test_dropped_connection_is_retried(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [Fault.drop()])
    make_client(server, tmp_path).fetch(DOC)
    assert server.events(DOC) == ["drop", "ok"]


@pytest.mark.parametrize("fault", [Fault.truncated(), Fault.cut()], ids=["content-length", "no-closing-html"])
def test_truncated_html_is_retried_and_never_cached(server: AdiletTestServer, tmp_path: Path, fault: Fault) -> None:
    server.inject(DOC, [fault])
    page = make_client(server, tmp_path).fetch(DOC)
    assert server.events(DOC) == [fault.kind, "ok"]
    assert page.text.rstrip().endswith("</html>")
    assert (tmp_path / "rus/docs/Z1100000477.html").read_text(encoding="utf-8") == page.text


def test_only_truncated_answers_leave_no_partial_cache_files(server: AdiletTestServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make_client(server, cache).fetch("/rus/docs/Z1500000410")  # a good entry next to it
    before = cache_files(cache)
    server.inject(DOC, [Fault.truncated(), Fault.cut(), Fault.truncated()])
    with pytest.raises(FetchError, match="truncated"):
        make_client(server, cache, max_retries=2).fetch(DOC)
    assert cache_files(cache) == before  # no .tmp, no half page, no sidecar
    with pytest.raises(FetchError, match="not in cache"):
        make_client(server, cache, offline=True).fetch(DOC)


def test_maintenance_page_is_retried_then_raised_and_never_cached(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [Fault.maintenance()] * 3)
    with pytest.raises(MaintenancePage, match="maintenance"):
        make_client(server, tmp_path, max_retries=2).fetch(DOC)
    assert server.requests[DOC] == 3
    assert cache_files(tmp_path) == []

    server.inject(DOC, [Fault.maintenance()])
    page = make_client(server, tmp_path).fetch(DOC)
    assert "<article" in page.text
    assert server.events(DOC)[-2:] == ["maintenance", "ok"]


def test_a_mixed_fault_sequence_ends_with_the_page(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(
        DOC, [500, Fault.http(429, retry_after="1"), Fault.timeout(1.0), Fault.truncated(), Fault.maintenance()]
    )
    page = make_client(server, tmp_path, timeout=0.3, max_retries=5).fetch(DOC)
    assert "<article" in page.text
    assert server.events(DOC) == ["500", "429", "timeout", "truncated", "maintenance", "ok"]


# --- politeness -----------------------------------------------------------------------------------


def test_robots_txt_is_fetched_once_and_honoured(server: AdiletTestServer, tmp_path: Path) -> None:
    server.routes["/private/secret"] = "<html><body>no</body></html>"
    client = make_client(server, tmp_path)
    client.fetch(DOC)
    client.fetch("/rus/docs/Z1500000410")
    with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
        client.fetch("/private/secret")
    assert server.requests["/private/secret"] == 0
    assert server.requests["/robots.txt"] == 1


def test_missing_robots_txt_allows_everything(tmp_path: Path) -> None:
    with AdiletTestServer(robots=None) as srv:
        srv.routes["/private/secret"] = "<html><body>ok</body></html>"
        assert make_client(srv, tmp_path).fetch("/private/secret").text.endswith("</html>")
        assert srv.requests["/robots.txt"] == 1


def test_unreachable_robots_txt_disallows(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject("/robots.txt", [503] * 3)
    client = make_client(server, tmp_path, max_retries=2)
    with pytest.raises(FetchError, match=r"robots\.txt unreachable"):
        client.fetch(DOC)
    assert server.requests[DOC] == 0
    assert client.fetch(DOC).status == 200  # the failure is not remembered: robots.txt is asked again


def test_requests_are_spaced_by_min_interval(server: AdiletTestServer, tmp_path: Path) -> None:
    client = make_client(server, tmp_path, min_interval=0.2)
    started = time.monotonic()
    for path in (DOC, "/rus/docs/Z1500000410", "/rus/docs/Z1100000477/info"):
        client.fetch(path)
    elapsed = time.monotonic() - started
    assert server.log[0][1] == "/robots.txt" and len(server.log) == 4
    # four requests need three pauses; sleep never returns early, so this lower bound is exact
    assert elapsed >= 3 * 0.2


def test_user_agent_names_the_project_and_its_operator(tmp_path: Path) -> None:
    import subprocess
    import sys

    ua = AdiletClient(tmp_path).user_agent
    assert ua.startswith("MigraLex/") and "robots.txt" in ua
    code = "from ingest.client import DEFAULT_USER_AGENT as u; print(u)"
    env = {"MIGRALEX_CONTACT": "scholar@example.org", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "contact: scholar@example.org" in out.stdout


# --- page checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [REAL / "Z1100000477_rus.html", REAL / "Z1500000410_rus_raw.html", *sorted(SYNTHETIC.glob("Z*.html"))],
    ids=lambda p: p.name,
)
def test_real_and_synthetic_adilet_pages_are_not_maintenance(path: Path) -> None:
    # Z1500000410 shows "Ведутся технические работы" in its header: the words alone must not decide.
    assert not is_maintenance_page(path.read_text(encoding="utf-8"))


def test_the_maintenance_notice_is_recognised() -> None:
    assert is_maintenance_page((SYNTHETIC / "maintenance.synthetic.html").read_text(encoding="utf-8"))
    assert is_maintenance_page("<html><body><h1>Сайт временно недоступен</h1></body></html>")
    assert not is_maintenance_page("<html><body><h1>Страница не найдена</h1></body></html>")
    # the notice inside the document frame: tabs and a short article
    framed = '<div id="tabs_container"></div><article><p>Ведутся технические работы, попробуйте позже.</p></article>'
    assert is_maintenance_page(f"<html><body>{framed}</body></html>")


def test_looks_truncated() -> None:
    assert looks_truncated("<html><body><p>Статья 1", "text/html")
    assert not looks_truncated("<html><body></body></html>\n", "text/html; charset=utf-8")
    assert not looks_truncated("User-agent: *\nDisallow:\n", "text/plain")


def test_crawl_delay_of_robots_txt_lengthens_the_interval(tmp_path: Path) -> None:
    with AdiletTestServer(robots="User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n") as srv:
        client = make_client(srv, tmp_path, min_interval=0.01)
        started = time.monotonic()
        client.fetch(DOC)  # robots.txt, then the page at least a second later
        assert time.monotonic() - started >= 1.0
        assert [p for _, p, _ in srv.log] == ["/robots.txt", DOC]


@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        ("Статья 1".encode(), "text/html; charset=utf-8"),
        ("Статья 1".encode("cp1251"), "text/html; charset=windows-1251"),
        ('<meta charset="windows-1251"><p>Статья 1'.encode("cp1251"), "text/html"),
        ("\ufeffСтатья 1".encode(), "text/html"),
        ("Статья 1".encode("cp1251"), None),  # no charset anywhere, not UTF-8: adilet's old cp1251
    ],
)
def test_decode_body(body: bytes, ctype: str | None) -> None:
    assert "Статья 1" in decode_body(body, ctype)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://adilet.zan.kz/rus/docs/Z1100000477", "rus/docs/Z1100000477.html"),
        ("https://adilet.zan.kz/rus/docs/Z1100000477/info", "rus/docs/Z1100000477/info.html"),
        (
            "https://adilet.zan.kz/kaz/archive/docs/Z090000216_/01.01.2016",
            "kaz/archive/docs/Z090000216_/01.01.2016.html",
        ),
        ("https://adilet.zan.kz/", "index.html"),
        ("https://adilet.zan.kz/rus/search/docs?q=миграция", "rus/search/docs__q"),
        ("https://adilet.zan.kz/rus/docs/a b", "rus/docs/a_20b.html"),
    ],
)
def test_cache_paths_are_readable(url: str, path: str) -> None:
    assert str(cache_relpath(url)).startswith(path)


def test_forget_drops_a_cached_page(server: AdiletTestServer, tmp_path: Path) -> None:
    client = make_client(server, tmp_path)
    client.fetch(DOC)
    assert client.forget(DOC) and not client.forget(DOC)
    assert cache_files(tmp_path) == []
    assert not client.fetch(DOC).from_cache


def test_cache_paths_refuse_parent_segments() -> None:
    with pytest.raises(FetchError, match=r"'\.\.'"):
        cache_relpath("https://adilet.zan.kz/rus/../../etc/passwd")
