"""Citation resolution (разрешение ссылок): the *resolve* step after :func:`nlp.citations.find_references`.

Two stages, as eyecite splits finding from resolving:

**From the text** (:func:`resolve_text`; all ``migralex tag`` can do without a store, ``resolution="syntactic"``):
- a relative reference ("настоящего Закона", "пунктом 2 настоящей статьи") resolves against the citing
  provision; inside a quoted amending text ("изложить в следующей редакции: «… настоящей статьи …»") it
  resolves against the amended provision, the one cited just before the quote;
- an act anaphor ("статьи 5 указанного Закона", "того же Кодекса") takes the act of that kind named last
  before it in the same text; a unit anaphor ("пунктом 2 той же статьи") the article (part, пункт) cited
  last before it. With nothing before it: ``unresolved_reason = "anaphora without antecedent"``;
- a chain with no act named keeps no target ("no act named"); an act named but not identified keeps its
  name ("act not identified: …"); another state's act is never resolved to a Kazakh one.
- eids are built only through :class:`legal.eid.Eid`. "часть первая настоящего пункта" (an unnumbered
  paragraph inside a numbered пункт) and абзацы have no eid level: the reference points to their container.

**Against the corpus** (:func:`resolve_in_corpus`, run by ``annotate_store``; ``resolution="corpus"``): a
target counts as resolved only if it EXISTS in the cited act's wording in force while the citing version is
(any date of ``[valid_from, valid_to)``), read through the narrow :class:`ProvisionIndex` (``corpus.store.Store``
implements it). When the eid as written does not exist, two readings of "the first part" are tried, in this
order, and taken only if they exist: an article without numbered parts has no ``para_1`` ("подпункт 10-1)
части первой статьи 48" → ``art_48__point_10-1``), and one whose items sit in its first part may be cited
without it ("подпунктах 1), 2) статьи 176" → ``art_176__para_1__point_1``). Otherwise the citation keeps the
target as written, ``resolved=False``, and the reason: "not in corpus" (the act id is kept), "the corpus has
no wording of the act in force on …", "no such provision in the act's wording on …".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from corpus.models import Citation
from legal.eid import Eid, Piece
from nlp import citation_patterns as P
from nlp.citations import Level, Reference

NO_ACT = "no act named"
ANAPHORA_WITHOUT_ANTECEDENT = "anaphora without antecedent"
NOT_IN_CORPUS = "not in corpus"


class ProvisionIndex(Protocol):
    """What the resolver may ask of a corpus (``corpus.store.Store`` implements it): nothing else."""

    def has_act(self, act_id: str) -> bool:
        """Is the act in the corpus at all?"""
        ...

    def provision_in_force(self, act_id: str, eid: str, start: date | None, end: date | None = None) -> bool:
        """Is ``eid`` in the act's wording in force on some day of ``[start, end)`` (None ends open)?"""
        ...

    def wording_in_force(self, act_id: str, start: date | None, end: date | None = None) -> bool:
        """Does the corpus hold any wording of the act in force on some day of ``[start, end)``?"""
        ...


# --- eids from chains ---------------------------------------------------------------------------------


def _base_pieces(eid: str | None, relative: str | None) -> list[Piece] | None:
    """eid pieces of the provision a relative reference points into (None: unknown)."""
    if relative in (None, "act", "container"):
        return []
    if eid is None or not Eid.is_valid(eid):
        return None
    keep = {
        "art": ("art",),
        "part": ("art", "para"),
        "point": ("art", "para"),
        "sub": ("art", "para", "point"),
    }[relative]
    base = [p for p in Eid.parse(eid).pieces if p.prefix in keep]
    if not any(p.prefix == keep[-1] for p in base):
        return None  # e.g. "настоящего пункта" cited from an article with no пункт in its eid
    return base


