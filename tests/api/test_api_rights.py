"""GET /rights/{id} and ``migralex right``: a right across the corpus, by act and polarity, with the treaty-body
documents on it — over real HTTP on the real migration law page, ingested and annotated (``built_home``)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from corpus.models import Annotation, RightLink
from corpus.store import Store
from search_api.embedded import EmbeddedBackend
from tests.api.test_api import _error, serve
from tests.test_cli import migralex

M = "Z1100000477"


@pytest.fixture(scope="module")
def api(built_home: Path) -> Iterator[httpx.Client]:
    with serve(built_home / "corpus.sqlite", lambda: EmbeddedBackend(built_home / "index")) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        yield client


def test_a_right_by_act_article_and_polarity(api: httpx.Client) -> None:
    resp = api.get("/rights/freedom_of_movement")
    assert resp.status_code == 200, resp.text
    view = resp.json()
    assert view["id"] == "freedom_of_movement" and "ICCPR art. 12" in view["instruments"] and view["at"] is None
    [law] = [a for a in view["acts"] if a["act_id"] == M]
    assert law["title"]
    # Статья 48: the entry-refusal grounds restrict the right, each item shown under its article
    [art48] = [g for g in law["restricts"] if g["article"] == "art_48"]
    assert "Основания для отказа иммигранту во въезде" in art48["heading"]
    eids = {p["eid"] for p in art48["provisions"]}
    assert {"art_48", "art_48__point_1", "art_48__point_14"} <= eids
    for p in art48["provisions"]:
        assert p["id"].startswith(f"{M}/{p['eid']}@") and p["rule"] and p["evidence"] and p["because"]
    # ст. 55 п. 1 "Каждый имеет право выезжать" guarantees it
    assert any(p["eid"] == "art_55__para_1" for g in law["guarantees"] for p in g["provisions"])
    assert view["counts"]["restricts"] == sum(len(g["provisions"]) for a in view["acts"] for g in a["restricts"])


def test_wordings_in_force_on_a_date(api: httpx.Client) -> None:
    at = dt.date(2024, 1, 1)
    view = api.get("/rights/freedom_of_movement", params={"at": at.isoformat()}).json()
    provisions = [p for a in view["acts"] for pol in ("restricts", "guarantees", "procedure") for g in a[pol]
                  for p in g["provisions"]]  # fmt: skip
    assert provisions and view["at"] == "2024-01-01"
    for p in provisions:
        assert (p["valid_from"] is None or p["valid_from"] <= "2024-01-01") and (
            p["valid_to"] is None or p["valid_to"] > "2024-01-01")


def test_decisions_violations_first_unverified_marked(api: httpx.Client) -> None:
    view = api.get("/rights/non_refoulement").json()
    decisions = view["decisions"]
    assert len(decisions) >= 6
    flags = [d["found_violation"] is True for d in decisions]
    assert flags[:2] == [True, True] and not any(flags[2:])  # Abdussamatov (CAT), Valetov (CCPR)
    assert {decisions[0]["symbol"], decisions[1]["symbol"]} == {"CAT/C/48/D/444/2010", "CCPR/C/110/D/2104/2011"}
    for d in decisions:
        assert d["urls"] and d["outcome"]
        if not d["outcome_verified"]:
            assert "not verified" in d["status"]


def test_errors_name_what_was_wrong(api: httpx.Client) -> None:
    message = _error(api.get("/rights/right_to_roam"), 404)
    assert "right_to_roam" in message and "non_refoulement" in message
    assert "at" in _error(api.get("/rights/liberty", params={"at": "2024-13-01"}), 422)


def test_openapi_describes_the_rights_view(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    op = spec["paths"]["/rights/{right_id}"]["get"]
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/RightView")
    assert {"404", "422"} <= set(op["responses"])


def test_the_view_reads_an_index_not_every_annotation(built_home: Path, tmp_path: Path) -> None:
    copy = tmp_path / "corpus.sqlite"
    with sqlite3.connect(built_home / "corpus.sqlite") as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with Store(copy) as store:
        statements: list[str] = []
        store._db.set_trace_callback(statements.append)
        first = store.right_links("freedom_of_movement")
        assert first and sum("json_each" in s for s in statements) == 1
        statements.clear()
        assert store.right_links("freedom_of_movement") == first
        assert store.right_links("liberty") is not None
        assert not any("json_each" in s for s in statements)  # later calls: the index, one provisions query
        # a write of annotations is seen at once
        store._db.set_trace_callback(None)
        prov, _ = first[0]
        ann = store.annotation(prov.version_id)
        assert ann is not None
        ann.rights = [RightLink("privacy", ["cue:test"], [], "test.rule", 0.5, eid=prov.eid, polarity="procedure")]
        store.save_annotations([Annotation(**{**ann.__dict__})])
        assert (prov.version_id, "procedure") in {(p.version_id, r.polarity) for p, r in store.right_links("privacy")}
        assert prov.version_id not in {p.version_id for p, _ in store.right_links("freedom_of_movement")}


def test_cli_right(built_home: Path) -> None:
    out = migralex("right", "freedom_of_movement", home=built_home)
    assert out.returncode == 0, out.stderr
    assert "art_48__point_14" in out.stdout and "restricts" in out.stdout
    data = json.loads(migralex("right", "non_refoulement", "--json", "--at", "2024-01-01", home=built_home).stdout)
    assert data["at"] == "2024-01-01" and data["decisions"][0]["found_violation"] is True
    bad = migralex("right", "right_to_roam", home=built_home)
    assert bad.returncode != 0 and "right_to_roam" in bad.stderr and "Traceback" not in bad.stderr
