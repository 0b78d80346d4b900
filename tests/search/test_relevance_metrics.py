"""The relevance harness's metrics, hit → article mapping and BM25 baseline, against hand-computed values."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relevance_bench", ROOT / "benchmarks" / "relevance.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


rel = _load()

A, B, C, D, E = (("Z1100000477", f"art_{n}") for n in (1, 2, 3, 4, 5))
GRADES = {B: 3, D: 1, E: 2}  # E is judged but never ranked (e.g. an act not in the store)
RANKED = [A, B, C, D]


def test_hits_map_to_articles_in_first_occurrence_order() -> None:
    hits = [
        ("Z1100000477", "art_48__para_2"),
        ("Z1100000477", "art_48"),  # the same article again: dropped
        ("Z1100000477", "chp_5"),  # not inside an article: dropped
        ("K1400000235", "art_48"),  # same number, another act: kept
        ("Z1100000477", "art_1__point_13-5"),
        ("Z1100000477", "art_6-1__point_3"),
    ]
    assert rel.articles_in_rank_order(hits) == [
        ("Z1100000477", "art_48"), ("K1400000235", "art_48"), ("Z1100000477", "art_1"), ("Z1100000477", "art_6-1"),
    ]


def test_success_at_k() -> None:
    assert rel.success_at(RANKED, GRADES) == 1.0
    assert rel.success_at(RANKED, GRADES, k=1) == 0.0  # A is not judged
    assert rel.success_at(RANKED, GRADES, k=2) == 1.0
    assert rel.success_at([A, C], GRADES) == 0.0
    assert rel.success_at([], GRADES) == 0.0
    # an article at rank 11 is not in the top 10
    assert rel.success_at([("X", f"art_{i}") for i in range(10)] + [B], GRADES) == 0.0


def test_reciprocal_rank() -> None:
    assert rel.reciprocal_rank(RANKED, GRADES) == 0.5  # first graded article (B) at rank 2
    assert rel.reciprocal_rank([D, B], GRADES) == 1.0  # any grade counts, not only 3
    assert rel.reciprocal_rank([A, C, D], GRADES) == pytest.approx(1 / 3)
    assert rel.reciprocal_rank(RANKED, GRADES, depth=1) == 0.0
    assert rel.reciprocal_rank([A, C], GRADES) == 0.0


def test_dcg_by_hand() -> None:
    # gains [0, 3, 0, 1]: (2^3 - 1) / log2(3) + (2^1 - 1) / log2(5) = 4.416508 + 0.430677
    assert rel.dcg([0, 3, 0, 1]) == pytest.approx(4.847184833, abs=1e-9)
    assert rel.dcg([3]) == 7.0  # rank 1 is not discounted
    assert rel.dcg([]) == 0.0


def test_ndcg_by_hand() -> None:
    # ideal: grades 3, 2, 1 → 7 + 3 / log2(3) + 1 / log2(4) = 9.392789; actual 4.847185 (above)
    assert rel.ndcg_at(RANKED, GRADES) == pytest.approx(0.516053826, abs=1e-9)
    assert rel.ndcg_at([B, E, D], GRADES) == pytest.approx(1.0)
    assert rel.ndcg_at([A, C], GRADES) == 0.0
    assert rel.ndcg_at(RANKED, {}) == 0.0
    # only the first k count: B at rank 2 within k=1 gives nothing
    assert rel.ndcg_at(RANKED, GRADES, k=1) == 0.0
    # the ideal DCG is cut at k too: one grade-3 article at rank 1 of k=1 is perfect
    assert rel.ndcg_at([B], GRADES, k=1) == pytest.approx(1.0)


def test_scores_average_per_query() -> None:
    s = rel.Scores()
    s.add(RANKED, GRADES, depth=100)
    s.add([A, C], GRADES, depth=100)
    m = s.means()
    assert m["n"] == 2
    assert m["success@10"] == 0.5
    assert m["mrr"] == 0.25
    assert m["ndcg@10"] == pytest.approx(0.516053826 / 2)
    assert math.isnan(rel.Scores().means()["mrr"])


def test_bm25_baseline_by_hand() -> None:
    x, y, z = ("T", "art_1"), ("T", "art_2"), ("T", "art_3")
    bm25 = rel.Bm25Baseline([(x, "Выдворение иностранцев"), (y, "выдворения иностранца иностранца"), (z, "квота")])
    # Snowball folds the case forms: выдворение/выдворения → выдворен, иностранцев/иностранца → иностранц
    assert bm25.terms("Выдворения ИНОСТРАНЦЕВ") == ["выдворен", "иностранц"]
    # N=3, df=2: idf = ln(1 + 1.5/2.5) = 0.470004; avgdl = 2
    # x: dl=2, tf=1 → idf * 2.2 / (1 + 1.2)            = 0.470004
    # y: dl=3, tf=1 → idf * 2.2 / (1 + 1.2 * 1.375)    = 0.390192
    scores = bm25.scores("выдворение")
    assert scores[x] == pytest.approx(0.470004, abs=1e-6)
    assert scores[y] == pytest.approx(0.390192, abs=1e-6)
    assert z not in scores
    # z: N=3, df=1: idf = ln(1 + 2.5/1.5); dl=1 → idf * 2.2 / (1 + 1.2 * 0.625) = 1.233042
    assert bm25.scores("квоты")[z] == pytest.approx(1.233042, abs=1e-6)
    # OR semantics: any stem matches; ranked by score
    assert bm25.search("квота выдворение") == [z, x, y]
    assert bm25.search("реадмиссия") == []
    # quotes and operators are not syntax for the baseline
    assert bm25.search('"выдворение"') == [x, y]
    assert bm25.search("квота выдворение", limit=1) == [z]
