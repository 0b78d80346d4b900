"""Structured facts of a provision: sanctions, time limits and the categories of persons concerned.

``extract_facts(text)`` returns a JSON-ready dict::

    {"sanctions": [...], "time_limits": [...], "subjects": [...]}

- sanctions (санкции): ``fine`` (штраф, in МРП — месячные расчетные показатели — or percent, with
  an amount per subject: "на физических лиц – в размере тридцати, на должностных лиц – …"),
  ``warning`` (предупреждение), ``arrest`` (арест / административный арест, days),
  ``imprisonment`` (лишение свободы) and ``restriction_of_liberty`` (ограничение свободы), with
  ``min``/``max`` and ``unit``, ``public_works`` (общественные работы, hours), ``disqualification``
  (лишение права занимать должности / управления транспортным средством) and ``expulsion``
  (выдворение за пределы Республики Казахстан) as a ``main`` or ``additional`` penalty ("с выдворением");
- time limits (сроки): "в течение десяти календарных дней", "не позднее трех рабочих дней",
  "сроком до 90 суток" → value, unit, day kind and relation;
- subjects: foreigners, stateless_persons, refugees, kandases, labour_migrants, employers,
  host_persons, minors, immigrants.

Numbers written as words are read by :func:`parse_number` ("ста пятидесяти" → 150).
Every fact carries ``start``/``end``/``text`` offsets into the provision text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from legal.numerals import NUMBER, parse_number

# --- sanctions (санкции) -----------------------------------------------------------------------------

_DASH = r"\s*[–—-]?\s*"
_MRP = r"(?:месячн\w+\s+расчетн\w+\s+показател\w+|МРП)"
_FINE = re.compile(r"\bштраф\w*", re.IGNORECASE)
_FINE_END = re.compile(rf"{_MRP}|процент\w*|тенге", re.IGNORECASE)
# "на субъектов малого предпринимательства … – в размере ста" / "в размере до двух тысяч"
_AMOUNT = re.compile(
    rf"(?:\bна\s+(?P<subject>[^–—;]{{3,160}}?){_DASH})?в\s+размере\s+(?:от\s+(?P<min>{NUMBER})\s+)?"
    rf"(?P<upto>до\s+)?(?P<num>{NUMBER})",
    re.IGNORECASE,
)
_SUBJECT_KINDS: tuple[tuple[str, str], ...] = (
    ("individuals", r"физическ"),
    ("officials", r"должностн"),
    ("legal_entities", r"юридическ"),
    ("small_business", r"мал\w+\s+предпринимательств|субъект\w+\s+малого"),
    ("medium_business", r"средн\w+\s+предпринимательств"),
    ("large_business", r"крупн\w+\s+предпринимательств"),
    ("non_profit", r"некоммерческ"),
)
_ARREST = re.compile(
    rf"(?P<adm>административн\w+\s+)?\bарест\w*\s+(?:сроком\s+|на\s+срок\s+)?(?:от\s+(?P<min>{NUMBER})\s+)?"
    rf"(?:(?P<upto>до)\s+|на\s+)?(?P<num>{NUMBER})\s+сут\w*",
    re.IGNORECASE,
)
_TERM_UNIT = r"(?P<unit>лет|года?|месяц\w*|сут\w*|дн\w*)"
_CUSTODIAL = re.compile(
    rf"(?P<kind>лишени\w+\s+свободы|ограничени\w+\s+свободы)\s+на\s+срок\s+"
    rf"(?:(?:от\s+(?P<min>{NUMBER})(?:\s+(?P<unit_min>лет|года?|месяц\w*))?\s+)?до\s+(?P<max>{NUMBER})|(?P<exact>{NUMBER}))"
    rf"\s+{_TERM_UNIT}",
    re.IGNORECASE,
)
_SAME_TERM = re.compile(r"(?P<kind>лишени\w+\s+свободы|ограничени\w+\s+свободы)\s+на\s+тот\s+же\s+срок", re.IGNORECASE)
_EXPULSION = re.compile(
    r"(?P<with>\bс\s+)?(?P<adm>административн\w+\s+)?выдворени\w+\s+(?:за\s+пределы|из)\s+Республики\s+Казахстан",
    re.IGNORECASE,
)
_PUBLIC_WORKS = re.compile(
    rf"общественн\w+\s+работ\w*\s+на\s+срок\s+(?:от\s+(?P<min>{NUMBER})\s+)?(?P<upto>до\s+)?(?P<num>{NUMBER})\s+час\w*",
    re.IGNORECASE,
)
# "с лишением права занимать определенные должности … на срок до трех лет", "лишение права управления
# транспортным средством сроком на семь лет": a sanction, not a time limit.
_DISQUALIFICATION = re.compile(
    rf"лишени\w+\s+права\s+(?P<what>[^–;.]{{3,160}}?)\s+(?:на\s+срок|сроком)\s+(?:на\s+)?"
    rf"(?:от\s+(?P<min>{NUMBER})\s+)?(?P<upto>до\s+)?(?P<num>{NUMBER})\s+(?P<unit>лет|года?|месяц\w*)",
    re.IGNORECASE,
)
_WARNING = re.compile(r"\bвлеч\w*\s+(?P<w>предупреждени\w*)", re.IGNORECASE)


def _unit(word: str | None) -> str:
    w = (word or "").lower()
    if w.startswith(("лет", "год")):
        return "years"
    if w.startswith("месяц"):
        return "months"
    if w.startswith("сут"):
        return "days"
    if w.startswith("дн") or w.startswith("ден"):
        return "days"
    if w.startswith("час"):
        return "hours"
    if w.startswith("недел"):
        return "weeks"
    return w


def _subjects_of(phrase: str) -> list[str]:
    return [kind for kind, rx in _SUBJECT_KINDS if re.search(rx, phrase, re.IGNORECASE)]


def _fines(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pos = 0
    for m in _FINE.finditer(text):
        if m.start() < pos:
            continue
        end_m = _FINE_END.search(text, m.end(), min(len(text), m.end() + 900))
        if end_m is None:
            continue  # "штраф" named without an amount (e.g. a list of penalty kinds)
        seg_start, seg_end = m.start(), end_m.end()
        segment = text[seg_start:seg_end]
        amounts: list[dict[str, Any]] = []
        # "штраф на физических лиц в размере …": the first subject sits right after "штраф".
        for a in _AMOUNT.finditer(segment):
            subjects = _subjects_of(a.group("subject") or "")
            if not subjects and not amounts:
                subjects = _subjects_of(segment[: a.start()])
            amounts.append(
                {
                    "subjects": subjects,
                    "amount": parse_number(a.group("num")),
                    "min": parse_number(a.group("min")) if a.group("min") else None,
                    "up_to": bool(a.group("upto")),
                }
            )
        if not amounts:
            continue
        unit_word = end_m.group().lower()
        unit = (
            "mrp"
            if unit_word.startswith(("месяч", "мрп"))
            else "percent"
            if unit_word.startswith("процент")
            else "tenge"
        )
        out.append(
            {"kind": "fine", "unit": unit, "amounts": amounts, "start": seg_start, "end": seg_end, "text": segment}
        )
        pos = seg_end
    return out


def _finditer(rx: re.Pattern[str], text: str, low: str, *stems: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, skipped when none of the literal ``stems`` (each a necessary part of a
    match) is in the lower-cased text: case-insensitive Cyrillic regexes are slow to search."""
    if any(stem in low for stem in stems):
        yield from rx.finditer(text)


