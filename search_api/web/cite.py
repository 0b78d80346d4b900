""""Cite as": a provision of an act in the wording in force on a date, in the forms scholars use.

- **ГОСТ Р 7.0.100-2018** bibliographic record (список источников): the act as an electronic resource,
  "Текст : электронный // <system>. – URL: … (дата обращения: …)";
- a **footnote** (подстрочная ссылка, ГОСТ Р 7.0.5-2008 practice) naming the article;
- **OSCOLA**-like English, citing the foreign act as its own jurisdiction does (number, date, title in
  the original with a translation in square brackets where one is known);
- **BibTeX** (``@misc`` with biblatex fields) and **CSL-JSON** (``type: legislation``) for reference managers.

Every form carries "в редакции на <date>" (the wording cited) and the URL of the act on adilet
(with the provision's ``#z{N}`` anchor when the store knows it; see :func:`present.provision_anchor`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from corpus.models import Act
from search_api.web.present import eid_label, fmt_date, fmt_date_long

SYSTEM_RU = "Әділет : информационно-правовая система нормативных правовых актов Республики Казахстан"
SYSTEM_EN = "Adilet, Legal Information System of Regulatory Legal Acts of the Republic of Kazakhstan"
#: The source systems a wording may be read from, by host: (Russian name, English name).
SYSTEMS: dict[str, tuple[str, str]] = {
    "adilet.zan.kz": (SYSTEM_RU, SYSTEM_EN),
    "zan.gov.kz": ("Эталонный контрольный банк нормативных правовых актов Республики Казахстан в электронном виде",
                   "Reference Control Bank of Regulatory Legal Acts of the Republic of Kazakhstan"),
}

#: Act kind (legal.act_kinds) → how a record names it.
KIND_RU: dict[str, str] = {
    "закон": "Закон Республики Казахстан",
    "конституционный закон": "Конституционный закон Республики Казахстан",
    "кодекс": "Кодекс Республики Казахстан",
    "указ": "Указ Президента Республики Казахстан",
    "постановление": "Постановление Правительства Республики Казахстан",
    "приказ": "Приказ",
    "конституция": "Конституция Республики Казахстан",
}
KIND_EN: dict[str, str] = {
    "закон": "Law of the Republic of Kazakhstan",
    "конституционный закон": "Constitutional Law of the Republic of Kazakhstan",
    "кодекс": "Code of the Republic of Kazakhstan",
    "указ": "Decree of the President of the Republic of Kazakhstan",
    "постановление": "Resolution of the Government of the Republic of Kazakhstan",
    "приказ": "Order",
    "конституция": "Constitution of the Republic of Kazakhstan",
}
_OSCOLA_ABBR = {"art": "art", "para": "", "point": "", "chp": "ch", "sec": "s"}


@dataclass(frozen=True)
class CiteSubject:
    """What is cited: an act, optionally one provision of it, in the wording in force on ``wording``."""

    act: Act
    eid: str | None
    heading: str | None
    wording: date  # the date whose wording is cited (the page's at=, else today)
    accessed: date
    url: str  # adilet, with the anchor when known
    title_en: str | None = None  # a translation of the title, where one is known

    @property
    def system(self) -> tuple[str, str]:
        """The information system the URL belongs to (adilet, the reference control bank …)."""
        host = urlsplit(self.url).hostname or ""
        return SYSTEMS.get(host, (host, host))

    @property
    def kind_ru(self) -> str:
        return KIND_RU.get((self.act.kind or "").lower(), (self.act.kind or "").capitalize())

    @property
    def kind_en(self) -> str:
        return KIND_EN.get((self.act.kind or "").lower(), "Act of the Republic of Kazakhstan")

    @property
    def names_its_kind(self) -> bool:
        """True when the title names the act ("Уголовный кодекс …"), False for "О миграции населения"."""
        return not re.match(r"^(?:О|Об|Обо)\s", self.act.title)


def _requisites_ru(s: CiteSubject) -> str:
    parts = []
    if s.act.adopted:
        parts.append(f"от {fmt_date(s.act.adopted)}")
    if s.act.number:
        parts.append(f"№ {s.act.number}")
    return " ".join(parts)


def _act_ru(s: CiteSubject) -> str:
    req = _requisites_ru(s)
    if s.names_its_kind:
        return f"{s.act.title} {req}".strip()
    return f"{s.act.title} : {s.kind_ru} {req}".strip()


def gost_record(s: CiteSubject) -> str:
    """ГОСТ Р 7.0.100-2018 record of the act (for a list of sources), with the wording's date."""
    return (f"{_act_ru(s)} (в редакции на {fmt_date(s.wording)}). – Текст : электронный // {s.system[0]}. – "
            f"URL: {s.url} (дата обращения: {fmt_date(s.accessed)}).")


