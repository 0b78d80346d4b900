"""Parsers of adilet's side pages of an act: /info (Информация), /history (История изменений) and
/links (Ссылки).

No saved copy of these pages was available when this was written (see
tests/fixtures/adilet_synthetic/README.md), so the parsers read by *labels and hrefs*, never by
fixed positions: a label/value pair may be a table row, a ``dt``/``dd`` pair, two sibling blocks or
one "Метка: значение" line; a redaction is an href ``/{lang}/archive/docs/{ID}/{DD.MM.YYYY}``; an
act is an href ``/{lang}/docs/{ID}``. The page chrome (header, tabs, footer widgets with
"Популярные документы", "Дата обновления") is removed before anything is read.

Bad input is an error: a page with nothing recognisable raises ParseError, adilet's maintenance
notice raises MaintenancePage; never an empty result for a page that is not what it claims.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup, NavigableString, Tag

from corpus.models import AmendingAct
from ingest.adilet_urls import ARCHIVE_HREF_RE, DOC_HREF_RE, TAB_HREF_RE, archive_date
from ingest.errors import MaintenancePage, ParseError
from ingest.raw_pages import decode_body, is_maintenance_page
from legal.act_ids import normalize_act_number
from legal.act_kinds import kind_of
from legal.dates import NUMERIC_DATE_RE, find_dates, parse_date

# --- shared helpers -------------------------------------------------------------------------------


#: Page chrome to drop before reading (ids/classes of adilet's "etherna" template).
_CHROME_SELECTORS = (
    "script",
    "style",
    "noscript",
    "#header",
    "#menu",
    "#footer",
    "#footer_top",
    "#footer_bottom",
    ".container_aside",
    ".container_bside",
    "#tabs_container",
    ".tabs",
    ".slogan",
    ".aftertext",
    "#search_form",
    "#search_preview",
    "#modes",
)

#: Act number after "№"/"N": 477-IV, 220-VIII, 292-VІ (Cyrillic І inside numerals), 2337, 18/145.
_NUMBER_RE = re.compile(r"(?:№|\bN)\s*([0-9]+(?:[-/][0-9A-Za-zІі]+)*)")


def _fold(text: str) -> str:
    """NBSP and runs of whitespace folded to single spaces, trimmed."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


_BARE_NUMBER_RE = re.compile(r"^\s*(?:№|N)?\s*([0-9]+(?:[-/][0-9A-Za-zІі]+)*)")


def _number(text: str, *, bare: bool = False) -> str | None:
    """The act number after "№" (or, with ``bare``, at the start: "410-V ЗРК" → "410-V")."""
    m = (_BARE_NUMBER_RE.match(text) if bare else None) or _NUMBER_RE.search(text)
    return normalize_act_number(m.group(1)) if m else None


def _href(a: Tag) -> str:
    """An anchor's href as one string (bs4 types attributes as str or a list of values)."""
    value = a.get("href")
    return value if isinstance(value, str) else " ".join(value or ())


def _soup(html: str | bytes, what: str) -> BeautifulSoup:
    if isinstance(html, bytes):
        html = decode_body(html, None)
    if not html.strip():
        raise ParseError(f"empty {what} page")
    if is_maintenance_page(html):
        raise MaintenancePage(f"adilet maintenance notice instead of the {what} page")
    return BeautifulSoup(html, "lxml")


def _self_id(soup: BeautifulSoup) -> str | None:
    """The act the page belongs to, from its tab links (/docs/{ID}/info …), before chrome is dropped."""
    ids = Counter(m.group(1) for a in soup.find_all("a", href=True) if (m := TAB_HREF_RE.search(_href(a))))
    return ids.most_common(1)[0][0] if ids else None


def _main(soup: BeautifulSoup) -> Tag:
    """The content block: chrome removed; ``div.container_gamma.text`` or ``article`` when present."""
    for selector in _CHROME_SELECTORS:
        for el in soup.select(selector):
            el.decompose()
    for candidate in (soup.select_one("div.container_gamma.text"), soup.find("article"), soup.body):
        if isinstance(candidate, Tag):
            return candidate
    return soup


# --- /info ----------------------------------------------------------------------------------------

_LABEL_MAX = 80  # a label is short; longer "label:" text is a sentence, not a field name
_LABEL_LINE_RE = re.compile(rf"^([^:]{{2,{_LABEL_MAX}}}):\s*(.+)$")


def _label(text: str) -> str:
    return _fold(text).rstrip(":：").strip()


