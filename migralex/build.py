"""The build: bundled corpus → store → annotations → search index (docs/design.md §1, §6 ``migralex build``).

The one place the three stages are chained; ``migralex build``/``up``/``index``/``annotate`` and
benchmarks/build_bench.py all call these functions, so what is measured is what users run. Each stage
is resumable on its own terms: ingest upserts (re-running changes nothing), annotation continues with
what the current pipeline version has not annotated yet, and the index is rebuilt into a new generation
that replaces the old one only when complete.

A running server is never disturbed (issue 11): a build from scratch (``force``, or the first one) writes
a new store generation and swaps it in atomically (``corpus.store.publish_generation``); the index
swaps its own generation. One build at a time per data folder: the stages hold ``build.lock`` (the
second build waits, and says so through ``on_wait``).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from corpus.store import SaveStats, Store, drop_old_generations, new_generation, publish_generation
from migralex.paths import Paths


class Stage(Protocol):
    """Progress of the long stages: ``with stage(name, total) as update: update(done)``."""

    def __call__(self, name: str, total: int | None) -> AbstractContextManager[Callable[[int], None]]: ...


def _silent(name: str, total: int | None) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda done: None)


@dataclass
class BuildReport:
    """What a build did, with the wall time of each stage (seconds)."""

    acts: list[tuple[str, str, SaveStats]] = field(default_factory=list)  # (act id, title, stats of all its redactions)
    annotated: int = 0
    indexed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the user should know (e.g. a reused build)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


# --- one build at a time ------------------------------------------------------------------------------

_held: dict[Path, tuple[TextIO, int]] = {}  # lock file → (open file, depth): re-entrant in one process


@contextmanager
def build_lock(paths: Paths, *, on_wait: Callable[[str], None] | None = None) -> Iterator[bool]:
    """Hold the data folder's build lock (``flock`` on ``build.lock``, released by the kernel if the
    process dies); yields whether it had to wait for another build. Re-entrant within a process."""
    key = paths.build_lock
    if key in _held:
        fh, depth = _held[key]
        _held[key] = (fh, depth + 1)
        try:
            yield False
        finally:
            _held[key] = (fh, _held[key][1] - 1)
        return
    paths.ensure()
    fh = key.open("a+", encoding="utf-8")
    waited = False
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            if on_wait is not None:
                on_wait(f"another build ({holder}) is running in {paths.home}: waiting for it to finish")
            fcntl.flock(fh, fcntl.LOCK_EX)
            waited = True
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        _held[key] = (fh, 1)
        try:
            yield waited
        finally:
            del _held[key]
            fh.seek(0)
            fh.truncate()
            fh.flush()
    finally:
        fh.close()  # releases the flock


def _live_generation(paths: Paths) -> Path | None:
    """The store generation the store's path points to (None: no store, or one of the older layout)."""
    return paths.store.resolve() if paths.store.is_symlink() else None


# --- the stages -----------------------------------------------------------------------------------------


def ingest(
    paths: Paths, *, stage: Stage = _silent, report: BuildReport | None = None, store_path: Path | None = None
) -> BuildReport:
    """Parse and store the bundled corpus (offline) into ``store_path`` (default: the live store);
    re-running changes nothing."""
    from ingest.bundled import MANIFEST, ingest_bundled

    report = report or BuildReport()
    t0 = time.perf_counter()
    paths.ensure()
    with build_lock(paths), Store(store_path or paths.store) as store, stage("ingest", len(MANIFEST)) as update:

        def done(entry: Any, stats: list[SaveStats]) -> None:  # one act: the stats of each of its redactions
            total = SaveStats(
                act_id=entry.act_id,
                provisions_added=sum(s.provisions_added for s in stats),
                provisions_unchanged=sum(s.provisions_unchanged for s in stats),
                amendments_added=sum(s.amendments_added for s in stats),
                redaction_new=any(s.redaction_new for s in stats),
                versions_removed=sum(s.versions_removed for s in stats),
            )
            report.acts.append((entry.act_id, entry.title, total))
            update(len(report.acts))

        ingest_bundled(store, progress=done)
    report.seconds["ingest"] = time.perf_counter() - t0
    return report


#: Below this many pending versions one process annotates (starting workers would cost more than it saves).
PARALLEL_FROM = 4000


