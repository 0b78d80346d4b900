"""Rights cross-reference: real provisions → rights engaged, with the tags and cues that support them."""

from __future__ import annotations

import json

import pytest

from nlp.lemmatize import analyze
from nlp.rights import link_rights
from nlp.tagger import tag, tag_provision
from nlp.taxonomy import TaxonomyError, load_rights, parse_rights

#: The right ids of docs/design.md §4 (the shipped data defines them).
RIGHT_IDS: tuple[str, ...] = (
    "non_refoulement", "asylum_access", "liberty", "expulsion_safeguards", "freedom_of_movement",
    "family_life", "freedom_from_trafficking", "labour_rights", "non_discrimination", "child_rights",
    "privacy", "fair_trial_remedy", "nationality",
)  # fmt: skip

# (text, rights that must be linked, rights that must not be) — verbatim excerpts of real provisions.
CASES: list[tuple[str, set[str], set[str]]] = [
    # КоАП ст. 517 ч. 7: arrest and expulsion of a foreigner
    (
        "Деяния, предусмотренные частью второй, четвертой и пятой настоящей статьи, совершенные иностранцем "
        "повторно в течение года после наложения административного взыскания, – влекут административный арест "
        "до пятнадцати суток с административным выдворением за пределы Республики Казахстан.",
        {"liberty", "expulsion_safeguards"},
        {"non_refoulement", "child_rights"},
    ),
    # Закон о миграции ст. 60 п. 1: return to the state of origin, court decision, detention
    (
        "Незаконные иммигранты подлежат выдворению за пределы Республики Казахстан в государство их "
        "происхождения (страну гражданства иностранца или постоянного проживания лица без гражданства) в "
        "соответствии с законодательством Республики Казахстан. Решение о выдворении принимается судом. "
        "Задержание незаконных иммигрантов и их содержание в специальных учреждениях органов внутренних дел "
        "допускаются на срок, необходимый для выдворения таких лиц за пределы Республики Казахстан",
        {"expulsion_safeguards", "non_refoulement", "fair_trial_remedy", "liberty"},
        {"labour_rights", "privacy"},
    ),
    # УК ст. 135 ч. 1
    (
        "Купля-продажа или совершение иных сделок в отношении несовершеннолетнего, а равно его эксплуатация либо "
        "вербовка, перевозка, передача, укрывательство, получение, а также совершение иных деяний в целях "
        "эксплуатации",
        {"freedom_from_trafficking", "child_rights"},
        {"liberty"},
    ),
    # Закон о миграции ст. 43-1 ч. 1 пп. 7)
    (
        "Трудовые иммигранты должны … пройти дактилоскопическую регистрацию в соответствии с законодательством "
        "Республики Казахстан.",
        {"privacy"},
        {"expulsion_safeguards"},
    ),
    # Закон о миграции ст. 4 ч. 1 пп. 4)
    (
        "защита трудовых прав мигрантов и борьба с эксплуатацией труда.",
        {"labour_rights", "freedom_from_trafficking"},
        set(),
    ),
    # КоАП ст. 496 ч. 2
    (
        "Несообщение или сообщение в превышающий установленный законодательством Республики Казахстан срок факта "
        "приобретения иностранного гражданства – влечет штраф в размере ста месячных расчетных показателей либо "
        "административное выдворение за пределы Республики Казахстан.",
        {"nationality", "expulsion_safeguards"},
        set(),
    ),
    # Закон о миграции ст. 28 ч. 1: family reunification is migration-specific on its own
    (
        "Выдача визы на въезд в Республику Казахстан с целью воссоединения семьи осуществляется в порядке, "
        "определенном Министерством иностранных дел Республики Казахстан",
        {"family_life"},
        set(),
    ),
    ("с целью воссоединения семьи;", {"family_life"}, set()),  # Закон о миграции ст. 3 пп. 2)
    # УК ст. 51 ч. 1: expulsion with an entry ban
    (
        "Выдворение за пределы Республики Казахстан иностранца или лица без гражданства исполняется в "
        "принудительном порядке с установлением запрета на въезд этого лица на территорию Республики Казахстан "
        "сроком на пять лет.",
        {"expulsion_safeguards", "freedom_of_movement"},
        set(),
    ),
    # Закон о миграции ст. 47 п. 1
    (
        "Условия въезда и пребывания лиц, ищущих убежище, отношения по предоставлению убежища иностранцам",
        {"asylum_access"},
        set(),
    ),
    # Закон о миграции ст. 55 п. 1
    (
        "Каждый имеет право выезжать за пределы Республики Казахстан. Граждане Республики Казахстан имеют право "
        "беспрепятственного возвращения в Республику Казахстан.",
        {"freedom_of_movement"},
        {"expulsion_safeguards"},
    ),
    # --- no migration context: nothing is linked -------------------------------------------------
    # КоАП ст. 127 ч. 1: children, but not migration
    (
        "Неисполнение родителями или другими законными представителями обязанностей по воспитанию и (или) "
        "образованию, защите прав и (или) интересов, мер по обеспечению безопасности несовершеннолетних детей",
        set(),
        set(RIGHT_IDS),
    ),
    # Закон о миграции ст. 61: appeal, but no migration words in the text itself
    (
        "Решения и действия (бездействие) уполномоченных органов и (или) их должностных лиц могут быть "
        "обжалованы в вышестоящих государственных органах (вышестоящему должностному лицу) и (или) в суд",
        set(),
        set(RIGHT_IDS),
    ),
    # Закон о миграции ст. 20 пп. 4): the cited act's title is not a cue, the consent to data access is
    (
        "отсутствие согласия этнического казаха, представляемого в соответствии со статьей 8 Закона Республики "
        'Казахстан "О персональных данных и их защите" , на доступ к персональным данным ограниченного доступа;',
        {"privacy"},
        set(),
    ),
]


