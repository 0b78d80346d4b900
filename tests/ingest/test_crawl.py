"""The crawler against the real test server and a real SQLite store: storing, /info and /history
merging, discovery, errors that do not stop the crawl, and resuming a crawl killed halfway."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from corpus.store import Store
from ingest.client import AdiletClient
from ingest.crawl import crawl, load_seeds
from tests.ingest.adilet_server import AdiletTestServer, Fault
from tests.ingest.test_client import assert_written_atomically_and_durably, watch_fs

MIGRATION = "Z1100000477"
CORRUPTION = "Z1500000410"
SEEDS = [MIGRATION, CORRUPTION]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def server() -> Iterator[AdiletTestServer]:
    with AdiletTestServer() as srv:
        yield srv


def client_for(server: AdiletTestServer, cache: Path, **kw: Any) -> AdiletClient:
    opts: dict[str, Any] = {"min_interval": 0.01, "backoff": 0.01, "timeout": 2.0, "max_retries": 2}
    opts.update(kw)
    return AdiletClient(cache, base_url=server.base_url, **opts)


def snapshot(store: Store) -> dict[str, Any]:
    """What a crawl stored, without fetch times (which differ between runs)."""
    acts = sorted(store.acts(), key=lambda a: a.id)
    versions = [p.version_id for a in acts for p in store.versions(a.id)]
    return {
        "acts": [
            (a.id, a.kind, a.title, a.number, a.adopted, a.status, a.publication, a.info, a.source_url) for a in acts
        ],
        "redactions": {
            a.id: [(r.lang, r.valid_from, r.url, r.content_hash) for r in store.redactions(a.id)] for a in acts
        },
        "versions": sorted(versions),
        "texts": sorted((p.version_id, p.text) for a in acts for p in store.versions(a.id)),
        "count": store.count_versions(),
        "amendments": {a.id: len(store.amendments(a.id)) for a in acts},
    }


def clean_crawl(server: AdiletTestServer, tmp: Path, **kw: Any) -> dict[str, Any]:
    with Store(tmp / "clean.sqlite") as store:
        report = crawl(store, client_for(server, tmp / "clean-cache"), SEEDS, depth=0, **kw)
        assert report.ok, report.errors
        return snapshot(store)


# --- a clean crawl --------------------------------------------------------------------------------


def test_crawl_stores_documents_archived_redactions_and_info(server: AdiletTestServer, tmp_path: Path) -> None:
    messages: list[str] = []
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "cache"), SEEDS, depth=0, progress=messages.append)
        assert report.ok, report.errors
        assert report.acts == SEEDS
        assert report.documents_saved == 3  # two current texts + the SYNTHETIC archived redaction
        assert report.provisions_added == store.count_versions() > 0

        act = store.act(MIGRATION)
        assert act is not None
        assert (act.kind, act.number, act.adopted, act.status) == ("закон", "477-IV", date(2011, 7, 22), "in_force")
        assert act.info["Орган"] == "Парламент Республики Казахстан"  # the raw /info map is kept
        assert act.publication is not None and "SYNTHETIC" in act.publication
        assert act.source_url == server.base_url + "/rus/docs/Z1100000477"  # not the archive url

        redactions = store.redactions(MIGRATION)
        assert [r.valid_from for r in redactions] == [date(2016, 1, 1), date(2025, 9, 27)]
        assert redactions[0].url is not None and redactions[0].url.endswith("/rus/archive/docs/Z1100000477/01.01.2016")
        assert len(redactions) == 2 and all(r.content_hash and r.fetched_at for r in redactions)

        # The SYNTHETIC older wording of art. 28 is one version, the real current wording the next.
        art28 = [p for p in store.provision_versions(MIGRATION, "art_28__para_2")]
        assert [("SYNTHETIC" in p.text) for p in art28] == [True, False]
        assert art28[0].valid_to == art28[1].valid_from

        history = [a for a in store.amendments(MIGRATION) if a.source_kind == "history"]
        assert {a.amending_act.number for a in history} == {"421-V", "220-VIII"}
        assert store.act(CORRUPTION) is not None and store.act(CORRUPTION).number == "410-V"  # type: ignore[union-attr]

    assert all(n == 1 for n in server.requests.values())  # nothing fetched twice
    assert server.requests["/rus/docs/Z1100000477/links"] == 0  # depth 0: no discovery
    assert messages[0].startswith("Z1100000477: stored 2 document(s)")


def test_a_rerun_on_the_cache_fetches_nothing_and_stores_the_same(server: AdiletTestServer, tmp_path: Path) -> None:
    first = clean_crawl(server, tmp_path)
    before = sum(server.requests.values())
    with Store(tmp_path / "again.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "clean-cache"), SEEDS, depth=0)
        assert report.ok and report.network_requests == 0
        assert snapshot(store) == first
    with Store(tmp_path / "offline.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "clean-cache", offline=True), SEEDS, depth=0)
        assert report.ok and snapshot(store) == first
    assert sum(server.requests.values()) == before


def test_saving_twice_into_the_same_store_adds_nothing(server: AdiletTestServer, tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        client = client_for(server, tmp_path / "cache")
        crawl(store, client, SEEDS, depth=0)
        once = snapshot(store)
        report = crawl(store, client, SEEDS, depth=0)
        assert report.provisions_added == 0
        assert snapshot(store) == once


# --- errors ---------------------------------------------------------------------------------------


def test_an_act_that_fails_is_reported_and_the_crawl_goes_on(server: AdiletTestServer, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(
            store, client_for(server, tmp_path / "cache"), ["Z9900000001", CORRUPTION], depth=0, state_path=state
        )
        assert report.failed == ["Z9900000001"]
        assert [(e.act_id, e.stage) for e in report.errors] == [("Z9900000001", "document")]
        assert "HTTP 404" in report.errors[0].message
        assert report.acts == [CORRUPTION] and store.act(CORRUPTION) is not None
        assert store.act("Z9900000001") is None
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["frontier"] == [] and saved["done"] == [CORRUPTION] and "Z9900000001" in saved["failed"]


def test_a_maintenance_page_is_an_error_not_an_empty_act(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject("/rus/docs/Z1500000410", [Fault.maintenance()] * 3)
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "cache"), SEEDS, depth=0)
        assert report.failed == [CORRUPTION]
        assert "MaintenancePage" in report.errors[0].message
        assert store.act(CORRUPTION) is None and list(store.versions(CORRUPTION)) == []
        assert store.act(MIGRATION) is not None
    assert not (tmp_path / "cache/rus/docs/Z1500000410.html").exists()


def test_a_failed_archived_redaction_does_not_lose_the_act(server: AdiletTestServer, tmp_path: Path) -> None:
    server.inject("/rus/archive/docs/Z1100000477/01.01.2016", [503] * 3)
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "cache"), [MIGRATION], depth=0)
        assert report.acts == [MIGRATION] and report.failed == []
        assert [(e.stage, e.act_id) for e in report.errors] == [("archive", MIGRATION)]
        assert [r.valid_from for r in store.redactions(MIGRATION)] == [date(2025, 9, 27)]


# --- discovery ------------------------------------------------------------------------------------


def test_discovery_follows_amending_acts_one_level_deep(server: AdiletTestServer, tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "cache"), [MIGRATION], depth=1)
        # Z1500000421 is named by the footnotes, /history and /links ("вносит изменения");
        # the server does not have it: a recorded 404, not a stop.
        assert "Z1500000421" in report.discovered and "Z1500000421" in report.failed
        assert CORRUPTION not in report.discovered  # its /links relation does not speak of amending
        assert report.acts == [MIGRATION]
    assert server.requests["/rus/docs/Z1500000421"] == 1
    assert server.requests["/rus/docs/K1400000235"] == 0  # cited, not amending: not followed


def test_discovered_acts_are_crawled_but_not_expanded_past_depth(server: AdiletTestServer, tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(
            store, client_for(server, tmp_path / "cache"), [MIGRATION], depth=1, follow_link=lambda link: True
        )
        assert report.acts == [MIGRATION, CORRUPTION]
        assert store.act(CORRUPTION) is not None
    assert server.requests["/rus/docs/Z1500000410/links"] == 0  # depth 1 reached: no further discovery
    assert server.requests["/rus/docs/K1400000226"] == 0


# --- resuming -------------------------------------------------------------------------------------


class Stop(Exception):
    pass


def test_a_crawl_stopped_after_the_first_act_resumes_to_the_clean_result(
    server: AdiletTestServer, tmp_path: Path
) -> None:
    clean = clean_crawl(server, tmp_path)
    state, cache, db = tmp_path / "state.json", tmp_path / "cache", tmp_path / "resumed.sqlite"

    def stop_after_first(message: str) -> None:
        raise Stop(message)

    with Store(db) as store, pytest.raises(Stop):
        crawl(store, client_for(server, cache), SEEDS, depth=0, state_path=state, progress=stop_after_first)
    assert json.loads(state.read_text(encoding="utf-8"))["done"] == [MIGRATION]
    fetched = sum(server.requests.values())

    with Store(db) as store:
        report = crawl(store, client_for(server, cache), SEEDS, depth=0, state_path=state)
        assert report.resumed and report.skipped == [MIGRATION] and report.acts == [CORRUPTION]
        assert snapshot(store) == clean
    # the resumed run fetched only what the first run had not: no page of the migration law again
    assert server.requests["/rus/docs/Z1100000477"] == 2  # clean crawl + first run, not the resume
    assert sum(server.requests.values()) - fetched == report.network_requests


_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from corpus.store import Store
    from ingest.client import AdiletClient
    from ingest.crawl import crawl

    base, cache, db, state = sys.argv[1:5]
    client = AdiletClient(Path(cache), base_url=base, min_interval=0.01, backoff=0.01, timeout=10.0)
    with Store(db) as store:
        crawl(store, client, ["Z1100000477", "Z1500000410"], depth=0, state_path=Path(state),
              progress=lambda m: print(m, flush=True))
    print("FINISHED", flush=True)
    """
)


