"""The taxonomies of DESIGN §4 as data: topic tags and rights, with the lemma rules that find them.

The data live in ``nlp/data/topics.json`` and ``nlp/data/rights.json`` (rules are data, not code,
so a legal scholar can read and amend them). This module loads and validates them and compiles
the patterns; :mod:`nlp.tagger` and :mod:`nlp.rights` apply them.

Pattern language (one string per pattern, terms separated by spaces): each term matches one
token's lemma — ``выдворение`` exactly, ``кандас*`` by prefix, ``прием|утрата|лишить`` any of
them. Consecutive terms may be up to ``gap`` tokens apart (per rule, or per pattern through
``pattern_gaps``); a term written ``+term`` must follow the previous one directly ("без
+разрешение": the "без" of "лиц без гражданства" does not count).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.lemmatize import Token

DATA_DIR = Path(__file__).resolve().parent / "data"
TOPICS_PATH = DATA_DIR / "topics.json"
RIGHTS_PATH = DATA_DIR / "rights.json"

#: The topic tag ids of DESIGN §4 (the data file must define exactly these).
TOPIC_IDS: tuple[str, ...] = (
    "illegal_migration", "illegal_border_crossing", "illegal_stay", "illegal_employment", "facilitation",
    "forced_migration", "asylum_refugees", "displacement", "expulsion", "detention", "trafficking",
    "labour_migration", "ethnic_repatriation", "citizenship",
)  # fmt: skip

#: The right ids of DESIGN §4.
RIGHT_IDS: tuple[str, ...] = (
    "non_refoulement", "asylum_access", "liberty", "expulsion_safeguards", "freedom_of_movement",
    "family_life", "freedom_from_trafficking", "labour_rights", "non_discrimination", "child_rights",
    "privacy", "fair_trial_remedy", "nationality",
)  # fmt: skip


class TaxonomyError(ValueError):
    """A taxonomy data file is malformed (the message names the file and the entry)."""


# --- patterns ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # identity hash: terms are cache keys in LemmaIndex
class Term:
    """One token slot of a pattern: exact lemmas and lemma prefixes."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def matches(self, lemma: str) -> bool:
        return lemma in self.exact or (bool(self.prefixes) and lemma.startswith(self.prefixes))


class LemmaIndex:
    """The lemmas of one text with the positions of each, so that a pattern is tried only where its
    first term occurs (a provision has a few dozen distinct lemmas; the rules have hundreds of terms)."""

    def __init__(self, lemmas: Sequence[str]) -> None:
        self.lemmas: list[str] = list(lemmas)
        positions: dict[str, list[int]] = defaultdict(list)
        for i, lemma in enumerate(self.lemmas):
            positions[lemma].append(i)
        self._positions = dict(positions)
        self._distinct = set(positions)
        self._starts: dict[Term, list[int]] = {}

    def __len__(self) -> int:
        return len(self.lemmas)

    def starts(self, term: Term) -> list[int]:
        """Sorted positions whose lemma matches ``term``."""
        found = self._starts.get(term)
        if found is None:
            if not term.prefixes and term.exact.isdisjoint(self._distinct):
                self._starts[term] = []
                return []
            hits = [p for lemma in term.exact & self._distinct for p in self._positions[lemma]]
            if term.prefixes:
                hits += [p for lemma, ps in self._positions.items() if lemma.startswith(term.prefixes) for p in ps]
            found = self._starts[term] = sorted(set(hits))
        return found


def as_index(lemmas: Sequence[str] | LemmaIndex) -> LemmaIndex:
    return lemmas if isinstance(lemmas, LemmaIndex) else LemmaIndex(lemmas)


