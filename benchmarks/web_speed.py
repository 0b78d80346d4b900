"""How fast the pages are in a real browser (Debian's Chromium through Playwright), on a built corpus.

    python3 benchmarks/web_speed.py --home /tmp/mlx [--runs 20]

Prints, as p50 / p95 / max over the runs (ms), measured inside the browser:
- **search, typed**: from pressing Enter in the search box to the first result in the page (htmx asks
  the server for the results and swaps them in; timed by a MutationObserver in the page);
- **search, opened by its link**: a permalink ``/?q=…`` opened afresh: navigation start → first
  contentful paint (the first result is in the server-rendered HTML), and → load event;
- **provision page**: ``/law/{act}/{eid}`` opened afresh, for articles of different sizes (with their
  history, diff, citations, evidence, rights and decisions): navigation start → first contentful paint,
  and → load event;
- **the scholar's flow**, step by step as a reader does it (wall time from the action to its result on
  screen, measured from Python): search → open the first article → change the date → compare two
  wordings → follow a citation in the text → copy the citation → export the search as CSV.
The result cache of the search is turned off, so every search reaches the index. Targets (issue 12):
first search result under 300 ms, provision page under 200 ms. Asserts nothing: prints figures, with
the machine's load average before and after (on a shared machine the tail follows the load), and the
server's own share: time from request to the last byte of the page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from search_api.web import browser  # noqa: E402

QUERIES = ("выдворение иностранцев", "основания для отказа во въезде", "беженец", "незаконная миграция",
           "разрешение на временное проживание", "трудовой иммигрант", "кандас", "депортация",
           "\"лица без гражданства\"", "въезд -транзит")
PROVISIONS = ("/law/Z1100000477/art_48", "/law/Z1100000477/art_1", "/law/Z1100000477/art_15",
              "/law/K1400000226/art_392", "/law/K1400000235/art_517", "/law/Z090000216_/art_12")

_WATCH = """() => {
  window.__firstHit = null;
  const seen = () => document.querySelector('#results li.group');
  new MutationObserver(() => { if (!window.__firstHit && seen()) window.__firstHit = performance.now(); })
    .observe(document.body, {childList: true, subtree: true});
  document.getElementById('q').addEventListener('keydown', e => {
    if (e.key === 'Enter') window.__t0 = performance.now();
  });
}"""
_NAV = """() => new Promise(resolve => {
  const nav = performance.getEntriesByType('navigation')[0];
  const done = fcp => resolve({fcp: fcp, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                               server: nav.responseEnd - nav.requestStart});
  new PerformanceObserver(list => {
    const e = list.getEntriesByName('first-contentful-paint')[0];
    if (e) done(e.startTime);
  }).observe({type: 'paint', buffered: true});
  setTimeout(() => done(null), 3000);
})"""


def _stats(values: list[float]) -> str:
    if not values:
        return "—"
    v = sorted(values)
    p95 = v[min(len(v) - 1, round(0.95 * (len(v) - 1)))]
    return f"p50 {statistics.median(v):6.1f}   p95 {p95:6.1f}   max {v[-1]:6.1f}   (n={len(v)})"


def _navigate(page: Any, url: str) -> dict[str, float]:
    page.goto(url, wait_until="load")
    timing = page.evaluate(_NAV)
    if timing["fcp"] is None:
        raise RuntimeError(f"no first contentful paint for {url}")
    return {k: float(v) for k, v in timing.items()}


FLOW_STEPS = ("search", "open provision", "change date", "compare wordings", "follow citation", "copy citation",
              "export CSV")


def _flow(context: Any, base: str) -> dict[str, float]:
    """One pass of the scholar's flow; ms per step."""
    import time

    page = context.new_page()
    took: dict[str, float] = {}

    def step(name: str, act: Any) -> None:
        t0 = time.perf_counter()
        act()
        took[name] = (time.perf_counter() - t0) * 1000

    page.goto(base + "/", wait_until="load")
    page.fill("#q", "основания для отказа во въезде")
    step("search", lambda: (page.press("#q", "Enter"), page.wait_for_selector("#results li.group")))
    step("open provision", lambda: (page.locator("li.group h2 a").first.click(), page.wait_for_selector("#text"),
                                    page.wait_for_load_state("load")))
    search_url = base + "/?q=" + quote("основания для отказа во въезде")
    page.fill("form.controls >> nth=0 >> input[name=at]", "2020-01-01")
    step("change date", lambda: (page.locator("form.controls >> nth=0 >> button[type=submit]").click(),
                                 page.wait_for_url("**at=2020-01-01**"), page.wait_for_load_state("load")))
    quick = page.locator("#diff p.small a[href*='from=']")
    if quick.count():
        step("compare wordings", lambda: (quick.first.click(), page.wait_for_url("**from=**"),
                                          page.wait_for_selector("#diff-body table, #diff-body .diff-inline")))
    cite = page.locator("#text a.cite[href^='/law/']")
    if cite.count():
        step("follow citation", lambda: (cite.first.click(), page.wait_for_load_state("load")))
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    step("copy citation", lambda: (page.locator("button.copy[data-copy='#cite-gost']").click(),
                                   page.wait_for_selector("button.copy.done")))
    page.goto(search_url, wait_until="load")

    def export() -> None:
        with page.expect_download() as info:
            page.locator(".exports a", has_text="CSV").click()
        info.value.path()

    step("export CSV", export)
    page.close()
    return took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="a built MigraLex home")
    ap.add_argument("--runs", type=int, default=20, help="measurements per figure (default 20)")
    args = ap.parse_args(argv)
    if (why := browser.unavailable()) is not None:
        print(f"cannot measure: {why}", file=sys.stderr)
        return 2
    typed: list[float] = []
    search_fcp: list[float] = []
    search_load: list[float] = []
    prov: dict[str, tuple[list[float], list[float]]] = {p: ([], []) for p in PROVISIONS}
    server: list[float] = []
    flow: dict[str, list[float]] = {name: [] for name in FLOW_STEPS}
    load_before = os.getloadavg()
    with browser.serve_home(args.home, result_cache_ttl=0) as base, browser.launch() as chromium:
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        blocked = browser.offline(context)
        page = context.new_page()
        for warm in ("/", "/?q=миграция", PROVISIONS[0]):  # first requests load the lemmatizer, taxonomies
            _navigate(page, base + warm)
        for i in range(args.runs):
            q = QUERIES[i % len(QUERIES)]
            page.goto(base + "/", wait_until="load")
            page.evaluate(_WATCH)
            page.fill("#q", q)
            page.press("#q", "Enter")
            page.wait_for_selector("#results li.group")
            t0, t1 = page.evaluate("() => [window.__t0, window.__firstHit]")
            typed.append(t1 - t0)
            timing = _navigate(page, f"{base}/?q={quote(q)}")
            search_fcp.append(timing["fcp"])
            search_load.append(timing["load"])
            for path in PROVISIONS:
                timing = _navigate(page, base + path)
                prov[path][0].append(timing["fcp"])
                prov[path][1].append(timing["load"])
                server.append(timing["server"])
        for _ in range(max(3, args.runs // 4)):
            for name, ms in _flow(context, base).items():
                flow[name].append(ms)
        context.close()
    load_after = os.getloadavg()
    print(f"web pages in Chromium, {args.runs} runs, search result cache off, corpus {args.home}")
    print(f"load average (1 min) before {load_before[0]:.1f}, after {load_after[0]:.1f} on {os.cpu_count()} cores")
    print(f"search typed → first result             {_stats(typed)}")
    print(f"search permalink → first contentful paint {_stats(search_fcp)}")
    print(f"search permalink → load                  {_stats(search_load)}")
    for path, (fcp, load) in prov.items():
        print(f"{path:<32} → first contentful paint {_stats(fcp)}")
        print(f"{'':<32} → load                   {_stats(load)}")
    all_fcp = [x for fcp, _ in prov.values() for x in fcp]
    all_load = [x for _, load in prov.values() for x in load]
    print(f"provision pages, all                → first contentful paint {_stats(all_fcp)}")
    print(f"provision pages, all                → load                   {_stats(all_load)}")
    print(f"provision pages, all                → request to last byte   {_stats(server)}")
    print("the scholar's flow, step by step (action → result on screen, ms):")
    for name, values in flow.items():
        print(f"  {name:<20} {_stats(values)}")
    if blocked:
        print(f"WARNING: requests to other hosts were attempted: {blocked[:5]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
