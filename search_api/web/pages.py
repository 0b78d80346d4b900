"""What each page shows, gathered from the API (:mod:`search_api.web.api`) into plain view models the
templates render. No HTML here, and no I/O beyond the API's functions.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from corpus.models import Act, Amendment, Annotation, Citation, Provision, Tag, split_provision_id
from corpus.timeline import VersionDiff, amendment_date
from legal.eid import Eid, EidError, article_of
from search_api.models import SearchResult
from search_api.state import AppState
from search_api.web import api, charts
from search_api.web.cite import CiteSubject
from search_api.web.i18n import Strings
from search_api.web.layout import Mark, Node, Row, annotation_marks, build_tree, paragraphs, rows
from search_api.web.present import adilet_url, eid_label, fmt_date, heading_label, provision_anchor

TEXT_LANGS = ("rus", "kaz")
#: Amendment source kinds printed in the act as editorial notes (the rest come from side pages, or are
#: the text of a repealed item itself).
NOTE_KINDS = ("footnote", "izpi_note")


# --- URLs ---------------------------------------------------------------------------------------


def law_url(act_id: str, eid: str | None = None, *, at: date | None = None, lang: str | None = None,
            anchor: str | None = None, suffix: str = "", **extra: str | None) -> str:
    """The permalink of an act or provision: ``/law/{act}/{eid}?at=YYYY-MM-DD&lang=kaz#anchor``
    (``suffix`` adds an export's name to the path: ``/history.csv``)."""
    path = f"/law/{act_id}" + (f"/{eid}" if eid else "") + suffix
    params: list[tuple[str, str]] = []
    if at is not None:
        params.append(("at", at.isoformat()))
    if lang and lang != "rus":
        params.append(("lang", lang))
    params += [(k, v) for k, v in extra.items() if v]
    return path + (f"?{urlencode(params)}" if params else "") + (f"#{anchor}" if anchor else "")


def provision_href(act_id: str, eid: str, at: date | None = None, lang: str | None = None) -> str:
    """Where a link to a provision goes: its article's page, scrolled to the provision."""
    article = _article(eid)
    if article and article != eid:
        return law_url(act_id, article, at=at, lang=lang, anchor=eid)
    return law_url(act_id, eid, at=at, lang=lang)


def _article(eid: str) -> str | None:
    """The article an eid is in (None for an eid above articles, or one that does not parse)."""
    try:
        return article_of(eid)
    except EidError:
        return None


def act_titles(acts: Iterable[Act]) -> dict[str, str]:
    return {a.id: a.title or a.id for a in acts}


# --- search -------------------------------------------------------------------------------------

SEARCH_MULTI = ("act", "kind", "tag", "right", "status")
SEARCH_SINGLE = ("q", "at", "chapter", "amended_from", "amended_to", "page", "size", "sort", "group", "thesaurus",
                 "exact")
SEARCH_DATES = ("at", "amended_from", "amended_to")
STATUSES = ("in_force", "historical", "repealed", "not_in_force_yet")
SEARCH_DEFAULTS = {"page": "1", "size": "10", "sort": "relevance", "group": "article", "thesaurus": "true",
                   "exact": "false"}


@dataclass
class SearchParams:
    """The search page's parameters as given (strings), so the form shows back what was typed."""

    single: dict[str, str] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> SearchParams:
        p = cls()
        for k, v in pairs:
            if k in SEARCH_MULTI:
                if v and v not in p.multi.setdefault(k, []):
                    p.multi[k].append(v)
            elif k in SEARCH_SINGLE:
                p.single[k] = v
        return p

    def get(self, key: str) -> str:
        return self.single.get(key, "")

    def values(self, key: str) -> list[str]:
        return self.multi.get(key, [])

    def pairs(self) -> list[tuple[str, str]]:
        """The parameters that are set, defaults left out (the permalink carries only what matters)."""
        out = [(k, v) for k, v in self.single.items() if v and SEARCH_DEFAULTS.get(k) != v]
        out += [(k, v) for k in SEARCH_MULTI for v in self.multi.get(k, [])]
        return out

    def is_empty(self) -> bool:
        return not self.pairs()

    def url(self, path: str = "/", **changes: str | list[str] | None) -> str:
        """This search with some parameters changed (None removes one); paging restarts unless given."""
        single = dict(self.single)
        multi = {k: list(v) for k, v in self.multi.items()}
        if "page" not in changes:
            single.pop("page", None)
        for k, v in changes.items():
            if k in SEARCH_MULTI:
                multi[k] = [] if v is None else ([v] if isinstance(v, str) else list(v))
            elif v is None:
                single.pop(k, None)
            else:
                single[k] = str(v)
        query = SearchParams(single, multi).pairs()
        return path + (f"?{urlencode(query)}" if query else "")

    def toggled(self, key: str, value: str) -> str:
        """The URL with ``value`` added to, or removed from, a multi-valued filter."""
        values = self.values(key)
        new = [v for v in values if v != value] if value in values else [*values, value]
        return self.url(**{key: new})  # type: ignore[arg-type]


@dataclass
class Chip:
    label: str
    remove_url: str


@dataclass
class FacetItem:
    label: str
    count: int
    url: str
    active: bool


@dataclass
class FacetBlock:
    key: str
    title: str
    items: list[FacetItem]


@dataclass
class HitView:
    eid: str
    label: str  # "п. 4"
    snippet: Markup
    href: str
    valid_from: date | None
    valid_to: date | None
    status: str
    tags: list[tuple[str, str, str]]  # (id, label, url to filter by it)


@dataclass
class HitGroup:
    act_id: str
    act_title: str
    article: str | None
    title: str  # "Статья 48. Основания …"
    context: str  # enclosing chapter/section
    href: str
    hits: list[HitView]


@dataclass
class SearchPage:
    params: SearchParams
    error: str | None = None
    error_param: str | None = None
    result: SearchResult | None = None
    groups: list[HitGroup] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    facets: list[FacetBlock] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    pages: list[tuple[str, str | None, bool]] = field(default_factory=list)  # label, url, current
    page: int = 1
    size: int = 10
    grouped_by_api: bool = False
    supports_group: bool = False
    supports_thesaurus: bool = False
    supports_exact: bool = False
    summary: str = ""


def safe_snippet(html: str) -> Markup:
    """The API's snippet is escaped text with ``<mark>``; keep only that markup, whatever it holds."""
    text = str(escape(html.replace("<mark>", "\x01").replace("</mark>", "\x02")))
    return Markup(text.replace("\x01", "<mark>").replace("\x02", "</mark>"))


def _status_label(t: Strings, status: str) -> str:
    return t(f"status.{status}") if t.has(f"status.{status}") else status


def search_chips(p: SearchParams, t: Strings, titles: dict[str, str]) -> list[Chip]:
    chips: list[Chip] = []
    if p.get("q"):
        chips.append(Chip(t("search.chip.q", q=p.get("q")), p.url(q=None)))
    if p.get("at"):
        chips.append(Chip(t("search.chip.at", date=p.get("at")), p.url(at=None)))
    for v in p.values("act"):
        chips.append(Chip(titles.get(v, v), p.toggled("act", v)))
    for v in p.values("kind"):
        chips.append(Chip(t("search.chip.kind", kind=v), p.toggled("kind", v)))
    if p.get("chapter"):
        label = eid_label(p.get("chapter"), ui=t.lang)
        chips.append(Chip(t("search.chip.chapter", chapter=label), p.url(chapter=None)))
    for v in p.values("tag"):
        chips.append(Chip(t.tag_label(v), p.toggled("tag", v)))
    for v in p.values("right"):
        chips.append(Chip(t.right_label(v), p.toggled("right", v)))
    for v in p.values("status"):
        chips.append(Chip(_status_label(t, v), p.toggled("status", v)))
    af, at_ = p.get("amended_from"), p.get("amended_to")
    if af or at_:
        if af[:4] == at_[:4] and af.endswith("-01-01") and at_.endswith("-12-31"):
            label = t("search.chip.year", year=af[:4])
        else:
            label = t("search.chip.amended", start=af or "…", end=at_ or "…")
        chips.append(Chip(label, p.url(amended_from=None, amended_to=None)))
    return chips


def search_facets(p: SearchParams, result: SearchResult, t: Strings, titles: dict[str, str]) -> list[FacetBlock]:
    facets = result.facets or {}
    blocks: list[FacetBlock] = []

    def block(key: str, title: str, label_of: Any, order: Sequence[str] | None = None) -> None:
        counts = facets.get({"act": "acts", "tag": "tags", "right": "rights"}[key], {})
        ids = [i for i in order if i in counts] if order else sorted(counts, key=lambda i: -counts[i])
        items = [FacetItem(label_of(i), counts[i], p.toggled(key, i), i in p.values(key)) for i in ids]
        if items:
            blocks.append(FacetBlock(key, title, items))

    from nlp.taxonomy import load_rights, load_topics

    block("act", t("facet.acts"), lambda i: titles.get(i, i))
    block("tag", t("facet.tags"), t.tag_label, list(load_topics().tags))
    block("right", t("facet.rights"), t.right_label, list(load_rights().rights))
    years = facets.get("years", {})
    if years:
        items = []
        for y in sorted(years, reverse=True):
            active = p.get("amended_from") == f"{y}-01-01" and p.get("amended_to") == f"{y}-12-31"
            url = p.url(amended_from=None, amended_to=None) if active else p.url(
                amended_from=f"{y}-01-01", amended_to=f"{y}-12-31")
            items.append(FacetItem(str(y), years[y], url, active))
        blocks.append(FacetBlock("years", t("facet.years"), items))
    return blocks


def _expansions(data: dict[str, Any]) -> list[str]:
    """The thesaurus expansions an answer reports (``expansions``: ``{term, also, note}``), written
    "высылка → выдворение"."""
    out: list[str] = []
    for item in data.get("expansions") or []:
        if isinstance(item, dict):
            also = item.get("also") or []
            text = f"{item.get('term', '')} → {', '.join(map(str, also))}" if also else str(item.get("term", ""))
            if item.get("note"):
                text += f" ({item['note']})"
            out.append(text)
        elif isinstance(item, str):
            out.append(item)
    return out


def search_notes(p: SearchParams, result: SearchResult, t: Strings) -> list[Note]:
    """What the reader should know about the answer: the API's notes (OR fallback, a phrase not found …)
    in the interface's words where it has them, the thesaurus terms also searched (with a link to search
    without them), and what a date leaves out (the API's coverage when it gives one)."""
    data = result.model_dump()
    notes: list[Note] = []
    codes = set()
    for n in data.get("notes") or []:
        if isinstance(n, dict):
            code = str(n.get("code", ""))
            codes.add(code)
            key = f"search.note.{code}"
            notes.append(Note(t(key) if code and t.has(key) else str(n.get("message", code))))
    if data.get("operator") == "or" and "or_fallback" not in codes:
        notes.append(Note(t("search.note.or_fallback")))
    terms = _expansions(data)
    if terms:
        notes.append(Note(t("search.note.expanded", terms="; ".join(terms)), p.url(thesaurus="false"),
                          t("search.note.without_thesaurus")))
    if p.get("at"):
        cov = data.get("coverage")
        if isinstance(cov, dict) and "known" in cov:
            notes.append(Note(t("search.note.coverage", date=p.get("at"), known=cov.get("known"),
                                unknown=cov.get("unknown", 0))))
        else:
            notes.append(Note(t("search.note.no_coverage", date=p.get("at"))))
    return notes


@dataclass
class Note:
    text: str
    link: str | None = None
    link_text: str | None = None


def _group_hits(result: SearchResult, t: Strings, titles: dict[str, str], at: date | None,
                kinds: dict[str, str | None], p: SearchParams) -> tuple[list[HitGroup], bool]:
    """Hits grouped by article: the API's groups when it gives them (``parts`` on a hit), else this
    page's hits gathered under their articles in the order they rank."""
    groups: dict[tuple[str, str], HitGroup] = {}
    by_api = False
    data_grouped = getattr(result, "group", None) == "article"
    for hit in result.hits:
        data = hit.model_dump()
        parts = data.get("parts") if isinstance(data.get("parts"), list) else None
        by_api = by_api or (parts is not None and data_grouped)
        article = _article(hit.eid)
        key = (hit.act_id, article or hit.eid)
        group = groups.get(key)
        if group is None:
            ancestors = [a for a in hit.ancestors if not a.startswith(("Статья", "статья"))]
            title = next((a for a in hit.ancestors if a.startswith("Статья")), None)
            if title is None:
                number = None
                if article:
                    number = Eid.parse(article).number
                title = heading_label("article", number, hit.heading) if article else (hit.heading or hit.eid)
            group = groups[key] = HitGroup(
                hit.act_id, titles.get(hit.act_id, hit.act_id), article, title, " · ".join(ancestors[-2:]),
                law_url(hit.act_id, article or hit.eid, at=at), [])
        for part in parts or [data]:  # an article hit without parts matched in its own words
            eid = str(part.get("eid") or hit.eid)
            vf, vt = part.get("valid_from", hit.valid_from), part.get("valid_to", hit.valid_to)
            group.hits.append(HitView(
                eid, "" if eid == article else eid_label(eid, kinds.get(hit.act_id), t.lang, within=article),
                safe_snippet(str(part.get("snippet") or "")), provision_href(hit.act_id, eid, at),
                vf if isinstance(vf, date) else None, vt if isinstance(vt, date) else None,
                str(part.get("status", hit.status)),
                [(tag, t.tag_label(tag), p.toggled("tag", tag)) for tag in part.get("tags", hit.tags)]))
    return list(groups.values()), by_api


def search_page(p: SearchParams, result: SearchResult | None, t: Strings, acts: list[Act], at: date | None,
                page: int, size: int) -> SearchPage:
    titles = act_titles(acts)
    fields = api.search_fields()
    page_model = SearchPage(p, page=page, size=size, supports_group="group" in fields,
                            supports_thesaurus="thesaurus" in fields, supports_exact="exact" in fields)
    page_model.chips = search_chips(p, t, titles)
    if result is None:
        return page_model
    page_model.result = result
    page_model.facets = search_facets(p, result, t, titles)
    page_model.notes = search_notes(p, result, t)
    kinds = {a.id: a.kind for a in acts}
    page_model.groups, page_model.grouped_by_api = _group_hits(result, t, titles, at, kinds, p)
    last = max(1, -(-result.total // size))
    grouped = getattr(result, "group", None) == "article"  # the API counts articles then
    page_model.summary = t.plural("search.found_articles" if grouped else "search.found", result.total)
    if last > 1:
        nums = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
        links: list[tuple[str, str | None, bool]] = []
        if page > 1:
            links.append((t("search.prev"), p.url(page=str(page - 1)), False))
        prev = 0
        for n in nums:
            if n - prev > 1:
                links.append(("…", None, False))
            links.append((str(n), p.url(page=str(n)), n == page))
            prev = n
        if page < last:
            links.append((t("search.next"), p.url(page=str(page + 1)), False))
        page_model.pages = links
    return page_model


# --- acts ---------------------------------------------------------------------------------------


@dataclass
class TocNode:
    eid: str
    kind: str
    label: str
    href: str
    children: list[TocNode] = field(default_factory=list)


def toc_tree(entries: Sequence[Any], act_id: str, at: date | None) -> list[TocNode]:
    """The table of contents as a tree (entries in document order, each with its parent eid)."""
    nodes: dict[str, TocNode] = {}
    roots: list[TocNode] = []
    for e in entries:
        node = TocNode(e.eid, e.kind, heading_label(e.kind, e.number, e.heading, "rus", e.eid) or e.eid,
                       law_url(act_id, e.eid, at=at))
        nodes[e.eid] = node
        parent = nodes.get(e.parent) if e.parent else None
        (parent.children if parent else roots).append(node)
    return roots


def amendments_by_year(amendments: Iterable[Amendment]) -> Counter[int]:
    """Amendments per year of their date (in force, else the amending act's), ИЗПИ prospective notes
    left out (they announce, they do not amend)."""
    years: Counter[int] = Counter()
    for a in amendments:
        d = amendment_date(a)
        if d is not None and a.verb != "prospective":
            years[d.year] += 1
    return years


# --- provisions ---------------------------------------------------------------------------------


@dataclass
class Wording:
    """A wording of the provision with everything under it, in force on ``[start, end)``."""

    start: date
    end: date | None
    approximate: bool
    missing: int = 0  # provisions in force now that have no text on ``start`` in the corpus
    #: amendments dated inside the wording (after its start, before its end): the corpus lacks the
    #: wordings they made, so the text shown may not be the one in force on a date inside it
    amended_inside: int = 0
    #: the corpus holds the provision's own wording on ``start`` (False: it was in force, its text then is
    #: not known, docs/design.md §7): shown as a gap, never offered for a comparison
    known: bool = True


@dataclass
class EventView:
    amendment: Amendment
    on: date | None
    verb: str  # verb id
    target: str | None  # eid
    target_label: str
    act_kind: str | None
    act_number: str | None
    act_date: date | None
    act_id: str | None
    act_href: str | None
    adopted: date | None
    in_force: date | None
    in_force_exact: bool
    effective_text: str | None
    source: str
    source_kind: str


@dataclass
class CitationOut:
    eid: str
    label: str
    text: str
    href: str | None
    external: bool
    target: str  # what it points to, written out
    resolved: bool


@dataclass
class CitationIn:
    act_id: str
    act_title: str
    eid: str
    label: str
    text: str
    href: str


@dataclass
class EvidenceView:
    """Evidence of one finding; the provisions where the same words, rule and confidence gave it."""

    places: list[tuple[str, str]]  # (eid, label)
    texts: list[str]
    rule: str
    confidence: float
    because: list[str] = field(default_factory=list)
    polarity: str | None = None

    def same_finding(self, other: EvidenceView) -> bool:
        return (self.texts, self.rule, self.confidence, self.because, self.polarity) == (
            other.texts, other.rule, other.confidence, other.because, other.polarity)


def _merge(found: list[EvidenceView], ev: EvidenceView) -> None:
    for known in found:
        if known.same_finding(ev):
            known.places += ev.places
            return
    found.append(ev)


@dataclass
class TagView:
    id: str
    label: str
    evidence: list[EvidenceView]


@dataclass
class RightView:
    id: str
    label: str
    instruments: list[str]
    evidence: list[EvidenceView]
    polarities: list[str]
    decisions: list[Any]


@dataclass
class DiffRow:
    eid: str
    label: str
    depth: int
    state: str  # same | changed | added | removed | renumbered
    ops: list[tuple[str, str]]
    heading_ops: list[tuple[str, str]]
    changes: list[dict[str, Any]] | None


@dataclass
class ProvisionPage:
    act: Act
    provision: Provision
    at: date | None
    lang: str
    title: str
    breadcrumbs: list[tuple[str, str]]
    rows: list[Row]
    parallel: dict[tuple[str, str], Row] | None
    parallel_lang: str | None
    kaz_missing: bool
    notes: list[tuple[str, str]]  # (kind, text)
    wordings: list[Wording]
    current_wording: Wording | None
    events: list[EventView]
    timeline_svg: Markup
    tags: list[TagView]
    rights: list[RightView]
    citations_out: list[CitationOut]
    citations_in: list[tuple[str, list[CitationIn]]]
    diff_from: date | None
    diff_to: date | None
    diff_rows: list[DiffRow]
    diff_changes: list[dict[str, Any]] | None  # typed changes (None: the API gives none)
    diff_unknown: list[date]  # a compared date whose wording the corpus does not know
    diff_absent: list[date]  # a compared date when the provision was not in force (everything is added/removed)
    diff_unknown_parts: list[str]  # parts and items left out of the comparison: a side's wording unknown
    diff_note: str | None
    diff_suggested: bool  # diff_from/diff_to are offered, not yet compared
    #: consecutive wordings whose texts are known, offered for comparison: (from, to, an unknown wording between)
    diff_pairs: list[tuple[date, date, bool]]
    #: when a compared date's wording is unknown: the nearest known wordings to compare instead
    diff_instead: tuple[date, date] | None
    cite: CiteSubject
    is_container: bool
    toc: list[TocNode]
    highlight: str | None
    exact_flags: bool  # the API gives valid_from_exact
    languages: list[str]


def source_url(state: AppState, act: Act, lang: str, wording: date | None, anchor: str | None) -> str:
    """Where the wording cited was read: the URL of the redaction in force on ``wording`` (an adilet
    archive page, the reference bank's version, or adilet's current text), adilet's current text when
    the store has no URL for it; the provision's anchor only on adilet's current text."""
    reds = sorted((r for r in state.store().redactions(act.id) if r.lang == lang and r.valid_from),
                  key=lambda r: r.valid_from or date.min)
    day = wording or date.today()
    older = [r for r in reds if r.valid_from is not None and r.valid_from <= day]
    current = adilet_url(act.id, lang)
    url = older[-1].url if older and older[-1].url else current
    if url.rstrip("/") == current and anchor:
        return f"{current}#{anchor}"
    return url


def subtree(state: AppState, act_id: str, root: Provision, on: date | None, lang: str,
            annotated: bool = False) -> Node:
    """The provision with everything under it in force on ``on`` (None: the newest wordings)."""

    def kids(p: Provision) -> list[Provision]:
        return api.children(state, act_id, p.eid, on, lang)

    def note(p: Provision) -> Annotation | None:
        return api.annotation(state, p.version_id, lang) if annotated else None

    return build_tree(root, kids, note)


def _subtree_eids(node: Node) -> list[str]:
    return [n.provision.eid for n in node.walk()]


def _in_force(v: Provision, on: date) -> bool:
    return (v.valid_from is None or v.valid_from <= on) and (v.valid_to is None or on < v.valid_to)


def wordings_of(state: AppState, act: Act, root: str, lang: str, now_tree: Node,
                amendments: Sequence[Amendment]) -> tuple[list[Wording], bool]:
    """The wordings of the provision with everything under it: a new one starts wherever the text of
    any of them changes. Removed parts are found by looking at the day before each version ends."""
    known: dict[str, list[Provision]] = {}
    pending = set(_subtree_eids(now_tree))
    looked: set[date] = set()
    while pending:
        for eid in pending:
            known[eid] = api.versions(state, act.id, eid, lang)
        pending = set()
        ends = {v.valid_to for vs in known.values() for v in vs if v.valid_to} - looked
        for end in sorted(ends):
            looked.add(end)
            day = end - timedelta(days=1)
            root_then = api.provision_at(state, act.id, root, day, lang)
            if root_then is None:
                continue
            tree = subtree(state, act.id, root_then, day, lang)
            pending |= {e for e in _subtree_eids(tree) if e not in known}
    versions = [v for vs in known.values() for v in vs]
    exact_flags = any(hasattr(v, "valid_from_exact") for v in versions)
    starts = sorted({v.valid_from for v in versions if v.valid_from} | {v.valid_to for v in versions if v.valid_to})
    root_versions = known.get(root, [])
    guessed = {amendment_date(a) for a in amendments if a.effective_date is None and a.amending_act.date}
    out: list[Wording] = []
    current_eids = set(_subtree_eids(now_tree))
    for start, nxt in itertools.zip_longest(starts, starts[1:]):
        if not any(v.valid_from is None or v.valid_from <= start for v in root_versions):
            continue  # the provision itself is not in force yet
        if all(v.valid_to is not None and v.valid_to <= start for v in root_versions):
            continue
        here = [v for v in versions if v.valid_from == start]
        if exact_flags:
            approx = any(getattr(v, "valid_from_exact", True) is False for v in here)
        else:
            approx = start in guessed or start == act.adopted
        in_force = {e for e, vs in known.items() if any(_in_force(v, start) for v in vs)}
        known_then = api.wording_state(state, act.id, root, start, lang) == "known"
        out.append(Wording(start, nxt, approx, len(current_eids - in_force), known=known_then))
    return out, exact_flags


def event_views(history_events: Sequence[Any], act: Act, t: Strings, titles: dict[str, str],
                within: str | None = None) -> list[EventView]:
    """The amendments of the API's history as dated events: both dates (adopted, in force) and whether
    the in-force date is exact, from the event where the API gives them (``adopted``, ``in_force``,
    ``in_force_exact``), else from the amendment record (its effective date, else the amending act's)."""
    out: list[EventView] = []
    for ev in history_events:
        a: Amendment | None = getattr(ev, "amendment", None)
        if a is None:
            continue
        adopted = getattr(ev, "adopted", None) or a.amending_act.date
        in_force = getattr(ev, "in_force", None) or a.effective_date
        exact = bool(getattr(ev, "in_force_exact", a.effective_date is not None)) and in_force is not None
        aid = a.amending_act.id
        href = law_url(aid) if aid and aid in titles else (adilet_url(aid) if aid else None)
        out.append(EventView(
            a, getattr(ev, "on", None) or amendment_date(a), a.verb, a.eid,
            eid_label(a.eid, act.kind, t.lang, within=within) if a.eid else t("provision.whole_act"),
            a.amending_act.kind, a.amending_act.number, a.amending_act.date, aid, href, adopted, in_force, exact,
            a.effective_text, a.source, a.source_kind))
    out.sort(key=lambda e: (e.on is None, e.on or date.min))
    return out


def _evidence(node: Node, act: Act, ui: str, root: str, spans: Iterable[Any], rule: str, confidence: float,
              because: Sequence[str] = (), polarity: str | None = None, where: str | None = None) -> EvidenceView:
    texts = list(dict.fromkeys(s.text for s in spans))
    eid = where or node.provision.eid  # a right link names the part or item whose words engage it
    return EvidenceView([(eid, eid_label(eid, act.kind, ui, within=root))], texts, rule, confidence, list(because),
                        polarity)


def tags_and_rights(tree: Node, act: Act, t: Strings) -> tuple[list[TagView], list[RightView]]:
    from nlp.decisions import decisions_for_right
    from nlp.taxonomy import load_rights, load_topics

    tags: dict[str, list[EvidenceView]] = defaultdict(list)
    rights: dict[str, list[EvidenceView]] = defaultdict(list)
    root = tree.provision.eid
    for node in tree.walk():
        ann = node.annotation
        if ann is None:
            continue
        for tag in ann.tags:
            _merge(tags[tag.id], _evidence(node, act, t.lang, root, tag.evidence, _rule(tag), tag.confidence))
        for link in ann.rights:
            _merge(rights[link.id], _evidence(node, act, t.lang, root, link.evidence, link.rule, link.confidence,
                                              link.because, link.polarity, link.eid))
    topic_order = list(load_topics().tags)
    catalogue = load_rights().rights
    tag_views = [TagView(i, t.tag_label(i), tags[i]) for i in sorted(tags, key=lambda i: (
        topic_order.index(i) if i in topic_order else 99, i))]
    right_views = []
    for rid in sorted(rights, key=lambda i: list(catalogue).index(i) if i in catalogue else 99):
        right = catalogue.get(rid)
        pols = sorted({e.polarity for e in rights[rid] if e.polarity})
        right_views.append(RightView(rid, t.right_label(rid), list(right.instruments) if right else [], rights[rid],
                                     pols, decisions_for_right(rid)))
    return tag_views, right_views


def _rule(tag: Tag) -> str:
    return f"{tag.rule} v{tag.rule_version}" if tag.rule_version else tag.rule


def citation_target(c: Citation, act: Act, titles: dict[str, str], t: Strings, at: date | None,
                    kinds: dict[str, str | None]) -> tuple[str | None, bool, str]:
    """(link, external?, the target written out) of a citation; no link when it is unresolved."""
    if not c.resolved or not c.target_act_id:
        name = (c.target_name or "").strip()
        return None, False, "" if not name or name in c.text else name
    target_act = c.target_act_id
    where = eid_label(c.target_eid, kinds.get(target_act), t.lang) if c.target_eid else ""
    if target_act in titles:
        name = titles[target_act] if target_act != act.id else t("provision.this_act")
        href = provision_href(target_act, c.target_eid, at) if c.target_eid else law_url(target_act, at=at)
        return href, False, f"{where} — {name}" if where else name
    return adilet_url(target_act), True, f"{where} — {target_act} ({t('provision.not_in_corpus')})".lstrip(" —")


@dataclass
class DiffView:
    """A comparison of two wordings: rows per provision, the typed changes (None: the API gives none),
    and which side's wording the corpus does not know."""

    rows: list[DiffRow]
    changes: list[dict[str, Any]] | None
    unknown: list[date]  # a compared date whose wording is unknown (the API's from_state/to_state): no rows then
    unknown_parts: list[str] = field(default_factory=list)  # labels of parts left out: one side's wording unknown
    absent: list[date] = field(default_factory=list)  # a compared date when the provision was not in force


def _depth(eid: str, root: str) -> int:
    if not (Eid.is_valid(eid) and Eid.is_valid(root)):
        return 0
    return len(Eid.parse(eid).pieces) - len(Eid.parse(root).pieces)


def _state(from_version: str | None, to_version: str | None, ops: Sequence[tuple[str, str]]) -> str:
    if from_version is None:
        return "added"
    if to_version is None:
        return "removed"
    if from_version == to_version or all(op == "equal" for op, _ in ops):
        return "same"
    return "changed"


def diff_view(state: AppState, act: Act, root: str, lang: str, d1: date, d2: date, t: Strings,
              deep: bool = True) -> DiffView:
    """The provision and everything under it on two dates, compared provision by provision.

    When the API's diff of the provision covers its parts and items (``parts``, with the typed
    ``changes``), that one answer is shown; otherwise each provision of the two subtrees is compared
    through the API's diff of that provision. ``deep`` False compares the provision's own words only
    (a chapter's heading, not every article in it)."""
    def label(eid: str) -> str:
        return "" if eid == root else eid_label(eid, act.kind, t.lang, within=root)

    top = api.diff(state, act.id, root, d1, d2, lang)
    if top is not None and hasattr(top, "parts"):
        unknown = [d for d, side in ((d1, getattr(top, "from_state", None)), (d2, getattr(top, "to_state", None)))
                   if side == "unknown"]
        if unknown:  # no diff is made against an unknown wording: an empty one would say "nothing changed"
            return DiffView([], None, unknown)
        rows = [DiffRow(root, "", 0, _state(top.from_version, top.to_version, [*top.ops, *top.heading_ops]),
                        list(top.ops), list(top.heading_ops), None)]
        for part in getattr(top, "parts", []):
            pd = part if isinstance(part, dict) else _as_dict(part)
            eid = str(pd.get("eid", ""))
            rows.append(DiffRow(eid, label(eid), _depth(eid, root), str(pd.get("state", "changed")),
                                [tuple(x) for x in pd.get("ops", [])], [tuple(x) for x in pd.get("heading_ops", [])],
                                None))
        typed = [c if isinstance(c, dict) else _as_dict(c) for c in getattr(top, "changes", None) or []]
        for c in typed:
            c.setdefault("label", label(str(c.get("eid", root))) or t("diff.own_text"))
        gaps = [label(str(e)) or t("diff.own_text") for e in getattr(top, "unknown_parts", None) or []]
        absent = [d for d, side in ((d1, getattr(top, "from_state", None)), (d2, getattr(top, "to_state", None)))
                  if side == "absent"]
        return DiffView(rows, typed, unknown, gaps, absent)
    order: dict[str, tuple[int, int]] = {}
    for day in (d1, d2):
        first = api.provision_at(state, act.id, root, day, lang)
        if first is None:
            continue
        nodes = subtree(state, act.id, first, day, lang).walk() if deep else [Node(first)]
        for node in nodes:
            order.setdefault(node.provision.eid, (node.provision.position, _depth(node.provision.eid, root)))
    rows = []
    for eid in sorted(order, key=lambda e: order[e][0]):
        old = api.provision_at(state, act.id, eid, d1, lang)
        new = api.provision_at(state, act.id, eid, d2, lang)
        if old is not None and new is not None and old.version_id == new.version_id:
            # one version on both dates: nothing to compare (the word diff of most parts, saved)
            rows.append(DiffRow(eid, label(eid), order[eid][1], "same", [("equal", new.text)],
                                [("equal", new.heading or "")], None))
            continue
        d: VersionDiff | None = api.diff(state, act.id, eid, d1, d2, lang)
        if d is not None:
            rows.append(DiffRow(eid, label(eid), order[eid][1], _state(d.from_version, d.to_version,
                                                                         [*d.ops, *d.heading_ops]),
                                list(d.ops), list(d.heading_ops), None))
    return DiffView(rows, None, [])


def _as_dict(obj: Any) -> dict[str, Any]:
    from corpus.models import to_dict

    try:
        data = to_dict(obj)
    except Exception:  # a shape this page does not know: show its text rather than fail the page
        return {"type": type(obj).__name__, "text": str(obj)}
    return data if isinstance(data, dict) else {"text": str(data)}


def marks_for_node(node: Node, act: Act, titles: dict[str, str], t: Strings, at: date | None,
                   kinds: dict[str, str | None]) -> list[Mark]:
    ann = node.annotation

    def href(i: int) -> str | None:
        if ann is None:
            return None
        link, _, _ = citation_target(ann.citations[i], act, titles, t, at, kinds)
        return link

    return annotation_marks(node.provision.text, ann, href)



CONTAINER_KINDS = ("section", "chapter", "paragraph")


def _breadcrumbs(state: AppState, act: Act, prov: Provision, at: date | None, lang: str) -> list[tuple[str, str]]:
    chain: list[Provision] = []
    parent = prov.parent
    while parent and len(chain) < 8:
        up = api.provision_at(state, act.id, parent, at, lang)
        if up is None:
            break
        chain.append(up)
        parent = up.parent
    crumbs = [(act.title or act.id, law_url(act.id, at=at))]
    crumbs += [(heading_label(p.kind, p.number, p.heading, lang, p.eid) or p.eid, law_url(act.id, p.eid, at=at))
               for p in reversed(chain)]
    return crumbs


def _container_toc(state: AppState, act: Act, prov: Provision, at: date | None, lang: str) -> list[TocNode]:
    def walk(p: Provision) -> list[TocNode]:
        out = []
        for c in api.children(state, act.id, p.eid, at, lang):
            node = TocNode(c.eid, c.kind, heading_label(c.kind, c.number, c.heading, lang, c.eid) or c.eid,
                           law_url(act.id, c.eid, at=at))
            if c.kind in CONTAINER_KINDS:
                node.children = walk(c)
            out.append(node)
        return out

    return walk(prov)


def provision_page(state: AppState, act_id: str, eid: str, *, at: date | None, lang: str, d1: date | None,
                   d2: date | None, hl: str | None, t: Strings, today: date) -> ProvisionPage:
    """Everything the provision page shows (a PageError when the act or the wording is unknown)."""
    from search_api.web.i18n import load_strings

    act = api.act(state, act_id)
    view = api.provision_view(state, act_id, eid, at)  # the API's 404 with the known versions
    if getattr(view, "provision", None) is None:  # in force on that date, but its wording is not in the corpus
        message = str(getattr(view, "message", None) or f"{act_id}/{eid}: no wording on {at}")
        if at is not None and getattr(view, "wording_known", True) is False:
            raise api.WordingUnknown(at, message)
        raise api.PageError(404, message)
    acts = api.acts(state)
    titles = act_titles(acts)
    kinds = {a.id: a.kind for a in acts}
    rus = api.provision_at(state, act_id, eid, at, "rus")
    if rus is None:
        raise api.PageError(404, f"unknown provision: {act_id}/{eid}")
    kaz = api.provision_at(state, act_id, eid, at, "kaz")
    primary_lang = "kaz" if lang == "kaz" and kaz is not None else "rus"
    prov = kaz if primary_lang == "kaz" and kaz is not None else rus
    other_lang = "rus" if primary_lang == "kaz" else ("kaz" if kaz is not None else None)

    def tree_of(root: Provision, tlang: str) -> Node:
        if root.kind in CONTAINER_KINDS:
            return Node(root, api.annotation(state, root.version_id, tlang))
        return build_tree(root, lambda p: api.children(state, act_id, p.eid, at, tlang),
                          lambda p: api.annotation(state, p.version_id, tlang))

    tree = tree_of(prov, primary_lang)

    def marks(node: Node) -> list[Mark]:
        return marks_for_node(node, act, titles, t, at, kinds)

    laid = rows(tree, marks)
    parallel = None
    if other_lang is not None:
        other_root = rus if other_lang == "rus" else kaz
        if other_root is not None:
            parallel = {r.key: r for r in rows(tree_of(other_root, other_lang), marks)}
    notes: dict[str, str] = {}
    for a in view.amendments:
        if a.source_kind in NOTE_KINDS and a.source:
            notes.setdefault(a.source, a.source_kind)
    history = api.history(state, act_id, eid)
    events = event_views(history.events, act, t, titles, within=eid)
    rus_tree = tree if primary_lang == "rus" else tree_of(rus, "rus")
    wordings, exact_flags = wordings_of(state, act, eid, "rus", rus_tree, view.amendments)
    for w in wordings:
        w.amended_inside = sum(1 for e in events if e.on is not None and e.verb != "prospective"
                               and w.start < e.on and (w.end is None or e.on < w.end))
    point = at or today
    current = next((w for w in wordings if w.start <= point and (w.end is None or point < w.end)), None)
    if at is None and wordings:
        current = wordings[-1]
    diff_note = None
    suggest: tuple[date, date] | None = None
    known = [w for w in wordings if w.known]
    if d1 is None and d2 is None and current is not None and current.known and len(known) > 1:
        i = known.index(current)
        if i > 0:  # offered, and loaded when the reader scrolls to it: the page itself stays light
            suggest = (known[i - 1].start, current.start)
    if (d1 is None) != (d2 is None):
        d1 = d1 or d2
        d2 = d2 or d1
    compared = DiffView([], None, [])
    if d1 is not None and d2 is not None:
        compared = diff_view(state, act, eid, "rus", d1, d2, t, deep=prov.kind not in CONTAINER_KINDS)
        if not compared.rows and not compared.unknown:
            diff_note = t("diff.none_on_dates", d1=fmt_date(d1, t.lang), d2=fmt_date(d2, t.lang))
    elif len(known) <= 1:
        diff_note = t("diff.single_wording")
    instead: tuple[date, date] | None = None
    if compared.absent and not compared.unknown and d1 is not None and d2 is not None:
        # the nearest wordings in force on both sides: the first one after d1, the last one before d2
        lo = d1 if d1 not in compared.absent else min((w.start for w in known if d1 < w.start < d2), default=None)
        hi = d2 if d2 not in compared.absent else max((w.start for w in known if d1 < w.start < d2), default=None)
        if lo is not None and hi is not None and lo < hi:
            instead = (lo, hi)
    if compared.unknown and d1 is not None and d2 is not None:
        lo = d1 if d1 not in compared.unknown else max((w.start for w in known if w.start <= d1), default=None)
        hi = d2 if d2 not in compared.unknown else min((w.start for w in known if w.start >= d2), default=None)
        if lo is not None and hi is not None and lo < hi:
            instead = (lo, hi)
    pairs = [(a.start, b.start, wordings.index(b) - wordings.index(a) > 1) for a, b in itertools.pairwise(known)]
    if suggest is not None:
        d1, d2 = suggest
    cites_out: list[CitationOut] = []
    for node in tree.walk():
        for c in node.annotation.citations if node.annotation else []:
            href, external, target = citation_target(c, act, titles, t, at, kinds)
            label = eid_label(node.provision.eid, act.kind, t.lang, within=eid)
            cites_out.append(CitationOut(node.provision.eid, label, c.text, href, external, target, c.resolved))
    incoming: dict[str, list[CitationIn]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for inc in api.citations(state, act_id, eid, at).incoming:
        from_act, from_eid, _ = split_provision_id(inc.from_)
        if (from_act, from_eid, inc.text) in seen:  # several wordings of the citing provision cite alike
            continue
        seen.add((from_act, from_eid, inc.text))
        incoming[from_act].append(CitationIn(from_act, titles.get(from_act, from_act), from_eid,
                                             eid_label(from_eid, kinds.get(from_act), t.lang), inc.text,
                                             provision_href(from_act, from_eid, at)))
    tag_views, right_views = tags_and_rights(tree, act, t)
    wording_day = at or today
    cite = CiteSubject(act, eid, prov.heading, wording_day, today,
                       source_url(state, act, primary_lang, at, provision_anchor(prov)),
                       load_strings("en").get(f"act_titles.{act.id}"))
    intervals = [charts.Interval(w.start, w.end, t("timeline.wording_from", date=fmt_date(w.start, t.lang))
                                 if w.known else t("timeline.unknown"),
                                 law_url(act_id, eid, at=w.start, lang=lang), w is current, w.approximate,
                                 unknown=not w.known)
                 for w in wordings]
    ticks = [charts.Tick(e.on, f"{fmt_date(e.on, t.lang)} · {t('verb.' + e.verb)} · {e.act_number or ''}",
                         not e.in_force_exact) for e in events if e.on is not None]
    svg = charts.versions_axis(intervals, ticks, today, t("timeline.svg_title"), t("timeline.unknown"))
    languages = [x for x in TEXT_LANGS if x == "rus" or (x == "kaz" and kaz is not None)]
    return ProvisionPage(
        act=act, provision=prov, at=at, lang=primary_lang,
        title=heading_label(prov.kind, prov.number, prov.heading, primary_lang, prov.eid) or eid_label(
            eid, act.kind, t.lang),
        breadcrumbs=_breadcrumbs(state, act, prov, at, primary_lang), rows=laid, parallel=parallel,
        parallel_lang=other_lang if parallel else None, kaz_missing=lang == "kaz" and kaz is None,
        notes=[(k, s) for s, k in notes.items()], wordings=wordings, current_wording=current, events=events,
        timeline_svg=svg, tags=tag_views, rights=right_views, citations_out=cites_out,
        citations_in=sorted(incoming.items(), key=lambda kv: kv[0] != act_id), diff_from=d1, diff_to=d2,
        diff_rows=compared.rows, diff_changes=compared.changes, diff_unknown=compared.unknown,
        diff_absent=compared.absent, diff_unknown_parts=compared.unknown_parts,
        diff_note=diff_note, diff_suggested=suggest is not None, diff_pairs=pairs, diff_instead=instead, cite=cite,
        is_container=prov.kind in CONTAINER_KINDS,
        toc=_container_toc(state, act, prov, at, primary_lang) if prov.kind in CONTAINER_KINDS else [],
        highlight=hl, exact_flags=exact_flags, languages=languages)


# --- the act page, the right page, the about page -----------------------------------------------


@dataclass
class ActPage:
    act: Act
    at: date | None
    redactions: list[Any]
    toc: list[TocNode]
    amendments: int
    chart: Markup
    years: list[tuple[int, int]]
    cite: CiteSubject


def act_page(state: AppState, act_id: str, at: date | None, t: Strings, today: date) -> ActPage:
    from search_api.web.i18n import load_strings

    act = api.act(state, act_id)
    view = api.act_view(state, act_id)
    toc_entries: Sequence[Any] = view.toc if at is None else api.toc(state, act_id, at)
    years = amendments_by_year(api.amendments(state, act_id))
    chart = charts.amendment_activity([charts.Series(act.title, years)], t("act.chart_title", title=act.title))
    cite = CiteSubject(act, None, None, at or today, today, source_url(state, act, "rus", at, None),
                       load_strings("en").get(f"act_titles.{act.id}"))
    return ActPage(act, at, list(view.redactions), toc_tree(toc_entries, act_id, at), view.amendments, chart,
                   sorted(years.items()), cite)


@dataclass
class RightItem:
    """A provision engaging the right: where, its text with the evidence marked, why (cues, rule)."""

    label: str
    href: str
    paragraphs: list[Any]  # layout.Paragraph, the evidence marked
    evidence: list[str]  # evidence outside the text (a heading rule's words)
    because: list[str]
    rule: str


@dataclass
class RightArticle:
    title: str
    href: str
    items: list[RightItem]


@dataclass
class RightSection:
    polarity: str
    articles: list[RightArticle]

    @property
    def count(self) -> int:
        return sum(len(a.items) for a in self.articles)


@dataclass
class RightActGroup:
    act_id: str
    title: str
    sections: list[RightSection]


@dataclass
class RightPage:
    id: str
    label: str
    instruments: list[str]
    at: date | None
    acts: list[RightActGroup]
    counts: dict[str, int]
    decisions: list[Any]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


POLARITY_ORDER = ("restricts", "guarantees", "procedure")


async def right_page(state: AppState, right_id: str, at: date | None, t: Strings) -> RightPage:
    """The rights view of the API (``GET /rights/{id}``) laid out for reading: per act, the provisions
    that restrict the right, those that guarantee it, those that set its procedure, each article with the
    parts that engage it and their evidence marked in the text; the treaty-body documents on the right."""
    from nlp.decisions import decisions_for_right

    view = await api.right_view(state, right_id, at)
    kinds = {a.id: a.kind for a in api.acts(state)}
    acts: list[RightActGroup] = []
    for group in view.acts:
        sections = []
        for polarity in POLARITY_ORDER:
            articles = []
            for art in getattr(group, polarity):
                items = []
                for lp in art.provisions:
                    where = lp.link_eid or lp.eid
                    marks = [Mark(s.start, s.end, "right", right_id) for s in lp.evidence
                             if 0 <= s.start < s.end <= len(lp.text) and lp.text[s.start:s.end] == s.text]
                    outside = [s.text for s in lp.evidence
                               if not (0 <= s.start < s.end <= len(lp.text) and lp.text[s.start:s.end] == s.text)]
                    items.append(RightItem(
                        eid_label(where, kinds.get(group.act_id), t.lang, within=art.article),
                        provision_href(group.act_id, where, at), paragraphs(lp.text, marks) if lp.text else [],
                        list(dict.fromkeys(outside)), list(lp.because), lp.rule))
                number = Eid.parse(art.article).number if art.article and Eid.is_valid(art.article) else None
                # the API gives an article's own title, or for a part the article's full label ("Статья 9. …")
                labelled = bool(art.heading) and (art.heading or "").startswith(("Статья", f"{number}-бап"))
                if labelled or not art.article:
                    title = art.heading or ""
                else:
                    title = heading_label("article", number, art.heading)
                href = law_url(group.act_id, art.article, at=at) if art.article else law_url(group.act_id, at=at)
                articles.append(RightArticle(title or eid_label(art.article or "", kinds.get(group.act_id), t.lang),
                                             href, items))
            if articles:
                sections.append(RightSection(polarity, articles))
        acts.append(RightActGroup(group.act_id, group.title or group.act_id, sections))
    return RightPage(right_id, t.right_label(right_id), list(view.instruments), at, acts, dict(view.counts),
                     decisions_for_right(right_id))


@dataclass
class ActStats:
    act: Act
    redactions: list[Any]
    provisions_now: int
    amendments: int
    amendments_dated: int  # with an in-force date read from the note
    years: Counter[int]


@dataclass
class AboutPage:
    acts: list[ActStats]
    versions: int
    chart: Markup
    legend: list[tuple[str, str]]
    decisions: Any
    pipeline: str | None


async def about_page(state: AppState, t: Strings) -> AboutPage:
    from nlp.decisions import load_decisions

    result = await api.search(state, api.make_query(size=1))
    now = result.facets.get("acts", {})

    def gather() -> tuple[list[ActStats], int, str | None]:
        store = state.store()
        stats = []
        for a in api.acts(state):
            amendments = [x for x in store.amendments(a.id) if x.verb != "prospective"]
            stats.append(ActStats(a, store.redactions(a.id), now.get(a.id, 0), len(amendments),
                                  sum(1 for x in amendments if x.effective_date), amendments_by_year(amendments)))
        first = next(iter(api.acts(state)), None)
        pipeline = None
        if first is not None:
            top = next(iter(store.toc(first.id)), None)
            ann = store.annotation(top.version_id) if top else None
            pipeline = ann.pipeline_version if ann else None
        return stats, store.count_versions(), pipeline

    from fastapi.concurrency import run_in_threadpool

    stats, versions, pipeline = await run_in_threadpool(gather)
    series = [charts.Series(s.act.title, s.years, charts.PALETTE[i % len(charts.PALETTE)]) for i, s in enumerate(stats)]
    chart = charts.amendment_activity(series, t("about.chart_title"))
    return AboutPage(stats, versions, chart, [(s.label, s.color) for s in series], load_decisions(), pipeline)
