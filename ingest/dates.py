"""Russian dates as adilet writes them: "22.07.2011" and "22 июля 2011 года" (one module for both)."""

from __future__ import annotations

import re
from datetime import date

#: Genitive month names, as in "от 22 июля 2011 года".
MONTHS: dict[str, int] = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
#: Alternation of the month names, for building larger patterns.
MONTH_WORD = "|".join(MONTHS)

NUMERIC_DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
WORDED_DATE_RE = re.compile(rf"\b(\d{{1,2}})\s+({MONTH_WORD})\s+(\d{{4}})(?:\s*(?:года|г\.))?", re.IGNORECASE)


def parse_ru_date(text: str) -> date | None:
    """The first date in ``text``: "22.07.2011" or "22 июля 2011 года"; None if there is none.
    Impossible dates ("31.02.2020") are skipped, not raised."""
    candidates: list[tuple[int, date]] = []
    for m in NUMERIC_DATE_RE.finditer(text):
        try:
            candidates.append((m.start(), date(int(m[3]), int(m[2]), int(m[1]))))
        except ValueError:
            continue
    for m in WORDED_DATE_RE.finditer(text):
        try:
            candidates.append((m.start(), date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))))
        except ValueError:
            continue
    return min(candidates)[1] if candidates else None
