"""``migralex``: the command line. A thin shell: every command calls one function of a lower layer.

Data lives in ``$MIGRALEX_HOME`` (default ``~/.local/share/migralex``): ``corpus.sqlite`` (the
store), ``index/`` (the embedded search index) and ``cache/`` (raw adilet pages).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from migralex.paths import Paths, default_home

F = TypeVar("F", bound=Callable[..., Any])

BACKENDS = ("embedded", "elasticsearch")


def _friendly_errors(fn: F) -> F:
    """Turn the project's known errors into one clear line and exit code 1 (no tracebacks)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from corpus.store import StoreError
        from ingest.errors import IngestError
        from search_api.models import BackendError, QueryError
        from search_api.validation import ParameterError

        try:
            return fn(*args, **kwargs)
        except (ParameterError, QueryError) as exc:  # what the API answers with 400, word for word
            raise click.ClickException(str(exc) if isinstance(exc, ParameterError) else f"q: {exc}") from exc
        except (IngestError, StoreError, BackendError, FileNotFoundError, ValueError) as exc:
            raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc

    return wrapper  # type: ignore[return-value]


def _json_out(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None, default=str))


@contextmanager
def _progress(name: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on a terminal (stderr), silent otherwise; yields ``update(completed)``."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, disable=not console.is_terminal, transient=False,
    ) as bar:
        task = bar.add_task(name, total=total)
        yield lambda completed: bar.update(task, completed=completed)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(path_type=Path), default=None, envvar="MIGRALEX_HOME",
              help="Data folder (store, index, page cache). Default: ~/.local/share/migralex.")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """MigraLex: the migration law of Kazakhstan, article by article, in every wording.

    \b
    Quick start (offline, bundled corpus):
      migralex up                      build everything, then serve http://127.0.0.1:8000
    \b
    Step by step:
      migralex build                   ingest the bundled acts, annotate, build the search index
      migralex search "выдворение" --at 2020-01-01 --tag expulsion
      migralex serve                   the API and web page
    \b
    Working with adilet.zan.kz:
      migralex crawl Z1100000477 --depth 1
      migralex parse saved_page.html   structured JSON of a saved page, text copy or bank Markdown
      migralex ingest-history ~/codes --act Z1100000477   every version from a clone of the bank's repo
      migralex history Z1100000477 art_48   versions and amendments of an article
      migralex right non_refoulement   the provisions restricting and guaranteeing a right, with decisions
      migralex tag < provision.txt     topic tags, rights and citations of a text
    """
    ctx.obj = Paths(home.expanduser() if home else default_home())


# --- ingest ---------------------------------------------------------------------------------------


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--act-id", help="adilet id of the act (default: from the page or the file name).")
@_friendly_errors
def parse(path: Path, act_id: str | None) -> None:
    """Parse a saved adilet page (HTML) or a text copy; print JSON (act, provisions, amendments)."""
    from corpus.models import to_dict
    from ingest.parse import parse_path

    doc = parse_path(path, act_id=act_id)
    _json_out(
        {
            "act": to_dict(doc.act),
            "redaction": to_dict(doc.redaction),
            "provisions": [
                {k: v for k, v in to_dict(p).items() if k in ("eid", "kind", "number", "heading", "text", "parent")}
                for p in doc.provisions
            ],
            "amendments": [
                {
                    "eid": a.eid,
                    "verb": a.verb,
                    "amending_act": to_dict(a.amending_act),
                    "effective": {"text": a.effective_text, "date": to_dict(a.effective_date)},
                    "source": a.source,
                    "source_kind": a.source_kind,
                }
                for a in doc.amendments
            ],
        }
    )


