"""The adilet crawler: seeds → documents, their /info and /history (archived redactions), and the
amending acts they name, up to a depth, into the corpus store.

Per act (нормативный правовой акт), in this order:

1. fetch and parse the current text of each language (``parse_document``);
2. fetch /info and merge it into the Act (raw label map, status, kind, number, adoption date,
   источник опубликования);
3. fetch /history; fetch and parse every archived redaction (редакция) it lists; record its rows
   as act-level amendments (source "history");
4. when the act is shallower than ``depth``: collect the amending acts named by the documents'
   amendments (``amending_act.id``), by /history and by /links (those :func:`ingest.pages.is_amending_link`
   accepts) and queue them;
5. save every document of the act through ``store.save_documents`` (ONE transaction for all the
   act's redactions, oldest first) and only then mark the act done in the state file.

All fetching and parsing of an act happens before its save, so a failure while fetching leaves the
store untouched, and a crash during the save leaves the store as it was before that act; the act is
not marked done, so a resumed crawl redoes it from the page cache (saves are idempotent upserts).

Resumable: the frontier (acts queued with their depth), the acts done and the acts failed live in
a JSON state file, rewritten atomically and durably (``atomic_write``) after every act. With the
client's page cache, a resumed crawl fetches nothing it already has.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.models import Act, Amendment, ParsedDocument
from ingest import pages
from ingest.adilet_urls import LANGS
from ingest.client import AdiletClient, Page, atomic_write
from ingest.effective_rules import resolve_act_in_force
from ingest.errors import IngestError, MaintenancePage
from ingest.html_page import parse_document
from legal.act_ids import is_act_id

if TYPE_CHECKING:
    from corpus.store import Store

SEEDS_PATH = Path(__file__).with_name("seeds.toml")
STATE_VERSION = 1


# --- seeds ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    """An act the crawl starts from (seeds.toml)."""

    act_id: str
    title: str
    topic: str = ""
    source: str = ""  # how the id was confirmed


def load_seeds(path: Path | None = None) -> list[Seed]:
    """The confirmed seed acts of seeds.toml (ids still to confirm are comments there, not seeds)."""
    path = path or SEEDS_PATH
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    seeds: list[Seed] = []
    for i, row in enumerate(data.get("seed", [])):
        act_id = row.get("id")
        if not isinstance(act_id, str) or not is_act_id(act_id):
            raise ValueError(f"{path}: seed #{i + 1} has no valid adilet act id: {act_id!r}")
        seeds.append(Seed(act_id, row.get("title", ""), row.get("topic", ""), row.get("source", "")))
    if not seeds:
        raise ValueError(f"{path}: no [[seed]] entries")
    ids = [s.act_id for s in seeds]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate seed ids")
    return seeds


# --- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrawlError:
    """A failure on one act; ``stage`` says which page: document, info, history, archive, links, save."""

    act_id: str
    stage: str
    url: str | None
    message: str


@dataclass
class CrawlReport:
    acts: list[str] = field(default_factory=list)  # acts stored by this run, in crawl order
    documents_saved: int = 0  # current texts and archived redactions, every language
    provisions_added: int = 0
    skipped: list[str] = field(default_factory=list)  # done by an earlier, interrupted run
    discovered: list[str] = field(default_factory=list)  # acts queued beyond the seeds
    failed: list[str] = field(default_factory=list)  # acts not stored (their current text failed)
    errors: list[CrawlError] = field(default_factory=list)
    network_requests: int = 0
    resumed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def __str__(self) -> str:
        lines = [
            f"stored {len(self.acts)} act(s), {self.documents_saved} document(s), "
            f"{self.provisions_added} new provision version(s); {self.network_requests} request(s)"
            + (f"; {len(self.skipped)} act(s) done by the interrupted run" if self.resumed else "")
            + (f"; discovered {len(self.discovered)}" if self.discovered else "")
        ]
        lines += [f"  {e.act_id} [{e.stage}] {e.url or ''}: {e.message}" for e in self.errors]
        if self.failed:
            lines.append(f"failed: {', '.join(self.failed)}")
        return "\n".join(lines)


# --- the state file -------------------------------------------------------------------------------


@dataclass
class _State:
    params: dict[str, Any]
    frontier: list[tuple[str, int]]
    seen: set[str]
    done: list[str]
    failed: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "params": self.params,
            "frontier": [[a, d] for a, d in self.frontier],
            "seen": sorted(self.seen),
            "done": self.done,
            "failed": self.failed,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], path: Path) -> _State:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"{path}: crawl state version {data.get('version')!r}, expected {STATE_VERSION}")
        try:
            return cls(
                params=data["params"],
                frontier=[(str(a), int(d)) for a, d in data["frontier"]],
                seen=set(data["seen"]),
                done=list(data["done"]),
                failed=dict(data["failed"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: malformed crawl state ({exc})") from exc


def _write_state(path: Path, state: _State) -> None:
    atomic_write(path, json.dumps(state.to_json(), ensure_ascii=False, indent=1).encode("utf-8"))


def _load_or_start(state_path: Path | None, params: dict[str, Any], seeds: Sequence[str]) -> tuple[_State, bool]:
    """The unfinished crawl of ``state_path`` to resume, or a fresh state. A finished crawl (empty
    frontier) is not resumed: running again recrawls, fetching only what the page cache lacks."""
    if state_path is not None and state_path.exists():
        try:
            data = json.loads(state_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{state_path}: crawl state is not JSON ({exc})") from exc
        state = _State.from_json(data, state_path)
        if state.frontier and state.params != params:
            raise ValueError(
                f"{state_path} belongs to another, unfinished crawl ({state.params}), not this one "
                f"({params}); finish it, delete the file or pass another state_path"
            )
        if state.frontier:
            return state, True
    frontier = list(dict.fromkeys(seeds))
    return _State(params, [(a, 0) for a in frontier], set(frontier), [], {}), False


# --- one act --------------------------------------------------------------------------------------


@dataclass
class _ActResult:
    docs: list[ParsedDocument]
    linked: list[str]  # acts to queue
    errors: list[CrawlError]


def _merge_info(act: Act, info: dict[str, str]) -> Act:
    """The Act with what /info says; /info wins over the document header where both speak."""
    f = pages.info_fields(info)
    merged = replace(
        act,
        info=dict(info),
        kind=f.kind or act.kind,
        number=f.number or act.number,
        adopted=f.adopted or act.adopted,
        status=f.status or act.status,
        publication=f.publication or act.publication,
        published=f.published or act.published,
    )
    resolve_act_in_force(merged)  # a delay after publication counts from the date /info gives
    return merged


def _history_amendments(act_id: str, entries: list[pages.HistoryEntry]) -> list[Amendment]:
    return [
        Amendment(
            act_id=act_id,
            eid=None,
            verb="amended",
            amending_act=e.amending_act,
            effective_date=e.redaction_date,
            source=e.text,
            source_kind="history",
        )
        for e in entries
        if e.amending_act is not None
    ]


def _stamp(doc: ParsedDocument, page: Page) -> ParsedDocument:
    doc.redaction.fetched_at = page.fetched_at
    doc.redaction.content_hash = page.content_hash
    return doc


def _crawl_act(
    client: AdiletClient,
    act_id: str,
    *,
    langs: Sequence[str],
    with_history: bool,
    discover: bool,
    follow_link: Callable[[pages.LinkedAct], bool],
) -> _ActResult:
    """Fetch and parse everything of one act (no store writes). Raises when the primary text fails."""
    errors: list[CrawlError] = []
    docs: list[ParsedDocument] = []
    linked: list[str] = []
    act: Act | None = None

    def soft(stage: str, url: str, fn: Callable[[], Any]) -> Any:
        """Run a secondary step; its failure is recorded, the act goes on."""
        try:
            return fn()
        except IngestError as exc:
            errors.append(CrawlError(act_id, stage, url, f"{type(exc).__name__}: {exc}"))
            return None

    for n, lang in enumerate(langs):
        url = client.doc_url(act_id, lang)
        if n == 0:  # the primary language decides whether the act is crawled at all
            page = client.fetch(url)
            try:
                current = _stamp(parse_document(page.text, act_id=act_id, url=page.url, lang=lang), page)
            except MaintenancePage:
                client.forget(url)  # a notice the client did not recognise must not stay cached
                raise
        else:
            page = soft(f"document:{lang}", url, partial(client.fetch, url))
            if page is None:
                continue
            parsed = soft(
                f"document:{lang}",
                url,
                partial(parse_document, page.text, act_id=act_id, url=page.url, lang=lang),
            )
            if parsed is None:
                continue
            current = _stamp(parsed, page)
        if act is None:
            info_url = client.info_url(act_id, lang)
            info_page = soft("info", info_url, partial(client.fetch, info_url))
            info = soft("info", info_url, partial(pages.parse_info, info_page.text)) if info_page else None
            act = _merge_info(current.act, info) if info else current.act
        archived: list[ParsedDocument] = []
        if with_history:
            hist_url = client.history_url(act_id, lang)
            hist_page = soft("history", hist_url, partial(client.fetch, hist_url))
            entries: list[pages.HistoryEntry] = []
            if hist_page is not None:
                entries = soft("history", hist_url, partial(pages.parse_history, hist_page.text, act_id=act_id)) or []
            current.amendments.extend(_history_amendments(act_id, entries))
            linked += [e.amending_act.id for e in entries if e.amending_act and e.amending_act.id]
            archive_urls: set[str] = set()
            for entry in entries:
                if entry.url is None or entry.redaction_date is None:
                    continue
                arch_url = client.absolute(entry.url)  # the href as adilet wrote it
                if arch_url in archive_urls:
                    continue
                archive_urls.add(arch_url)
                arch_page = soft("archive", arch_url, partial(client.fetch, arch_url))
                if arch_page is None:
                    continue
                doc = soft(
                    "archive",
                    arch_url,
                    partial(parse_document, arch_page.text, act_id=act_id, url=arch_page.url, lang=lang),
                )
                if doc is not None:
                    # the history row's date is the redaction's: the page itself may not say it
                    doc.redaction.valid_from = entry.redaction_date
                    archived.append(_stamp(doc, arch_page))
        docs += [*sorted(archived, key=lambda d: d.redaction.valid_from or date.min), current]

    if discover:
        links_url = client.links_url(act_id, langs[0])
        links_page = soft("links", links_url, lambda: client.fetch(links_url))
        links: list[pages.LinkedAct] = []
        if links_page is not None:
            links = soft("links", links_url, lambda: pages.parse_links(links_page.text, act_id=act_id)) or []
        linked += [link.act_id for link in links if follow_link(link)]
        linked += [a.amending_act.id for d in docs for a in d.amendments if a.amending_act.id]

    # Every saved document carries the same Act record: the /info-merged one, the current url,
    # every language crawled.
    assert act is not None
    languages = sorted({d.redaction.lang for d in docs}, key=LANGS.index)
    act = replace(act, languages=languages, source_url=client.doc_url(act_id, langs[0]))
    for d in docs:
        d.act = act
    return _ActResult(docs, [a for a in dict.fromkeys(linked) if a != act_id], errors)


# --- the crawl ------------------------------------------------------------------------------------


def crawl(
    store: Store,
    client: AdiletClient,
    seeds: Sequence[str],
    *,
    depth: int = 1,
    langs: Sequence[str] = ("rus",),
    with_history: bool = True,
    state_path: Path | None = None,
    progress: Callable[[str], None] | None = None,
    follow_link: Callable[[pages.LinkedAct], bool] = pages.is_amending_link,
) -> CrawlReport:
    """Crawl ``seeds`` and the acts amending them (``depth`` steps away) into ``store``.

    ``state_path`` makes the crawl resumable: an unfinished crawl recorded there with the same seeds,
    depth, langs and with_history is continued; an unfinished one of another crawl is refused
    (ValueError); a finished one is replaced.
    Errors on one act are recorded in the report and the crawl goes on; an act whose current text
    failed is listed in the state's "failed" map and not retried by a resumed run (delete the state
    file to retry). ``follow_link`` picks the
    /links entries worth following (default: those that amend). Exceptions raised by ``progress``
    propagate (that is how a caller stops a crawl between acts).
    """
    if depth < 0:
        raise ValueError("depth must be >= 0")
    if not langs or any(lg not in LANGS for lg in langs):
        raise ValueError(f"langs must be a non-empty subset of {LANGS}, got {list(langs)}")
    bad = [s for s in seeds if not is_act_id(s)]
    if bad or not seeds:
        raise ValueError(f"seeds must be adilet act ids, got {bad or list(seeds)}")
    params = {"seeds": list(dict.fromkeys(seeds)), "depth": depth, "langs": list(langs), "with_history": with_history}
    state, resumed = _load_or_start(state_path, params, seeds)
    report = CrawlReport(resumed=resumed, skipped=list(state.done))
    requests_before = client.network_requests
    say = progress or (lambda _msg: None)

    def checkpoint() -> None:
        if state_path is not None:
            _write_state(state_path, state)

    checkpoint()
    while state.frontier:
        act_id, level = state.frontier[0]
        discover = level < depth
        try:
            result = _crawl_act(
                client, act_id, langs=langs, with_history=with_history, discover=discover, follow_link=follow_link
            )
            all_stats = store.save_documents(result.docs)  # the act's redactions: one transaction
            report.provisions_added += sum(st.provisions_added for st in all_stats)
            saved = len(all_stats)
        except Exception as exc:  # one act's failure must not stop the crawl (see module docstring)
            stage = "document" if isinstance(exc, IngestError) else "save"
            url = client.doc_url(act_id, langs[0])
            message = f"{type(exc).__name__}: {exc}"
            report.errors.append(CrawlError(act_id, stage, url, message))
            report.failed.append(act_id)
            state.failed[act_id] = message
            state.frontier.pop(0)
            checkpoint()
            say(f"{act_id}: FAILED ({message})")
            continue
        report.errors += result.errors
        report.documents_saved += saved
        report.acts.append(act_id)
        new = [a for a in result.linked if a not in state.seen] if discover else []
        state.seen.update(new)
        state.frontier.pop(0)
        state.frontier += [(a, level + 1) for a in new]
        state.done.append(act_id)
        report.discovered += new
        checkpoint()
        say(
            f"{act_id}: stored {saved} document(s)"
            + (f", {len(result.errors)} error(s)" if result.errors else "")
            + (f", queued {len(new)} act(s)" if new else "")
        )
    report.network_requests = client.network_requests - requests_before
    return report


__all__ = ["CrawlError", "CrawlReport", "Seed", "crawl", "load_seeds"]
