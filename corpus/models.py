"""The domain model of MigraLex (DESIGN.md §3): plain dataclasses shared by every layer.

Acts (нормативные правовые акты) are split into provisions (положения: разделы, главы, статьи,
пункты/части, подпункты); each provision exists in one or more versions (редакции), and the
amendments (изменения и дополнения) that touched it are kept as records of their own.

Everything here is pure data: no I/O. ``to_dict``/``from_dict`` give the JSON shape used by
``migralex parse``, the JSONL export and the API.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, TypeVar

ActStatus = Literal["in_force", "repealed", "not_in_force_yet", "unknown"]
ACT_STATUSES: tuple[str, ...] = ("in_force", "repealed", "not_in_force_yet", "unknown")

#: Provision kinds and their eid prefixes (DESIGN §2, Akoma Ntoso style).
PROVISION_KINDS: dict[str, str] = {
    "preamble": "preamble",  # преамбула / text before the first heading
    "section": "sec",  # раздел
    "chapter": "chp",  # глава
    "paragraph": "prgf",  # параграф
    "article": "art",  # статья
    "part": "para",  # пункт / часть ("2.")
    "item": "point",  # подпункт / пункт ("3)")
}

#: Amendment verbs (DESIGN §3).
AMENDMENT_VERBS: tuple[str, ...] = (
    "amended",  # с изменениями, внесенными …
    "supplemented",  # дополнена …
    "restated",  # в редакции …
    "repealed",  # исключена …
    "added",  # новая статья/пункт (статья 5-1 введена …)
    "replaced_throughout",  # по всему тексту … заменены
    "prospective",  # Примечание ИЗПИ!: изменения, вводимые в будущем
)

#: Where an amendment record was read from.
AMENDMENT_SOURCES: tuple[str, ...] = ("footnote", "izpi_note", "excluded_item", "history", "info", "links")


def article_eid(eid: str) -> str | None:
    """The eid of the article a provision belongs to (``art_48__para_2`` → ``art_48``)."""
    for piece in eid.split("__"):
        if piece.startswith("art_"):
            return piece
    return None


def version_id(act_id: str, eid: str, valid_from: date | None) -> str:
    """Provision version id ``{act_id}/{eid}@{valid_from}`` (DESIGN §2); ``@unknown`` if undated."""
    return f"{act_id}/{eid}@{valid_from.isoformat() if valid_from else 'unknown'}"


def provision_id(act_id: str, eid: str) -> str:
    """Provision id ``{act_id}/{eid}`` without a version (what ``migralex tag --jsonl`` takes)."""
    return f"{act_id}/{eid}"


def split_provision_id(pid: str) -> tuple[str, str, str | None]:
    """``Z1100000477/art_5@2020-01-01`` → (act_id, eid, valid_from or None)."""
    rest, _, vf = pid.partition("@")
    act_id, _, eid = rest.partition("/")
    return act_id, eid, (vf or None)


@dataclass(frozen=True)
class AmendingAct:
    """The act that made an amendment (изменяющий акт): "Законом РК от 27.09.2025 № 220-VIII"."""

    number: str | None = None  # "220-VIII" with Latin roman numerals
    date: date | None = None
    id: str | None = None  # adilet id when known or derivable (Z2500000220)
    kind: str | None = None  # закон, указ, постановление, конституционный закон …


@dataclass
class Act:
    """A normative legal act (нормативный правовой акт) as one adilet document."""

    id: str  # Z1100000477, K1400000226, Z090000216_
    kind: str | None = None  # закон, кодекс, указ, постановление, приказ …
    title: str = ""
    number: str | None = None  # 477-IV
    adopted: date | None = None
    status: str = "unknown"  # one of ACT_STATUSES
    languages: list[str] = field(default_factory=lambda: ["rus"])
    source_url: str | None = None
    publication: str | None = None  # источник опубликования
    info: dict[str, str] = field(default_factory=dict)  # raw /info label → value map


@dataclass
class Redaction:
    """One wording of an act (редакция) as fetched from one page."""

    act_id: str
    lang: str = "rus"
    valid_from: date | None = None
    url: str | None = None
    fetched_at: datetime | None = None
    content_hash: str | None = None  # sha256 of the raw page


@dataclass
class Provision:
    """One provision in one version: a section, chapter, article, part or item.

    ``text`` is clean (NBSP folded, editorial notes removed). For containers (chapters, articles)
    ``text`` holds only their own lead-in text, not their children's.
    """

    act_id: str
    eid: str
    kind: str  # key of PROVISION_KINDS
    number: str | None = None  # "48", "1-1", "IV"
    heading: str | None = None
    text: str = ""
    parent: str | None = None  # parent eid
    ancestors: list[str] = field(default_factory=list)  # headings of ancestors, outermost first
    position: int = 0  # document order
    lang: str = "rus"
    valid_from: date | None = None
    valid_to: date | None = None  # exclusive; None = in force now (or until repeal)

    @property
    def id(self) -> str:
        return provision_id(self.act_id, self.eid)

    @property
    def version_id(self) -> str:
        return version_id(self.act_id, self.eid, self.valid_from)

    @property
    def article(self) -> str | None:
        return article_eid(self.eid)


@dataclass
class Amendment:
    """A change to an act or provision, from a footnote (Сноска), an ИЗПИ note, an excluded item
    or the act's history page."""

    act_id: str
    eid: str | None  # None = the whole act
    verb: str  # one of AMENDMENT_VERBS
    amending_act: AmendingAct = field(default_factory=AmendingAct)
    effective_text: str | None = None  # "(вводится в действие по истечении десяти …)"
    effective_date: date | None = None  # when it can be computed
    source: str = ""  # the raw note text
    source_kind: str = "footnote"  # one of AMENDMENT_SOURCES
    #: replaced_throughout only: the words the replacement put into the text ("кандас", "кандасам" …),
    #: so the timeline can tell which provisions it touched
    new_words: list[str] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """What a parser returns for one page or text copy: one redaction of one act."""

    act: Act
    redaction: Redaction
    provisions: list[Provision] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    """Evidence span in a provision's text (character offsets, end exclusive)."""

    start: int
    end: int
    text: str