@main.command()
@click.argument("act_ids", nargs=-1)
@click.option("--depth", default=1, show_default=True, help="Follow amending and linked acts this deep.")
@click.option("--seeds/--no-seeds", default=None, help="Crawl the project's seed list (default when no ids).")
@click.option("--offline", is_flag=True, help="Use the page cache only, never the network.")
@click.option("--refresh", is_flag=True, help="Refetch pages even if cached.")
@click.option("--base-url", default="https://adilet.zan.kz", show_default=True)
@click.option("--min-interval", default=1.0, show_default=True, help="Seconds between requests (politeness).")
@click.pass_obj
@_friendly_errors
def crawl(paths: Paths, act_ids: tuple[str, ...], depth: int, seeds: bool | None, offline: bool,
          refresh: bool, base_url: str, min_interval: float) -> None:
    """Fetch acts and their redactions from adilet into the store (polite, cached, resumable)."""
    from corpus.store import Store
    from ingest.client import AdiletClient
    from ingest.crawl import crawl as run_crawl
    from ingest.crawl import load_seeds

    ids = list(act_ids)
    if seeds or (seeds is None and not ids):
        ids += [s.act_id for s in load_seeds()]
    paths.ensure()
    client = AdiletClient(paths.cache, base_url=base_url, offline=offline, refresh=refresh,
                          min_interval=min_interval)
    with Store(paths.store) as store:
        report = run_crawl(store, client, ids, depth=depth, state_path=paths.cache / "crawl-state.json",
                           progress=lambda msg: click.echo(msg, err=True))
    click.echo(str(report), err=True)


@main.command("ingest-history")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--act", "acts", multiple=True, required=True, metavar="ID|CODE[=ID]|FOLDER=ID",
              help="An act to read: Z1100000477, the bank's code (59947), CODE=ID or FOLDER=ID. Repeatable.")
@click.pass_obj
@_friendly_errors
def ingest_history(paths: Paths, path: Path, acts: tuple[str, ...]) -> None:
    """Every version of acts from a local clone of the reference bank's repository (kazakhstan-law/codes).

    Each commit that changed an act's rus.md, kaz.md, chapter files or meta.yaml becomes a redaction,
    dated by the bank's version date, with its amending act. Offline; reads the clone with git.
    """
    from corpus.store import Store
    from ingest.history_repo import ingest_history as run
    from ingest.history_repo import parse_act_spec

    specs = [parse_act_spec(a) for a in acts]  # every --act is checked before anything is read
    paths.ensure()
    with Store(paths.store) as store:
        for spec in specs:
            with _progress(f"{spec.act_id} commits", None) as update:
                [(hist, stats)] = run(store, path, [spec], progress=lambda s, n, total, c: update(n))
            counts = ", ".join(f"{len(hist.redactions(lang))} {lang}" for lang in ("rus", "kaz"))
            added = sum(s.provisions_added for s in stats)
            click.echo(f"{spec.act_id}: {counts} redactions from {hist.commits} commits; "
                       f"+{added} provision versions", err=True)


# --- corpus ---------------------------------------------------------------------------------------


@main.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@_friendly_errors
def export_cmd(paths: Paths, path: Path) -> None:
    """Export the whole store as JSONL (``-`` for stdout)."""
    from corpus.store import Store

    with Store(paths.store) as store:
        if str(path) == "-":
            n = store.export_jsonl(sys.stdout)
        else:
            with path.open("w", encoding="utf-8") as fh:
                n = store.export_jsonl(fh)
    click.echo(f"exported {n} records", err=True)


@main.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@_friendly_errors
def import_cmd(paths: Paths, path: Path) -> None:
    """Import a JSONL export into the store (one transaction: all or nothing)."""
    from corpus.store import Store

    paths.ensure()
    with Store(paths.store) as store, path.open(encoding="utf-8") as fh:
        n = store.import_jsonl(fh)
    click.echo(f"imported {n} records", err=True)


@main.command()
@click.argument("act_id")
@click.argument("eid")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a readable list.")
@click.pass_obj
@_friendly_errors
def history(paths: Paths, act_id: str, eid: str, as_json: bool) -> None:
    """A provision's versions and the amendments that touched it, in date order."""
    from corpus.models import to_dict
    from corpus.store import Store

    with Store(paths.store) as store:
        h = store.history(act_id, eid)
    if as_json:
        _json_out(to_dict(h))
        return
    marks = {"in_force": " ", "in_force_not_before": "≥", "adopted": "a", "unknown": "?"}
    for e in h.events:
        when = f"{marks[e.date_is]}{e.on.isoformat() if e.on else 'undated   '}"
        if e.kind == "version" and e.version:
            v = e.version
            gap = f"; wording unknown since {v.unknown_from}" if v.unknown_from else ""
            click.echo(f"{when}  version  {v.version_id}  in force until {v.valid_to or 'now'}{gap}")
        elif e.amendment:
            a = e.amendment
            act = a.amending_act
            by = f"{act.kind or 'акт'} от {act.date} № {act.number}"
            click.echo(f"{when}  {a.verb:<9} by {by} ({a.eid or 'whole act'}); adopted {e.adopted or '?'}, "
                       f"in force {'' if e.in_force_exact else 'not before '}{e.in_force or '?'}")
    click.echo("dates: in force on the date; ≥ in force not before it (publication date unknown); "
               "a: only the adoption date is known", err=True)


