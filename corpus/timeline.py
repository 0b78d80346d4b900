"""Point in time (действие во времени): provision versions from redactions, history, word diff.

Pure functions: the store feeds them what it has read and writes back what they return.

How provision versions are computed from the redactions (редакции) of one act in one language
-----------------------------------------------------------------------------------------------
A version's ``valid_from`` is the date its wording **entered into force**, never merely the date the
amending act was adopted; how each amendment's in-force date is found (the note's date, the bank's
version date, a delay after publication, or the earliest possible date) is :mod:`corpus.dating`.

1. Redactions are ordered by their ``valid_from``. An undated redaction may only stand alone (the
   order of an undated page among dated ones is unknown, so that is an error, not a guess).
2. A provision's text is compared across the redactions that speak for it by :func:`content_hash`
   (kind, number, heading and text, typography folded: «…» and "…", dashes, line wraps; not the
   position or the ancestors, which move when neighbours are inserted). While the text is unchanged
   one version spans all those redactions (with the newest source's words); so does a
   repealed stub whose note two sources word differently (the same repeal).
3. **Which amendments made a wording.** An amendment *touches* a provision when it is on the
   provision, on a provision enclosing it by eid (``art_5`` touches ``art_5__para_2__point_1``), on a
   chapter, paragraph or section above it in the structure that it added or restated (a chapter added
   in 2024 brings its articles), or is an act-wide replacement "по всему тексту слова … заменены …"
   whose new words (``Amendment.new_words``) the text holds. A repealed stub ("3) исключен …") is
   touched only by its own repeal when the notes record one. Prospective (ИЗПИ) notes never touch.
   An amendment is *in* a redaction when its in-force date is not after the redaction's date, when
   it is the amending act that made the redaction (``caused_by``), or, when its in-force date is only
   bounded, when it was adopted on the redaction's date (the bank dates a version by its amending act)
   or, for a redaction dated by the newest amendment of its own notes (``date_source`` "amendments":
   adilet pages, text copies), when it was adopted by then.
4. **The first redaction that speaks for a provision.** Its wording started with the latest
   touching amendment in that redaction; before it the wording is unknown back to the act's entry
   into force (``unknown_from``), unless that amendment added the provision (then it did not exist
   before). With no touching amendment the wording dates from the act's entry into force
   (``Act.in_force_from``, or the later date the act gives that provision, ``in_force_exceptions``;
   else not before the act's adoption, capped by the redaction's date).
5. **A changed wording** in a later redaction: the touching amendments in the new redaction and not
   in the previous one made it. The old wording ends at the earliest of them, the new one starts at
   the latest; between the two the wording is unknown (``unknown_from`` on the new version). With no
   such amendment both change at the new redaction's date. A wording that changed after an excerpt
   (УК art. 394, an excerpt of 01.01.2023, restated 16.07.2025) starts with that amendment, not at
   the full text's date.
6. **A provision absent from a later redaction** that speaks for it (исключена / dropped) ends at its
   repeal, or at the earliest touching amendment of that interval, or at that redaction's date. A
   provision that appears in a later redaction starts with the amendment that added it, else at the
   latest touching amendment (unknown since the earliest one, when there are several), else at the
   redaction's date (unknown since the day after the previous redaction). A repeal with a stub text
   ("исключен") keeps the stub as the last version: the wording before it ends at the repeal, the stub
   (``repealed``, status "repealed") starts there.
7. Every start is bounded by the act's entry into force (no version of a 2014 code before
   01.01.2015) and versions of one provision never overlap: a later start is at least the previous
   end. The newest version of a provision still present in the newest redaction has ``valid_to`` None.
8. ``since`` and ``through`` (kept next to each version) are the dates of the first and the last
   redaction holding that text, so the store can rebuild every redaction and recompute all versions
   when a redaction arrives out of order (rule 6 of the old numbering: :func:`redaction_members`).
9. ``position`` is one document order for all eids the act ever had in that language: the newest
   redaction's order, with provisions dropped earlier inserted after their predecessor in the older
   redaction, so versions in force on any date come out in document order.
10. **Excerpts** (a partial redaction: a chapter, a few articles; ``Snapshot.scope``) speak only for
   the eids in their scope and their descendants by id. A provision outside the scope is not spoken
   for: a version open before goes on unchanged and it is not a member of the excerpt. Rule 4 applies
   to the first redaction that speaks for a provision.
11. **A repeal stub moved by a restructuring.** An "исключен" stub's wording never changes; only its eid
   moves when its article is restructured (art. 43-1 of the migration law: item 3 went under a new
   part 1). When a stub's eid is gone from a redaction and the same stub (same text, or the same
   repealing act in the notes) appears under a new eid and a new parent in the same article, and that
   new parent's wording started strictly between the two redactions (or exactly on the newer one's
   date), the old eid ends and the new one starts when the new parent did, with its exactness and
   rule (and its unknown span, if any); otherwise rules 5-6 apply unchanged (:func:`_move_stubs`).
12. **Other languages** (``kaz``) are computed the same way, then :func:`align_versions` gives a
   version that holds a redaction paired with a Russian one of the same date (the bank's parallel
   rus/kaz files) the dates of the Russian version holding that redaction.

Each version says whether its start is exact (``valid_from_exact``) and why (``valid_from_rule``).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

# the word diff and typed changes live in corpus.changes; re-exported here for their users
from corpus.changes import Change, DiffOp, ProvisionDiff
from corpus.changes import DiffTag as DiffTag
from corpus.changes import diff as diff
from corpus.dating import DatingContext, InForce, act_in_force, act_label
from corpus.models import Act, Amendment, CausedBy, Provision, scope_covers
from legal.dates import format_ru
from legal.eid import Eid
from legal.eid import enclosing_eids as _enclosing_eids
from legal.typography import fold_typography

_DAY = timedelta(days=1)


@lru_cache(maxsize=65536)
def enclosing_eids(eid: str) -> tuple[str, ...]:
    """:func:`legal.eid.enclosing_eids`, cached: every provision asks for its own and its ancestors' several
    times per computation, over tens of thousands of provisions."""
    return tuple(_enclosing_eids(eid))


class TimelineError(ValueError):
    """The redactions given cannot form one timeline (names the act/eid/date that is wrong)."""


@dataclass(frozen=True)
class Snapshot:
    """The provisions of one redaction, as parsed (validity not yet set); ``scope``: the eids an
    excerpt speaks for (rule 10), None for a whole redaction; ``caused_by`` and ``date_source`` as on
    :class:`corpus.models.Redaction`."""

    valid_from: date | None
    provisions: Sequence[Provision]
    scope: Sequence[str] | None = None
    caused_by: CausedBy | None = None
    date_source: str | None = None

    def covers(self, eid: str) -> bool:
        return scope_covers(self.scope, eid)


@dataclass
class Version:
    """One computed provision version with what the store keeps beside it."""

    provision: Provision  # valid_from/valid_to/position set
    since: date | None  # date of the redaction where this text first appeared
    text_hash: str
    through: date | None = None  # date of the last redaction holding this text (None: unknown)


def content_hash(p: Provision) -> str:
    """What decides that a provision changed between redactions (kind, number, heading, text). Typography
    is folded (:func:`legal.typography.fold_typography`): sources that quote «…» or "…", or dash "–" or
    "-", give the same wording, not a new version."""
    h = hashlib.sha256()
    for part in (p.kind, p.number or "", fold_typography(p.heading or ""), fold_typography(p.text)):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def amendment_date(a: Amendment) -> date | None:
    """The date an amendment is filed under in lists: its effective date, else the amending act's date
    (the in-force date with its bounds is :meth:`corpus.dating.DatingContext.amendment`)."""
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


# --- which amendments made a wording (rule 3) ----------------------------------------------------------


@dataclass(frozen=True)
class _Dated:
    """An amendment with its in-force date."""

    amendment: Amendment
    when: InForce

    @property
    def on(self) -> date:
        assert self.when.on is not None  # undated amendments are never _Dated
        return self.when.on

    def explain(self) -> str:
        a = self.amendment
        return f"{a.verb} by {act_label(a.amending_act)}: {self.when.rule}"


#: Verbs of a chapter/section amendment that change what is inside it (a chapter "с изменениями" does
#: not say which of its articles changed; one added or restated brings all of them).
_STRUCTURAL_VERBS = ("added", "restated")


class _Touching:
    """Rule 3: the dated amendments touching a provision, looked up by eid in O(depth)."""

    def __init__(self, amendments: Iterable[Amendment], dating: DatingContext) -> None:
        self.on_eid: dict[str, list[_Dated]] = {}
        self.replacements: list[tuple[_Dated, re.Pattern[str]]] = []
        for a in amendments:
            if a.verb == "prospective":
                continue
            when = dating.amendment(a)
            if when.on is None:
                continue
            d = _Dated(a, when)
            if a.eid is None:
                if a.verb == "replaced_throughout" and a.new_words:
                    words = "|".join(re.escape(w) for w in sorted(a.new_words, key=len, reverse=True))
                    self.replacements.append((d, re.compile(rf"(?<!\w)(?:{words})(?!\w)")))
            else:
                self.on_eid.setdefault(a.eid, []).append(d)

    def repealed_by(self, eid: str) -> set[tuple[str | None, date | None]]:
        """The acts (number, date) whose repeal of exactly ``eid`` the notes record."""
        return {(d.amendment.amending_act.number, d.amendment.amending_act.date)
                for d in self.on_eid.get(eid, ()) if d.amendment.verb == "repealed"}

    def of(self, p: Provision, ancestors: Sequence[str]) -> list[_Dated]:
        """Amendments touching ``p`` (its text and its structural ``ancestors``, nearest first)."""
        if p.repealed:
            own = [d for d in self.on_eid.get(p.eid, ()) if d.amendment.verb == "repealed"]
            if own:
                return own
        by_id = enclosing_eids(p.eid)
        found = [d for e in by_id for d in self.on_eid.get(e, ())]
        for e in ancestors:
            if e not in by_id:
                found += [d for d in self.on_eid.get(e, ()) if d.amendment.verb in _STRUCTURAL_VERBS]
        found += [d for d, words in self.replacements if words.search(p.text)]
        return found


def _included(d: _Dated, snap: Snapshot) -> bool:
    """Rule 3: is amendment ``d`` part of the text of redaction ``snap``?"""
    on = snap.valid_from
    if on is None or d.on <= on:
        return True
    m = d.amendment.amending_act
    cb = snap.caused_by
    if cb is not None and cb.number and m.number == cb.number and (cb.date is None or m.date == cb.date):
        return True
    if d.when.exact:
        return False  # in force on a known later date: not yet in this redaction's text
    return m.date is not None and (m.date == on or (snap.date_source == "amendments" and m.date <= on))


def _created(d: _Dated, eid: str) -> bool:
    """Did ``d`` add the provision ``eid`` or a unit holding it (it did not exist before)?"""
    return d.amendment.verb == "added"


@dataclass
class _Start:
    on: date | None
    exact: bool
    rule: str
    unknown_from: date | None = None


def _bound(start: _Start, floor: InForce) -> _Start:
    """Rule 7: not before the act's (or the provision's) entry into force."""
    if floor.on is None or (start.on is not None and start.on >= floor.on):
        return start
    unknown = start.unknown_from if start.unknown_from is not None and start.unknown_from > floor.on else None
    return _Start(floor.on, floor.exact, f"the act's entry into force: {floor.rule}", unknown)


def _latest(cands: Sequence[_Dated]) -> _Dated:
    # on one date an exact date wins over a bound
    return max(cands, key=lambda d: (d.on, d.when.exact))


def _earliest(cands: Sequence[_Dated]) -> _Dated:
    return min(cands, key=lambda d: (d.on, not d.when.exact))


def _first_start(p: Provision, cands: list[_Dated], floor: InForce, snap: Snapshot) -> _Start:
    """Rule 4."""
    if not cands:
        if floor.on is None:
            return _Start(snap.valid_from, False, "nothing dates this wording but its redaction")
        if not floor.exact and snap.valid_from is not None and floor.on > snap.valid_from:
            return _Start(snap.valid_from, False, f"the redaction of {format_ru(snap.valid_from)} (the act's "
                          f"adoption is later: {format_ru(floor.on)})")
        return _Start(floor.on, floor.exact, f"the act's entry into force: {floor.rule}")
    last = _latest(cands)
    added = [d for d in cands if _created(d, p.eid)]
    if added:
        made = max(d.on for d in added)
        unknown = made if made < last.on else None
    else:
        unknown = floor.on if floor.on is not None and floor.on < last.on else None
    return _bound(_Start(last.on, last.when.exact, last.explain(), unknown), floor)


def _snapshot_label(snap: Snapshot) -> str:
    when = format_ru(snap.valid_from) if snap.valid_from else "undated"
    what = {"version": "the source's own version date", "amendments": "dated by the newest amendment in its notes"}
    return f"the redaction of {when} ({what.get(snap.date_source or '', 'its date')})"


@dataclass
class _Act:
    """What bounds and dates the versions of one act (rules 4, 7)."""

    in_force: InForce
    exceptions: dict[str, InForce]
    touching: _Touching

    def floor(self, eid: str, ancestors: Sequence[str]) -> InForce:
        for e in (*reversed(enclosing_eids(eid)), *ancestors):
            if e in self.exceptions:
                return self.exceptions[e]
        return self.in_force


def _ancestors(eid: str, parents: dict[str, str | None]) -> list[str]:
    """Structural ancestors of ``eid`` in one redaction, nearest first (chapters hold articles there)."""
    out: list[str] = []
    e = parents.get(eid)
    while e is not None and e not in out:
        out.append(e)
        e = parents.get(e)
    return out


def document_order(sequences: Sequence[Sequence[str]]) -> list[str]:
    """Rule 9: one eid order from the redactions' orders (given oldest first).

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
    snapshots: Sequence[Snapshot],
    amendments: Sequence[Amendment],
    adopted: date | None,
    act_id: str = "",
    *,
    act: Act | None = None,
    dating: DatingContext | None = None,
) -> list[Version]:
    """All versions of one act in one language from its redactions (rules 1-11), in document order.

    ``act`` gives the act's entry into force (``in_force_from``, ``in_force_exceptions``); without it
    versions are bounded by ``adopted``. ``dating`` gives what the store knows of publication dates and
    the bank's version dates."""
    if not snapshots:
        return []
    if len(snapshots) > 1 and any(s.valid_from is None for s in snapshots):
        raise TimelineError(f"act {act_id}: an undated redaction cannot be combined with other redactions")
    ordered = sorted(snapshots, key=lambda s: s.valid_from or date.min)
    for prev, nxt in itertools.pairwise(ordered):
        if prev.valid_from == nxt.valid_from:
            raise TimelineError(f"act {act_id}: two redactions valid from {nxt.valid_from}")
    by_eid: list[dict[str, Provision]] = []
    parents: dict[str, str | None] = {}  # the newest redaction's structure (what stored versions keep)
    sequences: list[list[str]] = []
    for snap in ordered:
        seen: dict[str, Provision] = {}
        for p in sorted(snap.provisions, key=lambda p: p.position):
            if p.eid in seen:
                raise TimelineError(f"act {act_id}: eid {p.eid} twice in the redaction of {snap.valid_from}")
            seen[p.eid] = p
        by_eid.append(seen)
        parents.update((e, p.parent) for e, p in seen.items())
        sequences.append(list(seen))
    order = document_order(sequences)
    position = {eid: i for i, eid in enumerate(order)}
    dating = dating or DatingContext()
    in_force = act_in_force(act, adopted)
    exceptions = {
        e: InForce(d, True, f"{format_ru(d)}: the act puts {e} into force later (its final provisions)")
        for e, d in (act.in_force_exceptions if act is not None else {}).items()
    }
    ctx = _Act(in_force, exceptions, _Touching(amendments, dating))
    done: list[Version] = []
    for eid in order:
        done.extend(_versions_of(eid, ordered, by_eid, parents, position[eid], ctx))
    _move_stubs(ordered, by_eid, done, ctx)
    done.sort(key=lambda v: (v.provision.position, v.provision.valid_from or date.min))
    return done


