"""Pictures drawn on the server as SVG (no chart library, no network): amendment activity per year per
act, and a provision's wordings on a time axis with the amendments that made them.

Each function returns the SVG text (escaped, self-contained, ``role="img"`` with a title); the pages
put the same figures in a table beside it for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

#: Colours of the acts' series (distinguishable, printable in grey).
PALETTE = ("#2856a3", "#c0562b", "#2e8b57", "#8a4fb0", "#b8860b", "#1f8a9e", "#a0344f", "#5b6b2e", "#6b5b95",
           "#d17a00", "#3d7a7a", "#7f3f00", "#4a4a8a")


@dataclass(frozen=True)
class Series:
    label: str
    counts: Mapping[int, int]  # year → amendments
    color: str = PALETTE[0]


def _nice_max(n: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if n <= step * 5:
            return step * ((n + step - 1) // step) if n else step
    return n


def amendment_activity(series: Sequence[Series], title: str, *, width: int = 760, height: int = 240) -> Markup:
    """Stacked bars: amendments per year, one colour per act; each bar part titled "2015 · УК: 12"."""
    years = sorted({y for s in series for y in s.counts})
    left, right, top, bottom = 40, 10, 12, 28
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    if not years:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="axis">—</text></svg>')
        return Markup("".join(out))
    first, last = years[0], years[-1]
    span = list(range(first, last + 1))
    totals = {y: sum(s.counts.get(y, 0) for s in series) for y in span}
    ymax = _nice_max(max(totals.values()))
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(span)
    bar = max(2.0, slot * 0.72)
    for i in range(5):  # grid and y labels
        v = ymax * i / 4
        y = top + plot_h - plot_h * i / 4
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    label_every = max(1, round(len(span) / 14))
    for i, yr in enumerate(span):
        x = left + i * slot + (slot - bar) / 2
        base: float = top + plot_h
        for s in series:
            n = s.counts.get(yr, 0)
            if not n:
                continue
            h = plot_h * n / ymax
            base -= h
            out.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{s.color}">'
                       f'<title>{yr} · {escape(s.label)}: {n}</title></rect>')
        if (yr - first) % label_every == 0:
            out.append(f'<text class="axis" x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle">{yr}</text>')
    out.append(f'<line class="axisline" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>')
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True)
class Interval:
    """A wording in force on ``[start, end)`` (``end`` None: still in force)."""

    start: date
    end: date | None
    label: str
    href: str
    current: bool = False
    approximate: bool = False
    unknown: bool = False  # in force, its wording not in the corpus: hatched, not a link


@dataclass(frozen=True)
class Tick:
    """An amendment on the axis; ``approximate``: its in-force date is not known exactly."""

    on: date
    label: str
    approximate: bool = False


def _x(d: date, lo: date, hi: date, left: float, plot_w: float) -> float:
    total = max((hi - lo).days, 1)
    return left + plot_w * (d - lo).days / total


def versions_axis(intervals: Sequence[Interval], ticks: Sequence[Tick], today: date, title: str,
                  unknown_label: str, *, width: int = 760) -> Markup:
    """The wordings as bars on a time axis (each a link to that wording), the amendments as dots below
    (hollow: approximate date), and the stretch before the first known wording and every stretch whose
    wording is unknown hatched."""
    dates = [i.start for i in intervals] + [t.on for t in ticks] + [today]
    dates += [i.end for i in intervals if i.end]
    lo, hi = min(dates), max(dates)
    lo = date(lo.year, 1, 1)
    hi = date(hi.year + 1, 1, 1)
    left, right, height = 24.0, 24.0, 96
    plot_w = width - left - right
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
           '<defs><pattern id="unknown" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern></defs>']
    if intervals:
        first = min(i.start for i in intervals)
        x0, x1 = left, _x(first, lo, hi, left, plot_w)
        if x1 - x0 > 1:
            out.append(f'<rect x="{x0}" y="14" width="{x1 - x0:.1f}" height="22" fill="url(#unknown)" class="unknown">'
                       f'<title>{escape(unknown_label)}</title></rect>')
    for n, iv in enumerate(sorted(intervals, key=lambda i: i.start)):
        x0 = _x(iv.start, lo, hi, left, plot_w)
        x1 = _x(iv.end or hi, lo, hi, left, plot_w)
        if iv.unknown:
            out.append(f'<rect x="{x0:.1f}" y="14" width="{max(x1 - x0, 2):.1f}" height="22" fill="url(#unknown)" '
                       f'class="unknown"><title>{escape(iv.label)}</title></rect>')
            continue
        cls = "wording current" if iv.current else f"wording w{n % 2}"
        out.append(f'<a href="{escape(iv.href)}"><rect class="{cls}" x="{x0:.1f}" y="14" width="{max(x1 - x0, 2):.1f}" '
                   f'height="22" rx="2"><title>{escape(iv.label)}</title></rect></a>')
        if iv.approximate:
            out.append(f'<text class="approx" x="{x0 + 2:.1f}" y="30">≈</text>')
    for t in ticks:
        x = _x(t.on, lo, hi, left, plot_w)
        cls = "tick approx" if t.approximate else "tick"
        out.append(f'<circle class="{cls}" cx="{x:.1f}" cy="50" r="4"><title>{escape(t.label)}</title></circle>')
    tx = _x(today, lo, hi, left, plot_w)
    out.append(f'<line class="today" x1="{tx:.1f}" x2="{tx:.1f}" y1="8" y2="58"/>')
    years = hi.year - lo.year
    every = max(1, round(years / 12))
    for yr in range(lo.year, hi.year + 1, every):
        x = _x(date(yr, 1, 1), lo, hi, left, plot_w)
        out.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="62" y2="68"/>'
                   f'<text class="axis" x="{x:.1f}" y="82" text-anchor="middle">{yr}</text>')
    out.append(f'<line class="axisline" x1="{left}" x2="{width - right}" y1="62" y2="62"/></svg>')
    return Markup("".join(out))
