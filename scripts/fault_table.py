"""The fault table: each backend or store fault, and what the API answered (status, message, time).

    python3 scripts/fault_table.py --home /tmp/mlx        # a built home (migralex --home /tmp/mlx build)

Serves the app in-process (uvicorn on a free loopback port) over a COPY of the built home and, one fault
at a time, asks ``/search`` four times (the 4th shows the circuit breaker, open after 3 failures) and
``/acts`` (which must not wait on the backend). Elasticsearch faults come from the real misbehaving HTTP
server of the tests (tests/search/bad_es_server.py), with a 1 s client timeout; nothing is mocked.
Prints the table; asserts nothing (tests/api/test_backend_faults.py and tests/api/test_hardening.py
assert the same behaviour).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_api.elastic import ElasticBackend  # noqa: E402
from search_api.embedded import EmbeddedBackend  # noqa: E402
from search_api.models import SearchBackend  # noqa: E402
from search_api.web.browser import free_port  # noqa: E402
from tests.api.test_api import serve  # noqa: E402
from tests.search.bad_es_server import bad_elastic  # noqa: E402

TIMEOUT = 1.0



def _ask(client: httpx.Client, path: str, **params: str) -> str:
    t = time.monotonic()
    try:
        r = client.get(path, params=params)
    except httpx.HTTPError as exc:
        return f"no answer ({type(exc).__name__}) after {time.monotonic() - t:.2f} s"
    took = time.monotonic() - t
    try:
        body = r.json()
    except ValueError:
        return f"{r.status_code} non-JSON, {took:.2f} s"
    err = body.get("error") if isinstance(body, dict) else None
    what = f"{err['code']}: {err['message'][:110]}" if err else "ok"
    return f"{r.status_code} {what} ({took:.2f} s)"


@contextmanager
def _copy(home: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fault-table-") as tmp:
        dst = Path(tmp) / "home"
        shutil.copytree(home, dst, ignore=shutil.ignore_patterns("*.lock"))
        yield dst


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True)
    args = ap.parse_args()
    if not (args.home / "corpus.sqlite").exists():
        print(f"no built corpus in {args.home}: run `migralex --home {args.home} build` first", file=sys.stderr)
        return 2

    def es_fault(mode: str) -> Callable[[Path], tuple[AbstractContextManager[object], Callable[[], SearchBackend]]]:
        def make(home: Path) -> tuple[AbstractContextManager[object], Callable[[], SearchBackend]]:
            cm = bad_elastic(mode, delay=3 * TIMEOUT)
            server = cm.__enter__()
            return cm, lambda: ElasticBackend(server.url, request_timeout=TIMEOUT)
        return make

    def refused(home: Path) -> tuple[AbstractContextManager[object], Callable[[], SearchBackend]]:
        url = f"http://127.0.0.1:{free_port()}"
        return nullcontext(), lambda: ElasticBackend(url, request_timeout=TIMEOUT)

    def embedded_after(damage: Callable[[Path], None]) -> Callable[[Path], tuple[AbstractContextManager[object],
                                                                               Callable[[], SearchBackend]]]:
        def make(home: Path) -> tuple[AbstractContextManager[object], Callable[[], SearchBackend]]:
            damage(home)
            return nullcontext(), lambda: EmbeddedBackend(home / "index")
        return make

    def no_index(home: Path) -> None:
        shutil.rmtree(home / "index")

    def corrupt_index(home: Path) -> None:
        gen = (home / "index" / "CURRENT").read_text().strip()
        for f in (home / "index" / gen).iterdir():
            if f.suffix in (".idx", ".store", ".term"):
                f.write_bytes(b"\0" * 64)

    def old_format(home: Path) -> None:
        gen = (home / "index" / "CURRENT").read_text().strip()
        (home / "index" / gen / "migralex.json").write_text('{"format": 1, "count": 0}')

    faults = {
        "Elasticsearch refuses connections": refused,
        "Elasticsearch accepts and never answers": es_fault("hang"),
        "Elasticsearch answers slower than the timeout": es_fault("slow"),
        "an HTML page at ES_URL": es_fault("html"),
        "HTML with Elasticsearch's product header": es_fault("html_with_header"),
        "JSON of another shape, product header": es_fault("odd_json"),
        "JSON of another service (no header)": es_fault("odd_json_no_header"),
        "embedded: index not built": embedded_after(no_index),
        "embedded: index files corrupt": embedded_after(corrupt_index),
        "embedded: index of an older format": embedded_after(old_format),
    }
    print("| fault | /search (first) | /search (the 4th) | /acts meanwhile |")
    print("|---|---|---|---|")
    for name, make in faults.items():
        with _copy(args.home) as home:
            cm, backend = make(home)
            try:
                with serve(home / "corpus.sqlite", backend) as url, httpx.Client(base_url=url, timeout=30) as client:
                    first = _ask(client, "/search", q="виза")
                    for word in ("паспорт", "въезд"):  # the breaker opens after 3 failures in a row
                        _ask(client, "/search", q=word)
                    again = _ask(client, "/search", q="беженец")
                    acts = _ask(client, "/acts")
            finally:
                cm.__exit__(None, None, None)
        print(f"| {name} | {first} | {again} | {acts} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
