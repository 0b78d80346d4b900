"""Rights cross-reference (docs/design.md §4, §7): which international-law rights a provision engages, where
and how.

Rules (``nlp/data/rights.json``, its schema :class:`nlp.taxonomy.RightsFile`) are data. A right is linked
only where the provision's own words engage it, never on a mention (суд, семья, документ, данные,
несовершеннолетний): a cue is a phrase that bears on the right ("подлежат выдворению", "лишением
гражданства", "воссоединения семьи", "дактилоскопическую регистрацию", "могут быть обжалованы"), cues
next to a vetoing word ("высылка документов") or in a clause that makes the rule someone else's (an
employer's permit) are dropped, and words inside the quoted title of a cited act never count. Heading
cues ("Основания для отказа … во въезде", "Торговля людьми") link every part and item of an article
whose own words do not (the part continues the article's subject: "Те же деяния …", "1) в интересах
…").

Each :class:`~corpus.models.RightLink` says:
- ``eid``: the part or item whose words engage the right: the provision itself, or the inline item
  ("1) получение гражданства …") of a part that carries its items in its text;
- ``polarity``: ``guarantees`` | ``restricts`` | ``procedure``, from the polarity cues of the cue's clause
  (with the chapeau of an item list: "имеют право на: 1) …"), then of the article heading, in the rule's
  order then the file's; otherwise the rule's default. A chapeau cue whose items carry polarities of
  their own ("… на следующих условиях: 1) на общих с гражданами условиях; 2) при наличии разрешения")
  links each such item with its own;
- ``because``: the cues (``cue:выдворение``, the lemmas of the cue's words), supporting tags, the
  polarity cue (``polarity:подлежать``) or the heading cue (``heading:торговля люди``);
- ``evidence``: the spans in the text (offsets into ``text``; a heading link's spans are offsets into the
  heading, its rule ``heading:<rule id>``, as for tags), the rule and its confidence.

One link per right, polarity and eid; a part with two rules on one right ("подлежат выдворению …
Решение о выдворении принимается судом") has two. An article inherits the union of its parts'
links, shown by part (their eids): :mod:`corpus.store` keeps them per provision version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from corpus.models import RightLink, Span, Tag
from legal.eid import Eid
from nlp.lemmatize import Token, analyze, analyze_cached
from nlp.tagger import quoted_titles
from nlp.taxonomy import (
    LemmaIndex,
    Pattern,
    PolarityCue,
    RightRule,
    RightsCatalogue,
    TopicTaxonomy,
    load_rights,
    load_topics,
)

# between two tokens: a clause ends at ". ; ! ?", a line break, a colon (a chapeau before its items) or a
# dash after an item ("… 3) повлекли …, – наказываются": the sanction is the whole part's)
_CLAUSE_BREAK = re.compile(r"[.;!?:\n]")
_DASH = re.compile(r",\s*[–—]")
# the stub of a repealed provision ("3) исключен Законом РК от …", "Утратил силу …")
_REPEALED = re.compile(r"^\W*(?:\d+(?:-\d+)*\)\s*)?(?:исключен|исключена|утратил[аи]?\s+силу)", re.IGNORECASE)


@dataclass
class _Layout:
    """Clauses and inline items of a text, per token."""

    clause: list[int]  # clause number of each token
    item: list[str | None]  # inline item number ("2-1") of each token, None outside items
    chapeau: int | None  # the clause that introduces the first item list, if any


def _layout(text: str, tokens: Sequence[Token]) -> _Layout:
    clause: list[int] = []
    item: list[str | None] = []
    chapeau: int | None = None
    n, current, prev_end = 0, None, 0
    for i, tok in enumerate(tokens):
        gap = text[prev_end : tok.start]
        brk = i > 0 and bool(_CLAUSE_BREAK.search(gap))
        if brk:
            n += 1
        if current is not None and _DASH.search(gap):
            current = None  # "…, – наказываются": back out of the item list
            n += 0 if brk else 1
        # "1) …" opens an inline item at the start or after ": ; \n" ("подпунктом 3) пункта 1" does not)
        if tok.text[:1].isdigit() and text[tok.end : tok.end + 1] == ")" and (i == 0 or brk):
            if chapeau is None and i > 0:
                chapeau = n - 1
            current = tok.text
        clause.append(n)
        item.append(current)
        prev_end = tok.end
    return _Layout(clause, item, chapeau)


@dataclass(frozen=True)
class _Hit:
    rule: RightRule
    first: int
    last: int
    span: Span
    label: str


def _find(
    patterns: Sequence[Pattern], index: LemmaIndex, live: frozenset[int]
) -> list[tuple[Pattern, tuple[int, ...]]]:
    return [(p, m) for p in patterns if id(p) in live for m in p.find_terms(index)]


def _in_titles(tokens: Sequence[Token], first: int, last: int, titles: Sequence[tuple[int, int]]) -> bool:
    start, end = tokens[first].start, tokens[last].end
    return any(a <= start and end <= b for a, b in titles)


def _polarity(
    cues: Sequence[PolarityCue],
    index: LemmaIndex,
    live: frozenset[int],
    window: set[int],
    tokens: Sequence[Token],
    titles: Sequence[tuple[int, int]],
) -> tuple[str, Span | None, str] | None:
    """The first polarity cue (in list order) matching inside the token ``window``."""
    for polarity, pattern in cues:
        if id(pattern) not in live:
            continue
        for m in pattern.find_terms(index):
            if all(p in window for p in m) and not _in_titles(tokens, m[0], m[-1], titles):
                start, end = tokens[m[0]].start, tokens[m[-1]].end
                label = " ".join(index.lemmas[p] for p in m)
                return polarity, Span(start, end, ""), label
    return None


def link_rights(
    text: str,
    tokens: list[Token] | None,
    tags: Sequence[Tag],
    *,
    context_tokens: Sequence[Token] = (),
    heading: str | None = None,
    heading_tokens: Sequence[Token] | None = None,
    eid: str | None = None,
    catalogue: RightsCatalogue | None = None,
    taxonomy: TopicTaxonomy | None = None,
) -> list[RightLink]:
    """Rights engaged by a provision (see the module docstring). ``tags`` are the provision's topic tags
    (:mod:`nlp.tagger`); ``context_tokens`` (heading, ancestors) count for a rule's context only;
    ``heading`` is the article heading (its cues link parts and items; its polarity cues are a fallback);
    ``eid`` the provision's eid, for the eids of inline items. Evidence spans are offsets into ``text``."""
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
    live = index.live(cat.patterns)
    head_toks: Sequence[Token] = ()
    head_index: LemmaIndex | None = None
    if heading:
        head_toks, head_index = _heading_words(heading) if heading_tokens is None else (
            heading_tokens, LemmaIndex([t.lemma for t in heading_tokens]))  # fmt: skip
    head_live = head_index.live(cat.patterns) if head_index is not None else frozenset()
    # rules fire on text cues; tags with evidence in the text support them
    text_tags = {t.id for t in tags if not t.rule.startswith(("heading:", "ancestor:"))}
    context_index: LemmaIndex | None = None
    context_ok: dict[str, bool] = {}

    def has_context(name: str) -> bool:
        nonlocal context_index
        if name not in context_ok:
            if context_index is None:
                context_index = LemmaIndex(index.lemmas + [t.lemma for t in (*head_toks, *context_tokens)])
            context_ok[name] = bool(tag_ids) if name == cat.context and tag_ids else tx.has_context(name, context_index)
        return context_ok[name]

    titles = quoted_titles(text) if ("«" in text or '"' in text) else []
    layout: _Layout | None = None
    links: dict[tuple[str, str, str | None], RightLink] = {}
    base_eid = _item_parent(eid)
    linked_rights: set[str] = set()

    by_cue = cat.rules_by_cue
    candidates = {i for pid in live if pid in by_cue for i in by_cue[pid]}
    if text_tags:
        candidates |= {i for i, r in enumerate(cat.rules) if set(r.tags) & text_tags}
    for rule in (cat.rules[i] for i in sorted(candidates)):
        hits: list[_Hit] = []
        vetoes = [rng for p in rule.exceptions if id(p) in live for rng in p.find(index)]
        for _pattern, m in _find(rule.cues, index, live):
            first, last = m[0], m[-1]
            if any(a <= last + cat.exception_window and b >= first - cat.exception_window for a, b in vetoes):
                continue
            if titles and _in_titles(toks, first, last, titles):
                continue  # "О персональных данных и их защите" names an act
            start, end = toks[first].start, toks[last].end
            hits.append(_Hit(rule, first, last, Span(start, end, text[start:end]),
                             " ".join(index.lemmas[p] for p in m)))  # fmt: skip
        if not hits:
            continue
        if rule.heading_exceptions and head_index is not None and _find(rule.heading_exceptions, head_index, head_live):
            continue  # the article is about something else ("Основания для прекращения выплаты пособия")
        if not rule.standalone and not has_context(rule.context or cat.context):
            continue
        if layout is None:
            layout = _layout(text, toks)
        lay = layout
        hits = [h for h in hits if lay.clause[h.first] == lay.clause[h.last]]  # a cue stays inside its clause
        if rule.clause_exceptions:
            vetoed_clauses = {lay.clause[p] for _, m in _find(rule.clause_exceptions, index, live) for p in m}
            hits = [h for h in hits if lay.clause[h.first] not in vetoed_clauses]
        for h in hits:
            for polarity, item, pol_span, pol_label in _hit_polarities(h, lay, index, live, toks, titles, cat,
                                                                       head_index, head_live):  # fmt: skip
                link_eid = _child(base_eid, item) if item else eid
                because = [f"tag:{t}" for t in rule.tags if t in text_tags] + [f"cue:{h.label}"]
                evidence = [h.span]
                if pol_span is not None:
                    because.append(f"polarity:{pol_label}")
                    evidence.append(Span(pol_span.start, pol_span.end, text[pol_span.start : pol_span.end]))
                _add(links, rule, polarity, link_eid, because, evidence, rule.id)
                linked_rights.add(rule.right)

    # heading cues: the article's subject, for the parts and items whose own words did not link the right
    # (not for an empty container or the stub of a repealed provision: "3) исключен Законом РК от …")
    if head_index is not None and heading and toks and not _REPEALED.match(text):
        for rule in cat.rules:
            if not rule.heading_cues or rule.right in linked_rights:
                continue
            if rule.heading_exceptions and _find(rule.heading_exceptions, head_index, head_live):
                continue
            found = _find(rule.heading_cues, head_index, head_live)
            if rule.heading_anchored:  # the cue must be the heading's subject: its first words ("Статья N." aside)
                first = _heading_subject_start(head_toks)
                found = [(pt, m) for pt, m in found if m[0] <= first]
            if not found:
                continue
            _, m = found[0]
            start, end = head_toks[m[0]].start, head_toks[m[-1]].end
            label = " ".join(head_index.lemmas[p] for p in m)
            # how: the heading's own polarity words ("Основания для отказа …", "Утрата …"), else the text's
            # ("отклоняется", "имеют право"), else the rule's words in the heading, else the rule's default
            head_pol: str | None = next((pol for pol, pat in rule.heading_polarity_cues
                                         if id(pat) in head_live and pat.find_terms(head_index)), None)  # fmt: skip
            if head_pol is None:
                found_pol = _polarity((*rule.polarity_cues, *cat.polarity_cues), index, live, set(range(len(toks))),
                                      toks, titles)  # fmt: skip
                head_pol = found_pol[0] if found_pol else None
            if head_pol is None:
                head_pol = next((pol for pol, pat in rule.polarity_cues
                                 if id(pat) in head_live and pat.find_terms(head_index)), None)  # fmt: skip
            head_pol = head_pol or rule.heading_polarity or rule.polarity
            _add(links, rule, head_pol, eid, [f"heading:{label}"],
                 [Span(start, end, heading[start:end])], f"heading:{rule.id}", weight=0.8)  # fmt: skip
            linked_rights.add(rule.right)

    order = {rid: i for i, rid in enumerate(cat.rights)}
    pol_order = {"restricts": 0, "guarantees": 1, "procedure": 2}
    out = sorted(links.values(), key=lambda r: (order[r.id], pol_order.get(r.polarity or "", 3), r.eid or ""))
    for r in out:
        r.evidence.sort(key=lambda s: (s.start, s.end))
    return out


