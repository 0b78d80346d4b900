"""Topic tagger: real phrases of the Criminal Code (K1400000226), the Code on Administrative
Offences (K1400000235) and the migration law (Z1100000477), including the precision traps."""

from __future__ import annotations

import json

import pytest

from nlp.lemmatize import analyze
from nlp.tagger import quoted_titles, tag, tag_provision
from nlp.taxonomy import TaxonomyError, json_schemas, load_topics, parse_topics

#: The topic tag ids of docs/design.md §4 (the shipped data defines them; the code reads whatever it says).
TOPIC_IDS: tuple[str, ...] = (
    "illegal_migration", "illegal_border_crossing", "illegal_stay", "illegal_employment", "facilitation",
    "forced_migration", "asylum_refugees", "displacement", "expulsion", "detention", "trafficking",
    "labour_migration", "ethnic_repatriation", "citizenship",
)  # fmt: skip

# (text, tags that must be present, tags that must be absent) — verbatim excerpts of real provisions.
CASES: list[tuple[str, set[str], set[str]]] = [
    # УК ст. 392 ч. 1
    (
        "Умышленное незаконное пересечение Государственной границы Республики Казахстан вне пунктов пропуска "
        "через Государственную границу, … – наказываются штрафом в размере до двух тысяч месячных расчетных "
        "показателей либо лишением свободы на срок до трех лет, с выдворением за пределы Республики Казахстан "
        "иностранца или лица без гражданства.",
        {"illegal_border_crossing", "illegal_migration", "expulsion"},
        {"detention", "citizenship"},
    ),
    # УК ст. 394 ч. 1
    (
        "Организация незаконной миграции путем предоставления транспортных средств либо поддельных документов, "
        "либо жилого или иного помещения, а также оказания гражданам Республики Казахстан, иностранцам и лицам "
        "без гражданства иных услуг для незаконного въезда, выезда, перемещения по территории Республики Казахстан",
        {"facilitation", "illegal_migration"},
        {"citizenship", "trafficking"},
    ),
    # УК ст. 128 ч. 1
    (
        "Купля-продажа или совершение иных сделок в отношении лица, а равно его эксплуатация либо вербовка, "
        "перевозка, передача, укрывательство, получение, а также совершение иных деяний в целях эксплуатации",
        {"trafficking"},
        set(),
    ),
    # Закон о миграции ст. 60-1 ч. 2
    (
        "Для предоставления гарантированного объема специальных социальных услуг иммигранту, выявленному и "
        "идентифицированному в качестве жертвы торговли людьми на территории Республики Казахстан, выдается "
        "разрешение на временное проживание на территории Республики Казахстан.",
        {"trafficking"},
        {"illegal_stay"},
    ),
    # КоАП ст. 517 ч. 3
    (
        "Нарушение иностранцем или лицом без гражданства законодательства Республики Казахстан в области миграции "
        "населения, выразившееся в невыезде из Республики Казахстан после истечения срока, установленного "
        "законодательством Республики Казахстан",
        {"illegal_stay", "illegal_migration"},
        {"citizenship", "expulsion"},
    ),
    # КоАП ст. 517 ч. 5
    (
        "осуществление трудовой деятельности в Республике Казахстан без получения справки о соответствии "
        "квалификации для самостоятельного трудоустройства, выданной местным исполнительным органом, либо "
        "разрешений на трудоустройство, … – влечет штраф в размере двадцати пяти месячных расчетных показателей "
        "либо административный арест на срок до десяти суток либо административное выдворение за пределы "
        "Республики Казахстан. Нарушение иностранцем",
        {"illegal_employment", "detention", "expulsion"},
        set(),
    ),
    # КоАП ст. 519 ч. 1
    (
        "Привлечение работодателем иностранной рабочей силы без разрешения местного исполнительного органа",
        {"illegal_employment", "labour_migration"},
        set(),
    ),
    # КоАП ст. 518 ч. 2
    (
        "Предоставление жилища иностранцу или лицу без гражданства, пребывающему в Республике Казахстан с "
        "нарушением законодательства Республики Казахстан в области миграции населения",
        {"facilitation", "illegal_stay"},
        set(),
    ),
    # Закон о миграции ст. 60 п. 1
    (
        "Задержание незаконных иммигрантов и их содержание в специальных учреждениях органов внутренних дел "
        "допускаются на срок, необходимый для выдворения таких лиц за пределы Республики Казахстан",
        {"detention", "expulsion", "illegal_migration"},
        set(),
    ),
    # Закон о миграции ст. 47 п. 1
    (
        "Условия въезда и пребывания лиц, ищущих убежище, отношения по предоставлению убежища иностранцам и лицам "
        "без гражданства и присвоению им статуса беженца",
        {"asylum_refugees", "forced_migration"},
        {"illegal_stay"},
    ),
    # Закон о миграции ст. 1 пп. 13)
    (
        "кандас – этнический казах и (или) члены его семьи казахской национальности, ранее не состоявшие в "
        "гражданстве Республики Казахстан",
        {"ethnic_repatriation"},
        set(),
    ),
    # Закон о миграции ст. 1 пп. 13-5)
    (
        "реадмиссия – передача (возвращение) в соответствии с международным договором, ратифицированным "
        "Республикой Казахстан, компетентными органами одного государства",
        {"expulsion"},
        set(),
    ),
    # КоАП ст. 496 ч. 1
    (
        "Использование паспорта и (или) удостоверения личности гражданина Республики Казахстан лицом, утратившим "
        "гражданство Республики Казахстан",
        {"citizenship"},
        set(),
    ),
    # Закон о миграции ст. 48 (вводная часть)
    ("Иммигранту запрещается въезд в Республику Казахстан:", {"expulsion"}, set()),
    # Закон о миграции ст. 1 пп. 22)
    (
        "квота на привлечение иностранной рабочей силы – предельно допустимое количество иностранной рабочей силы",
        {"labour_migration"},
        {"illegal_employment"},
    ),
    # --- precision traps -------------------------------------------------------------------------
    # УК ст. 345 ч. 1: эксплуатация транспортных средств is not exploitation of persons
    (
        "Нарушение лицом, управляющим автомобилем, троллейбусом, трамваем либо другим механическим транспортным "
        "средством, правил дорожного движения или эксплуатации транспортных средств",
        set(),
        set(TOPIC_IDS),
    ),
    # КоАП ст. 204: торговля alone is trade, not trafficking
    ("Торговля вне мест, установленных местным исполнительным органом", set(), set(TOPIC_IDS)),
    ("Торговля в неустановленных местах", set(), set(TOPIC_IDS)),
    # КоАП ст. 251: репатриация of currency
    (
        "Невыполнение индивидуальным предпринимателем или юридическим лицом требования репатриации национальной "
        "и (или) иностранной валюты",
        set(),
        set(TOPIC_IDS),
    ),
    # КоАП ст. 548 ч. 1: таможенная граница — goods, not people
    (
        "Перемещение товаров и транспортных средств через таможенную границу Евразийского экономического союза "
        "помимо таможенного контроля",
        set(),
        set(TOPIC_IDS),
    ),
    # КоАП ст. 17 ч. 2: задержание транспортного средства
    (
        "отстранение от управления транспортным средством, маломерным судном; задержание транспортного средства, "
        "маломерного судна; досмотр транспортных средств",
        set(),
        set(TOPIC_IDS),
    ),
    # УК ст. 396: the border as a line, not crossing it
    (
        "Изъятие, перемещение или уничтожение пограничных знаков в целях противоправного изменения "
        "Государственной границы Республики Казахстан",
        set(),
        set(TOPIC_IDS),
    ),
    # УК ст. 116: сделки в отношении органов — organ trade
    ("сделок в отношении органов и тканей живого лица", set(), {"trafficking"}),
    # КоАП ст. 492 ч. 1: citizens without registration — not a migration offence
    (
        "Проживание граждан Республики Казахстан без удостоверения личности или по недействительному "
        "удостоверению личности либо без регистрации по месту жительства",
        set(),
        {"illegal_stay", "illegal_migration"},
    ),
    # КоАП ст. 608 ч. 1: административный арест of a drunk driver is no immigration detention
    (
        "Управление транспортным средством водителем, находящимся в состоянии алкогольного опьянения, – влекут "
        "административный арест на пятнадцать суток",
        set(),
        {"detention"},
    ),
    # Закон о миграции ст. 43-1: a visa-free stay is lawful
    (
        "являться гражданами стран, с которыми Республикой Казахстан заключены соглашения о безвизовом порядке "
        "въезда и пребывания, предусматривающие возможность пребывания в Республике Казахстан без виз",
        set(),
        {"illegal_stay"},
    ),
    # Закон о миграции ст. 46 п. 1: "ходатайство" of an organisation is not an asylum claim
    (
        "Визы на въезд иммигрантам, прибывающим в Республику Казахстан по гуманитарным мотивам, выдаются … на "
        "основании ходатайства представительства международной организации",
        set(),
        {"asylum_refugees"},
    ),
    # Закон о миграции ст. 14 п. 2: the "без" of "лицам без гражданства" is no "без разрешения"
    (
        "Органы национальной безопасности вправе не объяснять причину, послужившую основанием для отказа в "
        "согласовании иммигрантам въезда в Республику Казахстан и отдельные местности (территории), закрытые для "
        "посещения иностранцами; иностранцам и лицам без гражданства – разрешения на постоянное проживание в "
        "Республике Казахстан, ходатайства о приеме в гражданство Республики Казахстан.",
        {"expulsion", "citizenship"},
        {"illegal_stay", "illegal_migration"},
    ),
    # КоАП ст. 510 ч. 3: … and the real "без разрешения" still counts
    (
        "Въезд (проход), временное пребывание или передвижение иностранца или лица без гражданства на территории "
        "Республики Казахстан, временно закрытой для посещения иностранцами и лицами без гражданства, без "
        "разрешения Министерства иностранных дел Республики Казахстан и органов внутренних дел",
        {"illegal_stay"},
        set(),
    ),
    # КоАП ст. 490 ч. 3: registration of missionary activity, not of stay
    (
        "Осуществление миссионерской деятельности без регистрации (перерегистрации), … на иностранцев и лиц без "
        "гражданства – в размере пятидесяти месячных расчетных показателей с административным выдворением за "
        "пределы Республики Казахстан.",
        {"expulsion"},
        {"illegal_stay"},
    ),
    # КоАП ст. 378 ч. 1: migration of animals
    (
        "Нарушение правил охраны мест произрастания растений и среды обитания животных, условий размножения, путей "
        "миграции и мест концентраций животных, … а равно незаконные переселение, интродукция, реинтродукция",
        set(),
        set(TOPIC_IDS),
    ),
    # КоАП ст. 477 пп. 10): торговля оружием
    ("ограничения или запрещения на торговлю оружием, боеприпасами, взрывчатыми веществами", set(), set(TOPIC_IDS)),
    # Закон о миграции ст. 58-2 п. 12: a breach that was NOT found
    (
        "В случае отсутствия нарушений требований, установленных законодательством Республики Казахстан в области "
        "миграции населения, при проведении проверки в акте о результатах проверки производится соответствующая "
        "запись.",
        set(),
        set(TOPIC_IDS),
    ),
    # Закон о миграции ст. 12 пп. 3)
    (
        "утверждает перечень заболеваний, наличие которых запрещает въезд иностранцам и лицам без гражданства в "
        "Республику Казахстан;",
        {"expulsion"},
        {"citizenship"},
    ),
    # Synthetic (not from the samples): general Russian legal wording the rules cover
    ("решение о нежелательности пребывания (проживания) иностранного гражданина", {"expulsion"}, set()),
    ("организация незаконного въезда иностранных граждан", {"facilitation", "illegal_migration"}, set()),
    ("фиктивная постановка на учет иностранного гражданина по месту пребывания", {"facilitation"}, set()),
    ("фиктивная регистрация гражданина по месту жительства", set(), {"facilitation"}),  # no foreigner
    ("нарушение иностранным гражданином режима пребывания", {"illegal_stay"}, set()),
    ("разрешение на работу иностранному гражданину", {"labour_migration"}, set()),
    ("определение статуса лица без гражданства", {"citizenship"}, set()),
    ("экологические мигранты и вынужденные переселенцы", {"displacement", "forced_migration"}, set()),
    # Synthetic: вывоз капитала, высылка документов
    ("Ограничения на вывоз капитала за пределы Республики Казахстан устанавливаются законом.", set(), set(TOPIC_IDS)),
    ("Высылка документов заявителю производится почтой.", set(), {"expulsion"}),
    # УК ст. 223 ч. 4: оралманы inside the quoted title of a cited law
    (
        'которые установлены Законом Республики Казахстан "Об амнистии граждан Республики Казахстан, оралманов '
        'и лиц, имеющих вид на жительство в Республике Казахстан, в связи с легализацией ими имущества"',
        set(),
        {"ethnic_repatriation"},
    ),
]


