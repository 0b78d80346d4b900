"""Regular expressions for references (ссылки) in Russian legal text of Kazakhstan.

One module for the concept, so the citation grammar can be read in one place; the parser that
combines them is ``nlp.citations``. Whitespace is ``\\s+`` everywhere because adilet text copies
break lines inside references (every link on a line of its own) and use NBSP.
"""

from __future__ import annotations

import re

from legal.dates import DATE
from legal.roman import ROMAN_UPPER

#: Structural units (единицы), by the eid level they give (docs/design.md §2), in all case forms and the
#: usual abbreviations. ``art`` статья, ``part`` часть, ``point`` пункт, ``sub`` подпункт,
#: ``abz`` абзац (no eid level of its own), ``chp`` глава, ``sec`` раздел, ``prgf`` параграф.
UNIT_PATTERNS: dict[str, str] = {
    "sub": r"подпункт(?:ами|ах|ам|ов|ом|а|у|е|ы)?|подп\.|пп\.",
    "art": r"стать(?:ями|ях|ям|ей|ёй|ею|я|и|ю|е)|статей|ст\.\s*ст\.|ст\.",
    "part": r"част(?:ями|ях|ям|ью|ей|ь|и)|ч\.",
    "point": r"пункт(?:ами|ах|ам|ов|ом|а|у|е|ы)?|п\.\s*п\.|п\.",
    "abz": r"абзац(?:ами|ах|ам|ев|ем|а|у|е|ы)?|абз\.",
    "chp": r"глав(?:ами|ах|ам|ой|ою|а|ы|е|у)?|гл\.",
    "sec": r"раздел(?:ами|ах|ам|ов|ом|а|у|е|ы)?|разд\.",
    "prgf": r"параграф(?:ами|ах|ам|ов|ом|а|у|е|ы)?|§",
}

#: Fast scans over the folded (lower-case) text: plain literal alternations, which Python's ``re``
#: searches many times faster than the case-insensitive patterns; each hit is then checked with
#: the full pattern at that position.
UNIT_SCAN_RE = re.compile(
    r"стать|статей|част|подпункт|пункт|абзац|глав|раздел|параграф|ст\.|ч\.|пп\.|подп\.|п\.|абз\.|гл\.|разд\.|§"
)
ACT_SCAN_RE = re.compile(r"закон|кодекс|указ|конституци|конвенци|соглашени|договор|постановлени|приказ")
ACT_ABBR_SCAN_RE = re.compile(r"УК|УПК|КоАП|УИК|ГПК|АППК|ТК|НК")

#: Width of each unit: a reference chain runs from narrow to wide ("подпунктом 3) пункта 1 статьи 50").
UNIT_RANK: dict[str, int] = {"abz": 0, "sub": 1, "point": 2, "part": 3, "art": 4, "prgf": 5, "chp": 6, "sec": 7}

UNIT_RE = re.compile(
    r"(?<![\w.-])(?:"
    + "|".join(f"(?P<{k}>{v})" for k, v in UNIT_PATTERNS.items())
    + r")(?:(?<=\.)|(?![\w]))",  # "п.1": an abbreviation may touch its number
    re.IGNORECASE,
)

#: Ordinal numerals (порядковые числительные) up to 20, stem → number: "частью четвертой".
ORDINAL_STEMS: dict[str, int] = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14,
    "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19,
    "двадцат": 20,
}  # fmt: skip
_ORD_ENDINGS = r"(?:ыми|ого|ому|ая|ой|ую|ою|ые|ых|ым|ом|ый|ий|ьего|ьему|ьими|ьих|ьим|ьей|ья|ью|ье|ьи|ий)"
ORDINAL_STEMS["тридцат"] = 30
#: Tens before an ordinal: "двадцать пятой" (25).
ORDINAL_TENS: dict[str, int] = {"двадцать": 20, "тридцать": 30}
ORDINAL = (
    r"(?:(?:" + "|".join(ORDINAL_TENS) + r")\s+)?"
    r"(?:" + "|".join(sorted(ORDINAL_STEMS, key=len, reverse=True)) + r")" + _ORD_ENDINGS + r"(?![\w])"
)

#: A number as written: "48", "5-1", "1-1)", "3)", or an ordinal word.
NUMBER_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)*(?:-\d+)*)(?P<item>\))?|(?P<ord>" + ORDINAL + r")",  # "18.8": Russian codes
    re.IGNORECASE,
)
ORDINAL_RE = re.compile(
    r"(?:(?P<tens>" + "|".join(ORDINAL_TENS) + r")\s+)?"
    r"(" + "|".join(sorted(ORDINAL_STEMS, key=len, reverse=True)) + r")",
    re.IGNORECASE,
)

