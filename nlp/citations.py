"""References (ссылки) from a provision to other provisions and acts: the *find* step.

Like eyecite's split of ``get_citations`` and ``resolve_citations``, finding and resolving are two steps:

1. :func:`find_references` (here) finds reference chains such as "подпунктом 3) пункта 1 статьи 50
   настоящего Закона", "статьями 392 и 394 Уголовного кодекса Республики Казахстан", "частью четвертой
   статьи 834 настоящего Кодекса", "пп. 1) п. 1 ст. 2", anaphora ("статьи 5 указанного Закона", "пунктом 2
   той же статьи"), and acts named on their own ("Законом Республики Казахстан «О беженцах»", "Законом РК
   от 27.12.2019 № 292-VІ"). A :class:`Reference` keeps what the text says: the chain's levels and the act
   as written (its id when the name, title or date and number identify it).
2. :mod:`nlp.resolve` turns references into :class:`corpus.models.Citation` targets: relative references
   against the citing provision, anaphora from the text before them, then (in a store) checks that the
   target exists in the cited act's wording in force on the citing version's dates.

:func:`find_citations` runs both text-only steps (what ``migralex tag`` gives): one Citation per target.
A list or range ("статьями 392 и 394", "статьи 517–519", "517 (частями второй, четвертой)") gives several
citations that share one span (start, end, text) and differ in ``target_eid``. Nothing is guessed: an act
is identified by its date and number when the id is derivable (:func:`legal.act_ids.derive_act_id`), else
by its quoted title or name in ``nlp/data/acts.json``; anything else keeps its text and ``target_name``
with ``resolved=False`` and an ``unresolved_reason``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from corpus.models import Citation
from legal.act_ids import derive_act_id
from legal.act_kinds import kind_of
from legal.dates import parse_date
from nlp import citation_patterns as P
from nlp.lemmatize import analyze, fold, lemma

ACTS_PATH = Path(__file__).parent / "data" / "acts.json"
_MAX_RANGE = 60  # a longer range is kept as its two ends rather than expanded


# --- the alias table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AliasTable:
    """Names of acts → (adilet id, year of adoption): lemma sequences for names, folded text for
    quoted titles."""

    by_lemmas: tuple[tuple[tuple[str, ...], str, int], ...]  # longest first
    by_title: dict[str, tuple[str, int]]
    first_lemmas: frozenset[str]

    def match_name(self, text: str, start: int) -> tuple[str, int, int] | None:
        """(act id, year, end offset) of the longest name starting at ``start``."""
        first = _FIRST_WORD.match(text, start)
        if first is None or lemma(first.group()) not in self.first_lemmas:
            return None  # cheap test before lemmatizing the window
        window = analyze(text[start : start + 120])
        if not window or window[0].start > 2:
            return None
        lemmas = tuple(t.lemma for t in window)
        for name, act_id, year in self.by_lemmas:
            if lemmas[: len(name)] == name:
                end = start + window[len(name) - 1].end
                if text[end : end + 1] in ("»", '"'):
                    end += 1
                return act_id, year, end
        return None


_FIRST_WORD = re.compile(r"[\w-]+")


def _title_key(title: str) -> str:
    return " ".join(fold(title).strip('«»" ').split())


@lru_cache(maxsize=1)
def alias_table(path: Path = ACTS_PATH) -> AliasTable:
    data = json.loads(path.read_text(encoding="utf-8"))
    lemma_names: list[tuple[tuple[str, ...], str, int]] = []
    titles: dict[str, tuple[str, int]] = {}
    for act in data["acts"]:
        for name in act["names"]:
            for quoted in re.findall(r"«[^«»]+»", name):
                titles[_title_key(quoted)] = (act["id"], act["year"])
            if "«" not in name:  # titled names are matched by their title alone
                lemma_names.append((tuple(t.lemma for t in analyze(name)), act["id"], act["year"]))
    lemma_names.sort(key=lambda item: len(item[0]), reverse=True)
    return AliasTable(tuple(lemma_names), titles, frozenset(name[0] for name, _, _ in lemma_names))


# --- parsing chains -----------------------------------------------------------------------------------


@dataclass
class Level:
    """One unit of a chain with its numbers: "частями второй, четвертой" → part, ["2", "4"].

    ``qualifiers`` maps a number to narrower levels given in brackets after it:
    "517 (частями второй, четвертой)".
    """

    unit: str
    numbers: list[str]
    items: list[bool]  # number written as an item marker "3)"
    qualifiers: dict[int, list[list[Level]]] = field(default_factory=dict)


@dataclass
class ActRef:
    """The act a chain belongs to, as written after it (or an act named on its own)."""

    end: int
    act_id: str | None = None
    name: str | None = None
    relative: str | None = None  # "act", "art", "part", "point", "sub", "container"
    anaphoric: bool = False  # "указанного Закона", "той же статьи": something cited earlier in the text
    anaphor_unit: str | None = None  # "art", "part", "point" for "той же статьи"…; None for an act anaphor
    kind: str | None = None  # закон, кодекс … (legal.act_kinds), when the words name one
    foreign: bool = False  # "Уголовного кодекса Российской Федерации": another state's act


def _number_value(m: re.Match[str]) -> str:
    if m.group("ord"):
        stem = P.ORDINAL_RE.match(m.group("ord"))
        assert stem is not None
        tens = P.ORDINAL_TENS[stem.group("tens").lower()] if stem.group("tens") else 0
        return str(tens + P.ORDINAL_STEMS[stem.group(2).lower()])
    return m.group("num")


def _expand_range(first: str, last: str) -> list[str]:
    if first.isdigit() and last.isdigit() and 0 < int(last) - int(first) <= _MAX_RANGE:
        return [str(n) for n in range(int(first), int(last) + 1)]
    return [first, last]


def _split_hyphen(num: str) -> list[str]:
    """ "517-519" is a range, "517-1" (статья 517-1) a number: a range only when the second number is
    larger with as many digits (2+), since sub-numbers are small ("5-1", "1-1", "2-2")."""
    parts = num.split("-")
    if len(parts) == 2 and len(parts[0]) >= 2 and len(parts[1]) == len(parts[0]) and int(parts[1]) > int(parts[0]):
        return _expand_range(parts[0], parts[1])
    return [num]


def _closes_bracket(text: str, pos: int, end: int) -> bool:
    """Does the ")" of "2)" at ``pos``–``end`` close a bracket ("(см. ст. 2)") rather than mark an
    item ("(подпунктом 3) пункта 2 …)")? Only if a "(" is open and the reference stops there."""
    window = text[max(0, pos - 300) : pos]
    if window.rfind("(") <= window.rfind(")"):
        return False
    return P.CHAIN_GOES_ON_RE.match(text, end) is None


def _parse_numbers(text: str, pos: int, unit: str, *, allow_qualifiers: bool) -> tuple[Level, int] | None:
    """Numbers of one level starting at ``pos`` (unit already consumed). Returns (level, end)."""
    m = P.NUMBER_RE.match(text, pos)
    if m is None:
        return None
    level = Level(unit="", numbers=[], items=[])
    end = pos
    pending_range = False
    range_start = pos
    while m is not None:
        value, is_item = _number_value(m), bool(m.group("item"))
        end = m.end()
        if is_item and (unit not in ("point", "sub") or _closes_bracket(text, m.start(), m.end())):
            is_item, end = False, m.end("num")  # "(см. ст. 2)": the ")" closes the bracket
        if pending_range and level.numbers:
            first = level.numbers[-1]
            head = value.split("-")[0]  # "второй – 11-1": up to 11, then the inserted 11-1
            if not (first.isdigit() and head.isdigit() and int(head) > int(first)):
                end = range_start  # a dash as punctuation: "частях второй и десятой – первых …"
                break
            expanded = _expand_range(first, head)[1:] + ([value] if value != head else [])
            level.numbers.extend(expanded)
            level.items.extend([is_item] * len(expanded))
        else:
            values = _split_hyphen(value) if not is_item else [value]
            level.numbers.extend(values)
            level.items.extend([is_item] * len(values))
        if allow_qualifiers:
            q = _parse_qualifier(text, end)
            if q is not None:
                level.qualifiers[len(level.numbers) - 1] = q[0]
                end = q[1]
            comment = P.LIST_COMMENT_RE.match(text, end)
            if comment is not None and P.LIST_GOES_ON_RE.match(text, comment.end()):
                end = comment.end()  # "230 (частью второй) (в части …), 464", "120 (изнасилование), 121"
        # Next number in the list or range?
        pending_range = False
        range_start = end
        sep = P.RANGE_SEPARATOR_RE.match(text, end)
        if sep is not None:
            pending_range = True
        else:
            sep = P.LIST_SEPARATOR_RE.match(text, end)
        if sep is None:
            break
        m = P.NUMBER_RE.match(text, sep.end())
        if m is None:
            break
    return level, end


def _parse_qualifier(text: str, pos: int) -> tuple[list[list[Level]], int] | None:
    """ "517 (частями второй, четвертой)", "125 (пунктом 2) части третьей, частью четвертой)":
    narrower chains in brackets after an article number."""
    m = _OPEN.match(text, pos)
    if m is None:
        return None
    chains: list[list[Level]] = []
    cursor = m.end()
    while True:
        chain = _parse_levels(text, cursor, allow_qualifiers=False)
        if chain is None:
            return None
        chains.append(chain[0])
        remark = P.LIST_COMMENT_RE.match(text, chain[1])  # "(частями седьмой и восьмой (в части …))"
        if remark is not None:
            chain = (chain[0], remark.end())
        close = _CLOSE.match(text, chain[1])
        if close is not None:
            return chains, close.end()
        sep = P.LIST_SEPARATOR_RE.match(text, chain[1])
        if sep is None:
            return None
        cursor = sep.end()


_OPEN = re.compile(r"\s*\(\s*")
_WS = re.compile(r"\s*")
_CLOSE = re.compile(r"\s*\)")


def _parse_levels(text: str, pos: int, *, allow_qualifiers: bool = True) -> tuple[list[Level], int] | None:
    """Levels narrow → wide from ``pos``: "подпунктом 3) пункта 1 статьи 50" → [sub, point, art]."""
    levels: list[Level] = []
    end = pos
    cursor = pos
    while True:
        um = P.UNIT_RE.match(text, cursor)
        if um is None:
            break
        unit = um.lastgroup
        assert unit is not None
        # a law's "часть вторая пункта 2": a paragraph of a numbered пункт, which is wider here
        paragraph_of_point = bool(levels) and levels[-1].unit == "part" and unit == "point"
        if levels and P.UNIT_RANK[unit] <= P.UNIT_RANK[levels[-1].unit] and not paragraph_of_point:
            break  # not wider: a new reference starts here
        ws = _WS.match(text, um.end())
        assert ws is not None
        parsed = _parse_numbers(text, ws.end(), unit, allow_qualifiers=allow_qualifiers and unit == "art")
        if parsed is None or (paragraph_of_point and any(parsed[0].items)):
            break
        level, end = parsed
        level.unit = unit
        levels.append(level)
        ws = _WS.match(text, end)
        assert ws is not None
        cursor = ws.end()
    if not levels:
        return None
    return levels, end


# --- acts -------------------------------------------------------------------------------------------


def _kind_of(head: re.Match[str]) -> str | None:
    if head.group("abbr"):
        return "кодекс"
    return kind_of(head.group("kind"))


def _parse_act(text: str, pos: int) -> ActRef | None:
    """The act a chain belongs to, written at ``pos`` (after whitespace), or None."""
    ws = _WS.match(text, pos)
    assert ws is not None
    start = ws.end()
    rel = P.RELATIVE_RE.match(text, start)
    if rel is not None:
        return ActRef(end=rel.end(), relative=rel.lastgroup, name=rel.group(0))
    ana = P.ANAPHORIC_RE.match(text, start)
    if ana is not None:
        return ActRef(end=ana.end(), name=ana.group(0), anaphoric=True, kind=kind_of(ana.group("kind")))
    unit = P.ANAPHORIC_UNIT_RE.match(text, start)
    if unit is not None:
        return ActRef(end=unit.end(), name=unit.group(0), anaphoric=True, anaphor_unit=unit.lastgroup)
    head = P.ACT_HEAD_RE.match(text, start)
    if head is None:
        foreign_abbr = P.FOREIGN_ABBREVIATION_RE.match(text, start)
        if foreign_abbr is not None:
            return ActRef(end=foreign_abbr.end(), name=foreign_abbr.group(0), foreign=True, kind="кодекс")
        other = P.OTHER_DOCUMENT_RE.match(text, pos)
        if other is not None:  # "статьи 3 Протокола": some document, not the citing act
            return ActRef(end=other.end(), name=other.group(0).strip())
        return None
    aliases = alias_table()
    named = aliases.match_name(text, start)
    end = max(head.end(), named[2] if named else head.end())
    foreign = P.FOREIGN_STATE_RE.match(text, end)
    if foreign is not None:  # "Уголовного кодекса Российской Федерации": never an act of Kazakhstan
        tail = P.ACT_TAIL_RE.match(text, foreign.end())
        assert tail is not None
        name = " ".join(text[start : tail.end()].split())
        return ActRef(end=tail.end(), name=name, foreign=True, kind=_kind_of(head))
    tail = P.ACT_TAIL_RE.match(text, end)
    assert tail is not None
    end = tail.end()
    act_id: str | None = None
    kind = _kind_of(head)
    date = tail.group("date") or tail.group("date2") or tail.group("date3")
    number = tail.group("num") or tail.group("num2")
    convocation = tail.group("convocation") or tail.group("convocation2")
    year = parsed.year if date and (parsed := parse_date(date)) else None
    # Derived only for numbers with a convocation ("№ 292-VІ"): Kazakh laws and codes carry one.
    if year is not None and number and convocation and kind:
        act_id = derive_act_id(kind, year, int(number))
    # By name or title only when the citation's date (if any) is the act's year of adoption.
    if act_id is None and tail.group("title"):
        by_title = aliases.by_title.get(_title_key(tail.group("title")))
        if by_title is not None and year in (None, by_title[1]):
            act_id = by_title[0]
    if act_id is None and named is not None and year in (None, named[1]):
        act_id = named[0]
    return ActRef(end=end, act_id=act_id, name=" ".join(text[start:end].split()), kind=kind)


# --- finding ----------------------------------------------------------------------------


@dataclass
class _Chain:
    start: int
    end: int  # end of the levels
    levels: list[Level]
    act: ActRef | None


def _unit_candidates(text: str, low: str) -> Iterator[re.Match[str]]:
    """Unit words ("статьей", "п.") in ``text``, found by a literal scan of the folded ``low``."""
    for hit in P.UNIT_SCAN_RE.finditer(low):
        um = P.UNIT_RE.match(text, hit.start())
        if um is not None:
            yield um


def _chains(text: str, low: str) -> Iterator[_Chain]:
    pos = 0
    for um in _unit_candidates(text, low):
        if um.start() < pos:
            continue
        before = text[max(0, um.start() - 12) : um.start()]
        head_word = um.group(0)
        if P.GAZETTE_BEFORE_RE.search(before):
            continue  # "2010 г., № 1-2, ст. 5": an article of an issue of the official gazette
        if P.SELF_REFERENCE_HEAD.match(head_word) and P.HEADING_NUMBER_RE.match(text, um.end()):
            continue  # "Статья 48. Основания …": a heading (an editorial "Статья 285 с изменениями …" cites it)
        parsed = _parse_levels(text, um.start())
        if parsed is None:
            continue
        levels, end = parsed
        act = _parse_act(text, end)
        if act is None:
            # "статьями 135, 140 и 146 (в случае …) настоящего Кодекса"
            remark = P.LIST_COMMENT_RE.match(text, end)
            if remark is not None:
                act = _parse_act(text, remark.end())
        yield _Chain(um.start(), end, levels, act)
        pos = act.end if act is not None else end


def _act_mentions(text: str, low: str) -> Iterator[tuple[int, ActRef]]:
    """Acts named without an article chain: "Законом Республики Казахстан «О беженцах»",
    "Уголовным кодексом Республики Казахстан". A bare "Законом" names no act and is skipped."""
    hits = [h.start() for h in P.ACT_SCAN_RE.finditer(low)]
    hits += [h.start() for h in P.ACT_ABBR_SCAN_RE.finditer(text)]
    for at in sorted(hits):
        m = P.ACT_KIND_RE.match(text, at)
        if m is None:
            continue
        start = m.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
            continue
        adjective = P.ADJECTIVE_BEFORE_RE.search(text, max(0, start - 60), start)
        if adjective is not None:
            start = adjective.start()
        ref = _parse_act(text, start)
        if ref is None or ref.relative is not None or ref.anaphoric:
            continue
        if ref.act_id is not None or _names_an_act(text, m, ref):
            yield start, ref


def _names_an_act(text: str, kind: re.Match[str], ref: ActRef) -> bool:
    """Does an unresolved mention name one act? A title ("Законом … «О …»"), a named code
    ("Гражданским кодексом"), or one law of the Republic with a title left unclosed
    ("Законом Республики Казахстан "О воинской службе…"). Not "законами", "Кодексом" alone."""
    name = ref.name or ""
    if "«" in name or '"' in name:
        return True
    if not P.SINGULAR_KIND_RE.search(kind.group(0)):
        return False
    if not name.startswith(kind.group(0)):
        # an adjective before a code names one: "Гражданским кодексом"; "Конституционным законом" is a kind
        return ref.kind == "кодекс"
    if P.DATED_ACT_RE.search(name):
        return True  # "Законом Республики Казахстан от 08.06.2022": one act, by its date
    unclosed_title = text[ref.end : ref.end + 3].lstrip()[:1] in ('"', "«")
    return unclosed_title and ("Республики Казахстан" in name or name.endswith(" РК"))


def _see_also_target(text: str, start: int, mentions: dict[int, ActRef]) -> tuple[str | None, str | None]:
    """The act of "(порядок введения в действие см. ст. 2)" at ``start``: the act named just before
    the bracket — "Законом РК от 27.12.2019 № 292-VІ (… см. ст. 2)", or, in a footnote's list of
    amending laws ("законами РК от …; от 11.07.2017 № 90-VI (… см. пп.1) п.1 ст.2)"), the list item
    whose kind is given once at the head of the list."""
    prior = [ref for ref in mentions.values() if ref.end <= start and ref.act_id]
    if prior:
        ref = max(prior, key=lambda r: r.end)
        if P.SEE_ALSO_RE.fullmatch(text, ref.end, start):
            return ref.act_id, ref.name
    item = P.FOOTNOTE_ITEM_SEE_RE.search(text, max(0, start - 300), start)
    if item is not None:
        kinds = P.FOOTNOTE_KIND_RE.findall(text, 0, item.start())
        parsed = parse_date(item.group("date"))
        year = parsed.year if parsed else None
        if kinds and year is not None:
            kind = "кодекс" if kinds[-1].lower().startswith("кодекс") else "закон"
            act_id = derive_act_id(kind, year, int(item.group("num")))
            if act_id is not None:
                return act_id, " ".join(item.group("act").split())
    return None, None


@dataclass
class Reference:
    """One reference as the text writes it: ``levels`` narrow → wide ("подпунктом 3) пункта 1 статьи 50" →
    sub, point, art; empty for an act named on its own) and the act written after them (None: no act).
    ``see_also`` is the act a "(… см. ст. 2)" bracket speaks of (id, name), read from the words before it."""

    start: int
    end: int
    text: str
    levels: list[Level] = field(default_factory=list)
    act: ActRef | None = None
    see_also: tuple[str | None, str | None] | None = None


def _fold_for_scan(text: str) -> str:
    low = fold(text)
    if len(low) != len(text):  # lower() changed the length (rare non-Cyrillic letters): scan as is
        low = text.lower()
        if len(low) != len(text):
            low = text
    return low


def find_references(text: str) -> list[Reference]:
    """Every reference in ``text``, in text order (see the module docstring). Chains, acts named on their own,
    and anaphora of a unit with no chain before it ("деяния, предусмотренного этой статьей")."""
    if not isinstance(text, str):
        raise TypeError(f"find_references() needs str text, got {type(text).__name__}")
    low = _fold_for_scan(text)
    chains = list(_chains(text, low))
    # A chain with no act of its own shares the act of the next one when only "и", "," or
    # "а также" stand between them: "частью второй статьи 5 и статьей 6 настоящего Кодекса".
    # Likewise a chain missing its wider levels takes them from the next chain:
    # "пунктом 14) части второй, частью третьей статьи 99" → статья 99 for both.
    for i in range(len(chains) - 2, -1, -1):
        cur, nxt = chains[i], chains[i + 1]
        if cur.act is not None:
            continue
        join = P.CHAIN_JOIN_RE.match(text, cur.end)
        if join is None or join.end() != nxt.start:
            continue
        widest = P.UNIT_RANK[cur.levels[-1].unit]
        if widest < P.UNIT_RANK["art"]:
            cur.levels.extend(lv for lv in nxt.levels if P.UNIT_RANK[lv.unit] > widest)
        if nxt.act is not None:
            cur.act = replace(nxt.act, end=cur.end)
    out: list[Reference] = []
    taken: list[tuple[int, int]] = []
    mentions = dict(_act_mentions(text, low))
    for ch in chains:
        span_end = ch.act.end if ch.act is not None and ch.act.end > ch.end else ch.end
        taken.append((ch.start, span_end))
        see_also = _see_also_target(text, ch.start, mentions) if ch.act is None else None
        if see_also is not None and see_also[0] is None:
            see_also = None
        out.append(Reference(ch.start, span_end, text[ch.start : span_end], ch.levels, ch.act, see_also))
    for start, ref in mentions.items():
        if not any(s <= start < e for s, e in taken):
            out.append(Reference(start, ref.end, text[start : ref.end], [], ref))
            taken.append((start, ref.end))
    for m in P.ANAPHORIC_UNIT_RE.finditer(text) if P.ANAPHOR_SCAN_RE.search(low) else ():
        if not any(s <= m.start() < e for s, e in taken):
            act = ActRef(end=m.end(), name=m.group(0), anaphoric=True, anaphor_unit=m.lastgroup)
            out.append(Reference(m.start(), m.end(), m.group(0), [], act))
    # the citing act or provision by a word alone ("настоящего Закона", "требования настоящей статьи")
    for m in P.RELATIVE_RE.finditer(text) if P.RELATIVE_SCAN_RE.search(low) else ():
        if m.lastgroup == "act" and not P.SELF_ACT_WORD_RE.match(m.group("act")):
            continue  # "настоящих Правил", "настоящего положения": not an act of ours by a word alone
        if not any(s <= m.start() < e for s, e in taken):
            out.append(Reference(m.start(), m.end(), m.group(0), [],
                                 ActRef(end=m.end(), relative=m.lastgroup, name=m.group(0))))  # fmt: skip
            taken.append((m.start(), m.end()))
    # an act named before, by a word alone ("этим же Законом")
    acts_named = "закон" in low or "кодекс" in low or "указ" in low
    for m in P.ANAPHORIC_ACT_RE.finditer(text) if acts_named else ():
        if not any(s <= m.start() < e for s, e in taken):
            act = ActRef(end=m.end(), name=m.group(0), anaphoric=True, kind=kind_of(m.group("kind")))
            out.append(Reference(m.start(), m.end(), m.group(0), [], act))
    out.sort(key=lambda r: r.start)
    return out


def find_citations(text: str, *, act_id: str | None = None, eid: str | None = None) -> list[Citation]:
    """All references in ``text``, cited from provision ``eid`` of act ``act_id``, resolved from the text
    alone (:func:`nlp.resolve.resolve_text`): relative references and anaphora, nothing checked against a
    corpus. One Citation per target; the targets of one list or range share their span. Sorted by position.
    Unresolvable references are kept (``resolved=False``, ``unresolved_reason``) with the act as written."""
    from nlp.resolve import resolve_text  # nlp.resolve builds on this module's types

    return resolve_text(text, find_references(text), act_id=act_id, eid=eid)


# --- gold evaluation ----------------------------------------------------------------------------------


def evaluate_gold(path: str | Path) -> dict[str, Any]:
    """Accuracy on hand-labelled citations (tests/nlp/gold/citations.jsonl).

    A record counts as *found* when a predicted citation overlaps its span in its text, and as
    *correct* when one such citation has the expected act and eid. Returns
    ``{"total", "found", "correct", "accuracy", "misses": [...]}``.
    """
    records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if not records:
        raise ValueError(f"no gold records in {path}")
    found = correct = 0
    misses: list[dict[str, Any]] = []
    for rec in records:
        text, span = rec["text"], rec["span"]
        at = text.find(span)
        if at < 0:
            raise ValueError(f"gold span {span!r} not in its text ({rec['source']})")
        src_act, _, src_eid = rec["source"].partition("/")
        cits = find_citations(text, act_id=src_act or None, eid=src_eid or None)
        hits = [c for c in cits if c.start < at + len(span) and at < c.end]
        if hits:
            found += 1
        if any(c.target_act_id == rec["act_id"] and c.target_eid == rec["eid"] for c in hits):
            correct += 1
        else:
            misses.append({"source": rec["source"], "span": span, "expected": [rec["act_id"], rec["eid"]],
                           "got": [[c.target_act_id, c.target_eid] for c in hits]})  # fmt: skip
    return {
        "total": len(records),
        "found": found,
        "correct": correct,
        "accuracy": correct / len(records),
        "misses": misses,
    }
