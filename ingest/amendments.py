"""Amendment records (изменения и дополнения) from adilet's editorial notes and repealed items.

adilet attaches a note to every provision an act changed::

    Сноска. Статья 1 с изменениями, внесенными законами РК от 27.04.2012 № 15-V (вводится в
    действие …); от 24.11.2015 № 421-V (порядок введения в действие см. пп. 1) п. 1 ст. 2); …

    Примечание ИЗПИ! Пункт 7 предусмотрен в редакции Закона РК от 04.07.2023 № 15-VIII
    (вводится в действие с 01.01.2030).

and writes a repealed item as "3) исключен Законом РК от 10.01.2025 № 154-VIII (вводится …)".
:func:`parse_note` and :func:`parse_excluded_item` turn such text into
:class:`corpus.models.Amendment` records, one per (target provision, amending act).

How a note is read
  The note is cut at every amending act it cites ("от ДД.ММ.ГГГГ № N"). The wording before an act
  (its *lead*) carries the verb, the kind of act and, in the first lead, the target; the text after
  it up to the next separator ("; от", "). от", "), с изменением") is its effective-date bracket.
  Brackets are never matched: they nest ("см. пп. 1) п. 1 ст. 2)"). A lead without a verb, kind or
  target ("…); от 13.06.2013 № 102-V") repeats those of the act before it. An act cited inside
  another act's bracket ("см. ст. 2 Закона РК от … № …") is not an amending act.

Effective dates
  ``effective_text`` keeps the bracket as written (spaces that link lines left inside it removed);
  ``effective_date`` is set only when the bracket's main clause gives a date ("вводится в действие
  с 01.01.2017", "вводится в действие 01.01.2015", "вступает в силу с 1 января 2016 года"), and is
  None for "по истечении десяти календарных дней …", "порядок введения в действие см. ст. 2" or a
  date that only an exception ("за исключением …, который вводится в действие с …") carries.
  ``effective_rule`` is the bracket read by :mod:`ingest.effective_rules` (a fixed date, a delay
  after publication, a reference …), which ``corpus.dating`` resolves to an in-force date.

Verbs (docs/design.md §3)
  * ``amended`` — "с изменениями, внесенными", "с изменением, внесенным", "внесено изменение";
    also "слова … заменены" inside one provision. An act cited with no wording of a change gives
    no record: "Нормативным постановлением Конституционного Суда … признана соответствующей
    Конституции" is a review, "действие … приостановлено" a suspension, not amendments.
  * ``supplemented`` — the provision was "дополнена" with content that has no number of its own
    ("дополнена примечанием", "частью третьей"): the record is on the supplemented provision.
  * ``added`` — a new numbered provision: "Глава 6 дополнена статьей 37-1", "Кодекс дополнен
    главой 3-1", "Статья 12 дополнена пунктом 3-1", "Статья 5-1 введена". The record is on the NEW
    provision (art_37-1), since that is the one whose history starts with this act.
  * ``restated`` — "в редакции"; ``repealed`` — "исключена/исключен/исключено/исключены".
  * ``replaced_throughout`` — "По всему тексту … слова … заменены": eid None (the whole act).
  * ``prospective`` — every "Примечание ИЗПИ!" note that cites an act (adilet uses them for changes
    not in force yet: "предусматривается изменение", "предусмотрен в редакции", "будут внесены"),
    and any note worded "предусмотрен(о)…". The record is on the provision the change will touch or
    create ("Главу 16 предусматривается дополнить статьей 380-3" → art_380-3).

Targets
  Named units in the note win over the caller's ``context_eid``: "Статья 5-1" → art_5-1, "Глава 3"
  → chp_3, "Заголовок главы 3" → chp_3, "Параграф 2" → prgf_2, "Раздел 4" → sec_4, "Пункт 2 статьи
  5" → art_5__para_2, "подпункт 3) пункта 2 статьи 5" → art_5__para_2__point_3. "пункт N)" (with a
  bracket, codes' wording) and "пункт" next to "часть" are items (point); "пункт N" otherwise a
  part (para). Parts and items named without their article ("Часть 1", "В подпункт 15)") are
  resolved inside ``context_eid``'s article (or from the top in acts without articles, such as
  постановления and приказы: "Пункт 3" → para_3). "Преамбула" → preamble. "По всему тексту" and
  "Кодекс/Закон/Приказ/Правила …" → None (the whole act); no named unit ("Статья с изменением",
  "Заголовок …") → ``context_eid``.

Unrecognised notes
  A record needs an amending act with a date and a number: a note without one returns [] (it can
  not be placed on a timeline), and is never an error. :func:`unparsed_reason` says why a note
  gave no records, so callers can count and log them. Bad arguments (not a string, empty act id,
  malformed eid, unknown source kind) raise ``ValueError``/``TypeError``.

Amending act ids
  :func:`legal.act_ids.derive_act_id` (adilet's rule: laws and codes from 2011 on); numbers are
  normalised by :func:`legal.act_ids.normalize_act_number` ("292-VІ" → "292-VI").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from corpus.models import AMENDMENT_SOURCES, AmendingAct, Amendment, EffectiveRule
from ingest import amendment_patterns as P
from ingest.effective_rules import parse_rule
from legal.act_ids import derive_act_id, normalize_act_number
from legal.act_kinds import kind_of
from legal.dates import parse_date
from legal.eid import LEVEL, Eid, Piece
from legal.roman import to_latin

log = logging.getLogger(__name__)

#: Nesting levels of eid pieces (docs/design.md §2), outermost first.
# numbers as written: "5-1", Cyrillic letter items ("point_а"), duplicate suffixes ("point_1_2")
_WS = re.compile(r"\s+")
# a repealed stub is a note of a few hundred characters; a longer text that starts so is a real provision
_STUB_MAX_CHARS = 400
_NBSP = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2060": ""})


# --- public API ------------------------------------------------------------------------------------


def is_note(text: str) -> bool:
    """True for adilet's editorial notes: "Сноска." (also "Снсоска."), "Примечание ИЗПИ!/РЦПИ!"."""
    return note_kind(text) is not None


