"""Parser of the reference-bank Markdown: one version of an act in one language (редакция ЭКБ).

The public repository kazakhstan-law/codes keeps every act of the reference control bank (ЭКБ, the
bank behind adilet) as Markdown, one git commit per version (../shared/sources/SOURCES.md). This
module turns such a file into the same :class:`~corpus.models.ParsedDocument` (provisions, eids,
amendments) as the adilet parsers give for the same act: it linearises the Markdown into
:class:`~ingest.structure.Line` objects and leaves headings, numbering and eids to
:mod:`ingest.structure`, the one structure builder of every format.

Layouts (they differ between commits and acts; all are read):

* **Headings** are ``##``/``###`` Markdown headings ("### Статья 8-1. …", "## Глава 2. …",
  "## ГЛАВА 1 Общие положения", "## Раздел II Человек и гражданин", "### Статья 1" with no title,
  Kazakh "### 1-бап. …", "## 1-тарау. …") or whole bold lines ("**Статья 6. Граждане Республики
  …**", where the bold sentence is the article's first sentence, as adilet prints it). A Latin "C"
  in "Cтатья" is read like the Cyrillic one. ``# Title`` (H1) is the act's title, not a provision.
  A heading that goes on in the next paragraph ("### Статья 27. Ответственность иммигрантов,
  совершивших" + "административные правонарушения …", 1992) is joined when the heading has no
  closing punctuation and the paragraph starts with a lower-case letter.
* **Anchors** ``<a id="st8-1"></a>`` are dropped (the heading after them carries the number).
* **Editorial notes** are ``> *…*`` blocks, indented or not ("Сноска. …", "Ескерту. …", "По всему
  тексту:"), and bare italic paragraphs that are notes ("*Сноска. Статья 8-1 исключена …*"). They
  never enter provision text; a note stopping at ':' takes the next block. Italic items
  ("*2) исключен Законом РК от …*") lose their asterisks and stay items.
* **Multi-part files**: a line ``<!-- part: REPO PATH @ COMMIT -->`` opens each part copied from the
  repository (the main ``rus.md`` and its chapter files ``rus/ch001.md`` …). Each part may open with
  YAML front matter (``---`` … ``---``); the first part's front matter describes the version, a
  part's ``part_of`` only points back. In a part with an H1, the lines before it are the bank's table
  of contents (оглавление: plain "Глава 1. …" / "Статья 1. …" lines) and are dropped; the
  repository's own "## Части документа" section (a list of the parts) is dropped up to the next part.
* **Chapter files** (a part file read alone: the back-link ``↑ [Вся редакция](../rus.md)`` at the top,
  or ``part_of`` in its front matter, and no part with the act's title) are **excerpts**: a
  redaction of the provisions they hold, never of the whole act (so is a file opening with
  ``<!-- EXCERPT …``). Their scope is the eids at the top of the id tree (the chapter
  and each article: ``chp_28``, ``art_510`` …; see :func:`scope_of`).
* **Code fences**: the 1992 immigration law has the end of art. 29, art. 30 and the signature in a
  ```` ``` ```` block (a conversion artefact): inside a fence a line is a heading if it reads as one
  ("Статья 30. …"), the signature is dropped, and any other line goes on with the paragraph it
  continues (a lower-case start, or an unfinished previous line) or starts a new one.
* **A note's body turned heading**: after a bare note header ("Примечание РЦПИ!") a Markdown heading
  ("## Глава 10 вводится в действие с 01.01.2015 (см. ст. 63).", 2012) is the note's body.
* **Signatures** ("**Президент Республики Казахстан**", "**Н. Назарбаев**", Kazakh "**Қазақстан
  Республикасының Президенті**") are dropped like on adilet pages.

Metadata: the version date and the amending act come from the front matter or a ``meta.yaml``
passed in (:mod:`ingest.bank_meta`); the redaction's ``valid_from`` is the version date.

Languages: Russian texts (``lang="rus"``) give amendment records from their notes and repealed items
through :mod:`ingest.amendments`, like adilet notes. **Kazakh texts** (``lang="kaz"``) get the same
eids as the Russian text (the structure builder numbers "8-1-бап", "2)" alike), so versions align
across languages; their "Ескерту" notes are kept out of the text but give **no amendment records**:
the Russian redaction of the same version carries the same notes, and the amendments parser reads
Russian wording only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from corpus.models import Act, ParsedDocument, Provision, Redaction
from ingest.amendments import is_note, is_repealed_stub
from ingest.bank_meta import BankMeta, load_yaml, merge, parse_requisite, read_meta, source_lang
from ingest.effective_rules import apply_entry_into_force
from ingest.errors import ParseError
from ingest.html_page import collect_amendments, redaction_valid_from
from ingest.structure import (
    SIGNATURE_RE,
    Line,
    build_structure,
    group_lines,
    is_bare_note_header,
    match_heading,
    match_numbered,
)
from legal.act_ids import kind_by_id
from legal.eid import Eid

#: ``<!-- part: kazakhstan-law/codes 03-laws/…/rus/ch001.md @ 0609461… -->`` (no commit for parts read
#: from a folder on disk: ``<!-- part: /path/to/act rus/ch001.md -->``)
PART_MARKER_RE = re.compile(
    r"^<!--\s*part:\s*(?P<repo>\S+)\s+(?P<path>\S+)(?:\s*@\s*(?P<commit>[0-9a-fA-F]{7,40}))?\s*-->\s*$"
)
#: A part file listed in a split main file's "## Части документа" table: ``[`ch001`](rus/ch001.md)``.
_PART_LINK_RE = re.compile(r"\]\((?P<path>(?:rus|kaz|eng)/[^)\s]+\.md)\)")
_EXCERPT_RE = re.compile(r"^<!--\s*EXCERPT\b")
#: The repository's back-link at the top of a chapter file: ``↑ [Вся редакция](../rus.md)``.
BACKLINK_RE = re.compile(r"^↑\s*\[[^\]]*\]\((?:\.\./)?(?:rus|kaz|eng)\.md\)\s*$")
_ANCHOR_RE = re.compile(r"<a\s+(?:id|name)\s*=\s*\"[^\"]*\"\s*>\s*</a>")
_MD_HEADING_RE = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_BOLD_LINE_RE = re.compile(r"^\*\*(?P<text>[^*].*?)\*\*$")
_ITALIC_RE = re.compile(r"^\*(?P<text>[^*\s](?:.*[^*\s])?)\*$")
_QUOTE_RE = re.compile(r"^>\s?(?P<text>.*)$")
_FENCE_RE = re.compile(r"^\s*(?:```|~~~)")
#: The repository's list of the parts of a split act (not law text).
_CONTENTS_HEADINGS = frozenset({"Части документа"})
_SENTENCE_END = (".", ";", ":", "!", "?")
#: Kazakh structural headings ("8-1-бап.", "1-тарау."), to tell a Kazakh text without metadata.
_KAZ_HEADING_RE = re.compile(r"^#{1,6}\s+\d+(?:-\d+)*\s*-\s*(?:бап|тарау|ТАРАУ)\b", re.M)
_RUS_HEADING_RE = re.compile(r"^#{1,6}\s+(?:[CС]татья|Глава|ГЛАВА)\s", re.M)


@dataclass(frozen=True)
class PartRef:
    """Where one part of a multi-part file came from (its ``<!-- part: … -->`` line)."""

    repo: str
    path: str
    commit: str | None


@dataclass
class MarkdownLayout:
    """What the linearisation found besides the lines: title, metadata, parts, excerpt signs."""

    title: str | None = None
    front_matter: list[BankMeta] = field(default_factory=list)  # one per part that has one
    parts: list[PartRef] = field(default_factory=list)
    backlink: bool = False  # a chapter file read alone
    excerpt_comment: bool = False
    has_main_part: bool = False  # some part has the act's H1 title


@dataclass(frozen=True)
class MarkdownVersion:
    """One parsed version: the document, the bank's metadata, and whether it is an excerpt."""

    doc: ParsedDocument
    meta: BankMeta
    layout: MarkdownLayout
    partial: bool
    scope: list[str] | None  # root eids an excerpt covers (with their descendants); None = the whole act