@pytest.mark.parametrize(("text", "present", "absent"), CASES, ids=[c[0][:40] for c in CASES])
def test_tags_of_real_phrases(text: str, present: set[str], absent: set[str]) -> None:
    got = {t.id for t in tag(text)}
    assert present <= got, f"missing {present - got}"
    assert not (got & absent), f"unexpected {got & absent}"


def test_evidence_spans_point_into_the_text_and_name_the_rule() -> None:
    text = "Организация незаконной миграции путем предоставления транспортных средств"
    tags = {t.id: t for t in tag(text)}
    fac = tags["facilitation"]
    assert [(s.start, s.end, s.text) for s in fac.evidence] == [(0, 31, "Организация незаконной миграции")]
    assert fac.rule == "facilitation.organisation" and fac.rule_version == "1"
    assert 0 < fac.confidence <= 1
    for t in tags.values():
        for s in t.evidence:
            assert text[s.start : s.end] == s.text


def test_parent_is_implied_with_the_childs_evidence() -> None:
    text = "незаконное пересечение Государственной границы"
    tags = {t.id: t for t in tag(text)}
    child, parent = tags["illegal_border_crossing"], tags["illegal_migration"]
    assert parent.rule == "implied:illegal_border_crossing"
    assert parent.evidence == child.evidence
    assert load_topics().with_ancestors(["illegal_border_crossing", "asylum_refugees"]) == [
        "illegal_migration", "illegal_border_crossing", "forced_migration", "asylum_refugees",
    ]  # fmt: skip


