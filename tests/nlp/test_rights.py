"""Rights cross-reference: real provisions → rights engaged, with the tags and cues that support them."""

from __future__ import annotations

import json

import pytest

from nlp.lemmatize import analyze
from nlp.rights import link_rights
from nlp.tagger import tag
from nlp.taxonomy import TaxonomyError, load_rights, parse_rights

#: The right ids of docs/design.md §4 (the shipped data defines them).
RIGHT_IDS: tuple[str, ...] = (
    "non_refoulement", "asylum_access", "liberty", "expulsion_safeguards", "freedom_of_movement",
    "family_life", "freedom_from_trafficking", "labour_rights", "non_discrimination", "child_rights",
    "privacy", "fair_trial_remedy", "nationality",
)

# (text, heading, "right:polarity" links that must be there, right ids that must not) — verbatim excerpts of
# real provisions (docs/labelling.md is the standard).
CASES: list[tuple[str, str | None, set[str], set[str]]] = [
    # КоАП ст. 517 ч. 7: arrest and expulsion of a foreigner, both sanctions
    (
        "Деяния, предусмотренные частью второй, четвертой и пятой настоящей статьи, совершенные иностранцем "
        "повторно в течение года после наложения административного взыскания, – влекут административный арест "
        "до пятнадцати суток с административным выдворением за пределы Республики Казахстан.",
        None, {"liberty:restricts", "expulsion_safeguards:restricts"}, {"non_refoulement", "child_rights"},
    ),
    # Закон о миграции ст. 60 п. 1: return to the state of origin, the court decides (procedure, not a remedy)
    (
        "Незаконные иммигранты подлежат выдворению за пределы Республики Казахстан в государство их "
        "происхождения (страну гражданства иностранца или постоянного проживания лица без гражданства) в "
        "соответствии с законодательством Республики Казахстан. Решение о выдворении принимается судом. "
        "Задержание незаконных иммигрантов и их содержание в специальных учреждениях органов внутренних дел "
        "допускаются на срок, необходимый для выдворения таких лиц за пределы Республики Казахстан",
        None,
        {"expulsion_safeguards:restricts", "expulsion_safeguards:procedure", "non_refoulement:restricts",
         "liberty:restricts"},
        {"labour_rights", "privacy", "fair_trial_remedy"},
    ),
    # Закон о миграции ст. 60-1 п. 1: a bar on removing trafficking victims guarantees
    (
        "Иммигранты, выявленные и идентифицированные в качестве жертв торговли людьми на территории Республики "
        "Казахстан, не подлежат выдворению за пределы Республики Казахстан в государство их происхождения",
        None,
        {"freedom_from_trafficking:guarantees", "non_refoulement:guarantees", "expulsion_safeguards:guarantees"},
        set(),
    ),
    # УК ст. 135 ч. 1
    (
        "Купля-продажа или совершение иных сделок в отношении несовершеннолетнего, а равно его эксплуатация либо "
        "вербовка, перевозка, передача, укрывательство, получение, а также совершение иных деяний в целях "
        "эксплуатации",
        None, {"freedom_from_trafficking:guarantees", "child_rights:guarantees"}, {"liberty"},
    ),
    # Закон о миграции ст. 43-1 ч. 1 пп. 7): compulsory fingerprinting restricts
    (
        "Трудовые иммигранты должны … пройти дактилоскопическую регистрацию в соответствии с законодательством "
        "Республики Казахстан.",
        None, {"privacy:restricts"}, {"expulsion_safeguards"},
    ),
    ("защита трудовых прав мигрантов и борьба с эксплуатацией труда.", None, {"labour_rights:guarantees"}, set()),
    # КоАП ст. 496 ч. 2
    (
        "Несообщение или сообщение в превышающий установленный законодательством Республики Казахстан срок факта "
        "приобретения иностранного гражданства – влечет штраф в размере ста месячных расчетных показателей либо "
        "административное выдворение за пределы Республики Казахстан.",
        None, {"nationality:restricts", "expulsion_safeguards:restricts"}, set(),
    ),
    # УК ст. 257 ч. 1: deprivation of citizenship as a penalty, no migration word needed
    (
        "Создание террористической группы, а равно руководство ею – наказываются лишением свободы на срок от "
        "десяти до семнадцати лет с конфискацией имущества, лишением гражданства Республики Казахстан или без "
        "такового.",
        None, {"nationality:restricts"}, {"liberty"},
    ),
    # Закон о миграции ст. 28 ч. 1, ст. 3 пп. 2), ст. 27 ч. 5: reunification is procedure, guaranteed, refused
    (
        "Выдача визы на въезд в Республику Казахстан с целью воссоединения семьи осуществляется в порядке, "
        "определенном Министерством иностранных дел Республики Казахстан",
        None, {"family_life:procedure"}, set(),
    ),
    ("с целью воссоединения семьи;", None, {"family_life:guarantees"}, set()),
    ("Иммиграция с целью воссоединения семьи не допускается в отношении членов семей следующих категорий "
     "иммигрантов", None, {"family_life:restricts"}, set()),
    # УК ст. 51 ч. 1: expulsion with an entry ban
    (
        "Выдворение за пределы Республики Казахстан иностранца или лица без гражданства исполняется в "
        "принудительном порядке с установлением запрета на въезд этого лица на территорию Республики Казахстан "
        "сроком на пять лет.",
        None, {"expulsion_safeguards:restricts", "freedom_of_movement:restricts"}, set(),
    ),
    # Закон о миграции ст. 47 п. 1: who regulates asylum is procedure
    (
        "Условия въезда и пребывания лиц, ищущих убежище, отношения по предоставлению убежища иностранцам",
        None, {"asylum_access:procedure"}, set(),
    ),
    # Закон о миграции ст. 55 п. 1
    (
        "Каждый имеет право выезжать за пределы Республики Казахстан. Граждане Республики Казахстан имеют право "
        "беспрепятственного возвращения в Республику Казахстан.",
        None, {"freedom_of_movement:guarantees"}, {"expulsion_safeguards"},
    ),
    # Закон о миграции ст. 61: a remedy (an appeal to a court) guarantees
    (
        "Решения и действия (бездействие) уполномоченных органов и (или) их должностных лиц могут быть "
        "обжалованы в вышестоящих государственных органах (вышестоящему должностному лицу) и (или) в суд",
        None, {"fair_trial_remedy:guarantees"}, set(),
    ),
    # Закон о миграции ст. 20 пп. 4): the cited act's title is not a cue, the consent to data access is
    (
        "отсутствие согласия этнического казаха, представляемого в соответствии со статьей 8 Закона Республики "
        'Казахстан "О персональных данных и их защите" , на доступ к персональным данным ограниченного доступа;',
        None, {"privacy:restricts"}, set(),
    ),
    # items of an entry-refusal article: the heading names the ground's subject (ICCPR art. 12, not art. 13)
    ("4) если он разжигает межнациональную, межконфессиональную и религиозную вражду;",
     "Статья 48. Основания для отказа иммигранту во въезде в Республику Казахстан",
     {"freedom_of_movement:restricts"}, {"expulsion_safeguards"}),
    # "Те же деяния" of the trafficking article: the heading's offence
    ("2. Те же деяния, совершенные: 1) группой лиц по предварительному сговору; 2) неоднократно;",
     "Статья 135. Торговля несовершеннолетними",
     {"freedom_from_trafficking:guarantees", "child_rights:guarantees"}, set()),
    # the Citizenship Law (ст. 17 пп. 4), ст. 21 пп. 2)): the heading is the article's subject, anchored at
    # its start; a heading that only names it further on (КоАП ст. 495) links nothing; a repealed stub neither
    ("4) разжигает межнациональную, межконфессиональную и религиозную вражду;",
     "Основания для отказа в приеме в гражданство или восстановлении в гражданстве Республики Казахстан",
     {"nationality:restricts"}, set()),
    ("2) если гражданство Республики Казахстан приобретено в результате представления заведомо ложных сведений;",
     "Утрата гражданства", {"nationality:restricts"}, set()),
    ("1. Представление заведомо ложных сведений в государственные органы Республики Казахстан при получении "
     "документов, удостоверяющих личность, – влечет штраф в размере двадцати месячных расчетных показателей.",
     "Статья 495. Представление заведомо ложных сведений в государственные органы Республики Казахстан при "
     "получении документов, удостоверяющих личность, либо при подаче заявления о приеме в гражданство "
     "Республики Казахстан", set(), {"nationality"}),
    ("4) исключен Законом РК от 22.07.2011 № 478-IV;", "Утрата гражданства", set(), set(RIGHT_IDS)),
    # a refugee's freedom to work guarantees labour rights (Закон о беженцах ст. 9 п. 1 пп. 6))
    ("свободу труда или предпринимательской деятельности в соответствии с законодательством Республики Казахстан;",
     "Статья 9. Права и обязанности беженцев", {"labour_rights:guarantees"}, {"asylum_access"}),
    # --- the typical false links: a mention is no link -----------------------------------
    # a court that decides or whose decision is named (Закон о миграции ст. 48 пп. 6-1), ст. 56 пп. 4))
    ("6-1) в случае признания судом в его действиях рецидива преступлений или опасного рецидива преступлений;",
     None, set(), {"fair_trial_remedy"}),
    ("4) уклоняется от исполнения обязательств, возложенных на него судом, - до прекращения этих обязательств;",
     None, set(), {"fair_trial_remedy"}),
    # documents and data named in passing (ст. 9 пп. 3), ст. 48 пп. 10))
    ("3) формируют единую базу данных учета въезда и выезда иностранцев и лиц без гражданства, обеспечивают "
     "системное обновление сведений", None, set(), {"privacy"}),
    ("10) если при обращении с ходатайством о въезде он сообщил о себе ложные сведения или не представил "
     "необходимые документы в срок", None, set(), {"privacy"}),
    # family members named as beneficiaries (ст. 23 п. 1, ст. 26 п. 1), a family word in a land rule
    ("1. Этнические казахи и члены их семей, в том числе вдовы кандасов и их общие дети, при получении разрешения "
     "на постоянное проживание в Республике Казахстан освобождаются от подтверждения своей платежеспособности.",
     None, set(), {"family_life", "child_rights"}),
    ("Кандасы и члены их семей имеют право на: 1) получение гражданства Республики Казахстан в упрощенном "
     "(регистрационном) порядке;", None, {"nationality:guarantees"}, {"family_life"}),
    ("земельный участок предоставляется иностранцу и членам его семьи во временное пользование", None, set(),
     {"family_life"}),  # synthetic
    # minors named as an aggravating circumstance (УК ст. 125 ч. 3) or in a visa rule (ст. 32 п. 1)
    ("3. Деяния, предусмотренные частями первой или второй настоящей статьи, если они: 1) совершены преступной "
     "группой; 2-1) совершены в отношении заведомо несовершеннолетнего;", None, set(), {"child_rights"}),
    ("1. Визы на въезд иммигрантам, прибывающим с целью получения образования, выдаются Министерством "
     "иностранных дел для несовершеннолетних с согласия родителей или опекунов", None, set(),
     {"child_rights"}),
    # a refugees' rights item that does not touch return (Закон о беженцах ст. 9 п. 1 пп. 4))
    ("добровольное возвращение в страну происхождения или переезд в любую третью страну;",
     "Статья 9. Права и обязанности беженцев", set(), {"non_refoulement"}),
    # КоАП ст. 127 ч. 1: children, but no rule on a right of theirs
    (
        "Неисполнение родителями или другими законными представителями обязанностей по воспитанию и (или) "
        "образованию, защите прав и (или) интересов, мер по обеспечению безопасности несовершеннолетних детей",
        None, set(), set(RIGHT_IDS),
    ),
]


