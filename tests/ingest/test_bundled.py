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

from corpus.models import Provision
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


# --- law in time on the whole bundled corpus (docs/design.md §7) ---------------------------------------------

CODES_2014 = ("K1400000226", "K1400000235", "K1400000231")


def test_acts_record_their_own_entry_into_force(store: Store) -> None:
    got = {a.id: (a.in_force_from, a.in_force_exact) for a in store.acts()}
    for code in CODES_2014:  # "Настоящий Кодекс вводится в действие с 1 января 2015 года"
        assert got[code] == (date(2015, 1, 1), True), code
    assert got["K1500000414"] == (date(2016, 1, 1), True)
    assert got["K2000000350"] == (date(2021, 7, 1), True)
    assert got["K2300000224"] == (date(2023, 7, 1), True)
    assert got["Z090000216_"] == (date(2010, 1, 1), True)
    # "по истечении десяти календарных дней после его первого официального опубликования": publication
    # unknown, so not before adoption (22.07.2011) + 10 days + 1
    assert got["Z1100000477"] == (date(2011, 8, 2), False)
    assert got["Z1300000070"] == (date(2013, 1, 27), False)
    # no sentence on its entry into force in the text: nothing recorded (bounded by adoption)
    assert got["K950001000_"] == (None, False) and got["Z910004800_"] == (None, False)
    uk = store.act("K1400000226")
    assert uk is not None and uk.in_force_exceptions == {"art_45": date(2017, 1, 1), "art_48": date(2016, 1, 1)}


def test_no_version_of_a_2014_code_is_in_force_before_2015(store: Store) -> None:
    for code in CODES_2014:
        starts = [p.valid_from for p in store.versions(code)]
        assert starts and all(d is not None and d >= date(2015, 1, 1) for d in starts), code
        assert list(store.versions(code, at=date(2014, 8, 1))) == []
        assert store.coverage(date(2014, 8, 1), [code]).known == 0
    # the provisions the Criminal Code put into force later start no earlier than that
    assert all(p.valid_from is not None and p.valid_from >= date(2017, 1, 1)
               for p in store.versions("K1400000226") if p.eid.split("__")[0] == "art_45")


def test_no_start_is_an_adoption_date_where_the_note_states_a_delay(store: Store) -> None:
    """An amendment whose note says "по истечении … после дня его первого официального опубликования" never
    enters into force on its adoption date, and no version dated by such a note starts on it."""
    dating = store.dating()
    checked = 0
    for entry in MANIFEST:
        adoption: dict[str, date] = {}
        for a in store.amendments(entry.act_id):
            if a.effective_rule is not None and a.effective_rule.delay and a.effective_date is None:
                when = dating.amendment(a)
                assert when.on is not None and a.amending_act.date is not None
                # after adoption: the bank's version date of a redaction it caused, or not before adoption + delay
                assert when.on > a.amending_act.date and (not when.exact or "reference bank" in when.rule), a.source
                adoption[f"№ {a.amending_act.number}"] = a.amending_act.date
                checked += 1
        for p in store.versions(entry.act_id):
            rule = p.valid_from_rule or ""
            for number, adopted in adoption.items():
                if number in rule and "по истечении" in rule:
                    assert p.valid_from != adopted, f"{p.version_id}: {rule}"
    assert checked > 2000


def test_article_48_of_the_migration_law_in_time(store: Store) -> None:
    old = store.provision_at("Z1100000477", "art_48", date(2013, 1, 1))
    now = store.provision_at("Z1100000477", "art_48", date(2026, 12, 1))
    assert old is not None and now is not None
    assert "со дня вынесения решения о выдворении" in old.text  # the 2012 wording (reference bank)
    assert "со дня исполнения решения суда о выдворении" in now.text
    # Закон от 16.05.2024 № 82-VIII, "по истечении десяти календарных дней после дня его первого официального
    # опубликования": not its adoption date, the earliest possible start
    assert (now.valid_from, now.valid_from_exact) == (date(2024, 5, 27), False) and "82-VIII" in now.valid_from_rule  # type: ignore[operator]
    d = store.diff("Z1100000477", "art_48", date(2013, 1, 1), date(2026, 12, 1))
    kinds = {(c.type, c.eid) for c in d.changes}
    assert ("term_replaced", "art_48") in kinds  # "вынесения" → "исполнения" решения суда
    assert ("item_renumbered", "art_48__point_10") in kinds and ("item_added", "art_48__point_14") in kinds
    assert {p.eid for p in d.parts} >= {"art_48__point_4", "art_48__point_14"}


def test_added_and_repealed_provisions_start_and_end_with_their_amendments(store: Store) -> None:
    # chapter 11-1 (with art. 58-2) was added by Закон от 16.05.2024 № 82-VIII ("шестидесяти календарных дней")
    art = store.provision_versions("Z1100000477", "art_58-2")
    assert [(v.valid_from, v.unknown_from) for v in art] == [(date(2024, 7, 16), None)]
    assert store.wording_state("Z1100000477", "art_58-2", date(2015, 1, 1)) == "absent"
    # art. 1 item 14 "исключен Законом РК от 24.11.2015 № 421-V": the wording ends at the repeal, the stub
    # starts there and is the repealed version
    *before, stub = store.provision_versions("Z1100000477", "art_1__point_14")
    assert stub.repealed and stub.valid_from == date(2015, 12, 5) and stub.valid_to is None
    assert before and before[-1].valid_to == stub.valid_from and not before[-1].repealed


def test_kazakh_versions_take_the_dates_of_their_russian_pair(store: Store) -> None:
    for eid in ("art_48", "art_48__point_1", "art_6-1"):
        kaz = store.provision_at("Z1100000477", eid, date(2023, 1, 1), "kaz")
        rus = store.provision_at("Z1100000477", eid, date(2023, 1, 1), "rus")
        assert kaz is not None and rus is not None, eid
        def dates(p: Provision) -> tuple[object, ...]:
            return p.valid_from, p.valid_to, p.valid_from_exact

        assert dates(kaz) == dates(rus)
    # the Russian wording changed after the paired redaction (2024): the Kazakh one of then is not the current
    assert store.provision_at("Z1100000477", "art_48", date(2026, 12, 1), "kaz") is None
    assert store.wording_state("Z1100000477", "art_48", date(2026, 12, 1), "kaz") == "unknown"


def test_coverage_counts_known_and_unknown_wordings(store: Store) -> None:
    day = date(2015, 6, 1)
    total = store.coverage(day)
    per_act = [store.coverage(day, [e.act_id]) for e in MANIFEST]
    assert total.known == sum(c.known for c in per_act) and total.unknown == sum(c.unknown for c in per_act)
    assert total.known == sum(1 for e in MANIFEST for _ in store.versions(e.act_id, at=day))
    assert total.unknown > 0  # the codes' wordings before their latest amendments are not bundled
    gaps = [(v.unknown_from, v.valid_from) for v in store.provision_versions("Z1100000477", "art_48") if v.unknown_from]
    assert sum(1 for lo, hi in gaps if lo is not None and hi is not None and lo <= day < hi) == 1
    assert store.wording_state("Z1100000477", "art_48", day) == "unknown"