def test_a_crawl_killed_with_sigkill_resumes_without_loss_or_duplicates(
    server: AdiletTestServer, tmp_path: Path
) -> None:
    clean = clean_crawl(server, tmp_path)
    state, cache, db = tmp_path / "state.json", tmp_path / "cache", tmp_path / "killed.sqlite"
    # Hold the second act's page long enough that the kill lands in the middle of it.
    server.inject("/rus/docs/Z1500000410", [Fault.timeout(3.0)])
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, server.base_url, str(cache), str(db), str(state)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith("Z1100000477: stored"), first + (child.stderr.read() if child.stderr else "")
        # kill while the child waits for the second act's page (so the held answer is the child's)
        deadline = time.monotonic() + 20
        while server.requests["/rus/docs/Z1500000410"] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["done"] == [MIGRATION] and saved["frontier"] == [[CORRUPTION, 0]]
    with Store(db) as store:
        assert [a.id for a in store.acts()] == [MIGRATION]  # the first act survived the kill
        report = crawl(store, client_for(server, cache), SEEDS, depth=0, state_path=state)
        assert report.ok and report.acts == [CORRUPTION]
        after = snapshot(store)
    assert after == clean
    assert len(after["versions"]) == len(set(after["versions"]))  # no duplicate versions
    assert server.requests["/rus/docs/Z1100000477"] == 2  # clean crawl + child; the resume used the cache


