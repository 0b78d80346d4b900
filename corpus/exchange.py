"""JSONL exchange format of the whole store: one record per line, each with a ``"type"``.

The first line is ``{"type": "meta", "format": "migralex-store", "schema_version": N}``; then, per act
(by id): the act, its redactions, its provision versions (document order), its amendments (date order);
the annotations come last. Records are ``corpus.models.to_dict`` of the dataclass plus:
``"since"`` and ``"through"`` on a provision (the first and last redaction holding its text: timeline
rule 8) and ``"lang"`` on an annotation (version ids do not name
the language).

The schema of every record is the dataclass itself, validated by pydantic (types from its annotations),
plus the vocabularies of docs/design.md §3 and the rules a record must keep on its own (an eid that
parses, a redaction's ``scope`` of eids, ``valid_to`` after ``valid_from``). Unknown fields are
refused: an export of a newer schema says so in its meta record. Pure encoding/decoding here; the
store does the reading and writing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from corpus.models import (
    ACT_STATUSES,
    AMENDMENT_SOURCES,
    AMENDMENT_VERBS,
    PROVISION_KINDS,
    Act,
    Amendment,
    Annotation,
    Provision,
    Redaction,
    from_dict,
    to_dict,
)
from legal.eid import Eid

FORMAT = "migralex-store"

_TYPES: dict[str, type] = {
    "act": Act,
    "redaction": Redaction,
    "provision": Provision,
    "amendment": Amendment,
    "annotation": Annotation,
}
#: Fields a record must carry (the dataclass gives the others defaults).
_REQUIRED: dict[str, tuple[str, ...]] = {
    "act": ("id",),
    "redaction": ("act_id", "lang"),
    "provision": ("act_id", "eid", "kind", "text", "lang", "position"),
    "amendment": ("act_id", "verb"),
    "annotation": ("version_id", "lang"),
}
#: Fields of a record beside its dataclass's.
_EXTRA: dict[str, tuple[str, ...]] = {"provision": ("since", "through"), "annotation": ("lang",)}
_VOCABULARY: dict[str, tuple[tuple[str, Sequence[str]], ...]] = {
    "act": (("status", ACT_STATUSES),),
    "provision": (("kind", tuple(PROVISION_KINDS)),),
    "amendment": (("verb", AMENDMENT_VERBS), ("source_kind", AMENDMENT_SOURCES)),
}


class ExchangeError(ValueError):
    """A line that is not a valid record (the message starts with ``line N:`` and names the field)."""


@dataclass
class Record:
    """One decoded line."""

    type: str
    obj: Any  # the dataclass, or the meta dict
    since: date | None = None  # provision
    through: date | None = None  # provision
    lang: str = "rus"  # annotation


def dumps(record: dict[str, Any]) -> str:
    """One line (without the newline); key order as given, so output is byte-stable."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def meta_record(schema_version: int) -> dict[str, Any]:
    return {"type": "meta", "format": FORMAT, "schema_version": schema_version}


def record(kind: str, obj: Any, **extra: Any) -> dict[str, Any]:
    """``{"type": kind, **to_dict(obj), **extra}`` (extra values are dates or plain JSON)."""
    out: dict[str, Any] = {"type": kind}
    out.update(to_dict(obj))
    out.update({k: v.isoformat() if isinstance(v, date) else v for k, v in extra.items()})
    return out


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ())) or "record"
    return f"field {where}: {err.get('msg')}"


def decode(line: str, lineno: int) -> Record:
    """Parse and validate one line; any fault → :class:`ExchangeError` naming the line and the field."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as e:
        raise ExchangeError(f"line {lineno}: not JSON ({e.msg} at column {e.colno})") from e
    except RecursionError as e:
        raise ExchangeError(f"line {lineno}: JSON nested too deeply to be a record") from e
    if not isinstance(data, dict):
        raise ExchangeError(f"line {lineno}: a record must be a JSON object, got {type(data).__name__}")
    kind = data.get("type")
    if kind == "meta":
        if data.get("format") != FORMAT or not isinstance(data.get("schema_version"), int):
            raise ExchangeError(f"line {lineno}: meta record is not a {FORMAT} header: {line.strip()[:200]}")
        return Record("meta", data)
    if kind not in _TYPES:
        raise ExchangeError(f"line {lineno}: unknown record type {kind!r}")
    cls = _TYPES[kind]
    where = f"line {lineno}: {kind} record"
    missing = [k for k in _REQUIRED[kind] if data.get(k) is None]
    if missing:
        raise ExchangeError(f"{where} lacks {', '.join(missing)}")
    allowed = {f.name for f in dataclasses.fields(cls)} | {"type", *_EXTRA.get(kind, ())}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ExchangeError(f"{where}: unknown field {', '.join(unknown)}")
    fields = {k: v for k, v in data.items() if k not in ("type", *_EXTRA.get(kind, ()))}
    try:
        obj: Any = from_dict(cls, fields)
        since = from_dict(date, data["since"]) if kind == "provision" and data.get("since") else None
        through = from_dict(date, data["through"]) if kind == "provision" and data.get("through") else None
    except ValidationError as e:
        raise ExchangeError(f"{where}: {_first_error(e)}") from e
    except RecursionError as e:
        raise ExchangeError(f"{where}: nested too deeply") from e
    lang = data.get("lang", "rus")
    if kind == "annotation" and not isinstance(lang, str):
        raise ExchangeError(f"{where}: field lang: must be a string")
    _check(kind, obj, where)
    return Record(kind, obj, since=since, through=through, lang=lang or "rus")


def _check(kind: str, obj: Any, where: str) -> None:
    """The rules a record keeps on its own, beyond its types."""
    for name, allowed in _VOCABULARY.get(kind, ()):
        value = getattr(obj, name)
        if value not in allowed:
            expected = ", ".join(allowed)
            raise ExchangeError(f"{where}: field {name}: unknown value {value!r} (expected one of {expected})")
    eid = getattr(obj, "eid", None) if kind in ("provision", "amendment") else None
    if eid is not None and not Eid.is_valid(eid):
        raise ExchangeError(f"{where}: field eid: not an eid (e.g. art_48__para_2): {eid!r}")
    if kind == "redaction" and obj.scope is not None:
        bad = [e for e in obj.scope if not Eid.is_valid(e)]
        if not obj.scope or bad:
            raise ExchangeError(f"{where}: field scope: a list of eids (e.g. chp_28, art_510), got {obj.scope!r}")
    if kind == "provision" and obj.valid_from and obj.valid_to and obj.valid_to <= obj.valid_from:
        raise ExchangeError(f"{where}: field valid_to: {obj.valid_to} is not after valid_from {obj.valid_from}")