def note_kind(text: str) -> str | None:
    """``"footnote"`` for a Сноска, ``"izpi_note"`` for a Примечание ИЗПИ/РЦПИ, None otherwise.

    The value is a source kind of :data:`corpus.models.AMENDMENT_SOURCES`, for callers that pass
    ``source_kind`` to :func:`parse_note`.
    """
    m = P.NOTE_PREFIX.match(_fold(text))
    if not m:
        return None
    return "izpi_note" if m.group("izpi") else "footnote"


def parse_note(text: str, *, act_id: str, context_eid: str | None, source_kind: str = "footnote") -> list[Amendment]:
    """One editorial note → one :class:`Amendment` per (target provision, amending act).

    ``context_eid`` is the provision the note is attached to (None for notes at the top of the act);
    it is the target unless the note names its own. ``source_kind`` is stored as given (pass
    ``note_kind(text)`` to tell ИЗПИ notes apart). ``source`` is the note with NBSP and whitespace
    runs (the line breaks of text copies) folded to single spaces. Returns [] for a note that cites
    no amending act or states no change (see :func:`unparsed_reason`).
    """
    _check_args(text, act_id, context_eid, source_kind)
    return _parse(_fold(text), act_id=act_id, context_eid=context_eid, source_kind=source_kind)


def replaced_words(note: str, number: str | None) -> tuple[str, ...]:
    """The words an act-wide replacement ("По всему тексту … слова "A" заменены словами "B" …") by
    act ``number`` put into the text, as written ("кандасам", "кандас", …).

    A note may carry the clauses of several laws, each closed by "в соответствии с Законом … № N";
    only the clauses closed by act ``number`` count (all of them when the note names no act).
    """
    wanted = to_latin(number or "")
    chunks: list[str] = []
    start = 0
    for m in P.REPLACED_BY_ACT.finditer(note):
        if to_latin(m.group(1)) == wanted:
            chunks.append(note[start : m.start()])
        start = m.end()
    if start == 0:  # no act named in the note: it is all this act's
        chunks.append(note)
    words: list[str] = []
    for chunk in chunks:
        for m in P.REPLACED_WITH.finditer(chunk):
            words += [next(g for g in q.groups() if g) for q in P.QUOTED_WORDING.finditer(m.group(1))]
    return tuple(dict.fromkeys(w.strip() for w in words if w.strip()))


