"""Scoring topic tags, rights links and citations against hand-labelled gold (оценка качества разметки).

The harness behind ``benchmarks/evaluate_nlp.py``. Pure scoring and the gold formats live here;
``predict`` runs the production annotator (:func:`nlp.annotate.annotate`) on one gold record.

**Splits.** ``dev`` is the gold the rules were written and tuned against (``tests/nlp/gold/
provisions.jsonl``, tags and rights with polarity; its records' ``split`` field is the labelling
round: dev, heldout, heldout2, heldout3 — all tuned on since; and ``citations_full.jsonl``, real
provisions of every bundled act with every citation labelled and no tags, see
``tests/nlp/gold/CITATIONS_FULL.md``). ``blind`` is a frozen random sample (``tests/nlp/gold/blind/*.jsonl``,
drawn by ``benchmarks/sample_blind.py``), labelled by hand before any rule change looks at it and
never tuned on: tests may only check that it parses and that the scorer runs on it.

**Provision gold** (one JSON object per line)::

    {"id": "K1400000226/art_9__para_2", "text": "…", "heading": "Статья 9. …",   # or "ancestors": […]
     "tags": ["expulsion"], "acceptable": ["detention"],
     "rights": [{"id": "expulsion_safeguards", "polarity": "procedure", "eid": "art_9__para_2"},
                {"id": "liberty", "polarity": "restricts", "eid": "art_9__para_2"}],
     "rights_acceptable": [],                      # labels without polarity: "rights": ["liberty"]
     "polarity_labelled": true,
     "citations": [{"span": "статьей 48 настоящего Закона", "start": 120,
                    "act_id": "Z1100000477", "eid": "art_48"},
                   {"span": "Законом", "act_id": null, "eid": null}]}

- A record without ``tags`` is not labelled yet (a blind record waiting for its labeller): it is
  counted, never scored. ``acceptable`` / ``rights_acceptable`` are ambiguous labels: neither
  required nor wrong when predicted in the *lenient* score, false positives in the *strict* one.
  Parents of gold tags count as gold (the tagger emits parents implied by children).
- A right label is a right id or ``{"id", "polarity", "eid"}``, polarity one of
  ``guarantees | restricts | procedure`` and ``eid`` the part or item that engages it (read, not
  scored yet). Rights are scored by id alone and, on records whose labels carry polarity
  (``polarity_labelled``, default: any label has one; then every label must), by id + polarity.
- ``citations``, when present, lists EVERY citation in the text, one entry per target as the
  citation finder gives them (a list "статьями 392 и 394" = two entries, which may share a span):
  the span as written (``start`` needed only when the span occurs twice), the target act id and eid.
  ``act_id`` is the cited act's id whenever the act is known for certain (in the corpus, in
  ``nlp/data/acts.json`` or derivable from its date and number), else null; ``eid`` is the target
  provision, null for a whole act (self-references to the citing act count). A target in a corpus act
  exists in that act's wording in the store; a reference that resolves to none (a provision missing
  from the act, an unidentifiable relative reference) has act and eid null; a provision of an act
  outside the corpus keeps its eid as cited, unchecked (docs/labelling.md). An optional record-level
  ``citation_note`` says why a hard case is labelled as it is.
  A predicted citation matches a gold one when the spans overlap and the targets are equal; an
  unmatched prediction is a false positive, an unmatched gold entry a false negative.

**Recall-only citation gold** (``tests/nlp/gold/citations.jsonl``, one labelled span per record,
other citations of the text unlabelled) is scored by :func:`nlp.citations.evaluate_gold` for recall
only: it cannot say whether a prediction is wrong, so no precision comes from it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.models import Citation
from nlp.resolve import ProvisionIndex
from nlp.taxonomy import load_rights, load_topics

POLARITIES: tuple[str, ...] = ("guarantees", "restricts", "procedure")
NO_POLARITY = "none"  # what a predicted right without a polarity scores as


class GoldError(ValueError):
    """A gold file or record is malformed (the message names the file and line)."""


# --- gold records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RightLabel:
    id: str
    polarity: str | None = None
    eid: str | None = None

    @property
    def pair(self) -> str:
        return f"{self.id}:{self.polarity or NO_POLARITY}"


@dataclass(frozen=True)
class CitationLabel:
    """One gold citation target: the span ``[start, end)`` of the text, the target act and eid."""

    start: int
    end: int
    act_id: str | None
    eid: str | None


@dataclass
class GoldProvision:
    id: str
    text: str
    where: str  # "file:line", for messages
    heading: str | None = None
    ancestors: list[str] | None = None  # given by sampled records; dev records carry a heading only
    kind: str | None = None
    tags: list[str] | None = None  # None = not labelled yet
    acceptable: list[str] = field(default_factory=list)
    rights: list[RightLabel] = field(default_factory=list)
    rights_acceptable: list[RightLabel] = field(default_factory=list)
    polarity_labelled: bool = False
    citations: list[CitationLabel] | None = None  # None = citations not labelled (not "none in it")
    round: str | None = None  # the dev file's labelling round ("split" field)
    valid_from: dt.date | None = None  # the citing version's date, when the record gives it

    @property
    def labelled(self) -> bool:
        return self.tags is not None

    @property
    def act_id(self) -> str | None:
        return self.id.split("/", 1)[0] if "/" in self.id else None

    @property
    def eid(self) -> str | None:
        return self.id.split("/", 1)[1] if "/" in self.id else None


def _str_list(rec: dict[str, Any], key: str, where: str) -> list[str]:
    value = rec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GoldError(f"{where}: {key!r} must be a list of strings")
    return value


def _right_labels(rec: dict[str, Any], key: str, where: str) -> list[RightLabel]:
    value = rec.get(key, [])
    if not isinstance(value, list):
        raise GoldError(f"{where}: {key!r} must be a list")
    out: list[RightLabel] = []
    for item in value:
        if isinstance(item, str):
            label = RightLabel(item)
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            extra = set(item) - {"id", "polarity", "eid"}
            if extra:
                raise GoldError(f"{where}: {key!r} label {item['id']!r} has unknown keys {sorted(extra)}")
            polarity, eid = item.get("polarity"), item.get("eid")
            if polarity is not None and polarity not in POLARITIES:
                raise GoldError(f"{where}: {key!r} label {item['id']!r}: polarity must be one of {POLARITIES}")
            if eid is not None and not isinstance(eid, str):
                raise GoldError(f"{where}: {key!r} label {item['id']!r}: eid must be a string")
            label = RightLabel(item["id"], polarity, eid)
        else:
            raise GoldError(f"{where}: {key!r} items must be right ids or {{'id', 'polarity', 'eid'}} objects")
        if label.id not in load_rights().rights:
            raise GoldError(f"{where}: unknown right {label.id!r} in {key!r}")
        out.append(label)
    return out


def _citation_labels(rec: dict[str, Any], text: str, where: str) -> list[CitationLabel] | None:
    if "citations" not in rec:
        return None
    value = rec["citations"]
    if not isinstance(value, list):
        raise GoldError(f"{where}: 'citations' must be a list (empty when the text cites nothing)")
    out: list[CitationLabel] = []
    for i, c in enumerate(value):
        at = f"{where}: citations[{i}]"
        if not isinstance(c, dict) or not isinstance(c.get("span"), str) or not c["span"]:
            raise GoldError(f"{at}: needs a non-empty 'span'")
        extra = set(c) - {"span", "start", "act_id", "eid"}
        if extra:
            raise GoldError(f"{at}: unknown keys {sorted(extra)}")
        span, start = c["span"], c.get("start")
        for key in ("act_id", "eid"):
            if key not in c:
                raise GoldError(f"{at}: needs {key!r} (null when unresolved)")
            if c[key] is not None and not isinstance(c[key], str):
                raise GoldError(f"{at}: {key!r} must be a string or null")
        if c["eid"] is not None and c["act_id"] is None:
            raise GoldError(f"{at}: an eid needs its act_id")
        if start is None:
            start = text.find(span)
            if start < 0:
                raise GoldError(f"{at}: span {span!r} is not in the text")
            if text.find(span, start + 1) >= 0:
                raise GoldError(f"{at}: span {span!r} occurs more than once; give its 'start'")
        elif not isinstance(start, int) or text[start : start + len(span)] != span:
            raise GoldError(f"{at}: the text at start={start!r} is not {span!r}")
        out.append(CitationLabel(start, start + len(span), c["act_id"], c["eid"]))
    return out


def parse_gold_record(rec: Any, where: str) -> GoldProvision:
    """One provision gold record (see the module docstring), validated."""
    if not isinstance(rec, dict):
        raise GoldError(f"{where}: a gold record must be a JSON object")
    for key in ("id", "text"):
        if not isinstance(rec.get(key), str) or not rec[key].strip():
            raise GoldError(f"{where}: record lacks a non-empty {key!r}")
    heading = rec.get("heading")
    if heading is not None and not isinstance(heading, str):
        raise GoldError(f"{where}: 'heading' must be a string or null")
    ancestors = _str_list(rec, "ancestors", where) if "ancestors" in rec else None
    g = GoldProvision(id=rec["id"], text=rec["text"], where=where, heading=heading, ancestors=ancestors,
                      kind=rec.get("kind"), round=rec.get("split"))  # fmt: skip
    if rec.get("valid_from") is not None:
        try:
            g.valid_from = dt.date.fromisoformat(rec["valid_from"])
        except (TypeError, ValueError) as e:
            raise GoldError(f"{where}: 'valid_from' must be an ISO date, got {rec['valid_from']!r}") from e
    g.citations = _citation_labels(rec, g.text, where)
    if "tags" not in rec:
        for key in ("acceptable", "rights", "rights_acceptable"):
            if rec.get(key):
                raise GoldError(f"{where}: {key!r} given without 'tags' (an unlabelled record has no labels)")
        return g
    g.tags = _str_list(rec, "tags", where)
    g.acceptable = _str_list(rec, "acceptable", where)
    for tag in g.tags + g.acceptable:
        if tag not in load_topics().tags:
            raise GoldError(f"{where}: unknown topic tag {tag!r}")
    if set(g.tags) & set(g.acceptable):
        raise GoldError(f"{where}: a tag is both required and acceptable: {sorted(set(g.tags) & set(g.acceptable))}")
    g.rights = _right_labels(rec, "rights", where)
    g.rights_acceptable = _right_labels(rec, "rights_acceptable", where)
    labels = g.rights + g.rights_acceptable
    flag = rec.get("polarity_labelled")
    if flag is not None and not isinstance(flag, bool):
        raise GoldError(f"{where}: 'polarity_labelled' must be true or false")
    g.polarity_labelled = flag if flag is not None else any(r.polarity for r in labels)
    if g.polarity_labelled and not all(r.polarity for r in labels):
        raise GoldError(f"{where}: polarity-labelled record has a right without polarity")
    both = {r.pair for r in g.rights} & {r.pair for r in g.rights_acceptable}
    if both:
        raise GoldError(f"{where}: a right is both required and acceptable: {sorted(both)}")
    return g


def read_jsonl(path: str | Path) -> list[tuple[str, Any]]:
    """``(where, record)`` per non-empty line; a line that is not JSON is an error naming it."""
    out: list[tuple[str, Any]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as e:
        raise GoldError(f"{path}: no such gold file") from e
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                out.append((f"{path}:{n}", json.loads(line)))
            except json.JSONDecodeError as e:
                raise GoldError(f"{path}:{n}: not JSON ({e})") from e
    return out


def read_gold(paths: str | Path | Iterable[str | Path]) -> list[GoldProvision]:
    """The provision gold records of one or more files; ids must be unique across them."""
    files = [paths] if isinstance(paths, str | Path) else list(paths)
    records = [parse_gold_record(rec, where) for p in files for where, rec in read_jsonl(p)]
    seen: dict[str, str] = {}
    for g in records:
        if g.id in seen:
            raise GoldError(f"{g.where}: duplicate id {g.id!r} (also {seen[g.id]})")
        seen[g.id] = g.where
    return records


# --- scores -----------------------------------------------------------------------------------------


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty denominator counts as 1.0 (nothing predicted, nothing missed)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Scores:
    """TP/FP/FN counts per label, and the errors for inspection."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (record id, "FP"/"FN", label)

    def add(
        self, rid: str, predicted: AbstractSet[str], required: AbstractSet[str], ignored: AbstractSet[str] = frozenset()
    ) -> None:
        """Count one record: predicted ∩ required are TPs, predicted − required − ``ignored`` FPs,
        required − predicted FNs."""
        for label in predicted & required:
            self.tp[label] += 1
        for label in sorted(predicted - required - ignored):
            self.fp[label] += 1
            self.errors.append((rid, "FP", label))
        for label in sorted(required - predicted):
            self.fn[label] += 1
            self.errors.append((rid, "FN", label))

    def totals(self) -> tuple[int, int, int]:
        return sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())

    def micro(self) -> tuple[float, float, float]:
        return prf(*self.totals())

    def per_label(self) -> dict[str, tuple[float, float, float, int]]:
        """``label → (P, R, F1, gold count)``."""
        labels = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        return {lb: (*prf(self.tp[lb], self.fp[lb], self.fn[lb]), self.tp[lb] + self.fn[lb]) for lb in labels}

    def grouped(self, key: Callable[[str], str]) -> Scores:
        """The same counts summed by ``key(label)`` (e.g. per polarity of "right:polarity" labels)."""
        out = Scores()
        for src, dst in ((self.tp, out.tp), (self.fp, out.fp), (self.fn, out.fn)):
            for label, n in src.items():
                dst[key(label)] += n
        return out