# A crawl in a child process that freezes inside the store's write transaction, just before the n-th
# SQL statement that starts with a given text (the trace hook of the store's own SQLite connection),
# so the SIGKILL lands in the middle of an act's save, not while waiting on the network.
_FREEZING_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from corpus.store import Store
    from ingest.client import AdiletClient
    from ingest.crawl import crawl

    base, cache, db, state, prefix, nth = sys.argv[1:7]
    client = AdiletClient(Path(cache), base_url=base, min_interval=0.0, backoff=0.01, timeout=10.0)
    seen = 0

    def freeze(sql):
        global seen
        if sql.lstrip().upper().startswith(prefix):
            seen += 1
            if seen == int(nth):
                print("FROZEN before: " + " ".join(sql.split())[:60], flush=True)
                time.sleep(120)

    with Store(db) as store:
        store._db.set_trace_callback(freeze)  # after the store's own set-up: only the crawl's SQL counts
        crawl(store, client, ["Z1100000477", "Z1500000410"], depth=0, state_path=Path(state),
              progress=lambda m: print(m, flush=True))
    print("FINISHED", flush=True)
    """
)


def stored_redactions(store: Store) -> dict[str, list[date | None]]:
    """Every act's stored redactions, and a check that no act left rows without its redactions."""
    out = {a.id: [r.valid_from for r in store.redactions(a.id)] for a in store.acts()}
    for act_id in SEEDS:
        if act_id not in out:
            assert not list(store.versions(act_id)) and not store.amendments(act_id), f"{act_id}: orphan rows"
    return out


