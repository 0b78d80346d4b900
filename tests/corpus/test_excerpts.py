"""Excerpts (partial redactions) and the reference bank's metadata of a redaction (caused_by).

An excerpt (a chapter, a few articles: ``Redaction.scope``) speaks only for the provisions in its
scope: provisions outside it are neither dropped nor changed (corpus.timeline rule 8). Real texts:
the bundled Criminal Code (adilet text copy) and its arts. 392–395 as of 01.01.2023 (reference bank);
the timeline cases use real items of art. 48 of the migration law (as tests/corpus/test_timeline.py).
"""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import ingest
from corpus.models import CausedBy, ParsedDocument, Provision, Redaction, from_dict, to_dict
from corpus.store import Store, StoreError
from corpus.timeline import Snapshot, Version, compute_versions, redaction_members
from ingest.parse import parse_path
from tests.corpus import migration_law

BUNDLED = Path(ingest.__file__).parent / "bundled"
Pair = tuple[ParsedDocument, ParsedDocument]  # (the whole code, the excerpt)
ACT = "Z1100000477"
ADOPTED = date(2011, 7, 22)
POINT_1 = "в интересах обеспечения национальной безопасности, охраны общественного порядка и здоровья населения;"
POINT_2 = "если его действия направлены на насильственное изменение конституционного строя;"
ART_1 = "В настоящем Законе используются следующие основные понятия:"


def prov(eid: str, text: str, position: int = 0, kind: str = "item") -> Provision:
    return Provision(act_id=ACT, eid=eid, kind=kind, text=text, position=position)


def spans(versions: list[Version]) -> list[tuple[str, date | None, date | None]]:
    return sorted((v.provision.eid, v.provision.valid_from, v.provision.valid_to) for v in versions)


# --- corpus.timeline, rule 8 ------------------------------------------------------------------------


def test_provisions_outside_an_excerpt_are_not_spoken_for() -> None:
    whole = Snapshot(date(2019, 1, 1), [
        prov("art_1", ART_1, 0, "article"),
        prov("art_48", "", 1, "article"),
        prov("art_48__point_1", POINT_1, 2),
        prov("art_48__point_2", POINT_2, 3),
    ])
    # an excerpt of art. 48 only: point 1 reworded, point 2 gone; art. 1 is not in it
    excerpt = Snapshot(date(2022, 7, 14), [
        prov("art_48", "", 0, "article"),
        prov("art_48__point_1", POINT_1.replace("здоровья населения", "здоровья"), 1),
    ], scope=["art_48"])
    versions = compute_versions([whole, excerpt], [], ADOPTED, act_id=ACT)
    assert spans(versions) == [
        ("art_1", ADOPTED, None),  # not closed for being absent from the excerpt
        ("art_48", ADOPTED, None),
        ("art_48__point_1", ADOPTED, date(2022, 7, 14)),
        ("art_48__point_1", date(2022, 7, 14), None),
        ("art_48__point_2", ADOPTED, date(2022, 7, 14)),  # in the scope and absent: repealed then
    ]


def test_an_oldest_excerpt_does_not_make_the_rest_of_the_act_new() -> None:
    excerpt = Snapshot(date(2019, 1, 1), [prov("art_48", "", 0, "article"), prov("art_48__point_1", POINT_1, 1)],
                       scope=["art_48"])
    whole = Snapshot(date(2025, 9, 27), [
        prov("art_1", ART_1, 0, "article"),
        prov("art_48", "", 1, "article"),
        prov("art_48__point_1", POINT_1, 2),
        prov("art_48__point_2", POINT_2, 3),
    ])
    versions = compute_versions([whole, excerpt], [], ADOPTED, act_id=ACT)
    # art. 1 is first spoken for by the whole redaction: rule 5 dates it (the adoption), not the whole
    # redaction's date; point 2 of art. 48 was not in the 2019 excerpt of art. 48: it came later
    assert spans(versions) == [
        ("art_1", ADOPTED, None),
        ("art_48", ADOPTED, None),
        ("art_48__point_1", ADOPTED, None),
        ("art_48__point_2", date(2025, 9, 27), None),
    ]