@dataclass
class StrictLenient:
    """The strict score (an acceptable label predicted is a false positive) and the lenient one (it is
    neither right nor wrong). They differ only in false positives."""

    strict: Scores = field(default_factory=Scores)
    lenient: Scores = field(default_factory=Scores)

    def add(
        self, rid: str, predicted: AbstractSet[str], required: AbstractSet[str], acceptable: AbstractSet[str]
    ) -> None:
        self.strict.add(rid, predicted, required)
        self.lenient.add(rid, predicted, required, acceptable)

    def mode(self, name: str) -> Scores:
        return self.strict if name == "strict" else self.lenient


@dataclass
class CitationScores:
    """Citations on completely labelled texts: spans found (overlap, one to one) and targets (span
    overlap + the same act and eid); both with precision."""

    spans: Scores = field(default_factory=Scores)
    targets: Scores = field(default_factory=Scores)
    texts: int = 0

    def add(self, rid: str, predicted: Sequence[CitationLabel], gold: Sequence[CitationLabel]) -> None:
        self.texts += 1
        pred_spans = sorted({(c.start, c.end) for c in predicted})
        gold_spans = sorted({(c.start, c.end) for c in gold})
        tp, fp, fn = _match(pred_spans, gold_spans, _overlap)
        self._count(self.spans, rid, "span", tp, fp, fn)
        units_p = list(dict.fromkeys(predicted))
        units_g = list(gold)
        tp, fp, fn = _match(units_p, units_g, _same_target)
        self._count(self.targets, rid, "citation", tp, fp, fn)

    @staticmethod
    def _count(scores: Scores, rid: str, label: str, tp: int, fp: list[Any], fn: list[Any]) -> None:
        scores.tp[label] += tp
        scores.fp[label] += len(fp)
        scores.fn[label] += len(fn)
        scores.errors += [(rid, "FP", _describe(x)) for x in fp] + [(rid, "FN", _describe(x)) for x in fn]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _same_target(p: CitationLabel, g: CitationLabel) -> bool:
    return _overlap((p.start, p.end), (g.start, g.end)) and (p.act_id, p.eid) == (g.act_id, g.eid)


