"""Parser of an adilet document page (``/rus/docs/{ID}`` or ``/rus/archive/docs/{ID}/{date}``).

The page gives the act's requisites (title ``h1``, the line "Закон Республики Казахстан от 22 июля
2011 года № 477-IV.", the status badge, the footer "Дата обновления") and the body in one or more
``<article>`` elements. The body is linearised into lines (block elements and ``<br>`` end a line),
each line knowing whether it is a heading (``h3``, a bold paragraph), whether it carries adilet's
note styling (``span.note``, red ``font``) and the page's element id it holds (``<h3 id="z446">``,
``<a name="z2">``: the heading's anchor, ``Provision.anchor``); :mod:`ingest.structure` does the rest. Footnotes keep
the amending law's number that raw pages put as a link *between* two ``span.note``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import lxml.html
from lxml import etree

from corpus.models import Act, Amendment, ParsedDocument, Redaction
from ingest import adilet_urls
from ingest.adilet_urls import TAB_HREF_RE, act_of_url, doc_url
from ingest.amendments import is_repealed_stub, parse_excluded_item, parse_note
from ingest.effective_rules import apply_entry_into_force
from ingest.errors import MaintenancePage, ParseError
from ingest.pages import status_from_text
from ingest.raw_pages import speaks_of_maintenance
from ingest.structure import Line, Structure, build_structure, clean_text, group_lines
from legal.act_ids import normalize_act_number
from legal.act_kinds import kind_of
from legal.dates import DATE, parse_date

# --- requisites (реквизиты) ----------------------------------------------------------------------

#: "Закон Республики Казахстан от 22 июля 2011 года № 477-IV." / "… от 18.11.2015 № 410-V ЗРК."
REQUISITES_RE = re.compile(
    rf"^(?P<kind>.+?)\s+от\s+(?P<when>{DATE})\s*(?:года|г\.)?\s*(?:№\s*(?P<number>[0-9A-Za-zА-Яа-яІі_/-]+))?"
)
_SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->")
_UPDATED_RE = re.compile(r"Дата обновления:\s*(\d{2})\.(\d{2})\.(\d{4})")
_TITLE_SUFFIX_RE = re.compile(r"\s*-\s*ИПС\s+\"?Әділет\"?\s*$")


@dataclass(frozen=True)
class Requisites:
    kind: str | None = None
    adopted: date | None = None
    number: str | None = None


def parse_requisites(text: str) -> Requisites:
    """The kind, date and number of the requisites line under the title."""
    m = REQUISITES_RE.match(clean_text(text))
    if not m:
        return Requisites()
    words = m.group("kind").lower()
    kind = kind_of(words) or words.split()[0]
    adopted = parse_date(m.group("when"))
    try:
        number = normalize_act_number(m.group("number")) if m.group("number") else None
    except ValueError:  # "№ б/н" and the like: keep as written
        number = m.group("number")
    return Requisites(kind, adopted, number)


def status_of(badge: str | None) -> str:
    """adilet's status badge ("Действующий", "Обновленный", "Утративший силу" …) → ACT_STATUSES."""
    return (status_from_text(badge) if badge else None) or "unknown"


# --- body linearisation ---------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "blockquote"}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD_TAGS = {"b", "strong"}
_SKIP_TAGS = {"script", "style", "noscript"}


@dataclass
class _LineBuffer:
    chars: list[str] = field(default_factory=list)
    bold: int = 0
    styled: int = 0
    heading_tag: bool = False

    bold_start: bool | None = None  # was the line's first visible text bold ("<b>Статья 5.</b> …")
    anchor: str | None = None  # the first adilet element id in the line ("<h3 id="z446">", "<a name="z2">")

    def add(self, text: str, *, bold: bool, styled: bool) -> None:
        self.chars.append(text)
        n = len(text.strip())
        if n and self.bold_start is None:
            self.bold_start = bold
        self.bold += n if bold else 0
        self.styled += n if styled else 0


