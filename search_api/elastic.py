"""The Elasticsearch backend (docs/design.md §1, §5): the way to scale past one machine.

Same semantics as the embedded backend; ``tests/search/test_contract.py`` runs the same cases
against both. The server is Elasticsearch 8.19 (client major = server major).

Layout on the cluster:

- an index template ``{name}`` for ``{name}-v*`` (keyword fields for filters and facets, dates,
  four whitespace-analysed fields analysed in Python exactly as for the embedded backend
  (:mod:`search_api.documents`): ``lemmas``, ``heading_lemmas``, ``ancestor_lemmas`` and ``surface``,
  the folded word forms for exact phrases; the stored ``hit`` object, not indexed);
- part and article documents (``level``), article documents scored as units; an article hit's best
  parts come from one collapsed search on ``key`` with inner hits (:meth:`ElasticBackend._parts`);
- versioned indices ``{name}-v{UTC timestamp}`` behind the alias ``{name}``. :meth:`ElasticBackend.index`
  builds a new index, swaps the alias in ONE ``update_aliases`` call and then deletes the old index,
  so searches keep answering during a reindex (переиндексация без простоя).

Only core modules are assumed (the test node has no analysis-common, painless or rest-root), so the
analysis is whitespace-only and health uses ``_cluster/health``, not ``GET /``.
Every transport or API failure becomes :class:`BackendError` (the API answers 503) — never an empty
or unfiltered result. Searching is :class:`search_api.engine.SearchEngine`; the scoring query of
:mod:`search_api.ranking` is translated node for node (:func:`clause_to_dsl`).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, UnsupportedProductError
from elasticsearch.helpers import BulkIndexError, parallel_bulk

from search_api.breaker import CircuitBreaker
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

#: Facet name → indexed field (docs/design.md §5: acts, tags, rights, amendment years).
FACET_FIELDS: dict[str, str] = {
    "acts": "act_id",
    "tags": "tags",
    "rights": "rights",
    "years": "amendment_years",
}
#: Enough buckets to count every value: facets are over ALL matching docs, not the page.
FACET_SIZE = 10_000
#: Seconds a search or status request may take (connect + answer): a node that accepts connections and
#: never answers costs a request this long, and the circuit breaker stops asking after a few of them.
REQUEST_TIMEOUT = 5.0
HEALTH_TIMEOUT = 2.0
#: Building an index is a batch job: its requests (bulk chunks, refresh, waiting for the new index) get longer.
INDEX_TIMEOUT = 120.0
#: Exceptions that mean the node answered something that is not the Elasticsearch answer expected.
_ODD_ANSWER = (KeyError, TypeError, ValueError, AttributeError, IndexError)
BULK_CHUNK = 500
BULK_THREADS = 2
#: Text is lemmatized and folded in Python (as for the embedded index), so splitting on whitespace is
#: the whole analysis. The built-in analyzer: the test node has no analysis-common module, hence no
#: ``whitespace`` tokenizer for a custom analyzer (lower-casing is done in :func:`doc_source`).
ANALYZER = "whitespace"

# Elasticsearch index names: lower case, no \ / * ? " < > | space , # : and not starting with - _ +.
_INDEX_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,200}$")

_KEYWORD = {"type": "keyword"}
_DATE = {"type": "date", "format": "strict_date"}

_ANALYSED = {"type": "text", "analyzer": ANALYZER, "norms": True}
_TERMS = {"type": "text", "analyzer": ANALYZER, "norms": True, "index_options": "freqs"}

MAPPINGS: dict[str, Any] = {
    # strict: a document with a field we did not plan for is a bug, not a new dynamic field.
    "dynamic": "strict",
    "properties": {
        "level": _KEYWORD,  # part | article (search_api.documents)
        "key": _KEYWORD,  # {act_id}/{article}: collapses parts under their article
        "id": _KEYWORD,
        "act_id": _KEYWORD,
        "act_kind": _KEYWORD,
        "eid": _KEYWORD,
        "chapter": _KEYWORD,
        # analysed in Python (search_api.documents, nlp.lemmatize), so whitespace is the whole analysis
        F_BODY: _ANALYSED,
        F_HEADING: _ANALYSED,
        F_ANCESTORS: _ANALYSED,
        F_SURFACE: _ANALYSED,
        F_PAIRS: _TERMS,  # consecutive word pairs (search_api.ranking: proximity)
        F_HEADING_PAIRS: _TERMS,
        # stored only: what a hit shows (snippets are cut from its text by search_api.highlight)
        "hit": {"type": "object", "enabled": False},
        "valid_from": _DATE,
        "valid_to": _DATE,
        "status": _KEYWORD,
        "tags": _KEYWORD,
        "rights": _KEYWORD,
        "amendment_years": {"type": "integer"},
        "amendment_dates": _DATE,
        "position": {"type": "integer"},
        "seq": {"type": "integer"},  # indexing order: the tie-break
    },
}


def index_settings(replicas: int) -> dict[str, Any]:
    return {
        "number_of_shards": 1,
        "number_of_replicas": replicas,
        "refresh_interval": "1s",
    }


# --- Query AST → Elasticsearch DSL (pure) -----------------------------------------------------------


def clause_to_dsl(c: Clause) -> dict[str, Any]:
    """The ranking's scoring query (search_api.ranking) as Elasticsearch query DSL, node for node."""
    if isinstance(c, TermQ):
        return {"term": {c.field: {"value": c.value, "boost": c.boost}}}
    if isinstance(c, PhraseQ):
        return {"match_phrase": {c.field: {"query": " ".join(c.words), "slop": c.slop, "boost": c.boost}}}
    if isinstance(c, ConstQ):
        return {"constant_score": {"filter": {"terms": {c.field: list(c.values)}}, "boost": c.boost}}
    if isinstance(c, ConstOf):
        return {"constant_score": {"filter": clause_to_dsl(c.child), "boost": c.boost}}
    if isinstance(c, DisMax):
        if len(c.children) == 1:
            return clause_to_dsl(c.children[0])
        return {"dis_max": {"queries": [clause_to_dsl(x) for x in c.children], "tie_breaker": c.tie}}
    if isinstance(c, Bool):
        if len(c.must) + len(c.should) == 1 and not c.must_not:
            return clause_to_dsl((*c.must, *c.should)[0])
        body: dict[str, Any] = {}
        for name, children in (("must", c.must), ("should", c.should), ("must_not", c.must_not)):
            if children:
                body[name] = [clause_to_dsl(x) for x in children]
        if c.should and not c.must:
            body["minimum_should_match"] = 1
        return {"bool": body}
    raise TypeError(f"unknown clause {c!r}")


