"""A polite, caching HTTP client for adilet.zan.kz (ИПС «Әділет»).

What it promises:

* **Politeness.** At most one request per ``min_interval`` seconds to the host (1 s by default, or
  the robots.txt ``Crawl-delay`` when that is longer); robots.txt is fetched once per client and
  honoured; a User-Agent names the project and a contact URL.
* **robots.txt policy (RFC 9309).** 2xx → parsed and obeyed; 4xx (404 included) → no rules, all
  allowed; 5xx or unreachable after retries → *complete disallow* for that fetch (FetchError saying
  so). The failure is not remembered, so a later fetch tries robots.txt again.
* **Retries.** Timeouts, connection errors, 5xx, 429, truncated bodies and maintenance pages are
  retried (5 times by default) with exponential backoff (``backoff * 2**attempt``: 1, 2, 4… s, each
  wait capped at ``_BACKOFF_CAP``); ``Retry-After`` (seconds or an HTTP date) is honoured up to
  ``max_retry_after`` (120 s). 404 and other 4xx fail at once.
* **Raw-page cache.** Every good page is written under ``cache_dir`` at a readable path
  (``rus/docs/Z1100000477.html``) with a JSON sidecar (url, status, fetched_at, sha256). Both are
  written atomically and durably (temp file in the same folder, fsync, ``os.replace``, fsync of the
  folder) and the sidecar last, so an entry without a sidecar (a crash in between) is not an entry,
  and a crash in the middle of a rewrite leaves the previous entry whole. A re-run fetches nothing
  already cached unless ``refresh=True``; ``offline=True`` serves the cache only.
* **Never cache garbage.** A truncated HTML body (no closing ``</html>``, or fewer bytes than
  Content-Length) and adilet's maintenance notice (технические работы) are retried and never cached.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import re
import tempfile
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import httpx

from ingest import adilet_urls
from ingest.adilet_urls import BASE_URL, LANGS
from ingest.errors import FetchError, MaintenancePage
from ingest.raw_pages import decode_body, is_maintenance_page, looks_truncated
from legal.act_ids import is_act_id

DEFAULT_BASE_URL = BASE_URL
#: Identifies the crawler to adilet's operators; MIGRALEX_CONTACT (an e-mail or URL) is appended so they
#: can reach whoever runs it.
DEFAULT_USER_AGENT = "MigraLex/0.1 (research crawler for Kazakh migration law; polite: 1 req/s, robots.txt{})".format(
    f"; contact: {os.environ['MIGRALEX_CONTACT']}" if os.environ.get("MIGRALEX_CONTACT") else ""
)



_BACKOFF_CAP = 60.0  # seconds; no single backoff sleep is longer than this


@dataclass(frozen=True)
class Page:
    """One fetched (or cached) page: the raw text and where/when it came from."""

    url: str
    status: int
    text: str
    content_hash: str  # sha256 of the UTF-8 body
    fetched_at: datetime
    from_cache: bool


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None if absent/bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


# --- the cache ------------------------------------------------------------------------------------

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def cache_relpath(url: str) -> Path:
    """Readable cache path of a URL: ``/rus/docs/Z1100000477`` → ``rus/docs/Z1100000477.html``.

    Query strings get a short hash suffix; unsafe characters are percent-encoded; ``..`` is refused.
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        segments = ["index"]
    clean: list[str] = []
    for seg in segments:
        if seg in (".", ".."):
            raise FetchError(f"refusing to cache a URL with a '{seg}' path segment: {url}")
        clean.append(seg if _SAFE_SEGMENT.match(seg) else quote(seg, safe="").replace("%", "_"))
    if parts.query:
        clean[-1] += "__q" + hashlib.sha1(parts.query.encode()).hexdigest()[:10]
    return Path(*clean[:-1], clean[-1] + ".html")


