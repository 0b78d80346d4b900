"""Dates as Kazakh legal texts write them (one module for every layer).

Russian: "22.07.2011", "22 июля 2011 года", "22 июля 2011 г.". Kazakh texts of the reference bank
and adilet write amending acts' dates year first ("ҚР 2012.04.27 № 15-V Заңымен") or in words
("2011 жылғы 22 шілдедегі"). Impossible dates ("31.02.2020") are never raised: they are skipped.
"""

from __future__ import annotations

import re
from datetime import date

#: Genitive month names, as in "от 22 июля 2011 года".
MONTHS: dict[str, int] = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
#: Kazakh month names (stems: "шілдедегі", "шілде"), as in "2011 жылғы 22 шілдедегі".
KAZ_MONTHS: dict[str, int] = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
    "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}  # fmt: skip

#: Alternation of the Russian month names, for building larger patterns.
MONTH_WORD = "|".join(MONTHS)
_KAZ_MONTH_WORD = "|".join(KAZ_MONTHS)

#: A Russian date as a pattern string to embed in larger patterns (no groups):
#: "13.05.2020" or "13 мая 2020 года".
DATE = rf"(?:\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{1,2}}\s+(?:{MONTH_WORD})\s+\d{{4}}(?:\s*(?:года|г\.))?)"

NUMERIC_DATE_RE = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\d])")
WORDED_DATE_RE = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<m>{MONTH_WORD})\s+(?P<y>\d{{4}})(?:\s*(?:года|г\.))?", re.IGNORECASE
)
#: Kazakh year-first dates: "2012.04.27", "2011 жылғы 22 шілдедегі".
KAZ_NUMERIC_DATE_RE = re.compile(r"(?<![\d.])(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d])")
KAZ_WORDED_DATE_RE = re.compile(
    rf"(?P<y>\d{{4}})\s+жылғы\s+(?P<d>\d{{1,2}})\s+(?P<m>{_KAZ_MONTH_WORD})\w*", re.IGNORECASE
)


def make_date(year: int, month: int, day: int) -> date | None:
    """``date(year, month, day)``, or None for an impossible date such as 31.02.2020."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(word: str) -> int:
    w = word.lower()
    if w in MONTHS:
        return MONTHS[w]
    return next(n for stem, n in KAZ_MONTHS.items() if w.startswith(stem))


def date_of_match(m: re.Match[str]) -> date | None:
    """The date of a match of one of this module's patterns (groups ``d``, ``m``, ``y``)."""
    month = m["m"]
    return make_date(int(m["y"]), int(month) if month.isdigit() else _month(month), int(m["d"]))


def find_dates(text: str, *, kazakh: bool = True) -> list[tuple[int, date]]:
    """Every valid date in ``text`` with its offset, in text order (impossible dates skipped)."""
    patterns = [NUMERIC_DATE_RE, WORDED_DATE_RE]
    if kazakh:
        patterns += [KAZ_NUMERIC_DATE_RE, KAZ_WORDED_DATE_RE]
    found = [(m.start(), d) for rx in patterns for m in rx.finditer(text) if (d := date_of_match(m)) is not None]
    return sorted(found)


def parse_date(text: str) -> date | None:
    """The first date in ``text`` ("22.07.2011", "22 июля 2011 года", "2012.04.27", "2011 жылғы 22
    шілдедегі"); None if there is none."""
    found = find_dates(text)
    return found[0][1] if found else None


def format_ru(d: date) -> str:
    """adilet's numeric form: ``date(2011, 7, 22)`` → ``"22.07.2011"``."""
    return d.strftime("%d.%m.%Y")
