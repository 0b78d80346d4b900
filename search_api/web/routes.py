"""The scholars' web pages (server-rendered; docs/design.md §7), their exports and the offline API docs.

Permalinks in the style of ELI: ``/law/{act}`` for an act, ``/law/{act}/{eid}?at=YYYY-MM-DD&lang=rus|kaz``
for a provision in the wording in force on a date, ``/`` with the query and every filter in its URL,
``/rights/{id}`` for a right across the corpus (a browser asking for HTML gets the page, an API client
the JSON of the same URL: see :class:`RightsNegotiation`), ``/about`` for sources and coverage.

Pages read the API through :mod:`search_api.web.api` (the same functions as the JSON routes), so no
page makes an HTTP request to the server itself. Bad input (a date that is not YYYY-MM-DD, an unknown
tag) is an HTML page with status 400 that names the parameter, with the form kept as typed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from corpus.models import to_dict
from search_api.state import AppState
from search_api.web import api, cite, pages
from search_api.web.i18n import DEFAULT_UI, UI_LANGS, Strings
from search_api.web.present import DateParamError, eid_label, fmt_date, fmt_date_long, parse_date_param

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
templates.env.globals.update(fmt_date=fmt_date, fmt_date_long=fmt_date_long, eid_label=eid_label,
                             law_url=pages.law_url, provision_href=pages.provision_href,
                             gost_record=cite.gost_record, gost_footnote=cite.gost_footnote, oscola=cite.oscola)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

router = APIRouter(include_in_schema=False)
UI_COOKIE = "migralex_ui"
#: Most hits an export writes (the API's pages walked 100 at a time).
EXPORT_LIMIT = 10_000


def _static_version() -> str:
    """A short hash of the static files, appended to their URLs so a new release is not served stale."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(STATIC_DIR.glob("*.*")):
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


templates.env.globals["static_v"] = _static_version()


def ui_of(request: Request) -> str:
    """The interface language: ``?ui=`` (a link may carry it), else the cookie, else Russian."""
    for value in (request.query_params.get("ui"), request.cookies.get(UI_COOKIE)):
        if value in UI_LANGS:
            return value
    return DEFAULT_UI


#: Pages load only this server's files: a browser blocks any other host before it asks (styles may be
#: inline: SVG swatches, htmx's indicator).
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'self'")
#: The API docs: Swagger UI starts from an inline script, ReDoc renders in a blob: worker. Its footer logo
#: from cdn.redoc.ly is refused by img-src (it falls back to text).
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'")


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    t = Strings(ui_of(request))
    base = {"request": request, "t": t, "ui": t.lang, "today": date.today(), "path": request.url.path,
            "full_path": request.url.path + (f"?{request.url.query}" if request.url.query else "")}
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    response.headers["Content-Language"] = t.lang
    response.headers["Content-Security-Policy"] = PAGE_CSP
    return response


def error_page(request: Request, status: int, message: str, **context: Any) -> HTMLResponse:
    return render(request, "error.html", status, code=status, message=message, **context)


def date_message(t: Strings, exc: DateParamError) -> str:
    """A bad date, said in the interface's language, naming the field and the parameter."""
    return t("error.bad_date", value=exc.value, field=t(f"field.{exc.name}"), param=exc.name)


def _state(request: Request) -> AppState:
    """The API's shared state (what its ``get_state`` dependency gives its routes)."""
    state: AppState = request.app.state.migralex
    return state


# --- search ---------------------------------------------------------------------------------------


def _int_param(name: str, value: str, default: int, lo: int, hi: int) -> int:
    if not value:
        return default
    try:
        n = int(value)
    except ValueError:
        raise api.PageError(400, f"{name}: «{value}» is not a whole number", param=name) from None
    if not lo <= n <= hi:
        raise api.PageError(400, f"{name}: {n} is outside {lo}–{hi}", param=name)
    return n


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise api.PageError(400, f"{name}: «{value}» is not one of {', '.join(allowed)}", param=name)
    return value


