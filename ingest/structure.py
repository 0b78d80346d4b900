"""The hierarchy of an adilet act (структура акта): headings, numbered parts and items, eids.

One module for the concept "where does a provision start and what is its id", shared by the HTML
page parser (:mod:`ingest.html_page`), the text-copy parser (:mod:`ingest.text_copy`) and the
reference-bank Markdown parser (:mod:`ingest.markdown`). Each turns its input into a flat sequence
of :class:`Line` objects; :func:`group_lines` sorts them into headings, paragraphs and editorial
notes (:class:`Block`), and :class:`StructureBuilder` turns the blocks into
:class:`~corpus.models.Provision` records with the eids of docs/design.md §2.

Modelling choices (documented here because every consumer sees them):

* **Части кодекса** ("ОБЩАЯ ЧАСТЬ", "ОСОБЕННАЯ ЧАСТЬ") are kept as containers of kind ``section``
  with the stable eids ``part_general`` / ``part_special`` (there is no kind of their own in
  ``PROVISION_KINDS``). They nest like a level above разделы, except that a part heading that comes
  right after a раздел heading (КоАП: "Раздел 2" → "ОБЩАЯ ЧАСТЬ") is a subdivision of that раздел.
* **eids**: разделы ``sec_2`` and главы ``chp_5`` are numbered through the act, so their eids carry
  no prefix; параграфы restart in every глава (``chp_5__prgf_1``). Статьи are numbered through the
  act: ``art_48`` whatever глава it is in. Пункты/части ``art_48__para_2``, подпункты
  ``art_48__para_2__point_3`` or ``art_1__point_1-1``; lettered подпункты "а)" nest under the
  current подпункт (``…__point_3__point_а``). A true duplicate eid (adilet repeats numbers now and
  then) gets ``_2``, ``_3`` … in document order.
* **Kazakh pages** number first ("218-бап.", "1-тарау.", "2-бөлім.", "ЖАЛПЫ БӨЛІМ") and get the
  same eids as the Russian text, so versions align across languages (docs/design.md §2).
* **Anchors**: a heading's ``anchor`` is the element id adilet's page gives it (``<h3 id="z446">
  Статья 48.``, ``<p><b><a name="z2"></a>Статья 1.``), for links to the article on adilet; parts and
  items keep none, and sources without ids (text copies, Markdown) give None.
* **Text**: ``heading`` is the title as written, without "Статья 48."; ``ancestors`` are the full
  labels ("Глава 1. ОСНОВНЫЕ ПОЛОЖЕНИЯ", "Статья 1. Основные понятия …") of the enclosing
  containers, outermost first. A provision's own paragraphs are joined with ``"\\n"``; numbers
  ("2.", "3)") are not part of ``text`` (they are in ``number``).
* **Unnumbered paragraphs** (абзацы): before the first part of a статья they are its lead-in
  (article text). After numbered parts/items: a sanction ("наказывается …", "влечет …") belongs to
  the current part (or the article); a paragraph starting with a lower-case letter continues the
  current item (the sentence goes on); any other paragraph continues the current part, else the
  article. Text before the first heading is the ``preamble``.
* **Примечание к статье** ("Примечание.", "Примечания.", law text) goes to the article's text with
  what follows it, numbered paragraphs too while their numbers restart ("1.", "2." of the note); a
  number that continues the article's own sequence ends the note.
* **Quoted wordings** ("… в следующей редакции: "Статья 11. …") stay in the provision that quotes
  them until the quote closes, whatever numbers they contain; a quoted paragraph after an item that
  ends with ':' ("2) пункта 6 статьи 10 …, в следующей редакции:") belongs to that item.
* **Notes** (Сноска, Примечание ИЗПИ!/РЦПИ!, Kazakh Ескерту, and any line its source marks as an
  editorial note: the reference bank's ``> *…*`` blocks) never enter provision text. Their context eid is the
  innermost heading container (статья, параграф, глава, раздел) open at the note; ``None`` before
  the first heading (a note on the whole act). Page chrome ("Вниманию пользователей!"), the
  Constitutional Court's remarks ("Нормативным постановлением Конституционного Суда …") and the
  signature ("Президент Республики Казахстан Н. НАЗАРБАЕВ") are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from corpus.models import Provision
from legal.eid import Eid
from legal.roman import ROMAN_UPPER, is_roman, to_latin

# --- text ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Fold NBSP and every other whitespace run to one space (Python's ``\\s`` covers U+00A0)."""
    return _SPACES.sub(" ", text.replace("\ufeff", "")).strip()


