"""Law in time over real HTTP (docs/design.md §7): point-in-time wordings with coverage, wordings the
corpus does not hold, history with both dates, typed diffs, and coverage on ``at=`` searches.

Real data: the bundled migration law (2012, 2019, 2022 and current wordings, rus and kaz) and the
Criminal Code (the current text and the 2023 excerpt of arts. 392-395), indexed without annotations.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from corpus.store import Store
from corpus.timeline import coverage_steps
from ingest.bundled import MANIFEST, parse_bundled
from search_api.embedded import EmbeddedBackend
from search_api.indexer import index_docs
from tests.api.test_api import _error, serve

MIG, UK = "Z1100000477", "K1400000226"
TODAY = "2026-12-01"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("time")
    with Store(home / "corpus.sqlite") as store:
        for entry in MANIFEST:
            if entry.act_id in (MIG, UK):
                store.save_documents(parse_bundled(entry))
        EmbeddedBackend(home / "index").index(index_docs(store, annotations=False))
    return home


@pytest.fixture(scope="module")
def api(home: Path) -> Iterator[httpx.Client]:
    with serve(home / "corpus.sqlite", lambda: EmbeddedBackend(home / "index")) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        yield client


def test_article_48_in_2013_and_today(api: httpx.Client) -> None:
    old = api.get(f"/acts/{MIG}/provisions/art_48", params={"at": "2013-01-01"})
    assert old.status_code == 200, old.text
    body = old.json()
    assert "со дня вынесения решения о выдворении" in body["provision"]["text"]  # the 2012 wording
    assert body["wording_known"] is True
    cov = body["coverage"]
    assert cov["known"] > 400 and cov["unknown"] >= 0
    now = api.get(f"/acts/{MIG}/provisions/art_48", params={"at": TODAY}).json()
    assert "со дня исполнения решения суда о выдворении" in now["provision"]["text"]
    p = now["provision"]
    assert (p["valid_from"], p["valid_from_exact"]) == ("2024-05-27", False) and "82-VIII" in p["valid_from_rule"]
    # without a date: the current wording, no coverage
    assert api.get(f"/acts/{MIG}/provisions/art_48").json()["coverage"] is None


def test_a_wording_the_corpus_does_not_hold_says_so(api: httpx.Client) -> None:
    # art. 48 was amended five times between the 2012 and 2019 wordings: in 2015 its wording is unknown
    resp = api.get(f"/acts/{MIG}/provisions/art_48", params={"at": "2015-06-01"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["provision"] is None and body["wording_known"] is False
    assert "not in the corpus" in body["message"] and "2015-06-01" in body["message"]
    assert len(body["known_versions"]) == 4 and body["coverage"]["unknown"] > 0
    # a provision not in force on the date is not "unknown": it was added later (chapter 11-1, 2024)
    msg = _error(api.get(f"/acts/{MIG}/provisions/art_58-2", params={"at": "2015-01-01"}), 404)
    assert "not in force on 2015-01-01" in msg
    # citations of a provision on a date whose wording is unknown: a 404 that says why
    assert "not in the corpus" in _error(api.get(f"/acts/{MIG}/provisions/art_48/citations",
                                                 params={"at": "2015-06-01"}), 404)


def test_history_gives_adoption_and_in_force_dates(api: httpx.Client) -> None:
    events = api.get(f"/acts/{MIG}/provisions/art_48/history").json()["events"]
    (e82,) = [e for e in events if e["kind"] == "amendment" and e["amendment"]["amending_act"]["number"] == "82-VIII"]
    assert (e82["adopted"], e82["in_force"], e82["in_force_exact"], e82["date_is"]) == (
        "2024-05-16", "2024-05-27", False, "in_force_not_before"
    )
    assert e82["on"] == "2024-05-27" and "publication" in e82["in_force_rule"]
    (exact,) = [e for e in events if e["kind"] == "amendment" and e["amendment"]["amending_act"]["number"] == "244-V"]
    assert (exact["in_force"], exact["in_force_exact"], exact["date_is"]) == ("2015-01-02", True, "in_force")
    versions = [e for e in events if e["kind"] == "version"]
    assert [e["on"] for e in versions] == sorted(e["on"] for e in versions) and len(versions) == 4


def test_diff_lists_the_typed_changes_over_the_article(api: httpx.Client) -> None:
    resp = api.get(f"/acts/{MIG}/provisions/art_48/diff", params={"from": "2013-01-01", "to": TODAY})
    assert resp.status_code == 200, resp.text
    d = resp.json()
    assert (d["from_state"], d["to_state"]) == ("known", "known")
    assert ["delete", "вынесения"] in d["ops"] and ["insert", "исполнения"] in d["ops"]
    changes = {(c["type"], c["eid"], c["from_eid"]) for c in d["changes"]}
    assert ("term_replaced", "art_48", None) in changes
    assert ("item_renumbered", "art_48__point_10", "art_48__point_7") in changes
    assert ("item_added", "art_48__point_14", None) in changes
    assert {p["eid"]: p["state"] for p in d["parts"]}["art_48__point_14"] == "added"
    # numbers: УК art. 394 (the 2023 excerpt against the current text) — fines in МРП and terms
    uk = api.get(f"/acts/{UK}/provisions/art_394/diff", params={"from": "2023-06-01", "to": TODAY}).json()
    numbers = {(c["eid"], c["before"], c["after"], c["unit"]) for c in uk["changes"] if c["type"] == "number_changed"}
    assert ("art_394__para_1", "двух тысяч", "трех тысяч", "МРП") in numbers
    assert ("art_394__para_3", "семи", "десяти", "лет") in numbers
    # a date whose wording is unknown gives no diff, and says so
    gap = api.get(f"/acts/{MIG}/provisions/art_48/diff", params={"from": "2015-06-01", "to": TODAY}).json()
    assert (gap["from_state"], gap["ops"], gap["changes"]) == ("unknown", [], [])
    assert "lang" in _error(api.get(f"/acts/{MIG}/provisions/art_48/diff",
                                    params={"from": "2013-01-01", "to": TODAY, "lang": "eng"}), 400)


def test_search_at_a_date_says_what_it_covers(api: httpx.Client) -> None:
    body = api.get("/search", params={"q": "выдворение", "at": "2015-06-01", "act": MIG}).json()
    cov = body["coverage"]
    assert cov["known"] > 0 and cov["unknown"] > 0
    # no version of the 2014 Criminal Code is in force before 01.01.2015: nothing found, nothing unknown
    early = api.get("/search", params={"q": "", "at": "2014-08-01", "act": UK}).json()
    assert early["total"] == 0 and early["coverage"] == {"known": 0, "unknown": 0}
    # coverage counts provisions, so the part-level answer (group=none) matches it one for one
    later = api.get("/search", params={"q": "", "at": "2015-01-01", "act": UK, "group": "none"}).json()
    assert later["total"] == later["coverage"]["known"] > 0
    grouped = api.get("/search", params={"q": "", "at": "2015-01-01", "act": UK}).json()
    assert 0 < grouped["total"] < later["total"] and grouped["coverage"] == later["coverage"]
    # the scope is the acts asked for (here: both), and every answer without a date has none
    both = api.get("/search", params={"q": "", "at": "2015-01-01"}).json()["coverage"]
    assert both["known"] == later["coverage"]["known"] + api.get(
        "/search", params={"q": "", "at": "2015-01-01", "act": MIG}).json()["coverage"]["known"]
    assert api.get("/search", params={"q": "выдворение"}).json()["coverage"] is None


def test_kazakh_wording_after_its_paired_redaction_is_unknown(api: httpx.Client) -> None:
    paired = api.get(f"/acts/{MIG}/provisions/art_48", params={"at": "2023-01-01", "lang": "kaz"}).json()
    rus = api.get(f"/acts/{MIG}/provisions/art_48", params={"at": "2023-01-01"}).json()
    assert paired["provision"]["valid_from"] == rus["provision"]["valid_from"] == "2021-01-01"
    later = api.get(f"/acts/{MIG}/provisions/art_48", params={"at": TODAY, "lang": "kaz"}).json()
    assert later["wording_known"] is False and later["provision"] is None
    assert later["coverage"]["unknown"] > 0


def test_a_stub_moved_by_the_restructuring_of_article_43_1(home: Path, api: httpx.Client) -> None:
    """Art. 43-1 of the migration law: its items went under a new part 1 from 01.01.2021 (Закон от 30.12.2016
    № 41-VI), seen only in the bank's redaction of 14.07.2022; item 3, "исключен Законом РК от 24.11.2015
    № 421-V", moved with them (corpus.timeline rule 11)."""
    old_eid, new_eid = "art_43-1__point_3", "art_43-1__para_1__point_3"
    with Store(home / "corpus.sqlite") as store:
        *_, old = store.provision_versions(MIG, old_eid)  # the 2012 wording, then the stub
        (new,) = store.provision_versions(MIG, new_eid)
        assert old.repealed and new.repealed and old.text == new.text
        assert (old.valid_from, old.valid_to) == (date(2015, 12, 5), date(2021, 1, 1))
        assert (new.valid_from, new.valid_from_exact, new.unknown_from) == (date(2021, 1, 1), True, None)
        assert old_eid in (new.valid_from_rule or "") and "41-VI" in (new.valid_from_rule or "")
        on = date(2021, 6, 1)
        assert [p.eid for p in store.children(MIG, "art_43-1", on)] == ["art_43-1__para_1", "art_43-1__para_2"]
        assert new_eid in [p.eid for p in store.children(MIG, "art_43-1__para_1", on)]
        assert [p.eid for p in store.children(MIG, "art_43-1", date(2020, 12, 31))][2] == old_eid
        # the stub is never unknown from its repeal on, and the two eids never overlap
        assert [row for row in coverage_steps([old, new]) if row[0] >= date(2015, 12, 5)] == [
            (date(2015, 12, 5), 1, 0), (date(2021, 1, 1), 1, 0)]
    d = api.get(f"/acts/{MIG}/provisions/art_43-1/diff", params={"from": "2021-01-01", "to": "2025-12-01"}).json()
    assert (d["from_state"], d["to_state"], d["unknown_parts"]) == ("known", "known", [])
    assert not [c for c in d["changes"] if c["eid"] in (old_eid, new_eid)]
    body = api.get(f"/acts/{MIG}/provisions/{new_eid}", params={"at": "2021-06-01"}).json()
    assert body["wording_known"] is True and body["provision"]["valid_from"] == "2021-01-01"
    assert api.get(f"/acts/{MIG}/provisions/{old_eid}", params={"at": "2021-06-01"}).status_code == 404


def test_dates_never_precede_the_act(home: Path) -> None:
    with Store(home / "corpus.sqlite") as store:
        assert min(p.valid_from for p in store.versions(UK) if p.valid_from) >= date(2015, 1, 1)


def test_the_rights_view_at_a_date_says_what_it_covers(api: httpx.Client) -> None:
    body = api.get("/rights/non_refoulement", params={"at": "2015-06-01"}).json()
    assert body["coverage"]["known"] > 0 and body["coverage"]["unknown"] > 0
    assert api.get("/rights/non_refoulement").json()["coverage"] is None
