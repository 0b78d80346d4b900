"""A provision laid out as the act prints it: its own paragraphs, then its parts and items in order
and nested, then the paragraphs that close it; evidence and citations marked inside the words.

The store keeps a container's own paragraphs in one ``text`` joined by newlines: the lead-in before
its first part or item *and* any paragraph that follows them (a closing paragraph of art. 48, a
"Примечание." of a Criminal Code article, a sanction "влечет штраф …" after the listed acts). Which
paragraphs came before the children is not recorded, so :func:`lead_count` tells them apart by the
drafting rules the parser itself follows (:mod:`ingest.structure`): a list is introduced by a
paragraph ending in a colon; a note ("Примечание.") and a sanction ("наказывается", "влечет") that
is not the opening paragraph follow the list. Checked against the parsers' own order on every file
of the bundled corpus: 1,727 of 1,733 containers with children and text agree (the misses: a sanction
before the parts, art. 379 of the Criminal Code; a second colon before the list, art. 7 of the 2022
migration law); ``tests/web/test_layout.py`` keeps the agreement on three acts above 99%.

The store could keep this order itself (a paragraph count per provision, from ingest): then this rule
would go.

:class:`Mark` spans (character offsets into ``text``, end exclusive) become :class:`Run`\\s of
:class:`Piece`\\s: a run is one citation link (or plain text), a piece is text under one set of
evidence marks, so overlapping spans nest as valid HTML.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from corpus.models import Annotation, Provision
from ingest.structure import ARTICLE_NOTE_RE, SANCTION_RE
from search_api.web.present import number_label

MarkKind = Literal["tag", "right", "cite"]


@dataclass(frozen=True)
class Mark:
    """A span of a provision's text: topic-tag or right evidence, or a citation (with its link)."""

    start: int
    end: int
    kind: MarkKind
    key: str  # tag id, right id, or the citation's index in its annotation
    href: str | None = None
    title: str | None = None


@dataclass
class Piece:
    text: str
    evidence: tuple[str, ...] = ()  # "tag:expulsion", "right:liberty" …


@dataclass
class Run:
    """Consecutive pieces under one citation link (``cite`` None: plain text)."""

    cite: Mark | None
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class Paragraph:
    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join(p.text for r in self.runs for p in r.pieces)


def _runs(line: str, base: int, marks: Sequence[Mark]) -> list[Run]:
    n = len(line)
    cuts = sorted({0, n} | {min(max(x - base, 0), n) for m in marks for x in (m.start, m.end)})
    runs: list[Run] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        active = [m for m in marks if m.start - base <= a and m.end - base >= b]
        cite = next((m for m in active if m.kind == "cite"), None)
        evidence = tuple(sorted({f"{m.kind}:{m.key}" for m in active if m.kind != "cite"}))
        piece = Piece(line[a:b], evidence)
        if runs and runs[-1].cite is cite:
            runs[-1].pieces.append(piece)
        else:
            runs.append(Run(cite, [piece]))
    return runs or [Run(None, [Piece("")])]


def paragraphs(text: str, marks: Sequence[Mark] = ()) -> list[Paragraph]:
    """The text's paragraphs (split on newlines), each cut into runs and pieces by ``marks``."""
    out: list[Paragraph] = []
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        inside = [m for m in marks if m.start < end and m.end > offset]
        out.append(Paragraph(_runs(line, offset, inside)))
        offset = end + 1
    return out


def lead_count(texts: Sequence[str]) -> int:
    """How many of a container's own paragraphs come before its parts or items (see the module doc)."""
    n = len(texts)
    note = next((i for i, t in enumerate(texts) if ARTICLE_NOTE_RE.match(t)), n)
    colon = next((i for i, t in enumerate(texts[:note]) if t.rstrip().endswith(":")), None)
    if colon is not None:
        return colon + 1
    sanction = next((i for i, t in enumerate(texts[:note]) if i > 0 and SANCTION_RE.match(t)), None)
    return sanction if sanction is not None else note


def annotation_marks(text: str, ann: Annotation | None, cite_href: Callable[[int], str | None]) -> list[Mark]:
    """The marks of one provision version's annotation; a span that does not match the text it
    claims (an annotation of other words) is left out rather than mis-placed."""
    if ann is None:
        return []

    def fits(start: int, end: int, words: str) -> bool:
        return 0 <= start < end <= len(text) and text[start:end] == words

    marks: list[Mark] = []
    for tag in ann.tags:
        marks += [Mark(s.start, s.end, "tag", tag.id) for s in tag.evidence if fits(s.start, s.end, s.text)]
    for link in ann.rights:
        marks += [Mark(s.start, s.end, "right", link.id) for s in link.evidence if fits(s.start, s.end, s.text)]
    for i, c in enumerate(ann.citations):
        if fits(c.start, c.end, c.text):
            marks.append(Mark(c.start, c.end, "cite", str(i), cite_href(i), c.text))
    return marks


# --- the provision as a tree, and as rows ------------------------------------------------------------


@dataclass
class Node:
    provision: Provision
    annotation: Annotation | None = None
    children: list[Node] = field(default_factory=list)

    def walk(self) -> list[Node]:
        out = [self]
        for c in self.children:
            out += c.walk()
        return out


def build_tree(root: Provision, fetch_children: Callable[[Provision], list[Provision]],
               fetch_annotation: Callable[[Provision], Annotation | None], max_nodes: int = 2000) -> Node:
    """The provision and everything under it (children in document order), with annotations."""
    count = 0

    def build(p: Provision) -> Node:
        nonlocal count
        count += 1
        node = Node(p, fetch_annotation(p))
        if count < max_nodes:
            node.children = [build(c) for c in fetch_children(p)]
        return node

    return build(root)


Section = Literal["lead", "trailing"]


@dataclass
class Row:
    """One printed block: a provision's lead paragraphs (with its number) or its closing ones."""

    eid: str
    kind: str
    depth: int
    section: Section
    number: str  # "2." / "3)" on the lead row of a numbered provision, else ""
    paragraphs: list[Paragraph]
    repealed: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.eid, self.section)

    @property
    def anchor(self) -> str | None:
        """The HTML id: the provision's eid on its lead row (the link target ``#art_48__point_3``)."""
        return self.eid if self.section == "lead" else None


def rows(node: Node, marks_for: Callable[[Node], list[Mark]], depth: int = 0, root: bool = True) -> list[Row]:
    """The node laid out in print order (see the module doc)."""
    p = node.provision
    paras = paragraphs(p.text, marks_for(node)) if p.text else []
    split = lead_count([x.text for x in paras]) if node.children else len(paras)
    number = "" if root else number_label(p.kind, p.eid, p.number)
    out: list[Row] = []
    if paras[:split] or number or root:
        out.append(Row(p.eid, p.kind, depth, "lead", number, paras[:split], p.repealed))
    for child in node.children:
        out += rows(child, marks_for, depth + 1, root=False)
    if paras[split:]:
        out.append(Row(p.eid, p.kind, depth, "trailing", "", paras[split:], p.repealed))
    return out