# --- headings (заголовки структурных единиц) ---------------------------------------------------

HeadingKind = Literal["code_part", "section", "chapter", "paragraph", "article"]

#: Nesting rank: a heading closes the open containers of the same or a lower rank.
_RANK: dict[str, int] = {"code_part": 0, "section": 1, "chapter": 2, "paragraph": 3, "article": 4}

_NUM = r"\d+(?:-\d+)*"
# Roman numerals of разделы may be written with the Cyrillic І (U+0406) or Х (legal.roman).
_ROMAN = ROMAN_UPPER

#: "Статья 48." / "Cтатья 16." (Latin C, a typo of the original) / "Статья 5-1." / "СТАТЬЯ 3.";
#: "Статья 1" alone, with no period and no title (the Constitution's headings)
ARTICLE_RE = re.compile(rf"^(?:[CС]татья|СТАТЬЯ)\s*({_NUM})(?:\s*\.\s*(.*)|\s*)$", re.S)
#: "Глава 5. ОБЩИЕ ПОЛОЖЕНИЯ" / "ГЛАВА 5" / "Глава 43-1."
CHAPTER_RE = re.compile(rf"^(?:Глава|ГЛАВА)\s+({_NUM}|{_ROMAN})(?:\s*\.\s*|\s+|$)(.*)$", re.S)
#: "РАЗДЕЛ 4. НАЗНАЧЕНИЕ НАКАЗАНИЯ" / "Раздел 2." / "РАЗДЕЛ IV"
SECTION_RE = re.compile(rf"^(?:РАЗДЕЛ|Раздел)\s+({_NUM}|{_ROMAN})(?:\s*\.\s*|\s+|$)(.*)$", re.S)
#: "Параграф 1. …" / "ПАРАГРАФ 2"
PARAGRAPH_RE = re.compile(rf"^(?:Параграф|ПАРАГРАФ)\s+({_NUM})(?:\s*\.\s*|\s+|$)(.*)$", re.S)
#: "ОБЩАЯ ЧАСТЬ" / "ОСОБЕННАЯ ЧАСТЬ" of a code (часть кодекса); Kazakh "ЖАЛПЫ БӨЛІМ" / "ЕРЕКШЕ БӨЛІМ".
CODE_PART_RE = re.compile(
    r"^(ОБЩАЯ|ОСОБЕННАЯ|Общая|Особенная)\s+(?:ЧАСТЬ|часть)\s*\.?$|^(ЖАЛПЫ|ЕРЕКШЕ|Жалпы|Ерекше)\s+(?:БӨЛІМ|бөлім)\s*\.?$"
)
_CODE_PART_NUMBER = {"общая": "general", "особенная": "special", "жалпы": "general", "ерекше": "special"}
#: Kazakh pages (lang="kaz") put the number first: "218-бап. …", "1-тарау. …", "2-бөлім. …", "1-параграф".
_KAZ_HEADING_RE = re.compile(
    rf"^({_NUM})\s*-\s*(бап|тарау|ТАРАУ|бөлім|БӨЛІМ|параграф|ПАРАГРАФ)(?:\s*\.\s*|\s+|$)(.*)$", re.S
)
_KAZ_KIND = {"бап": "article", "тарау": "chapter", "бөлім": "section", "параграф": "paragraph"}
#: Cheap guard before cleaning a whole paragraph: every heading opens with one of these words.
_HEADING_START_RE = re.compile(
    r"^\s*(?:[CС]татья|СТАТЬЯ|Глава|ГЛАВА|РАЗДЕЛ|Раздел|Параграф|ПАРАГРАФ|ОБЩАЯ|ОСОБЕННАЯ|Общая|Особенная"
    r"|ЖАЛПЫ|ЕРЕКШЕ|Жалпы|Ерекше|\d+(?:-\d+)*\s*-\s*(?:бап|тарау|ТАРАУ|бөлім|БӨЛІМ|параграф|ПАРАГРАФ))"
)

@dataclass(frozen=True)
class Heading:
    """A parsed heading line: kind, number as written (roman numerals with Latin letters), title."""

    kind: HeadingKind
    number: str | None
    title: str
    label: str  # the whole heading as written, cleaned ("Статья 16. Квота …" with the Cyrillic С)


