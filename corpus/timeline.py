"""Point in time (действие во времени): provision versions from redactions, history, word diff.

Pure functions: the store feeds them what it has read and writes back what they return.

How provision versions are computed from the redactions (редакции) of one act in one language
-----------------------------------------------------------------------------------------------
1. Redactions are ordered by their ``valid_from``. An undated redaction may only stand alone (the
   order of an undated page among dated ones is unknown, so that is an error, not a guess).
2. A provision's text is compared across consecutive redactions by :func:`content_hash` (kind,
   number, heading and text; not the position or the ancestors, which move when neighbours are
   inserted). While the text is unchanged one version spans all those redactions; a changed text
   starts a new version at that redaction's ``valid_from``; the previous version's ``valid_to`` is
   the next version's ``valid_from`` (exclusive).
3. A provision absent from a later redaction (исключена / dropped) gets ``valid_to`` = that
   redaction's ``valid_from``. If it comes back later, a new version starts there.
4. The newest version of a provision still present in the newest redaction has ``valid_to`` None.
5. Refinement for the OLDEST (or only) redaction, whose page says nothing about when its texts
   began: a provision's ``valid_from`` is the latest date among the amendments that touched it,
   its article or any enclosing provision by eid (``art_5`` touches ``art_5__para_2__point_1``),
   skipping ИЗПИ "prospective" notes and amendments dated after the redaction. An amendment of the
   whole act (eid None) touches a provision only when it is a replacement "по всему тексту слова …
   заменены … словами …" and the provision's text holds one of the new words that this amending
   act put in (``Amendment.new_words``, read from the note by ingest); other act-wide notes do not
   say which provisions changed.
   An amendment's date is its effective date (дата введения в действие) or, when that is unknown,
   the amending act's date. When no amendment touched the provision: the act's
   adoption date, or the redaction's ``valid_from`` if the act date is unknown; never later than
   the redaction's ``valid_from``.
6. ``since`` (kept next to each version) is the unrefined date of the redaction where the text
   first appeared; with ``valid_to`` it tells which redactions a version belongs to, so the store
   can rebuild every redaction and recompute all versions when a redaction arrives out of order.
7. ``position`` is one document order for all eids the act ever had in that language: the newest
   redaction's order, with provisions dropped earlier inserted after their predecessor in the
   older redaction, so versions in force on any date come out in document order.
8. **Excerpts** (a partial redaction: a chapter, a few articles; ``Snapshot.scope``) speak only for
   the eids in their scope and their descendants by id. A provision outside the scope is not spoken
   for: a version open before goes on unchanged (it is not closed for being absent), and it is not a
   member of the excerpt. Rule 5 applies to the first redaction that speaks for a provision, not to
   the oldest one: when an excerpt is the oldest redaction, the provisions it does not cover are
   dated by rule 5 in the first whole redaction (capped by that redaction's date).
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Literal

from pydantic import WithJsonSchema

from corpus.models import Act, Amendment, Provision, scope_covers
from legal.eid import Eid, enclosing_eids

DiffTag = Literal["equal", "insert", "delete"]
#: One diff step: (tag, text). Described to OpenAPI as a two-string array: the tuple's own schema
#: (prefixItems) trips some OpenAPI tools, schemathesis among them.
DiffOp = Annotated[
    tuple[DiffTag, str],
    WithJsonSchema({"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2,
                    "description": "[equal | insert | delete, text]"}),
]


class TimelineError(ValueError):
    """The redactions given cannot form one timeline (names the act/eid/date that is wrong)."""


@dataclass(frozen=True)
class Snapshot:
    """The provisions of one redaction, as parsed (validity not yet set); ``scope``: the eids an
    excerpt speaks for (rule 8), None for a whole redaction."""

    valid_from: date | None
    provisions: Sequence[Provision]
    scope: Sequence[str] | None = None

    def covers(self, eid: str) -> bool:
        return scope_covers(self.scope, eid)


@dataclass
class Version:
    """One computed provision version with what the store keeps beside it."""

    provision: Provision  # valid_from/valid_to/position set
    since: date | None  # unrefined date of the redaction where this text first appeared
    text_hash: str


def content_hash(p: Provision) -> str:
    """What decides that a provision changed between redactions (kind, number, heading, text)."""
    h = hashlib.sha256()
    for part in (p.kind, p.number or "", p.heading or "", p.text):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def amendment_date(a: Amendment) -> date | None:
    """The date an amendment counts from: its effective date, else the amending act's date."""
    return a.effective_date or a.amending_act.date