def test_tokens_can_be_passed_in() -> None:
    text = "с выдворением за пределы Республики Казахстан"
    assert [t.id for t in tag(text, analyze(text))] == [t.id for t in tag(text)] == ["expulsion"]


def test_heading_adds_weaker_evidence_from_the_heading() -> None:
    # УК ст. 394 ч. 2: the part itself only says "То же деяние".
    text = (
        "То же деяние, совершенное неоднократно либо лицом с использованием своих служебных полномочий или группой "
        "лиц по предварительному сговору, – наказывается штрафом в размере до семи тысяч месячных расчетных "
        "показателей … с выдворением за пределы Республики Казахстан иностранца или лица без гражданства."
    )
    heading = "Статья 394. Организация незаконной миграции"
    assert "facilitation" not in {t.id for t in tag(text)}
    tags = {t.id: t for t in tag_provision(text, heading)}
    fac = tags["facilitation"]
    assert fac.rule == "heading:facilitation.organisation"
    assert fac.confidence < tags["expulsion"].confidence
    assert [heading[s.start : s.end] for s in fac.evidence] == ["Организация незаконной миграции"]
    assert tags["expulsion"].rule == "expulsion.removal"  # the text's own evidence wins
    assert tags["illegal_migration"].rule.startswith("heading:")  # its evidence is in the heading too


