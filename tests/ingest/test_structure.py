"""ingest.structure: headings, numbered paragraphs, eids and the hierarchy, on real adilet fragments.

Strings are copied from tests/fixtures/adilet and ingest/bundled (NBSP indents kept where the source
has them); the few clearly synthetic cases say so.
"""

from __future__ import annotations

import pytest

from ingest.structure import (
    Block,
    Line,
    build_structure,
    clean_text,
    group_lines,
    match_heading,
    match_numbered,
)

NBSP5 = "\xa0" * 5 + " "

# --- headings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "number", "title"),
    [
        # Z1100000477 (h3 and p>b headings)
        (
            " Статья 1. Основные понятия, используемые в настоящем Законе",
            "article",
            "1",
            "Основные понятия, используемые в настоящем Законе",
        ),
        (
            "Статья 6-1. Получение разрешения на временное проживание в Республике Казахстан",
            "article",
            "6-1",
            "Получение разрешения на временное проживание в Республике Казахстан",
        ),
        (" Глава 1. ОСНОВНЫЕ ПОЛОЖЕНИЯ", "chapter", "1", "ОСНОВНЫЕ ПОЛОЖЕНИЯ"),
        # the Latin "C" typo as the migration law prints it ("Cтатья 23 в редакции …" in its notes)
        ("Cтатья 23. Меры государственной поддержки", "article", "23", "Меры государственной поддержки"),
        # K1400000226 / K1400000235 text copies
        (" РАЗДЕЛ 4. НАЗНАЧЕНИЕ НАКАЗАНИЯ", "section", "4", "НАЗНАЧЕНИЕ НАКАЗАНИЯ"),
        (" РАЗДЕЛ 5.", "section", "5", ""),
        (
            " Раздел 2. АДМИНИСТРАТИВНОЕ ПРАВОНАРУШЕНИЕ И АДМИНИСТРАТИВНАЯ ОТВЕТСТВЕННОСТЬ",
            "section",
            "2",
            "АДМИНИСТРАТИВНОЕ ПРАВОНАРУШЕНИЕ И АДМИНИСТРАТИВНАЯ ОТВЕТСТВЕННОСТЬ",
        ),
        (" ОБЩАЯ ЧАСТЬ", "code_part", None, "ОБЩАЯ ЧАСТЬ"),
        (" ОСОБЕННАЯ ЧАСТЬ", "code_part", None, "ОСОБЕННАЯ ЧАСТЬ"),
        (" Глава 43-1. ПОРЯДОК ОБЖАЛОВАНИЯ", "chapter", "43-1", "ПОРЯДОК ОБЖАЛОВАНИЯ"),
        ("Статья 394. Организация незаконной миграции", "article", "394", "Организация незаконной миграции"),
        # NBSP inside the heading
        ("Статья\xa050-1.\xa0Пробационный контроль", "article", "50-1", "Пробационный контроль"),
        # synthetic: параграф and a roman раздел (no sample has them)
        ("Параграф 1. Общие положения", "paragraph", "1", "Общие положения"),
        ("РАЗДЕЛ ІV. ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ", "section", "IV", "ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ"),
        # Kazakh pages (lang="kaz"): the Criminal Code's art. 467 as quoted from adilet in public code;
        # the chapter/section/part lines are adilet's Kazakh wording, not from our samples
        ("467-бап. Осы Кодексті қолданысқа енгізу", "article", "467", "Осы Кодексті қолданысқа енгізу"),
        ("5-1-бап. Тақырып", "article", "5-1", "Тақырып"),
        ("1-тарау. ЖАЛПЫ ЕРЕЖЕЛЕР", "chapter", "1", "ЖАЛПЫ ЕРЕЖЕЛЕР"),
        ("2-бөлім. ҚЫЛМЫСТЫҚ ҚҰҚЫҚ БҰЗУШЫЛЫҚТАР", "section", "2", "ҚЫЛМЫСТЫҚ ҚҰҚЫҚ БҰЗУШЫЛЫҚТАР"),
        ("ЕРЕКШЕ БӨЛІМ", "code_part", None, "ЕРЕКШЕ БӨЛІМ"),
        # the reference bank (../shared/sources): no period after the number (the Constitution), its
        # "ГЛАВА 1 Общие положения" (citizenship law) and "8-1-бап." (Kazakh migration law)
        ("Статья 1", "article", "1", ""),
        ("Статья 94-1", "article", "94-1", ""),
        ("ГЛАВА 1 Общие положения", "chapter", "1", "Общие положения"),
        ("8-1-бап. Халықтың көші-қоны саласындағы", "article", "8-1", "Халықтың көші-қоны саласындағы"),
        ("Глава I. Общие положения", "chapter", "I", "Общие положения"),
    ],
)
def test_headings(line: str, kind: str, number: str | None, title: str) -> None:
    heading = match_heading(line)
    assert heading is not None
    assert (heading.kind, heading.number, heading.title) == (kind, number, title)


