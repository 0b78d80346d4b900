"""The domain model of MigraLex (docs/design.md §3): plain dataclasses shared by every layer.

Acts (нормативные правовые акты) are split into provisions (положения: разделы, главы, статьи,
пункты/части, подпункты); each provision exists in one or more versions (редакции), and the
amendments (изменения и дополнения) that touched it are kept as records of their own.

Everything here is pure data: no I/O. ``to_dict``/``from_dict`` give the JSON shape used by
``migralex parse``, the JSONL export, the store's JSON columns and the API; they go through
pydantic's validation of these dataclasses (types from the annotations, dates as ISO 8601), so a
wrongly typed value is an error naming its field, never a silently stored string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import TypeAdapter

from legal.eid import KIND_PREFIX, article_of

ActStatus = Literal["in_force", "repealed", "not_in_force_yet", "unknown"]
ACT_STATUSES: tuple[str, ...] = ("in_force", "repealed", "not_in_force_yet", "unknown")

#: Provision kinds and their eid prefixes (docs/design.md §2, Akoma Ntoso style; legal.eid).
PROVISION_KINDS: dict[str, str] = KIND_PREFIX

#: Amendment verbs (docs/design.md §3).
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


def version_id(act_id: str, eid: str, valid_from: dt.date | None) -> str:
    """Provision version id ``{act_id}/{eid}@{valid_from}`` (docs/design.md §2); ``@unknown`` if undated."""
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
    date: dt.date | None = None
    id: str | None = None  # adilet id when known or derivable (Z2500000220)
    kind: str | None = None  # закон, указ, постановление, конституционный закон …


#: Kinds of :class:`EffectiveRule` (порядок введения в действие).
EFFECTIVE_KINDS: tuple[str, ...] = ("date", "publication", "reference", "event", "unknown")


@dataclass(frozen=True)
class EffectiveRule:
    """When a change or an act enters into force (вводится в действие), as its note or its final
    provisions state it; read by ``ingest.effective_rules``, resolved to a date by ``corpus.dating``.

    - ``date``: on a fixed date ("вводится в действие с 01.01.2015");
    - ``publication``: relative to the first official publication (первое официальное опубликование):
      in force on publication + ``months`` + ``days`` (+ 1 day when ``day_after``: "по истечении
      десяти календарных дней после дня его первого официального опубликования" is publication + 11;
      "со дня его первого официального опубликования" is the publication day itself);
    - ``reference``: the amending act's own final provisions give the order ("порядок введения в
      действие см. ст. 2"), not known here;
    - ``event``: after another event ("после дня введения в действие соответствующих изменений …");
    - ``unknown``: a bracket that states none of these.
    """

    kind: str  # one of EFFECTIVE_KINDS
    date: dt.date | None = None  # kind "date"
    days: int = 0  # kind "publication": the stated delay
    months: int = 0
    day_after: bool = False  # counted from the day after publication (in force the day after the delay ends)
    text: str = ""  # the clause as written

    @property
    def delay(self) -> bool:
        """A delay after publication is stated (the start can never be the adoption date)."""
        return self.kind == "publication" and (self.days > 0 or self.months > 0 or self.day_after)


@dataclass
class Act:
    """A normative legal act (нормативный правовой акт) as one adilet document."""

    id: str  # Z1100000477, K1400000226, Z090000216_
    kind: str | None = None  # закон, кодекс, указ, постановление, приказ …
    title: str = ""
    number: str | None = None  # 477-IV
    adopted: dt.date | None = None
    status: str = "unknown"  # one of ACT_STATUSES
    languages: list[str] = field(default_factory=lambda: ["rus"])
    source_url: str | None = None
    publication: str | None = None  # источник опубликования
    info: dict[str, str] = field(default_factory=dict)  # raw /info label → value map
    #: date of the first official publication (первое официальное опубликование), when a source gives it
    published: dt.date | None = None
    #: entry into force (введение в действие) of the act itself: a date, exact or the earliest possible
    #: ("not before": a rule relative to an unknown publication date), and the rule as the text states it
    in_force_from: dt.date | None = None
    in_force_exact: bool = False
    in_force_rule: EffectiveRule | None = None
    #: provisions the act puts into force later than itself ("за исключением статьи 45, которая вводится в
    #: действие с 1 января 2017 года"): eid → date
    in_force_exceptions: dict[str, dt.date] = field(default_factory=dict)


@dataclass(frozen=True)
class CausedBy:
    """The act that made a redaction (the reference bank's ``caused_by``), as far as the source names
    it: number, date, kind and adilet id when known, else only the bank's own document code."""

    number: str | None = None  # "141-VII", Latin roman numerals
    date: dt.date | None = None
    kind: str | None = None
    id: str | None = None  # adilet id, only when derivable (Z2200000141)
    code: str | None = None  # the reference bank's document code ("169857")
    title: str | None = None
    #: as the bank writes it: "Закон Республики Казахстан от 14 июля 2022 года № 141-VII ЗРК"
    requisite: str | None = None


@dataclass
class Redaction:
    """One wording of an act (редакция) as fetched from one page or one version of the reference bank."""

    act_id: str
    lang: str = "rus"
    valid_from: dt.date | None = None
    url: str | None = None
    fetched_at: dt.datetime | None = None
    content_hash: str | None = None  # sha256 of the raw page
    caused_by: CausedBy | None = None  # the amending act that made this wording, when the source says
    #: the eids an excerpt (a chapter, a few articles) speaks for, each with its descendants by id
    #: (``["chp_28", "art_510", …]``); None = the whole act. Provisions outside it are not spoken for.
    scope: list[str] | None = None
    #: how ``valid_from`` was found: "version" (the source's own version date: the reference bank's
    #: version_date, an adilet archive address), "amendments" (the newest amendment in its notes: an
    #: adilet page or text copy), None when not said
    date_source: str | None = None

    def covers(self, eid: str) -> bool:
        """Does this redaction speak for ``eid`` (whole act, or ``eid`` in or under its scope)?"""
        return scope_covers(self.scope, eid)


def scope_covers(scope: Sequence[str] | None, eid: str) -> bool:
    """``eid`` is in a redaction's scope: the scope is the whole act (None) or holds ``eid`` or an eid
    enclosing it by id (``art_510`` covers ``art_510__para_1__point_2``)."""
    if scope is None:
        return True
    roots = set(scope)
    pieces = eid.split("__")
    return any("__".join(pieces[: i + 1]) in roots for i in range(len(pieces)))


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
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None  # exclusive; None = in force now (or until repeal)
    #: the text is only the note that the provision was repealed ("3) исключен Законом РК от …",
    #: "утратил силу"): read by ingest, used for the version's status
    repealed: bool = False
    #: ``valid_from`` is the exact date the wording entered into force (False: the earliest possible one)
    valid_from_exact: bool = True
    #: how ``valid_from`` was found or what bounds it (an amending act's rule, a version date …)
    valid_from_rule: str | None = None
    #: the provision's wording from this date up to ``valid_from`` is not known (older wordings are not
    #: in the corpus, or a change fell between two redactions on a date not known); None: nothing unknown
    unknown_from: dt.date | None = None
    #: adilet's element id of the provision's heading on the act's page (``z446`` for art. 48 of the
    #: migration law: a running number of the page, not the article's number), for links
    #: ``…/docs/{ID}#z446``; None where the source has no such ids (text copies, the bank's Markdown)
    anchor: str | None = None

    @property
    def id(self) -> str:
        return provision_id(self.act_id, self.eid)

    @property
    def version_id(self) -> str:
        return version_id(self.act_id, self.eid, self.valid_from)

    @property
    def article(self) -> str | None:
        return article_of(self.eid)


@dataclass
class Amendment:
    """A change to an act or provision, from a footnote (Сноска), an ИЗПИ note, an excluded item
    or the act's history page."""

    act_id: str
    eid: str | None  # None = the whole act
    verb: str  # one of AMENDMENT_VERBS
    amending_act: AmendingAct = field(default_factory=AmendingAct)
    effective_text: str | None = None  # "(вводится в действие по истечении десяти …)"
    effective_date: dt.date | None = None  # when it can be computed
    #: the bracket read as a rule (a fixed date, a delay after publication, a reference …)
    effective_rule: EffectiveRule | None = None
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


#: How a citation's target was established: read from the text alone ("syntactic": ``migralex tag``,
#: no store), or read and then checked to exist in the corpus store at the citing version's dates.
CITATION_RESOLUTIONS: tuple[str, ...] = ("syntactic", "corpus")


@dataclass
class Citation:
    """A reference from a provision version to another act or provision (ссылка).

    ``target_act_id``/``target_eid`` are the target as read (an act not in the corpus keeps its id);
    ``resolved`` is true only when the target is certain, and, with ``resolution == "corpus"``, exists in
    the cited act's wording in force while the citing version is. Otherwise ``unresolved_reason`` says why
    ("not in corpus", "no such provision in the act's wording on …", "anaphora without antecedent" …).
    """

    start: int
    end: int
    text: str
    target_act_id: str | None = None  # None when the act is not identified
    target_name: str | None = None  # the act as named (or the anaphor, "указанного Закона")
    target_eid: str | None = None
    resolved: bool = False
    unresolved_reason: str | None = None
    resolution: str = "syntactic"  # one of CITATION_RESOLUTIONS
    #: for an anaphor ("указанного Закона", "той же статьи"): the earlier words it was resolved from
    antecedent: str | None = None


@dataclass
class Tag:
    """A topic tag (docs/design.md §4) with the evidence that supports it."""

    id: str  # taxonomy id
    evidence: list[Span] = field(default_factory=list)
    rule: str = ""  # rule id
    rule_version: str = ""
    confidence: float = 1.0


#: How a provision engages a right (docs/design.md §7): it grants a right or safeguard ("имеют право на
#: обжалование"), restricts it (a ground for refusal, expulsion, detention, a ban: "запрещается въезд",
#: "подлежит выдворению"), or says who decides and how.
POLARITIES: tuple[str, ...] = ("guarantees", "restricts", "procedure")


@dataclass
class RightLink:
    """A right engaged by a provision (docs/design.md §4, §7): where (the eid of the part or item whose
    words engage it), how (``polarity``), the tags and cues that support it, the evidence and the rule."""

    id: str  # right id
    because: list[str] = field(default_factory=list)  # "tag:expulsion", "cue:выдворение", "polarity:…" …
    evidence: list[Span] = field(default_factory=list)
    rule: str = ""
    confidence: float = 1.0
    #: the part or item engaging the right (``art_48__point_10-1``); None when the text's provision is unknown
    eid: str | None = None
    polarity: str | None = None  # one of POLARITIES


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


# --- JSON (through pydantic) -------------------------------------------------------------------------

T = TypeVar("T")


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(cls: Any) -> TypeAdapter[Any]:
    """One pydantic adapter per class (building one costs milliseconds)."""
    found = _ADAPTERS.get(cls)
    if found is None:
        found = _ADAPTERS[cls] = TypeAdapter(cls)
    return found


def to_dict(obj: Any) -> Any:
    """A dataclass of this module (or a list/dict of them) as JSON-ready data, dates in ISO 8601."""
    if isinstance(obj, list | tuple):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return _adapter(type(obj)).dump_python(obj, mode="json")


def from_dict(cls: type[T], data: Any) -> T:
    """Inverse of :func:`to_dict`: validate ``data`` as a ``cls`` (pydantic ``ValidationError``,
    a ``ValueError``, names the field that is wrong)."""
    return _adapter(cls).validate_python(data)  # type: ignore[no-any-return]


def from_json(cls: type[T], text: str | bytes) -> T:
    """Like :func:`from_dict` on a JSON text (the store's JSON columns), without a ``json.loads``."""
    return _adapter(cls).validate_json(text)  # type: ignore[no-any-return]
