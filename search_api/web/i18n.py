"""Interface strings as data: one JSON file per interface language in ``i18n/`` (``ru.json`` first).

Keys are dotted paths into the file (``"search.submit"``); a string may hold ``{name}`` fields filled
by :meth:`Strings.__call__`. A key missing from a language falls back to Russian, and a key missing
everywhere is shown as itself (and ``tests/web/test_i18n.py`` fails), so nothing crashes a page.

Topic and right labels come from the taxonomy data (``nlp/data/topics.json``, ``rights.json``:
``label``, in Russian); an interface language may translate them under ``taxonomy.tags.<id>`` and
``taxonomy.rights.<id>``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

I18N_DIR = Path(__file__).resolve().parent / "i18n"
#: Interface languages, the default first.
UI_LANGS: tuple[str, ...] = ("ru", "en")
DEFAULT_UI = UI_LANGS[0]


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{path}."))
        else:
            out[path] = str(value)
    return out


@cache
def load_strings(lang: str) -> dict[str, str]:
    """The flattened strings of one interface language (``ValueError`` for an unknown language)."""
    if lang not in UI_LANGS:
        raise ValueError(f"unknown interface language {lang!r}; one of {', '.join(UI_LANGS)}")
    return _flatten(json.loads((I18N_DIR / f"{lang}.json").read_text(encoding="utf-8")))


class Strings:
    """The strings of one interface language, callable: ``t("search.found", n=5)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in UI_LANGS else DEFAULT_UI
        self._own = load_strings(self.lang)
        self._fallback = load_strings(DEFAULT_UI)

    def get(self, key: str) -> str | None:
        return self._own.get(key, self._fallback.get(key))

    def __call__(self, key: str, **fields: object) -> str:
        text = self.get(key)
        if text is None:
            return key
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def plural(self, key: str, n: int) -> str:
        """``key.one`` / ``key.few`` / ``key.many`` by Russian plural rules (English: one / many)."""
        if self.lang == "ru":
            if n % 10 == 1 and n % 100 != 11:
                form = "one"
            elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
                form = "few"
            else:
                form = "many"
        else:
            form = "one" if n == 1 else "many"
        return self(f"{key}.{form}", n=n)

    def tag_label(self, tag_id: str) -> str:
        """A topic tag's label: the interface's translation, else the taxonomy's Russian label."""
        own = self._own.get(f"taxonomy.tags.{tag_id}")
        if own:
            return own
        from nlp.taxonomy import load_topics

        tag = load_topics().tags.get(tag_id)
        return tag.label if tag is not None and tag.label else tag_id

    def right_label(self, right_id: str) -> str:
        own = self._own.get(f"taxonomy.rights.{right_id}")
        if own:
            return own
        from nlp.taxonomy import load_rights

        right = load_rights().rights.get(right_id)
        return right.label if right is not None and right.label else right_id
