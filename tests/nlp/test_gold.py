"""Quality floors on the hand-labelled gold set (tests/nlp/gold/provisions.jsonl, real provisions).

The floors sit just below the figures measured with benchmarks/evaluate_nlp.py; a rule change that
costs precision or recall on real law fails here. The "heldout", "heldout2" and "heldout3" splits were
labelled after the rules were written (by reading the texts, before tagging them), scored separately.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from nlp.taxonomy import load_rights, load_topics

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "nlp" / "gold" / "provisions.jsonl"


def _evaluator():
    spec = importlib.util.spec_from_file_location("evaluate_nlp", ROOT / "benchmarks" / "evaluate_nlp.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results():
    return _evaluator().evaluate_splits(GOLD)


@pytest.fixture(scope="module")
def scores(results):
    return results["all"]


def test_gold_set_is_real_sized_and_well_formed() -> None:
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) >= 150
    assert len({r["id"] for r in records}) == len(records)
    assert sum(1 for r in records if not r["tags"]) >= 40  # negatives
    for r in records:
        assert r["text"].strip() and r["id"].split("/")[0] in {"K1400000226", "K1400000235", "Z1100000477"}
        assert set(r["tags"]) | set(r["acceptable"]) <= set(load_topics().tags), r["id"]
        assert set(r["rights"]) | set(r["rights_acceptable"]) <= set(load_rights().rights), r["id"]
        assert not set(r["tags"]) & set(r["acceptable"]), r["id"]
        assert r.get("split") in {"dev", "heldout", "heldout2", "heldout3"}, r["id"]


def test_topic_tags_micro_f1(scores) -> None:
    tags, _ = scores
    p, r, f = tags.micro()
    assert f >= 0.98, f"topic tags P={p:.3f} R={r:.3f} F1={f:.3f}"


def test_rights_micro_f1(scores) -> None:
    _, rights = scores
    p, r, f = rights.micro()
    assert f >= 0.97, f"rights P={p:.3f} R={r:.3f} F1={f:.3f}"


@pytest.mark.parametrize("split", ["dev", "heldout", "heldout2", "heldout3"])
def test_each_split_keeps_its_floor(results, split: str) -> None:
    tags, rights = results[split]
    assert tags.micro()[2] >= 0.95, f"{split} topic tags F1={tags.micro()[2]:.3f}"
    assert rights.micro()[2] >= 0.93, f"{split} rights F1={rights.micro()[2]:.3f}"