def _targets(levels: list[Level], base: list[Piece]) -> Iterator[str]:
    """eids for the cross product of a chain's numbers, widest level first, under ``base``."""
    wide_first = list(reversed(levels))

    def walk(i: int, pieces: list[Piece], has_para: bool) -> Iterator[str]:
        if i == len(wide_first):
            if pieces:
                yield str(Eid(tuple(pieces)))
            return
        level = wide_first[i]
        has_art = any(p.prefix == "art" for p in pieces) or any(lv.unit == "art" for lv in levels)
        for j, (number, is_item) in enumerate(zip(level.numbers, level.items, strict=True)):
            piece: Piece | None
            para_here = has_para
            if level.unit == "art":
                piece = Piece("art", number)
            elif level.unit == "part":
                # "часть первая настоящего пункта": a paragraph of a numbered пункт has no eid level
                piece, para_here = (None, True) if has_para else (Piece("para", number), True)
            elif level.unit == "point":
                if is_item or has_para:
                    piece = Piece("point", number)
                else:
                    piece, para_here = Piece("para", number), True
            elif level.unit == "sub":
                piece = Piece("point", number)
            elif level.unit in ("chp", "sec", "prgf"):
                piece = None if has_art else Piece(level.unit, number)
                if piece is not None and level.unit == "chp" and pieces and pieces[-1].prefix == "sec":
                    pieces = pieces[:-1]  # "глав 13, 14 раздела 3": chapters are numbered through the act
            else:  # абзац: no eid level, the citation points to the provision holding it
                piece = None
            new = [*pieces, piece] if piece else list(pieces)
            quals = level.qualifiers.get(j)
            if quals:
                # "517 (частями второй, четвертой)": the bracket names the narrower levels.
                for chain in quals:
                    yield from _targets(chain, new)
            else:
                yield from walk(i + 1, new, para_here)

    has_para0 = any(p.prefix == "para" for p in base)
    yield from walk(0, list(base), has_para0)


_WIDE_UNITS = ("art", "chp", "sec", "prgf")
_ANAPHOR_KEEP = {"art": ("art",), "part": ("art", "para"), "point": ("art", "para")}


# --- stage 1: from the text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Named:
    """An act named in the text (for act anaphora)."""

    end: int
    act_id: str | None
    name: str
    kind: str | None


def amending_quotes(text: str) -> list[tuple[int, int]]:
    """Character ranges of quoted amending texts ("в следующей редакции: «…»")."""
    out: list[tuple[int, int]] = []
    for m in P.AMENDING_QUOTE_OPEN_RE.finditer(text):
        open_at = m.start("quote")
        if any(a <= open_at < b for a, b in out):
            continue
        close = _closing_quote(text, open_at)
        out.append((open_at + 1, close))
    return out


_PLAIN_QUOTE_END = re.compile(r"[\"”](?=\s*[.;,]?\s*(?:\n|$))")


def _closing_quote(text: str, open_at: int) -> int:
    """Where the quote opened at ``open_at`` closes (the text's end if it does not): «» nest; a plain
    quote ends at a quote mark that ends a line or the text ("…настоящей статьи.".)."""
    if text[open_at] == "«":
        depth = 0
        for i in range(open_at, len(text)):
            if text[i] == "«":
                depth += 1
            elif text[i] == "»":
                depth -= 1
                if depth == 0:
                    return i
        return len(text)
    m = _PLAIN_QUOTE_END.search(text, open_at + 1)
    return m.start() if m else len(text)


def resolve_text(
    text: str, references: Sequence[Reference], *, act_id: str | None = None, eid: str | None = None
) -> list[Citation]:
    """Citations of ``references`` found in ``text`` of provision ``eid`` of act ``act_id``, resolved from the
    text alone (see the module docstring). Sorted by position; one reference's targets as written."""
    quotes = amending_quotes(text) if "следующ" in text else []
    named: list[_Named] = []
    out: list[Citation] = []
    for ref in sorted(references, key=lambda r: r.start):
        act = ref.act
        ctx_act, ctx_eid = act_id, eid
        quote = next(((a, b) for a, b in quotes if a <= ref.start < b), None)
        if quote is not None and act is not None and act.relative is not None:
            amended = _amended(out, quote[0])
            ctx_act = amended.target_act_id if amended else None
            ctx_eid = amended.target_eid if amended else None
        cits = _resolve_one(text, ref, ctx_act, ctx_eid, named, out, alone=len(references) == 1)
        if quote is not None and act is not None and act.relative is not None and ctx_act is None:
            cits = [replace(c, unresolved_reason="a relative reference in a quoted amending text whose "
                                                 "amended provision is not identified") for c in cits]
        out.extend(cits)
        if act is not None and not act.relative and not act.anaphoric and act.name and not act.foreign:
            named.append(_Named(act.end, act.act_id, act.name, act.kind))
    out.sort(key=lambda c: c.start)  # stable: the targets of one reference stay in the order written
    return out


def _amended(done: Sequence[Citation], quote_start: int) -> Citation | None:
    """The provision a quoted amending text amends: the citation with a target ending last before the quote."""
    before = [c for c in done if c.end <= quote_start and c.target_act_id is not None]
    return max(before, key=lambda c: (c.end, c.start)) if before else None


def _citation(ref: Reference, act_id: str | None, name: str | None, eid: str | None,
              reason: str | None = None, antecedent: str | None = None) -> Citation:  # fmt: skip
    resolved = act_id is not None and reason is None
    return Citation(
        start=ref.start, end=ref.end, text=ref.text, target_act_id=act_id, target_name=name, target_eid=eid,
        resolved=resolved, unresolved_reason=None if resolved else (reason or NO_ACT), antecedent=antecedent,
    )  # fmt: skip


