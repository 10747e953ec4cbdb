"""Benchmark: how long the real site takes to build and check, and its size.

Median of several runs of each stage of `make build`, as the pipeline
(`distill_site.tools.pipeline`) runs them: the strict build, the finishing
steps (CSS trim, toggles, robots.txt, print addresses; the PDF handouts
timed on their own), the offline checks, and the HTML validator. Not a test:
run it with `make bench`; it writes results-build.md beside this file.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from _common import ROOT, machine, median, timed_run

REPEATS = 5


def pipeline(site: Path, stages: str, *skip: str) -> list[str]:
    command = [sys.executable, "-m", "distill_site.tools.pipeline", "--site", str(site), "--stages", stages]
    return command + (["--skip", ",".join(skip)] if skip else [])


def row(what: str, runs: list[float]) -> str:
    return f"| {what} | {median(runs):.2f} s | {', '.join(f'{t:.2f}' for t in runs)} |"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        builds, finishes = [], []
        for _ in range(REPEATS):  # each build, then the finishing steps of that build
            builds += timed_run(pipeline(site, "build"), ROOT, 1)
            finishes += timed_run(pipeline(site, "finish", "handouts"), ROOT, 1)
        handouts = timed_run(pipeline(site, "finish", "trim", "toggles", "robots", "print-addresses"), ROOT, REPEATS)
        checks = timed_run(pipeline(site, "checks", "html"), ROOT, REPEATS)
        html = timed_run(pipeline(site, "checks", "links", "urls", "placeholders", "third-party"), ROOT, REPEATS)
        pages = list(site.rglob("*.html"))
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        html_bytes = sum(p.stat().st_size for p in pages)
    lines = [
        "# Build benchmark",
        "",
        f"Measured {dt.date.today().isoformat()} by `tests/bench/bench_build.py` "
        f"(median of {REPEATS} runs) on {machine()}.",
        "",
        "| what | median | runs (s) |",
        "| --- | ---: | --- |",
        row("build: strict build (`mkdocs build --strict`)", builds),
        row("finish: trim CSS, toggles, robots.txt, print addresses", finishes),
        row("finish: PDF handouts (one Chromium, every handout)", handouts),
        row("checks: links, URLs, placeholders, third parties", checks),
        row("checks: valid HTML (Nu Html Checker, one Java start)", html),
        "",
        "Each stage is one `python -m distill_site.tools.pipeline --stages ...` process, start-up included.",
        "",
        f"Built site: {len(pages)} HTML files, {html_bytes:,} bytes of HTML, {total:,} bytes in all.",
        "",
    ]
    out = Path(__file__).with_name("results-build.md")
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
