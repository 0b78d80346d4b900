"""Try ranking weights on the DEV half of the relevance queries (never the test half).

    python benchmarks/tune_ranking.py --home /tmp/mlx                          # the current weights
    python benchmarks/tune_ranking.py --home /tmp/mlx heading=1,2,3 tie=0.1,0.3  # a grid

Every weight of ``search_api.ranking.Weights`` is read at query time, so the embedded index of the
home is searched as built; each combination of the given values replaces ``ranking.WEIGHTS`` and the
dev half is scored as ``benchmarks/relevance.py`` scores it (success@10, MRR, nDCG@10 by article).
The test half is not loaded: this script cannot tune on it. Prints figures; changes nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import relevance  # noqa: E402

from search_api import ranking  # noqa: E402
from search_api.backends import make_backend  # noqa: E402


def _grid(specs: list[str]) -> list[dict[str, Any]]:
    fields = {f.name: f.type for f in dataclasses.fields(ranking.Weights)}
    axes: list[list[tuple[str, Any]]] = []
    for spec in specs:
        name, _, values = spec.partition("=")
        if name not in fields or not values:
            raise SystemExit(f"error: {spec!r}: expected NAME=V1,V2 with NAME one of {', '.join(fields)}")
        cast = int if fields[name] in (int, "int") else float
        axes.append([(name, cast(v)) for v in values.split(",")])
    return [dict(combo) for combo in itertools.product(*axes)] if axes else [{}]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="a built migralex home (its embedded index)")
    ap.add_argument("grid", nargs="*", help="NAME=V1,V2 … (weights of search_api.ranking.Weights)")
    args = ap.parse_args(argv)
    queries = relevance.load_queries(relevance.QUERY_DIR / "dev.jsonl")  # the dev half only
    backend = make_backend("embedded", index_dir=args.home / "index")
    base = ranking.WEIGHTS
    print(f"dev half: {len(queries)} queries; base weights {base}")
    try:
        for combo in _grid(args.grid):
            ranking.WEIGHTS = dataclasses.replace(base, **combo)
            run = relevance.run_system("MigraLex", relevance.migralex_ranker(backend, 100), queries)
            m = relevance.score(run, queries, 100).means()
            label = " ".join(f"{k}={v}" for k, v in combo.items()) or "(current)"
            print(f"{label:<60} s@10 {m['success@10']:.3f}  MRR {m['mrr']:.3f}  nDCG@10 {m['ndcg@10']:.3f}")
    finally:
        ranking.WEIGHTS = base
        backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