def test_redaction_members_of_an_excerpt_keep_to_its_scope() -> None:
    whole = Snapshot(date(2019, 1, 1), [prov("art_1", ART_1, 0, "article"), prov("art_48__point_1", POINT_1, 1)])
    excerpt = Snapshot(date(2022, 7, 14), [prov("art_48__point_1", POINT_1, 0)], scope=["art_48"])
    versions = compute_versions([whole, excerpt], [], ADOPTED, act_id=ACT)
    assert [p.eid for p in redaction_members(versions, date(2022, 7, 14), ["art_48"])] == ["art_48__point_1"]
    # a version is a member of the redactions from the first to the last that held its text (since,
    # through): art. 1 was last held by the whole redaction of 2019, which the excerpt did not speak for
    assert {p.eid for p in redaction_members(versions, date(2022, 7, 14))} == {"art_48__point_1"}
    assert {p.eid for p in redaction_members(versions, date(2019, 1, 1))} == {"art_1", "art_48__point_1"}


def test_scope_covers_by_id() -> None:
    red = Redaction(ACT, scope=["chp_28", "art_510"])
    assert red.covers("art_510") and red.covers("art_510__para_1__point_2") and red.covers("chp_28")
    assert not red.covers("art_51") and not red.covers("art_5100") and not red.covers("chp_28-1")
    assert Redaction(ACT).covers("anything")


# --- corpus.store ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def criminal_code() -> Pair:
    whole = parse_path(BUNDLED / "K1400000226_criminal_code_rus.txt.gz", act_id="K1400000226")
    # the text copy carries no requisites (the bundled manifest gives them): without an adoption date
    # every version would move when the excerpt's metadata brings one, which is not what is tested here
    whole.act.title, whole.act.adopted = "Уголовный кодекс Республики Казахстан", date(2014, 7, 3)
    excerpt = parse_path(BUNDLED / "K1400000226_criminal_code_arts392-395_rus_2023-01-01.md.gz")
    return whole, excerpt


def test_an_excerpt_changes_only_its_articles(tmp_path: Path, criminal_code: Pair) -> None:
    whole, excerpt = criminal_code
    assert excerpt.redaction.scope == ["art_392", "art_393", "art_394", "art_395"]
    assert excerpt.redaction.valid_from == date(2023, 1, 1)
    assert whole.redaction.valid_from is not None and whole.redaction.valid_from > date(2023, 1, 1)
    with Store(tmp_path / "c.sqlite") as store:
        store.save_document(whole)
        before = {p.eid: p for p in store.versions("K1400000226")}
        stats = store.save_document(excerpt)
        assert stats.redaction_new
        after = {p.eid: p for p in store.versions("K1400000226")}
        now = {p.eid: p for p in store.versions("K1400000226", at=date(2026, 6, 1))}
        # nothing dropped: every provision of the whole code is still in force today
        assert set(now) == {p.eid for p in whole.provisions}
        # outside the excerpt not one row changed
        outside = {e: p for e, p in before.items() if not excerpt.redaction.covers(e)}
        assert outside and all(after[e] == p for e, p in outside.items())
        # art. 394 (organising illegal migration) was reworded in 2025: two versions now
        history = store.history("K1400000226", "art_394__para_1").versions
        # the new wording starts when Закон от 16.07.2025 № 210-VIII entered into force (not before adoption +
        # 60 days + 1: its publication date is unknown), not at the full text's redaction date
        new = history[-1]
        assert new.valid_from == date(2025, 9, 15) != whole.redaction.valid_from and not new.valid_from_exact
        assert "210-VIII" in (new.valid_from_rule or "")
        assert history[0].valid_to is not None and history[0].valid_to <= new.valid_from
        old = store.provision_at("K1400000226", "art_394__para_1", date(2023, 6, 1))
        assert old is not None and old.text != now["art_394__para_1"].text
        # the act's requisites are not taken from an excerpt's metadata
        act = store.act("K1400000226")
        assert act is not None and act.title == whole.act.title
        reds = {r.valid_from: r for r in store.redactions("K1400000226")}
        assert reds[date(2023, 1, 1)].scope == ["art_392", "art_393", "art_394", "art_395"]
        assert reds[date(2023, 1, 1)].caused_by == CausedBy(
            number="157-VII", date=date(2022, 11, 5), kind="закон", id="Z2200000157", code="173444",
            title="О внесении изменений и дополнений в некоторые законодательные акты Республики Казахстан по "
            "вопросам реализации Послания Главы государства от 16 марта 2022 года",
            requisite="Закон Республики Казахстан от 5 ноября 2022 года № 157-VII ЗРК",
        )
        assert reds[whole.redaction.valid_from].scope is None
        # saving the excerpt again changes nothing
        again = store.save_document(excerpt)
        assert again.provisions_added == 0 and not again.redaction_new and again.versions_removed == 0


