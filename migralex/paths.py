"""Where MigraLex keeps its data: ``$MIGRALEX_HOME`` (default ``~/.local/share/migralex``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_home() -> Path:
    env = os.environ.get("MIGRALEX_HOME")
    if env:
        return Path(env).expanduser()
    return Path(os.environ.get("XDG_DATA_HOME", "~/.local/share")).expanduser() / "migralex"


@dataclass(frozen=True)
class Paths:
    """The data folder: ``corpus.sqlite`` (the store: a symlink to its live generation in ``stores/``
    once a build has made one), ``index/`` (the embedded search index), ``cache/`` (raw adilet pages)
    and ``build.lock`` (held by a running build)."""

    home: Path
    store: Path = field(init=False)
    stores: Path = field(init=False)
    index: Path = field(init=False)
    cache: Path = field(init=False)
    build_lock: Path = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "store", self.home / "corpus.sqlite")
        object.__setattr__(self, "stores", self.home / "stores")
        object.__setattr__(self, "index", self.home / "index")
        object.__setattr__(self, "cache", self.home / "cache")
        object.__setattr__(self, "build_lock", self.home / "build.lock")

    def ensure(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
