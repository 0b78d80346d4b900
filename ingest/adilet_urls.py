"""adilet.zan.kz's URL scheme, built and read in one place.

- the current text of an act: ``/{lang}/docs/{ID}``; its tabs ``/{lang}/docs/{ID}/info|history|links…``;
- an archived redaction (редакция): ``/{lang}/archive/docs/{ID}/{DD.MM.YYYY}`` (some pages write the date
  as ``YYYYMMDD``);
- a provision's anchor on the current text: ``/{lang}/docs/{ID}#z446`` — the page's own element id of the
  heading (``<h3 id="z446">Статья 48.``), a running number of the page, NOT the article's number; known
  only where ingest read it from the page.
Languages: ``rus``, ``kaz``, ``eng``.
"""

from __future__ import annotations

import re
from datetime import date

from legal.act_ids import ACT_ID
from legal.dates import make_date

BASE_URL = "https://adilet.zan.kz"
#: adilet's site languages: Russian, Kazakh, English (docs/design.md §2 "Language").
LANGS: tuple[str, ...] = ("rus", "kaz", "eng")
TABS: tuple[str, ...] = ("info", "history", "links", "download", "comments", "compare")

_LANG = r"(?:rus|kaz|eng)"
#: An act's page (current text): group 1 is the act id.
DOC_HREF_RE = re.compile(rf"/{_LANG}/docs/({ACT_ID})(?=$|[/#?])")
#: An archived redaction: group 1 the act id, group 2 the date as written.
ARCHIVE_HREF_RE = re.compile(rf"/{_LANG}/archive/docs/({ACT_ID})/(\d{{2}}\.\d{{2}}\.\d{{4}}|\d{{8}})(?=$|[/#?])")
#: One of the act's own tabs (a page's tabs name its own act; body links name others).
TAB_HREF_RE = re.compile(rf"/{_LANG}/docs/({ACT_ID})/(?:{'|'.join(TABS)})\b")
#: adilet's element id of a heading or paragraph on a document page (``<h3 id="z446">``,
#: ``<a id="z2" name="z2">``); a re-serialised copy's own wrappers (``id="w_z2"``) are not adilet's.
ANCHOR_RE = re.compile(r"^z\d+$")
#: The act a document or archive URL is about.
ACT_URL_RE = re.compile(rf"/{_LANG}/(?:archive/)?docs/({ACT_ID})")


def doc_url(act_id: str, lang: str = "rus", base: str = BASE_URL, *, anchor: str | None = None) -> str:
    """The current text: ``https://adilet.zan.kz/rus/docs/Z1100000477`` (``#z446`` with the anchor of a
    provision the page names so)."""
    return f"{base}/{lang}/docs/{act_id}" + (f"#{anchor}" if anchor else "")


def page_anchor(value: str | None) -> str | None:
    """``value`` if it is one of adilet's element ids (``z446``), else None."""
    value = (value or "").strip()
    return value if ANCHOR_RE.match(value) else None


def tab_url(act_id: str, tab: str, lang: str = "rus", base: str = BASE_URL) -> str:
    """``…/rus/docs/Z1100000477/info`` (``history``, ``links`` …)."""
    return f"{doc_url(act_id, lang, base)}/{tab}"


def archive_url(act_id: str, on: date, lang: str = "rus", base: str = BASE_URL) -> str:
    """An archived redaction: ``…/rus/archive/docs/Z1100000477/22.07.2011``."""
    return f"{base}/{lang}/archive/docs/{act_id}/{on.strftime('%d.%m.%Y')}"


def archive_date(href: str) -> tuple[str, date] | None:
    """(act id, redaction date) of an archive href; None if it is not one or the date is impossible."""
    m = ARCHIVE_HREF_RE.search(href)
    if not m:
        return None
    raw = m.group(2)
    if "." in raw:
        d, mth, y = (int(x) for x in raw.split("."))
        day = make_date(y, mth, d)
    else:
        day = make_date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    return (m.group(1), day) if day is not None else None


def act_of_url(url: str) -> str | None:
    """The act id a document or archive URL names, or None."""
    m = ACT_URL_RE.search(url)
    return m.group(1) if m else None
