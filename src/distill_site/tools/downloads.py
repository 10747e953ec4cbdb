"""What a teacher takes away, written into the built site after the build.

For a site that names its words file (``takeaway:``, an option of the figure
extension in mkdocs.yml; data/takeaway.yml), this writes:

- ``downloads/figures.csv`` and ``downloads/figures.json``: every figure of
  the data file, with its value, qualifier, unit, kind, the value as shown,
  its sources with their own words, what a derived figure is calculated
  from, its corrections, its address on the numbers page and its citation;
  and ``downloads/README.txt`` (the words file's), which says what each
  column is and what the licence covers;
- ``downloads/charts/<id>.svg``: each chart and diagram declared in a page,
  as a standalone image with its title, caption, sources and licence;
- ``embed/<id>/index.html``: the same drawing alone on a page, for an iframe
  in a learning platform;
- after each drawing on its page: a link to its SVG and, folded, the code
  that embeds it (the iframe's address from ``site_url``).

Why a step after the build and not the Markdown extension: an extension
converts one page at a time and cannot reliably write files into the site
(MkDocs cleans and copies the site around it; Zensical builds pages in
parallel and in its own cache), and the files must agree with the links
to them. Here one step writes the files and the links together, under
MkDocs and Zensical alike. ``mkdocs serve`` runs no finishing step, so a
page served while writing has neither the files nor the links to them.
It runs before the CSS is trimmed, so the trim keeps the rules the links
and the embed code use.

Two drawings may not share an id: the id is the address of its image and
embed page. Same inputs, same bytes: the date is the facts' (facts_checked_on).

Usage: ``python -m distill_site.tools.downloads site [--config mkdocs.yml]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import re
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..checks import built_site
from ..errors import SiteError
from ..facts.figures import load_figures
from ..facts.formatting import format_figure, machine_value
from ..pages import chart_fence, chart_file, takeaway
from ..pages.handouts import data_date
from ..pages.page_context import shown_path
from ..pages.presentation import cited_words, figure_anchor, plain_text
from ..site_config import read_site_config

EXTENSION = "distill_site.pages.markdown_ext"
DOWNLOADS = "downloads"
CHARTS = f"{DOWNLOADS}/charts"
EMBED = "embed"
# The site's own stylesheets an embed page loads; the first also goes into each SVG file.
CHART_FILE_CSS = "assets/stylesheets/chart-file.css"
EMBED_CSS = "assets/stylesheets/embed.css"
COLUMNS = ("id", "label", "value", "qualifier", "unit", "kind", "shown", "sources", "derived_from",
           "derivation", "corrected_on", "note", "address", "citation")
# A drawing as built by chart_fence: one <figure> with its id; none is nested in another.
BUILT_FIGURE = re.compile(r'<figure class="chart[^"]*" id="([^"]+)">.*?</figure>', re.S)


@dataclass(frozen=True)
class Site:
    """What every file written here says about the site."""

    name: str
    url: str  # site_url, ending in /
    lang: str
    date: dt.date | None
    numbers_address: str  # the numbers page, absolute
    words: takeaway.Words
    icon: str | None = None  # the theme's favicon, from the site's root


@dataclass(frozen=True)
class Drawing:
    uri: str  # the page's Markdown file, relative to docs/
    where: str  # that file as an error names it
    line: int  # the fence's first line in it
    text: str  # the declaration as written
    declaration: chart_fence.Declaration


def extension_options(config: dict) -> dict:
    """The figure extension's options in mkdocs.yml ({} if it is not listed)."""
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, dict) and EXTENSION in entry:
            return dict(entry[EXTENSION] or {})
    return {}


# --- The figures as data -----------------------------------------------------------------

def _data_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def figure_record(facts, figure, site: Site) -> dict:
    """One figure as the JSON download has it; the CSV flattens the same record."""
    words = site.words
    sources = []
    for item in figure.citations:
        source = facts.sources[item.source]
        sources.append({"id": source.id, "name": plain_text(facts, source.short),
                        "publisher": plain_text(facts, source.publisher), "title": plain_text(facts, source.title),
                        "kind": source.kind, "date": _data_value(source.date), "address": source.url,
                        "quote": item.quote})
    return {
        "id": figure.id,
        "label": plain_text(facts, figure.label),
        "value": _data_value(figure.value),
        "qualifier": figure.qualifier,
        "unit": words.units.get(figure.kind),
        "kind": figure.kind,
        "shown": format_figure(figure),
        "sources": sources,
        "derived_from": list(figure.derive.inputs) if figure.is_derived else [],
        "derivation": figure.derive.op if figure.is_derived else None,
        "corrected_on": [c.date.isoformat() for c in figure.corrections],
        "corrections": [{"date": c.date.isoformat(), "old": _data_value(c.old), "new": _data_value(c.new),
                         "why": plain_text(facts, c.why), "source": c.source} for c in figure.corrections],
        "note": plain_text(facts, figure.note) if figure.note else None,
        "address": f"{site.numbers_address}#{figure_anchor(figure.id)}",
        "citation": takeaway.citation(words, facts, figure, site=site.name,
                                      numbers_address=site.numbers_address, date=site.date),
    }


