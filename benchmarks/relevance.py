"""Relevance of search by article on real scholar queries: MigraLex against a BM25 baseline.

    python benchmarks/relevance.py                        # the `migralex build` home, both halves
    python benchmarks/relevance.py --home /tmp/mlx        # another home (build it first:
                                                          #   python3 -m migralex.cli --home /tmp/mlx build)
    python benchmarks/relevance.py --show-misses          # dev-half queries with no relevant article in the top 10
    python benchmarks/relevance.py --json figures.json    # the figures for scripts

Queries: ``benchmarks/relevance/{dev,test}.jsonl`` (see the README there), graded 1-3 by article.
The test half is never tuned on: ``--show-misses`` lists dev-half misses only; test-half misses are
printed only with ``--half test --show-misses``, and tuning on them is forbidden.

Systems, all over the current wordings in the same store, measured in the same run:
- **MigraLex embedded**: the app's search API (``SearchQuery`` through ``make_backend``), hits
  mapped to their articles in rank order, first occurrence kept. When ``SearchQuery`` has a
  ``group`` field, ``group="article"`` is passed.
- **MigraLex Elasticsearch**: the same, when ``ES_URL`` is set (skipped with the reason otherwise);
  ``--es-index`` names the index (``migralex build --backend elasticsearch`` writes ``migralex``),
  ``--es-build`` indexes the store into it first.
- **baseline**: one document per article = its heading + the text of the article and of all its
  parts and items; BM25 (k1=1.2, b=0.75), Snowball Russian stemmer (PyPI ``snowballstemmer``),
  OR over the query's distinct stems; quotes and operators are ignored.

Metrics per half, by article (an article is relevant when it has any grade, 1-3):
- success@10: share of queries with a relevant article in the top 10;
- MRR: mean reciprocal rank of the first relevant article within the top ``--depth`` articles (0 if none);
- nDCG@10: graded, gain 2^grade - 1, discount log2(rank + 1), the ideal ranking built from every
  judged article (also those of acts not in the store: both systems lose them alike).
Also per query kind, and on the queries with at least one judged article in the store.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from legal.eid import article_of  # noqa: E402

QUERY_DIR = ROOT / "benchmarks" / "relevance"
HALVES: tuple[str, ...] = ("dev", "test")
KINDS: tuple[str, ...] = ("topical", "question", "colloquial", "abbreviation", "historical", "phrase", "spread", "trap")
K = 10
ARTICLE_RE = re.compile(r"^art_\d+(?:-\d+)*$")

Kind = Literal["topical", "question", "colloquial", "abbreviation", "historical", "phrase", "spread", "trap"]
ArticleKey = tuple[str, str]  # (act_id, article eid)


# --- the query records ------------------------------------------------------------------------------


class Judgment(BaseModel):
    """One judged article: grade 3 = the article to cite, 2 = closely related, 1 = marginal."""

    model_config = ConfigDict(extra="forbid")

    act_id: str = Field(min_length=1)
    article: str
    grade: int = Field(ge=1, le=3)

    @field_validator("article")
    @classmethod
    def _is_article(cls, v: str) -> str:
        if not ARTICLE_RE.match(v):
            raise ValueError(f"{v!r} is not an article eid (art_48, art_16-1)")
        return v


class QueryRecord(BaseModel):
    """One line of ``dev.jsonl`` / ``test.jsonl``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^q\d{3}$")
    query: str = Field(min_length=1)
    kind: Kind
    relevant: list[Judgment] = Field(min_length=1)
    note: str = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_articles(self) -> QueryRecord:
        keys = [(j.act_id, j.article) for j in self.relevant]
        dup = [k for k, n in Counter(keys).items() if n > 1]
        if dup:
            raise ValueError(f"article judged twice: {dup}")
        return self

    @property
    def grades(self) -> dict[ArticleKey, int]:
        return {(j.act_id, j.article): j.grade for j in self.relevant}


class QueryFileError(ValueError):
    """A query file cannot be read or a record does not validate; the message names file and line."""


