"""adilet act ids and act numbers.

**Act id** (docs/design.md §2) = adilet's registration-group number: eleven characters, a letter for
the kind first: ``Z1100000477`` (закон), ``K1400000226`` (кодекс), ``U950002337_`` (указ),
``K950001000_`` (the Constitution), ``Z090000216_`` (the trailing underscore is part of old ids),
``V16UL003811`` (registered departmental acts may carry letters inside).

**Derivation** (:func:`derive_act_id`) follows adilet's rule for acts adopted from 2011 on:
``{letter}{yy}{number:08d}`` with Z for laws and constitutional laws and K for codes. 2010 acts still
carry the old form (Z100000274_ of 04.05.2010; the earliest new-form id seen is Z1100000380 of
06.01.2011) and where the switch fell is unknown, so nothing older is derived, nor any other kind
(decrees, resolutions, orders: their numbering is not a registration number). An id is never guessed.

**Reference-bank id** (the second id form): an act adilet's ids are not known for (the 1992 law
"Об иммиграции", repealed in 1997, is in the reference control bank ЭКБ but no adilet id of it is
known) gets ``EKB{code}`` from the bank's own document code: ``EKB104249``. It can never be mistaken
for an adilet id (three letters, no fixed length), is never derived or guessed, and is never sent to
adilet (:func:`is_act_id` stays adilet-only; :func:`is_corpus_act_id` accepts both forms).

**Act number** (:func:`normalize_act_number`): "№ 292-VІ" → "292-VI": Latin roman numerals for the
convocation, no "№", no trailing "ЗРК".
"""

from __future__ import annotations

import re
from datetime import date

from legal.act_kinds import KINDS, is_law, kind_of
from legal.roman import is_roman, to_latin

#: An adilet act id inside text or a file name ("K1400000226_criminal_code_rus.txt").
ACT_ID = r"[A-Z]\d\d[0-9A-Z]{7}[0-9_]"
ACT_ID_RE = re.compile(rf"(?<![A-Za-z0-9])({ACT_ID})(?![0-9A-Za-z])")
_FULL_ID = re.compile(rf"^{ACT_ID}$")

#: The first year of adilet's derived ids.
DERIVED_FROM_YEAR = 2011
_LETTER = {"закон": "Z", "конституционный закон": "Z", "кодекс": "K"}


def is_act_id(text: str) -> bool:
    """True for a well-formed adilet id: ``Z1100000477``, ``Z090000216_``."""
    return bool(_FULL_ID.match(text))


#: The reference-bank form: ``EKB`` and the bank's document code ("EKB104249").
BANK_ID = r"EKB[1-9]\d{0,9}"
_FULL_BANK_ID = re.compile(rf"^{BANK_ID}$")
BANK_ID_RE = re.compile(rf"(?<![A-Za-z0-9])({BANK_ID})(?![0-9A-Za-z])")


def is_bank_id(text: str) -> bool:
    """True for a reference-bank id ``EKB104249`` (see the module doc)."""
    return bool(_FULL_BANK_ID.match(text))


def bank_id(code: str | int) -> str:
    """The reference-bank id of the bank's document code: ``104249`` → ``"EKB104249"``."""
    text = str(code).strip()
    if not text.isdigit() or text.startswith("0") or not is_bank_id(f"EKB{text}"):
        raise ValueError(f"not a reference-bank document code: {code!r}")
    return f"EKB{text}"


def is_corpus_act_id(text: str) -> bool:
    """An id an act may have in the corpus: adilet's (``Z1100000477``) or the bank form (``EKB104249``)."""
    return is_act_id(text) or is_bank_id(text)


def find_act_id(text: str) -> str | None:
    """The first act id in ``text`` (a file name, a URL), or None."""
    m = ACT_ID_RE.search(text) or BANK_ID_RE.search(text)
    return m.group(1) if m else None


def normalize_act_number(raw: str) -> str:
    """An act number as adilet registers it: ``"№ 292-VІ"`` → ``"292-VI"``, ``"№ 15-V"`` → ``"15-V"``.

    Drops "№" and spaces, turns Cyrillic look-alikes of a roman convocation suffix into Latin
    letters and drops a trailing "ЗРК". ``ValueError`` if no number is left.
    """
    if not isinstance(raw, str):
        raise TypeError(f"act number must be a string, got {type(raw).__name__}")
    s = " ".join(raw.replace("\u00a0", " ").split()).replace("№", "").replace(" ", "")
    s = re.sub(r"-?ЗРК$", "", s)
    if "-" in s:
        head, _, tail = s.partition("-")
        if is_roman(tail):
            tail = to_latin(tail)
        s = f"{head}-{tail}"
    if not s or not s[0].isdigit():
        raise ValueError(f"not an act number: {raw!r}")
    return s


def derive_act_id(kind: str | None, adopted: date | int | None, number: str | int | None) -> str | None:
    """adilet id of an act from its kind, date (or year) of adoption and number, when adilet's rule
    gives one (see the module doc); None otherwise.

    ``derive_act_id("закон", date(2025, 9, 27), "220-VIII")`` → ``"Z2500000220"``;
    ``derive_act_id("кодекс", 2014, 226)`` → ``"K1400000226"``.
    """
    if kind is None or adopted is None or number is None:
        return None
    kind = kind if kind in KINDS else kind_of(kind)  # "Закон РК" as written → "закон"
    letter = "Z" if is_law(kind) else _LETTER.get(kind or "")
    year = adopted if isinstance(adopted, int) else adopted.year
    if letter is None or year < DERIVED_FROM_YEAR:
        return None
    m = re.match(r"\d+", str(number).strip())
    if not m:
        return None
    return f"{letter}{year % 100:02d}{int(m.group()):08d}"


#: The kind an adilet id's first letter stands for (K кодекс, Z закон, U указ, P постановление). A code
#: is K; the Constitution's id is K too (K950001000_): the letter is a default, requisites decide.
_KIND_BY_LETTER: dict[str, str] = {"K": "кодекс", "Z": "закон", "U": "указ", "P": "постановление"}


def kind_by_id(act_id: str) -> str | None:
    """The kind an adilet id's letter suggests ("K1400000226" → "кодекс"); None for other letters and for
    ids that are not adilet's (``EKB…``)."""
    if is_bank_id(act_id) or not act_id:
        return None
    return _KIND_BY_LETTER.get(act_id[:1])
