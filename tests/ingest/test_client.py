"""AdiletClient against a real HTTP server on 127.0.0.1 (tests/ingest/adilet_server.py)."""

from __future__ import annotations

import email.utils
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ingest.client import AdiletClient, PageCache, cache_relpath, parse_retry_after
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


class SimulatedClock:
    """The client's clock seam (``sleep``/``monotonic``): time moves only when the client sleeps, so a
    test reads the exact waits (politeness, backoff, Retry-After) without spending them. The HTTP
    server and the network stay real."""

    def __init__(self) -> None:
        self.now = 1000.0  # whole seconds keep the arithmetic exact
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def clocked_client(server: AdiletTestServer, cache: Path, clock: SimulatedClock, **kw: Any) -> AdiletClient:
    """A client with the DEFAULT politeness and retry settings unless ``kw`` says otherwise."""
    return AdiletClient(cache, base_url=server.base_url, sleep=clock.sleep, monotonic=clock.monotonic, **kw)


def watch_fs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Record, in order, every ``os.fsync`` (inode, is it a folder) and ``os.replace``/``os.rename``
    (source, destination) the code makes; the real calls still happen."""
    events: list[tuple[Any, ...]] = []
    real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename

    def fsync(fd: Any) -> None:
        st = os.fstat(fd if isinstance(fd, int) else fd.fileno())
        events.append(("fsync", st.st_ino, stat.S_ISDIR(st.st_mode)))
        real_fsync(fd)

    def replace(src: Any, dst: Any, **kw: Any) -> None:
        events.append(("replace", Path(src), Path(dst)))
        real_replace(src, dst, **kw)

    def rename(src: Any, dst: Any, **kw: Any) -> None:
        events.append(("replace", Path(src), Path(dst)))
        real_rename(src, dst, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "rename", rename)
    return events


def assert_written_atomically_and_durably(events: list[tuple[Any, ...]], path: Path) -> int:
    """``path`` was renamed into place from a temp file in its own folder that had been fsynced, and
    its folder was fsynced after the rename. Returns the index of the rename in ``events``."""
    renames = [i for i, e in enumerate(events) if e[0] == "replace" and e[2] == path]
    assert renames, f"{path.name} was not renamed into place (written in place: a crash leaves half a file)"
    i = renames[-1]
    src = events[i][1]
    assert src.parent == path.parent and src != path, f"{path.name}: the temp file must be in the same folder"
    inode, folder = path.stat().st_ino, path.parent.stat().st_ino
    assert ("fsync", inode, False) in events[:i], f"{path.name}: the temp file was not fsynced before the rename"
    assert ("fsync", folder, True) in events[i + 1 :], f"{path.name}: its folder was not fsynced after the rename"
    return i


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


def test_retry_after_is_honoured_in_real_time(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [Fault.http(429, retry_after="1")])
    make_client(server, tmp_path, backoff=0.01).fetch(DOC)
    assert server.events(DOC) == ["429", "ok"]
    first, second = server.times(DOC)
    assert second - first >= 0.9  # waited for the server's Retry-After, not the 10 ms backoff


@pytest.mark.parametrize(
    ("retry_after", "kw", "waits"),
    [
        ("30", {}, [30.0]),  # longer than the 1 s backoff: the server's wish wins
        ("3600", {}, [120.0]),  # but never more than max_retry_after (default 120 s)
        ("3600", {"max_retry_after": 10.0}, [10.0]),
        ("1", {"backoff": 4.0}, [4.0]),  # shorter than the backoff: the backoff still applies
        ("http-date+45", {}, [45.0]),
    ],
    ids=["longer-than-backoff", "capped-by-default", "capped-as-asked", "shorter-than-backoff", "http-date"],
)
def test_retry_after_is_honoured_up_to_its_maximum(
    server: AdiletTestServer, tmp_path: Path, retry_after: str, kw: dict[str, float], waits: list[float]
) -> None:
    if retry_after.startswith("http-date+"):
        when = datetime.now(UTC) + timedelta(seconds=int(retry_after.split("+")[1]))
        retry_after = email.utils.format_datetime(when, usegmt=True)
    server.inject(DOC, [Fault.http(429, retry_after=retry_after)])
    clock = SimulatedClock()
    clocked_client(server, tmp_path, clock, min_interval=0.0, **kw).fetch(DOC)
    assert server.events(DOC) == ["429", "ok"]
    if len(retry_after) > 5:  # an HTTP date is read against the wall clock: a second may have passed
        assert len(clock.sleeps) == 1 and waits[0] - 2 <= clock.sleeps[0] <= waits[0]
    else:
        assert clock.sleeps == waits


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
    with AdiletTestServer(robots="User-agent: *\nCrawl-delay: 5\nDisallow: /private/\n") as srv:
        clock = SimulatedClock()
        client = clocked_client(srv, tmp_path, clock)  # the default 1 s interval, and robots asks for 5
        client.fetch(DOC)  # robots.txt, then the page 5 s later
        client.fetch("/rus/docs/Z1500000410")
        assert [p for _, p, _ in srv.log] == ["/robots.txt", DOC, "/rus/docs/Z1500000410"]
        assert clock.sleeps == [5.0, 5.0]


def test_a_short_crawl_delay_does_not_shorten_the_interval(tmp_path: Path) -> None:
    with AdiletTestServer(robots="User-agent: *\nCrawl-delay: 0.5\n") as srv:
        clock = SimulatedClock()
        clocked_client(srv, tmp_path, clock, min_interval=2.0).fetch(DOC)
        assert clock.sleeps == [2.0]


# --- the defaults and the exact waits (simulated clock, real server) ------------------------------


def test_by_default_requests_are_a_second_apart(server: AdiletTestServer, tmp_path: Path) -> None:
    clock = SimulatedClock()
    client = clocked_client(server, tmp_path, clock)
    for path in (DOC, "/rus/docs/Z1500000410", "/rus/docs/Z1100000477/info"):
        client.fetch(path)
    assert [p for _, p, _ in server.log] == ["/robots.txt", DOC, "/rus/docs/Z1500000410", DOC + "/info"]
    assert clock.sleeps == [1.0, 1.0, 1.0]  # robots.txt goes first, then every request waits its second
    clock.now += 0.25  # a caller that was busy for a while: only the rest of the second is waited
    client.fetch("/rus/docs/Z1100000477/history")
    assert clock.sleeps[-1] == 0.75


def test_by_default_failures_are_retried_with_growing_waits(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [500, 502, 503, Fault.drop()])
    clock = SimulatedClock()
    page = clocked_client(server, tmp_path, clock, min_interval=0.0).fetch(DOC)
    assert "<article" in page.text
    assert server.events(DOC) == ["500", "502", "503", "drop", "ok"]
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0]  # the default backoff: 1 s, doubled each time


def test_by_default_five_retries_then_a_clear_error(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [503] * 6)
    clock = SimulatedClock()
    with pytest.raises(FetchError, match=r"giving up after 6 attempts: HTTP 503"):
        clocked_client(server, tmp_path, clock, min_interval=0.0).fetch(DOC)
    assert server.requests[DOC] == 6
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]


def test_backoff_is_exponential_and_capped(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject(DOC, [500] * 9)
    clock = SimulatedClock()
    client = clocked_client(server, tmp_path, clock, min_interval=0.0, backoff=0.5, max_retries=9)
    assert "<article" in client.fetch(DOC).text
    assert server.requests[DOC] == 10
    # 0.5 · 2**attempt, and no single wait longer than the 60 s cap
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]


def test_backoff_and_the_interval_are_not_added_up(server: AdiletTestServer, tmp_path: Path) -> None:
    # the politeness interval counts from the last request: a backoff of 4 s already covers it
    server.inject(DOC, [500, 500, 500])
    clock = SimulatedClock()
    clocked_client(server, tmp_path, clock, min_interval=3.0).fetch(DOC)
    # robots→page 3 s; backoff 1 s + the interval's remaining 2 s; 2 s + 1 s; then the 4 s backoff alone
    assert clock.sleeps == [3.0, 1.0, 2.0, 2.0, 1.0, 4.0]


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


# --- the cache is written atomically and durably --------------------------------------------------


def test_cache_entries_are_renamed_into_place_fsynced_sidecar_last(
    server: AdiletTestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    events = watch_fs(monkeypatch)
    page = make_client(server, cache).fetch(DOC)
    html, meta = cache / "rus/docs/Z1100000477.html", cache / "rus/docs/Z1100000477.html.json"
    assert html.read_text(encoding="utf-8") == page.text
    assert cache_files(cache) == ["rus/docs/Z1100000477.html", "rus/docs/Z1100000477.html.json"]  # no temp left
    html_at = assert_written_atomically_and_durably(events, html)
    meta_at = assert_written_atomically_and_durably(events, meta)
    assert html_at < meta_at, "the sidecar must be renamed into place after the page it vouches for"
    # the folders the cache had to create are durable too: each new folder's parent was fsynced
    for folder in (cache, cache / "rus"):
        assert ("fsync", folder.stat().st_ino, True) in events


# A child process that fetches one page and stops, frozen, just before its n-th write to a file; the
# test then kills it with SIGKILL, i.e. a crash at the worst moment of writing the cache entry.
_WRITER = textwrap.dedent(
    """
    import io, os, sys, time
    from pathlib import Path
    from ingest.client import AdiletClient

    base, cache, nth, refresh = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "refresh"
    client = AdiletClient(Path(cache), base_url=base, min_interval=0.0, backoff=0.01, refresh=refresh)
    writes = 0

    def freeze_before_nth_file_write(frame, event, arg):
        global writes
        if event != "c_call" or getattr(arg, "__name__", "") != "write":
            return
        target = getattr(arg, "__self__", None)
        if isinstance(target, (io.BufferedWriter, io.FileIO)) or target is os:
            writes += 1
            if writes == nth:
                print("FROZEN", flush=True)
                time.sleep(120)

    sys.setprofile(freeze_before_nth_file_write)
    client.fetch("/rus/docs/Z1100000477")
    sys.setprofile(None)
    print("FINISHED", flush=True)
    """
)


def kill_writer_before_write(server: AdiletTestServer, cache: Path, nth: int, mode: str) -> None:
    repo = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, server.base_url, str(cache), str(nth), mode],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "FROZEN\n", line + (child.stderr.read() if child.stderr else "")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize(("nth", "what"), [(1, "the page"), (2, "the sidecar")], ids=["page", "sidecar"])
def test_a_refresh_killed_while_writing_leaves_the_previous_entry_whole(
    server: AdiletTestServer, tmp_path: Path, nth: int, what: str
) -> None:
    cache = tmp_path / "cache"
    before = make_client(server, cache).fetch(DOC)
    kill_writer_before_write(server, cache, nth, "refresh")
    assert server.requests[DOC] == 2  # the child did fetch the page again
    kept = PageCache(cache).get(before.url)
    assert kept is not None, f"a crash while rewriting {what} destroyed the cache entry (written in place?)"
    assert kept.text == before.text
    assert make_client(server, cache, offline=True).fetch(DOC).text == before.text


def test_a_page_without_its_sidecar_is_not_an_entry(server: AdiletTestServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    kill_writer_before_write(server, cache, 2, "fetch")  # the page is in place, its sidecar is not
    assert (cache / "rus/docs/Z1100000477.html").exists()
    with pytest.raises(FetchError, match="not in cache"):
        make_client(server, cache, offline=True).fetch(DOC)
    page = make_client(server, cache).fetch(DOC)  # fetched again, and now a whole entry
    assert not page.from_cache and make_client(server, cache, offline=True).fetch(DOC).text == page.text
