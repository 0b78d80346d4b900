"""Choosing a search backend by name (CLI ``--backend``, API settings)."""

from __future__ import annotations

from pathlib import Path

from search_api.models import SearchBackend

BACKENDS: tuple[str, ...] = ("embedded", "elasticsearch")


def make_backend(
    name: str,
    *,
    index_dir: Path | None = None,
    es_url: str | None = None,
    index_name: str = "migralex",
    request_timeout: float | None = None,
) -> SearchBackend:
    """``embedded`` → :class:`~search_api.embedded.EmbeddedBackend` in ``index_dir``;
    ``elasticsearch`` → :class:`~search_api.elastic.ElasticBackend` at ``es_url`` (imported only
    then, so the embedded default never loads the Elasticsearch client)."""
    if name == "embedded":
        if index_dir is None:
            raise ValueError("the embedded backend needs index_dir (the folder of the index)")
        from search_api.embedded import EmbeddedBackend

        return EmbeddedBackend(index_dir)
    if name == "elasticsearch":
        if not es_url:
            raise ValueError("the elasticsearch backend needs es_url (e.g. http://127.0.0.1:9200)")
        from search_api.elastic import ElasticBackend

        if request_timeout is None:
            return ElasticBackend(url=es_url, index_name=index_name)
        return ElasticBackend(url=es_url, index_name=index_name, request_timeout=request_timeout)
    raise ValueError(f"unknown search backend {name!r}: choose one of {', '.join(BACKENDS)}")