# --- split acts ------------------------------------------------------------------------------------


def part_paths(main_text: str) -> list[str]:
    """The part files a split main file lists under "## Части документа", in its order
    (``["rus/ch001.md", "rus/ch008.md"]``); [] for a file that is whole."""
    start = main_text.find("## Части документа")
    if start < 0:
        return []
    return list(dict.fromkeys(m["path"] for m in _PART_LINK_RE.finditer(main_text, start)))


def part_marker(repo: str, path: str, commit: str | None = None) -> str:
    return f"<!-- part: {repo} {path}" + (f" @ {commit}" if commit else "") + " -->"


def assemble_parts(
    main_text: str, read_part: Callable[[str], str], *, repo: str, main_path: str, commit: str | None = None
) -> str:
    """A split act as one multi-part text: the main file, then every part it lists, each after its
    ``<!-- part: … -->`` line. ``read_part`` gets the listed path relative to the main file's folder
    (``rus/ch001.md``) and raises :class:`ParseError` naming it when it cannot be read."""
    paths = part_paths(main_text)
    if not paths or any(PART_MARKER_RE.match(line.strip()) for line in main_text.splitlines()):
        return main_text  # a whole act, or parts already assembled
    folder = main_path.rsplit("/", 1)[0] + "/" if "/" in main_path else ""
    chunks = [part_marker(repo, main_path, commit), main_text.rstrip("\n")]
    for rel in paths:
        chunks += [part_marker(repo, folder + rel, commit), read_part(rel).rstrip("\n")]
    return "\n".join(chunks) + "\n"


