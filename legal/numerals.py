"""Russian numbers as legal texts write them: digits or numeral words in any case (one module for
every layer): "десяти" → 10, "ста пятидесяти" → 150, "двадцати одного" → 21, "тридцатого" → 30.

Used by the facts of nlp/ (sanctions, time limits), by ingest's effective-date rules ("по истечении
десяти календарных дней") and by corpus' typed diffs ("десяти" → "тридцати" суток).
"""

from __future__ import annotations

import re

_CARDINALS: dict[int, str] = {
    1: "один одного одной одному одном одним одну одна одно",
    2: "два две двух двум двумя",
    3: "три трех трем тремя трёх трём",
    4: "четыре четырех четырем четырьмя четырёх",
    5: "пять пяти пятью",
    6: "шесть шести шестью",
    7: "семь семи семью",
    8: "восемь восьми восемью восьмью",
    9: "девять девяти девятью",
    10: "десять десяти десятью",
    11: "одиннадцать одиннадцати одиннадцатью",
    12: "двенадцать двенадцати двенадцатью",
    13: "тринадцать тринадцати тринадцатью",
    14: "четырнадцать четырнадцати четырнадцатью",
    15: "пятнадцать пятнадцати пятнадцатью",
    16: "шестнадцать шестнадцати шестнадцатью",
    17: "семнадцать семнадцати семнадцатью",
    18: "восемнадцать восемнадцати восемнадцатью",
    19: "девятнадцать девятнадцати девятнадцатью",
    20: "двадцать двадцати двадцатью",
    30: "тридцать тридцати тридцатью",
    40: "сорок сорока",
    50: "пятьдесят пятидесяти пятьюдесятью",
    60: "шестьдесят шестидесяти шестьюдесятью",
    70: "семьдесят семидесяти семьюдесятью",
    80: "восемьдесят восьмидесяти восемьюдесятью",
    90: "девяносто девяноста",
    100: "сто ста",
    200: "двести двухсот двумстам двумястами",
    300: "триста трехсот тремстам трёхсот",
    400: "четыреста четырехсот четырёхсот",
    500: "пятьсот пятисот",
    600: "шестьсот шестисот",
    700: "семьсот семисот",
    800: "восемьсот восьмисот",
    900: "девятьсот девятисот",
}
_MULTIPLIERS: dict[int, str] = {
    1000: "тысяча тысячи тысячу тысяч тысячей тысячам тысячами тысячах",
    1_000_000: "миллион миллиона миллионов миллиону миллионам",
}
# Ordinals as used in time limits ("не позднее тридцатого календарного дня"): stem → value.
_ORDINAL_STEMS: dict[str, int] = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "пятнадцат": 15, "двадцат": 20, "тридцат": 30, "сороков": 40,
    "шестидесят": 60, "девяност": 90,
}  # fmt: skip
_ORDINAL_RE = re.compile(
    "^("
    + "|".join(sorted(_ORDINAL_STEMS, key=len, reverse=True))
    + r")(?:ый|ий|ой|ого|ому|ым|ом|ая|ую|ое|ые|ых|ьего|ьему|ьим|ьем|ья|ье|ьей)$"
)

_WORD_VALUE: dict[str, int] = {w: v for v, forms in _CARDINALS.items() for w in forms.split()}
_MULTIPLIER_VALUE: dict[str, int] = {w: v for v, forms in _MULTIPLIERS.items() for w in forms.split()}
_NUM_WORDS = sorted(list(_WORD_VALUE) + list(_MULTIPLIER_VALUE), key=len, reverse=True)
_NUM_WORD = r"(?:" + "|".join(_NUM_WORDS) + r")(?![а-яёА-ЯЁ])"
_ORDINAL_WORD = (
    r"(?:(?:" + "|".join(sorted(_ORDINAL_STEMS, key=len, reverse=True)) + r")"
    r"(?:ый|ий|ой|ого|ому|ым|ом|ая|ую|ое|ые|ых|ьего|ьему|ьим|ьем|ья|ье|ьей))"
)
#: A number as written in a provision: digits ("90") or a run of numeral words ("ста пятидесяти").
NUMBER = (
    rf"(?:\d+(?:[ \u00a0]\d{{3}})*|(?<![а-яёА-ЯЁ]){_NUM_WORD}(?:\s+{_NUM_WORD})*"
    rf"|(?<![а-яёА-ЯЁ]){_ORDINAL_WORD}(?![а-яёА-ЯЁ]))"
)


def parse_number(words: str) -> int:
    """The value of a number written in digits or Russian words, any case.

    ``"пятидесяти"`` → 50, ``"ста пятидесяти"`` → 150, ``"двадцати пяти"`` → 25,
    ``"одной тысячи"`` → 1000, ``"двух тысяч пятисот"`` → 2500, ``"90"`` → 90,
    ``"тридцатого"`` → 30. Raises ValueError naming the word it cannot read.
    """
    s = words.strip().lower().replace("ё", "е").replace("\u00a0", " ")
    if not s:
        raise ValueError("empty number")
    if re.fullmatch(r"\d+(?: \d{3})*", s):
        return int(s.replace(" ", ""))
    m = _ORDINAL_RE.match(s)
    if m and " " not in s:
        return _ORDINAL_STEMS[m.group(1)]
    total, current = 0, 0
    for w in s.split():
        if w in _WORD_VALUE:
            current += _WORD_VALUE[w]
        elif w in _MULTIPLIER_VALUE:
            total += max(current, 1) * _MULTIPLIER_VALUE[w]
            current = 0
        else:
            raise ValueError(f"not a number word: {w!r} in {words!r}")
    return total + current

NUMBER_RE = re.compile(NUMBER, re.IGNORECASE)


def find_numbers(text: str) -> list[tuple[int, int, int]]:
    """Every number in ``text`` as (start, end, value), in text order: "в течение десяти суток" →
    [(11, 17, 10)]. A word run that does not add up (never raised here) is skipped."""
    out: list[tuple[int, int, int]] = []
    for m in NUMBER_RE.finditer(text):
        try:
            out.append((m.start(), m.end(), parse_number(m.group())))
        except ValueError:
            continue
    return out


def number_words(n: int) -> str:
    """A whole number from 1 to 999 999 in Russian words, nominative (the inverse of
    :func:`parse_number`): 25 → "двадцать пять", 2500 → "две тысячи пятьсот". Raises ValueError
    outside that range."""
    if not 1 <= n < 1_000_000:
        raise ValueError(f"number_words: {n} is outside 1..999999")
    thousands, rest = divmod(n, 1000)
    out: list[str] = []
    if thousands:
        out.extend(_hundreds(thousands, feminine=True))
        last = thousands % 100
        form = "тысяч" if 11 <= last <= 14 or last % 10 in (0, 5, 6, 7, 8, 9) else (
            "тысяча" if last % 10 == 1 else "тысячи")
        out.append(form)
    out.extend(_hundreds(rest, feminine=False))
    return " ".join(out)


def _hundreds(n: int, *, feminine: bool) -> list[str]:
    """Words of 0..999 (nominative); ``feminine`` for a count of тысячи (одна, две)."""
    out: list[str] = []
    for unit in (100, 10):
        if n >= unit and not (unit == 10 and n < 20):
            value = n - n % unit
            out.append(_CARDINALS[value].split()[0])
            n -= value
    if n:
        word = _CARDINALS[n].split()[0]
        if feminine and n in (1, 2):
            word = "одна" if n == 1 else "две"
        out.append(word)
    return out