@pytest.mark.parametrize(
    "line",
    [
        "Статья 2 с изменением, внесенным Законом РК от 30.06.2025",  # note wording, not a heading
        "статьи 41",  # a link line of a text copy
        "1. Законодательство Республики Казахстан в области миграции населения основывается на Конституции",
        "Сноска. Cтатья 16 исключена Законом РК от 10.12.2013 № 153-V",
        "ОБЩАЯ ЧАСТЬ настоящего Кодекса",
        "Статья 12 исключена",  # a number with more words but no period is not a heading
    ],
)
def test_not_headings(line: str) -> None:
    assert match_heading(line) is None


def test_kazakh_code_parts_share_the_russian_eids() -> None:
    p = _by_eid([H("ЖАЛПЫ БӨЛІМ"), H("1-бөлім. ҚЫЛМЫСТЫҚ ЗАҢ"), H("1-бап. Заңнама"), P("1. Мәтін.")])
    assert list(p) == ["part_general", "sec_1", "art_1", "art_1__para_1"]


def test_heading_label_folds_latin_c_and_nbsp() -> None:
    heading = match_heading("Cтатья\xa016. Квота иммиграции оралманов")
    assert heading is not None and heading.label == "Статья 16. Квота иммиграции оралманов"


# --- numbered paragraphs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "number", "rest"),
    [
        (NBSP5 + "1-1) бывший соотечественник – лицо", "item", "1-1", "бывший соотечественник – лицо"),
        (
            NBSP5 + "2. Международные договоры, ратифицированные Республикой Казахстан",
            "part",
            "2",
            "Международные договоры, ратифицированные Республикой Казахстан",
        ),
        ("3.", "part", "3", ""),  # K1400000226 art. 239: "3." then the link "Исключен Законом РК …"
        ("4. ", "part", "4", ""),
        (NBSP5 + "3-1. Деяния, предусмотренные", "part", "3-1", "Деяния, предусмотренные"),
        (NBSP5 + "28) этнический казах – иностранец", "item", "28", "этнический казах – иностранец"),
        ("а) в отношении двух или более лиц;", "letter", "а", "в отношении двух или более лиц;"),  # synthetic
    ],
)
def test_numbered(text: str, kind: str, number: str, rest: str) -> None:
    n = match_numbered(text)
    assert n is not None and (n.kind, n.number, n.text) == (kind, number, rest)


@pytest.mark.parametrize(
    "text",
    [
        "01.01.2017 вводится в действие",  # a date, not a part
        "В настоящем Законе используются следующие основные понятия:",
        "наказывается лишением свободы на срок от восьми до пятнадцати лет.",
        "1.1. Утвердить",  # decimal numbering is not an adilet part
    ],
)
def test_not_numbered(text: str) -> None:
    assert match_numbered(text) is None


def test_clean_text_folds_nbsp_and_runs() -> None:
    assert clean_text("\n\n      \xa0\xa0В настоящем\xa0 Законе\n") == "В настоящем Законе"


