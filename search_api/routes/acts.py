"""``/acts``: acts, their provisions in time, history, diffs and citations (docs/design.md §6)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from corpus.models import Provision
from corpus.store import Store
from corpus.timeline import History, VersionDiff
from search_api.schemas import (
    ERROR_RESPONSES,
    ActList,
    ActView,
    AtParam,
    CitationsView,
    IncomingCitation,
    IsoDate,
    KnownVersion,
    ProvisionOut,
    ProvisionView,
    TocEntry,
)
from search_api.state import AppState, get_state

router = APIRouter(responses=ERROR_RESPONSES)
State = Annotated[AppState, Depends(get_state)]
ActId = Annotated[str, Path(description="adilet id of the act, e.g. Z1100000477")]
EidParam = Annotated[str, Path(description="Provision id inside the act, e.g. art_48__para_2")]
LANGS = ("rus", "kaz")
LangParam = Annotated[str, Query(description="Language of the wording: rus (default) or kaz",
                                 json_schema_extra={"enum": ["rus", "kaz"]})]


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise HTTPException(400, f"lang: must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def provision_out(p: Provision) -> ProvisionOut:
    return ProvisionOut(id=p.version_id, **{k: getattr(p, k) for k in ProvisionOut.model_fields if k != "id"})


def _known(versions: list[Provision]) -> str:
    return "; ".join(f"{v.valid_from or '?'}{'' if v.valid_from_exact else ' (not before)'} – {v.valid_to or 'now'}"
                     for v in versions)


def _unknown_wording(store: Store, act_id: str, eid: str, at: date, lang: str) -> str | None:
    """Why the wording of a provision in force on ``at`` is not in the corpus, or None when it is not
    unknown (known, or not in force then)."""
    if store.wording_state(act_id, eid, at, lang) != "unknown":
        return None
    versions = store.provision_versions(act_id, eid, lang)
    if not versions:
        return f"{act_id}/{eid} was in force on {at}, but the corpus has no wording of it in {lang}"
    return (f"{act_id}/{eid} was in force on {at}, but its wording on that date is not in the corpus "
            f"(older wordings or a change between two redactions); known wordings: {_known(versions)}")


def _provision_or_404(state: AppState, act_id: str, eid: str, at: date | None, lang: str = "rus") -> Provision:
    state.require_act(act_id)
    store = state.store()
    prov = store.provision_at(act_id, eid, at, lang)
    if prov is None:
        versions = store.provision_versions(act_id, eid, lang)
        if not versions and lang != "rus" and store.provision_versions(act_id, eid):
            raise HTTPException(404, f"{act_id}/{eid}: no wording in {lang} in the corpus (only in rus)")
        if not versions:
            raise HTTPException(404, f"unknown provision: {act_id}/{eid}")
        if at is not None and (why := _unknown_wording(store, act_id, eid, at, lang)) is not None:
            raise HTTPException(404, why)
        raise HTTPException(404, f"{act_id}/{eid} was not in force on {at}; known wordings: {_known(versions)}")
    return prov


@router.get("/acts", response_model=ActList, summary="Acts in the corpus")
def acts(state: State) -> ActList:
    return ActList(acts=state.store().acts())


@router.get("/acts/{act_id}", response_model=ActView, summary="One act: requisites, redactions, table of contents")
def act_view(state: State, act_id: ActId) -> ActView:
    act = state.require_act(act_id)
    store = state.store()
    return ActView(
        act=act,
        redactions=store.redactions(act_id),
        toc=[TocEntry(eid=p.eid, kind=p.kind, number=p.number, heading=p.heading, parent=p.parent)
             for p in store.toc(act_id)],
        amendments=len(store.amendments(act_id)),
    )


@router.get(
    "/acts/{act_id}/provisions/{eid}", response_model=ProvisionView,
    summary="A provision as in force on a date (default: now)",
)
def provision(state: State, act_id: ActId, eid: EidParam, at: AtParam = None, lang: LangParam = "rus") -> ProvisionView:
    store = state.store()
    lang = _check_lang(lang)
    state.require_act(act_id)
    coverage = store.coverage(at, [act_id], lang) if at is not None else None
    if at is not None and store.provision_at(act_id, eid, at, lang) is None:
        why = _unknown_wording(store, act_id, eid, at, lang)
        if why is not None:  # in force then, wording not in the corpus: say so (200), never a later text
            return ProvisionView(
                provision=None,
                children=[provision_out(c) for c in store.children(act_id, eid, at, lang)],
                amendments=store.amendments(act_id, eid),
                wording_known=False,
                message=why,
                known_versions=[KnownVersion(id=v.version_id, valid_from=v.valid_from, valid_to=v.valid_to,
                                             valid_from_exact=v.valid_from_exact)
                                for v in store.provision_versions(act_id, eid, lang)],
                coverage=coverage,
            )
    prov = _provision_or_404(state, act_id, eid, at, lang)
    return ProvisionView(
        provision=provision_out(prov),
        children=[provision_out(c) for c in store.children(act_id, eid, at, lang)],
        amendments=store.amendments(act_id, eid),  # the act's amendments: one record for every language
        annotation=store.annotation(prov.version_id, lang),
        coverage=coverage,
    )


@router.get("/acts/{act_id}/provisions/{eid}/history", response_model=History,
            summary="Versions and amendments in date order, with adoption and in-force dates")
def history(state: State, act_id: ActId, eid: EidParam, lang: LangParam = "rus") -> History:
    """Each event's ``on`` is the date it is listed by and ``date_is`` says which date that is
    (``in_force``, ``in_force_not_before`` or ``adopted``); amendments carry both ``adopted`` and
    ``in_force`` (with ``in_force_exact`` and ``in_force_rule``)."""
    state.require_act(act_id)
    lang = _check_lang(lang)
    if not state.store().provision_versions(act_id, eid, lang):
        raise HTTPException(404, f"unknown provision: {act_id}/{eid}")
    return state.store().history(act_id, eid, lang)


@router.get("/acts/{act_id}/provisions/{eid}/diff", response_model=VersionDiff,
            summary="What changed between the wordings in force on two dates: word diff and typed changes")
def diff(
    state: State,
    act_id: ActId,
    eid: EidParam,
    from_: Annotated[IsoDate, Query(alias="from", description="First date (YYYY-MM-DD)")],
    to: Annotated[IsoDate, Query(description="Second date (YYYY-MM-DD)")],
    lang: LangParam = "rus",
) -> VersionDiff:
    """``ops``/``heading_ops``: the word diff of the provision's own text and heading; ``parts``: the word
    diffs of its parts and items that changed; ``changes``: the typed list (number_changed,
    term_replaced, text_changed, heading_changed, item_added, item_removed, item_renumbered) with
    before/after and the eid. ``from_state``/``to_state`` say whether the wording on each date is
    known, unknown (in force, but not in the corpus: no diff is made) or absent (not in force: empty)."""
    state.require_act(act_id)
    lang = _check_lang(lang)
    if not state.store().provision_versions(act_id, eid, lang):
        raise HTTPException(404, f"unknown provision: {act_id}/{eid}")
    # a side with no wording in force counts as empty (the provision was added or repealed between the
    # dates); Store.diff says not found only when neither date has one
    return state.store().diff(act_id, eid, from_, to, lang)


@router.get("/acts/{act_id}/provisions/{eid}/citations", response_model=CitationsView,
            summary="Citations from a provision and to it")
def citations(state: State, act_id: ActId, eid: EidParam, at: AtParam = None) -> CitationsView:
    prov = _provision_or_404(state, act_id, eid, at)
    store = state.store()
    ann = store.annotation(prov.version_id)
    incoming = [
        IncomingCitation.model_validate({"from": vid, **{k: getattr(c, k) for k in IncomingCitation.model_fields
                                                          if k != "from_"}})
        for vid, c in store.citations_to(act_id, eid)
    ]
    return CitationsView(id=prov.version_id, outgoing=ann.citations if ann else [], incoming=incoming)
