"""ingest.markdown: the reference bank's Markdown (kazakhstan-law/codes) into the same records as adilet.

Snippets: tests/ingest/markdown_cases.py (verbatim, with their origin). Whole files: the bundled
copies of ../shared/sources (ingest/bundled/*.md.gz, md5 of the originals in ingest/bundled/SOURCES.md);
their article counts are the ones ../shared/sources/SOURCES.md states.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import ingest
from corpus.models import ParsedDocument, Provision
from ingest.bank_meta import parse_requisite, read_meta, source_date
from ingest.errors import ParseError
from ingest.markdown import (
    assemble_parts,
    looks_like_markdown,
    markdown_lines,
    parse_markdown,
    parse_markdown_version,
    part_paths,
)
from ingest.parse import parse_path
from ingest.structure import group_lines
from migralex.cli import main
from tests.ingest import markdown_cases as C

BUNDLED = Path(ingest.__file__).parent / "bundled"
EDITORIAL = re.compile(r"Сноска|Снсоска|Ескерту|Примечание\s+РЦПИ|ескертпесі")
MARKUP = re.compile(r"\*|^>|#|<a |```|↑|\|")
#: Article headings as the Markdown writes them, counted line by line without the parser.
HEADING_LINE = re.compile(r"^(?:#{2,6}\s+|\*\*)(?:[CС]татья\s+(\d+(?:-\d+)*)|(\d+(?:-\d+)*)-бап)\b", re.M)


def _read(name: str) -> str:
    return gzip.decompress((BUNDLED / name).read_bytes()).decode("utf-8")


def _by_eid(doc: ParsedDocument) -> dict[str, Provision]:
    return {p.eid: p for p in doc.provisions}


def _rows(doc: ParsedDocument) -> list[tuple[str, str, str | None, str | None]]:
    return [(p.eid, p.kind, p.number, p.parent) for p in doc.provisions]


def _amendments(doc: ParsedDocument) -> list[tuple[str | None, str, str | None, str | None, str]]:
    return [
        (a.eid, a.verb, a.amending_act.number, a.amending_act.date.isoformat() if a.amending_act.date else None,
         a.source_kind)
        for a in doc.amendments
    ]


def _clean(doc: ParsedDocument) -> None:
    """No note and no Markdown markup ever reaches provision text or headings."""
    for p in doc.provisions:
        for text in (p.text, p.heading or ""):
            assert not EDITORIAL.search(text), (p.eid, text[:120])
            assert not MARKUP.search(text), (p.eid, text[:120])


# --- snippets ------------------------------------------------------------------------------------

SNIPPETS = [
    pytest.param(
        C.RUS_2022_CHAPTER_3,
        "rus",
        [
            ("chp_3", "chapter", "3", None),
            ("art_16", "article", "16", "chp_3"),
            ("art_17", "article", "17", "chp_3"),
            ("art_17-1", "article", "17-1", "chp_3"),
            ("art_17-1__point_1", "item", "1", "art_17-1"),
            ("art_17-1__point_2", "item", "2", "art_17-1"),
        ],
        [
            # "> *Сноска. Cтатья 16 исключена …*" with a Latin "C", and an indented note on a new article
            ("art_16", "repealed", "153-V", "2013-12-10", "footnote"),
            ("art_17", "repealed", "153-V", "2013-12-10", "footnote"),
            ("art_17-1", "added", "421-V", "2015-11-24", "footnote"),
        ],
        id="headings-anchors-notes-latin-C",
    ),
    pytest.param(
        C.KAZ_2022_ART_8_1,
        "kaz",
        [
            ("art_8-1", "article", "8-1", None),
            ("art_9", "article", "9", None),
            ("art_9__point_1", "item", "1", "art_9"),
        ],
        [],  # Kazakh "Ескерту" notes give no records (the Russian redaction carries them)
        id="kazakh-bap-and-italic-eskertu",
    ),
    pytest.param(
        C.RUS_2012_MAIN_AND_PART,
        "rus",
        [
            ("preamble", "preamble", None, None),
            ("chp_1", "chapter", "1", None),
            ("art_1", "article", "1", "chp_1"),
            ("art_1__point_1", "item", "1", "art_1"),
            ("art_1__point_2", "item", "2", "art_1"),
        ],
        [],
        id="multi-part-toc-and-parts-list-dropped",
    ),
    pytest.param(
        C.RUS_2012_RCPI_HEADING,
        "rus",
        [
            ("point_3", "item", "3", None),
            ("para_2", "part", "2", None),
            ("chp_10", "chapter", "10", None),  # not "chp_10" twice: the note's body is no heading
            ("art_52", "article", "52", "chp_10"),
            ("art_52__para_1", "part", "1", "art_52"),
        ],
        [],
        id="rcpi-note-body-as-heading",
    ),
    pytest.param(
        C.KOAP_CHAPTER_FILE_HEAD,
        "rus",
        [
            ("chp_28", "chapter", "28", None),
            ("art_510", "article", "510", "chp_28"),
            ("art_510__para_1", "part", "1", "art_510"),
            ("art_510__para_1__point_1", "item", "1", "art_510__para_1"),
            ("art_510__para_1__point_2", "item", "2", "art_510__para_1"),
            ("art_510__para_1__point_3", "item", "3", "art_510__para_1"),
        ],
        [],
        id="chapter-file-backlink",
    ),
    pytest.param(
        C.IMMIGRATION_1992_END,
        "rus",
        [
            ("art_27", "article", "27", None),
            ("art_27__para_1", "part", "1", "art_27"),
            ("art_27__para_2", "part", "2", "art_27"),
            ("art_28", "article", "28", None),
            ("art_29", "article", "29", None),
            ("art_30", "article", "30", None),
        ],
        [],
        id="1992-split-heading-and-code-fence",
    ),
    pytest.param(
        C.BOLD_LAYOUT_1991,
        "rus",
        [
            ("preamble", "preamble", None, None),
            ("chp_1", "chapter", "1", None),
            ("art_1", "article", "1", "chp_1"),
            ("art_2", "article", "2", "chp_1"),
            ("art_3", "article", "3", "chp_1"),
            ("art_4", "article", "4", "chp_1"),
            ("art_5", "article", "5", "chp_1"),
            ("chp_2", "chapter", "2", None),
            ("art_6", "article", "6", "chp_2"),
        ],
        [],
        id="bold-line-headings",
    ),
    pytest.param(
        C.CONSTITUTION_PART_HEAD,
        "rus",
        [
            ("sec_I", "section", "I", None),
            ("art_1", "article", "1", "sec_I"),
            ("art_1__para_1", "part", "1", "art_1"),
            ("art_1__para_2", "part", "2", "art_1"),
            ("art_2", "article", "2", "sec_I"),
            ("art_2__para_1", "part", "1", "art_2"),
        ],
        [],  # "См. постановление Конституционного Совета" is a review, not an amendment
        id="headings-without-period",
    ),
]


@pytest.mark.parametrize(("text", "lang", "provisions", "amendments"), SNIPPETS)
def test_snippets(text: str, lang: str, provisions: list[tuple[str, str, str | None, str | None]],
                  amendments: list[tuple[str | None, str, str | None, str | None, str]]) -> None:
    doc = parse_markdown(text, act_id="Z1100000477")
    assert doc.redaction.lang == lang
    assert all(p.lang == lang for p in doc.provisions)
    assert _rows(doc) == provisions
    assert _amendments(doc) == amendments
    _clean(doc)


def test_excluded_articles_keep_their_heading_and_no_text() -> None:
    doc = _by_eid(parse_markdown(C.RUS_2022_CHAPTER_3, act_id="Z1100000477"))
    assert doc["art_16"].heading == "Квота иммиграции оралманов"
    assert doc["art_16"].text == ""
    assert doc["art_17-1"].text == "Кандасы делятся на следующие категории:"
    assert doc["chp_3"].heading == "ИММИГРАЦИЯ С ЦЕЛЬЮ ВОЗВРАЩЕНИЯ НА ИСТОРИЧЕСКУЮ РОДИНУ"


def test_italic_excluded_items_stay_items_with_their_records() -> None:
    doc = parse_markdown(C.RUS_2022_ART_8_ITALIC_ITEMS, act_id="Z1100000477")
    by = _by_eid(doc)
    # "*2) исключен Законом РК от 13.05.2020 № 327-VІ (…);*" in the source
    assert by["art_8__point_2"].text.startswith("исключен Законом РК от 13.05.2020 № 327-VІ (вводится")
    assert by["art_8__point_7-1"].text == (
        "исключен Законом РК от 25.12.2017 № 122-VI (вводится в действие с 01.01.2018);"
    )
    excluded = [a for a in _amendments(doc) if a[4] == "excluded_item"]
    assert excluded == [
        ("art_8__point_2", "repealed", "327-VI", "2020-05-13", "excluded_item"),
        ("art_8__point_3", "repealed", "421-V", "2015-11-24", "excluded_item"),
        ("art_8__point_5-1", "repealed", "327-VI", "2020-05-13", "excluded_item"),
        ("art_8__point_7-1", "repealed", "122-VI", "2017-12-25", "excluded_item"),
        ("art_8__point_8", "repealed", "421-V", "2015-11-24", "excluded_item"),
    ]
    # the bare italic note of the stub art. 8-1 ("*Сноска. Статья 8-1 исключена …*") is a note
    assert ("art_8-1", "repealed", "147-VI", "2018-04-16", "footnote") in _amendments(doc)
    assert by["art_8-1"].text == ""
    _clean(doc)


def test_1992_heading_over_two_paragraphs_and_fenced_text() -> None:
    by = _by_eid(parse_markdown(C.IMMIGRATION_1992_END, act_id="EKB104249"))
    assert by["art_27"].heading == (
        "Ответственность иммигрантов, совершивших административные правонарушения или преступления"
    )
    # the paragraph before the fence goes on inside it; "Президент / Республики Казахстан" is dropped
    assert by["art_29"].text == (
        "Разногласия, возникающие в рамках настоящего Закона между службами иммиграции и иммигрантами, "
        "разрешаются иммиграционным ведомством, между предприятиями (организациями) и иммигрантами - "
        "главой местной администрации. Иммигрант, не удовлетворенный в своих требованиях, вправе "
        "обратиться в суд."
    )
    assert by["art_30"].heading == "Приоритет межгосударственных соглашений"
    assert by["art_30"].text == (
        "В случае противоречия между нормами данного Закона и межгосударственными соглашениями действуют "
        "нормы межгосударственных соглашений."
    )


def test_bold_layout_heading_is_the_first_sentence_and_signature_dropped() -> None:
    by = _by_eid(parse_markdown(C.BOLD_LAYOUT_1991, act_id="Z1100000477"))
    assert by["art_2"].heading == (
        "Республика Казахстан строит свои взаимоотношения со всеми государствами на принципах международного права."
    )
    assert by["art_6"].text.split("\n")[-1] == "Посягательство на гражданское равноправие преследуется по закону."
    end = parse_markdown(C.BOLD_LAYOUT_1991_END, act_id="Z1100000477")
    assert [p.eid for p in end.provisions] == ["art_18"]
    assert end.provisions[0].text == (
        "Нормы Конституции и иных законодательных актов Республики Казахстан действуют, поскольку они не "
        "противоречат настоящему Закону."
    )


@pytest.mark.parametrize("text", [C.REFUGEES_END, C.REFUGEES_KAZ_END])
def test_signature_lines_are_dropped_in_both_languages(text: str) -> None:
    doc = parse_markdown(text, act_id="Z090000216_")
    assert [p.eid for p in doc.provisions] == ["art_21"]
    assert "\n" not in doc.provisions[0].text  # "**Президент …**" / "**Н. Назарбаев**" are not text


def test_act_wide_notes_at_the_top_never_enter_the_text() -> None:
    doc = parse_markdown(C.FOREIGNERS_TOP, act_id="U950002337_")
    assert doc.act.title == "О правовом положении иностранцев"
    assert [p.eid for p in doc.provisions] == ["sec_I", "art_1"]  # no preamble made of notes
    verbs = {(a.eid, a.verb, a.amending_act.number) for a in doc.amendments}
    # "> *По всему тексту:*" and the next "> *слова … заменены …*" block are one note
    assert (None, "replaced_throughout", "227") in verbs
    replaced = next(a for a in doc.amendments if a.verb == "replaced_throughout")
    assert "иностранцев" in replaced.new_words
    _clean(doc)


def test_front_matter_dates_the_version_and_names_its_cause() -> None:
    v = parse_markdown_version(C.RUS_2019_FRONT_MATTER, act_id="Z1100000477")
    assert v.doc.redaction.valid_from == date(2019, 1, 1)
    assert v.doc.redaction.url == "https://zan.gov.kz/client/#!/doc/59947/rus/01.01.2019"
    assert v.meta.caused_by is not None and v.meta.caused_by.code == "127371"
    assert v.meta.caused_by.number is None  # the older front matter names the bank's code only
    act = v.doc.act
    assert (act.kind, act.number, act.adopted) == ("закон", "477-IV", date(2011, 7, 22))
    assert act.title == "О миграции населения"


def test_source_address_dates_a_version_without_version_date() -> None:
    v = parse_markdown_version(C.RUS_2012_MAIN_AND_PART, act_id="Z1100000477")
    assert v.doc.redaction.valid_from == date(2012, 4, 27)
    assert [p.path for p in v.layout.parts] == [
        "03-laws/20110722-o-migratsii-naseleniia-59947/rus.md",
        "03-laws/20110722-o-migratsii-naseleniia-59947/rus/ch001.md",
    ]
    assert not v.partial


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        (C.KOAP_CHAPTER_FILE_HEAD, ["chp_28", "art_510"]),
        (C.CONSTITUTION_PART_HEAD, ["sec_I", "art_1", "art_2"]),
    ],
)
def test_part_files_read_alone_are_excerpts(text: str, scope: list[str]) -> None:
    v = parse_markdown_version(text, act_id="K1400000235")
    assert v.partial
    assert v.scope == scope


def test_meta_yaml_for_the_files_language() -> None:
    meta = {
        "requisite": "Закон Республики Казахстан от 22 июля 2011 года № 477-IV",
        "title": {"rus": "О миграции населения", "kaz": "Халықтың көші-қоны туралы"},
        "version_date": {"kaz": date(2022, 7, 14), "rus": date(2022, 7, 14)},
        "source": {"kaz": "https://zan.gov.kz/client/#!/doc/59947/kaz/14.07.2022"},
        "caused_by": {"code": "169857", "requisite": "Закон Республики Казахстан от 14 июля 2022 года № 141-VII ЗРК"},
    }
    v = parse_markdown_version(C.KAZ_2022_ART_8_1, act_id="Z1100000477", meta=meta)
    assert v.doc.redaction.lang == "kaz"
    assert v.doc.act.title == "Халықтың көші-қоны туралы"
    assert v.doc.redaction.valid_from == date(2022, 7, 14)
    cb = v.meta.caused_by
    assert cb is not None
    assert (cb.code, cb.kind, cb.number, cb.date, cb.id) == (
        "169857", "закон", "141-VII", date(2022, 7, 14), "Z2200000141"
    )


@pytest.mark.parametrize(
    ("requisite", "kind", "adopted", "number", "ended", "ended_on"),
    [
        ("Закон Республики Казахстан от 22 июля 2011 года № 477-IV", "закон", date(2011, 7, 22), "477-IV", False, None),
        ("Кодекс Республики Казахстан от 5 июля 2014 года № 235-V ЗРК", "кодекс", date(2014, 7, 5), "235-V",
         False, None),
        ("Закон Республики Казахстан от 13 мая 2020 года № 327-VІ ЗРК", "закон", date(2020, 5, 13), "327-VI",
         False, None),
        # a Latin "p" in "декабpя" (the bank's): the number is read, the date is left to approved_on
        ("Закон Республики Казахстан от 20 декабpя 1991 года № 1017-XII", "закон", None, "1017-XII", False, None),
        ("Закон Республики Казахстан от 26 июня 1992 года. Утратил силу - Законом РК от 13 декабря 1997 года N 205",
         "закон", date(1992, 6, 26), None, True, None),
        ("Конституция принята на республиканском референдуме 30 августа 1995 года. Прекратила действие с 1 июля "
         "2026 года в соответствии с Конституцией Республики Казахстан, принятой на республиканском референдуме "
         "15 марта 2026 года", "конституция", None, None, True, date(2026, 7, 1)),
    ],
)
def test_requisites_of_the_bank(requisite: str, kind: str, adopted: date | None, number: str | None, ended: bool,
                                ended_on: date | None) -> None:
    r = parse_requisite(requisite)
    assert (r.kind, r.adopted, r.number, r.ended, r.ended_on) == (kind, adopted, number, ended, ended_on)


def test_source_address_date() -> None:
    assert source_date("https://zan.gov.kz/client/#!/doc/59947/rus/27.04.2012") == date(2012, 4, 27)
    assert source_date("https://zan.gov.kz/client/#!/doc/169857/rus") is None
    assert source_date(None) is None


def test_bad_metadata_is_an_error_naming_the_field() -> None:
    with pytest.raises(ParseError, match="version_date is not a date"):
        read_meta({"version_date": "yesterday"}, "rus", "meta.yaml")
    with pytest.raises(ParseError, match="front matter opened with '---' is never closed"):
        parse_markdown("---\nsource: x\n\n### Статья 1. Т\n\nтекст\n", act_id="Z1100000477", where="f.md")
    with pytest.raises(ParseError, match=r"f\.md: the Markdown holds no headings"):
        parse_markdown("# Заголовок\n\nПросто текст.\n", act_id="Z1100000477", where="f.md")
    with pytest.raises(ParseError, match="bad YAML"):
        parse_markdown("---\nsource: [x\n---\n### Статья 1. Т\n", act_id="Z1100000477", where="f.md")


def test_split_act_is_assembled_from_its_parts_list() -> None:
    first_part = "<!-- part: kazakhstan-law/codes 03-laws/20110722-o-migratsii-naseleniia-59947/rus/ch001.md"
    main = C.RUS_2012_MAIN_AND_PART.split(first_part)[0]
    main = main.split("\n", 1)[1]  # the main file as the repository has it (no part line)
    assert part_paths(main) == ["rus/ch001.md", "rus/ch008.md"]
    asked: list[str] = []

    def read(rel: str) -> str:
        asked.append(rel)
        return "↑ [Вся редакция](../rus.md)\n\n## Глава 1. ОСНОВНЫЕ ПОЛОЖЕНИЯ\n" if rel.endswith("1.md") else (
            "## Глава 8. ОБЩИЕ ОСНОВАНИЯ\n"
        )

    text = assemble_parts(main, read, repo="r", main_path="03-laws/x/rus.md", commit="0609461")
    assert asked == ["rus/ch001.md", "rus/ch008.md"]
    assert "<!-- part: r 03-laws/x/rus/ch008.md @ 0609461 -->" in text
    v = parse_markdown_version(text, act_id="Z1100000477")
    assert [p.eid for p in v.doc.provisions] == ["preamble", "chp_1", "chp_8"]
    assert not v.partial  # the main part (with the title) is there


# --- whole files ----------------------------------------------------------------------------------

#: (bundled file, act id, lang, articles per SOURCES.md, editorial notes per SOURCES.md)
FILES = [
    ("Z1100000477_rus_2012-04-27.md.gz", "Z1100000477", "rus", 63, 4),
    ("Z1100000477_rus_2019-01-01.md.gz", "Z1100000477", "rus", 70, 57),
    ("Z1100000477_rus_2022-07-14.md.gz", "Z1100000477", "rus", 72, 68),
    ("Z1100000477_kaz_2022-07-14.md.gz", "Z1100000477", "kaz", 72, 68),
    ("Z090000216__refugees_rus_2020-11-16.md.gz", "Z090000216_", "rus", 21, 9),
    ("Z090000216__refugees_kaz_2020-11-16.md.gz", "Z090000216_", "kaz", 21, 9),
    ("Z910004800__citizenship_rus_2024-07-17.md.gz", "Z910004800_", "rus", 45, 49),
    ("U950002337__foreigners_legal_status_rus_2023-07-01.md.gz", "U950002337_", "rus", 31, 23),
    ("Z1300000070_border_rus_2020-07-07.md.gz", "Z1300000070", "rus", 83, 34),
    ("K1400000235_koap_ch28_arts510-520_rus_2020-05-13.md.gz", "K1400000235", "rus", 11, 8),
    ("K1400000226_criminal_code_arts392-395_rus_2023-01-01.md.gz", "K1400000226", "rus", 4, 3),
    # 29 "### Статья" headings + "Статья 30." inside the code fence
    ("immigration_law_1992_rus_1992-06-25.md.gz", "EKB104249", "rus", 30, 0),
]


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedDocument]:
    return {name: parse_path(BUNDLED / name, act_id=act_id) for name, act_id, *_ in FILES}


@pytest.mark.parametrize(("name", "act_id", "lang", "articles", "notes"), FILES)
def test_whole_files_match_sources_md(parsed: dict[str, ParsedDocument], name: str, act_id: str, lang: str,
                                      articles: int, notes: int) -> None:
    doc = parsed[name]
    text = _read(name)
    numbers = [p.number for p in doc.provisions if p.kind == "article"]
    assert len(numbers) == articles
    grep = [m[1] or m[2] for m in HEADING_LINE.finditer(text)]
    assert numbers[: len(grep)] == grep  # the parser's articles are the headings, in order
    assert doc.redaction.lang == lang and doc.act.languages == [lang]
    assert len({p.eid for p in doc.provisions}) == len(doc.provisions)
    lines, _ = markdown_lines(text)
    found = [b.text for b in group_lines(lines) if b.kind == "note" and re.match(r"Сноска|Ескерту", b.text)]
    assert len(found) == notes
    _clean(doc)


def test_whole_files_dated_by_their_metadata(parsed: dict[str, ParsedDocument]) -> None:
    dates = {name: parsed[name].redaction.valid_from for name, *_ in FILES}
    assert dates == {
        "Z1100000477_rus_2012-04-27.md.gz": date(2012, 4, 27),
        "Z1100000477_rus_2019-01-01.md.gz": date(2019, 1, 1),
        "Z1100000477_rus_2022-07-14.md.gz": date(2022, 7, 14),
        "Z1100000477_kaz_2022-07-14.md.gz": date(2022, 7, 14),
        "Z090000216__refugees_rus_2020-11-16.md.gz": date(2020, 11, 16),
        "Z090000216__refugees_kaz_2020-11-16.md.gz": date(2020, 11, 16),
        "Z910004800__citizenship_rus_2024-07-17.md.gz": date(2024, 7, 17),
        "U950002337__foreigners_legal_status_rus_2023-07-01.md.gz": date(2023, 7, 1),
        "Z1300000070_border_rus_2020-07-07.md.gz": date(2020, 7, 7),
        "K1400000235_koap_ch28_arts510-520_rus_2020-05-13.md.gz": date(2020, 5, 13),
        "K1400000226_criminal_code_arts392-395_rus_2023-01-01.md.gz": date(2023, 1, 1),
        "immigration_law_1992_rus_1992-06-25.md.gz": date(1992, 6, 25),
    }


def test_kazakh_and_russian_eids_of_the_2022_migration_law_align(parsed: dict[str, ParsedDocument]) -> None:
    rus = [p.eid for p in parsed["Z1100000477_rus_2022-07-14.md.gz"].provisions]
    kaz = [p.eid for p in parsed["Z1100000477_kaz_2022-07-14.md.gz"].provisions]
    assert len(rus) == 574
    assert kaz == rus
    assert parsed["Z1100000477_kaz_2022-07-14.md.gz"].amendments == []
    # the repealed stubs ("исключен Законом …" / "алып тасталды - ҚР … Заңымен") are the same provisions
    rus_stubs = {p.eid for p in parsed["Z1100000477_rus_2022-07-14.md.gz"].provisions if p.repealed}
    kaz_stubs = {p.eid for p in parsed["Z1100000477_kaz_2022-07-14.md.gz"].provisions if p.repealed}
    assert len(rus_stubs) > 30
    assert kaz_stubs == rus_stubs


def test_refugees_law_aligns_except_where_the_languages_number_differently(parsed: dict[str, ParsedDocument]) -> None:
    rus = {p.eid for p in parsed["Z090000216__refugees_rus_2020-11-16.md.gz"].provisions}
    kaz = {p.eid for p in parsed["Z090000216__refugees_kaz_2020-11-16.md.gz"].provisions}
    # as published: art. 2 is "1." / "2." in Russian and "1)" / "2)" in Kazakh; art. 12 has a lead-in
    # and items in Russian, "1. Мынадай мән-жайлар:" and items in Kazakh
    differ = {e for e in rus ^ kaz if not e.startswith(("art_2__", "art_12__"))}
    assert differ == set()
    assert len(rus & kaz) == 144  # of 155 rus, 156 kaz


def test_2012_version_keeps_its_wording_and_drops_the_table_of_contents(parsed: dict[str, ParsedDocument]) -> None:
    doc = parsed["Z1100000477_rus_2012-04-27.md.gz"]
    assert [p.eid for p in doc.provisions].count("art_1") == 1
    assert doc.provisions[0].eid == "preamble"
    assert doc.provisions[0].text.startswith("Настоящий Закон регулирует общественные отношения")
    chapters = [p.eid for p in doc.provisions if p.kind == "chapter"]
    assert chapters == [f"chp_{n}" for n in range(1, 14)]
    assert _by_eid(doc)["art_16"].heading == "Квота иммиграции оралманов"


def test_requisites_from_the_bundled_meta(parsed: dict[str, ParsedDocument]) -> None:
    act = parsed["immigration_law_1992_rus_1992-06-25.md.gz"].act
    assert (act.id, act.kind, act.title, act.adopted, act.status) == (
        "EKB104249", "закон", "ОБ ИММИГРАЦИИ", date(1992, 6, 26), "repealed"
    )
    act = parsed["Z910004800__citizenship_rus_2024-07-17.md.gz"].act
    assert (act.number, act.adopted) == ("1017-XII", date(1991, 12, 20))  # approved_on stands in for the date


# --- detection and the command line ------------------------------------------------------------------


def test_looks_like_markdown() -> None:
    assert looks_like_markdown(C.RUS_2012_MAIN_AND_PART)
    assert looks_like_markdown(C.KOAP_CHAPTER_FILE_HEAD)
    assert looks_like_markdown(C.RUS_2022_CHAPTER_3)
    assert not looks_like_markdown("<!DOCTYPE html><html><body><article>Статья 1.</article></body></html>")
    assert not looks_like_markdown("     Статья 1. Текст\n     1. Пункт.\n")


def test_cli_parse_detects_markdown_and_prints_the_same_shape(tmp_path: Path) -> None:
    runner = CliRunner()
    md = runner.invoke(main, ["parse", str(BUNDLED / "Z1100000477_rus_2022-07-14.md.gz")])
    html = runner.invoke(main, ["parse", str(BUNDLED / "Z1100000477_rus.html.gz")])
    assert md.exit_code == 0, md.output
    a, b = json.loads(md.output), json.loads(html.output)
    assert a.keys() == b.keys()
    assert a["provisions"][0].keys() == b["provisions"][0].keys()
    assert a["amendments"][0].keys() == b["amendments"][0].keys()
    assert a["redaction"]["valid_from"] == "2022-07-14"
    no_id = tmp_path / "law.md"
    no_id.write_text(C.RUS_2022_CHAPTER_3, encoding="utf-8")
    res = runner.invoke(main, ["parse", str(no_id)])
    assert res.exit_code == 1 and "pass --act-id" in res.output
    res = runner.invoke(main, ["parse", str(no_id), "--act-id", "Z1100000477"])
    assert res.exit_code == 0 and json.loads(res.output)["provisions"][0]["eid"] == "chp_3"


def test_bank_markdown_has_no_adilet_anchors() -> None:
    """The reference bank's Markdown carries no adilet element ids: Provision.anchor stays None."""
    doc = parse_path(BUNDLED / "Z1100000477_rus_2022-07-14.md.gz")
    assert any(p.eid == "art_48" for p in doc.provisions)
    assert all(p.anchor is None for p in doc.provisions)