def test_parent_implied_by_a_heading_tag_keeps_the_heading_origin() -> None:
    text = (
        "Деяния, предусмотренные частями первой или 1-1 настоящей статьи, совершенные преступной группой"  # УК 392 ч. 2
    )
    tags = {
        t.id: t for t in tag_provision(text, "Статья 392. Умышленное незаконное пересечение Государственной границы")
    }
    assert tags["illegal_border_crossing"].rule == "heading:illegal_border_crossing.unlawful_crossing"
    assert tags["illegal_migration"].rule == "heading:implied:illegal_border_crossing"


def test_ancestor_headings_are_weakest() -> None:
    tags = {
        t.id: t
        for t in tag_provision("Порядок устанавливается Правительством.", None, ["Глава 6. Трудовая иммиграция"])
    }
    assert tags["labour_migration"].rule.startswith("ancestor:")
    assert tags["labour_migration"].confidence <= 0.5
    # a weak cue in a chapter title does not reach the floor
    weak = tag_provision(
        "Порядок устанавливается Правительством.", None, ["Глава 7. ИММИГРАЦИЯ ПО ПОЛИТИЧЕСКИМ МОТИВАМ"]
    )
    assert weak == []
    assert [
        t.id for t in tag_provision("Порядок.", None, ["ИММИГРАЦИЯ ПО ПОЛИТИЧЕСКИМ МОТИВАМ"], min_confidence=0)
    ] == [
        "forced_migration",
        "asylum_refugees",
    ]


