"""The ``migralex`` command line, run as a real subprocess (what a user types)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, MIGRATION_LAW


def migralex(*args: str, stdin: str | None = None, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if home is not None:
        env["MIGRALEX_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "migralex.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=900)


def test_help_reads_well() -> None:
    out = migralex("--help")
    assert out.returncode == 0
    for command in ("build", "serve", "search", "parse", "tag", "annotate", "index", "crawl", "up"):
        assert command in out.stdout


def test_parse_saved_page() -> None:
    out = migralex("parse", str(MIGRATION_LAW))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["act"]["id"] == "Z1100000477"
    articles = [p for p in data["provisions"] if p["kind"] == "article"]
    assert len(articles) == 80
    assert set(data["provisions"][0]) == {"eid", "kind", "number", "heading", "text", "parent"}
    amendment = data["amendments"][0]
    assert {"eid", "verb", "amending_act", "effective", "source"} <= set(amendment)
    assert {"number", "date", "id"} <= set(amendment["amending_act"])


def test_parse_raw_page_with_act_id() -> None:
    out = migralex("parse", str(FIXTURES / "Z1500000410_rus_raw.html"), "--act-id", "Z1500000410")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["act"]["id"] == "Z1500000410"


@pytest.mark.parametrize(
    ("content", "name"),
    [("<html><body><p>Сайт на техническом обслуживании</p></body></html>", "Z1100000477.html"), ("", "empty.txt")],
)
def test_parse_bad_input_is_a_clear_error(tmp_path: Path, content: str, name: str) -> None:
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    out = migralex("parse", str(bad))
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and "Error" in out.stderr
    assert str(bad.name) in out.stderr or "act" in out.stderr


def test_tag_plain_text() -> None:
    text = ("Иностранцы или лица без гражданства, нарушившие законодательство Республики Казахстан, "
            "подлежат выдворению за пределы Республики Казахстан.")
    out = migralex("tag", stdin=text)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"id", "tags", "rights", "citations"} <= set(data)
    assert "expulsion" in {t["id"] for t in data["tags"]}
    tag = next(t for t in data["tags"] if t["id"] == "expulsion")
    assert tag["evidence"] and {"start", "end", "text"} <= set(tag["evidence"][0])
    assert text[tag["evidence"][0]["start"]:tag["evidence"][0]["end"]] == tag["evidence"][0]["text"]
    assert "expulsion_safeguards" in {r["id"] for r in data["rights"]}


def test_tag_jsonl_keeps_order_and_resolves_relative_citations() -> None:
    records = [
        {"id": "Z1100000477/art_48", "act_id": "Z1100000477", "text": "в соответствии с пунктом 2 настоящей статьи"},
        {"id": "K1400000235/art_517", "act_id": "K1400000235", "text": "Торговля в неустановленных местах."},
    ]
    out = migralex("tag", "--jsonl", stdin="\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["id"] for x in lines] == [r["id"] for r in records]
    assert lines[0]["citations"][0]["act_id"] == "Z1100000477"
    assert lines[0]["citations"][0]["eid"] == "art_48__para_2"
    assert lines[1]["tags"] == []


def test_tag_jsonl_bad_line_is_named() -> None:
    out = migralex("tag", "--jsonl", stdin='{"id": "a", "text": "x"}\nnot json\n')
    assert out.returncode != 0 and "line 2" in out.stderr and "Traceback" not in out.stderr


def test_search_without_a_built_index_says_what_to_do(tmp_path: Path) -> None:
    out = migralex("search", "выдворение", home=tmp_path)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "migralex build" in out.stderr


@pytest.mark.slow
def test_build_then_search_offline(tmp_path: Path) -> None:
    """The main job: the whole bundled corpus, offline, then a search from the command line."""
    out = migralex("build", home=tmp_path)
    assert out.returncode == 0, out.stderr
    res = migralex("search", "выдворение", "--act", "K1400000235", "--json", home=tmp_path)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["total"] > 0 and all(h["act_id"] == "K1400000235" for h in data["hits"])
    again = migralex("build", home=tmp_path)  # idempotent: nothing new
    assert again.returncode == 0 and "+0 provisions" in again.stderr
    table = migralex("search", "незаконная миграция", home=tmp_path)
    assert table.returncode == 0 and "K1400000226" in table.stdout


def test_history_lists_amendments_in_date_order(built_home: Path) -> None:
    out = migralex("history", "Z1100000477", "art_48", home=built_home)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(" version " in x and "Z1100000477/art_48@" in x for x in lines)
    # each line starts with its date, marked when it is only the earliest possible in-force date ("≥")
    dates = [x[1:11] for x in lines if x[1:5].isdigit()]
    assert dates == sorted(dates) and len(dates) >= 5
    # Закон от 16.05.2024 № 82-VIII: adopted on 16.05.2024, in force ten days after its publication
    (line,) = [x for x in lines if "82-VIII" in x]
    assert line.startswith("≥2024-05-27") and "adopted 2024-05-16, in force not before 2024-05-27" in line
    missing = migralex("history", "Z1100000477", "art_999", home=built_home)
    assert missing.returncode != 0 and "art_999" in missing.stderr and "Traceback" not in missing.stderr


@pytest.fixture(scope="module")
def migration_law_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with every bundled wording of the migration law (2012, 2019, 2022, the current page; rus, kaz)."""
    from corpus.store import Store
    from ingest.bundled import MANIFEST, parse_bundled

    home = tmp_path_factory.mktemp("migration-law")
    with Store(home / "corpus.sqlite") as store:
        store.save_documents(parse_bundled(next(e for e in MANIFEST if e.act_id == "Z1100000477")))
    return home


