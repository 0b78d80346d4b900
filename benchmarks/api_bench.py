"""API throughput and latency with concurrent clients on loopback (both backends in one run).

    python benchmarks/api_bench.py [--clients 50] [--requests 2000] [--home DIR]

Serves the built corpus (``migralex build`` first; ``--home`` or $MIGRALEX_HOME) with uvicorn in a
subprocess on 127.0.0.1 and sends a bounded number of /search requests from concurrent clients.
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

QUERIES = [
    "выдворение", "выдворения за пределы", "незаконная миграция", "беженец", "ходатайство о признании беженцем",
    "трудовой мигрант", "разрешение работодателю", "лицо без гражданства", "пересечение государственной границы",
    "торговля людьми", "принудительный труд", "специальное учреждение", "кандас квота", "временное убежище",
    "регистрация иностранцев", "въезд и пребывание", "депортация", "реадмиссия", "запрет на въезд", "транзит",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


async def load(url: str, clients: int, total: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    rng = random.Random(7)

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


def run(backend: str, home: Path, clients: int, total: int) -> None:
    port = _free_port()
    env = {**os.environ, "MIGRALEX_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "migralex.cli", "serve", "--port", str(port),
                             "--backend", backend], env=env, stderr=subprocess.DEVNULL)
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
            print(f"{backend}: server did not become healthy (is the corpus built for it?)")
            return
        asyncio.run(load(url, clients, min(200, total)))  # warm-up
        lat, wall, errors = asyncio.run(load(url, clients, total))
        print(f"{backend:14s} {clients} clients, {len(lat)} requests: {len(lat) / wall:7.0f} req/s  "
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
    args = ap.parse_args()
    from migralex.cli import default_home

    home = args.home or default_home()
    run("embedded", home, args.clients, args.requests)
    if os.environ.get("ES_URL"):
        run("elasticsearch", home, args.clients, args.requests)
    else:
        print("elasticsearch: skipped (set ES_URL and run `migralex index --backend elasticsearch`)")


if __name__ == "__main__":
    main()
