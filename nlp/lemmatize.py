"""Lemmatization of Russian legal text: one function for the corpus and for search queries.

Public contract (other modules rely on it; keep the signatures):

- ``analyze(text) -> list[Token]``: word tokens with character offsets into ``text`` and lemmas.
- ``lemma(word) -> str``: the lemma of one word form (lower case, ё→е).
- ``lemma_text(text) -> str``: space-joined lemmas of the words of ``text``.
- ``fold(text) -> str``: lower case, ё→е, NBSP→space (what both sides of a match see).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3

_WORD_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁёІіӘәҒғҚқҢңӨөҰұҮүҺһ]+(?:-[0-9A-Za-zА-Яа-яЁёІіӘәҒғҚқҢңӨөҰұҮүҺһ]+)*")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    lemma: str
    start: int
    end: int


def fold(text: str) -> str:
    return text.replace("\u00a0", " ").replace("ё", "е").replace("Ё", "Е").lower()


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=500_000)
def lemma(word: str) -> str:
    w = fold(word)
    if not w or w.isdigit() or not re.search(r"[а-я]", w):
        return w
    return fold(_morph().parse(w)[0].normal_form)


def analyze(text: str) -> list[Token]:
    return [Token(m.group(), lemma(m.group()), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def lemma_text(text: str) -> str:
    return " ".join(t.lemma for t in analyze(text))