def load_queries(path: Path) -> list[QueryRecord]:
    """The records of one query file, validated; :class:`QueryFileError` names the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QueryFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    records: list[QueryRecord] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(QueryRecord.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "record"
            raise QueryFileError(f"{path}:{n}: {where}: {first['msg']}") from exc
    ids = Counter(r.id for r in records)
    if dup := [i for i, c in ids.items() if c > 1]:
        raise QueryFileError(f"{path}: duplicate ids {dup}")
    return records


def load_halves(query_dir: Path = QUERY_DIR) -> dict[str, list[QueryRecord]]:
    halves = {h: load_queries(query_dir / f"{h}.jsonl") for h in HALVES}
    overlap = {r.id for r in halves["dev"]} & {r.id for r in halves["test"]}
    if overlap:
        raise QueryFileError(f"{query_dir}: ids in both halves: {sorted(overlap)}")
    return halves


# --- metrics (pure) ---------------------------------------------------------------------------------


def articles_in_rank_order(hits: Iterable[tuple[str, str]]) -> list[ArticleKey]:
    """(act_id, eid) hits → their articles in rank order, first occurrence kept; hits outside any
    article (a chapter, a section, a preamble) are dropped."""
    seen: set[ArticleKey] = set()
    out: list[ArticleKey] = []
    for act_id, eid in hits:
        art = article_of(eid)
        if art is None:
            continue
        key = (act_id, art)
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def success_at(ranked: Sequence[ArticleKey], grades: dict[ArticleKey, int], k: int = K) -> float:
    """1.0 when an article with any grade is among the first ``k``, else 0.0."""
    return 1.0 if any(a in grades for a in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[ArticleKey], grades: dict[ArticleKey, int], depth: int | None = None) -> float:
    """1 / rank of the first article with any grade (ranks from 1), within ``depth``; 0.0 if none."""
    for i, a in enumerate(ranked[:depth] if depth is not None else ranked, 1):
        if a in grades:
            return 1.0 / i
    return 0.0


def dcg(gains: Sequence[int]) -> float:
    """Discounted cumulative gain of grades in rank order: sum (2^g - 1) / log2(rank + 1)."""
    return float(sum((2**g - 1) / math.log2(i + 1) for i, g in enumerate(gains, 1)))


def ndcg_at(ranked: Sequence[ArticleKey], grades: dict[ArticleKey, int], k: int = K) -> float:
    """nDCG@k against the ideal ordering of every judged article; 0.0 when nothing is judged."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([grades.get(a, 0) for a in ranked[:k]]) / ideal


@dataclass
class Scores:
    """Per-query figures of one system on a list of queries."""

    success: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)

    def add(self, ranked: Sequence[ArticleKey], grades: dict[ArticleKey, int], depth: int) -> None:
        self.success.append(success_at(ranked, grades))
        self.rr.append(reciprocal_rank(ranked, grades, depth))
        self.ndcg.append(ndcg_at(ranked, grades))

    def means(self) -> dict[str, float]:
        n = len(self.success)
        if n == 0:
            return {"n": 0, "success@10": math.nan, "mrr": math.nan, "ndcg@10": math.nan}
        return {"n": n, "success@10": sum(self.success) / n, "mrr": sum(self.rr) / n, "ndcg@10": sum(self.ndcg) / n}


# --- the baseline: BM25 + Snowball over article documents --------------------------------------------

WORD_RE = re.compile(r"[0-9a-zа-яё]+")


