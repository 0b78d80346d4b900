"""The spaCy pipeline for Russian legal text (fully offline: ``spacy.blank("ru")`` + pymorphy3).

Components, in order:

1. tokenizer with legal special cases: abbreviations stay one token ("ст.", "ч.", "п.", "пп.",
   "подп.", "абз.", "гл.", "разд.", "г.", "гг.", "т.е.", "т.д.", "см.", "№"), hyphenated numbers
   ("517-1", "292-VІ"), item markers ("1-1)", "3)"), dates ("01.01.2017");
2. ``legal_retokenizer``: splits ")" back off a number when it closes a bracket ("(см. ст. 2)")
   and merges "и т.д." / "и т.п." into one token; does nothing on texts without those;
3. ``legal_sentences``: sentence starts after ". ! ?" before a capital letter, never after an
   abbreviation ("ч.", "п.", "ст.", "пп.", "г.") or an item number ("1. Иностранцы…"), and at every
   paragraph break (blank line or an indented new line, as on adilet pages);
4. ``legal_lemmatizer``: :func:`nlp.lemmatize.lemma` for every token (cached by orth id) — the same
   function the search uses for queries;
5. ``legal_citations``: :func:`nlp.citations.find_citations` into ``doc._.citations``, relative to
   ``doc._.act_id`` / ``doc._.eid`` (set them through :func:`process`).

Components work on whole arrays (``Doc.to_array``/``from_array``) rather than per token
attribute, which keeps the pipeline near the tokenizer's own speed (see benchmarks/nlp_speed.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import IDX, LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from legal.roman import ROMAN_UPPER
from nlp.citations import find_citations
from nlp.lemmatize import lemma

#: Abbreviations kept as one token (with their period), in the cases they are written.
LEGAL_ABBREVIATIONS: tuple[str, ...] = (
    "ст.", "ч.", "п.", "пп.", "подп.", "абз.", "гл.", "разд.", "г.", "гг.", "т.е.", "т.д.", "т.п.",
    "см.", "№", "обл.", "р-н", "тыс.", "млн.", "руб.",
)  # fmt: skip

#: Abbreviations after which a period does not end a sentence (folded, without the period).
NON_TERMINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    {"ст", "ч", "п", "пп", "подп", "абз", "гл", "разд", "г", "гг", "см", "т.е", "т.д", "т.п", "обл",
     "тыс", "млн", "руб", "им", "ул", "д", "кв", "с", "пос", "№"}
)  # fmt: skip

# Hyphenated numbers and item markers are single tokens: "517-1", "1-1)", "3)", "292-VІ".
_TOKEN_MATCH = re.compile(rf"^(?:\d+(?:-\d+)+|\d+(?:-\d+)*\)|\d+-{ROMAN_UPPER})$")
# A number that closes a bracket: "(см. ст. 2)" — the ")" is punctuation, not an item marker.
_CLOSING_NUMBER = re.compile(r"\([^()\n]*?(?<![\w-])(\d+(?:-\d+)*)\)")
_ETC = re.compile(r"\bи\s+т\.[дп]\.")
# Candidate sentence end: terminal punctuation, closing quotes/brackets, space, then a capital.
_SENT_END = re.compile(r"[.!?…][\"»)]*\s+(?=[«\"(]?[А-ЯЁA-ZІӘҒҚҢӨҰҮҺ])")
# Paragraph break: a blank line, or a new line indented by two or more (NB)spaces.
_PARAGRAPH = re.compile(r"\n(?:[ \t\u00a0]*\n|[ \u00a0]{2,})\s*(?=\S)")
_WORD_BEFORE = re.compile(r"(\S+)$")
_ITEM_NUMBER = re.compile(r"(?:^|\n)[ \t\u00a0]*\d+(?:-\d+)*\.$")


def _is_sentence_end(text: str, dot: int) -> bool:
    """Is the punctuation at ``dot`` a real sentence end (not "ст.", "г.", "1." of an item)?"""
    if text[dot] != ".":
        return True
    before = text[max(0, dot - 40) : dot + 1]
    if _ITEM_NUMBER.search(before):
        return False  # "1. Иностранцы …": the number of a numbered part (пункт)
    m = _WORD_BEFORE.search(text[max(0, dot - 40) : dot])
    if m is None:
        return True
    word = m.group(1).lstrip('(«"').lower().replace("ё", "е")
    if word in NON_TERMINAL_ABBREVIATIONS:
        return False
    # Initials ("А. Иванов"): one capital letter before the period.
    return not (len(word) == 1 and word.isalpha())


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences start (the first is always 0)."""
    starts = {0}
    for m in _SENT_END.finditer(text):
        if _is_sentence_end(text, m.start()):
            starts.add(m.end())
    for m in _PARAGRAPH.finditer(text):
        starts.add(m.end())
    return sorted(starts)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc: spaCy rebuilds it token by token on every access,
    which would cost more than the whole pipeline. Retokenizing never changes the text."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_TEXT_KEY = "migralex_text"