#: Between two numbers of a list: "392 и 394", "1, 2 и 4", "второй, четвертой и пятой".
LIST_SEPARATOR_RE = re.compile(r"\s*,\s*(?:а\s+также\s+)?|\s+(?:и|или|либо|а\s+также)\s+", re.IGNORECASE)
#: Between the ends of a range: "517–519", "1) – 3)"; a plain hyphen inside "517-519" is decided
#: by ``nlp.citations`` (it is also the sub-number hyphen of "517-1").
RANGE_SEPARATOR_RE = re.compile(r"\s*[–—]\s*|\s+-\s+")

#: A remark in brackets inside a list of articles, skipped when the list goes on after it:
#: "230 (частью второй) (в части …), 464", "120 (изнасилование), 121 (…)".
LIST_COMMENT_RE = re.compile(r"\s*\([^()]*(?:\([^()]*\)[^()]*)*\)")

#: "Ведомости Парламента …, 2010 г., № 1-2, ст. 5": gazette issue and article, not a provision.
GAZETTE_BEFORE_RE = re.compile(r"(?:№\s*\d+(?:-\d+)?|ст\.\s*\d+),\s*$")

#: Relative references (настоящего Закона, настоящей статьи …) and the level they point to.
RELATIVE_RE = re.compile(
    r"(?<![\w-])(?:настоящ|данн)(?:его|ему|ими|им|ым|ый|ого|ому|ом|ем|ей|ая|ую|ое|ий|ие|их|ой)\s+"
    r"(?:(?P<act>закон\w*|кодекс\w*|указ\w*|постановлени\w*|приказ\w*|положени\w*|правил\w*)"
    r"|(?P<sub>подпункт\w*)|(?P<point>пункт\w*)|(?P<part>част\w*)|(?P<art>стать\w*)"
    r"|(?P<container>глав\w*|раздел\w*|параграф\w*))",
    re.IGNORECASE,
)

#: "указанного Закона", "этого Кодекса", "того же Закона": the act named last before it, of that kind
#: (resolved by ``nlp.resolve`` from the text; ``kind`` is the kind word).
ANAPHORIC_RE = re.compile(
    r"(?:указанн|эт|того\s+же|соответствующ)\w*(?:\s+же)?\s+(?P<kind>закон|кодекс|указ|постановлени|приказ)\w*",
    re.IGNORECASE,
)

#: "той же статьи", "указанной статьи", "этой статьей", "того же пункта", "той же части": the unit of the
#: provision cited last before it (the group name is the unit: art, part, point).
ANAPHORIC_UNIT_RE = re.compile(
    r"(?:той\s+же|указанн(?:ой|ую|ая)|это[йю]|названн(?:ой|ую))\s+(?P<art>стать(?:ей|ею|и|е|ю|я))(?![\w-])"
    r"|(?:той\s+же|указанн(?:ой|ую)|это[йю])\s+(?P<part>част(?:ью|и|ь))(?![\w-])"
    r"|(?:того\s+же|указанного|этого)\s+(?P<point>пункта|пунктом|пункту|пункте)(?![\w-])",
    re.IGNORECASE,
)

#: A fast literal scan of the folded text before ANAPHORIC_UNIT_RE is tried at all.
ANAPHOR_SCAN_RE = re.compile(r"той же|указанн|это[йю] |названн|того же|указанного|этого")

#: The opening of a quoted amending text ("изложить в следующей редакции: «…»", "дополнить частью 6
#: следующего содержания: "6. …""): inside it "настоящей статьи" and "настоящего Кодекса" speak of the
#: amended provision and act, not of the provision quoting them.
AMENDING_QUOTE_OPEN_RE = re.compile(
    r"(?:следующей\s+редакции|следующего\s+содержания|следующими\s+(?:словами|предложени\w+|абзац\w+))"
    r"\s*:?\s*(?P<quote>[«\"“])"
)