def _heading_number(number: str) -> str:
    """Roman numbers of разделы in Latin letters ("ІV" → "IV"); other numbers as written."""
    return to_latin(number) if is_roman(number) else number


def match_heading(text: str) -> Heading | None:
    """The heading in ``text`` (already one line), or None if it is not a structural heading.

    >>> match_heading("Cтатья 16. Квота иммиграции оралманов").number
    '16'
    """
    if not _HEADING_START_RE.match(text):
        return None
    t = clean_text(text)
    label = re.sub(r"^Cтатья", "Статья", t)  # the Latin C typo is not worth keeping in a label
    if m := CODE_PART_RE.match(t):
        return Heading("code_part", None, t.upper(), t.upper())
    if m := _KAZ_HEADING_RE.match(t):
        return Heading(_KAZ_KIND[m.group(2).lower()], m.group(1), m.group(3).strip(), label)  # type: ignore[arg-type]
    for kind, rx in (
        ("article", ARTICLE_RE),
        ("chapter", CHAPTER_RE),
        ("section", SECTION_RE),
        ("paragraph", PARAGRAPH_RE),
    ):
        if m := rx.match(t):
            return Heading(kind, _heading_number(m.group(1)), (m.group(2) or "").strip(), label)  # type: ignore[arg-type]
    return None


# --- numbered paragraphs (пункты, части, подпункты) ---------------------------------------------

NumberedKind = Literal["part", "item", "letter"]

#: "2. Текст" / "1-1. Текст" / "3." alone (a part whose text follows on a link line).
PART_RE = re.compile(rf"^({_NUM})\.(?=\s|$)\s*(.*)$", re.S)
#: "3) текст" / "1-1) текст"
ITEM_RE = re.compile(rf"^({_NUM})\)\s*(.*)$", re.S)
#: "а) текст" — lettered подпункт (Kazakh letters too: "ә)")
LETTER_RE = re.compile(r"^([а-яёәғқңөұүһі])\)\s*(.*)$", re.S)


@dataclass(frozen=True)
class Numbered:
    kind: NumberedKind
    number: str
    text: str


def match_numbered(text: str) -> Numbered | None:
    """The number that opens a paragraph: "2." (part), "3)" (item), "а)" (lettered item)."""
    t = clean_text(text)
    for kind, rx in (("part", PART_RE), ("item", ITEM_RE), ("letter", LETTER_RE)):
        if m := rx.match(t):
            return Numbered(kind, m.group(1), m.group(2).strip())  # type: ignore[arg-type]
    return None


#: Санкция of a Criminal/КоАП article: belongs to the part, not to its last item.
SANCTION_RE = re.compile(r"^(?:наказыва|влеч[её]т|влекут)")
#: Примечание к статье (law text, unlike the editorial "Примечание ИЗПИ!").
ARTICLE_NOTE_RE = re.compile(r"^Примечани[ея]\s*(?:\d+\s*)?[.:]")

_OPENING_QUOTES = ("\"", "«", "„", "“")


def _quote_balance(text: str) -> bool:
    """True if ``text`` leaves a quotation open or closes one (an odd number of '"', or « ≠ »)."""
    return text.count('"') % 2 == 1 or text.count("«") != text.count("»")


# --- editorial material around the text -------------------------------------------------------

#: Page chrome and editorial remarks that are neither law text nor amendments.
#: "Примечание. См. нормативные постановления Конституционного Суда РК от …" (the Constitution's
#: articles on adilet) points to rulings on the article: an editorial reference, not law text.
CHROME_RE = re.compile(
    r"^(?:Вниманию пользователей!?|Для удобства пользования\b.*|СОДЕРЖАНИЕ|ОГЛАВЛЕНИЕ\.?|Оглавление|"
    r"Нормативным постановлением Конституционного Суда\b.*|Примечание\.\s*См\.\s.*)$",
    re.S,
)
#: The signature under the act (подпись): "Президент", "Республики Казахстан", "Н. НАЗАРБАЕВ", "Н. Назарбаев"
#: (the reference bank's case), Kazakh "Қазақстан Республикасының Президенті" (қолы).
_SURNAME = r"[А-ЯЁ]\.(?: ?[А-ЯЁ]\.)? ?(?:[А-ЯЁ]{2,}(?:-[А-ЯЁ]+)?|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
SIGNATURE_RE = re.compile(
    r"^(?:(?:Президент|Премьер-Министр)(?: Республики Казахстан)?|Республики Казахстан"
    rf"|Қазақстан Республикасының (?:Президенті|Премьер-Министрі))(?: {_SURNAME})?$|^{_SURNAME}$"
)
_NOTE_HEADER_RE = re.compile(
    r"^(?:Сноска|Снсоска|Ескерту|Примечание\s+(?:ИЗПИ|РЦПИ)|(?:ҚР\s+)?(?:ЗҚАИ|РҚАО)-ның\s+ескертпесі)\s*[.:!]?$"
)
_IZPI_RE = re.compile(r"^(?:Примечание\s+ИЗПИ|(?:ҚР\s+)?ЗҚАИ-ның\s+ескертпесі)")


