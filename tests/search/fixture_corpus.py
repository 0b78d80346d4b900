"""The search fixture corpus: 25 provision versions whose TEXTS are REAL, copied from the samples:

- Закон РК «О миграции населения» (Z1100000477): items of art. 1 (незаконная иммиграция, кандас,
  реадмиссия, an "исключен" stub), art. 4 (высококвалифицированной иностранной рабочей силы),
  arts. 37-3, 47, 48, 49, 60, 60-1;
- КоАП РК (K1400000235) art. 517, all parts (part 1 is an "Исключен" stub);
- УК РК (K1400000226) art. 392, all parts.

What is SYNTHETIC (made up, plausible): the validity dates, the amendment dates (for KoAP 517 and
УК 392 they are the dates of the amending laws named in the footnotes), the tags and rights, and one
old wording: ``Z1100000477/art_1__point_13@2011-07-22`` is the current definition of "кандас" with
"оралман" put back (the 2020 amendment replaced оралман with кандас throughout) — a point-in-time
case, not the historical text.

``fixture_corpus.jsonl`` was cut from the samples with the project's adilet parser (migration law)
and from the text copies of the codes (lines joined, part numbers split off); records are in
(act_id, position, id) order, the order the indexer yields.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

from nlp.lemmatize import lemma_text
from search_api.models import IndexDoc

FIXTURE = Path(__file__).with_name("fixture_corpus.jsonl")


@cache
def _records() -> tuple[dict[str, object], ...]:
    with FIXTURE.open(encoding="utf-8") as f:
        return tuple(json.loads(line) for line in f if line.strip())


def fixture_docs() -> list[IndexDoc]:
    """The corpus as IndexDocs; lemmas come from the project's lemmatizer, as in the real indexer."""
    docs = []
    for rec in _records():
        doc = IndexDoc.model_validate({**rec, "lemmas": lemma_text(str(rec["text"]))})
        doc.amendment_years = sorted({d.year for d in doc.amendment_dates})
        docs.append(doc)
    return docs


def doc(version_id: str) -> IndexDoc:
    for d in fixture_docs():
        if d.id == version_id:
            return d
    raise KeyError(version_id)


def current(docs: list[IndexDoc] | None = None) -> list[IndexDoc]:
    """The versions still in force (what a search without ``at`` sees)."""
    return [d for d in (docs or fixture_docs()) if d.valid_to is None]


def in_force_on(day: date) -> list[IndexDoc]:
    return [
        d
        for d in fixture_docs()
        if (d.valid_from is None or d.valid_from <= day) and (d.valid_to is None or day < d.valid_to)
    ]