def _add(info: dict[str, str], label: str, value: str) -> None:
    label, value = _label(label), _fold(value)
    if not label or len(label) > _LABEL_MAX:
        return
    if label in info and info[label] and value and value not in info[label].split("; "):
        info[label] = f"{info[label]}; {value}"
    elif label not in info or not info[label]:
        info[label] = value


def parse_info(html: str | bytes) -> dict[str, str]:
    """adilet's /info page as a label → value map, labels as written ("Вид акта", "Дата принятия",
    "Номер", "Статус", "Орган", "Источник опубликования" …), values with whitespace folded.

    Read from table rows (first cell = label), ``dt``/``dd`` pairs, a short "Метка:" block followed
    by its value block, or one "Метка: значение" line. Repeated labels are joined with "; ".
    """
    soup = _soup(html, "/info")
    main = _main(soup)
    info: dict[str, str] = {}
    for tr in main.find_all("tr"):
        cells = tr.find_all(["td", "th"], recursive=False)
        if len(cells) >= 2:
            _add(info, cells[0].get_text(" "), " ".join(c.get_text(" ") for c in cells[1:]))
    for dt in main.find_all("dt"):
        dd = dt.find_next_sibling("dd")
        if dd is not None:
            _add(info, dt.get_text(" "), dd.get_text(" "))
    for el in main.find_all(["div", "span", "p", "li", "b", "strong", "label", "th", "td"]):
        if el.find_parent("tr") is not None and el.name not in ("td", "th"):
            continue
        own = _fold(el.get_text(" "))
        if own.endswith(":") and 1 < len(own) <= _LABEL_MAX + 1:
            # "<b>Метка:</b> значение" (text right after it) or "Метка:" + the next block.
            nxt = el.next_sibling
            if isinstance(nxt, NavigableString) and nxt.strip():
                _add(info, own, str(nxt))
            elif (sib := el.find_next_sibling()) is not None and not _fold(sib.get_text(" ")).endswith(":"):
                _add(info, own, sib.get_text(" "))
        elif (
            el.name in ("p", "li", "div")
            and not el.find(["p", "li", "div", "table", "dl"])
            and not any(_fold(c.get_text(" ")).endswith(":") for c in el.find_all(True))
        ):
            m = _LABEL_LINE_RE.match(own)
            if m and not NUMERIC_DATE_RE.match(m.group(1)):
                _add(info, m.group(1), m.group(2))
    if not info:
        raise ParseError("no label/value pairs found on the /info page")
    return info


@dataclass(frozen=True)
class InfoFields:
    """What an /info map says about the Act's own fields (None when the page does not say)."""

    kind: str | None = None
    number: str | None = None
    adopted: date | None = None
    status: str | None = None  # one of corpus.models.ACT_STATUSES
    publication: str | None = None
    #: the first official publication: the earliest full date in "Источник опубликования" ("Казахстанская
    #: правда" от 03.08.2011 г. № 244-245; Ведомости Парламента … 2011 г., № 16 gives only a year)
    published: date | None = None


_INFO_LABELS: dict[str, tuple[str, ...]] = {
    "kind": ("вид акта", "вид документа", "форма акта", "тип акта", "актінің түрі"),
    "number": ("номер принятия акта", "номер акта", "номер документа", "номер", "актіні қабылдау нөмірі"),
    "adopted": (
        "дата принятия документа",
        "дата принятия акта",
        "дата принятия",
        "дата подписания",
        "актіні қабылдау күні",
    ),
    "status": ("статус документа", "статус акта", "статус", "мәртебесі"),
    "publication": (
        "источник опубликования",
        "источник официального опубликования",
        "опубликование",
        "жариялау дереккөзі",
    ),
}

#: adilet's status words (the badge under the title and the "Статус" row) → ACT_STATUSES.
#: Order matters: "вводится в действие" is not yet in force, "недействующий" is not "действующий".
_STATUS_WORDS: tuple[tuple[str, str], ...] = (
    ("не вступ", "not_in_force_yet"),  # не вступил(о) в силу
    ("не введен", "not_in_force_yet"),
    ("вводится", "not_in_force_yet"),
    ("күшіне енбе", "not_in_force_yet"),
    ("утрат", "repealed"),  # утративший силу, утратил силу
    ("отмен", "repealed"),
    ("недейств", "repealed"),  # недействующий
    ("прекращ", "repealed"),  # прекратил действие
    ("күшін жой", "repealed"),
    ("действ", "in_force"),  # действующий
    ("обновл", "in_force"),  # обновленный: in force with amendments
    ("нов", "in_force"),  # новый
    ("жаңа", "in_force"),  # жаңартылған, жаңа
    ("қолданыс", "in_force"),
)


