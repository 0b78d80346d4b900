"""The gold scorer (nlp/evaluation.py) on hand-computed cases.

Strict and lenient scores must differ exactly where an acceptable label is predicted; citation
precision must count predictions that the gold text does not list. The records here are
synthetic (written for these tests), not gold.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from nlp.evaluation import (
    CitationLabel,
    CitationScores,
    GoldError,
    GoldProvision,
    Prediction,
    Split,
    StrictLenient,
    evaluate_split,
    parse_gold_record,
    read_gold,
)


def approx(*values: float) -> Any:
    return pytest.approx(values, abs=1e-9)


# --- strict and lenient -----------------------------------------------------------------------------


def test_strict_counts_a_predicted_acceptable_label_as_a_false_positive() -> None:
    s = StrictLenient()
    s.add("r1", {"expulsion", "detention"}, {"expulsion"}, {"detention"})  # acceptable label predicted
    s.add("r2", {"labour_migration"}, set(), set())  # plain false positive
    s.add("r3", set(), {"citizenship"}, {"trafficking"})  # miss; the acceptable one not predicted: no error
    # strict: TP 1, FP 2, FN 1 → P 1/3, R 1/2, F1 0.4; lenient: TP 1, FP 1, FN 1 → 0.5 0.5 0.5
    assert s.strict.totals() == (1, 2, 1) and s.strict.micro() == approx(1 / 3, 1 / 2, 0.4)
    assert s.lenient.totals() == (1, 1, 1) and s.lenient.micro() == approx(0.5, 0.5, 0.5)
    assert s.strict.fp - s.lenient.fp == Counter({"detention": 1})  # the only difference
    assert s.strict.fn == s.lenient.fn and s.strict.tp == s.lenient.tp
    assert s.strict.per_label()["detention"] == approx(0.0, 1.0, 0.0, 0)
    assert "detention" not in s.lenient.per_label()
    assert s.strict.per_label()["citizenship"] == approx(1.0, 0.0, 0.0, 1)


def _gold(**fields: Any) -> GoldProvision:
    rec = {"id": "SYNTH/art_1", "text": "синтетический текст", "tags": [], **fields}
    return parse_gold_record(rec, "synthetic:1")


def _run(records: list[GoldProvision], preds: dict[str, Prediction], tmp_path: Path):
    path = tmp_path / "gold.jsonl"
    lines = []
    for g in records:
        rec: dict[str, Any] = {"id": g.id, "text": g.text}
        if g.labelled:
            rec |= {"tags": g.tags, "acceptable": g.acceptable,
                    "rights": [{"id": r.id, "polarity": r.polarity} if r.polarity else r.id for r in g.rights],
                    "rights_acceptable": [{"id": r.id, "polarity": r.polarity} if r.polarity else r.id
                                          for r in g.rights_acceptable]}  # fmt: skip
        lines.append(json.dumps(rec, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the scorer under test with given predictions (the real annotator runs in the end-to-end test below)
    return evaluate_split(Split("synthetic", (path,)), lambda g: preds[g.id])


def _pred(rights: dict[str, str | None] | None = None, tags: set[str] | None = None) -> Prediction:
    rights = rights or {}
    pairs = frozenset(f"{r}:{p or 'none'}" for r, p in rights.items())
    return Prediction(frozenset(tags or ()), frozenset(rights), pairs, ())


def test_rights_by_id_and_by_polarity(tmp_path: Path) -> None:
    a = parse_gold_record(
        {"id": "S/art_1", "text": "a", "tags": [],
         "rights": [{"id": "liberty", "polarity": "restricts"},
                    {"id": "expulsion_safeguards", "polarity": "guarantees"}],
         "rights_acceptable": [{"id": "fair_trial_remedy", "polarity": "procedure"}]}, "s:1")  # fmt: skip
    b = parse_gold_record(
        {"id": "S/art_2", "text": "b", "tags": [], "rights": [{"id": "liberty", "polarity": "restricts"}]}, "s:2"
    )
    c = parse_gold_record({"id": "S/art_3", "text": "c", "tags": [], "rights": ["nationality"]}, "s:3")
    preds = {
        "S/art_1": _pred(
            {"liberty": "restricts", "expulsion_safeguards": "restricts", "fair_trial_remedy": "procedure"}
        ),
        "S/art_2": _pred({"liberty": None}),  # the linker gave no polarity
        "S/art_3": _pred({"nationality": None}),
    }
    res = _run([a, b, c], preds, tmp_path)
    assert (res.labelled, res.polarity_records) == (3, 2)
    # by id: TP liberty ×2, expulsion_safeguards, nationality; FP fair_trial_remedy (acceptable) in strict only
    assert res.rights.strict.totals() == (4, 1, 0) and res.rights.lenient.totals() == (4, 0, 0)
    # id + polarity, records a and b only: TP liberty:restricts (a); FP expulsion_safeguards:restricts,
    # fair_trial_remedy:procedure (acceptable: strict only), liberty:none (b); FN expulsion_safeguards:guarantees,
    # liberty:restricts (b)
    assert res.rights_polarity.strict.totals() == (1, 3, 2)
    assert res.rights_polarity.strict.micro() == approx(1 / 4, 1 / 3, 2 / 7)
    assert res.rights_polarity.lenient.totals() == (1, 2, 2)
    per = res.polarity_breakdown("strict")
    assert (per.tp["restricts"], per.fp["restricts"], per.fn["restricts"]) == (1, 1, 1)
    assert (per.tp["guarantees"], per.fp["guarantees"], per.fn["guarantees"]) == (0, 0, 1)
    assert (per.fp["procedure"], per.fp["none"]) == (1, 1)
    assert res.polarity_breakdown("lenient").fp["procedure"] == 0


# --- citations --------------------------------------------------------------------------------------


def test_citation_precision_counts_predictions_the_gold_does_not_list() -> None:
    gold = [CitationLabel(10, 20, "A", "art_48"), CitationLabel(30, 40, "B", None), CitationLabel(50, 60, "A", "art_5")]
    predicted = [
        CitationLabel(10, 22, "A", "art_48"),  # overlaps g1, same target: TP
        CitationLabel(30, 40, "C", None),  # g2's span, wrong act: FP, and g2 is missed
        CitationLabel(50, 60, "A", "art_5"),  # TP
        CitationLabel(70, 80, "A", "art_9"),  # not in the gold at all: FP
    ]
    s = CitationScores()
    s.add("t", predicted, gold)
    assert s.targets.totals() == (2, 2, 1)
    assert s.targets.micro() == approx(0.5, 2 / 3, 4 / 7)
    assert s.spans.totals() == (3, 1, 0) and s.spans.micro() == approx(0.75, 1.0, 6 / 7)


def test_targets_sharing_a_span_are_matched_one_to_one() -> None:
    gold = [CitationLabel(0, 20, "K", "art_392"), CitationLabel(0, 20, "K", "art_394")]
    s = CitationScores()
    s.add("t", [CitationLabel(0, 20, "K", "art_392"), CitationLabel(0, 20, "K", "art_392")], gold)
    assert s.targets.totals() == (1, 0, 1)  # the duplicate prediction is one unit
    assert s.spans.totals() == (1, 0, 0)
    s2 = CitationScores()
    s2.add("t", [], [CitationLabel(3, 9, None, None)])  # an unresolved reference not found
    assert s2.targets.totals() == (0, 0, 1)


# --- end to end with the real annotator -------------------------------------------------------------


def test_end_to_end_with_the_annotator(tmp_path: Path) -> None:
    records = [
        {"id": "Z1100000477/art_5__para_1",
         "text": "Иностранцы, нарушившие правила пребывания, подлежат выдворению за пределы Республики Казахстан.",
         "tags": ["expulsion"], "acceptable": ["illegal_stay"],
         "rights": [], "rights_acceptable": ["expulsion_safeguards"]},
        {"id": "Z1100000477/art_5__para_2",
         "text": "в порядке, установленном статьей 48 настоящего Закона, и статьей 394 Уголовного кодекса "
                 "Республики Казахстан",
         "citations": [{"span": "статьей 48 настоящего Закона", "act_id": "Z1100000477", "eid": "art_48"}]},
        {"id": "Z1100000477/art_5__para_3", "text": "Суд рассматривает дело в течение десяти дней.",
         "tags": [], "acceptable": [], "rights": [], "rights_acceptable": [], "citations": []},
        {"id": "Z1100000477/art_5__para_4", "text": "Не размечено."},
    ]  # fmt: skip
    path = tmp_path / "synthetic.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    res = evaluate_split(Split("synthetic", (path,)))
    assert (res.records, res.labelled, res.citations.texts) == (4, 2, 2)
    # the tagger gives illegal_stay (acceptable) and its parent illegal_migration: strict FPs, lenient nothing
    assert res.tags.strict.totals() == (1, 2, 0) and res.tags.lenient.totals() == (1, 0, 0)
    assert res.tags.strict.fp - res.tags.lenient.fp == Counter({"illegal_stay": 1, "illegal_migration": 1})
    assert res.rights.strict.totals() == (0, 1, 0) and res.rights.lenient.totals() == (0, 0, 0)
    # the gold lists one of the two citations: the other one is a false positive
    assert res.citations.targets.totals() == (1, 1, 0)
    assert res.citations.targets.micro()[0] == 0.5


# --- the gold format --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"tags": ["expulsionn"]}, "unknown topic tag 'expulsionn'"),
        ({"tags": ["expulsion"], "acceptable": ["expulsion"]}, "both required and acceptable"),
        ({"rights": ["refoulement"]}, "unknown right 'refoulement'"),
        ({"rights": [{"id": "liberty", "polarity": "limits"}]}, "polarity must be one of"),
        ({"rights": [{"id": "liberty", "polarity": "restricts"}, "privacy"]}, "right without polarity"),
        ({"rights": [{"id": "liberty", "why": "x"}]}, "unknown keys"),
        ({"citations": [{"span": "статья 9", "act_id": None, "eid": None}]}, "not in the text"),
        ({"citations": [{"span": "статьи 5", "act_id": None}]}, "needs 'eid'"),
        ({"citations": [{"span": "статьи 5", "act_id": None, "eid": "art_5"}]}, "an eid needs its act_id"),
        ({"citations": [{"span": "статьи 5", "start": 0, "act_id": None, "eid": None}]}, "start=0"),
    ],
)
def test_bad_gold_records_are_named(record: dict[str, Any], message: str) -> None:
    base = {"id": "S/art_1", "text": "в силу статьи 5 и статьи 5 Закона", "tags": []}
    with pytest.raises(GoldError, match=message):
        parse_gold_record(base | record, "gold.jsonl:7")


def test_an_ambiguous_span_needs_its_start() -> None:
    rec = {"id": "S/art_1", "text": "в силу статьи 5 и статьи 5 Закона"}
    with pytest.raises(GoldError, match="occurs more than once"):
        parse_gold_record(rec | {"citations": [{"span": "статьи 5", "act_id": None, "eid": None}]}, "g:1")
    g = parse_gold_record(rec | {"citations": [{"span": "статьи 5", "start": 18, "act_id": None, "eid": None}]}, "g:1")
    assert g.citations == [CitationLabel(18, 26, None, None)] and not g.labelled


def test_files_and_records(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"id": "S/art_1", "text": "x", "tags": []}\n', encoding="utf-8")
    b.write_text('\n{"id": "S/art_1", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(GoldError, match=r"b.jsonl:2: duplicate id 'S/art_1'"):
        read_gold([a, b])
    b.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"b.jsonl:1: not JSON"):
        read_gold([a, b])
    with pytest.raises(GoldError, match="no such gold file"):
        read_gold(tmp_path / "none.jsonl")
    with pytest.raises(GoldError, match="'rights' given without 'tags'"):
        parse_gold_record({"id": "S/art_1", "text": "x", "rights": ["liberty"]}, "g:1")
    old_style = _gold(tags=["expulsion"], rights=["liberty"], split="heldout2")
    assert old_style.round == "heldout2" and not old_style.polarity_labelled
