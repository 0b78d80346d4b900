"""The embedded backend's own behaviour (atomic reindex, missing/corrupt index) and the indexer
against a real SQLite store. Query semantics shared with Elasticsearch are in test_contract.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from corpus.models import Act, AmendingAct, Amendment, Annotation, ParsedDocument, Provision, Redaction, RightLink, Tag
from corpus.store import Store
from nlp.lemmatize import lemma_text
from search_api.backends import make_backend
from search_api.embedded import CURRENT, EmbeddedBackend
from search_api.indexer import index_docs
from search_api.models import BackendError, IndexDoc, SearchQuery
from tests.search.fixture_corpus import fixture_docs

# --- atomic reindex ---------------------------------------------------------------------------------


def test_reindex_replaces_the_index_and_readers_see_the_new_one(tmp_path: Path) -> None:
    docs = fixture_docs()
    writer, reader = EmbeddedBackend(tmp_path / "index"), EmbeddedBackend(tmp_path / "index")
    writer.index(docs)
    assert reader.search(SearchQuery(q="арест", group="none")).total == 2
    assert reader.search(SearchQuery(q="арест")).total == 1  # one article
    only_uk = [d for d in docs if d.act_id == "K1400000226"]
    assert writer.index(only_uk) == 3
    assert reader.count() == 3  # provision versions, not article documents
    assert reader.search(SearchQuery(q="арест")).total == 0
    assert reader.search(SearchQuery(q="выдворение", group="none")).total == 3
    assert len(list((tmp_path / "index").glob("gen-*"))) == 1  # the old generation is gone


def test_crash_mid_index_leaves_the_old_index_serving(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "index")
    backend.index(fixture_docs())
    before = backend.search(SearchQuery(q="выдворение")).total

    def crashing() -> Iterator[IndexDoc]:
        yield from fixture_docs()[:5]
        raise RuntimeError("store went away mid-index")

    with pytest.raises(RuntimeError, match="mid-index"):
        backend.index(crashing())
    fresh = EmbeddedBackend(tmp_path / "index")
    assert fresh.search(SearchQuery(q="выдворение")).total == before
    assert fresh.count() == len(fixture_docs())
    assert not list((tmp_path / "index").glob(".building-*"))


def test_abandoned_build_of_a_dead_process_is_swept(tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    dead = index / ".building-999999999-1"  # no such pid
    dead.mkdir()
    EmbeddedBackend(index).index(fixture_docs()[:2])
    assert not dead.exists()


def test_progress_is_called_with_the_count(tmp_path: Path) -> None:
    seen: list[int] = []
    n = EmbeddedBackend(tmp_path / "index").index(fixture_docs(), progress=seen.append)
    assert seen[-1] == n == len(fixture_docs())


# --- errors ---------------------------------------------------------------------------------------------


def test_missing_index_is_a_backend_error_naming_the_fix(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "nothing-here")
    for call in (backend.count, backend.health, lambda: backend.search(SearchQuery(q="выдворение"))):
        with pytest.raises(BackendError, match="index not built: run `migralex build`"):
            call()


def test_corrupt_index_is_a_backend_error(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "index")
    backend.index(fixture_docs())
    generation = (tmp_path / "index" / CURRENT).read_text()
    for f in (tmp_path / "index" / generation).glob("*.json"):
        f.write_text("{ not json")
    with pytest.raises(BackendError, match="corrupt"):
        EmbeddedBackend(tmp_path / "index").search(SearchQuery(q="выдворение"))
    shutil.rmtree(tmp_path / "index" / generation)
    with pytest.raises(BackendError, match="run `migralex build`"):
        EmbeddedBackend(tmp_path / "index").count()


def test_query_error_comes_before_backend_error(tmp_path: Path) -> None:
    from search_api.models import QueryError

    with pytest.raises(QueryError):
        EmbeddedBackend(tmp_path / "missing").search(SearchQuery(q='"open'))


def test_make_backend(tmp_path: Path) -> None:
    assert isinstance(make_backend("embedded", index_dir=tmp_path), EmbeddedBackend)
    with pytest.raises(ValueError, match="embedded, elasticsearch"):
        make_backend("solr", index_dir=tmp_path)
    with pytest.raises(ValueError, match="index_dir"):
        make_backend("embedded")
    with pytest.raises(ValueError, match="es_url"):
        make_backend("elasticsearch")


# --- the indexer on a real store ----------------------------------------------------------------------

ACT = "Z1100000477"
# Real texts of the migration law (art. 60, p. 1; art. 1, item 14 stub); the redaction dates and the
# 2019 wording of art. 60 p. 1 (the real one with a word dropped) are SYNTHETIC.
ART_60_1 = (
    "Незаконные иммигранты подлежат выдворению за пределы Республики Казахстан в государство их "
    "гражданской принадлежности или постоянного проживания, или в государство, из которого они прибыли."
)
ART_60_1_OLD = ART_60_1.replace("Незаконные иммигранты", "Иммигранты")
STUB = "исключен Законом РК от 24.11.2015 № 421-V (вводится в действие по истечении десяти календарных дней)"


def _redaction(valid_from: date, art_60_text: str) -> ParsedDocument:
    act = Act(id=ACT, kind="Закон", title="О миграции населения", number="477-IV", status="in_force")
    provisions = [
        Provision(ACT, "chp_1", "chapter", "1", "ОСНОВНЫЕ ПОЛОЖЕНИЯ", "", None, [], 1),
        Provision(ACT, "art_1", "article", "1", "Основные понятия, используемые в настоящем Законе",
                  "В настоящем Законе используются следующие основные понятия:", "chp_1", [], 2),
        Provision(ACT, "art_1__point_14", "item", "14", None, STUB, "art_1", [], 3, repealed=True),  # ingest marks it
        Provision(ACT, "chp_12", "chapter", "12", "ОТВЕТСТВЕННОСТЬ ЗА НАРУШЕНИЕ ЗАКОНОДАТЕЛЬСТВА", "", None, [], 4),
        Provision(ACT, "art_60", "article", "60", "Выдворение незаконных иммигрантов", "", "chp_12", [], 5),
        Provision(ACT, "art_60__para_1", "part", "1", None, art_60_text, "art_60", [], 6),
    ]  # fmt: skip
    amendments = [
        Amendment(ACT, "art_60", "amended", AmendingAct("127-VI", date(2017, 12, 28)), effective_date=date(2018, 1, 9)),
        Amendment(ACT, "art_1__point_14", "repealed", AmendingAct("421-V", date(2015, 11, 24))),
    ]
    return ParsedDocument(act, Redaction(ACT, "rus", valid_from), provisions, amendments)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "corpus.sqlite") as s:
        s.save_document(_redaction(date(2015, 1, 1), ART_60_1_OLD))
        s.save_document(_redaction(date(2019, 1, 1), ART_60_1))
        yield s


def _annotate(store: Store) -> None:
    version = next(v for v in store.versions(ACT) if v.eid == "art_60__para_1" and v.valid_to is None)
    store.save_annotations([
        Annotation(version.version_id, lemmas="незаконный иммигрант подлежать выдворение",
                   tags=[Tag("illegal_stay"), Tag("illegal_migration", rule="implied:illegal_stay"), Tag("expulsion")],
                   rights=[RightLink("expulsion_safeguards")]),
    ])  # fmt: skip


def test_index_docs_from_a_store(store: Store) -> None:
    _annotate(store)
    docs = {d.id: d for d in index_docs(store, today=date(2026, 1, 1))}
    part = next(d for d in docs.values() if d.eid == "art_60__para_1" and d.valid_to is None)
    assert part.heading == "Выдворение незаконных иммигрантов"  # its article's heading
    assert part.chapter == "chp_12" and part.article == "art_60"
    assert (part.act_kind, part.act_title, part.status) == ("закон", "О миграции населения", "in_force")
    assert part.tags == ["illegal_stay", "illegal_migration", "expulsion"]  # as annotated, implied parent included
    assert part.rights == ["expulsion_safeguards"]
    assert part.lemmas == "незаконный иммигрант подлежать выдворение"  # from the annotation
    assert part.amendment_dates == [date(2018, 1, 9)] and part.amendment_years == [2018]  # the article's
    old = next(d for d in docs.values() if d.eid == "art_60__para_1" and d.valid_to is not None)
    assert old.status == "historical" and old.text == ART_60_1_OLD
    assert "выдворение" in old.lemmas.split()  # unannotated: lemmatized by the indexer
    stub = next(d for d in docs.values() if d.eid == "art_1__point_14")
    assert stub.status == "repealed" and stub.chapter == "chp_1"
    assert stub.amendment_dates == [date(2015, 11, 24)]  # no effective date: the amending act's date
    order = [(d.act_id, d.position, d.id) for d in docs.values()]
    assert order == sorted(order)


def test_store_to_search_end_to_end(store: Store, tmp_path: Path) -> None:
    _annotate(store)
    backend = EmbeddedBackend(tmp_path / "index")
    backend.index(index_docs(store, today=date(2026, 1, 1)))
    now = backend.search(SearchQuery(q="незаконные иммигранты", group="none"))
    # the part (in its text), then the article itself (in its heading «Выдворение незаконных иммигрантов»)
    assert [h.eid for h in now.hits] == ["art_60__para_1", "art_60"] and now.hits[0].tags[:1] == ["illegal_stay"]
    then = backend.search(SearchQuery(q="иммигранты выдворение", at=date(2016, 6, 1), group="none"))
    assert [(h.eid, h.valid_to is not None) for h in then.hits] == [("art_60__para_1", True), ("art_60", False)]
    assert backend.search(SearchQuery(q="", status=["repealed"], group="none")).hits[0].eid == "art_1__point_14"
    article = backend.search(SearchQuery(q="незаконные иммигранты")).hits
    assert [(h.eid, [p.eid for p in h.parts]) for h in article] == [("art_60", ["art_60__para_1"])]


def test_index_docs_without_annotations(store: Store) -> None:
    _annotate(store)
    docs = list(index_docs(store, annotations=False))
    assert all(not d.tags and not d.rights for d in docs)
    assert all(d.lemmas for d in docs if d.text)


def test_facets_counted_on_a_thread_for_a_large_index_equal_the_inline_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large index counts facets on a thread while the hits are built (collected last); the answer is
    the same as counting them inline (as a small index does). The threshold is lowered to test it here."""
    import search_api.embedded as embedded

    backend = EmbeddedBackend(tmp_path / "index")
    backend.index(fixture_docs())
    queries = [SearchQuery(), SearchQuery(q="выдворение"), SearchQuery(q="иностранец", group="none"),
               SearchQuery(q="арест OR штраф"), SearchQuery(q="въезд", at=date(2020, 1, 1)),
               SearchQuery(q="нетакогослова"), SearchQuery(q="кандас оралман")]  # the last two: OR fallback, none
    inline = [backend.search(q) for q in queries]
    monkeypatch.setattr(embedded, "FACET_INLINE_BELOW", 0)
    threaded = [backend.search(q) for q in queries]
    assert [r.model_dump() for r in threaded] == [r.model_dump() for r in inline]
    assert any(r.facets["acts"] for r in threaded)


