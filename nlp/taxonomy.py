"""The taxonomies of docs/design.md §4 as data: topic tags and rights, with the lemma rules that find them.

The data live in ``nlp/data/topics.json`` and ``nlp/data/rights.json`` (rules are data, not code,
so a legal scholar can read and amend them). Their schema is the pydantic models below (``TopicsFile``,
``RightsFile``), published as JSON Schema beside them (``topics.schema.json``, ``rights.schema.json``;
``python -m nlp.taxonomy --write-schemas`` regenerates them). The tag and right ids are whatever the
files define: a new tag is a data change. This module validates and compiles the files;
:mod:`nlp.tagger` and :mod:`nlp.rights` apply them.

Pattern language (one string per pattern, terms separated by spaces): each term matches one
token's lemma — ``выдворение`` exactly, ``кандас*`` by prefix, ``прием|утрата|лишить`` any of
them. Consecutive terms may be up to ``gap`` tokens apart (per rule, or per pattern through
``pattern_gaps``); a term written ``+term`` must follow the previous one directly ("без
+разрешение": the "без" of "лиц без гражданства" does not count).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nlp.lemmatize import Token

DATA_DIR = Path(__file__).resolve().parent / "data"
TOPICS_PATH = DATA_DIR / "topics.json"
RIGHTS_PATH = DATA_DIR / "rights.json"

TOPICS_SCHEMA_PATH = DATA_DIR / "topics.schema.json"
RIGHTS_SCHEMA_PATH = DATA_DIR / "rights.schema.json"


_S = TypeVar("_S", bound="BaseModel")


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
        # PatternIndex → ids of its patterns that can match here (keyed by the object, not its id: a
        # cached index outlives taxonomies made and dropped in between)
        self._live: dict[PatternIndex, frozenset[int]] = {}
        self.contexts: dict[tuple[PatternIndex, str], bool] = {}  # (a taxonomy's contexts, name) → present

    def live(self, patterns: PatternIndex) -> frozenset[int]:
        """Ids of the patterns of ``patterns`` whose first term occurs in this text (the others cannot
        match: they are never tried)."""
        found = self._live.get(patterns)
        if found is None:
            found = self._live[patterns] = patterns.live(self._distinct)
        return found

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


class PatternIndex:
    """Patterns by the lemmas their first term accepts: for a text, the few patterns that can start in
    it are found from its distinct lemmas instead of trying every pattern of every rule."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self._by_lemma: dict[str, set[int]] = defaultdict(set)
        by_prefix: dict[str, set[int]] = defaultdict(set)
        for p in patterns:
            first = p.terms[0]
            for lemma in first.exact:
                self._by_lemma[lemma].add(id(p))
            for prefix in first.prefixes:
                by_prefix[prefix].add(id(p))
        self._by_prefix = dict(by_prefix)
        self._prefixes = tuple(by_prefix)

    def live(self, lemmas: Iterable[str]) -> frozenset[int]:
        out: set[int] = set()
        for lemma in lemmas:
            out |= self._by_lemma.get(lemma, set())
            if self._prefixes and lemma.startswith(self._prefixes):
                for prefix, ids in self._by_prefix.items():
                    if lemma.startswith(prefix):
                        out |= ids
        return frozenset(out)


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

    @cached_property
    def patterns(self) -> PatternIndex:
        """Every pattern of the rules (their patterns, exceptions and negations), indexed."""
        return PatternIndex(p for r in self.rules for p in (*r.patterns, *r.exceptions, *r.negations))

    def ancestors(self, tag_id: str) -> list[str]:
        """Parents of a tag, nearest first (``illegal_stay`` → ``["illegal_migration"]``)."""
        out: list[str] = []
        parent = self.tags[tag_id].parent
        while parent is not None:
            out.append(parent)
            parent = self.tags[parent].parent
        return out

    def with_ancestors(self, tag_ids: Sequence[str]) -> list[str]:
        """The tags and every parent they imply (docs/design.md §4), in the taxonomy's order."""
        have = set(tag_ids)
        for tid in tag_ids:
            have.update(self.ancestors(tid))
        return [t for t in self.tags if t in have]

    @cached_property
    def context_patterns(self) -> PatternIndex:
        return PatternIndex(p for ps in self.contexts.values() for p in ps)

    def has_context(self, name: str, lemmas: Sequence[str] | LemmaIndex) -> bool:
        """Does a context (foreigners, migration …) occur in these lemmas? Cached on the index."""
        index = as_index(lemmas)
        key = (self.context_patterns, name)
        found = index.contexts.get(key)
        if found is None:
            live = index.live(self.context_patterns)
            found = index.contexts[key] = any(p.find(index) for p in self.contexts[name] if id(p) in live)
        return found


