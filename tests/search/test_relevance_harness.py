"""benchmarks/relevance.py end to end on a real built home (the migration law through every layer):
it measures MigraLex through the search API and the baseline in one run, and keeps test-half misses
out of sight unless asked for explicitly."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relevance_bench_e2e", ROOT / "benchmarks" / "relevance.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


rel = _load()


def _rec(qid: str, query: str, act: str, article: str) -> str:
    return json.dumps({"id": qid, "query": query, "kind": "topical", "note": "synthetic harness case",
                       "relevant": [{"act_id": act, "article": article, "grade": 3}]}, ensure_ascii=False)


@pytest.fixture
def queries(tmp_path: Path) -> Path:
    """Two dev queries (one found, one about an act not in the store) and one test query that misses."""
    qdir = tmp_path / "queries"
    qdir.mkdir()
    (qdir / "dev.jsonl").write_text(
        _rec("q001", "выдворение незаконных иммигрантов", "Z1100000477", "art_60") + "\n"
        + _rec("q002", "торговля людьми", "K1400000226", "art_128") + "\n", encoding="utf-8")
    (qdir / "test.jsonl").write_text(
        _rec("q003", "карта Ата жолы", "K950001000_", "art_16") + "\n", encoding="utf-8")
    return qdir


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = rel.main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_measures_migralex_and_the_baseline_in_one_run(
    built_home: Path, queries: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ES_URL", raising=False)
    figures_path = tmp_path / "figures.json"
    code, out = run(capsys, "--home", str(built_home), "--queries", str(queries), "--json", str(figures_path))
    assert code == 0, out
    assert "Elasticsearch: skipped (ES_URL is not set" in out
    assert "== dev half: 2 queries (1 with a judged article in the store)" in out
    figures = json.loads(figures_path.read_text(encoding="utf-8"))
    for system in ("MigraLex embedded", "baseline BM25+Snowball"):
        dev = figures["dev"]["systems"][system]
        # art. 60 «Выдворение незаконных иммигрантов» is found first; the Criminal Code is not in the store
        assert dev["all"]["success@10"] == 0.5 and dev["all"]["mrr"] == 0.5
        assert dev["answerable"] == {"n": 1, "success@10": 1.0, "mrr": 1.0, "ndcg@10": 1.0}
        assert figures["test"]["systems"][system]["all"]["success@10"] == 0.0
    assert set(figures["dev"]["kinds"]) == {"topical"}


def test_misses_are_shown_for_the_dev_half_only_unless_test_is_asked_explicitly(
    built_home: Path, queries: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ES_URL", raising=False)
    code, out = run(capsys, "--home", str(built_home), "--queries", str(queries), "--show-misses")
    assert code == 0, out
    assert "q002 [topical] торговля людьми" in out
    assert "K1400000226/art_128 (act not in the store)" in out
    assert "q001 [" not in out  # found: not a miss
    assert "q003" not in out and "Ата жолы" not in out  # the test half stays out of sight
    assert "the test half is never tuned on" in out

    code, out = run(capsys, "--home", str(built_home), "--queries", str(queries), "--half", "test", "--show-misses")
    assert code == 0, out
    assert "q003 [topical] карта Ата жолы" in out and "never to tune on them" in out
    assert "q002" not in out and "== dev half" not in out


def test_a_missing_home_or_bad_query_file_is_a_clear_error(
    tmp_path: Path, queries: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "--home", str(tmp_path / "nowhere"), "--queries", str(queries))
    assert code == 2 and "no corpus in" in out and "build" in out and "Traceback" not in out
    (queries / "test.jsonl").write_text('{"id": "q009"}\n', encoding="utf-8")
    code, out = run(capsys, "--home", str(tmp_path), "--queries", str(queries))
    assert code == 2 and "test.jsonl:1:" in out


def test_group_article_is_passed_when_the_search_has_it(built_home: Path) -> None:
    """SearchQuery has ``group``: every query the harness sends carries ``group="article"``, to the
    real backend, and the hits are articles."""
    from search_api import models
    from search_api.backends import make_backend

    assert "group" in models.SearchQuery.model_fields
    assert rel.search_kwargs() == {"group": "article"}

    sent: list[models.SearchQuery] = []
    backend = make_backend("embedded", index_dir=built_home / "index")

    class Recording:  # passes every query on to the real backend and keeps it
        def search(self, q: models.SearchQuery) -> models.SearchResult:
            sent.append(q)
            return backend.search(q)

    ranked = rel.migralex_ranking(Recording(), "выдворение незаконных иммигрантов", 10)
    assert ranked[0] == ("Z1100000477", "art_60")
    assert sent and all(getattr(q, "group", None) == "article" for q in sent)
    backend.close()
