"""Issue 11: `migralex build --force` while `migralex serve` runs, as real subprocesses on the bundled
corpus. The server never sees a half-built or deleted store: no 500, no partial /acts, no false 404, and
two forced builds started together do not both annotate everything (the second waits, then reuses)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from corpus.store import Store, StoreMissingError
from ingest.bundled import MANIFEST

BUNDLED = {entry.act_id for entry in MANIFEST}


def _cli(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "MIGRALEX_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-m", "migralex.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


class Prober:
    """Clients asking the server store and search questions in a loop, recording every answer."""

    def __init__(self, url: str, acts_before: set[str]) -> None:
        self.url, self.acts_before = url, acts_before
        self.stop = threading.Event()
        self.codes: Counter[tuple[str, int]] = Counter()
        self.bad: list[str] = []
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(3)]

    def _run(self, i: int) -> None:
        paths = [("/acts", {}), ("/acts/Z1100000477", {}), ("/acts/Z1100000477/provisions/art_48", {}),
                 ("/acts/Z1100000477/provisions/art_48/history", {}), ("/search", {"q": "выдворение"})]
        with httpx.Client(base_url=self.url, timeout=30) as client:
            n = i
            while not self.stop.is_set():
                path, params = paths[n % len(paths)]
                n += 1
                try:
                    resp = client.get(path, params=params)
                except httpx.HTTPError as exc:
                    self.bad.append(f"{path}: {type(exc).__name__} {exc}")
                    continue
                self.codes[(path, resp.status_code)] += 1
                if resp.status_code != 200:
                    self.bad.append(f"{path}: {resp.status_code} {resp.text[:200]}")
                elif path == "/acts":
                    ids = {a["id"] for a in resp.json()["acts"]}
                    if ids not in (self.acts_before, BUNDLED):  # the old list or the new one, whole
                        self.bad.append(f"/acts: partial list {sorted(ids)}")

    def __enter__(self) -> Prober:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)


@pytest.mark.slow
def test_forced_builds_while_serving(built_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    # the store of the older layout (a plain file, one act) with its index: what a server has open
    shutil.copy(built_home / "corpus.sqlite", home / "corpus.sqlite")
    shutil.copytree(built_home / "index", home / "index")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = _cli(home, "serve", "--port", str(port), "--workers", "2", "--cache-ttl", "0")
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                if httpx.get(f"{url}/acts", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        with Prober(url, {"Z1100000477"}) as prober:
            first = _cli(home, "build", "--force")  # plain file → generation 1
            _, err1 = first.communicate(timeout=900)
            assert first.returncode == 0, err1
            # two more forced builds at once: one rebuilds (generation 2), the other waits and reuses it
            second, third = _cli(home, "build", "--force"), _cli(home, "build", "--force")
            results = [p.communicate(timeout=900) for p in (second, third)]
            assert second.returncode == third.returncode == 0, results
            time.sleep(1.0)  # answers from the last generation too
        assert not prober.bad, prober.bad[:10]
        assert sum(prober.codes.values()) > 50, prober.codes
        errs = [err for _, err in results]
        waited = [e for e in errs if "another build" in e and "waiting" in e]
        assert len(waited) == 1, errs
        assert "finished while this one waited: using it" in waited[0] and "annotated 0," in waited[0], waited[0]
        other = errs[1 - errs.index(waited[0])]
        assert "annotated 0," not in other  # the build that ran annotated the new store from scratch
        assert httpx.get(f"{url}/acts", timeout=10).json()["acts"] and \
            {a["id"] for a in httpx.get(f"{url}/acts", timeout=10).json()["acts"]} == BUNDLED
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the store is a symlink to its live generation; at most the previous one is kept beside it
    store = home / "corpus.sqlite"
    assert store.is_symlink() and store.resolve().parent == home / "stores"
    assert len(list((home / "stores").glob("corpus-*.sqlite"))) <= 2
    assert not (home / "corpus.sqlite-wal").exists() and not (home / "corpus.sqlite-shm").exists()
    with Store(store, readonly=True) as s:
        assert s.act_ids() == BUNDLED


def test_serve_never_creates_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreMissingError, match="migralex build"):
        Store(tmp_path / "corpus.sqlite", readonly=True)
    assert not (tmp_path / "corpus.sqlite").exists()


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    from migralex.build import build_lock
    from migralex.paths import Paths

    paths = Paths(tmp_path)
    messages: list[str] = []
    with build_lock(paths):
        proc = _cli(tmp_path, "annotate")
        time.sleep(3)  # long enough for an annotate of an empty store to finish, were it not waiting
        assert proc.poll() is None, proc.communicate()
        with build_lock(paths, on_wait=messages.append) as waited:  # re-entrant in this process
            assert not waited and not messages
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
