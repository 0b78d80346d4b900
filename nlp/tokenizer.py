"""The spaCy tokenizer for Russian legal text: the one tokenization of the project.

``spacy.blank("ru")``'s tokenizer with legal special cases, registered as
``migralex.legal_tokenizer.v1`` (nlp/data/pipeline.cfg names it):

- abbreviations stay one token with their period ("ст.", "ч.", "п.", "пп.", "подп.", "абз.", "гл.",
  "разд.", "г.", "гг.", "т.е.", "т.д.", "см.", "№");
- hyphenated numbers and item markers are one token ("517-1", "1-1)", "3)", "292-VІ");
- hyphenated words are one token ("бизнес-иммигрант", "уголовно-исполнительный", "масс-медиа"):
  spaCy's infix rule for a hyphen between letters is dropped, because legal compounds are lemmatized
  part by part and searched as one word.

A word inside a token (:func:`nlp.lemmatize.words`) is a run of letters and digits: a date token
"01.01.2017" holds three words, "ст.2" two.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.attrs import ORTH
from spacy.lang.char_classes import HYPHENS
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex

from legal.roman import ROMAN_UPPER

#: Abbreviations kept as one token (with their period), in the cases they are written.
LEGAL_ABBREVIATIONS: tuple[str, ...] = (
    "ст.", "ч.", "п.", "пп.", "подп.", "абз.", "гл.", "разд.", "г.", "гг.", "т.е.", "т.д.", "т.п.",
    "см.", "№", "обл.", "р-н", "тыс.", "млн.", "руб.",
)  # fmt: skip

# Hyphenated numbers and item markers are single tokens: "517-1", "1-1)", "3)", "292-VІ".
_TOKEN_MATCH = re.compile(rf"^(?:\d+(?:-\d+)+|\d+(?:-\d+)*\)|\d+-{ROMAN_UPPER})$")


@spacy.registry.tokenizers("migralex.legal_tokenizer.v1")
def create_legal_tokenizer() -> object:
    def make(nlp: Language) -> Tokenizer:
        tokenizer: Tokenizer = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        for abbr in LEGAL_ABBREVIATIONS:
            for variant in {abbr, abbr.capitalize(), abbr.upper()}:
                tokenizer.add_special_case(variant, [{ORTH: variant}])
        tokenizer.token_match = _TOKEN_MATCH.match
        infixes = [rule for rule in nlp.Defaults.infixes or () if not (isinstance(rule, str) and HYPHENS in rule)]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return tokenizer

    return make


@lru_cache(maxsize=1)
def shared_tokenizer() -> Tokenizer:
    """The legal tokenizer on its own (for short strings: queries, headings), built once."""
    nlp = spacy.blank("ru", config={"nlp": {"tokenizer": {"@tokenizers": "migralex.legal_tokenizer.v1"}}})
    tokenizer: Tokenizer = nlp.tokenizer
    return tokenizer
