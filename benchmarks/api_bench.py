"""API throughput and latency with concurrent clients on loopback (both backends in one run).

    python benchmarks/api_bench.py [--clients 50] [--requests 2000] [--home DIR]

Serves the built corpus (``migralex build`` first; ``--home`` or $MIGRALEX_HOME) with uvicorn in a
subprocess on 127.0.0.1 and sends a bounded number of /search requests from concurrent clients,
drawn from the 200-odd realistic queries of search_bench.py (30% with an ``at`` date). Each backend
runs twice: with the result cache off (every request reaches the backend) and on (``--cache-ttl``).
The load generator is wrk when installed (C, little CPU; Debian package ``wrk``), else httpx in
this process; either shares the machine's cores with the server.
The Elasticsearch run needs ES_URL and an index built with ``migralex index --backend elasticsearch``.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_bench import QUERY_TEXTS

QUERIES = list(QUERY_TEXTS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


async def load(url: str, clients: int, total: int, seed: int = 7) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    rng = random.Random(seed)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for _ in counter:
            params = {"q": rng.choice(QUERIES)}
            if rng.random() < 0.3:
                params["at"] = f"{rng.randint(2012, 2025)}-01-01"
            t = time.perf_counter()
            r = await client.get(f"{url}/search", params=params)
            latencies.append((time.perf_counter() - t) * 1000)
            errors += r.status_code != 200

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        wall = time.perf_counter() - t0
    return latencies, wall, errors


_WRK_SCRIPT = """
math.randomseed(os.time())
local paths = {%s}
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
done = function(summary, latency, requests)
  io.write(string.format("WRK %%d %%d %%.3f %%.3f %%.3f %%.3f %%d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, summary.errors.status + summary.errors.timeout + summary.errors.connect))
end
"""


def request_paths(n: int, seed: int = 7) -> list[str]:
    """``n`` /search paths from the realistic queries, 30% with an ``at`` date."""
    from urllib.parse import urlencode

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        params = {"q": rng.choice(QUERIES)}
        if rng.random() < 0.3:
            params["at"] = f"{rng.randint(2012, 2025)}-01-01"
        out.append("/search?" + urlencode(params))
    return out


def load_wrk(url: str, clients: int, seconds: int) -> str:
    """Closed-loop load from wrk (C, little CPU): the server, not the load generator, is measured."""
    import tempfile

    paths = ", ".join(f'"{p}"' for p in request_paths(2000))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(_WRK_SCRIPT % paths)
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", fh.name, url],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(fh.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    n, dur_us, p50, p95, p99, mean, errors = line.split()[1:]
    return (f"{int(n) / (int(dur_us) / 1e6):7.0f} req/s  p50 {float(p50):6.1f} ms  p95 {float(p95):6.1f} ms  "
            f"p99 {float(p99):6.1f} ms  mean {float(mean):6.1f} ms  errors {errors}  ({n} requests, wrk)")


def run(backend: str, home: Path, clients: int, total: int, cache_ttl: float, workers: int = 1,
        seconds: int = 0) -> None:
    port = _free_port()
    env = {**os.environ, "MIGRALEX_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "migralex.cli", "serve", "--port", str(port),
                             "--backend", backend, "--cache-ttl", str(cache_ttl), "--workers", str(workers)],
                            env=env, stderr=subprocess.DEVNULL)
    label = f"{backend}, {workers}w, {'cache ' + str(cache_ttl) + ' s' if cache_ttl else 'no cache'}"
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            print(f"{label}: server did not become healthy (is the corpus built for it?)")
            return
        asyncio.run(load(url, clients, min(200, total), seed=1))  # warm-up (other draws)
        if seconds:
            print(f"{label:32s} {clients} clients: {load_wrk(url, clients, seconds)}")
            return
        lat, wall, errors = asyncio.run(load(url, clients, total))
        print(f"{label:32s} {clients} clients, {len(lat)} requests: {len(lat) / wall:7.0f} req/s  "
              f"p50 {percentile(lat, 50):6.1f} ms  p95 {percentile(lat, 95):6.1f} ms  "
              f"p99 {percentile(lat, 99):6.1f} ms  mean {statistics.mean(lat):6.1f} ms  errors {errors}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--seconds", type=int, default=15, help="duration of each wrk run")
    ap.add_argument("--httpx", action="store_true", help="use the Python load generator even if wrk is there")
    args = ap.parse_args()
    import shutil

    seconds = 0 if args.httpx or not shutil.which("wrk") else args.seconds
    if not seconds:
        print("load generator: httpx (asyncio) in this process; install wrk for a lighter one")
    from migralex.cli import default_home

    home = args.home or default_home()
    backends = ["embedded"] + (["elasticsearch"] if os.environ.get("ES_URL") else [])
    # every request to the backend (1 and 2 server processes); then with the result cache
    if len(backends) == 1:
        print("elasticsearch: skipped (set ES_URL and run `migralex index --backend elasticsearch`)")
    for ttl, workers in ((0.0, 1), (0.0, 2), (30.0, 2)):
        for backend in backends:
            run(backend, home, args.clients, args.requests, ttl, workers, seconds)


if __name__ == "__main__":
    main()
