"""Charts and diagrams declared in the page that shows them, as fenced blocks.

    ```chart
    type: bar chart
    id: my-chart
    title: …
    caption: …
    summary: …
    columns: [What, How many, Stated by]
    bars:
      - figure: some_key
        label: …
    ```

``pymdownx.superfences`` hands each ```chart and ```diagram fence to
``format_fence`` (named under its ``custom_fences`` in mkdocs.yml: the
mechanism Zensical keeps too). The fence's YAML is read and checked here
and in the kind's own ``read_*`` (``charts``, ``diagrams``); the drawing is
theirs, the words are all the page's. Any problem fails the build naming
the page's file and line (``DeclarationError``, a ``SiteError`` that
SuperFences lets through instead of showing the fence as code).

``figures_shown`` reads the same fences from a page's Markdown, so the
numbers page knows which figures each page shows through its charts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from pymdownx.superfences import SuperFencesException

from ..errors import SiteError
from ..facts.yaml_lines import load_yaml
from . import charts, diagrams, svg
from .declaration import Reader, shape
from .page_context import UNKNOWN_PAGE


class DeclarationError(SiteError, SuperFencesException):
    """A bad chart declaration: a SiteError that SuperFences re-raises rather than swallows."""


@dataclass(frozen=True)
class Kind:
    fence: str  # the fence it is declared in: chart or diagram
    fields: dict  # its own fields: name -> required
    read: Callable  # (Reader, fields) -> its details
    draw: Callable  # (Declaration, facts) -> svg.Chart
    figures: Callable  # (details, facts) -> the figure keys it shows
    placeholders: tuple[str, ...] = ()  # single-brace words its texts may use, filled in when drawn
    # How its page shows it, (Declaration, page, id) -> HTML, where not as its drawing (the timeline: a table).
    show: Callable | None = None


# Every kind of drawing, by the name a declaration's 'type:' gives.
KINDS = {
    "bar chart": Kind("chart", charts.BAR_CHART_FIELDS, charts.read_bar_chart, charts.draw_bar_chart,
                      charts.bar_chart_figures),
    "timeline": Kind("chart", charts.TIMELINE_FIELDS, charts.read_timeline, charts.draw_timeline,
                     charts.timeline_figures, (charts.SPAN,), charts.show_timeline),
    "period": Kind("chart", charts.PERIOD_FIELDS, charts.read_period, charts.draw_period, charts.period_figures),
    "boxes and arrows": Kind("diagram", diagrams.DIAGRAM_FIELDS, diagrams.read_diagram, diagrams.draw_diagram,
                             diagrams.diagram_figures),
}
FENCES = ("chart", "diagram")
# Fields every declaration has; True: required.
COMMON_FIELDS = {"type": True, "id": True, "title": True, "caption": True, "summary": True, "description": False}
ID = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class Declaration:
    type: str
    ident: str
    title: str
    caption: str
    summary: str  # the words that open the text version
    description: str | None  # what a screen reader hears for the drawing; else the drawing reads itself out
    details: object  # the kind's own fields, as its read_* returns them


def read(text: str, fence: str, facts, fail) -> Declaration:
    """The declaration in a fence's ``text``; ``fail(line, problem, fix)`` counts lines in ``text``."""
    try:
        entry = load_yaml(text, "the declaration")
    except SiteError as error:
        fail(error.line or 1, error.problem, error.fix)
    what = f"the ```{fence} block"
    if entry is None:
        fail(1, f"{what} is empty", "declare the drawing in it: type, id, title, caption, summary, …")
    reader = Reader(facts, fail)
    if not isinstance(entry, dict):
        fail(1, f"{what} must be a set of fields, one 'name: value' a line, but YAML reads {shape(entry)}",
             "write one field a line, like 'type: bar chart'")
    kind_name = entry.get("type")
    if not isinstance(kind_name, str) or kind_name not in KINDS:
        fail(entry.line_of("type") if "type" in entry else entry.line,
             f"{what} has type '{kind_name}'" if kind_name else f"{what} has no 'type'",
             "the types are: " + ", ".join(KINDS))
    kind = KINDS[kind_name]
    if kind.fence != fence:
        fail(entry.line_of("type"), f"a {kind_name} goes in a ```{kind.fence} block, not a ```{fence} block",
             f"open the block with ```{kind.fence}")
    what = f"the {kind_name}"
    reader.fields(entry, {**COMMON_FIELDS, **kind.fields}, what)
    ident = entry["id"]
    if not isinstance(ident, str) or not ID.fullmatch(ident):
        fail(entry.line_of("id"), f"the id '{ident}' of {what} is not allowed",
             "use lower case letters, digits and -, starting with a letter: it is the drawing's address (#id)")
    words = {name: reader.words(entry, name, what, kind.placeholders)
             for name in ("title", "caption", "summary", "description")}
    return Declaration(kind_name, ident, words["title"], words["caption"], words["summary"],
                       words["description"], kind.read(reader, entry))


