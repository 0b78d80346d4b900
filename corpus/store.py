"""The corpus store: one SQLite file holding acts, redactions, provision versions, amendments and
annotations (docs/design.md §1, §3).

- Schema: ``corpus.schema`` (numbered migrations applied in order at open; version in
  ``PRAGMA user_version``). WAL journal, foreign keys on.
- Every write method is ONE transaction (``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any
  exception): an ingest killed halfway leaves the store as it was before that call.
- Writes are upserts keyed by ids (act id; act/lang/date of a redaction; lang + version id of a
  provision version; the natural key of an amendment), so saving the same document twice changes
  nothing.
- Provision validity (действие во времени) is computed by ``corpus.timeline`` from all redactions
  of the act each time one is saved, so redactions may arrive in any order. An excerpt (a redaction
  with a ``scope``) speaks only for the provisions in it (timeline rule 8); it may not share its
  date with another redaction of other scope, and never overwrites the act's fields.
- Act fields come from the newest redaction (Russian first): saving an older or other-language page
  only fills fields the act lacks.
- One Store may be shared by threads (each call holds a lock); ``versions()`` and ``annotations()``
  stream from their own cursor, ``unannotated()`` in batches so the caller may write meanwhile.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from corpus import exchange, schema
from corpus.changes import subtree_diff
from corpus.dating import DatingContext, act_key
from corpus.models import (
    ACT_STATUSES,
    AMENDMENT_SOURCES,
    AMENDMENT_VERBS,
    PROVISION_KINDS,
    Act,
    AmendingAct,
    Amendment,
    Annotation,
    CausedBy,
    Citation,
    EffectiveRule,
    ParsedDocument,
    Provision,
    Redaction,
    RightLink,
    from_json,
    to_dict,
)
from corpus.timeline import (
    Coverage,
    History,
    Snapshot,
    TimelineError,
    Version,
    VersionDiff,
    align_versions,
    build_history,
    compute_versions,
    content_hash,
    coverage_steps,
    redaction_members,
    version_diff,
)
from legal.eid import Eid, EidError

__all__ = [
    "NotFoundError", "SaveStats", "Store", "StoreError", "StoreMissingError", "drop_old_generations",
    "new_generation", "publish_generation",
]


class StoreError(Exception):
    """A store file that cannot be used, input that cannot be stored, or a corrupt JSONL line."""


class NotFoundError(StoreError):
    """The act or provision asked for is not in the store."""


class StoreMissingError(StoreError):
    """No store file where one was to be read (``migralex build`` makes it)."""


@dataclass
class SaveStats:
    """What one ``save_document`` changed."""

    act_id: str
    provisions_added: int  # version rows that did not exist before
    provisions_unchanged: int  # provisions of the page whose version was already stored as is
    amendments_added: int
    redaction_new: bool
    versions_removed: int = 0  # version rows replaced by the recomputation (e.g. split or re-dated)


def _iso(d: date | datetime | None) -> str | None:
    return d.isoformat() if d is not None else None


@lru_cache(maxsize=65536)
def _date(s: str | None) -> date | None:
    # cached: a corpus has few distinct dates and millions of rows carrying them
    return date.fromisoformat(s) if s else None


@lru_cache(maxsize=65536)
def _headings(s: str) -> tuple[str, ...]:
    # ancestors' headings repeat for every item of an article; callers get a fresh list
    return tuple(json.loads(s))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def amendment_key(a: Amendment) -> tuple[str, str]:
    """(natural key, source hash) of an amendment record.

    Key: act, eid, verb, amending act (number, date) and source kind. A footnote grows from one
    redaction to the next ("с изменениями, внесенными законами от A; от B" gains "; от C"), so the
    same amendment read from an older and a newer page must get the same key: the note's text only
    enters the key when the amending act is unknown (neither number nor date), with spaces folded.
    """
    source_hash = hashlib.sha256(" ".join(a.source.split()).encode("utf-8")).hexdigest()
    known_act = a.amending_act.number is not None or a.amending_act.date is not None
    parts = (
        a.act_id,
        a.eid or "",
        a.verb,
        a.amending_act.number or "",
        _iso(a.amending_act.date) or "",
        a.source_kind,
        "" if known_act else source_hash,
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest(), source_hash


#: Columns of one table, in ONE list each: SELECTs, INSERTs, UPDATEs and the JSONL import are built
#: from these names, and rows are read by name (sqlite3.Row), never by position.
PROVISION_COLUMNS: tuple[str, ...] = (
    "act_id", "lang", "eid", "valid_from", "valid_to", "since", "version_id", "kind", "number", "heading", "text",
    "parent", "ancestors", "position", "text_hash", "repealed", "through", "valid_from_exact", "valid_from_rule",
    "unknown_from", "anchor",
)  # fmt: skip
AMENDMENT_COLUMNS: tuple[str, ...] = (
    "act_id", "eid", "verb", "amending_number", "amending_date", "amending_id", "amending_kind", "effective_text",
    "effective_date", "source", "source_kind", "new_words", "effective_rule",
)  # fmt: skip
ACT_COLUMNS: tuple[str, ...] = (
    "id", "kind", "title", "number", "adopted", "status", "languages", "source_url", "publication", "info",
    "published", "in_force_from", "in_force_exact", "in_force_rule", "in_force_exceptions",
)  # fmt: skip
#: The act's entry into force: filled together from one source (never mixed from two redactions).
_IN_FORCE_COLUMNS: tuple[str, ...] = ("in_force_from", "in_force_exact", "in_force_rule", "in_force_exceptions")
_PCOLS = ", ".join(PROVISION_COLUMNS)
_ACOLS = ", ".join(AMENDMENT_COLUMNS)
#: Provision kinds listed in a table of contents.
TOC_KINDS: tuple[str, ...] = ("section", "chapter", "paragraph", "article")
_ADATE = "coalesce(effective_date, amending_date)"
_AORDER = f"{_ADATE} IS NULL, {_ADATE}, eid, verb, natural_key"
_ACT_FIELDS = ACT_COLUMNS[1:]


#: How telling an effective rule is (corpus.models.EFFECTIVE_KINDS), for merging two readings of one amendment.
_RULE_RANK = (
    "CASE json_extract({r}, '$.kind') WHEN 'date' THEN 5 WHEN 'publication' THEN 4 WHEN 'event' THEN 3"
    " WHEN 'reference' THEN 2 WHEN 'unknown' THEN 1 ELSE 0 END"
)
_NEW_RANK, _OLD_RANK = _RULE_RANK.format(r="excluded.effective_rule"), _RULE_RANK.format(r="effective_rule")
_NEW_RULE_WINS = (
    f"(effective_rule IS NULL OR (excluded.effective_rule IS NOT NULL AND ({_NEW_RANK} > {_OLD_RANK}"
    f" OR ({_NEW_RANK} = {_OLD_RANK} AND excluded.effective_rule > effective_rule))))"
)


def _insert(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (a, b) VALUES (:a, :b)`` for named parameters."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"


def _assignments(columns: Sequence[str], source: str = ":") -> str:
    """``a=:a, b=:b`` (or ``a=excluded.a`` …) for UPDATE / ON CONFLICT clauses."""
    return ", ".join(f"{c}={source}{c}" for c in columns)


def _provision(row: sqlite3.Row) -> Provision:
    return Provision(
        act_id=row["act_id"],
        lang=row["lang"],
        eid=row["eid"],
        valid_from=_date(row["valid_from"]),
        valid_to=_date(row["valid_to"]),
        kind=row["kind"],
        number=row["number"],
        heading=row["heading"],
        text=row["text"],
        parent=row["parent"],
        ancestors=list(_headings(row["ancestors"])),
        position=row["position"],
        repealed=bool(row["repealed"]),
        valid_from_exact=bool(row["valid_from_exact"]),
        valid_from_rule=row["valid_from_rule"],
        unknown_from=_date(row["unknown_from"]),
        anchor=row["anchor"],
    )


def _provision_params(
    p: Provision, since: date | None, text_hash: str, through: date | None = None
) -> dict[str, Any]:
    return {
        "act_id": p.act_id,
        "lang": p.lang,
        "eid": p.eid,
        "valid_from": _iso(p.valid_from),
        "valid_to": _iso(p.valid_to),
        "since": _iso(since),
        "version_id": p.version_id,
        "kind": p.kind,
        "number": p.number,
        "heading": p.heading,
        "text": p.text,
        "parent": p.parent,
        "ancestors": _json(p.ancestors),
        "position": p.position,
        "text_hash": text_hash,
        "repealed": int(p.repealed),
        "through": _iso(through),
        "valid_from_exact": int(p.valid_from_exact),
        "valid_from_rule": p.valid_from_rule,
        "unknown_from": _iso(p.unknown_from),
        "anchor": p.anchor,
    }


def _amendment(row: sqlite3.Row) -> Amendment:
    return Amendment(
        act_id=row["act_id"],
        eid=row["eid"],
        verb=row["verb"],
        amending_act=AmendingAct(
            number=row["amending_number"], date=_date(row["amending_date"]), id=row["amending_id"],
            kind=row["amending_kind"],
        ),
        effective_text=row["effective_text"],
        effective_date=_date(row["effective_date"]),
        effective_rule=_rule(row["effective_rule"]),
        source=row["source"],
        source_kind=row["source_kind"],
        new_words=json.loads(row["new_words"]),
    )


@lru_cache(maxsize=4096)
def _rule(s: str | None) -> EffectiveRule | None:
    # frozen and shared: thousands of amendments carry a handful of distinct rules
    return from_json(EffectiveRule, s) if s else None


def _rule_json(rule: EffectiveRule | None) -> str | None:
    return _json(to_dict(rule)) if rule is not None else None


def _amendment_params(a: Amendment, natural_key: str, source_hash: str) -> dict[str, Any]:
    m = a.amending_act
    return {
        "natural_key": natural_key,
        "act_id": a.act_id,
        "eid": a.eid,
        "verb": a.verb,
        "amending_number": m.number,
        "amending_date": _iso(m.date),
        "amending_id": m.id,
        "amending_kind": m.kind,
        "effective_text": a.effective_text,
        "effective_date": _iso(a.effective_date),
        "source": a.source,
        "source_kind": a.source_kind,
        "new_words": _json(a.new_words),
        "effective_rule": _rule_json(a.effective_rule),
        "source_hash": source_hash,
    }


def _act(row: sqlite3.Row) -> Act:
    return Act(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        number=row["number"],
        adopted=_date(row["adopted"]),
        status=row["status"],
        languages=json.loads(row["languages"]),
        source_url=row["source_url"],
        publication=row["publication"],
        info=json.loads(row["info"]),
        published=_date(row["published"]),
        in_force_from=_date(row["in_force_from"]),
        in_force_exact=bool(row["in_force_exact"]),
        in_force_rule=_rule(row["in_force_rule"]),
        in_force_exceptions={k: date.fromisoformat(v) for k, v in json.loads(row["in_force_exceptions"]).items()},
    )


def _act_params(act: Act) -> dict[str, Any]:
    return {
        "id": act.id,
        "kind": act.kind,
        "title": act.title,
        "number": act.number,
        "adopted": _iso(act.adopted),
        "status": act.status,
        "languages": _json(act.languages),
        "source_url": act.source_url,
        "publication": act.publication,
        "info": _json(act.info),
        "published": _iso(act.published),
        "in_force_from": _iso(act.in_force_from),
        "in_force_exact": int(act.in_force_exact),
        "in_force_rule": _rule_json(act.in_force_rule),
        "in_force_exceptions": _json({k: v.isoformat() for k, v in sorted(act.in_force_exceptions.items())}),
    }


REDACTION_COLUMNS: tuple[str, ...] = (
    "act_id", "lang", "valid_from", "url", "fetched_at", "content_hash", "caused_by", "scope", "date_source",
)  # fmt: skip


def _redaction(row: sqlite3.Row) -> Redaction:
    return Redaction(
        act_id=row["act_id"],
        lang=row["lang"],
        valid_from=_date(row["valid_from"]),
        url=row["url"],
        fetched_at=datetime.fromisoformat(row["fetched_at"]) if row["fetched_at"] else None,
        content_hash=row["content_hash"],
        caused_by=from_json(CausedBy, row["caused_by"]) if row["caused_by"] else None,
        scope=json.loads(row["scope"]) if row["scope"] is not None else None,
        date_source=row["date_source"],
    )


def _redaction_params(red: Redaction) -> dict[str, Any]:
    return {
        "act_id": red.act_id,
        "lang": red.lang,
        "valid_from": _iso(red.valid_from),
        "vf_key": _iso(red.valid_from) or "",
        "url": red.url,
        "fetched_at": _iso(red.fetched_at),
        "content_hash": red.content_hash,
        "caused_by": _json(to_dict(red.caused_by)) if red.caused_by is not None else None,
        "scope": _json(red.scope) if red.scope is not None else None,
        "date_source": red.date_source,
    }


def _around(eid: str) -> tuple[list[str], str]:
    """The eids enclosing ``eid`` (itself included) and the prefix of its descendants' eids, for the
    "touches this provision" lookups (an unparsable eid → NotFoundError)."""
    try:
        parsed = Eid.parse(eid)
    except EidError as e:
        raise NotFoundError(str(e)) from e
    return [str(e) for e in parsed.enclosing()], parsed.descendant_prefix


@dataclass
class _StoredVersion:
    """A provision version row as read back while recomputing an act's versions."""

    row_id: int
    version: Version
    row: dict[str, Any]  # column → stored value, compared with the recomputed row


