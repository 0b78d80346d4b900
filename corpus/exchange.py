"""JSONL exchange format of the whole store: one record per line, each with a ``"type"``.

The first line is ``{"type": "meta", "format": "migralex-store", "schema_version": N}``; then, per act
(by id): the act, its redactions, its provision versions (document order), its amendments (date order);
the annotations come last. Records are ``corpus.models.to_dict`` of the dataclass plus:
``"since"`` on a provision (timeline rule 6) and ``"lang"`` on an annotation (version ids do not name
the language). Pure encoding/decoding here; the store does the reading and writing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

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

FORMAT = "migralex-store"

_TYPES: dict[str, type] = {
    "act": Act,
    "redaction": Redaction,
    "provision": Provision,
    "amendment": Amendment,
    "annotation": Annotation,
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "act": ("id",),
    "redaction": ("act_id", "lang"),
    "provision": ("act_id", "eid", "kind", "text", "lang", "position"),
    "amendment": ("act_id", "verb"),
    "annotation": ("version_id", "lang"),
}
_VOCABULARY: dict[str, tuple[tuple[str, Sequence[str]], ...]] = {
    "act": (("status", ACT_STATUSES),),
    "provision": (("kind", tuple(PROVISION_KINDS)),),
    "amendment": (("verb", AMENDMENT_VERBS), ("source_kind", AMENDMENT_SOURCES)),
}
_STR_FIELDS = ("id", "act_id", "eid", "kind", "text", "lang", "verb", "version_id", "title", "status")


class ExchangeError(ValueError):
    """A line that is not a valid record (the message starts with ``line N:``)."""


@dataclass
class Record:
    """One decoded line."""

    type: str
    obj: Any  # the dataclass, or the meta dict
    since: date | None = None  # provision
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
    out.update(to_dict(extra))
    return out


def decode(line: str, lineno: int) -> Record:
    """Parse one line; any fault → :class:`ExchangeError` naming the line number and the fault."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as e:
        raise ExchangeError(f"line {lineno}: not JSON ({e.msg} at column {e.colno})") from e
    if not isinstance(data, dict):
        raise ExchangeError(f"line {lineno}: a record must be a JSON object, got {type(data).__name__}")
    kind = data.get("type")
    if kind == "meta":
        if data.get("format") != FORMAT or not isinstance(data.get("schema_version"), int):
            raise ExchangeError(f"line {lineno}: meta record is not a {FORMAT} header: {line.strip()[:200]}")
        return Record("meta", data)
    if kind not in _TYPES:
        raise ExchangeError(f"line {lineno}: unknown record type {kind!r}")
    missing = [k for k in _REQUIRED[kind] if data.get(k) is None]
    if missing:
        raise ExchangeError(f"line {lineno}: {kind} record lacks {', '.join(missing)}")
    bad = [k for k in _STR_FIELDS if k in data and data[k] is not None and not isinstance(data[k], str)]
    if kind == "provision" and not isinstance(data["position"], int):
        bad.append("position")
    if bad:
        raise ExchangeError(f"line {lineno}: {kind} record has wrong types in {', '.join(bad)}")
    for name, allowed in _VOCABULARY.get(kind, ()):
        if name in data and data[name] not in allowed:
            raise ExchangeError(f"line {lineno}: {kind} record has unknown {name} {data[name]!r}")
    try:
        obj = from_dict(_TYPES[kind], data)
        since = date.fromisoformat(data["since"]) if kind == "provision" and data.get("since") else None
    except (TypeError, ValueError, AttributeError) as e:
        raise ExchangeError(f"line {lineno}: bad {kind} record: {e}") from e
    return Record(kind, obj, since=since, lang=data.get("lang") or "rus")
