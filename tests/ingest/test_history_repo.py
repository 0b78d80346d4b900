"""ingest.history_repo on a small real git repository built here from the bundled bank versions.

The repository mimics kazakhstan-law/codes (../shared/sources/SOURCES.md gives each file's origin):
one commit per version, in date order, with the real `git` binary —

1. 27.04.2012: the old layout ``03-laws/20110722-o-migratsii-naseleniia-59947/`` with the split act
   (``rus.md`` + ``rus/ch001.md`` + ``rus/ch008.md``, cut back apart at the bundled file's part lines);
2. 01.01.2019: the same folder, one ``rus.md`` with front matter (the chapter files deleted);
3. 16.11.2020: the refugees law in its old-layout folder ``…-49213`` (rus and kaz, front matter);
4. 14.07.2022: the move to ``03-laws/2011/0722-o-migratsii-naseleniia-59947/`` with ``rus.md``,
   ``kaz.md`` and the bank's ``meta.yaml`` of that commit (bundled beside the 2022 files).
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import ingest
from corpus.store import Store
from ingest.history_repo import (
    ActSpec,
    GitRepo,
    HistoryError,
    ingest_history,
    parse_act_spec,
    read_history,
)
from ingest.markdown import PART_MARKER_RE
from migralex.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="the git program is not installed")

BUNDLED = Path(ingest.__file__).parent / "bundled"
OLD = "03-laws/20110722-o-migratsii-naseleniia-59947"
NEW = "03-laws/2011/0722-o-migratsii-naseleniia-59947"
REFUGEES = "03-laws/20091204-o-bezhentsakh-49213"


def _bundled(name: str) -> str:
    return gzip.decompress((BUNDLED / name).read_bytes()).decode("utf-8")


def _strip_header(text: str) -> str:
    """The file as the repository has it: without the one header comment the copy added."""
    first, _, rest = text.partition("\n")
    return rest if first.startswith("<!--") else text


def _split_parts(text: str) -> dict[str, str]:
    """The bundled multi-part file cut back into the repository's files (path → text)."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\n"):
        if m := PART_MARKER_RE.match(line.strip()):
            current = files.setdefault(m["path"], [])
        elif current is not None:
            current.append(line)
    return {path: "\n".join(lines) for path, lines in files.items()}


def _git(repo: Path, *args: str, when: str = "2026-01-01T00:00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _write(repo: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _commit(repo: Path, message: str, when: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message, when=when)


@pytest.fixture(scope="module")
def bank_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("codes")
    _git(repo, "init", "-q", "-b", "main")
    parts = _split_parts(_bundled("Z1100000477_rus_2012-04-27.md.gz"))
    assert sorted(parts) == [f"{OLD}/rus.md", f"{OLD}/rus/ch001.md", f"{OLD}/rus/ch008.md"]
    _write(repo, parts)
    _commit(repo, "59947 rus 27.04.2012", "2026-01-01T10:00:00")
    shutil.rmtree(repo / OLD / "rus")
    _write(repo, {f"{OLD}/rus.md": _strip_header(_bundled("Z1100000477_rus_2019-01-01.md.gz"))})
    _commit(repo, "59947 rus 01.01.2019", "2026-01-01T11:00:00")
    _write(repo, {
        f"{REFUGEES}/rus.md": _bundled("Z090000216__refugees_rus_2020-11-16.md.gz"),
        f"{REFUGEES}/kaz.md": _bundled("Z090000216__refugees_kaz_2020-11-16.md.gz"),
    })
    _commit(repo, "49213 rus kaz 16.11.2020", "2026-01-01T12:00:00")
    shutil.rmtree(repo / OLD)
    _write(repo, {
        f"{NEW}/rus.md": _strip_header(_bundled("Z1100000477_rus_2022-07-14.md.gz")),
        f"{NEW}/kaz.md": _strip_header(_bundled("Z1100000477_kaz_2022-07-14.md.gz")),
        f"{NEW}/meta.yaml": (BUNDLED / "Z1100000477_rus_2022-07-14.meta.yaml").read_text(encoding="utf-8"),
    })
    _commit(repo, "59947 rus kaz 14.07.2022 (new layout)", "2026-01-01T13:00:00")
    return repo


def test_every_commit_of_an_act_becomes_a_redaction(bank_repo: Path) -> None:
    with GitRepo(bank_repo) as repo:
        hist = read_history(repo, parse_act_spec("Z1100000477"))
    assert hist.commits == 3  # the refugees commit is not the migration law's
    assert hist.redactions("rus") == [date(2012, 4, 27), date(2019, 1, 1), date(2022, 7, 14)]
    assert hist.redactions("kaz") == [date(2022, 7, 14)]
    by = {(d.redaction.lang, d.redaction.valid_from): d for d in hist.documents}
    old = by[("rus", date(2012, 4, 27))]
    assert sum(p.kind == "article" for p in old.provisions) == 63  # the three parts were assembled
    assert old.redaction.url == "https://zan.gov.kz/client/#!/doc/59947/rus/27.04.2012"
    assert sum(p.kind == "article" for p in by[("rus", date(2019, 1, 1))].provisions) == 70
    new = by[("rus", date(2022, 7, 14))]
    assert (new.act.number, new.act.adopted, new.act.title) == ("477-IV", date(2011, 7, 22), "О миграции населения")
    assert [p.eid for p in by[("kaz", date(2022, 7, 14))].provisions] == [p.eid for p in new.provisions]


def test_ingest_history_stores_every_wording(bank_repo: Path, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    with Store(tmp_path / "corpus.sqlite") as store:
        results = ingest_history(
            store, bank_repo, ["Z1100000477", "49213"], progress=lambda s, n, t, c: seen.append((s.act_id, n, t))
        )
        assert [h.spec.act_id for h, _ in results] == ["Z1100000477", "Z090000216_"]
        reds = [(r.lang, r.valid_from) for r in store.redactions("Z1100000477")]
        assert sorted(reds) == [
            ("kaz", date(2022, 7, 14)),
            ("rus", date(2012, 4, 27)), ("rus", date(2019, 1, 1)), ("rus", date(2022, 7, 14)),
        ]
        # art. 48 (grounds for refusing entry) changed between 2012 and 2019 and between 2019 and 2022: three
        # wordings, each ending at the first amendment of art. 48 after its redaction (Закон от 10.12.2013
        # № 153-V, from 21.12.2013 at the earliest; Закон от 27.12.2019 № 292-VI, from 07.01.2020 at the earliest)
        versions = store.history("Z1100000477", "art_48").versions
        assert [v.valid_to for v in versions] == [date(2013, 12, 21), date(2020, 1, 7), None]
        assert len({v.text for v in versions}) == 3
        at_2013 = store.provision_at("Z1100000477", "art_48", date(2013, 1, 1))
        assert at_2013 is not None and at_2013.text == versions[0].text
        kaz = store.provision_at("Z1100000477", "art_48", date(2023, 1, 1), "kaz")
        assert kaz is not None and kaz.lang == "kaz" and kaz.text.startswith("Көшіп келушінің Қазақстан")
        assert sorted((r.lang, r.valid_from) for r in store.redactions("Z090000216_")) == [
            ("kaz", date(2020, 11, 16)), ("rus", date(2020, 11, 16))
        ]
        # a second run changes nothing
        again = ingest_history(store, bank_repo, ["Z1100000477"])
        assert all(s.provisions_added == 0 and not s.redaction_new for s in again[0][1])
    assert seen[-1] == ("Z090000216_", 1, 1)
    assert ("Z1100000477", 3, 3) in seen


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("Z1100000477", ActSpec("Z1100000477", code="59947")),
        ("59947", ActSpec("Z1100000477", code="59947")),
        ("104249", ActSpec("EKB104249", code="104249")),
        ("12345", ActSpec("EKB12345", code="12345")),  # an act the table does not know: the bank's id form
        ("70141=Z1300000070", ActSpec("Z1300000070", code="70141")),
        ("00-constitution=K950001000_", ActSpec("K950001000_", folder="00-constitution")),
        ("K950001000_", ActSpec("K950001000_", folder="00-constitution")),
    ],
)
def test_act_specs(spec: str, expected: ActSpec) -> None:
    assert parse_act_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("K1500000414", "the bank's code of this act is not known"),
        ("59947=", "nothing after '='"),
        ("59947=not-an-id", "is not an act id"),
    ],
)
def test_bad_act_specs(spec: str, message: str) -> None:
    with pytest.raises(HistoryError, match=message):
        parse_act_spec(spec)


