"""Topic tagging of provisions (docs/design.md §4): lemma rules from ``nlp/data/topics.json``.

Every tag carries its evidence (the matched spans), the rule (id and version) and a confidence,
so a scholar can see why a provision was tagged. Parents are implied by children: a provision
tagged ``illegal_border_crossing`` (незаконное пересечение границы) is also tagged
``illegal_migration`` with the child's evidence and the rule ``implied:illegal_border_crossing``
(``heading:implied:…`` when the child's evidence is in the heading).

:func:`tag` looks at the text only; :func:`tag_provision` also reads the article heading and the
ancestors' headings (a part of "Статья 394. Организация незаконной миграции" that says only
"То же деяние, совершенное неоднократно" is still about facilitation). Heading evidence is
weaker (confidence × :data:`HEADING_WEIGHT`, rule ``heading:<rule id>``) and its spans are
offsets into the heading, not the text; ancestors' likewise (× :data:`ANCESTOR_WEIGHT`,
``ancestor:<rule id>``, offsets into that ancestor heading).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from corpus.models import Span, Tag
from legal.roman import ROMAN_CHARS
from nlp.lemmatize import Token, analyze, analyze_cached
from nlp.taxonomy import LemmaIndex, TopicRule, TopicTaxonomy, as_index, load_topics

HEADING_WEIGHT = 0.7
ANCESTOR_WEIGHT = 0.4
#: Weaker tags are not emitted: a chapter title naming several topics ("Иммиграция по гуманитарным
#: и политическим мотивам") should not tag every provision under it with each of them.
MIN_CONFIDENCE = 0.3

# The quoted title of a cited act: Законом Республики Казахстан "Об амнистии граждан Республики
# Казахстан, оралманов и лиц …" names the act, it does not regulate оралманы.
_QUOTED_TITLE = re.compile(
    r"(?:закон|кодекс|указ|постановлени|конвенци|соглашени|договор|протокол|положени|правил)\w*"
    r"(?:\s+(?:республики|казахстан|рк|президента|правительства|от|№|года"
    rf"|\d[\d.\-]*{ROMAN_CHARS}*|{ROMAN_CHARS}+(?:-{ROMAN_CHARS}+)?)){{0,8}}"
    r"\s*[«\"“„]([^»\"”“]{3,400})[»\"”]",
    re.IGNORECASE,
)


def quoted_titles(text: str) -> list[tuple[int, int]]:
    """Character ranges of quoted titles of cited acts (evidence inside them does not count)."""
    return [m.span(1) for m in _QUOTED_TITLE.finditer(text)]


@dataclass(frozen=True)
class RuleHit:
    """One match of one rule in one string."""

    rule: TopicRule
    span: Span


def _check_text(text: object, name: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    return text


def find_hits(
    text: str,
    tokens: Sequence[Token],
    taxonomy: TopicTaxonomy,
    context_lemmas: Sequence[str] | LemmaIndex | None = None,
    *,
    index: LemmaIndex | None = None,
) -> list[RuleHit]:
    """All rule matches in ``text`` (tokens of that text), after exceptions, negations and
    context requirements. ``context_lemmas`` is where a rule's required context is looked for
    (default: the text itself); ``index`` may pass the tokens' :class:`LemmaIndex` when one is at hand."""
    index = index if index is not None else LemmaIndex([t.lemma for t in tokens])
    context = index if context_lemmas is None else as_index(context_lemmas)
    live = index.live(taxonomy.patterns)
    titles: list[tuple[int, int]] | None = None
    hits: list[RuleHit] = []
    context_ok: dict[str, bool] = {}

    def has(name: str) -> bool:
        if name not in context_ok:
            context_ok[name] = taxonomy.has_context(name, context)
        return context_ok[name]

    for rule in taxonomy.rules:
        if rule.requires is not None and not has(rule.requires):
            continue
        if rule.unless is not None and has(rule.unless):
            continue
        matches = [m for pattern in rule.patterns if id(pattern) in live for m in pattern.find(index)]
        if not matches:
            continue
        vetoes = [rng for p in rule.exceptions if id(p) in live for rng in p.find(index)]
        negs = [rng for p in rule.negations if id(p) in live for rng in p.find(index)]
        if titles is None:
            titles = quoted_titles(text)
        w = taxonomy.exception_window
        for first, last in matches:
            if any(a <= last + w and b >= first - w for a, b in vetoes):
                continue  # "эксплуатация транспортных средств", "таможенная граница" …
            if any(first - taxonomy.negation_window <= b < first for _, b in negs):
                continue  # "вправе пребывать без регистрации" …
            start, end = tokens[first].start, tokens[last].end
            if any(a <= start and end <= b for a, b in titles):
                continue  # "Закон … «Об амнистии граждан …, оралманов …»" names an act
            hits.append(RuleHit(rule, Span(start, end, text[start:end])))
    return hits