def is_bare_note_header(text: str) -> bool:
    """A note's header with no body yet ("Примечание РЦПИ!", "Сноска."): its body is the next block."""
    return bool(_NOTE_HEADER_RE.match(clean_text(text)))


def _is_note(text: str) -> bool:
    from ingest.amendments import is_note  # lazy: the amendments parser is a sibling module

    return is_note(text[:80])  # the note's opening words decide; folding a whole paragraph is waste


@dataclass
class Line:
    """One line of a linearised page: a heading element, a paragraph, or a styled note run.

    ``heading_like``: the markup says heading (h3, bold paragraph) or, in a text copy, the line starts
    at the margin. ``note_styled``: adilet's note styling (``span.note``, red font); None if the
    source has no styling (text copies).
    """

    text: str
    heading_like: bool = False
    note_styled: bool | None = None
    #: the markup says "editorial note" whatever the words (a Markdown ``> *…*`` block of the reference
    #: bank): such a line never enters provision text
    editorial: bool = False
    #: adilet's element id in the line (``z446``): a heading's anchor on the act's page; None: no such id
    anchor: str | None = None


@dataclass(frozen=True)
class Block:
    kind: Literal["heading", "paragraph", "note"]
    text: str
    source_kind: str = "footnote"  # for notes: "footnote" or "izpi_note"
    anchor: str | None = None  # for headings: adilet's element id of the heading line


def _note_wants_more(parts: list[str]) -> bool:
    """A note goes on when it is only a header ("Примечание ИЗПИ!") or stops at ':' / ';'."""
    last = parts[-1]
    return (len(parts) == 1 and bool(_NOTE_HEADER_RE.match(last))) or last.endswith((":", ";"))


def group_lines(lines: Iterable[Line]) -> Iterator[Block]:
    """Headings, paragraphs and whole notes, in document order.

    A note is a run of lines: its first line starts with "Сноска"/"Примечание ИЗПИ!" … or is marked
    ``editorial`` by its source, and the following lines join it while the note is open (see
    :func:`_note_wants_more`) and they are neither headings nor numbered paragraphs (an editorial
    line joins an open note that wants more, whatever it starts with).
    """
    note: list[str] | None = None

    def flush() -> Iterator[Block]:
        nonlocal note
        if note is not None:
            text = " ".join(note)
            if not _NOTE_HEADER_RE.match(text):  # a bare header with no body says nothing
                kind = "izpi_note" if _IZPI_RE.match(text) else "footnote"
                yield Block("note", text, kind)
            note = None

    for line in lines:
        text = clean_text(line.text)
        if not text or CHROME_RE.match(text) or SIGNATURE_RE.match(text):
            continue
        heading = match_heading(text) if line.heading_like else None
        if heading is not None:
            yield from flush()
            yield Block("heading", text, anchor=line.anchor)
            continue
        if line.editorial:
            if note is not None and _note_wants_more(note):  # "По всему тексту:" + the next block
                note.append(text)
            else:
                yield from flush()
                note = [text]
            continue
        if _is_note(text):
            yield from flush()
            note = [text]
            continue
        if (
            note is not None
            and line.note_styled is not False
            and _note_wants_more(note)
            and match_numbered(text) is None
        ):
            note.append(text)
            continue
        yield from flush()
        yield Block("paragraph", text)
    yield from flush()


# --- the builder ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteRef:
    """A note as found in the body, with the eid of the provision it is attached to."""

    text: str
    context_eid: str | None
    source_kind: str = "footnote"


@dataclass
class Structure:
    provisions: list[Provision] = field(default_factory=list)
    notes: list[NoteRef] = field(default_factory=list)