def _hit_polarities(
    h: _Hit,
    layout: _Layout,
    index: LemmaIndex,
    live: frozenset[int],
    toks: Sequence[Token],
    titles: Sequence[tuple[int, int]],
    cat: RightsCatalogue,
    head_index: LemmaIndex | None,
    head_live: frozenset[int],
) -> list[tuple[str, str | None, Span | None, str]]:
    """(polarity, inline item or None, polarity cue span, its label) for one cue hit."""
    cues = (*h.rule.polarity_cues, *cat.polarity_cues)
    clause = layout.clause[h.first]
    item = layout.item[h.first]
    window = {i for i, c in enumerate(layout.clause) if c == clause}
    if item is not None and layout.chapeau is not None:
        window |= {i for i, c in enumerate(layout.clause) if c == layout.chapeau}
    found = _polarity(cues, index, live, window, toks, titles)
    if item is None and layout.chapeau is not None and clause == layout.chapeau:
        # a cue in a chapeau: items with polarity cues of their own are linked with them
        per_item: dict[str, tuple[str, Span | None, str]] = {}
        for number in dict.fromkeys(x for x in layout.item if x is not None):
            in_item = {i for i, x in enumerate(layout.item) if x == number}
            got = _polarity(cues, index, live, in_item, toks, titles)
            if got is not None and (found is None or got[0] != found[0]):
                per_item[number] = got
        out: list[tuple[str, str | None, Span | None, str]] = [
            (pol, number, span, label) for number, (pol, span, label) in per_item.items()
        ]
        if found is not None or not out:
            out.insert(0, _with_default(found, h.rule, cues, head_index, head_live))
        return out
    polarity, _, span, label = _with_default(found, h.rule, cues, head_index, head_live)
    return [(polarity, item, span, label)]


