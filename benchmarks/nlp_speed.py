"""Tokens per second of the Russian legal NLP pipeline over the bundled corpus, on one core.

Reads ingest/bundled/*.gz directly (the HTML page stripped with bs4), splits the text into
paragraphs (the unit a provision's text is), and times:
  (a) the spaCy tokenizer alone,
  (b) the whole pipeline: tokenizer + legal retokenizer + sentence splitter + lemmatizer + citations,
  (c) full ``nlp.annotate.annotate`` (tags, rights, citations) when that module exists,
and prints the ratio b/a. Times are CPU time of this process (the machine may be shared).
The lemma cache is warmed by one untimed pass first (a long-running indexer sees a warm
cache; the cold figure is printed too).

    python benchmarks/nlp_speed.py [--limit N]

Measured on the 2-core development machine (shared, CPU time), 448,838 tokens in 14,401 paragraphs:
(a) tokenizer 565k tokens/s; (b) whole pipeline 222k tokens/s with a warm lemma cache, 128k cold
(the cold pass pays pymorphy3 once per distinct word form); b/a = 0.39, i.e. the spaCy tokenizer
takes about 40 % of the pipeline's time, the citation finder about 25 %, sentences and lemmas the
rest. Full ``nlp.annotate.annotate`` (tags, rights, facts): about 76k tokens/s.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from nlp.pipeline import build_nlp, process

BUNDLED = Path(__file__).resolve().parent.parent / "ingest" / "bundled"


def corpus_paragraphs() -> list[str]:
    """The bundled texts as paragraphs: runs of lines between blank lines (the text copies break
    lines inside paragraphs at every link, so a line is not a paragraph)."""
    texts: list[str] = []
    for path in sorted(BUNDLED.glob("*.gz")):
        raw = gzip.decompress(path.read_bytes()).decode("utf-8")
        if path.name.endswith(".html.gz"):
            raw = BeautifulSoup(raw, "lxml").get_text("\n")
        texts.append(raw)
    if not texts:
        raise SystemExit(f"no bundled corpus in {BUNDLED}")
    return [p for text in texts for p in (chunk.strip() for chunk in re.split(r"\n[ \t\u00a0]*\n", text)) if p]


def timed(label: str, fn: Callable[[str], object], paragraphs: list[str], n_tokens: int) -> float:
    t0 = time.process_time()
    for p in paragraphs:
        fn(p)
    dt = time.process_time() - t0
    rate = n_tokens / dt
    print(f"{label:<48} {dt:8.2f} s  {rate:>12,.0f} tokens/s")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N paragraphs")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    paragraphs = corpus_paragraphs()
    if args.limit:
        paragraphs = paragraphs[: args.limit]
    nlp = build_nlp()
    n_tokens = sum(len(nlp.tokenizer(p)) for p in paragraphs)
    print(f"corpus: {len(paragraphs):,} paragraphs, {sum(map(len, paragraphs)):,} chars, {n_tokens:,} tokens")

    a = timed("(a) spaCy tokenizer alone", nlp.tokenizer, paragraphs, n_tokens)
    timed("(b) whole pipeline, cold lemma cache", lambda p: process(p, act_id="X"), paragraphs, n_tokens)
    b = timed("(b) whole pipeline, warm cache", lambda p: process(p, act_id="X"), paragraphs, n_tokens)
    print(f"ratio b/a = {b / a:.2f}")
    try:
        annotate = importlib.import_module("nlp.annotate").annotate
    except (ImportError, AttributeError):
        print("(c) nlp.annotate.annotate not available yet: skipped")
        return
    timed("(c) full annotate", lambda p: annotate(p, act_id="X", eid=None), paragraphs, n_tokens)


if __name__ == "__main__":
    main()