def _sanctions(text: str, low: str) -> list[dict[str, Any]]:
    out = _fines(text) if "штраф" in low else []
    for m in _finditer(_WARNING, text, low, "предупрежд"):
        out.append({"kind": "warning", "start": m.start("w"), "end": m.end("w"), "text": m.group("w")})
    for m in _finditer(_ARREST, text, low, "арест"):
        out.append(
            {
                "kind": "arrest",
                "administrative": bool(m.group("adm")),
                "days": parse_number(m.group("num")),
                "min_days": parse_number(m.group("min")) if m.group("min") else None,
                "up_to": bool(m.group("upto")),
                "start": m.start(),
                "end": m.end(),
                "text": m.group(),
            }
        )
    for m in _finditer(_PUBLIC_WORKS, text, low, "общественн"):
        out.append(
            {
                "kind": "public_works",
                "hours": parse_number(m.group("num")),
                "min_hours": parse_number(m.group("min")) if m.group("min") else None,
                "up_to": bool(m.group("upto")),
                "start": m.start(),
                "end": m.end(),
                "text": m.group(),
            }
        )
    for m in _finditer(_DISQUALIFICATION, text, low, "лишени"):
        out.append(
            {
                "kind": "disqualification",
                "right": re.sub(r"\s+", " ", m.group("what")),
                "min": parse_number(m.group("min")) if m.group("min") else None,
                "max": parse_number(m.group("num")),
                "up_to": bool(m.group("upto")),
                "unit": _unit(m.group("unit")),
                "start": m.start(),
                "end": m.end(),
                "text": m.group(),
            }
        )
    for m in _finditer(_CUSTODIAL, text, low, "свобод"):
        kind = "imprisonment" if m.group("kind").lower().startswith("лишени") else "restriction_of_liberty"
        unit = _unit(m.group("unit"))
        lo: int | None
        if m.group("exact"):
            lo = hi = parse_number(m.group("exact"))
        else:
            lo = parse_number(m.group("min")) if m.group("min") else None
            hi = parse_number(m.group("max"))
        fact = {"kind": kind, "min": lo, "max": hi, "unit": unit, "start": m.start(), "end": m.end(), "text": m.group()}
        out.append(fact)
    for m in _finditer(_SAME_TERM, text, low, "свобод"):
        # "либо лишением свободы на тот же срок": the term of the previous penalty in the list.
        kind = "imprisonment" if m.group("kind").lower().startswith("лишени") else "restriction_of_liberty"
        prev = [f for f in out if f["kind"] in ("imprisonment", "restriction_of_liberty") and f["end"] <= m.start()]
        ref = prev[-1] if prev else None
        out.append(
            {
                "kind": kind,
                "min": ref["min"] if ref else None,
                "max": ref["max"] if ref else None,
                "unit": ref["unit"] if ref else None,
                "same_as_previous": True,
                "start": m.start(),
                "end": m.end(),
                "text": m.group(),
            }
        )
    for m in _finditer(_EXPULSION, text, low, "выдворени"):
        start = m.start("adm") if m.group("adm") else m.start() + (len(m.group("with")) if m.group("with") else 0)
        out.append(
            {
                "kind": "expulsion",
                "role": "additional" if m.group("with") else "main",
                "administrative": bool(m.group("adm")),
                "start": start,
                "end": m.end(),
                "text": text[start : m.end()],
            }
        )
    out.sort(key=lambda f: f["start"])
    return out