# --- the builder -----------------------------------------------------------------------------------


def H(text: str) -> Block:
    return Block("heading", text)


def P(text: str) -> Block:
    return Block("paragraph", text)


def N(text: str, kind: str = "footnote") -> Block:
    return Block("note", text, kind)


def _by_eid(blocks: list[Block]) -> dict:
    structure = build_structure(blocks, "Z1100000477")
    provisions = {p.eid: p for p in structure.provisions}
    assert len(provisions) == len(structure.provisions), "duplicate eids"
    return provisions


# Z1100000477, the opening of chapter 1 (abridged to the first items)
MIGRATION_LAW_ART_1 = [
    P("Настоящий Закон регулирует общественные отношения в области миграции населения"),
    H("Глава 1. ОСНОВНЫЕ ПОЛОЖЕНИЯ"),
    H("Статья 1. Основные понятия, используемые в настоящем Законе"),
    P("В настоящем Законе используются следующие основные понятия:"),
    P('1) карта "Ата жолы" – документ установленной формы'),
    P("1-1) бывший соотечественник – лицо, родившееся или ранее состоявшее в гражданстве"),
    P(
        "14) исключен Законом РК от 24.11.2015 № 421-V (вводится в действие по истечении десяти "
        "календарных дней после дня его первого официального опубликования);"
    ),
    N("Сноска. Статья 1 с изменениями, внесенными законами РК от 27.04.2012 № 15-V"),
    H("Статья 2. Законодательство Республики Казахстан в области миграции населения"),
    P("1. Законодательство Республики Казахстан в области миграции населения основывается на Конституции"),
    P("2. Международные договоры, ратифицированные Республикой Казахстан, имеют приоритет"),
]


def test_article_items_and_lead_in() -> None:
    p = _by_eid(MIGRATION_LAW_ART_1)
    assert p["preamble"].text.startswith("Настоящий Закон регулирует")
    assert p["chp_1"].parent is None and p["chp_1"].heading == "ОСНОВНЫЕ ПОЛОЖЕНИЯ"
    art = p["art_1"]
    assert (art.kind, art.number, art.parent) == ("article", "1", "chp_1")
    assert art.heading == "Основные понятия, используемые в настоящем Законе"
    assert art.text == "В настоящем Законе используются следующие основные понятия:"
    item = p["art_1__point_1-1"]
    assert (item.kind, item.number, item.parent) == ("item", "1-1", "art_1")
    assert item.text.startswith("бывший соотечественник")
    assert item.ancestors == [
        "Глава 1. ОСНОВНЫЕ ПОЛОЖЕНИЯ",
        "Статья 1. Основные понятия, используемые в настоящем Законе",
    ]
    assert p["art_1__point_14"].text.startswith("исключен Законом РК от 24.11.2015 № 421-V")
    assert p["art_2__para_2"].parent == "art_2"
    assert [x.position for x in p.values()] == list(range(len(p)))


def test_notes_stay_out_of_text_and_know_their_context() -> None:
    structure = build_structure(
        [N('Сноска. По всему тексту слова "оралманам" заменены'), *MIGRATION_LAW_ART_1], "Z1100000477"
    )
    assert [(n.context_eid, n.text[:20]) for n in structure.notes] == [
        (None, "Сноска. По всему тек"),
        ("art_1", "Сноска. Статья 1 с и"),
    ]
    assert not any("Сноска" in p.text for p in structure.provisions)


