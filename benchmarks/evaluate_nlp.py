"""Evaluate topic tags, rights links and citations on the gold splits, strict and lenient, dev beside blind.

    python benchmarks/evaluate_nlp.py [--split dev --split blind] [--gold-dir tests/nlp/gold] [--errors] [--json]

Splits (see nlp/evaluation.py for the gold formats):
- ``dev``: tests/nlp/gold/provisions.jsonl (tags, rights with polarity; the rules were written and
  tuned against it), tests/nlp/gold/citations_full.jsonl (every citation of 157 texts labelled:
  citation precision and recall) and the recall-only citation set tests/nlp/gold/citations.jsonl;
- ``blind``: tests/nlp/gold/blind/*.jsonl, a frozen random sample (benchmarks/sample_blind.py),
  labelled by hand and never tuned on. Unlabelled records are counted, not scored.

Scores: micro precision / recall / F1 and per label. *Strict*: an "acceptable" label predicted is a
false positive. *Lenient*: it is neither right nor wrong. Rights are scored by id, and by id +
polarity on records labelled with polarity. Citations on completely labelled texts are scored for
precision and recall; the recall-only set gives recall only.

Citation targets are resolved as ``migralex annotate`` resolves them, against a built store (``--store``;
default: the store of ``$MIGRALEX_HOME`` when there is one), so a target eid counts only where it exists in
the cited act's wording (the gold's convention); ``--no-store`` resolves from the text alone.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere: the worktree's code, not an installed copy

from corpus.store import Store  # noqa: E402
from migralex.paths import default_home  # noqa: E402
from nlp.evaluation import (  # noqa: E402
    GoldError,
    Scores,
    SplitResult,
    default_splits,
    evaluate_split,
    predict,
    prf,
)

GOLD_DIR = ROOT / "tests" / "nlp" / "gold"
MODES = ("strict", "lenient")


def _fmt(p: float, r: float, f: float) -> str:
    return f"{p:.3f} {r:.3f} {f:.3f}"


def _cell(scores: Scores | None) -> str:
    if scores is None:
        return "—"
    return _fmt(*scores.micro())


def summary(res: SplitResult) -> dict[str, Any]:
    """The split's micro figures as plain data (for --json and for the closing notes)."""

    def micro(s: Scores) -> dict[str, Any]:
        tp, fp, fn = s.totals()
        p, r, f = prf(tp, fp, fn)
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}

    out: dict[str, Any] = {"records": res.records, "labelled": res.labelled, "polarity_records": res.polarity_records}
    if res.labelled:
        out["tags"] = {m: micro(res.tags.mode(m)) for m in MODES}
        out["rights"] = {m: micro(res.rights.mode(m)) for m in MODES}
    if res.polarity_records:
        out["rights_polarity"] = {m: micro(res.rights_polarity.mode(m)) for m in MODES}
        out["rights_per_polarity"] = {
            m: {pol: micro(s) for pol, s in _split_labels(res.polarity_breakdown(m)).items()} for m in MODES
        }
    if res.citations.texts:
        out["citations"] = {
            "texts": res.citations.texts,
            "targets": micro(res.citations.targets),
            "spans": micro(res.citations.spans),
        }
    out["citations_recall_only"] = [
        {"file": r.path, "total": r.total, "found": r.found, "correct": r.correct,
         "span_recall": round(r.span_recall, 4), "target_recall": round(r.target_recall, 4)}
        for r in res.recall_only
    ]  # fmt: skip
    return out


def _split_labels(s: Scores) -> dict[str, Scores]:
    """One Scores per label (so each can be shown as a micro figure)."""
    out: dict[str, Scores] = {}
    for label in sorted(set(s.tp) | set(s.fp) | set(s.fn)):
        one = Scores()
        one.tp[label], one.fp[label], one.fn[label] = s.tp[label], s.fp[label], s.fn[label]
        out[label] = one
    return out


def print_summary(results: dict[str, SplitResult]) -> None:
    names = list(results)
    head = f"{'micro P R F1':30}" + "".join(f"{n + ' ' + m:>21}" for n in names for m in MODES)
    print(head)
    print("-" * len(head))

    def row(title: str, get: Any) -> None:
        cells = []
        for n in names:
            for m in MODES:
                cells.append(f"{_cell(get(results[n], m)):>21}")
        print(f"{title:30}" + "".join(cells))

    row("topic tags", lambda r, m: r.tags.mode(m) if r.labelled else None)
    row("rights (id)", lambda r, m: r.rights.mode(m) if r.labelled else None)
    row("rights (id + polarity)", lambda r, m: r.rights_polarity.mode(m) if r.polarity_records else None)
    for pol in (
        ("guarantees", "restricts", "procedure", "none") if any(r.polarity_records for r in results.values()) else ()
    ):
        row(f"  polarity {pol}", lambda r, m, pol=pol: _split_labels(r.polarity_breakdown(m)).get(pol)
            if r.polarity_records else None)  # fmt: skip
    # citations have no acceptable labels: strict = lenient
    row("citations: targets", lambda r, m: r.citations.targets if r.citations.texts else None)
    row("citations: spans", lambda r, m: r.citations.spans if r.citations.texts else None)
    print()
    for n, r in results.items():
        print(f"{n}: {r.records} records, {r.labelled} labelled for tags and rights, {r.polarity_records} with "
              f"polarity, {r.citations.texts} with every citation labelled")  # fmt: skip
        for ro in r.recall_only:
            print(f"{n}: recall-only citation set {Path(ro.path).name} ({ro.total} labelled spans, the texts' other "
                  f"citations unlabelled, so no precision): span recall {ro.found}/{ro.total} = {ro.span_recall:.3f}, "
                  f"target recall {ro.correct}/{ro.total} = {ro.target_recall:.3f}")  # fmt: skip


