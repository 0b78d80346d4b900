"""End-to-end build of the bundled corpus: ingest, annotate, index — wall time and peak memory.

    python benchmarks/build_bench.py [--backend embedded|elasticsearch]

Runs ``migralex.build.build`` (what ``migralex build`` runs) into a temporary data folder, in this
process. Prints figures; asserts nothing. Wall times depend on what else the machine runs: the CPU
seconds of this process are printed beside them. Then, per act, what the build holds in time: redactions
per language, provision versions, and the share of versions whose start is an exact in-force date (the
others start on the earliest possible date: a delay after an unknown publication date, or the adoption).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the worktree's code, not an installed copy

from migralex.build import build
from migralex.paths import Paths


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_seconds() -> float:
    """This process and its annotation workers."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def worker_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest annotation worker


def print_time_table(store_path: Path) -> None:
    """Per act: redactions (rus/kaz), versions (rus + kaz), exact starts, versions after an unknown span."""
    from corpus.store import Store

    print("\nact          redactions rus/kaz  versions rus+kaz  exact starts  approximate  with an unknown span before")
    total = [0, 0, 0, 0]
    with Store(store_path) as store:
        for act in store.acts():
            reds = store.redactions(act.id)
            langs = {lang: sum(1 for r in reds if r.lang == lang) for lang in ("rus", "kaz")}
            versions = [p for lang in ("rus", "kaz") for p in store.versions(act.id, lang=lang)]
            rus = sum(1 for p in versions if p.lang == "rus")
            exact = sum(1 for p in versions if p.valid_from_exact)
            unknown = sum(1 for p in versions if p.unknown_from is not None)
            n = len(versions)
            print(f"{act.id:<12} {langs['rus']:>3} / {langs['kaz']:<14} {rus:>6} + {n - rus:<8} "
                  f"{exact / n:>11.1%}  {1 - exact / n:>11.1%}  {unknown / n:>10.1%}")
            for i, x in enumerate((n, exact, unknown, len(reds))):
                total[i] += x
    n, exact, unknown, n_reds = total
    print(f"{'all':<12} {n_reds:>3} redactions      {n:>6} versions     {exact / n:>11.1%}  {1 - exact / n:>11.1%}  "
          f"{unknown / n:>10.1%}")


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
        print(f"total      {report.total_seconds:7.2f} s  ({cpu_seconds():.1f} s of CPU)  peak RSS "
              f"{peak_rss_mb():.0f} MB (annotation workers: {worker_peak_rss_mb():.0f} MB each at most), "
              f"data on disk {size / 1e6:.1f} MB")
        print_time_table(paths.store)


if __name__ == "__main__":
    main()
