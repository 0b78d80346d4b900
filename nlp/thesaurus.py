"""The legal thesaurus as data (``nlp/data/thesaurus.json``): colloquial and statutory terms,
abbreviations, names of acts, older terms and renamings, Kazakh loanwords.

Search applies it at query time (:mod:`search_api.expand`): a query word or phrase that is one of an
entry's ``terms`` is also searched as the entry's ``also`` terms ("высылка" → also "выдворение");
``mutual`` entries work both ways (оралман ↔ кандас); an entry with ``act`` (УК, КоАП …) also
prefers that act's provisions. The file's schema is :class:`ThesaurusFile`, published as JSON
Schema beside it (``thesaurus.schema.json``; ``python -m nlp.thesaurus --write-schema``). Every
entry carries a ``source`` (where the texts show the relation) or a ``reason`` (general usage).

Terms are lemmatized with :func:`nlp.lemmatize.analyze`, the corpus's own tokenizer and lemmas, so
"лицо без гражданства" matches "лицами без гражданства". This module only reads and validates the
file; which words count as stop words for a match is search's business.

The thesaurus does not change annotations, so it is not part of the pipeline version
(:func:`nlp.pipeline.pipeline_files` leaves it out): editing it needs no re-annotation or reindex.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nlp.lemmatize import analyze

DATA_DIR = Path(__file__).resolve().parent / "data"
THESAURUS_PATH = DATA_DIR / "thesaurus.json"
THESAURUS_SCHEMA_PATH = DATA_DIR / "thesaurus.schema.json"

Kind = Literal["colloquial", "abbreviation", "act", "historical", "loanword"]
#: adilet act ids (legal.act_ids has the full rules; here only the shape, to catch typos in data).
_ACT_ID = r"^[A-Z][0-9A-Z]{6,11}_?$"


class ThesaurusError(ValueError):
    """The thesaurus file is malformed (the message names the file and the entry)."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Renaming(_Spec):
    """When the law replaced the older term, and by which act (переименование)."""

    date: dt.date = Field(description="Date of the amending act")
    by: str = Field(min_length=1, description="The amending act, e.g. 'Закон РК от 13.05.2020 № 327-VI'")


class EntrySpec(_Spec):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Kind
    terms: list[str] = Field(min_length=1, description="What a user may type (nominative; any case form matches)")
    also: list[str] = Field(default_factory=list, description="What is also searched")
    mutual: bool = Field(False, description="Also expand the other way: a query with an `also` term searches `terms`")
    act: str | None = Field(None, pattern=_ACT_ID, description="adilet id of the act the terms name (kind act)")
    renamed: Renaming | None = Field(None, description="For a renaming: when and by which act")
    source: str | None = Field(None, min_length=1, description="Where the texts show the relation")
    reason: str | None = Field(None, min_length=1, description="Why, from general legal usage")

    @model_validator(mode="after")
    def _consistent(self) -> EntrySpec:
        if self.source is None and self.reason is None:
            raise ValueError("needs a source or a reason")
        if self.kind == "act" and self.act is None:
            raise ValueError("an entry of kind 'act' needs `act` (the adilet id)")
        if self.kind != "act" and self.act is not None:
            raise ValueError("only entries of kind 'act' name an act")
        if not self.also and self.act is None:
            raise ValueError("`also` is empty: the entry would change nothing")
        if self.mutual and self.act is not None:
            raise ValueError("an act entry cannot be mutual")
        if self.renamed is not None and self.kind != "historical":
            raise ValueError("`renamed` belongs to entries of kind 'historical'")
        for t in (*self.terms, *self.also):
            if not t.strip():
                raise ValueError("a blank term")
        return self


class ThesaurusFile(_Spec):
    """``nlp/data/thesaurus.json``."""

    schema_: str | None = Field(None, alias="$schema")
    version: str = Field(min_length=1)
    about: str = ""
    entries: list[EntrySpec] = Field(min_length=1)


@dataclass(frozen=True)
class Phrase:
    """A term as written and its lemmas, all words kept (stop words too, for phrase matching)."""

    text: str
    lemmas: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One compiled entry: its terms and alternatives lemmatized."""

    id: str
    kind: Kind
    terms: tuple[Phrase, ...]
    also: tuple[Phrase, ...]
    mutual: bool
    act: str | None
    renamed: Renaming | None
    source: str | None
    reason: str | None

    def note(self) -> str | None:
        """A short line for the user: the renaming (with its act) when there is one."""
        if self.renamed is not None:
            return f"renamed by {self.renamed.by}"
        return None


@dataclass(frozen=True, eq=False)  # identity hash: a compiled thesaurus is a cache key for search
class Thesaurus:
    version: str
    entries: tuple[Entry, ...]


def _phrase(text: str, where: str) -> Phrase:
    lemmas = tuple(t.lemma for t in analyze(text))
    if not lemmas:
        raise ThesaurusError(f"{where}: {text!r} has no words")
    return Phrase(text, lemmas)


def parse_thesaurus(data: Any, name: str = "thesaurus.json") -> Thesaurus:
    """Validate and compile the file's content; :class:`ThesaurusError` names the entry."""
    try:
        spec = ThesaurusFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        where = ".".join(str(p) for p in loc) or "file"
        if len(loc) >= 2 and loc[0] == "entries" and isinstance(loc[1], int) and isinstance(data, dict):
            with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
                where = f"entry {data['entries'][loc[1]].get('id', loc[1])!r} ({where})"
        raise ThesaurusError(f"{name}: {where}: {first['msg']}") from exc
    seen: set[str] = set()
    entries: list[Entry] = []
    for e in spec.entries:
        if e.id in seen:
            raise ThesaurusError(f"{name}: entry id {e.id!r} is used twice")
        seen.add(e.id)
        where = f"{name}: entry {e.id!r}"
        entries.append(
            Entry(
                id=e.id,
                kind=e.kind,
                terms=tuple(_phrase(t, where) for t in e.terms),
                also=tuple(_phrase(t, where) for t in e.also),
                mutual=e.mutual,
                act=e.act,
                renamed=e.renamed,
                source=e.source,
                reason=e.reason,
            )
        )
    return Thesaurus(spec.version, tuple(entries))


def load_thesaurus(path: str | Path | None = None) -> Thesaurus:
    """The thesaurus at ``path`` (default: the bundled file, compiled once per process)."""
    if path is None:
        return _default()
    p = Path(path)
    return parse_thesaurus(_read(p), p.name)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ThesaurusError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except json.JSONDecodeError as exc:
        raise ThesaurusError(f"{path}: not JSON: {exc}") from exc


@lru_cache(maxsize=1)
def _default() -> Thesaurus:
    return parse_thesaurus(_read(THESAURUS_PATH), THESAURUS_PATH.name)


def json_schema() -> dict[str, Any]:
    return ThesaurusFile.model_json_schema(by_alias=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nlp.thesaurus --write-schema``: regenerate ``thesaurus.schema.json``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["--write-schema"]:
        print("usage: python -m nlp.thesaurus --write-schema", file=sys.stderr)
        return 2
    THESAURUS_SCHEMA_PATH.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {THESAURUS_SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
