"""UN treaty-body documents on Kazakhstan (решения и заключительные замечания договорных органов ООН), as data.

``nlp/data/decisions.json`` holds one record per document listed in ``nlp/data/sources/treaty_bodies.md``
(a byte-identical copy of ``shared/sources/treaty_bodies.md``): individual communications against
Kazakhstan on extradition and refoulement (CAT, Human Rights Committee) and the concluding
observations / lists of issues on Kazakhstan's State reports. ``nlp/data/decisions.schema.json`` is the
JSON Schema of the file, generated from :class:`DecisionsFile` (``python -m nlp.decisions --write-schema``).

What the data promise, and the loader enforces:
- ``outcome`` is the source's own wording; ``outcome_verified`` is False wherever the source marks the
  outcome "not verified here", or reports it only from a secondary summary or a partial excerpt;
- ``found_violation`` is True only where the source states that the Committee found a violation or
  breach (the ``violation_basis`` of a right engagement quotes those words from ``outcome``), null
  where that is unknown; it is never inferred from "decided in the complainant's favour";
- the rights each document engages come either from the articles invoked, through the explicit
  ``article_rights`` table (instrument article → right, with the reason and the instrument of
  ``rights.json`` it rests on), or, for concluding observations, from the subject with a ``basis``;
- a symbol or date the source does not give is null (``date_text`` keeps the source's wording).

:func:`decisions_for_right` is the function the API and CLI views call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nlp.taxonomy import RightsCatalogue, load_rights

DATA_DIR = Path(__file__).resolve().parent / "data"
DECISIONS_PATH = DATA_DIR / "decisions.json"
SCHEMA_PATH = DATA_DIR / "decisions.schema.json"
SOURCE_PATH = DATA_DIR / "sources" / "treaty_bodies.md"

Body = Literal["CAT", "CCPR", "CED", "CEDAW"]
Kind = Literal["individual_communication", "concluding_observations", "list_of_issues"]
Instrument = Literal["CAT", "ICCPR", "ICCPR-OP1", "CED", "CEDAW"]
DateKind = Literal["decision", "views", "adoption", "document"]

BODY_NAMES: dict[str, str] = {
    "CAT": "Committee against Torture",
    "CCPR": "Human Rights Committee",
    "CED": "Committee on Enforced Disappearances",
    "CEDAW": "Committee on the Elimination of Discrimination against Women",
}
INSTRUMENT_NAMES: dict[str, str] = {
    "CAT": "Convention against Torture",
    "ICCPR": "International Covenant on Civil and Political Rights",
    "ICCPR-OP1": "Optional Protocol to the ICCPR",
    "CED": "International Convention for the Protection of All Persons from Enforced Disappearance",
    "CEDAW": "Convention on the Elimination of All Forms of Discrimination against Women",
}

_SYMBOL = r"^(CAT|CCPR|CED|CEDAW)/C/[A-Z0-9/]+$"
_ARTICLE = r"^\d+(\(\d+\))*(\([a-z]\))?$"  # 3 · 14(3) · 5(2)(b)


class DecisionsError(ValueError):
    """The decisions data file is malformed or inconsistent (the message names the file and record)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ArticleRef(_Model):
    """An article of an instrument as invoked in a document ("CAT art. 3", "ICCPR art. 14(3)")."""

    instrument: Instrument
    article: str = Field(pattern=_ARTICLE)
    note: str | None = Field(None, description="The source's gloss on the article, e.g. 'interim measures'.")

    @property
    def label(self) -> str:
        return f"{self.instrument} art. {self.article}"


class RightAnchor(_Model):
    """A right of rights.json and the instrument of its ``instruments`` list the link rests on."""

    id: str
    anchor: str | None = Field(description="An entry of the right's 'instruments' in rights.json, or null.")


class ArticleRights(_Model):
    """One row of the instrument article → right table, with the reason."""

    instrument: Instrument
    article: str = Field(pattern=_ARTICLE)
    title: str
    rights: list[RightAnchor] = Field(description="Empty where no right of rights.json corresponds.")
    why: str


class Link(_Model):
    url: str = Field(pattern=r"^https?://\S+$")
    label: str


class RelatedAct(_Model):
    """An act of the corpus the source connects the document to."""

    act_id: str
    note: str


class RightEngagement(_Model):
    """A right a document engages, how, and whether the source says it was violated."""

    right: str
    articles: list[ArticleRef] = Field(
        default_factory=list, description="Invoked articles that engage the right (empty: from the subject)."
    )
    basis: str | None = Field(None, description="Why, for a right engaged by the subject (no articles).")
    verified: bool = Field(description="False where the link rests on a secondary summary or an unseen passage.")
    found_violation: bool | None = Field(
        None, description="True only where the source states a violation or breach engaging this right."
    )
    violation_basis: str | None = Field(None, description="The words of 'outcome' that state the violation.")

    @model_validator(mode="after")
    def _check(self) -> RightEngagement:
        if not self.articles and not self.basis:
            raise ValueError(f"right {self.right!r}: an engagement without articles needs a 'basis'")
        if (self.found_violation is not None) != (self.violation_basis is not None):
            raise ValueError(f"right {self.right!r}: found_violation and violation_basis go together")
        return self


