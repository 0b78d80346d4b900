"""The article as the act prints it: lead-in paragraphs before the parts and items, closing ones after;
evidence and citation spans nested as valid HTML."""

from __future__ import annotations

from collections import defaultdict

import pytest

from corpus.models import Annotation, Citation, Provision, RightLink, Span, Tag
from search_api.web.layout import Node, annotation_marks, lead_count, paragraphs, rows

# Real paragraphs of the bundled acts (long middles elided with "…"): how many come before the children.
LEAD_CASES = [
    ("migration law art. 48: a colon introduces items 1)-14), two closing paragraphs follow",
     ["Иммигранту запрещается въезд в Республику Казахстан:",
      "Иммигрантам, ранее выдворенным из Республики Казахстан, … в порядке реадмиссии.",
      "Не рассматриваются заявления принимающих лиц о приглашении … срока пребывания."], 1),
    ("Criminal Code art. 118: only a note, after the parts",
     ["Примечание. Лицо, совершившее деяния, предусмотренные … опасность заражения."], 0),
    ("Criminal Code art. 146: a numbered note after the parts",
     ["Примечания.", "1. Не признаются жестоким, бесчеловечным … либо других лиц.",
      "2. Лицо, выступающее в официальном качестве, – … по договору."], 0),
    ("КоАП art. 145: the acts listed after a colon, the sanction after them",
     ["Нарушение законодательства Республики Казахстан об … совершенное в виде:",
      "влечет штраф на физических лиц в размере десяти, … производимых работ."], 1),
    ("КоАП art. 49-2: a definition list, then a note",
     ["Уклоняющимся от выполнения общественных работ признается лицо:",
      "Примечание. Уважительными причинами неявки правонарушителя … общественных работ."], 1),
    ("migration law art. 58-2 para 10: an opening paragraph, the list's colon, a closing paragraph",
     ["По результатам проверки должностным лицом (должностными лицами) … о результатах проверки.",
      "В акте о результатах проверки указываются:",
      "К акту о результатах проверки прилагаются при их наличии документы, … или их копии."], 2),
    ("Criminal Code art. 4: one opening paragraph before its parts",
     ["Единственным основанием уголовной ответственности является … не допускается."], 1),
]


@pytest.mark.parametrize(("why", "texts", "lead"), LEAD_CASES, ids=[c[0].split(":")[0] for c in LEAD_CASES])
def test_lead_count_on_real_articles(why: str, texts: list[str], lead: int) -> None:
    assert lead_count(texts) == lead, why


def test_lead_count_agrees_with_the_parsers_own_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser knows which of a container's paragraphs came before its first child; the store does
    not keep it. Read that order from the real parsers (instrumented) on every wording of the migration
    law and on the two codes, and count how often the rule agrees."""
    from ingest import structure
    from ingest.bundled import MANIFEST, bundled_path
    from ingest.parse import parse_path

    after_child: dict[tuple[str, str], list[bool]] = defaultdict(list)
    original = structure.StructureBuilder.add_paragraph

    def add_paragraph(self: structure.StructureBuilder, text: str) -> str:
        eid = original(self, text)
        after_child[(self.act_id, eid)].append(any(p.parent == eid for p in self._provisions))
        return eid

    monkeypatch.setattr(structure.StructureBuilder, "add_paragraph", add_paragraph)
    agree = total = 0
    files = [(e.act_id, f) for e in MANIFEST if e.act_id in ("Z1100000477", "K1400000226", "K1400000235")
             for f in e.files]
    for act_id, f in files:
        after_child.clear()
        doc = parse_path(bundled_path(f), act_id=act_id, lang=f.lang)
        parents = {p.parent for p in doc.provisions}
        for p in doc.provisions:
            if p.eid not in parents or not p.text:
                continue
            texts = p.text.split("\n")
            flags = after_child[(act_id, p.eid)]
            flags = [False] * (len(texts) - len(flags)) + flags  # a numbered first line is not fed through
            truth = flags.index(True) if True in flags else len(flags)
            total += 1
            agree += lead_count(texts) == truth
    assert total > 800
    print(f"lead_count agrees with the parser on {agree}/{total} containers")
    assert agree / total >= 0.99, f"{agree}/{total}"


def _prov(eid: str, text: str, kind: str = "item", number: str | None = None, parent: str | None = None) -> Provision:
    return Provision("Z1100000477", eid, kind, number, None, text, parent)


def test_rows_put_closing_paragraphs_after_the_items_with_numbers() -> None:
    art = _prov("art_48", "Иммигранту запрещается въезд:\nЗакрывающий абзац.", "article", "48")
    items = [_prov(f"art_48__point_{n}", f"пункт {n};", number=str(n), parent="art_48") for n in ("1", "2", "6-1")]
    laid = rows(Node(art, None, [Node(i) for i in items]), lambda n: [])
    assert [(r.eid, r.section, r.number) for r in laid] == [
        ("art_48", "lead", ""), ("art_48__point_1", "lead", "1)"), ("art_48__point_2", "lead", "2)"),
        ("art_48__point_6-1", "lead", "6-1)"), ("art_48", "trailing", "")]
    assert laid[0].paragraphs[0].text == "Иммигранту запрещается въезд:"
    assert laid[-1].paragraphs[0].text == "Закрывающий абзац."
    assert [r.anchor for r in laid] == ["art_48", "art_48__point_1", "art_48__point_2", "art_48__point_6-1", None]


def test_parts_nest_items_and_lettered_items() -> None:
    part = _prov("art_5__para_1", "Часть:", "part", "1", "art_5")
    item = _prov("art_5__para_1__point_3", "пункт:", "item", "3", "art_5__para_1")
    letter = _prov("art_5__para_1__point_3__point_а", "буква;", "item", "а", "art_5__para_1__point_3")
    laid = rows(Node(_prov("art_5", "", "article", "5"), None, [Node(part, None, [Node(item, None, [Node(letter)])])]),
                lambda n: [])
    assert [(r.depth, r.number) for r in laid] == [(0, ""), (1, "1."), (2, "3)"), (3, "а)")]


def test_overlapping_evidence_and_a_citation_cut_into_nested_runs() -> None:
    text = "подлежит выдворению согласно статье 51 настоящего Кодекса"
    start = text.index("статье 51")
    ann = Annotation(
        "v", tags=[Tag("expulsion", [Span(9, 19, "выдворению")])],
        rights=[RightLink("expulsion_safeguards", evidence=[Span(0, 19, "подлежит выдворению")])],
        citations=[Citation(start, len(text), text[start:], "K1400000226", None, "art_51", True)])
    marks = annotation_marks(text, ann, lambda i: "/law/K1400000226/art_51")
    (para,) = paragraphs(text, marks)
    assert para.text == text
    pieces = [(r.cite is not None, p.text, p.evidence) for r in para.runs for p in r.pieces]
    assert pieces == [
        (False, "подлежит ", ("right:expulsion_safeguards",)),
        (False, "выдворению", ("right:expulsion_safeguards", "tag:expulsion")),
        (False, " согласно ", ()),
        (True, "статье 51 настоящего Кодекса", ()),
    ]


def test_a_span_that_does_not_match_its_text_is_left_out() -> None:
    ann = Annotation("v", tags=[Tag("expulsion", [Span(0, 5, "другое")])])
    assert annotation_marks("выдворение", ann, lambda i: None) == []
