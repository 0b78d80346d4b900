"""The treaty-body decisions data (nlp/data/decisions.json) against its source, treaty_bodies.md.

The test parses the source's Markdown tables itself, so a record whose symbol, date, outcome or URL
drifts from the source, or an unverified outcome turned into a finding, fails here.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from nlp.decisions import (
    DECISIONS_PATH,
    SCHEMA_PATH,
    SOURCE_PATH,
    Decision,
    DecisionsError,
    decisions_for_right,
    json_schema,
    load_decisions,
    parse_decisions,
)
from nlp.taxonomy import load_rights

# --- the source's tables ----------------------------------------------------------------------------


def _table(section: str) -> list[list[str]]:
    text = SOURCE_PATH.read_text(encoding="utf-8").split(section, 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split(" | ") for line in text.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in r] for r in rows[1:]]  # the first is the header


def _plain(cell: str) -> str:
    return cell.replace("**", "").replace("*", "").replace("`", "")


TABLE_A = _table("## A. ")
TABLE_B = _table("## B. ")
SOURCE_ROWS = {f"A{i}": r for i, r in enumerate(TABLE_A, 1)} | {f"B{i}": r for i, r in enumerate(TABLE_B, 1)}

_DATE_RE = re.compile(r"(?<![–-])\b(\d{1,2}) ([A-Z][a-z]+) (\d{4})\b")
_SYMBOL_RE = re.compile(r"\b(?:CAT|CCPR|CED|CEDAW)/C/[A-Z0-9/]*\d")
_URL_RE = re.compile(r"https?://\S+")
_CAVEAT_RE = re.compile(
    r"not verified|summary|secondary|statement|extract|press release|not in the stored|not checked|should be checked"
    r"|to verify",
    re.I,
)


def _date(day: str, month: str, year: str) -> date:
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(f"{day} {month} {year}", fmt).date()
        except ValueError:
            pass
    raise AssertionError(f"unreadable date {day} {month} {year}")


def _articles(cell: str, body: str) -> list[str]:
    """'Convention art. 3 (header); art. 22 interim measures' → ['CAT art. 3', 'CAT art. 22']."""
    text = re.sub(r"\s\([^()]*\)", "", cell)  # glosses " (header)"; keeps 14(3), 5(2)(b)
    instrument = "CAT" if body == "CAT" else "ICCPR"
    out: list[str] = []
    for group in text.split(";"):
        if group.strip().startswith("procedural"):
            continue
        if "Optional Protocol" in group:
            instrument = "ICCPR-OP1"
        out += [f"{instrument} art. {n}" for n in re.findall(r"\b\d+(?:\(\d+\))*(?:\([a-z]\))?", group)]
    return out


@pytest.fixture(scope="module")
def data():
    return load_decisions()


@pytest.fixture(scope="module")
def by_row(data) -> dict[str, Decision]:
    return {d.source_row: d for d in data.decisions}


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DECISIONS_PATH.read_text(encoding="utf-8"))
    return data


# --- the file ---------------------------------------------------------------------------------------


def test_the_bundled_file_loads_and_its_source_is_the_original(data) -> None:
    assert len(data.decisions) == 15
    assert hashlib.md5(SOURCE_PATH.read_bytes()).hexdigest() == data.source.md5
    assert (Path(__file__).resolve().parents[2] / data.source.path) == SOURCE_PATH


def test_schema_file_is_the_models_schema() -> None:
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json_schema(), (
        "regenerate: python -m nlp.decisions --write-schema"
    )


def test_every_right_exists_in_rights_json(data) -> None:
    rights = load_rights()
    for d in data.decisions:
        for e in d.rights:
            assert e.right in rights.rights, d.id
    for row in data.article_rights:
        for r in row.rights:
            assert r.id in rights.rights
            assert r.anchor is None or r.anchor in rights.rights[r.id].instruments


# --- agreement with treaty_bodies.md ----------------------------------------------------------------


def test_one_record_per_source_row(data) -> None:
    assert len(TABLE_A) == 6 and len(TABLE_B) == 9  # as SOURCES.md describes the file
    assert sorted(d.source_row for d in data.decisions) == sorted(SOURCE_ROWS)


@pytest.mark.parametrize("row", [f"A{i}" for i in range(1, len(TABLE_A) + 1)])
def test_communication_rows(by_row, row: str) -> None:
    d, cells = by_row[row], SOURCE_ROWS[row]
    head = re.fullmatch(
        r"(CAT|HRC \(CCPR\)), No\. (\d+/\d{4})(?:, ([A-Z/0-9]+) \(distr\. (\d+ \w+ \d{4})\))?", cells[1]
    )
    assert head, cells[1]
    assert d.kind == "individual_communication"
    assert d.body == ("CAT" if head[1] == "CAT" else "CCPR")
    assert d.communication_number == head[2]
    assert d.symbol == head[3]
    assert d.distributed == (_date(*head[4].split()) if head[4] else None)
    assert d.case_name == _plain(cells[2]) and d.subject == _plain(cells[4])
    assert d.date_text == _plain(cells[3])
    dates = _DATE_RE.findall(cells[3])
    assert d.date == (_date(*dates[0]) if dates else None)
    assert d.date_kind == (("views" if d.body == "CCPR" else "decision") if dates else None)
    session = re.search(r"(\d+)(?:st|nd|rd|th) session", cells[3])
    assert d.session == (int(session[1]) if session else None)
    assert d.year is not None and str(d.year) in cells[3]
    assert [a.label for a in d.articles_invoked] == _articles(cells[5], d.body)
    assert d.outcome == _plain(cells[6])
    assert [u.url for u in d.urls] == _URL_RE.findall(cells[7])


@pytest.mark.parametrize("row", [f"B{i}" for i in range(1, len(TABLE_B) + 1)])
def test_state_report_rows(by_row, row: str) -> None:
    d, (head, when, shows, urls) = by_row[row], SOURCE_ROWS[row]
    assert d.kind == ("list_of_issues" if "list of issues" in head else "concluding_observations")
    body = head.split(",")[0].split()[0]
    assert d.body == ("CCPR" if body == "HRC" else body)
    in_cell = set(_SYMBOL_RE.findall(head))
    mine = {s for s in (d.symbol, d.report_symbol) if s}
    assert mine == in_cell, (mine, in_cell)
    if d.symbol is not None:
        assert d.symbol_confirmed is (f"{d.symbol} by the usual pattern" not in head)
    assert d.date_text == _plain(when)
    adopted = re.search(r"adopted (\d{1,2}) (\w+) (\d{4})", when)
    dates = [_date(*m) for m in _DATE_RE.findall(when)]
    if adopted:
        assert (d.date, d.date_kind) == (_date(*adopted.groups()), "adoption")
        others = [x for x in dates if x != d.date]
        assert d.distributed == (others[0] if others else None)
    else:
        assert d.date == (dates[0] if dates else None) and d.distributed is None
        assert d.date_kind == ("document" if dates else None)
    assert d.outcome == _plain(shows)
    found = _URL_RE.findall(urls)
    if found:
        assert [u.url for u in d.urls] == found
    else:  # "(row 6 URL)": the list of issues linked from communication row 6
        ref = re.fullmatch(r"\(row (\d+) URL\)", urls)
        assert ref, urls
        assert {u.url for u in d.urls} <= set(_URL_RE.findall(SOURCE_ROWS[f"A{ref[1]}"][7]))


def test_unverified_outcomes_stay_unverified(data) -> None:
    for d in data.decisions:
        cell = SOURCE_ROWS[d.source_row][6 if d.source_row.startswith("A") else 2]
        if _CAVEAT_RE.search(cell):
            assert not d.outcome_verified, d.id
            assert d.caution, d.id
        if "not verified" in cell:
            assert d.found_violation is None, d.id
    # the two rows the source marks "not verified here", and the two it reports only from summaries
    for row in ("A2", "A4", "A3", "A6"):
        d = next(x for x in data.decisions if x.source_row == row)
        assert d.found_violation is None and not d.outcome_verified, row


def test_a_violation_is_found_only_where_the_source_states_one(data) -> None:
    for d in data.decisions:
        assert d.found_violation is not False, d.id  # the source never states that none was found
        if d.found_violation:
            assert re.search(r"\bViolation\b|breach", d.outcome), d.id
            assert not d.outcome_verified  # both rest on secondary summaries in the source
        for e in d.rights:
            if e.found_violation:
                assert e.violation_basis and e.violation_basis in d.outcome
    assert sorted(d.id for d in data.decisions if d.found_violation) == ["cat-444-2010", "ccpr-2104-2011"]


def test_article_rights_cover_every_invoked_article(data) -> None:
    table = {(a.instrument, a.article) for a in data.article_rights}
    for d in data.decisions:
        for a in d.articles_invoked:
            assert (a.instrument, a.article) in table, (d.id, a.label)
    assert all(row.why.strip() for row in data.article_rights)


# --- decisions_for_right ----------------------------------------------------------------------------


def test_decisions_for_right_lists_violations_first(data) -> None:
    got = decisions_for_right("non_refoulement")
    assert [d.id for d in got[:2]] == ["ccpr-2104-2011", "cat-444-2010"]  # violations, newest first
    assert {d.id for d in got} == {d.id for d in data.decisions if d.engagement("non_refoulement")}
    flags = [bool(d.engagement("non_refoulement").found_violation) for d in got]  # type: ignore[union-attr]
    assert flags == sorted(flags, reverse=True)
    kinds = [d.kind == "individual_communication" for d in got if not d.found_violation]
    assert kinds == sorted(kinds, reverse=True)  # then the other communications, then the rest


def test_a_violation_of_one_right_does_not_rank_another() -> None:
    # Valetov: a breach of non-refoulement is stated; of its art. 14(3) claim nothing is known
    remedy = decisions_for_right("fair_trial_remedy")
    valetov = next(d for d in remedy if d.id == "ccpr-2104-2011")
    assert valetov.engagement("fair_trial_remedy").found_violation is None  # type: ignore[union-attr]
    assert remedy[0].id == "cat-444-2010"  # breach of the interim-measures orders (CAT art. 22)
    assert remedy.index(valetov) > 0


def test_every_right_id_is_answered_and_unknown_ones_are_errors() -> None:
    for rid in load_rights().rights:
        assert all(d.engagement(rid) for d in decisions_for_right(rid))
    assert decisions_for_right("liberty") == []
    with pytest.raises(DecisionsError, match="unknown right 'refoulement'"):
        decisions_for_right("refoulement")


# --- the loader refuses bad data --------------------------------------------------------------------


def _mutated(change) -> dict[str, Any]:
    raw = copy.deepcopy(_raw())
    change(raw)
    return raw


def _record(raw: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(r for r in raw["decisions"] if r["id"] == rid)


def _set(rid: str, **fields: Any):
    return lambda raw: _record(raw, rid).update(fields)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set("cat-475-2011", found_violation=True), "found_violation"),
        (_set("cat-554-2013", outcome_verified=True), "not verified"),
        (lambda raw: _record(raw, "cat-475-2011")["rights"][0].update(found_violation=True,
                                                                       violation_basis="breached"), "not the outcome"),
        (lambda raw: _record(raw, "cat-co-3")["rights"].append(
            {"right": "refoulement", "basis": "x", "verified": True}), "unknown right 'refoulement'"),
        (lambda raw: _record(raw, "cat-475-2011")["rights"].clear(), "engage \\['non_refoulement'\\]"),
        (lambda raw: raw["article_rights"][0]["rights"][0].update(anchor="CAT art. 33"), "anchor"),
        (_set("cat-444-2010", date="2012-13-01"), "decisions.0.date"),
        (_set("ccpr-co-1", symbol="ccpr/kaz"), "symbol"),
        (lambda raw: raw["decisions"].append(copy.deepcopy(raw["decisions"][0])), "duplicate decision ids"),
        (_set("cat-444-2010", communication_number=None), "communication number"),
    ],
)  # fmt: skip
def test_the_loader_names_what_is_wrong(change, message: str) -> None:
    with pytest.raises(DecisionsError, match=message):
        parse_decisions(_mutated(change), "decisions.json")


def test_a_missing_or_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DecisionsError, match="no such decisions file"):
        load_decisions(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(DecisionsError, match="not valid JSON"):
        load_decisions(bad)