def csv_text(facts, records: list[dict], words: takeaway.Words) -> str:
    """The records as CSV: lists one item a line in their cell, a source with its own words."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for figure, record in zip(facts.figures.values(), records):
        row = dict(record)
        row["value"] = machine_value(figure)
        row["sources"] = "\n".join(cited_words(facts, c, words) for c in figure.citations)
        for name in ("derived_from", "corrected_on"):
            row[name] = "\n".join(record[name])
        writer.writerow(["" if row[name] is None else row[name] for name in COLUMNS])
    # With a byte-order mark: spreadsheet programs then read the quotes' curly marks as UTF-8.
    return "\ufeff" + out.getvalue()


def write_data(site_dir: Path, facts, site: Site) -> int:
    records = [figure_record(facts, figure, site) for figure in facts.figures.values()]
    folder = site_dir / DOWNLOADS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "figures.csv").write_text(csv_text(facts, records, site.words), encoding="utf-8", newline="")
    document = {"site": site.name, "address": site.numbers_address,
                "data_as_of": site.date.isoformat() if site.date else None,
                "licence": site.words["licence"], "licence_address": site.words["licence address"],
                "figures": records}
    (folder / "figures.json").write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    readme = site.words.fill("readme", site=site.name, address=site.numbers_address,
                             dated=takeaway.dated(site.words, site.date), licence=site.words["licence"],
                             licence_address=site.words["licence address"])
    (folder / "README.txt").write_text(readme.rstrip() + "\n", encoding="utf-8")
    return len(records)


# --- The drawings ------------------------------------------------------------------------------

def declared_drawings(docs: Path, facts, built: Path) -> list[Drawing]:
    """Every chart and diagram declared in a page that was built, in page order; an id once only."""
    found: list[Drawing] = []
    first: dict[str, Drawing] = {}
    for path in sorted(docs.rglob("*.md")):
        uri = path.relative_to(docs).as_posix()
        if not (built / takeaway.page_address(uri) / "index.html").is_file():
            continue  # not a page of the site (a snippet, an excluded file)
        where = shown_path(path)
        for fence in chart_fence.fences_in(path.read_text(encoding="utf-8").splitlines()):
            def fail(line, problem, fix="", fence=fence):
                raise SiteError(where, fence.first_line + line - 1, problem, fix)
            text = "\n".join(fence.lines)
            drawing = Drawing(uri, where, fence.first_line, text, chart_fence.read(text, fence.name, facts, fail))
            other = first.setdefault(drawing.declaration.ident, drawing)
            if other is not drawing and _lines(other.text) != _lines(text):
                raise SiteError(where, fence.first_line, f"the drawing id '{drawing.declaration.ident}' is also "
                                f"the id of another drawing, on {other.where}:{other.line}",
                                "give one of them another id: it is the address of the drawing's image and embed page")
            found.append(drawing)
    return found


def _lines(text: str) -> list[str]:
    """A declaration's lines, indentation and blank lines aside."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _to_root(address: str) -> str:
    return "../" * address.count("/")


def _lines_under(drawing: Drawing, facts, site: Site, *, as_html: bool) -> list[str]:
    """The source line (if the drawing shows figures) and the credit, as text or HTML."""
    words = site.words
    keys = chart_fence.figures_of(drawing.declaration, facts)
    sources = takeaway.chart_source_line(words, facts, keys)
    address = takeaway.absolute(site.url, takeaway.page_address(drawing.uri)) + f"#{drawing.declaration.ident}"
    if not as_html:
        return [line for line in (sources, takeaway.chart_credit(words, site=site.name, address=address)) if line]
    here = f"../../{takeaway.page_address(drawing.uri)}#{drawing.declaration.ident}"
    template = escape(words["chart", "credit"], quote=False)
    credit = template.format_map({
        "site": escape(site.name, quote=False),
        "address": f'<a href="{escape(here)}" target="_blank">{escape(address, quote=False)}</a>',
        "licence": escape(words["licence"], quote=False),
        "licence address": f'<a href="{escape(words["licence address"])}" rel="license" target="_blank">'
                           f'{escape(words["licence address"], quote=False)}</a>',
    })
    return ([escape(sources, quote=False)] if sources else []) + [credit]


def embed_height(chart) -> int:
    """A height for the iframe: the drawing at its widest (27em, 1.2 of its units), caption and credit."""
    caption_lines = math.ceil(len(chart.caption) / 50) + 1
    return int(math.ceil((chart.height * 1.2 + caption_lines * 22 + 150) / 10) * 10)