# --- the files' schema (pydantic) --------------------------------------------------------------------

Confidence = Annotated[float, Field(gt=0.0, le=1.0, description="How sure a match makes the rule, (0, 1]")]
Gap = Annotated[int, Field(ge=0, description="Tokens allowed between consecutive terms of a pattern")]
PatternList = Annotated[list[str], Field(description="Lemma patterns: 'выдворение', 'кандас*', 'a|b', '+term'")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TagSpec(_Spec):
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    parent: str | None = None
    label: str = ""
    covers: str = ""


class ContextSpec(_Spec):
    about: str = ""
    patterns: PatternList = Field(min_length=1)


class TopicRuleSpec(_Spec):
    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    tag: str
    confidence: Confidence
    patterns: PatternList = Field(min_length=1)
    gap: Gap = 0
    pattern_gaps: dict[str, Gap] = Field(default_factory=dict, description="Gap per pattern index")
    exceptions: PatternList = Field(default_factory=list)
    exception_gap: Gap = 1
    negations: PatternList = Field(default_factory=list)
    requires: str | None = Field(None, description="A context that must be present")
    unless: str | None = Field(None, description="A context that must be absent")
    note: str = ""


class TopicsFile(_Spec):
    """``nlp/data/topics.json``: the topic tags (docs/design.md §4) and the rules that find them."""

    schema_: str | None = Field(None, alias="$schema")
    version: str = Field(min_length=1)
    about: str = ""
    exception_window: Gap = 1
    negation_window: Gap = 3
    tags: list[TagSpec] = Field(min_length=1)
    contexts: dict[str, ContextSpec] = Field(default_factory=dict)
    rules: list[TopicRuleSpec] = Field(min_length=1)


class RightSpec(_Spec):
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    label: str = ""
    instruments: list[str] = Field(min_length=1, description="International instruments, e.g. 'ICCPR art. 13'")


Polarity = Literal["guarantees", "restricts", "procedure"]


class PolarityCueSpec(_Spec):
    """Words that say how a clause bears on a right: "имеют право" guarantees, "подлежат" restricts,
    "в порядке, определяемом" is procedure. Tried in list order; the first found in the clause decides."""

    polarity: Polarity
    patterns: PatternList = Field(min_length=1)
    gap: Gap = 2


class RightRuleSpec(_Spec):
    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    right: str
    confidence: Confidence
    tags: list[str] = Field(default_factory=list, description="Topic tags that engage the right")
    cues: PatternList = Field(default_factory=list, description="Words of the text that engage the right")
    gap: Gap = 0
    exceptions: PatternList = Field(default_factory=list, description="Words around a cue that veto it")
    exception_gap: Gap = 1
    clause_exceptions: PatternList = Field(
        default_factory=list, description="Words anywhere in the cue's clause that veto it (the rule is someone else's)"
    )
    heading_cues: PatternList = Field(
        default_factory=list,
        description="Words of the article heading that make every part and item of the article engage the right "
        "(\"Основания для отказа … во въезде\", \"Торговля людьми\"), when its own words do not",
    )
    heading_gap: Gap = Field(8, description="Gap of the heading cues (headings are long noun phrases)")
    heading_anchored: bool = Field(
        False, description="A heading cue must start the heading (its subject: 'Прием в гражданство'), not stand in it"
    )
    heading_exceptions: PatternList = Field(
        default_factory=list,
        description="Words of the article heading that veto the rule's text cues (the article is about something "
        "else: a benefit stopped when citizenship ends is not a rule on nationality)",
    )
    heading_polarity: Polarity | None = Field(None, description="Polarity of a link made by heading_cues")
    heading_polarity_cues: list[PolarityCueSpec] = Field(
        default_factory=list,
        description="Polarity cues of the heading for a heading link whose text has none ('Утрата гражданства')",
    )
    polarity: Polarity = Field(description="Polarity when no polarity cue is found")
    polarity_cues: list[PolarityCueSpec] = Field(
        default_factory=list, description="This rule's polarity cues, tried before the file's"
    )
    mode: Literal["any", "all"] = "any"
    standalone: bool = False
    context: str | None = Field(None, description="The context that must be present (default: the file's)")
    note: str = ""


class RightsFile(_Spec):
    """``nlp/data/rights.json``: the rights (docs/design.md §4), their instruments, the linking rules."""

    schema_: str | None = Field(None, alias="$schema")
    version: str = Field(min_length=1)
    about: str = ""
    context: str = "foreigner"
    polarity_cues: list[PolarityCueSpec] = Field(
        default_factory=list, description="Polarity cues every rule tries after its own, in the clause then the heading"
    )
    rights: list[RightSpec] = Field(min_length=1)
    rules: list[RightRuleSpec] = Field(min_length=1)


def _validated(model: type[_S], data: object, source: str) -> _S:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err.get("loc", ()))
        raise TaxonomyError(f"{source} {where}: {err.get('msg')}") from e


