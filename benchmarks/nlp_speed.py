"""Tokens per second of the Russian legal NLP pipeline over the bundled corpus, on one core.

Reads ingest/bundled/*.gz directly (the HTML page stripped with bs4), splits the text into
paragraphs (the unit a provision's text is), and times:
  (a) the spaCy tokenizer alone,
  (b) the linguistic part of the pipeline: tokenizer + legal retokenizer + sentence splitter +
      lemmatizer + citations (the taggers disabled), cold and warm lemma cache,
  (c) the whole configured pipeline through ``nlp.annotate.annotate`` (tags, rights, facts too),
and prints the ratio b/a. Times are CPU time of this process on one core (the machine may be shared).

    python benchmarks/nlp_speed.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from nlp.annotate import annotate
from nlp.pipeline import build_nlp

BUNDLED = Path(__file__).resolve().parent.parent / "ingest" / "bundled"


def corpus_paragraphs() -> list[str]:
    """The bundled texts as paragraphs: runs of lines between blank lines (the text copies break
    lines inside paragraphs at every link, so a line is not a paragraph)."""
    texts: list[str] = []
    for path in sorted(BUNDLED.glob("*.gz")):
        if "_kaz_" in path.name:  # a Russian pipeline: the Kazakh redactions are not its input
            continue
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
    with nlp.select_pipes(disable=["topic_tagger", "rights_linker", "legal_facts"]):
        timed("(b) linguistic pipeline, cold lemma cache", nlp, paragraphs, n_tokens)
        b = timed("(b) linguistic pipeline, warm cache", nlp, paragraphs, n_tokens)
    print(f"ratio b/a = {b / a:.2f}")
    timed("(c) whole pipeline (annotate: + tags, rights, facts)", lambda p: annotate(p, act_id="X"), paragraphs,
          n_tokens)


if __name__ == "__main__":
    main()
