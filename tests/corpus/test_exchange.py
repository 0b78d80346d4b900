"""JSONL export/import of the whole store: byte-for-byte round trips on the real migration law, and
corrupt input refused with the line number and nothing imported."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from corpus import exchange
from corpus.models import Annotation, Citation, RightLink, Span, Tag
from corpus.schema import SCHEMA_VERSION
from corpus.store import Store, StoreError
from tests.corpus import ACT, migration_law, row_counts, synthetic_older_redaction, table_dump


def _export(store: Store) -> tuple[str, int]:
    buf = io.StringIO()
    n = store.export_jsonl(buf)
    return buf.getvalue(), n


@pytest.fixture(scope="module")
def full_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    """A store with two redactions of the real act (one synthetic, see tests.corpus) and annotations."""
    path = tmp_path_factory.mktemp("exchange") / "source.sqlite"
    with Store(path) as store:
        store.save_document(migration_law())
        store.save_document(synthetic_older_redaction(date(2019, 1, 1)))
        anns = []
        for i, v in enumerate(store.versions()):
            if i % 7:
                continue
            cite = "статьи 48 настоящего Закона"
            anns.append(
                Annotation(
                    version_id=v.version_id,
                    lemmas=v.text.lower(),
                    tags=[Tag("expulsion", [Span(0, 5, v.text[:5])], "expulsion.cue", "1", 0.7)],
                    rights=[RightLink("expulsion_safeguards", ["tag:expulsion"], [], "rights.map", 0.55)],
                    citations=[Citation(0, len(cite), cite, ACT, None, "art_48", True)],
                    facts={"term_days": 30, "subjects": ["иммигрант"]},
                    pipeline_version="nlp-1",
                )
            )
        store.save_annotations(anns)
        return _export(store)


def test_export_records_and_header(full_export: tuple[str, int]) -> None:
    text, n = full_export
    lines = text.splitlines()
    assert json.loads(lines[0]) == {"type": "meta", "format": "migralex-store", "schema_version": SCHEMA_VERSION}
    assert len(lines) == n + 1
    kinds = [json.loads(line)["type"] for line in lines[1:]]
    assert kinds[0] == "act" and kinds.count("redaction") == 2
    assert {"provision", "amendment", "annotation"} <= set(kinds)
    assert kinds.index("annotation") > max(i for i, k in enumerate(kinds) if k != "annotation" and k != "amendment")
    prov = next(json.loads(line) for line in lines if '"type":"provision"' in line)
    assert {"act_id", "eid", "valid_from", "valid_to", "since", "text", "ancestors"} <= set(prov)


def test_import_into_empty_store_reproduces_the_export(full_export: tuple[str, int], tmp_path: Path) -> None:
    text, n = full_export
    target = tmp_path / "copy.sqlite"
    with Store(target) as store:
        assert store.import_jsonl(io.StringIO(text)) == n
        again, m = _export(store)
    assert again == text and m == n
    # importing the same export again changes nothing (upserts by ids)
    before = table_dump(target)
    with Store(target) as store:
        assert store.import_jsonl(io.StringIO(text)) == n
    assert table_dump(target) == before


def test_imported_store_keeps_its_timeline_working(tmp_path: Path) -> None:
    """An imported store can take a further redaction and ends where direct ingestion ends."""
    direct, via = tmp_path / "direct.sqlite", tmp_path / "via.sqlite"
    with Store(direct) as store:
        store.save_document(migration_law())
        exported, _ = _export(store)
        store.save_document(synthetic_older_redaction(date(2019, 1, 1)))
        expected, _ = _export(store)
    with Store(via) as store:
        store.import_jsonl(io.StringIO(exported))
        store.save_document(synthetic_older_redaction(date(2019, 1, 1)))
        assert _export(store)[0] == expected


def _corrupt(text: str, lineno: int, replacement: str) -> str:
    lines = text.splitlines(keepends=True)
    lines[lineno - 1] = replacement + "\n"
    return "".join(lines)


CORRUPTIONS = [
    # (case, line to replace, new content, message)
    ("truncated JSON", 40, '{"type":"provision","act_id":"Z1100000477","eid":"art_', "line 40: not JSON"),
    ("not an object", 12, '["provision"]', "line 12: a record must be a JSON object"),
    ("unknown type", 25, '{"type":"statute","id":"X"}', "line 25: unknown record type 'statute'"),
    (
        "missing field",
        30,
        '{"type":"provision","act_id":"Z1100000477","kind":"item","text":"x","lang":"rus","position":1}',
        "line 30: provision record lacks eid",
    ),
    (
        "wrong type",
        31,
        '{"type":"provision","act_id":"Z1100000477","eid":"art_1","kind":"item","text":5,"lang":"rus","position":1}',
        "line 31: provision record: field text: Input should be a valid string",
    ),
    (
        "bad date",
        33,
        '{"type":"provision","act_id":"Z1100000477","eid":"art_1","kind":"item","text":"x","lang":"rus",'
        '"position":1,"valid_from":"27.09.2025"}',
        "line 33: provision record: field valid_from: Input should be a valid date",
    ),
    (
        "provision of an act not imported",
        34,
        '{"type":"provision","act_id":"K1400000226","eid":"art_1","kind":"item","text":"x","lang":"rus","position":1}',
        "line 34: FOREIGN KEY",
    ),
    (
        "annotation of an unknown version",
        50,
        '{"type":"annotation","lang":"rus","version_id":"Z1100000477/art_1@1900-01-01"}',
        "line 50: .*unknown provision version",
    ),
    (
        "unknown vocabulary",
        35,
        '{"type":"amendment","act_id":"Z1100000477","eid":"art_1","verb":"changed"}',
        "line 35: amendment record: field verb: unknown value 'changed'",
    ),
    # what a hostile probe imported with exit 0 before records were validated by their schema (issue 11)
    (
        "languages not a list",
        5,
        '{"type":"act","id":"Z1100000477","title":"x","languages":5}',
        "line 5: act record: field languages: Input should be a valid list",
    ),
    (
        "tag id not a string",
        50,
        '{"type":"annotation","lang":"rus","version_id":"Z1100000477/art_1@2011-07-22","tags":[{"id":1}]}',
        "line 50: annotation record: field tags.0.id: Input should be a valid string",
    ),
    (
        "amending act not an object",
        35,
        '{"type":"amendment","act_id":"Z1100000477","eid":"art_1","verb":"amended","amending_act":"x"}',
        "line 35: amendment record: field amending_act: Input should be",
    ),
    (
        "valid_to before valid_from",
        33,
        '{"type":"provision","act_id":"Z1100000477","eid":"art_1","kind":"item","text":"x","lang":"rus",'
        '"position":1,"valid_from":"2020-01-01","valid_to":"2019-01-01"}',
        "line 33: provision record: field valid_to: 2019-01-01 is not after valid_from 2020-01-01",
    ),
    (
        "not an eid",
        33,
        '{"type":"provision","act_id":"Z1100000477","eid":"статья 1","kind":"item","text":"x","lang":"rus",'
        '"position":1}',
        "line 33: provision record: field eid: not an eid",
    ),
    ("unknown field", 25, '{"type":"act","id":"X","colour":"red"}', "line 25: act record: unknown field colour"),
    ("nested too deeply", 25, "[" * 100_000 + "]" * 100_000, "line 25: JSON nested too deeply"),
    (
        "newer export",
        1,
        json.dumps({"type": "meta", "format": "migralex-store", "schema_version": SCHEMA_VERSION + 1}),
        f"line 1: export of schema version {SCHEMA_VERSION + 1} is newer",
    ),
]


@pytest.mark.parametrize(
    ("lineno", "replacement", "message"), [c[1:] for c in CORRUPTIONS], ids=[c[0] for c in CORRUPTIONS]
)
def test_corrupt_line_imports_nothing(
    full_export: tuple[str, int], tmp_path: Path, lineno: int, replacement: str, message: str
) -> None:
    text, _ = full_export
    bad = _corrupt(text, lineno, replacement)
    path = tmp_path / "target.sqlite"
    with Store(path) as store, pytest.raises(StoreError, match=message):
        store.import_jsonl(io.StringIO(bad))
    assert set(row_counts(path).values()) == {0}


def test_corrupt_import_leaves_an_existing_store_as_it_was(full_export: tuple[str, int], tmp_path: Path) -> None:
    path = tmp_path / "target.sqlite"
    with Store(path) as store:
        store.save_document(migration_law())
    before = table_dump(path)
    text, _ = full_export
    lines = text.splitlines()
    with Store(path) as store, pytest.raises(StoreError, match=f"line {len(lines)}:"):
        store.import_jsonl(io.StringIO(text[: -len(lines[-1]) // 2]))  # last line cut in half
    assert table_dump(path) == before


DECODE_CASES = [
    ('{"type":"act","id":"Z1100000477","adopted":"2011-07-22"}', "act", "Z1100000477"),
    ('{"type":"redaction","act_id":"Z1100000477","lang":"rus","valid_from":null}', "redaction", "Z1100000477"),
    ('{"type":"annotation","lang":"kaz","version_id":"Z1100000477/art_1@2011-07-22"}', "annotation", "kaz"),
]


@pytest.mark.parametrize(("line", "kind", "key"), DECODE_CASES)
def test_decode(line: str, kind: str, key: str) -> None:
    rec = exchange.decode(line, 7)
    assert rec.type == kind
    assert key in (getattr(rec.obj, "id", None), getattr(rec.obj, "act_id", None), rec.lang)


def test_decode_provision_since_and_meta() -> None:
    rec = exchange.decode(
        '{"type":"provision","act_id":"A","eid":"art_1","kind":"article","text":"","lang":"rus","position":0,'
        '"valid_from":"2011-07-22","since":"2025-09-27"}',
        3,
    )
    assert rec.obj.valid_from == date(2011, 7, 22) and rec.since == date(2025, 9, 27)
    with pytest.raises(exchange.ExchangeError, match="line 9: meta record"):
        exchange.decode('{"type":"meta","format":"other"}', 9)
