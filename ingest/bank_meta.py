"""What the reference control bank (эталонный контрольный банк, ЭКБ) says about one version of an act.

The public repository kazakhstan-law/codes keeps, beside each act's ``rus.md`` / ``kaz.md``, the
bank's metadata: in a ``meta.yaml`` of the act's folder (newer layout, values per language) or as
YAML front matter at the top of the Markdown file (older layout, flat values)::

    act_code: '59947'
    requisite: Закон Республики Казахстан от 22 июля 2011 года № 477-IV
    title: {rus: О миграции населения, kaz: Халықтың көші-қоны туралы}
    approved_on: 2011-07-22
    version_date: {kaz: 2022-07-14, rus: 2022-07-14}
    source: {rus: https://zan.gov.kz/client/#!/doc/59947/rus/14.07.2022}
    caused_by:
      code: '169857'
      requisite: Закон Республики Казахстан от 14 июля 2022 года № 141-VII ЗРК
      title: {rus: О внесении изменений …}

:func:`read_meta` turns either form into a :class:`BankMeta` for one language. Rules:

* **Version date** (дата редакции): ``version_date`` for the language; else the date at the end of
  the ``source`` address (``…/doc/59947/rus/27.04.2012``), which the oldest commits carry alone.
* **Amending act** (``caused_by``, a :class:`corpus.models.CausedBy`): its requisite line gives kind,
  date and number (``№ 141-VII ЗРК`` → ``141-VII``), and the adilet id is derived by adilet's rule
  where the rule gives one (laws and codes from 2011 on: :func:`legal.act_ids.derive_act_id`). When
  the bank gives only its own document code (older front matter: ``code`` + ``title``), that code
  (and the title) is all we keep.
* **The act's requisite** gives kind, adoption date and number; the bank writes the end of an act
  into it ("Утратил силу - Законом РК от 13 декабря 1997 года N 205", "Прекратила действие с 1 июля
  2026 года …"), which :func:`parse_requisite` reads. ``approved_on`` stands in for an adoption date the
  requisite does not give in a readable form (the bank has "декабpя" with a Latin "p").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from corpus.models import CausedBy
from ingest.errors import ParseError
from legal.act_ids import derive_act_id, normalize_act_number
from legal.act_kinds import kind_of
from legal.dates import DATE, make_date, parse_date

#: The bank's address of one version: ``https://zan.gov.kz/client/#!/doc/59947/rus/27.04.2012``.
SOURCE_URL_RE = re.compile(
    r"zan\.gov\.kz/client/#!/doc/(?P<code>\d+)/(?P<lang>rus|kaz|eng)(?:/(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>\d{4}))?"
)
#: A requisite line: "Закон Республики Казахстан от 14 июля 2022 года № 141-VII ЗРК" (also "N 205").
_REQUISITE_RE = re.compile(
    rf"^(?P<kind>.+?)\s+от\s+(?P<when>{DATE}|\d{{1,2}}\s+\w+\s+\d{{4}}\s*(?:года|г\.)?)"
    r"\s*(?:(?:№|N)\s*(?P<number>\d+(?:\s*-\s*[A-Za-zА-Яа-яІі]+)*))?"
)
#: The end of an act as the bank writes it into the requisite.
_ENDED_RE = re.compile(
    rf"(?P<verb>Утратил[аио]?\s+силу|Прекратил[аио]?\s+действие)\s*(?:с\s+(?P<on>{DATE}))?", re.IGNORECASE
)


@dataclass(frozen=True)
class Requisite:
    """Kind, adoption date and number read from a requisite line, and the act's end if it states one."""

    kind: str | None = None
    adopted: date | None = None
    number: str | None = None
    ended: bool = False  # "Утратил силу", "Прекратила действие"
    ended_on: date | None = None  # "Прекратила действие с 1 июля 2026 года"
    ended_text: str | None = None  # the bank's words from "Утратил силу" on


@dataclass(frozen=True)
class BankMeta:
    """The bank's metadata of one version in one language (every field may be unknown)."""

    act_code: str | None = None
    requisite: str | None = None
    title: str | None = None
    approved_on: date | None = None
    version_date: date | None = None
    source: str | None = None
    caused_by: CausedBy | None = None
    lang: str | None = None  # the language the file says it is in (front matter ``language``)
    part_of: str | None = None  # a part file's back-reference to its whole redaction ("../rus.md")


