"""ingest.effective_rules: the entry into force of a change or an act, read from real wordings.

Every bracket below is verbatim from a note of the bundled acts (migration law, УК, КоАП, УПК, the
Labour Code, the citizenship law); the acts' own sentences are from their final provisions.
"""

from __future__ import annotations

from datetime import date

import pytest

from corpus.dating import resolve
from corpus.models import Act, EffectiveRule, Provision
from ingest.effective_rules import act_entry_into_force, apply_entry_into_force, main_clause, parse_rule

TEN_DAYS = "(вводится в действие по истечении десяти календарных дней после дня его первого официального опубликования)"

#: (case, bracket, kind, date, days, months, day_after)
RULE_CASES = [
    ("fixed date", "(вводится в действие с 01.01.2015)", "date", date(2015, 1, 1), 0, 0, False),
    ("fixed date, со", "(вводится в действие со 02.01.2015)", "date", date(2015, 1, 2), 0, 0, False),
    ("fixed date in words", "(вводится в действие с 1 января 2016 года)", "date", date(2016, 1, 1), 0, 0, False),
    ("ten days after the day of publication", TEN_DAYS, "publication", None, 10, 0, True),
    (
        "ten days after publication (no 'дня')",
        "(вводится в действие по истечении десяти календарных дней после его первого официального опубликования)",
        "publication", None, 10, 0, True,
    ),
    (
        "sixty days",
        "(вводится в действие по истечении шестидесяти календарных дней после дня его первого официального "
        "опубликования)",
        "publication", None, 60, 0, True,
    ),
    (
        "twenty-one days (one day, singular)",
        "(вводится в действие по истечении двадцати одного календарного дня после дня его первого официального "
        "опубликования)",
        "publication", None, 21, 0, True,
    ),
    (
        "six months",
        "(вводится в действие по истечении шести месяцев после дня его первого официального опубликования)",
        "publication", None, 0, 6, True,
    ),
    (
        "counted from the day of publication",
        "(вводится в действие по истечении шестидесяти календарных дней со дня его первого официального "
        "опубликования)",
        "publication", None, 60, 0, False,
    ),
    ("the day of publication", "(вводится в действие со дня его первого официального опубликования)",
     "publication", None, 0, 0, False),
    ("the day of publication, no 'первого'", "(вводится в действие со дня его официального опубликования)",
     "publication", None, 0, 0, False),
    (
        "typo: 'по истечении' twice",
        "(вводится в действие по истечении по истечении шести месяцев после дня его первого официального "
        "опубликования)",
        "publication", None, 0, 6, True,
    ),
    (
        "typo: a Latin letter inside 'дней'",
        "(вводится в действие по истечении десяти календарных днDей после дня его первого официального "
        "опубликования)",
        "publication", None, 10, 0, True,
    ),
    (
        "no verb, only the delay",
        "(по истечении шестидесяти календарных дней после дня его первого официального опубликования)",
        "publication", None, 60, 0, True,
    ),
    (
        "the main clause wins over an exception with a date",
        "(вводится в действие по истечении десяти календарных дней после дня его первого официального "
        "опубликования, за исключением положений об отнесении к рассмотрению судом с участием присяжных "
        "заседателей составов уголовных правонарушений, которые вводятся в действие с 01.01.2023)",
        "publication", None, 10, 0, True,
    ),
    (
        "a bracket that runs into the next act's",
        "(вводится в действие со дня его официального опубликования); от 08.06.2022 (вводится в действие с "
        "08.06.2022)",
        "publication", None, 0, 0, False,
    ),
    ("reference to the act's own provisions", "(порядок введения в действие см. ст.2)", "reference", None, 0, 0,
     False),
    ("reference, no 'порядок'", "(введения в действие см. ст.2)", "reference", None, 0, 0, False),
    ("reference, typo 'введение'", "(порядок введение в действие см. ст. 3)", "reference", None, 0, 0, False),
    (
        "after another event",
        '(вводится в действие после дня введения в действие соответствующих изменений и дополнений в Кодекс РК '
        '"О налогах и других обязательных платежах в бюджет" (Налоговый кодекс))',
        "event", None, 0, 0, False,
    ),
    ("not a rule", "(текст исключен)", "unknown", None, 0, 0, False),
]


