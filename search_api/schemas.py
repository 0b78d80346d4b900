"""Response models of the HTTP API (docs/design.md §6), so /openapi.json describes every answer.

Corpus records are the domain dataclasses themselves (``corpus.models``); pydantic serialises them
(dates in ISO 8601). Search answers are in :mod:`search_api.models`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from corpus.models import Act, Amendment, Annotation, Citation, Redaction
from corpus.timeline import Coverage

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """A date parameter is YYYY-MM-DD, nothing else (pydantic alone would read "0.0" as 1970-01-01)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value[:40]!r}")
    return value


#: A date request parameter: strictly YYYY-MM-DD.
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
#: ``at=``: the wordings in force on a date (strict YYYY-MM-DD); absent: those in force now.
AtParam = Annotated[IsoDate | None, Query(description="Wordings in force on this date (YYYY-MM-DD); default: now")]


class ErrorDetail(BaseModel):
    code: str = Field(description="invalid_parameter, bad_request, not_found, backend_unavailable, internal_error …")
    message: str = Field(description="What was wrong, naming the parameter or the id")


class ErrorBody(BaseModel):
    """Every error answer: ``{"error": {"code", "message"}}``."""

    error: ErrorDetail


#: The error answers every operation may give, for the OpenAPI description.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad parameter (the message names it)"},
    404: {"model": ErrorBody, "description": "An unknown act or provision"},
    414: {"model": ErrorBody, "description": "A request URL longer than the server reads"},
    422: {"model": ErrorBody, "description": "A parameter of the wrong type or range"},
    500: {"model": ErrorBody, "description": "An internal error (reported as JSON too)"},
    503: {"model": ErrorBody, "description": "The store or the search backend is unavailable"},
}


class ActList(BaseModel):
    acts: list[Act]


class TocEntry(BaseModel):
    """One line of an act's table of contents (оглавление)."""

    eid: str
    kind: str
    number: str | None = None
    heading: str | None = None
    parent: str | None = None


class ActView(BaseModel):
    act: Act
    redactions: list[Redaction]
    toc: list[TocEntry]
    amendments: int = Field(description="How many amendment records the act has")


class ProvisionOut(BaseModel):
    """A provision version: its id ``{act_id}/{eid}@{valid_from}`` and its fields."""

    id: str
    act_id: str
    eid: str
    kind: str
    number: str | None = None
    heading: str | None = None
    text: str = ""
    parent: str | None = None
    ancestors: list[str] = Field(default_factory=list)
    position: int = 0
    lang: str = "rus"
    valid_from: date | None = None
    valid_to: date | None = None
    repealed: bool = False
    valid_from_exact: bool = Field(True, description="valid_from is the exact date the wording entered into "
                                   "force; false: the earliest possible one")
    valid_from_rule: str | None = Field(None, description="How valid_from was found, or what bounds it")
    unknown_from: date | None = Field(None, description="The wording between this date and valid_from is not "
                                      "in the corpus")
    anchor: str | None = Field(None, description="adilet's element id of the heading on the act's current page "
                               "(z446: …/rus/docs/{act_id}#z446); null where the source gave none")


class KnownVersion(BaseModel):
    """A version of the provision the corpus holds (when the one asked for is not known)."""

    id: str
    valid_from: date | None = None
    valid_to: date | None = None
    valid_from_exact: bool = True


class ProvisionView(BaseModel):
    """A provision on a date. With ``at``: ``coverage`` of its act on that date, and when the provision
    was in force then but its wording is not in the corpus, ``provision`` is null, ``wording_known``
    false, and ``message`` and ``known_versions`` say what the corpus holds instead."""

    provision: ProvisionOut | None
    children: list[ProvisionOut]
    amendments: list[Amendment]
    annotation: Annotation | None = None
    wording_known: bool = True
    message: str | None = None
    known_versions: list[KnownVersion] = Field(default_factory=list)
    coverage: Coverage | None = Field(None, description="With at: provisions of the act with a known / unknown "
                                      "wording on that date")


class IncomingCitation(BaseModel):
    """A citation of this provision, with the version that cites it."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", description="Version id of the citing provision")
    start: int
    end: int
    text: str
    target_act_id: str | None = None
    target_name: str | None = None
    target_eid: str | None = None
    resolved: bool = False
    unresolved_reason: str | None = None
    resolution: str = Field("syntactic", description="syntactic | corpus: checked against the store's wordings")


class CitationsView(BaseModel):
    id: str = Field(description="Version id of the provision")
    outgoing: list[Citation]
    incoming: list[IncomingCitation]


class TopicOut(BaseModel):
    id: str
    parent: str | None = None
    label: str = ""
    covers: str = ""


class RightOut(BaseModel):
    id: str
    label: str = ""
    instruments: list[str] = Field(default_factory=list)


class TaxonomyView(BaseModel):
    version: dict[str, str]
    topics: list[TopicOut]
    rights: list[RightOut]


class Health(BaseModel):
    status: str
    backend: str
    backend_info: dict[str, Any]
    acts: int
    provision_versions: int
    result_cache: dict[str, float] = Field(
        default_factory=dict, description="The /search answer cache: entries, bytes, max_bytes, ttl, hits, misses"
    )