def _in_force(at: date | None) -> tuple[str, tuple[Any, ...]]:
    """SQL condition (and its parameters) for versions in force on ``at`` (None: the newest ones).

    An undated version (only an undated single redaction yields one) counts as in force since ever.
    """
    if at is None:
        return "valid_to IS NULL", ()
    iso = at.isoformat()
    return "(valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to > ?)", (iso, iso)


@dataclass(frozen=True)
class _RightRow:
    """One right link of one provision version, as the rights index keeps it."""

    provision_id: int
    lang: str
    valid_from: str | None
    valid_to: str | None
    link: RightLink


def _valid_on(valid_from: str | None, valid_to: str | None, at: date) -> bool:
    iso = at.isoformat()
    return (valid_from is None or valid_from <= iso) and (valid_to is None or valid_to > iso)


_NEVER, _FOREVER = "", "~"  # ISO dates compare as text: "" sorts before, "~" after every date


def _window(start: date | None, end: date | None) -> tuple[str, str]:
    """``[start, end)`` as ISO text, None ends open."""
    return (start.isoformat() if start else _NEVER), (end.isoformat() if end else _FOREVER)


@dataclass
class _ActSpans:
    """One act's provision eids with the ``[valid_from, valid_to)`` of each version (ISO text)."""

    by_eid: dict[str, list[tuple[str, str]]]
    wording: list[tuple[str, str]]  # the union of all versions' periods, merged

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str | None, str | None]]) -> _ActSpans:
        by_eid: dict[str, list[tuple[str, str]]] = {}
        for eid, vf, vt in rows:
            by_eid.setdefault(eid, []).append((vf or _NEVER, vt or _FOREVER))
        merged: list[tuple[str, str]] = []
        for lo, hi in sorted(span for spans in by_eid.values() for span in spans):
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        return cls(by_eid, merged)

    def has(self, eid: str | None, start: date | None, end: date | None) -> bool:
        lo, hi = _window(start, end)
        spans = self.wording if eid is None else self.by_eid.get(eid, ())
        return any(vf < hi and lo < vt for vf, vt in spans)