def print_per_label(name: str, title: str, both: Any) -> None:
    strict, lenient = both.strict, both.lenient
    labels = sorted(set(strict.tp) | set(strict.fp) | set(strict.fn) | set(lenient.fp))
    if not labels:
        return
    print(f"\n== {name}: {title}")
    print(f"{'label':28} {'strict P     R     F1':>21} {'lenient P     R     F1':>23} {'gold':>5} {'acc.pred':>8}")
    for lb in labels:
        s = prf(strict.tp[lb], strict.fp[lb], strict.fn[lb])
        le = prf(lenient.tp[lb], lenient.fp[lb], lenient.fn[lb])
        gold = strict.tp[lb] + strict.fn[lb]
        print(f"{lb:28} {_fmt(*s):>21} {_fmt(*le):>23} {gold:5d} {strict.fp[lb] - lenient.fp[lb]:8d}")
    (tp, fps, fn), fpl = strict.totals(), lenient.totals()[1]
    print(f"{'micro':28} {_fmt(*strict.micro()):>21} {_fmt(*lenient.micro()):>23} {tp + fn:5d} {fps - fpl:8d}"
          f"   (TP {tp}, FP strict {fps} / lenient {fpl}, FN {fn})")  # fmt: skip


def print_errors(name: str, title: str, both: Any) -> None:
    lenient_fp = {(rid, lb) for rid, kind, lb in both.lenient.errors if kind == "FP"}
    for rid, kind, label in both.strict.errors:
        mark = kind if kind == "FN" or (rid, label) in lenient_fp else "FP(acceptable)"
        print(f"{name} {title} {mark:15} {label:28} {rid}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--gold-dir", type=Path, default=GOLD_DIR, help="folder with provisions.jsonl, blind/")
    ap.add_argument("--split", action="append", choices=("dev", "blind"), help="splits to score (default: both)")
    ap.add_argument("--errors", action="store_true", help="list every error (strict; acceptable FPs marked)")
    ap.add_argument("--json", action="store_true", help="print the micro figures as JSON")
    ap.add_argument("--store", type=Path, default=None,
                    help="a built corpus store to resolve citations against (default: $MIGRALEX_HOME's)")
    ap.add_argument("--no-store", action="store_true", help="resolve citations from the text alone")
    args = ap.parse_args(argv)
    splits = default_splits(args.gold_dir)
    store_path = None if args.no_store else (args.store or default_home() / "corpus.sqlite")
    if args.store is not None and not args.store.is_file():
        print(f"error: --store {args.store}: no such store (run `migralex build` first)", file=sys.stderr)
        return 1
    store = Store(store_path) if store_path is not None and store_path.is_file() else None
    print(f"citations resolved against the store {store_path}" if store is not None
          else "citations resolved from the text alone (no store)", file=sys.stderr)  # fmt: skip
    try:
        results = {n: evaluate_split(splits[n], functools.partial(predict, index=store))
                   for n in (args.split or ["dev", "blind"])}  # fmt: skip
    except GoldError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        if store is not None:
            store.close()
    if args.json:
        print(json.dumps({n: summary(r) for n, r in results.items()}, ensure_ascii=False, indent=2))
        return 0
    for n in results:
        files = ", ".join(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in splits[n].provisions)
        print(f"{n}: {files or '(no files)'}")
    print()
    print_summary(results)
    for n, r in results.items():
        if r.labelled:
            print_per_label(n, "TOPIC TAGS", r.tags)
            print_per_label(n, "RIGHTS (id)", r.rights)
        if r.polarity_records:
            print_per_label(n, "RIGHTS (id + polarity)", r.rights_polarity)
        if r.citations.texts:
            t, s = r.citations.targets.totals(), r.citations.spans.totals()
            print(f"\n== {n}: CITATIONS on {r.citations.texts} completely labelled texts")
            print(f"targets: P R F1 {_fmt(*prf(*t))} (TP {t[0]}, FP {t[1]}, FN {t[2]})")
            print(f"spans:   P R F1 {_fmt(*prf(*s))} (TP {s[0]}, FP {s[1]}, FN {s[2]})")
    if args.errors:
        print()
        for n, r in results.items():
            print_errors(n, "tags", r.tags)
            print_errors(n, "rights", r.rights)
            print_errors(n, "rights+polarity", r.rights_polarity)
            for rid, kind, what in r.citations.targets.errors:
                print(f"{n} citations {kind:15} {what:28} {rid}")
            for ro in r.recall_only:
                for miss in ro.misses:
                    print(f"{n} citations(recall-only) miss {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