class Decision(_Model):
    """One treaty-body document: a decision/Views on a communication, concluding observations, a list
    of issues."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    source_row: str = Field(pattern=r"^[AB]\d+$", description="Table (A, B) and row of treaty_bodies.md.")
    kind: Kind
    body: Body
    communication_number: str | None = Field(None, pattern=r"^\d+/\d{4}$")
    symbol: str | None = Field(None, pattern=_SYMBOL, description="The document's UN symbol, null if not given.")
    symbol_confirmed: bool | None = Field(
        description="False where the source only infers the symbol ('by the usual pattern'); null without a symbol."
    )
    report_symbol: str | None = Field(None, pattern=_SYMBOL, description="The State report considered.")
    adilet_id: str | None = Field(None, description="adilet.zan.kz's id of its copy of the document.")
    title: str
    case_name: str | None = Field(None, description="The case as the source names it (communications).")
    state_party: Literal["Kazakhstan"] = "Kazakhstan"
    date: dt.date | None = Field(None, description="Date of the decision/Views/adoption, null if not given exactly.")
    date_kind: DateKind | None = None
    date_text: str = Field(description="The source's date cell, verbatim.")
    distributed: dt.date | None = None
    session: int | None = None
    year: int | None = Field(None, description="The year, also when the exact date is unknown.")
    subject: str
    articles_invoked: list[ArticleRef] = Field(default_factory=list)
    procedural_issues: list[str] = Field(default_factory=list)
    rights: list[RightEngagement] = Field(default_factory=list)
    outcome: str = Field(description="The outcome (or what the document shows) in the source's own words.")
    outcome_verified: bool
    caution: str | None = Field(
        None, description="Why the outcome is unverified: the source's caveat, or the secondary summary it rests on."
    )
    found_violation: bool | None = Field(
        None, description="True only where the source states the Committee found a violation; null if unknown."
    )
    urls: list[Link] = Field(min_length=1)
    related_acts: list[RelatedAct] = Field(default_factory=list)

    @property
    def body_name(self) -> str:
        return BODY_NAMES[self.body]

    def engagement(self, right_id: str) -> RightEngagement | None:
        return next((e for e in self.rights if e.right == right_id), None)

    @model_validator(mode="after")
    def _check(self) -> Decision:
        where = f"decision {self.id!r}"
        if (self.kind == "individual_communication") != (self.communication_number is not None):
            raise ValueError(f"{where}: a communication number belongs to individual communications only")
        if self.date is not None and self.date_kind is None:
            raise ValueError(f"{where}: a date needs its date_kind")
        if self.date is not None and self.year is not None and self.year != self.date.year:
            raise ValueError(f"{where}: year {self.year} disagrees with date {self.date}")
        if (self.symbol is None) != (self.symbol_confirmed is None):
            raise ValueError(f"{where}: symbol_confirmed is null exactly when there is no symbol")
        seen = [e.right for e in self.rights]
        if len(seen) != len(set(seen)):
            raise ValueError(f"{where}: a right is listed twice")
        for e in self.rights:
            if e.violation_basis is not None and e.violation_basis not in self.outcome:
                raise ValueError(f"{where}: violation_basis of {e.right!r} is not the outcome's wording")
        flags = {e.found_violation for e in self.rights}
        if (self.found_violation is True) != (True in flags):
            raise ValueError(f"{where}: found_violation must be true exactly when a right engagement says so")
        if self.found_violation is False and flags - {False}:
            raise ValueError(f"{where}: found_violation false needs every engagement false")
        if "not verified" in self.outcome.lower() and (self.outcome_verified or self.found_violation is not None):
            raise ValueError(f"{where}: the source marks the outcome not verified; keep it unverified and unknown")
        return self


class SourceRef(_Model):
    path: str
    original: str
    md5: str = Field(pattern=r"^[0-9a-f]{32}$")
    note: str


class DecisionsFile(_Model):
    """The whole data file ``nlp/data/decisions.json``."""

    schema_: str | None = Field(None, alias="$schema")
    version: str
    about: str
    source: SourceRef
    article_rights: list[ArticleRights]
    decisions: list[Decision]


# --- loading and checks -----------------------------------------------------------------------------


def _mapping(data: DecisionsFile) -> dict[tuple[str, str], ArticleRights]:
    return {(a.instrument, a.article): a for a in data.article_rights}


def check(data: DecisionsFile, rights: RightsCatalogue, source: str = "decisions.json") -> None:
    """Cross-checks the schema cannot express: right ids exist in rights.json, every anchor is one of
    the right's instruments there, every invoked article has a row in ``article_rights``, and the
    rights engaged through articles are exactly those the table gives (raises :class:`DecisionsError`)."""
    ids = [d.id for d in data.decisions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise DecisionsError(f"{source}: duplicate decision ids {dupes}")
    table = _mapping(data)
    if len(table) != len(data.article_rights):
        raise DecisionsError(f"{source}: article_rights lists an article twice")
    for row in data.article_rights:
        where = f"{source}: article_rights {row.instrument} art. {row.article}"
        for r in row.rights:
            if r.id not in rights.rights:
                raise DecisionsError(f"{where}: unknown right {r.id!r}")
            if r.anchor is not None and r.anchor not in rights.rights[r.id].instruments:
                raise DecisionsError(
                    f"{where}: anchor {r.anchor!r} is not among the instruments of {r.id!r} in rights.json"
                )
    for d in data.decisions:
        where = f"{source}: decision {d.id!r}"
        expected: dict[str, list[ArticleRef]] = {}
        for art in d.articles_invoked:
            mapped = table.get((art.instrument, art.article))
            if mapped is None:
                raise DecisionsError(f"{where}: {art.label} has no row in article_rights")
            for r in mapped.rights:
                expected.setdefault(r.id, []).append(art)
        for e in d.rights:
            if e.right not in rights.rights:
                raise DecisionsError(f"{where}: unknown right {e.right!r} (not in rights.json)")
            if e.articles:
                if e.right not in expected:
                    raise DecisionsError(f"{where}: {e.right!r} is not engaged by its articles per article_rights")
                if [a.label for a in e.articles] != [a.label for a in expected[e.right]]:
                    raise DecisionsError(
                        f"{where}: {e.right!r} lists {[a.label for a in e.articles]}, "
                        f"article_rights gives {[a.label for a in expected[e.right]]}"
                    )
        missing = sorted(set(expected) - {e.right for e in d.rights if e.articles})
        if missing:
            raise DecisionsError(f"{where}: invoked articles engage {missing}, not listed under rights")


def parse_decisions(
    raw: object, source: str = "decisions.json", rights: RightsCatalogue | None = None
) -> DecisionsFile:
    """Validate a decoded data file (raises :class:`DecisionsError` naming what is wrong)."""
    try:
        data = DecisionsFile.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise DecisionsError(f"{source}: {loc}: {first['msg']} ({e.error_count()} error(s))") from e
    check(data, rights or load_rights(), source)
    return data


def load_decisions(path: str | Path | None = None) -> DecisionsFile:
    """The decisions file from ``path`` (default: the bundled ``nlp/data/decisions.json``, cached)."""
    if path is None:
        return _default()
    return _load(Path(path))


def _load(path: Path) -> DecisionsFile:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise DecisionsError(f"{path}: no such decisions file") from e
    except json.JSONDecodeError as e:
        raise DecisionsError(f"{path}: not valid JSON ({e})") from e
    return parse_decisions(raw, str(path))


@lru_cache(maxsize=1)
def _default() -> DecisionsFile:
    return _load(DECISIONS_PATH)


def _order(right_id: str, d: Decision) -> tuple[int, int, int, int, str]:
    e = d.engagement(right_id)
    violated = 0 if e is not None and e.found_violation else 1
    when = d.date or (dt.date(d.year, 12, 31) if d.year else None)  # a bare year sorts at its end
    case = 0 if d.kind == "individual_communication" else 1
    return violated, case, 0 if when else 1, -(when.toordinal() if when else 0), d.id


def decisions_for_right(right_id: str, decisions: Sequence[Decision] | None = None) -> list[Decision]:
    """The documents engaging ``right_id``: those where the source states a violation of it first,
    then the other individual communications, then concluding observations and lists of issues;
    newest first within each group (undated last). Raises :class:`DecisionsError` for an unknown right."""
    known = load_rights().rights
    if right_id not in known:
        raise DecisionsError(f"unknown right {right_id!r}; known: {', '.join(known)}")
    pool = load_decisions().decisions if decisions is None else decisions
    found = [d for d in pool if d.engagement(right_id) is not None]
    return sorted(found, key=lambda d: _order(right_id, d))


def json_schema() -> dict[str, object]:
    """The JSON Schema of the data file, as written to ``decisions.schema.json``."""
    schema = DecisionsFile.model_json_schema(by_alias=True)
    schema["$id"] = "decisions.schema.json"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Check nlp/data/decisions.json or (re)write its JSON Schema.")
    ap.add_argument("--write-schema", action="store_true", help=f"write {SCHEMA_PATH.name} from the model")
    args = ap.parse_args(argv)
    if args.write_schema:
        SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
        return 0
    try:
        data = load_decisions()
    except DecisionsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{DECISIONS_PATH}: {len(data.decisions)} documents valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