#: Statuses of one provision version (redakcija): in force, superseded by a later wording
#: (историческая), repealed (утратила силу / исключена), or not in force yet.
VERSION_STATUSES: tuple[str, ...] = ("in_force", "historical", "repealed", "not_in_force_yet")


def version_status(provision: Provision, act: Act, *, today: date) -> str:
    """Status of one version on ``today``: historical (superseded), not_in_force_yet (starts later),
    repealed (the act is, or the text is only an "исключен" note), else the act's own status."""
    if provision.valid_to is not None:
        return "historical"
    if provision.valid_from is not None and provision.valid_from > today:
        return "not_in_force_yet"
    if act.status == "repealed" or provision.repealed:
        return "repealed"
    if act.status == "not_in_force_yet":
        return "not_in_force_yet"
    return "in_force"  # in_force or unknown: a provision we hold and nothing says it lapsed


class AmendmentDates:
    """Dates of the amendments touching each eid: those on the eid, on a provision enclosing it, or on
    one inside it. O(depth) per eid: the codes have thousands of provisions and amendments, so a scan
    per provision would be quadratic."""

    def __init__(self, amendments: Iterable[Amendment]) -> None:
        self._on: dict[Eid, set[date]] = {}  # amendments on exactly this eid
        self._below: dict[Eid, set[date]] = {}  # amendments on a strict descendant of this eid
        for a in amendments:
            when = amendment_date(a)
            if a.eid is None or when is None:
                continue
            eid = Eid.parse(a.eid)
            self._on.setdefault(eid, set()).add(when)
            for outer in eid.enclosing()[:-1]:
                self._below.setdefault(outer, set()).add(when)

    def of(self, eid: str) -> list[date]:
        parsed = Eid.parse(eid)
        dates: set[date] = set(self._below.get(parsed, ()))
        for e in parsed.enclosing():
            dates |= self._on.get(e, set())
        return sorted(dates)


@dataclass(frozen=True)
class _Dates:
    """Latest counting date per amended eid, and the act-wide replacements with their new words."""

    by_eid: dict[str, date]
    replacements: list[tuple[date, re.Pattern[str]]]


