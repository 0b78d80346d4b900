"""Highlighted snippets, shared by both backends so a hit looks the same whichever answered.

A word of the text is marked when its lemma is one of the query's lemmas ("выдворения" in the text
for the query "выдворение"), and a run of words is marked when it is one of the query's phrases:
quoted phrases and thesaurus phrases by their lemmas, exact (``=``) phrases by their folded surface
forms. The snippet is a window of the text around the densest cluster of
matches, HTML-escaped, with ``<mark>…</mark>`` around the matches.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from html import escape, unescape

from nlp.lemmatize import fold, word_spans
from search_api.query import Query, is_stop_word, query_lemma_phrases, query_lemmas, query_surface_terms

ELLIPSIS = "…"


@dataclass(frozen=True)
class Marks:
    """What a query marks in a text, worked out once per search (not once per snippet)."""

    lemmas: frozenset[str]  # lemmas of the positive word terms
    surface: tuple[tuple[str, ...], ...]  # exact (=) phrases as folded surface forms
    lemma_phrases: tuple[tuple[str, ...], ...]  # quoted and thesaurus phrases as lemmas

    @classmethod
    def of(cls, query: Query) -> Marks:
        return cls(query_lemmas(query), query_surface_terms(query), query_lemma_phrases(query))


def match_spans(text: str, query: Query | Marks) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, key)`` of the matches in ``text``; ``key`` names the query term
    matched (a lemma or a phrase) so windows can prefer covering several different terms."""
    marks = query if isinstance(query, Marks) else Marks.of(query)
    lemmas, surface, lemma_phrases = marks.lemmas, marks.surface, marks.lemma_phrases
    starts, ends, text_lemmas = _words(text)  # the corpus's own tokenization and lemmas (those of analyze)
    if not surface and not lemma_phrases:  # the common case: words only
        return [(starts[i], ends[i], text_lemmas[i]) for i in _positions(text_lemmas, lemmas)
                if not is_stop_word(text[starts[i] : ends[i]])]
    words = list(zip(starts, ends, text_lemmas, strict=True))
    spans: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    runs: list[tuple[list[str], tuple[str, ...]]] = []
    if surface:
        folded = [fold(text[s:e]) for s, e, _ in words]
        runs.extend((folded, phrase) for phrase in surface)
    if lemma_phrases:
        runs.extend((list(text_lemmas), phrase) for phrase in lemma_phrases)
    for seq, phrase in sorted(runs, key=lambda r: -len(r[1])):  # longer phrases first
        n, first, rest = len(phrase), phrase[0], list(phrase[1:])
        for i, x in enumerate(seq):
            if x == first and seq[i + 1 : i + n] == rest and not covered.intersection(range(i, i + n)):
                spans.append((words[i][0], words[i + n - 1][1], " ".join(phrase)))
                covered.update(range(i, i + n))
    for i, (start, end, lem) in enumerate(words):
        if lem in lemmas and i not in covered and not is_stop_word(text[start:end]):
            spans.append((start, end, lem))
    spans.sort()
    return spans


def _positions(text_lemmas: tuple[str, ...], lemmas: frozenset[str]) -> list[int]:
    """The positions of the words whose lemma is one of ``lemmas``, in order. The lemmas present are
    found first (a set intersection), then each one's positions (``tuple.index``): both loops run in C,
    not one Python step per word of the text."""
    out: list[int] = []
    for lem in lemmas.intersection(text_lemmas):
        i = -1
        while True:
            try:
                i = text_lemmas.index(lem, i + 1)
            except ValueError:
                break
            out.append(i)
    out.sort()
    return out


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[array[int], array[int], tuple[str, ...]]:
    """A text's words (starts, ends, lemmas), kept for the texts hit most: the same provisions answer
    many different queries, and tokenizing is most of a snippet's cost. Offsets in arrays and lemmas
    shared with the tokenizer's cache: about 16 bytes a word, a few MB at the bound."""
    spans = word_spans(text)
    return (array("I", (s for s, _, _ in spans)), array("I", (e for _, e, _ in spans)),
            tuple(lem for _, _, lem in spans))


def clear_word_cache() -> None:
    """Forget the texts' words (benchmarks measure snippets of texts not seen before)."""
    _words.cache_clear()


def _best_window(spans: list[tuple[int, int, str]], max_chars: int) -> int:
    """Start offset of the window of ``max_chars`` that covers the most distinct terms (then the
    most matches, then the earliest)."""
    best_start, best_score = spans[0][0], (-1, -1)
    for i, (start, _, _) in enumerate(spans):
        inside = [s for s in spans[i:] if s[1] <= start + max_chars]
        score = (len({s[2] for s in inside}), len(inside))
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def snippet(text: str, query: Query | Marks | None, *, max_chars: int = 240) -> str:
    """An HTML-escaped window of ``text`` (at most about ``max_chars`` characters of text) around
    the best match, with every match wrapped in ``<mark>…</mark>``; without a query or a match,
    the beginning of the text. Cut ends are marked with "…"."""
    if max_chars < 20:
        raise ValueError(f"max_chars must be at least 20, got {max_chars}")
    spans = match_spans(text, query) if query is not None else []
    if len(text) <= max_chars:
        lo, hi = 0, len(text)
    else:
        anchor = _best_window(spans, max_chars) if spans else 0
        # Some context before the first match, then cut both ends at word boundaries.
        lo = max(0, min(anchor - max_chars // 6, len(text) - max_chars))
        if lo > 0:
            space = text.find(" ", lo, anchor if anchor > lo else lo + 1)
            lo = space + 1 if space >= 0 else lo
        hi = min(len(text), lo + max_chars)
        if hi < len(text):
            space = text.rfind(" ", lo, hi)
            hi = space if space > lo + max_chars // 2 else hi
    out: list[str] = [ELLIPSIS] if lo > 0 else []
    pos = lo
    for start, end, _ in spans:
        if start < lo or end > hi:
            continue
        out.append(escape(text[pos:start], quote=False))
        out.append(f"<mark>{escape(text[start:end], quote=False)}</mark>")
        pos = end
    out.append(escape(text[pos:hi], quote=False))
    if hi < len(text):
        out.append(ELLIPSIS)
    return "".join(out).strip()


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def marked_segments(snippet_html: str) -> list[tuple[str, bool]]:
    """A snippet made by :func:`snippet` back as plain text pieces, each with whether it was marked
    (for terminals and other non-HTML displays)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _MARK.finditer(snippet_html):
        if m.start() > pos:
            out.append((unescape(snippet_html[pos : m.start()]), False))
        out.append((unescape(m.group(1)), True))
        pos = m.end()
    if pos < len(snippet_html):
        out.append((unescape(snippet_html[pos:]), False))
    return out
