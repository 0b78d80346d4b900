"""End-to-end build of the bundled corpus: ingest, annotate, index — wall time and peak memory.

    python benchmarks/build_bench.py [--backend embedded|elasticsearch]

Runs ``migralex.build.build`` (what ``migralex build`` runs) into a temporary data folder, in this
process. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
from pathlib import Path

from migralex.build import build
from migralex.paths import Paths


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--backend", default="embedded", choices=["embedded", "elasticsearch"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(Path(tmp))
        report = build(paths, backend=args.backend, es_url=os.environ.get("ES_URL"), index_name="migralex-bench")
        for act_id, title, stats in report.acts:
            print(f"  {act_id} {title[:60]}: {stats.provisions_added} provision versions, "
                  f"{stats.amendments_added} amendments")
        for stage, seconds in report.seconds.items():
            print(f"{stage:<10} {seconds:7.2f} s")
        print(f"annotated {report.annotated} versions ({report.annotated / report.seconds['annotate']:.0f}/s), "
              f"indexed {report.indexed} into {args.backend}")
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
        print(f"total      {report.total_seconds:7.2f} s  peak RSS {peak_rss_mb():.0f} MB, "
              f"data on disk {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