def _match(
    predicted: Sequence[Any], gold: Sequence[Any], ok: Callable[[Any, Any], bool]
) -> tuple[int, list[Any], list[Any]]:
    """Greedy one-to-one matching in text order: ``(TP, unmatched predicted, unmatched gold)``."""
    free = list(predicted)
    missed: list[Any] = []
    tp = 0
    for g in gold:
        hit = next((i for i, p in enumerate(free) if ok(p, g)), None)
        if hit is None:
            missed.append(g)
        else:
            free.pop(hit)
            tp += 1
    return tp, free, missed


def _describe(x: Any) -> str:
    if isinstance(x, CitationLabel):
        return f"[{x.start}:{x.end}]→{x.act_id or '∅'}/{x.eid or ''}"
    return f"[{x[0]}:{x[1]}]"


@dataclass
class RecallOnly:
    """A recall-only citation set (one labelled span per record): no precision can come from it."""

    path: str
    total: int
    found: int
    correct: int
    misses: list[dict[str, Any]]

    @property
    def span_recall(self) -> float:
        return self.found / self.total if self.total else 1.0

    @property
    def target_recall(self) -> float:
        return self.correct / self.total if self.total else 1.0


# --- running the annotator --------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    tags: frozenset[str]
    rights: frozenset[str]
    right_pairs: frozenset[str]  # "right:polarity" ("right:none" when the linker gives no polarity)
    citations: tuple[CitationLabel, ...]