_KIND = (
    r"(?P<kind>[Кк]онституционн\w*\s+[Зз]акон(?:ами|ах|ам|ом|ов|а|у|е|ы)?"
    r"|[Зз]акон(?:ами|ах|ам|ом|ов|а|у|е|ы)?"
    r"|[Кк]одекс(?:ами|ах|ам|ом|ов|а|у|е|ы)?"
    r"|[Уу]каз(?:ами|ах|ам|ом|ов|а|у|е|ы)?"
    r"|Конституци(?:ей|я|и|ю)"
    r"|Конвенци(?:ей|я|и|ю)|Соглашени(?:ем|я|и|ю|е)|Договор(?:ом|а|у|е)?"
    r"|[Пп]остановлени(?:ем|я|и|ю|е)|[Пп]риказ(?:ом|а|у|е)?)(?![\w-])"
)
_ADJECTIVE = (
    # not the nouns that end like adjectives and stand before "закон": "принятых Парламентом законов"
    # nor participles ("Предусмотренный настоящим Кодексом"), nor "настоящим"/"данным" (a self-reference)
    r"(?!(?:Парламент|Президент|Правительств|Мажилис|Сенат|Суд)\w*\s)(?![А-ЯЁ][а-яё]+[ае]нн[а-яё]+\s)"
    r"[А-ЯЁ][а-яё]+(?:-[а-яё]+)?(?:ого|ому|ыми|ими|ым|им|ом|ый|ий|ой|ая|ую|ей|ых|их)\s+"
    r"(?:(?!настоящ|данн)[а-яё]+(?:-[а-яё]+)?(?:ого|ому|ым|им|ом|ый|ий|ой)\s+)?"  # "процедурно-процессуальным"
)

#: Kazakh codes by abbreviation ("УК РК"), not another state's ("КоАП РФ").
_ABBREVIATION = r"(?P<abbr>(?:УК|УПК|КоАП|УИК|ГПК|АППК|ТК|НК)(?:\s+РК)?)(?![\w-])(?!\s+(?:РФ|КР|РБ|РУз)\b)"

#: The head of an act's name: "Законом", "Уголовного кодекса", "Уголовно-процессуальным кодексом", "УК РК".
ACT_HEAD_RE = re.compile(r"(?:(?P<adj>" + _ADJECTIVE + r")?" + _KIND + r"|" + _ABBREVIATION + r")")

#: Where to look for act mentions: the kind word or abbreviation alone (fast to search for) ...
ACT_KIND_RE = re.compile(r"(?=[ЗзКкУуПпСДГАТН])(?:" + _KIND + r"|" + _ABBREVIATION + r")")
#: ... and then the adjectives just before it ("Уголовного кодекса").
ADJECTIVE_BEFORE_RE = re.compile(r"(?<![\w-])" + _ADJECTIVE + r"$")

#: What may follow the head: issuer, "Республики Казахстан", date, number, quoted title.
ACT_TAIL_RE = re.compile(
    r"(?:\s+Президента)?(?:\s+(?:Республики\s+Казахстан|РК))?"
    r"(?:,\s+имеющ\w+\s+силу\s+(?:конституционного\s+)?закона,?)?"
    rf"(?:\s+от\s+(?P<date>{DATE})(?:\s+года)?)?"
    rf"(?:\s+(?:№|N)\s*(?P<num>\d+)(?P<convocation>-{ROMAN_UPPER})?(?:-[А-ЯA-Z]+)?)?"
    r"(?:\s*(?P<title>«[^«»]{2,200}»|\"[^\"\n]{2,200}\"))?"
    # the date and number may also follow the title: "«О миграции населения» от 22 июля 2011 года"
    rf"(?:\s+от\s+(?P<date2>{DATE})(?:\s+года)?)?"
    rf"(?:\s+(?:№|N)\s*(?P<num2>\d+)(?P<convocation2>-{ROMAN_UPPER})?(?:-[А-ЯA-Z]+)?)?"
    # "Конституции Республики Казахстан, принятой 28 января 1993 года": the date of adoption
    rf"(?:,?\s+принят\w*\s+(?P<date3>{DATE})(?:\s+года)?)?"
    # a short name in brackets is part of the same reference: «О налогах …» (Налоговый кодекс)
    r"(?:\s*\((?:[А-ЯЁ][а-яё]+\s+)?(?:[Кк]одекс|[Зз]акон)\))?"
)

#: Another state after an act's name: "Уголовного кодекса Российской Федерации" is not the УК РК.
FOREIGN_STATE_RE = re.compile(
    r"\s+(?:Российской\s+Федерации|РФ|Республики\s+(?!Казахстан)[А-ЯЁ]\w+|[А-ЯЁ]\w+ской\s+(?:Республики|Федерации)"
    r"|Украины|Туркменистана|Грузии|Азербайджанской\s+Республики)"
)

#: Another state's code by abbreviation after a chain: "ч. 1 ст. 18.8 КоАП РФ".
FOREIGN_ABBREVIATION_RE = re.compile(r"(?:УК|УПК|КоАП|УИК|ГПК|АППК|ТК|НК|ГК)\s+(?:РФ|КР|РБ|РУз)(?![\w-])")