@pytest.mark.parametrize(("text", "present", "absent"), CASES, ids=[c[0][:40] for c in CASES])
def test_rights_of_real_phrases(text: str, present: set[str], absent: set[str]) -> None:
    tokens = analyze(text)
    got = {r.id for r in link_rights(text, tokens, tag(text, tokens))}
    assert present <= got, f"missing {present - got}"
    assert not (got & absent), f"unexpected {got & absent}"


def test_because_lists_tags_and_cues_with_evidence_spans() -> None:
    text = "влекут административный арест до пятнадцати суток с административным выдворением иностранца"
    tokens = analyze(text)
    links = {r.id: r for r in link_rights(text, tokens, tag(text, tokens))}
    es = links["expulsion_safeguards"]
    assert es.because == ["tag:expulsion", "cue:выдворение"]
    assert es.rule == "expulsion_safeguards.removal"
    assert [s.text for s in es.evidence] == ["выдворением"]
    lib = links["liberty"]
    assert lib.because == ["tag:detention", "cue:административный арест"]
    for link in links.values():
        for s in link.evidence:
            assert text[s.start : s.end] == s.text


def test_heading_context_opens_linking_and_heading_tags_count() -> None:
    # КоАП ст. 916 ч. 2 under its heading about expulsion of foreigners
    text = (
        "Лицо, не исполнившее решение суда о выдворении и не покинувшее территорию Республики Казахстан в "
        "указанный в решении срок, подлежит выдворению в порядке, установленном законодательством."
    )
    tags = tag_provision(text, "Статья 916. Исполнение постановления об административном выдворении")
    got = {r.id for r in link_rights(text, analyze(text), tags)}
    assert {"expulsion_safeguards", "fair_trial_remedy"} <= got


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
    ],
)
def test_malformed_rights_are_rejected(mutate, message: str) -> None:
    from nlp.taxonomy import RIGHTS_PATH

    data = json.loads(RIGHTS_PATH.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(TaxonomyError, match=message):
        parse_rights(data)


def test_cue_label_leaves_out_the_words_in_between() -> None:
    # Закон о миграции ст. 24 п. 1: "этнических казахов и членов их семей"
    text = "Первичное расселение этнических казахов и членов их семей, по их желанию, до присвоения статуса кандаса"
    tokens = analyze(text)
    (family,) = [r for r in link_rights(text, tokens, tag(text, tokens)) if r.id == "family_life"]
    assert "cue:член семья" in family.because
    assert family.evidence[0].text == "членов их семей"