def test_excerpt_order_does_not_matter(tmp_path: Path, criminal_code: Pair) -> None:
    whole, excerpt = criminal_code
    rows: list[list[tuple[str, date | None, date | None, str]]] = []
    for order in ((whole, excerpt), (excerpt, whole)):
        path = tmp_path / f"{len(rows)}.sqlite"
        with Store(path) as store:
            for doc in order:
                store.save_document(doc)
            rows.append([(p.eid, p.valid_from, p.valid_to, p.text) for p in store.versions("K1400000226")])
    assert rows[0] == rows[1]


def test_excerpts_that_cannot_be_stored(tmp_path: Path) -> None:
    doc = migration_law()
    red = doc.redaction
    with Store(tmp_path / "c.sqlite") as store:
        store.save_document(doc)
        part = [p for p in doc.provisions if p.eid == "art_48" or p.eid.startswith("art_48__")]
        same_day = replace(doc, redaction=replace(red, scope=["art_48"]), provisions=part)
        with pytest.raises(StoreError, match="cannot join the stored redaction of that date, which is the whole act"):
            store.save_document(same_day)
        with pytest.raises(StoreError, match="provisions outside the excerpt's scope: preamble, chp_1, art_1"):
            store.save_document(replace(same_day, redaction=replace(red, valid_from=date(2030, 1, 1),
                                                                     scope=["art_48"]), provisions=doc.provisions))
        with pytest.raises(StoreError, match="needs the date of its version"):
            store.save_document(replace(same_day, redaction=replace(red, valid_from=None, scope=["art_48"])))
        with pytest.raises(StoreError, match="scope must list eids"):
            store.save_document(replace(same_day, redaction=replace(red, valid_from=date(2030, 1, 1), scope=["48"])))
        assert [r.scope for r in store.redactions(ACT)] == [None]


# --- exchange and schema ------------------------------------------------------------------------------


def test_caused_by_and_scope_round_trip_through_jsonl(tmp_path: Path, criminal_code: Pair) -> None:
    _, excerpt = criminal_code
    with Store(tmp_path / "a.sqlite") as store:
        store.save_document(excerpt)
        buf = io.StringIO()
        store.export_jsonl(buf)
    text = buf.getvalue()
    red = next(json.loads(line) for line in text.splitlines() if '"type":"redaction"' in line)
    assert red["scope"] == ["art_392", "art_393", "art_394", "art_395"]
    assert red["caused_by"]["number"] == "157-VII" and red["caused_by"]["code"] == "173444"
    with Store(tmp_path / "b.sqlite") as store:
        store.import_jsonl(io.StringIO(text))
        again = io.StringIO()
        store.export_jsonl(again)
        assert store.redactions("K1400000226")[0].caused_by == excerpt.redaction.caused_by
    assert again.getvalue() == text
    bad = text.replace('"scope":["art_392"', '"scope":["статья 392"')
    with Store(tmp_path / "c.sqlite") as store, pytest.raises(StoreError, match="redaction record: field scope"):
        store.import_jsonl(io.StringIO(bad))


def test_caused_by_as_json() -> None:
    cb = CausedBy(code="127371", title="О внесении изменений … по вопросам занятости населения")
    assert from_dict(Redaction, to_dict(Redaction(ACT, caused_by=cb))).caused_by == cb


def test_a_schema_3_store_gains_the_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus import schema

    path = tmp_path / "old.sqlite"
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 3)
    with closing(sqlite3.connect(path)) as db:  # a store as schema 3 wrote it
        for _, ddl in schema.MIGRATIONS:
            for stmt in schema.statements(ddl):
                db.execute(stmt)
        db.execute("PRAGMA user_version = 3")
        db.execute("INSERT INTO acts (id, title, status, languages, info) VALUES ('Z1100000477', 'О миграции', "
                   "'in_force', '[\"rus\"]', '{}')")
        db.execute("INSERT INTO redactions (act_id, lang, valid_from, vf_key) VALUES ('Z1100000477', 'rus', "
                   "'2025-09-27', '2025-09-27')")
        db.commit()
    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version == schema.SCHEMA_VERSION
        [red] = store.redactions(ACT)
        assert (red.valid_from, red.caused_by, red.scope) == (date(2025, 9, 27), None, None)