def predict(g: GoldProvision, index: ProvisionIndex | None = None) -> Prediction:
    """What the production annotator says about a gold record, read the way the corpus is annotated
    (a part or item with no heading reads its article's heading from its ancestors). With ``index`` (a
    built store) citations are resolved against the corpus as ``annotate_store`` does, from the record's
    ``valid_from`` on (the gold's convention: a target eid only where it exists in the store); without,
    from the text alone."""
    from nlp.annotate import annotate
    from nlp.resolve import resolve_in_corpus

    heading, ancestors = g.heading, list(g.ancestors or ())
    if not heading and ancestors and g.kind in ("part", "item"):
        heading, ancestors = ancestors[-1], ancestors[:-1]
    ann = annotate(g.text, act_id=g.act_id, eid=g.eid, heading=heading, ancestors=ancestors)
    pairs = frozenset(f"{r.id}:{getattr(r, 'polarity', None) or NO_POLARITY}" for r in ann.rights)
    found = ann.citations if index is None else resolve_in_corpus(ann.citations, index, start=g.valid_from)
    cits = tuple(CitationLabel(c.start, c.end, *citation_target(c)) for c in found)
    return Prediction(frozenset(t.id for t in ann.tags), frozenset(r.id for r in ann.rights), pairs, cits)