def _is_note_styled(el: etree._Element) -> bool:
    if el.tag == "span" and "note" in (el.get("class") or "").split():
        return True
    if el.tag == "p" and "note" in (el.get("class") or "").split():
        return True
    return el.tag == "font" and (el.get("color") or "").lstrip("#").upper() == "FF0000"


def linearize(root: etree._Element) -> Iterator[Line]:
    """Lines of an ``article`` element: block elements and ``<br>`` end a line."""
    buf = _LineBuffer()

    def flush() -> Iterator[Line]:
        nonlocal buf
        text = clean_text("".join(buf.chars))
        if text:
            total = len(text.replace(" ", ""))
            yield Line(
                text,
                heading_like=buf.heading_tag or buf.bold >= 0.9 * total or bool(buf.bold_start),
                note_styled=buf.styled > 0,
                anchor=buf.anchor,
            )
        buf = _LineBuffer()

    def walk(el: etree._Element, bold: bool, styled: bool, heading: bool) -> Iterator[Line]:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:  # comments, processing instructions
            return
        if tag == "br":
            if heading or bold:  # "Глава 2. … ПРОЦЕССАМИ<br/>МИГРАЦИИ …": one heading on two lines
                buf.add(" ", bold=bold, styled=styled)
            else:
                yield from flush()
            return
        block = tag in _BLOCK_TAGS
        if block:
            yield from flush()
        if tag in _HEADING_TAGS:
            buf.heading_tag = heading = True
        if buf.anchor is None:
            buf.anchor = adilet_urls.page_anchor(el.get("id")) or adilet_urls.page_anchor(el.get("name"))
        bold = bold or tag in _BOLD_TAGS
        styled = styled or _is_note_styled(el)
        if el.text:
            buf.add(el.text, bold=bold, styled=styled)
        for child in el:
            yield from walk(child, bold, styled, heading)
            if child.tail:
                if tag in ("tr", "table"):  # whitespace between cells/rows
                    buf.add(" ", bold=False, styled=False)
                else:
                    buf.add(child.tail, bold=bold, styled=styled)
        if tag in ("td", "th"):
            buf.add(" ", bold=False, styled=False)
        if block:
            yield from flush()

    yield from walk(root, False, False, False)
    yield from flush()


# --- amendments and the redaction date (shared with ingest.text_copy) ----------------------------

def collect_amendments(structure: Structure, act_id: str) -> list[Amendment]:
    """Amendments from the notes (Сноска, Примечание ИЗПИ!) and from "исключен …" provisions, which
    are marked ``repealed`` on the way."""

    out: list[Amendment] = []
    for note in structure.notes:
        out.extend(
            parse_note(note.text, act_id=act_id, context_eid=note.context_eid, source_kind=note.source_kind)
        )
    for prov in structure.provisions:
        text = prov.text or (prov.heading or "" if prov.kind == "article" else "")
        if text and is_repealed_stub(text):
            prov.repealed = True
            out.extend(parse_excluded_item(text, act_id=act_id, eid=prov.eid))
    return out


def redaction_valid_from(
    amendments: list[Amendment],
    *,
    archive_date: date | None = None,
    updated: date | None = None,
    adopted: date | None = None,
) -> date | None:
    """The date a redaction is valid from (docs/design.md §2).

    The archive url's date if there is one; else the newest date among the non-prospective
    amendments (effective date, or the amending act's date when there is none) not after the page's
    "Дата обновления"; else the adoption date.
    """
    if archive_date is not None:
        return archive_date
    dates = [
        a.effective_date or a.amending_act.date
        for a in amendments
        if a.verb != "prospective" and a.source_kind != "izpi_note"
    ]
    known = [d for d in dates if d is not None and (updated is None or d <= updated)]
    return max(known) if known else adopted


# --- the page ------------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251")  # adilet's old pages


def _first_text(root: etree._Element, xpath: str) -> str | None:
    for el in root.xpath(xpath):
        text = clean_text(el.text_content())
        if text:
            return text
    return None