def _versions_of(
    eid: str,
    ordered: Sequence[Snapshot],
    by_eid: Sequence[dict[str, Provision]],
    parents: dict[str, str | None],
    pos: int,
    ctx: _Act,
) -> list[Version]:
    """Rules 2-7 for one eid over the redactions that speak for it. ``parents`` is the structure of the
    newest redaction holding each eid, the same whether a redaction was parsed now or rebuilt from the
    store (so the result does not depend on which page is being saved)."""
    ancestors = _ancestors(eid, parents)
    floor = ctx.floor(eid, ancestors)
    out: list[Version] = []
    cur: Version | None = None  # the open version
    prev: Snapshot | None = None  # the last redaction that spoke for eid
    for i, snap in enumerate(ordered):
        if not snap.covers(eid):
            continue
        p = by_eid[i].get(eid)
        if p is None:
            if cur is not None:  # rule 6: dropped
                assert prev is not None
                cands = _between(ctx, cur.provision, ancestors, prev, snap)
                repeals = [d for d in cands if d.amendment.verb == "repealed"]
                end = _latest(repeals).on if repeals else (_earliest(cands).on if cands else snap.valid_from)
                _close(cur, end)
                out.append(cur)
                cur = None
            prev = snap
            continue
        h = content_hash(p)
        if cur is not None and (cur.text_hash == h or (cur.provision.repealed and p.repealed)):
            # same text: the version goes on; where it sits is taken from the newest redaction. A repealed
            # stub worded otherwise by another source ("…(порядок введения в действие см. ст.2)" against the
            # bank's bracket) is the same repeal, not a new wording: it goes on with the newest words
            if cur.text_hash != h:
                cur.provision.text, cur.provision.heading, cur.text_hash = p.text, p.heading, h
            cur.provision.parent = p.parent
            cur.provision.ancestors = list(p.ancestors)
            cur.provision.anchor = p.anchor or cur.provision.anchor  # adilet's, from the newest page giving one
            cur.through = snap.valid_from
            prev = snap
            continue
        if prev is None:  # rule 4: the first redaction that speaks for eid
            cands = [d for d in ctx.touching.of(p, ancestors) if _included(d, snap)]
            start = _first_start(p, cands, floor, snap)
        else:
            cands = [d for d in ctx.touching.of(p, ancestors) if _included(d, snap) and not _included(d, prev)]
            start = _later_start(p, cands, floor, snap, prev, changed=cur is not None)
            if cur is not None:  # rule 5: the old wording ends at the earliest amendment that may have changed it
                _close(cur, _earliest(cands).on if cands else snap.valid_from)
                out.append(cur)
        if cur is not None or out:
            last_end = (cur or out[-1]).provision.valid_to
            if last_end is not None and start.on is not None and start.on < last_end:
                start = _Start(last_end, start.exact, start.rule, None)  # rule 7: never overlapping
        cur = Version(
            provision=replace(
                p, ancestors=list(p.ancestors), valid_from=start.on, valid_to=None, position=pos,
                valid_from_exact=start.exact, valid_from_rule=start.rule,
                unknown_from=start.unknown_from if start.unknown_from != start.on else None,
            ),
            since=snap.valid_from,
            text_hash=h,
            through=snap.valid_from,
        )
        prev = snap
    if cur is not None:
        out.append(cur)
    return out


