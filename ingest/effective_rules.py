"""When a change or an act enters into force (порядок введения в действие), read from its wording.

One module for the concept: every pattern that reads an amendment note's effective bracket or an act's
own final provision lives here, and :func:`parse_rule` turns them into a
:class:`corpus.models.EffectiveRule`; ``corpus.dating`` resolves a rule to a date with the publication
date when the store knows it. Real wordings (all from the bundled acts' notes)::

    (вводится в действие с 01.01.2015)                                           → date 2015-01-01
    (вводится в действие по истечении десяти календарных дней после дня его
     первого официального опубликования)                                         → publication + 10 days, day after
    (вводится в действие по истечении шести месяцев после дня …)                  → publication + 6 months, day after
    (вводится в действие по истечении шестидесяти календарных дней со дня …)     → publication + 60 days
    (вводится в действие со дня его первого официального опубликования)          → the publication day
    (порядок введения в действие см. ст. 2)                                      → reference
    (вводится в действие после дня введения в действие соответствующих
     изменений и дополнений в Кодекс РК "О налогах …")                            → event

How the days count. "По истечении N календарных дней после дня опубликования": the day of publication
does not count, the N days run from the next day, and the act is in force on the day after they end:
publication + N + 1 (published 01.03 → in force 12.03 for N = 10). "Со дня опубликования" counts the
publication day itself: publication + N. Only the main clause counts: in "(… по истечении десяти …,
за исключением подпункта 2), который вводится в действие с 01.01.2017)" the rule is the ten days.

An act's own entry into force is its sentence "Настоящий Закон (Кодекс …) вводится в действие …" /
"вступает в силу …" in its final provisions (:func:`act_entry_into_force`), with the provisions it puts
into force on other fixed dates ("за исключением статьи 45, которая вводится в действие с 1 января
2017 года"); exceptions worded otherwise ("для производителей нефтепродуктов – с …") are left out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from corpus.dating import resolve
from corpus.models import Act, EffectiveRule, Provision
from legal.dates import DATE, parse_date
from legal.eid import Eid
from legal.numerals import NUMBER, parse_number

_WS = re.compile(r"\s+")
#: "вводится в действие", "вводятся в действие", "вступает в силу" (the verb of entry into force).
PHRASE = r"(?:вв[ео]д(?:ится|ятся)\s+в\s+действие|вступа(?:ет|ют)\s+в\s+силу)"
#: The main clause ends where its exceptions start.
_EXCEPT = re.compile(r",?\s*за\s+исключением\b", re.IGNORECASE)
#: "с 01.01.2015", "01.01.2015", "со 02.01.2021", "с 1 января 2016 года" after the verb.
_FIXED = re.compile(rf"{PHRASE}\s*(?:(?:с|c|со)\s*)?(?P<date>{DATE})", re.IGNORECASE)
#: A delay and its reference point: "по истечении десяти календарных дней после дня его первого
#: официального опубликования", "по истечении шести месяцев …", "со дня его опубликования"
#: ("по истечении по истечении" is a typo of the original).
_PUBLICATION = re.compile(
    rf"(?:по\s+истечении\s+(?:по\s+истечении\s+)?(?P<n>{NUMBER})\s+(?P<unit>(?:календарн\w+\s+)?дн\w*|месяц\w*)\s+)?"
    r"(?P<rel>после|со|с)\s+(?:дня\s+)?(?:его\s+|их\s+|ее\s+|её\s+)?(?:первого\s+)?(?:официального\s+)?опубликовани",
    re.IGNORECASE,
)
#: "порядок введения в действие см. ст. 2", "(введения в действие см. ст.2)", "порядок введение …".
_REFERENCE = re.compile(r"введени[еяю]\s+в\s+действие\s+см\b", re.IGNORECASE)
#: Any other wording of the verb ("вводится в действие после дня введения в действие …").
_PHRASE = re.compile(PHRASE, re.IGNORECASE)


def _fold(text: str) -> str:
    return _WS.sub(" ", text.replace("\u00a0", " ")).strip()


def main_clause(text: str) -> str:
    """The clause that speaks for the whole change: the first bracket, without its exceptions."""
    folded = _fold(text).lstrip("(").strip()
    # a bracket that runs into the next act's ("…опубликования); от 08.06.2022 (…") ends at its first ")"
    folded = re.split(r"\)\s*[;.,]", folded, maxsplit=1)[0]
    return _EXCEPT.split(folded, maxsplit=1)[0].rstrip(" );.")


def parse_rule(text: str | None) -> EffectiveRule | None:
    """The rule an effective bracket or sentence states; None for no text. The result keeps the text."""
    if text is None or not text.strip():
        return None
    clause = main_clause(text)
    written = _fold(text)
    if m := _FIXED.search(clause):
        when = parse_date(m.group("date"))
        if when is not None:
            return EffectiveRule("date", date=when, text=written)
    if _REFERENCE.search(clause):
        return EffectiveRule("reference", text=written)
    if m := _PUBLICATION.search(clause):
        n = parse_number(m.group("n")) if m.group("n") else 0
        months = m.group("unit") is not None and m.group("unit").lower().startswith("месяц")
        return EffectiveRule(
            "publication",
            days=0 if months else n,
            months=n if months else 0,
            day_after=m.group("rel").lower() == "после",
            text=written,
        )
    if _PHRASE.search(clause):
        return EffectiveRule("event", text=written)
    return EffectiveRule("unknown", text=written)


# --- an act's own entry into force ------------------------------------------------------------------

#: "Настоящий Закон вводится в действие …", "Настоящий Кодекс вводится в действие с 1 января 2015 года, за
#: исключением …", "Настоящий Закон вступает в силу со дня опубликования": up to the end of the sentence.
_OWN_SENTENCE = re.compile(
    rf"Настоящ\w+\s+(?:Конституционн\w+\s+)?(?:Закон|Кодекс|Указ|Постановление|Приказ|Конституция)\w*"
    rf"\s+{PHRASE}(?P<rest>[^.]*(?:\.\d[^.]*)*)",
)
#: "за исключением:" followed by a list of items.
_LISTED = re.compile(r"за\s+исключением\s*:", re.IGNORECASE)
#: One exception with its own date: "статьи 45 , которая вводится в действие с 1 января 2017 года".
_EXCEPTION = re.compile(
    rf"(?P<units>[^;]*?)\s*,?\s*котор\w+\s+{PHRASE}\s+(?:с|c|со)\s+(?P<date>{DATE})(?!\s*[-–—])",
    re.IGNORECASE,
)
_LIST_SPLIT = re.compile(r"\s*(?:,|;|\bи\b)\s*")
#: The number of an item of the exception list itself ("1) части 2-1 статьи 1, которая …").
_LIST_NUMBER = re.compile(r"^\d+(?:-\d+)?\)\s*")
#: One unit of an exception list: "подпункта 3) статьи 8", "части 2-1 статьи 1", "статьи 45", "главы 10".
_UNIT = re.compile(
    r"(?:(?P<small>подпункт\w*|пункт\w*|част\w*)\s+(?P<small_n>\d+(?:-\d+)*)\)?\s+)?"
    r"(?:(?P<big>стать\w*|глав\w*|раздел\w*)\s+(?P<big_n>\d+(?:-\d+)*))",
    re.IGNORECASE,
)

#: the unit a list chunk ends with (what stands before it is not a unit: "Президент …" of a cut text)
_UNIT_AT_END = re.compile(rf"(?<!\w)(?:{_UNIT.pattern})\s*$", re.IGNORECASE)

_UNIT_WORD = re.compile(r"(?<!\w)(?:подпункт|пункт|част|абзац|стать|глав|раздел)\w*", re.IGNORECASE)


@dataclass(frozen=True)
class ActInForce:
    """An act's own entry into force as its text states it."""

    rule: EffectiveRule
    exceptions: dict[str, date] = field(default_factory=dict)  # eid → the later date it states


