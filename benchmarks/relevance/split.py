"""The seeded dev/test split of the relevance queries, stratified by kind (see README.md here).

    python benchmarks/relevance/split.py ALL.jsonl          # write dev.jsonl and test.jsonl beside this file
    python benchmarks/relevance/split.py --check            # the files here are exactly the seeded split

Method: the records of each kind, sorted by id, are shuffled with ``random.Random(SEED)`` (one
generator, kinds taken in sorted order); the first half goes to dev, the rest to test. A kind with
an odd count gives its extra query to dev and to test in turn (dev first), so the halves stay 50/50.
The split depends only on the ids and kinds, never on the judgments or on any system's results.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

SEED = 1729
HERE = Path(__file__).resolve().parent
DEV = HERE / "dev.jsonl"
TEST = HERE / "test.jsonl"


def split(records: list[dict[str, Any]], seed: int = SEED) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(dev, test) for ``records``, each half in id order."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        by_kind[rec["kind"]].append(rec)
    rng = random.Random(seed)
    dev: list[dict[str, Any]] = []
    test: list[dict[str, Any]] = []
    extra_to_dev = True
    for kind in sorted(by_kind):
        group = sorted(by_kind[kind], key=lambda r: r["id"])
        rng.shuffle(group)
        half = len(group) // 2
        if len(group) % 2:
            half += 1 if extra_to_dev else 0
            extra_to_dev = not extra_to_dev
        dev.extend(group[:half])
        test.extend(group[half:])
    return sorted(dev, key=lambda r: r["id"]), sorted(test, key=lambda r: r["id"])


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", nargs="?", type=Path, help="JSONL with all the queries to split")
    ap.add_argument("--check", action="store_true", help="verify dev.jsonl/test.jsonl are the seeded split")
    args = ap.parse_args(argv)
    if args.check:
        dev, test = read_jsonl(DEV), read_jsonl(TEST)
        if split(dev + test) != (sorted(dev, key=lambda r: r["id"]), sorted(test, key=lambda r: r["id"])):
            print("dev.jsonl/test.jsonl are NOT the seeded split", file=sys.stderr)
            return 1
        print(f"ok: {len(dev)} dev + {len(test)} test queries are the seeded split (seed {SEED})")
        return 0
    if args.source is None:
        ap.error("give the JSONL to split, or --check")
    dev, test = split(read_jsonl(args.source))
    write_jsonl(DEV, dev)
    write_jsonl(TEST, test)
    print(f"dev {len(dev)}, test {len(test)} (seed {SEED})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
