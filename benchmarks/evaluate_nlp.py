"""Evaluate topic tags, rights links and citations against the hand-labelled gold set.

    python benchmarks/evaluate_nlp.py [--gold tests/nlp/gold/provisions.jsonl] [--errors]

Gold records (tests/nlp/gold/provisions.jsonl): ``{"id", "text", "heading", "tags", "acceptable",
"rights", "rights_acceptable", "split"}``; split "dev" = labelled first, the rules were written
against it; "heldout", "heldout2", "heldout3" = later rounds, labelled by reading the texts before
running the tagger on them. Scoring per label: a predicted label in ``tags`` is a true positive, one in ``acceptable``
(ambiguous) is neither TP nor FP, any other is a false positive;
a required label not predicted is a false negative. Parents of gold tags count as gold (the
tagger emits parents implied by children). Prints precision, recall and F1 per label and micro
overall; citation accuracy comes from ``nlp.citations.evaluate_gold`` when that module exists.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.lemmatize import analyze
from nlp.rights import link_rights
from nlp.tagger import tag_provision
from nlp.taxonomy import load_topics

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "nlp" / "gold" / "provisions.jsonl"
CITATIONS_GOLD = ROOT / "tests" / "nlp" / "gold" / "citations.jsonl"


@dataclass
class Scores:
    """TP/FP/FN counts per label, and the errors for inspection."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (record id, "FP"/"FN", label)

    def add(self, rid: str, predicted: set[str], required: set[str], acceptable: set[str]) -> None:
        for label in predicted & required:
            self.tp[label] += 1
        for label in predicted - required - acceptable:
            self.fp[label] += 1
            self.errors.append((rid, "FP", label))
        for label in required - predicted:
            self.fn[label] += 1
            self.errors.append((rid, "FN", label))

    @staticmethod
    def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def per_label(self) -> dict[str, tuple[float, float, float, int]]:
        labels = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        return {lb: (*self.prf(self.tp[lb], self.fp[lb], self.fn[lb]), self.tp[lb] + self.fn[lb]) for lb in labels}

    def micro(self) -> tuple[float, float, float]:
        return self.prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))


def read_gold(path: str | Path = GOLD) -> list[dict[str, Any]]:
    records = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not JSON ({e})") from e
            for key in ("id", "text", "tags"):
                if key not in rec:
                    raise ValueError(f"{path}:{n}: record lacks {key!r}")
            records.append(rec)
    return records


def _with_parents(labels: Iterable[str]) -> set[str]:
    tx = load_topics()
    out = set(labels)
    for label in list(out):
        out.update(tx.ancestors(label))
    return out


def evaluate_splits(path: str | Path = GOLD) -> dict[str, tuple[Scores, Scores]]:
    """Score the tagger (with headings) and the rights linker on the gold set in one pass:
    ``{"all": (tags, rights), "<split>": (tags, rights), …}``. Splits: "dev" (the records the rules
    were written against), "heldout", "heldout2", "heldout3" (labelled afterwards, unseen when labelled)."""
    out: dict[str, tuple[Scores, Scores]] = {"all": (Scores(), Scores())}
    for rec in read_gold(path):
        split = rec.get("split", "dev")
        heading = rec.get("heading")
        tokens = analyze(rec["text"])
        predicted = tag_provision(rec["text"], heading, tokens=tokens)
        links = link_rights(rec["text"], tokens, predicted, context_tokens=analyze(heading) if heading else ())
        tag_sets = ({t.id for t in predicted}, _with_parents(rec["tags"]), _with_parents(rec.get("acceptable", [])))
        right_sets = ({r.id for r in links}, set(rec.get("rights", [])), set(rec.get("rights_acceptable", [])))
        for key in ("all", split):
            tags, rights = out.setdefault(key, (Scores(), Scores()))
            tags.add(rec["id"], *tag_sets)
            rights.add(rec["id"], *right_sets)
    return out


def evaluate(path: str | Path = GOLD, split: str | None = None) -> tuple[Scores, Scores]:
    """Tag and rights scores on the whole gold set or on one split of it."""
    return evaluate_splits(path).get(split or "all", (Scores(), Scores()))


def _print(title: str, scores: Scores) -> None:
    print(f"\n{title}\n{'label':28} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
    for label, (p, r, f, n) in scores.per_label().items():
        print(f"{label:28} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}")
    p, r, f = scores.micro()
    tp, fp, fn = (sum(c.values()) for c in (scores.tp, scores.fp, scores.fn))
    print(f"{'micro':28} {p:6.3f} {r:6.3f} {f:6.3f}   (TP {tp}, FP {fp}, FN {fn})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--errors", action="store_true", help="list every FP/FN")
    args = ap.parse_args(argv)
    records = read_gold(args.gold)
    print(f"gold: {args.gold} ({len(records)} provisions)")
    results = evaluate_splits(args.gold)
    for split in ("dev", "heldout", "heldout2", "heldout3"):
        if split not in results:
            continue
        n = sum(1 for r in records if r.get("split", "dev") == split)
        t, r = results[split]
        print(
            f"\n== split {split} ({n} provisions): tags micro F1 {t.micro()[2]:.3f}, rights micro F1 {r.micro()[2]:.3f}"
        )
    tags, rights = results["all"]
    t0 = time.perf_counter()
    for rec in records:
        tokens = analyze(rec["text"])
        link_rights(rec["text"], tokens, tag_provision(rec["text"], rec.get("heading"), tokens=tokens))
    elapsed = time.perf_counter() - t0
    print(f"\nspeed (warm): {len(records) / elapsed:.0f} provisions/s for lemmas + tags + rights")
    _print("TOPIC TAGS (all)", tags)
    _print("RIGHTS (all)", rights)
    if args.errors:
        for title, sc in (("tags", tags), ("rights", rights)):
            for rid, kind, label in sc.errors:
                print(f"{title} {kind} {label:24} {rid}")
    try:
        from nlp.citations import evaluate_gold
    except ImportError:
        print("\nCITATIONS: nlp.citations.evaluate_gold not available")
    else:
        if CITATIONS_GOLD.exists():
            res = evaluate_gold(str(CITATIONS_GOLD))
            print(f"\nCITATIONS ({CITATIONS_GOLD.name}): {res}")
        else:
            print(f"\nCITATIONS: {CITATIONS_GOLD} not found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
