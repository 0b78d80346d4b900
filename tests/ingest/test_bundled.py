"""The bundled corpus (ingest/bundled.py, ingest/bundled/SOURCES.md): provenance, requisites, redactions.

The whole-corpus ingest runs once per module (about 4 s): every act's redactions per language, no
excerpt dropping or changing a provision outside its scope, and a second run changing nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from datetime import date

import pytest

from corpus.store import Store
from ingest.bundled import BUNDLED_DIR, MANIFEST, ingest_bundled, parse_bundled
from legal.act_ids import derive_act_id, is_act_id, is_bank_id, is_corpus_act_id

SOURCES = (BUNDLED_DIR / "SOURCES.md").read_text(encoding="utf-8")


def _sources_md5() -> dict[str, str]:
    """file → md5 of its original, as SOURCES.md states it (a row naming the file and an md5)."""
    out: dict[str, str] = {}
    for line in SOURCES.splitlines():
        names = re.findall(r"`([^`]+\.(?:md|txt|html)\.gz)`", line)
        names = names or re.findall(r"^\| ([\w.-]+\.(?:txt|html)) \|", line)
        sums = re.findall(r"\b[0-9a-f]{32}\b", line)
        if names and sums:
            name = names[0] if names[0].endswith(".gz") else names[0] + ".gz"
            out[name] = sums[-1]
    return out


def test_every_bundled_file_is_listed_with_the_md5_of_its_original() -> None:
    listed = _sources_md5()
    shipped = sorted(p.name for p in BUNDLED_DIR.glob("*.gz"))
    in_manifest = sorted(f.file for act in MANIFEST for f in act.files)
    assert shipped == in_manifest  # nothing shipped unused, nothing missing
    for name in shipped:
        assert name in listed, f"{name} has no provenance row in SOURCES.md"
        got = hashlib.md5(gzip.decompress((BUNDLED_DIR / name).read_bytes())).hexdigest()
        assert got == listed[name], name


def test_meta_files_sit_beside_their_markdown() -> None:
    for meta in BUNDLED_DIR.glob("*.meta.yaml"):
        assert (BUNDLED_DIR / meta.name.replace(".meta.yaml", ".md.gz")).is_file(), meta.name


def test_act_ids_and_requisites() -> None:
    ids = [a.act_id for a in MANIFEST]
    assert len(ids) == len(set(ids)) == 13
    assert all(is_corpus_act_id(i) for i in ids)
    by = {a.act_id: a for a in MANIFEST}
    # the two ids derived by adilet's rule (no adilet page seen) are what the rule gives, and say so
    for act_id in ("Z1300000070", "K2000000350"):
        a = by[act_id]
        assert derive_act_id(a.kind, a.adopted, a.number) == act_id
        assert "derived" in a.info["act_id"]
    # the 1992 law has no known adilet id: a reference-bank id, never an adilet-looking one
    assert is_bank_id("EKB104249") and not is_act_id("EKB104249")
    assert by["EKB104249"].status == "repealed"
    constitution = by["K950001000_"]
    assert (constitution.kind, constitution.status, constitution.info["ended_on"]) == (
        "конституция", "repealed", "2026-07-01"
    )
    assert "15 марта 2026" in constitution.info["ended"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("bundled") / "corpus.sqlite"
    st = Store(path)
    ingest_bundled(st)
    return st


def test_redactions_per_act_and_language(store: Store) -> None:
    got = {
        a.act_id: sorted((r.lang, r.valid_from, r.scope is not None) for r in store.redactions(a.act_id))
        for a in MANIFEST
    }
    mig = got["Z1100000477"]
    assert [r for r in mig if r[0] == "kaz"] == [("kaz", date(2022, 7, 14), False)]
    assert [r[1] for r in mig if r[0] == "rus"][:3] == [date(2012, 4, 27), date(2019, 1, 1), date(2022, 7, 14)]
    assert len(mig) == 5
    assert [r[:2] for r in got["Z090000216_"]][:2] == [("kaz", date(2020, 11, 16)), ("rus", date(2020, 11, 16))]
    assert len(got["Z090000216_"]) == 3
    assert ("rus", date(2020, 5, 13), True) in got["K1400000235"]
    assert ("rus", date(2023, 1, 1), True) in got["K1400000226"]
    assert got["EKB104249"] == [("rus", date(1992, 6, 25), False)]
    for act_id in ("Z910004800_", "U950002337_", "Z1300000070", "K950001000_", "K1400000231", "K1500000414",
                   "K2000000350", "K2300000224"):
        assert len(got[act_id]) == 1, act_id


def test_acts_carry_the_manifest_requisites(store: Store) -> None:
    for entry in MANIFEST:
        act = store.act(entry.act_id)
        assert act is not None
        assert (act.kind, act.title, act.number, act.adopted, act.status) == (
            entry.kind, entry.title, entry.number, entry.adopted, entry.status
        )
    assert store.act("Z1100000477").languages == ["rus", "kaz"]  # type: ignore[union-attr]


def test_excerpts_leave_the_rest_of_the_code_alone(store: Store) -> None:
    for entry in (e for e in MANIFEST if e.act_id in ("K1400000226", "K1400000235")):
        whole, excerpt = parse_bundled(entry)
        assert whole.redaction.scope is None and excerpt.redaction.scope is not None
        today = {p.eid for p in store.versions(entry.act_id, at=date(2026, 6, 1))}
        assert today == {p.eid for p in whole.provisions}
        outside = [p.eid for p in whole.provisions if not excerpt.redaction.covers(p.eid)]
        versions: dict[str, int] = {}
        for p in store.versions(entry.act_id):
            versions[p.eid] = versions.get(p.eid, 0) + 1
        assert all(versions[e] == 1 for e in outside)  # one version each: the excerpt spoke not for them


def test_kazakh_wording_is_stored_beside_the_russian(store: Store) -> None:
    kaz = store.provision_at("Z1100000477", "art_48__point_1", date(2023, 1, 1), "kaz")
    rus = store.provision_at("Z1100000477", "art_48__point_1", date(2023, 1, 1), "rus")
    assert kaz is not None and rus is not None and kaz.lang == "kaz" and kaz.text != rus.text
    assert kaz.text.startswith("ұлттық қауіпсіздікті")


def test_ingesting_again_changes_nothing(store: Store) -> None:
    again = ingest_bundled(store)
    assert all(s.provisions_added == 0 and s.versions_removed == 0 and not s.redaction_new for s in again)
