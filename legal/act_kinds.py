"""Kinds of normative legal acts (виды нормативных правовых актов) and their case forms.

The kind is stored in its dictionary form: "закон", "конституционный закон", "кодекс", "указ",
"постановление", "нормативное постановление", "приказ", "совместный приказ", "распоряжение",
"решение", "конституция". :func:`kind_of` reads it from any case form, as notes and references
write it ("Законом РК", "законами", "Указа Президента", "конституционным законом").
"""

from __future__ import annotations

import re

#: Dictionary forms, two-word kinds first (they are matched before their last word).
KINDS: tuple[str, ...] = (
    "конституционный закон",
    "нормативное постановление",
    "совместный приказ",
    "закон",
    "кодекс",
    "указ",
    "постановление",
    "приказ",
    "распоряжение",
    "решение",
    "конституция",
)

# stem of every case form, with the kind it gives; the last word alone is the fallback
_STEMS: tuple[tuple[str, str], ...] = (
    (r"конституционн\w*\s+з?акон\w*", "конституционный закон"),
    (r"нормативн\w*\s+постановлени\w*", "нормативное постановление"),
    (r"совместн\w*\s+приказ\w*", "совместный приказ"),
    (r"з?акон(?:ы|а|у|ом|е|ов|ам|ами|ах)?", "закон"),  # "аконами": a typo of the original
    (r"кодекс\w*", "кодекс"),
    (r"указ(?:ы|а|у|ом|е|ов|ам|ами|ах)?", "указ"),
    (r"постановлени\w*", "постановление"),
    (r"приказ\w*", "приказ"),
    (r"распоряжени\w*", "распоряжение"),
    (r"решени\w*", "решение"),
    (r"конституци\w*", "конституция"),
)
_KIND_RE = re.compile("|".join(f"(?P<k{i}>{stem})(?!\\w)" for i, (stem, _) in enumerate(_STEMS)), re.IGNORECASE)


def kind_of(words: str) -> str | None:
    """The kind named at the start of ``words`` ("Законом Республики Казахстан" → "закон"), or None."""
    m = _KIND_RE.match(words.strip())
    if m is None:
        return None
    return _STEMS[int((m.lastgroup or "k0")[1:])][1]


def is_law(kind: str | None) -> bool:
    """A law or a constitutional law (their ids share one form)."""
    return kind in ("закон", "конституционный закон")