def is_repealed_stub(text: str, lang: str = "rus") -> bool:
    """True when a provision's text is only the note that it was repealed ("3) исключен Законом РК
    от …", "Исключена …", "Утратил силу …"; Kazakh "алып тасталды", "күші жойылды"), not a provision
    that merely starts so."""
    folded = _fold(text)
    pattern = P.KAZ_EXCLUDED_ITEM if lang == "kaz" else P.EXCLUDED_ITEM
    return len(folded) <= _STUB_MAX_CHARS and pattern.match(folded) is not None


def parse_excluded_item(text: str, *, act_id: str, eid: str) -> list[Amendment]:
    """A provision whose text says it was repealed ("3) исключен Законом РК от … № … (вводится …)",
    "9. Исключен …", "Статья 12 исключена …") → ``repealed`` records on ``eid``.

    Returns [] when the text is not such an item (ordinary text, "за исключением …") or names no
    amending act.
    """
    _check_args(text, act_id, eid, "excluded_item")
    if not eid:
        raise ValueError("eid of an excluded item must not be empty")
    folded = _fold(text)
    m = P.EXCLUDED_ITEM.match(folded)
    if not m:
        return []
    body = folded[m.start("verb") :]
    out: list[Amendment] = []
    for seg in _segments(body):
        act = _amending_act(seg)
        out.append(
            Amendment(
                act_id=act_id,
                eid=eid,
                verb="repealed",
                amending_act=act,
                effective_text=seg.effective_text,
                effective_date=seg.effective_date,
                effective_rule=seg.effective_rule,
                source=folded,
                source_kind="excluded_item",
            )
        )
    return out


def unparsed_reason(text: str) -> str | None:
    """Why :func:`parse_note` gives no records for this note, or None when it gives some.

    For counting and logging the notes the parser leaves out ("no amending act …").
    """
    if not isinstance(text, str):
        raise TypeError(f"note text must be a string, got {type(text).__name__}")
    folded = _fold(text)
    body = _strip_prefix(folded)
    if not body:
        return "empty note"
    if P.CONTENTS_SUBJECT.match(body.lower()):
        return "a change of adilet's table of contents (оглавление), not of a provision"
    if not P.ACT_CITATION.search(body):
        if P.SUSPENDED.search(body):
            return "a suspension (действие … приостановлено) is not an amendment verb"
        if re.search(P.DATE, body):
            return "an amending act is dated but has no number (от ДД.ММ.ГГГГ № N)"
        return "no amending act cited (от ДД.ММ.ГГГГ № N)"
    if not _parse(folded, act_id="_", context_eid=None, source_kind="footnote"):
        if P.SUSPENDED.search(body):
            return "a suspension (действие … приостановлено) is not an amendment verb"
        return "an act is cited but no wording of a change (с изменениями, в редакции, исключена …)"
    return None


# --- internals -------------------------------------------------------------------------------------


@dataclass
class _Segment:
    """One amending act of a note with the wording before it and its effective bracket."""

    lead: str
    date_text: str
    number: str
    effective_text: str | None
    effective_date: date | None
    effective_rule: EffectiveRule | None = None


def _fold(text: str) -> str:
    """NBSP → space, all whitespace runs (the line breaks of text copies included) → one space."""
    return _WS.sub(" ", text.translate(_NBSP)).strip()


def _check_args(text: object, act_id: object, eid: object, source_kind: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"note text must be a string, got {type(text).__name__}")
    if not isinstance(act_id, str) or not act_id.strip():
        raise ValueError(f"act_id must be a non-empty string, got {act_id!r}")
    if eid is not None and (not isinstance(eid, str) or not Eid.is_valid(eid)):
        raise ValueError(f"not an eid (e.g. art_5__para_2): {eid!r}")
    if source_kind not in AMENDMENT_SOURCES:
        raise ValueError(f"unknown source_kind {source_kind!r}; expected one of {AMENDMENT_SOURCES}")


