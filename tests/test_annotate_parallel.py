"""migralex.build.annotate with worker processes gives the same annotations as one process (real data:
the migration law's current adilet page, about 700 provision versions)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from corpus.store import Store
from ingest.html_page import parse_document
from migralex import build
from migralex.paths import Paths
from tests.conftest import MIGRATION_LAW


def _annotated(home: Path, workers: int) -> list[str]:
    paths = Paths(home)
    paths.ensure()
    doc = parse_document(MIGRATION_LAW.read_bytes(), act_id="Z1100000477", url="https://adilet.zan.kz/rus/docs/Z1100000477")
    with Store(paths.store) as store:
        store.save_document(doc)
    report = build.annotate(paths, workers=workers, batch_size=64)
    with Store(paths.store) as store:
        assert report.annotated == store.count_versions() > 500
        assert store.count_unannotated(build_pipeline_version()) == 0
        out = io.StringIO()
        store.export_jsonl(out)
    return [line for line in out.getvalue().splitlines() if '"type":"annotation"' in line]


def build_pipeline_version() -> str:
    from nlp.annotate import PIPELINE_VERSION

    return PIPELINE_VERSION


def test_workers_annotate_like_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "PARALLEL_FROM", 1)  # the corpus here is small: use the workers anyway
    calls: list[int] = []
    real = build._annotate_in_parallel

    def spy(store: Store, path: Path, workers: int, batch_size: int, update: Callable[[int], None]) -> int:
        calls.append(workers)
        return real(store, path, workers, batch_size, update)

    monkeypatch.setattr(build, "_annotate_in_parallel", spy)
    serial = _annotated(tmp_path / "one", workers=1)
    assert calls == []
    parallel = _annotated(tmp_path / "two", workers=2)
    assert calls == [2]
    assert parallel == serial and len(serial) > 500


def test_workers_that_cannot_start_leave_the_work_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool whose workers die (as when a script without a ``__main__`` guard starts the build) is a
    fallback to one process, not a failed build."""
    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    class DeadPool(concurrent.futures.ProcessPoolExecutor):
        def submit(self, *args: object, **kwargs: object) -> concurrent.futures.Future[object]:  # type: ignore[override]
            raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", DeadPool)
    assert _annotated(tmp_path / "dead", workers=2) == _annotated(tmp_path / "one", workers=1)
