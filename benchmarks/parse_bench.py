"""Parser throughput on the saved adilet pages, the two bundled codes and the migration law's bank Markdown.

    python benchmarks/parse_bench.py [--repeat 5]

Parses each input ``--repeat`` times (the act's structure, notes and amendments, everything
``migralex parse`` does except reading the file), prints pages/s and MB/s per input and the counts
of articles, parts, items and amendments per act. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.models import ParsedDocument  # noqa: E402
from ingest.html_page import parse_document  # noqa: E402
from ingest.markdown import parse_markdown  # noqa: E402
from ingest.text_copy import parse_text_copy  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "adilet"
BUNDLED = ROOT / "ingest" / "bundled"


def _inputs() -> list[tuple[str, int, Callable[[], ParsedDocument]]]:
    """(name, size in bytes, parse function) for every sample."""
    out: list[tuple[str, int, Callable[[], ParsedDocument]]] = []
    for name in ("Z1100000477_rus.html", "Z1500000410_rus_raw.html"):
        raw = (FIXTURES / name).read_bytes()
        out.append((name, len(raw), partial(parse_document, raw)))
    for name, act_id in (
        ("K1400000226_criminal_code_rus.txt.gz", "K1400000226"),
        ("K1400000235_koap_rus.txt.gz", "K1400000235"),
    ):
        data = gzip.decompress((BUNDLED / name).read_bytes())
        text = data.decode("utf-8")
        out.append((name, len(data), partial(parse_text_copy, text, act_id=act_id)))
    for path in sorted(BUNDLED.glob("Z1100000477_*.md.gz")):  # the reference bank's Markdown, rus and kaz
        data = gzip.decompress(path.read_bytes())
        out.append((path.name, len(data), partial(parse_markdown, data.decode("utf-8"), act_id="Z1100000477")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="parses per input (default 5)")
    args = parser.parse_args()

    print(f"{'input':40} {'MB':>6} {'median s':>9} {'pages/s':>8} {'MB/s':>7}")
    total_bytes, total_time, total_pages = 0, 0.0, 0
    docs: list[ParsedDocument] = []
    for name, size, parse in _inputs():
        times = []
        doc = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            doc = parse()
            times.append(time.perf_counter() - t0)
        assert doc is not None
        docs.append(doc)
        median = statistics.median(times)
        total_bytes += size * args.repeat
        total_time += sum(times)
        total_pages += args.repeat
        print(f"{name:40} {size / 1e6:6.2f} {median:9.3f} {1 / median:8.1f} {size / 1e6 / median:7.2f}")
    print(f"{'all':40} {total_bytes / args.repeat / 1e6:6.2f} {'':9} {total_pages / total_time:8.1f} "
          f"{total_bytes / 1e6 / total_time:7.2f}")

    print()
    print(f"{'act':12} {'articles':>8} {'parts':>6} {'items':>6} {'chapters':>8} {'sections':>8} "
          f"{'amendments':>10} {'prospective':>11} {'valid_from':>10}")
    for doc in docs:
        kinds = Counter(p.kind for p in doc.provisions)
        prospective = sum(1 for a in doc.amendments if a.verb == "prospective")
        print(f"{doc.act.id:12} {kinds['article']:8} {kinds['part']:6} {kinds['item']:6} {kinds['chapter']:8} "
              f"{kinds['section']:8} {len(doc.amendments):10} {prospective:11} {doc.redaction.valid_from!s:>10}")


if __name__ == "__main__":
    main()