@dataclass
class Citation:
    """A reference from a provision version to another act or provision (ссылка)."""

    start: int
    end: int
    text: str
    target_act_id: str | None = None  # None when unresolved
    target_name: str | None = None  # the act as named, when not resolved
    target_eid: str | None = None
    resolved: bool = False


@dataclass
class Tag:
    """A topic tag (DESIGN §4) with the evidence that supports it."""

    id: str  # taxonomy id
    evidence: list[Span] = field(default_factory=list)
    rule: str = ""  # rule id
    rule_version: str = ""
    confidence: float = 1.0


@dataclass
class RightLink:
    """A right engaged by a provision (DESIGN §4), with the tags and cues that support it."""

    id: str  # right id
    because: list[str] = field(default_factory=list)  # "tag:expulsion", "cue:выдворение" …
    evidence: list[Span] = field(default_factory=list)
    rule: str = ""
    confidence: float = 1.0


@dataclass
class Annotation:
    """Everything nlp/ derives from one provision version."""

    version_id: str
    lemmas: str = ""  # space-joined lemmas of the text (ё→е), what search indexes
    tags: list[Tag] = field(default_factory=list)
    rights: list[RightLink] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # sanctions, time limits, subjects
    pipeline_version: str = ""


# --- JSON helpers ---------------------------------------------------------------------------------

T = TypeVar("T")


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def to_dict(obj: Any) -> Any:
    """A dataclass (or list/dict of them) as JSON-ready data, dates in ISO 8601."""
    return _encode(obj)


_DATE_FIELDS = {"date", "adopted", "valid_from", "valid_to", "effective_date"}
_DATETIME_FIELDS = {"fetched_at"}
_NESTED: dict[tuple[type, str], type] = {}


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Inverse of :func:`to_dict` for the dataclasses of this module."""
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        v = data[f.name]
        if v is not None and f.name in _DATE_FIELDS and isinstance(v, str):
            v = date.fromisoformat(v)
        elif v is not None and f.name in _DATETIME_FIELDS and isinstance(v, str):
            v = datetime.fromisoformat(v)
        elif (cls, f.name) in _NESTED and v is not None:
            sub = _NESTED[(cls, f.name)]
            v = [from_dict(sub, x) for x in v] if isinstance(v, list) else from_dict(sub, v)
        kwargs[f.name] = v
    return cls(**kwargs)


_NESTED.update(
    {
        (Amendment, "amending_act"): AmendingAct,
        (ParsedDocument, "act"): Act,
        (ParsedDocument, "redaction"): Redaction,
        (ParsedDocument, "provisions"): Provision,
        (ParsedDocument, "amendments"): Amendment,
        (Tag, "evidence"): Span,
        (RightLink, "evidence"): Span,
        (Annotation, "tags"): Tag,
        (Annotation, "rights"): RightLink,
        (Annotation, "citations"): Citation,
    }
)