@pytest.mark.parametrize(
    ("text", "kind", "on", "days", "months", "day_after"), [c[1:] for c in RULE_CASES], ids=[c[0] for c in RULE_CASES]
)
def test_parse_rule(text: str, kind: str, on: date | None, days: int, months: int, day_after: bool) -> None:
    rule = parse_rule(text)
    assert rule is not None
    assert (rule.kind, rule.date, rule.days, rule.months, rule.day_after) == (kind, on, days, months, day_after)
    assert rule.text == text  # the clause as written, kept
    assert rule.delay == (kind == "publication" and (days > 0 or months > 0 or day_after))


def test_no_text_no_rule() -> None:
    assert parse_rule(None) is None and parse_rule("  ") is None
    assert main_clause("(с 01.01.2020, за исключением статьи 5)") == "с 01.01.2020"


#: (case, rule, adopted, published, expected date, exact)
RESOLVE_CASES = [
    ("fixed date", parse_rule("(вводится в действие с 01.01.2015)"), date(2014, 7, 3), None, date(2015, 1, 1), True),
    ("ten days, publication known: published 01.03 → 12.03", parse_rule(TEN_DAYS), date(2024, 2, 27),
     date(2024, 3, 1), date(2024, 3, 12), True),
    ("ten days, publication unknown: not before adoption + 11", parse_rule(TEN_DAYS), date(2024, 5, 16), None,
     date(2024, 5, 27), False),
    ("six months after the day of publication", parse_rule(
        "(вводится в действие по истечении шести месяцев после дня его первого официального опубликования)"),
     date(2019, 8, 30), date(2019, 8, 31), date(2020, 3, 1), True),
    ("the day of publication", parse_rule("(вводится в действие со дня его первого официального опубликования)"),
     date(2022, 9, 17), date(2022, 9, 19), date(2022, 9, 19), True),
    ("the day of publication, unknown: not before adoption",
     parse_rule("(вводится в действие со дня его первого официального опубликования)"), date(2022, 9, 17), None,
     date(2022, 9, 17), False),
    ("reference: not before adoption", parse_rule("(порядок введения в действие см. ст.2)"), date(2019, 12, 27),
     date(2019, 12, 28), date(2019, 12, 27), False),
    ("no rule: not before adoption", None, date(2002, 5, 17), None, date(2002, 5, 17), False),
]


@pytest.mark.parametrize(
    ("rule", "adopted", "published", "on", "exact"), [c[1:] for c in RESOLVE_CASES], ids=[c[0] for c in RESOLVE_CASES]
)
def test_resolve(rule: EffectiveRule | None, adopted: date, published: date | None, on: date, exact: bool) -> None:
    found = resolve(rule, adopted, published, "Закон")
    assert (found.on, found.exact) == (on, exact)
    assert found.rule  # always says how


# --- an act's own entry into force ---------------------------------------------------------------------

