"""The relevance query files: every record validates, the halves are the seeded split, and every judged
article exists in its act's real text (the bundled files, and the texts in ``shared/`` when present)."""

from __future__ import annotations

import gzip
import html
import importlib.util
import json
import os
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUERY_DIR = ROOT / "benchmarks" / "relevance"
BUNDLED = ROOT / "ingest" / "bundled"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


rel = _load("relevance_bench_q", ROOT / "benchmarks" / "relevance.py")
split = _load("relevance_split", QUERY_DIR / "split.py")
HALVES = rel.load_halves()
RECORDS = [r for half in HALVES.values() for r in half]


# --- the records ------------------------------------------------------------------------------------


def test_every_record_validates_and_the_halves_are_disjoint() -> None:
    assert len(RECORDS) >= 130
    assert len({r.id for r in RECORDS}) == len(RECORDS)
    for kind in rel.KINDS:  # every kind is in both halves
        assert all(any(r.kind == kind for r in half) for half in HALVES.values()), kind
    assert all(r.query.strip() == r.query and r.note for r in RECORDS)


def test_the_files_are_the_seeded_stratified_split() -> None:
    raw = {h: split.read_jsonl(QUERY_DIR / f"{h}.jsonl") for h in ("dev", "test")}
    dev, test = split.split(raw["dev"] + raw["test"])
    assert [r["id"] for r in dev] == [r["id"] for r in raw["dev"]]
    assert [r["id"] for r in test] == [r["id"] for r in raw["test"]]
    counts = {h: Counter(r["kind"] for r in rs) for h, rs in raw.items()}
    for kind in counts["dev"] | counts["test"]:
        assert abs(counts["dev"][kind] - counts["test"][kind]) <= 1, kind
    assert abs(len(raw["dev"]) - len(raw["test"])) <= 1


def test_split_is_deterministic_and_independent_of_input_order() -> None:
    recs = [{"id": f"q{i:03d}", "kind": "topical" if i % 3 else "trap"} for i in range(1, 40)]
    first = split.split(recs)
    assert split.split(list(reversed(recs))) == first
    assert split.split(recs, seed=split.SEED + 1) != first


def _line(**overrides: object) -> str:
    rec: dict[str, object] = {
        "id": "q001", "query": "выдворение", "kind": "topical",
        "relevant": [{"act_id": "Z1100000477", "article": "art_60", "grade": 3}], "note": "ЗМН ст.60",
    }
    rec.update(overrides)
    return json.dumps(rec, ensure_ascii=False)


@pytest.mark.parametrize(
    ("bad", "names"),
    [
        (_line(kind="vague"), "kind"),
        (_line(relevant=[{"act_id": "Z1100000477", "article": "60", "grade": 3}]), "article"),
        (_line(relevant=[{"act_id": "Z1100000477", "article": "art_60", "grade": 4}]), "grade"),
        (_line(relevant=[]), "relevant"),
        (_line(note=""), "note"),
        (_line(extra="x"), "extra"),
        (_line(relevant=[{"act_id": "Z1100000477", "article": "art_60", "grade": 3},
                         {"act_id": "Z1100000477", "article": "art_60", "grade": 1}]), "judged twice"),
        ("{not json", "json"),
    ],
)
def test_a_bad_record_is_an_error_naming_file_line_and_field(tmp_path: Path, bad: str, names: str) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text(_line() + "\n\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(rel.QueryFileError) as err:
        rel.load_queries(path)
    msg = str(err.value).lower()
    assert f"{path}:3:" in str(err.value) and names in msg


def test_duplicate_ids_and_ids_in_both_halves_are_errors(tmp_path: Path) -> None:
    (tmp_path / "dev.jsonl").write_text(_line() + "\n" + _line() + "\n", encoding="utf-8")
    with pytest.raises(rel.QueryFileError, match="duplicate ids"):
        rel.load_queries(tmp_path / "dev.jsonl")
    (tmp_path / "dev.jsonl").write_text(_line() + "\n", encoding="utf-8")
    (tmp_path / "test.jsonl").write_text(_line() + "\n", encoding="utf-8")
    with pytest.raises(rel.QueryFileError, match="both halves"):
        rel.load_halves(tmp_path)


# --- every judged article exists in its act's real text -----------------------------------------------

# Where each act's Russian text is: file-name prefixes in ingest/bundled/ and in shared/{sources,adilet-samples}/.
ACT_FILES: dict[str, tuple[str, ...]] = {
    "EKB104249": ("immigration_law_1992_rus",),
}
# "Статья 48." / "### Статья 48." / "**Статья 48." / " Статья 1" (Constitution) / "Cтатья 12" (Latin C)
HEADING_RE = re.compile(r"^[ \t#*>]*[CС]татья\s+(\d+(?:-\d+)*)\b", re.M)


def shared_dir() -> Path | None:
    """The project's shared texts: $MIGRALEX_SHARED, or a ``shared/`` beside a parent of the repo."""
    env = os.environ.get("MIGRALEX_SHARED")
    if env:
        return Path(env) if (Path(env) / "sources").is_dir() else None
    for parent in ROOT.parents:
        if (parent / "shared" / "sources" / "SOURCES.md").is_file():
            return parent / "shared"
    return None


def act_files(act_id: str) -> list[Path]:
    prefixes = ACT_FILES.get(act_id, (act_id,))
    dirs = [BUNDLED]
    if (shared := shared_dir()) is not None:
        dirs += [shared / "sources", shared / "adilet-samples"]
    return sorted(
        p for d in dirs for p in d.iterdir()
        if p.name.startswith(prefixes) and "_kaz" not in p.name and p.suffix in {".md", ".txt", ".html", ".gz"}
    )


@cache
def article_numbers(act_id: str) -> frozenset[str]:
    """Article numbers with a heading in any of the act's files."""
    numbers: set[str] = set()
    for path in act_files(act_id):
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
        if "<" in text and ("<html" in text[:4096].lower() or "<article" in text):
            text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
        numbers.update(HEADING_RE.findall(text.replace("\xa0", " ")))
    return frozenset(numbers)


JUDGED_ACTS = sorted({j.act_id for r in RECORDS for j in r.relevant})


def test_the_heading_pattern_reads_every_form_of_the_sources() -> None:
    sample = "\n".join([
        "### Статья 16-1. Условия приема", "**Статья 7. Охрана**", " Статья 1", "Cтатья 12. Гражданство",
        "Сноска. Статья 393 исключена", "см. статью 48 настоящего Закона",
    ])
    assert HEADING_RE.findall(sample) == ["16-1", "7", "1", "12"]


def test_the_bundled_acts_are_checked_without_shared() -> None:
    for act in ("Z1100000477", "K1400000226", "K1400000235"):
        assert any(p.parent == BUNDLED for p in act_files(act)), act


@pytest.mark.parametrize("act_id", JUDGED_ACTS)
def test_every_judged_article_exists_in_its_act(act_id: str) -> None:
    if not act_files(act_id):
        pytest.skip(f"no text of {act_id} here: it is not bundled and shared/ is not found (set MIGRALEX_SHARED)")
    numbers = article_numbers(act_id)
    assert len(numbers) >= 20, f"{act_id}: too few article headings read ({len(numbers)}): the pattern is off"
    missing = sorted(
        {f"{r.id}: {j.article}" for r in RECORDS for j in r.relevant
         if j.act_id == act_id and j.article.removeprefix("art_") not in numbers}
    )
    assert not missing, f"{act_id}: judged articles not in its text: {missing}"