# --- rule 11: a repeal stub whose eid a restructuring moved -------------------------------------------------


def _stub_words(p: Provision) -> str:
    """A stub's text for comparison: case, spacing and the list's closing punctuation (";" or "." by
    where the item stands) aside."""
    return " ".join(p.text.split()).casefold().rstrip(" ;.,")


def _same_stub(old: Provision, new: Provision, ctx: _Act) -> bool:
    """The same "исключен" note: the same words, or the same repealing acts recorded on both eids."""
    if _stub_words(old) == _stub_words(new):
        return True
    old_acts, new_acts = ctx.touching.repealed_by(old.eid), ctx.touching.repealed_by(new.eid)
    return bool(old_acts) and old_acts == new_acts


def _stubs_by_article(provisions: Iterable[Provision]) -> dict[str, list[Provision]]:
    out: dict[str, list[Provision]] = {}
    for p in provisions:
        if p.repealed:
            art = Eid.parse(p.eid).article
            if art is not None and str(art) != p.eid:
                out.setdefault(str(art), []).append(p)
    return out


def _successor(old: Provision, appeared: Sequence[Provision], used: set[str], ctx: _Act) -> Provision | None:
    """The one stub of ``appeared`` that is ``old`` under a new eid (one of the same number first); None when
    there is none or it is ambiguous."""
    same = [p for p in appeared if p.eid not in used and _same_stub(old, p, ctx)]
    numbered = [p for p in same if p.number == old.number]
    if len(numbered) == 1:
        return numbered[0]
    return same[0] if len(same) == 1 else None


