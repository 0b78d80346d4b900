"""ingest.text_copy on the two bundled codes (real adilet text copies), parsed once per module."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

import ingest
from corpus.models import ParsedDocument
from ingest.errors import ParseError
from ingest.parse import parse_path
from ingest.structure import group_lines
from ingest.text_copy import parse_text_copy, text_lines

BUNDLED = Path(ingest.__file__).parent / "bundled"
CRIMINAL = BUNDLED / "K1400000226_criminal_code_rus.txt.gz"
KOAP = BUNDLED / "K1400000235_koap_rus.txt.gz"
EDITORIAL = re.compile(r"Сноска|Снсоска|Примечание\s+(?:ИЗПИ|РЦПИ)")
#: Article headings counted line by line, independently of the parser (what `grep` would do).
HEADING_LINE = re.compile(r"^ ?[CС]татья (\d+(?:-\d+)?)\. ?(.+)$")  # "Статья 410-1.Нарушение" in КоАП


def _read(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def _grep_headings(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for line in text.splitlines() if (m := HEADING_LINE.match(line))}


@pytest.fixture(scope="module")
def criminal_text() -> str:
    return _read(CRIMINAL)


@pytest.fixture(scope="module")
def koap_text() -> str:
    return _read(KOAP)


@pytest.fixture(scope="module")
def criminal(criminal_text: str) -> ParsedDocument:
    return parse_text_copy(criminal_text, act_id="K1400000226")


@pytest.fixture(scope="module")
def koap(koap_text: str) -> ParsedDocument:
    return parse_text_copy(koap_text, act_id="K1400000235")


def _articles(doc: ParsedDocument) -> dict[str, str | None]:
    return {p.number: p.heading for p in doc.provisions if p.kind == "article"}  # type: ignore[misc]


def test_criminal_code_articles_match_grep(criminal: ParsedDocument, criminal_text: str) -> None:
    grep = _grep_headings(criminal_text)
    assert len(grep) == 502  # 467 numbered + 35 inserted ("50-1", "98-1" …)
    assert _articles(criminal) == grep
    assert len({p.eid for p in criminal.provisions}) == len(criminal.provisions)


def test_koap_articles_match_grep_plus_the_one_without_its_word(koap: ParsedDocument, koap_text: str) -> None:
    grep = _grep_headings(koap_text)
    assert len(grep) == 1070
    parsed = _articles(koap)
    # art. 173 lost "Статья" (it was a link): the line reads "173. Незаконное вмешательство …"
    assert parsed.pop("173") == "Незаконное вмешательство в предпринимательскую деятельность"
    assert parsed == grep


@pytest.mark.parametrize(
    ("number", "heading"),
    [
        ("128", "Торговля людьми"),
        ("135", "Торговля несовершеннолетними"),
        ("392", "Умышленное незаконное пересечение Государственной границы Республики Казахстан"),
        ("394", "Организация незаконной миграции"),
        (
            "395",
            "Неоднократное нарушение правил привлечения и использования в Республике Казахстан иностранной "
            "рабочей силы",
        ),
        ("50-1", None),
        ("98-1", None),
    ],
)
def test_criminal_code_migration_articles(criminal: ParsedDocument, number: str, heading: str | None) -> None:
    articles = _articles(criminal)
    assert number in articles
    if heading is not None:
        assert articles[number] == heading


@pytest.mark.parametrize("number", [*map(str, range(492, 497)), *map(str, range(510, 520)), "916", "917", "51"])
def test_koap_migration_articles(koap: ParsedDocument, koap_text: str, number: str) -> None:
    assert _articles(koap)[number] == _grep_headings(koap_text)[number]


def test_koap_article_headings_in_full(koap: ParsedDocument) -> None:
    articles = _articles(koap)
    assert articles["517"] == (
        "Нарушение иностранцем или лицом без гражданства законодательства Республики "
        "Казахстан в области миграции населения"
    )
    assert articles["916"] == (
        "Исполнение постановления об административном выдворении из Республики Казахстан "
        "иностранцев и лиц без гражданства"
    )


def test_criminal_code_hierarchy(criminal: ParsedDocument) -> None:
    p = {x.eid: x for x in criminal.provisions}
    assert p["sec_1"].parent == "part_general" and p["sec_7"].parent == "part_general"
    assert p["sec_5"].heading == "ОСВОБОЖДЕНИЕ ОТ УГОЛОВНОЙ ОТВЕТСТВЕННОСТИ И НАКАЗАНИЯ"  # wrapped heading
    assert p["chp_3"].heading == (
        "УГОЛОВНЫЕ ПРАВОНАРУШЕНИЯ ПРОТИВ КОНСТИТУЦИОННЫХ И ИНЫХ ПРАВ И СВОБОД ЧЕЛОВЕКА И ГРАЖДАНИНА"
    )
    assert p["art_99"].ancestors == ["ОСОБЕННАЯ ЧАСТЬ", "Глава 1. УГОЛОВНЫЕ ПРАВОНАРУШЕНИЯ ПРОТИВ ЛИЧНОСТИ"]
    assert p["art_394"].parent == "chp_16"
    assert p["art_394__para_1"].parent == "art_394"
    assert sum(1 for x in criminal.provisions if x.kind == "chapter") == 18
    assert criminal.act.kind == "кодекс" and criminal.act.title == ""


def test_koap_hierarchy(koap: ParsedDocument) -> None:
    p = {x.eid: x for x in koap.provisions}
    assert p["part_general"].parent == "sec_2" and p["part_special"].parent == "sec_2"
    assert p["chp_28"].parent == "part_special" and p["art_517"].parent == "chp_28"
    assert p["chp_43-1"].parent == "sec_4" and p["art_916"].parent == "chp_52"


@pytest.mark.parametrize(
    ("eid", "fragment"),
    [
        # link lines glued back: "основывается на \nКонституции\n Республики Казахстан"
        ("art_1__para_2", "Настоящий Кодекс основывается на Конституции Республики Казахстан и общепризнанных"),
        ("art_394__para_1", "Организация незаконной миграции путем предоставления транспортных средств"),
        ("art_394__para_1", "\nнаказывается штрафом в размере до трех тысяч месячных расчетных показателей"),
        # a part printed without the indent right after the heading
        ("art_65__para_1", "Лицо, совершившее уголовный проступок либо впервые совершившее преступление"),
        # "3." on its own line, "Исключен Законом РК от 27.12.2019 " and "№ 292-VІ" on the next ones
        ("art_239__para_3", "Исключен Законом РК от 27.12.2019 № 292-VІ (порядок введения в действие см. ст.2)."),
        ("art_146", "Примечания.\n1. Не признаются жестоким"),
        ("art_3", "Содержащиеся в настоящем Кодексе понятия имеют, если нет особых указаний в законе"),
    ],
)
def test_criminal_code_texts(criminal: ParsedDocument, eid: str, fragment: str) -> None:
    assert fragment in {p.eid: p for p in criminal.provisions}[eid].text


def test_only_true_duplicates_are_suffixed(criminal: ParsedDocument, koap: ParsedDocument) -> None:
    suffixed = re.compile(r"(?:para|point)_[\d-]+_\d+$")
    assert [p.eid for p in criminal.provisions if suffixed.search(p.eid)] == []
    # КоАП art. 468 part 1 really has three "1)" lists (one per offender) under unnumbered lead-ins
    assert {p.eid for p in koap.provisions if suffixed.search(p.eid)} == {
        "art_468__para_1__point_1_2", "art_468__para_1__point_1_3", "art_468__para_1__point_2_2",
        "art_468__para_1__point_2_3", "art_468__para_1__point_3_2",
    }
    assert sum(1 for p in criminal.provisions if p.eid.startswith("art_3__point_")) == 48


def test_no_note_text_in_provisions(criminal: ParsedDocument, koap: ParsedDocument) -> None:
    for doc in (criminal, koap):
        assert [p.eid for p in doc.provisions if EDITORIAL.search(p.text)] == []
        assert not any("\xa0" in p.text or "  " in p.text for p in doc.provisions)
        assert not [p.eid for p in doc.provisions if "НАЗАРБАЕВ" in p.text]


def test_multiline_notes_are_joined(criminal_text: str) -> None:
    notes = [b.text for b in group_lines(text_lines(criminal_text)) if b.kind == "note"]
    whole_text = next(n for n in notes if n.startswith("Сноска. По всему тексту:"))
    assert 'слова "ВИЧ/СПИД" заменены словом "ВИЧ" в соответствии с Законом РК от 28.12.2018 № 208-VI' in whole_text
    assert whole_text.endswith("№ 401-VI (вводится в действие с 01.07.2021).")
    art_1 = next(n for n in notes if n.startswith("Сноска. Статья 1 с изменениями"))
    assert "от 05.11.2022 № 157-VII (вводится в действие с 01.01.2023); от 16.07.2025 № 210-VIII" in art_1


def test_amendments_from_notes_and_excluded_parts(criminal: ParsedDocument, koap: ParsedDocument) -> None:
    crim = {(a.eid, a.verb, a.amending_act.number) for a in criminal.amendments}
    assert ("art_239__para_3", "repealed", "292-VI") in crim
    assert any(e == "art_1" and n == "210-VIII" for e, _, n in crim)
    assert any(a.source_kind == "izpi_note" for a in koap.amendments)
    assert criminal.redaction.valid_from is not None


def test_copy_with_plain_space_indents() -> None:
    # synthetic: the layout of K1400000226 art. 394 with the NBSP indent turned into plain spaces
    text = ("Статья 394. Организация незаконной миграции\n\n"
            "      1. Организация незаконной миграции путем предоставления транспортных средств –\n"
            "      наказывается штрафом в размере до трех тысяч месячных расчетных показателей\n"
            "      2. То же деяние, совершенное неоднократно, –\n")
    doc = parse_text_copy(text, act_id="K1400000226")
    assert [p.eid for p in doc.provisions] == ["art_394", "art_394__para_1", "art_394__para_2"]
    assert doc.provisions[1].text.endswith(
        "\nнаказывается штрафом в размере до трех тысяч месячных расчетных показателей"
    )


def test_wrapped_heading_but_not_a_part_glued_to_it() -> None:
    # synthetic layout: K1400000226's wrapped chapter 9 heading, then an article whose first part
    # follows its heading with no blank line and no indent
    text = (" Глава 9. УГОЛОВНЫЕ ПРАВОНАРУШЕНИЯ ПРОТИВ ИНТЕРЕСОВ СЛУЖБЫ В\n"
            "КОММЕРЧЕСКИХ И ИНЫХ ОРГАНИЗАЦИЯХ\n"
            " Статья 250. Злоупотребление полномочиями\n"
            "1. Использование лицом, выполняющим управленческие функции в коммерческой или иной организации\n")
    p = {x.eid: x for x in parse_text_copy(text, act_id="K1400000226").provisions}
    assert p["chp_9"].heading == "УГОЛОВНЫЕ ПРАВОНАРУШЕНИЯ ПРОТИВ ИНТЕРЕСОВ СЛУЖБЫ В КОММЕРЧЕСКИХ И ИНЫХ ОРГАНИЗАЦИЯХ"
    assert p["art_250"].heading == "Злоупотребление полномочиями"
    assert p["art_250__para_1"].text.startswith("Использование лицом")


def test_text_without_structure_raises() -> None:
    with pytest.raises(ParseError, match="K9999999999"):
        parse_text_copy("\xa0\xa0\xa0\xa0\xa0 Просто текст без заголовков.\n", act_id="K9999999999")


def test_parse_path_takes_the_id_from_the_file_name(tmp_path: Path) -> None:
    fragment = "\n".join(_read(CRIMINAL).splitlines()[3640:3870])  # arts. 128-135 region
    named = tmp_path / "K1400000226_fragment_rus.txt"
    named.write_text(fragment, encoding="utf-8")
    doc = parse_path(named)
    assert doc.act.id == "K1400000226" and "art_128" in {p.eid for p in doc.provisions}
    anonymous = tmp_path / "criminal_code.txt"
    anonymous.write_text(fragment, encoding="utf-8")
    with pytest.raises(ParseError, match=r"criminal_code\.txt.*act id"):
        parse_path(anonymous)
    assert parse_path(anonymous, act_id="K1400000226").act.id == "K1400000226"


# --- the other bundled text copies (../shared/sources/SOURCES.md gives their heading counts) -------------

#: (bundled file, act id, article headings per SOURCES.md)
OTHER_COPIES = [
    ("K950001000__constitution_rus_1995ed2022.txt.gz", "K950001000_", 102),  # "Статья 1" … with no period
    ("K1500000414_labour_code_rus.txt.gz", "K1500000414", 221),
    ("K1400000231_criminal_procedure_code_rus.txt.gz", "K1400000231", 686),
    ("K2000000350_admin_procedural_code_rus.txt.gz", "K2000000350", 195),
    ("K2300000224_social_code_rus.txt.gz", "K2300000224", 272),
]
#: "Статья 12" (the Constitution) or "Статья 12. Заголовок", at the margin.
ANY_HEADING_LINE = re.compile(r"^ ?[CС]татья (\d+(?:-\d+)*)(?:\.|\s*$)", re.M)


@pytest.mark.parametrize(("name", "act_id", "articles"), OTHER_COPIES)
def test_other_text_copies_match_sources_md(name: str, act_id: str, articles: int) -> None:
    text = _read(BUNDLED / name)
    doc = parse_text_copy(text, act_id=act_id)
    numbers = [p.number for p in doc.provisions if p.kind == "article"]
    assert len(numbers) == articles
    assert numbers == ANY_HEADING_LINE.findall(text)
    for p in doc.provisions:
        assert not EDITORIAL.search(p.text), (p.eid, p.text[:100])


def test_constitution_articles_without_titles_and_court_references() -> None:
    doc = parse_text_copy(_read(BUNDLED / "K950001000__constitution_rus_1995ed2022.txt.gz"), act_id="K950001000_")
    by = {p.eid: p for p in doc.provisions}
    assert by["preamble"].text.startswith("Мы, народ Казахстана,")
    assert by["sec_I"].heading == "Общие положения"
    assert by["art_1"].heading is None and by["art_1"].parent == "sec_I"
    # "Примечание. См. нормативные постановления Конституционного Суда РК от …" is an editorial
    # reference, not text: art. 1 has only its two points
    assert by["art_1"].text == ""
    assert by["art_1__para_1"].text.startswith("Республика Казахстан утверждает себя демократическим")
    assert "art_1__para_2" in by and "art_1__para_3" not in by
    assert not any("См. нормативные постановления" in p.text for p in doc.provisions)


def test_text_copy_has_no_adilet_anchors() -> None:
    """A plain-text copy lost the page's element ids: Provision.anchor stays None."""
    doc = parse_path(BUNDLED / "K950001000__constitution_rus_1995ed2022.txt.gz")
    assert any(p.kind == "article" for p in doc.provisions)
    assert all(p.anchor is None for p in doc.provisions)