class Store:
    """One SQLite corpus file. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        """Open (and create or migrate) the store at ``path``. ``readonly`` opens an existing store for
        reading only, as the server does: it never creates a file, never migrates, never writes (a
        missing store → :class:`StoreMissingError`)."""
        self.path = Path(path)
        self.readonly = readonly
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a store file")
        self._lock = threading.RLock()
        # the resolver's per-act eid index (provision_in_force): loaded once per act, dropped on every write of acts
        self._spans: dict[tuple[str, str], _ActSpans] = {}
        # the rights view's index of right links by right id (right_links): built by one query, rebuilt when
        # this connection writes annotations or another one commits (PRAGMA data_version)
        self._rights: tuple[int, dict[str, list[_RightRow]]] | None = None
        self._coverage: tuple[int, dict[tuple[str, str], tuple[list[date], list[int], list[int]]]] | None = None
        try:
            if readonly:
                if not self.path.exists():
                    raise StoreMissingError(f"no corpus store at {self.path}: run `migralex build` first")
                self.inode = self.path.stat().st_ino  # of the file a symlinked store points to now
                uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
            else:
                # autocommit mode: transactions are explicit (BEGIN IMMEDIATE in _tx)
                self._db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30, check_same_thread=False)
                self.inode = self.path.stat().st_ino
            self._db.row_factory = sqlite3.Row
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"{self.path}: cannot open the store: {e}") from e
        try:
            if readonly:
                self._db.execute("PRAGMA query_only = ON")
                self.schema_version = self._user_version(self._db)
                if self.schema_version != schema.SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path}: store schema version {self.schema_version}, this code reads version"
                        f" {schema.SCHEMA_VERSION}: run `migralex build` to migrate or rebuild it"
                    )
                return
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self.schema_version = self._migrate()
        except sqlite3.DatabaseError as e:
            self._db.close()
            raise StoreError(f"{self.path}: not a SQLite store file ({e})") from e
        except StoreError:
            self._db.close()
            raise

    # --- lifecycle -----------------------------------------------------------------------------

    def _migrate(self) -> int:
        current = self._user_version(self._db)
        if current > schema.SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {current} is newer than this code's version "
                f"{schema.SCHEMA_VERSION}; upgrade migralex to open it"
            )
        # a store older than the coverage table (migration 5) gets its coverage from its versions, read once
        # every column they are read with exists: in the last migration's transaction
        needs_coverage = 0 < current < 5
        last = schema.MIGRATIONS[-1][0]
        for number, ddl in schema.MIGRATIONS:
            if number <= current:
                continue
            with self._tx() as db:
                # re-read under the write lock: another process may have migrated meanwhile
                now = self._user_version(db)
                if now >= number:
                    continue
                if now == 0 and db.execute("SELECT count(*) AS n FROM sqlite_master").fetchone()["n"]:
                    raise StoreError(f"{self.path}: a SQLite file with other tables, not a MigraLex store")
                try:
                    for stmt in schema.statements(ddl):
                        db.execute(stmt)
                except sqlite3.Error as e:
                    raise StoreError(f"{self.path}: schema migration {number} failed (store left at {now}): {e}") from e
                if needs_coverage and number == last:
                    self._rebuild_coverage(db)
                db.execute(f"PRAGMA user_version = {int(number)}")
        return self._user_version(self._db)

    @staticmethod
    def _user_version(db: sqlite3.Connection) -> int:
        return int(db.execute("PRAGMA user_version").fetchone()["user_version"])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any exception rolls it back and propagates."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:  # SQLite may have rolled back already (disk full, I/O error)
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self._coverage = None  # our own commits do not move PRAGMA data_version

    # --- writes --------------------------------------------------------------------------------

    def save_document(self, doc: ParsedDocument) -> SaveStats:
        """Store one parsed page (act, redaction, provisions, amendments) and recompute the act's
        provision versions in the page's language. One transaction."""
        _check_document(doc)
        self._spans.clear()
        self._rights = None
        try:
            with self._tx() as db:
                return self._save_document(db, doc)
        except TimelineError as e:
            raise StoreError(str(e)) from e
        except (TypeError, ValueError) as e:  # e.g. a field that does not serialise
            raise StoreError(f"act {doc.act.id}: cannot store the document: {e}") from e
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: act {doc.act.id}: {e}") from e

    def save_documents(self, docs: Sequence[ParsedDocument]) -> list[SaveStats]:
        """Store several pages (e.g. every redaction of one act) in ONE transaction: all or none."""
        for doc in docs:
            _check_document(doc)
        act = ", ".join(sorted({d.act.id for d in docs}))
        self._spans.clear()
        self._rights = None
        try:
            with self._tx() as db:
                return [self._save_document(db, doc) for doc in docs]
        except TimelineError as e:
            raise StoreError(str(e)) from e
        except (TypeError, ValueError) as e:
            raise StoreError(f"act {act}: cannot store the documents: {e}") from e
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: act {act}: {e}") from e

    def _save_document(self, db: sqlite3.Connection, doc: ParsedDocument) -> SaveStats:
        act, red = doc.act, doc.redaction
        lang, vf = red.lang, red.valid_from
        scopes: dict[date | None, list[str] | None] = {  # every stored redaction of this act/lang → its scope
            _date(r["valid_from"]): json.loads(r["scope"]) if r["scope"] is not None else None
            for r in db.execute("SELECT valid_from, scope FROM redactions WHERE act_id=? AND lang=?", (act.id, lang))
        }
        dated = list(scopes)
        if red.scope is not None and vf in scopes and scopes[vf] != red.scope:
            what = "the whole act" if scopes[vf] is None else f"an excerpt of {', '.join(scopes[vf] or [])}"
            raise StoreError(
                f"act {act.id} ({lang}): an excerpt ({', '.join(red.scope)}) valid from {vf} cannot join the "
                f"stored redaction of that date, which is {what}"
            )
        newest = all(d is None or (vf is not None and d <= vf) for d in dated)
        has_rus = bool(db.execute("SELECT 1 FROM redactions WHERE act_id=? AND lang='rus'", (act.id,)).fetchone())
        # an excerpt only fills what the act lacks: its metadata may describe a part (a chapter's title)
        self._upsert_act(db, act, overwrite=newest and red.scope is None and (lang == "rus" or not has_rus))

        redaction_new = vf not in scopes
        self._upsert_redaction(db, red)

        known = {r["natural_key"] for r in db.execute("SELECT natural_key FROM amendments WHERE act_id=?", (act.id,))}
        keyed = [(amendment_key(a), a) for a in doc.amendments]
        added_keys = {k for (k, _), _a in keyed} - known
        for key, a in keyed:
            self._upsert_amendment(db, a, key)
        stats = self._recompute(db, act.id, doc)
        if act.published is not None:
            # an amending act with its publication date: the acts it amended date its changes exactly now
            for other in self._amended_by(db, act):
                self._recompute(db, other)
        return SaveStats(
            act_id=act.id,
            provisions_added=stats.provisions_added,
            provisions_unchanged=stats.provisions_unchanged,
            amendments_added=len(added_keys),
            redaction_new=redaction_new,
            versions_removed=stats.versions_removed,
        )

    @staticmethod
    def _amended_by(db: sqlite3.Connection, act: Act) -> list[str]:
        """The other acts of the store with an amendment made by ``act`` (by id, or number and date)."""
        rows = db.execute(
            "SELECT DISTINCT act_id FROM amendments WHERE act_id != ? AND (amending_id = ? OR"
            " (amending_number = ? AND amending_date = ?))",
            (act.id, act.id, act.number, _iso(act.adopted)),
        )
        return [r["act_id"] for r in rows]

    def _dating(self, db: sqlite3.Connection) -> DatingContext:
        """What the store knows beyond the notes (corpus.dating): publication dates of the acts it holds,
        and the version dates of the reference bank's redactions, by the amending act that caused them."""
        published: dict[str, date] = {}
        for r in db.execute("SELECT id, number, adopted, published FROM acts WHERE published IS NOT NULL"):
            when = _date(r["published"])
            assert when is not None
            published[r["id"]] = when
            if (key := act_key(r["number"], _date(r["adopted"]))) is not None:
                published[key] = when
        bank: dict[tuple[str, str], date] = {}
        for r in db.execute(
            "SELECT act_id, valid_from, caused_by FROM redactions WHERE caused_by IS NOT NULL"
            " AND valid_from IS NOT NULL AND (date_source IS NULL OR date_source = 'version')"
        ):
            cb = from_json(CausedBy, r["caused_by"])
            when = _date(r["valid_from"])
            if (key := act_key(cb.number, cb.date)) is not None and when is not None:
                bank[(r["act_id"], key)] = when
        return DatingContext(published=published, bank_versions=bank)

    def _recompute(self, db: sqlite3.Connection, act_id: str, page: ParsedDocument | None = None) -> SaveStats:
        """Recompute every language's versions of an act from its stored redactions (and ``page``, the
        redaction being saved, whose provisions replace the stored ones of its date): Russian first, the
        other languages aligned with it (corpus.timeline rule 12), whatever order pages came in. Writes
        only the rows that changed, and the act's coverage."""
        row = db.execute(f"SELECT {', '.join(ACT_COLUMNS)} FROM acts WHERE id=?", (act_id,)).fetchone()
        act = _act(row)
        amendments = self._amendments_in(db, act_id)
        dating = self._dating(db)
        reds = [_redaction(r) for r in db.execute(
            f"SELECT {', '.join(REDACTION_COLUMNS)} FROM redactions WHERE act_id=?", (act_id,)
        )]
        langs = sorted({r.lang for r in reds}, key=lambda lang: (lang != "rus", lang))
        rus_dates = {r.valid_from for r in reds if r.lang == "rus" and r.valid_from is not None}
        total = SaveStats(act_id, 0, 0, 0, False, 0)
        primary: list[Version] | None = None
        for lang in langs:
            mine = page if page is not None and page.redaction.lang == lang else None
            versions, stats = self._recompute_lang(db, act, lang, [r for r in reds if r.lang == lang], amendments,
                                                   dating, mine, primary, rus_dates)
            if lang == "rus":
                primary = versions
            total.provisions_added += stats.provisions_added
            total.provisions_unchanged += stats.provisions_unchanged
            total.versions_removed += stats.versions_removed
        return total

    def _recompute_lang(
        self,
        db: sqlite3.Connection,
        act: Act,
        lang: str,
        reds: list[Redaction],
        amendments: list[Amendment],
        dating: DatingContext,
        page: ParsedDocument | None,
        primary: list[Version] | None,
        rus_dates: set[date],
    ) -> tuple[list[Version], SaveStats]:
        vf = page.redaction.valid_from if page is not None else None
        vf_key = _iso(vf) or ""
        existing: dict[str, _StoredVersion] = {}  # by version id
        for r in db.execute(f"SELECT id, {_PCOLS} FROM provisions WHERE act_id=? AND lang=?", (act.id, lang)):
            v = Version(_provision(r), since=_date(r["since"]), text_hash=r["text_hash"], through=_date(r["through"]))
            existing[r["version_id"]] = _StoredVersion(r["id"], v, {c: r[c] for c in PROVISION_COLUMNS})
        stored = [e.version for e in existing.values()]
        snapshots = [
            Snapshot(red.valid_from, redaction_members(stored, red.valid_from, red.scope), red.scope, red.caused_by,
                     red.date_source)
            for red in reds
            if page is None or (_iso(red.valid_from) or "") != vf_key
        ]
        if page is not None:
            r = page.redaction
            snapshots.append(Snapshot(vf, page.provisions, r.scope, r.caused_by, r.date_source))
        versions = compute_versions(snapshots, amendments, act.adopted, act_id=act.id, act=act, dating=dating)
        if lang != "rus" and primary is not None:
            versions = align_versions(primary, versions, {r.valid_from for r in reds if r.valid_from in rus_dates})

        old_hash = {vid: e.version.text_hash for vid, e in existing.items()}
        new_hash = {v.provision.version_id: v.text_hash for v in versions}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        stale: list[tuple[int]] = []
        page_version: dict[str, str] = {}  # eid → version id holding this page's text
        for v in versions:
            p = v.provision
            vid = p.version_id
            holds = vf is None or (v.since is not None and v.since <= vf and (v.through is None or vf <= v.through))
            if page is not None and holds and page.redaction.covers(p.eid):
                page_version[p.eid] = vid
            params = _provision_params(p, v.since, v.text_hash, v.through)
            old = existing.pop(vid, None)
            if old is None:
                inserts.append(params)
            elif old.row != params:
                updates.append({**params, "id": old.row_id})
                if old.version.text_hash != v.text_hash:
                    stale.append((old.row_id,))
        unchanged = 0  # the page's provisions whose stored text was already this
        for p in page.provisions if page is not None else ():
            held = page_version.get(p.eid)
            if held is not None and held in old_hash and old_hash[held] == new_hash[held]:
                unchanged += 1
        if inserts or updates or existing:
            # the act's wording changed: other acts' citations of it are resolved again (nlp.resolve) on the
            # next annotation ("not in corpus" may now be in it); its own changed versions are re-annotated anyway
            citing = (
                "SELECT c.provision_id FROM citations c JOIN provisions p ON p.id = c.provision_id"
                " WHERE c.target_act_id=? AND p.act_id != ?"
            )
            db.execute(f"DELETE FROM annotations WHERE provision_id IN ({citing})", (act.id, act.id))
            db.execute(f"DELETE FROM citations WHERE provision_id IN ({citing})", (act.id, act.id))
        db.executemany("DELETE FROM provisions WHERE id=?", [(e.row_id,) for e in existing.values()])
        db.executemany("DELETE FROM annotations WHERE provision_id=?", stale)
        db.executemany("DELETE FROM citations WHERE provision_id=?", stale)
        db.executemany(f"UPDATE provisions SET {_assignments(PROVISION_COLUMNS)} WHERE id=:id", updates)
        db.executemany(_insert("provisions", PROVISION_COLUMNS), inserts)
        self._write_coverage(db, act.id, lang, [v.provision for v in versions])
        return versions, SaveStats(act.id, len(inserts), unchanged, 0, False, len(existing))

    @staticmethod
    def _write_coverage(db: sqlite3.Connection, act_id: str, lang: str, versions: Iterable[Provision]) -> None:
        db.execute("DELETE FROM coverage WHERE act_id=? AND lang=?", (act_id, lang))
        db.executemany(
            "INSERT INTO coverage (act_id, lang, on_date, known, unknown) VALUES (?, ?, ?, ?, ?)",
            [(act_id, lang, on.isoformat(), k, u) for on, k, u in coverage_steps(versions)],
        )

    def _rebuild_coverage(self, db: sqlite3.Connection) -> None:
        """The coverage of every act and language from the stored versions (after an import or a migration)."""
        pairs = db.execute("SELECT DISTINCT act_id, lang FROM provisions").fetchall()
        for r in pairs:
            rows = db.execute(
                f"SELECT {_PCOLS} FROM provisions WHERE act_id=? AND lang=?", (r["act_id"], r["lang"])
            ).fetchall()
            self._write_coverage(db, r["act_id"], r["lang"], [_provision(x) for x in rows])

    def _upsert_act(self, db: sqlite3.Connection, act: Act, *, overwrite: bool) -> None:
        new = _act_params(act)
        row = db.execute(f"SELECT {', '.join(ACT_COLUMNS)} FROM acts WHERE id=?", (act.id,)).fetchone()
        if row is None:
            db.execute(_insert("acts", ACT_COLUMNS), new)
            return
        old = {c: row[c] for c in ACT_COLUMNS}
        # Russian first, then the others by code: the same list whatever order the pages came in
        langs = sorted({*json.loads(old["languages"]), *act.languages}, key=lambda lang: (lang != "rus", lang))
        merged = dict(new) if overwrite else {k: v for k, v in old.items()}
        if not overwrite:  # fill what the act lacks
            for k in _ACT_FIELDS:
                if k in _IN_FORCE_COLUMNS:
                    continue
                if old[k] in (None, "", "{}", "[]", "unknown") and new[k] not in (None, "", "{}", "[]", "unknown"):
                    merged[k] = new[k]
            if old["in_force_from"] is None and new["in_force_from"] is not None:
                merged.update({k: new[k] for k in _IN_FORCE_COLUMNS})
        elif new["in_force_from"] is None and old["in_force_from"] is not None:
            # a newer page that does not state the act's entry into force (an excerpt's chapter, a page cut
            # before the final provisions) does not erase what an older one stated
            merged.update({k: old[k] for k in _IN_FORCE_COLUMNS})
        merged["languages"] = _json(langs)
        if merged != old:
            db.execute(f"UPDATE acts SET {_assignments(_ACT_FIELDS)} WHERE id=:id", merged)

    def _upsert_redaction(self, db: sqlite3.Connection, red: Redaction) -> None:
        columns = (*REDACTION_COLUMNS, "vf_key")
        db.execute(
            _insert("redactions", columns) + " ON CONFLICT (act_id, lang, vf_key) DO UPDATE SET"
            f" {_assignments(('url', 'fetched_at', 'content_hash', 'caused_by', 'scope', 'date_source'), 'excluded.')}",
            _redaction_params(red),
        )

    def _upsert_amendment(self, db: sqlite3.Connection, a: Amendment, keys: tuple[str, str] | None = None) -> None:
        key, source_hash = keys or amendment_key(a)
        # a better parse of the same footnote may know more (effective date, amending act id): keep it. Two
        # sources may word the entry into force differently (adilet's "порядок введения в действие см. ст. 2",
        # the bank's "по истечении десяти календарных дней …"): the more telling rule wins, with its text, and
        # of two dates the earlier, whatever order the pages arrive in
        db.execute(
            _insert("amendments", ("natural_key", *AMENDMENT_COLUMNS, "source_hash"))
            + " ON CONFLICT (natural_key) DO UPDATE SET"
            " new_words=CASE WHEN excluded.new_words != '[]' THEN excluded.new_words ELSE new_words END,"
            " amending_id=coalesce(excluded.amending_id, amending_id),"
            " amending_kind=coalesce(excluded.amending_kind, amending_kind),"
            f" effective_text=CASE WHEN {_NEW_RULE_WINS} THEN excluded.effective_text ELSE effective_text END,"
            " effective_date=CASE WHEN excluded.effective_date IS NULL THEN effective_date"
            " WHEN effective_date IS NULL THEN excluded.effective_date"
            " ELSE min(effective_date, excluded.effective_date) END,"
            f" effective_rule=CASE WHEN {_NEW_RULE_WINS} THEN excluded.effective_rule ELSE effective_rule END",
            _amendment_params(a, key, source_hash),
        )

    def save_annotations(self, annotations: Iterable[Annotation], *, lang: str = "rus") -> int:
        """Store (replace) the annotations of provision versions, and their citations. One transaction;
        an annotation of a version that is not stored → StoreError naming it, nothing saved."""
        n = 0
        self._rights = None
        try:
            with self._tx() as db:
                for ann in annotations:
                    self._save_annotation(db, ann, lang)
                    n += 1
        except (TypeError, ValueError) as e:
            raise StoreError(f"cannot store annotation: {e}") from e
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {e}") from e
        return n

    def _save_annotation(self, db: sqlite3.Connection, ann: Annotation, lang: str) -> None:
        row = db.execute("SELECT id FROM provisions WHERE lang=? AND version_id=?", (lang, ann.version_id)).fetchone()
        if row is None:
            raise StoreError(f"annotation of unknown provision version {ann.version_id!r} ({lang})")
        pid = row["id"]
        data = _json(to_dict(ann))
        if db.execute(
            "SELECT 1 FROM annotations WHERE provision_id=? AND pipeline_version=? AND data=?",
            (pid, ann.pipeline_version, data),
        ).fetchone():
            return  # the same annotation again: leave its rows (and their ids) alone
        db.execute(
            "INSERT INTO annotations (provision_id, pipeline_version, data) VALUES (?, ?, ?)"
            " ON CONFLICT (provision_id) DO UPDATE SET pipeline_version=excluded.pipeline_version,"
            " data=excluded.data",
            (pid, ann.pipeline_version, data),
        )
        db.execute("DELETE FROM citations WHERE provision_id=?", (pid,))
        db.executemany(
            "INSERT INTO citations (provision_id, target_act_id, target_eid, data) VALUES (?, ?, ?, ?)",
            [(pid, c.target_act_id, c.target_eid, _json(to_dict(c))) for c in ann.citations],
        )

    def clear_annotations(self) -> None:
        """Drop every annotation and citation (before a full re-annotation with a new pipeline)."""
        self._rights = None
        with self._tx() as db:
            db.execute("DELETE FROM citations")
            db.execute("DELETE FROM annotations")

    # --- reads ---------------------------------------------------------------------------------

    def acts(self) -> list[Act]:
        with self._lock:
            return [_act(r) for r in self._db.execute(f"SELECT {', '.join(ACT_COLUMNS)} FROM acts ORDER BY id")]

    def act_ids(self) -> set[str]:
        with self._lock:
            return {r["id"] for r in self._db.execute("SELECT id FROM acts")}

    def has_provision(self, eid: str, *, kind: str | None = None, act_ids: Sequence[str] = ()) -> bool:
        """Whether some act (one of ``act_ids`` when given) has a provision ``eid`` (of ``kind``)."""
        # act_id first, so the (act_id, eid) index answers it
        acts = f"({','.join('?' * len(act_ids))})" if act_ids else "(SELECT id FROM acts)"
        sql, params = f"SELECT 1 FROM provisions WHERE act_id IN {acts} AND eid=?", [*act_ids, eid]
        if kind is not None:
            sql, params = sql + " AND kind=?", [*params, kind]
        with self._lock:
            return self._db.execute(sql + " LIMIT 1", params).fetchone() is not None

    def act(self, act_id: str) -> Act | None:
        with self._lock:
            row = self._db.execute(f"SELECT {', '.join(ACT_COLUMNS)} FROM acts WHERE id=?", (act_id,)).fetchone()
        return _act(row) if row else None

    def redactions(self, act_id: str) -> list[Redaction]:
        """All redactions of the act (every language), by valid_from (undated first), then language."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {', '.join(REDACTION_COLUMNS)} FROM redactions WHERE act_id=? ORDER BY vf_key, lang",
                (act_id,),
            ).fetchall()
        return [_redaction(r) for r in rows]

    def versions(self, act_id: str | None = None, *, at: date | None = None, lang: str = "rus") -> Iterator[Provision]:
        """Every provision version (or those in force on ``at``), acts by id, each in document order.

        Streams from a cursor (the corpus may hold millions of versions); don't write to the store
        while iterating (collect first).
        """
        where, params = ["lang=?"], [lang]
        if act_id is not None:
            where.append("act_id=?")
            params.append(act_id)
        if at is not None:
            cond, extra = _in_force(at)
            where.append(cond)
            params.extend(extra)
        cur = self._db.execute(
            f"SELECT {_PCOLS} FROM provisions WHERE {' AND '.join(where)} ORDER BY act_id, position, valid_from",
            params,
        )
        while rows := cur.fetchmany(1000):
            for r in rows:
                yield _provision(r)

    def count_versions(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) AS n FROM provisions").fetchone()["n"])

    def provision_versions(self, act_id: str, eid: str, lang: str = "rus") -> list[Provision]:
        """Versions of one provision, oldest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_PCOLS} FROM provisions WHERE act_id=? AND eid=? AND lang=? ORDER BY valid_from",
                (act_id, eid, lang),
            ).fetchall()
        return [_provision(r) for r in rows]

    def provision_at(self, act_id: str, eid: str, at: date | None = None, lang: str = "rus") -> Provision | None:
        """The version in force on ``at`` (None: the newest, still in force), or None."""
        cond, params = _in_force(at)
        with self._lock:
            row = self._db.execute(
                f"SELECT {_PCOLS} FROM provisions WHERE act_id=? AND eid=? AND lang=? AND {cond}"
                " ORDER BY valid_from DESC LIMIT 1",
                (act_id, eid, lang, *params),
            ).fetchone()
        return _provision(row) if row else None

    def children(self, act_id: str, eid: str | None, at: date | None = None, lang: str = "rus") -> list[Provision]:
        """Direct children in force on ``at`` (None: the newest), document order; eid None = top level."""
        cond, params = _in_force(at)
        parent = "parent IS NULL" if eid is None else "parent=?"
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_PCOLS} FROM provisions INDEXED BY provisions_parent"
                f" WHERE act_id=? AND lang=? AND {parent} AND {cond}"
                " ORDER BY position, valid_from",
                (act_id, lang, *([] if eid is None else [eid]), *params),
            ).fetchall()
        return [_provision(r) for r in rows]

    def toc(self, act_id: str, at: date | None = None, lang: str = "rus") -> list[Provision]:
        """Table of contents (оглавление): the sections, chapters, paragraphs and articles in force on
        ``at`` (None: the newest), in document order, without reading their parts and items."""
        cond, params = _in_force(at)
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_PCOLS} FROM provisions WHERE act_id=? AND lang=? AND {cond}"
                f" AND kind IN ({', '.join('?' * len(TOC_KINDS))}) ORDER BY position, valid_from",
                (act_id, lang, *params, *TOC_KINDS),
            ).fetchall()
        return [_provision(r) for r in rows]

    def amendments(self, act_id: str, eid: str | None = None) -> list[Amendment]:
        """Amendments of the act (eid None), or those on ``eid``, on the provisions enclosing it (its
        article) and on its descendants by eid; in date order (effective date, else amending act's)."""
        with self._lock:
            if eid is None:
                return self._amendments_in(self._db, act_id)
            enclosing, below = _around(eid)
            rows = self._db.execute(
                f"SELECT {_ACOLS} FROM amendments WHERE act_id=? AND (eid IN ({','.join('?' * len(enclosing))})"
                f" OR substr(eid, 1, ?) = ?) ORDER BY {_AORDER}",
                (act_id, *enclosing, len(below), below),
            ).fetchall()
        return [_amendment(r) for r in rows]

    @staticmethod
    def _amendments_in(db: sqlite3.Connection, act_id: str) -> list[Amendment]:
        rows = db.execute(f"SELECT {_ACOLS} FROM amendments WHERE act_id=? ORDER BY {_AORDER}", (act_id,))
        return [_amendment(r) for r in rows]

    def history(self, act_id: str, eid: str, lang: str = "rus") -> History:
        """Versions and amendments of a provision in date order, each amendment with its adoption and
        in-force dates (corpus.dating); unknown provision → NotFoundError."""
        versions = self.provision_versions(act_id, eid, lang)
        amendments = self.amendments(act_id, eid)
        if not versions and not amendments:
            raise NotFoundError(f"no provision {eid} in act {act_id} ({lang})")
        with self._lock:
            dating = self._dating(self._db)
        return build_history(act_id, eid, versions, amendments, dating)

    def dating(self) -> DatingContext:
        """What the store knows of publication dates and the bank's version dates (corpus.dating)."""
        with self._lock:
            return self._dating(self._db)

    # --- what is known on a date ------------------------------------------------------------------

    def wording_state(self, act_id: str, eid: str, at: date, lang: str = "rus") -> str:
        """``known`` (a version is in force on ``at``), ``unknown`` (the provision was in force but its
        wording then is not in the corpus) or ``absent`` (not in force then: not yet added, or gone). A
        wording in another language than Russian is unknown where the Russian one is known or unknown."""
        if self.provision_at(act_id, eid, at, lang) is not None:
            return "known"
        for v in self.provision_versions(act_id, eid, lang):
            if v.unknown_from is not None and v.valid_from is not None and v.unknown_from <= at < v.valid_from:
                return "unknown"
        if lang != "rus" and self.wording_state(act_id, eid, at, "rus") != "absent":
            return "unknown"
        return "absent"

    def _coverage_table(self) -> dict[tuple[str, str], tuple[list[date], list[int], list[int]]]:
        """The coverage steps of every act and language, read once and kept until the store changes
        (PRAGMA data_version moves when another connection commits; our own commits clear it)."""
        with self._lock:
            version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
            if self._coverage is not None and self._coverage[0] == version:
                return self._coverage[1]
            table: dict[tuple[str, str], tuple[list[date], list[int], list[int]]] = {}
            for r in self._db.execute("SELECT act_id, lang, on_date, known, unknown FROM coverage ORDER BY act_id,"
                                      " lang, on_date"):
                dates, known, unknown = table.setdefault((r["act_id"], r["lang"]), ([], [], []))
                dates.append(date.fromisoformat(r["on_date"]))
                known.append(r["known"])
                unknown.append(r["unknown"])
            self._coverage = (version, table)
            return table

    def coverage(self, at: date, acts: Sequence[str] | None = None, lang: str = "rus") -> Coverage:
        """How many provisions of ``acts`` (None: all) have a known wording on ``at`` and how many were in
        force then with a wording the corpus does not hold (docs/design.md §7). In another language than
        Russian a provision is unknown where the Russian wording is known or unknown and that one is not."""
        table = self._coverage_table()
        wanted = None if acts is None else set(acts)

        def on(act_lang: tuple[str, str]) -> tuple[int, int]:
            steps = table.get(act_lang)
            if steps is None:
                return 0, 0
            i = bisect.bisect_right(steps[0], at) - 1
            return (steps[1][i], steps[2][i]) if i >= 0 else (0, 0)

        known = unknown = 0
        for act_id in {a for a, _ in table if wanted is None or a in wanted}:
            k, u = on((act_id, lang))
            if lang != "rus":
                rk, ru = on((act_id, "rus"))
                u = max(u, rk + ru - k)
            known += k
            unknown += u
        return Coverage(known=known, unknown=unknown)

    def descendants(self, act_id: str, eid: str, at: date | None, lang: str = "rus") -> list[Provision]:
        """Everything under ``eid`` in force on ``at`` (its parts and items; a chapter's articles …), in
        document order."""
        out: list[Provision] = []
        todo = [eid]
        while todo:
            kids = self.children(act_id, todo.pop(), at, lang)
            out.extend(kids)
            todo.extend(k.eid for k in reversed(kids))
        out.sort(key=lambda p: p.position)
        return out

    def diff(self, act_id: str, eid: str, from_: date, to: date, lang: str = "rus") -> VersionDiff:
        """What changed in a provision and everything under it between the wordings in force on two dates:
        the word diff of its text and heading, the word diffs of its parts and items, and the typed changes
        (corpus.changes). A side not in force counts as empty; a side whose wording is unknown gives no
        diff (``from_state``/``to_state`` say which); neither in force → NotFoundError."""
        states = self.wording_state(act_id, eid, from_, lang), self.wording_state(act_id, eid, to, lang)
        old = self.provision_at(act_id, eid, from_, lang)
        new = self.provision_at(act_id, eid, to, lang)
        if states == ("absent", "absent"):
            raise NotFoundError(f"no version of {act_id}/{eid} ({lang}) in force on {from_} or {to}")
        result = version_diff(old, new)
        result.from_state, result.to_state = states
        if "unknown" in states:
            result.ops, result.heading_ops = [], []
            return result
        trees: list[dict[str, Provision]] = []
        for p, day in ((old, from_), (new, to)):
            trees.append({q.eid: q for q in ([p, *self.descendants(act_id, eid, day, lang)] if p else [])})
        old_tree, new_tree = trees
        unknown = []
        for e in set(old_tree) ^ set(new_tree):  # on one side only: is the other side's wording unknown?
            day = from_ if e in new_tree else to
            if self.wording_state(act_id, e, day, lang) == "unknown":
                unknown.append(e)
                old_tree.pop(e, None)
                new_tree.pop(e, None)
        position = {e: p.position for tree in trees for e, p in tree.items()}
        changes, parts = subtree_diff(old_tree, new_tree, sorted(position, key=lambda e: position[e]))
        result.changes = changes
        result.parts = [p for p in parts if p.eid != eid]
        result.unknown_parts = sorted(unknown, key=lambda e: position.get(e, 0))
        return result

    def annotation(self, version_id: str, lang: str = "rus") -> Annotation | None:
        with self._lock:
            row = self._db.execute(
                "SELECT a.data FROM annotations a JOIN provisions p ON p.id = a.provision_id"
                " WHERE p.lang=? AND p.version_id=?",
                (lang, version_id),
            ).fetchone()
        return from_json(Annotation, row["data"]) if row else None

    def annotations_of(self, act_id: str, lang: str = "rus") -> dict[str, Annotation]:
        """The annotations of every version of one act, by version id (one query, for indexing)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT p.version_id, a.data FROM annotations a JOIN provisions p ON p.id = a.provision_id"
                " WHERE p.act_id=? AND p.lang=?",
                (act_id, lang),
            ).fetchall()
        return {r["version_id"]: from_json(Annotation, r["data"]) for r in rows}

    def annotations(self) -> Iterator[Annotation]:
        """Every stored annotation (all languages), in the order of their versions."""
        for _lang, data in self._annotation_rows():
            yield from_json(Annotation, data)

    def _annotation_rows(self) -> Iterator[tuple[str, str]]:
        cur = self._db.execute(
            "SELECT p.lang, a.data FROM annotations a JOIN provisions p ON p.id = a.provision_id"
            " ORDER BY p.lang, p.act_id, p.position, p.valid_from, p.version_id"
        )
        while rows := cur.fetchmany(1000):
            yield from rows

    def unannotated(self, pipeline_version: str, *, lang: str = "rus", batch: int = 500) -> Iterator[Provision]:
        """Versions without an annotation of ``pipeline_version`` (resumable annotation).

        Reads in batches by row id with no statement left open between them, so the caller may
        save annotations while iterating.
        """
        last = 0
        while True:
            with self._lock:
                # "+lang": walk the rowid range, not the lang index (which would sort every batch)
                rows = self._db.execute(
                    f"SELECT id, {_PCOLS} FROM provisions p WHERE id>? AND +lang=? AND NOT EXISTS"
                    " (SELECT 1 FROM annotations a WHERE a.provision_id = p.id AND a.pipeline_version=?)"
                    " ORDER BY id LIMIT ?",
                    (last, lang, pipeline_version, batch),
                ).fetchall()
            if not rows:
                return
            last = rows[-1]["id"]
            for r in rows:
                yield _provision(r)

    def count_unannotated(self, pipeline_version: str, *, lang: str = "rus") -> int:
        """How many versions :meth:`unannotated` would yield (one COUNT, for progress bars)."""
        with self._lock:
            return int(self._db.execute(
                "SELECT count(*) AS n FROM provisions p WHERE +lang=? AND NOT EXISTS"
                " (SELECT 1 FROM annotations a WHERE a.provision_id = p.id AND a.pipeline_version=?)",
                (lang, pipeline_version),
            ).fetchone()["n"])

    # --- the citation resolver's read interface (nlp.resolve.ProvisionIndex) -------------------------

    def _act_spans(self, act_id: str, lang: str) -> _ActSpans:
        key = (act_id, lang)
        with self._lock:
            found = self._spans.get(key)
            if found is None:
                rows = self._db.execute(
                    "SELECT eid, valid_from, valid_to FROM provisions WHERE act_id=? AND lang=?", (act_id, lang)
                ).fetchall()
                found = self._spans[key] = _ActSpans.of((r["eid"], r["valid_from"], r["valid_to"]) for r in rows)
        return found

    def has_act(self, act_id: str) -> bool:
        """Is the act in the store?"""
        with self._lock:
            return self._db.execute("SELECT 1 FROM acts WHERE id=?", (act_id,)).fetchone() is not None

    def provision_in_force(
        self, act_id: str, eid: str, start: date | None, end: date | None = None, lang: str = "rus"
    ) -> bool:
        """Is ``eid`` in the act's wording in force on some day of ``[start, end)`` (None ends open; for one
        day ``d`` ask ``[d, d + 1 day)``)? The act's eids and their validity are read once (one query per act)."""
        return self._act_spans(act_id, lang).has(eid, start, end)

    def wording_in_force(
        self, act_id: str, start: date | None, end: date | None = None, lang: str = "rus"
    ) -> bool:
        """Does the store hold any wording of the act in force on some day of ``[start, end)``?"""
        return self._act_spans(act_id, lang).has(None, start, end)

    # --- the rights view: provisions engaging a right --------------------------------------------------

    def _rights_index(self) -> dict[str, list[_RightRow]]:
        """Right links of every annotated version by right id, from ONE query over the annotations; kept
        until this connection writes annotations or another connection commits."""
        with self._lock:
            version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
            if self._rights is not None and self._rights[0] == version:
                return self._rights[1]
            index: dict[str, list[_RightRow]] = {}
            cur = self._db.execute(
                "SELECT a.provision_id, p.lang, p.valid_from, p.valid_to, r.value AS link"
                " FROM annotations a JOIN provisions p ON p.id = a.provision_id, json_each(a.data, '$.rights') r"
            )
            while rows := cur.fetchmany(1000):
                for row in rows:
                    link = from_json(RightLink, row["link"])
                    index.setdefault(link.id, []).append(
                        _RightRow(row["provision_id"], row["lang"], row["valid_from"], row["valid_to"], link)
                    )
            self._rights = (version, index)
            return index

    def right_links(
        self, right_id: str, at: date | None = None, lang: str = "rus"
    ) -> list[tuple[Provision, RightLink]]:
        """The provision versions in force on ``at`` (None: the current ones) that engage ``right_id``, each with
        its link (one per polarity and eid), acts by id and each in document order. Served from an index of
        right links by id (:meth:`_rights_index`), not by scanning annotations per call."""
        wanted = [
            r for r in self._rights_index().get(right_id, [])
            if r.lang == lang and (r.valid_to is None if at is None else _valid_on(r.valid_from, r.valid_to, at))
        ]  # fmt: skip
        if not wanted:
            return []
        ids = sorted({r.provision_id for r in wanted})
        provisions: dict[int, Provision] = {}
        with self._lock:
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                for row in self._db.execute(
                    f"SELECT id, {_PCOLS} FROM provisions WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ):
                    provisions[row["id"]] = _provision(row)
        out = [(provisions[r.provision_id], r.link) for r in wanted if r.provision_id in provisions]
        out.sort(key=lambda pl: (pl[0].act_id, pl[0].position, pl[1].eid or ""))
        return out

    def citations_to(self, act_id: str, eid: str) -> list[tuple[str, Citation]]:
        """(citing version id, citation) for citations of ``eid``, of the provisions enclosing it (its
        article) or of its descendants, in the citing versions' order."""
        enclosing, below = _around(eid)
        with self._lock:
            rows = self._db.execute(
                "SELECT p.version_id, c.data FROM citations c JOIN provisions p ON p.id = c.provision_id"
                f" WHERE c.target_act_id=? AND (c.target_eid IN ({','.join('?' * len(enclosing))})"
                " OR substr(c.target_eid, 1, ?) = ?)"
                " ORDER BY p.act_id, p.position, p.valid_from, c.id",
                (act_id, *enclosing, len(below), below),
            ).fetchall()
        return [(r["version_id"], from_json(Citation, r["data"])) for r in rows]

    # --- JSONL exchange ------------------------------------------------------------------------

    def export_jsonl(self, out: TextIO) -> int:
        """Write the whole store (format: ``corpus.exchange``); returns the number of records (no header)."""
        n = 0
        with self._lock:
            db = self._db
            out.write(exchange.dumps(exchange.meta_record(self.schema_version)) + "\n")
            for act in self.acts():
                out.write(exchange.dumps(exchange.record("act", act)) + "\n")
                n += 1
                for red in self.redactions(act.id):
                    out.write(exchange.dumps(exchange.record("redaction", red)) + "\n")
                    n += 1
                cur = db.execute(
                    f"SELECT {_PCOLS} FROM provisions WHERE act_id=?"
                    " ORDER BY lang, position, eid, valid_from, version_id",
                    (act.id,),
                )
                while rows := cur.fetchmany(1000):
                    for r in rows:
                        rec = exchange.record("provision", _provision(r), since=_date(r["since"]),
                                              through=_date(r["through"]))
                        out.write(exchange.dumps(rec) + "\n")
                        n += 1
                for a in self._amendments_in(db, act.id):
                    out.write(exchange.dumps(exchange.record("amendment", a)) + "\n")
                    n += 1
            for lang, data in self._annotation_rows():
                rec = {"type": "annotation", "lang": lang, **json.loads(data)}
                out.write(exchange.dumps(rec) + "\n")
                n += 1
        return n

    def import_jsonl(self, inp: TextIO) -> int:
        """Load an export (upserting by ids). All or nothing: every line is validated against the exchange
        schema first (a bad line → StoreError naming the line and the field, nothing imported), then all are
        written in ONE transaction. Returns the number of records (no header)."""
        source = _seekable(inp)
        self._spans.clear()
        self._rights = None
        lineno = 0
        try:
            start = source.tell()
            n = sum(1 for _, rec in _records(source) if rec.type != "meta")  # validation pass: no writes
            source.seek(start)
            with self._tx() as db:
                for lineno, rec in _records(source):
                    if rec.type != "meta":
                        self._import_record(db, rec, lineno)
                self._rebuild_coverage(db)
        except exchange.ExchangeError as e:
            raise StoreError(f"{self.path}: import: {e}") from e
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: import: line {lineno}: {e}") from e
        finally:
            if source is not inp:
                source.close()
        return n

    def _import_record(self, db: sqlite3.Connection, rec: exchange.Record, lineno: int) -> None:
        obj = rec.obj
        if rec.type == "act":
            if db.execute("SELECT 1 FROM acts WHERE id=?", (obj.id,)).fetchone():
                db.execute(f"UPDATE acts SET {_assignments(_ACT_FIELDS)} WHERE id=:id", _act_params(obj))
            else:
                self._upsert_act(db, obj, overwrite=True)
        elif rec.type == "redaction":
            self._upsert_redaction(db, obj)
        elif rec.type == "provision":
            db.execute(
                _insert("provisions", PROVISION_COLUMNS)
                + f" ON CONFLICT (lang, version_id) DO UPDATE SET {_assignments(PROVISION_COLUMNS, 'excluded.')}",
                _provision_params(obj, rec.since, content_hash(obj), rec.through),
            )
        elif rec.type == "amendment":
            self._upsert_amendment(db, obj)
        elif rec.type == "annotation":
            try:
                self._save_annotation(db, obj, rec.lang)
            except StoreError as e:
                raise StoreError(f"{self.path}: import: line {lineno}: {e}") from e


def _seekable(inp: TextIO) -> TextIO:
    """``inp`` itself when it can be read twice, else a temporary copy (stdin, a pipe)."""
    try:
        if inp.seekable():
            return inp
    except (AttributeError, OSError, ValueError):
        pass
    copy = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - the caller closes it
    shutil.copyfileobj(inp, copy)
    copy.seek(0)
    return copy


def _records(lines: TextIO) -> Iterator[tuple[int, exchange.Record]]:
    """(line number, decoded record), blank lines skipped; the first fault raises ExchangeError naming its line."""
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        rec = exchange.decode(line, lineno)
        if rec.type == "meta" and rec.obj["schema_version"] > schema.SCHEMA_VERSION:
            raise exchange.ExchangeError(
                f"line {lineno}: export of schema version {rec.obj['schema_version']} is newer"
                f" than this code's version {schema.SCHEMA_VERSION}"
            )
        yield lineno, rec


def _check_document(doc: ParsedDocument) -> None:
    """Refuse a document that would store inconsistent rows; the message names the field."""
    act, red = doc.act, doc.redaction
    where = f"act {act.id or '?'}"
    if not act.id:
        raise StoreError("document without an act id")
    if act.status not in ACT_STATUSES:
        raise StoreError(f"{where}: unknown status {act.status!r} (expected one of {ACT_STATUSES})")
    if not doc.provisions:
        raise StoreError(f"{where}: the redaction of {red.valid_from} has no provisions (a failed parse?)")
    if red.act_id != act.id:
        raise StoreError(f"{where}: redaction belongs to act {red.act_id!r}")
    if red.scope is not None:
        bad = [e for e in red.scope if not Eid.is_valid(e)]
        if not red.scope or bad:
            raise StoreError(f"{where}: an excerpt's scope must list eids (e.g. chp_28, art_510), got {red.scope!r}")
        if red.valid_from is None:
            raise StoreError(f"{where}: an excerpt ({', '.join(red.scope)}) needs the date of its version")
        outside = [p.eid for p in doc.provisions if not red.covers(p.eid)]
        if outside:
            raise StoreError(f"{where}: provisions outside the excerpt's scope: {', '.join(outside[:5])}")
    for p in doc.provisions:
        if p.act_id != act.id:
            raise StoreError(f"{where}: provision {p.eid} belongs to act {p.act_id!r}")
        if p.lang != red.lang:
            raise StoreError(f"{where}: provision {p.eid} is in {p.lang!r}, the redaction in {red.lang!r}")
        if p.kind not in PROVISION_KINDS:
            raise StoreError(f"{where}: provision {p.eid} has unknown kind {p.kind!r}")
        if not p.eid:
            raise StoreError(f"{where}: provision at position {p.position} has no eid")
    for a in doc.amendments:
        if a.act_id != act.id:
            raise StoreError(f"{where}: amendment of {a.eid} belongs to act {a.act_id!r}")
        if a.verb not in AMENDMENT_VERBS:
            raise StoreError(f"{where}: amendment of {a.eid} has unknown verb {a.verb!r}")
        if a.source_kind not in AMENDMENT_SOURCES:
            raise StoreError(f"{where}: amendment of {a.eid} has unknown source kind {a.source_kind!r}")


# --- store generations ---------------------------------------------------------------------------------
#
# A rebuild from scratch never touches the store a server has open: it writes a new GENERATION file
# (``<folder>/<stem>-<ns>.sqlite``) and then points the store's path at it with ONE atomic rename of a
# symlink. SQLite resolves the symlink and names the -wal/-shm files after the generation, so an old
# -wal/-shm can never meet a new database file. A reader notices the swap by the path's inode
# (``Store.inode``) and reopens. The previous generation is kept for readers still between resolving
# the path and opening it; older ones are removed (a reader still holding one keeps its unlinked files).


def new_generation(link: Path, folder: Path) -> Path:
    """A fresh file name in ``folder`` for a generation of the store published at ``link``."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{link.stem}-{time.time_ns()}{link.suffix}"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_generation(link: Path, generation: Path) -> Path | None:
    """Point ``link`` at the complete, closed store ``generation``: an atomic swap (symlink + rename).
    Returns the generation ``link`` pointed to before (None for none or a plain file).

    A store file of the older layout at ``link`` (a plain file) is replaced the same way; servers that
    have it open keep reading it, and its -wal/-shm, which nothing can open any more, are removed."""
    with open(generation, "rb") as fh:
        os.fsync(fh.fileno())
    previous = link.resolve() if link.is_symlink() else None
    was_plain = link.exists() and not link.is_symlink()
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(generation, link.parent), tmp)
    os.replace(tmp, link)
    _fsync_dir(link.parent)
    if was_plain:
        for suffix in ("-wal", "-shm", "-journal"):
            link.with_name(link.name + suffix).unlink(missing_ok=True)
    return previous


def drop_old_generations(link: Path, folder: Path, keep: Path | None = None) -> list[Path]:
    """Remove every generation in ``folder`` but the live one and ``keep`` (the previous one, for readers
    between resolving the path and opening it). Call it under the build lock: a generation that is
    neither is a finished-with or abandoned build."""
    if not link.is_symlink():
        return []
    spared = {link.resolve(), keep.resolve() if keep is not None else None}
    doomed = [f for f in folder.glob(f"{link.stem}-*{link.suffix}") if f.resolve() not in spared]
    for f in doomed:
        for suffix in ("", "-wal", "-shm", "-journal"):
            f.with_name(f.name + suffix).unlink(missing_ok=True)
    return doomed
