"""End-to-end build of the bundled corpus: ingest, annotate, index — wall time and peak memory.

    python benchmarks/build_bench.py [--backend embedded|elasticsearch]

Prints figures; asserts nothing. Each phase runs in this process on one core.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from corpus.store import Store
from ingest.bundled import ingest_bundled
from nlp.annotate import annotate_store
from search_api.backends import make_backend
from search_api.indexer import index_docs


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--backend", default="embedded", choices=["embedded", "elasticsearch"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        with Store(home / "corpus.sqlite") as store:
            stats = ingest_bundled(store)
            t1 = time.perf_counter()
            n_versions = store.count_versions()
            print(f"ingest     {t1 - t0:7.2f} s  {n_versions} provision versions, "
                  f"{sum(s.amendments_added for s in stats)} amendments, peak RSS {peak_rss_mb():.0f} MB")
            for s in stats:
                print(f"  {s.act_id}: {s.provisions_added} provisions, {s.amendments_added} amendments")
            n = annotate_store(store)
            t2 = time.perf_counter()
            print(f"annotate   {t2 - t1:7.2f} s  {n} versions ({n / (t2 - t1):.0f}/s), peak RSS {peak_rss_mb():.0f} MB")
            backend = make_backend(args.backend, index_dir=home / "index", es_url=os.environ.get("ES_URL"),
                                   index_name="migralex-bench")
            n = backend.index(index_docs(store))
            t3 = time.perf_counter()
            print(f"index      {t3 - t2:7.2f} s  {n} versions ({n / (t3 - t2):.0f}/s) into {args.backend}")
        size = sum(f.stat().st_size for f in home.rglob("*") if f.is_file())
        print(f"total      {t3 - t0:7.2f} s  peak RSS {peak_rss_mb():.0f} MB, data on disk {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
