"""The legal thesaurus at query time (both backends): a parsed query's words and word runs that are
thesaurus terms get the thesaurus's alternatives ("высылка" → also "выдворение").

The thesaurus is data (``nlp/data/thesaurus.json``, :mod:`nlp.thesaurus`). Elasticsearch's synonym
graph filter lives in the analysis-common module, which the test distribution lacks (docs/design.md
§1), and tantivy has none, so the expansion is done here, on the query tree, once for both: a run of
words that matches an entry's term (by lemmas, stop words ignored, longest run first) becomes a group
of alternatives ``Or(synonyms=True)``: the words as typed, each alternative (a word, or a phrase of
lemmas for a multi-word term) and, for an act's name (УК, КоАП), the act itself. The ranking scores
the group by its best alternative, with thesaurus alternatives weighted lower than the typed words.

Only positive words and phrases are expanded, never negated ones. A quoted phrase is expanded only
when it is a thesaurus term as a whole ("принимающая сторона" → also «принимающее лицо»); an exact
(``=``) phrase never is: it asks for those very word forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nlp.lemmatize import analyze, fold
from nlp.thesaurus import Entry, Thesaurus, load_thesaurus
from nlp.thesaurus import Phrase as ThesaurusPhrase
from search_api.models import Expansion
from search_api.query import STOP_WORDS, Acts, And, Node, Not, Or, Phrase, Query, Term, word_lemmas

#: The longest term (in content words) looked for.
MAX_RUN = 8


@dataclass(frozen=True)
class _Rule:
    """What one matched key adds: alternatives (lemma tuples with their text) and acts."""

    entry: Entry
    matched: str  # the entry's term as written (what the key came from)
    also: tuple[ThesaurusPhrase, ...]
    act: str | None


def _content(lemmas: Sequence[str]) -> tuple[str, ...]:
    return tuple(lem for lem in lemmas if lem not in STOP_WORDS)


@lru_cache(maxsize=4)
def _index(thesaurus: Thesaurus) -> dict[tuple[str, ...], tuple[_Rule, ...]]:
    """Content-lemma key → the rules it triggers (forward terms, and `also` terms of mutual entries)."""
    out: dict[tuple[str, ...], list[_Rule]] = {}
    for e in thesaurus.entries:
        for term in e.terms:
            key = _content(term.lemmas)
            if key:
                out.setdefault(key, []).append(_Rule(e, term.text, e.also, e.act))
        if e.mutual:
            for alt in e.also:
                key = _content(alt.lemmas)
                if key:
                    out.setdefault(key, []).append(_Rule(e, alt.text, e.terms, None))
    return {k: tuple(v) for k, v in out.items()}


def _alternative(p: ThesaurusPhrase) -> Node:
    if len(p.lemmas) == 1:  # one word: with its verb/noun pair, as if typed
        return Term(p.text, (p.lemmas[0], *word_lemmas(p.lemmas[0])[1:]), "thesaurus")
    words = tuple(fold(t.text) for t in analyze(p.text))
    return Phrase(p.text, words, p.lemmas, exact=False, origin="thesaurus")


class _Expander:
    def __init__(self, thesaurus: Thesaurus) -> None:
        self.index = _index(thesaurus)
        self.expansions: list[Expansion] = []

    def node(self, node: Node) -> Node:
        if isinstance(node, Term):
            return self.run([node])[0]
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, And):
            return And(tuple(self.sequence(node.children)), node.implicit)
        if isinstance(node, Or):
            return Or(tuple(self.node(c) for c in node.children), node.synonyms)
        return node  # phrases, negations, acts: as written

    def sequence(self, children: Sequence[Node]) -> list[Node]:
        """Children of an AND: runs of consecutive words are matched together."""
        out: list[Node] = []
        run: list[Term] = []
        for c in children:
            if isinstance(c, Term):
                run.append(c)
                continue
            out.extend(self.run(run))
            run = []
            out.append(c if isinstance(c, Not | Acts) else self.node(c))
        out.extend(self.run(run))
        return out

    def run(self, terms: list[Term]) -> list[Node]:
        out: list[Node] = []
        i = 0
        while i < len(terms):
            for n in range(min(MAX_RUN, len(terms) - i), 0, -1):
                words = terms[i : i + n]
                rules = self.index.get(tuple(t.lemmas[0] for t in words))
                if rules:
                    out.append(self.group_words(words, rules))
                    i += n
                    break
            else:
                out.append(terms[i])
                i += 1
        return out

    def phrase(self, p: Phrase) -> Node:
        """A quoted phrase that is a thesaurus term as a whole (never an exact one)."""
        if p.exact or p.origin != "query":
            return p
        rules = self.index.get(_content(p.lemmas))
        return self.group(p, _content(p.lemmas), p.text, rules) if rules else p

    def group_words(self, words: list[Term], rules: tuple[_Rule, ...]) -> Node:
        typed: Node = words[0] if len(words) == 1 else And(tuple(words), implicit=False)
        # one word as typed; a run of words as the thesaurus writes it (the query lost its stop words)
        text = words[0].text if len(words) == 1 else rules[0].matched
        return self.group(typed, tuple(t.lemmas[0] for t in words), text, rules)

    def group(self, typed: Node, typed_key: tuple[str, ...], text: str, rules: tuple[_Rule, ...]) -> Node:
        alternatives: list[Node] = [typed]
        seen: set[tuple[str, ...]] = {typed_key}
        acts: list[str] = []
        for rule in rules:
            shown: list[str] = []
            for p in rule.also:
                if _content(p.lemmas) in seen or p.lemmas in seen:
                    continue
                seen.add(_content(p.lemmas))
                alternatives.append(_alternative(p))
                shown.append(p.text)
            if rule.act is not None and rule.act not in acts:
                acts.append(rule.act)
            if shown or rule.act is not None:
                self.expansions.append(
                    Expansion(term=text, also=shown, kind=rule.entry.kind, act=rule.act, note=rule.entry.note())
                )
        if acts:
            alternatives.append(Acts(text, tuple(acts)))
        if len(alternatives) == 1:
            return typed
        return Or(tuple(alternatives), synonyms=True)


def expand(query: Query, thesaurus: Thesaurus | None = None) -> tuple[Query, list[Expansion]]:
    """``query`` with the thesaurus's alternatives (default: the bundled thesaurus), and what was
    added, for the answer ("also searched: …")."""
    ex = _Expander(thesaurus or load_thesaurus())
    root = ex.node(query.root)
    return Query(query.text, root, query.operator), ex.expansions