def _holding(versions: Sequence[Version], on: date) -> Version | None:
    return next((v for v in versions if _holds(v, on)), None)


def _move_stubs(ordered: Sequence[Snapshot], by_eid: Sequence[dict[str, Provision]], done: list[Version],
                ctx: _Act) -> None:
    """Rule 11, in place on ``done``: a stub whose eid vanished and reappeared under a new parent in the same
    article ends (old eid) and starts (new eid) when that new parent came into force."""
    versions: dict[str, list[Version]] = {}
    for v in done:
        versions.setdefault(v.provision.eid, []).append(v)
    stubs = [_stubs_by_article(snap.values()) for snap in by_eid]
    for i, snap in enumerate(ordered):
        for art, news in stubs[i].items():
            j = next((k for k in range(i - 1, -1, -1) if ordered[k].covers(art)), None)
            if j is None or not snap.covers(art):
                continue
            prev, before, now = ordered[j], by_eid[j], by_eid[i]
            appeared = [p for p in news if p.eid not in before]
            used: set[str] = set()
            for old in stubs[j].get(art, ()):
                if old.eid in now or not appeared:
                    continue
                new = _successor(old, appeared, used, ctx)
                if new is not None and _move_stub(old, new, prev, snap, versions):
                    used.add(new.eid)


