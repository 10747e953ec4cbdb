"""Benchmark: how many sheets each chapter prints on, and how full they are.

Builds the site as `make build` does (into a temporary folder, PDF handouts
included), then prints every chapter from the served site in Debian's
Chromium at A4 and US Letter, as a reader's browser does, and reads the
PDFs with poppler-utils (tests/browser/printed.py: sheets, and how far down
each sheet's text area the ink goes). Also the PDF handouts the build made
(A4's width by Letter's height) and the time the handouts step takes. Not a
test: run it with `make bench`; it writes results-handouts.md beside this
file, keeping its hand-written notes.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

from _common import ROOT, machine, median, timed_run

sys.path.insert(0, str(ROOT / "tests"))
from browser import printed  # noqa: E402
from browser.conftest import CHROMIUM, CHROMIUM_ARGS, site_path_prefix  # noqa: E402
from distill_site.pages.handouts import extension_options, handouts, page_address  # noqa: E402
from distill_site.site_config import read_site_config  # noqa: E402
from site_server import QuietServer, SiteHandler  # noqa: E402

RESULTS = Path(__file__).with_name("results-handouts.md")
NOTES_MARKER = "## Notes (hand-written"
PAPERS = printed.PAPERS
REPEATS = 3


def pipeline(site: Path, stages: str, skip: str) -> list[str]:
    return [sys.executable, "-m", "distill_site.tools.pipeline", "--site", str(site), "--stages", stages,
            "--skip", skip]


def describe(pdf: bytes) -> tuple[int, str]:
    fills = printed.fills(pdf)
    return len(fills), " ".join(f"{fill:.0%}" for fill in fills)


def main() -> None:
    missing = printed.missing_tools()
    if missing:
        sys.exit(f"{', '.join(missing)} missing: {printed.INSTALL_POPPLER}")
    found = handouts(extension_options(read_site_config(ROOT / "mkdocs.yml")))
    chapters = [handout for handout in found if not handout.is_pack]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        timed_run(pipeline(site, "build,finish", "html,urls"), ROOT, 1)
        steps_before = "trim,toggles,robots,print-addresses"
        handout_times = timed_run(pipeline(site, "finish", steps_before), ROOT, REPEATS)
        built = {handout.path: describe((site / handout.path).read_bytes()) for handout in found}
        prefix = site_path_prefix(site)
        handler = type("Handler", (SiteHandler,), {"prefix": prefix})
        server = QuietServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
        browser_prints = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page()
                for chapter in chapters:
                    page.goto(base + page_address(chapter.pages[0]))
                    for paper in PAPERS:
                        browser_prints[chapter.name, paper] = describe(page.pdf(format=paper))
                browser.close()
        finally:
            server.shutdown()
            server.server_close()

    lines = [
        "# Handouts benchmark",
        "",
        f"Measured {dt.date.today().isoformat()} by `tests/bench/bench_handouts.py` on {machine()}, "
        f"Chromium at {CHROMIUM}.",
        "",
        "## A chapter printed from the browser",
        "",
        "Sheets, and how far down each sheet's text area the ink goes (the last sheet may be short; "
        "`tests/browser/test_handouts.py` fails if any other is under 50 %).",
        "",
        "| chapter | A4 sheets | A4 fill | Letter sheets | Letter fill |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for chapter in chapters:
        a4, letter = browser_prints[chapter.name, "A4"], browser_prints[chapter.name, "Letter"]
        lines.append(f"| {chapter.name} | {a4[0]} | {a4[1]} | {letter[0]} | {letter[1]} |")
    lines += [
        "",
        "## The PDF handouts the build makes (210 x 279.4 mm: prints on A4 and Letter)",
        "",
        "| file | sheets | fill |",
        "| --- | ---: | --- |",
    ]
    lines += [f"| `{path}` | {sheets} | {fill} |" for path, (sheets, fill) in built.items()]
    lines += [
        "",
        f"The handouts step (`--stages finish`, the other finishing steps skipped; one Chromium for "
        f"all {len(found)} PDFs): median {median(handout_times):.2f} s of {REPEATS} runs "
        f"({', '.join(f'{t:.2f}' for t in handout_times)}).",
        "",
    ]
    notes = ""
    if RESULTS.is_file() and NOTES_MARKER in RESULTS.read_text(encoding="utf-8"):
        text = RESULTS.read_text(encoding="utf-8")
        notes = text[text.index(NOTES_MARKER):]
    RESULTS.write_text("\n".join(lines) + ("\n" + notes if notes else ""), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