def status_from_text(text: str) -> str | None:
    """adilet's status wording → ``in_force`` | ``repealed`` | ``not_in_force_yet``; None if unknown."""
    low = _fold(text).lower()
    for word, status in _STATUS_WORDS:
        if word in low:
            return status
    return None


def info_fields(info: dict[str, str]) -> InfoFields:
    """The Act fields an /info map gives, found by label (Russian or Kazakh)."""
    by_label = {k.lower(): v for k, v in info.items()}

    def first(field: str) -> str | None:
        for label in _INFO_LABELS[field]:
            if by_label.get(label):
                return by_label[label]
        return None

    number = first("number")
    adopted = first("adopted")
    status = first("status")
    kind = first("kind")
    return InfoFields(
        kind=kind.lower() if kind else None,
        number=(_number(number, bare=True) or number) if number else None,
        adopted=parse_date(adopted) if adopted else None,
        status=status_from_text(status) if status else None,
        publication=first("publication"),
        published=publication_date(first("publication")),
    )


def publication_date(text: str | None) -> date | None:
    """The earliest full date of a publication source line, or None."""
    found = [d for _, d in find_dates(text or "", kazakh=False)]
    return min(found) if found else None


# --- /history -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One row of История изменений: a redaction (with its archive URL when adilet keeps one) and
    the amending act that produced it, when the row names one."""

    redaction_date: date | None
    url: str | None  # href of /{lang}/archive/docs/{ID}/{DD.MM.YYYY}, as written on the page
    amending_act: AmendingAct | None
    text: str  # the row's text, folded


_ROW_TAGS = ("tr", "li", "dd", "p")

_KIND_RE = re.compile(
    r"\b(конституционн\w+ закон\w*|кодекс\w*|закон\w*|указ\w*|постановлени\w*|приказ\w*|решени\w*)", re.I
)


def _row_of(a: Tag, main: Tag) -> Tag:
    for parent in a.parents:
        if parent is main:
            break
        if isinstance(parent, Tag) and parent.name in _ROW_TAGS:
            return parent
    return a.parent if isinstance(a.parent, Tag) else main


def _kind(text: str) -> str | None:
    m = _KIND_RE.search(text)
    return kind_of(m.group(1)) if m else None


#: "от 24.11.2015", "от 24 ноября 2015 года": the date of an act in its requisites.
_FROM_DATE_RE = re.compile(r"\bот\s+(\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\s+[а-я]+\s+\d{4})(?:\s*(?:года|г\.))?", re.I)


def _amending_act(row: Tag, self_id: str | None, skip: Tag | None = None) -> AmendingAct | None:
    """The amending act a history row names: its href id, number, date and kind."""
    act_id = None
    for a in row.find_all("a", href=True):
        if a is skip or ARCHIVE_HREF_RE.search(_href(a)):
            continue
        m = DOC_HREF_RE.search(_href(a))
        if m and m.group(1) != self_id:
            act_id = m.group(1)
            break
    text = _fold(row.get_text(" "))
    # The act's own date follows "от"; a bare first date may be the redaction date column.
    m_from = _FROM_DATE_RE.search(text)
    adopted = parse_date(m_from.group(1)) if m_from else None
    number = _number(text)
    if act_id is None and number is None:
        return None
    return AmendingAct(number=number, date=adopted, id=act_id, kind=_kind(text))


def parse_history(html: str | bytes, *, act_id: str | None = None) -> list[HistoryEntry]:
    """The /history page as entries in page order: archived redactions (date + archive href) and the
    amending acts named beside them. ``act_id`` (else read from the page's tab links) keeps links to
    the act itself from being taken for an amending act.

    An act never amended gives []; a page with no entries that is not an act's page (no tab
    links naming an act) raises ParseError.
    """
    soup = _soup(html, "/history")
    self_id = act_id or _self_id(soup)
    main = _main(soup)
    rows: dict[int, Tag] = {}
    for a in main.find_all("a", href=True):
        if ARCHIVE_HREF_RE.search(_href(a)) or DOC_HREF_RE.search(_href(a)):
            row = _row_of(a, main)
            rows.setdefault(id(row), row)
    entries: list[HistoryEntry] = []
    for row in rows.values():
        archive = next((a for a in row.find_all("a", href=True) if archive_date(_href(a))), None)
        text = _fold(row.get_text(" "))
        if archive is not None:
            archived = archive_date(_href(archive))
            assert archived is not None
            if self_id is not None and archived[0] != self_id:
                continue  # a redaction of another act: not this act's history
            amending = _amending_act(row, self_id, archive)
            entries.append(HistoryEntry(archived[1], _href(archive).split("#")[0], amending, text))
        else:
            amending = _amending_act(row, self_id)
            if amending is not None:
                # The redaction date is a date of the row other than the amending act's own "от …".
                entries.append(HistoryEntry(parse_date(_FROM_DATE_RE.sub(" ", text)), None, amending, text))
    if not entries and self_id is None:
        # An act without amendments has an empty history; a page that is not an act's page at all
        # (no tab links naming the act) is bad input.
        raise ParseError("no redactions, amending acts or act tabs found on the /history page")
    return entries


# --- /links ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedAct:
    """An act on the /links page: ``direction`` "from" (Ссылки из документа: acts this one cites)
    or "to" (Ссылки на документ: acts citing this one), None when the page does not say."""

    act_id: str
    title: str
    relation: str  # the row's own wording beside the title, or the section heading
    url: str
    direction: str | None = None


_DIRECTION_WORDS = (("из документа", "from"), ("на документ", "to"), ("құжаттан", "from"), ("құжатқа", "to"))


def _direction(text: str) -> str | None:
    low = _fold(text).lower()
    for word, direction in _DIRECTION_WORDS:
        if word in low:
            return direction
    return None


def _section_of(a: Tag, main: Tag) -> tuple[str | None, str]:
    """(direction, heading) of the section holding ``a``: an ancestor with id "from"/"to" (the
    anchors of adilet's "Ссылки из документа"/"Ссылки на документ" tab links), else the nearest
    preceding short link-free block whose text names a direction."""
    for parent in a.parents:
        if parent is main or not isinstance(parent, Tag):
            break
        pid = str(parent.get("id") or "").lower()
        if pid in ("from", "to"):
            heading = parent.find(re.compile(r"^(h[1-6]|caption|b|strong)$"))
            return pid, _fold(heading.get_text(" ")) if heading else ""
    for prev in a.find_all_previous(True):
        pid = str(prev.get("id") or "").lower()
        text = _fold(prev.get_text(" "))
        if pid in ("from", "to"):
            return pid, text if len(text) <= _LABEL_MAX else ""
        if len(text) <= _LABEL_MAX and prev.find("a", href=True) is None and prev.name != "a":
            direction = _direction(text)
            if direction is not None:
                return direction, text
    return None, ""


def parse_links(html: str | bytes, *, act_id: str | None = None) -> list[LinkedAct]:
    """The /links page: every linked act once per direction, in page order, with its title and the
    relation text of its row (or of its section heading). Links to the act itself are skipped.

    An act with no links gives []; a page with no act links that is not an act's page raises
    ParseError.
    """
    soup = _soup(html, "/links")
    self_id = act_id or _self_id(soup)
    main = _main(soup)
    out: list[LinkedAct] = []
    seen: set[tuple[str, str | None]] = set()
    for a in main.find_all("a", href=True):
        m = DOC_HREF_RE.search(_href(a))
        if not m or ARCHIVE_HREF_RE.search(_href(a)):
            continue
        linked = m.group(1)
        if linked == self_id:
            continue
        direction, heading = _section_of(a, main)
        row = _row_of(a, main)
        title = _fold(a.get_text(" "))
        rest = _fold(row.get_text(" ")) if row is not main else ""
        relation = _fold(rest.replace(title, "", 1)).strip(" -–—,;:") if rest else ""
        key = (linked, direction)
        if key in seen:
            continue
        seen.add(key)
        out.append(LinkedAct(linked, title, relation or heading, _href(a), direction))
    if not out and self_id is None:
        raise ParseError("no linked acts and no act tabs found on the /links page")
    return out


#: Words that mark a linked act as one that amends or repeals (изменяет, дополняет, утратил силу).
_AMENDING_RE = re.compile(r"изменени|дополнени|изменяет|дополняет|утрат|признании утратившим|редакци", re.I)


def is_amending_link(link: LinkedAct) -> bool:
    """Whether the crawler should follow a /links entry: its relation or title speaks of amending."""
    return bool(_AMENDING_RE.search(link.relation) or _AMENDING_RE.search(link.title))