def _with_default(
    found: tuple[str, Span | None, str] | None,
    rule: RightRule,
    cues: Sequence[PolarityCue],
    head_index: LemmaIndex | None,
    head_live: frozenset[int],
) -> tuple[str, None, Span | None, str]:
    if found is not None:
        return found[0], None, found[1], found[2]
    if head_index is not None:  # the heading's words: "Основания для отказа …", "Порядок …"
        for polarity, pattern in cues:
            if id(pattern) in head_live and (m := pattern.find_terms(head_index)):
                return polarity, None, None, "heading " + " ".join(head_index.lemmas[p] for p in m[0])
    return rule.polarity, None, None, ""


def _heading_subject_start(tokens: Sequence[Token]) -> int:
    """Index of the heading's first word after "Статья 17." (the stored headings may or may not have it)."""
    i = 0
    if tokens and tokens[0].lemma == "статья":
        i = 2 if len(tokens) > 1 and tokens[1].text[:1].isdigit() else 1
    return i


@lru_cache(maxsize=65_536)
def _heading_words(heading: str) -> tuple[tuple[Token, ...], LemmaIndex]:
    """An article heading's words and index: read with every one of its parts, so cached by string."""
    tokens = analyze_cached(heading)
    return tokens, LemmaIndex([t.lemma for t in tokens])


def _item_parent(eid: str | None) -> Eid | None:
    """The eid inline items hang on: a part or an article (an item's own text has no deeper items)."""
    if eid is None or not Eid.is_valid(eid):
        return None
    parsed = Eid.parse(eid)
    return parsed if parsed.last.prefix in ("art", "para") else None


def _child(base: Eid | None, number: str) -> str | None:
    return str(base.child("point", number)) if base is not None else None


def _add(
    links: dict[tuple[str, str, str | None], RightLink],
    rule: RightRule,
    polarity: str,
    eid: str | None,
    because: list[str],
    evidence: list[Span],
    rule_id: str,
    weight: float = 1.0,
) -> None:
    key = (rule.right, polarity, eid)
    confidence = round(rule.confidence * weight, 4)
    link = links.get(key)
    if link is None:
        links[key] = RightLink(rule.right, list(dict.fromkeys(because)), list(dict.fromkeys(evidence)), rule_id,
                               confidence, eid=eid, polarity=polarity)  # fmt: skip
        return
    link.because.extend(b for b in because if b not in link.because)
    link.evidence.extend(s for s in evidence if s not in link.evidence)
    if confidence > link.confidence:
        link.rule, link.confidence = rule_id, confidence