def fsync_dir(path: Path) -> None:
    """Make the entries of a folder (a rename or a new file in it) durable: fsync the folder itself."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_dirs(folder: Path) -> None:
    """``mkdir -p`` whose new folders survive a power cut: each new folder's parent is fsynced."""
    missing: list[Path] = []
    p = folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    folder.mkdir(parents=True, exist_ok=True)
    for created in reversed(missing):
        fsync_dir(created.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file so a reader (or a crash) never sees it half-written and, once this returns, a
    power cut does not lose it: temp file in the same folder, fsync, ``os.replace``, fsync of the folder."""
    _make_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)  # the rename itself is durable only once the folder is


class PageCache:
    """Raw pages on disk, one ``.html`` file plus a ``.html.json`` sidecar per URL."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def paths(self, url: str) -> tuple[Path, Path]:
        html = self.root / cache_relpath(url)
        return html, html.with_name(html.name + ".json")

    def get(self, url: str) -> Page | None:
        """The cached page, or None when absent, half-written or not matching its recorded hash."""
        html_path, meta_path = self.paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            text = html_path.read_bytes().decode("utf-8")
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        if meta.get("sha256") != content_hash(text) or meta.get("url") != url:
            return None
        return Page(
            url=url,
            status=int(meta.get("status", 200)),
            text=text,
            content_hash=meta["sha256"],
            fetched_at=datetime.fromisoformat(meta["fetched_at"]),
            from_cache=True,
        )

    def delete(self, url: str) -> bool:
        """Drop the entry of ``url`` (sidecar first, so a crash in between leaves no entry)."""
        html_path, meta_path = self.paths(url)
        existed = meta_path.exists()
        meta_path.unlink(missing_ok=True)
        html_path.unlink(missing_ok=True)
        return existed

    def put(self, page: Page) -> None:
        html_path, meta_path = self.paths(page.url)
        atomic_write(html_path, page.text.encode("utf-8"))
        meta = {
            "url": page.url,
            "status": page.status,
            "fetched_at": page.fetched_at.isoformat(),
            "sha256": page.content_hash,
        }
        # The sidecar goes last: it is what makes the entry count (see get()).
        atomic_write(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))


# --- the client -----------------------------------------------------------------------------------


class _Retryable(Exception):
    """One failed attempt that may succeed later; ``wait`` is a server-requested delay, if any."""

    def __init__(self, message: str, wait: float | None = None, *, maintenance: bool = False) -> None:
        super().__init__(message)
        self.wait = wait
        self.maintenance = maintenance


