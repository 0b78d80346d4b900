"""The embedded search backend: a tantivy index in a local folder, in-process, no server.

Layout of the index folder (``path``)::

    CURRENT            name of the live generation (replaced atomically with os.replace)
    gen-<ns>/          one complete tantivy index + migralex.json (format, count)
    .building-<pid>-<ns>/   a build in progress (renamed to gen-<ns> when complete)

``index()`` builds a new generation beside the live one and then swaps CURRENT, so readers keep
answering from the old index until the new one is complete, and a crash mid-build leaves the old
index in place. Searchers notice the swap on their next query.

Documents are :mod:`search_api.documents`' part and article documents (field ``level``). Text
fields hold pre-analysed text (lemmas of the text, of the article heading and of the ancestors'
headings; surface forms folded by ``search_api.query.surface_text``) split on whitespace, with
positions (phrases, proximity): tantivy's default tokenizer would drop words of 20+ letters
("административно-процессуальный") and split hyphenated words. Searching is
:class:`search_api.engine.SearchEngine`; the scoring query of :mod:`search_api.ranking` is translated
node for node into tantivy queries.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import tantivy
from tantivy import Document, FieldType, Filter, Index, Occur, Order, Query, Tokenizer

from search_api.documents import Level, SearchDoc, search_docs
from search_api.engine import Page, Row, SearchEngine
from search_api.models import BackendError, IndexDoc, SearchQuery
from search_api.ranking import (
    F_ANCESTORS,
    F_BODY,
    F_HEADING,
    F_HEADING_PAIRS,
    F_PAIRS,
    F_SURFACE,
    Bool,
    Clause,
    ConstOf,
    ConstQ,
    DisMax,
    PhraseQ,
    TermQ,
)

INDEX_FORMAT = 5
CURRENT = "CURRENT"
META = "migralex.json"
TOKENIZER = "migralex_ws"  # whitespace + lower case; no length limit
OPEN_END = 10**7  # valid_to of a version still in force (> date.max.toordinal())
OPEN_START = 0  # valid_from unknown: in force since always
SEQ_BITS = 24  # date sort key = valid_from ordinal << SEQ_BITS | reversed indexing order
FACET_BUCKETS = 100_000  # enough to count every act, tag, right and year together
# All four facets live in ONE multi-valued field as "a:<act>", "t:<tag>", "r:<right>", "y:<year>":
# a single terms aggregation over it costs about 40 % less than four (measured on 300k documents).
_FACET_PREFIXES = {"a": "acts", "t": "tags", "r": "rights", "y": "years"}
_WRITER_HEAP = 256_000_000
FACET_THREADS = 4  # concurrent facet passes (one per search in flight)
# Below this many documents the facet pass runs inline: handing it to a thread costs more CPU (~0.2 ms a
# search on the bundled corpus) than it saves; above it (a large index) it runs beside the top-k search.
FACET_INLINE_BELOW = 300_000


def _ord(d: date | None, default: int) -> int:
    return d.toordinal() if d is not None else default


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in (F_BODY, F_HEADING, F_ANCESTORS, F_SURFACE):
        sb.add_text_field(name, tokenizer_name=TOKENIZER, index_option="position")
    for name in (F_PAIRS, F_HEADING_PAIRS):  # proximity as terms: frequencies, no positions
        sb.add_text_field(name, tokenizer_name=TOKENIZER, index_option="freq")
    for name in ("level", "key", "act_id", "act_kind", "chapter", "tags", "rights", "status"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("facets", tokenizer_name="raw", index_option="basic", fast=True)
    # "1" on versions with a valid_to: excluding them (MUST_NOT over the few superseded versions) is
    # about 1.5x faster than intersecting with the many current ones.
    sb.add_text_field("superseded", tokenizer_name="raw", index_option="basic")
    for name in ("valid_from", "valid_to", "amendment_dates"):
        sb.add_integer_field(name, indexed=True, fast=True)  # fast: range filters scan the column
    sb.add_integer_field("seq", fast=True)
    sb.add_integer_field("art", fast=True)  # the article key's number (_art): parts grouped without loading them
    sb.add_integer_field("date_key", fast=True)
    sb.add_bytes_field("hit", stored=True)  # the JSON of the Hit fields + text for snippets
    return sb.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(Tokenizer.whitespace()).filter(Filter.lowercase()).build()


def _document(doc: SearchDoc, seq: int) -> Document:
    d = Document()
    d.add_text(F_BODY, doc.lemmas)
    d.add_text(F_HEADING, doc.heading_lemmas)
    d.add_text(F_ANCESTORS, doc.ancestor_lemmas)
    d.add_text(F_SURFACE, doc.surface)
    d.add_text(F_PAIRS, doc.pairs)
    d.add_text(F_HEADING_PAIRS, doc.heading_pairs)
    d.add_text("level", doc.level)
    d.add_text("key", doc.key)
    d.add_text("act_id", doc.act_id)
    if doc.act_kind:
        d.add_text("act_kind", doc.act_kind)
    if doc.chapter:
        d.add_text("chapter", doc.chapter)
    for tag in doc.tags:
        d.add_text("tags", tag)
    for right in doc.rights:
        d.add_text("rights", right)
    for status in doc.statuses:
        d.add_text("status", status)
    vf = _ord(doc.valid_from, OPEN_START)
    d.add_integer("valid_from", vf)
    d.add_integer("valid_to", _ord(doc.valid_to, OPEN_END))
    if doc.valid_to is not None:
        d.add_text("superseded", "1")
    for ad in doc.amendment_dates:
        d.add_integer("amendment_dates", ad.toordinal())
    d.add_text("facets", f"a:{doc.act_id}")
    for prefix, values in (("t", doc.tags), ("r", doc.rights), ("y", doc.amendment_years)):
        for value in dict.fromkeys(values):
            d.add_text("facets", f"{prefix}:{value}")
    d.add_integer("seq", seq)
    d.add_integer("art", _art(doc.key))
    d.add_integer("date_key", (vf << SEQ_BITS) | ((1 << SEQ_BITS) - 1 - min(seq, (1 << SEQ_BITS) - 1)))
    d.add_bytes("hit", json.dumps(doc.hit, ensure_ascii=False).encode())
    return d


def _count(result: Any) -> int:
    """The total of a tantivy search made with ``count=True`` (its type stubs omit the attribute)."""
    return int(getattr(result, "count", None) or 0)


class EmbeddedBackend(SearchEngine):
    """tantivy index in ``path`` (created by :meth:`index`); see the module docstring for layout."""

    name = "embedded"
    io_bound = False  # in-process and CPU-bound: the API calls it inline, not in a thread pool

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._schema = _schema()
        self._superseded = Query.term_query(self._schema, "superseded", "1")
        self._levels = {lv: Query.term_query(self._schema, "level", lv) for lv in ("part", "article")}
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._index: Index | None = None
        self._searcher: tantivy.Searcher | None = None
        self._pointer_seen: tuple[int, int, int] | None = None  # CURRENT's (inode, mtime, size) when read
        self._pool = ThreadPoolExecutor(max_workers=FACET_THREADS, thread_name_prefix="migralex-facets")

    # --- building ---------------------------------------------------------------------------------

    def index(self, docs: Iterable[IndexDoc], *, progress: object | None = None) -> int:
        """Build a new generation from ``docs`` (with their article documents) and swap it in; returns
        the number of provision versions indexed. ``progress``, if callable, is called with the
        running count every 1000 versions."""
        report: Callable[[int], Any] | None = progress if callable(progress) else None
        self.path.mkdir(parents=True, exist_ok=True)
        self._sweep_abandoned_builds()
        stamp = time.time_ns()
        build = self.path / f".building-{os.getpid()}-{stamp}"
        build.mkdir()
        n = 0
        index: Index | None = None
        writer: Any = None
        try:
            index = Index(self._schema, path=str(build), reuse=False)
            index.register_tokenizer(TOKENIZER, _analyzer())
            writer = index.writer(heap_size=_WRITER_HEAP)
            for seq, doc in enumerate(search_docs(docs)):
                writer.add_document(_document(doc, seq))
                if doc.level == "part":
                    n += 1
                    if report is not None and n % 1000 == 0:
                        report(n)
            writer.commit()
            writer.wait_merging_threads()
            (build / META).write_text(json.dumps({"format": INDEX_FORMAT, "count": n}))
        except BaseException:
            # Release tantivy's writer (its threads and lock file) before removing the half build.
            writer = index = None
            shutil.rmtree(build, ignore_errors=True)
            raise
        generation = f"gen-{stamp}"
        # Two builds finishing together must not delete each other's generation: swap under a lock.
        with (self.path / ".swap.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            os.replace(build, self.path / generation)
            pointer = self.path / f"{CURRENT}.tmp-{os.getpid()}"
            pointer.write_text(generation)
            os.replace(pointer, self.path / CURRENT)  # the atomic swap
            self._drop_old_generations(generation)
        if report is not None:
            report(n)
        return n

    def _sweep_abandoned_builds(self) -> None:
        for d in self.path.glob(".building-*"):
            pid = d.name.split("-")[1]
            if pid.isdigit() and not _pid_alive(int(pid)):
                shutil.rmtree(d, ignore_errors=True)

    def _drop_old_generations(self, keep: str) -> None:
        # Readers that still have an old generation open keep their (unlinked) files on POSIX.
        for d in self.path.glob("gen-*"):
            if d.name != keep:
                shutil.rmtree(d, ignore_errors=True)

    # --- opening ----------------------------------------------------------------------------------

    def _open(self) -> tantivy.Searcher:
        """The searcher of the live generation, reopened when CURRENT has changed."""
        pointer = self.path / CURRENT
        try:
            # The swap replaces CURRENT (a new inode): a stat, not a read, tells whether it moved.
            st = pointer.stat()
            seen = (st.st_ino, st.st_mtime_ns, st.st_size)
            if seen == self._pointer_seen and self._searcher is not None:
                return self._searcher
            generation = pointer.read_text().strip()
        except FileNotFoundError:
            raise BackendError(f"index not built: run `migralex build` (no index in {self.path})") from None
        except OSError as exc:
            raise BackendError(f"index in {self.path} cannot be read: {exc}") from exc
        with self._lock:
            self._pointer_seen = seen
            if generation != self._generation or self._searcher is None:
                gen_dir = self.path / generation
                try:
                    meta = json.loads((gen_dir / META).read_text())
                except (OSError, ValueError) as exc:
                    raise BackendError(f"index {gen_dir} is missing or corrupt ({exc}): run `migralex build`") from exc
                if meta.get("format") != INDEX_FORMAT:
                    raise BackendError(
                        f"index {gen_dir} has format {meta.get('format')}, expected {INDEX_FORMAT}: "
                        "run `migralex build`"
                    )
                try:
                    index = Index.open(str(gen_dir))
                    index.register_tokenizer(TOKENIZER, _analyzer())
                    searcher = index.searcher()
                except (ValueError, OSError) as exc:
                    raise BackendError(f"index {gen_dir} is corrupt ({exc}): run `migralex build`") from exc
                self._index, self._searcher, self._generation = index, searcher, generation
            return self._searcher

    # --- searching --------------------------------------------------------------------------------

    def _translate(self, c: Clause) -> Query:
        """The ranking's scoring query (search_api.ranking) as a tantivy query, node for node."""
        if isinstance(c, TermQ):
            return Query.boost_query(Query.term_query(self._schema, c.field, c.value), c.boost)
        if isinstance(c, PhraseQ):
            return Query.boost_query(Query.phrase_query(self._schema, c.field, list(c.words), slop=c.slop), c.boost)
        if isinstance(c, ConstQ):
            return Query.const_score_query(self._terms(c.field, c.values), c.boost)
        if isinstance(c, ConstOf):
            return Query.const_score_query(self._translate(c.child), c.boost)
        if isinstance(c, DisMax):
            if len(c.children) == 1:
                return self._translate(c.children[0])
            return Query.disjunction_max_query([self._translate(x) for x in c.children], tie_breaker=c.tie)
        if isinstance(c, Bool):
            clauses = [(Occur.Must, self._translate(x)) for x in c.must]
            clauses += [(Occur.Should, self._translate(x)) for x in c.should]
            clauses += [(Occur.MustNot, self._translate(x)) for x in c.must_not]
            if len(clauses) == 1 and clauses[0][0] != Occur.MustNot:
                return clauses[0][1]
            return Query.boolean_query(clauses)
        raise TypeError(f"unknown clause {c!r}")

    def _terms(self, field: str, values: Sequence[str]) -> Query:
        """Documents with any of ``values`` in ``field``: one term, or a union of terms. Not tantivy's
        term set query: it fills a bit set as large as the index in every segment (0.2 ms per filter
        at 1M documents, against 0.02 ms for a union of ten small postings)."""
        terms = [Query.term_query(self._schema, field, v) for v in dict.fromkeys(values)]
        if not terms:
            return Query.empty_query()
        return terms[0] if len(terms) == 1 else Query.boolean_query([(Occur.Should, t) for t in terms])

    def _filters(self, q: SearchQuery, level: Level) -> tuple[list[Query], list[Query]]:
        """The filters of ``q`` as (required, excluded) queries; values in one list are alternatives."""
        f: list[Query] = [self._levels[level]]
        excluded: list[Query] = []
        if q.act:
            f.append(self._terms("act_id", q.act))
        if q.kind:
            f.append(self._terms("act_kind", q.kind))
        if q.chapter:
            f.append(self._terms("chapter", [q.chapter]))
        if q.tag:
            f.append(self._terms("tags", q.tag))
        if q.right:
            f.append(self._terms("rights", q.right))
        if q.status:
            f.append(self._terms("status", q.status))
        if q.at is not None:
            at = q.at.toordinal()
            f.append(self._range("valid_from", None, at))
            f.append(self._range("valid_to", at + 1, None))
        else:
            # Without a date only the current wording of each provision is searched.
            excluded.append(self._superseded)
        if q.amended_from is not None or q.amended_to is not None:
            f.append(
                self._range(
                    "amendment_dates",
                    q.amended_from.toordinal() if q.amended_from else None,
                    q.amended_to.toordinal() if q.amended_to else None,
                )
            )
        return f, excluded

    def _range(self, field: str, lo: int | None, hi: int | None) -> Query:
        return Query.range_query(
            self._schema,
            field,
            FieldType.Integer,
            lo if lo is not None else -(2**62),
            hi if hi is not None else 2**62,
        )

    def _combined(self, clause: Clause | None, filters: tuple[list[Query], list[Query]]) -> Query:
        required, excluded = filters
        clauses: list[tuple[Occur, Query]] = [(Occur.Must, Query.const_score_query(fq, 0.0)) for fq in required]
        clauses += [(Occur.MustNot, fq) for fq in excluded]
        clauses.append((Occur.Must, self._translate(clause) if clause is not None else Query.all_query()))
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    def _guard(self) -> AbstractContextManager[object]:
        self._open()  # a missing index is a BackendError before any search
        return contextlib.nullcontext()

    def _page(self, clause: Clause | None, query: SearchQuery, level: Level) -> Page:
        searcher = self._open()
        combined = self._combined(clause, self._filters(query, level))
        # On a large index the facets (a second pass over every matching document) run beside the top-k
        # search, the best parts and the snippets (the engine collects them last): tantivy releases the
        # GIL, so a broad query costs max(), not sum().
        large = searcher.num_docs >= FACET_INLINE_BELOW
        pending = self._pool.submit(self._facets, searcher, combined) if large else None
        total, rows = self._run(searcher, combined, query.page, query.size, query.sort, scored=clause is not None)
        if pending is None:
            return Page(total, rows, self._facets(searcher, combined))
        return Page(total, rows, pending=pending.result)

    def _count(self, clause: Clause, query: SearchQuery, level: Level) -> int:
        searcher = self._open()
        return _count(searcher.search(self._combined(clause, self._filters(query, level)), 1, count=True))

    def _parts(self, clause: Clause | None, query: SearchQuery, keys: list[str], n: int) -> dict[str, list[Row]]:
        """Each article's ``n`` best parts: one search over the parts of all the page's articles, grouped
        by the ``art`` and ordered by the ``seq`` fast fields (only the parts shown are loaded); then,
        only when that search was cut at its limit, one per article it left short (a long article can
        crowd the others out); and for the articles matched in their headings only (no part has a word
        of the query, or none passes the filters), their first parts, found the same way."""
        searcher = self._open()
        required, excluded = self._filters(query, "part")
        text = self._translate(clause) if clause is not None else None

        def ranked(some: list[str], limit: int, scored: bool) -> list[tuple[float, tantivy.DocAddress]]:
            """The parts of the articles ``some`` by score (ties in indexing order), or in document order."""
            q = self._combined(None, ([*required, self._terms("key", some)], excluded))
            if scored and text is not None:
                q = Query.boolean_query([(Occur.Must, q), (Occur.Must, text)])
                return _ranked(searcher, searcher.search(q, limit, count=False).hits)
            hits = searcher.search(q, limit, count=False, order_by_field="seq", order=Order.Asc).hits
            return [(0.0, a) for _, a in hits]

        def best(some: list[str], scored: bool) -> dict[str, list[tuple[float, tantivy.DocAddress]]]:
            """The ``n`` best (``scored``) or first parts of each of ``some``: one search for all, one more
            per article left short when that one was cut at its limit."""
            limit = n * len(some) * 3
            found = ranked(some, limit, scored)
            wanted = {_art(k): k for k in some}
            picked: dict[str, list[tuple[float, tantivy.DocAddress]]] = {k: [] for k in some}
            arts = searcher.fast_field_values("art", [a for _, a in found]) if found else []
            for (score, address), art in zip(found, arts, strict=True):
                key = wanted.get(int(art or 0))
                if key is not None and len(picked[key]) < n:
                    picked[key].append((score, address))
            if len(found) >= limit:  # cut at the limit: an article left short may have more
                for key, chosen in picked.items():
                    if len(chosen) < n:
                        picked[key] = ranked([key], n, scored)
            return picked

        picked = best(keys, True)
        if bare := [k for k, chosen in picked.items() if not chosen]:
            picked.update(best(bare, False))  # matched in the heading only: the first parts
        load = _loader(searcher)
        return {key: [(score, load(a)) for score, a in chosen] for key, chosen in picked.items()}  # only those shown

    def _run(
        self, searcher: tantivy.Searcher, q: Query, page: int, size: int, sort: str, *, scored: bool
    ) -> tuple[int, list[Row]]:
        """Total and the page of (score, stored hit JSON). Date sort and browsing order by fast
        fields; relevance orders by score with ties broken by indexing order (the ``seq`` fast field:
        ``index_docs`` yields (act_id, position, id) order, the Elasticsearch backend's tie-break)."""
        offset = (page - 1) * size
        load = _loader(searcher)
        if sort == "date" or not scored:
            field, order = ("date_key", Order.Desc) if sort == "date" else ("seq", Order.Asc)
            res = searcher.search(q, size, count=True, order_by_field=field, offset=offset, order=order)
            return _count(res), [(0.0, load(a)) for _, a in res.hits]
        # The whole window from the top, so ties that straddle the page boundary sort the same way.
        res = searcher.search(q, offset + size, count=True)
        return _count(res), [(score, load(a)) for score, a in _ranked(searcher, res.hits)[offset:]]

    def _facets(self, searcher: tantivy.Searcher, q: Query) -> dict[str, dict[str, int]]:
        raw = searcher.aggregate(q, {"f": {"terms": {"field": "facets", "size": FACET_BUCKETS}}})
        facets: dict[str, dict[str, int]] = {name: {} for name in _FACET_PREFIXES.values()}
        for bucket in raw["f"]["buckets"]:
            prefix, _, value = str(bucket["key"]).partition(":")
            facets[_FACET_PREFIXES[prefix]][value] = int(bucket["doc_count"])
        return facets

    # --- status -----------------------------------------------------------------------------------

    def count(self) -> int:
        """Provision versions indexed (article documents not counted)."""
        return _count(self._open().search(self._levels["part"], 1, count=True))

    def health(self) -> dict[str, object]:
        searcher = self._open()
        return {
            "backend": self.name,
            "path": str(self.path),
            "generation": self._generation,
            "docs": _count(searcher.search(self._levels["part"], 1, count=True)),
            "article_docs": _count(searcher.search(self._levels["article"], 1, count=True)),
        }

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._pool = ThreadPoolExecutor(max_workers=FACET_THREADS, thread_name_prefix="migralex-facets")
        with self._lock:
            self._index = self._searcher = None
            self._generation = None


def _art(key: str) -> int:
    """The ``art`` fast field of an article key: 56 bits of its hash (a collision between two of the
    few articles of one page is as good as impossible, and the ``key`` filter bounds it to them)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=7).digest(), "big")


def _loader(searcher: tantivy.Searcher) -> Callable[[tantivy.DocAddress], dict[str, Any]]:
    def load(address: tantivy.DocAddress) -> dict[str, Any]:
        return dict(orjson.loads(searcher.doc(address)["hit"][0]))  # orjson: ~3x json's speed here

    return load


def _ranked(
    searcher: tantivy.Searcher, hits: list[tuple[Any, tantivy.DocAddress]]
) -> list[tuple[float, tantivy.DocAddress]]:
    """Scored hits by score, ties in indexing order (the ``seq`` fast field, as in Elasticsearch)."""
    if not hits:
        return []
    seqs = searcher.fast_field_values("seq", [a for _, a in hits])
    order = sorted(range(len(hits)), key=lambda i: (-hits[i][0], seqs[i]))
    return [(float(hits[i][0]), hits[i][1]) for i in order]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
