"""Lemmatization of Russian legal text: one function for the corpus and for search queries.

Public contract (other modules rely on it; keep the signatures):

- ``words(doc) -> list[Token]``: the words of a spaCy Doc (made by :mod:`nlp.tokenizer`) with
  character offsets and lemmas: what the taggers, the rights linker and the search index read.
- ``analyze(text) -> list[Token]``: ``words`` of ``text`` run through the same tokenizer alone
  (for short strings: queries, headings, act names).
- ``lemma(word) -> str``: the lemma of one word form (lower case, ё→е).
- ``lemma_text(text) -> str``: space-joined lemmas of the words of ``text``.
- ``fold(text) -> str``: lower case, ё→е, NBSP→space (what both sides of a match see).
- ``WORD_RE``: what a word inside a spaCy token is (a date token "01.01.2017" holds three).

The lemma is pymorphy3's top parse, corrected by domain overrides where that parse is wrong or
unhelpful for legal search (docs/design.md §5: "выдворения", "выдворению" and "выдворен" must all find
"выдворение"). The spaCy pipeline (``nlp.pipeline``) calls :func:`lemma` for its tokens, so the
corpus and the queries are lemmatized by the same function.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import pymorphy3
from spacy.tokens import Doc

from nlp.tokenizer import shared_tokenizer

_LETTERS = "0-9A-Za-zА-Яа-яЁёІіӘәҒғҚқҢңӨөҰұҮүҺһ"
#: A word as ``analyze`` sees it: letters and digits (Kazakh letters too), hyphenated parts kept together.
WORD_RE = re.compile(rf"[{_LETTERS}]+(?:-[{_LETTERS}]+)*")
_CYRILLIC_RE = re.compile(r"[а-я]")

#: Word forms whose lemma is fixed regardless of pymorphy3: legal abbreviations (сокращения) are
#: expanded so that "ст. 48" and "статья 48" meet in the index; the period is optional.
FORM_LEMMAS: dict[str, str] = {
    "ст": "статья",
    "ч": "часть",
    "п": "пункт",
    "пп": "подпункт",
    "подп": "подпункт",
    "абз": "абзац",
    "гл": "глава",
    "разд": "раздел",
    "рк": "рк",
    "мрп": "мрп",
    "ук": "ук",
    "упк": "упк",
    "коап": "коап",
}

#: Word families merged into one canonical lemma by the beginning of the folded form. Two reasons:
#: (1) loanwords of Kazakh migration law that pymorphy3 does not know and guesses badly
#: ("кандасов" → "кандасова", "кандасам" → "кандасам", "оралманы" → "оралмана");
#: (2) key legal actions whose verb, participle and noun must find each other
#: ("выдворен" → "выдворить", "выдворяется" → "выдворяться", "выдворения" → "выдворение").
#: Longest prefix first; each prefix is specific enough not to catch unrelated words.
STEM_LEMMAS: tuple[tuple[str, str], ...] = (
    ("выдвор", "выдворение"),  # выдворение, выдворить, выдворять(ся), выдворенный, выдворяемый
    ("депортац", "депортация"),
    ("депортир", "депортация"),  # депортировать, депортирован(ы), депортируемый
    ("реадмисси", "реадмиссия"),
    ("кандас", "кандас"),
    ("оралман", "оралман"),
    # "подлежащие выдворению": the participle of подлежать, never the grammar term "подлежащее"
    ("подлежащ", "подлежать"),
)


class Token(NamedTuple):
    """A word of a text: as written, its lemma, and its character offsets (end exclusive). A named tuple:
    millions are made per corpus, and a tuple is the cheapest immutable record to build."""

    text: str
    lemma: str
    start: int
    end: int


def fold(text: str) -> str:
    return text.replace("\u00a0", " ").replace("ё", "е").replace("Ё", "Е").lower()


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def _word_lemma(w: str) -> str:
    """Lemma of one folded, unhyphenated word."""
    fixed = FORM_LEMMAS.get(w)
    if fixed is not None:
        return fixed
    for prefix, canonical in STEM_LEMMAS:
        if w.startswith(prefix):
            return canonical
    if not _CYRILLIC_RE.search(w):
        return w  # numbers, Latin, roman numerals: kept as written (folded)
    return fold(_morph().parse(w)[0].normal_form)


@lru_cache(maxsize=500_000)
def lemma(word: str) -> str:
    """Lemma of a word form: lower case, ё→е, domain overrides, then pymorphy3's top parse.

    A trailing period (a spaCy token such as "ст.") is ignored; hyphenated compounds are
    lemmatized part by part ("трудящихся-мигрантов" → "трудящийся-мигрант"), numbers such as
    "5-1" are kept.
    """
    w = fold(word).strip()
    if len(w) > 1 and w.endswith("."):
        w = w.rstrip(".")
    if not w:
        return w
    whole = FORM_LEMMAS.get(w)
    if whole is not None:
        return whole
    if "-" in w and not w.startswith("-") and not w.endswith("-"):
        return "-".join(_word_lemma(part) for part in w.split("-"))
    return _word_lemma(w)


# token text (by its orth id, the same in every vocab) → its words: (start, end, lemma) relative to the token.
# Token texts repeat across a corpus, so each is split and lemmatized once.
_SEGMENTS: dict[int, tuple[tuple[int, int, str], ...]] = {}
_SEGMENTS_MAX = 2_000_000


def _segments(orth: int, text: str) -> tuple[tuple[int, int, str], ...]:
    found = _SEGMENTS.get(orth)
    if found is None:
        if len(_SEGMENTS) >= _SEGMENTS_MAX:
            _SEGMENTS.clear()
        found = _SEGMENTS[orth] = tuple((m.start(), m.end(), lemma(m.group())) for m in WORD_RE.finditer(text))
    return found


def words(doc: Doc) -> list[Token]:
    """The words of a Doc in order, with offsets into its text and lemmas."""
    out: list[Token] = []
    for tok in doc:
        text = tok.text
        start = tok.idx
        for s, e, lem in _segments(tok.orth, text):
            out.append(Token(text[s:e], lem, start + s, start + e))
    return out


def analyze(text: str) -> list[Token]:
    """Words of ``text`` through the legal tokenizer alone (no pipeline components)."""
    return words(shared_tokenizer()(text))


# a space-delimited chunk of text → its words (start, end, lemma) relative to the chunk. The tokenizer
# handles each chunk on its own (spaCy splits on spaces first), so a text's words are its chunks' words;
# chunks repeat across a corpus far more than whole texts do.
_CHUNKS: dict[str, tuple[tuple[int, int, str], ...]] = {}
_CHUNKS_MAX = 500_000


def _chunk_words(chunk: str) -> tuple[tuple[int, int, str], ...]:
    found = _CHUNKS.get(chunk)
    if found is None:
        if len(_CHUNKS) >= _CHUNKS_MAX:
            _CHUNKS.clear()
        found = _CHUNKS[chunk] = tuple(
            (tok.idx + s, tok.idx + e, lem)
            for tok in shared_tokenizer()(chunk)
            for s, e, lem in _segments(tok.orth, tok.text)
        )
    return found


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, lemma)`` of the words of :func:`analyze`, exactly (tested over the bundled corpus),
    several times faster on texts whose words repeat: each space-delimited chunk is tokenized once per
    process, and no Token objects are made. For search snippets."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for chunk in text.split(" "):
        if chunk:
            out.extend((pos + s, pos + e, lem) for s, e, lem in _chunk_words(chunk))
        pos += len(chunk) + 1
    return out


@lru_cache(maxsize=65_536)
def analyze_cached(text: str) -> tuple[Token, ...]:
    """:func:`analyze` for strings that repeat (an article's heading is read with each of its parts)."""
    return tuple(analyze(text))


def lemma_text(text: str) -> str:
    return " ".join(t.lemma for t in analyze(text))
