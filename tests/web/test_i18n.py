"""Interface strings as data: every key the templates and page code use exists in Russian and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search_api.web.i18n import UI_LANGS, Strings, load_strings

WEB = Path(__file__).resolve().parents[2] / "search_api" / "web"
_KEY = re.compile(r"""\bt(?:\.plural)?\(\s*['"]([a-z_]+(?:\.[a-z_]+)+)['"](?!\s*~)""")
_PREFIX = re.compile(r"""\bt(?:\.has)?\(\s*['"]([a-z_]+\.[a-z_]*)['"]\s*~""")


def _used() -> tuple[set[str], set[str]]:
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        keys |= set(_KEY.findall(text))
        prefixes |= set(_PREFIX.findall(text))
    return keys, prefixes


@pytest.mark.parametrize("lang", UI_LANGS)
def test_every_key_used_exists(lang: str) -> None:
    strings = load_strings(lang)
    keys, prefixes = _used()
    plural = {k for k in keys if f"{k}.one" in strings}
    missing = sorted(k for k in keys - plural if k not in strings)
    assert not missing, f"{lang}: {missing}"
    assert {"status.", "verb.", "lang.", "act_status.", "polarity.", "change."} <= prefixes
    for prefix in prefixes:  # "error.title_" ~ code: some key starts so
        assert any(k.startswith(prefix) for k in strings), f"{lang}: nothing under {prefix}"


def test_languages_have_the_same_keys_except_plural_forms() -> None:
    ru, en = load_strings("ru"), load_strings("en")
    extra_en = {k for k in set(en) - set(ru) if not k.startswith(("taxonomy.", "act_titles."))}
    assert not extra_en
    assert {k for k in set(ru) - set(en)} <= {k for k in ru if k.endswith(".few")}


def test_every_amendment_verb_status_and_polarity_has_words() -> None:
    from corpus.models import AMENDMENT_VERBS
    from corpus.timeline import VERSION_STATUSES

    for lang in UI_LANGS:
        t = Strings(lang)
        assert all(t.has(f"verb.{v}") for v in AMENDMENT_VERBS)
        assert all(t.has(f"status.{s}") for s in VERSION_STATUSES)
        assert all(t.has(f"polarity.{p}") for p in ("guarantees", "restricts", "procedure"))


def test_taxonomy_labels_come_from_the_data_in_russian_and_are_translated_in_english() -> None:
    from nlp.taxonomy import load_rights, load_topics

    ru, en = Strings("ru"), Strings("en")
    for tag in load_topics().tags.values():
        assert ru.tag_label(tag.id) == tag.label
        assert en.tag_label(tag.id) != tag.id
    for right in load_rights().rights.values():
        assert ru.right_label(right.id) == right.label
        assert en.right_label(right.id) != right.id


def test_russian_plurals() -> None:
    t = Strings("ru")
    assert [t.plural("search.found", n) for n in (1, 3, 5, 11, 21, 22, 112)] == [
        "Найдено 1 положение", "Найдено 3 положения", "Найдено 5 положений", "Найдено 11 положений",
        "Найдено 21 положение", "Найдено 22 положения", "Найдено 112 положений"]
