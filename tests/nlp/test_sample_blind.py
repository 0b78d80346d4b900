"""benchmarks/sample_blind.py: a stratified random sample of real provisions, unlabelled, tagger-free."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from corpus.models import Provision
from corpus.store import Store

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "sample_blind.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_blind", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


sb = _load()


# --- allocation -------------------------------------------------------------------------------------


def test_equal_shares_with_the_remainder_to_the_larger_acts() -> None:
    take = sb.allocate(dict.fromkeys("abcdef", 1000), 100, 0.2)
    assert take == {"a": 17, "b": 17, "c": 17, "d": 17, "e": 16, "f": 16}


def test_a_small_act_gives_all_it_has_and_the_rest_is_passed_on() -> None:
    take = sb.allocate({"a": 5, **dict.fromkeys("bcdefg", 1000)}, 100, 0.2)
    assert take == {"a": 5, "b": 16, "c": 16, "d": 16, "e": 16, "f": 16, "g": 15}
    assert max(take.values()) <= 20


def test_too_few_acts_for_the_cap_get_equal_shares() -> None:
    assert sb.allocate({"K1": 4000, "K2": 2000, "Z": 235}, 200, 0.2) == {"K1": 67, "K2": 67, "Z": 66}


def test_a_sample_the_acts_cannot_fill_is_an_error() -> None:
    with pytest.raises(sb.SampleError, match="only 85 provisions can be drawn from 5 acts with at most 20"):
        sb.allocate({"a": 5, **dict.fromkeys("bcde", 1000)}, 100, 0.2)
    with pytest.raises(sb.SampleError, match="no eligible provisions"):
        sb.allocate({"a": 0}, 10, 0.2)


def _synthetic(act: str, n: int) -> list[Provision]:
    return [Provision(act, f"art_{i}", "article", text=f"синтетический текст статьи номер {i} " * 2) for i in range(n)]


def test_sample_is_stratified_reproducible_and_without_repeats() -> None:
    by_act = {"A": _synthetic("A", 900), "B": _synthetic("B", 300), "C": _synthetic("C", 12),
              "D": _synthetic("D", 500), "E": _synthetic("E", 80), "F": _synthetic("F", 60)}  # fmt: skip
    one = sb.sample(by_act, 120, seed=7, max_share=0.2)
    assert len(one) == 120 and len({p.id for p in one}) == 120
    per_act = {a: sum(1 for p in one if p.act_id == a) for a in by_act}
    assert per_act["C"] == 12 and max(per_act.values()) <= 24
    assert [p.id for p in sb.sample(by_act, 120, seed=7, max_share=0.2)] == [p.id for p in one]
    assert [p.id for p in sb.sample(by_act, 120, seed=8, max_share=0.2)] != [p.id for p in one]
    assert [p.act_id for p in one[:12]] != sorted(p.act_id for p in one[:12])  # shuffled across acts


# --- on a real store --------------------------------------------------------------------------------


def test_draws_current_real_provisions_outside_the_gold(built_home: Path, tmp_path: Path) -> None:
    store_path = built_home / "corpus.sqlite"
    out = tmp_path / "blind" / "sample.jsonl"
    assert sb.main(["--seed", "3", "--n", "40", "--store", str(store_path), "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 40
    exclusions = sb.read_exclusions(sb.DEFAULT_EXCLUDE)
    with Store(store_path) as store:
        for r in records:
            assert set(r) == {"id", "act_id", "eid", "kind", "heading", "ancestors", "text", "valid_from"}
            assert "tags" not in r and r["id"] == f"{r['act_id']}/{r['eid']}"
            assert r["kind"] in {"article", "part", "item"} and len(r["text"].strip()) >= 40
            assert not r["text"].lower().lstrip().startswith(("исключен", "утратил"))
            versions = store.provision_versions(r["act_id"], r["eid"])
            current = [v for v in versions if v.valid_to is None]
            assert (
                current
                and current[-1].text == r["text"]
                and current[-1].valid_from == date.fromisoformat(r["valid_from"])
            )
            assert current[-1] not in exclusions
    meta = json.loads(out.with_suffix(".meta.json").read_text(encoding="utf-8"))
    assert (meta["seed"], meta["n"], meta["drawn_per_act"]) == (3, 40, {"Z1100000477": 40})
    # the gold's own provisions were left out (the dev gold holds many parts of this law)
    with Store(store_path) as store:
        everything = sb.eligible(store, 40, sb.Exclusions({}, frozenset()))
    assert len(everything["Z1100000477"]) > meta["eligible_per_act"]["Z1100000477"]


def test_a_drawn_sample_is_frozen(built_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sample.jsonl"
    args = ["--seed", "3", "--n", "5", "--store", str(built_home / "corpus.sqlite"), "--out", str(out)]
    assert sb.main(args) == 0
    before = out.read_bytes()
    assert sb.main(args) == 1
    assert "exists; a blind sample is frozen" in capsys.readouterr().err
    assert out.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n", "0"], "--n must be at least 1"),
        (["--max-share", "1.5"], "--max-share must be in"),
        (["--store", "/nonexistent/corpus.sqlite"], "no such store file"),
        (["--n", "100000"], "only"),
    ],
)
def test_bad_arguments_are_named(
    built_home: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"--seed": "1", "--n": "5", "--store": str(built_home / "corpus.sqlite")}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    assert sb.main([x for kv in base.items() for x in kv]) == 1
    assert message in capsys.readouterr().err


def test_the_tagger_is_never_loaded(built_home: Path) -> None:
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['sample_blind', '--seed', '1', '--n', '5', '--store', {str(built_home / 'corpus.sqlite')!r}]\n"
        "try:\n"
        f"    runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "loaded = sorted(m for m in sys.modules if m == 'nlp' or m.startswith('nlp.'))\n"
        "print(loaded, file=sys.stderr)\n"
        "assert not loaded, loaded\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 5
