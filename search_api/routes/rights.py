"""``/rights/{id}``: one right across the corpus (docs/design.md §7) — the provisions that restrict it, guarantee
it or set its procedure, grouped by act and article, in force on ``at=``, with the evidence of each link, and
the UN treaty-body documents on that right (violations the source states first, unverified outcomes marked).

The view is built by :func:`right_view` (the CLI ``migralex right`` prints the same data); provisions come from
the store's index of right links by id (:meth:`corpus.store.Store.right_links`), decisions from
:func:`nlp.decisions.decisions_for_right`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel, Field

from corpus.models import POLARITIES, Provision, RightLink, Span
from corpus.store import Store
from corpus.timeline import Coverage
from search_api.schemas import ERROR_RESPONSES, AtParam
from search_api.state import AppState, get_state

router = APIRouter(responses=ERROR_RESPONSES)
State = Annotated[AppState, Depends(get_state)]
Polarity = Literal["guarantees", "restricts", "procedure"]


class LinkedProvision(BaseModel):
    """A provision version (a part or item) engaging the right, with the link's evidence."""

    id: str = Field(description="Version id of the provision, {act_id}/{eid}@{valid_from}")
    eid: str = Field(description="The provision's eid")
    link_eid: str | None = Field(description="The part or item whose words engage the right (an inline item)")
    kind: str
    text: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    evidence: list[Span] = Field(description="Spans of the text (or, for a heading rule, of the article heading)")
    because: list[str] = Field(description="Cues, tags, polarity words or heading words behind the link")
    rule: str
    confidence: float


class ArticleGroup(BaseModel):
    """An article and those of its provisions that engage the right: the article shows the union by part."""

    article: str | None = Field(description="The article's eid (None for a provision outside any article)")
    heading: str | None = None
    provisions: list[LinkedProvision]


class ActGroup(BaseModel):
    act_id: str
    title: str = ""
    kind: str | None = None
    restricts: list[ArticleGroup] = Field(default_factory=list)
    guarantees: list[ArticleGroup] = Field(default_factory=list)
    procedure: list[ArticleGroup] = Field(default_factory=list)


class DecisionOut(BaseModel):
    """A UN treaty-body document on the right (nlp/data/decisions.json), as its source gives it."""

    id: str
    symbol: str | None = Field(description="UN symbol; null when the source gives none")
    symbol_confirmed: bool | None = None
    body: str
    kind: str
    title: str
    case_name: str | None = None
    date: dt.date | None = None
    year: int | None = None
    outcome: str = Field(description="The outcome in the source's own words")
    outcome_verified: bool = Field(description="False: the source marks it unverified or reports it second-hand")
    status: str = Field(description="'violation found' | 'outcome not verified' | 'no violation stated' …, for reading")
    found_violation: bool | None = Field(description="For this right: true only where the source states a violation")
    violation_basis: str | None = None
    articles: list[str] = Field(description="Invoked articles engaging this right, e.g. 'CAT art. 3'")
    basis: str | None = Field(None, description="Why a document engages the right through its subject")
    caution: str | None = None
    urls: list[str]


class RightView(BaseModel):
    id: str
    label: str
    instruments: list[str]
    at: dt.date | None = Field(description="The date of the wordings shown; null: those in force now")
    counts: dict[str, int] = Field(description="Provisions per polarity (guarantees, restricts, procedure)")
    acts: list[ActGroup]
    decisions: list[DecisionOut]
    coverage: Coverage | None = Field(None, description="With at: provisions of all acts with a known / unknown "
                                      "wording on that date (docs/design.md §7)")


def _status(found: bool | None, verified: bool) -> str:
    if found:
        return "violation found (as the source states)" + ("" if verified else "; outcome not verified")
    if not verified:
        return "outcome not verified"
    return "no violation stated" if found is False else "outcome as stated"


def decisions_out(right_id: str) -> list[DecisionOut]:
    from nlp.decisions import decisions_for_right

    out: list[DecisionOut] = []
    for d in decisions_for_right(right_id):
        e = d.engagement(right_id)
        found = e.found_violation if e is not None else None
        out.append(DecisionOut(
            id=d.id, symbol=d.symbol, symbol_confirmed=d.symbol_confirmed, body=d.body_name, kind=d.kind,
            title=d.title, case_name=d.case_name, date=d.date, year=d.year, outcome=d.outcome,
            outcome_verified=d.outcome_verified, status=_status(found, d.outcome_verified), found_violation=found,
            violation_basis=e.violation_basis if e else None, articles=[a.label for a in e.articles] if e else [],
            basis=e.basis if e else None, caution=d.caution, urls=[u.url for u in d.urls],
        ))  # fmt: skip
    return out


def _linked(p: Provision, link: RightLink) -> LinkedProvision:
    return LinkedProvision(
        id=p.version_id, eid=p.eid, link_eid=link.eid, kind=p.kind, text=p.text, valid_from=p.valid_from,
        valid_to=p.valid_to, evidence=link.evidence, because=link.because, rule=link.rule, confidence=link.confidence,
    )  # fmt: skip


def right_view(store: Store, right_id: str, at: dt.date | None = None) -> RightView:
    """The rights view of ``right_id`` on ``at`` (None: now). Unknown right → KeyError naming the known ones."""
    from nlp.taxonomy import load_rights

    catalogue = load_rights()
    right = catalogue.rights.get(right_id)
    if right is None:
        raise KeyError(f"unknown right {right_id!r}; known: {', '.join(catalogue.rights)}")
    acts: dict[str, ActGroup] = {}
    articles: dict[tuple[str, str, str | None], ArticleGroup] = {}
    counts = dict.fromkeys(POLARITIES, 0)
    for p, link in store.right_links(right_id, at):
        polarity = link.polarity if link.polarity in POLARITIES else "procedure"
        group = acts.get(p.act_id)
        if group is None:
            act = store.act(p.act_id)
            group = acts[p.act_id] = ActGroup(act_id=p.act_id, title=act.title if act else "",
                                              kind=act.kind if act else None)  # fmt: skip
        article = p.article
        key = (p.act_id, polarity, article)
        art = articles.get(key)
        if art is None:
            heading = p.heading if p.kind == "article" else (p.ancestors[-1] if p.ancestors else None)
            art = articles[key] = ArticleGroup(article=article, heading=heading, provisions=[])
            getattr(group, polarity).append(art)
        art.provisions.append(_linked(p, link))
        counts[polarity] += 1
    return RightView(
        id=right.id, label=right.label, instruments=list(right.instruments), at=at, counts=counts,
        acts=list(acts.values()), decisions=decisions_out(right_id),
        coverage=store.coverage(at) if at is not None else None,
    )  # fmt: skip


RightId = Annotated[str, Path(description="A right id of GET /taxonomy, e.g. non_refoulement")]


@router.get(
    "/rights/{right_id}", response_model=RightView,
    summary="A right across the corpus: provisions restricting, guaranteeing it or setting its procedure, by act",
)  # fmt: skip
def rights(state: State, right_id: RightId, at: AtParam = None) -> RightView:
    try:
        return right_view(state.store(), right_id, at)
    except KeyError as e:
        raise HTTPException(404, str(e.args[0])) from e
