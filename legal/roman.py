"""Roman numerals as Kazakh legal texts type them.

adilet writes convocation suffixes of act numbers ("№ 292-VІ") and numbers of разделы ("РАЗДЕЛ ІV")
with Cyrillic look-alikes of Latin letters: І (U+0406), Ӏ, і, Х, С, М. Every comparison of such
numbers goes through :func:`to_latin` first.
"""

from __future__ import annotations

import re

#: Cyrillic letters that stand for Latin ones inside a roman numeral.
LOOKALIKES = str.maketrans({"І": "I", "Ӏ": "I", "і": "I", "Х": "X", "х": "X", "С": "C", "с": "C", "М": "M", "м": "M"})

#: A roman numeral as it may be typed (Latin letters or their Cyrillic look-alikes), for patterns.
ROMAN_CHARS = r"[IVXLCDMІӀХСМivxlcdmіх]"
#: The upper-case form adilet uses in headings and act numbers ("IV", "ІV", "VІ").
ROMAN_UPPER = r"[IVXLCDMІХСМ]+"

_LATIN_ROMAN = re.compile(r"^[IVXLCDM]+$")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_latin(text: str) -> str:
    """Cyrillic look-alikes → Latin letters, upper case: ``"VІ"`` → ``"VI"``."""
    return text.translate(LOOKALIKES).upper()


def is_roman(text: str) -> bool:
    """True for a roman numeral (look-alikes allowed): "IV", "VІ", "XII"."""
    return bool(text) and bool(_LATIN_ROMAN.match(to_latin(text)))


def value(text: str) -> int:
    """The number a roman numeral stands for: ``value("ІV")`` → 4. ``ValueError`` if it is none."""
    latin = to_latin(text)
    if not _LATIN_ROMAN.match(latin):
        raise ValueError(f"not a roman numeral: {text!r}")
    total = 0
    for i, ch in enumerate(latin):
        v = _VALUES[ch]
        total += -v if i + 1 < len(latin) and _VALUES[latin[i + 1]] > v else v
    return total
