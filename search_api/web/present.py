"""How the pages write legal things: dates, provision labels ("подп. 3 п. 2 ст. 48"), headings as the
act prints them ("Статья 48.", "48-бап."), numbers of parts and items ("2.", "3)"), adilet links.

Pure functions. Eids are taken apart only by :mod:`legal.eid`; dates in adilet's numeric form come
from :mod:`legal.dates`.
"""

from __future__ import annotations

import re
from datetime import date

from legal.dates import MONTHS, format_ru
from legal.eid import Eid, EidError

_MONTH_GENITIVE = {n: word for word, n in MONTHS.items()}
_MONTH_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateParamError(ValueError):
    """A date parameter that is not a real YYYY-MM-DD date (the message names the parameter)."""

    def __init__(self, name: str, value: str, message: str) -> None:
        super().__init__(message)
        self.name, self.value = name, value


def parse_date_param(name: str, value: str | None) -> date | None:
    """A page's date parameter: empty → None; anything but a real ``YYYY-MM-DD`` → DateParamError."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not _ISO_DATE_RE.match(text):
        raise DateParamError(name, text, f"{name}: «{text}» is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise DateParamError(name, text, f"{name}: «{text}» is not a real date ({exc})") from exc


def fmt_date(d: date | None, ui: str = "ru") -> str:
    """Short form: ``16.05.2024`` (ru, adilet's form) or ``16 May 2024`` (en)."""
    if d is None:
        return "—"
    return format_ru(d) if ui == "ru" else f"{d.day} {_MONTH_EN[d.month - 1]} {d.year}"


def fmt_date_long(d: date, ui: str = "ru") -> str:
    """Long form: ``16 мая 2024 г.`` / ``16 May 2024``."""
    if ui == "ru":
        return f"{d.day} {_MONTH_GENITIVE[d.month]} {d.year} г."
    return fmt_date(d, "en")


# --- provisions -------------------------------------------------------------------------------------

#: eid prefix → (abbreviation in a law, in a code) for Russian provision labels.
_RU_ABBR: dict[str, tuple[str, str]] = {
    "art": ("ст.", "ст."),
    "para": ("п.", "ч."),  # пункт of a law, часть of a code
    "point": ("подп.", "п."),  # подпункт of a law, пункт of a code
    "chp": ("гл.", "гл."),
    "sec": ("разд.", "разд."),
    "prgf": ("§", "§"),
}
_EN_ABBR = {"art": "art.", "para": "para.", "point": "subpara.", "chp": "ch.", "sec": "sec.", "prgf": "§"}
_CODE_PARTS = {"general": ("Общая часть", "General Part"), "special": ("Особенная часть", "Special Part")}


def is_code(act_kind: str | None) -> bool:
    return (act_kind or "").lower() == "кодекс"


def eid_label(eid: str, act_kind: str | None = None, ui: str = "ru", within: str | None = None) -> str:
    """A provision as a scholar writes it: ``art_48__para_2__point_3`` → ``подп. 3 п. 2 ст. 48`` in a
    law, ``п. 3 ч. 2 ст. 48`` in a code; ``art. 48, para. 2, subpara. 3`` in English. ``within`` (an
    enclosing eid, e.g. the article a page shows) is left out: ``подп. 3 п. 2``. Unknown forms come
    back as the eid itself."""
    try:
        parsed = Eid.parse(eid)
    except EidError:
        return eid
    pieces = parsed.pieces
    if within is not None and within != eid and Eid.is_valid(within):
        outer = Eid.parse(within)
        if outer.contains(parsed):
            pieces = pieces[len(outer.pieces):]
    code = is_code(act_kind)
    words: list[str] = []
    for p in pieces:
        if p.prefix == "preamble":
            words.append("преамбула" if ui == "ru" else "preamble")
        elif p.prefix == "part":
            names = _CODE_PARTS.get(p.number or "")
            words.append((names[0] if ui == "ru" else names[1]) if names else str(p))
        elif ui == "ru":
            abbr = _RU_ABBR.get(p.prefix, (p.prefix, p.prefix))[1 if code else 0]
            suffix = ")" if p.prefix == "point" and (p.number or "").isalpha() else ""  # lettered: "подп. а)"
            words.append(f"{abbr} {p.number}{suffix}")
        else:
            words.append(f"{_EN_ABBR.get(p.prefix, p.prefix)} {p.number}")
    if ui == "ru":
        return " ".join(reversed(words))
    return ", ".join(words)


def number_label(kind: str, eid: str, number: str | None) -> str:
    """How the act prints a part's or item's number: ``2.`` for a part, ``3)`` for an item or a
    lettered item (``а)``); empty for containers (their number is in the heading)."""
    if not number:
        return ""
    if kind == "part":
        return f"{number}."
    if kind == "item":
        return f"{number})"
    return ""


#: Heading words per text language: (word, Kazakh-style number first).
_HEADING_WORDS: dict[str, dict[str, str]] = {
    "rus": {"article": "Статья {n}.", "chapter": "Глава {n}.", "section": "Раздел {n}.", "paragraph": "Параграф {n}."},
    "kaz": {"article": "{n}-бап.", "chapter": "{n}-тарау.", "section": "{n}-бөлім.", "paragraph": "{n}-параграф."},
}


def heading_label(kind: str, number: str | None, heading: str | None, lang: str = "rus", eid: str = "") -> str:
    """The heading line as the act prints it: ``Статья 48. Основания …`` / ``48-бап. …``; the parts
    of a code (``part_general``) and headings without a number keep their title alone."""
    title = (heading or "").strip()
    if eid.startswith("part_") or not number:
        return title
    form = _HEADING_WORDS.get(lang, _HEADING_WORDS["rus"]).get(kind)
    if form is None:
        return title
    label = form.format(n=number)
    return f"{label} {title}".strip()


# --- adilet --------------------------------------------------------------------------------------


def adilet_url(act_id: str, lang: str = "rus", anchor: str | None = None) -> str:
    """The act's page on adilet.zan.kz (``/rus/docs/{ID}``, :mod:`ingest.adilet_urls`), with the
    provision's ``#z{N}`` when the store knows it (the page's own element id, e.g. ``z446`` for art. 48
    of the migration law: not the article's number)."""
    from ingest.adilet_urls import LANGS, doc_url

    return doc_url(act_id, lang if lang in LANGS else "rus", anchor=anchor)


def provision_anchor(provision: object) -> str | None:
    """adilet's anchor of a provision (``z446``): ``Provision.anchor``, recorded by ingest from an adilet page
    (headings only; None for text copies and the reference bank's Markdown)."""
    value = getattr(provision, "anchor", None)
    return str(value) if value else None
