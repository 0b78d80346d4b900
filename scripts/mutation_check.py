#!/usr/bin/env python3
"""Mutation check of the crawler's promises: does each promise have a test that fails when it is broken?

Each mutant is one small deliberate fault in ingest/client.py or ingest/crawl.py (the 11 faults of
issue 11's probe, and a few more that break the other promises the README makes). For each, this
script copies the worktree to a temp folder, applies the fault there (never to your files), runs the
client and crawler tests against the copy (a real HTTP server on 127.0.0.1, a real SQLite store,
real child processes killed with SIGKILL), and reports whether the tests caught it and which ones.

    python3 scripts/mutation_check.py               # every mutant, one pytest run each (17 runs)
    python3 scripts/mutation_check.py --jobs 2      # 2 pytest-xdist workers per run: 3-6 min on 2 cores
    python3 scripts/mutation_check.py --only backoff_constant state_before_save

Exit status 0 when the unmutated copy passes and every mutant is caught; 1 otherwise. It is not part
of the default test run (it runs the two test files once per mutant).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = ["tests/ingest/test_client.py", "tests/ingest/test_crawl.py"]
TIMEOUT = 600  # seconds per run; a mutant that makes the tests hang counts as NOT caught


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    promise: str
    edits: tuple[tuple[str, str], ...]  # (exact text, replacement); each text must occur exactly once
    origin: str = "probe"  # "probe": one of the 8 faults issue 11 found unnoticed; "probe-caught"; "extra"


MUTANTS: tuple[Mutant, ...] = (
    # the 8 faults the probe put in and the tests did not notice
    Mutant(
        "backoff_constant",
        "ingest/client.py",
        "exponential backoff: backoff * 2**attempt",
        (("delay = min(self.backoff * 2 ** (attempt - 1), _BACKOFF_CAP)", "delay = min(self.backoff, _BACKOFF_CAP)"),),
    ),
    Mutant(
        "default_interval_zero",
        "ingest/client.py",
        "politeness: 1 s between requests by default",
        (("min_interval: float = 1.0,", "min_interval: float = 0.0,"),),
    ),
    Mutant(
        "default_retries_zero",
        "ingest/client.py",
        "retries by default (5)",
        (("max_retries: int = 5,", "max_retries: int = 0,"),),
    ),
    Mutant(
        "backoff_uncapped",
        "ingest/client.py",
        "no backoff wait longer than _BACKOFF_CAP",
        (
            (
                "delay = min(self.backoff * 2 ** (attempt - 1), _BACKOFF_CAP)",
                "delay = self.backoff * 2 ** (attempt - 1)",
            ),
        ),
    ),
    Mutant(
        "cache_write_not_atomic",
        "ingest/client.py",
        "cache entries written atomically (temp file + os.replace)",
        (
            # write straight into the entry: the temp file IS the target, so os.replace renames it onto itself
            (
                'fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)',
                "fd, tmp = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), str(path)  # MUTANT",
            ),
        ),
    ),
    Mutant(
        "no_fsync",
        "ingest/client.py",
        "durability: fsync of the file and of its folder",
        (("            os.fsync(fh.fileno())\n", "            pass\n"), ("        os.fsync(fd)\n", "        pass\n")),
    ),
    Mutant(
        "transaction_per_document",
        "ingest/crawl.py",
        "an act's redactions saved in ONE transaction",
        (
            (
                "all_stats = store.save_documents(result.docs)",
                "all_stats = [st for d in result.docs for st in store.save_documents([d])]",
            ),
        ),
    ),
    Mutant(
        "state_before_save",
        "ingest/crawl.py",
        "the state file marks an act done only after its save",
        (
            (
                "            all_stats = store.save_documents(result.docs)",
                "            state.done.append(act_id)\n            checkpoint()\n"
                "            all_stats = store.save_documents(result.docs)",
            ),
            ("        state.done.append(act_id)\n        report.discovered", "        report.discovered"),
        ),
    ),
    # faults of the kind the old tests already caught (the probe's 3 caught ones were not named;
    # these are the promises the old tests covered)
    Mutant(
        "robots_ignored",
        "ingest/client.py",
        "robots.txt honoured",
        (("if not self._robots.can_fetch(self.user_agent, url):", "if False:"),),
        "probe-caught",
    ),
    Mutant(
        "retry_after_ignored",
        "ingest/client.py",
        "Retry-After honoured",
        (("if last is not None and last.wait is not None:", "if False:"),),
        "probe-caught",
    ),
    Mutant(
        "truncated_page_cached",
        "ingest/client.py",
        "a truncated page is retried, never cached",
        (('if looks_truncated(text, resp.headers.get("Content-Type")):', "if False:"),),
        "probe-caught",
    ),
    # the other promises
    Mutant(
        "crawl_delay_ignored",
        "ingest/client.py",
        "robots.txt Crawl-delay respected",
        (("delay = self._robots.crawl_delay(self.user_agent)", "delay = None"),),
        "extra",
    ),
    Mutant(
        "retry_after_uncapped",
        "ingest/client.py",
        "Retry-After honoured only up to max_retry_after",
        (("delay = max(delay, min(last.wait, self.max_retry_after))", "delay = max(delay, last.wait)"),),
        "extra",
    ),
    Mutant(
        "no_file_fsync",
        "ingest/client.py",
        "durability: the temp file fsynced before the rename",
        (("            os.fsync(fh.fileno())\n", "            pass\n"),),
        "extra",
    ),
    Mutant(
        "no_dir_fsync",
        "ingest/client.py",
        "durability: the folder fsynced after the rename",
        (("        os.fsync(fd)\n", "        pass\n"),),
        "extra",
    ),
    Mutant(
        "sidecar_first",
        "ingest/client.py",
        "the sidecar written last",
        (
            ('        atomic_write(html_path, page.text.encode("utf-8"))\n', ""),
            (
                '        atomic_write(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))\n',
                '        atomic_write(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))\n'
                '        atomic_write(html_path, page.text.encode("utf-8"))\n',
            ),
        ),
        "extra",
    ),
)


@dataclass
class Outcome:
    verdict: str  # passed | CAUGHT | NOT CAUGHT | BROKEN (the run itself failed) | TIMEOUT
    failed: list[str]
    seconds: float


def copy_worktree(dest: Path) -> None:
    shutil.copytree(
        REPO,
        dest,
        ignore=shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", "*.pyc"),
    )


def apply(mutant: Mutant, root: Path) -> str:
    """Apply the mutant to the copy; returns the original text to restore."""
    path = root / mutant.file
    original = path.read_text(encoding="utf-8")
    text = original
    for old, new in mutant.edits:
        n = text.count(old)
        if n != 1:
            raise SystemExit(f"mutant {mutant.name}: expected the text once in {mutant.file}, found {n}: {old!r}")
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return original


def run_tests(root: Path, jobs: int) -> Outcome:
    report = root / "junit.xml"
    report.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *TESTS]
    if jobs > 1:
        cmd += ["-n", str(jobs)]
    # The copy must be what is imported: its own folder first, no bytecode from an earlier mutant.
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return Outcome("TIMEOUT", [], time.monotonic() - started)
    seconds = time.monotonic() - started
    failed: list[str] = []
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed.append(f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}")
    if proc.returncode == 0:
        return Outcome("passed", failed, seconds)
    if proc.returncode == 1 and failed:
        return Outcome("CAUGHT", failed, seconds)
    tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-15:])
    return Outcome("BROKEN", [f"pytest exit {proc.returncode}: {tail}"], seconds)


def check_imports_the_copy(root: Path) -> None:
    code = "import ingest.client, ingest.crawl, corpus.store; print(ingest.client.__file__, ingest.crawl.__file__)"
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    for f in out.stdout.split():
        if not Path(f).resolve().is_relative_to(root.resolve()):
            raise SystemExit(f"the copy is not what gets imported: {f} (an installed package shadows it?)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these mutants")
    ap.add_argument("--jobs", type=int, default=1, help="pytest-xdist workers per run (default 1)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = ap.parse_args(argv)
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:26} {m.origin:13} {m.file:17} {m.promise}")
        return 0
    mutants = [m for m in MUTANTS if not args.only or m.name in args.only]
    unknown = set(args.only or []) - {m.name for m in MUTANTS}
    if unknown:
        ap.error(f"unknown mutants: {', '.join(sorted(unknown))} (see --list)")

    with tempfile.TemporaryDirectory(prefix="migralex-mutants-") as tmp:
        root = Path(tmp) / "wt"
        copy_worktree(root)
        check_imports_the_copy(root)
        base = run_tests(root, args.jobs)
        print(f"unmutated copy: {base.verdict} ({base.seconds:.0f} s)", flush=True)
        if base.verdict != "passed":
            print("\n".join(base.failed))
            print("the tests must pass on the unmutated code before mutants mean anything")
            return 1
        results: list[tuple[Mutant, Outcome]] = []
        for m in mutants:
            original = apply(m, root)
            try:
                outcome = run_tests(root, args.jobs)
            finally:
                (root / m.file).write_text(original, encoding="utf-8")
            if outcome.verdict == "passed":
                outcome.verdict = "NOT CAUGHT"
            results.append((m, outcome))
            print(f"{m.name}: {outcome.verdict} ({outcome.seconds:.0f} s, {len(outcome.failed)} failing)", flush=True)

    print()
    print("| fault | origin | promise | verdict | failing tests |")
    print("|---|---|---|---|---|")
    for m, o in results:
        print(f"| `{m.name}` | {m.origin} | {m.promise} | {o.verdict} | {'<br>'.join(o.failed) or '-'} |")
    caught = sum(o.verdict == "CAUGHT" for _, o in results)
    print(f"\n{caught}/{len(results)} mutants caught")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
