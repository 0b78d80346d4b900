"""Regular expressions of adilet's amendment notes (сноски об изменениях и дополнениях).

One module for the concept: everything that recognises the wording of "Сноска. Статья 5 с
изменениями, внесенными законами РК от 27.04.2012 № 15-V (вводится в действие …); от …",
"Примечание ИЗПИ! Пункт 7 предусмотрен в редакции Закона РК …" and "3) исключен Законом РК от …"
lives here; :mod:`ingest.amendments` combines them. Patterns run on text whose whitespace has been
folded to single spaces (NBSP and the link-on-its-own-line layout of text copies included).

Typos of the original are part of the language as published and are accepted on purpose: "Снсоска",
"Cтатья" with a Latin "C", "действие c" with a Latin "c", "т 01.01.2020" for "от", "аконами".
"""

from __future__ import annotations

import re

from legal.dates import DATE
from legal.roman import ROMAN_CHARS

#: The citation of an amending act inside a note: "от 27.04.2012 № 15-V", "т 13.01.2014 № 159-V"
#: (typo), "от 13 мая 2020 года № 327-VІ". The number is whatever follows "№" up to a space or a
#: bracket; a roman suffix may contain Cyrillic look-alikes ("VІ") and is normalised later.
ACT_CITATION = re.compile(
    rf"(?:(?<![А-Яа-яЁёA-Za-z])от|(?<![А-Яа-яЁёA-Za-z])т)\s*(?P<date>{DATE})\s*(?:года\s*)?"
    rf"(?:№|N(?=\s*\d))\s*(?P<number>\d+(?:\s*-\s*{ROMAN_CHARS}+)?(?:\s*-?\s*ЗРК)?)"
)

#: Prefix of an editorial note. Group "izpi" is set for ИЗПИ/РЦПИ notes (Примечание ИЗПИ!).
#: "Ескерту" is the Kazakh word, left in a Russian text at least once (criminal code, art. 31);
#: "ҚР ЗҚАИ-ның ескертпесі!" is the ИЗПИ note on Kazakh pages ("РҚАО-ның ескертпесі!" in the
#: reference bank's 2012 Kazakh text).
NOTE_PREFIX = re.compile(
    r"^\s*(?:(?P<footnote>[СC]н(?:о|со)ска|Ескерту)|(?P<izpi>Примечание\s+(?:ИЗПИ|РЦПИ)\s*!?|(?:ҚР\s+)?(?:ЗҚАИ|РҚАО)-ның\s+ескертпесі\s*!?))\s*[.,:!]?\s*"
)

#: Where the effective bracket of one act ends and the wording before the next act starts:
#: "…опубликования); от …", "…ст. 2). от …" and "…с 01.01.2022), с изменением, внесенным …".
SEGMENT_SEPARATOR = re.compile(r";|\)\s*[.,](?=\s|$)")

#: The phrase that states when an amendment takes effect ("вводится в действие", "вступает в силу").
EFFECTIVE_PHRASE = re.compile(r"вв[ео]д(?:ится|ятся)\s+в\s+действие|вступа(?:ет|ют)\s+в\s+силу", re.IGNORECASE)
#: …followed by a date: "вводится в действие с 01.01.2017", "вводится в действие 01.01.2015",
#: "вводятся в действие со 02.01.2021", "вступает в силу с 1 января 2020 года".
EFFECTIVE_DATE = re.compile(
    rf"(?:{EFFECTIVE_PHRASE.pattern})\s+(?:(?:с|c|со)\s*)?(?P<date>{DATE})",
    re.IGNORECASE,
)

#: Kind of the amending act, in the cases a note cites it ("Законом РК", "законами", "Закона",
#: "Указом Президента РК", "постановлением Правительства РК"). The nominative ("Закон дополнен …")
#: names the amended act, not the amending one, and is left out on purpose. The matched words go
#: through :func:`legal.act_kinds.kind_of` for the kind's dictionary form.
ACT_KIND = re.compile(
    r"(?P<constitutional>конституционн\w*\s+з?акон(?:ом|ами|а|ов)\b)"
    r"|(?P<law>(?<![А-Яа-яЁё])з?акон(?:ом|ами|а|ов)\b)"
    r"|(?P<decree>(?<![А-Яа-яЁё])указ(?:ом|ами|а|ов)\b)"
    r"|(?P<resolution>(?<![А-Яа-яЁё])постановлени(?:ем|ями|я|й)\b)"
    r"|(?P<code>(?<![А-Яа-яЁё])кодекс(?:ом|ами|а|ов)\b)"
    r"|(?P<order>(?<![А-Яа-яЁё])приказ(?:ом|ами|а|ов)\b)"
    r"|(?P<disposition>(?<![А-Яа-яЁё])распоряжени(?:ем|ями|я|й)\b)",
    re.IGNORECASE,
)

# --- verbs (docs/design.md §3), matched on the lower-cased wording before an act with quotes removed ------

#: Примечание ИЗПИ: a change announced for the future ("предусматривается изменение", "предусмотрен
#: в редакции", "предусмотрено дополнить", "будут внесены изменения").
VERB_PROSPECTIVE = re.compile(r"предусм\w*|будут\s+внесен\w*|будет\s+внесен\w*")
#: "слова … заменены словами …" (по всему тексту → replaced_throughout, otherwise amended).
VERB_REPLACED = re.compile(r"(?<![а-яё])замен(?:ен|ена|ено|ены|ить|яются|яется)\b")
#: "исключена", and in приказы/постановления "утратил силу", "признан утратившим силу".
VERB_REPEALED = re.compile(
    r"(?<![а-яё])(?:исключ(?:ен|ена|ено|ены)|утратил[аио]?\s+силу|признан[аоы]?\s+утративш\w*\s+силу)\b"
)
VERB_RESTATED = re.compile(r"(?<![а-яё])в\s+редакции\b")
VERB_SUPPLEMENTED = re.compile(r"(?<![а-яё])дополн(?:ен|ена|ено|ены|ить)\b")
#: "Статья 5-1 введена Законом …" — a new provision.
VERB_INTRODUCED = re.compile(r"(?<![а-яё])введен(?:а|о|ы)?\b")
VERB_AMENDED = re.compile(r"изменени|изменен")