def _move_stub(old: Provision, new: Provision, prev: Snapshot, snap: Snapshot,
               versions: dict[str, list[Version]]) -> bool:
    """Re-date the versions of one moved stub; False (nothing changed) when rule 11 does not apply."""
    if prev.valid_from is None or snap.valid_from is None or new.parent is None or new.parent == old.parent:
        return False
    parent = _holding(versions.get(new.parent, ()), snap.valid_from)
    ov = _holding(versions.get(old.eid, ()), prev.valid_from)
    nv = _holding(versions.get(new.eid, ()), snap.valid_from)
    if parent is None or ov is None or nv is None or ov.provision.valid_to is None:
        return False
    pp = parent.provision
    on = pp.valid_from
    if on is None or not prev.valid_from < on <= snap.valid_from or (on == snap.valid_from and not pp.valid_from_exact):
        return False  # the restructuring is not dated inside the span: rules 5-6 stand
    unknown = pp.unknown_from if pp.unknown_from is not None and pp.unknown_from < on else None
    if unknown is not None:
        unknown = max(unknown, prev.valid_from + _DAY)
    end = unknown or on
    start_old = ov.provision.valid_from
    earlier = [v for v in versions[new.eid] if v is not nv and (v.since or date.min) < (nv.since or date.min)]
    n = nv.provision
    if (
        (start_old is not None and end <= start_old)
        or (n.valid_to is not None and n.valid_to <= on)
        or any(v.provision.valid_to is None or v.provision.valid_to > end for v in earlier)
    ):
        return False  # would overlap or empty a version of either eid: leave both as they are
    ov.provision.valid_to = min(ov.provision.valid_to, end)
    n.valid_from, n.valid_from_exact, n.unknown_from = on, pp.valid_from_exact, unknown
    n.valid_from_rule = (f"the same repeal stub as {old.eid}, moved under {new.parent} when the article was "
                         f"restructured; {new.parent} in force from then: {pp.valid_from_rule or '?'}")
    return True


