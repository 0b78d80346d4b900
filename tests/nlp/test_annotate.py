"""The annotate glue: one text → Annotation, the ``migralex tag`` record, and resumable annotation of a
real SQLite store (texts: real provisions of the Code on Administrative Offences, K1400000235)."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.models import Act, Annotation, ParsedDocument, Provision, Redaction
from corpus.store import Store
from nlp.annotate import PIPELINE_VERSION, annotate, annotate_provision, annotate_store, tag_record

ACT = "K1400000235"
HEADING_517 = (
    "Статья 517. Нарушение иностранцем или лицом без гражданства законодательства Республики Казахстан в области "
    "миграции населения"
)
PART_517_6 = (
    "6. Действия, предусмотренные частью третьей настоящей статьи, совершенные повторно в течение года после "
    "наложения административного взыскания, – влекут штраф в размере пятнадцати месячных расчетных показателей "
    "либо административное выдворение за пределы Республики Казахстан."
)
PART_517_7 = (
    "7. Деяния, предусмотренные частью второй, четвертой и пятой настоящей статьи, совершенные повторно в течение "
    "года после наложения административного взыскания, – влекут административный арест до пятнадцати суток с "
    "административным выдворением за пределы Республики Казахстан."
)
ART_204 = "1. Торговля вне мест, установленных местным исполнительным органом, – влечет предупреждение или штраф в размере пяти месячных расчетных показателей."  # noqa: E501


def test_annotate_fills_every_part() -> None:
    ann = annotate(PART_517_7, act_id=ACT, eid="art_517__para_7", version_id=f"{ACT}/art_517__para_7@2020-05-13")
    assert isinstance(ann, Annotation)
    assert ann.version_id == f"{ACT}/art_517__para_7@2020-05-13"
    assert ann.pipeline_version == PIPELINE_VERSION
    assert ann.lemmas.split()[:2] == ["7", "деяние"] and "выдворение" in ann.lemmas.split()
    assert {t.id for t in ann.tags} == {"expulsion", "detention"}
    assert {r.id for r in ann.rights} == {"expulsion_safeguards", "liberty"}
    assert [s["kind"] for s in ann.facts["sanctions"]] == ["arrest", "expulsion"]
    assert ann.facts["time_limits"][0]["text"] == "в течение года"


def test_annotate_resolves_relative_citations_when_the_module_is_there() -> None:
    pytest.importorskip("nlp.citations")
    ann = annotate(PART_517_7, act_id=ACT, eid="art_517__para_7")
    targets = {(c.target_act_id, c.target_eid) for c in ann.citations}
    assert (ACT, "art_517__para_2") in targets


def test_heading_and_ancestors_feed_the_tagger() -> None:
    # УК ст. 394 ч. 2: "То же деяние" is the heading's offence, a leaf tag (and its parent, implied)
    text = "2. То же деяние, совершенное неоднократно – наказывается штрафом"
    plain = annotate(text)
    with_heading = annotate(text, heading="Статья 394. Организация незаконной миграции")
    assert not plain.tags
    assert {t.id for t in with_heading.tags} == {"illegal_migration", "facilitation"}
    # a heading naming only a general subject ("… законодательства в области миграции") gives no general tag
    assert "illegal_migration" not in {t.id for t in annotate(PART_517_6, heading=HEADING_517).tags}


def test_tag_record_shape() -> None:
    out = tag_record({"id": f"{ACT}/art_517__para_7", "text": PART_517_7, "act_id": ACT})
    assert list(out) == ["id", "tags", "rights", "citations"]
    assert out["id"] == f"{ACT}/art_517__para_7"
    expulsion = next(t for t in out["tags"] if t["id"] == "expulsion")
    assert set(expulsion) == {"id", "evidence", "rule", "confidence"}
    assert expulsion["evidence"] == [{"start": 230, "end": 241, "text": "выдворением"}]
    liberty = next(r for r in out["rights"] if r["id"] == "liberty")
    assert set(liberty) == {"id", "because", "eid", "polarity", "evidence", "rule", "confidence"}
    assert liberty["because"][0] == "cue:административный арест" and liberty["polarity"] == "restricts"
    assert liberty["eid"] == "art_517__para_7" and liberty["evidence"]
    assert out["citations"]
    for c in out["citations"]:
        # no store: targets read from the text alone, and the record says so
        assert {"start", "end", "text", "act_id", "eid", "resolved", "resolution", "unresolved_reason"} <= set(c)
        assert c["resolution"] == "syntactic"


def test_tag_record_plain_text_has_null_id_and_no_tags_for_a_negative() -> None:
    out = tag_record({"text": ART_204})
    assert out == {"id": None, "tags": [], "rights": [], "citations": []}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("text", "must be a JSON object"),
        ({"id": "X/art_1"}, "'text' must be a string"),
        ({"id": 5, "text": "a"}, "id must be a string"),
        ({"text": "a", "heading": 1}, "'heading' must be a string"),
    ],
)
def test_tag_record_rejects_bad_records(record: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        tag_record(record)  # type: ignore[arg-type]


def _document() -> ParsedDocument:
    texts = [
        ("art_517", "article", "517", HEADING_517, "", None),
        ("art_517__para_6", "part", "6", None, PART_517_6, "art_517"),
        ("art_517__para_7", "part", "7", None, PART_517_7, "art_517"),
        ("art_204", "article", "204", "Статья 204. Торговля в неустановленных местах", "", None),
        ("art_204__para_1", "part", "1", None, ART_204, "art_204"),
    ]
    provisions = [
        Provision(
            act_id=ACT,
            eid=eid,
            kind=kind,
            number=num,
            heading=heading,
            text=text,
            parent=parent,
            ancestors=[HEADING_517 if eid.startswith("art_517") else "Статья 204. Торговля в неустановленных местах"]
            if parent
            else [],
            position=i,
        )
        for i, (eid, kind, num, heading, text, parent) in enumerate(texts)
    ]
    return ParsedDocument(
        act=Act(id=ACT, kind="кодекс", title="Кодекс Республики Казахстан об административных правонарушениях"),
        redaction=Redaction(act_id=ACT, valid_from=date(2026, 1, 9)),
        provisions=provisions,
    )


def test_a_part_reads_its_articles_heading() -> None:
    part = _document().provisions[1]
    part.ancestors = ["Статья 394. Организация незаконной миграции"]
    part.text = "2. То же деяние, совершенное неоднократно – наказывается штрафом"
    tags = {t.id: t for t in annotate_provision(part).tags}
    assert tags["facilitation"].rule.startswith("heading:")


def test_annotate_store_is_resumable(tmp_path) -> None:
    path = tmp_path / "corpus.sqlite"
    with Store(path) as store:
        store.save_document(_document())
        seen: list[tuple[int, int]] = []

        def crash_after_first_batch(done: int, total: int) -> None:
            seen.append((done, total))
            raise KeyboardInterrupt  # the process dies after saving one batch

        with pytest.raises(KeyboardInterrupt):
            annotate_store(store, batch_size=2, progress=crash_after_first_batch)
        assert seen == [(2, 5)]
        assert len(list(store.unannotated(PIPELINE_VERSION))) == 3  # one batch survived

    with Store(path) as store:  # a re-run continues
        progress: list[tuple[int, int]] = []
        assert annotate_store(store, batch_size=2, progress=lambda d, t: progress.append((d, t))) == 3
        assert progress == [(2, 3), (3, 3)]
        assert annotate_store(store) == 0
        ann = store.annotation(f"{ACT}/art_517__para_7@2026-01-09")
        assert ann is not None and ann.pipeline_version == PIPELINE_VERSION
        assert {t.id for t in ann.tags} >= {"expulsion", "detention"}
        negative = store.annotation(f"{ACT}/art_204__para_1@2026-01-09")
        assert negative is not None and negative.tags == [] and negative.facts["sanctions"][0]["kind"] == "warning"


def test_annotate_store_rejects_a_bad_batch_size(tmp_path) -> None:
    with Store(tmp_path / "s.sqlite") as store, pytest.raises(ValueError, match="batch_size"):
        annotate_store(store, batch_size=0)


def test_a_law_outside_migration_gets_no_migration_tags() -> None:
    """The anti-corruption law (Z1500000410, real adilet page) — 291 provisions, none about migration."""
    from pathlib import Path

    from ingest.html_page import parse_document

    page = Path(__file__).resolve().parents[1] / "fixtures" / "adilet" / "Z1500000410_rus_raw.html"
    doc = parse_document(page.read_bytes(), act_id="Z1500000410", url="https://adilet.zan.kz/rus/docs/Z1500000410")
    assert len(doc.provisions) > 200
    tagged = {p.eid: annotate_provision(p).tags for p in doc.provisions}
    assert {eid: [t.id for t in tags] for eid, tags in tagged.items() if tags} == {}
