"""The gold splits (tests/nlp/gold/, real provisions) and the quality floors on dev.

- ``dev`` (provisions.jsonl for tags and rights, citations_full.jsonl with every citation of 157 texts
  labelled): the rules were written and tuned against it, so its figures say how well the rules fit
  what they have seen, not how they generalise. The floors sit just below the figures measured with
  benchmarks/evaluate_nlp.py, strict and lenient: a rule change that costs precision or recall on
  real law fails here.
- ``blind`` (blind/*.jsonl): a frozen random sample, labelled by hand, never tuned on. Tests check
  only that it is well formed, shares nothing with dev and that the scorer runs on it; its figures
  are printed by the benchmark and asserted nowhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from legal.eid import Eid
from nlp.evaluation import default_splits, evaluate_split, read_gold, with_parents
from nlp.taxonomy import load_rights, load_topics

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "tests" / "nlp" / "gold"
SPLITS = default_splits(GOLD_DIR)
DEV_ACTS = {"K1400000226", "K1400000235", "Z1100000477"}
CITATIONS_FULL = GOLD_DIR / "citations_full.jsonl"


@pytest.fixture(scope="module")
def dev():
    return evaluate_split(SPLITS["dev"])


def test_dev_gold_is_real_sized_and_well_formed() -> None:
    assert SPLITS["dev"].provisions == (GOLD_DIR / "provisions.jsonl", CITATIONS_FULL)
    read_gold(SPLITS["dev"].provisions)  # validates labels, polarity, citations, ids unique across both files
    records = read_gold(GOLD_DIR / "provisions.jsonl")
    assert len(records) >= 150
    assert all(r.labelled for r in records)
    assert sum(1 for r in records if not r.tags) >= 40  # negatives
    for r in records:
        assert r.act_id in DEV_ACTS, r.id
        assert set(r.tags or ()) | set(r.acceptable) <= set(load_topics().tags)
        assert {x.id for x in r.rights + r.rights_acceptable} <= set(load_rights().rights)
        assert r.round in {"dev", "heldout", "heldout2", "heldout3"}, r.id  # labelling rounds, all tuned on since


def test_dev_topic_tags(dev) -> None:
    # measured: lenient P 0.992 R 1.000 F1 0.996; strict P 0.834 R 1.000 F1 0.909 (acceptable labels predicted)
    assert dev.tags.lenient.micro()[2] >= 0.98, dev.tags.lenient.micro()
    assert dev.tags.strict.micro()[2] >= 0.90, dev.tags.strict.micro()


def test_dev_rights(dev) -> None:
    # Relabelled with polarity by the issue-10 standard and docs/labelling.md (a mention is no link;
    # DEV_RELABEL.md). Measured with the rules written against it (rights.json 2026.12.1, so fit, not
    # generalisation): strict P 0.960 R 0.934 F1 0.947, lenient P 0.966 R 0.934 F1 0.950; id + polarity
    # strict P 0.961 R 0.935 F1 0.948. Floors guard against regressions; they are not targets.
    assert dev.rights.lenient.micro()[2] >= 0.92, dev.rights.lenient.micro()
    assert dev.rights.strict.micro()[2] >= 0.92, dev.rights.strict.micro()
    assert dev.rights_polarity.strict.micro()[2] >= 0.92, dev.rights_polarity.strict.micro()


def test_dev_rights_are_labelled_with_polarity_and_where(dev) -> None:
    records = read_gold(GOLD_DIR / "provisions.jsonl")
    assert dev.polarity_records == len(records)  # every dev record is scored by id + polarity
    for r in records:
        for label in r.rights + r.rights_acceptable:
            assert label.polarity and label.eid, (r.id, label)
            assert Eid.parse(r.eid or "").contains(Eid.parse(label.eid)), (r.id, label)


def test_strict_and_lenient_differ_only_by_acceptable_predictions(dev) -> None:
    records = {r.id: r for r in read_gold(SPLITS["dev"].provisions)}
    acceptable = {
        "tags": lambda r: with_parents(r.acceptable) - with_parents(r.tags or ()),
        "rights": lambda r: {x.id for x in r.rights_acceptable},
    }
    for name, both in (("tags", dev.tags), ("rights", dev.rights)):
        assert both.strict.tp == both.lenient.tp and both.strict.fn == both.lenient.fn
        strict_fp = {(rid, lb) for rid, kind, lb in both.strict.errors if kind == "FP"}
        lenient_fp = {(rid, lb) for rid, kind, lb in both.lenient.errors if kind == "FP"}
        assert lenient_fp <= strict_fp
        extra = strict_fp - lenient_fp
        assert extra, name  # the dev gold has acceptable labels that the rules predict
        for rid, label in extra:
            assert label in acceptable[name](records[rid]), (name, rid, label)


def test_dev_recall_only_citations_are_reported_as_such(dev) -> None:
    (ro,) = dev.recall_only
    assert ro.total >= 100 and ro.span_recall >= 0.98 and ro.target_recall >= 0.97


def test_dev_full_citation_set_covers_the_acts_and_the_hard_cases() -> None:
    records = read_gold(CITATIONS_FULL)
    assert len(records) >= 120
    assert all(r.citations is not None and not r.labelled for r in records)  # citations only, every one labelled
    per_act: dict[str, int] = {}
    for r in records:
        per_act[r.act_id or ""] = per_act.get(r.act_id or "", 0) + 1
    assert len(per_act) >= 12 and max(per_act.values()) <= 0.12 * len(records)  # across acts, not mostly one law
    cits = [c for r in records for c in r.citations or ()]
    assert sum(1 for r in records if not r.citations) >= 10  # texts that cite nothing
    assert sum(1 for c in cits if c.act_id is None) >= 25  # references that must stay unresolved
    assert sum(1 for c in cits if c.act_id and c.eid is None) >= 50  # whole acts (own too), acts outside the corpus
    own = [c for r in records for c in r.citations or () if c.act_id == r.act_id and c.eid is None]
    assert len(own) >= 25  # self-references count (docs/labelling.md)
    outside = {"K1400000234", "K1500000377", "K1500000375", "K1700000120", "K1100000518"}
    assert {c.act_id for c in cits} & outside  # acts kept by id though not in the corpus
    recall_only = [json.loads(line) for line in (GOLD_DIR / "citations.jsonl").read_text(encoding="utf-8").splitlines()]
    seen = {" ".join(x["text"].split()).casefold() for x in recall_only}
    assert not any(" ".join(r.text.split()).casefold() in seen for r in records)  # disjoint from the recall-only set


def test_dev_citations(dev) -> None:
    # measured on citations_full.jsonl (157 texts, 529 targets), resolved from the text alone as here:
    # targets P 0.932 R 0.887 F1 0.909; spans P 0.967 R 0.993 F1 0.980 (against a built store, as
    # benchmarks/evaluate_nlp.py --store does: targets P 0.964 R 0.917). Citations have no acceptable labels.
    assert dev.citations.texts >= 120
    p, r, _ = dev.citations.targets.micro()
    assert p >= 0.91 and r >= 0.86, (p, r)
    sp, sr, _ = dev.citations.spans.micro()
    assert sp >= 0.95 and sr >= 0.97, (sp, sr)


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory):
    from corpus.store import Store
    from migralex import build
    from migralex.paths import Paths

    paths = Paths(tmp_path_factory.mktemp("bundled"))
    build.ingest(paths)
    with Store(paths.store) as store:
        yield store


def test_dev_full_citation_gold_matches_the_bundled_corpus(bundled_store) -> None:
    """Each text is the wording in force of its provision, and every target in a corpus act exists in
    that act's wording in force (a resolver is never rewarded for a dangling target); a target in an act
    outside the corpus keeps its eid as cited (docs/labelling.md), which no store can check."""
    acts = {a.id for a in bundled_store.acts()}
    outside = 0
    for r in read_gold(CITATIONS_FULL):
        now = bundled_store.provision_at(r.act_id or "", r.eid or "")
        assert now is not None and now.text == r.text, r.id
        for c in r.citations or ():
            if c.eid is not None and c.act_id in acts:
                assert bundled_store.provision_at(c.act_id or "", c.eid) is not None, (r.id, c)
            elif c.eid is not None:
                outside += 1
    assert outside <= 5  # rare: most references to acts outside the corpus name the act only


# --- blind: well formed, disjoint from dev, the scorer runs; no figure is asserted ------------------


def test_blind_split_parses_and_the_scorer_runs() -> None:
    blind = SPLITS["blind"]
    assert blind.provisions, "tests/nlp/gold/blind/*.jsonl is missing"
    records = read_gold(blind.provisions)
    assert len(records) >= 150
    for r in records:
        assert r.text.strip() and r.eid and r.kind in {"article", "part", "item"}, r.id
        assert r.ancestors is not None, r.id  # sampled records carry their context
    result = evaluate_split(blind)
    assert result.records == len(records)
    assert result.labelled == sum(1 for r in records if r.labelled)
    assert result.citations.texts == sum(1 for r in records if r.citations is not None)


def test_blind_split_is_completely_labelled() -> None:
    """Format only: every record carries all its labels, rights with polarity on its own provision or a
    part of it, and every citation list (``[]`` = cites nothing); a citation with an eid names its act."""
    records = read_gold(SPLITS["blind"].provisions)
    for r in records:
        assert r.labelled and r.polarity_labelled and r.citations is not None, r.id
        own = Eid.parse(r.eid or "")
        for label in r.rights + r.rights_acceptable:
            assert label.polarity and label.eid, (r.id, label)
            assert own.contains(Eid.parse(label.eid)), (r.id, label.eid)
        for c in r.citations:
            assert c.eid is None or c.act_id, (r.id, c)


def test_blind_split_shares_nothing_with_dev() -> None:
    blind = read_gold(SPLITS["blind"].provisions)
    dev = read_gold(SPLITS["dev"].provisions)  # provisions.jsonl and citations_full.jsonl
    dev_texts = {" ".join(r.text.split()).casefold() for r in dev}
    spans = [json.loads(line) for line in (GOLD_DIR / "citations.jsonl").read_text(encoding="utf-8").splitlines()]
    dev_texts |= {" ".join(r["text"].split()).casefold() for r in spans}
    dev_eids = {(r.act_id, Eid.parse(r.eid or "")) for r in dev}
    for r in blind:
        assert " ".join(r.text.split()).casefold() not in dev_texts, r.id
        eid = Eid.parse(r.eid or "")
        for act_id, d in dev_eids:
            assert act_id != r.act_id or not (d.contains(eid) or eid.contains(d)), (r.id, str(d))


def test_blind_sample_matches_its_record_of_how_it_was_drawn() -> None:
    (path,) = SPLITS["blind"].provisions
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    records = read_gold(path)
    assert len(records) == meta["n"]
    drawn: dict[str, int] = {}
    for r in records:
        drawn[r.act_id or ""] = drawn.get(r.act_id or "", 0) + 1
    assert drawn == meta["drawn_per_act"]
    assert max(drawn.values()) <= max(meta["max_share"] * meta["n"], -(-meta["n"] // len(drawn)))