def _between(ctx: _Act, p: Provision, ancestors: Sequence[str], prev: Snapshot, snap: Snapshot) -> list[_Dated]:
    return [d for d in ctx.touching.of(p, ancestors) if _included(d, snap) and not _included(d, prev)]


def _close(v: Version, end: date | None) -> None:
    """End ``v`` at ``end``, never before (or on) its own start."""
    start = v.provision.valid_from
    if end is not None and start is not None and end <= start:
        end = start + _DAY
    v.provision.valid_to = end


def _later_start(
    p: Provision, cands: list[_Dated], floor: InForce, snap: Snapshot, prev: Snapshot, *, changed: bool
) -> _Start:
    """Rules 5-6: a wording that changed, or a provision that appeared, in a later redaction."""
    after_prev = prev.valid_from + _DAY if prev.valid_from is not None else None
    if not cands:
        since = format_ru(prev.valid_from) if prev.valid_from else "?"
        until = format_ru(snap.valid_from) if snap.valid_from else "?"
        what = "change" if changed else "provision"
        why = f"{_snapshot_label(snap)}; no amendment in the corpus dates this {what} between {since} and {until}"
        exact = changed and snap.date_source == "version"
        return _bound(_Start(snap.valid_from, exact, why, None if changed else after_prev), floor)
    last, first = _latest(cands), _earliest(cands)
    added = [d for d in cands if _created(d, p.eid)]
    if added and not changed:
        made = max(d.on for d in added)
        unknown = made if made < last.on else None
    else:
        # one of these amendments made the wording (or brought the provision): it is unknown between the
        # earliest and the latest of them
        unknown = first.on if first.on < last.on else None
    return _bound(_Start(last.on, last.when.exact, last.explain(), unknown), floor)


