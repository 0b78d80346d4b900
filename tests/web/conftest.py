"""Fixtures for the web pages: a small real corpus served by uvicorn, and Debian's Chromium.

The corpus is two bundled acts with every redaction they ship: the migration law (Russian wordings of
2012, 2019, 2022 and 2025, the Kazakh wording of 2022) and the refugees law (Russian and Kazakh),
ingested, annotated and indexed through the real layers (about 10 s once per session).

The browser tests skip with the reason when Playwright or Chromium is missing, except in CI
(``CI=true``), where a missing browser fails the run: scripts/test.sh installs both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_api.web import browser as web_browser

WEB_ACTS = ("Z1100000477", "Z090000216_")


@pytest.fixture(scope="session")
def web_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from corpus.store import Store
    from ingest.bundled import MANIFEST, parse_bundled
    from nlp.annotate import annotate_store
    from search_api.embedded import EmbeddedBackend
    from search_api.indexer import index_docs

    home = tmp_path_factory.mktemp("migralex-web")
    with Store(home / "corpus.sqlite") as store:
        for entry in MANIFEST:
            if entry.act_id in WEB_ACTS:
                store.save_documents(parse_bundled(entry))
        annotate_store(store)
        EmbeddedBackend(home / "index").index(index_docs(store))
    return home


@pytest.fixture(scope="session")
def site(web_home: Path) -> Iterator[str]:
    """The app (API and pages) on a free loopback port; yields its base URL."""
    with web_browser.serve_home(web_home) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    why = web_browser.unavailable()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {why}")
        pytest.skip(why)
    with web_browser.launch() as b:
        yield b


@pytest.fixture
def context(chromium: Any, site: str) -> Iterator[Any]:
    """A fresh browser context with requests to other hosts blocked (and recorded in ``.blocked``)."""
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU", accept_downloads=True)
    ctx.blocked = web_browser.offline(ctx)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    yield ctx
    blocked = list(ctx.blocked)
    ctx.close()
    assert not blocked, f"pages tried to reach other hosts: {blocked}"


@pytest.fixture
def page(context: Any) -> Any:
    p = context.new_page()
    p.set_default_timeout(15000)
    return p