# --- detection --------------------------------------------------------------------------------------


def looks_like_markdown(text: str) -> bool:
    """True for the bank's Markdown: a part marker, front matter, or Markdown article headings/anchors."""
    head = text.lstrip("\ufeff")[:4000]
    first = head.lstrip().split("\n", 1)[0].strip()
    if PART_MARKER_RE.match(first) or _EXCERPT_RE.match(first) or BACKLINK_RE.match(first):
        return True
    if "<html" in head.lower() or "<article" in head.lower():
        return False
    if first == "---" or first.startswith("# "):
        return True
    return bool(_RUS_HEADING_RE.search(text[:200_000]) or _KAZ_HEADING_RE.search(text[:200_000])) or (
        '<a id="st' in head
    )


def detect_lang(text: str, meta: BankMeta | None = None) -> str:
    """The text's language: the metadata's ``language`` or source address, else its headings."""
    if meta is not None:
        if meta.lang in ("rus", "kaz", "eng"):
            return meta.lang
        if lang := source_lang(meta.source):
            return lang
    kaz = len(_KAZ_HEADING_RE.findall(text))
    rus = len(_RUS_HEADING_RE.findall(text))
    return "kaz" if kaz > rus else "rus"


# --- linearisation ------------------------------------------------------------------------------------


def _strip_italic(text: str) -> str:
    m = _ITALIC_RE.match(text)
    return m["text"].strip() if m else text


def _split_parts(text: str) -> list[tuple[PartRef | None, list[str]]]:
    parts: list[tuple[PartRef | None, list[str]]] = [(None, [])]
    for line in text.splitlines():
        if m := PART_MARKER_RE.match(line.strip()):
            parts.append((PartRef(m["repo"], m["path"], m["commit"]), []))
        else:
            parts[-1][1].append(line)
    if parts[0][0] is None and not any(line.strip() for line in parts[0][1]) and len(parts) > 1:
        parts.pop(0)
    return parts


def _front_matter(lines: list[str], where: str, layout: MarkdownLayout) -> list[str]:
    """Drop leading comments, blank lines and the YAML front matter (kept in ``layout``)."""
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if not s:
            i += 1
        elif s.startswith("<!--"):
            layout.excerpt_comment |= bool(_EXCERPT_RE.match(s))
            while i < len(lines) and "-->" not in lines[i]:
                i += 1
            i += 1
        else:
            break
    if i < len(lines) and lines[i].strip() == "---":
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "---"), None)
        if end is None:
            raise ParseError(f"{where}: front matter opened with '---' is never closed")
        data = load_yaml("\n".join(lines[i + 1 : end]), f"{where} front matter")
        layout.front_matter.append(read_meta(data, str(data.get("language") or "rus"), where))
        i = end + 1
    return lines[i:]


