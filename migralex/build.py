"""The build: bundled corpus → store → annotations → search index (docs/design.md §1, §6 ``migralex build``).

The one place the three stages are chained; ``migralex build``/``up``/``index``/``annotate`` and
benchmarks/build_bench.py all call these functions, so what is measured is what users run. Each stage
is resumable on its own terms: ingest upserts (re-running changes nothing), annotation continues with
what the current pipeline version has not annotated yet, and the index is rebuilt into a new generation
that replaces the old one only when complete.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

from corpus.store import SaveStats, Store
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

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def ingest(paths: Paths, *, stage: Stage = _silent, report: BuildReport | None = None) -> BuildReport:
    """Parse and store the bundled corpus (offline); re-running changes nothing."""
    from ingest.bundled import MANIFEST, ingest_bundled

    report = report or BuildReport()
    t0 = time.perf_counter()
    paths.ensure()
    with Store(paths.store) as store, stage("ingest", len(MANIFEST)) as update:

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


def annotate(
    paths: Paths, *, batch_size: int = 512, stage: Stage = _silent, report: BuildReport | None = None
) -> BuildReport:
    """Annotate every version the current pipeline version has not annotated (resumable)."""
    from nlp.annotate import PIPELINE_VERSION, annotate_store

    report = report or BuildReport()
    t0 = time.perf_counter()
    with Store(paths.store) as store, stage("annotate", store.count_unannotated(PIPELINE_VERSION)) as update:
        report.annotated = annotate_store(store, batch_size=batch_size, progress=lambda n, _total: update(n))
    report.seconds["annotate"] = time.perf_counter() - t0
    return report


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
    **backend_options: Any,
) -> BuildReport:
    """(Re)build the search index from the store; the old index serves until the new one is complete."""
    from search_api.indexer import index_docs

    report = report or BuildReport()
    t0 = time.perf_counter()
    with Store(paths.store) as store, stage(f"index ({backend})", store.count_versions()) as update:
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
    **backend_options: Any,
) -> BuildReport:
    """Ingest the bundled corpus, annotate it and build the search index, offline. ``force`` starts
    from an empty store and index."""
    if force:
        paths.store.unlink(missing_ok=True)
        shutil.rmtree(paths.index, ignore_errors=True)
    report = ingest(paths, stage=stage)
    annotate(paths, stage=stage, report=report)
    return index(paths, backend=backend, es_url=es_url, stage=stage, report=report, **backend_options)


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
