"""Generated blocks: ``{{ block:name }}`` on a line of its own.

Each block turns the facts into ordinary Markdown (tables, headings,
definition lists), so MkDocs checks and rewrites its links like any other,
and the figures inside go through the same ``{{ fig:... }}`` rendering as
prose. Charts and diagrams are not blocks: pages declare them in fences
(``chart_fence.py``).
"""

from __future__ import annotations

import html
import posixpath
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from markdown.util import ETX, STX

from ..errors import SiteError
from ..facts import syntax
from ..facts.formatting import format_value
from ..site_config import read_site_config
from . import takeaway, worksheet
from .chart_fence import figures_shown
from .handouts import WORKSHEET, data_date, handouts, newest_report, worksheet_handouts
from .page_context import shown_path
from .presentation import correction_text, figure_anchor, source_anchor, term_anchor
from .readability import measure


@dataclass(frozen=True)
class Block:
    render: Callable  # (page) -> list of Markdown lines; (page, argument) for a block that takes one
    uses: Callable = lambda facts: []  # figure keys it shows, for "where used"
    argument: str | None = None  # what its one word names ("a chapter"), if it takes one


class BadArgument(Exception):
    """A block's word is missing, unwanted or names nothing: the page's line is the extension's to name."""

    def __init__(self, problem: str, fix: str = ""):
        super().__init__(problem)
        self.problem, self.fix = problem, fix


def render(name: str, argument: str | None, page) -> list[str]:
    """The Markdown lines of ``{{ block:name }}`` or ``{{ block:name argument }}``."""
    block = BLOCKS[name]
    if block.argument is None:
        if argument is not None:
            raise BadArgument(f"{{{{ block:{name} }}}} takes no word after its name", f"write {{{{ block:{name} }}}}")
        return block.render(page)
    if argument is None:
        raise BadArgument(f"{{{{ block:{name} }}}} needs {block.argument} after its name",
                          f"write {{{{ block:{name} …}}}}, naming {block.argument}")
    return block.render(page, argument)


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
    facts, words = page.facts, page.words
    used = where_used(page)
    cite = citer(page)
    rows = []
    for figure in facts.figures.values():
        anchor = figure_anchor(figure.id)
        label = f'<span id="{anchor}"></span>**{cell(figure.label)}**'
        if figure.note:
            label += f"<br>{cell(figure.note)}"
        for correction in reversed(figure.corrections):
            label += "<br>" + cell(correction_text(facts, figure, correction, words))
        label += cite(figure)
        stated = [cited_source(page, facts, c) for c in figure.citations]
        if figure.is_derived:
            inputs = ", ".join(f"[{cell(facts.figures[k].label)}](#{figure_anchor(k)})"
                               for k in figure.derive.inputs)
            stated.insert(0, _filled(words["numbers", "derived"], in_cell=True,
                                     operation=cell(figure.derive.op.replace("_", " ")), inputs=inputs))
        pages = ", ".join(f"[{cell(title)}]({page.link(uri)})" for uri, title in used.get(figure.id, []))
        rows.append([label, f"{{{{ fig:{figure.id} nolink }}}}", "<br>".join(stated), pages or "—"])
    return card_table([words["numbers", name] for name in ("figure", "value", "stated by", "used on")], rows)


def citer(page):
    """A figure's "Cite this figure", folded, for its row (in the words file's words)."""
    words = page.words
    config = read_site_config(page.config_file) if page.config_file else {}
    numbers = takeaway.page_address(page.config["numbers_page"])
    address = takeaway.absolute(str(config.get("site_url") or "/"), numbers)
    site, date = str(config.get("site_name") or ""), data_date(page.facts)

    def cite(figure) -> str:
        words_of = takeaway.citation(words, page.facts, figure, site=site, numbers_address=address, date=date)
        return (f'<details class="cite-figure" data-search-exclude><summary>{cell(words["cite", "summary"])}</summary>'
                f"{cell(words_of)}</details>")
    return cite