@dataclass(frozen=True)
class Pattern:
    """A sequence of terms, consecutive ones at most ``gap`` tokens apart."""

    source: str
    terms: tuple[Term, ...]
    gap: int = 0
    adjacent: tuple[bool, ...] = ()  # per term: must directly follow the previous term ("+term")

    def find(self, lemmas: Sequence[str] | LemmaIndex) -> list[tuple[int, int]]:
        """Token ranges ``(first, last)`` (inclusive) where the pattern matches, left to right and
        non-overlapping; each match is the shortest one from its first token (backtracking, so
        "лиц без гражданства, пребывающих … без соответствующего разрешения" still finds the second
        "без")."""
        return [(m[0], m[-1]) for m in self.find_terms(lemmas)]

    def find_terms(self, lemmas: Sequence[str] | LemmaIndex) -> list[tuple[int, ...]]:
        """Like :meth:`find`, with the position of every term's token (gap words left out)."""
        index = as_index(lemmas)
        out: list[tuple[int, ...]] = []
        free = 0  # matches do not overlap
        for i in index.starts(self.terms[0]):
            if i < free:
                continue
            rest = self._extend(index.lemmas, i, 1)
            if rest is not None:
                out.append((i, *rest))
                free = out[-1][-1] + 1
        return out

    def _extend(self, lemmas: Sequence[str], pos: int, k: int) -> tuple[int, ...] | None:
        """Positions of terms[k:] matched after ``pos``, or None."""
        if k == len(self.terms):
            return ()
        term = self.terms[k]
        gap = 0 if self.adjacent and self.adjacent[k] else self.gap
        for j in range(pos + 1, min(len(lemmas), pos + 2 + gap)):
            if term.matches(lemmas[j]):
                rest = self._extend(lemmas, j, k + 1)
                if rest is not None:
                    return (j, *rest)
        return None


def compile_term(spec: str, where: str) -> Term:
    exact: set[str] = set()
    prefixes: list[str] = []
    for alt in spec.split("|"):
        alt = alt.strip().lower().replace("ё", "е")
        if not alt or alt == "*":
            raise TaxonomyError(f"{where}: empty alternative in term {spec!r}")
        if alt.endswith("*"):
            prefixes.append(alt[:-1])
        else:
            exact.add(alt)
    return Term(frozenset(exact), tuple(prefixes))


def compile_pattern(spec: str, gap: int, where: str) -> Pattern:
    if not isinstance(spec, str) or not spec.strip():
        raise TaxonomyError(f"{where}: a pattern must be a non-empty string, got {spec!r}")
    if gap < 0:
        raise TaxonomyError(f"{where}: gap must be >= 0, got {gap}")
    words = spec.split()
    if words[0].startswith("+"):
        raise TaxonomyError(f"{where}: the first term cannot be '+' (adjacent to nothing) in {spec!r}")
    adjacent = tuple(w.startswith("+") for w in words)
    return Pattern(spec, tuple(compile_term(w.lstrip("+"), where) for w in words), gap, adjacent)


def lemmas_of(tokens: Sequence[Token]) -> list[str]:
    return [t.lemma for t in tokens]


# --- topic rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicDef:
    id: str
    parent: str | None
    label: str
    covers: str


@dataclass(frozen=True)
class TopicRule:
    """A tagging rule: any of ``patterns`` → ``tag``, unless an exception or negation applies."""

    id: str
    version: str
    tag: str
    confidence: float
    patterns: tuple[Pattern, ...]
    exceptions: tuple[Pattern, ...] = ()
    negations: tuple[Pattern, ...] = ()
    requires: str | None = None  # a context that must be present
    unless: str | None = None  # a context that must be absent


@dataclass(frozen=True)
class TopicTaxonomy:
    version: str
    tags: dict[str, TopicDef]
    rules: tuple[TopicRule, ...]
    contexts: dict[str, tuple[Pattern, ...]]
    exception_window: int = 1
    negation_window: int = 3

    def ancestors(self, tag_id: str) -> list[str]:
        """Parents of a tag, nearest first (``illegal_stay`` → ``["illegal_migration"]``)."""
        out: list[str] = []
        parent = self.tags[tag_id].parent
        while parent is not None:
            out.append(parent)
            parent = self.tags[parent].parent
        return out

    def has_context(self, name: str, lemmas: Sequence[str] | LemmaIndex) -> bool:
        index = as_index(lemmas)
        return any(p.find(index) for p in self.contexts[name])


