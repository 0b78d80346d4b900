"""Every version of an act from a local clone of the reference bank's repository (kazakhstan-law/codes).

The repository keeps one folder per act, named after its adoption date and the bank's document code
(``03-laws/2011/0722-o-migratsii-naseleniia-59947/``; an older layout had
``03-laws/20110722-o-migratsii-naseleniia-59947/``), holding ``rus.md``, ``kaz.md``, their chapter
files (``rus/ch001.md`` …, listed under "Части документа" in a split ``rus.md``) and ``meta.yaml``,
with **one commit per version** of the act. :func:`read_history` walks the commits that touched the
act's folder, oldest first, and turns each language file a commit changed (its main file, a part or
the meta.yaml) into one redaction (:class:`~corpus.models.ParsedDocument`) dated by the version date
the bank gives (``version_date``, else the date in the ``source`` address), with the amending act
(``caused_by``). Several commits giving the same version (a re-rendering, the move between layouts)
make one redaction: the latest rendering wins. :func:`ingest_history` saves an act's redactions in
one store transaction.

Which folder is which act: ``--act`` takes an act id the project knows the bank's code of
(:data:`KNOWN_ACTS`, from ../shared/sources/SOURCES.md), ``CODE=ACT_ID`` for any other act, or a
folder path ``00-constitution=K950001000_``. A bank code alone (``--act 104249``) maps through the
table, else to the reference-bank id ``EKB{code}`` (:func:`legal.act_ids.bank_id`).

Errors name what is wrong: a path that is not a git repository, an act whose folder no commit
touched, a commit whose file does not parse or has no version date (commit and file named).
Reading uses the real ``git`` binary (``git log``, ``git cat-file --batch``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from corpus.models import ParsedDocument
from corpus.store import SaveStats, Store
from ingest.bank_meta import load_yaml
from ingest.errors import IngestError, ParseError
from ingest.markdown import assemble_parts, parse_markdown_version
from legal.act_ids import bank_id, is_corpus_act_id

#: The bank's document code of the acts the project knows (../shared/sources/SOURCES.md), and the
#: folder of the one act whose folder does not end in its code.
KNOWN_ACTS: dict[str, str] = {
    "59947": "Z1100000477",  # О миграции населения
    "49213": "Z090000216_",  # О беженцах
    "104035": "Z910004800_",  # О гражданстве Республики Казахстан
    "104941": "U950002337_",  # О правовом положении иностранцев
    "70141": "Z1300000070",  # О Государственной границе Республики Казахстан
    "81245": "K1400000235",  # Кодекс об административных правонарушениях
    "81097": "K1400000226",  # Уголовный кодекс
    "104249": "EKB104249",  # Об иммиграции (1992); no adilet id is known
}
KNOWN_FOLDERS: dict[str, str] = {"K950001000_": "00-constitution"}  # the Constitution (bank code 1)
LANGS = ("rus", "kaz")


class HistoryError(IngestError):
    """The repository, an act spec or a commit's file cannot be read (the message names it)."""


@dataclass(frozen=True)
class ActSpec:
    """Which folder is which act: the bank's code (folders ``…-{code}``) or a fixed folder path."""

    act_id: str
    code: str | None = None
    folder: str | None = None

    def matches(self, folder: str) -> bool:
        if self.folder is not None:
            return folder.strip("/") == self.folder.strip("/")
        return bool(self.code) and folder.rsplit("/", 1)[-1].endswith(f"-{self.code}")

    def describe(self) -> str:
        where = f"folder {self.folder}" if self.folder else f"ЭКБ code {self.code}"
        return f"{self.act_id} ({where})"


def parse_act_spec(spec: str) -> ActSpec:
    """``Z1100000477`` · ``59947`` · ``59947=Z1100000477`` · ``00-constitution=K950001000_`` → ActSpec."""
    left, sep, right = spec.strip().partition("=")
    left, right = left.strip(), right.strip()
    if sep and not right:
        raise HistoryError(f"--act {spec!r}: nothing after '='; write CODE=ACT_ID or FOLDER=ACT_ID")
    if right and not is_corpus_act_id(right):
        raise HistoryError(f"--act {spec!r}: {right!r} is not an act id (e.g. Z1100000477 or EKB104249)")
    if left.isdigit():
        act_id = right or KNOWN_ACTS.get(left)
        if act_id is None:
            try:
                act_id = bank_id(left)
            except ValueError as exc:
                raise HistoryError(f"--act {spec!r}: {exc}") from exc
        return ActSpec(act_id, code=left)
    if right:  # a folder path
        return ActSpec(right, folder=left)
    if left in KNOWN_FOLDERS:
        return ActSpec(left, folder=KNOWN_FOLDERS[left])
    code = next((c for c, a in KNOWN_ACTS.items() if a == left), None)
    if code is None:
        known = ", ".join(sorted([*KNOWN_ACTS.values(), *KNOWN_FOLDERS]))
        raise HistoryError(
            f"--act {spec!r}: the bank's code of this act is not known; write CODE={left} (the number at the "
            f"end of its folder name) or FOLDER={left}. Known: {known}"
        )
    return ActSpec(left, code=code)


