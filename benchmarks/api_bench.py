"""API throughput, latency and worker memory on loopback: the one source of the README's API figures.

    python benchmarks/api_bench.py [--home DIR] [--clients 50] [--seconds 15] [--workers 2]
                                   [--memory-queries 10000] [--httpx]

Serves the built bundled corpus (``--home`` or $MIGRALEX_HOME; built first with ``migralex.build`` when
it is not) with ``migralex serve --workers 2`` in a subprocess on 127.0.0.1, and measures:

1. /search under ``--clients`` concurrent clients, WITHOUT the result cache (every request reaches the
   backend) and WITH it (``--cache-ttl 30``), over 2,000 requests drawn from the 125 realistic queries of
   search_bench.py (30 % with an ``at`` date), and how many of the kept-alive connections each worker held
   mid-run. The load generator is wrk (C, closed loop, little CPU):
   when it is missing and the bench runs as root it installs Debian's package (``apt-get install wrk``);
   otherwise (or with ``--httpx``) an asyncio httpx client in this process, which takes more CPU from
   the 2 cores the server has.
2. Worker memory: ``--memory-queries`` DISTINCT queries (pairs of words of those queries, ``size=100``,
   the heaviest answers) through the result cache, then the resident memory of each worker process
   (/proc) and the cache's own figures from /health.

The Elasticsearch backend is measured too when ES_URL is set and its index built. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from search_bench import QUERY_TEXTS

from search_api.web.browser import free_port
from search_api.workers import ESTABLISHED, sockets_held
from search_api.workers import worker_pids as spawned_workers

QUERIES = list(QUERY_TEXTS)



def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def request_paths(n: int, seed: int = 7) -> list[str]:
    """``n`` /search paths from the realistic queries, 30% with an ``at`` date."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        params = {"q": rng.choice(QUERIES)}
        if rng.random() < 0.3:
            params["at"] = f"{rng.randint(2012, 2025)}-01-01"
        out.append("/search?" + urlencode(params))
    return out


def distinct_paths(n: int, seed: int = 11) -> list[str]:
    """``n`` DIFFERENT /search paths (word pairs of the realistic queries, size=100): every answer is new
    to the result cache, as in the probe that filled it to 1.1 GiB."""
    from search_api.query import OPERATORS, is_stop_word

    words = sorted({w for q in QUERIES for w in q.replace('"', " ").split()
                    if w.isalpha() and w not in OPERATORS and not is_stop_word(w)})
    pairs = [(a, b) for a in words for b in words if a != b]
    random.Random(seed).shuffle(pairs)
    if n > len(pairs):
        raise SystemExit(f"only {len(pairs)} distinct queries can be made from the query words")
    return ["/search?" + urlencode({"q": f"{a} {b}", "size": 100}) for a, b in pairs[:n]]


async def load_httpx(url: str, paths: list[str], clients: int, seconds: float = 0.0) -> dict[str, float]:
    """Closed-loop load from ``clients`` asyncio clients: every path once (``seconds`` 0), or cycling through
    them for ``seconds``. Returns req/s, latency percentiles (ms) and the error count."""
    latencies: list[float] = []
    errors = 0
    kinds: Counter[str] = Counter()  # what the errors were
    queue = iter(paths)
    deadline = time.perf_counter() + seconds

    def next_path(i: int) -> str | None:
        if seconds:
            return paths[i % len(paths)] if time.perf_counter() < deadline else None
        return next(queue, None)

    async def client_loop(client: httpx.AsyncClient, k: int) -> None:
        nonlocal errors
        i = k
        while (path := next_path(i)) is not None:
            i += clients
            t = time.perf_counter()
            try:
                r = await client.get(path)
                if r.status_code != 200:
                    errors += 1
                    kinds[f"{r.status_code} {r.text[:120]}"] += 1
            except httpx.HTTPError as exc:
                errors += 1
                kinds[type(exc).__name__] += 1
            latencies.append((time.perf_counter() - t) * 1000)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(client_loop(client, k) for k in range(clients)))
        wall = time.perf_counter() - t0
    return {"requests": len(latencies), "rps": len(latencies) / wall, "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95), "p99": percentile(latencies, 99), "mean": statistics.mean(latencies),
            "errors": errors, "error_kinds": kinds}  # type: ignore[dict-item]


_WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[(i %% #paths) + 1]) end
done = function(summary, latency, requests)
  io.write(string.format("WRK %%d %%d %%.3f %%.3f %%.3f %%.3f %%d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, summary.errors.status + summary.errors.timeout + summary.errors.connect
    + summary.errors.read + summary.errors.write))
end
"""


def wrk_available(install: bool = True) -> bool:
    """wrk on PATH, installed from Debian's package when missing and we are root (apt-get)."""
    if shutil.which("wrk"):
        return True
    if install and os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (Debian package) for the load generator…", flush=True)
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
            subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return shutil.which("wrk") is not None


def load_wrk(url: str, paths: list[str], clients: int, seconds: int) -> dict[str, float]:
    """Closed-loop load from wrk: the server, not the load generator, is measured."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(_WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", fh.name, url],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(fh.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    n, dur_us, p50, p95, p99, mean, errors = line.split()[1:]
    return {"requests": int(n), "rps": int(n) / (int(dur_us) / 1e6), "p50": float(p50), "p95": float(p95),
            "p99": float(p99), "mean": float(mean), "errors": int(errors)}


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def worker_pids(pid: int) -> list[int]:
    """The uvicorn worker processes under ``migralex serve`` (the server itself with one worker)."""
    return spawned_workers(pid) or [pid]


@contextmanager
def served(home: Path, backend: str, workers: int, cache_ttl: float) -> Iterator[tuple[str, int]]:
    """``migralex serve`` in a subprocess; yields (base URL, its pid) once /health answers."""
    port = free_port()
    env = {**os.environ, "MIGRALEX_HOME": str(home)}
    log = tempfile.NamedTemporaryFile("w+", prefix="migralex-serve-", suffix=".log")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "migralex.cli", "serve", "--port", str(port), "--backend", backend,
                             "--cache-ttl", str(cache_ttl), "--workers", str(workers)],
                            env=env, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise SystemExit(f"serve exited with {proc.returncode} (is the corpus built for {backend}?)")
            time.sleep(0.1)
        else:
            raise SystemExit(f"{backend}: server did not become healthy")
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.seek(0)
        if errors := [x for x in log.read().splitlines() if "ERROR" in x or "Traceback" in x or "WARNING" in x]:
            print(f"  server log ({backend}): " + " | ".join(errors[:5]))
        log.close()


def fmt(r: dict[str, float], tool: str) -> str:
    kinds = r.get("error_kinds")
    what = f" {dict(kinds)}" if kinds else ""  # type: ignore[call-overload]
    return (f"{r['rps']:7.0f} req/s  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
            f"mean {r['mean']:6.1f} ms  errors {r['errors']:.0f}{what}  ({r['requests']:.0f} requests, {tool})")


def _record_shares(into: list[int], pid: int, port: int) -> None:
    into.extend(len(sockets_held(p, port, ESTABLISHED)) for p in worker_pids(pid))


def throughput(home: Path, backend: str, workers: int, clients: int, seconds: int, use_wrk: bool) -> None:
    paths = request_paths(2000)
    for ttl in (0.0, 30.0):
        with served(home, backend, workers, ttl) as (url, pid):
            asyncio.run(load_httpx(url, request_paths(300, seed=1), 10))  # warm-up: other draws
            if ttl:
                asyncio.run(load_httpx(url, paths, 10))  # the cache holds every request path now
            shares: list[int] = []
            port = int(url.rsplit(":", 1)[1])
            probe = threading.Timer(seconds / 2, _record_shares, (shares, pid, port))
            probe.start()  # mid-run: the connections each worker holds
            if use_wrk:
                result, tool = load_wrk(url, paths, clients, seconds), "wrk"
            else:
                result, tool = asyncio.run(load_httpx(url, paths, clients, seconds)), "httpx"
            probe.join()
            label = f"{backend}, {workers} workers, {'result cache 30 s' if ttl else 'no result cache'}"
            print(f"{label:44s} {clients} clients, {seconds} s: {fmt(result, tool)}; connections per worker "
                  f"{'/'.join(map(str, shares)) or '?'}", flush=True)


def memory(home: Path, workers: int, clients: int, n: int) -> None:
    with served(home, "embedded", workers, 600.0) as (url, pid):
        pids = worker_pids(pid)
        before = {p: rss_mib(p) for p in pids}
        result = asyncio.run(load_httpx(url, distinct_paths(n), clients))
        after = {p: rss_mib(p) for p in pids}
        caches = [httpx.get(f"{url}/health", timeout=10).json()["result_cache"] for _ in range(4 * workers)]
    print(f"memory, {n} distinct queries (size=100, result cache on) through {workers} workers: {fmt(result, 'httpx')}")
    for p in pids:
        print(f"  worker {p}: RSS {before[p]:6.1f} MiB before, {after[p]:6.1f} MiB after")
    seen = {round(c["bytes"]): c for c in caches}.values()
    for c in seen:
        print(f"  a worker's result cache: {c['entries']:.0f} entries, {c['bytes'] / 2**20:.1f} MiB of "
              f"{c['max_bytes'] / 2**20:.0f} MiB, {c['hits']:.0f} hits, {c['misses']:.0f} misses")
    print(f"  largest worker after: {max(after.values()):.1f} MiB (target: under 400 MB)")


def ensure_built(home: Path) -> None:
    from migralex.build import build, is_built
    from migralex.paths import Paths

    paths = Paths(home)
    if not is_built(paths):
        print(f"building the bundled corpus into {home}…", flush=True)
        build(paths)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=15, help="duration of each load run (0: no throughput runs)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-queries", type=int, default=10_000)
    ap.add_argument("--httpx", action="store_true", help="the Python load generator even if wrk is there")
    args = ap.parse_args()
    from migralex.paths import default_home

    home = args.home or default_home()
    ensure_built(home)
    use_wrk = not args.httpx and wrk_available()
    print(f"load generator: {'wrk' if use_wrk else 'httpx (asyncio) in this process'}; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f} (other processes share the cores)")
    backends = ["embedded"] + (["elasticsearch"] if os.environ.get("ES_URL") else [])
    if len(backends) == 1:
        print("elasticsearch: skipped (set ES_URL and run `migralex index --backend elasticsearch`)")
    for backend in backends if args.seconds else []:
        throughput(home, backend, args.workers, args.clients, args.seconds, use_wrk)
    if args.memory_queries:
        memory(home, args.workers, args.clients, args.memory_queries)


if __name__ == "__main__":
    main()