def _require(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise TaxonomyError(f"{where}: missing {key!r}")
    value = obj[key]
    if not isinstance(value, kind):
        raise TaxonomyError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def _patterns(rule: dict[str, Any], key: str, gap: int, where: str) -> tuple[Pattern, ...]:
    specs = rule.get(key, [])
    if not isinstance(specs, list):
        raise TaxonomyError(f"{where}: {key!r} must be a list of strings")
    overrides = rule.get("pattern_gaps", {}) if key == "patterns" else {}
    return tuple(
        compile_pattern(s, int(overrides.get(str(i), gap)), f"{where} {key}[{i}]") for i, s in enumerate(specs)
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise TaxonomyError(f"{path}: no such taxonomy file") from e
    except json.JSONDecodeError as e:
        raise TaxonomyError(f"{path}: not valid JSON ({e})") from e
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: the top level must be an object")
    return data


def parse_topics(data: dict[str, Any], source: str = "topics.json") -> TopicTaxonomy:
    """Validate and compile the topic taxonomy (raises :class:`TaxonomyError` naming the entry)."""
    version = _require(data, "version", str, source)
    tags: dict[str, TopicDef] = {}
    for i, t in enumerate(_require(data, "tags", list, source)):
        where = f"{source} tags[{i}]"
        tid = _require(t, "id", str, where)
        if tid in tags:
            raise TaxonomyError(f"{where}: duplicate tag id {tid!r}")
        tags[tid] = TopicDef(tid, t.get("parent"), t.get("label", ""), t.get("covers", ""))
    if set(tags) != set(TOPIC_IDS):
        missing, extra = sorted(set(TOPIC_IDS) - set(tags)), sorted(set(tags) - set(TOPIC_IDS))
        raise TaxonomyError(f"{source}: tag ids differ from DESIGN §4 (missing {missing}, unknown {extra})")
    for t in tags.values():
        if t.parent is not None and t.parent not in tags:
            raise TaxonomyError(f"{source}: tag {t.id!r} has unknown parent {t.parent!r}")
    contexts: dict[str, tuple[Pattern, ...]] = {}
    for name, ctx in _require(data, "contexts", dict, source).items():
        contexts[name] = _patterns(ctx, "patterns", 0, f"{source} contexts.{name}")
        if not contexts[name]:
            raise TaxonomyError(f"{source} contexts.{name}: no patterns")
    rules: list[TopicRule] = []
    seen: set[str] = set()
    for i, r in enumerate(_require(data, "rules", list, source)):
        where = f"{source} rules[{i}]"
        rid = _require(r, "id", str, where)
        where = f"{source} rule {rid!r}"
        if rid in seen:
            raise TaxonomyError(f"{where}: duplicate rule id")
        seen.add(rid)
        tag = _require(r, "tag", str, where)
        if tag not in tags:
            raise TaxonomyError(f"{where}: unknown tag {tag!r}")
        requires, unless = r.get("requires"), r.get("unless")
        for ctx in (requires, unless):
            if ctx is not None and ctx not in contexts:
                raise TaxonomyError(f"{where}: unknown context {ctx!r}")
        confidence = float(_require(r, "confidence", (int, float), where))
        if not 0.0 < confidence <= 1.0:
            raise TaxonomyError(f"{where}: confidence must be in (0, 1], got {confidence}")
        gap = int(r.get("gap", 0))
        patterns = _patterns(r, "patterns", gap, where)
        if not patterns:
            raise TaxonomyError(f"{where}: no patterns")
        rules.append(
            TopicRule(
                id=rid,
                version=_require(r, "version", str, where),
                tag=tag,
                confidence=confidence,
                patterns=patterns,
                exceptions=_patterns(r, "exceptions", int(r.get("exception_gap", 1)), where),
                negations=_patterns(r, "negations", 0, where),
                requires=requires,
                unless=unless,
            )
        )
    return TopicTaxonomy(
        version=version,
        tags=tags,
        rules=tuple(rules),
        contexts=contexts,
        exception_window=int(data.get("exception_window", 1)),
        negation_window=int(data.get("negation_window", 3)),
    )


def load_topics(path: str | Path | None = None) -> TopicTaxonomy:
    """The topic taxonomy from ``path`` (default: the bundled ``nlp/data/topics.json``, cached)."""
    if path is None:
        return _default_topics()
    return parse_topics(_read_json(Path(path)), str(path))


@lru_cache(maxsize=1)
def _default_topics() -> TopicTaxonomy:
    return parse_topics(_read_json(TOPICS_PATH), TOPICS_PATH.name)


def implied_parents(tag_ids: Sequence[str], taxonomy: TopicTaxonomy | None = None) -> list[str]:
    """Parents implied by the given tags that are not among them (DESIGN §4: parents are implied
    by children)."""
    tx = taxonomy or load_topics()
    have = set(tag_ids)
    out: list[str] = []
    for tid in tag_ids:
        for parent in tx.ancestors(tid):
            if parent not in have:
                have.add(parent)
                out.append(parent)
    return out


# --- rights -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RightDef:
    id: str
    label: str
    instruments: tuple[str, ...]


@dataclass(frozen=True)
class RightRule:
    """Tags and/or textual cues → a right. ``mode`` "any": a listed tag or a cue suffices;
    "all": a listed tag and a cue are both needed. ``standalone`` cues need no migration context."""

    id: str
    version: str
    right: str
    confidence: float
    tags: tuple[str, ...] = ()
    cues: tuple[Pattern, ...] = ()
    exceptions: tuple[Pattern, ...] = ()
    mode: str = "any"
    standalone: bool = False


@dataclass(frozen=True)
class RightsCatalogue:
    version: str
    rights: dict[str, RightDef]
    rules: tuple[RightRule, ...]
    context: str = "foreigner"  # the topic context that opens rights linking without tags
    exception_window: int = 1
    about: dict[str, Any] = field(default_factory=dict)


def parse_rights(data: dict[str, Any], source: str = "rights.json") -> RightsCatalogue:
    """Validate and compile the rights catalogue (raises :class:`TaxonomyError`)."""
    version = _require(data, "version", str, source)
    rights: dict[str, RightDef] = {}
    for i, r in enumerate(_require(data, "rights", list, source)):
        where = f"{source} rights[{i}]"
        rid = _require(r, "id", str, where)
        if rid in rights:
            raise TaxonomyError(f"{where}: duplicate right id {rid!r}")
        instruments = _require(r, "instruments", list, where)
        if not instruments:
            raise TaxonomyError(f"{where}: right {rid!r} lists no instruments")
        rights[rid] = RightDef(rid, r.get("label", ""), tuple(instruments))
    if set(rights) != set(RIGHT_IDS):
        missing, extra = sorted(set(RIGHT_IDS) - set(rights)), sorted(set(rights) - set(RIGHT_IDS))
        raise TaxonomyError(f"{source}: right ids differ from DESIGN §4 (missing {missing}, unknown {extra})")
    rules: list[RightRule] = []
    seen: set[str] = set()
    for i, r in enumerate(_require(data, "rules", list, source)):
        rid = _require(r, "id", str, f"{source} rules[{i}]")
        where = f"{source} rule {rid!r}"
        if rid in seen:
            raise TaxonomyError(f"{where}: duplicate rule id")
        seen.add(rid)
        right = _require(r, "right", str, where)
        if right not in rights:
            raise TaxonomyError(f"{where}: unknown right {right!r}")
        tags = tuple(r.get("tags", []))
        for t in tags:
            if t not in TOPIC_IDS:
                raise TaxonomyError(f"{where}: unknown tag {t!r}")
        mode = r.get("mode", "any")
        if mode not in ("any", "all"):
            raise TaxonomyError(f"{where}: mode must be 'any' or 'all', got {mode!r}")
        cues = _patterns(r, "cues", int(r.get("gap", 0)), where)
        if not tags and not cues:
            raise TaxonomyError(f"{where}: needs tags or cues")
        if mode == "all" and not (tags and cues):
            raise TaxonomyError(f"{where}: mode 'all' needs both tags and cues")
        rules.append(
            RightRule(
                id=rid,
                version=_require(r, "version", str, where),
                right=right,
                confidence=float(_require(r, "confidence", (int, float), where)),
                tags=tags,
                cues=cues,
                exceptions=_patterns(r, "exceptions", int(r.get("exception_gap", 1)), where),
                mode=mode,
                standalone=bool(r.get("standalone", False)),
            )
        )
    return RightsCatalogue(version=version, rights=rights, rules=tuple(rules), context=data.get("context", "foreigner"))


def load_rights(path: str | Path | None = None) -> RightsCatalogue:
    """The rights catalogue from ``path`` (default: the bundled ``nlp/data/rights.json``, cached)."""
    if path is None:
        return _default_rights()
    return parse_rights(_read_json(Path(path)), str(path))


@lru_cache(maxsize=1)
def _default_rights() -> RightsCatalogue:
    return parse_rights(_read_json(RIGHTS_PATH), RIGHTS_PATH.name)
