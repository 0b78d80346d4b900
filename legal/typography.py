"""Typographic variants that carry no legal meaning (one home for the rule).

The same wording reaches the corpus from different sources with different typography: adilet's
pages quote with «ёлочки», the reference bank's Markdown often with "straight" quotes; a dash may be
a hyphen-minus, an en dash or an em dash; a space may be a no-break space or a line wrapped in the
source. Comparing wordings (what changed between two dates) must not report these as changes.

:func:`fold_typography` maps each such character to one representative, character for character
(the length is kept, so offsets into the folded text are offsets into the original).
"""

from __future__ import annotations

_FOLD = str.maketrans({
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " ", "\n": " ", "\r": " ",
})  # fmt: skip


def fold_typography(text: str) -> str:
    """``text`` with quotes, dashes and spaces folded to one form each; the same length as ``text``."""
    return text.translate(_FOLD)