def filter_clauses(query: SearchQuery, level: Level = "part") -> list[dict[str, Any]]:
    """The non-scoring filters of ``query`` on documents of ``level``; values inside one list are
    alternatives (any of)."""
    out: list[dict[str, Any]] = [{"term": {"level": level}}]
    if query.at is None:
        # without a date: the current versions (действующая редакция), valid_to open
        out.append({"bool": {"must_not": [{"exists": {"field": "valid_to"}}]}})
    else:
        at = query.at.isoformat()
        # valid on [valid_from, valid_to); a missing bound is open
        out.append(
            {
                "bool": {
                    "should": [
                        {"range": {"valid_from": {"lte": at}}},
                        {"bool": {"must_not": [{"exists": {"field": "valid_from"}}]}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
        out.append(
            {
                "bool": {
                    "should": [
                        {"range": {"valid_to": {"gt": at}}},
                        {"bool": {"must_not": [{"exists": {"field": "valid_to"}}]}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    for values, field in (
        (query.act, "act_id"),
        (query.kind, "act_kind"),
        (query.tag, "tags"),
        (query.right, "rights"),
        (query.status, "status"),
    ):
        if values:
            out.append({"terms": {field: list(values)}})
    if query.chapter:
        out.append({"term": {"chapter": query.chapter}})
    if query.amended_from or query.amended_to:
        period: dict[str, str] = {}
        if query.amended_from:
            period["gte"] = query.amended_from.isoformat()
        if query.amended_to:
            period["lte"] = query.amended_to.isoformat()
        out.append({"range": {"amendment_dates": period}})
    return out


def sort_clause(sort: str) -> list[dict[str, Any]]:
    """Deterministic order, the embedded backend's: ties (and browsing without a query) in indexing
    order ``seq`` — ``index_docs`` yields act id, then position in the act."""
    if sort == "date":
        return [{"valid_from": {"order": "desc", "missing": "_last"}}, {"seq": "asc"}]
    return [{"_score": "desc"}, {"seq": "asc"}]


def search_body(query: SearchQuery, clause: Clause | None, level: Level = "part") -> dict[str, Any]:
    must = [clause_to_dsl(clause)] if clause is not None else [{"match_all": {}}]
    return {
        "query": {"bool": {"must": must, "filter": filter_clauses(query, level)}},
        "from": (query.page - 1) * query.size,
        "size": query.size,
        "sort": sort_clause(query.sort if clause is not None or query.sort == "date" else "relevance"),
        "track_scores": True,
        "track_total_hits": True,
        "_source": ["hit"],
        "aggs": {name: {"terms": {"field": field, "size": FACET_SIZE}} for name, field in FACET_FIELDS.items()},
    }


def doc_source(doc: SearchDoc, seq: int) -> dict[str, Any]:
    """The indexed document (search_api.documents) and its indexing order."""
    return {
        "level": doc.level,
        "key": doc.key,
        "id": doc.id,
        "act_id": doc.act_id,
        "act_kind": doc.act_kind,
        "eid": doc.eid,
        "chapter": doc.chapter,
        F_BODY: doc.lemmas,
        F_HEADING: doc.heading_lemmas,
        F_ANCESTORS: doc.ancestor_lemmas,
        F_SURFACE: doc.surface,
        F_PAIRS: doc.pairs,
        F_HEADING_PAIRS: doc.heading_pairs,
        "hit": doc.hit,
        "valid_from": doc.valid_from.isoformat() if doc.valid_from else None,
        "valid_to": doc.valid_to.isoformat() if doc.valid_to else None,
        "status": doc.statuses,
        "tags": doc.tags,
        "rights": doc.rights,
        "amendment_years": doc.amendment_years,
        "amendment_dates": [d.isoformat() for d in doc.amendment_dates],
        "seq": seq,
    }


def _reason(exc: ApiError) -> str:
    """The server's own explanation (``error.reason`` and its causes), which the exception's message omits."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    if not isinstance(error, dict):
        return str(error or exc.body)
    reasons = []
    while isinstance(error, dict):  # the innermost cause is usually the useful one
        reasons.append(str(error.get("reason") or error.get("type")))
        error = error.get("caused_by")
    return " ← ".join(dict.fromkeys(reasons))


# --- the backend -------------------------------------------------------------------------------------


class ElasticBackend(SearchEngine):
    """:class:`search_api.models.SearchBackend` on an Elasticsearch cluster reached at ``url``.

    ``index_name`` is the alias searches go to; the data live in ``{index_name}-v{timestamp}``.
    """

    name = "elasticsearch"
    io_bound = True  # waits on the network: the API calls it from a thread pool

    def __init__(
        self,
        url: str,
        index_name: str = "migralex",
        *,
        request_timeout: float = REQUEST_TIMEOUT,
        replicas: int = 0,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        if not _INDEX_NAME_RE.match(index_name):
            raise BackendError(
                f"invalid Elasticsearch index name {index_name!r}: lower-case letters, digits,"
                " '.', '_', '-', starting with a letter or digit"
            )
        self.url = url
        self.alias = index_name
        self.replicas = replicas
        self.request_timeout = request_timeout
        # No retries: a node that is down should be reported promptly (503), not hidden; the breaker
        # stops asking a failing node at all for a while.
        self.client = Elasticsearch(url, request_timeout=request_timeout, max_retries=0, retry_on_timeout=False)
        self.breaker = breaker or CircuitBreaker(f"Elasticsearch at {url}")

    # --- errors -----------------------------------------------------------------------------------

    def _fail(self, action: str, exc: Exception) -> BackendError:
        if isinstance(exc, UnsupportedProductError):
            return BackendError(
                f"Elasticsearch at {self.url}: {action}: the server there is not Elasticsearch (no"
                " X-Elastic-Product header in its answer): is ES_URL right?"
            )
        if isinstance(exc, NotFoundError):
            return BackendError(
                f"Elasticsearch at {self.url}: {action}: index or alias {self.alias!r} not found"
                f" (build it with `migralex index --backend elasticsearch`): {exc.message}"
            )
        if isinstance(exc, ApiError):
            return BackendError(
                f"Elasticsearch at {self.url}: {action} failed: HTTP {exc.status_code} {exc.message}: {_reason(exc)}"
            )
        return BackendError(f"Elasticsearch at {self.url} is unreachable ({action}): {exc}")

    # --- indexing ---------------------------------------------------------------------------------

    def put_template(self, client: Elasticsearch | None = None) -> None:
        """Install (or update) the index template for ``{alias}-v*``."""
        try:
            (client or self.client).indices.put_index_template(
                name=self.alias,
                index_patterns=[f"{self.alias}-v*"],
                priority=100,
                template={"settings": index_settings(self.replicas), "mappings": MAPPINGS},
                meta={"owner": "migralex", "description": "provision versions (search_api.elastic)"},
            )
        except (ApiError, TransportError) as exc:
            raise self._fail("put index template", exc) from exc

    def _alias_targets(self, client: Elasticsearch | None = None) -> list[str]:
        """The concrete indices behind the alias now ([] before the first build)."""
        client = client or self.client
        try:
            if client.indices.exists(index=self.alias) and not client.indices.exists_alias(name=self.alias):
                raise BackendError(
                    f"Elasticsearch at {self.url}: {self.alias!r} is a concrete index, not an alias;"
                    " delete it or choose another index name"
                )
            if not client.indices.exists_alias(name=self.alias):
                return []
            return sorted(client.indices.get_alias(name=self.alias).body)
        except (ApiError, TransportError) as exc:
            raise self._fail("read alias", exc) from exc

    def index(self, docs: Iterable[IndexDoc], *, progress: object | None = None) -> int:
        """Build a new versioned index from ``docs``, then swap the alias to it atomically and drop the
        old index. ``progress``, when callable, is called with the number of documents just indexed.
        On any failure the new index is deleted and the alias keeps serving the old one."""
        advance: Callable[[int], object] | None = progress if callable(progress) else None
        client = self.client.options(request_timeout=max(INDEX_TIMEOUT, self.request_timeout))
        old = self._alias_targets(client)
        self.put_template(client)
        new = f"{self.alias}-v{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        try:
            # refresh off while loading; one refresh at the end
            client.indices.create(index=new, settings={"refresh_interval": "-1"})
            sent = [0]  # provision versions handed to the bulk helper
            # Two request threads: the node indexes one chunk while Python prepares the next.
            for ok, item in parallel_bulk(
                client,
                self._actions(new, docs, sent, advance),
                thread_count=BULK_THREADS,
                chunk_size=BULK_CHUNK,
                raise_on_error=True,
                raise_on_exception=True,
            ):
                if not ok:  # unreachable with raise_on_error, kept as a guard
                    raise BackendError(f"bulk indexing into {new} failed: {item}")
            done = sent[0]
            if advance is not None and done % BULK_CHUNK:
                advance(done % BULK_CHUNK)
            client.indices.put_settings(index=new, settings={"refresh_interval": "1s"})
            client.indices.refresh(index=new)
            client.cluster.health(index=new, wait_for_status="yellow", timeout="30s")
            actions: list[dict[str, Any]] = [{"remove": {"index": ix, "alias": self.alias}} for ix in old]
            actions.append({"add": {"index": new, "alias": self.alias}})
            client.indices.update_aliases(actions=actions)  # one call: atomic swap
        except BulkIndexError as exc:
            self._drop(new)
            first = exc.errors[0] if exc.errors else {}
            raise BackendError(
                f"bulk indexing into {new} failed for {len(exc.errors)} documents; first: {first}"
            ) from exc
        except (ApiError, TransportError) as exc:
            self._drop(new)
            raise self._fail(f"build index {new}", exc) from exc
        except BaseException:
            self._drop(new)
            raise
        for ix in old:
            self._drop(ix)
        self.breaker.success()  # a node that just took a whole index answers again
        return done

    def _actions(
        self, index: str, docs: Iterable[IndexDoc], sent: list[int], advance: Callable[[int], object] | None = None
    ) -> Iterator[dict[str, Any]]:
        for seq, doc in enumerate(search_docs(docs)):
            if doc.level == "part":
                sent[0] += 1
                if advance is not None and sent[0] % BULK_CHUNK == 0:
                    advance(BULK_CHUNK)
            # ids: a part's version id; an article document's id is prefixed (it can equal its
            # article provision's version id)
            _id = doc.id if doc.level == "part" else f"article:{doc.id}"
            yield {"_op_type": "index", "_index": index, "_id": _id, "_source": doc_source(doc, seq)}

    def _drop(self, index: str) -> None:
        # best effort: a leftover index is harmless, it is not behind the alias
        with contextlib.suppress(ApiError, TransportError):
            self.client.indices.delete(index=index, ignore_unavailable=True)

    # --- searching --------------------------------------------------------------------------------

    def _guard(self) -> AbstractContextManager[object]:
        # after parsing (a bad query is a QueryError, never a failure of the node)
        return self.breaker.guard()

    def _odd(self, action: str, exc: Exception) -> BackendError:
        return BackendError(
            f"Elasticsearch at {self.url}: unexpected answer to {action} ({type(exc).__name__}: {exc}):"
            " is ES_URL an Elasticsearch node?"
        )

    def _page(self, clause: Clause | None, query: SearchQuery, level: Level) -> Page:
        resp = self._search_raw(search_body(query, clause, level))
        try:
            rows = [(float(h.get("_score") or 0.0), dict(h["_source"]["hit"])) for h in resp["hits"]["hits"]]
            facets = {
                name: {str(b["key"]): int(b["doc_count"]) for b in resp["aggregations"][name]["buckets"]}
                for name in FACET_FIELDS
            }
            return Page(int(resp["hits"]["total"]["value"]), rows, facets)
        except _ODD_ANSWER as exc:
            raise self._odd("search", exc) from exc

    def _count(self, clause: Clause, query: SearchQuery, level: Level) -> int:
        body = {
            "query": {"bool": {"must": [clause_to_dsl(clause)], "filter": filter_clauses(query, level)}},
            "size": 0,
            "track_total_hits": True,
        }
        try:
            return int(self._search_raw(body)["hits"]["total"]["value"])
        except _ODD_ANSWER as exc:
            raise self._odd("search", exc) from exc

    def _parts(self, clause: Clause | None, query: SearchQuery, keys: list[str], n: int) -> dict[str, list[Row]]:
        """Each article's best parts in ONE search: part documents of these articles matching any
        of the query's words, collapsed on ``key`` with the ``n`` best as inner hits."""
        filters = [*filter_clauses(query, "part"), {"terms": {"key": keys}}]
        inner_sort = [{"_score": "desc"}, {"seq": "asc"}] if clause is not None else [{"seq": "asc"}]
        must = [clause_to_dsl(clause)] if clause is not None else [{"match_all": {}}]
        out = self._collapsed(must, filters, inner_sort, len(keys), n)
        missing = [k for k in keys if k not in out]
        if missing and clause is not None:  # matched in the heading only: its first parts
            filters = [*filter_clauses(query, "part"), {"terms": {"key": missing}}]
            out.update(self._collapsed([{"match_all": {}}], filters, [{"seq": "asc"}], len(missing), n))
        return out

    def _collapsed(
        self, must: list[dict[str, Any]], filters: list[dict[str, Any]], sort: list[dict[str, Any]], groups: int, n: int
    ) -> dict[str, list[Row]]:
        body = {
            "query": {"bool": {"must": must, "filter": filters}},
            "size": groups,
            "_source": False,
            "collapse": {
                "field": "key",
                "inner_hits": {"name": "parts", "size": n, "sort": sort, "_source": ["hit"]},
            },
        }
        resp = self._search_raw(body)
        out: dict[str, list[Row]] = {}
        try:
            for h in resp["hits"]["hits"]:
                inner = h["inner_hits"]["parts"]["hits"]["hits"]
                out[str(h["fields"]["key"][0])] = [
                    (float(x.get("_score") or 0.0), dict(x["_source"]["hit"])) for x in inner
                ]
        except _ODD_ANSWER as exc:
            raise self._odd("search", exc) from exc
        return out

    def _search_raw(self, body: dict[str, Any]) -> dict[str, Any]:
        # One retry: a search that raced the deletion of the index the alias pointed to a moment ago
        # finds the new index on the second try. Anything else is an error, never a partial result.
        for attempt in (1, 2):
            try:
                resp: dict[str, Any] = self.client.search(index=self.alias, **body).body
            except NotFoundError as exc:
                if attempt == 1 and self._alias_exists_quietly():
                    continue
                raise self._fail("search", exc) from exc
            except (ApiError, TransportError) as exc:
                raise self._fail("search", exc) from exc
            if not isinstance(resp, dict) or not isinstance(resp.get("_shards", {}), dict):
                raise self._odd("search", TypeError(f"not a search answer: {str(resp)[:100]}"))
            shards = resp.get("_shards", {})
            if shards.get("failed"):
                if attempt == 1:
                    continue
                raise BackendError(
                    f"Elasticsearch at {self.url}: search failed on {shards['failed']} of"
                    f" {shards.get('total')} shards: {shards.get('failures')}"
                )
            if not shards.get("total"):
                # an alias with no index behind it answers 0 hits: that is misconfiguration
                raise BackendError(f"Elasticsearch at {self.url}: alias {self.alias!r} points to no index")
            return resp
        raise AssertionError("unreachable")

    def _alias_exists_quietly(self) -> bool:
        try:
            return bool(self.client.indices.exists_alias(name=self.alias))
        except (ApiError, TransportError):
            return False

    # --- status -------------------------------------------------------------------------------------

    def health(self) -> dict[str, object]:
        """Cluster status and the index behind the alias; BackendError when either is missing or red.
        Fast: each request has :data:`HEALTH_TIMEOUT`, and an open circuit answers at once."""
        with self.breaker.guard():
            try:
                return self._health()
            except _ODD_ANSWER as exc:
                raise self._odd("cluster health", exc) from exc

    def _health(self) -> dict[str, object]:
        client = self.client.options(request_timeout=min(HEALTH_TIMEOUT, self.request_timeout))
        try:
            cluster = client.cluster.health().body
        except (ApiError, TransportError) as exc:
            raise self._fail("cluster health", exc) from exc
        if cluster.get("status") == "red":
            raise BackendError(f"Elasticsearch at {self.url}: cluster {cluster.get('cluster_name')} is red")
        targets = self._alias_targets(client)
        if not targets:
            raise BackendError(
                f"Elasticsearch at {self.url}: alias {self.alias!r} not found"
                " (build it with `migralex index --backend elasticsearch`)"
            )
        return {
            "backend": self.name,
            "url": self.url,
            "cluster": cluster.get("cluster_name"),
            "status": cluster.get("status"),
            "alias": self.alias,
            "index": targets[0],
            "docs": self._count_docs(client),
            "breaker": self.breaker.info(),
        }

    def count(self) -> int:
        """Provision versions indexed (article documents not counted)."""
        try:
            return self._count_docs(self.client)
        except _ODD_ANSWER as exc:
            raise self._odd("count", exc) from exc

    def _count_docs(self, client: Elasticsearch) -> int:
        """Provision versions indexed (article documents not counted)."""
        try:
            return int(client.count(index=self.alias, query={"term": {"level": "part"}})["count"])
        except (ApiError, TransportError) as exc:
            raise self._fail("count", exc) from exc

    def wait_until_ready(self, timeout: float = 30.0) -> None:
        """Block until the cluster answers with yellow/green health (for scripts starting a node)."""
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                self.client.cluster.health(wait_for_status="yellow", timeout="1s")
                return
            except (ApiError, TransportError) as exc:
                last = exc
                time.sleep(0.5)
        raise BackendError(f"Elasticsearch at {self.url} not ready after {timeout:.0f}s: {last}")

    def close(self) -> None:
        self.client.close()


def why_unreachable(url: str | None) -> str | None:
    """None when a real Elasticsearch answers at ``url``, else why not (for skips and clear errors)."""
    if not url:
        return "ES_URL is not set (start a node: scripts/es-node.sh start; export ES_URL=$(scripts/es-node.sh url))"
    try:
        with Elasticsearch(url, request_timeout=3, max_retries=0) as es:
            es.cluster.health()
    except Exception as exc:  # any failure means: not usable here, and the reason is the message
        return f"no Elasticsearch at ES_URL={url}: {type(exc).__name__}: {exc}"
    return None
