"""A screenshot of a render's report page (for the README: docs/report-page.png).

    python scripts/report_screenshot.py OUT/<slug>.report.html [docs/report-page.png] [--full]

Opens the page from file:// in the system's Chromium (Playwright, as the browser tests do)
and keeps the top of it (the figures, the timeline and the first rows of the segments
table), or all of it with --full.  Take it from a render of the real transcript
(`scripts/bench.py --only report --work DIR` leaves one in DIR/out-report-*/) and take
it again whenever the page changes.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("page", type=Path)
    ap.add_argument("out", type=Path, nargs="?", default=ROOT / "docs" / "report-page.png")
    ap.add_argument("--full", action="store_true", help="the whole page, not its top")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1050})
        page.goto(args.page.resolve().as_uri())
        page.wait_for_function("document.getElementById('player').readyState >= 1")
        page.focus(".seg:nth-child(8)")  # a segment's tooltip, as a producer hovering over it sees it
        page.mouse.move(0, 0)
        page.screenshot(path=str(args.out), full_page=args.full)
        browser.close()
    print(args.out)


if __name__ == "__main__":
    main()
