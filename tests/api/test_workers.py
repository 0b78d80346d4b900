"""``migralex serve --workers N`` (search_api.workers): a listening socket per worker process, so the
kernel shares connections out; a dead worker replaced; all of them stopped with the server; a taken
port and an app that cannot start as clear errors. Real processes on 127.0.0.1, Linux /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from search_api.web.browser import free_port
from search_api.workers import LISTEN, STARTUP_FAILURE, reuse_port_supported, run_workers, sockets_held
from search_api.workers import worker_pids as _workers

pytestmark = pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT workers are Linux only")


def _listening(pid: int, port: int) -> set[str]:
    return sockets_held(pid, port, LISTEN)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/search", params={"q": "кандас"}, timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _wait(condition: object, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@contextmanager
def _serve(home: Path, port: int, workers: int = 2) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "MIGRALEX_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "migralex.cli", "serve", "--port", str(port),
                             "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)


def test_each_worker_listens_on_its_own_socket_and_a_dead_one_is_replaced(built_home: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with _serve(built_home, port) as proc:
        _wait(lambda: len(_workers(proc.pid)) == 2 and all(_listening(w, port) for w in _workers(proc.pid)),
              "two workers listening")
        first, second = _workers(proc.pid)
        # uvicorn's own workers share ONE listening socket (the same inode in each); here each has its own
        assert len(_listening(first, port)) == len(_listening(second, port)) == 1
        assert _listening(first, port) != _listening(second, port)
        assert not _listening(proc.pid, port)  # the parent keeps the port bound, not listening
        _wait(lambda: _answers(url), "the server answers")

        os.kill(first, signal.SIGKILL)
        _wait(lambda: first not in _workers(proc.pid) and len(_workers(proc.pid)) == 2, "a new worker")
        _wait(lambda: all(_listening(w, port) for w in _workers(proc.pid)), "the new worker listening")
        assert all(_answers(url) for _ in range(10))
        workers = _workers(proc.pid)

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    for pid in workers:  # none left behind
        assert not Path(f"/proc/{pid}").exists() or b"zombie" in Path(f"/proc/{pid}/status").read_bytes().lower()


def test_workers_die_with_a_killed_server(built_home: Path) -> None:
    """SIGKILL leaves the parent no chance to stop its workers: the kernel does (PR_SET_PDEATHSIG), so
    no orphan keeps the port and a new server can start on it."""
    port = free_port()
    with _serve(built_home, port) as proc:
        _wait(lambda: len(_workers(proc.pid)) == 2 and all(_listening(w, port) for w in _workers(proc.pid)),
              "two workers listening")  # up and serving: a worker still starting dies with its parent anyway
        workers = _workers(proc.pid)
        proc.kill()
        proc.wait(timeout=10)
        _wait(lambda: not any(Path(f"/proc/{w}").exists() for w in workers), "the workers gone", timeout=30)
    with _serve(built_home, port) as again:
        _wait(lambda: _answers(f"http://127.0.0.1:{port}"), "a new server on the same port")
        again.terminate()
        assert again.wait(timeout=30) == 0


def test_a_port_in_use_is_a_clear_error(built_home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "MIGRALEX_HOME": str(built_home)}
        out = subprocess.run([sys.executable, "-m", "migralex.cli", "serve", "--port", str(port), "--workers", "2"],
                             env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in out.stderr and "another server" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_app_that_cannot_start_stops_the_server() -> None:
    """uvicorn's exit code 3 from a worker (here: an app that does not exist) is not retried forever."""
    started = time.monotonic()
    assert run_workers("search_api.no_such_module:app", "127.0.0.1", free_port(), 2, {}) == STARTUP_FAILURE
    assert time.monotonic() - started < 60