def _strip_prefix(folded: str) -> str:
    m = P.NOTE_PREFIX.match(folded)
    return folded[m.end() :] if m else folded


def _effective(raw: str) -> tuple[str | None, date | None]:
    """The effective bracket as written (spaces that came from link lines removed) and its date."""
    text = raw.strip().rstrip(".;, ")
    if not text.startswith("("):
        return None, None
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    # only the main clause counts: in "(вводится в действие по истечении десяти … , за исключением
    # подпункта 2), который вводится в действие с 01.01.2017)" the act itself has no fixed date
    phrase = P.EFFECTIVE_PHRASE.search(text)
    m = P.EFFECTIVE_DATE.match(text, phrase.start()) if phrase else None
    return text, (parse_date(m.group("date")) if m else None)


def _segments(body: str) -> list[_Segment]:
    """Cut a note body at each cited act (see the module docstring)."""
    cites: list[re.Match[str]] = []
    for c in P.ACT_CITATION.finditer(body):
        # text since the last "; " before this citation (adilet sometimes leaves a bracket unclosed
        # before "; от …", so a ";" always ends the bracket)
        before = body[cites[-1].end() if cites else 0 : c.start()].rsplit(";", 1)[-1]
        if cites and before.count("(") > before.count(")"):
            continue  # cited inside the previous act's bracket ("см. ст. 2 Закона РК от … № …")
        cites.append(c)
    out: list[_Segment] = []
    lead_start = 0
    for i, c in enumerate(cites):
        lead = body[lead_start : c.start()]
        region_end = cites[i + 1].start() if i + 1 < len(cites) else len(body)
        region = body[c.end() : region_end]
        if i + 1 < len(cites):
            seps = list(P.SEGMENT_SEPARATOR.finditer(region))
            if seps:
                sep = seps[-1]
                cut = sep.start() + (1 if sep.group().startswith(")") else 0)
                eff_raw, next_lead = region[:cut], region[sep.end() :]
            elif ")" in region:
                cut = region.rindex(")") + 1
                eff_raw, next_lead = region[:cut], region[cut:]
            else:
                eff_raw, next_lead = "", region
            lead_start = region_end - len(next_lead)
        else:
            # the last bracket runs to its last ")" (or to the end when adilet left it unclosed)
            stripped = region.strip()
            eff_raw = stripped[: stripped.rfind(")") + 1 or None] if stripped.startswith("(") else ""
        eff_text, eff_date = _effective(eff_raw)
        out.append(_Segment(lead, c.group("date"), c.group("number"), eff_text, eff_date, parse_rule(eff_text)))
    return out


def _amending_act(seg: _Segment, kind: str | None = None) -> AmendingAct:
    adopted = parse_date(seg.date_text)
    number = normalize_act_number(seg.number)
    found = _act_kind(seg.lead) or kind
    return AmendingAct(number=number, date=adopted, id=derive_act_id(found, adopted, number), kind=found)


def _act_kind(lead: str) -> str | None:
    """Kind of the act cited at the end of a lead: the last case form of "закон", "указ" … in it."""
    found = None
    for m in P.ACT_KIND.finditer(P.QUOTED.sub(" ", lead)):
        found = kind_of(m.group())
    return found


def _plain(lead: str) -> str:
    """Lower-cased lead without quoted words (they may contain anything) and with Latin "c" folded."""
    return P.QUOTED.sub(" ", lead).lower().replace("c", "с")


@dataclass
class _Verb:
    verb: str
    start: int  # where the verb starts in the plain lead (the subject is before it)
    new_units: list[tuple[str, str]]  # ("art", "37-1") for "дополнена статьей 37-1"


