"""The spaCy pipeline for Russian legal text, as configured by ``nlp/data/pipeline.cfg``.

Fully offline (``spacy.blank("ru")`` + pymorphy3). Every component is registered here by name and the
config file says which run, in which order, with which rule files (spaCy's own config system):

1. tokenizer ``migralex.legal_tokenizer.v1`` (:mod:`nlp.tokenizer`);
2. ``legal_retokenizer``: splits ")" back off a number when it closes a bracket ("(см. ст. 2)") and
   merges "и т.д." / "и т.п." into one token; does nothing on texts without those;
3. ``legal_sentences``: sentence starts after ". ! ?" before a capital letter, never after an
   abbreviation ("ч.", "п.", "ст.", "пп.", "г.") or an item number ("1. Иностранцы…"), and at every
   paragraph break (blank line or an indented new line, as on adilet pages);
4. ``legal_lemmatizer``: :func:`nlp.lemmatize.lemma` for every token (the same function lemmatizes
   search queries) and the words of the Doc with their lemmas in ``doc._.words``;
5. ``legal_citations``: :func:`nlp.citations.find_citations` into ``doc._.citations``, relative to
   ``doc._.act_id`` / ``doc._.eid``;
6. ``topic_tagger`` (config ``rules``: topics.json): :func:`nlp.tagger.tag_provision` into ``doc._.tags``,
   reading ``doc._.heading`` and ``doc._.ancestors`` too;
7. ``rights_linker`` (config ``rules``: rights.json): :func:`nlp.rights.link_rights` into ``doc._.rights``,
   reading the heading (its cues and polarity words) and the eid (of inline items);
8. ``legal_facts``: :func:`nlp.facts.extract_facts` into ``doc._.facts``.

Set the inputs through :func:`process`. Components work on whole arrays (``Doc.to_array``) where they
touch every token, which keeps the pipeline near the tokenizer's own speed (benchmarks/nlp_speed.py).

:func:`pipeline_version` is a hash of everything that decides an annotation (the NLP sources, the
rule files and this config, and the shared legal rules): any change re-annotates on the next build.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import numpy as np
import spacy
from spacy.attrs import IDX, LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc

import nlp.tokenizer  # noqa: F401 - registers migralex.legal_tokenizer.v1 for the config
from corpus.models import Citation, RightLink, Tag
from nlp.citations import find_citations
from nlp.facts import extract_facts
from nlp.lemmatize import Token, analyze_cached, lemma, words
from nlp.rights import link_rights
from nlp.tagger import MIN_CONFIDENCE, tag_provision
from nlp.taxonomy import DATA_DIR, RightsCatalogue, TopicTaxonomy, load_rights, load_topics

CONFIG_PATH = DATA_DIR / "pipeline.cfg"
NON_TERMINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    {"ст", "ч", "п", "пп", "подп", "абз", "гл", "разд", "г", "гг", "см", "т.е", "т.д", "т.п", "обл",
     "тыс", "млн", "руб", "им", "ул", "д", "кв", "с", "пос", "№"}
)  # fmt: skip
"""Abbreviations after which a period does not end a sentence (folded, without the period)."""

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


def _data(doc: Doc) -> dict[Any, Any]:
    """``doc.user_data``, where spaCy keeps extension values under tuple keys (its stubs say str keys)."""
    return doc.user_data


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc: spaCy rebuilds it token by token on every access,
    which would cost more than the whole pipeline. Retokenizing never changes the text."""
    text = _data(doc).get(_TEXT_KEY)
    if text is None:
        text = _data(doc)[_TEXT_KEY] = doc.text
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
    """Sets ``token.lemma_`` with :func:`nlp.lemmatize.lemma` (cached by orth id) and ``doc._.words``."""

    def __init__(self, nlp: Language) -> None:
        self._strings = nlp.vocab.strings
        self._cache: dict[int, int] = {}

    def _lemma_id(self, orth: int) -> int:
        lemma_id = self._strings.add(lemma(self._strings[orth]))
        self._cache[orth] = lemma_id
        return lemma_id

    def __call__(self, doc: Doc) -> Doc:
        _data(doc)[_EXT["words"]] = words(doc)
        if len(doc) == 0:
            return doc
        cache = self._cache
        orths = doc.to_array([ORTH]).tolist()
        ids = [cache[o] if o in cache else self._lemma_id(o) for o in orths]
        doc.from_array([LEMMA], cast(Any, np.asarray(ids, dtype=np.uint64).reshape(-1, 1)))
        return doc


@Language.factory("legal_lemmatizer")
def make_legal_lemmatizer(nlp: Language, name: str) -> LegalLemmatizer:
    return LegalLemmatizer(nlp)


@Language.component("legal_citations")
def legal_citations(doc: Doc) -> Doc:
    data = _data(doc)  # where Doc._ keeps its values; read directly, Doc._ costs µs per access
    data[_EXT["citations"]] = find_citations(doc_text(doc), act_id=data.get(_EXT["act_id"]), eid=data.get(_EXT["eid"]))
    return doc


def _rule_file(name: str) -> Path | None:
    """A rule file named in the config: relative to nlp/data; None for the bundled default."""
    path = (DATA_DIR / name).resolve()
    return None if path in (DATA_DIR / "topics.json", DATA_DIR / "rights.json") else path


def _doc_words(doc: Doc) -> list[Token]:
    found: list[Token] | None = _data(doc).get(_EXT["words"])
    return found if found is not None else words(doc)


def _context(doc: Doc) -> tuple[str | None, Sequence[str]]:
    return _data(doc).get(_EXT["heading"]), _data(doc).get(_EXT["ancestors"]) or ()


