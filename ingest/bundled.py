"""The bundled offline corpus: real adilet material shipped gzipped in ``ingest/bundled/``.

Provenance of every file is in ``ingest/bundled/SOURCES.md``. The text copies of the codes carry
no title line, so the act's requisites come from this manifest (taken from SOURCES.md, i.e. from
the acts' own requisites on adilet), never invented.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from corpus.models import ParsedDocument
from corpus.store import SaveStats, Store
from ingest.adilet_urls import doc_url
from ingest.parse import parse_path

BUNDLED_DIR = Path(__file__).with_name("bundled")


@dataclass(frozen=True)
class BundledAct:
    act_id: str
    file: str
    kind: str
    title: str
    number: str
    adopted: date


MANIFEST: tuple[BundledAct, ...] = (
    BundledAct(
        "Z1100000477", "Z1100000477_rus.html.gz", "закон", "О миграции населения", "477-IV", date(2011, 7, 22)
    ),
    BundledAct(
        "K1400000226",
        "K1400000226_criminal_code_rus.txt.gz",
        "кодекс",
        "Уголовный кодекс Республики Казахстан",
        "226-V",
        date(2014, 7, 3),
    ),
    BundledAct(
        "K1400000235",
        "K1400000235_koap_rus.txt.gz",
        "кодекс",
        "Кодекс Республики Казахстан об административных правонарушениях",
        "235-V",
        date(2014, 7, 5),
    ),
)


def bundled_path(entry: BundledAct) -> Path:
    return BUNDLED_DIR / entry.file


def read_bundled_text(entry: BundledAct) -> str:
    """The decompressed text of one bundled file (for benchmarks and evaluation)."""
    with gzip.open(bundled_path(entry), "rt", encoding="utf-8") as fh:
        return fh.read()


def parse_bundled(entry: BundledAct) -> ParsedDocument:
    """Parse one bundled act and fill in requisites the copy lacks (from the manifest)."""
    doc = parse_path(bundled_path(entry), act_id=entry.act_id)
    act = doc.act
    act.title = act.title or entry.title
    act.kind = act.kind or entry.kind
    act.number = act.number or entry.number
    act.adopted = act.adopted or entry.adopted
    if act.status == "unknown":
        act.status = "in_force"  # all three acts are in force (SOURCES.md: amendments up to 2025-2026)
    act.source_url = act.source_url or doc_url(entry.act_id)
    return doc


def iter_bundled() -> Iterator[BundledAct]:
    yield from MANIFEST


def ingest_bundled(
    store: Store, *, progress: Callable[[BundledAct, SaveStats], None] | None = None
) -> list[SaveStats]:
    """Parse and store every bundled act; each act is one transaction, re-running changes nothing."""
    results = []
    for entry in MANIFEST:
        stats = store.save_document(parse_bundled(entry))
        results.append(stats)
        if progress:
            progress(entry, stats)
    return results