def test_parts_items_and_what_follows_them() -> None:
    # K1400000226 art. 146 (abridged): sanctions after items belong to the part; numbered
    # "Примечания." are notes to the article, not parts 1 and 2 again.
    p = _by_eid(
        [
            H("Статья 146. Жестокое, бесчеловечное или унижающее достоинство обращение, пытки"),
            P("1. Жестокое, бесчеловечное или унижающее достоинство обращение, –"),
            P("наказывается штрафом в размере до двух тысяч месячных расчетных показателей"),
            P("3. Деяния, предусмотренные частями первой или второй настоящей статьи, совершенные:"),
            P("1) группой лиц или группой лиц по предварительному сговору;"),
            P("4) в отношении женщины, заведомо для виновного находящейся в состоянии беременности, –"),
            P("наказываются лишением свободы на срок от четырех до десяти лет"),
            P("Примечания."),
            P("1. Не признаются жестоким, бесчеловечным или унижающим достоинство обращением"),
            P("2. Лицо, выступающее в официальном качестве, – лицо"),
        ]
    )
    assert p["art_146__para_1"].text.endswith(
        "\nнаказывается штрафом в размере до двух тысяч месячных расчетных показателей"
    )
    assert p["art_146__para_3__point_4"].text.endswith("–")
    assert p["art_146__para_3"].text.endswith("наказываются лишением свободы на срок от четырех до десяти лет")
    assert p["art_146"].text.startswith("Примечания.\n1. Не признаются")
    assert "art_146__para_1_2" not in p


def test_article_note_with_its_own_items_stays_in_the_article() -> None:
    # K1400000235 art. 165 (abridged): the note's "1." and "1)" are not parts/items of the article
    p = _by_eid([
        H("Статья 165. Нарушение порядка реализации (продажи)электрической энергии"),
        P("1. Реализация (продажа) энергопроизводящей организацией электрической энергии, –"),
        P("4. Незаконная реализация (продажа) энергоснабжающей организацией электрической энергии –"),
        P("влекут штраф на юридических лиц в размере ста процентов от суммы оплаты"),
        P("Примечания."),
        P("1. Под доходом (выручкой), полученным в результате совершения административного правонарушения, "
          "понимается:"),
        P("1) по части первой настоящей статьи: разница между доходом (выручкой)"),
        P("2. В состав дохода (выручки) следует включать и стоимость реализованной (проданной)"),
    ])
    assert set(p) == {"art_165", "art_165__para_1", "art_165__para_4"}
    assert p["art_165"].text.splitlines()[2].startswith("1) по части первой")


def test_note_on_an_item_does_not_end_the_list() -> None:
    # K1400000226 art. 3: "Примечания." after item 1), then the definitions go on with 2)
    p = _by_eid([
        H("Статья 3. Разъяснение некоторых понятий, содержащихся в настоящем Кодексе"),
        P("Содержащиеся в настоящем Кодексе понятия имеют, если нет особых указаний в законе, следующие значения:"),
        P("1) эксплуатация человека – использование виновным принудительного труда"),
        P("Примечания. Под использованием виновным принудительного труда понимается любая работа или служба"),
        P("Под использованием виновным занятия проституцией другим лицом понимается принуждение"),
        P("2) значительный ущерб и значительный размер – в статьях:"),
        P("3) разрабатываемых в порядке законодательной инициативы"),
    ])
    assert set(p) == {"art_3", "art_3__point_1", "art_3__point_2", "art_3__point_3"}
    assert p["art_3"].text.count("\n") == 2


def test_unnumbered_paragraph_after_items_continues_the_part() -> None:
    # Z1100000477 art. 21-1, part 3 and its closing paragraph
    p = _by_eid(
        [
            H("Статья 21-1. Особенности включения в региональную квоту приема кандасов"),
            P("3. Если кандасами, вдовами кандасов и их общими детьми не указаны в составе их семей дети"),
            P("При этом для включения в региональную квоту приема кандасов несовершеннолетних членов семьи"),
        ]
    )
    assert p["art_21-1__para_3"].text.endswith(
        "При этом для включения в региональную квоту приема кандасов несовершеннолетних членов семьи"
    )
    assert p["art_21-1"].text == ""