def _verb(plain: str, *, izpi: bool, whole_text: bool) -> _Verb | None:
    added = _new_units(plain)
    m = P.VERB_PROSPECTIVE.search(plain)
    if izpi and not m and P.SUSPENDED.search(plain):
        return None  # "действие … приостановлено": a suspension, not a change of wording
    if izpi or m:
        first = m or P.VERB_SUPPLEMENTED.search(plain) or P.VERB_RESTATED.search(plain)
        first = first or P.VERB_AMENDED.search(plain) or P.VERB_REPLACED.search(plain)
        return _Verb("prospective", first.start() if first else len(plain), added[1] if added else [])
    m = P.VERB_REPLACED.search(plain)
    if m:
        scope = whole_text or bool(P.WHOLE_TEXT.search(plain))
        return _Verb("replaced_throughout" if scope else "amended", m.start(), [])
    m = P.VERB_REPEALED.search(plain)
    if m:
        return _Verb("repealed", m.start(), [])
    m = P.VERB_RESTATED.search(plain)
    if m:
        return _Verb("restated", m.start(), [])
    if added:
        start, units = added
        return _Verb("added" if units else "supplemented", start, units)
    m = P.VERB_INTRODUCED.search(plain)
    if m:
        return _Verb("added", m.start(), [])
    m = P.VERB_AMENDED.search(plain)
    if m:
        return _Verb("amended", m.start(), [])
    return None


def _new_units(plain: str) -> tuple[int, list[tuple[str, str]]] | None:
    """For "дополнена статьей 37-1" the verb's start and the new numbered unit(s) it names."""
    m = P.VERB_SUPPLEMENTED.search(plain)
    if not m:
        return None
    rest = plain[m.end() :]
    # the object follows the verb ("дополнена новой статьей 5-1"); a unit after "в соответствии с"
    # belongs to the cited act, not to the object
    rest = re.split(r"в\s+соответстви|согласно|законом|закона", rest)[0]
    mentions = _mentions(rest)
    if not mentions or mentions[0][1] == []:
        return m.start(), []
    prefix, nums = mentions[0]
    return m.start(), [(prefix, n) for n in nums] if prefix else []


def _mentions(plain: str) -> list[tuple[str | None, list[str]]]:
    """Units named in the text with their numbers, as written: "подпункт 3) пункта 2 статьи 5" →
    [("point", ["3)"]), ("пункт", ["2"]), ("art", ["5"])]."""
    out: list[tuple[str | None, list[str]]] = []
    for m in P.UNIT_MENTION.finditer(plain):
        word = m.group("unit")
        prefix = next(p for stem, p in P.UNIT_PREFIXES if word.startswith(stem))
        out.append((prefix, P.NUMBER_IN_LIST.findall(m.group("nums") or "")))
    return out


def _enclosing(eid: str | None, level: int) -> list[Piece]:
    """The pieces of ``eid`` that enclose a part/item of ``level``: its article, part … (eids never
    nest articles in chapters, so chapters and sections are left out)."""
    if not eid:
        return []
    return [p for p in Eid.parse(eid).pieces if LEVEL["art"] <= LEVEL[p.prefix] < level]


def _resolve_pieces(mentions: list[tuple[str | None, list[str]]], context_eid: str | None) -> list[str | None] | None:
    """eids of the units named in a lead (several for "Статьи 5 и 6"); None when none are named.

    Russian names the smallest unit first ("подпункт 3) пункта 2 статьи 5"); only that one may be a
    list. Articles are absolute (eids do not nest them in chapters); parts and items named without
    an article are looked up inside the context's article.
    """
    numbered = [(p, nums) for p, nums in mentions if p and nums]
    if not numbered:
        return None
    has_part = any(p == "para" for p, _ in numbered)
    units: list[tuple[str, list[str]]] = []
    for p, nums in numbered:
        if p == "пункт":  # "пункт 3)" and a пункт inside a часть are items; "пункт 2" is a part
            p = "point" if nums[0].endswith(")") or has_part else "para"
        units.append((p, [n.rstrip(")") for n in nums]))
    single: dict[str, str] = {}
    for p, nums in units:
        single.setdefault(p, nums[0])
    first_prefix, first_nums = units[0]

    def build(first_num: str) -> str | None:
        chosen = {**single, first_prefix: first_num}
        if "art" in chosen:
            pieces = [Piece("art", chosen["art"])]
        elif "para" in chosen or "point" in chosen:
            # inside the context's article; acts without articles (постановления, приказы) number
            # their пункты from the top, so no context means a top-level part
            lowest = min(LEVEL[p] for p in chosen if p in ("para", "point"))
            pieces = _enclosing(context_eid, lowest)
        else:
            smallest = max(chosen, key=lambda p: LEVEL[p])
            return str(Eid.of((smallest, chosen[smallest])))
        pieces += [Piece(p, chosen[p]) for p in ("para", "point") if p in chosen]
        return str(Eid(tuple(pieces)))

    return [build(n) for n in first_nums]