#: A document that is no act of our kinds, right after a chain on the same line: "статьи 3 Протокола",
#: "пункта 5 Правил", "статьи 14 Международного пакта" (a capitalised word): the chain is not the citing act's.
OTHER_DOCUMENT_RE = re.compile(
    r"[ \t\u00a0]+(?:[А-ЯЁ][а-яё]+(?:-[а-яё]+)?"
    r"|(?:правил|положени|регламент|протокол|инструкци|устав|пакт|деклараци|программ|стандарт)\w*)(?![\w-])"
)

#: "(порядок введения в действие см. ст. 2)": a reference into the act named just before the bracket.
SEE_ALSO_RE = re.compile(r"\s*\([^()]*?\bсм\.\s*")

#: A footnote's list item with its effective-date bracket open up to "см.":
#: "; от 11.07.2017 № 90-VI (порядок введения в действие см. " (the kind is at the list's head).
FOOTNOTE_ITEM_SEE_RE = re.compile(
    rf"(?P<act>от\s+(?P<date>{DATE})\s+№\s*(?P<num>\d+)-{ROMAN_UPPER})\s*\([^()]*?\bсм\.\s*$"
)
#: The kind at the head of a footnote's list: "с изменениями, внесенными законами РК от …".
FOOTNOTE_KIND_RE = re.compile(r"\b(?:[Зз]акон|[Кк]одекс)(?:ами|ом|ам|а|ы)?\s+(?:РК|Республики\s+Казахстан)")

#: Words that may stand between two chains sharing one act: "статьей 5 и статьей 6 настоящего Закона".
CHAIN_JOIN_RE = re.compile(
    r"(?:\s*\([^()]*(?:\([^()]*\)[^()]*)*\))?"  # a remark: "статьи 110 (в случае …), пунктом 1)"
    r"\s*(?:,\s*(?:а\s+также\s+)?|\s+(?:и|или|либо|а\s+также)\s+)",
    re.IGNORECASE,
)

#: The number of a heading: "Статья 48. Основания …", "Глава 5. …" (after the unit word).
HEADING_NUMBER_RE = re.compile(r"\s*\d+(?:-\d+)*\.\s+[А-ЯЁA-Z]")
#: Heading or editorial self-reference, not a citation, when at the start of a line or sentence:
#: "Статья 48. …", "Сноска. Статья 917 в редакции", "Сноска. Статью 170 с изменениями".
SELF_REFERENCE_HEAD = re.compile(r"(?:Статья|Статью|Пункт|Подпункт|Часть|Глава|Главу|Раздел|Параграф)$")
SENTENCE_START_RE = re.compile(r"(?:^|\n|\.)\s*$")

#: After "2)": the reference goes on (so the ")" marks an item, not the end of a bracket).
CHAIN_GOES_ON_RE = re.compile(
    r"\s*(?:[,–—]|\s(?:и|или|либо)\s)|\s+(?:" + UNIT_RE.pattern + r"|настоящ|данн)", re.IGNORECASE
)

#: After a remark in brackets the list must go on (another number) for the remark to be skipped.
LIST_GOES_ON_RE = re.compile(r"(?:" + LIST_SEPARATOR_RE.pattern + r")(?:\d|" + ORDINAL + r")", re.IGNORECASE)

#: An act's date in its name: "Законом Республики Казахстан от 08.06.2022".
DATED_ACT_RE = re.compile(rf"\sот\s+{DATE}")

#: An act named before, by a word alone outside any chain: "этим же Законом", "указанного Закона"
#: ("соответствующим законом" is generic, no anaphor). The citing act or provision by a word alone
#: ("настоящего Закона", "настоящей статьи") is RELATIVE_RE's: a self-reference (docs/labelling.md).
ANAPHORIC_ACT_RE = re.compile(
    r"(?<![\w-])(?:[Уу]казанн|[Ээ]т|[Тт]ого\s+же)\w*(?:\s+же)?\s+(?P<kind>[Зз]акон|[Кк]одекс|[Уу]каз)(?:ом|а|у|е)?(?![\w-])"
)
#: The act words a self-reference by a word alone may use ("настоящего Закона", "данным Кодексом").
SELF_ACT_WORD_RE = re.compile(r"(?:закон|кодекс|указ|постановлени|приказ)", re.IGNORECASE)
#: Before RELATIVE_RE is tried on a text: a literal scan of the folded text.
RELATIVE_SCAN_RE = re.compile(r"настоящ|данн(?:ой|ая|ую|ого|ому|ом|ым|ый|ое|ые|ей) ")

#: One act, not "законами": the kind word in the singular.
SINGULAR_KIND_RE = re.compile(r"(?:закон|кодекс|указ)(?:ом|а|у|е)?$", re.IGNORECASE)