def align_versions(primary: Sequence[Version], other: Sequence[Version], paired: Iterable[date]) -> list[Version]:
    """Rule 12: ``other`` (e.g. the Kazakh versions) with the dates of ``primary`` (the Russian ones)
    wherever an ``other`` version holds a redaction paired with a primary one of the same date: its
    start (exactness, rule, unknown span) and, when earlier, its end are the primary version's that holds
    that redaction. Versions of one eid stay apart (a later one starts no earlier than the one before
    ends)."""
    pairs = sorted(d for d in paired if d is not None)
    if not pairs:
        return list(other)
    by_eid: dict[str, list[Version]] = {}
    for v in primary:
        by_eid.setdefault(v.provision.eid, []).append(v)
    out = [Version(replace(v.provision), v.since, v.text_hash, v.through) for v in other]
    for v in out:
        for d in pairs:
            if not _holds(v, d):
                continue
            match = next((pv for pv in by_eid.get(v.provision.eid, ()) if _holds(pv, d)), None)
            if match is None:
                continue
            src, dst = match.provision, v.provision
            dst.valid_from, dst.valid_from_exact = src.valid_from, src.valid_from_exact
            dst.valid_from_rule, dst.unknown_from = src.valid_from_rule, src.unknown_from
            if src.valid_to is not None and (dst.valid_to is None or src.valid_to < dst.valid_to):
                dst.valid_to = src.valid_to
            break
    grouped: dict[str, list[Version]] = {}
    for v in out:
        grouped.setdefault(v.provision.eid, []).append(v)
    for vs in grouped.values():
        vs.sort(key=lambda v: v.since or date.min)
        for a, b in itertools.pairwise(vs):
            end, start = a.provision.valid_to, b.provision.valid_from
            if end is not None and start is not None and start < end:
                b.provision.valid_from, b.provision.unknown_from = end, None
    out.sort(key=lambda v: (v.provision.position, v.provision.valid_from or date.min))
    return out


def _holds(v: Version, on: date) -> bool:
    """Does version ``v`` hold the text of the redaction dated ``on`` (rule 8)?"""
    if v.since is None or v.since > on:
        return False
    if v.through is not None:
        return on <= v.through
    return v.provision.valid_to is None or on < v.provision.valid_to


def redaction_members(
    versions: Iterable[Version], on: date | None, scope: Sequence[str] | None = None
) -> list[Provision]:
    """Rule 8 backwards: the provisions of the redaction valid from ``on``, rebuilt from versions
    (an excerpt's: only those in its ``scope``, rule 10)."""
    out = []
    for v in versions:
        member = on is None or _holds(v, on)
        if member and (scope is None or scope_covers(scope, v.provision.eid)):
            out.append(v.provision)
    return out


def refined_start(
    eid: str, redaction_date: date | None, amendments: Iterable[Amendment], adopted: date | None, text: str = ""
) -> date | None:
    """Rule 4 for one provision (its eid and text) of a single redaction: the date its wording starts."""
    p = Provision(act_id="", eid=eid, kind="item", text=text)
    (v,) = compute_versions([Snapshot(redaction_date, [p])], list(amendments), adopted)
    return v.provision.valid_from


