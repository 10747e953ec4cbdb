"""Benchmark: what the figure extension costs, on a synthetic 500-page site.

Two sites with the same words: one where every figure is a reference
({{ fig:key }}) rendered by our extension, one where the same values are
plain text and the extension is off ("plain MkDocs"). Targets: the full
build costs at most 5 % more with the extension, and the extension's own
work grows linearly with the number of references (1x, 2x, 4x).

Not a test: run it with `make bench`; it writes results-figures.md.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import markdown

from _common import ROOT, cpu_run, machine, median, mkdocs

sys.path.insert(0, str(ROOT / "src"))
from distill_site.figures import load_figures  # noqa: E402
from distill_site.formatting import format_figure  # noqa: E402

PAGES = 500
REFERENCES = 10_000
BUILD_REPEATS = 5
CONVERT_REPEATS = 5
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
              "toc", "pymdownx.details", "pymdownx.superfences"]
# Plain prose with no glossary term in it, so the comparison times figure
# references; glossary tooltips (abbr) cost extra on pages dense with terms.
FILLER = ("The reports describe the scale of the alleged campaign in several ways, "
          "and each of them attributes the count to the company's letter.")


def page_text(index: int, per_page: int, keys: list[str], figures, with_references: bool) -> str:
    lines = [f"# Synthetic page {index} {{ #page-{index} }}", ""]
    for n in range(per_page):
        key = keys[(index * per_page + n) % len(keys)]
        value = f"{{{{ fig:{key} }}}}" if with_references else format_figure(figures[key])
        lines.append(f"{FILLER} One figure here is {value}.")
        lines.append("")
    return "\n".join(lines)


def write_site(folder: Path, references: int, with_extension: bool, facts) -> None:
    keys = list(facts.figures)
    per_page = references // PAGES
    docs = folder / "docs"
    docs.mkdir(parents=True)
    nav = []
    for index in range(PAGES):
        (docs / f"page-{index}.md").write_text(
            page_text(index, per_page, keys, facts.figures, with_extension), encoding="utf-8")
        nav.append(f"  - page-{index}.md")
    # The rows figure links point at, in both sites (else MkDocs would log
    # 10,000 missing anchors and the comparison would time the logging).
    anchors = "\n".join(f'<span id="fig-{key.replace("_", "-")}"></span>' for key in keys)
    (docs / "numbers.md").write_text(f"# Numbers {{ #numbers }}\n\n{anchors}\n", encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data/figures.yml").write_text((ROOT / "data/figures.yml").read_text(), encoding="utf-8")
    extensions = "\n".join(f"  - {name}" for name in EXTENSIONS)
    if with_extension:
        extensions += "\n  - distill_site.markdown_ext"
    (folder / "mkdocs.yml").write_text(
        "site_name: Synthetic\nsite_url: https://example.org/\n"
        "theme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        f"markdown_extensions:\n{extensions}\nnav:\n  - numbers.md\n" + "\n".join(nav) + "\n",
        encoding="utf-8")


def full_builds(facts) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        plain, ours = Path(tmp) / "plain", Path(tmp) / "ours"
        write_site(plain, REFERENCES, False, facts)
        write_site(ours, REFERENCES, True, facts)
        command = mkdocs("build", "--strict", "-d", "site")
        plain_times, our_times = [], []
        for _ in range(BUILD_REPEATS):  # interleaved, so drift in machine load hits both alike
            plain_times += cpu_run(command, plain, 1)
            our_times += cpu_run(command, ours, 1)
        return plain_times, our_times


def conversion_cost(facts, references: int) -> float:
    """Seconds our extension adds to converting the 500 pages (median of runs)."""
    import os
    keys = list(facts.figures)
    per_page = references // PAGES
    with_refs = [page_text(i, per_page, keys, facts.figures, True) for i in range(PAGES)]
    without = [page_text(i, per_page, keys, facts.figures, False) for i in range(PAGES)]
    here = os.getcwd()
    os.chdir(ROOT)  # the extension reads data/figures.yml relative to the build folder
    try:
        def convert(pages, extensions):
            start = time.process_time()  # CPU time: steadier than wall time on a busy machine
            for text in pages:  # one Markdown instance per page, as MkDocs does
                markdown.Markdown(extensions=extensions).convert(text)
            return time.process_time() - start
        base = min(convert(without, EXTENSIONS) for _ in range(CONVERT_REPEATS))
        ours = min(convert(with_refs, EXTENSIONS + ["distill_site.markdown_ext"]) for _ in range(CONVERT_REPEATS))
        return ours - base
    finally:
        os.chdir(here)


def main() -> None:
    facts = load_figures(ROOT / "data/figures.yml")
    plain_times, our_times = full_builds(facts)
    # The fastest run is the one least disturbed by other work on the machine.
    overhead = (min(our_times) / min(plain_times) - 1) * 100
    scaling = [(factor, conversion_cost(facts, REFERENCES * factor)) for factor in (1, 2, 4)]
    base = scaling[0][1]
    lines = [
        "# Figure extension benchmark",
        "",
        f"Measured {dt.date.today().isoformat()} by `tests/bench/bench_figures.py` on {machine()}.",
        f"Synthetic site: {PAGES} pages, {REFERENCES:,} figure references, Material theme, search on.",
        "",
        "## Full build: extension against plain MkDocs (target: at most 5 % overhead)",
        "",
        f"CPU time (user + system) of `mkdocs build --strict`, {BUILD_REPEATS} interleaved runs each; "
        "the overhead compares the fastest runs.",
        "",
        "| site | fastest | median | runs (CPU s) |",
        "| --- | ---: | ---: | --- |",
        f"| plain MkDocs, values typed | {min(plain_times):.2f} s | {median(plain_times):.2f} s | {', '.join(f'{t:.2f}' for t in plain_times)} |",
        f"| with the figure extension | {min(our_times):.2f} s | {median(our_times):.2f} s | {', '.join(f'{t:.2f}' for t in our_times)} |",
        "",
        f"Overhead: **{overhead:+.1f} %** ({'meets' if overhead <= 5 else 'misses'} the 5 % target).",
        "",
        "## The extension's own cost as references grow (target: linear)",
        "",
        f"CPU time to convert the {PAGES} pages with the extension minus without it (fastest of {CONVERT_REPEATS} each).",
        "",
        "| references | extension cost | relative to 1x |",
        "| ---: | ---: | ---: |",
    ]
    lines += [f"| {REFERENCES * f:,} ({f}x) | {cost:.3f} s | {cost / base:.2f}x |" for f, cost in scaling]
    lines.append("")
    out = Path(__file__).with_name("results-figures.md")
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