@pytest.mark.parametrize(("text", "heading", "present", "absent"), CASES, ids=[c[0][:40] for c in CASES])
def test_rights_of_real_phrases(text: str, heading: str | None, present: set[str], absent: set[str]) -> None:
    tokens = analyze(text)
    links = link_rights(text, tokens, tag(text, tokens), heading=heading)
    got = {f"{r.id}:{r.polarity}" for r in links}
    assert present <= got, f"missing {present - got}"
    assert not ({r.id for r in links} & absent), f"unexpected {sorted({r.id for r in links} & absent)}"
    for r in links:
        assert r.polarity in ("guarantees", "restricts", "procedure") and r.rule


def test_because_evidence_and_rule() -> None:
    text = "влекут административный арест до пятнадцати суток с административным выдворением иностранца"
    tokens = analyze(text)
    links = {r.id: r for r in link_rights(text, tokens, tag(text, tokens))}
    es = links["expulsion_safeguards"]
    assert es.because[0] == "cue:выдворение" and es.rule == "expulsion_safeguards.removal"
    assert es.polarity == "restricts" and "polarity:влечь" in es.because
    assert [s.text for s in es.evidence] == ["влекут", "выдворением"]  # the polarity word is evidence too
    lib = links["liberty"]
    assert lib.because[0] == "cue:административный арест"
    for link in links.values():
        for s in link.evidence:
            assert text[s.start : s.end] == s.text