@Language.component("legal_retokenizer")
def legal_retokenizer(doc: Doc) -> Doc:
    text = doc_text(doc)
    if "(" not in text and "т." not in text:
        return doc
    idx = doc.to_array([IDX]).astype(np.int64)
    splits = []
    for m in _CLOSING_NUMBER.finditer(text):
        i = int(np.searchsorted(idx, m.start(1)))
        if i < len(doc) and idx[i] == m.start(1) and doc[i].text == m.group(1) + ")":
            splits.append(doc[i])
    if splits:
        with doc.retokenize() as retokenizer:
            for tok in splits:
                retokenizer.split(tok, [tok.text[:-1], ")"], heads=[(tok, 0), (tok, 0)])
    if _ETC.search(text):
        # Spans are taken on the tokenisation after the splits (character offsets are unchanged).
        with doc.retokenize() as retokenizer:
            for m in _ETC.finditer(text):
                span = doc.char_span(m.start(), m.end())
                if span is not None:
                    retokenizer.merge(span)
    return doc


@Language.component("legal_sentences")
def legal_sentences(doc: Doc) -> Doc:
    n = len(doc)
    if n == 0:
        return doc
    starts = sentence_starts(doc_text(doc))
    # Only sentence starts are marked (other tokens stay "not a start"): a few Token objects per
    # Doc instead of a per-token array round trip, which costs more than the rule itself.
    marked = set(np.searchsorted(doc.to_array(IDX), starts).tolist()) if len(starts) > 1 else {0}
    for i in marked:
        if i < n:
            doc[i].is_sent_start = True
    if n > 1 and 1 not in marked:
        # spaCy ignores token 0 when asking whether boundaries are set: mark one non-start.
        doc[1].is_sent_start = False
    return doc


class LegalLemmatizer:
    """Sets ``token.lemma_`` with :func:`nlp.lemmatize.lemma`, cached by orth id."""

    def __init__(self, nlp: Language) -> None:
        self._strings = nlp.vocab.strings
        self._cache: dict[int, int] = {}

    def _lemma_id(self, orth: int) -> int:
        lemma_id = self._strings.add(lemma(self._strings[orth]))
        self._cache[orth] = lemma_id
        return lemma_id

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        cache = self._cache
        orths = doc.to_array([ORTH]).tolist()
        ids = [cache[o] if o in cache else self._lemma_id(o) for o in orths]
        doc.from_array([LEMMA], np.asarray(ids, dtype=np.uint64).reshape(-1, 1))
        return doc


@Language.factory("legal_lemmatizer")
def make_legal_lemmatizer(nlp: Language, name: str) -> LegalLemmatizer:
    return LegalLemmatizer(nlp)


@Language.component("legal_citations")
def legal_citations(doc: Doc) -> Doc:
    data = doc.user_data  # where Doc._ keeps its values; read directly, Doc._ costs µs per access
    data[_EXT_CITATIONS] = find_citations(doc_text(doc), act_id=data.get(_EXT_ACT_ID), eid=data.get(_EXT_EID))
    return doc


# spaCy keeps a Doc extension's value in doc.user_data under ("._.", name, None, None).
_EXT_ACT_ID = ("._.", "act_id", None, None)
_EXT_EID = ("._.", "eid", None, None)
_EXT_CITATIONS = ("._.", "citations", None, None)


def _register_extensions() -> None:
    for name in ("act_id", "eid", "citations"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def build_nlp() -> Language:
    """A new pipeline (use :func:`get_nlp` for the shared one)."""
    _register_extensions()
    nlp = spacy.blank("ru")
    for abbr in LEGAL_ABBREVIATIONS:
        for variant in {abbr, abbr.capitalize(), abbr.upper()}:
            nlp.tokenizer.add_special_case(variant, [{ORTH: variant}])
    nlp.tokenizer.token_match = _TOKEN_MATCH.match
    nlp.add_pipe("legal_retokenizer")
    nlp.add_pipe("legal_sentences")
    nlp.add_pipe("legal_lemmatizer")
    nlp.add_pipe("legal_citations")
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline (built once per process)."""
    return build_nlp()


def process(text: str, *, act_id: str | None = None, eid: str | None = None) -> Doc:
    """Run the pipeline on ``text`` of provision ``eid`` of act ``act_id`` (for relative citations
    such as "настоящей статьи"); citations land in ``doc._.citations``."""
    if not isinstance(text, str):
        raise TypeError(f"process() needs str text, got {type(text).__name__}")
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc.user_data[_TEXT_KEY] = text
    doc.user_data[_EXT_ACT_ID] = act_id  # = doc._.act_id, doc._.eid
    doc.user_data[_EXT_EID] = eid
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