def draw(declaration: Declaration, facts, ident: str | None = None) -> str:
    """The HTML ``<figure>`` of a declaration; ``ident`` (default: its own id) makes its ids unique."""
    chart = KINDS[declaration.type].draw(declaration, facts)
    return svg.render_figure(chart, ident or declaration.ident)


def figures_of(declaration: Declaration, facts) -> list[str]:
    return KINDS[declaration.type].figures(declaration.details, facts)


# --- Fences in a page's Markdown -------------------------------------------------------

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<marks>`{3,}|~{3,})[ \t]*\{?\.?(?P<fence>[\w-]+)?")


@dataclass(frozen=True)
class Fence:
    name: str  # chart or diagram (or quiz: quiz_fence)
    first_line: int  # the line after the opening fence, counted in the file from 1
    lines: tuple[str, ...]  # its body, stripped of the fence's indentation


def fences_in(lines: list[str], names: tuple[str, ...] = FENCES) -> list[Fence]:
    """The fences of ``names`` (```chart and ```diagram unless told) in a page's lines."""
    found, number = [], 0
    while number < len(lines):
        opening = OPENING.match(lines[number])
        number += 1
        if not opening:
            continue
        marks, indent = opening["marks"], len(opening["indent"])
        body = []
        while number < len(lines) and not re.fullmatch(rf"[ \t]*{re.escape(marks[0])}{{{len(marks)},}}[ \t]*",
                                                       lines[number]):
            body.append(lines[number][indent:] if lines[number][:indent].strip() == "" else lines[number])
            number += 1
        if opening["fence"] in names:
            found.append(Fence(opening["fence"], number - len(body) + 1, tuple(body)))
        number += 1
    return found


def _same(a, b) -> bool:
    """Two fence bodies alike, line by line, indentation and blank lines aside."""
    return [line.strip() for line in a if line.strip()] == [line.strip() for line in b if line.strip()]


def figures_shown(text: str, facts, where: str) -> set[str]:
    """The figure keys the charts declared in a page's Markdown ``text`` show (``where``: its file)."""
    keys: set[str] = set()
    for fence in fences_in(text.splitlines()):
        def fail(line, problem, fix="", fence=fence):
            raise SiteError(where, fence.first_line + line - 1, problem, fix)
        keys.update(figures_of(read("\n".join(fence.lines), fence.name, facts, fail), facts))
    return keys


# --- The SuperFences entry point -------------------------------------------------------

def format_fence(source: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
    """SuperFences' ``format`` for ```chart and ```diagram: the drawn ``<figure>``."""
    page, fail = fence_on_page(source, language, md)
    declaration = read(source, language, page.facts, fail)
    ident = free_id(md, declaration.ident, _FIGURE_ID)
    show = KINDS[declaration.type].show
    return show(declaration, page, ident) if show else draw(declaration, page.facts, ident)


def fence_on_page(source: str, language: str, md):
    """The page a fence of ``language`` is on, and how to fail at a line of its
    body: that line of the page's file, where the fence is found in it."""
    if "distill_figures" not in md.preprocessors:
        raise DeclarationError(UNKNOWN_PAGE, None, f"a ```{language} block needs the distill_site.pages.markdown_ext "
                               "extension", "list it under markdown_extensions in mkdocs.yml")
    page = md.preprocessors["distill_figures"].page
    where, first_line = _locate(page, source, language)

    def fail(line, problem, fix=""):
        if first_line is None:
            raise DeclarationError(where, None, f"line {line} of a ```{language} block: {problem}", fix)
        raise DeclarationError(where, first_line + line - 1, problem, fix)
    return page, fail


def _locate(page, source: str, language: str) -> tuple[str, int | None]:
    """The page's file, and the line in it where the fence's body starts (None if not found)."""
    if page.source is None:
        return page.where, None
    wanted = source.split("\n")
    for fence in fences_in(page.source, (language,)):
        if _same(fence.lines, wanted):
            return page.where, fence.first_line
    return f"{page.where} (in a snippet it includes)", None


_FIGURE_ID = re.compile(r'<figure class="chart[^"]*" id="([^"]+)"')


def free_id(md, base: str, stashed_ids: re.Pattern) -> str:
    """``base``, or ``base-2``, ``base-3``... if the page's HTML stashed so far
    already has that id (``stashed_ids`` finds the ids of one kind of element)."""
    taken = set()
    for html in md.htmlStash.rawHtmlBlocks:
        taken.update(stashed_ids.findall(str(html)))
    ident, number = base, 1
    while ident in taken:
        number += 1
        ident = f"{base}-{number}"
    return ident