def test_diff_prints_the_word_diff_and_the_typed_changes(migration_law_home: Path) -> None:
    built_home = migration_law_home
    out = migralex("diff", "Z1100000477", "art_48", "--from", "2013-01-01", "--to", "2026-12-01", home=built_home)
    assert out.returncode == 0, out.stderr
    assert "[-вынесения-]{+исполнения+}" in out.stdout  # the word diff of the article's own text
    assert "term_replaced    art_48: «вынесения» → «исполнения»" in out.stdout
    assert "item_renumbered  art_48__point_7 → art_48__point_10" in out.stdout
    assert "item_added       art_48__point_14" in out.stdout
    as_json = json.loads(migralex("diff", "Z1100000477", "art_48", "--from", "2013-01-01", "--to", "2026-12-01",
                                  "--json", home=built_home).stdout)
    assert {"ops", "changes", "parts", "from_state", "to_state"} <= set(as_json)
    bad = migralex("diff", "Z1100000477", "art_48", "--from", "2013-13-01", "--to", "2026-12-01", home=built_home)
    assert bad.returncode != 0 and "--from" in bad.stderr and "Traceback" not in bad.stderr


def test_serve_with_two_workers_answers(built_home: Path) -> None:
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "MIGRALEX_HOME": str(built_home)}
    proc = subprocess.Popen([sys.executable, "-m", "migralex.cli", "serve", "--port", str(port), "--workers", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/search", params={"q": "кандасы"}, timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert resp.status_code == 200 and resp.json()["total"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_without_a_corpus_says_what_to_do(tmp_path: Path) -> None:
    out = migralex("serve", "--port", "1", home=tmp_path)
    assert out.returncode != 0 and "migralex build" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("виза", "--tag", "nope"), "tag: unknown value nope; see /taxonomy"),
        (("виза", "--status", "valid"), "status: unknown value valid; one of in_force"),
        (("виза", "--act", "Z0000000000"), "act: unknown value Z0000000000; see /acts"),
        (("виза", "--kind", ""), "kind: empty value"),
        (("виза", "--chapter", "chp_999"), "chapter: unknown chapter chp_999"),
        (("виза", "--amended-from", "2020-01-01", "--amended-to", "2019-01-01"),
         "amended_from: 2020-01-01 is after amended_to 2019-01-01"),
        (("виза", "--page", "101", "--size", "100"), "page: page 101 of size 100 goes past the first 10000 hits"),
        (("(" * 40 + "виза" + ")" * 40,), "q: query nested too deeply"),
        (("виза", "--tga", "x"), "No such option '--tga'"),
    ],
)
def test_search_applies_the_api_checks(built_home: Path, args: tuple[str, ...], message: str) -> None:
    """The CLI refuses what the API answers 400 to, with the API's message (issue 11)."""
    out = migralex("search", *args, home=built_home)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert message in out.stderr, out.stderr


def test_search_takes_minus_term_as_the_query_language_not_an_option(built_home: Path) -> None:
    both = migralex("search", "иностранец", "--json", home=built_home)
    without = migralex("search", "иностранец", "-выдворение", "--json", home=built_home)
    quoted = migralex("search", "иностранец -выдворение", "--json", home=built_home)
    first = migralex("search", "-выдворение", "иностранец", "--json", home=built_home)
    for out in (both, without, quoted, first):
        assert out.returncode == 0, out.stderr
    total = json.loads(both.stdout)["total"]
    assert 0 < json.loads(without.stdout)["total"] < total
    assert json.loads(without.stdout) == json.loads(quoted.stdout) == json.loads(first.stdout)
    alone = migralex("search", "-выдворение", home=built_home)  # a query, refused by the query language
    assert alone.returncode != 0 and "only a negation" in alone.stderr and "No such option" not in alone.stderr


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('{"type":"act","id":"Z1100000477","title":"x","languages":5}', "line 2: act record: field languages"),
        ('{"type":"amendment","act_id":"Z1100000477","eid":"art_1","verb":"amended","amending_act":"x"}',
         "line 2: amendment record: field amending_act"),
        ('{"type":"act","id":"X","info":' + '{"a":' * 5000 + "1" + "}" * 5000 + "}", "line 2: "),
        ("[" * 100_000 + "]" * 100_000, "line 2: JSON nested too deeply"),
    ],
)
def test_import_of_a_bad_record_is_refused_whole_from_the_command_line(
    built_home: Path, tmp_path: Path, line: str, says: str
) -> None:
    """Issue 11 item 3 from the user's side: exit non-zero, the line and field named, no traceback, and
    the store as it was."""
    import shutil

    from corpus.store import Store

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(built_home / "corpus.sqlite", home / "corpus.sqlite")
    with Store(home / "corpus.sqlite", readonly=True) as store:
        before = (store.count_versions(), sorted(store.act_ids()))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type":"meta","format":"migralex-store","schema_version":1}\n' + line + "\n", encoding="utf-8")
    out = migralex("import", str(bad), home=home)
    assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert says in out.stderr, out.stderr[-2000:]
    with Store(home / "corpus.sqlite", readonly=True) as store:
        assert (store.count_versions(), sorted(store.act_ids())) == before