def test_a_part_with_two_rules_on_one_right_has_two_links() -> None:
    # Закон о миграции ст. 60 п. 1 (shortened)
    text = "Незаконные иммигранты подлежат выдворению. Решение о выдворении принимается судом."
    links = [r for r in link_rights(text, None, [], eid="art_60__para_1") if r.id == "expulsion_safeguards"]
    assert [(r.polarity, r.eid) for r in links] == [("restricts", "art_60__para_1"), ("procedure", "art_60__para_1")]


def test_inline_items_get_their_own_eid_and_polarity() -> None:
    # Закон о миграции ст. 26 п. 1 and ст. 29 п. 2 (shortened)
    text = ("1. Кандасы и члены их семей имеют право на: 1) получение гражданства Республики Казахстан в упрощенном "
            "(регистрационном) порядке; 2) льготы, компенсации и другие виды социальной помощи")
    [nat] = [r for r in link_rights(text, None, [], eid="art_26__para_1") if r.id == "nationality"]
    assert (nat.polarity, nat.eid) == ("guarantees", "art_26__para_1__point_1")
    text = ("2. Иммигранты, прибывшие с целью воссоединения семьи, имеют право на осуществление трудовой "
            "деятельности на следующих условиях: 1) члены семьи осуществляют трудовую деятельность на общих с "
            "гражданами Республики Казахстан условиях; 2) члены семей осуществляют трудовую деятельность на "
            "основании выдаваемых местным исполнительным органом справки о соответствии квалификации.")
    labour = {(r.polarity, r.eid) for r in link_rights(text, None, [], eid="art_29__para_2") if r.id == "labour_rights"}
    assert ("restricts", "art_29__para_2__point_2") in labour
    assert any(pol == "guarantees" for pol, _ in labour)


