"""The provision id inside an act (eid), Akoma Ntoso style (docs/design.md §2).

``sec_2`` раздел · ``chp_5`` глава · ``chp_5__prgf_1`` параграф (numbered within its глава) ·
``art_48`` статья · ``art_48__para_2`` пункт/часть ("2.") · ``art_48__para_2__point_3`` подпункт ("3)")
· ``art_1__point_1-1`` (an item directly in an article) · ``…__point_3__point_а`` (a lettered item) ·
``part_general`` / ``part_special`` (the general and special parts of a code) · ``preamble``.

Numbers are kept as written ("5-1", "а"; roman numbers of разделы in Latin letters), so eids align
across wordings and languages. A number adilet repeats inside one parent gets a suffix: the second
``point_1`` is ``point_1_2``.

Eids nest by id only below the article: articles are numbered through the act, so ``art_48``
does not name its chapter, and :attr:`Eid.parent` is the enclosing eid *by id* (``art_48__para_2``
→ ``art_48``; ``art_48`` → None), not the structural parent a provision records.

:class:`Eid` is the one place that builds and takes apart this format; everything else (the
parsers, the store's SQL, citations, the web pages) goes through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from legal.roman import is_roman, value

#: Provision kind (docs/design.md §3) → eid prefix.
KIND_PREFIX: dict[str, str] = {
    "preamble": "preamble",  # преамбула / text before the first heading
    "section": "sec",  # раздел (and the parts of a code: part_general / part_special)
    "chapter": "chp",  # глава
    "paragraph": "prgf",  # параграф
    "article": "art",  # статья
    "part": "para",  # пункт / часть ("2.")
    "item": "point",  # подпункт / пункт ("3)")
}
#: eid prefix → provision kind.
PREFIX_KIND: dict[str, str] = {**{p: k for k, p in KIND_PREFIX.items()}, "part": "section"}
#: Nesting level of each prefix, outermost first.
LEVEL: dict[str, int] = {"preamble": 0, "part": 0, "sec": 1, "chp": 2, "prgf": 3, "art": 4, "para": 5, "point": 6}

_NUMBER = r"[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі.\-]+?"
_PIECE_RE = re.compile(rf"^(?P<prefix>[a-z]+)_(?P<number>{_NUMBER})(?:_(?P<dup>[2-9]|[1-9]\d+))?$")


class EidError(ValueError):
    """Text that is not an eid (the message quotes it)."""


@dataclass(frozen=True, slots=True)
class Piece:
    """One level of an eid: ``point_3`` → prefix "point", number "3"; ``point_1_2`` → dup 2."""

    prefix: str
    number: str | None  # None only for the preamble
    dup: int = 1

    def __str__(self) -> str:
        if self.number is None:
            return self.prefix
        return f"{self.prefix}_{self.number}" + (f"_{self.dup}" if self.dup > 1 else "")

    @property
    def kind(self) -> str:
        return PREFIX_KIND[self.prefix]

    def sort_key(self) -> tuple[tuple[tuple[int, int | str], ...], int, int]:
        return number_key(self.number), LEVEL[self.prefix], self.dup


def number_key(number: str | None) -> tuple[tuple[int, int | str], ...]:
    """How numbers compare in legal order: 5 < 5-1 < 5-2 < 6 < 10; IV < V; а < б; letters after digits."""
    if number is None:
        return ()
    out: list[tuple[int, int | str]] = []
    for part in number.split("-"):
        if part.isdigit():
            out.append((0, int(part)))
        elif is_roman(part) and part.isupper():
            out.append((0, value(part)))
        elif len(part) == 1:
            out.append((1, ord(part.lower())))
        else:
            out.append((2, part))
    return tuple(out)


def _parse_piece(text: str, whole: str) -> Piece:
    if text == "preamble":
        return Piece("preamble", None)
    m = _PIECE_RE.match(text)
    if m is None or m["prefix"] not in LEVEL or m["prefix"] == "preamble":
        raise EidError(f"not an eid (e.g. art_48__para_2): {whole!r}")
    return Piece(m["prefix"], m["number"], int(m["dup"] or 1))


@total_ordering
@dataclass(frozen=True, slots=True)
class Eid:
    """A parsed eid. ``str(eid)`` gives it back as written; eids order in legal order."""

    pieces: tuple[Piece, ...]

    # --- building and parsing ---------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Eid:
        """``Eid.parse("art_48__para_2")``; :class:`EidError` for anything else."""
        if not isinstance(text, str) or not text:
            raise EidError(f"not an eid (e.g. art_48__para_2): {text!r}")
        return cls(tuple(_parse_piece(p, text) for p in text.split("__")))

    @staticmethod
    def is_valid(text: object) -> bool:
        try:
            Eid.parse(text)  # type: ignore[arg-type]
        except EidError:
            return False
        return True

    @classmethod
    def of(cls, *pieces: tuple[str, str | None]) -> Eid:
        """``Eid.of(("art", "48"), ("para", "2"))`` → ``art_48__para_2``."""
        return cls(tuple(Piece(p, n) for p, n in pieces))

    def child(self, prefix: str, number: str) -> Eid:
        """``art_48`` → ``art_48__para_2`` for ``child("para", "2")``."""
        if prefix not in LEVEL:
            raise EidError(f"unknown eid prefix {prefix!r}")
        return Eid((*self.pieces, Piece(prefix, number)))

    def with_dup(self, dup: int) -> Eid:
        """The same eid with a duplicate suffix on its last piece (``point_1`` → ``point_1_2``)."""
        last = self.pieces[-1]
        return Eid((*self.pieces[:-1], Piece(last.prefix, last.number, dup)))

    def __str__(self) -> str:
        return "__".join(str(p) for p in self.pieces)

    def __repr__(self) -> str:
        return f"Eid({str(self)!r})"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Eid):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def sort_key(self) -> tuple[tuple[tuple[tuple[int, int | str], ...], int, int], ...]:
        return tuple(p.sort_key() for p in self.pieces)

    # --- taking apart -------------------------------------------------------------------------

    @property
    def last(self) -> Piece:
        return self.pieces[-1]

    @property
    def kind(self) -> str:
        """The provision kind the eid names (``art_48__para_2`` → "part")."""
        return self.last.kind

    @property
    def number(self) -> str | None:
        return self.last.number

    @property
    def parent(self) -> Eid | None:
        """The enclosing eid by id (``art_48__para_2`` → ``art_48``), None at the top."""
        return Eid(self.pieces[:-1]) if len(self.pieces) > 1 else None

    @property
    def article(self) -> Eid | None:
        """The article the eid is in (or is): ``art_48__para_2__point_3`` → ``art_48``."""
        for i, p in enumerate(self.pieces):
            if p.prefix == "art":
                return Eid(self.pieces[: i + 1])
        return None

    def enclosing(self) -> tuple[Eid, ...]:
        """This eid and those enclosing it by id, outermost first:
        ``art_5__para_2__point_1`` → (art_5, art_5__para_2, art_5__para_2__point_1)."""
        return tuple(Eid(self.pieces[: i + 1]) for i in range(len(self.pieces)))

    @property
    def descendant_prefix(self) -> str:
        """What every descendant's eid starts with (``art_5`` → ``"art_5__"``), for prefix scans."""
        return f"{self}__"

    def contains(self, other: Eid) -> bool:
        """True if ``other`` is this eid or inside it by id."""
        return other.pieces[: len(self.pieces)] == self.pieces


def enclosing_eids(eid: str) -> list[str]:
    """:meth:`Eid.enclosing` on strings (``art_5__para_2`` → ["art_5", "art_5__para_2"])."""
    return [str(e) for e in Eid.parse(eid).enclosing()]


def article_of(eid: str) -> str | None:
    """The article eid of a provision eid as a string, or None (``art_48__para_2`` → ``art_48``)."""
    art = Eid.parse(eid).article
    return str(art) if art is not None else None
