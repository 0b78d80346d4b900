"""Search backends: indexing rate, query latency and index size on a SYNTHETIC corpus.

    python benchmarks/search_bench.py                      # 50,000 versions, both backends
    python benchmarks/search_bench.py --scale 1000000      # the 1M-version run (embedded target: p95 < 10 ms)
    python benchmarks/search_bench.py --backends embedded  # only one backend

The corpus is SYNTHETIC: each document is a random window (30-120 words) of the real token stream
of the bundled corpus (migration law, КоАП, УК), so word forms, lemmas and their frequencies are
real while the documents, acts, dates, tags and rights are made up. Lemmas are computed once per
distinct word form (as the nlp annotations would hold them), so the indexing rate measures the
backend, not the lemmatizer.

Latency is measured end to end through ``backend.search`` (query parsing, filters, facets over all
matching documents, stored fields and highlighted snippets) over 200 realistic Russian queries:
migration-law vocabulary in several word forms, quoted phrases, AND/OR/NOT, and filters. Each query
runs once to warm up, then ``--rounds`` times.

The snippets' cache of texts' words is emptied before each round, so a round pays for tokenizing
every text it meets the first time (as new queries over a large corpus do).

Elasticsearch runs only when ES_URL is set (``scripts/es-node.sh start``); its index is deleted
afterwards. Peak memory is this process's ru_maxrss (for Elasticsearch the server's memory is not
included). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.bundled import MANIFEST, read_bundled_text
from legal.eid import article_of
from nlp.lemmatize import analyze, fold
from search_api.backends import make_backend
from search_api.highlight import clear_word_cache
from search_api.models import BackendError, IndexDoc, SearchBackend, SearchQuery

TAGS = (
    "illegal_migration", "illegal_border_crossing", "illegal_stay", "illegal_employment", "facilitation",
    "forced_migration", "asylum_refugees", "displacement", "expulsion", "detention", "trafficking",
    "labour_migration", "ethnic_repatriation", "citizenship",
)  # fmt: skip
RIGHTS = (
    "non_refoulement", "asylum_access", "liberty", "expulsion_safeguards", "freedom_of_movement", "family_life",
    "freedom_from_trafficking", "labour_rights", "non_discrimination", "child_rights", "privacy",
    "fair_trial_remedy", "nationality",
)  # fmt: skip

#: Query texts: migration-law vocabulary in several word forms, phrases and operators.
QUERY_TEXTS: tuple[str, ...] = (
    "выдворение", "выдворения", "выдворению", "выдворен", "административное выдворение",
    "выдворение за пределы Республики Казахстан", "депортация", "реадмиссия", "реадмиссии иностранцев",
    "беженец", "беженцы", "беженцев", "статус беженца", "убежище", "временное убежище", "ищущих убежище",
    "иммигрант", "иммигрантов", "незаконный иммигрант", "незаконные иммигранты", "незаконная миграция",
    "незаконной миграции", "трудовой мигрант", "трудовых мигрантов", "трудовая деятельность",
    "разрешение на трудоустройство", "разрешения работодателю", "иностранная рабочая сила",
    "привлечение иностранной рабочей силы", "высококвалифицированных специалистов", "квота",
    "квоты на привлечение", "кандас", "кандасов", "оралман", "этнический казах", "переселенец",
    "внутренний мигрант", "виза", "визы", "выдача визы", "въезд", "въезда и пребывания", "выезд",
    "транзит", "транзитного проезда", "регистрация иностранцев", "принимающее лицо", "принимающих лиц",
    "гражданство", "лицо без гражданства", "лица без гражданства", "иностранец", "иностранцев",
    "пересечение Государственной границы", "незаконное пересечение границы", "пункт пропуска",
    "торговля людьми", "жертвы торговли людьми", "эксплуатация", "принудительный труд",
    "административный арест", "задержание", "задержания иностранца", "специальное учреждение",
    "содержание в специальном учреждении", "штраф", "штраф в размере месячных расчетных показателей",
    "лишение свободы", "запрет на въезд", "неразрешение въезда", "аннулирование разрешения",
    "разрешение на постоянное проживание", "разрешение на временное проживание", "вид на жительство",
    "паспорт", "документы удостоверяющие личность", "подложные документы", "воссоединение семьи",
    "члены семьи", "несовершеннолетние", "дети", "образование", "обучение", "бизнес-иммигрант",
    "миграционная карточка", "органы внутренних дел", "уполномоченный орган", "местный исполнительный орган",
    "Правительство Республики Казахстан", "международный договор", "суд", "решение суда",
    "административного взыскания", "повторно в течение года", "уклонение от выезда",
    '"лица без гражданства"', '"за пределы Республики Казахстан"', '"незаконные иммигранты"',
    '"торговли людьми"', '"разрешение на временное проживание"', '"месячных расчетных показателей"',
    '"административное выдворение"', '"иностранной рабочей силы"', '"органы внутренних дел"',
    '"Государственной границы"', "выдворение OR депортация", "беженец OR убежище", "реадмиссия OR выдворение",
    "квота OR разрешение", "виза AND транзит", "иммигрант AND арест", "штраф -выдворение", "выдворение -штраф",
    "беженец NOT выдворение", "трудовой мигрант -квота", "(выдворение OR депортация) иностранец",
    "(виза OR разрешение) трудовой", "иммиграция эмиграция", "административно-процессуального",
    "внутрикорпоративного перевода", "высококвалифицированной", "ответственность за нарушение",
    "нарушение правил пребывания", "нарушение законодательства в области миграции населения",
)  # fmt: skip


def queries(n: int, rng: random.Random) -> list[SearchQuery]:
    """``n`` realistic queries: the texts above, a third of them with filters, some browsing ones."""
    acts = [f"SYN{a:07d}" for a in range(8)]
    out: list[SearchQuery] = []
    texts = list(QUERY_TEXTS)
    for i in range(n):
        q = texts[i % len(texts)]
        kind = i % 9
        if kind == 3:
            out.append(SearchQuery(q=q, tag=[rng.choice(TAGS)]))
        elif kind == 5:
            out.append(SearchQuery(q=q, at=date(rng.randint(2012, 2025), rng.randint(1, 12), 1)))
        elif kind == 6:
            out.append(SearchQuery(q=q, act=[rng.choice(acts)], sort="date"))
        elif kind == 7:
            out.append(SearchQuery(q=q, amended_from=date(2018, 1, 1), amended_to=date(2020, 12, 31), page=2))
        elif kind == 8 and i % 2:
            out.append(SearchQuery(q="", tag=[rng.choice(TAGS)], right=[rng.choice(RIGHTS)]))  # browse
        else:
            out.append(SearchQuery(q=q))
    return out


# --- the synthetic corpus ---------------------------------------------------------------------------


def real_tokens() -> list[tuple[str, str]]:
    """(surface, lemma) of every word of the bundled corpus, in text order."""
    words: list[tuple[str, str]] = []
    for entry in MANIFEST:
        text = read_bundled_text(entry)
        if entry.file.endswith(".html.gz"):
            text = re.sub(r"<[^>]+>", " ", text)
        words.extend((t.text, t.lemma) for t in analyze(text))
    return words


def synthetic_docs(n: int, tokens: list[tuple[str, str]], seed: int = 7) -> Iterator[IndexDoc]:
    """``n`` SYNTHETIC provision versions: windows of real text, made-up acts/headings/dates/tags.

    Articles of five parts, with a heading (a window of real words) and a chapter heading, as real
    articles have. An article is amended as a whole, as in the real corpus, where the parts of an
    article share their redaction dates (1,574 articles gave 1,580 article versions) and their
    amendment dates (the indexer dates a part by its article's amendments too), and mostly their
    topics: there a current part carries 2.9 facet values (act, tags, rights, amendment years) and a
    current article 2.5. So here an article has a current redaction date and, two times in five, an
    older redaction whose parts changed half of the time (about one provision in five has an older,
    historical version, and at= filters have work to do); its amendment dates are its parts'; each
    part has the article's tags and rights, or some of them, and now and then one of its own.
    """
    rng = random.Random(seed)
    acts = [f"SYN{a:07d}" for a in range(max(8, n // 5000))]

    def window(lo: int, hi: int) -> tuple[str, str]:
        length = rng.randint(lo, hi)
        start = rng.randrange(0, len(tokens) - length)
        words = tokens[start : start + length]
        return " ".join(w for w, _ in words), " ".join(lem for _, lem in words)

    made = 0
    position = 0
    article = 0
    while made < n:
        article += 1
        act = acts[(made * len(acts)) // n]
        heading = window(4, 10)[0]
        chapter = f"Глава {article // 20}. {window(3, 8)[0].upper()}"
        current = date(2011, 1, 1) + timedelta(days=rng.randrange(5000))
        older = current - timedelta(days=rng.randrange(200, 2000)) if rng.random() < 0.4 else None
        article_tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2)))
        article_rights = rng.sample(RIGHTS, rng.choice((0, 0, 1)))
        amended = sorted({date(2011, 1, 1) + timedelta(days=rng.randrange(5500)) for _ in range(rng.randint(0, 2))})
        for para in range(1, 6):
            if made >= n:
                break
            position += 1
            text, lemmas = window(30, 120)
            tags = [t for t in article_tags if rng.random() < 0.8]
            if rng.random() < 0.15:
                tags.append(rng.choice([t for t in TAGS if t not in tags]))
            rights = [r for r in article_rights if rng.random() < 0.7]
            versions: list[tuple[date, date | None]] = [(older or current, None)]
            if older is not None and rng.random() < 0.5 and made + 1 < n:
                versions = [(older, current), (current, None)]  # this part changed in the newer redaction
            eid = f"art_{article}__para_{para}"
            for vf, vt in versions:
                yield IndexDoc(
                    id=f"{act}/{eid}@{vf.isoformat()}",
                    act_id=act,
                    act_title=f"Синтетический акт {act}",
                    act_kind="закон" if int(act[3:]) % 3 else "кодекс",
                    eid=eid,
                    kind="part",
                    article=article_of(eid),
                    chapter=f"chp_{article // 20}",
                    heading=heading,
                    ancestors=[chapter, f"Статья {article}. {heading}"],
                    text=text,
                    lemmas=lemmas,
                    valid_from=vf,
                    valid_to=vt,
                    status="historical" if vt else "in_force",
                    tags=tags,
                    rights=rights,
                    amendment_years=sorted({d.year for d in amended}),
                    amendment_dates=amended,
                    position=position,
                )
                made += 1


# --- measuring --------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(
    backend: SearchBackend, n: int, tokens: list[tuple[str, str]], qs: list[SearchQuery], rounds: int, *, reuse: bool
) -> dict[str, Any]:
    indexed, index_s = n, float("nan")
    if not reuse:
        t0 = time.perf_counter()
        indexed = backend.index(synthetic_docs(n, tokens))
        index_s = time.perf_counter() - t0
    for q in qs:  # warm-up: caches, mmap'd pages, lemma cache for the query words
        backend.search(q)
    latencies: list[float] = []
    totals: list[int] = []
    for _ in range(rounds):
        clear_word_cache()  # each round tokenizes its hits' texts afresh (only texts met again in it are cached)
        for q in qs:
            t = time.perf_counter()
            result = backend.search(q)
            latencies.append((time.perf_counter() - t) * 1000)
            totals.append(result.total)
    return {
        "versions": indexed,
        "index_s": index_s,
        "rate": indexed / index_s,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "mean": statistics.fmean(latencies),
        "median_total": statistics.median(totals),
        "queries": len(latencies),
    }


def es_index_size(url: str, name: str) -> int:
    from elasticsearch import Elasticsearch

    with Elasticsearch(url, request_timeout=60) as es:
        stats = es.indices.stats(index=name, metric="store").body
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


def drop_es(url: str, name: str) -> None:
    from elasticsearch import Elasticsearch

    with Elasticsearch(url, request_timeout=60) as es:
        if es.indices.exists_alias(name=name):
            for index in es.indices.get_alias(name=name).body:
                es.indices.delete(index=index)
        es.options(ignore_status=404).indices.delete_index_template(name=name)


def _es_unavailable() -> str | None:
    from search_api.elastic import why_unreachable

    return why_unreachable(os.environ.get("ES_URL"))


def _holds(backend: SearchBackend, n: int) -> bool:
    try:
        return backend.count() == n
    except BackendError:
        return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=50_000, help="synthetic provision versions (default 50000)")
    ap.add_argument("--backends", default="embedded,elasticsearch")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    ap.add_argument(
        "--index-dir",
        type=Path,
        default=None,
        help="keep the embedded index here and reuse it when it already holds --scale versions",
    )
    args = ap.parse_args()

    t = time.perf_counter()
    tokens = real_tokens()
    print(f"vocabulary: {len(tokens):,} real tokens, {len({fold(w) for w, _ in tokens}):,} distinct forms, "
          f"{len({lem for _, lem in tokens}):,} lemmas from {len(MANIFEST)} bundled acts "
          f"({time.perf_counter() - t:.1f} s)")  # fmt: skip
    qs = queries(args.queries, random.Random(11))
    print(f"synthetic corpus: {args.scale:,} versions; {len(qs)} queries × {args.rounds} rounds\n")

    for name in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if name == "elasticsearch" and (why := _es_unavailable()) is not None:
            print(f"elasticsearch: skipped ({why})\n")
            continue
        keep = name == "embedded" and args.index_dir is not None
        index_dir = args.index_dir if keep else Path(tempfile.mkdtemp(prefix="search-bench-")) / "index"
        es_name = f"bench-migralex-{uuid.uuid4().hex[:8]}"
        backend = make_backend(name, index_dir=index_dir, es_url=os.environ.get("ES_URL"), index_name=es_name)
        reuse = keep and _holds(backend, args.scale)
        try:
            r = run(backend, args.scale, tokens, qs, args.rounds, reuse=reuse)
            size = dir_size(index_dir) if name == "embedded" else es_index_size(os.environ["ES_URL"], es_name)
        finally:
            backend.close()
            if name == "elasticsearch":
                drop_es(os.environ["ES_URL"], es_name)
            if not keep:
                shutil.rmtree(index_dir.parent, ignore_errors=True)
        print(f"{name}:")
        if reuse:
            print(f"  indexing      reused the index in {index_dir} ({r['versions']:,} versions)")
        else:
            print(f"  indexing      {r['versions']:,} versions in {r['index_s']:.1f} s = {r['rate']:,.0f} versions/s")
        print(f"  index size    {size / 2**20:,.1f} MiB ({size / max(r['versions'], 1):,.0f} B/version)")
        print(f"  latency (ms)  p50 {r['p50']:.2f}  p95 {r['p95']:.2f}  p99 {r['p99']:.2f}  mean {r['mean']:.2f}"
              f"  over {r['queries']} searches (median total hits {r['median_total']:,.0f})")  # fmt: skip
        print(f"  peak RSS      {peak_rss_mb():,.0f} MiB (this process, cumulative)\n")


if __name__ == "__main__":
    main()