# --- time limits (сроки) -----------------------------------------------------------------------------

_PERIOD_UNIT = r"(?P<unit>сут\w*|дн(?:я|ей|ям|ями)|день|дня|месяц\w*|лет|год\w*|час\w*|недел\w*)"
_DAY_KIND = r"(?:(?P<daykind>календарн\w+|рабоч\w+)\s+)?"
_TIME_LIMIT = re.compile(
    rf"(?P<rel>в\s+течение|не\s+позднее|не\s+позже|сроком(?:\s+до|\s+на|\s+не\s+более)?|на\s+срок(?:\s+до|\s+не\s+более)?|"
    rf"не\s+более(?:\s+чем)?(?:\s+на)?|не\s+может\s+превышать|до\s+истечения|по\s+истечении|свыше)\s+"
    rf"(?:(?P<num>{NUMBER})\s+)?{_DAY_KIND}{_PERIOD_UNIT}(?![а-яё])",
    re.IGNORECASE,
)
_RELATIONS: tuple[tuple[str, str], ...] = (
    ("в течение", "within"),
    ("не позднее", "not_later"),
    ("не позже", "not_later"),
    ("по истечении", "after"),
    ("до истечения", "before_end"),
    ("свыше", "over"),
    ("не более", "max"),
    ("не может превышать", "max"),
    ("сроком до", "up_to"),
    ("на срок до", "up_to"),
    ("сроком не более", "max"),
    ("на срок не более", "max"),
    ("сроком", "term"),
    ("на срок", "term"),
)