def _search_query(p: pages.SearchParams, t: Strings) -> tuple[Any, date | None, int, int]:
    """The API query of the search page's parameters (PageError naming a bad one)."""
    try:
        dates = {k: parse_date_param(k, p.get(k)) for k in pages.SEARCH_DATES}
    except DateParamError as exc:
        raise api.PageError(400, date_message(t, exc), param=exc.name) from exc
    if dates["amended_from"] and dates["amended_to"] and dates["amended_from"] > dates["amended_to"]:
        raise api.PageError(400, "amended_from: must not be after amended_to", param="amended_from")
    page = _int_param("page", p.get("page"), 1, 1, 10_000)
    size = _int_param("size", p.get("size"), 10, 1, 100)
    sort = _choice("sort", p.get("sort") or "relevance", ("relevance", "date"))
    group = _choice("group", p.get("group") or "article", ("article", "none"))
    thesaurus = _choice("thesaurus", p.get("thesaurus") or "true", ("true", "false")) == "true"
    exact = _choice("exact", p.get("exact") or "false", ("true", "false")) == "true"
    query = api.make_query(q=p.get("q"), at=dates["at"], act=p.values("act"), kind=p.values("kind"),
                           chapter=p.get("chapter") or None, tag=p.values("tag"), right=p.values("right"),
                           status=p.values("status"), amended_from=dates["amended_from"],
                           amended_to=dates["amended_to"], page=page, size=size, sort=sort,
                           group=group, thesaurus=thesaurus, exact=exact)
    return query, dates["at"], page, size


@router.get("/", response_class=HTMLResponse)
async def search_page(request: Request) -> HTMLResponse:
    state = _state(request)
    t = Strings(ui_of(request))
    p = pages.SearchParams.from_pairs(request.query_params.multi_items())
    acts = api.acts(state)
    taxonomy = api.taxonomy()
    kinds = sorted({a.kind for a in acts if a.kind})
    hx = request.headers
    partial = hx.get("HX-Request") == "true" and hx.get("HX-History-Restore-Request") != "true"
    template = "_search_page.html" if partial else "search.html"
    ctx: dict[str, Any] = {"acts": acts, "taxonomy": taxonomy, "kinds": kinds, "statuses": pages.STATUSES,
                           "partial": partial}
    if not partial and any(not v or pages.SEARCH_DEFAULTS.get(k) == v for k, v in request.query_params.multi_items()):
        # a form sent without JavaScript carries its empty and default fields: answer at the clean permalink
        return RedirectResponse(p.url(page=p.get("page") or None), status_code=303)  # type: ignore[return-value]
    if p.is_empty():
        return render(request, template, page=pages.search_page(p, None, t, acts, None, 1, 10), landing=True, **ctx)
    try:
        query, at, page, size = _search_query(p, t)
        result = await api.search(state, query)
    except api.PageError as exc:
        model = pages.search_page(p, None, t, acts, None, 1, 10)
        model.error, model.error_param = exc.message, exc.param
        return render(request, template, exc.status, page=model, landing=False, **ctx)
    model = pages.search_page(p, result, t, acts, at, page, size)
    return render(request, template, page=model, landing=False, **ctx)


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v))
                         for k, v in r.items()})
    return "\ufeff" + out.getvalue()  # a BOM so spreadsheet programs read UTF-8 Cyrillic