def load_yaml(text: str, where: str) -> dict[str, Any]:
    """A YAML mapping; :class:`ParseError` naming ``where`` for bad YAML or a non-mapping."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParseError(f"{where}: bad YAML ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParseError(f"{where}: YAML metadata must be a mapping, got {type(data).__name__}")
    return data


def _for_lang(value: Any, lang: str) -> Any:
    """A per-language value ({rus: …, kaz: …}) for ``lang``; a flat value as is."""
    if isinstance(value, Mapping):
        return value.get(lang)
    return value


def _as_date(value: Any, field: str, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
        found = parse_date(value)
        if found is not None:
            return found
    raise ParseError(f"{where}: {field} is not a date: {value!r}")


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def source_date(url: str | None) -> date | None:
    """The version date at the end of a bank address (``…/doc/59947/rus/27.04.2012``), or None."""
    m = SOURCE_URL_RE.search(url or "")
    if not m or not m["y"]:
        return None
    return make_date(int(m["y"]), int(m["m"]), int(m["d"]))


def source_lang(url: str | None) -> str | None:
    m = SOURCE_URL_RE.search(url or "")
    return m["lang"] if m else None


def source_code(url: str | None) -> str | None:
    m = SOURCE_URL_RE.search(url or "")
    return m["code"] if m else None


def parse_requisite(text: str | None) -> Requisite:
    """Kind, date and number of a requisite line, and whether (and since when) the act ended.

    >>> parse_requisite("Закон Республики Казахстан от 14 июля 2022 года № 141-VII ЗРК").number
    '141-VII'
    """
    if not text:
        return Requisite()
    folded = " ".join(text.split())
    head, _, _ = folded.partition(". ")  # the act's own requisite ends where "Утратил силу …" starts
    kind = adopted = number = None
    if m := _REQUISITE_RE.match(head):
        kind = kind_of(m["kind"].split(" Республики")[0]) or kind_of(m["kind"])
        adopted = parse_date(m["when"])
        if m["number"]:
            try:
                number = normalize_act_number(m["number"])
            except ValueError:
                number = None
    else:
        kind = kind_of(head)
    ended = _ENDED_RE.search(folded)
    ended_on = parse_date(ended["on"]) if ended and ended["on"] else None
    ended_text = folded[ended.start() :] if ended else None
    return Requisite(kind, adopted, number, ended is not None, ended_on, ended_text)


def caused_by_of(data: Any, lang: str, where: str) -> CausedBy | None:
    """The ``caused_by`` block → :class:`CausedBy` (None when absent or empty)."""
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ParseError(f"{where}: caused_by must be a mapping, got {type(data).__name__}")
    code = _as_str(data.get("code"))
    requisite = _as_str(data.get("requisite"))
    title = _as_str(_for_lang(data.get("title"), lang) or _for_lang(data.get("title"), "rus"))
    if not (code or requisite or title):
        return None
    req = parse_requisite(requisite)
    return CausedBy(
        number=req.number,
        date=req.adopted,
        kind=req.kind,
        id=derive_act_id(req.kind, req.adopted, req.number),
        code=code,
        title=title,
        requisite=requisite,
    )


def read_meta(data: Mapping[str, Any], lang: str, where: str) -> BankMeta:
    """One version's metadata for ``lang`` from a meta.yaml mapping or a front matter mapping."""
    source = _as_str(_for_lang(data.get("source"), lang))
    version = _as_date(_for_lang(data.get("version_date"), lang), "version_date", where) or source_date(source)
    approved = data.get("approved_on", data.get("approval_date"))
    return BankMeta(
        act_code=_as_str(data.get("act_code") or data.get("registry_number")) or source_code(source),
        requisite=_as_str(data.get("requisite")),
        title=_as_str(_for_lang(data.get("title"), lang)),
        approved_on=_as_date(approved, "approved_on", where),
        version_date=version,
        source=source,
        caused_by=caused_by_of(data.get("caused_by"), lang, where),
        lang=_as_str(data.get("language")),
        part_of=_as_str(data.get("part_of")),
    )


def merge(primary: BankMeta, fallback: BankMeta) -> BankMeta:
    """Field by field: ``primary`` where it knows, else ``fallback``."""
    return BankMeta(
        **{
            f: getattr(primary, f) if getattr(primary, f) is not None else getattr(fallback, f)
            for f in BankMeta.__dataclass_fields__
        }
    )