def test_article_text_after_items_without_parts() -> None:
    # Z1100000477 art. 7: two plain paragraphs are the article's own text
    p = _by_eid(
        [
            H("Статья 7. Получение разрешения на постоянное проживание в Республике Казахстан"),
            P("Иностранцы и лица без гражданства, временно пребывающие в Республике Казахстан"),
            P("Правовой статус лиц, указанных в части первой настоящей статьи"),
        ]
    )
    assert p["art_7"].text.count("\n") == 1 and list(p) == ["art_7"]


def test_lower_case_paragraph_continues_the_item() -> None:
    # K1400000226 art. 72 part 8: an item whose sentence goes on in the next paragraph
    p = _by_eid(
        [
            H("Статья 72. Условно-досрочное освобождение от отбывания наказания"),
            P("8. Условно-досрочное освобождение не применяется:"),
            P("3) осужденным за умышленное причинение смерти человеку, за исключением"),
            P("случаев совершения таких преступлений беременными женщинами"),
            P("Лицо, указанное в части первой настоящей статьи"),
        ]
    )
    assert p["art_72__para_8__point_3"].text.endswith("\nслучаев совершения таких преступлений беременными женщинами")
    assert p["art_72__para_8"].text.endswith("Лицо, указанное в части первой настоящей статьи")


def test_quoted_wording_stays_in_the_quoting_part() -> None:
    # Z1500000410 art. 27 part 3 quotes a whole article 11 with its own parts 1., 2.
    p = _by_eid(
        [
            H("Статья 27. Порядок введения в действие настоящего Закона"),
            P(
                "3. Установить, что со дня введения в действие настоящего Закона до 1 января 2021 года статья 11 "
                "действует в следующей редакции:"
            ),
            P('"Статья 11. Меры финансового контроля'),
            P("1. Лица, являющиеся кандидатами на государственную должность"),
            P('Меры финансового контроля, предусмотренные настоящей статьей, не распространяются."'),
            P("3-1. Приостановить с 1 января 2021 года до 1 января 2025 года"),
        ]
    )
    assert set(p) == {"art_27", "art_27__para_3", "art_27__para_3-1"}
    assert "\n1. Лица, являющиеся кандидатами" in p["art_27__para_3"].text


def test_true_duplicates_are_suffixed_deterministically() -> None:
    # K1400000235 art. 468 part 1: three "1)" lists grouped by unnumbered lead-ins
    blocks = [
        H("Статья 468. Нарушение законодательства Республики Казахстан о национальных реестрах"),
        P("1. Разглашение сведений, содержащихся в национальных реестрах идентификационных номеров"),
        P("1) уполномоченным органом в виде:"),
        P("1) неформирования идентификационного номера в течение одного рабочего дня"),
        P("2) непредоставления информации регистрирующим государственным органам"),
        P("2) непредставления сведений уполномоченному органу"),
    ]
    eids = [p.eid for p in build_structure(blocks, "K1400000235").provisions]
    assert eids == [
        "art_468",
        "art_468__para_1",
        "art_468__para_1__point_1",
        "art_468__para_1__point_1_2",
        "art_468__para_1__point_2",
        "art_468__para_1__point_2_2",
    ]
    assert eids == [p.eid for p in build_structure(blocks, "K1400000235").provisions]


def test_code_parts_sections_and_chapters() -> None:
    # K1400000226: ОБЩАЯ ЧАСТЬ > РАЗДЕЛ; ОСОБЕННАЯ ЧАСТЬ > Глава; articles numbered through the code
    p = _by_eid(
        [
            H("ОБЩАЯ ЧАСТЬ"),
            H("РАЗДЕЛ 1. УГОЛОВНЫЙ ЗАКОН"),
            H("Статья 1. Уголовное законодательство"),
            H("РАЗДЕЛ 2. УГОЛОВНЫЕ ПРАВОНАРУШЕНИЯ"),
            H("Статья 10. Преступления и уголовные проступки"),
            H("ОСОБЕННАЯ ЧАСТЬ"),
            H("Глава 1. УГОЛОВНЫЕ ПРАВОНАРУШЕНИЯ ПРОТИВ ЛИЧНОСТИ"),
            H("Статья 99. Убийство"),
        ]
    )
    assert p["part_general"].kind == "section" and p["part_general"].parent is None
    assert p["sec_2"].parent == "part_general"
    assert p["art_10"].parent == "sec_2"
    assert p["part_special"].parent is None and p["chp_1"].parent == "part_special"
    assert p["art_99"].ancestors == ["ОСОБЕННАЯ ЧАСТЬ", "Глава 1. УГОЛОВНЫЕ ПРАВОНАРУШЕНИЯ ПРОТИВ ЛИЧНОСТИ"]


