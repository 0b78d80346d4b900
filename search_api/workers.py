"""Several server processes on one port, each with its OWN listening socket (``SO_REUSEPORT``), so the
kernel spreads the connections over them.

uvicorn's own ``--workers`` shares one listening socket between its processes: the one that wakes first
accepts every connection waiting, so clients that keep their connections alive pile onto one process
(41 of wrk's 50 connections in one run of ``benchmarks/api_bench.py``, 16 of 50 in others) and wait
for it while the other has little to do. With a socket per process the kernel picks the socket by a
hash of each new connection, which shares them out about evenly.

The parent process checks the port is free, keeps it bound (not listening: the kernel hands
connections only to listening sockets) so that no other program takes it while a worker restarts,
starts the workers, starts a new one in place of one that dies, and stops them all on SIGINT or
SIGTERM; a parent killed outright takes its workers with it (``PR_SET_PDEATHSIG``). A worker whose app
cannot start (uvicorn's exit code 3) stops the server: a new one would fail the same way.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import threading
from types import FrameType
from typing import Any

#: Connections the kernel queues for each worker before it accepts them (uvicorn's default).
BACKLOG = 2048
#: uvicorn's exit code for a server whose app failed to start (``uvicorn.config.STARTUP_FAILURE``).
STARTUP_FAILURE = 3
#: Seconds a worker has to finish its requests after SIGTERM before it is killed.
STOP_TIMEOUT = 20.0
#: prctl(2) option: the signal a process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1


class PortInUse(OSError):
    """The address is taken by another program (or another MigraLex server)."""


def reuse_port_supported() -> bool:
    """``SO_REUSEPORT`` spreads connections over sockets on Linux; elsewhere uvicorn's own workers."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _address(host: str, port: int) -> tuple[socket.AddressFamily, Any]:
    family, _, _, _, sockaddr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    return family, sockaddr


def _socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    family, sockaddr = _address(host, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(sockaddr)
    except OSError:
        sock.close()
        raise
    return sock


def reserve(host: str, port: int) -> socket.socket:
    """Check that ``host:port`` is free (a plain bind: it fails while anything listens there, even a
    socket that shares its port) and keep it bound for the workers; PortInUse when it is taken."""
    try:
        _socket(host, port, reuse_port=False).close()
        return _socket(host, port, reuse_port=True)
    except OSError as exc:
        raise PortInUse(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _die_with(parent: int) -> None:
    """Have the kernel send this process SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), so a
    killed server leaves no worker holding the port; exit at once if the parent is already gone."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        raise SystemExit(0)


def _serve(app: str, host: str, port: int, options: dict[str, Any], parent: int) -> None:
    """One worker process: its own listening socket on the shared port, and uvicorn on it."""
    import uvicorn

    _die_with(parent)
    sock = _socket(host, port, reuse_port=True)
    sock.listen(BACKLOG)
    config = uvicorn.Config(app, factory=True, log_level="warning", **options)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(app: str, host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Serve the app factory ``app`` (an import string) from ``workers`` processes until SIGINT or
    SIGTERM; the exit status (0, or STARTUP_FAILURE when the app could not start)."""
    held = reserve(host, port)
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of this one is shared
    stop = threading.Event()
    status = 0

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}

    def start() -> multiprocessing.process.BaseProcess:
        process = spawn.Process(target=_serve, args=(app, host, port, options, os.getpid()), daemon=False)
        process.start()
        return process

    processes = [start() for _ in range(workers)]
    try:
        while not stop.wait(0.5):
            for i, process in enumerate(processes):
                if process.is_alive() or stop.is_set():
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    print("a server process could not start (see above): stopping", file=sys.stderr, flush=True)
                    status = STARTUP_FAILURE
                    stop.set()
                    break
                print(f"server process {process.pid} ended (exit code {process.exitcode}): starting another",
                      file=sys.stderr, flush=True)
                processes[i] = start()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        for process in processes:
            process.join(STOP_TIMEOUT)
            if process.is_alive():
                process.kill()
                process.join()
        held.close()
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, handler)
    return status


# --- what a running server's processes hold (/proc; for the benchmarks and tests that inspect one) ----

#: TCP states in /proc/net/tcp.
ESTABLISHED, LISTEN = "01", "0A"


def worker_pids(server: int) -> list[int]:
    """The spawned server processes under the process ``server`` (not multiprocessing's resource
    tracker), sorted; none for a server of one process."""
    found: list[int] = []
    stack = _children(server)
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read()
        except OSError:
            continue
        if b"multiprocessing" in cmd and b"resource_tracker" not in cmd:
            found.append(pid)
        stack += _children(pid)
    return sorted(found)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def sockets_held(pid: int, port: int, state: str) -> set[str]:
    """The inodes of the TCP sockets on local ``port`` in ``state`` (ESTABLISHED, LISTEN) that process
    ``pid`` holds."""
    on_port: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as fh:
                rows = [line.split() for line in fh.readlines()[1:]]
        except OSError:
            continue
        on_port |= {r[9] for r in rows if r[3] == state and int(r[1].rsplit(":", 1)[1], 16) == port}
    held: set[str] = set()
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return held
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:[") and link[8:-1] in on_port:
            held.add(link[8:-1])
    return held