class Bm25Baseline:
    """One document per article; Okapi BM25 with Lucene's non-negative idf; OR over distinct stems."""

    def __init__(self, docs: Iterable[tuple[ArticleKey, str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        import snowballstemmer  # type: ignore[import-untyped, unused-ignore]  # typed in recent releases

        self._stemmer = snowballstemmer.stemmer("russian")
        self._stems: dict[str, str] = {}
        self.k1, self.b = k1, b
        self.keys: list[ArticleKey] = []
        self.lengths: list[int] = []
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)  # stem → [(doc, tf)]
        for key, text in docs:
            tf = Counter(self.terms(text))
            doc = len(self.keys)
            self.keys.append(key)
            self.lengths.append(sum(tf.values()))
            for stem, n in tf.items():
                self.postings[stem].append((doc, n))
        self.avgdl = sum(self.lengths) / len(self.lengths) if self.lengths else 0.0

    def terms(self, text: str) -> list[str]:
        out = []
        for w in WORD_RE.findall(text.lower().replace("ё", "е")):
            stem = self._stems.get(w)
            if stem is None:
                stem = self._stems[w] = self._stemmer.stemWord(w)
            out.append(stem)
        return out

    def scores(self, query: str) -> dict[ArticleKey, float]:
        """BM25 score of every article matching any of the query's distinct stems."""
        n_docs = len(self.keys)
        scores: dict[int, float] = defaultdict(float)
        for stem in dict.fromkeys(self.terms(query)):
            posting = self.postings.get(stem, [])
            if not posting:
                continue
            idf = math.log(1 + (n_docs - len(posting) + 0.5) / (len(posting) + 0.5))
            for doc, tf in posting:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[doc] / self.avgdl)
                scores[doc] += idf * tf * (self.k1 + 1) / (tf + norm)
        return {self.keys[d]: sc for d, sc in scores.items()}

    def search(self, query: str, limit: int = 100) -> list[ArticleKey]:
        """Articles by descending score; ties in document (act, position) order."""
        order = {key: i for i, key in enumerate(self.keys)}
        scored = self.scores(query)
        return sorted(scored, key=lambda key: (-scored[key], order[key]))[:limit]


def article_documents(store_path: Path) -> list[tuple[ArticleKey, str]]:
    """(act, article) → heading + the article's text and its parts' and items' text, current wordings."""
    from corpus.store import Store

    parts: dict[ArticleKey, list[str]] = defaultdict(list)
    with Store(store_path) as store:
        for act in sorted(store.acts(), key=lambda a: a.id):
            for v in store.versions(act.id):
                art = v.article
                if v.valid_to is not None or art is None:
                    continue
                if v.eid == art and v.heading:
                    parts[(act.id, art)].insert(0, v.heading)
                if v.text:
                    parts[(act.id, art)].append(v.text)
    return [(key, "\n".join(texts)) for key, texts in parts.items()]


# --- MigraLex through the app's search API ------------------------------------------------------------


def search_kwargs() -> dict[str, Any]:
    """Extra SearchQuery fields: ``group="article"`` once the search has article grouping."""
    from search_api.models import SearchQuery

    return {"group": "article"} if "group" in SearchQuery.model_fields else {}


def migralex_ranking(
    backend: Any, query: str, depth: int, *, page_size: int = 100, max_pages: int = 5
) -> list[ArticleKey]:
    """The articles of ``backend``'s hits for ``query`` in rank order, up to ``depth`` of them.

    Pages through the hits (a long article's parts can fill a page) until ``depth`` articles are
    collected or the hits run out. Raises QueryError when the search refuses the query itself, and
    BackendError when the backend is down; a later page past the result window ends the paging.
    """
    from search_api.models import QueryError, SearchQuery

    extra = search_kwargs()
    hits: list[tuple[str, str]] = []
    for page in range(1, max_pages + 1):
        try:
            result = backend.search(SearchQuery(q=query, size=page_size, page=page, **extra))
        except QueryError:
            if page == 1:
                raise
            break
        hits.extend((h.act_id, h.eid) for h in result.hits)
        if len(articles_in_rank_order(hits)) >= depth or len(result.hits) < page_size:
            break
    return articles_in_rank_order(hits)[:depth]


def migralex_ranker(backend: Any, depth: int) -> Callable[[str], list[ArticleKey]]:
    return lambda text: migralex_ranking(backend, text, depth)


# --- running and reporting ----------------------------------------------------------------------------

Ranker = Callable[[str], list[ArticleKey]]


@dataclass
class SystemRun:
    name: str
    rankings: dict[str, list[ArticleKey]]  # query id → ranked articles
    seconds: float
    errors: dict[str, str] = field(default_factory=dict)  # query id → QueryError message


def run_system(name: str, ranker: Ranker, queries: Sequence[QueryRecord]) -> SystemRun:
    """Rank every query; a query the search refuses (QueryError) ranks nothing and is recorded."""
    from search_api.models import QueryError

    run = SystemRun(name, {}, 0.0)
    t0 = time.perf_counter()
    for q in queries:
        try:
            run.rankings[q.id] = ranker(q.query)
        except QueryError as exc:
            run.rankings[q.id] = []
            run.errors[q.id] = str(exc)
    run.seconds = time.perf_counter() - t0
    return run


def score(run: SystemRun, queries: Sequence[QueryRecord], depth: int) -> Scores:
    s = Scores()
    for q in queries:
        s.add(run.rankings[q.id], q.grades, depth)
    return s


def fmt(x: float) -> str:
    return "   -" if math.isnan(x) else f"{x:.3f}"


def report(
    halves: dict[str, list[QueryRecord]],
    runs: Sequence[SystemRun],
    in_store: set[ArticleKey],
    depth: int,
    out: Any = None,
) -> dict[str, Any]:
    """Print the tables (to ``out``, default stdout); return the same figures as a dict (for ``--json``)."""
    out = out or sys.stdout
    figures: dict[str, Any] = {}
    width = max(len(r.name) for r in runs) + 2
    for half, queries in halves.items():
        answerable = [q for q in queries if any(k in in_store for k in q.grades)]
        print(f"\n== {half} half: {len(queries)} queries ({len(answerable)} with a judged article in the store)",
              file=out)
        print(f"{'system':<{width}}{'success@10':>11}{'MRR':>8}{'nDCG@10':>9}   | answerable only:"
              f"{'s@10':>7}{'MRR':>7}{'nDCG':>7}", file=out)
        figures[half] = {"queries": len(queries), "answerable": len(answerable), "systems": {}, "kinds": {}}
        for run in runs:
            m = score(run, queries, depth).means()
            a = score(run, answerable, depth).means()
            figures[half]["systems"][run.name] = {"all": m, "answerable": a}
            print(f"{run.name:<{width}}{fmt(m['success@10']):>11}{fmt(m['mrr']):>8}{fmt(m['ndcg@10']):>9}   |"
                  f"{'':>16}{fmt(a['success@10']):>7}{fmt(a['mrr']):>7}{fmt(a['ndcg@10']):>7}", file=out)
        print(f"\n  per kind (success@10 / MRR / nDCG@10){'':<4}" + "".join(f"{r.name:>26}" for r in runs), file=out)
        by_kind: dict[str, list[QueryRecord]] = defaultdict(list)
        for q in queries:
            by_kind[q.kind].append(q)
        for kind in KINDS:
            if kind not in by_kind:
                continue
            cells = []
            figures[half]["kinds"][kind] = {}
            for run in runs:
                m = score(run, by_kind[kind], depth).means()
                figures[half]["kinds"][kind][run.name] = m
                cells.append(f"{fmt(m['success@10'])} / {fmt(m['mrr'])} / {fmt(m['ndcg@10'])}")
            print(f"  {kind:<13}({len(by_kind[kind]):>2}){'':<25}" + "".join(f"{c:>26}" for c in cells), file=out)
    return figures


def show_misses(half: str, queries: Sequence[QueryRecord], run: SystemRun, baseline: SystemRun | None,
                in_store: set[ArticleKey], out: Any = None) -> None:
    """The queries where ``run`` has no relevant article in the top 10, with what it ranked instead."""
    out = out or sys.stdout
    misses = [q for q in queries if not success_at(run.rankings[q.id], q.grades)]
    print(f"\n== {run.name}: {len(misses)} of {len(queries)} {half}-half queries "
          "with no relevant article in the top 10", file=out)
    for q in misses:
        top = max(q.grades.values())
        wants = [f"{a}/{art}" + ("" if (a, art) in in_store else " (act not in the store)")
                 for (a, art), g in q.grades.items() if g == top]
        got = [f"{a}/{art}" for a, art in run.rankings[q.id][:5]] or ["nothing"]
        base = ""
        if baseline is not None:
            rr = reciprocal_rank(baseline.rankings[q.id], q.grades)
            base = f"; baseline: first relevant at rank {round(1 / rr)}" if rr else "; baseline: none either"
        err = f"  [query refused: {run.errors[q.id]}]" if q.id in run.errors else ""
        print(f"- {q.id} [{q.kind}] {q.query}{err}\n    wants (grade {top}) {', '.join(wants)}"
              f"\n    got   {', '.join(got)}{base}", file=out)


def default_home() -> Path:
    from migralex.cli import default_home as cli_home

    return cli_home()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=None, help="the migralex home (default: as `migralex build`)")
    ap.add_argument("--half", choices=(*HALVES, "both"), default="both")
    ap.add_argument("--depth", type=int, default=100, help="articles ranked per query (MRR depth)")
    ap.add_argument("--show-misses", action="store_true",
                    help="list MigraLex misses (dev half; test half only with --half test — never tune on it)")
    ap.add_argument("--es-index", default="migralex", help="Elasticsearch index (with ES_URL)")
    ap.add_argument("--es-build", action="store_true", help="index the store into --es-index first")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    ap.add_argument("--queries", type=Path, default=QUERY_DIR, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    from search_api.backends import make_backend
    from search_api.models import BackendError

    try:
        halves = load_halves(args.queries)
    except QueryFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.half != "both":
        halves = {args.half: halves[args.half]}
    queries = [q for qs in halves.values() for q in qs]

    home = (args.home or default_home()).expanduser()
    store_path, index_dir = home / "corpus.sqlite", home / "index"
    if not store_path.exists():
        print(f"error: no corpus in {home}: run `python3 -m migralex.cli --home {home} build` first", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    docs = article_documents(store_path)
    baseline = Bm25Baseline(docs)
    in_store = {key for key, _ in docs}
    print(f"store {store_path}: {len(docs)} articles of {len({a for a, _ in in_store})} acts "
          f"(baseline indexed in {time.perf_counter() - t0:.1f} s); {len(queries)} queries; "
          f"SearchQuery extra fields: {search_kwargs() or 'none'}")

    runs: list[SystemRun] = []
    backends: list[tuple[str, Any]] = []
    try:
        embedded = make_backend("embedded", index_dir=index_dir)
        if embedded.count() == 0:
            raise BackendError(f"the index in {index_dir} is empty")
        backends.append(("MigraLex embedded", embedded))
    except BackendError as exc:
        print(f"error: embedded index: {exc} (run `python3 -m migralex.cli --home {home} build`)", file=sys.stderr)
        return 2
    es_url = os.environ.get("ES_URL", "")
    if not es_url:
        print("Elasticsearch: skipped (ES_URL is not set; scripts/es-node.sh start)")
    else:
        try:
            es = make_backend("elasticsearch", es_url=es_url, index_name=args.es_index)
            if args.es_build:
                from corpus.store import Store
                from search_api.indexer import index_docs

                with Store(store_path) as store:
                    n = es.index(index_docs(store))
                print(f"Elasticsearch: indexed {n} provision versions into {args.es_index!r}")
            if es.count() == 0:
                raise BackendError(f"index {args.es_index!r} is empty (use --es-build)")
            backends.append(("MigraLex Elasticsearch", es))
        except BackendError as exc:
            print(f"Elasticsearch: skipped ({exc})")

    try:
        for name, backend in backends:
            runs.append(run_system(name, migralex_ranker(backend, args.depth), queries))
    except BackendError as exc:
        print(f"error: search backend: {exc}", file=sys.stderr)
        return 2
    base_run = run_system("baseline BM25+Snowball", lambda text: baseline.search(text, args.depth), queries)
    runs.append(base_run)
    for run in runs:
        refused = f", {len(run.errors)} queries refused" if run.errors else ""
        print(f"  {run.name}: {run.seconds * 1000 / max(len(queries), 1):.1f} ms/query{refused}")

    figures = report(halves, runs, in_store, args.depth)
    if args.show_misses:
        half = "test" if args.half == "test" else "dev"
        if half == "test":
            print("\n!! test-half misses: read them to understand, never to tune on them "
                  "(the test figures would stop meaning anything)")
        elif args.half == "both":
            print("\n(misses of the dev half only; the test half is never tuned on)")
        for run in runs[:-1]:
            show_misses(half, halves[half], run, base_run, in_store)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    for _, backend in backends:
        backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
