"""Draw a blind evaluation sample of provisions at random across all acts of a built store.

    python benchmarks/sample_blind.py --seed 20261201 --n 200 --store ~/.local/share/migralex/corpus.sqlite \\
        --out tests/nlp/gold/blind/sample.jsonl

Writes unlabelled JSONL records ``{"id", "act_id", "eid", "kind", "heading", "ancestors", "text",
"valid_from"}`` for labelling by hand (format: nlp/evaluation.py), and a ``.meta.json`` beside them
saying how they were drawn. The tagger is never called: the sample must not depend on what the
rules find.

What is drawn: current wordings (``valid_to`` null, Russian) of articles, parts and items whose
text has at least ``--min-chars`` characters and is not a repeal stub ("исключен Законом …"),
minus every provision of the existing gold (same id, an enclosing or enclosed id, or the same
text), so the blind split shares nothing with dev. Stratified by act: every act gets an equal
share, none more than ``--max-share`` of the sample (raised to an equal share, rounded up, when
there are too few acts for it: 3 acts → a third each), an act with fewer provisions than its
share gives them all, and the rest goes to the others. Within an act, provisions are drawn
uniformly with ``random.Random(seed)``; the output is shuffled, so a labeller does not read an
act's provisions in a row.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the worktree's code, not an installed copy

from corpus.models import Provision  # noqa: E402
from corpus.store import Store, StoreError  # noqa: E402
from legal.eid import Eid, EidError  # noqa: E402

KINDS = ("article", "part", "item")
DEFAULT_EXCLUDE = sorted((ROOT / "tests" / "nlp" / "gold").glob("*.jsonl"))


class SampleError(ValueError):
    """Bad arguments or a store the sample cannot be drawn from (the message says which)."""


@dataclass(frozen=True)
class Exclusions:
    """Provisions already in a gold set: by id (with enclosing/enclosed ids) and by text."""

    eids: dict[str, tuple[Eid, ...]]  # act id → gold eids
    texts: frozenset[str]

    def __contains__(self, p: Provision) -> bool:
        if _norm(p.text) in self.texts:
            return True
        gold = self.eids.get(p.act_id, ())
        if not gold:
            return False
        try:
            eid = Eid.parse(p.eid)
        except EidError:
            return any(str(g) == p.eid for g in gold)
        return any(g.contains(eid) or eid.contains(g) for g in gold)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_exclusions(paths: Iterable[Path]) -> Exclusions:
    """Ids (``id``, or ``source`` of recall-only citation records) and texts of gold records."""
    eids: dict[str, list[Eid]] = {}
    texts: set[str] = set()
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as e:
            raise SampleError(f"{path}: cannot read the gold file to exclude ({e.strerror})") from e
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise SampleError(f"{path}:{n}: not JSON ({e})") from e
            if isinstance(rec.get("text"), str):
                texts.add(_norm(rec["text"]))
            rid = rec.get("id")
            if isinstance(rid, str) and "/" in rid:  # provision gold: the labelled provision itself
                act_id, _, eid = rid.partition("/")
                # an id that is not an eid cannot overlap by structure; its text is excluded all the same
                with contextlib.suppress(EidError):
                    eids.setdefault(act_id, []).append(Eid.parse(eid.partition("@")[0]))
    return Exclusions({a: tuple(e) for a, e in eids.items()}, frozenset(texts))


def eligible(store: Store, min_chars: int, exclude: Exclusions) -> dict[str, list[Provision]]:
    """Current Russian wordings worth labelling, per act, in document order."""
    out: dict[str, list[Provision]] = {}
    for p in store.versions(lang="rus"):
        if p.valid_to is not None or p.kind not in KINDS:
            continue
        text = p.text.strip()
        if len(text) < min_chars or p.repealed or p in exclude:
            continue
        out.setdefault(p.act_id, []).append(p)
    return out


def allocate(available: dict[str, int], n: int, max_share: float) -> dict[str, int]:
    """How many to draw per act: equal shares, at most ``cap`` each, spare shares passed on
    (water-filling). Raises :class:`SampleError` when the acts cannot fill ``n``."""
    acts = sorted(a for a, c in available.items() if c > 0)
    if not acts:
        raise SampleError("the store has no eligible provisions (build it first: migralex build)")
    cap = max(1, math.floor(max_share * n + 1e-9), math.ceil(n / len(acts)))  # too few acts: equal shares
    limit = {a: min(available[a], cap) for a in acts}
    if sum(limit.values()) < n:
        raise SampleError(
            f"only {sum(limit.values())} provisions can be drawn from {len(acts)} acts with at most {cap} per act; "
            f"lower --n or raise --max-share"
        )
    take = dict.fromkeys(acts, 0)
    left = n
    while left:
        # the larger acts first, so a remainder smaller than the number of acts goes to them
        open_acts = sorted((a for a in acts if take[a] < limit[a]), key=lambda a: (-available[a], a))
        share = max(1, left // len(open_acts))
        for a in open_acts:
            k = min(share, limit[a] - take[a], left)
            take[a] += k
            left -= k
            if not left:
                break
    return take


def sample(by_act: dict[str, list[Provision]], n: int, seed: int, max_share: float) -> list[Provision]:
    rng = random.Random(seed)
    take = allocate({a: len(ps) for a, ps in by_act.items()}, n, max_share)
    drawn: list[Provision] = []
    for act_id in sorted(take):
        drawn += rng.sample(by_act[act_id], take[act_id])
    rng.shuffle(drawn)
    return drawn


def record(p: Provision) -> dict[str, Any]:
    return {
        "id": p.id,
        "act_id": p.act_id,
        "eid": p.eid,
        "kind": p.kind,
        "heading": p.heading,
        "ancestors": list(p.ancestors),
        "text": p.text,
        "valid_from": p.valid_from.isoformat() if p.valid_from else None,
    }


def fingerprint(by_act: dict[str, list[Provision]]) -> str:
    """sha256 of the eligible provisions (ids and texts, in order): equal fingerprints and seeds give
    equal samples, whichever build of the store they came from."""
    h = hashlib.sha256()
    for act_id in sorted(by_act):
        for p in by_act[act_id]:
            h.update(f"{p.version_id}\t{p.text}\n".encode())
    return h.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n", type=int, required=True, help="number of provisions to draw")
    ap.add_argument("--store", type=Path, required=True, help="a built corpus.sqlite")
    ap.add_argument("--out", type=Path, help="JSONL file to write (default: stdout); never overwritten")
    ap.add_argument("--max-share", type=float, default=0.2, help="at most this share of the sample per act")
    ap.add_argument("--min-chars", type=int, default=40, help="shortest text drawn")
    ap.add_argument("--exclude", type=Path, action="append",
                    help="gold JSONL whose provisions are not drawn (default: tests/nlp/gold/*.jsonl)")  # fmt: skip
    args = ap.parse_args(argv)
    try:
        if args.n < 1:
            raise SampleError(f"--n must be at least 1, got {args.n}")
        if not 0 < args.max_share <= 1:
            raise SampleError(f"--max-share must be in (0, 1], got {args.max_share}")
        if not args.store.is_file():
            raise SampleError(f"{args.store}: no such store file (build one: migralex build)")
        if args.out is not None and args.out.exists():
            raise SampleError(f"{args.out}: exists; a blind sample is frozen once drawn (remove it to redraw)")
        excluded_files = args.exclude if args.exclude is not None else DEFAULT_EXCLUDE
        exclude = read_exclusions(excluded_files)
        with Store(args.store) as store:
            by_act = eligible(store, args.min_chars, exclude)
        drawn = sample(by_act, args.n, args.seed, args.max_share)
    except (SampleError, StoreError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    lines = "".join(json.dumps(record(p), ensure_ascii=False) + "\n" for p in drawn)
    per_act = {a: sum(1 for p in drawn if p.act_id == a) for a in sorted(by_act)}
    if args.out is None:
        sys.stdout.write(lines)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(lines, encoding="utf-8")
        meta = {
            "drawn": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": "python benchmarks/sample_blind.py " + " ".join(sys.argv[1:] if argv is None else argv),
            "seed": args.seed,
            "n": args.n,
            "max_share": args.max_share,
            "min_chars": args.min_chars,
            "eligible_sha256": fingerprint(by_act),
            "excluded_gold": [str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in excluded_files],
            "eligible_per_act": {a: len(ps) for a, ps in sorted(by_act.items())},
            "drawn_per_act": per_act,
            "kinds": {k: sum(1 for p in drawn if p.kind == k) for k in KINDS},
        }
        meta_path = args.out.with_suffix(".meta.json")
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"drew {len(drawn)} provisions: " + ", ".join(f"{a} {k}" for a, k in per_act.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
