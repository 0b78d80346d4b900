"""What changed between two wordings, in the terms a scholar looks for (docs/design.md §3, §7).

:func:`subtree_diff` compares a provision and everything under it (an article's parts and items) on
two dates: a word-level diff per provision (:func:`corpus.timeline.diff`) and a typed list of changes:

- ``number_changed`` — a number in the text changed: "в течение десяти суток" → "тридцати суток", a
  fine of 15 → 25 МРП, an arrest term; numbers in digits or in words (``legal.numerals``), with both
  values and the unit that follows ("суток", "МРП", "лет");
- ``term_replaced`` — a short wording (up to four words, no number) replaced by another: "оралман" →
  "кандас", "органы внутренних дел" → "полиция";
- ``text_changed`` — any other rewording (words added, removed or rewritten), with both sides;
- ``heading_changed`` — the heading (заголовок) of an article or chapter;
- ``item_added`` / ``item_removed`` — a part or item that is new, or gone; an item that became an
  "исключен" stub counts as removed (its stub is the ``after`` text);
- ``item_renumbered`` — the same text under another number (подпункт 7) → 10)), ``from_eid`` → ``eid``;
  renumbered text that also changed gives its typed changes too.

Each change says where (``eid``: the provision on the later date, or the earlier one for a removed
item) and carries ``before``/``after``. The same replacement in one provision is one change with a
``count``. Pure functions; the store gathers the two subtrees.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import WithJsonSchema

from corpus.models import Provision
from legal.numerals import find_numbers
from legal.typography import fold_typography

DiffTag = Literal["equal", "insert", "delete"]
#: One diff step: (tag, text). Described to OpenAPI as a two-string array: the tuple's own schema
#: (prefixItems) trips some OpenAPI tools, schemathesis among them.
DiffOp = Annotated[
    tuple[DiffTag, str],
    WithJsonSchema({"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2,
                    "description": "[equal | insert | delete, text]"}),
]
ChangeType = Literal[
    "number_changed", "term_replaced", "text_changed", "heading_changed", "item_added", "item_removed",
    "item_renumbered",
]
#: A renumbered item keeps (almost) its text: at least this ratio of difflib's.
RENUMBER_SIMILARITY = 0.9
#: A text that keeps less than this share of its characters is rewritten, not edited word by word.
REWRITTEN_BELOW = 0.5
#: A replaced wording of up to this many words (without numbers) is a term.
TERM_MAX_WORDS = 4
_WORD = re.compile(r"\w+(?:-\w+)*")
_MRP = re.compile(r"месячн\w*\s+расчетн\w*\s+показател\w*", re.IGNORECASE)
_UNIT = re.compile(r"[\s\u00a0]*(?:\(\s*)?(\w+)")
_LINK_WORDS = frozenset({"до", "от", "и", "или", "с", "по", "свыше", "более", "менее", "не"})
_SPACES = re.compile(r"\s+")


@dataclass
class Change:
    """One typed change (see the module doc)."""

    type: str  # one of ChangeType
    eid: str
    before: str | None = None
    after: str | None = None
    from_eid: str | None = None  # item_renumbered: the number before
    before_value: int | None = None  # number_changed
    after_value: int | None = None
    unit: str | None = None  # number_changed: "суток", "МРП", "лет" …
    count: int = 1


@dataclass
class ProvisionDiff:
    """The word diff of one provision under the one compared (a part or item), by eid."""

    eid: str
    state: str  # added | removed | changed | renumbered
    from_version: str | None = None
    to_version: str | None = None
    from_eid: str | None = None  # renumbered: the eid on the earlier date
    ops: list[DiffOp] = field(default_factory=list)
    heading_ops: list[DiffOp] = field(default_factory=list)


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def _similar(a: str, b: str) -> float:
    a, b = _norm(a), _norm(b)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < RENUMBER_SIMILARITY or sm.quick_ratio() < RENUMBER_SIMILARITY:
        return 0.0
    return sm.ratio()


def _unit_after(text: str, end: int) -> str | None:
    """What a number counts: the next word that is not another number or a link word ("от трех до семи
    лет" → "лет", "суток"); МРП for "месячных расчетных показателей"."""
    numbers = {start: stop for start, stop, _ in find_numbers(text[end : end + 200])}
    at = end
    for _ in range(6):
        rest = text[at:]
        stripped = rest.lstrip(" \u00a0(")
        if _MRP.match(stripped):
            return "МРП"
        m = _UNIT.match(rest)
        if m is None:
            return None
        offset = at - end + m.start(1)
        if offset in numbers:
            at = end + numbers[offset]
            continue
        if m.group(1).lower() in _LINK_WORDS:
            at += m.end()
            continue
        return m.group(1)
    return None


def _full_number(numbers: Sequence[tuple[int, int, int]], at: int) -> tuple[int, int, int] | None:
    """The whole number of a text that holds offset ``at`` ("двух" of "двух тысяч" → "двух тысяч", 2000)."""
    return next((n for n in numbers if n[0] <= at < n[1]), None)


def _regions(ops: Sequence[DiffOp]) -> list[tuple[str, str, int, int]]:
    """(deleted, inserted, offset in the old text, offset in the new text) of each changed stretch."""
    out: list[tuple[str, str, int, int]] = []
    old_at = new_at = 0
    k = 0
    while k < len(ops):
        op, text = ops[k]
        if op == "equal":
            old_at += len(text)
            new_at += len(text)
            k += 1
            continue
        deleted = text if op == "delete" else ""
        inserted = text if op == "insert" else ""
        if op == "delete" and k + 1 < len(ops) and ops[k + 1][0] == "insert":
            inserted = ops[k + 1][1]
            k += 1
        out.append((deleted, inserted, old_at, new_at))
        old_at += len(deleted)
        new_at += len(inserted)
        k += 1
    return out


def text_changes(eid: str, old: str, new: str, ops: Sequence[DiffOp] | None = None) -> list[Change]:
    """Typed changes inside one provision's text (numbers, terms, other rewordings). A text rewritten
    through (less than :data:`REWRITTEN_BELOW` of the old text kept) is one ``text_changed`` with both texts."""
    ops = list(ops if ops is not None else diff(old, new))
    kept = sum(len(t) for op, t in ops if op == "equal" and not t.isspace())
    if old.strip() and new.strip() and kept < REWRITTEN_BELOW * len(old):
        return [Change("text_changed", eid, old.strip(), new.strip())]
    out: list[Change] = []
    old_numbers, new_numbers = find_numbers(old), find_numbers(new)
    for deleted, inserted, old_at, new_at in _regions(ops):
        before_nums, after_nums = find_numbers(deleted), find_numbers(inserted)
        if before_nums and after_nums and len(before_nums) == len(after_nums):
            for (bs, _, _), (as_, _, _) in zip(before_nums, after_nums, strict=True):
                # the whole numbers of the texts ("двух" → "трех" of "двух тысяч" → "трех тысяч": 2000 → 3000)
                b, a = _full_number(old_numbers, old_at + bs), _full_number(new_numbers, new_at + as_)
                if b is None or a is None or b[2] == a[2]:
                    continue
                out.append(Change(
                    "number_changed", eid, old[b[0] : b[1]], new[a[0] : a[1]], before_value=b[2], after_value=a[2],
                    unit=_unit_after(new, a[1]) or _unit_after(old, b[1]),
                ))
            rest_before = _WORD.findall(_strip_numbers(deleted))
            rest_after = _WORD.findall(_strip_numbers(inserted))
            if rest_before != rest_after:
                out.append(Change("text_changed", eid, deleted.strip() or None, inserted.strip() or None))
            continue
        words_before, words_after = _WORD.findall(deleted), _WORD.findall(inserted)
        if (words_before and words_after and not before_nums and not after_nums
                and len(words_before) <= TERM_MAX_WORDS and len(words_after) <= TERM_MAX_WORDS):
            out.append(Change("term_replaced", eid, deleted.strip(), inserted.strip()))
        elif words_before or words_after:
            out.append(Change("text_changed", eid, deleted.strip() or None, inserted.strip() or None))
    return out


def _strip_numbers(text: str) -> str:
    spans = find_numbers(text)
    for start, end, _ in reversed(spans):
        text = text[:start] + text[end:]
    return text


def _merge(changes: list[Change]) -> list[Change]:
    """The same change in one provision once, with a count."""
    out: list[Change] = []
    seen: dict[tuple[object, ...], Change] = {}
    for c in changes:
        key = (c.type, c.eid, c.from_eid, c.before, c.after)
        if key in seen:
            seen[key].count += 1
        else:
            seen[key] = c
            out.append(c)
    return out


def _body(p: Provision) -> str:
    """What is compared: heading and text, typography folded («…» and "…", dashes, line wraps)."""
    return fold_typography(f"{p.heading or ''}\n{p.text}")


def subtree_diff(
    old: Mapping[str, Provision], new: Mapping[str, Provision], order: Sequence[str]
) -> tuple[list[Change], list[ProvisionDiff]]:
    """Typed changes and per-provision word diffs between two subtrees (eid → the version in force on
    each date); ``order`` lists every eid of both in document order. Unchanged provisions are left out."""
    gone = [e for e in order if e in old and e not in new]
    came = [e for e in order if e in new and e not in old]
    changed = [e for e in order if e in old and e in new and _body(old[e]) != _body(new[e])]
    # renumbering: an earlier text found again under another eid (greedy, most similar first)
    sources = [e for e in (*gone, *changed) if not old[e].repealed and old[e].text.strip()]
    targets = [e for e in (*came, *changed) if not new[e].repealed and new[e].text.strip()]
    pairs: list[tuple[float, int, str, str]] = []
    for i, s in enumerate(sources):
        for t in targets:
            if s != t and old[s].kind == new[t].kind and (score := _similar(old[s].text, new[t].text)) > 0:
                pairs.append((score, -i, s, t))
    moved: dict[str, str] = {}  # target eid → source eid
    used: set[str] = set()
    for score, _, s, t in sorted(pairs, reverse=True):
        if score >= RENUMBER_SIMILARITY and s not in used and t not in moved:
            moved[t] = s
            used.add(s)
    changes: list[Change] = []
    parts: list[ProvisionDiff] = []
    for e in order:
        o, n = old.get(e), new.get(e)
        if n is not None and e in moved:
            src = old[moved[e]]
            changes.append(Change("item_renumbered", e, src.text, n.text, from_eid=src.eid))
            ops = diff(src.text, n.text)
            changes += text_changes(e, src.text, n.text, ops)
            parts.append(ProvisionDiff(e, "renumbered", src.version_id, n.version_id, src.eid, ops,
                                       diff(src.heading or "", n.heading or "")))
            if o is None:
                continue
            # the text that stood under this eid before went elsewhere (or was removed)
            if e not in used:
                changes.append(Change("item_removed", e, o.text, None))
            continue
        if o is not None and n is None:
            if e not in used:  # (a text that moved is shown under its new number)
                changes.append(Change("item_removed", e, o.text, None))
                parts.append(ProvisionDiff(e, "removed", o.version_id, None, ops=diff(o.text, ""),
                                           heading_ops=diff(o.heading or "", "")))
            continue
        if o is None and n is not None:
            changes.append(Change("item_added", e, None, n.text))
            parts.append(ProvisionDiff(e, "added", None, n.version_id, ops=diff("", n.text),
                                       heading_ops=diff("", n.heading or "")))
            continue
        if o is None or n is None or _body(o) == _body(n):
            continue
        if e in used:  # its earlier text was renumbered away: what stands here now is new
            changes.append(Change("item_added", e, None, n.text))
            parts.append(ProvisionDiff(e, "added", None, n.version_id, ops=diff("", n.text),
                                       heading_ops=diff("", n.heading or "")))
            continue
        ops, heading_ops = diff(o.text, n.text), diff(o.heading or "", n.heading or "")
        parts.append(ProvisionDiff(e, "changed", o.version_id, n.version_id, ops=ops, heading_ops=heading_ops))
        if n.repealed and not o.repealed:
            changes.append(Change("item_removed", e, o.text, n.text))
            continue
        if (o.heading or "") != (n.heading or ""):
            changes.append(Change("heading_changed", e, o.heading, n.heading))
        changes += text_changes(e, o.text, n.text, ops)
    return _merge(changes), parts


# --- word-level diff (one for every layer) ------------------------------------------------------

# words (with inner hyphens: "бизнес-иммигрантам", "6-1"), runs of spaces, single punctuation marks
_TOKEN = re.compile(r"\w+(?:-\w+)*|\s+|[^\w\s]")


@dataclass
class _Region:
    """A stretch of a diff: equal on both sides, or changed (``old`` → ``new``)."""

    kind: Literal["equal", "change"]
    old: str
    new: str


def diff(a: str, b: str) -> list[DiffOp]:
    """Word-level diff: the "equal" and "insert" texts joined give ``b``; "equal" and "delete" give ``a``
    (up to typography, see below).

    Within a changed stretch all deleted words come first, then the inserted ones; the spaces between
    two changed words belong to the change (no "equal ' '" crumbs). Tokens that differ only in
    typography (:func:`legal.typography.fold_typography`: «…» and "…", dashes, no-break spaces) are
    equal, and an "equal" text is ``b``'s; folding keeps lengths, so offsets into ``a`` stay right.
    """
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    sm = difflib.SequenceMatcher(None, [fold_typography(t) for t in ta], [fold_typography(t) for t in tb],
                                 autojunk=False)
    regions = [
        _Region("equal" if tag == "equal" else "change", "".join(tb[j1:j2]) if tag == "equal" else "".join(ta[i1:i2]),
                "".join(tb[j1:j2]))
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