def test_heading_links_carry_the_heading_as_evidence() -> None:
    heading = "Статья 917. Органы, осуществляющие исполнение постановления об административном выдворении"
    text = "1) Пограничной службой Комитета национальной безопасности Республики Казахстан"
    [es] = link_rights(text, None, [], heading=heading, eid="art_917__point_1")
    assert (es.id, es.polarity, es.eid, es.rule) == ("expulsion_safeguards", "procedure", "art_917__point_1",
                                                     "heading:expulsion_safeguards.removal")
    assert [heading[s.start : s.end] for s in es.evidence] == [s.text for s in es.evidence]
    assert es.because == ["heading:исполнение постановление выдворение"]


def test_unknown_tag_is_an_error() -> None:
    from corpus.models import Tag

    with pytest.raises(ValueError, match="unknown tag ids"):
        link_rights("текст", None, [Tag("smuggling")])


def test_catalogue_matches_design_and_lists_instruments() -> None:
    cat = load_rights()
    assert tuple(cat.rights) == RIGHT_IDS
    assert "ICCPR art. 13" in cat.rights["expulsion_safeguards"].instruments
    assert "Refugee Convention 1951 art. 33" in cat.rights["non_refoulement"].instruments
    assert {r.right for r in cat.rules} == set(RIGHT_IDS)  # every right can be reached


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["rights"][1].update(id=d["rights"][0]["id"]), "duplicate right id"),
        (lambda d: d["rights"][0].update(instruments=[]), "rights.0.instruments: List should have at least 1 item"),
        (lambda d: d["rules"][0].update(right="right_to_roam"), "unknown right"),
        (lambda d: d["rules"][0].update(tags=["smuggling"]), "unknown tag"),
        (lambda d: d["rules"][0].update(mode="some"), "rules.0.mode: Input should be 'any' or 'all'"),
        (lambda d: d["rules"][0].update(tags=[], cues=[]), "needs tags or cues"),
        (lambda d: d["rules"][0].pop("polarity"), "rules.0.polarity: Field required"),
        (lambda d: d["rules"][0].update(polarity="bans"), "rules.0.polarity: Input should be"),
        (lambda d: d["rules"][0].update(heading_cues=["выдворение"]), "heading_cues need a heading_polarity"),
        (lambda d: d["rules"][0].update(context="weather"), "unknown context"),
    ],
)
def test_malformed_rights_are_rejected(mutate, message: str) -> None:
    from nlp.taxonomy import RIGHTS_PATH

    data = json.loads(RIGHTS_PATH.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(TaxonomyError, match=message):
        parse_rights(data)


def test_cue_label_leaves_out_the_words_in_between() -> None:
    # Закон о миграции ст. 21-1 п. 2: "о включении членов их семей"
    text = "могут обратиться с заявлением о включении членов их семей в региональную квоту приема кандасов"
    tokens = analyze(text)
    (family,) = [r for r in link_rights(text, tokens, tag(text, tokens)) if r.id == "family_life"]
    assert "cue:включение член семья" in family.because
    assert family.evidence[0].text == "включении членов их семей"