class TopicTaggerComponent:
    """``topic_tagger``: topic tags with evidence (docs/design.md §4) from the configured rule file."""

    def __init__(self, taxonomy: TopicTaxonomy, min_confidence: float) -> None:
        self.taxonomy, self.min_confidence = taxonomy, min_confidence

    def __call__(self, doc: Doc) -> Doc:
        heading, ancestors = _context(doc)
        _data(doc)[_EXT["tags"]] = tag_provision(
            doc_text(doc), heading, ancestors, tokens=_doc_words(doc), taxonomy=self.taxonomy,
            min_confidence=self.min_confidence,
        )
        return doc


@Language.factory("topic_tagger", default_config={"rules": "topics.json", "min_confidence": MIN_CONFIDENCE})
def make_topic_tagger(nlp: Language, name: str, rules: str, min_confidence: float) -> TopicTaggerComponent:
    return TopicTaggerComponent(load_topics(_rule_file(rules)), min_confidence)


class RightsLinkerComponent:
    """``rights_linker``: the rights a provision engages (docs/design.md §4), after ``topic_tagger``."""

    def __init__(self, catalogue: RightsCatalogue, taxonomy: TopicTaxonomy) -> None:
        self.catalogue, self.taxonomy = catalogue, taxonomy

    def __call__(self, doc: Doc) -> Doc:
        heading, ancestors = _context(doc)
        context = [t for h in ancestors if h for t in analyze_cached(h)]
        _data(doc)[_EXT["rights"]] = link_rights(
            doc_text(doc), _doc_words(doc), _data(doc).get(_EXT["tags"]) or [], context_tokens=context,
            heading=heading, eid=_data(doc).get(_EXT["eid"]),
            catalogue=self.catalogue, taxonomy=self.taxonomy,
        )
        return doc


@Language.factory("rights_linker", default_config={"rules": "rights.json", "topics": "topics.json"})
def make_rights_linker(nlp: Language, name: str, rules: str, topics: str) -> RightsLinkerComponent:
    taxonomy = load_topics(_rule_file(topics))
    return RightsLinkerComponent(load_rights(_rule_file(rules), topics=taxonomy), taxonomy)


@Language.component("legal_facts")
def legal_facts(doc: Doc) -> Doc:
    _data(doc)[_EXT["facts"]] = extract_facts(doc_text(doc))
    return doc


# spaCy keeps a Doc extension's value in doc.user_data under ("._.", name, None, None); components read
# and write there directly (Doc._ costs microseconds per access).
_EXTENSIONS: tuple[str, ...] = (
    "act_id", "eid", "heading", "ancestors", "words", "citations", "tags", "rights", "facts",
)  # fmt: skip
_EXT: dict[str, tuple[str, str, None, None]] = {name: ("._.", name, None, None) for name in _EXTENSIONS}


def _register_extensions() -> None:
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def build_nlp(config_path: Path = CONFIG_PATH) -> Language:
    """A new pipeline from its config file (use :func:`get_nlp` for the shared one)."""
    _register_extensions()
    config = spacy.util.load_config(config_path)
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline (built once per process)."""
    return build_nlp()


def process(
    text: str,
    *,
    act_id: str | None = None,
    eid: str | None = None,
    heading: str | None = None,
    ancestors: Sequence[str] = (),
) -> Doc:
    """Run the pipeline on ``text`` of provision ``eid`` of act ``act_id`` (for relative citations
    such as "настоящей статьи"), under its article ``heading`` and its ``ancestors``' headings."""
    if not isinstance(text, str):
        raise TypeError(f"process() needs str text, got {type(text).__name__}")
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    data = _data(doc)
    data[_TEXT_KEY] = text
    data[_EXT["act_id"]], data[_EXT["eid"]] = act_id, eid
    data[_EXT["heading"]], data[_EXT["ancestors"]] = heading, list(ancestors)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def results(doc: Doc) -> tuple[list[Token], list[Tag], list[RightLink], list[Citation], dict[str, Any]]:
    """What the pipeline wrote on a Doc: words, tags, rights, citations, facts."""
    data = _data(doc)
    return (
        data.get(_EXT["words"]) or [],
        data.get(_EXT["tags"]) or [],
        data.get(_EXT["rights"]) or [],
        data.get(_EXT["citations"]) or [],
        data.get(_EXT["facts"]) or {},
    )


# --- the pipeline's identity ---------------------------------------------------------------------------

_NLP_DIR = Path(__file__).resolve().parent
_LEGAL_DIR = _NLP_DIR.parent / "legal"


#: Read by search at query time only (nlp.thesaurus): they decide no annotation, so editing them
#: must not make the whole corpus stale.
QUERY_TIME_FILES = frozenset({"thesaurus.py", "thesaurus.json", "thesaurus.schema.json"})


def pipeline_files() -> list[Path]:
    """Everything that decides an annotation: the NLP sources, nlp/data (rule files, config, alias
    tables) and the shared legal rules (not the query-time :data:`QUERY_TIME_FILES`)."""
    data = (p for p in (_NLP_DIR / "data").rglob("*") if p.is_file())
    files = [*_NLP_DIR.glob("*.py"), *data, *_LEGAL_DIR.glob("*.py")]
    return sorted(p for p in files if p.name not in QUERY_TIME_FILES)


def content_version(files: Iterable[Path], root: Path) -> str:
    """A short hash of the files' paths (relative to ``root``) and bytes."""
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """``nlp-<hash>`` of :func:`pipeline_files` (computed once per process)."""
    return f"nlp-{content_version(pipeline_files(), _NLP_DIR.parent)}"
