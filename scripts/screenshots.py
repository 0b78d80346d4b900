"""Screenshots of every web page for review, taken in Debian's Chromium through Playwright.

    python3 scripts/screenshots.py --home /tmp/mlx              # a built home (migralex --home /tmp/mlx build)
    python3 scripts/screenshots.py --home /tmp/mlx --readme     # also refresh the README's docs/screenshots/

Writes PNGs into ``var/screenshots/`` (git-ignored): the search page (empty, with results, with filters
and chips, a bad date), an act, a provision (top, evidence highlighted, history, comparison, citations,
rights and decisions, cite-as, in English, printed), a right, the about page and the offline /docs.
Every page is loaded with requests to other hosts blocked, and the script says if any page tried one.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from search_api.web import browser  # noqa: E402

#: The shots the README shows (copied to docs/screenshots/ with --readme).
README_SHOTS = ("search-results", "provision", "provision-history", "provision-diff", "provision-analysis", "right")


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    anchor: str | None = None  # scroll this element to the top first
    full_page: bool = False
    ui: str = "ru"
    print_media: bool = False
    height: int = 900


SHOTS = (
    Shot("search-landing", "/"),
    Shot("search-results", "/?q=выдворение+иностранцев"),
    Shot("search-filters",
         "/?q=въезд&tag=expulsion&right=freedom_of_movement&amended_from=2024-01-01&amended_to=2024-12-31"),
    Shot("search-bad-date", "/?q=въезд&at=2020-13-45"),
    Shot("act", "/law/Z1100000477"),
    Shot("provision", "/law/Z1100000477/art_48"),
    Shot("provision-highlight", "/law/Z1100000477/art_48?hl=right:freedom_of_movement", anchor="text"),
    Shot("provision-history", "/law/Z1100000477/art_48", anchor="history"),
    Shot("provision-diff", "/law/Z1100000477/art_48?from=2012-01-01&to=2025-01-01", anchor="diff"),
    Shot("provision-diff-absent", "/law/Z1100000477/art_48?from=2011-07-22&to=2025-01-01", anchor="diff"),
    Shot("provision-diff-unknown", "/law/Z1100000477/art_48?from=2015-06-01&to=2025-01-01", anchor="diff"),
    Shot("provision-diff-gaps", "/law/Z1100000477/art_6?from=2020-06-01&to=2025-12-01", anchor="diff"),
    Shot("provision-wording-unknown", "/law/Z1100000477/art_48?at=2015-06-01"),
    Shot("provision-citations", "/law/Z1100000477/art_6", anchor="citations"),
    Shot("provision-analysis", "/law/Z1100000477/art_48?hl=right:expulsion_safeguards", anchor="analysis"),
    Shot("provision-cite", "/law/Z1100000477/art_48", anchor="cite"),
    Shot("provision-en", "/law/Z1100000477/art_48", ui="en"),
    Shot("provision-print", "/law/Z1100000477/art_48", full_page=True, print_media=True),
    Shot("code-article", "/law/K1400000226/art_392"),
    Shot("right", "/rights/non_refoulement"),
    Shot("about", "/about", full_page=True),
    Shot("api-docs", "/docs"),
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="a built MigraLex home (corpus.sqlite, index/)")
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    ap.add_argument("--readme", action="store_true", help="also copy the README's shots to docs/screenshots/")
    ap.add_argument("--only", nargs="*", help="names of the shots to take (default: all)")
    args = ap.parse_args(argv)
    if (why := browser.unavailable()) is not None:
        print(f"cannot take screenshots: {why}", file=sys.stderr)
        return 2
    if not (args.home / "corpus.sqlite").exists():
        print(f"no built corpus in {args.home}: run `migralex --home {args.home} build` first", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    leaks: dict[str, list[str]] = {}
    with browser.serve_home(args.home) as base, browser.launch() as chromium:
        for shot in shots:
            context = chromium.new_context(viewport={"width": 1280, "height": shot.height}, locale="ru-RU")
            blocked = browser.offline(context)
            if shot.ui != "ru":
                context.add_cookies([{"name": "migralex_ui", "value": shot.ui, "url": base}])
            page = context.new_page()
            if shot.print_media:
                page.emulate_media(media="print")
            page.goto(base + shot.path, wait_until="networkidle")
            if shot.path == "/docs":
                page.wait_for_selector(".opblock", timeout=15000)
            if shot.anchor:
                page.evaluate("id => document.getElementById(id).scrollIntoView({block: 'start'})", shot.anchor)
                page.wait_for_timeout(100)
            target = args.out / f"{shot.name}.png"
            page.screenshot(path=str(target), full_page=shot.full_page)
            print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
            if blocked:
                leaks[shot.name] = list(blocked)
            context.close()
    if args.readme:
        dest = ROOT / "docs" / "screenshots"
        dest.mkdir(parents=True, exist_ok=True)
        for name in README_SHOTS:
            src = args.out / f"{name}.png"
            if src.exists():
                shutil.copyfile(src, dest / src.name)
                print(f"-> docs/screenshots/{src.name}")
    for name, urls in leaks.items():
        print(f"WARNING: {name} tried to reach other hosts: {', '.join(urls[:5])}", file=sys.stderr)
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
