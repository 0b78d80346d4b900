"""corpus.store on real SQLite files: schema, transactions, idempotent saves, point-in-time reads,
annotations and citations. Documents are the real migration law page parsed by ingest/ (and one
clearly synthetic older redaction derived from it)."""

from __future__ import annotations

import io
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from corpus.models import Act, AmendingAct, Annotation, Citation, ParsedDocument, Provision, Redaction, Tag
from corpus.schema import SCHEMA_VERSION
from corpus.store import NotFoundError, Store, StoreError, amendment_key
from corpus.timeline import Coverage
from tests.corpus import ACT, migration_law, row_counts, synthetic_older_redaction, table_dump

CURRENT = date(2025, 9, 27)  # the page's redaction date (newest amendment in force)
OLDER = date(2019, 1, 1)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "corpus.sqlite"


@pytest.fixture
def saved(store_path: Path) -> Path:
    with Store(store_path) as store:
        store.save_document(migration_law())
    return store_path


# --- the file -------------------------------------------------------------------------------------------


def test_new_store_is_versioned_wal_with_foreign_keys(store_path: Path) -> None:
    with Store(store_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with closing(sqlite3.connect(store_path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(store_path) as again:  # reopening migrates nothing and keeps the version
        assert again.schema_version == SCHEMA_VERSION


def test_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("Статья 48. Основания для отказа иммигранту во въезде\n" * 200, encoding="utf-8")
    with pytest.raises(StoreError, match=re.escape(str(tmp_path / "notes.sqlite"))):
        Store(bogus)


def test_store_of_a_newer_schema_is_refused(store_path: Path) -> None:
    Store(store_path).close()
    with closing(sqlite3.connect(store_path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 41}")
    with pytest.raises(StoreError, match=rf"{SCHEMA_VERSION + 41}.*newer.*{SCHEMA_VERSION}"):
        Store(store_path)


def test_other_sqlite_database_is_refused(store_path: Path) -> None:
    with closing(sqlite3.connect(store_path)) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        db.commit()
    with pytest.raises(StoreError, match="not a MigraLex store"):
        Store(store_path)


def test_migrations_apply_in_order_and_keep_data(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus import schema

    before = table_dump(saved)
    upgraded = (
        *schema.MIGRATIONS,
        (SCHEMA_VERSION + 1, "CREATE TABLE probe_a (x INTEGER)"),
        (SCHEMA_VERSION + 2, "ALTER TABLE probe_a ADD COLUMN y TEXT; INSERT INTO probe_a (x, y) VALUES (1, 'b')"),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", upgraded)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    with Store(saved) as store:
        assert store.schema_version == SCHEMA_VERSION + 2
        assert [tuple(r) for r in store._db.execute("SELECT x, y FROM probe_a")] == [(1, "b")]
    assert table_dump(saved) == before


def test_failed_migration_leaves_the_store_at_its_version(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus import schema

    broken = (*schema.MIGRATIONS, (SCHEMA_VERSION + 1, "CREATE TABLE probe_b (x); ALTER TABLE nowhere ADD y"))
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match=f"migration {SCHEMA_VERSION + 1} failed.*nowhere"):
        Store(saved)
    with closing(sqlite3.connect(saved)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name='probe_b'").fetchall()


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no-such-folder"):
        Store(tmp_path / "no-such-folder" / "corpus.sqlite")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


# --- saving -------------------------------------------------------------------------------------------------


def test_save_real_page_and_read_it_back(store_path: Path) -> None:
    doc = migration_law()
    with Store(store_path) as store:
        stats = store.save_document(doc)
        assert (stats.act_id, stats.provisions_added, stats.provisions_unchanged, stats.redaction_new) == (
            ACT,
            len(doc.provisions),
            0,
            True,
        )
        assert stats.amendments_added == store._db.execute("SELECT count(*) FROM amendments").fetchone()[0] > 200
        assert store.act(ACT) == doc.act and store.acts() == [doc.act]
        assert store.act("Z0000000000") is None
        assert store.redactions(ACT) == [doc.redaction]
        assert store.count_versions() == len(doc.provisions)
        versions = list(store.versions(ACT))
        assert [v.eid for v in versions] == [p.eid for p in sorted(doc.provisions, key=lambda p: p.position)]
        assert all(v.valid_to is None and v.valid_from is not None for v in versions)
        by_eid = {p.eid: p for p in doc.provisions}
        for v in versions:
            p = by_eid[v.eid]
            assert (v.text, v.heading, v.kind, v.number, v.parent, v.ancestors) == (
                p.text,
                p.heading,
                p.kind,
                p.number,
                p.parent,
                p.ancestors,
            )
        # rule 4 on the real footnotes: art. 48 was last changed by Закон от 16.05.2024 № 82-VIII, in force
        # "по истечении десяти календарных дней после дня его первого официального опубликования": its
        # publication date is unknown, so not before adoption + 10 days + 1, never the adoption date
        art48 = store.provision_at(ACT, "art_48")
        assert art48 is not None and art48.valid_from == date(2024, 5, 27) and not art48.valid_from_exact
        assert "82-VIII" in (art48.valid_from_rule or "") and art48.unknown_from == date(2011, 8, 2)
        assert store.provision_at(ACT, "art_48__point_1").valid_from == date(2024, 5, 27)  # type: ignore[union-attr]
        # the preamble was never amended: the act's own entry into force, ten days after its publication
        preamble = store.provision_at(ACT, "preamble")
        assert preamble is not None and preamble.valid_from == date(2011, 8, 2) and preamble.unknown_from is None
        assert all(v.valid_from <= CURRENT for v in versions if v.valid_from_exact)  # type: ignore[operator]


def test_resaving_the_same_page_changes_nothing(saved: Path) -> None:
    before = table_dump(saved)
    doc = migration_law()
    with Store(saved) as store:
        stats = store.save_document(doc)
    assert (stats.provisions_added, stats.provisions_unchanged, stats.amendments_added, stats.redaction_new) == (
        0,
        len(doc.provisions),
        0,
        False,
    )
    assert stats.versions_removed == 0
    assert table_dump(saved) == before


def test_same_footnote_twice_is_one_amendment(store_path: Path) -> None:
    doc = migration_law()
    first = doc.amendments[0]
    # the same note read again, with other spacing (NBSP) and a better parse knowing the effective date
    again = replace(first, source=first.source.replace(" ", "\u00a0 "), effective_date=date(2012, 5, 10))
    doc.amendments = [*doc.amendments, first, again]
    unique = len({amendment_key(a)[0] for a in migration_law().amendments})
    with Store(store_path) as store:
        stats = store.save_document(doc)
        assert stats.amendments_added == unique
        assert len(store.amendments(ACT)) == unique
        (stored,) = [a for a in store.amendments(ACT, first.eid) if a.source == first.source and a.verb == first.verb]
        assert stored.effective_date == date(2012, 5, 10)


def test_amendment_read_from_an_older_shorter_footnote_is_the_same_amendment(store_path: Path) -> None:
    """art. 48's real footnote, cut after Закон № 244-V: how it read on a 2015 page (derived, not fetched)."""
    doc = migration_law()
    (full,) = [a for a in doc.amendments if a.eid == "art_48" and a.amending_act.number == "244-V"]
    older_note = full.source[: full.source.index("); от 24.11.2015") + 1] + "."
    assert older_note.endswith("(вводится в действие со 02.01.2015).")
    older = synthetic_older_redaction(date(2015, 6, 1))
    older.amendments = [replace(a, source=older_note) if a == full else a for a in older.amendments]
    with Store(store_path) as store:
        store.save_document(doc)
        stats = store.save_document(older)
        assert stats.amendments_added == 0
        (stored,) = [a for a in store.amendments(ACT, "art_48") if a.amending_act.number == "244-V"]
        assert stored.source == full.source and stored.effective_date == date(2015, 1, 2)


def test_one_law_amending_heading_and_text_of_an_article_is_one_amendment() -> None:
    """Real: Закон № 82-VIII changed both the heading ("Заголовок статьи 23 …") and the text of art. 23,
    recorded in two footnotes; for the article's history that is one amendment."""
    notes = [a for a in migration_law().amendments if a.eid == "art_23" and a.amending_act.number == "82-VIII"]
    assert len(notes) == 2 and notes[0].source != notes[1].source
    assert amendment_key(notes[0])[0] == amendment_key(notes[1])[0]


def test_unattributed_notes_are_told_apart_by_their_text() -> None:
    doc = migration_law()
    a = replace(doc.amendments[0], amending_act=AmendingAct())
    b = replace(a, source=a.source + " (иная запись)")
    assert amendment_key(a)[0] != amendment_key(b)[0]


BAD_DOCUMENTS = [
    (
        "unknown provision kind",
        lambda d: d.provisions.__setitem__(3, replace(d.provisions[3], kind="clause")),
        "clause",
    ),
    (
        "provision of another act",
        lambda d: d.provisions.__setitem__(5, replace(d.provisions[5], act_id="K1400000226")),
        "K1400000226",
    ),
    ("language mismatch", lambda d: d.provisions.__setitem__(2, replace(d.provisions[2], lang="kaz")), "kaz"),
    (
        "unknown amendment verb",
        lambda d: d.amendments.__setitem__(0, replace(d.amendments[0], verb="changed")),
        "changed",
    ),
    ("unknown status", lambda d: setattr(d.act, "status", "active"), "active"),
    ("redaction of another act", lambda d: setattr(d.redaction, "act_id", "Z1500000410"), "Z1500000410"),
    ("no provisions", lambda d: d.provisions.clear(), "no provisions"),
    ("duplicate eid", lambda d: d.provisions.append(replace(d.provisions[10], position=9999)), "twice"),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in BAD_DOCUMENTS], ids=[c[0] for c in BAD_DOCUMENTS])
def test_bad_documents_are_refused_and_nothing_is_written(store_path: Path, mutate, message: str) -> None:
    doc = migration_law()
    mutate(doc)
    with Store(store_path) as store, pytest.raises(StoreError, match=message):
        store.save_document(doc)
    assert set(row_counts(store_path).values()) == {0}


def test_failure_in_the_middle_of_a_save_rolls_everything_back(saved: Path) -> None:
    before = table_dump(saved)
    doc = synthetic_older_redaction(date(2024, 6, 1))
    doc.amendments.append(replace(doc.amendments[0], source="Сноска. Синтетическая запись, не из adilet."))
    # the act, the redaction and the amendments are written before this provision (whose older text
    # makes a version of its own) fails to serialise
    k = [i for i, p in enumerate(doc.provisions) if "оралман" in p.text][-1]
    doc.provisions[k] = replace(doc.provisions[k], ancestors=[object()])  # type: ignore[list-item]
    with Store(saved) as store, pytest.raises(StoreError, match="cannot store"):
        store.save_document(doc)
    assert table_dump(saved) == before


def test_an_acts_redactions_are_saved_all_or_none(store_path: Path) -> None:
    """save_documents: the current page and an older redaction in one transaction (the crawler's unit)."""
    older = synthetic_older_redaction(date(2024, 6, 1))
    k = [i for i, p in enumerate(older.provisions) if "оралман" in p.text][-1]
    older.provisions[k] = replace(older.provisions[k], ancestors=[object()])  # type: ignore[list-item]
    with Store(store_path) as store, pytest.raises(StoreError, match="cannot store"):
        store.save_documents([migration_law(), older])
    assert set(row_counts(store_path).values()) == {0}  # the good first page was rolled back too
    with Store(store_path) as store:
        stats = store.save_documents([migration_law(), synthetic_older_redaction(date(2024, 6, 1))])
        assert [s.redaction_new for s in stats] == [True, True]
        assert len(store.redactions(ACT)) == 2


_KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from dataclasses import replace
    from corpus.models import Provision
    from corpus.store import Store
    from tests.corpus import synthetic_older_redaction

    class Stalling(Provision):
        # reading the text inside save_document's transaction stalls: the parent kills us there
        def __getattribute__(self, name):
            if name == "text":
                print("in-transaction", flush=True)
                time.sleep(600)
            return super().__getattribute__(name)

    doc = synthetic_older_redaction()
    p = doc.provisions[300]
    doc.provisions[300] = Stalling(**{f: getattr(p, f) for f in p.__dataclass_fields__})
    doc.amendments.append(replace(doc.amendments[0], source="Сноска. Синтетическая запись, не из adilet."))
    Store(sys.argv[1]).save_document(doc)
    """
)


def test_writer_killed_mid_transaction_leaves_store_as_before(saved: Path) -> None:
    before = table_dump(saved)
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(saved)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line.strip() == "in-transaction", proc.stderr.read()  # type: ignore[union-attr]
        # the writer holds the write lock with rows of its transaction written
        with closing(sqlite3.connect(saved, timeout=0.2)) as db, pytest.raises(sqlite3.OperationalError):
            db.execute("BEGIN IMMEDIATE")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Store(saved) as store:
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(store.redactions(ACT)) == 1
    assert table_dump(saved) == before


# --- several redactions ---------------------------------------------------------------------------------


def _export(path: Path) -> str:
    buf = io.StringIO()
    with Store(path) as store:
        store.export_jsonl(buf)
    return buf.getvalue()


def test_redactions_in_any_order_give_the_same_timeline(tmp_path: Path) -> None:
    paths = []
    for name, docs in (
        ("in_order", [synthetic_older_redaction(OLDER), migration_law()]),
        ("current_first", [migration_law(), synthetic_older_redaction(OLDER)]),
    ):
        path = tmp_path / f"{name}.sqlite"
        with Store(path) as store:
            for doc in docs:
                store.save_document(doc)
        paths.append(path)
    assert _export(paths[0]) == _export(paths[1])

    with Store(paths[1]) as store:
        assert [r.valid_from for r in store.redactions(ACT)] == [OLDER, CURRENT]
        # art. 1 item 2: "оралманам" in the older redaction, "кандасам" in the current one; art. 1 was amended
        # several times in between (article-wide notes): the old wording is known until the first of them,
        # the new one from the last, and between them the wording is unknown
        v_old, v_new = store.provision_versions(ACT, "art_1__point_2")
        assert "оралманам" in v_old.text and "кандасам" in v_new.text
        assert v_old.valid_to is not None and v_new.valid_from is not None and v_new.valid_to is None
        assert OLDER < v_old.valid_to < v_new.valid_from <= CURRENT and v_new.unknown_from == v_old.valid_to
        assert v_old.valid_from is not None and v_old.valid_from <= OLDER
        # art. 48 item 1 did not change: one version; refined against the older page (amendments ≤ 2019)
        (same,) = store.provision_versions(ACT, "art_48__point_1")
        assert same.valid_to is None and same.valid_from is not None and same.valid_from <= OLDER
        assert same.valid_from == date(2017, 7, 22)  # Закон от 11.07.2017 № 91-VI (+ 10 days + 1), the last before 2019
        # point in time
        assert "оралманам" in store.provision_at(ACT, "art_1__point_2", date(2019, 6, 1)).text  # type: ignore[union-attr]
        assert store.provision_at(ACT, "art_1__point_2", date(2020, 1, 1)) is None
        assert store.wording_state(ACT, "art_1__point_2", date(2020, 1, 1)) == "unknown"
        assert "кандасам" in store.provision_at(ACT, "art_1__point_2", CURRENT).text  # type: ignore[union-attr]
        assert "кандасам" in store.provision_at(ACT, "art_1__point_2").text  # type: ignore[union-attr]
        assert store.provision_at(ACT, "art_1__point_2", date(1990, 1, 1)) is None
        d = store.diff(ACT, "art_1__point_2", date(2019, 6, 1), CURRENT)
        assert (d.from_version, d.to_version) == (v_old.version_id, v_new.version_id)
        assert [op for op in d.ops if op[0] != "equal"] == [("delete", "оралманам"), ("insert", "кандасам")]
        assert [(c.type, c.before, c.after) for c in d.changes] == [("term_replaced", "оралманам", "кандасам")]
        unknown = store.diff(ACT, "art_1__point_2", date(2020, 1, 1), CURRENT)  # no diff against an unknown text
        assert (unknown.from_state, unknown.to_state, unknown.ops, unknown.changes) == ("unknown", "known", [], [])
        changed = sum(1 for p in migration_law().provisions if "кандас" in p.text.lower())
        assert store.count_versions() == len(migration_law().provisions) + changed
        # on any date every provision of the act is either known or unknown (both redactions have them all)
        for day in (date(2019, 6, 1), date(2020, 1, 1), CURRENT):
            cov = store.coverage(day, [ACT])
            assert len(list(store.versions(ACT, at=day))) == cov.known
            assert cov.known + cov.unknown == len(migration_law().provisions)


def test_adding_an_older_redaction_reports_what_changed(saved: Path) -> None:
    with Store(saved) as store:
        stats = store.save_document(synthetic_older_redaction(OLDER))
        again = store.save_document(synthetic_older_redaction(OLDER))
    doc = migration_law()
    changed = sum(1 for p in doc.provisions if "кандас" in p.text.lower())
    assert stats.redaction_new and not again.redaction_new
    assert stats.provisions_added > changed  # the old texts + versions re-dated against the 2019 page
    assert stats.versions_removed + len(doc.provisions) + changed == stats.provisions_added + len(doc.provisions)
    assert (again.provisions_added, again.versions_removed, again.provisions_unchanged) == (0, 0, len(doc.provisions))


def test_undated_redaction_cannot_join_dated_ones(saved: Path) -> None:
    doc = migration_law()
    doc.redaction.valid_from = None
    with Store(saved) as store, pytest.raises(StoreError, match="undated"):
        store.save_document(doc)


def test_act_fields_come_from_the_newest_redaction(saved: Path) -> None:
    older = synthetic_older_redaction(OLDER)
    older.act.title = "О миграции населения (синтетический старый заголовок)"
    older.act.publication = "Синтетический источник опубликования"
    with Store(saved) as store:
        store.save_document(older)
        act = store.act(ACT)
    assert act is not None
    assert act.title == "О миграции населения"  # the current page wins
    assert act.publication == "Синтетический источник опубликования"  # the current page had none


def test_languages_keep_their_own_versions(saved: Path) -> None:
    """SYNTHETIC: the Russian page relabelled "kaz" stands in for the Kazakh page (same eids)."""
    kaz = migration_law()
    kaz.redaction.lang = "kaz"
    kaz.act.title = "Халықтың көші-қоны туралы"
    kaz.act.languages = ["kaz"]
    kaz.provisions = [replace(p, lang="kaz") for p in kaz.provisions]
    with Store(saved) as store:
        stats = store.save_document(kaz)
        assert stats.provisions_added == len(kaz.provisions) and stats.amendments_added == 0
        act = store.act(ACT)
        assert act is not None and act.title == "О миграции населения" and act.languages == ["rus", "kaz"]
        assert store.count_versions() == 2 * len(kaz.provisions)
        rus, kz = store.provision_at(ACT, "art_48"), store.provision_at(ACT, "art_48", lang="kaz")
        assert rus is not None and kz is not None and rus.version_id == kz.version_id and kz.lang == "kaz"
        assert [r.lang for r in store.redactions(ACT)] == ["kaz", "rus"]  # same date, by language
        assert len(list(store.versions(ACT, lang="kaz"))) == len(kaz.provisions)


# --- reads ---------------------------------------------------------------------------------------------------


def test_children_and_amendments_of_a_provision(saved: Path) -> None:
    with Store(saved) as store:
        kids = store.children(ACT, "art_48")
        assert [k.eid for k in kids][:3] == ["art_48__point_1", "art_48__point_2", "art_48__point_3"]
        assert [k.position for k in kids] == sorted(k.position for k in kids)
        top = store.children(ACT, None)
        assert top[0].eid == "preamble" and all(t.parent is None for t in top)
        assert store.children(ACT, "art_48", date(1990, 1, 1)) == []

        of_item = store.amendments(ACT, "art_48__point_1")
        assert of_item and all(a.eid in ("art_48", "art_48__point_1") for a in of_item)
        of_article = store.amendments(ACT, "art_48")
        assert set(map(repr, of_item)) <= set(map(repr, of_article))
        assert not [a for a in of_article if a.eid == "art_48-1"]  # art_48 is not a prefix of art_48-1
        dates = [a.effective_date or a.amending_act.date for a in store.amendments(ACT)]
        known = [d for d in dates if d is not None]
        assert known == sorted(known) and dates[: len(known)] == known  # date order, undated last
        assert store.amendments("Z0000000000") == []


def test_history_and_diff_errors(saved: Path) -> None:
    with Store(saved) as store:
        h = store.history(ACT, "art_48")
        assert h.versions == store.provision_versions(ACT, "art_48")
        assert [e.on for e in h.events if e.on] == sorted(e.on for e in h.events if e.on)
        assert {e.kind for e in h.events} == {"amendment", "version"}
        with pytest.raises(NotFoundError, match="art_999"):
            store.history(ACT, "art_999")
        with pytest.raises(NotFoundError, match="art_999"):
            store.diff(ACT, "art_999", date(2020, 1, 1), CURRENT)
        added = store.diff(ACT, "art_48", date(1990, 1, 1), CURRENT)  # not in force yet in 1990
        assert added.from_version is None and [op for op, _ in added.ops] == ["insert"]


def test_saving_while_a_versions_stream_is_open(saved: Path) -> None:
    newer = migration_law()
    newer.redaction.valid_from = date(2026, 1, 1)
    with Store(saved) as store:
        it = store.versions()
        next(it)
        stats = store.save_document(newer)  # commits with the stream's statement still open
        assert stats.redaction_new and stats.provisions_added == 0
        assert 1 + sum(1 for _ in it) == store.count_versions()


def test_versions_stream_and_count(saved: Path) -> None:
    with Store(saved) as store:
        it = store.versions()
        first = next(it)
        assert first.eid == "preamble"
        assert 1 + sum(1 for _ in it) == store.count_versions()
        assert list(store.versions(lang="kaz")) == []
        in_2012 = list(store.versions(at=date(2012, 1, 1)))
        assert in_2012 and all(v.valid_from <= date(2012, 1, 1) for v in in_2012)  # type: ignore[operator]


def test_table_of_contents_is_the_containers_in_document_order(saved: Path) -> None:
    with Store(saved) as store:
        toc = store.toc(ACT)
        every = [p for p in store.versions(ACT) if p.valid_to is None]
    assert [p.eid for p in toc] == [p.eid for p in every if p.kind in ("section", "chapter", "paragraph", "article")]
    assert {p.kind for p in toc} == {"chapter", "article"}
    assert sum(p.kind == "article" for p in toc) == 80  # the migration law's 80 articles (README table)
    assert toc[0].eid == "chp_1" and toc[1].eid == "art_1"
    assert [p.eid for p in toc].index("art_48") < [p.eid for p in toc].index("art_49")
    with Store(saved) as store:
        assert store.toc("Z0000000000") == []


# --- annotations and citations ---------------------------------------------------------------------------


def _annotation(version_id: str, pipeline: str = "p1", target_eid: str | None = "art_48") -> Annotation:
    text = "статьей 48 настоящего Закона"
    return Annotation(
        version_id=version_id,
        lemmas="статья 48 настоящий закон",
        tags=[Tag(id="expulsion", rule="expulsion.cue", rule_version="1", confidence=0.75)],
        citations=[Citation(0, len(text), text, target_act_id=ACT, target_eid=target_eid, resolved=True)],
        pipeline_version=pipeline,
    )


def test_annotations_roundtrip_and_citations_to(saved: Path) -> None:
    with Store(saved) as store:
        versions = list(store.versions(ACT))
        citing = next(v for v in versions if v.eid == "art_49")
        ann = _annotation(citing.version_id, target_eid="art_48__point_7")
        assert store.save_annotations([ann]) == 1
        assert store.annotation(citing.version_id) == ann
        assert store.annotation("Z1100000477/art_49@1900-01-01") is None
        assert list(store.annotations()) == [ann]
        assert store.annotations_of(ACT) == {citing.version_id: ann}
        assert store.annotations_of("K1400000226") == {}
        # by the item, by its article (enclosing), not by a sibling
        for eid in ("art_48__point_7", "art_48"):
            assert store.citations_to(ACT, eid) == [(citing.version_id, ann.citations[0])]
        assert store.citations_to(ACT, "art_48__point_1") == []
        assert store.citations_to("K1400000226", "art_48") == []

        todo = list(store.unannotated("p1"))
        assert len(todo) == len(versions) - 1 and citing.version_id not in {v.version_id for v in todo}
        assert len(list(store.unannotated("p2"))) == len(versions)

        replaced = _annotation(citing.version_id, target_eid=None)
        store.save_annotations([replaced])
        assert store.citations_to(ACT, "art_48") == []
        store.clear_annotations()
        assert store.annotation(citing.version_id) is None
    assert row_counts(saved)["citations"] == 0


def test_annotation_of_unknown_version_saves_nothing(saved: Path) -> None:
    with Store(saved) as store:
        good = _annotation(store.provision_at(ACT, "art_49").version_id)  # type: ignore[union-attr]
        with pytest.raises(StoreError, match="art_4000"):
            store.save_annotations([good, _annotation(f"{ACT}/art_4000@2020-01-01")])
    assert row_counts(saved)["annotations"] == 0


def test_annotating_while_iterating_unannotated(saved: Path) -> None:
    with Store(saved) as store:
        assert store.count_unannotated("p1") == store.count_versions() > 0
        batch: list[Annotation] = []
        for v in store.unannotated("p1", batch=100):
            batch.append(Annotation(version_id=v.version_id, lemmas=v.text.lower(), pipeline_version="p1"))
            if len(batch) == 64:
                store.save_annotations(batch)
                batch.clear()
        store.save_annotations(batch)
        assert list(store.unannotated("p1")) == [] and store.count_unannotated("p1") == 0
        assert store.count_unannotated("p2") == store.count_versions()  # per pipeline version
        assert sum(1 for _ in store.annotations()) == store.count_versions()


def test_annotations_follow_their_versions(saved: Path) -> None:
    with Store(saved) as store:
        store.save_annotations(_annotation(v.version_id) for v in store.versions())
        preamble = store.provision_at(ACT, "preamble")
        store.save_document(synthetic_older_redaction(OLDER))
        live = {v.version_id for v in store.versions()}
        annotated = {a.version_id for a in store.annotations()}
        assert annotated <= live  # annotations of re-dated versions went with them
        assert preamble is not None and preamble.version_id in annotated  # unchanged version kept its annotation
        assert {v.version_id for v in store.unannotated("p1")} == live - annotated
    counts = row_counts(saved)
    assert counts["citations"] == counts["annotations"]


def test_store_usable_from_another_thread(saved: Path) -> None:
    import threading

    out: list[int] = []
    with Store(saved) as store:
        t = threading.Thread(target=lambda: out.append(store.count_versions()))
        t.start()
        t.join()
    assert out == [len(migration_law().provisions)]


def test_document_type_is_checked(store_path: Path) -> None:
    doc: ParsedDocument = migration_law()
    doc.act.id = ""
    with Store(store_path) as store, pytest.raises(StoreError, match="act id"):
        store.save_document(doc)


def test_every_language_is_recomputed_whatever_order_pages_come_in(tmp_path: Path) -> None:
    """The bundled migration law: its Kazakh redaction (14.07.2022, paired with the Russian one of that day)
    saved first or last gives the same store; the Kazakh versions take the dates of their Russian pair."""
    from ingest.bundled import MANIFEST, parse_bundled

    docs = parse_bundled(next(e for e in MANIFEST if e.act_id == ACT))
    kaz = [d for d in docs if d.redaction.lang == "kaz"]
    rus = [d for d in docs if d.redaction.lang == "rus"]
    paths = []
    for name, order in (("rus_first", rus + kaz), ("kaz_first", kaz + list(reversed(rus)))):
        path = tmp_path / f"{name}.sqlite"
        with Store(path) as store:
            for doc in order:
                store.save_document(doc)
        paths.append(path)

    def versions(path: Path) -> list[str]:  # (the act's info and the notes' wording keep what came first)
        return [line for line in _export(path).splitlines() if '"type":"provision"' in line]

    assert versions(paths[0]) == versions(paths[1]) and len(versions(paths[0])) > 1500
    with Store(paths[1]) as store:
        for eid in ("art_48", "art_48__point_1", "art_1__point_2"):
            k = store.provision_at(ACT, eid, date(2023, 1, 1), "kaz")
            r = store.provision_at(ACT, eid, date(2023, 1, 1), "rus")
            assert k is not None and r is not None and (k.valid_from, k.valid_to) == (r.valid_from, r.valid_to), eid
        cov = store.coverage(date(2023, 1, 1), [ACT], "kaz")
        assert cov.known == sum(1 for _ in store.versions(ACT, at=date(2023, 1, 1), lang="kaz"))
        # since the Russian wordings changed (2024 …) the Kazakh ones of then are not known
        later = store.coverage(date(2026, 1, 1), [ACT], "kaz")
        assert later.known < cov.known and later.unknown > 0


def test_a_schema_4_store_gains_law_in_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written before migration 5: its versions get a coverage table from what they are, and the
    new columns their defaults (an exact start, nothing unknown) until the act is saved again."""
    from corpus import schema

    path = tmp_path / "old.sqlite"
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:4])
    with closing(sqlite3.connect(path)) as db:
        for _, ddl in schema.MIGRATIONS:
            for stmt in schema.statements(ddl):
                db.execute(stmt)
        db.execute("PRAGMA user_version = 4")
        db.execute("INSERT INTO acts (id, title, status, languages, info) VALUES (?, 'О миграции', 'in_force', "
                   "'[\"rus\"]', '{}')", (ACT,))
        for eid, start, end in (("art_48", "2011-07-22", "2024-05-16"), ("art_48", "2024-05-16", None),
                                ("art_49", "2011-07-22", None)):
            db.execute("INSERT INTO provisions (act_id, lang, eid, valid_from, valid_to, since, version_id, kind, "
                       "text, ancestors, position, text_hash) VALUES (?, 'rus', ?, ?, ?, ?, ?, 'article', '…', '[]', "
                       "0, 'h')", (ACT, eid, start, end, start, f"{ACT}/{eid}@{start}"))
        db.commit()
    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version == schema.SCHEMA_VERSION
        assert store.coverage(date(2020, 1, 1)) == Coverage(known=2, unknown=0)
        assert store.coverage(date(2000, 1, 1)) == Coverage(known=0, unknown=0)
        p = store.provision_at(ACT, "art_48", date(2020, 1, 1))
        assert p is not None and p.valid_from_exact and p.unknown_from is None


def test_an_amending_act_with_its_publication_date_makes_its_changes_exact(saved: Path) -> None:
    """Art. 48 was last changed by Закон от 16.05.2024 № 82-VIII ("по истечении десяти календарных дней после
    дня его первого официального опубликования"). Once the store holds that act with its publication date (as
    its /info page gives it), the change is dated exactly: publication + 10 days + 1. The amending act here is
    SYNTHETIC (one made-up provision, and a made-up publication date); the rule and the amended act are real."""
    with Store(saved) as store:
        before = store.provision_at(ACT, "art_48")
        assert before is not None and (before.valid_from, before.valid_from_exact) == (date(2024, 5, 27), False)
        amending = ParsedDocument(
            act=Act(id="Z2400000082", kind="закон", title="О внесении изменений … по вопросам миграции (синтетический)",
                    number="82-VIII", adopted=date(2024, 5, 16), status="in_force", published=date(2024, 5, 18)),
            redaction=Redaction("Z2400000082", valid_from=date(2024, 5, 16)),
            provisions=[Provision("Z2400000082", "art_1", "article", "1", text="Синтетический текст.")],
        )
        store.save_document(amending)
        after = store.provision_at(ACT, "art_48")
        assert after is not None and (after.valid_from, after.valid_from_exact) == (date(2024, 5, 29), True)
        assert "first official publication 18.05.2024" in (after.valid_from_rule or "")
        assert store.wording_state(ACT, "art_48", date(2024, 5, 28)) == "unknown"  # the earlier one is not held


def test_coverage_in_a_language_the_act_has_no_text_in(saved: Path) -> None:
    """The migration law saved in Russian only: every provision in force has an unknown Kazakh wording."""
    with Store(saved) as store:
        rus = store.coverage(CURRENT, [ACT])
        assert rus.known > 0 and store.coverage(CURRENT, [ACT], "kaz") == Coverage(0, rus.known + rus.unknown)
        assert store.coverage(CURRENT, ["Z0000000000"]) == Coverage(0, 0)  # an act the store does not hold