def test_not_a_git_repository(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="not a git repository"):
        GitRepo(tmp_path)


def test_unknown_act_folder(bank_repo: Path, tmp_path: Path) -> None:
    message = r"no commit touches a folder of act EKB99999 \(ЭКБ code 99999\)"
    with Store(tmp_path / "corpus.sqlite") as store, pytest.raises(HistoryError, match=message):
        ingest_history(store, bank_repo, ["99999"])


def test_a_commit_whose_file_does_not_parse_is_named(bank_repo: Path, tmp_path: Path) -> None:
    repo = tmp_path / "broken"
    shutil.copytree(bank_repo, repo)
    _write(repo, {f"{NEW}/rus.md": "---\nversion_date: 2023-01-01\n\n### Статья 1. Т\n"})
    _commit(repo, "broken", "2026-01-02T00:00:00")
    sha = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout[:12]
    with Store(tmp_path / "corpus.sqlite") as store:
        with pytest.raises(HistoryError, match=rf"commit {sha} \(2026-01-02\): {NEW}/rus\.md: .*never closed"):
            ingest_history(store, repo, ["Z1100000477"])
        assert store.redactions("Z1100000477") == []  # nothing of the act was stored


def test_a_version_without_a_date_is_an_error(bank_repo: Path, tmp_path: Path) -> None:
    repo = tmp_path / "undated"
    shutil.copytree(bank_repo, repo)
    _write(repo, {f"{REFUGEES}/rus.md": "# О беженцах\n\n## Статья 1. Основные понятия\n\nТекст.\n"})
    _commit(repo, "undated", "2026-01-02T00:00:00")
    message = f"{REFUGEES}/rus.md: no version date"
    with Store(tmp_path / "corpus.sqlite") as store, pytest.raises(HistoryError, match=message):
        ingest_history(store, repo, ["Z090000216_"])


def test_cli_ingest_history(bank_repo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["--home", str(tmp_path), "ingest-history", str(bank_repo), "--act", "Z1100000477"])
    assert res.exit_code == 0, res.output
    assert "Z1100000477: 3 rus, 1 kaz redactions" in res.output
    res = runner.invoke(main, ["--home", str(tmp_path), "ingest-history", str(tmp_path), "--act", "Z1100000477"])
    assert res.exit_code == 1 and "not a git repository" in res.output and "Traceback" not in res.output