@pytest.mark.parametrize(
    ("prefix", "nth", "stored", "done"),
    [
        # the migration law's second redaction is being written: its first is in the same transaction
        ("INSERT INTO REDACTIONS", 2, {}, []),
        # the migration law's save, at its COMMIT
        ("COMMIT", 1, {}, []),
        # the second act's save: the first act is whole, and marked done
        ("INSERT INTO REDACTIONS", 3, {MIGRATION: [date(2016, 1, 1), date(2025, 9, 27)]}, [MIGRATION]),
    ],
    ids=["between-redactions", "at-commit", "second-act"],
)
def test_a_crawl_killed_during_a_save_keeps_all_or_none_of_the_act_and_resumes_to_the_clean_result(
    server: AdiletTestServer,
    tmp_path: Path,
    prefix: str,
    nth: int,
    stored: dict[str, list[date]],
    done: list[str],
) -> None:
    clean = clean_crawl(server, tmp_path)
    state, cache, db = tmp_path / "state.json", tmp_path / "cache", tmp_path / "killed.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-c", _FREEZING_CHILD, server.base_url, str(cache), str(db), str(state), prefix, str(nth)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert child.stdout is not None
        lines: list[str] = []
        while not (line := child.stdout.readline()).startswith("FROZEN"):
            assert line, "".join(lines) + (child.stderr.read() if child.stderr else "")
            lines.append(line)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with Store(db) as store:
        assert stored_redactions(store) == stored  # all of an act's redactions, or none of them
    saved = json.loads(state.read_text(encoding="utf-8"))
    # the state file never calls an act done before its save committed
    assert saved["done"] == done
    assert [a for a, _ in saved["frontier"]] == [a for a in SEEDS if a not in done]

    with Store(db) as store:
        report = crawl(store, client_for(server, cache), SEEDS, depth=0, state_path=state)
        assert report.ok and report.resumed and report.acts == [a for a in SEEDS if a not in done]
        assert snapshot(store) == clean