def gost_footnote(s: CiteSubject) -> str:
    """A footnote naming the provision: "… (в редакции на 01.12.2026). Ст. 48. URL: … (дата обращения: …)"."""
    where = ""
    if s.eid:
        label = eid_label(s.eid, s.act.kind, "ru")
        where = f" {label[:1].upper()}{label[1:]}."
    return (f"{_act_ru(s)} (в редакции на {fmt_date(s.wording)}).{where} URL: {s.url} "
            f"(дата обращения: {fmt_date(s.accessed)}).")


def oscola_pinpoint(eid: str) -> str:
    """OSCOLA pinpoint: ``art_48__para_2__point_3`` → ``art 48(2)(3)``."""
    from legal.eid import Eid, EidError

    try:
        pieces = Eid.parse(eid).pieces
    except EidError:
        return eid
    out = ""
    for p in pieces:
        if p.prefix in ("para", "point"):
            out += f"({p.number})"
        elif p.prefix in _OSCOLA_ABBR:
            out += f"{' ' if out else ''}{_OSCOLA_ABBR[p.prefix]} {p.number}"
        else:
            out += f"{' ' if out else ''}{p}"
    return out


def oscola(s: CiteSubject) -> str:
    """OSCOLA-like: "Law of the Republic of Kazakhstan No 477-IV of 22 July 2011 ‘О миграции населения’
    [On Migration of Population], art 48 (as in force on 1 December 2026) <url> accessed 1 December 2026"."""
    kind = "" if s.names_its_kind else s.kind_en
    number = f" No {s.act.number}" if s.act.number else ""
    adopted = f" of {fmt_date_long(s.act.adopted, 'en')}" if s.act.adopted else ""
    title = f"‘{s.act.title}’"
    if s.title_en:
        title += f" [{s.title_en}]"
    head = f"{kind}{number}{adopted} {title}" if kind else f"{title}{number}{adopted}"
    pin = f", {oscola_pinpoint(s.eid)}" if s.eid else ""
    return (f"{head.strip()}{pin} (as in force on {fmt_date_long(s.wording, 'en')}) <{s.url}> "
            f"accessed {fmt_date_long(s.accessed, 'en')}")


def _bib_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def cite_key(s: CiteSubject) -> str:
    where = re.sub(r"[^A-Za-z0-9]+", "", (s.eid or "").replace("__", "-")) if s.eid else "act"
    return f"{s.act.id}_{where}_{s.wording:%Y%m%d}"


def bibtex(s: CiteSubject) -> str:
    """A BibTeX ``@misc`` entry (biblatex reads ``date``, ``urldate``, ``langid``)."""
    fields: list[tuple[str, str]] = [
        ("title", _act_ru(s)),
        ("type", s.kind_ru),
        ("number", s.act.number or ""),
        ("date", s.act.adopted.isoformat() if s.act.adopted else ""),
        ("year", str(s.act.adopted.year) if s.act.adopted else ""),
        ("howpublished", s.system[0]),
        ("url", s.url),
        ("urldate", s.accessed.isoformat()),
        ("note", "; ".join(x for x in (
            eid_label(s.eid, s.act.kind, "ru") if s.eid else "", f"в редакции на {fmt_date(s.wording)}") if x)),
        ("langid", "russian"),
    ]
    body = ",\n".join(f"  {k} = {{{_bib_escape(v) if k != 'url' else v}}}" for k, v in fields if v)
    return f"@misc{{{cite_key(s)},\n{body}\n}}\n"


def _date_parts(d: date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[d.year, d.month, d.day]]}


def csl_json(s: CiteSubject) -> str:
    """CSL-JSON (a list of one item, ``type: legislation``) for Zotero, Mendeley, pandoc."""
    item: dict[str, object] = {
        "id": cite_key(s),
        "type": "legislation",
        "title": s.act.title,
        "genre": s.kind_ru,
        "number": s.act.number,
        "authority": "Республика Казахстан",
        "jurisdiction": "kz",
        "container-title": s.system[0],
        "URL": s.url,
        "accessed": _date_parts(s.accessed),
        "language": "ru",
        "note": f"в редакции на {fmt_date(s.wording)}",
    }
    if s.act.adopted:
        item["issued"] = _date_parts(s.act.adopted)
    if s.eid:
        item["section"] = eid_label(s.eid, s.act.kind, "ru")
    return json.dumps([{k: v for k, v in item.items() if v is not None}], ensure_ascii=False, indent=2) + "\n"
