"""nlp.pipeline: the offline spaCy pipeline for Russian legal text."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from spacy.language import Language

from nlp.lemmatize import analyze, lemma
from nlp.pipeline import build_nlp, get_nlp, process, sentence_starts

BUNDLED = Path(__file__).resolve().parents[2] / "ingest" / "bundled"

# Real sentences from the samples (K1400000235 = КоАП, K1400000226 = УК, Z1100000477 = the migration law).
KOAP_917 = (
    "1) Пограничной службой Комитета национальной безопасности Республики Казахстан при совершении "
    "правонарушений, предусмотренных статьями 510 (частью четвертой), 513 (частью второй), 514 (частью "
    "второй), 516 (частью второй), 517 (частями второй, четвертой, шестой, седьмой) настоящего Кодекса;"
)
KOAP_517_1 = "1. Исключен Законом РК от 27.12.2019 № 292-VІ (порядок введения в действие см. ст. 2 )."


def texts(doc) -> list[str]:
    return [t.text for t in doc]


def test_get_nlp_is_one_cached_blank_russian_pipeline() -> None:
    nlp = get_nlp()
    assert isinstance(nlp, Language)
    assert nlp is get_nlp()
    assert nlp.lang == "ru"
    assert nlp.pipe_names == [
        "legal_retokenizer", "legal_sentences", "legal_lemmatizer", "legal_citations", "topic_tagger",
        "rights_linker", "legal_facts",
    ]  # fmt: skip


def test_annotation_runs_through_the_pipeline_components() -> None:
    doc = process(
        "Иностранцы, не покинувшие территорию Республики Казахстан, подлежат выдворению по ст. 517 КоАП.",
        act_id="Z1100000477", eid="art_60", heading="Выдворение незаконных иммигрантов",
    )  # fmt: skip
    assert doc._.words == analyze(doc.text)
    assert "expulsion" in {t.id for t in doc._.tags}
    assert "expulsion_safeguards" in {r.id for r in doc._.rights}
    assert [(c.target_act_id, c.target_eid) for c in doc._.citations] == [("K1400000235", "art_517")]
    assert doc[0].lemma_ == "иностранец"


def test_components_are_configured_by_data(tmp_path: Path) -> None:
    """A config naming another rule file changes what the tagger finds, with no code change."""
    from nlp.pipeline import CONFIG_PATH, build_nlp
    from nlp.taxonomy import TOPICS_PATH

    topics = json.loads(TOPICS_PATH.read_text(encoding="utf-8"))
    topics["tags"].append({"id": "smuggling", "parent": "illegal_migration", "label": "Контрабанда мигрантов"})
    topics["rules"].append({"id": "smuggling.1", "version": "1", "tag": "smuggling", "confidence": 0.9,
                            "patterns": ["контрабанда мигрант"]})
    (tmp_path / "topics.json").write_text(json.dumps(topics, ensure_ascii=False), encoding="utf-8")
    cfg = CONFIG_PATH.read_text(encoding="utf-8").replace('"topics.json"', f'"{tmp_path / "topics.json"}"')
    (tmp_path / "pipeline.cfg").write_text(cfg, encoding="utf-8")
    nlp = build_nlp(tmp_path / "pipeline.cfg")
    doc = nlp.make_doc("Контрабанда мигрантов через Государственную границу")
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert "smuggling" in {t.id for t in doc._.tags}
    assert "smuggling" not in {t.id for t in process("Контрабанда мигрантов через границу")._.tags}


def test_pipeline_version_follows_the_rule_files(tmp_path: Path) -> None:
    """Any edit of a rule file (or an NLP source) changes the version, so `build` re-annotates."""
    from nlp.pipeline import content_version, pipeline_files, pipeline_version

    files = pipeline_files()
    names = {f.name for f in files}
    assert {"topics.json", "rights.json", "pipeline.cfg", "tagger.py", "rights.py", "eid.py"} <= names
    root = Path(__file__).resolve().parents[2]
    assert pipeline_version() == f"nlp-{content_version(files, root)}"
    copies = []
    for f in files:
        target = tmp_path / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.read_bytes())
        copies.append(target)
    before = content_version(copies, tmp_path)
    assert before == content_version(files, root)  # the same bytes, the same version
    rules = tmp_path / "nlp" / "data" / "topics.json"
    rules.write_text(rules.read_text(encoding="utf-8").replace('"confidence": 0.9', '"confidence": 0.85', 1),
                     encoding="utf-8")
    assert content_version(copies, tmp_path) != before


# (text, tokens that must come out whole)
SINGLE_TOKENS: list[tuple[str, list[str]]] = [
    ("согласно пп. 1) п. 1 ст. 2 Закона", ["пп.", "1)", "п.", "ст."]),
    ("ч. 2 ст. 517-1 КоАП РК", ["ч.", "517-1", "РК"]),
    ("подпунктом 1-1) пункта 1", ["1-1)"]),
    ("вводится в действие с 01.01.2017 г.", ["01.01.2017", "г."]),
    ("в 2017-2018 гг. и т.д.", ["гг.", "и т.д."]),
    ("т.е. в абз. 2 подп. 3) гл. 5 разд. 2", ["т.е.", "абз.", "подп.", "3)", "гл.", "разд."]),
    ("от 27.12.2019 № 292-VІ", ["27.12.2019", "№", "292-VІ"]),
]


@pytest.mark.parametrize(("text", "whole"), SINGLE_TOKENS)
def test_tokenizer_keeps_legal_units_whole(text: str, whole: list[str]) -> None:
    tokens = texts(process(text))
    for token in whole:
        assert token in tokens, (token, tokens)


def test_a_closing_bracket_after_a_number_is_punctuation() -> None:
    # "(см. ст. 2)": the ")" closes the bracket; "1)" in "подпунктом 1)" is an item marker
    doc = process("(порядок введения в действие см. ст. 2) и подпунктом 1) пункта 2")
    tokens = texts(doc)
    at = tokens.index("ст.")
    assert tokens[at : at + 4] == ["ст.", "2", ")", "и"]
    assert "1)" in texts(doc)


SENTENCES: list[tuple[str, list[str]]] = [
    # no break after abbreviations, dates or the number of a numbered part
    (
        "Штраф по ч. 2 ст. 517 КоАП РК от 01.01.2017 г. Иностранцы выдворяются.",
        ["Штраф по ч. 2 ст. 517 КоАП РК от 01.01.2017 г. Иностранцы выдворяются."],
    ),
    (
        "1. Иммигранты обязаны соблюдать порядок. Нарушение влечет ответственность.",
        ["1. Иммигранты обязаны соблюдать порядок.", "Нарушение влечет ответственность."],
    ),
    (
        "согласно пп. 1) п. 1 ст. 2 Закона. Далее текст",
        ["согласно пп. 1) п. 1 ст. 2 Закона.", "Далее текст"],
    ),
    # a paragraph break (blank line, or an indented new line as on adilet) starts a sentence
    (
        "      1. Исключен.\n\n      2. Нарушение правил –\n      влечет штраф",
        ["1. Исключен.", "2. Нарушение правил –", "влечет штраф"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences(text: str, expected: list[str]) -> None:
    got = [s.text.strip() for s in process(text).sents]
    assert [s for s in got if s] == expected


def test_sentence_starts_are_offsets() -> None:
    text = "Первое. Второе ст. 5 Закона. Третье"
    assert sentence_starts(text) == [0, 8, 29]


def test_lemmas_are_those_of_the_lemmatize_module() -> None:
    doc = process(KOAP_917 + " Кандасов, подлежащих выдворению, не выдворяют.")
    for token in doc:
        if not token.is_space:
            assert token.lemma_ == lemma(token.text)
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["Кандасов"] == "кандас"
    assert lemmas["выдворению"] == lemmas["выдворяют"] == "выдворение"


def test_the_pipeline_and_analyze_agree_on_every_word() -> None:
    # the corpus (pipeline) and the queries (analyze) must see the same lemma for the same word
    raw = gzip.decompress((BUNDLED / "K1400000235_koap_rus.txt.gz").read_bytes()).decode("utf-8")
    text = raw[raw.index("Статья 517.") : raw.index("Статья 519.")]
    doc = process(text)
    by_start = {t.idx: t for t in doc}
    checked = 0
    for word in analyze(text):
        token = by_start.get(word.start)
        if token is not None and re.sub(r"\.$", "", token.text) == word.text:
            assert token.lemma_ == word.lemma, word.text
            checked += 1
    assert checked > 300


def test_citations_land_on_the_doc_relative_to_the_provision() -> None:
    doc = process(KOAP_917, act_id="K1400000235", eid="art_917__para_1__point_1")
    eids = [c.target_eid for c in doc._.citations]
    assert eids == ["art_510__para_4", "art_513__para_2", "art_514__para_2", "art_516__para_2",
                    "art_517__para_2", "art_517__para_4", "art_517__para_6", "art_517__para_7"]  # fmt: skip
    assert {c.target_act_id for c in doc._.citations} == {"K1400000235"}
    doc = process(KOAP_517_1, act_id="K1400000235", eid="art_517__para_1")
    assert [(c.text, c.target_act_id, c.target_eid) for c in doc._.citations] == [
        ("Законом РК от 27.12.2019 № 292-VІ", "Z1900000292", None),
        ("ст. 2", "Z1900000292", "art_2"),
    ]


def test_calling_the_pipeline_directly_works_without_context() -> None:
    doc = get_nlp()("статьей 48 настоящего Закона")
    assert doc._.citations[0].target_eid is None  # no citing act given: unresolved, not guessed
    assert doc._.citations[0].resolved is False


def test_empty_text_and_bad_input() -> None:
    assert len(process("")) == 0
    assert process("")._.citations == []
    with pytest.raises(TypeError, match="str"):
        process(b"bytes")  # type: ignore[arg-type]


def test_build_nlp_gives_an_independent_pipeline() -> None:
    assert build_nlp() is not get_nlp()
