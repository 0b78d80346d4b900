"""Raw adilet pages before parsing (pure functions): charset, truncation, maintenance notices.

One home for "is this page a real document page?", used by the client (never cache garbage, retry),
the document parser and the side-page parsers alike.
"""

from __future__ import annotations

import re

from ingest.adilet_urls import TAB_HREF_RE

_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_SCRIPT_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
#: Words of adilet's maintenance notice ("Ведутся технические работы", "сайт на обновлении",
#: "на обслуживании", Kazakh "техникалық жұмыстар"). Real document pages carry the same sentence in
#: their header chrome, so the words alone never decide: see :func:`is_maintenance_page`.
MAINTENANCE_WORDS = re.compile(
    r"технически[ехм]+\s+работ|профилактическ\w*\s+работ|обновлени[еия]\s+(?:сайта|системы|базы)"
    r"|сайт\s+(?:временно\s+)?недоступ|временно\s+недоступ|на\s+обслуживании|техникалық\s+жұмыс|maintenance",
    re.I,
)
#: Markers of a real adilet page: the document body, the document tabs, or the tab links.
_REAL_PAGE_MARKERS = re.compile(rf"<article\b|id=\"tabs_container\"|{TAB_HREF_RE.pattern}", re.I)


_ARTICLE_RE = re.compile(r"<article\b[^>]*>(.*?)</article\s*>", re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")
#: An article body this short can be a notice; a real act's text is far longer.
_NOTICE_MAX_CHARS = 1000


def speaks_of_maintenance(text: str) -> bool:
    """True when visible text speaks of maintenance; decides only for text known to be a notice's
    body (a page without a document, or an article body that holds nothing else)."""
    return bool(MAINTENANCE_WORDS.search(text))


def is_maintenance_page(html: str) -> bool:
    """True when the page is adilet's maintenance/stub notice rather than a document page.

    A notice either has none of the markers of a document page (``<article>``, the
    ``tabs_container`` or the /info|/history|/links tab links) and speaks of maintenance, or keeps
    the document frame with a short ``<article>`` that speaks of maintenance. Comments are ignored:
    adilet keeps a commented-out "Ведутся технические работы" line in every page, and raw pages
    even show it in the header, outside the article.
    """
    visible = _SCRIPT_RE.sub(" ", _COMMENT_RE.sub(" ", html))
    articles = _ARTICLE_RE.findall(visible)
    if articles:
        body = " ".join(_TAG_RE.sub(" ", a) for a in articles)
        body = re.sub(r"\s+", " ", body.replace("\u00a0", " ")).strip()
        return len(body) < _NOTICE_MAX_CHARS and bool(MAINTENANCE_WORDS.search(body))
    if _REAL_PAGE_MARKERS.search(visible):
        return False
    return bool(MAINTENANCE_WORDS.search(visible))


def looks_truncated(text: str, content_type: str | None) -> bool:
    """An HTML body that never reaches ``</html>`` was cut off in transit."""
    is_html = (content_type or "").lower().startswith("text/html") or text.lstrip()[:1] == "<"
    if not is_html:
        return False
    return re.search(r"</html\s*>", text[-4096:], re.I) is None


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.I)


def decode_body(body: bytes, content_type: str | None) -> str:
    """The page text: the header's charset, else the page's ``<meta charset>``, else UTF-8, else
    cp1251 (adilet's old pages); a BOM is dropped."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    declared = re.search(r"charset=([A-Za-z0-9_-]+)", content_type or "", re.I)
    meta = _CHARSET_RE.search(body[:4096])
    for enc in (declared and declared.group(1), meta and meta.group(1).decode("ascii"), "utf-8"):
        if not enc:
            continue
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1251", errors="replace")
