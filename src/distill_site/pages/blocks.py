"""Generated blocks: ``{{ block:name }}`` on a line of its own.

Each block turns the facts into ordinary Markdown (tables, headings,
definition lists), so MkDocs checks and rewrites its links like any other,
and the figures inside go through the same ``{{ fig:... }}`` rendering as
prose. Charts and diagrams are not blocks: pages declare them in fences
(``chart_fence.py``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from markdown.util import ETX, STX

from ..errors import SiteError
from ..facts import syntax
from ..facts.formatting import format_value
from ..site_config import read_site_config
from . import takeaway
from .chart_fence import figures_shown
from .handouts import data_date, handouts, newest_report
from .page_context import shown_path
from .presentation import correction_text, figure_anchor, source_anchor, term_anchor
from .readability import measure


@dataclass(frozen=True)
class Block:
    render: Callable  # (page) -> list of Markdown lines
    uses: Callable = lambda facts: []  # figure keys it shows, for "where used"




# Python-Markdown's escapable characters ('>' and '<' become entities instead).
MARKDOWN_SIGNIFICANT = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
MARKDOWN_SIGNIFICANT_IN_CELL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def safe(text: str, *, in_cell: bool = False) -> str:
    """Data text as Markdown that shows exactly what was typed, on one line.

    The data file's texts are plain words plus {{ fig:key }} / {{ typed:... }}
    references (figures.py refuses the rest). Whatever got past that shows
    literally: HTML is turned into entities and every character Markdown acts
    on gets a backslash, so no link, image, tag or attribute can be made.
    Only well-formed references are kept, for the extension to fill in.
    """
    text = " ".join((text or "").replace(STX, "\ufffd").replace(ETX, "\ufffd").split())
    significant = MARKDOWN_SIGNIFICANT_IN_CELL if in_cell else MARKDOWN_SIGNIFICANT

    def escape(words: str) -> str:
        return significant.sub(r"\\\1", html.escape(words, quote=False))

    parts, done = [], 0
    for match in syntax.REFERENCE.finditer(text):
        if syntax.FIGURE.fullmatch(match["body"]) or syntax.TYPED.fullmatch(match["body"]):
            parts += [escape(text[done:match.start()]), match.group(0)]
            done = match.end()
    return "".join(parts) + escape(text[done:])


def cell(text: str) -> str:
    """Data text made safe for a Markdown table cell."""
    return safe(text, in_cell=True)


def source_links(page, facts, ids) -> str:
    sources_page = page.config["sources_page"]
    return "; ".join(f"[{cell(facts.sources[i].short)}]({page.link(f'{sources_page}#{source_anchor(i)}')})"
                     for i in ids)


def numbers_table(page) -> list[str]:
    facts = page.facts
    used = where_used(page)
    cite = citer(page)
    rows = []
    for figure in facts.figures.values():
        anchor = figure_anchor(figure.id)
        label = f'<span id="{anchor}"></span>**{cell(figure.label)}**'
        if figure.note:
            label += f"<br>{cell(figure.note)}"
        for correction in reversed(figure.corrections):
            label += "<br>" + cell(correction_text(facts, figure, correction))
        if cite:
            label += cite(figure)
        stated = [cited_source(page, facts, c) for c in figure.citations]
        if figure.is_derived:
            inputs = ", ".join(f"[{cell(facts.figures[k].label)}](#{figure_anchor(k)})"
                               for k in figure.derive.inputs)
            stated.insert(0, f"Derived ({figure.derive.op.replace('_', ' ')}) from: {inputs}")
        pages = ", ".join(f"[{cell(title)}]({page.link(uri)})" for uri, title in used.get(figure.id, []))
        rows.append([label, f"{{{{ fig:{figure.id} nolink }}}}", "<br>".join(stated), pages or "—"])
    return card_table(["Figure", "Value", "Stated by", "Used on"], rows)


def citer(page):
    """For a site that declares its takeaway words: a figure's "Cite this figure", folded, for its row."""
    path = page.config.get("takeaway")
    if not path:
        return None
    words = takeaway.read_words(path)
    config = read_site_config(page.config_file) if page.config_file else {}
    numbers = takeaway.page_address(page.config["numbers_page"])
    address = takeaway.absolute(str(config.get("site_url") or "/"), numbers)
    site, date = str(config.get("site_name") or ""), data_date(page.facts)

    def cite(figure) -> str:
        words_of = takeaway.citation(words, page.facts, figure, site=site, numbers_address=address, date=date)
        return (f'<details class="cite-figure"><summary>{cell(words["cite", "summary"])}</summary>'
                f"{cell(words_of)}</details>")
    return cite