def _merge(hits: Sequence[RuleHit], weight: float, prefix: str) -> dict[str, Tag]:
    """One Tag per tag id: all evidence spans (document order), the strongest rule."""
    by_tag: dict[str, Tag] = {}
    for h in hits:
        conf = round(h.rule.confidence * weight, 4)
        tag = by_tag.get(h.rule.tag)
        if tag is None:
            by_tag[h.rule.tag] = Tag(h.rule.tag, [h.span], prefix + h.rule.id, h.rule.version, conf)
            continue
        if h.span not in tag.evidence:
            tag.evidence.append(h.span)
        if conf > tag.confidence:
            tag.rule, tag.rule_version, tag.confidence = prefix + h.rule.id, h.rule.version, conf
    for tag in by_tag.values():
        tag.evidence.sort(key=lambda s: (s.start, s.end))
    return by_tag


def _origin(rule: str) -> str:
    """ "heading:" / "ancestor:" when a rule's evidence lies in a heading, else ""."""
    return next((p for p in ("heading:", "ancestor:") if rule.startswith(p)), "")


def _with_parents(by_tag: dict[str, Tag], taxonomy: TopicTaxonomy) -> list[Tag]:
    """Add implied parents (evidence of the strongest child) and order as the taxonomy does."""
    out = dict(by_tag)
    children = sorted(by_tag.values(), key=lambda t: -t.confidence)
    for child in children:
        for parent in taxonomy.ancestors(child.id):
            if parent not in out:
                out[parent] = Tag(
                    parent,
                    list(child.evidence),
                    _origin(child.rule) + f"implied:{child.id}",  # evidence stays where the child's is
                    taxonomy.version,
                    child.confidence,
                )
    order = {tid: i for i, tid in enumerate(taxonomy.tags)}
    return sorted(out.values(), key=lambda t: order[t.id])


def tag(text: str, tokens: list[Token] | None = None, *, taxonomy: TopicTaxonomy | None = None) -> list[Tag]:
    """Topic tags of a provision text (evidence spans are offsets into ``text``)."""
    _check_text(text)
    tx = taxonomy or load_topics()
    toks = analyze(text) if tokens is None else tokens
    return _with_parents(_merge(find_hits(text, toks, tx), 1.0, ""), tx)


def _parent_tags(taxonomy: TopicTaxonomy) -> frozenset[str]:
    """Tags that are some tag's parent (illegal_migration, forced_migration): general subjects."""
    return frozenset(t.parent for t in taxonomy.tags.values() if t.parent)


@lru_cache(maxsize=65_536)
def _heading_words(heading: str) -> tuple[tuple[Token, ...], LemmaIndex]:
    tokens = analyze_cached(heading)
    return tokens, LemmaIndex([t.lemma for t in tokens])


def tag_provision(
    text: str,
    heading: str | None = None,
    ancestors: Sequence[str] = (),
    *,
    tokens: list[Token] | None = None,
    taxonomy: TopicTaxonomy | None = None,
    min_confidence: float = MIN_CONFIDENCE,
) -> list[Tag]:
    """Tags of a provision read with its article heading and ancestors' headings.

    The text's own evidence wins; the heading adds tags the text lacks at lower confidence, and
    its headings also count as context (a part about "административный арест" under a heading
    about foreigners concerns foreigners).
    """
    _check_text(text)
    if heading is not None:
        _check_text(heading, "heading")
    for a in ancestors:
        _check_text(a, "ancestor heading")
    tx = taxonomy or load_topics()
    toks = analyze(text) if tokens is None else tokens
    heads = [_heading_words(h) for h in (heading, *ancestors) if h]
    context = LemmaIndex([t.lemma for t in toks] + [t.lemma for ts, _ in heads for t in ts])
    by_tag = _merge(find_hits(text, toks, tx, context), 1.0, "")
    # an article's heading and ancestors are read with every one of its parts: their words and lemma
    # indexes are cached by string
    labelled = ([(heading, HEADING_WEIGHT, "heading:")] if heading else []) + [
        (a, ANCESTOR_WEIGHT, "ancestor:") for a in ancestors if a
    ]
    parents = _parent_tags(tx)
    for (h, weight, prefix), (ts, idx) in zip(labelled, heads, strict=True):
        for tid, t in _merge(find_hits(h, ts, tx, context, index=idx), weight, prefix).items():
            if tid not in parents:  # a heading names a general subject ("… в области миграции"): no general tag
                by_tag.setdefault(tid, t)
    return [t for t in _with_parents(by_tag, tx) if t.confidence >= min_confidence]