def card_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table that a narrow screen shows as one card per row.

    Each cell but the first (which names the row, the card's title) carries
    its column's header words as ``data-label`` (written with attr_list), for
    site.css to show above the cell when the columns no longer fit.
    """
    lines = ["| " + " | ".join(cell(words) for words in header) + " |", "|" + " --- |" * len(header)]
    for first, *others in rows:
        labelled = [f'{text} {{ data-label="{html.escape(label)}" }}' for label, text in zip(header[1:], others)]
        lines.append("| " + " | ".join([first, *labelled]) + " |")
    return lines


def cited_source(page, facts, citation) -> str:
    """A source's linked name with its own words, for a table cell or a list item."""
    link = source_links(page, facts, [citation.source])
    if citation.quote is None:
        return _filled(page.words["quote", "unquoted"], in_cell=True, source=link)
    return _filled(page.words["quote", "quoted"], in_cell=True, source=link, quote=cell(citation.quote))


def corrections_log(page) -> list[str]:
    """Every correction in the data file, newest first, for the About page."""
    facts, words = page.facts, page.words
    found = sorted(((c, f) for f in facts.figures.values() for c in f.corrections),
                   key=lambda pair: pair[0].date, reverse=True)
    if not found:
        return [safe(words["corrections", "none"])]
    numbers = page.config["numbers_page"]
    return [f"- [{cell(figure.label)}]({page.link(f'{numbers}#{figure_anchor(figure.id)}')}). "
            f"{cell(correction_text(facts, figure, correction, words))}" for correction, figure in found]


# Research papers are background to the ideas, not reports on the case.
BACKGROUND_KIND = "research paper"


def sources_list(page) -> list[str]:
    return _source_entries(page, (s for s in page.facts.sources.values() if s.kind != BACKGROUND_KIND))


def background_list(page) -> list[str]:
    return _source_entries(page, (s for s in page.facts.sources.values() if s.kind == BACKGROUND_KIND))


def _source_entries(page, sources) -> list[str]:
    lines = []
    for source in sources:
        lines += [f"### {safe(source.short)} {{ #{source_anchor(source.id)} }}", ""]
        title = safe(source.title)
        details = [title if source.title.startswith("[") else f"*{title}*", safe(source.publisher)]
        if source.date:
            details.append(format_value("date", source.date))
        details.append(safe(page.words.fill("sources list", "kind", kind=source.kind)))
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
            lines += ["", f"**{safe(page.words['conflicts', 'reading'])}** {safe(conflict.note)}"]
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
        title = page_title(text, uri)
        for key in sorted(figures_on_page(text, facts, shown_path(path))):
            used.setdefault(key, []).append((uri, title))
    return used


def figures_on_page(text: str, facts, where: str) -> set[str]:
    """The figure keys a page's Markdown shows: its references, its blocks' and its charts'."""
    keys = set(syntax.figure_keys_in(text))
    for block in syntax.BLOCK.finditer(text):
        if block["name"] in BLOCKS:
            keys.update(BLOCKS[block["name"]].uses(facts))
    return keys | figures_shown(text, facts, where)


def page_title(text: str, uri: str) -> str:
    title = syntax.front_matter(text).get("title")
    if title:
        return str(title)
    heading = re.search(r"^# (.+?)(?:\s*\{.*\})?$", text, re.M)
    return heading.group(1).strip() if heading else uri


def reading_levels(page) -> list[str]:
    """Each chapter's reading time and grade level, measured at build time."""
    docs = Path(page.config["docs_dir"])
    words = page.words
    headings = (words["reading levels", name] for name in ("chapter", "words", "reading time", "grade"))
    lines = ["| " + " | ".join(cell(heading) for heading in headings) + " |", "| --- | ---: | ---: | ---: |"]
    for uri in page.config["chapters"]:
        text = (docs / uri).read_text(encoding="utf-8")
        reading = measure(text, page.facts)
        lines.append(f"| [{cell(page_title(text, uri))}]({page.link(uri)}) | {reading.words:,} "
                     f"| {cell(words.fill('reading levels', 'minutes', minutes=reading.minutes))} | {reading.grade:.1f} |")
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


# --- Worksheets: one page per chapter, and their answers and key words for teachers ---------------

def _worksheets_of(page) -> list:
    """Every chapter's worksheet, in the chapters' order."""
    return [worksheet.read(page.config, chapter, page.facts) for chapter in page.config["chapters"]]


# A link in a chapter's own Markdown: its target is docs-relative (the chapters are at the top).
_LINK_TARGET = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def _moved(page, markdown: str, chapter: str) -> str:
    """A chapter's Markdown as it links from ``page``: its links lead where they led from the chapter."""
    def target(match):
        written = match["target"]
        if "://" in written or written.startswith("mailto:"):
            return match.group(0)
        return "](" + page.link(chapter + written if written.startswith("#") else written) + ")"
    return _LINK_TARGET.sub(target, markdown)


def _filled(text: str, *, in_cell: bool = False, **links: str) -> str:
    """A words-file text as Markdown: its words shown as typed, each {field} replaced by its Markdown."""
    significant = MARKDOWN_SIGNIFICANT_IN_CELL if in_cell else MARKDOWN_SIGNIFICANT
    parts = []
    for literal, field, _, _ in string.Formatter().parse(text):
        parts.append(significant.sub(r"\\\1", html.escape(literal, quote=False)))
        if field is not None:
            parts.append(links[field])
    return "".join(parts)


def _unsearched(lines: list[str]) -> list[str]:
    """Lines left out of the site's search (data-search-exclude), headings included.

    What they say again (a chapter's points and quiz, the glossary) search
    finds where it is said first, and each repeat weighs down the index every
    reader loads. No <div> inside: Material's search parser tells elements
    apart by tag only, so an inner </div> would end the exclusion. (A heading's
    own attribute drops its section; the one on the <div>, anything before.)"""
    heading = re.compile(r"^(#+ .*\{ #[\w-]+) \}$")
    return ['<div data-search-exclude="" markdown>', "",
            *(heading.sub(r'\1 data-search-exclude="" }', line) for line in lines), "", "</div>"]


def worksheet_sheet(page, chapter_name: str) -> list[str]:
    """A chapter's worksheet: lines for a name, its key points, key words, picked questions, room to write."""
    chapters = {posixpath.splitext(uri)[0]: uri for uri in page.config["chapters"]}
    if chapter_name not in chapters:
        raise BadArgument(f"{{{{ block:worksheet }}}} names '{chapter_name}', which is not a chapter",
                          "the chapters (under chapters: in mkdocs.yml) are: " + ", ".join(chapters))
    sheet = worksheet.read(page.config, chapters[chapter_name], page.facts)
    words = page.words
    fields = "".join(f'<span class="worksheet-field">{html.escape(words["worksheet", name], quote=False)} '
                     f'<span class="worksheet-blank"></span></span>' for name in ("name", "class", "date"))
    chapter_link = f"[{safe(sheet.title)}]({page.link(sheet.chapter)})"
    lines = ['<div class="worksheet" markdown>', "", f'<p class="worksheet-fields">{fields}</p>', "",
             _filled(words["worksheet", "intro"], chapter=chapter_link), "",
             f"## {safe(sheet.points_title)} {{ #points }}", ""]
    lines += [f"- {_moved(page, point, sheet.chapter)}" for point in sheet.points]
    lines += ["", f"## {safe(words['worksheet', 'key words'])} {{ #key-words }}", ""]
    for term in sheet.terms:
        lines += [safe(term.term), f":   {safe(term.definition)}", ""]
    lines += [f"## {safe(words['worksheet', 'questions'])} {{ #questions }}", "",
              safe(words["worksheet", "tick"]), ""]
    for number, question in enumerate(sheet.questions, 1):
        lines.append(f"{number}. {safe(question.text)}")
        lines += [f"    - {safe(choice.words)}" for choice in question.choices]
    lines += ["", f"## {safe(words['worksheet', 'discussion'])} {{ #discussion }}", "",
              _moved(page, sheet.discussion, sheet.chapter), "",
              f'<p class="worksheet-write">{html.escape(words["worksheet", "write"], quote=False)}</p>',
              '<div class="worksheet-lines"></div>', "", "</div>"]
    return lines


def worksheets_list(page) -> list[str]:
    """Each chapter's worksheet page, by its own title, and its PDF (raw HTML: not a page MkDocs knows)."""
    words = page.words
    docs = Path(page.config["docs_dir"])
    handouts_by_page = {handout.pages[0]: handout for handout in worksheet_handouts(page.config)}
    if not handouts_by_page:
        raise SiteError(str(page.config_file or "mkdocs.yml"), None, "{{ block:worksheets }} has no worksheets to list",
                        "name their folder with worksheets: folder: under the figure extension in mkdocs.yml")
    lines = []
    for uri, handout in handouts_by_page.items():
        if not (docs / uri).is_file():
            raise SiteError(page.where, None, f"the worksheet page {uri} does not exist",
                            f"write it: a title, and {{{{ block:worksheet {handout.name.removeprefix(WORKSHEET)} }}}}")
        title = page_title((docs / uri).read_text(encoding="utf-8"), uri)
        pdf = f'<a href="{page.to_site_root}{handout.path}" type="application/pdf">{html.escape(words["worksheet", "pdf"])}</a>'
        lines.append(f"- [{safe(title)}]({page.link(uri)}) ({pdf})")
    return lines


def key_words(page) -> list[str]:
    """The glossary terms in the order a class meets them: chapter by chapter, first use, each once."""
    met: set[str] = set()
    lines = []
    for sheet in _worksheets_of(page):
        new = [term for term in sheet.terms if term.term not in met]
        met.update(term.term for term in new)
        if not new:
            continue
        stem = posixpath.splitext(sheet.chapter)[0]
        lines += [f"{_subheading(page, 'key-words')} [{safe(sheet.title)}]({page.link(sheet.chapter)}) "
                  f"{{ #key-words-{stem} }}", ""]
        for term in new:
            lines += [safe(term.term), f":   {safe(term.definition)}", ""]
    return _unsearched(lines)


def answer_guidance(page) -> list[str]:
    """Per chapter: its key points, and its worksheet's questions with the right answer and why."""
    words = page.words
    lines = []
    for sheet in _worksheets_of(page):
        stem = posixpath.splitext(sheet.chapter)[0]
        lines += [f"{_subheading(page, 'answer-guidance')} [{safe(sheet.title)}]({page.link(sheet.chapter)}) "
                  f"{{ #answers-{stem} }}", "",
                  f"**{safe(sheet.points_title)}**", ""]
        lines += [f"- {_moved(page, point, sheet.chapter)}" for point in sheet.points]
        lines += ["", f"**{safe(words['worksheet', 'answers'])}**", ""]
        for number, question in enumerate(sheet.questions, 1):
            answer = next(choice.words for choice in question.choices if choice.right)
            lines += [f"{number}. {safe(question.text)}", "",
                      f"    **{safe(answer)}**<br>{safe(question.explanation)}", ""]
    return _unsearched(lines)


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
    named = {m["id"] for m in map(syntax.SOURCE.fullmatch, syntax.REFERENCE.findall(text)) if m}
    newest = newest_report(facts, figures_on_page(text, facts, page.where), named)
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


def _subheading(page, name: str) -> str:
    """The marks of a heading one level under the section the block stands in, so no level is skipped."""
    lineno, _ = _block_line(page, name)
    above = [line for line in page.lines[:lineno - 1] if re.match(r"#{1,5} ", line)]
    level = len(above[-1].split(" ", 1)[0]) if above else 1
    return "#" * min(level + 1, 6)


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
    "worksheet": Block(worksheet_sheet, argument="a chapter"),
    "worksheets": Block(worksheets_list),
    "key-words": Block(key_words),
    "answer-guidance": Block(answer_guidance),
    "as-of": Block(as_of),
}