def _resolve_one(
    text: str, ref: Reference, act_id: str | None, eid: str | None, named: Sequence[_Named], done: Sequence[Citation],
    *, alone: bool = False,
) -> list[Citation]:
    act = ref.act
    base: list[Piece] | None = []
    antecedent: str | None = None
    name = act.name if act is not None else None
    if act is None and ref.see_also is not None:
        target, name = ref.see_also
        reason = None if target else NO_ACT
    elif act is None:
        # No act named: the act the text is written in (legislative technique names any other act):
        # "в статье 187" in the Criminal Code is its art. 187; a chain without an article ("пунктом 2)",
        # "частью третьей") points into the citing article when it is the text's only reference and stands
        # outside brackets: beside other references it is as often theirs ("пунктами 1) – 6) части первой
        # настоящей статьи, …, пунктом 7)"), in brackets the rest of a list that did not parse.
        target, reason = act_id, None
        if not any(lv.unit in _WIDE_UNITS for lv in ref.levels):
            base = _implicit_base(ref.levels, eid)
            if base is None or not alone or _inside_brackets(text, ref.start):
                target, base = None, []
        if target is None:
            reason = NO_ACT
    elif act.relative is not None and (said := _said_unit(text, ref, done)) is not None:
        # "…статьи 10 …, установив, что … данный пункт действует в следующей редакции": the unit cited just
        # before in the same sentence, not the citing one
        target, base, antecedent = said[0].target_act_id, said[1], said[0].text
        reason = None
    elif act.relative is not None:
        target = act_id
        base = _base_pieces(eid, act.relative)
        reason = None if target else f"a relative reference ({act.name}) without the citing act"
        if target and base is None:
            where = eid or "unknown"
            reason = f"a relative reference ({act.name}) that the citing provision ({where}) does not contain"
    elif act.anaphoric and act.anaphor_unit is None:
        found = _antecedent_act(named, ref.start, act.kind)
        if found is None:
            target, reason = None, ANAPHORA_WITHOUT_ANTECEDENT
        else:
            target, antecedent = found.act_id, found.name
            reason = None if target else f"act not identified: {found.name}"
    elif act.anaphoric:
        prior = _antecedent_target(done, ref.start, act.anaphor_unit or "art")
        if prior is None:
            if not ref.levels:
                return []  # "предусмотренного этой статьей" with no article before: a generic phrase
            target, reason = None, ANAPHORA_WITHOUT_ANTECEDENT
        else:
            target, antecedent = prior[0].target_act_id, prior[0].text
            base, reason = prior[1], None
            if not ref.levels:
                return [_citation(ref, target, prior[0].target_name, str(Eid(tuple(base))), None, antecedent)]
    else:
        target = act.act_id
        reason = None if target else (
            f"an act of another state: {act.name}" if act.foreign else f"act not identified: {act.name}"
        )  # fmt: skip
    if target is None or base is None:
        return [_citation(ref, target, name, None, reason, antecedent)]
    eids: list[str | None] = [*dict.fromkeys(_targets(ref.levels, base))] or [None]
    return [_citation(ref, target, name, e, reason, antecedent) for e in eids]


_SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")


def _said_unit(text: str, ref: Reference, done: Sequence[Citation]) -> tuple[Citation, list[Piece]] | None:
    """For "данный пункт" / "данная часть" with no number: the citation of that unit just before it in the
    same sentence, if any (None: the phrase points into the citing provision, as "настоящий")."""
    act = ref.act
    if ref.levels or act is None or act.relative not in _ANAPHOR_KEEP or not (act.name or "").lower().startswith(
            "данн"):  # fmt: skip
        return None
    prior = _antecedent_target(done, ref.start, "point" if act.relative == "sub" else act.relative)
    if prior is None or _SENTENCE_BREAK.search(text, prior[0].end, ref.start):
        return None
    return prior


def _implicit_base(levels: Sequence[Level], eid: str | None) -> list[Piece] | None:
    """The citing provision's pieces a chain without an article points into: its article, and its part
    when the chain's widest level is an item ("пунктом 2)" in a part → that part's item 2)."""
    if eid is None or not Eid.is_valid(eid) or not levels:
        return None
    pieces = Eid.parse(eid).pieces
    art = [p for p in pieces if p.prefix == "art"]
    if not art:
        return None
    widest = levels[-1]
    item_level = widest.unit == "sub" or (widest.unit == "point" and all(widest.items))
    para = [p for p in pieces if p.prefix == "para"][:1] if item_level else []
    return [*art, *para]


def _inside_brackets(text: str, pos: int) -> bool:
    window = text[max(0, pos - 300) : pos]
    return window.count("(") > window.count(")")