def write_drawings(site_dir: Path, facts, site: Site, drawings: list[Drawing]) -> dict[str, str]:
    """Each drawing's SVG file and embed page; returns each id's embed code."""
    if not (site_dir / CHART_FILE_CSS).is_file():
        raise SiteError("mkdocs.yml", None, f"the built site has no {CHART_FILE_CSS}, the colours of the chart downloads",
                        "build with the theme overrides (custom_dir: overrides), which hold it")
    style = (site_dir / CHART_FILE_CSS).read_text(encoding="utf-8")
    codes: dict[str, str] = {}
    for drawing in drawings:
        ident = drawing.declaration.ident
        if ident in codes:
            continue  # the same drawing again, on another page
        chart = chart_fence.KINDS[drawing.declaration.type].draw(drawing.declaration, facts)
        image = site_dir / CHARTS / f"{ident}.svg"
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_text(chart_file.standalone_svg(chart, lines_under=_lines_under(drawing, facts, site, as_html=False),
                                                   style=style, lang=site.lang), encoding="utf-8")
        page = site_dir / EMBED / ident / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        title = site.words.fill("chart", "page title", title=chart.title, site=site.name)
        page.write_text(chart_file.embed_page(chart, ident, title=title, lang=site.lang,
                                              lines_under=_lines_under(drawing, facts, site, as_html=True),
                                              stylesheets=[f"../../{CHART_FILE_CSS}", f"../../{EMBED_CSS}"],
                                              icon=f"../../{site.icon}" if site.icon else None),
                        encoding="utf-8")
        source = takeaway.absolute(site.url, f"{EMBED}/{ident}/")
        codes[ident] = (f'<iframe src="{escape(source)}" title="{escape(chart.title)}" width="100%" '
                        f'height="{embed_height(chart)}" style="border: 0;" loading="lazy"></iframe>')
    return codes


def beside(drawing: Drawing, site: Site, code: str, address: str) -> str:
    """What follows a drawing on its page: the link to its SVG, and its embed code, folded."""
    words = site.words
    image = f"{_to_root(address)}{CHARTS}/{drawing.declaration.ident}.svg"
    return "\n".join([
        '<div class="chart-takeaway">',
        f'<p><a href="{escape(image)}" download>{escape(words["chart", "download"], quote=False)}</a></p>',
        f'<details class="chart-takeaway__embed"><summary>{escape(words["chart", "embed"], quote=False)}</summary>',
        f'<p>{escape(words["chart", "embed help"], quote=False)}</p>',
        f"<pre><code>{escape(code, quote=False)}</code></pre>",
        "</details>",
        "</div>",
    ])


def add_to_pages(site_dir: Path, site: Site, drawings: list[Drawing], codes: dict[str, str]) -> int:
    """Put each drawing's link and embed code after it on its built page; the number of pages changed."""
    by_page: dict[str, list[Drawing]] = {}
    for drawing in drawings:
        by_page.setdefault(drawing.uri, []).append(drawing)
    for uri, declared in by_page.items():
        address = takeaway.page_address(uri)
        page = site_dir / address / "index.html"
        html = page.read_text(encoding="utf-8")
        built = list(BUILT_FIGURE.finditer(html))
        if len(built) != len(declared):
            raise SiteError(declared[0].where, None, f"the page declares {len(declared)} drawing(s) but its built "
                            f"page has {len(built)}", "declare drawings in the page itself, not in a snippet it includes")
        parts, done = [], 0
        for match, drawing in zip(built, declared):
            parts += [html[done:match.end()], "\n", beside(drawing, site, codes[drawing.declaration.ident], address)]
            done = match.end()
        page.write_text("".join(parts) + html[done:], encoding="utf-8")
    return len(by_page)


# --- The step ----------------------------------------------------------------------------------

def write_takeaway(site_dir: Path, config_file: Path = Path("mkdocs.yml")) -> str | None:
    """Everything above, for the site built into ``site_dir``; what was written, or None if none is declared."""
    config = read_site_config(config_file)
    options = extension_options(config)
    if not options.get("takeaway"):
        return None
    facts = load_figures(options.get("data_file", "data/figures.yml"))
    url = str(config.get("site_url") or "/")
    url = url if url.endswith("/") else url + "/"
    site = Site(name=str(config.get("site_name") or ""), url=url,
                lang=str((config.get("theme") or {}).get("language") or "en"), date=data_date(facts),
                numbers_address=takeaway.absolute(url, takeaway.page_address(options.get("numbers_page", "numbers.md"))),
                words=takeaway.read_words(options["takeaway"]),
                icon=(config.get("theme") or {}).get("favicon"))
    figures = write_data(site_dir, facts, site)
    drawings = declared_drawings(Path(config.get("docs_dir") or "docs"), facts, site_dir)
    codes = write_drawings(site_dir, facts, site, drawings)
    pages = add_to_pages(site_dir, site, drawings, codes)
    return (f"{figures} figures in {DOWNLOADS}/figures.csv and .json; {len(codes)} drawings as "
            f"{CHARTS}/<id>.svg and {EMBED}/<id>/; their links added to {pages} page(s)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    if built_site.missing(args.site):
        return 2
    try:
        made = write_takeaway(args.site, args.config)
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"downloads: {made}" if made else "downloads: none (mkdocs.yml names no takeaway words file)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