def annotate(
    paths: Paths,
    *,
    batch_size: int = 512,
    stage: Stage = _silent,
    report: BuildReport | None = None,
    store_path: Path | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Annotate every version the current pipeline version has not annotated (resumable). ``workers``
    processes (default: one per core, at most 2) annotate batches in parallel when at least
    :data:`PARALLEL_FROM` versions are pending; this process alone writes, one transaction per batch."""
    from nlp.annotate import PIPELINE_VERSION, annotate_store

    report = report or BuildReport()
    t0 = time.perf_counter()
    path = store_path or paths.store
    n = workers if workers is not None else min(os.cpu_count() or 1, 2)
    with (
        build_lock(paths),
        Store(path) as store,
        stage("annotate", pending := store.count_unannotated(PIPELINE_VERSION)) as update,
    ):
        if n > 1 and pending >= PARALLEL_FROM:
            report.annotated = _annotate_in_parallel(store, path, n, batch_size, update)
        else:
            report.annotated = annotate_store(store, batch_size=batch_size, progress=lambda k, _total: update(k))
    report.seconds["annotate"] = time.perf_counter() - t0
    return report


_worker_store: Store | None = None  # a worker's own read-only connection (the citation resolver reads it)


def _annotate_batch(store_path: str, batch: list[Any]) -> list[Any]:
    from nlp.annotate import annotate_provision

    global _worker_store
    if _worker_store is None:
        _worker_store = Store(store_path, readonly=True)
    return [annotate_provision(p, _worker_store) for p in batch]


def _annotate_in_parallel(store: Store, path: Path, workers: int, batch_size: int,
                          update: Callable[[int], None]) -> int:
    """Batches of pending versions to ``workers`` fresh processes (spawned, not forked: a progress bar's
    thread may hold a lock at fork time; each loads the pipeline once); their annotations saved here as
    they come back. Same result as one process: each version is annotated on its own, and the resolver
    reads only provisions."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool
    from itertools import islice

    from nlp.annotate import PIPELINE_VERSION

    done = 0
    pending = iter(store.unannotated(PIPELINE_VERSION, batch=batch_size))
    running: set[Future[list[Any]]] = set()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            while True:
                while len(running) < 2 * workers and (batch := list(islice(pending, batch_size))):
                    running.add(pool.submit(_annotate_batch, str(path), batch))
                if not running:
                    return done
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    annotations = future.result()
                    store.save_annotations(annotations)
                    done += len(annotations)
                    update(done)
    except BrokenProcessPool:
        # a worker could not start (a script calling the build without an `if __name__ == "__main__":`
        # guard) or died: what is saved stays saved, this process annotates the rest
        from nlp.annotate import annotate_store

        return done + annotate_store(store, batch_size=batch_size, progress=lambda k, _total: update(done + k))


def make_backend(paths: Paths, backend: str, es_url: str | None, **options: Any) -> Any:
    """The search backend a build indexes into and the server reads from."""
    from search_api.backends import make_backend as make

    return make(backend, index_dir=paths.index, es_url=es_url, **options)


def index(
    paths: Paths,
    *,
    backend: str = "embedded",
    es_url: str | None = None,
    stage: Stage = _silent,
    report: BuildReport | None = None,
    store_path: Path | None = None,
    **backend_options: Any,
) -> BuildReport:
    """(Re)build the search index from the store; the old index serves until the new one is complete."""
    from search_api.indexer import index_docs

    report = report or BuildReport()
    t0 = time.perf_counter()
    with (
        build_lock(paths),
        Store(store_path or paths.store) as store,
        stage(f"index ({backend})", store.count_versions()) as update,
    ):
        target = make_backend(paths, backend, es_url, **backend_options)

        def counted() -> Iterator[Any]:
            for n, doc in enumerate(index_docs(store), 1):
                update(n)
                yield doc

        report.indexed = target.index(counted())
    report.seconds["index"] = time.perf_counter() - t0
    return report


def build(
    paths: Paths,
    *,
    backend: str = "embedded",
    es_url: str | None = None,
    force: bool = False,
    stage: Stage = _silent,
    on_wait: Callable[[str], None] | None = None,
    **backend_options: Any,
) -> BuildReport:
    """Ingest the bundled corpus, annotate it and build the search index, offline.

    ``force`` starts from an empty store: a new generation, built completely (ingest, annotate, index
    from it) and then swapped in, so a running server keeps answering from the old one until then. A
    forced build that waited for another build from scratch reuses that one instead of repeating it."""
    before = _live_generation(paths)
    with build_lock(paths, on_wait=on_wait) as waited:
        report = BuildReport()
        if force and waited and _live_generation(paths) not in (None, before):
            force = False
            report.notes.append("a build from scratch finished while this one waited: using it")
        if not force and paths.store.exists():  # in place: resumable, servers read along (WAL)
            ingest(paths, stage=stage, report=report)
            annotate(paths, stage=stage, report=report)
            return index(paths, backend=backend, es_url=es_url, stage=stage, report=report, **backend_options)
        generation = new_generation(paths.store, paths.stores)
        try:
            ingest(paths, stage=stage, report=report, store_path=generation)
            annotate(paths, stage=stage, report=report, store_path=generation)
            index(paths, backend=backend, es_url=es_url, stage=stage, report=report, store_path=generation,
                  **backend_options)
        except BaseException:
            for suffix in ("", "-wal", "-shm", "-journal"):
                generation.with_name(generation.name + suffix).unlink(missing_ok=True)
            raise
        previous = publish_generation(paths.store, generation)
        drop_old_generations(paths.store, paths.stores, keep=previous)
        return report


def is_built(paths: Paths) -> bool:
    """A store and a non-empty embedded index are there (what ``migralex up`` serves)."""
    from search_api.embedded import EmbeddedBackend
    from search_api.models import BackendError

    if not paths.store.exists():
        return False
    try:
        return EmbeddedBackend(paths.index).count() > 0
    except (BackendError, OSError, ValueError):  # a missing or broken index means: build it
        return False