class StructureBuilder:
    """Builds provisions from blocks fed in document order (see the module doc for the rules)."""

    def __init__(self, act_id: str, lang: str = "rus") -> None:
        self.act_id = act_id
        self.lang = lang
        self._provisions: list[Provision] = []
        self._texts: dict[str, list[str]] = {}
        self._eids: set[str] = set()
        self._stack: list[tuple[str, Provision]] = []  # open heading containers (kind, provision)
        self._part: Provision | None = None
        self._item: Provision | None = None
        self._letter: Provision | None = None
        self._preamble: Provision | None = None
        self._labels: dict[str, str] = {}
        self._quote: Provision | None = None  # provision whose quoted wording is still open
        self._article_note: Provision | None = None  # article whose "Примечания." have begun
        self.notes: list[NoteRef] = []

    # - public ----------------------------------------------------------------------------------

    @property
    def context_eid(self) -> str | None:
        """The eid a note at this point belongs to: the innermost open heading container."""
        return self._stack[-1][1].eid if self._stack else None

    def add(self, block: Block) -> str | None:
        """Feed one block; returns the eid it went to (None for notes)."""
        if block.kind == "heading":
            heading = match_heading(block.text)
            if heading is None:
                raise ValueError(f"not a heading: {block.text[:80]!r}")
            prov = self.add_heading(heading)
            prov.anchor = block.anchor
            return prov.eid
        if block.kind == "note":
            self.notes.append(NoteRef(block.text, self.context_eid, block.source_kind))
            return None
        return self.add_paragraph(block.text)

    def add_heading(self, heading: Heading) -> Provision:
        kinds = [k for k, _ in self._stack]
        if heading.kind in kinds:  # a sibling: close up to and including the open one
            del self._stack[kinds.index(heading.kind) :]
        elif heading.kind == "code_part" and kinds and kinds[-1] == "section" and self._empty(
            self._stack[-1][1]
        ):
            pass  # КоАП: "Раздел 2" immediately followed by "ОБЩАЯ ЧАСТЬ" — a part of that раздел
        else:
            rank = _RANK[heading.kind]
            while self._stack and _RANK[self._stack[-1][0]] >= rank:
                self._stack.pop()
        self._part = self._item = self._letter = self._quote = None
        if heading.kind == "code_part":
            number = _CODE_PART_NUMBER.get(heading.title.split()[0].lower(), "code")
            eid, kind = str(Eid.of(("part", number))), "section"
        elif heading.kind == "paragraph":
            chapter = next((p for k, p in reversed(self._stack) if k == "chapter"), None)
            eid = self._child_eid(chapter, "prgf", heading.number or "")
            kind = "paragraph"
        else:
            prefix = {"section": "sec", "chapter": "chp", "article": "art"}[heading.kind]
            eid, kind = str(Eid.of((prefix, heading.number))), heading.kind
        prov = self._new(kind, eid, heading.number, heading.title or None)
        self._labels[prov.eid] = heading.label
        self._stack.append((heading.kind, prov))
        return prov

    def add_paragraph(self, text: str) -> str:
        text = clean_text(text)
        quoting = self._quote
        if quoting is not None:  # inside a quoted wording ("… в следующей редакции: "Статья 11. …")
            self._texts[quoting.eid].append(text)
            if _quote_balance(text):  # the closing quote
                self._quote = None
            return quoting.eid
        article = self._article()
        numbered = match_numbered(text)
        if article is not None and self._article_note is article:
            # "Примечания. 1. … 2. …" are the note's own points; only a number that continues the
            # article's sequence ("2)" after a note on item 1) of a definitions article) resumes it
            if not self._continues_sequence(numbered):
                self._texts[article.eid].append(text)
                return article.eid
            self._article_note = None
        if article is not None and ARTICLE_NOTE_RE.match(text):
            self._article_note = article
        if numbered is not None:
            eid = self._add_numbered(numbered)
        else:
            target = self._paragraph_target(text)
            self._texts[target.eid].append(text)
            eid = target.eid
        if text[:1] in _OPENING_QUOTES and _quote_balance(text):
            self._quote = next(p for p in reversed(self._provisions) if p.eid == eid)
        return eid

    def finish(self) -> Structure:
        for prov in self._provisions:
            prov.text = "\n".join(t for t in self._texts[prov.eid] if t)
        return Structure(list(self._provisions), list(self.notes))

    # - internals -------------------------------------------------------------------------------

    def _article(self) -> Provision | None:
        return self._stack[-1][1] if self._stack and self._stack[-1][0] == "article" else None

    def _container(self) -> Provision | None:
        return self._stack[-1][1] if self._stack else None

    def _empty(self, prov: Provision) -> bool:
        return self._provisions[-1] is prov and not self._texts[prov.eid]

    def _continues_sequence(self, n: Numbered | None) -> bool:
        """True if ``n`` is the next part/item after the last one of the article (not a restart)."""
        last = {"part": self._part, "item": self._item, "letter": self._letter}[n.kind] if n else None
        if n is None or last is None or last.number is None or self._numbered_eid(n) in self._eids:
            return False
        return _number_key(n.number) > _number_key(last.number)

    def _numbered_eid(self, n: Numbered) -> str:
        """The eid a numbered paragraph would get (before de-duplication)."""
        if n.kind == "part":
            return self._child_eid(self._article(), "para", n.number)
        if n.kind == "item" or self._item is None:
            return self._child_eid(self._part or self._article(), "point", n.number)
        return self._child_eid(self._item, "point", n.number)

    def _add_numbered(self, n: Numbered) -> str:
        container = self._container()
        eid = self._numbered_eid(n)
        if n.kind == "part":
            parent = container
            self._part = self._new("part", eid, n.number)
            self._part.parent = parent.eid if parent else None
            self._item = self._letter = None
            prov = self._part
        elif n.kind == "item" or self._item is None:
            parent = self._part or container
            self._item = self._new("item", eid, n.number)
            self._item.parent = parent.eid if parent else None
            self._letter = None
            prov = self._item
        else:  # lettered подпункт inside the current item
            self._letter = self._new("item", eid, n.number)
            self._letter.parent = self._item.eid
            prov = self._letter
        self._texts[prov.eid].append(n.text)
        return prov.eid

    def _paragraph_target(self, text: str) -> Provision:
        container = self._container()
        if container is None and self._part is None and self._item is None:
            if self._preamble is None:
                self._preamble = self._new("preamble", "preamble", None)
            return self._preamble
        article = self._article()
        if ARTICLE_NOTE_RE.match(text):
            return article or container or self._part or self._item  # type: ignore[return-value]
        if SANCTION_RE.match(text):
            return self._part or container or self._item  # type: ignore[return-value]
        innermost = self._letter or self._item
        if innermost is not None and (text[:1].islower() or self._introduces_quote(innermost, text)):
            return innermost
        return self._part or container or innermost  # type: ignore[return-value]

    def _introduces_quote(self, prov: Provision, text: str) -> bool:
        """``text`` is a quoted wording and ``prov`` announced it ("… в следующей редакции:")."""
        own = self._texts[prov.eid]
        return text[:1] in _OPENING_QUOTES and bool(own) and own[-1].rstrip().endswith(":")

    def _child_eid(self, anchor: Provision | None, prefix: str, number: str) -> str:
        return str(Eid.parse(anchor.eid).child(prefix, number) if anchor else Eid.of((prefix, number)))

    def _new(self, kind: str, eid: str, number: str | None, heading: str | None = None) -> Provision:
        unique, n = eid, 1
        while unique in self._eids:  # a number adilet repeats: keep both, deterministically
            n += 1
            unique = str(Eid.parse(eid).with_dup(n))
        self._eids.add(unique)
        parent = self._container()
        prov = Provision(
            act_id=self.act_id,
            eid=unique,
            kind=kind,
            number=number,
            heading=heading,
            parent=parent.eid if parent else None,
            ancestors=[self._labels[p.eid] for _, p in self._stack],
            position=len(self._provisions),
            lang=self.lang,
        )
        self._provisions.append(prov)
        self._texts[unique] = []
        return prov


def _number_key(number: str) -> tuple[int, ...]:
    """"5-1" → (5, 1); a letter "а" → (1072,): numbers compare as adilet orders them."""
    return tuple(int(x) if x.isdigit() else ord(x) for x in number.split("-"))


def build_structure(blocks: Iterable[Block], act_id: str, lang: str = "rus") -> Structure:
    """Provisions and notes of a flat sequence of blocks (headings, paragraphs, notes)."""
    builder = StructureBuilder(act_id, lang)
    for block in blocks:
        builder.add(block)
    return builder.finish()