def _dmy(m: re.Match[str] | None) -> date | None:
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def parse_document(
    html: str | bytes, *, act_id: str | None = None, url: str | None = None, lang: str = "rus"
) -> ParsedDocument:
    """One adilet page → act, redaction, provisions and the amendments its notes record.

    Raises :class:`MaintenancePage` for adilet's stub pages and :class:`ParseError` for a page with
    no ``article`` body or no provisions; the message names the url or act.
    """
    raw = html if isinstance(html, bytes) else html.encode("utf-8")
    text = _decode(raw) if isinstance(html, bytes) else html
    who = url or act_id or "page"
    if not text.strip():
        raise ParseError(f"{who}: empty page")
    try:
        try:
            root = lxml.html.document_fromstring(text)
        except ValueError:  # a str with an XML encoding declaration: let lxml read the bytes
            root = lxml.html.document_fromstring(text.encode("utf-8"))
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"{who}: not an HTML page ({exc})") from exc

    saved_from = (m.group(1) if (m := _SAVED_FROM_RE.search(text[:4000])) else None)
    canonical = next(iter(root.xpath("//link[@rel='canonical']/@href")), None)
    page_url = url or canonical or saved_from
    if act_id is None and page_url:
        act_id = act_of_url(page_url)
    if act_id is None:
        # the page's own tabs ("Информация", "История изменений" …) name its act; body links name others
        act_id = next((m.group(1) for href in root.xpath("//a/@href") if (m := TAB_HREF_RE.search(href))), None)
    who = url or page_url or act_id or "page"

    articles = root.xpath("//article")
    if not articles:
        body_text = clean_text(root.text_content())
        if speaks_of_maintenance(body_text):
            raise MaintenancePage(f"{who}: adilet answered with a maintenance page, not a document")
        raise ParseError(f"{who}: no <article> body in the page (not an adilet document page?)")
    if act_id is None:
        raise ParseError(f"{who}: no act id given and none found in the page's url or links")

    title = _first_text(root, "//h1")
    if title is None:
        title = _TITLE_SUFFIX_RE.sub("", _first_text(root, "//title") or "")
    requisites_line = _first_text(root, "//div[contains(@class,'slogan')]/p")
    requisites = parse_requisites(requisites_line or _first_text(root, "//h1/following::p[1]") or "")
    status = status_of(_first_text(root, "//span[contains(concat(' ',@class,' '),' status ')]"))

    lines = (line for article in articles for line in linearize(article))
    structure = build_structure(group_lines(lines), act_id, lang)
    if not structure.provisions:
        raise ParseError(f"{who}: the <article> body holds no provisions")
    if all(p.kind == "preamble" for p in structure.provisions) and speaks_of_maintenance(
        structure.provisions[0].text
    ):
        raise MaintenancePage(f"{who}: adilet answered with a maintenance notice inside the document frame")
    amendments = collect_amendments(structure, act_id)

    archived = adilet_urls.archive_date(page_url or "")
    redaction_date = archived[1] if archived else None
    updated = _dmy(_UPDATED_RE.search(clean_text(root.text_content())))
    source_url = page_url or doc_url(act_id, lang)
    act = Act(
        id=act_id,
        kind=requisites.kind,
        title=title,
        number=requisites.number,
        adopted=requisites.adopted,
        status=status,
        languages=[lang],
        source_url=source_url,
    )
    apply_entry_into_force(act, structure.provisions)
    redaction = Redaction(
        act_id=act_id,
        lang=lang,
        valid_from=redaction_valid_from(
            amendments, archive_date=redaction_date, updated=updated, adopted=requisites.adopted
        ),
        url=source_url,
        content_hash=hashlib.sha256(raw).hexdigest(),
        # an archive address carries adilet's own version date; else the newest amendment dates the page
        date_source="version" if redaction_date is not None else "amendments",
    )
    return ParsedDocument(
        act=act, redaction=redaction, provisions=structure.provisions, amendments=amendments
    )


__all__ = [
    "Requisites",
    "collect_amendments",
    "linearize",
    "parse_document",
    "parse_requisites",
    "redaction_valid_from",
    "status_of",
]
