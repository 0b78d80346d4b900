"""nlp.lemmatize: one lemma function for the corpus and the queries (docs/design.md §5)."""

from __future__ import annotations

import pytest

from nlp.lemmatize import Token, analyze, fold, lemma, lemma_text

# (word form as written in the samples, expected lemma)
LEMMAS: list[tuple[str, str]] = [
    # docs/design.md §5: every form of выдворение meets the others
    ("выдворение", "выдворение"),
    ("выдворения", "выдворение"),
    ("выдворению", "выдворение"),
    ("выдворен", "выдворение"),
    ("выдворены", "выдворение"),
    ("выдворить", "выдворение"),
    ("выдворяется", "выдворение"),
    ("выдворяемых", "выдворение"),
    ("Выдворение", "выдворение"),
    ("депортации", "депортация"),
    ("депортирован", "депортация"),
    ("реадмиссии", "реадмиссия"),
    # Kazakh migration terms pymorphy3 does not know (its guesses: "кандасова", "кандасам", "оралмана")
    ("кандасы", "кандас"),
    ("кандасов", "кандас"),
    ("кандасам", "кандас"),
    ("кандасом", "кандас"),
    ("оралманы", "оралман"),
    ("оралманов", "оралман"),
    # ordinary legal vocabulary: pymorphy3's top parse is right
    ("беженцев", "беженец"),
    ("беженцы", "беженец"),
    ("мигрантов", "мигрант"),
    ("иностранцев", "иностранец"),
    ("лиц", "лицо"),
    ("гражданства", "гражданство"),
    ("пребывания", "пребывание"),
    ("въезда", "въезд"),
    ("задержания", "задержание"),
    ("принудительного", "принудительный"),
    ("трудовых", "трудовой"),
    ("ходатайства", "ходатайство"),
    ("убежища", "убежище"),
    ("статьи", "статья"),
    ("пункта", "пункт"),
    ("подпункта", "подпункт"),
    ("подлежащие", "подлежать"),
    ("подлежит", "подлежать"),
    # abbreviations expand, with or without their period
    ("ст.", "статья"),
    ("ст", "статья"),
    ("ч.", "часть"),
    ("п.", "пункт"),
    ("пп.", "подпункт"),
    ("подп.", "подпункт"),
    ("РК", "рк"),
    ("МРП", "мрп"),
    # ё folding, numbers, hyphenated compounds, roman numerals with a Cyrillic І
    ("объём", "объем"),
    ("517-1", "517-1"),
    ("292-VІ", "292-vі"),
    ("трудящихся-мигрантов", "трудящийся-мигрант"),
]


@pytest.mark.parametrize(("form", "expected"), LEMMAS)
def test_lemma(form: str, expected: str) -> None:
    assert lemma(form) == expected


def test_query_forms_meet_the_corpus_forms() -> None:
    # what the search relies on: "выдворения", "выдворению" and "выдворен" find "выдворение"
    assert {lemma_text(q) for q in ("выдворения", "выдворению", "выдворен", "выдворить")} == {"выдворение"}


def test_fold() -> None:
    assert fold("Ёж\u00a0ЁЛКА") == "еж елка"


def test_analyze_gives_offsets_into_the_text() -> None:
    text = "Иностранцы, подлежащие выдворению,\u00a0– ст. 517-1 КоАП РК"
    tokens = analyze(text)
    assert all(isinstance(t, Token) for t in tokens)
    assert [t.text for t in tokens] == ["Иностранцы", "подлежащие", "выдворению", "ст", "517-1", "КоАП", "РК"]
    for t in tokens:
        assert text[t.start : t.end] == t.text
    assert [t.lemma for t in tokens][:3] == ["иностранец", "подлежать", "выдворение"]


def test_lemma_text() -> None:
    assert lemma_text("лиц без гражданства") == "лицо без гражданство"
    assert lemma_text("") == ""