# --- coverage -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """What the corpus knows on a date (docs/design.md §7): how many provisions in scope have a known
    wording then, and how many were in force then with a wording the corpus does not hold."""

    known: int
    unknown: int


def coverage_steps(versions: Iterable[Provision]) -> list[tuple[date, int, int]]:
    """How many provisions have a known wording and how many an unknown one, as a step function:
    (from date, known, unknown), each row holding until the next. An undated version counts as known
    since ever (``date.min``)."""
    delta: dict[date, list[int]] = {}

    def add(on: date, known: int, unknown: int) -> None:
        row = delta.setdefault(on, [0, 0])
        row[0] += known
        row[1] += unknown

    for p in versions:
        start = p.valid_from or date.min
        add(start, 1, 0)
        if p.valid_to is not None:
            add(p.valid_to, -1, 0)
        if p.unknown_from is not None and p.valid_from is not None and p.unknown_from < p.valid_from:
            add(p.unknown_from, 0, 1)
            add(p.valid_from, 0, -1)
    out: list[tuple[date, int, int]] = []
    known = unknown = 0
    for on in sorted(delta):
        known += delta[on][0]
        unknown += delta[on][1]
        out.append((on, known, unknown))
    return out


# --- history ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEvent:
    """One dated entry of a provision's history: an amendment, or a version coming into force.

    ``on`` is what the list is ordered by and ``date_is`` says which date it is: ``in_force`` (the
    exact date the change or wording entered into force), ``in_force_not_before`` (the earliest
    possible one) or ``adopted`` (only the amending act's adoption date is known). An amendment also
    carries both its dates: ``adopted`` (the amending act's date) and ``in_force`` with
    ``in_force_exact`` and ``in_force_rule`` (how it was found)."""

    on: date | None
    kind: Literal["amendment", "version"]
    amendment: Amendment | None = None
    version: Provision | None = None
    date_is: Literal["in_force", "in_force_not_before", "adopted", "unknown"] = "in_force"
    adopted: date | None = None
    in_force: date | None = None
    in_force_exact: bool = False
    in_force_rule: str | None = None


@dataclass
class History:
    """Versions (oldest first) and amendments of one provision, merged into dated events."""

    act_id: str
    eid: str
    versions: list[Provision] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    events: list[HistoryEvent] = field(default_factory=list)


def _amendment_event(a: Amendment, dating: DatingContext) -> HistoryEvent:
    when = dating.amendment(a)
    adopted = a.amending_act.date
    if when.on is None:
        return HistoryEvent(None, "amendment", amendment=a, date_is="unknown", adopted=adopted, in_force_rule=when.rule)
    if when.exact:
        kind: Literal["in_force", "in_force_not_before", "adopted"] = "in_force"
    else:
        kind = "adopted" if when.on == adopted else "in_force_not_before"
    return HistoryEvent(when.on, "amendment", amendment=a, date_is=kind, adopted=adopted, in_force=when.on,
                        in_force_exact=when.exact, in_force_rule=when.rule)


def build_history(
    act_id: str, eid: str, versions: Sequence[Provision], amendments: Sequence[Amendment],
    dating: DatingContext | None = None,
) -> History:
    """Events in date order; undated ones last; on one day the amendment comes before the version it made."""
    dating = dating or DatingContext()
    events = [_amendment_event(a, dating) for a in amendments]
    for v in versions:
        kind: Literal["in_force", "in_force_not_before", "unknown"] = (
            "unknown" if v.valid_from is None else "in_force" if v.valid_from_exact else "in_force_not_before"
        )
        events.append(HistoryEvent(v.valid_from, "version", version=v, date_is=kind, in_force=v.valid_from,
                                   in_force_exact=v.valid_from_exact, in_force_rule=v.valid_from_rule))
    events.sort(key=lambda e: (e.on is None, e.on or date.min, e.kind != "amendment"))
    return History(act_id, eid, list(versions), list(amendments), events)

# --- diffs of versions ---------------------------------------------------------------------------------


@dataclass
class VersionDiff:
    """Word diff between two versions of a provision (either may be None: not in force then)."""

    from_version: str | None
    to_version: str | None
    ops: list[DiffOp] = field(default_factory=list)  # on the text
    heading_ops: list[DiffOp] = field(default_factory=list)
    #: typed changes over the provision and everything under it (corpus.changes)
    changes: list[Change] = field(default_factory=list)
    #: word diffs of the parts and items under it that changed, were added, removed or renumbered
    parts: list[ProvisionDiff] = field(default_factory=list)
    #: what is known of the wording on each date: known | unknown (not in the corpus) | absent (not in force)
    from_state: str = "known"
    to_state: str = "known"
    #: parts and items in force on one date whose wording on the other is not in the corpus (left out)
    unknown_parts: list[str] = field(default_factory=list)


def version_diff(old: Provision | None, new: Provision | None) -> VersionDiff:
    """Diff of two versions' texts and headings; a missing side counts as empty."""
    return VersionDiff(
        from_version=old.version_id if old else None,
        to_version=new.version_id if new else None,
        ops=diff(old.text if old else "", new.text if new else ""),
        heading_ops=diff((old.heading or "") if old else "", (new.heading or "") if new else ""),
    )