def _unit_eid(text: str) -> str | None:
    """"подпункта 3) статьи 8" → art_8__point_3, "части 2-1 статьи 1" → art_1__para_2-1, "главы 10" →
    chp_10; None for anything else."""
    chunk = text.strip().rstrip(",")
    m = _UNIT_AT_END.search(chunk)
    if m is None or _UNIT_WORD.search(chunk[: m.start()]):
        return None  # "подпункта 6) части третьей статьи 282": a unit this reading cannot place
    big = m.group("big").lower()
    prefix = "art" if big.startswith("стать") else "chp" if big.startswith("глав") else "sec"
    pieces: list[tuple[str, str | None]] = [(prefix, m.group("big_n"))]
    if m.group("small"):
        small = m.group("small").lower()
        if prefix != "art":
            return None
        # "подпункт" and "пункт N)" are items; "часть"/"пункт N" are parts
        is_item = small.startswith("подпункт") or (small.startswith("пункт") and ")" in m.group(0))
        pieces.append(("point" if is_item else "para", m.group("small_n")))
    return str(Eid.of(*pieces))


def exceptions_of(rest: str) -> dict[str, date]:
    """The units an act's sentence puts into force on later fixed dates, from its "за исключением …"."""
    parts = _EXCEPT.split(rest, maxsplit=1)
    if len(parts) < 2:
        return {}
    out: dict[str, date] = {}
    for m in _EXCEPTION.finditer(parts[1]):
        when = parse_date(m.group("date"))
        if when is None:
            continue
        for chunk in _LIST_SPLIT.split(m.group("units")):
            eid = _unit_eid(_LIST_NUMBER.sub("", chunk)) if chunk else None
            if eid is not None:
                out.setdefault(eid, when)
    return out