class _Linearizer:
    """Markdown lines → :class:`Line` objects, over every part of a file (see the module doc)."""

    def __init__(self, layout: MarkdownLayout) -> None:
        self.layout = layout
        self.out: list[Line] = []
        self._para: list[str] = []
        self._quote = False
        self._last_heading: Line | None = None  # the last emitted line, if it is a heading
        self._fence_open = False  # the last line may go on inside a code fence

    # - emitting ------------------------------------------------------------------------------------

    def _emit(self, line: Line) -> None:
        self.out.append(line)
        is_heading = line.heading_like and match_heading(line.text) is not None
        self._last_heading = line if is_heading else None

    def flush(self) -> None:
        if not self._para:
            return
        text = " ".join(p for p in self._para if p).strip()
        quote, self._para, self._quote = self._quote, [], False
        if not text:
            return
        if quote:
            self._emit(Line(_strip_italic(text), editorial=True))
            return
        plain = _strip_italic(text)
        heading = self._last_heading
        if (
            heading is not None
            and plain == text
            and plain[:1].islower()
            and not heading.text.rstrip().endswith(_SENTENCE_END)
        ):
            heading.text = f"{heading.text} {plain}"  # a heading that goes on in the next paragraph
            return
        self._emit(Line(plain, editorial=plain != text and is_note(plain)))

    # - one part ------------------------------------------------------------------------------------

    def part(self, lines: list[str]) -> None:
        has_title = any(_MD_HEADING_RE.match(s) and s.startswith("# ") for s in (x.strip() for x in lines))
        if has_title:
            self.layout.has_main_part = True
            # the bank's table of contents stands before the title: plain "Статья N. …" lines
            lines = lines[next(i for i, x in enumerate(lines) if x.strip().startswith("# ")) :]
        elif lines and BACKLINK_RE.match(next((x.strip() for x in lines if x.strip()), "")):
            self.layout.backlink = True
        in_fence = in_comment = skip = False
        for raw in lines:
            s = raw.strip()
            if in_comment:
                in_comment = "-->" not in s
                continue
            if _FENCE_RE.match(s):
                self.flush()
                in_fence = not in_fence
                if in_fence:
                    last = self.out[-1] if self.out else None
                    self._fence_open = bool(
                        last is not None
                        and not last.heading_like
                        and not last.editorial
                        and not last.text.endswith(_SENTENCE_END)
                    )
                continue
            if in_fence:
                self._fence_line(s)
                continue
            if not s:
                self.flush()
                continue
            if s.startswith("<!--"):
                self.flush()
                in_comment = "-->" not in s
                continue
            if BACKLINK_RE.match(s):
                continue
            if _ANCHOR_RE.search(s):
                s = _ANCHOR_RE.sub("", s).strip()
                if not s:
                    self.flush()
                    continue
            if m := _MD_HEADING_RE.match(s):
                self.flush()
                text = _strip_italic(m["text"].strip().strip("*").strip())
                if len(m["level"]) == 1:
                    self.layout.title = self.layout.title or text
                    self._last_heading = None
                    skip = False
                elif text in _CONTENTS_HEADINGS:
                    skip = True
                elif self.out and is_bare_note_header(self.out[-1].text):
                    # "Примечание РЦПИ!" + "## Глава 10 вводится в действие с 01.01.2015" (2012): the
                    # note's body became a heading in the conversion
                    self._emit(Line(text, editorial=True))
                elif match_heading(text) is None and self._last_heading is not None:
                    self._last_heading.text = f"{self._last_heading.text} {text}"  # a wrapped heading
                else:
                    skip = False
                    self._emit(Line(text, heading_like=True))
                continue
            if skip:
                continue
            if m := _QUOTE_RE.match(s):
                if not self._quote:
                    self.flush()
                self._quote = True
                self._para.append(_strip_italic(m["text"].strip()))
                continue
            if m := _BOLD_LINE_RE.match(s):
                self.flush()
                self._emit(Line(m["text"].strip(), heading_like=True))
                continue
            if self._quote:
                self.flush()
            self._para.append(s)
        self.flush()

    def _fence_line(self, s: str) -> None:
        """One line inside a code fence: raw text with a line break wherever the source had one."""
        last = self.out[-1] if self.out else None
        if not s:
            self._fence_open = False
        elif match_heading(s) is not None:
            self._emit(Line(s, heading_like=True))
            self._fence_open = False
        elif SIGNATURE_RE.match(s):
            self._emit(Line(s))
            self._fence_open = False
        elif (
            self._fence_open
            and last is not None
            and match_numbered(s) is None
            and (s[:1].islower() or not last.text.endswith(_SENTENCE_END))
        ):
            last.text = f"{last.text} {s}"
        else:
            self._emit(Line(s))
            self._fence_open = True


def markdown_lines(text: str, *, where: str = "markdown") -> tuple[list[Line], MarkdownLayout]:
    """The lines of a Markdown file (every part) and what else the layout says (title, metadata)."""
    layout = MarkdownLayout()
    lin = _Linearizer(layout)
    for ref, lines in _split_parts(text.lstrip("\ufeff")):
        if ref is not None:
            layout.parts.append(ref)
        lin.part(_front_matter(lines, where if ref is None else f"{where} part {ref.path}", layout))
    return lin.out, layout