def card_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table that a narrow screen shows as one card per row.

    Each cell but the first (which names the row, the card's title) carries
    its column's header words as ``data-label`` (written with attr_list), for
    site.css to show above the cell when the columns no longer fit.
    """
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for first, *others in rows:
        labelled = [f'{text} {{ data-label="{label}" }}' for label, text in zip(header[1:], others)]
        lines.append("| " + " | ".join([first, *labelled]) + " |")
    return lines


def cited_source(page, facts, citation) -> str:
    """A source's linked name with its own words, for a table cell or a list item."""
    link = source_links(page, facts, [citation.source])
    if citation.quote is None:
        return f"{link} (no archived copy to quote)"
    return f"{link}: “…{cell(citation.quote)}…”"


def corrections_log(page) -> list[str]:
    """Every correction in the data file, newest first, for the About page."""
    facts = page.facts
    found = sorted(((c, f) for f in facts.figures.values() for c in f.corrections),
                   key=lambda pair: pair[0].date, reverse=True)
    if not found:
        return ["No corrections have been made since first publication."]
    numbers = page.config["numbers_page"]
    return [f"- [{cell(figure.label)}]({page.link(f'{numbers}#{figure_anchor(figure.id)}')}). "
            f"{cell(correction_text(facts, figure, correction))}" for correction, figure in found]


# Research papers are background to the ideas, not reports on the case.
BACKGROUND_KIND = "research paper"


def sources_list(page) -> list[str]:
    return _source_entries(s for s in page.facts.sources.values() if s.kind != BACKGROUND_KIND)


def background_list(page) -> list[str]:
    return _source_entries(s for s in page.facts.sources.values() if s.kind == BACKGROUND_KIND)


def _source_entries(sources) -> list[str]:
    lines = []
    for source in sources:
        lines += [f"### {safe(source.short)} {{ #{source_anchor(source.id)} }}", ""]
        title = safe(source.title)
        details = [title if source.title.startswith("[") else f"*{title}*", safe(source.publisher)]
        if source.date:
            details.append(format_value("date", source.date))
        details.append(f"Kind: {source.kind}")
        lines.append(". ".join(d.rstrip(".") for d in details) + ".")
        if source.url:
            lines += ["", f"<{html.escape(source.url, quote=False)}>"]  # checked by figures.py
        if source.note:
            lines += ["", safe(source.note)]
        lines.append("")
    return lines


def conflicts_list(page) -> list[str]:
    facts = page.facts
    lines = []
    for conflict in facts.conflicts:
        lines += [f"### {safe(conflict.topic)} {{ #{conflict.id} }}", ""]
        for claim in conflict.claims:
            words = "; ".join(cited_source(page, facts, c) for c in claim.citations)
            lines.append(f"- {safe(claim.says)} ({words})")
        if conflict.note:
            lines += ["", f"**Our reading:** {safe(conflict.note)}"]
        lines.append("")
    return lines


def glossary_list(page) -> list[str]:
    lines = []
    for term in sorted(page.facts.glossary, key=lambda t: t.term.lower()):
        lines += [f"{safe(term.term)} {{ #{term_anchor(term.term)} }}", f":   {safe(term.definition)}", ""]
    return lines


def where_used(page) -> dict[str, list[tuple[str, str]]]:
    """For each figure key, the pages (docs-relative path, title) that show it."""
    docs = Path(page.config["docs_dir"])
    facts = page.facts
    used: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(docs.rglob("*.md")):
        uri = path.relative_to(docs).as_posix()
        if uri == page.config["numbers_page"] or uri.startswith("includes/"):
            continue
        text = path.read_text(encoding="utf-8")
        keys = set(syntax.figure_keys_in(text))
        for name in syntax.BLOCK.findall(text):
            if name in BLOCKS:
                keys.update(BLOCKS[name].uses(facts))
        keys.update(figures_shown(text, facts, shown_path(path)))
        title = page_title(text, uri)
        for key in sorted(keys):
            used.setdefault(key, []).append((uri, title))
    return used


def page_title(text: str, uri: str) -> str:
    title = syntax.front_matter(text).get("title")
    if title:
        return str(title)
    heading = re.search(r"^# (.+?)(?:\s*\{.*\})?$", text, re.M)
    return heading.group(1).strip() if heading else uri


def reading_levels(page) -> list[str]:
    """Each chapter's reading time and grade level, measured at build time."""
    docs = Path(page.config["docs_dir"])
    lines = ["| Chapter | Words | Reading time | US grade level |", "| --- | ---: | ---: | ---: |"]
    for uri in page.config["chapters"]:
        text = (docs / uri).read_text(encoding="utf-8")
        reading = measure(text, page.facts)
        lines.append(f"| [{cell(page_title(text, uri))}]({page.link(uri)}) | {reading.words:,} "
                     f"| about {reading.minutes} min | {reading.grade:.1f} |")
    return lines


def handouts_list(page) -> list[str]:
    """The PDF handouts (distill_site.tools.handouts prints them), one item each:
    a chapter's title and description from its front matter; the lesson
    pack's from mkdocs.yml. Raw HTML links: the PDFs are not pages MkDocs
    knows, and the link checker checks them in the built site."""
    docs = Path(page.config["docs_dir"])
    lines = []
    for handout in handouts(page.config):
        if handout.is_pack:
            title, description = handout.title, handout.description
            if not title:
                raise SiteError(str(page.config_file or "mkdocs.yml"), None,
                                "the lesson pack (lesson_pack: under distill_site.pages.markdown_ext) has no title",
                                "add title: and description: under lesson_pack:")
        else:
            text = (docs / handout.pages[0]).read_text(encoding="utf-8")
            title, description = page_title(text, handout.pages[0]), syntax.front_matter(text).get("description")
        link = f'<a href="{page.to_site_root}{handout.path}" type="application/pdf">{safe(title)}</a>'
        lines.append(f"- {link}" + (f": {safe(str(description))}" if description else ""))
    if not lines:
        raise SiteError(page.where, None, "{{ block:handouts }} has no handouts to list",
                        "name the chapters under distill_site.pages.markdown_ext: chapters: in mkdocs.yml")
    return lines


def as_of(page) -> list[str]:
    """How old a chapter's facts are, in the data file's words (``as_of:``): the
    day they were last checked, and the date of the newest report its figures cite."""
    facts, data = page.facts, page.facts.path
    lineno, line = _block_line(page, "as-of")
    if data_date(facts) is None or facts.as_of is None:
        missing = "facts_checked_on" if data_date(facts) is None else "as_of"
        page.fail(lineno, line, f"{{{{ block:as-of }}}} needs '{missing}' in {data}, which it does not have",
                  f"add it at the top of {data}: facts_checked_on: the day the facts were last checked "
                  "(YYYY-MM-DD); as_of: the line's words, with {checked} and {newest}")
    text = "\n".join(page.source) if page.source is not None else page.text
    keys = set(syntax.figure_keys_in(text)) | figures_shown(text, facts, page.where)
    named = {m["id"] for m in map(syntax.SOURCE.fullmatch, syntax.REFERENCE.findall(text)) if m}
    newest = newest_report(facts, keys, named)
    if newest is None:
        page.fail(lineno, line, "{{ block:as-of }} is on a page whose figures cite no dated report",
                  "use it on a chapter that shows figures from the data file")
    words = facts.as_of.format(checked=format_value("date", data_date(facts)),
                               newest=format_value("date", newest))
    return [safe(words), "{: .as-of }"]


def _block_line(page, name: str) -> tuple[int, str]:
    """The line (from 1, as the page's text counts) a {{ block:name }} stands on, and its text."""
    for number, line in enumerate(page.lines, 1):
        match = syntax.REFERENCE.fullmatch(line.strip())
        if match and match["body"] == f"block:{name}":
            return number, line
    return 1, ""


# Every block a page can name as {{ block:name }}: the one list.
BLOCKS: dict[str, Block] = {
    "numbers": Block(numbers_table),
    "corrections": Block(corrections_log),
    "sources": Block(sources_list),
    "background-sources": Block(background_list),
    "conflicts": Block(conflicts_list),
    "glossary": Block(glossary_list),
    "reading-levels": Block(reading_levels),
    "handouts": Block(handouts_list),
    "as-of": Block(as_of),
}