def test_the_state_file_is_replaced_atomically_and_durably(
    server: AdiletTestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "crawl" / "state.json"
    events = watch_fs(monkeypatch)
    with Store(tmp_path / "s.sqlite") as store:
        crawl(store, client_for(server, tmp_path / "cache"), SEEDS, depth=0, state_path=state)
    assert_written_atomically_and_durably(events, state)
    # written at the start and after each act
    assert sum(1 for e in events if e[0] == "replace" and e[2] == state) == 1 + len(SEEDS)


def test_an_unfinished_state_file_of_another_crawl_is_refused(server: AdiletTestServer, tmp_path: Path) -> None:
    state, cache = tmp_path / "state.json", tmp_path / "cache"

    def stop(message: str) -> None:
        raise Stop(message)

    with Store(tmp_path / "s.sqlite") as store:
        with pytest.raises(Stop):
            crawl(store, client_for(server, cache), SEEDS, depth=0, state_path=state, progress=stop)
        with pytest.raises(ValueError, match="another, unfinished crawl"):
            crawl(store, client_for(server, cache), [CORRUPTION], depth=0, state_path=state)
        crawl(store, client_for(server, cache), SEEDS, depth=0, state_path=state)  # finishes it
        # a finished crawl is not resumed: the next run, of any seeds, starts afresh (from the cache)
        again = crawl(store, client_for(server, cache), [CORRUPTION], depth=0, state_path=state)
        assert not again.resumed and again.acts == [CORRUPTION] and again.network_requests == 0
    state.write_text("{not json", encoding="utf-8")
    with Store(tmp_path / "s.sqlite") as store, pytest.raises(ValueError, match="not JSON"):
        crawl(store, client_for(server, cache), [CORRUPTION], depth=0, state_path=state)


def test_the_report_reads_as_a_summary(server: AdiletTestServer, tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "cache"), ["Z9900000001", CORRUPTION], depth=0)
    text = str(report)
    assert text.startswith("stored 1 act(s), 1 document(s)")
    assert "Z9900000001 [document]" in text and "failed: Z9900000001" in text


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        client = AdiletClient(tmp_path / "cache", offline=True)
        with pytest.raises(ValueError, match="act ids"):
            crawl(store, client, ["not an id"])
        with pytest.raises(ValueError, match="langs"):
            crawl(store, client, [MIGRATION], langs=("deu",))
        with pytest.raises(ValueError, match="depth"):
            crawl(store, client, [MIGRATION], depth=-1)


# --- seeds ----------------------------------------------------------------------------------------


def test_the_seed_list_holds_the_confirmed_migration_acts() -> None:
    seeds = {s.act_id: s for s in load_seeds()}
    for act_id in ("Z1100000477", "Z090000216_", "U950002337_", "K1400000226", "K1400000235", "P1100001427"):
        assert act_id in seeds
    assert "гражданстве" in seeds["Z910004800_"].title
    assert "Государственной границе" in seeds["Z1300000070"].title
    assert all(s.source for s in seeds.values())
    assert not any("торговле людьми" in s.title for s in seeds.values())  # still to confirm


def test_a_broken_seed_file_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "seeds.toml"
    bad.write_text('[[seed]]\nid = "О миграции"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no valid adilet act id"):
        load_seeds(bad)
    bad.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="no"):
        load_seeds(bad)


def test_a_missing_second_language_is_recorded_and_the_act_kept(server: AdiletTestServer, tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "cache"), [CORRUPTION], depth=0, langs=("rus", "kaz"))
        assert report.acts == [CORRUPTION]
        assert [(e.stage, "HTTP 404" in e.message) for e in report.errors] == [("document:kaz", True)]
        act = store.act(CORRUPTION)
        assert act is not None and act.languages == ["rus"]
    assert server.requests["/kaz/docs/Z1500000410"] == 1


def test_a_notice_only_the_parser_recognises_is_not_kept_in_the_cache(server: AdiletTestServer, tmp_path: Path) -> None:
    # A long notice inside the document frame: past the client's check, caught by parse_document.
    notice = "Ведутся технические работы. " + "Приносим извинения за временные неудобства. " * 30
    server.routes["/rus/docs/Z1500000410"] = (
        '<html><body><div id="tabs_container"><a href="/rus/docs/Z1500000410/info">Информация</a></div>'
        f"<article><p>{notice}</p></article></body></html>"
    )
    with Store(tmp_path / "s.sqlite") as store:
        report = crawl(store, client_for(server, tmp_path / "cache"), [CORRUPTION], depth=0)
        assert report.failed == [CORRUPTION] and "MaintenancePage" in report.errors[0].message
        assert store.act(CORRUPTION) is None
    assert not (tmp_path / "cache/rus/docs/Z1500000410.html").exists()
    assert not (tmp_path / "cache/rus/docs/Z1500000410.html.json").exists()