@main.command()
@click.argument("act_id")
@click.argument("eid")
@click.option("--from", "from_", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The earlier date (YYYY-MM-DD).")
@click.option("--to", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="The later date (YYYY-MM-DD).")
@click.option("--lang", type=click.Choice(["rus", "kaz"]), default="rus", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON (the API's answer) instead of a readable diff.")
@click.pass_obj
@_friendly_errors
def diff(paths: Paths, act_id: str, eid: str, from_: Any, to: Any, lang: str, as_json: bool) -> None:
    """What changed in a provision and everything under it between two dates: the word diff (-old +new)
    and the typed changes (numbers, terms, items added, removed, renumbered)."""
    from corpus.models import to_dict
    from corpus.store import Store

    with Store(paths.store) as store:
        d = store.diff(act_id, eid, from_.date(), to.date(), lang)
    if as_json:
        _json_out(to_dict(d))
        return
    _print_diff(d, eid)


def _print_diff(d: Any, eid: str) -> None:
    def ops_line(ops: list[tuple[str, str]]) -> str:
        return "".join(t if op == "equal" else f"[-{t}-]" if op == "delete" else f"{{+{t}+}}" for op, t in ops)

    click.echo(f"{d.from_version or '(not in force)'}  →  {d.to_version or '(not in force)'}")
    for side, state in (("from", d.from_state), ("to", d.to_state)):
        if state == "unknown":
            click.echo(f"the wording on the '{side}' date is not in the corpus: no diff", err=True)
    if "unknown" in (d.from_state, d.to_state):
        return
    if any(op != "equal" for op, _ in d.heading_ops):
        click.echo(f"heading: {ops_line(d.heading_ops)}")
    if any(op != "equal" for op, _ in d.ops):
        click.echo(f"{eid}: {ops_line(d.ops)}")
    for part in d.parts:
        label = f"{part.from_eid} → {part.eid}" if part.from_eid else part.eid
        click.echo(f"{label} ({part.state}): {ops_line(part.ops)}")
    click.echo(f"\nchanges ({len(d.changes)}):")
    for c in d.changes:
        where = f"{c.from_eid} → {c.eid}" if c.from_eid else c.eid
        count = f" ×{c.count}" if c.count > 1 else ""
        if c.type == "number_changed":
            what = f"«{c.before}» → «{c.after}»{' ' + c.unit if c.unit else ''} ({c.before_value} → {c.after_value})"
        elif c.type in ("item_added", "item_removed", "item_renumbered"):
            what = _short(c.after if c.type != "item_removed" else c.before)
        else:
            what = f"«{_short(c.before)}» → «{_short(c.after)}»"
        click.echo(f"  {c.type:<16} {where}: {what}{count}")
    if d.unknown_parts:
        click.echo(f"not compared (wording unknown on one date): {', '.join(d.unknown_parts)}", err=True)


def _short(text: str | None, limit: int = 90) -> str:
    if not text:
        return "—"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@main.command()
@click.argument("right_id", metavar="RIGHT")
@click.option("--at", type=click.DateTime(formats=["%Y-%m-%d"]), help="Wordings in force on this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="JSON (the body of GET /rights/RIGHT) instead of a list.")
@click.pass_obj
@_friendly_errors
def right(paths: Paths, right_id: str, at: Any, as_json: bool) -> None:
    """A right across the corpus: the provisions restricting it, guaranteeing it or setting its procedure, by act
    and article with their evidence, and the UN treaty-body documents on it (violations stated first)."""
    from corpus.store import Store
    from search_api.routes.rights import right_view

    if not paths.store.exists():
        raise click.ClickException(f"no corpus at {paths.store}: run `migralex build` first")
    with Store(paths.store) as store:
        try:
            view = right_view(store, right_id, at.date() if at else None)
        except KeyError as e:
            raise click.ClickException(str(e.args[0])) from e
    if as_json:
        _json_out(view.model_dump(mode="json"))
        return
    when = f"in force on {view.at}" if view.at else "in force now"
    click.echo(f"{view.id}: {view.label} ({'; '.join(view.instruments)})")
    click.echo(f"provisions {when}: " + ", ".join(f"{n} {pol}" for pol, n in view.counts.items()))
    for act in view.acts:
        click.echo(f"\n{act.act_id}  {act.title}")
        for polarity in ("restricts", "guarantees", "procedure"):
            for group in getattr(act, polarity):
                click.echo(f"  {polarity:<10} {group.article or ''}  {group.heading or ''}")
                for p in group.provisions:
                    words = "; ".join(dict.fromkeys(s.text for s in p.evidence)) or "—"
                    click.echo(f"    {p.link_eid or p.eid}: {words}  [{p.rule}]")
    click.echo(f"\ntreaty-body documents on {view.id}: {len(view.decisions)}")
    for d in view.decisions:
        when_d = d.date or d.year or "undated"
        click.echo(f"  {d.symbol or '(no symbol)'}  {when_d}  {d.body}: {d.case_name or d.title}")
        click.echo(f"    {d.status}: {d.outcome}")


# --- nlp ------------------------------------------------------------------------------------------


@main.command()
@click.option("--jsonl", is_flag=True, help='Read JSONL records {"id", "text", "act_id"} instead of plain text.')
@_friendly_errors
def tag(jsonl: bool) -> None:
    """Tag text from stdin: topic tags, rights and citations, with evidence (JSON per record)."""
    from nlp.annotate import tag_record

    if not jsonl:
        text = sys.stdin.read()
        if not text.strip():
            raise click.UsageError("no text on stdin")
        _json_out(tag_record({"id": None, "text": text}))
        return
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"stdin line {lineno}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise click.ClickException(f'stdin line {lineno}: expected an object with a "text" string')
        _json_out(tag_record(record))


@main.command()
@click.option("--batch-size", default=512, show_default=True)
@click.pass_obj
@_friendly_errors
def annotate(paths: Paths, batch_size: int) -> None:
    """Annotate every provision version in the store (resumable: continues where it stopped)."""
    from migralex import build as b

    n = b.annotate(paths, batch_size=batch_size, stage=_progress).annotated
    click.echo(f"annotated {n} provision versions", err=True)


# --- search ---------------------------------------------------------------------------------------


def _backend(paths: Paths, name: str, es_url: str | None, es_timeout: float | None = None) -> Any:
    from migralex.build import make_backend

    return make_backend(paths, name, es_url, **({"request_timeout": es_timeout} if es_timeout else {}))


backend_option = click.option("--backend", type=click.Choice(BACKENDS), default="embedded", show_default=True,
                              envvar="MIGRALEX_BACKEND")
es_url_option = click.option("--es-url", envvar="ES_URL", default="http://127.0.0.1:9200", show_default=True,
                             help="Elasticsearch URL (for --backend elasticsearch).")
es_timeout_option = click.option("--es-timeout", type=click.FloatRange(min=0.1), default=None,
                                 envvar="MIGRALEX_ES_TIMEOUT",
                                 help="Seconds an Elasticsearch request may take (default 5).")


@main.command()
@backend_option
@es_url_option
@click.pass_obj
@_friendly_errors
def index(paths: Paths, backend: str, es_url: str) -> None:
    """(Re)build the search index from the store; the old index serves until the new one is ready."""
    from migralex import build as b

    n = b.index(paths, backend=backend, es_url=es_url, stage=_progress).indexed
    click.echo(f"indexed {n} provision versions into {backend}", err=True)


@main.command()
@click.option("--force", is_flag=True,
              help="Rebuild from scratch: a new store, swapped in when complete (a running server keeps answering).")
@click.option("--backend", type=click.Choice(BACKENDS), default="embedded", show_default=True)
@es_url_option
@click.pass_obj
@_friendly_errors
def build(paths: Paths, force: bool, backend: str, es_url: str) -> None:
    """Ingest the bundled corpus, annotate it and build the search index. Offline."""
    from migralex import build as b

    report = b.build(paths, backend=backend, es_url=es_url, force=force, stage=_progress,
                     on_wait=lambda message: click.echo(message, err=True))
    for note in report.notes:
        click.echo(note, err=True)
    for act_id, title, stats in report.acts:
        click.echo(f"  {act_id} {title}: +{stats.provisions_added} provisions, +{stats.amendments_added} amendments",
                   err=True)
    click.echo(f"annotated {report.annotated}, indexed {report.indexed} provision versions into {backend} "
               f"in {report.total_seconds:.0f} s; data in {paths.home}", err=True)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1)
@click.option("--at", type=click.DateTime(formats=["%Y-%m-%d"]), help="Wording in force on this date.")
@click.option("--tag", "tags", multiple=True, help="Topic tag id (repeatable).")
@click.option("--right", "rights", multiple=True, help="Right id (repeatable).")
@click.option("--act", "acts", multiple=True, help="Act id (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Act kind: закон, кодекс … (repeatable).")
@click.option("--chapter", help="Chapter eid, e.g. chp_5.")
@click.option("--status", "statuses", multiple=True, help="in_force, historical, not_in_force_yet, repealed.")
@click.option("--amended-from", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--amended-to", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance")
@click.option("--page", default=1, type=click.IntRange(min=1))
@click.option("--size", default=10, type=click.IntRange(1, 100))
@click.option("--group", type=click.Choice(["article", "none"]), default="article", show_default=True,
              help="article: one hit per article with its best parts; none: one per provision.")
@click.option("--no-thesaurus", is_flag=True, help="Do not also search the legal thesaurus's terms.")
@click.option("--exact", is_flag=True, help='Quoted phrases match these word forms only (as ="...").')
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts instead of a table.")
@backend_option
@es_url_option
@es_timeout_option
@click.pass_obj
@_friendly_errors
def search(paths: Paths, words: tuple[str, ...], at: Any, tags: tuple[str, ...], rights: tuple[str, ...],
           acts: tuple[str, ...], kinds: tuple[str, ...], chapter: str | None, statuses: tuple[str, ...],
           amended_from: Any, amended_to: Any, sort: str, page: int, size: int, group: str, no_thesaurus: bool,
           exact: bool, as_json: bool, backend: str, es_url: str, es_timeout: float | None) -> None:
    """Search articles or provisions (word forms, "phrases", ="exact forms", AND/OR/NOT, -term) with filters.

    \b
    The query may be one argument or several words:
      migralex search "въезд -транзит"      migralex search въезд -транзит
    """
    from corpus.store import Store
    from search_api.models import SearchQuery
    from search_api.validation import check_query

    # "-term" is the query language's NOT, so unknown options are kept as words; a mistyped long option
    # is still an error, not a search for "--tga"
    if mistyped := [w for w in words if w.startswith("--") and len(w) > 2]:
        raise click.NoSuchOption(mistyped[0])

    def d(x: Any) -> date | None:
        return x.date() if x else None

    query = SearchQuery(q=" ".join(words), at=d(at), tag=list(tags), right=list(rights), act=list(acts),
                        kind=list(kinds), chapter=chapter, status=list(statuses), amended_from=d(amended_from),
                        amended_to=d(amended_to), sort=sort, page=page, size=size, group=group,
                        thesaurus=not no_thesaurus, exact=exact)
    with Store(paths.store, readonly=True) as store:  # the API's checks, with the same messages
        check_query(query, store)
    result = _backend(paths, backend, es_url, es_timeout).search(query)
    if query.at is not None:  # a point-in-time answer says what it covers (docs/design.md §7)
        from search_api.coverage import with_coverage

        with Store(paths.store, readonly=True) as store:
            result = with_coverage(result, store, query)
    if as_json:
        _json_out(result.model_dump(mode="json"))
        return
    _print_table(result)
    if result.coverage is not None:
        click.echo(f"on {query.at}: {result.coverage.known} provisions with a known wording, "
                   f"{result.coverage.unknown} in force with a wording not in the corpus", err=True)


def _print_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from search_api.highlight import marked_segments

    console = Console()
    unit = "articles" if result.group == "article" else "provisions"
    table = Table(title=f"{result.total} {unit} found", show_lines=True, expand=True)
    table.add_column("article" if result.group == "article" else "provision", style="bold", ratio=2)
    table.add_column("text", ratio=5)
    table.add_column("in force", ratio=1)
    table.add_column("tags", ratio=2)

    def marked(snippet_html: str, prefix: str = "") -> Text:
        text = Text(prefix)
        for piece, is_marked in marked_segments(snippet_html):
            text.append(piece, style="reverse" if is_marked else None)
        return text

    for h in result.hits:
        cell = Text()
        for i, p in enumerate(h.parts or []):  # an article's best parts, each with its snippet
            cell.append_text(marked(p.snippet, ("\n" if i else "") + f"{p.eid}: "))
        table.add_row(Text(f"{h.act_id}\n{h.eid}\n{h.heading or ''}"), cell if h.parts else marked(h.snippet),
                      f"{h.valid_from or '?'} → {h.valid_to or 'now'}\n{h.status}", ", ".join(h.tags))
    console.print(table)
    for e in result.expansions:
        also = ", ".join(e.also) + (f" (the provisions of {e.act})" if e.act else "")
        console.print(f"also searched for «{e.term}»: {also}" + (f"; {e.note}" if e.note else ""))
    for n in result.notes:
        console.print(n.message)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@backend_option
@es_url_option
@es_timeout_option
@click.option("--cache-ttl", default=30.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds a search answer is reused for identical queries (0: no cache).")
@click.option("--cache-mb", default=64.0, show_default=True, type=click.FloatRange(min=0),
              help="Memory the search answer cache may hold per server process, in MiB.")
@click.option("--workers", default=min(os.cpu_count() or 1, 4), show_default="cores, at most 4",
              type=click.IntRange(1, 64), help="Server processes (one per core serves more concurrent clients).")
@click.pass_obj
@_friendly_errors
def serve(paths: Paths, host: str, port: int, backend: str, es_url: str, es_timeout: float | None = None,
          cache_ttl: float = 30.0, cache_mb: float = 64.0, workers: int = 0) -> None:
    """Serve the HTTP API and the web page."""
    import uvicorn

    from search_api.app import create_app
    from search_api.server import uvicorn_options
    from search_api.workers import PortInUse, reuse_port_supported, run_workers

    if not paths.store.exists():
        raise click.ClickException(f"no corpus in {paths.home}: run `migralex build` first")
    workers = workers or min(os.cpu_count() or 1, 4)  # `up` invokes serve without the option
    click.echo(f"MigraLex on http://{host}:{port}  (API docs: http://{host}:{port}/docs)", err=True)
    if workers > 1:  # worker processes build the app themselves from these settings
        os.environ.update(MIGRALEX_STORE=str(paths.store), MIGRALEX_INDEX=str(paths.index),
                          MIGRALEX_BACKEND=backend, ES_URL=es_url or "", MIGRALEX_CACHE_TTL=str(cache_ttl),
                          MIGRALEX_CACHE_MB=str(cache_mb), MIGRALEX_ES_TIMEOUT=str(es_timeout or ""))
        if not reuse_port_supported():
            uvicorn.run("search_api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                        log_level="warning", **uvicorn_options())
            return
        try:  # a listening socket per process: the kernel shares the connections out (search_api.workers)
            status = run_workers("search_api.app:app_from_env", host, port, workers, uvicorn_options())
        except PortInUse as exc:
            raise click.ClickException(f"{exc.strerror}; is another server running? (--port)") from exc
        if status:
            raise SystemExit(status)
        return
    app = create_app(paths.store, lambda: _backend(paths, backend, es_url, es_timeout),
                     result_cache_ttl=cache_ttl, result_cache_bytes=int(cache_mb * 2**20))
    uvicorn.run(app, host=host, port=port, log_level="warning", **uvicorn_options())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--rebuild", is_flag=True, help="Rebuild even if a built corpus is there.")
@click.pass_context
def up(ctx: click.Context, host: str, port: int, rebuild: bool) -> None:
    """Build the bundled corpus if needed (offline), then serve it on the embedded backend."""
    paths: Paths = ctx.obj
    from migralex.build import is_built

    if rebuild or not is_built(paths):
        ctx.invoke(build, force=rebuild, backend="embedded", es_url="")
    else:
        click.echo(f"using the corpus built in {paths.home} (--rebuild to rebuild)", err=True)
    ctx.invoke(serve, host=host, port=port, backend="embedded", es_url="")


if __name__ == "__main__":
    main()