def _amendment_dates(amendments: Iterable[Amendment], cap: date | None) -> _Dates:
    """Counting dates of the amendments that may refine (prospective and later-than-cap skipped)."""
    latest: dict[str, date] = {}
    replacements: list[tuple[date, re.Pattern[str]]] = []
    for a in amendments:
        if a.verb == "prospective":
            continue
        d = amendment_date(a)
        if d is None or (cap is not None and d > cap):
            continue
        if a.eid is None:
            if a.verb == "replaced_throughout" and a.new_words:
                alternatives = "|".join(re.escape(p) for p in sorted(a.new_words, key=len, reverse=True))
                replacements.append((d, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")))
        elif a.eid not in latest or d > latest[a.eid]:
            latest[a.eid] = d
    return _Dates(latest, replacements)


def refined_start(
    eid: str, redaction_date: date | None, amendments: Iterable[Amendment], adopted: date | None, text: str = ""
) -> date | None:
    """Rule 5 for one provision (its eid and text) of the oldest redaction."""
    return _refined(eid, text, redaction_date, _amendment_dates(amendments, redaction_date), adopted)


def _refined(eid: str, text: str, redaction_date: date | None, known: _Dates, adopted: date | None) -> date | None:
    dates = [known.by_eid[e] for e in enclosing_eids(eid) if e in known.by_eid]  # by id: art_5 touches its items
    dates += [d for d, words in known.replacements if words.search(text)]
    if dates:
        return max(dates)
    base = adopted if adopted is not None else redaction_date
    if base is not None and redaction_date is not None and base > redaction_date:
        return redaction_date
    return base


def document_order(sequences: Sequence[Sequence[str]]) -> list[str]:
    """Rule 7: one eid order from the redactions' orders (given oldest first).

    Eids missing from a newer order go right after the last eid before them (in their own
    redaction) that the newer order has; runs of such eids keep their own order.
    """
    if not sequences:
        return []
    result = list(dict.fromkeys(sequences[-1]))
    for seq in reversed(sequences[:-1]):
        old = set(result)
        after: dict[str | None, list[str]] = {}
        anchor: str | None = None
        placed: set[str] = set()
        for eid in seq:
            if eid in old:
                anchor = eid
            elif eid not in placed:
                after.setdefault(anchor, []).append(eid)
                placed.add(eid)
        if after:
            merged = list(after.get(None, ()))
            for eid in result:
                merged.append(eid)
                merged.extend(after.get(eid, ()))
            result = merged
    return result


def compute_versions(
    snapshots: Sequence[Snapshot], amendments: Sequence[Amendment], adopted: date | None, act_id: str = ""
) -> list[Version]:
    """All versions of one act in one language from its redactions (rules 1-7), in document order."""
    if not snapshots:
        return []
    if len(snapshots) > 1 and any(s.valid_from is None for s in snapshots):
        raise TimelineError(f"act {act_id}: an undated redaction cannot be combined with other redactions")
    ordered = sorted(snapshots, key=lambda s: s.valid_from or date.min)
    for prev, nxt in itertools.pairwise(ordered):
        if prev.valid_from == nxt.valid_from:
            raise TimelineError(f"act {act_id}: two redactions valid from {nxt.valid_from}")
    by_eid: list[dict[str, Provision]] = []
    sequences: list[list[str]] = []
    for snap in ordered:
        seen: dict[str, Provision] = {}
        for p in sorted(snap.provisions, key=lambda p: p.position):
            if p.eid in seen:
                raise TimelineError(f"act {act_id}: eid {p.eid} twice in the redaction of {snap.valid_from}")
            seen[p.eid] = p
        by_eid.append(seen)
        sequences.append(list(seen))
    position = {eid: i for i, eid in enumerate(document_order(sequences))}
    dates_by_cap: dict[date | None, _Dates] = {}  # rule 5's amendment dates, capped by a redaction's date
    spoken: set[str] = set()  # eids some earlier redaction spoke for (rule 8)

    done: list[Version] = []
    open_: dict[str, Version] = {}
    for i, (snap, present) in enumerate(zip(ordered, by_eid, strict=True)):
        for eid in [e for e in open_ if e not in present and snap.covers(e)]:
            v = open_.pop(eid)
            v.provision.valid_to = snap.valid_from
            done.append(v)
        for eid, p in present.items():
            h = content_hash(p)
            cur = open_.get(eid)
            if cur is not None and cur.text_hash == h:
                # same text: the version goes on; where it sits is taken from the newest redaction
                cur.provision.parent = p.parent
                cur.provision.ancestors = list(p.ancestors)
                continue
            if cur is not None:
                cur.provision.valid_to = snap.valid_from
                done.append(cur)
            if i == 0 or (eid not in spoken and not any(o.covers(eid) for o in ordered[:i])):
                cap = snap.valid_from  # the first redaction that speaks for the provision (rules 5, 8)
                if cap not in dates_by_cap:
                    dates_by_cap[cap] = _amendment_dates(amendments, cap)
                start = _refined(eid, p.text, cap, dates_by_cap[cap], adopted)
            else:
                start = snap.valid_from
            open_[eid] = Version(
                provision=replace(
                    p, ancestors=list(p.ancestors), valid_from=start, valid_to=None, position=position[eid]
                ),
                since=snap.valid_from,
                text_hash=h,
            )
        spoken.update(present)
    done.extend(open_.values())
    done.sort(key=lambda v: (v.provision.position, v.provision.valid_from or date.min))
    return done


def redaction_members(
    versions: Iterable[Version], on: date | None, scope: Sequence[str] | None = None
) -> list[Provision]:
    """Rule 6 backwards: the provisions of the redaction valid from ``on``, rebuilt from versions
    (an excerpt's: only those in its ``scope``, rule 8)."""
    out = []
    for v in versions:
        to = v.provision.valid_to
        member = on is None or (v.since is not None and v.since <= on and (to is None or on < to))
        if member and (scope is None or scope_covers(scope, v.provision.eid)):
            out.append(v.provision)
    return out


# --- history ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEvent:
    """One dated entry of a provision's history: an amendment, or a version coming into force."""

    on: date | None
    kind: Literal["amendment", "version"]
    amendment: Amendment | None = None
    version: Provision | None = None


@dataclass
class History:
    """Versions (oldest first) and amendments of one provision, merged into dated events."""

    act_id: str
    eid: str
    versions: list[Provision] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    events: list[HistoryEvent] = field(default_factory=list)


def build_history(act_id: str, eid: str, versions: Sequence[Provision], amendments: Sequence[Amendment]) -> History:
    """Events in date order; undated ones last; on one day the amendment comes before the version it made."""
    events = [HistoryEvent(amendment_date(a), "amendment", amendment=a) for a in amendments]
    events += [HistoryEvent(v.valid_from, "version", version=v) for v in versions]
    events.sort(key=lambda e: (e.on is None, e.on or date.min, e.kind != "amendment"))
    return History(act_id, eid, list(versions), list(amendments), events)


# --- word-level diff ----------------------------------------------------------------------------------

# words (with inner hyphens: "бизнес-иммигрантам", "6-1"), runs of spaces, single punctuation marks
_TOKEN = re.compile(r"\w+(?:-\w+)*|\s+|[^\w\s]")


@dataclass
class VersionDiff:
    """Word diff between two versions of a provision (either may be None: not in force then)."""

    from_version: str | None
    to_version: str | None
    ops: list[DiffOp] = field(default_factory=list)  # on the text
    heading_ops: list[DiffOp] = field(default_factory=list)


@dataclass
class _Region:
    """A stretch of a diff: equal on both sides, or changed (``old`` → ``new``)."""

    kind: Literal["equal", "change"]
    old: str
    new: str


def diff(a: str, b: str) -> list[DiffOp]:
    """Word-level diff: the "equal" and "delete" texts joined give ``a``; "equal" and "insert" give ``b``.

    Within a changed stretch all deleted words come first, then the inserted ones; the spaces between
    two changed words belong to the change (no "equal ' '" crumbs).
    """
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    regions = [
        _Region("equal" if tag == "equal" else "change", "".join(ta[i1:i2]), "".join(tb[j1:j2]))
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
    ]
    for k in range(1, len(regions) - 1):
        r = regions[k]
        if r.kind == "equal" and r.old.isspace() and regions[k - 1].kind == regions[k + 1].kind == "change":
            r.kind = "change"
    merged: list[_Region] = []
    for r in regions:
        if merged and merged[-1].kind == r.kind == "change":
            merged[-1].old += r.old
            merged[-1].new += r.new
        else:
            merged.append(_Region(r.kind, r.old, r.new))
    ops: list[DiffOp] = []
    for r in merged:
        if r.kind == "equal":
            ops.append(("equal", r.old))
            continue
        if r.old:
            ops.append(("delete", r.old))
        if r.new:
            ops.append(("insert", r.new))
    return ops


def version_diff(old: Provision | None, new: Provision | None) -> VersionDiff:
    """Diff of two versions' texts and headings; a missing side counts as empty."""
    return VersionDiff(
        from_version=old.version_id if old else None,
        to_version=new.version_id if new else None,
        ops=diff(old.text if old else "", new.text if new else ""),
        heading_ops=diff((old.heading or "") if old else "", (new.heading or "") if new else ""),
    )