def _targets_added(subject_eids: list[str | None], new_units: list[tuple[str, str]]) -> list[str | None]:
    """eids of new provisions: articles and larger units are absolute, parts/items go inside the
    supplemented provision."""
    out: list[str | None] = []
    for prefix, raw_num in new_units:
        if prefix == "пункт":
            prefix = "point" if raw_num.endswith(")") else "para"
        num = raw_num.rstrip(")")
        if LEVEL[prefix] <= LEVEL["art"]:
            out.append(str(Eid.of((prefix, num))))
            continue
        base = subject_eids[0] if subject_eids else None
        out.append(str(Eid((*_enclosing(base, LEVEL[prefix]), Piece(prefix, num)))))
    return out


def _subject_targets(plain: str, start: int, context_eid: str | None) -> list[str | None] | None:
    """Targets named before the verb; [None] for the whole act; None when nothing is named."""
    subject = plain[:start]
    if P.WHOLE_TEXT.search(subject) or P.WHOLE_ACT_SUBJECT.match(subject):
        return [None]
    if P.PREAMBLE_SUBJECT.search(subject):
        return ["preamble"]
    eids = _resolve_pieces(_mentions(subject), context_eid)
    if eids is None:
        # "С изменениями, внесенными в статью 5 …" — the unit follows the verb
        eids = _resolve_pieces(_mentions(re.split(r"законом|закона|законами", plain)[0]), context_eid)
    return list(eids) if eids is not None else None


def _parse(folded: str, *, act_id: str, context_eid: str | None, source_kind: str) -> list[Amendment]:
    m = P.NOTE_PREFIX.match(folded)
    izpi = bool(m and m.group("izpi"))
    body = folded[m.end() :] if m else folded
    if P.CONTENTS_SUBJECT.match(body.lower()):
        log.debug("note about adilet's table of contents skipped: %.80s", body)
        return []
    segments = _segments(body)
    if not segments:
        log.debug("note without an amending act: %.120s", body)
        return []
    out: list[Amendment] = []
    seen: set[tuple[str | None, str, str | None, date | None]] = set()
    verb: str | None = None
    targets: list[str | None] = [context_eid]
    kind: str | None = None
    whole_text = False
    for seg in segments:
        plain = _plain(seg.lead)
        whole_text = whole_text or bool(P.WHOLE_TEXT.search(plain))
        found = _verb(plain, izpi=izpi, whole_text=whole_text)
        named = _subject_targets(plain, found.start if found else len(plain), context_eid)
        if found is not None:
            verb = found.verb
            if named is not None:
                targets = named
            elif not out:
                targets = [context_eid]
            if found.new_units:
                new = _targets_added(targets, found.new_units)
                if new:
                    targets = new
                elif verb == "added":  # a new part of a provision we cannot place
                    verb = "supplemented"
            if found.verb == "replaced_throughout":
                targets = [None]
        elif named is not None:
            targets = named
        if verb is None:
            # no wording of a change (yet): e.g. "Нормативным постановлением Конституционного Суда
            # РК от … № 12 … признана соответствующей Конституции" is a review, not an amendment
            continue
        act = _amending_act(seg, kind)
        kind = act.kind
        for eid in targets:
            key = (eid, verb, act.number, act.date)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Amendment(
                    act_id=act_id,
                    eid=eid,
                    verb=verb,
                    amending_act=act,
                    effective_text=seg.effective_text,
                    effective_date=seg.effective_date,
                    effective_rule=seg.effective_rule,
                    source=folded,
                    source_kind=source_kind,
                    new_words=list(replaced_words(folded, act.number)) if verb == "replaced_throughout" else [],
                )
            )
    return out