# --- git ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # committer date, ISO (for messages only: versions are dated by the bank)
    paths: tuple[str, ...]  # files the commit changed (added, modified, deleted)


class GitRepo:
    """The few git reads the importer needs, through the real ``git`` binary."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if shutil.which("git") is None:
            raise HistoryError("the git program is not installed (needed to read the repository's history)")
        if not self.path.is_dir():
            raise HistoryError(f"{self.path}: not a folder")
        try:
            inside = self._git("rev-parse", "--is-inside-work-tree").strip()
            top = Path(self._git("rev-parse", "--show-toplevel").strip())
        except HistoryError as exc:
            raise HistoryError(f"{self.path}: not a git repository (a local clone of kazakhstan-law/codes)") from exc
        if inside != "true":
            raise HistoryError(f"{self.path}: not a git work tree")
        if top.resolve() != self.path.resolve():
            raise HistoryError(f"{self.path}: a folder inside a git repository; give its top folder {top}")
        self._cat: subprocess.Popen[bytes] | None = None

    def _git(self, *args: str) -> str:
        try:
            res = subprocess.run(
                ["git", "-C", str(self.path), *args], capture_output=True, check=False, timeout=600
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise HistoryError(f"{self.path}: git {args[0]} failed: {exc}") from exc
        if res.returncode != 0:
            msg = res.stderr.decode("utf-8", "replace").strip().splitlines()
            raise HistoryError(f"{self.path}: git {args[0]}: {msg[-1] if msg else 'failed'}")
        return res.stdout.decode("utf-8", "replace")

    def commits(self, pathspecs: Iterable[str]) -> list[Commit]:
        """Commits that changed files under ``pathspecs``, oldest first (no merges)."""
        out = self._git(
            "-c", "core.quotepath=off", "log", "--reverse", "--no-merges", "--no-renames", "--format=%x00%H %cI",
            "--name-only", "--", *pathspecs,
        )
        commits = []
        for chunk in out.split("\x00")[1:]:
            head, _, rest = chunk.partition("\n")
            sha, _, when = head.partition(" ")
            commits.append(Commit(sha, when, tuple(p for p in rest.splitlines() if p.strip())))
        return commits

    def read(self, sha: str, path: str) -> str | None:
        """The file at a commit (UTF-8), None if it does not exist there."""
        if self._cat is None:
            self._cat = subprocess.Popen(
                ["git", "-C", str(self.path), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        assert self._cat.stdin is not None and self._cat.stdout is not None
        self._cat.stdin.write(f"{sha}:{path}\n".encode())
        self._cat.stdin.flush()
        header = self._cat.stdout.readline().decode("utf-8", "replace").split()
        if len(header) < 3 or header[1] != "blob":
            return None  # "<object> missing" (or a tree)
        size = int(header[2])
        data = self._cat.stdout.read(size)
        self._cat.stdout.read(1)  # the newline after the object
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HistoryError(f"commit {sha[:12]}: {path}: not UTF-8 text ({exc})") from exc

    def close(self) -> None:
        if self._cat is not None:
            if self._cat.stdin:
                self._cat.stdin.close()
            self._cat.wait(timeout=30)
            self._cat = None

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- versions ----------------------------------------------------------------------------------------

_LANG_FILE_RE = re.compile(r"^(?P<lang>rus|kaz)(?:\.md|/[^/]+\.md)$")


@dataclass
class ActHistory:
    """One act's versions read from the repository."""

    spec: ActSpec
    documents: list[ParsedDocument] = field(default_factory=list)  # one per (lang, version date): rus, then kaz
    commits: int = 0  # commits that touched the act's folder
    replaced: int = 0  # renderings of a version superseded by a later commit

    def redactions(self, lang: str) -> list[date | None]:
        return [d.redaction.valid_from for d in self.documents if d.redaction.lang == lang]


def _folder_of(path: str, spec: ActSpec) -> tuple[str, str] | None:
    """(act folder, path inside it) when ``path`` lies in the act's folder."""
    parts = path.split("/")
    for i in range(len(parts) - 1, 0, -1):
        folder = "/".join(parts[:i])
        if spec.matches(folder):
            return folder, "/".join(parts[i:])
    return None


