"""Benchmark: how long the real site takes to build and check, and its size.

Median of several full strict builds, each followed by the CSS trim, then
the offline checks: the steps of `make build`. Not a test:
run it with `make bench`; it writes results-build.md beside this file.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from _common import ROOT, machine, median, mkdocs, timed_run

REPEATS = 5


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        builds, trims = [], []
        for _ in range(REPEATS):  # as `make build`: each build, then the CSS trim of that build
            builds += timed_run(mkdocs("build", "--strict", "--clean", "-d", str(site)), ROOT, 1)
            trims += timed_run([sys.executable, "-m", "distill_site.tools.trim_css", str(site)], ROOT, 1)
        links = timed_run([sys.executable, "-m", "distill_site.checks.links", str(site)], ROOT, REPEATS)
        urls = timed_run([sys.executable, "-m", "distill_site.checks.urls", str(site)], ROOT, REPEATS)
        pages = list(site.rglob("*.html"))
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        html = sum(p.stat().st_size for p in pages)
    lines = [
        "# Build benchmark",
        "",
        f"Measured {dt.date.today().isoformat()} by `tests/bench/bench_build.py` "
        f"(median of {REPEATS} runs) on {machine()}.",
        "",
        "| what | median | runs (s) |",
        "| --- | ---: | --- |",
        f"| full strict build (`mkdocs build --strict`) | {median(builds):.2f} s | {', '.join(f'{t:.2f}' for t in builds)} |",
        f"| trim Material's CSS (`distill_site.tools.trim_css`) | {median(trims):.2f} s | {', '.join(f'{t:.2f}' for t in trims)} |",
        f"| offline link check | {median(links):.2f} s | {', '.join(f'{t:.2f}' for t in links)} |",
        f"| URL contract check | {median(urls):.2f} s | {', '.join(f'{t:.2f}' for t in urls)} |",
        "",
        f"Built site: {len(pages)} HTML files, {html:,} bytes of HTML, {total:,} bytes in all.",
        "",
    ]
    out = Path(__file__).with_name("results-build.md")
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