def _article_parts(act: str, art: str, n: int, start: int) -> list[IndexDoc]:
    """SYNTHETIC: article ``art`` of ``n`` parts; the first has the word «уведомление» and no tag, the
    others are tagged "expulsion" without the word."""
    out = []
    for i in range(1, n + 1):
        text = "Иностранец получает уведомление о решении." if i == 1 else f"Иностранец обязан выехать, пункт {i}."
        out.append(IndexDoc(id=f"{act}/{art}__para_{i}@2020-01-01", act_id=act, eid=f"{art}__para_{i}", kind="para",
                            article=art, heading="Обязанности иностранца", text=text, lemmas=lemma_text(text),
                            valid_from=date(2020, 1, 1), tags=[] if i == 1 else ["expulsion"], position=start + i))
    return out


def test_articles_whose_parts_all_miss_the_words_show_their_first_parts_however_long(tmp_path: Path) -> None:
    """Each article has the word in one part and the tag in the others, so under the tag filter no part
    has a word of the query: each shows its first tagged parts in document order. The parts of all
    such articles are found in one search; a long article (40 parts) fills that search's limit, so the
    others are then found one by one (they must not come out empty)."""
    docs = [*_article_parts("SYN1", "art_1", 40, 0), *_article_parts("SYN1", "art_2", 3, 100),
            *_article_parts("SYN1", "art_3", 5, 200)]
    backend = EmbeddedBackend(tmp_path / "index")
    backend.index(docs)
    result = backend.search(SearchQuery(q="уведомление", tag=["expulsion"]))
    shown = {h.eid: [p.eid.partition("__")[2] for p in h.parts] for h in result.hits}
    assert shown == {"art_1": ["para_2", "para_3", "para_4"], "art_2": ["para_2", "para_3"],
                     "art_3": ["para_2", "para_3", "para_4"]}
