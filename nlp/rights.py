"""Rights cross-reference (docs/design.md §4): which international-law rights a provision engages.

Rules (``nlp/data/rights.json``) map topic tags and textual cues to right ids: a sanction of
выдворение engages ``expulsion_safeguards`` (ICCPR art. 13), содержание в специальном
учреждении engages ``liberty`` (ICCPR art. 9), дактилоскопическая регистрация engages
``privacy`` (ICCPR art. 17) … Each :class:`~corpus.models.RightLink` lists ``because`` —
the tags (``"tag:expulsion"``) and cues (``"cue:выдворение"``, the cue's lemmas) that support it —
and the evidence spans in the text.

Rights are linked only for migration provisions: ones with a topic tag or mentioning
foreigners, migrants, visas … (the catalogue's context), so "суд" or "ребенок" in an ordinary
criminal provision links nothing. Cues marked ``standalone`` (воссоединение семьи) are
migration-specific by themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus.models import RightLink, Span, Tag
from nlp.lemmatize import Token, analyze
from nlp.tagger import quoted_titles
from nlp.taxonomy import LemmaIndex, PatternIndex, RightRule, RightsCatalogue, TopicTaxonomy, load_rights, load_topics


def _cue_hits(
    rule: RightRule,
    tokens: Sequence[Token],
    index: LemmaIndex,
    text: str,
    window: int,
    titles: list[tuple[int, int]],
    patterns: PatternIndex,
) -> list[tuple[Span, str]]:
    """Cue matches as (span, cue label); the label is the lemmas of the cue's own words
    ("член семья" for "членов их семей")."""
    live = index.live(patterns)
    matches = [m for pattern in rule.cues if id(pattern) in live for m in pattern.find_terms(index)]
    if not matches:
        return []
    vetoes = [rng for p in rule.exceptions if id(p) in live for rng in p.find(index)]
    out: list[tuple[Span, str]] = []
    for positions in matches:
        first, last = positions[0], positions[-1]
        if any(a <= last + window and b >= first - window for a, b in vetoes):
            continue
        start, end = tokens[first].start, tokens[last].end
        if any(a <= start and end <= b for a, b in titles):
            continue  # "О персональных данных и их защите" names an act
        out.append((Span(start, end, text[start:end]), " ".join(index.lemmas[p] for p in positions)))
    return out


def link_rights(
    text: str,
    tokens: list[Token] | None,
    tags: Sequence[Tag],
    *,
    context_tokens: Sequence[Token] = (),
    catalogue: RightsCatalogue | None = None,
    taxonomy: TopicTaxonomy | None = None,
) -> list[RightLink]:
    """Rights engaged by a provision, from its ``tags`` (as :mod:`nlp.tagger` gives them) and its
    text. ``context_tokens`` (heading, ancestors) count for the migration context only; evidence
    spans are offsets into ``text``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    cat = catalogue or load_rights()
    tx = taxonomy or load_topics()
    if cat.context not in tx.contexts:
        raise ValueError(f"rights catalogue context {cat.context!r} is not a context of the topic taxonomy")
    toks = analyze(text) if tokens is None else tokens
    index = LemmaIndex([t.lemma for t in toks])
    tag_ids = {t.id for t in tags}
    unknown = tag_ids - set(tx.tags)
    if unknown:
        raise ValueError(f"unknown tag ids {sorted(unknown)}")
    in_context = bool(tag_ids) or tx.has_context(cat.context, index.lemmas + [t.lemma for t in context_tokens])
    titles = quoted_titles(text)
    tag_evidence = {t.id: t.evidence for t in tags if not t.rule.startswith(("heading:", "ancestor:"))}
    links: dict[str, RightLink] = {}
    for rule in cat.rules:
        via_tags = [t for t in rule.tags if t in tag_ids]
        cues = _cue_hits(rule, toks, index, text, cat.exception_window, titles, cat.patterns)
        if cues and not (in_context or rule.standalone):
            cues = []
        fired = (via_tags and cues) if rule.mode == "all" else (via_tags or cues)
        if not fired:
            continue
        because = [f"tag:{t}" for t in via_tags]
        for _, label in cues:
            if f"cue:{label}" not in because:
                because.append(f"cue:{label}")
        evidence = [span for span, _ in cues]
        for t in via_tags:
            evidence.extend(s for s in tag_evidence.get(t, []) if s not in evidence)
        link = links.get(rule.right)
        if link is None:
            links[rule.right] = RightLink(rule.right, because, evidence, rule.id, rule.confidence)
            continue
        link.because.extend(b for b in because if b not in link.because)
        link.evidence.extend(s for s in evidence if s not in link.evidence)
        if rule.confidence > link.confidence:
            link.rule, link.confidence = rule.id, rule.confidence
    order = {rid: i for i, rid in enumerate(cat.rights)}
    out = sorted(links.values(), key=lambda r: order[r.id])
    for r in out:
        r.evidence.sort(key=lambda s: (s.start, s.end))
    return out