def test_code_part_right_after_a_section_is_inside_it() -> None:
    # K1400000235: "Раздел 2." then "ОБЩАЯ ЧАСТЬ"; "Раздел 3" closes both parts
    p = _by_eid(
        [
            H("Раздел 2. АДМИНИСТРАТИВНОЕ ПРАВОНАРУШЕНИЕ И АДМИНИСТРАТИВНАЯ ОТВЕТСТВЕННОСТЬ"),
            H("ОБЩАЯ ЧАСТЬ"),
            H("Глава 3. АДМИНИСТРАТИВНОЕ ПРАВОНАРУШЕНИЕ"),
            H("Статья 25. Административное правонарушение"),
            H("ОСОБЕННАЯ ЧАСТЬ"),
            H("Глава 10. АДМИНИСТРАТИВНЫЕ ПРАВОНАРУШЕНИЯ, ПОСЯГАЮЩИЕ НА ПРАВА ЛИЧНОСТИ"),
            H("РАЗДЕЛ 3. ОРГАНЫ, УПОЛНОМОЧЕННЫЕ РАССМАТРИВАТЬ"),
            H("Глава 35. ОСНОВНЫЕ ПОЛОЖЕНИЯ"),
        ]
    )
    assert p["part_general"].parent == "sec_2" and p["part_special"].parent == "sec_2"
    assert p["chp_10"].parent == "part_special"
    assert p["sec_3"].parent is None and p["chp_35"].parent == "sec_3"


def test_paragraph_eids_are_prefixed_by_their_chapter() -> None:
    # synthetic: параграфы restart in every chapter
    p = _by_eid(
        [
            H("Глава 5. ПРАВОВОЕ ПОЛОЖЕНИЕ"),
            H("Параграф 1. Общие положения"),
            H("Статья 48. Основания"),
            P("2. Текст части."),
            P("3) подпункт;"),
            P("а) буквенный подпункт;"),
            H("Глава 6. ИНОЕ"),
            H("Параграф 1. Общие положения"),
            H("Статья 49. Иное"),
        ]
    )
    assert {"chp_5__prgf_1", "chp_6__prgf_1"} <= set(p)
    assert p["art_48"].parent == "chp_5__prgf_1" and p["chp_5__prgf_1"].parent == "chp_5"
    assert p["art_48__para_2__point_3__point_а"].parent == "art_48__para_2__point_3"


# --- grouping lines into blocks --------------------------------------------------------------------