def citation_target(c: Citation) -> tuple[str | None, str | None]:
    """A citation as the gold labels it (docs/labelling.md): a resolved target as it is; an act outside the
    corpus with its eid as cited; anything else unresolved (a provision missing from the act, an act not
    identified, an anaphor without antecedent) as act and eid null."""
    from nlp.resolve import NOT_IN_CORPUS

    if c.resolved or c.unresolved_reason == NOT_IN_CORPUS:
        return c.target_act_id, c.target_eid
    return None, None


def with_parents(labels: Iterable[str]) -> set[str]:
    """Gold tags with the parents they imply (the tagger emits them too)."""
    return set(load_topics().with_ancestors(list(labels)))


# --- splits -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """A named gold split: provision files and recall-only citation files."""

    name: str
    provisions: tuple[Path, ...]
    citation_spans: tuple[Path, ...] = ()


def default_splits(gold_dir: str | Path) -> dict[str, Split]:
    """``dev``: ``provisions.jsonl``, ``citations_full.jsonl`` (every citation labelled) and the
    recall-only ``citations.jsonl``; ``blind``: every ``blind/*.jsonl``."""
    d = Path(gold_dir)
    dev = Split("dev", (d / "provisions.jsonl", d / "citations_full.jsonl"), (d / "citations.jsonl",))
    blind = Split("blind", tuple(sorted((d / "blind").glob("*.jsonl"))))
    return {"dev": dev, "blind": blind}


@dataclass
class SplitResult:
    name: str
    records: int = 0
    labelled: int = 0
    polarity_records: int = 0
    tags: StrictLenient = field(default_factory=StrictLenient)
    rights: StrictLenient = field(default_factory=StrictLenient)
    rights_polarity: StrictLenient = field(default_factory=StrictLenient)
    citations: CitationScores = field(default_factory=CitationScores)
    recall_only: list[RecallOnly] = field(default_factory=list)

    def polarity_breakdown(self, mode: str) -> Scores:
        """Right+polarity counts summed per polarity (guarantees, restricts, procedure, none)."""
        return self.rights_polarity.mode(mode).grouped(lambda label: label.rsplit(":", 1)[1])


def score_record(result: SplitResult, g: GoldProvision, pred: Prediction) -> None:
    """Add one gold record and its prediction to ``result``."""
    result.records += 1
    if g.labelled:
        result.labelled += 1
        result.tags.add(g.id, pred.tags, with_parents(g.tags or ()), with_parents(g.acceptable))
        result.rights.add(g.id, pred.rights, {r.id for r in g.rights}, {r.id for r in g.rights_acceptable})
        if g.polarity_labelled:
            result.polarity_records += 1
            gold_pairs = {r.pair for r in g.rights}
            result.rights_polarity.add(g.id, pred.right_pairs, gold_pairs, {r.pair for r in g.rights_acceptable})
    if g.citations is not None:
        result.citations.add(g.id, pred.citations, g.citations)


def evaluate_split(split: Split, predictor: Callable[[GoldProvision], Prediction] = predict) -> SplitResult:
    """Score every record of a split (unlabelled records are counted, not scored)."""
    result = SplitResult(split.name)
    for g in read_gold(split.provisions):
        if g.labelled or g.citations is not None:
            score_record(result, g, predictor(g))
        else:
            result.records += 1
    for path in split.citation_spans:
        from nlp.citations import evaluate_gold

        try:
            res = evaluate_gold(path)
        except FileNotFoundError as e:
            raise GoldError(f"{path}: no such gold file") from e
        result.recall_only.append(RecallOnly(str(path), res["total"], res["found"], res["correct"], res["misses"]))
    return result
