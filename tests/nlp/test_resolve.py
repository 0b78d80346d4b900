"""nlp.resolve: citation targets from the text (anaphora, amending quotes, the act written in) and against a
real corpus store (targets exist in the cited act's wording in force, or say why not).

Texts are real (the bundled corpus or the saved migration law page) unless marked synthetic.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from corpus.models import Citation
from corpus.store import Store
from nlp.annotate import annotate_provision
from nlp.citations import find_citations, find_references
from nlp.resolve import ANAPHORA_WITHOUT_ANTECEDENT, NOT_IN_CORPUS, resolve_in_corpus, resolve_text

M, K, U, S = "Z1100000477", "K1400000235", "K1400000226", "K2300000224"
REFUGEES = "Z090000216_"

# (citing "act/eid", text, [(span, act, eid, antecedent or None, reason or None)])
CASES: list[tuple[str, str, list[tuple[str, str | None, str | None, str | None, str | None]]]] = [
    # real (Социальный кодекс ст. 263 п. 6 пп. 5): inside the quoted new wording "настоящей статьи" is the
    # amended article 220, not the transitional article quoting it; "пункт 2 статьи 220" names no act: its own
    (
        f"{S}/art_263__para_6__point_5",
        'пункт 2 статьи 220 действует в следующей редакции:\n"2. Единовременно сумма пенсионных накоплений '
        "выплачивается в случае, если сумма пенсионных накоплений лиц, указанных в подпунктах 1) и 2) пункта 1 "
        'настоящей статьи, не превышает двенадцатикратного минимального размера пенсии по возрасту.".',
        [
            ("пункт 2 статьи 220", S, "art_220__para_2", None, None),
            ("подпунктах 1) и 2) пункта 1 настоящей статьи", S, "art_220__para_1__point_1", None, None),
            ("подпунктах 1) и 2) пункта 1 настоящей статьи", S, "art_220__para_1__point_2", None, None),
        ],
    ),
    # real (УК ст. 29 ч. 5, shortened): "этой статьей" is the article cited just before
    (
        f"{U}/art_29__para_5",
        "лицо, указанное в статье 28 настоящего Кодекса, участвовавшее в совершении деяния, предусмотренного "
        "этой статьей",
        [
            ("статье 28 настоящего Кодекса", U, "art_28", None, None),
            ("этой статьей", U, "art_28", "статье 28 настоящего Кодекса", None),
        ],
    ),
    # real (Трудовой кодекс ст. 103 п. 2): a paragraph of a numbered пункт has no eid level of its own
    (f"{'K1500000414'}/art_103__para_2", "указанных в части первой настоящего пункта",
     [("части первой настоящего пункта", "K1500000414", "art_103__para_2", None, None)]),
    # synthetic: the anaphora forms the issue names
    (
        f"{M}/art_5",
        "в соответствии с Законом Республики Казахстан «О беженцах» и пунктом 3 статьи 7 указанного Закона",
        [
            ("Законом Республики Казахстан «О беженцах»", REFUGEES, None, None, None),
            ("пунктом 3 статьи 7 указанного Закона", REFUGEES, "art_7__para_3", "Законом Республики Казахстан "
             "«О беженцах»", None),
        ],
    ),
    (f"{M}/art_5", "в соответствии со статьей 5 указанного Закона",
     [("статьей 5 указанного Закона", None, None, None, ANAPHORA_WITHOUT_ANTECEDENT)]),
    (
        f"{M}/art_5",
        "предусмотренных статьей 48 настоящего Закона, а также пунктом 2 той же статьи",
        [
            ("статьей 48 настоящего Закона", M, "art_48", None, None),
            ("пунктом 2 той же статьи", M, "art_48__para_2", "статьей 48 настоящего Закона", None),
        ],
    ),
    # the kind must agree: "указанного Кодекса" is not the law named before it
    (f"{M}/art_5", "Законом Республики Казахстан «О беженцах» и статьей 5 указанного Кодекса",
     [("Законом Республики Казахстан «О беженцах»", REFUGEES, None, None, None),
      ("статьей 5 указанного Кодекса", None, None, None, ANAPHORA_WITHOUT_ANTECEDENT)]),
    # synthetic: other documents and other states' codes are never the citing act
    (f"{M}/art_5", "в соответствии со статьей 3 Протокола о предупреждении торговли людьми",
     [("статьей 3 Протокола", None, None, None, "act not identified: Протокола")]),
    (f"{M}/art_5", "по ч. 1 ст. 18.8 КоАП РФ",
     [("ч. 1 ст. 18.8 КоАП РФ", None, None, None, "an act of another state: КоАП РФ")]),
    # real (УК ст. 190 ч. 3, shortened): a chain without an article, alone, is the citing article's
    (f"{U}/art_190__para_3", "наказывается штрафом, а в случаях, предусмотренных пунктом 2), – штрафом",
     [("пунктом 2)", U, "art_190__para_3__point_2", None, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("source", "text", "expected"), CASES, ids=[c[2][-1][0][:30] for c in CASES])
def test_resolve_from_the_text(source: str, text: str, expected: list[tuple[str, str | None, str | None,
                                                                            str | None, str | None]]) -> None:
    act_id, _, eid = source.partition("/")
    got = find_citations(text, act_id=act_id, eid=eid)
    assert [(c.text, c.target_act_id, c.target_eid, c.antecedent, c.unresolved_reason) for c in got] == expected
    for c in got:
        assert c.resolution == "syntactic"
        assert c.resolved == (c.target_act_id is not None and c.unresolved_reason is None)
        assert text[c.start : c.end] == c.text


def test_find_then_resolve_are_two_steps() -> None:
    text = "статьей 48 настоящего Закона и статьей 51 Уголовного кодекса Республики Казахстан"
    refs = find_references(text)
    assert [r.text for r in refs] == ["статьей 48 настоящего Закона",
                                      "статьей 51 Уголовного кодекса Республики Казахстан"]
    assert refs[0].act is not None and refs[0].act.relative == "act"
    assert [(c.target_act_id, c.target_eid) for c in resolve_text(text, refs, act_id=M, eid="art_5")] == [
        (M, "art_48"), (U, "art_51")]
    # without the citing provision the relative reference has no act
    reason = resolve_text(text, refs)[0].unresolved_reason
    assert reason is not None and reason.startswith("a relative reference")


# --- against a real store (the migration law page of 27.09.2025, ingested and annotated) ------------


class _Index:
    """A ProvisionIndex over a dict, for the branches a real store cannot show alone."""

    def __init__(self, eids: dict[str, list[tuple[dt.date | None, dt.date | None]]]) -> None:
        self.eids = eids

    def has_act(self, act_id: str) -> bool:
        return act_id == M

    def provision_in_force(self, act_id: str, eid: str, start: dt.date | None, end: dt.date | None = None) -> bool:
        lo, hi = start or dt.date.min, end or dt.date.max
        return any((vf or dt.date.min) < hi and lo < (vt or dt.date.max) for vf, vt in self.eids.get(eid, []))

    def wording_in_force(self, act_id: str, start: dt.date | None, end: dt.date | None = None) -> bool:
        return any(self.provision_in_force(act_id, e, start, end) for e in self.eids)


def _cite(text: str, eid: str | None = "art_5") -> list[Citation]:
    return find_citations(text, act_id=M, eid=eid)


def test_store_resolves_only_to_existing_provisions(built_home: Path) -> None:
    with Store(built_home / "corpus.sqlite") as store:
        [prov] = [p for p in store.versions(M) if p.eid == "art_63__para_1-1"]
        ann = annotate_provision(prov, store)
        got = [(c.text.split()[0], c.target_eid, c.resolved, c.resolution) for c in ann.citations]
        # "подпункта 10-1) части первой статьи 48": art. 48 has no numbered parts, its items hang on it
        assert ("подпункта", "art_48__point_10-1", True, "corpus") in got
        assert ("подпункта", "art_43-1__para_1__point_7", True, "corpus") in got
        at = dt.date(2025, 10, 1)
        missing = resolve_in_corpus(_cite("статьей 999 настоящего Закона"), store, start=at)
        assert [(c.target_eid, c.resolved) for c in missing] == [("art_999", False)]
        assert missing[0].unresolved_reason == "no such provision in the act's wording on 2025-10-01 – now"
        other = resolve_in_corpus(_cite("Законом РК от 27.12.2019 № 292-VІ"), store, start=at)
        assert [(c.target_act_id, c.resolved, c.unresolved_reason) for c in other] == [
            ("Z1900000292", False, NOT_IN_CORPUS)]
        before = resolve_in_corpus(_cite("статьей 48 настоящего Закона"), store, start=dt.date(2000, 1, 1),
                                   end=dt.date(2001, 1, 1))  # fmt: skip
        assert not before[0].resolved
        assert before[0].unresolved_reason == (
            "the corpus has no wording of the act in force on 2000-01-01 – 2001-01-01")
        # the store's read interface itself
        assert store.has_act(M) and not store.has_act("Z1900000292")
        assert store.provision_in_force(M, "art_48__point_10-1", None)
        assert not store.provision_in_force(M, "art_999", None)


def test_a_target_must_exist_while_the_citing_version_is_in_force() -> None:
    # synthetic index: art_7 exists 2012-2019; art_7__para_2 never (its parts are unnumbered paragraphs)
    index = _Index({"art_7": [(dt.date(2012, 1, 1), dt.date(2019, 1, 1))], "art_48": [(dt.date(2020, 1, 1), None)]})
    cits = _cite("статьей 48 настоящего Закона")
    assert not resolve_in_corpus(cits, index, start=dt.date(2015, 1, 1), end=dt.date(2020, 1, 1))[0].resolved
    assert resolve_in_corpus(cits, index, start=dt.date(2015, 1, 1), end=dt.date(2020, 1, 2))[0].resolved
    assert resolve_in_corpus(cits, index, start=dt.date(2015, 1, 1))[0].resolved  # open end: in force now
    # "частью второй настоящей статьи" of an article without numbered parts: the article, as for an абзац
    [second] = resolve_in_corpus(_cite("частью второй настоящей статьи", "art_7"), index, start=dt.date(2013, 1, 1))
    assert (second.target_eid, second.resolved) == ("art_7", True)
    # text-unresolved citations keep their reason; the input is left as it was
    [ana] = _cite("статьей 5 указанного Закона")
    [out] = resolve_in_corpus([ana], index, start=None)
    assert (out.unresolved_reason, out.resolution, ana.resolution) == (ANAPHORA_WITHOUT_ANTECEDENT, "corpus",
                                                                        "syntactic")


def test_every_resolved_target_of_the_annotated_page_exists(built_home: Path) -> None:
    n = _dangling(built_home / "corpus.sqlite")
    assert n["resolved_with_eid"] >= 30 and n["dangling"] == 0, n  # 33 on the page of 27.09.2025


def _dangling(path: Path) -> dict[str, int]:
    """Resolved citations with an eid, and those whose target has no version in force while the citing
    version is (the citing version's [valid_from, valid_to) and the target's overlap)."""
    db = sqlite3.connect(path)
    try:
        resolved, dangling = db.execute(
            "SELECT count(*), sum(NOT EXISTS (SELECT 1 FROM provisions t WHERE t.act_id = c.target_act_id"
            " AND t.eid = c.target_eid AND t.lang = p.lang"
            " AND (t.valid_from IS NULL OR p.valid_to IS NULL OR t.valid_from < p.valid_to)"
            " AND (t.valid_to IS NULL OR p.valid_from IS NULL OR p.valid_from < t.valid_to)))"
            " FROM citations c JOIN provisions p ON p.id = c.provision_id"
            " WHERE json_extract(c.data, '$.resolved') = 1 AND c.target_eid IS NOT NULL"
        ).fetchone()
    finally:
        db.close()
    return {"resolved_with_eid": resolved, "dangling": dangling or 0}


@pytest.mark.slow
def test_bundled_corpus_has_no_dangling_citation_targets(tmp_path: Path) -> None:
    """The whole bundled corpus, ingested and annotated: every resolved citation target exists in the store
    in the cited act's wording in force while the citing version is."""
    from migralex import build
    from migralex.paths import Paths

    paths = Paths(tmp_path)
    build.ingest(paths)
    build.annotate(paths)
    n = _dangling(paths.store)
    print(f"bundled corpus: {n['resolved_with_eid']} resolved citation targets with an eid, {n['dangling']} dangling")
    assert n["resolved_with_eid"] > 5000 and n["dangling"] == 0, n