# --- the document -------------------------------------------------------------------------------------


def scope_of(provisions: list[Provision]) -> list[str]:
    """The eids an excerpt covers: those with no enclosing eid by id (``chp_28``, ``art_510`` …)."""
    out = []
    for p in provisions:
        if p.kind == "preamble":
            continue
        if Eid.parse(p.eid).parent is None:
            out.append(p.eid)
    return out


def parse_markdown_version(
    text: str,
    *,
    act_id: str,
    lang: str | None = None,
    meta: BankMeta | Mapping[str, Any] | None = None,
    partial: bool | None = None,
    where: str | None = None,
) -> MarkdownVersion:
    """One Markdown version → document, metadata and scope.

    ``meta``: the sibling meta.yaml (its mapping, read for the file's language, or a :class:`BankMeta`);
    the file's own front matter wins where both speak. ``partial``: force (True/False) whether the file is an excerpt;
    by default a chapter file read alone or an ``EXCERPT`` comment makes it one. Raises
    :class:`ParseError` naming ``where`` for a file with no provisions or bad front matter.
    """
    if not act_id:
        raise ParseError("parse_markdown needs the act id (the bank's Markdown does not carry adilet's)")
    who = where or act_id
    lines, layout = markdown_lines(text, where=who)
    own = layout.front_matter[0] if layout.front_matter else BankMeta()
    lang = lang or detect_lang(text, own)
    if isinstance(meta, Mapping):
        meta = read_meta(meta, lang, f"{who} meta.yaml")
    info = merge(own, meta) if meta is not None else own
    structure = build_structure(group_lines(lines), act_id, lang)
    if not any(p.kind != "preamble" for p in structure.provisions):
        raise ParseError(f"{who}: the Markdown holds no headings or numbered provisions")
    if lang == "rus":
        amendments = collect_amendments(structure, act_id)  # marks the repealed stubs too
    else:
        amendments = []
        for p in structure.provisions:  # "2) алып тасталды - ҚР … Заңымен": repealed, no record
            p.repealed = bool(p.text) and is_repealed_stub(p.text, lang)
    if partial is None:
        part_alone = layout.backlink or any(m.part_of for m in layout.front_matter)
        partial = layout.excerpt_comment or (part_alone and not layout.has_main_part)
    scope = None
    if partial:
        # text before an excerpt's first heading is no preamble of the act: an excerpt speaks for its units only
        structure.provisions = [p for p in structure.provisions if p.kind != "preamble"]
        scope = scope_of(structure.provisions)

    req = parse_requisite(info.requisite)
    kind = req.kind or kind_by_id(act_id)
    act = Act(
        id=act_id,
        kind=kind,
        title=info.title or layout.title or "",
        number=req.number,
        adopted=req.adopted or info.approved_on,
        status="repealed" if req.ended else "unknown",
        languages=[lang],
        source_url=info.source,
        info={
            k: v
            for k, v in (
                ("ekb_code", info.act_code),
                ("ekb_requisite", info.requisite),
                ("ended", req.ended_text),
                ("ended_on", req.ended_on.isoformat() if req.ended_on else None),
            )
            if v
        },
    )
    if not partial:  # an excerpt's metadata and text speak for a part, not for the act's entry into force
        apply_entry_into_force(act, structure.provisions)
    valid_from: date | None = info.version_date or redaction_valid_from(amendments, adopted=act.adopted)
    redaction = Redaction(
        act_id=act_id,
        lang=lang,
        valid_from=valid_from,
        url=info.source,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        caused_by=info.caused_by,
        scope=scope,
        date_source="version" if info.version_date is not None else "amendments",
    )
    doc = ParsedDocument(act=act, redaction=redaction, provisions=structure.provisions, amendments=amendments)
    return MarkdownVersion(doc=doc, meta=info, layout=layout, partial=partial, scope=scope)


def parse_markdown(
    text: str,
    *,
    act_id: str,
    lang: str | None = None,
    meta: BankMeta | Mapping[str, Any] | None = None,
    partial: bool | None = None,
    where: str | None = None,
) -> ParsedDocument:
    """One Markdown version → act, redaction, provisions and amendments (see the module doc)."""
    return parse_markdown_version(text, act_id=act_id, lang=lang, meta=meta, partial=partial, where=where).doc

