"""The provision page against answers the API gives once the parallel work lands, written here as
stand-ins (named so) of the shapes those changes define: the typed diff of a provision with its parts
(issue 8: ``parts``, ``changes``, ``from_state``/``to_state``) and dated history events; and rights
links with a polarity and the eid of the part that engages them (issue 10, on main). The page must show
them; without them it says plainly that they are absent (test_pages_http, test_browser)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from corpus.models import Act, Annotation, Provision, RightLink, Span
from search_api.web import api, pages
from search_api.web.i18n import Strings
from search_api.web.layout import Node

ACT = Act("Z1100000477", "закон", "О миграции населения", "477-IV", date(2011, 7, 22))
T = Strings("ru")


@dataclass
class _ProvisionDiff:  # stand-in: corpus.changes.ProvisionDiff of issue 8
    eid: str
    state: str
    ops: list[tuple[str, str]] = field(default_factory=list)
    heading_ops: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Change:  # stand-in: corpus.changes.Change of issue 8
    type: str
    eid: str
    before: str | None = None
    after: str | None = None
    count: int = 1


@dataclass
class _SubtreeDiff:  # stand-in: the VersionDiff of issue 8 (a provision with its parts)
    from_version: str | None
    to_version: str | None
    ops: list[tuple[str, str]]
    heading_ops: list[tuple[str, str]]
    parts: list[_ProvisionDiff]
    changes: list[_Change]
    from_state: str = "known"
    to_state: str = "known"


def test_a_diff_with_parts_and_typed_changes_is_shown_as_the_api_gives_it(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _SubtreeDiff(
        "Z1100000477/art_48@2019-01-01", "Z1100000477/art_48@2022-07-14",
        [("equal", "в течение "), ("delete", "десяти"), ("insert", "тридцати"), ("equal", " суток")], [],
        [_ProvisionDiff("art_48__point_6-1", "added", [("insert", "в случае признания судом…")]),
         _ProvisionDiff("art_48__point_10", "renumbered", [("equal", "если при обращении…")])],
        [_Change("number_changed", "art_48", "десяти", "тридцати"), _Change("item_added", "art_48__point_6-1"),
         _Change("term_replaced", "art_48__point_9", "оралман", "кандас", count=3)])
    calls: list[str] = []

    def fake_diff(state: Any, act_id: str, eid: str, d1: date, d2: date, lang: str) -> Any:
        calls.append(eid)
        return answer

    monkeypatch.setattr(api, "diff", fake_diff)
    view = pages.diff_view(None, ACT, "art_48", "rus", date(2019, 1, 1), date(2022, 7, 14), T)  # type: ignore[arg-type]
    assert calls == ["art_48"]  # one answer for the whole article
    assert [(r.eid, r.label, r.state, r.depth) for r in view.rows] == [
        ("art_48", "", "changed", 0), ("art_48__point_6-1", "подп. 6-1", "added", 1),
        ("art_48__point_10", "подп. 10", "renumbered", 1)]
    assert view.changes is not None
    assert [(c["type"], c["label"], c.get("before"), c.get("after")) for c in view.changes] == [
        ("number_changed", "абзацы без номера", "десяти", "тридцати"), ("item_added", "подп. 6-1", None, None),
        ("term_replaced", "подп. 9", "оралман", "кандас")]
    assert view.unknown == []
    # a side whose wording is unknown: the API makes no diff (empty ops), and the page shows no rows that
    # would read as "nothing changed", only which date is unknown
    answer.ops, answer.parts, answer.changes, answer.to_state = [], [], [], "unknown"
    view = pages.diff_view(None, ACT, "art_48", "rus", date(2019, 1, 1), date(2022, 7, 14), T)  # type: ignore[arg-type]
    assert (view.rows, view.changes, view.unknown) == ([], None, [date(2022, 7, 14)])


def test_rights_with_polarity_and_the_engaging_part() -> None:
    text = "Иммигранту запрещается въезд в Республику Казахстан:"
    art = Provision("Z1100000477", "art_48", "article", "48", None, text)
    link = RightLink("freedom_of_movement", ["cue:запрещаться въезд"], [Span(11, 28, "запрещается въезд")],
                     "freedom_of_movement.entry_exit", 0.85, eid="art_48__point_3", polarity="restricts")
    _tags, rights = pages.tags_and_rights(Node(art, Annotation("v", rights=[link])), ACT, T)
    (right,) = rights
    assert right.polarities == ["restricts"] and right.evidence[0].polarity == "restricts"
    assert right.evidence[0].texts == ["запрещается въезд"]
    assert right.evidence[0].places == [("art_48__point_3", "подп. 3")]  # the part the link names


@dataclass
class _Event:  # stand-in: a history event of issue 8, with both dates
    on: date | None
    kind: str
    amendment: Any = None
    version: Any = None
    adopted: date | None = None
    in_force: date | None = None
    in_force_exact: bool = False


def test_history_events_show_adopted_and_in_force_dates_as_the_api_gives_them() -> None:
    from corpus.models import AmendingAct, Amendment

    a = Amendment("Z1100000477", "art_48", "amended", AmendingAct("82-VIII", date(2024, 5, 16), "Z2400000082", "закон"),
                  "(вводится в действие по истечении десяти календарных дней после дня его первого официального "
                  "опубликования)")
    titles = {"Z1100000477": "О миграции населения"}
    plain = pages.event_views([_Event(date(2024, 5, 16), "amendment", a)], ACT, T, titles, within="art_48")
    assert (plain[0].adopted, plain[0].in_force, plain[0].in_force_exact) == (date(2024, 5, 16), None, False)
    dated = pages.event_views([_Event(date(2024, 6, 8), "amendment", a, adopted=date(2024, 5, 16),
                                      in_force=date(2024, 6, 8), in_force_exact=False)], ACT, T, titles)
    e = dated[0]
    assert (e.on, e.adopted, e.in_force, e.in_force_exact) == (date(2024, 6, 8), date(2024, 5, 16), date(2024, 6, 8),
                                                               False)
    assert e.act_href == "https://adilet.zan.kz/rus/docs/Z2400000082" and e.target_label == "ст. 48"