def test_group_lines_joins_notes_and_drops_chrome() -> None:
    lines = [
        # K1400000235, the head of the text copy
        Line("Примечание ИЗПИ! "),
        Line("Для удобства пользования ИЗПИ создано Содержание"),
        Line("СОДЕРЖАНИЕ"),
        Line(NBSP5 + "Сноска:"),
        Line(NBSP5 + "по всему тексту Кодекса:"),
        Line(
            NBSP5 + 'слова "инвалидам", "инвалидов", "инвалидами" заменены словами "лицам с инвалидностью" '
            "в соответствии с Законом РК от 13.06.2022 № 137-VII (вводится в действие …);"
        ),
        Line(NBSP5 + "Примечание ИЗПИ!"),
        Line(NBSP5 + 'по всему тексту слова "информационную систему" предусмотрено заменить'),
        Line("РАЗДЕЛ 1. ОБЩИЕ ПОЛОЖЕНИЯ", heading_like=True),
        # K1400000235 art. 62: the ИЗПИ note before part 2
        Line("Примечание ИЗПИ!"),
        Line(NBSP5 + "В часть 2 предусматриваются изменения Законом РК от 09.01.2026 № 257-VIII (вводится …)."),
        Line(NBSP5 + "2. Физическое лицо не подлежит привлечению к административной ответственности"),
    ]
    blocks = list(group_lines(lines))
    kinds = [(b.kind, b.source_kind if b.kind == "note" else "", b.text[:25]) for b in blocks]
    assert kinds == [
        ("note", "footnote", "Сноска: по всему тексту К"),
        ("note", "izpi_note", "Примечание ИЗПИ! по всему"),
        ("heading", "", "РАЗДЕЛ 1. ОБЩИЕ ПОЛОЖЕНИЯ"),
        ("note", "izpi_note", "Примечание ИЗПИ! В часть "),
        ("paragraph", "", "2. Физическое лицо не под"),
    ]
    assert "№ 137-VII" in blocks[0].text


@pytest.mark.parametrize(
    "line",
    [
        "Президент",
        "Республики Казахстан",
        "Н. НАЗАРБАЕВ",
        "Президент Республики Казахстан Н. НАЗАРБАЕВ",
        "Республики Казахстан Н. НАЗАРБАЕВ",
        "Н. Назарбаев",  # the reference bank's case
        "Қазақстан Республикасының Президенті",  # Kazakh texts of the bank
    ],
)
def test_signature_lines_are_dropped(line: str) -> None:
    assert list(group_lines([Line(line)])) == []


@pytest.mark.parametrize(
    "line",
    [
        "Президент Республики Казахстан по представлению Кабинета Министров устанавливает квоты иммиграции",
        "Н. Назарбаев подписал",
        "Порядок предоставления политического убежища определяется Президентом Республики Казахстан.",
    ],
)
def test_text_about_the_president_is_no_signature(line: str) -> None:
    assert [b.kind for b in group_lines([Line(line)])] == ["paragraph"]


def test_editorial_lines_are_notes_whatever_their_words() -> None:
    # U950002337_ (reference bank): "> *По всему тексту:*" and the next "> *слова … заменены …*" block
    blocks = list(
        group_lines(
            [
                Line("По всему тексту:", editorial=True),
                Line('слова "Указа", "Указом", "Указ" заменены соответственно словами "Закона", "Законом", "Закон"'
                     " Законом РК от 12.01.2007 № 227.", editorial=True),
                Line("Статья 1. Законодательство о правовом положении иностранцев", heading_like=True),
                Line("Сноска. Статья 1 с изменениями, внесенными Законом РК от 12.01.2007 № 227.", editorial=True),
            ]
        )
    )
    assert [(b.kind, b.text[:20]) for b in blocks] == [
        ("note", "По всему тексту: сло"),
        ("heading", "Статья 1. Законодате"),
        ("note", "Сноска. Статья 1 с и"),
    ]


def test_excluded_item_in_note_styling_is_a_paragraph() -> None:
    # Z1100000477: excluded items are printed in span.note but are provisions
    blocks = list(
        group_lines(
            [
                Line("Сноска. Статья 7 с изменениями, внесенными законами РК от 13.06.2013 № 102-V;", note_styled=True),
                Line("15) исключен Законом РК от 24.11.2015 № 421-V (вводится в действие …);", note_styled=True),
            ]
        )
    )
    assert [b.kind for b in blocks] == ["note", "paragraph"]


def test_heading_text_in_a_plain_paragraph_is_not_a_heading() -> None:
    blocks = list(group_lines([Line("Статья 11. Меры финансового контроля", heading_like=False)]))
    assert blocks == [Block("paragraph", "Статья 11. Меры финансового контроля")]