def _antecedent_act(named: Sequence[_Named], start: int, kind: str | None) -> _Named | None:
    """The act of ``kind`` named last before ``start`` ("указанного Закона" → the last закон named)."""
    for n in reversed(named):
        if n.end <= start and (kind is None or n.kind is None or n.kind == kind or kind in (n.kind or "")):
            return n
    return None


def _antecedent_target(done: Sequence[Citation], start: int, unit: str) -> tuple[Citation, list[Piece]] | None:
    """The citation of an eid with ``unit`` cited last before ``start``, and the pieces of that unit
    ("пунктом 2 той же статьи" after "статьи 48 Закона" → art_48)."""
    keep = _ANAPHOR_KEEP[unit]
    for c in sorted(done, key=lambda c: (c.end, c.start), reverse=True):
        if c.end > start or c.target_act_id is None or c.target_eid is None or not Eid.is_valid(c.target_eid):
            continue
        pieces = [p for p in Eid.parse(c.target_eid).pieces if p.prefix in keep]
        if pieces and pieces[-1].prefix == keep[-1]:
            return c, pieces
    return None


# --- stage 2: against the corpus -------------------------------------------------------------------------


def _first_part_readings(eid: str) -> list[str]:
    """Other readings of "the first part" of an article, tried when the eid as written does not exist:
    without ``para_1`` (an article with no numbered parts) and with it (items cited without their part)."""
    parsed = Eid.parse(eid)
    pieces = list(parsed.pieces)
    art = next((i for i, p in enumerate(pieces) if p.prefix == "art"), None)
    if art is None:
        return []
    out: list[str] = []
    nxt = pieces[art + 1] if art + 1 < len(pieces) else None
    if nxt is not None and nxt.prefix == "para" and nxt.number == "1" and nxt.dup == 1:
        out.append(str(Eid(tuple(pieces[: art + 1] + pieces[art + 2 :]))))
    elif nxt is not None and nxt.prefix == "point":
        out.append(str(Eid(tuple([*pieces[: art + 1], Piece("para", "1"), *pieces[art + 1 :]]))))
    return out


def _unnumbered_paragraph(
    index: ProvisionIndex, act: str, eid: str, start: date | None, end: date | None
) -> str | None:
    """"частью второй настоящей статьи" of an article whose parts are unnumbered paragraphs (no ``para_1``
    exists): the paragraph has no eid, so the citation points to the article, as to an абзац."""
    pieces = Eid.parse(eid).pieces
    if len(pieces) != 2 or pieces[0].prefix != "art" or pieces[1].prefix != "para":
        return None
    article = str(Eid(pieces[:1]))
    if index.provision_in_force(act, str(Eid((*pieces[:1], Piece("para", "1")))), start, end):
        return None
    return article if index.provision_in_force(act, article, start, end) else None


def _period(start: date | None, end: date | None) -> str:
    """The citing version's period, as the reasons name it: "2014-07-04 – now", "2012-04-27 – 2019-01-01"."""
    return f"{start or 'any date'} – {end or 'now'}"


def resolve_in_corpus(
    citations: Sequence[Citation], index: ProvisionIndex, *, start: date | None, end: date | None = None
) -> list[Citation]:
    """Check text-resolved ``citations`` of a provision version valid on ``[start, end)`` against the corpus:
    a target is resolved only if it exists in the cited act's wording in force on some day of that period.
    Returns new citations with ``resolution="corpus"`` (the input is not changed)."""
    out: list[Citation] = []
    known: dict[str, bool] = {}
    for c in citations:
        c = replace(c, resolution="corpus")
        act = c.target_act_id
        if act is None or (c.unresolved_reason is not None and not c.resolved):
            out.append(c)
            continue
        if act not in known:
            known[act] = index.has_act(act)
        if not known[act]:
            out.append(replace(c, resolved=False, unresolved_reason=NOT_IN_CORPUS))
            continue
        if c.target_eid is None:
            out.append(replace(c, resolved=True, unresolved_reason=None))
            continue
        readings = (c.target_eid, *_first_part_readings(c.target_eid))
        hit = next((e for e in readings if index.provision_in_force(act, e, start, end)), None)
        hit = hit or _unnumbered_paragraph(index, act, c.target_eid, start, end)
        if hit is not None:
            out.append(replace(c, target_eid=hit, resolved=True, unresolved_reason=None))
        elif not index.wording_in_force(act, start, end):
            reason = f"the corpus has no wording of the act in force on {_period(start, end)}"
            out.append(replace(c, resolved=False, unresolved_reason=reason))
        else:
            reason = f"no such provision in the act's wording on {_period(start, end)}"
            out.append(replace(c, resolved=False, unresolved_reason=reason))
    return out
