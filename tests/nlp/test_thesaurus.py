"""The legal thesaurus data file (nlp/data/thesaurus.json) and its loader (nlp.thesaurus)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from nlp.thesaurus import (
    THESAURUS_PATH,
    THESAURUS_SCHEMA_PATH,
    ThesaurusError,
    json_schema,
    load_thesaurus,
    parse_thesaurus,
)

ROOT = Path(__file__).resolve().parents[2]


def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(THESAURUS_PATH.read_text(encoding="utf-8"))
    return data


def test_the_published_schema_is_the_models() -> None:
    published = json.loads(THESAURUS_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert published == json_schema(), "run: python -m nlp.thesaurus --write-schema"
    assert _data()["$schema"] == "./thesaurus.schema.json"


def test_the_bundled_thesaurus_loads_and_every_entry_says_why() -> None:
    t = load_thesaurus()
    assert len(t.entries) >= 60
    kinds = {e.kind for e in t.entries}
    assert kinds == {"colloquial", "abbreviation", "act", "historical", "loanword"}
    for e in t.entries:
        assert e.source or e.reason, e.id
        assert all(p.lemmas for p in (*e.terms, *e.also)), e.id


@pytest.mark.parametrize(
    ("entry", "term", "also"),
    [
        ("vysylka", "высылка", "выдворение"),
        ("gastarbaiter", "гастарбайтер", "трудовой иммигрант"),
        ("nelegal", "нелегал", "незаконный иммигрант"),
        ("apatrid", "апатрид", "лицо без гражданства"),
        ("oralman_kandas", "оралман", "кандас"),
        ("vnzh", "ВНЖ", "вид на жительство"),
        ("mrp", "МРП", "месячный расчетный показатель"),
    ],
)
def test_the_issue_s_examples_are_there(entry: str, term: str, also: str) -> None:
    e = next(x for x in load_thesaurus().entries if x.id == entry)
    assert term in [p.text for p in e.terms] and also in [p.text for p in e.also]


def test_abbreviations_and_acts_the_issue_names() -> None:
    terms = {p.text for e in load_thesaurus().entries for p in e.terms}
    for abbreviation in ("ВНЖ", "РВП", "МРП", "УК", "КоАП", "УПК", "АППК", "ТК", "РК", "ООН", "МВД", "КНБ"):
        assert abbreviation in terms


def test_renamings_name_the_act_and_date_that_the_source_quotes() -> None:
    """Each renaming's act (date and number) is the one its source (a footnote) names."""
    renamed = [e for e in load_thesaurus().entries if e.renamed is not None]
    assert {e.id for e in renamed} >= {"oralman_kandas", "inostrannyi_grazhdanin", "nalogovyi_organ"}
    for e in renamed:
        assert e.renamed is not None and e.source is not None
        day = e.renamed.date.strftime("%d.%m.%Y")
        assert day in e.renamed.by and day in e.source, e.id
        number = re.search(r"№ (\S+)$", e.renamed.by)
        assert number is not None and number.group(1) in e.source, e.id
    kandas = next(e for e in renamed if e.id == "oralman_kandas")
    assert kandas.renamed is not None and kandas.renamed.by == "Закон РК от 13.05.2020 № 327-VI"
    assert kandas.mutual and kandas.note() == "renamed by Закон РК от 13.05.2020 № 327-VI"


def test_act_entries_name_acts_of_the_alias_table_or_the_bundled_corpus() -> None:
    known = {a["id"] for a in json.loads((ROOT / "nlp" / "data" / "acts.json").read_text(encoding="utf-8"))["acts"]}
    known |= {"Z910004800_"}  # the citizenship law, bundled (ingest/bundled/SOURCES.md)
    for e in load_thesaurus().entries:
        if e.kind == "act":
            assert e.act in known, e.id


def test_terms_are_lemmatized_like_the_corpus() -> None:
    e = next(x for x in load_thesaurus().entries if x.id == "apatrid")
    assert e.also[0].lemmas == ("лицо", "без", "гражданство")
    vnzh = next(x for x in load_thesaurus().entries if x.id == "vnzh")
    assert vnzh.terms[0].lemmas == ("внж",)


def _file(**entry: Any) -> dict[str, Any]:
    base = {"id": "x", "kind": "colloquial", "terms": ["высылка"], "also": ["выдворение"], "reason": "r"}
    return {"version": "1", "entries": [{**base, **entry}]}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"reason": None}, "needs a source or a reason"),
        ({"kind": "act"}, "needs `act`"),
        ({"act": "K1400000226"}, "only entries of kind 'act'"),
        ({"also": []}, "would change nothing"),
        ({"renamed": {"date": "2020-05-13", "by": "Закон"}}, "belongs to entries of kind 'historical'"),
        ({"terms": [" "]}, "blank term"),
        ({"kind": "slang"}, "kind"),
        ({"id": "Bad Id"}, "id"),
        ({"extra": 1}, "extra"),
    ],
)
def test_a_bad_entry_is_an_error_naming_it(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(ThesaurusError, match=r"^thesaurus.json: entry '(x|Bad Id)' \(entries\.0") as err:
        parse_thesaurus(_file(**entry))
    assert message in str(err.value)


def test_duplicate_ids_and_unreadable_files_are_errors(tmp_path: Path) -> None:
    data = _file()
    data["entries"].append(dict(data["entries"][0]))
    with pytest.raises(ThesaurusError, match="used twice"):
        parse_thesaurus(data)
    bad = tmp_path / "t.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ThesaurusError, match="not JSON"):
        load_thesaurus(bad)
    with pytest.raises(ThesaurusError, match="cannot read"):
        load_thesaurus(tmp_path / "missing.json")


def test_the_thesaurus_is_not_part_of_the_pipeline_version() -> None:
    """Editing it needs no re-annotation: search reads it at query time."""
    from nlp.pipeline import pipeline_files

    names = {p.name for p in pipeline_files()}
    assert not names & {"thesaurus.py", "thesaurus.json", "thesaurus.schema.json"}
    assert "topics.json" in names