def _download(body: str, media: str, filename: str) -> Response:
    return Response(body.encode("utf-8"), media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"})


SEARCH_COLUMNS = ["rank", "id", "act_id", "act_title", "eid", "provision", "heading", "valid_from", "valid_to",
                  "status", "tags", "score", "snippet", "url"]


@router.get("/export/search.{fmt}")
async def export_search(request: Request, fmt: str) -> Response:
    """The whole result of a search (every page, up to 10,000 hits) as CSV or JSON."""
    if fmt not in ("csv", "json"):
        return error_page(request, 404, f"format: {fmt} (csv or json)")
    state = _state(request)
    p = pages.SearchParams.from_pairs(request.query_params.multi_items())
    try:
        query, at, _, _ = _search_query(p, Strings(ui_of(request)))
        result, cut = await api.search_all(state, query, EXPORT_LIMIT)
    except api.PageError as exc:
        return error_page(request, exc.status, exc.message)
    acts = api.acts(state)
    titles, kinds = pages.act_titles(acts), {a.id: a.kind for a in acts}
    base = str(request.base_url).rstrip("/")
    rows = []
    for i, h in enumerate(result.hits, 1):
        rows.append({"rank": i, "id": h.id, "act_id": h.act_id, "act_title": titles.get(h.act_id, ""), "eid": h.eid,
                     "provision": eid_label(h.eid, kinds.get(h.act_id)), "heading": h.heading,
                     "valid_from": h.valid_from.isoformat() if h.valid_from else None,
                     "valid_to": h.valid_to.isoformat() if h.valid_to else None, "status": h.status, "tags": h.tags,
                     "score": round(h.score, 4), "snippet": pages.safe_snippet(h.snippet).striptags(),
                     "url": base + pages.provision_href(h.act_id, h.eid, at)})
    if fmt == "csv":
        return _download(_csv(rows, SEARCH_COLUMNS), "text/csv", "migralex-search.csv")
    body = {"query": dict(p.pairs()), "total": result.total, "exported": len(rows), "truncated": cut,
            "hits": rows}
    return _download(json.dumps(body, ensure_ascii=False, indent=2), "application/json", "migralex-search.json")


# --- acts and provisions --------------------------------------------------------------------------


def _dates(request: Request, *names: str) -> list[date | None]:
    return [parse_date_param(n, request.query_params.get(n)) for n in names]


@router.get("/law/{act_id}", response_class=HTMLResponse)
def act_page(request: Request, act_id: str) -> HTMLResponse:
    t = Strings(ui_of(request))
    try:
        (at,) = _dates(request, "at")
        model = pages.act_page(_state(request), act_id, at, t, date.today())
    except DateParamError as exc:
        return error_page(request, 400, date_message(Strings(ui_of(request)), exc))
    except api.PageError as exc:
        return error_page(request, exc.status, exc.message)
    return render(request, "act.html", page=model)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or "rus"
    if lang not in pages.TEXT_LANGS:
        raise api.PageError(400, f"lang: «{lang}» is not one of {', '.join(pages.TEXT_LANGS)}", param="lang")
    return lang


@router.get("/law/{act_id}/{eid}", response_class=HTMLResponse)
def provision_page(request: Request, act_id: str, eid: str) -> HTMLResponse:
    t = Strings(ui_of(request))
    state = _state(request)
    try:
        at, d1, d2 = _dates(request, "at", "from", "to")
        model = pages.provision_page(state, act_id, eid, at=at, lang=_lang(request), d1=d1, d2=d2,
                                     hl=request.query_params.get("hl"), t=t, today=date.today())
    except DateParamError as exc:
        return error_page(request, 400, date_message(t, exc), act_id=act_id, eid=eid)
    except api.WordingUnknown as exc:  # not an error: the corpus lacks that wording, and says which it has
        return render(request, "error.html", 200, code="wording_unknown", act_id=act_id, eid=eid,
                      message=t("error.wording_unknown", date=fmt_date(exc.at, t.lang)),
                      versions=state.store().provision_versions(act_id, eid))
    except api.PageError as exc:
        versions = state.store().provision_versions(act_id, eid) if exc.status == 404 else []
        return error_page(request, exc.status, exc.message, act_id=act_id, eid=eid, versions=versions)
    return render(request, "provision.html", page=model, view=request.query_params.get("view") or "side",
                  diff_all=request.query_params.get("all") == "1")


HISTORY_COLUMNS = ["date", "kind", "verb", "verb_ru", "target", "target_label", "amending_act_number",
                   "amending_act_date", "amending_act_id", "adopted", "in_force", "in_force_exact",
                   "effective_text", "valid_from", "valid_to", "version_id", "source_kind", "source"]


@router.get("/law/{act_id}/{eid}/history.{fmt}")
def export_history(request: Request, act_id: str, eid: str, fmt: str) -> Response:
    """A provision's history (its versions and the amendments that touched it) as CSV or JSON."""
    if fmt not in ("csv", "json"):
        return error_page(request, 404, f"format: {fmt} (csv or json)")
    state = _state(request)
    try:
        act = api.act(state, act_id)
        history = api.history(state, act_id, eid)
    except api.PageError as exc:
        return error_page(request, exc.status, exc.message)
    ru = Strings("ru")
    titles = pages.act_titles(api.acts(state))
    events = {id(e.amendment): e for e in pages.event_views(history.events, act, ru, titles)}
    rows: list[dict[str, Any]] = []
    for ev in history.events:
        row: dict[str, Any] = {"date": ev.on.isoformat() if ev.on else None, "kind": ev.kind}
        if ev.amendment is not None:
            a = ev.amendment
            view = events.get(id(a))
            row.update(verb=a.verb, verb_ru=ru(f"verb.{a.verb}"), target=a.eid,
                       target_label=eid_label(a.eid, act.kind) if a.eid else None,
                       amending_act_number=a.amending_act.number,
                       amending_act_date=a.amending_act.date.isoformat() if a.amending_act.date else None,
                       amending_act_id=a.amending_act.id, effective_text=a.effective_text,
                       source_kind=a.source_kind, source=a.source)
            if view is not None:
                row.update(adopted=view.adopted.isoformat() if view.adopted else None,
                           in_force=view.in_force.isoformat() if view.in_force else None,
                           in_force_exact=view.in_force_exact)
        if ev.version is not None:
            v = ev.version
            row.update(valid_from=v.valid_from.isoformat() if v.valid_from else None,
                       valid_to=v.valid_to.isoformat() if v.valid_to else None, version_id=v.version_id)
        rows.append(row)
    name = f"{act_id}-{eid}-history"
    if fmt == "csv":
        return _download(_csv(rows, HISTORY_COLUMNS), "text/csv", f"{name}.csv")
    body = {"act_id": act_id, "eid": eid, "versions": to_dict(history.versions), "events": rows}
    return _download(json.dumps(body, ensure_ascii=False, indent=2), "application/json", f"{name}.json")


@router.get("/law/{act_id}/{eid}/cite.{fmt}")
def export_cite(request: Request, act_id: str, eid: str, fmt: str) -> Response:
    """The citation of a provision (``eid`` "act" for the whole act) as BibTeX or CSL-JSON."""
    if fmt not in ("bib", "json"):
        return error_page(request, 404, f"format: {fmt} (bib or json)")
    state = _state(request)
    try:
        (at,) = _dates(request, "at")
        lang = _lang(request)
        act = api.act(state, act_id)
        prov = None
        if eid != "act":
            prov = api.provision_view(state, act_id, eid, at).provision
    except DateParamError as exc:
        return error_page(request, 400, date_message(Strings(ui_of(request)), exc))
    except api.PageError as exc:
        return error_page(request, exc.status, exc.message)
    from search_api.web.i18n import load_strings
    from search_api.web.present import provision_anchor

    today = date.today()
    subject = cite.CiteSubject(act, prov.eid if prov else None, prov.heading if prov else None, at or today, today,
                               pages.source_url(state, act, lang, at, provision_anchor(prov)),
                               load_strings("en").get(f"act_titles.{act.id}"))
    name = f"{act_id}-{eid}-{subject.wording.isoformat()}"
    if fmt == "bib":
        return _download(cite.bibtex(subject), "application/x-bibtex", f"{name}.bib")
    return _download(cite.csl_json(subject), "application/vnd.citationstyles.csl+json", f"{name}.csl.json")


# --- rights, about, interface language ----------------------------------------------------------------


@router.get("/_pages/rights/{right_id}", response_class=HTMLResponse)
async def right_page(request: Request, right_id: str) -> HTMLResponse:
    t = Strings(ui_of(request))
    try:
        (at,) = _dates(request, "at")
        model = await pages.right_page(_state(request), right_id, at, t)
    except DateParamError as exc:
        return error_page(request, 400, date_message(Strings(ui_of(request)), exc))
    except api.PageError as exc:
        return error_page(request, exc.status, exc.message)
    return render(request, "right.html", page=model, canonical=f"/rights/{right_id}")


@router.get("/_fragments/decisions/{right_id}", response_class=HTMLResponse)
def decisions_fragment(request: Request, right_id: str) -> HTMLResponse:
    """The treaty-body decisions on one right, loaded into a provision page when the reader opens them."""
    from nlp.decisions import decisions_for_right
    from nlp.taxonomy import load_rights

    if right_id not in load_rights().rights:
        return error_page(request, 404, f"unknown right: {right_id}")
    t = Strings(ui_of(request))
    right = {"id": right_id, "label": t.right_label(right_id), "decisions": decisions_for_right(right_id)}
    return render(request, "_decisions.html", r=right)


@router.get("/rights", response_class=HTMLResponse)
def rights_index(request: Request) -> HTMLResponse:
    return render(request, "rights.html", taxonomy=api.taxonomy())


@router.get("/about", response_class=HTMLResponse)
async def about_page(request: Request) -> HTMLResponse:
    t = Strings(ui_of(request))
    try:
        model = await pages.about_page(_state(request), t)
    except api.PageError as exc:
        return error_page(request, exc.status, exc.message)
    return render(request, "about.html", page=model)


@router.get("/ui/{lang}")
def switch_ui(request: Request, lang: str) -> Response:
    """Set the interface language (a cookie) and go back to the page the switch was clicked on."""
    if lang not in UI_LANGS:
        return error_page(request, 400, f"ui: «{lang}» is not one of {', '.join(UI_LANGS)}")
    target = request.query_params.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(UI_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


# --- offline API docs -------------------------------------------------------------------------------


def _docs(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = DOCS_CSP
    return response


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return _docs(get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json", title=f"{request.app.title} — API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css", swagger_favicon_url="/static/favicon.svg",
        oauth2_redirect_url="/docs/oauth2-redirect",
        swagger_ui_parameters={"validatorUrl": None, "defaultModelsExpandDepth": 0}))


@router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return _docs(get_redoc_html(
        openapi_url=request.app.openapi_url or "/openapi.json", title=f"{request.app.title} — API",
        redoc_js_url="/static/vendor/redoc/redoc.standalone.js", redoc_favicon_url="/static/favicon.svg",
        with_google_fonts=False))


# --- /rights/{id}: the page for browsers, the API's JSON for API clients ------------------------------


def wants_html(accept: str) -> bool:
    """True when the client ranks text/html above JSON (browsers do; curl's */* and API clients do not)."""
    best: dict[str, float] = {}
    for item in accept.split(","):
        media, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        best[media.strip().lower()] = max(q, best.get(media.strip().lower(), 0.0))
    html = best.get("text/html", 0.0)
    return html > 0 and html >= best.get("application/json", 0.0)


class RightsNegotiation:
    """ASGI middleware: a GET of ``/rights/{id}`` that prefers HTML goes to the page; anything else goes
    on to the JSON API unchanged (``Vary: Accept`` on both)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path: str = scope["path"]
            parts = path.strip("/").split("/")
            if len(parts) == 2 and parts[0] == "rights" and parts[1]:
                headers = dict(scope.get("headers") or [])
                accept = headers.get(b"accept", b"").decode("latin-1")
                if wants_html(accept):
                    scope = {**scope, "path": f"/_pages{path}", "raw_path": f"/_pages{path}".encode()}
                send = _vary_accept(send)
        await self.app(scope, receive, send)


def _vary_accept(send: Send) -> Callable[[Any], Awaitable[None]]:
    async def wrapped(message: Any) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"vary", b"Accept")]}
        await send(message)

    return wrapped