#: A literal part of every relation word of :data:`_TIME_LIMIT` (the guard before searching it).
_TIME_LIMIT_STEMS = ("течение", "поздн", "позже", "срок", "более", "превышать", "истечени", "свыше")


def _time_limits(text: str, low: str, sanctions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    taken = [(s["start"], s["end"]) for s in sanctions if s["kind"] not in ("fine", "warning", "expulsion")]
    out: list[dict[str, Any]] = []
    for m in _finditer(_TIME_LIMIT, text, low, *_TIME_LIMIT_STEMS):
        if any(a <= m.start() < b for a, b in taken):
            continue  # "арест на срок до пятнадцати суток" is a sanction, not a time limit
        rel_text = re.sub(r"\s+", " ", m.group("rel").lower())
        relation = next((r for p, r in _RELATIONS if rel_text.startswith(p)), rel_text)
        daykind = (m.group("daykind") or "").lower()
        # "в течение года" — a period named in the singular without a number is one of it.
        out.append(
            {
                "value": parse_number(m.group("num")) if m.group("num") else 1,
                "unit": _unit(m.group("unit")),
                "day_kind": "calendar"
                if daykind.startswith("календ")
                else "working"
                if daykind.startswith("рабоч")
                else None,
                "relation": relation,
                "start": m.start(),
                "end": m.end(),
                "text": m.group(),
            }
        )
    return out


# --- subjects (субъекты) ----------------------------------------------------------------------------

#: (subject, pattern, literal stems one of which every match holds: the guard before the search)
_SUBJECTS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (name, re.compile(rx, re.IGNORECASE), stems)
    for name, rx, stems in (
        ("foreigners", r"\bиностран(?:ец|ца|цу|цем|це|цы|цев|цам|цами|цах)\b|\bиностранн\w+\s+граждан", ("иностран",)),
        ("stateless_persons", r"\bлиц\w*\s+без\s+гражданства", ("гражданства",)),
        ("refugees", r"\bбеженц\w*|\bбеженец\b|\bищущ\w+\s+убежищ", ("беженец", "беженц", "убежищ")),
        ("kandases", r"\bкандас\w*|\bоралман\w*|\bэтническ\w+\s+казах", ("кандас", "оралман", "казах")),
        (
            "labour_migrants",
            r"\bтрудов\w+\s+(?:и?м+игрант\w*)|\bиностранн\w+\s+работник\w*|\bиностранн\w+\s+рабоч\w+\s+сил",
            ("мигрант", "иностранн"),
        ),
        ("employers", r"\bработодател\w*", ("работодател",)),
        ("host_persons", r"\bпринимающ\w+\s+лиц\w*|\bлиц\w*,?\s+принимающ\w+\s+иностран", ("принимающ",)),
        (
            "minors",
            r"\bнесовершеннолетн\w*|\bмалолетн\w*|\bребен\w*|\bдет(?:и|ей|ям|ьми|ях)\b",
            ("несовершеннолетн", "малолетн", "ребен", "дет"),
        ),
        ("immigrants", r"\bиммигрант\w*", ("иммигрант",)),
    )
)


def _subjects(text: str, low: str) -> list[str]:
    found = [
        (m.start(), name)
        for name, rx, stems in _SUBJECTS
        if any(stem in low for stem in stems) and (m := rx.search(text))
    ]
    return [name for _, name in sorted(found)]


def extract_facts(text: str) -> dict[str, Any]:
    """Sanctions, time limits and subject categories of one provision (see the module doc)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    text = text.replace("\u00a0", " ")
    low = text.lower()
    sanctions = _sanctions(text, low)
    return {
        "sanctions": sanctions,
        "time_limits": _time_limits(text, low, sanctions),
        "subjects": _subjects(text, low),
    }
