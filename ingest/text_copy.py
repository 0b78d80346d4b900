"""Parser of adilet text copies (plain text saved from a document page, e.g. the bundled codes).

Layout of such a copy (see ``ingest/bundled/SOURCES.md``): every link of the page became a line of
its own, so a paragraph is broken wherever it had a link (``…от 24.11.2015 \\n№ 421-V\\n (вводится
…``). Real paragraphs start with the indent of five NBSP and a space; headings ("Статья 128. …",
"Глава 5. …", "РАЗДЕЛ 4. …", "ОБЩАЯ ЧАСТЬ") start at the margin, possibly after one space, and a
long heading may go on on the next line; a blank line ends a paragraph. Any other line continues the
previous one. The copies carry no title or requisites, so the act's kind comes from its id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from corpus.models import Act, ParsedDocument, Redaction
from ingest.adilet_urls import doc_url
from ingest.effective_rules import apply_entry_into_force
from ingest.errors import ParseError
from ingest.html_page import collect_amendments, redaction_valid_from
from ingest.structure import Line, build_structure, group_lines, match_heading, match_numbered
from legal.act_ids import kind_by_id

#: A paragraph's indent: adilet's NBSPs, or plain spaces/tab where a copy lost them (never seen
#: at the start of a link line, which has at most one space).
_INDENT = ("\xa0", "\u2007", "\u202f", "\t", "  ")
#: An article heading that lost its "Статья" (a link that the copy dropped): "173. Незаконное …".
_BARE_NUMBER_RE = re.compile(r"^\s*\d+(?:-\d+)*[.)]\s*$")
_BARE_ARTICLE_RE = re.compile(r"^(\d+)((?:-\d+)?)\.\s+([А-ЯЁ][^.;:,]*[^.;:,\s])$")


def _heading_candidate(line: str) -> str | None:
    """The line without its single leading space if it may be a heading (it starts at the margin)."""
    line = line[1:] if line.startswith(" ") else line
    return None if line.startswith((*_INDENT, " ")) else line


def text_lines(text: str) -> Iterator[Line]:
    """Reassemble the paragraphs and headings of a text copy (see the module doc)."""
    current: list[str] = []
    is_heading = False
    after_blank = True
    last_article = 0

    def flush() -> Iterator[Line]:
        if current:
            yield Line("".join(current), heading_like=is_heading)

    for raw in text.splitlines():
        if not raw.strip():
            after_blank = True
            continue
        candidate = _heading_candidate(raw)
        heading = match_heading(candidate) if candidate is not None else None
        if heading is None and candidate is not None and after_blank and last_article:
            bare = _BARE_ARTICLE_RE.match(candidate.strip())
            # adilet lost the word "Статья" in a link: accept only the very next article number
            if bare and int(bare.group(1)) == last_article + 1 and not bare.group(2):
                candidate = f"Статья {candidate.strip()}"
                heading = match_heading(candidate)
        if heading is not None:
            yield from flush()
            current, is_heading = [candidate.strip()], True  # type: ignore[union-attr]
            if heading.kind == "article" and heading.number:
                last_article = int(heading.number.split("-")[0])
        elif raw.startswith(_INDENT) or after_blank or (is_heading and match_numbered(raw) is not None):
            yield from flush()
            current, is_heading = [raw], False
        elif is_heading:
            current.append(" " + raw.strip())  # a heading wrapped onto the next line
        elif _BARE_NUMBER_RE.search(current[-1]):
            current.append(" " + raw)  # "3." alone, its text a link on the next line
        else:
            current.append(raw)  # a link cut out of the paragraph: glue it back as it stood
        after_blank = False
    yield from flush()


def parse_text_copy(text: str, *, act_id: str, lang: str = "rus") -> ParsedDocument:
    """A text copy of an adilet page → act, redaction, provisions and amendments.

    Raises :class:`ParseError` if the copy holds no provisions.
    """
    if not act_id:
        raise ParseError("parse_text_copy needs the act id (text copies do not carry one)")
    text = text.lstrip("\ufeff")
    structure = build_structure(group_lines(text_lines(text)), act_id, lang)
    if not any(p.kind != "preamble" for p in structure.provisions):
        raise ParseError(f"{act_id}: the text copy holds no headings or numbered provisions")
    amendments = collect_amendments(structure, act_id)
    source_url = doc_url(act_id, lang)
    act = Act(
        id=act_id,
        kind=kind_by_id(act_id),  # a copy has no requisites line: the id's letter is the fallback
        title="",
        languages=[lang],
        source_url=source_url,
    )
    apply_entry_into_force(act, structure.provisions)
    redaction = Redaction(
        act_id=act_id,
        lang=lang,
        valid_from=redaction_valid_from(amendments),
        url=source_url,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        date_source="amendments",
    )
    return ParsedDocument(act=act, redaction=redaction, provisions=structure.provisions, amendments=amendments)