def _pathspecs(spec: ActSpec) -> list[str]:
    if spec.folder is not None:
        return [spec.folder.strip("/")]
    return [f":(glob)**/*-{spec.code}/**"]


def read_history(
    repo: GitRepo, spec: ActSpec, *, progress: Callable[[int, int, Commit], None] | None = None
) -> ActHistory:
    """Every version of one act (both languages) from the repository's commits; see the module doc."""
    commits = [c for c in repo.commits(_pathspecs(spec)) if any(_folder_of(p, spec) for p in c.paths)]
    if not commits:
        raise HistoryError(f"{repo.path}: no commit touches a folder of act {spec.describe()}")
    hist = ActHistory(spec, commits=len(commits))
    versions: dict[tuple[str, date], ParsedDocument] = {}
    for n, commit in enumerate(commits, start=1):
        for doc in _commit_documents(repo, spec, commit):
            valid_from = doc.redaction.valid_from
            assert valid_from is not None  # _parse_version refuses an undated version
            key = (doc.redaction.lang, valid_from)
            if key in versions:
                hist.replaced += 1
            versions[key] = doc
        if progress is not None:
            progress(n, len(commits), commit)
    # Russian first: their notes are the act's amendments, which date the Kazakh versions too
    hist.documents = [versions[k] for k in sorted(versions, key=lambda k: (k[0] != "rus", k[0], k[1]))]
    return hist


def _commit_documents(repo: GitRepo, spec: ActSpec, commit: Commit) -> Iterator[ParsedDocument]:
    """The redactions one commit gives: each language whose file, part or meta.yaml it changed."""
    touched: dict[str, set[str]] = {}  # folder → languages
    for path in commit.paths:
        found = _folder_of(path, spec)
        if found is None:
            continue
        folder, inner = found
        if inner == "meta.yaml":
            touched.setdefault(folder, set()).update(LANGS)
        elif m := _LANG_FILE_RE.match(inner):
            touched.setdefault(folder, set()).add(m["lang"])
    for folder in sorted(touched):
        meta_text = repo.read(commit.sha, f"{folder}/meta.yaml")
        where_meta = f"commit {commit.sha[:12]} ({commit.date[:10]}): {folder}/meta.yaml"
        try:
            meta: Mapping[str, Any] | None = load_yaml(meta_text, where_meta) if meta_text is not None else None
        except ParseError as exc:
            raise HistoryError(str(exc)) from exc
        for lang in LANGS:
            if lang not in touched[folder]:
                continue
            path = f"{folder}/{lang}.md"
            text = repo.read(commit.sha, path)
            if text is None:
                continue  # this language is not in the repository at this commit (or was deleted)
            yield _parse_version(repo, spec, commit, path, lang, text, meta)


def _parse_version(
    repo: GitRepo, spec: ActSpec, commit: Commit, path: str, lang: str, text: str, meta: Mapping[str, Any] | None
) -> ParsedDocument:
    where = f"commit {commit.sha[:12]} ({commit.date[:10]}): {path}"
    folder = path.rsplit("/", 1)[0]

    def read_part(rel: str) -> str:
        part = repo.read(commit.sha, f"{folder}/{rel}")
        if part is None:
            raise ParseError(f"{where}: part {rel} listed in the file is not in the commit")
        return part

    try:
        text = assemble_parts(text, read_part, repo=str(repo.path), main_path=path, commit=commit.sha)
        version = parse_markdown_version(text, act_id=spec.act_id, lang=lang, meta=meta, partial=False, where=where)
    except ParseError as exc:
        raise HistoryError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}") from exc
    if version.doc.redaction.valid_from is None or version.meta.version_date is None:
        raise HistoryError(
            f"{where}: no version date (neither version_date in meta.yaml or front matter nor a dated source address)"
        )
    return version.doc


def ingest_history(
    store: Store,
    path: str | Path,
    specs: Iterable[str | ActSpec],
    *,
    progress: Callable[[ActSpec, int, int, Commit], None] | None = None,
) -> list[tuple[ActHistory, list[SaveStats]]]:
    """Read every act's versions and save each act's redactions in ONE transaction (all or none).

    All specs are checked before anything is read; an act that fails leaves the store as it was for
    that act (acts saved before it stay saved).
    """
    parsed = [s if isinstance(s, ActSpec) else parse_act_spec(s) for s in specs]
    if not parsed:
        raise HistoryError("give at least one --act")
    out = []
    with GitRepo(path) as repo:
        for spec in parsed:
            report = (lambda n, total, c, s=spec: progress(s, n, total, c)) if progress else None
            hist = read_history(repo, spec, progress=report)
            out.append((hist, store.save_documents(hist.documents)))
    return out