#: (case, sentence, kind, date, exceptions)
OWN_CASES = [
    (
        "УК: a date and two articles later",
        "Настоящий Кодекс вводится в действие с 1 января 2015 года, за исключением статьи 45 , которая вводится "
        "в действие с 1 января 2017 года, и статьи 48 , которая вводится в действие с 1 января 2016 года.",
        "date", date(2015, 1, 1), {"art_45": date(2017, 1, 1), "art_48": date(2016, 1, 1)},
    ),
    (
        "migration law: ten days, items and a chapter from 2015",
        "Настоящий Закон вводится в действие по истечении десяти календарных дней после его первого официального "
        "опубликования, за исключением подпункта 3) статьи 8, подпункта 1) статьи 50 и главы 10, которые вводятся "
        "в действие с 1 января 2015 года.",
        "publication", None,
        {"art_8__point_3": date(2015, 1, 1), "art_50__point_1": date(2015, 1, 1), "chp_10": date(2015, 1, 1)},
    ),
    (
        "УПК: exceptions worded otherwise are left out",
        "Настоящий Кодекс вводится в действие с 1 января 2015 года, за исключением положений, предусмотренных "
        "частями второй и третьей статьи 673 , для которых установлены иные сроки введения в действие.",
        "date", date(2015, 1, 1), {},
    ),
    ("the 1995 decree: the day of publication", "Настоящий Закон вступает в силу со дня опубликования.",
     "publication", None, {}),
    ("Labour Code", "Настоящий Кодекс вводится в действие с 1 января 2016 года.", "date", date(2016, 1, 1), {}),
]


@pytest.mark.parametrize(
    ("sentence", "kind", "on", "exceptions"), [c[1:] for c in OWN_CASES], ids=[c[0] for c in OWN_CASES]
)
def test_act_entry_into_force(sentence: str, kind: str, on: date | None, exceptions: dict[str, date]) -> None:
    found = act_entry_into_force(["Статья 920. Порядок введения в действие настоящего Кодекса", sentence])
    assert found is not None
    assert (found.rule.kind, found.rule.date, found.exceptions) == (kind, on, exceptions)


def test_exceptions_listed_as_items_and_an_unplaceable_unit() -> None:
    """КоАП art. 920: the exceptions are the items under "за исключением:" (the copy appended the signature
    line to the part); "подпункта 6) части третьей статьи 282" cannot be placed and is left out."""
    act = "K1400000235"
    provisions = [
        Provision(act, "art_920__para_2", "part",
                  text="Настоящий Кодекс вводится в действие с 1 января 2015 года, за исключением:\n"
                       "ПрезидентРеспублики Казахстан"),
        Provision(act, "art_920__para_2__point_1", "item",
                  text="части 2-1 статьи 1, которая вводится в действие с 1 июля 2020 года;"),
        Provision(act, "art_920__para_2__point_2", "item",
                  text="подпункта 6) части третьей статьи 282, который вводится в действие с 1 января 2016 года."),
    ]
    doc = Act(id=act, adopted=date(2014, 7, 5))
    apply_entry_into_force(doc, provisions)
    assert (doc.in_force_from, doc.in_force_exact) == (date(2015, 1, 1), True)
    assert doc.in_force_exceptions == {"art_1__para_2-1": date(2020, 7, 1)}


def test_a_relative_entry_into_force_needs_the_adoption_or_publication_date() -> None:
    sentence = "Настоящий Закон вводится в действие по истечении десяти календарных дней после его первого " \
               "официального опубликования."
    act = Act(id="Z1300000070")
    apply_entry_into_force(act, [Provision(act.id, "art_80", "article", text=sentence)])
    assert act.in_force_rule is not None and act.in_force_from is None  # nothing to count from yet
    act.adopted = date(2013, 1, 16)
    from ingest.effective_rules import resolve_act_in_force

    resolve_act_in_force(act)
    assert _in_force(act) == (date(2013, 1, 27), False)
    act.published = date(2013, 1, 22)
    resolve_act_in_force(act)
    assert _in_force(act) == (date(2013, 2, 2), True)


def _in_force(act: Act) -> tuple[date | None, bool]:
    return act.in_force_from, act.in_force_exact


def test_no_sentence_no_entry_into_force() -> None:
    act = Act(id="K950001000_", adopted=date(1995, 8, 30))
    apply_entry_into_force(act, [Provision(act.id, "art_1", "article", text="Республика Казахстан утверждает …")])
    assert act.in_force_rule is None and act.in_force_from is None
