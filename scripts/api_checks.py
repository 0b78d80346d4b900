"""The API checks of the test command (issue 11), against a REAL served app over the bundled corpus:

1. a bounded schemathesis run on /openapi.json: every operation, every check, a fixed example budget
   (``--examples`` per operation, fixed seed), configured by scripts/schemathesis.toml; it must report
   0 failures and 0 errors;
2. a load smoke test: ``--clients`` concurrent clients for ``--seconds`` on /search (realistic queries,
   without the result cache, so every request reaches the backend), /acts and /health: 0 errors.

    python3 scripts/api_checks.py [--home DIR] [--examples 500] [--clients 50] [--seconds 5]

Builds the bundled corpus (offline) into a temporary home unless ``--home`` holds a built one, serves it
with ``migralex serve --workers 2`` on a free loopback port, and exits non-zero on any failure.
Everything it needs comes from pyproject (``pip install -e '.[dev]'``: schemathesis, httpx).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# the load generator and server runner of the API benchmark (benchmarks/ is not a package)
from api_bench import fmt, load_httpx, request_paths, served  # noqa: E402

SEED = 11


def build(home: Path) -> None:
    from migralex.build import build as run_build
    from migralex.build import is_built
    from migralex.paths import Paths

    paths = Paths(home)
    if is_built(paths):
        print(f"api checks: using the corpus built in {home}", flush=True)
        return
    t = time.perf_counter()
    report = run_build(paths)
    print(f"api checks: built the bundled corpus ({report.indexed} versions) in {time.perf_counter() - t:.0f} s",
          flush=True)


def fuzz(url: str, examples: int) -> bool:
    """The schemathesis CLI on the served OpenAPI; True when it found no failure and no error."""
    cmd = [
        sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
        "--config-file", str(ROOT / "scripts" / "schemathesis.toml"),
        "run", f"{url}/openapi.json", "--checks", "all", "--max-examples", str(examples), "--seed", str(SEED),
        "--workers", "2", "--no-color", "--generation-database", "none", "--request-timeout", "30",
    ]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    summary = [x.strip() for x in lines if "generated" in x or "Selected:" in x or "Tested:" in x]
    print(f"schemathesis ({examples} examples per operation, seed {SEED}, every check): "
          f"{'; '.join(summary)}; exit {out.returncode} in {time.perf_counter() - t:.0f} s", flush=True)
    if out.returncode != 0:
        print(out.stdout[-20000:], out.stderr[-5000:], sep="\n", file=sys.stderr)
    return out.returncode == 0


def smoke(url: str, clients: int, seconds: float) -> bool:
    """``clients`` concurrent clients for ``seconds``: searches, store pages and health; 0 errors wanted."""
    paths = request_paths(1000) + ["/acts", "/acts/Z1100000477", "/health", "/taxonomy"] * 25
    result = asyncio.run(load_httpx(url, paths, clients, seconds))
    print(f"load smoke ({clients} clients, {seconds:.0f} s, no result cache): {fmt(result, 'httpx')}", flush=True)
    return bool(result["errors"] == 0 and result["requests"] > 0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=None, help="a data folder to build in or reuse")
    ap.add_argument("--examples", type=int, default=500, help="schemathesis examples per operation")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="migralex-api-checks-") as tmp:
        home = args.home or Path(tmp)
        build(home)
        with served(home, "embedded", 2, 0.0) as (url, _):
            fuzz_ok = fuzz(url, args.examples)
            smoke_ok = smoke(url, args.clients, args.seconds)
    print(f"api checks: schemathesis {'ok' if fuzz_ok else 'FAILED'}, load smoke {'ok' if smoke_ok else 'FAILED'}")
    return 0 if fuzz_ok and smoke_ok else 1


if __name__ == "__main__":
    sys.exit(main())