def test_heading_gives_context_for_rules_that_need_foreigners() -> None:
    # КоАП ст. 516 ч. 2 without its subject: "административный арест" alone is not immigration detention.
    text = "влекут административный арест сроком до пяти суток"
    assert "detention" not in {t.id for t in tag(text)}
    with_heading = tag_provision(text, "Статья 1. Нарушение иностранцем правил пребывания")
    assert "detention" in {t.id for t in with_heading}


def test_quoted_titles() -> None:
    text = 'статьей 8 Закона Республики Казахстан "О персональных данных и их защите" , на доступ'
    assert [text[a:b] for a, b in quoted_titles(text)] == ["О персональных данных и их защите"]


def test_bad_input_is_an_error() -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        tag(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="heading must be a str"):
        tag_provision("текст", heading=5)  # type: ignore[arg-type]


def test_taxonomy_has_exactly_the_design_ids_and_every_rule_is_versioned() -> None:
    tx = load_topics()
    assert tuple(tx.tags) == TOPIC_IDS
    assert tx.tags["illegal_stay"].parent == "illegal_migration"
    assert tx.tags["displacement"].parent == "forced_migration"
    assert all(r.id and r.version for r in tx.rules)
    assert {r.tag for r in tx.rules} == set(TOPIC_IDS)  # every tag has at least one rule


def _topics_data() -> dict:
    from nlp.taxonomy import TOPICS_PATH

    data: dict = json.loads(TOPICS_PATH.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["tags"][1].update(parent="nowhere"), "unknown parent 'nowhere'"),
        (lambda d: d["tags"][1].update(id=d["tags"][0]["id"]), "duplicate tag id"),
        (lambda d: d["rules"][0].update(tag="smuggling"), "unknown tag 'smuggling'"),
        (lambda d: d["rules"][0].update(requires="nowhere"), "unknown context 'nowhere'"),
        (lambda d: d["rules"][0].update(patterns=[]), "rules.0.patterns: List should have at least 1 item"),
        (lambda d: d["rules"][0].update(patterns=["незаконный |"]), "empty alternative"),
        (lambda d: d["rules"][0].update(patterns=["+незаконный миграция"]), "first term cannot be"),
        (lambda d: d["rules"][1].update(id=d["rules"][0]["id"]), "duplicate rule id"),
        (lambda d: d["rules"][0].pop("version"), "rules.0.version: Field required"),
        (lambda d: d["rules"][0].update(confidence=1.5), "rules.0.confidence: Input should be less than or equal to 1"),
        (lambda d: d["rules"][0].update(colour="red"), "rules.0.colour: Extra inputs are not permitted"),
    ],
)
def test_malformed_topics_are_rejected_with_a_clear_message(mutate, message: str) -> None:
    data = _topics_data()
    mutate(data)
    with pytest.raises(TaxonomyError, match=message):
        parse_topics(data)


def test_a_new_tag_is_a_data_change() -> None:
    data = _topics_data()
    data["tags"].append({"id": "smuggling", "parent": "illegal_migration", "label": "Контрабанда мигрантов"})
    data["rules"].append({"id": "smuggling.1", "version": "1", "tag": "smuggling", "confidence": 0.9,
                          "patterns": ["контрабанда мигрант"]})
    tx = parse_topics(data)
    assert tx.with_ancestors(["smuggling"]) == ["illegal_migration", "smuggling"]


def test_published_json_schemas_match_the_models() -> None:
    for path, schema in json_schemas().items():
        hint = f"regenerate {path.name}: python -m nlp.taxonomy --write-schemas"
        assert json.loads(path.read_text(encoding="utf-8")) == schema, hint


def test_missing_taxonomy_file_is_an_error(tmp_path) -> None:
    with pytest.raises(TaxonomyError, match="no such taxonomy file"):
        load_topics(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not valid JSON"):
        load_topics(bad)