def act_entry_into_force(texts: Iterable[str]) -> ActInForce | None:
    """The act's own entry into force from its texts (provisions, notes), the last such sentence winning
    (final provisions close the act); None when no text states it."""
    found: ActInForce | None = None
    for text in texts:
        folded = _fold(text)
        for m in _OWN_SENTENCE.finditer(folded):
            rule = parse_rule(m.group(0))
            if rule is None or rule.kind == "unknown":
                continue
            found = ActInForce(rule, exceptions_of(m.group("rest")))
    return found


def provisions_entry_into_force(provisions: Sequence[Provision]) -> ActInForce | None:
    """:func:`act_entry_into_force` over a parsed redaction's provisions. A sentence that ends "за
    исключением:" lists its exceptions as the items under it ("1) части 2-1 статьи 1, которая вводится в
    действие с 1 июля 2020 года;"): their texts are read with it."""
    texts: list[str] = []
    for i, p in enumerate(provisions):
        if not p.text:
            continue
        text = p.text
        if _OWN_SENTENCE.search(_fold(text)) and _LISTED.search(text):
            items = itertools.takewhile(partial(_under, p.eid), provisions[i + 1 :])
            text = text.rstrip() + " " + " ".join(q.text for q in items)
        texts.append(text)
    return act_entry_into_force(texts)


def _under(eid: str, q: Provision) -> bool:
    return q.eid.startswith(eid + "__")


def resolve_act_in_force(act: Act) -> None:
    """Set ``act.in_force_from``/``in_force_exact`` from its rule, adoption and publication dates (again
    after a source gives the act's requisites: the manifest, an /info page)."""
    if act.in_force_rule is None:
        return
    found = resolve(act.in_force_rule, act.adopted, act.published, "the act itself")
    act.in_force_from, act.in_force_exact = found.on, found.exact


def apply_entry_into_force(act: Act, provisions: Sequence[Provision]) -> None:
    """Record on ``act`` its own entry into force as its provisions state it (nothing when they do not)."""
    found = provisions_entry_into_force(provisions)
    if found is None:
        return
    act.in_force_rule = found.rule
    act.in_force_exceptions = dict(found.exceptions)
    resolve_act_in_force(act)