def _unique(ids: Sequence[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for x in ids:
        if x in seen:
            raise TaxonomyError(f"{source}: duplicate {what} id {x!r}")
        seen.add(x)


def _patterns(specs: Sequence[str], gap: int, where: str, gaps: dict[str, int] | None = None) -> tuple[Pattern, ...]:
    return tuple(compile_pattern(p, (gaps or {}).get(str(i), gap), f"{where}[{i}]") for i, p in enumerate(specs))


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
    """Validate (:class:`TopicsFile`) and compile the topic taxonomy; :class:`TaxonomyError` names the entry."""
    spec = _validated(TopicsFile, data, source)
    _unique([t.id for t in spec.tags], "tag", source)
    _unique([r.id for r in spec.rules], "rule", source)
    tags = {t.id: TopicDef(t.id, t.parent, t.label, t.covers) for t in spec.tags}
    for t in tags.values():
        if t.parent is not None and t.parent not in tags:
            raise TaxonomyError(f"{source}: tag {t.id!r} has unknown parent {t.parent!r}")
    contexts = {
        name: _patterns(c.patterns, 0, f"{source} contexts.{name}.patterns") for name, c in spec.contexts.items()
    }
    rules: list[TopicRule] = []
    for r in spec.rules:
        where = f"{source} rule {r.id!r}"
        if r.tag not in tags:
            raise TaxonomyError(f"{where}: unknown tag {r.tag!r}")
        for ctx in (r.requires, r.unless):
            if ctx is not None and ctx not in contexts:
                raise TaxonomyError(f"{where}: unknown context {ctx!r}")
        rules.append(
            TopicRule(
                id=r.id,
                version=r.version,
                tag=r.tag,
                confidence=r.confidence,
                patterns=_patterns(r.patterns, r.gap, f"{where} patterns", r.pattern_gaps),
                exceptions=_patterns(r.exceptions, r.exception_gap, f"{where} exceptions"),
                negations=_patterns(r.negations, 0, f"{where} negations"),
                requires=r.requires,
                unless=r.unless,
            )
        )
    return TopicTaxonomy(
        version=spec.version,
        tags=tags,
        rules=tuple(rules),
        contexts=contexts,
        exception_window=spec.exception_window,
        negation_window=spec.negation_window,
    )


def load_topics(path: str | Path | None = None) -> TopicTaxonomy:
    """The topic taxonomy from ``path`` (default: the bundled ``nlp/data/topics.json``, cached)."""
    if path is None:
        return _default_topics()
    return parse_topics(_read_json(Path(path)), str(path))


@lru_cache(maxsize=1)
def _default_topics() -> TopicTaxonomy:
    return parse_topics(_read_json(TOPICS_PATH), TOPICS_PATH.name)


# --- rights -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RightDef:
    id: str
    label: str
    instruments: tuple[str, ...]


PolarityCue = tuple[str, Pattern]  # (polarity, pattern)


@dataclass(frozen=True)
class RightRule:
    """Tags and/or textual cues → a right, with how the words bear on it (polarity). ``mode`` "any": a
    listed tag or a cue suffices; "all": both are needed. ``standalone`` cues need no context.
    ``heading_cues`` link every part and item of an article whose heading names the right's subject."""

    id: str
    version: str
    right: str
    confidence: float
    polarity: str = "procedure"
    tags: tuple[str, ...] = ()
    cues: tuple[Pattern, ...] = ()
    exceptions: tuple[Pattern, ...] = ()
    clause_exceptions: tuple[Pattern, ...] = ()
    heading_cues: tuple[Pattern, ...] = ()
    heading_exceptions: tuple[Pattern, ...] = ()
    heading_anchored: bool = False
    heading_polarity: str | None = None
    heading_polarity_cues: tuple[PolarityCue, ...] = ()
    polarity_cues: tuple[PolarityCue, ...] = ()
    mode: str = "any"
    standalone: bool = False
    context: str | None = None


@dataclass(frozen=True)
class RightsCatalogue:
    version: str
    rights: dict[str, RightDef]
    rules: tuple[RightRule, ...]
    context: str = "foreigner"  # the topic context that opens rights linking without tags
    exception_window: int = 1
    about: dict[str, Any] = field(default_factory=dict)
    polarity_cues: tuple[PolarityCue, ...] = ()  # tried after a rule's own

    @cached_property
    def patterns(self) -> PatternIndex:
        """Every pattern of the rules (cues, exceptions, polarity cues) and the file's polarity cues, indexed."""
        return PatternIndex(
            p
            for r in self.rules
            for p in (*r.cues, *r.exceptions, *r.clause_exceptions, *r.heading_cues, *r.heading_exceptions,
                      *(q for _, q in r.polarity_cues), *(q for _, q in r.heading_polarity_cues))
        )

    @cached_property
    def rules_by_cue(self) -> dict[int, tuple[int, ...]]:
        """id of a cue pattern → the indexes of the rules it belongs to (a text's live cues give its rules)."""
        out: dict[int, list[int]] = {}
        for i, r in enumerate(self.rules):
            for p in r.cues:
                out.setdefault(id(p), []).append(i)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def polarity_patterns(self) -> PatternIndex:
        return PatternIndex([*(p for _, p in self.polarity_cues), *(q for r in self.rules for _, q in r.polarity_cues)])


def parse_rights(
    data: dict[str, Any], source: str = "rights.json", *, topics: TopicTaxonomy | None = None
) -> RightsCatalogue:
    """Validate (:class:`RightsFile`) and compile the rights catalogue; tags a rule names must exist in
    the topic taxonomy (``topics``, default the bundled one). :class:`TaxonomyError` names the entry."""
    spec = _validated(RightsFile, data, source)
    _unique([r.id for r in spec.rights], "right", source)
    _unique([r.id for r in spec.rules], "rule", source)
    topic_taxonomy = topics or load_topics()
    tag_ids, tag_contexts = topic_taxonomy.tags, topic_taxonomy.contexts
    rights = {r.id: RightDef(r.id, r.label, tuple(r.instruments)) for r in spec.rights}
    rules: list[RightRule] = []
    for r in spec.rules:
        where = f"{source} rule {r.id!r}"
        if r.right not in rights:
            raise TaxonomyError(f"{where}: unknown right {r.right!r}")
        for t in r.tags:
            if t not in tag_ids:
                raise TaxonomyError(f"{where}: unknown tag {t!r}")
        if not r.tags and not r.cues and not r.heading_cues:
            raise TaxonomyError(f"{where}: needs tags or cues")
        if r.mode == "all" and not (r.tags and r.cues):
            raise TaxonomyError(f"{where}: mode 'all' needs both tags and cues")
        if r.heading_cues and r.heading_polarity is None:
            raise TaxonomyError(f"{where}: heading_cues need a heading_polarity")
        ctx = r.context or spec.context
        if ctx not in tag_contexts:
            raise TaxonomyError(f"{where}: unknown context {ctx!r} (not a context of the topic taxonomy)")
        rules.append(
            RightRule(
                id=r.id,
                version=r.version,
                right=r.right,
                confidence=r.confidence,
                polarity=r.polarity,
                tags=tuple(r.tags),
                cues=_patterns(r.cues, r.gap, f"{where} cues"),
                exceptions=_patterns(r.exceptions, r.exception_gap, f"{where} exceptions"),
                clause_exceptions=_patterns(r.clause_exceptions, r.gap, f"{where} clause_exceptions"),
                heading_cues=_patterns(r.heading_cues, r.heading_gap, f"{where} heading_cues"),
                heading_exceptions=_patterns(r.heading_exceptions, 0, f"{where} heading_exceptions"),
                heading_anchored=r.heading_anchored,
                heading_polarity_cues=_polarity_cues(r.heading_polarity_cues, f"{where} heading_polarity_cues"),
                heading_polarity=r.heading_polarity,
                polarity_cues=_polarity_cues(r.polarity_cues, f"{where} polarity_cues"),
                mode=r.mode,
                standalone=r.standalone,
                context=ctx,
            )
        )
    return RightsCatalogue(
        version=spec.version, rights=rights, rules=tuple(rules), context=spec.context,
        polarity_cues=_polarity_cues(spec.polarity_cues, f"{source} polarity_cues"),
    )  # fmt: skip


def _polarity_cues(specs: Sequence[PolarityCueSpec], where: str) -> tuple[PolarityCue, ...]:
    return tuple(
        (c.polarity, p) for i, c in enumerate(specs) for p in _patterns(c.patterns, c.gap, f"{where}[{i}]")
    )


def load_rights(path: str | Path | None = None, *, topics: TopicTaxonomy | None = None) -> RightsCatalogue:
    """The rights catalogue from ``path`` (default: the bundled ``nlp/data/rights.json``, cached),
    checked against the topic taxonomy ``topics`` (default: the bundled one)."""
    if path is None and topics is None:
        return _default_rights()
    return parse_rights(_read_json(Path(path or RIGHTS_PATH)), str(path or RIGHTS_PATH.name), topics=topics)


@lru_cache(maxsize=1)
def _default_rights() -> RightsCatalogue:
    return parse_rights(_read_json(RIGHTS_PATH), RIGHTS_PATH.name)


def json_schemas() -> dict[Path, dict[str, Any]]:
    """The JSON Schema of each rule file, as published beside it."""
    return {
        TOPICS_SCHEMA_PATH: TopicsFile.model_json_schema(by_alias=True),
        RIGHTS_SCHEMA_PATH: RightsFile.model_json_schema(by_alias=True),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nlp.taxonomy --write-schemas``: regenerate the published JSON Schemas."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["--write-schemas"]:
        print("usage: python -m nlp.taxonomy --write-schemas", file=sys.stderr)
        return 2
    for path, schema in json_schemas().items():
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
