"""Server-side SVG: well-formed, one bar part per act and year, wordings as links on a time axis."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from search_api.web.charts import Interval, Series, Tick, amendment_activity, versions_axis

SVG = "{http://www.w3.org/2000/svg}"


def test_amendment_activity_stacks_acts_per_year() -> None:
    svg = amendment_activity([Series("Закон", {2015: 3, 2017: 1}, "#111111"), Series("Кодекс", {2015: 2}, "#222222")],
                             "Изменения по годам")
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img" and root.get("aria-label") == "Изменения по годам"
    titles = sorted(r.findtext(f"{SVG}title") or "" for r in root.iter(f"{SVG}rect"))
    assert titles == ["2015 · Закон: 3", "2015 · Кодекс: 2", "2017 · Закон: 1"]
    labels = {t.text for t in root.iter(f"{SVG}text")}
    assert {"2015", "2016", "2017"} <= labels  # the years between are on the axis too
    heights = {r.findtext(f"{SVG}title"): float(r.get("height") or 0) for r in root.iter(f"{SVG}rect")}
    assert heights["2015 · Закон: 3"] == 3 * heights["2017 · Закон: 1"]


def test_an_empty_series_is_still_a_valid_picture() -> None:
    ET.fromstring(str(amendment_activity([], "—")))


def test_versions_axis_links_each_wording_and_marks_approximate_amendments() -> None:
    svg = versions_axis(
        [Interval(date(2012, 4, 27), date(2019, 1, 1), "с 27.04.2012", "/law/X/art_48?at=2012-04-27"),
         Interval(date(2019, 1, 1), None, "с 01.01.2019", "/law/X/art_48?at=2019-01-01", current=True)],
        [Tick(date(2013, 12, 10), "10.12.2013", approximate=True), Tick(date(2015, 1, 2), "02.01.2015")],
        date(2026, 12, 1), "Редакции", "неизвестно")
    root = ET.fromstring(str(svg))
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/law/X/art_48?at=2012-04-27", "/law/X/art_48?at=2019-01-01"]
    circles = [c.get("class") for c in root.iter(f"{SVG}circle")]
    assert circles == ["tick approx", "tick"]
    assert any(r.get("class") == "wording current" for r in root.iter(f"{SVG}rect"))
    assert any(r.get("class") == "unknown" for r in root.iter(f"{SVG}rect"))  # before 2012: not known