class AdiletClient:
    """Fetches adilet pages politely, with retries and a raw-page cache (see the module docstring)."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        base_url: str = DEFAULT_BASE_URL,
        min_interval: float = 1.0,
        offline: bool = False,
        refresh: bool = False,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 30.0,
        max_retries: int = 5,
        backoff: float = 1.0,
        max_retry_after: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``sleep`` and ``monotonic`` are the clock every pause (politeness, backoff, Retry-After) goes
        through; tests pass a simulated clock to read the exact waits without waiting them."""
        if min_interval < 0 or backoff < 0 or max_retries < 0 or timeout <= 0:
            raise ValueError("min_interval, backoff and max_retries must be >= 0 and timeout > 0")
        self.base_url = base_url.rstrip("/")
        self._host = urlsplit(self.base_url).netloc
        if not self._host:
            raise ValueError(f"base_url has no host: {base_url!r}")
        self.cache = PageCache(Path(cache_dir))
        self.min_interval = min_interval
        self.offline = offline
        self.refresh = refresh
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._monotonic = monotonic
        self.network_requests = 0  # requests sent, robots.txt included (for reports)
        self._robots: urllib.robotparser.RobotFileParser | None = None
        self._last_request = float("-inf")
        self._lock = threading.Lock()
        self._http: httpx.Client | None = None

    # URL builders --------------------------------------------------------------------------------

    @staticmethod
    def _check(act_id: str, lang: str) -> None:
        if not is_act_id(act_id):
            raise ValueError(f"not an adilet act id: {act_id!r}")
        if lang not in LANGS:
            raise ValueError(f"unknown adilet language {lang!r}; expected one of {LANGS}")

    def doc_url(self, act_id: str, lang: str = "rus") -> str:
        """The current text: ``/rus/docs/Z1100000477``."""
        self._check(act_id, lang)
        return adilet_urls.doc_url(act_id, lang, self.base_url)

    def info_url(self, act_id: str, lang: str = "rus") -> str:
        self._check(act_id, lang)
        return adilet_urls.tab_url(act_id, "info", lang, self.base_url)

    def history_url(self, act_id: str, lang: str = "rus") -> str:
        self._check(act_id, lang)
        return adilet_urls.tab_url(act_id, "history", lang, self.base_url)

    def links_url(self, act_id: str, lang: str = "rus") -> str:
        self._check(act_id, lang)
        return adilet_urls.tab_url(act_id, "links", lang, self.base_url)

    def archive_url(self, act_id: str, on: date, lang: str = "rus") -> str:
        """An archived redaction (редакция): ``/rus/archive/docs/Z1100000477/22.07.2011``."""
        self._check(act_id, lang)
        return adilet_urls.archive_url(act_id, on, lang, self.base_url)

    def absolute(self, path_or_url: str) -> str:
        """An absolute URL on the client's host; a URL on another host is refused."""
        url = urljoin(self.base_url + "/", path_or_url)
        parts = urlsplit(url)
        if parts.netloc != self._host:
            raise FetchError(f"not an adilet URL (host {parts.netloc!r}, expected {self._host!r}): {url}")
        # Map any given scheme/host spelling (http://adilet.zan.kz/...) to the configured base.
        rest = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.base_url + rest

    # fetching ------------------------------------------------------------------------------------

    def fetch(self, path_or_url: str) -> Page:
        """The page at ``path_or_url`` (a path like ``/rus/docs/Z1100000477`` or a full URL).

        Raises FetchError (404/4xx, robots.txt disallow, not cached in offline mode, retries
        exhausted) or MaintenancePage (adilet answered only with its maintenance notice).
        """
        url = self.absolute(path_or_url.split("#", 1)[0])
        if not self.refresh or self.offline:
            cached = self.cache.get(url)
            if cached is not None:
                return cached
        if self.offline:
            raise FetchError(f"not in cache: {url} (offline mode)")
        self._check_robots(url)
        page = self._fetch_with_retries(url, check_page=True)
        self.cache.put(page)
        return page

    def forget(self, path_or_url: str) -> bool:
        """Drop a cached page that turned out to be bad (a parser found a notice, not a document)."""
        return self.cache.delete(self.absolute(path_or_url.split("#", 1)[0]))

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> AdiletClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # internals -----------------------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                headers={"User-Agent": self.user_agent, "Accept-Language": "ru,kk;q=0.8"},
                timeout=self.timeout,
                follow_redirects=True,
            )
        return self._http

    def _pace(self) -> None:
        """Sleep so that requests to the host are at least the politeness interval apart."""
        interval = self.min_interval
        if self._robots is not None:
            delay = self._robots.crawl_delay(self.user_agent)
            if delay is not None:
                interval = max(interval, float(delay))
        with self._lock:
            wait = self._last_request + interval - self._monotonic()
            if wait > 0:
                self._sleep(wait)
            self._last_request = self._monotonic()

    def _check_robots(self, url: str) -> None:
        if self._robots is None:
            robots_url = self.base_url + "/robots.txt"
            parser = urllib.robotparser.RobotFileParser(robots_url)
            try:
                page = self._fetch_with_retries(robots_url, check_page=False)
                parser.parse(page.text.splitlines())
            except _RobotsAbsent:
                parser.parse([])  # RFC 9309: a 4xx robots.txt means no rules
            except (FetchError, MaintenancePage) as exc:
                raise FetchError(f"robots.txt unreachable ({exc}); treating {url} as disallowed (RFC 9309)") from exc
            self._robots = parser
        if not self._robots.can_fetch(self.user_agent, url):
            raise FetchError(f"disallowed by robots.txt: {url}")

    def _fetch_with_retries(self, url: str, *, check_page: bool) -> Page:
        last: _Retryable | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                delay = min(self.backoff * 2 ** (attempt - 1), _BACKOFF_CAP)
                if last is not None and last.wait is not None:
                    delay = max(delay, min(last.wait, self.max_retry_after))
                self._sleep(delay)
            try:
                return self._attempt(url, check_page=check_page)
            except _Retryable as exc:
                last = exc
        assert last is not None
        message = f"{url}: giving up after {self.max_retries + 1} attempts: {last}"
        if last.maintenance:
            raise MaintenancePage(message)
        raise FetchError(message)

    def _attempt(self, url: str, *, check_page: bool) -> Page:
        self._pace()
        self.network_requests += 1
        try:
            resp = self._client().get(url)
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timeout ({type(exc).__name__})") from exc
        except httpx.RemoteProtocolError as exc:
            # Includes a body shorter than its Content-Length ("incomplete message body").
            raise _Retryable(f"truncated or malformed response: {exc}") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"connection error: {type(exc).__name__}: {exc}") from exc
        status = resp.status_code
        if status == 429 or status >= 500:
            raise _Retryable(f"HTTP {status}", parse_retry_after(resp.headers.get("Retry-After")))
        if status >= 400:
            if not check_page:
                raise _RobotsAbsent(f"HTTP {status}")
            raise FetchError(f"HTTP {status} for {url}")
        body = resp.content
        declared = resp.headers.get("Content-Length")
        if (
            declared is not None
            and declared.isdigit()
            and "Content-Encoding" not in resp.headers
            and int(declared) != len(body)
        ):
            raise _Retryable(f"Content-Length {declared} but {len(body)} bytes received")
        text = decode_body(body, resp.headers.get("Content-Type"))
        if check_page:
            if looks_truncated(text, resp.headers.get("Content-Type")):
                raise _Retryable(f"truncated HTML ({len(body)} bytes, no closing </html>)")
            if is_maintenance_page(text):
                raise _Retryable("adilet maintenance page instead of a document", maintenance=True)
        return Page(
            url=url,
            status=status,
            text=text,
            content_hash=content_hash(text),
            fetched_at=datetime.now(UTC),
            from_cache=False,
        )


class _RobotsAbsent(FetchError):
    """robots.txt answered 4xx: there are no rules (RFC 9309 §2.3.1.3)."""