WHOLE_TEXT = re.compile(r"по\s+всему\s+тексту")
#: The note is about the act itself ("Кодекс дополнен статьей …", "Закон с изменениями …").
WHOLE_ACT_SUBJECT = re.compile(
    r"^\W*(?:настоящ\w+\s+)?(?:кодекс|закон|указ|постановление|приказ|распоряжение|правила|положение"
    r"|инструкция|регламент)\b"
)
#: The preamble (преамбула) has an eid of its own.
PREAMBLE_SUBJECT = re.compile(r"(?<![а-яё])преамбул\w*")
#: Suspension (действие … приостановлено) is not one of the amendment verbs.
SUSPENDED = re.compile(r"приостановлен\w*", re.IGNORECASE)
#: Adilet's table of contents (оглавление, содержание): editorial, not a provision of the act.
CONTENTS_SUBJECT = re.compile(r"^\W*(?:оглавлени\w*|содержани\w*)\b")

QUOTED = re.compile(r"\"[^\"]*\"|«[^»]*»|“[^”]*”|„[^“”]*[“”]")

# --- structural units named in a note ------------------------------------------------------------

_NUM = r"\d+(?:-\d+)*\)?"
#: A unit and its number(s): "подпункт 3)", "пункта 2", "статьи 5-1", "Главу 16", "ч.1", "ст. 2",
#: "статьями 37-1 и 37-2". Run on lower-cased text with Latin "c" folded to Cyrillic.
UNIT_MENTION = re.compile(
    r"(?<![а-яё])(?P<unit>подпункт\w*|подп\.|пп\.|пункт\w*|п\.|част\w*|ч\.|стать\w*|статей|ст\."
    r"|глав\w*|гл\.|параграф\w*|раздел\w*|абзац\w*|примечани\w*)"
    rf"\s*(?P<nums>{_NUM}(?:\s*(?:,|и)\s*{_NUM})*)?"
)
NUMBER_IN_LIST = re.compile(_NUM)

#: Unit word stem → eid prefix (docs/design.md §2). "пункт" is resolved by :mod:`ingest.amendments`
#: (para "2." or point "3)"); абзацы and примечания have no eid of their own.
UNIT_PREFIXES: tuple[tuple[str, str | None], ...] = (
    ("подпункт", "point"),
    ("подп.", "point"),
    ("пп.", "point"),
    ("пункт", "пункт"),
    ("п.", "пункт"),
    ("част", "para"),
    ("ч.", "para"),
    ("стать", "art"),
    ("статей", "art"),
    ("ст.", "art"),
    ("глав", "chp"),
    ("гл.", "chp"),
    ("параграф", "prgf"),
    ("раздел", "sec"),
    ("абзац", None),
    ("примечани", None),
)

#: An item whose own text says it was repealed: "3) исключен Законом РК от …", "9. Исключен …",
#: "Статья 12. Исключена …", "16-1) исключен …", "а) исключен …", "5. Утратил силу приказом …". "за исключением"
#: does not match.
EXCLUDED_ITEM = re.compile(
    r"^\s*(?:(?:[СC]татья|Глава|Раздел|Параграф)\s+\d+(?:-\d+)*\s*\.?\s*|(?:\d+(?:-\d+)*|[а-я])\s*[.)]\s*)?"
    r"[-–—]?\s*(?P<verb>[Ии]сключ(?:ен|ена|ено|ены)|[Уу]тратил[аио]?\s+силу)\b"
)

#: The Kazakh text of a repealed item or article (reference bank, adilet's kaz pages): "2) алып
#: тасталды - ҚР 03.07.2013 № 124-V Заңымен (…)", "күші жойылды".
KAZ_EXCLUDED_ITEM = re.compile(
    r"^\s*(?:\d+(?:-\d+)*\s*-\s*бап\s*\.?\s*|(?:\d+(?:-\d+)*|[а-яәіңғүұқөһ])\s*[.)]\s*)?"
    r"[-–—]?\s*(?P<verb>алып\s+тасталды|күші\s+жойылды)\b",
    re.IGNORECASE,
)

# --- act-wide replacements: "По всему тексту: слова "A" заменены словами "B" в соответствии с Законом … № N"

#: "в соответствии с Законом РК от 24.11.2015 № 419-V": the law that made the clauses before it.
REPLACED_BY_ACT = re.compile(rf"в\s+соответствии\s+с\s+[^№;]{{0,120}}?№\s*(\d+(?:-\d+)?-{ROMAN_CHARS}+)")
#: "заменены (соответственно) словами "…", "…" и "…"" up to the end of the clause.
REPLACED_WITH = re.compile(
    r"замен\w*\s+(?:соответственно\s+)?(?:словами|словом|словосочетаниями|словосочетанием|цифрами|цифрой)\s+([^;]*)"
)
#: One quoted wording: "…", «…» or “…”.
QUOTED_WORDING = re.compile(r'"([^"]+)"|«([^»]+)»|“([^”]+)”')

