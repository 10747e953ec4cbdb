"""Boxes and arrows: a diagram read top to bottom, every word declared by the page.

The page lists the diagram's items in order, each joined to the next by an
arrow when it has ``arrow:`` words. An item is

- a box: a ``title`` in bold and a ``text`` under it, or
- a panel: a group with a ``panel`` name (its heading, unless ``heading``
  says otherwise), holding either boxes of its own or one ``title`` and
  ``text`` beside an optional ``icon``.

``style`` picks the look (CSS classes in charts.css): ``data`` and
``model`` boxes, ``locked`` and ``open`` panels. The text version lists the
same words: numbered steps, or, where there are panels, each panel's name
with what it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import svg
from .svg import LINE, MARGIN, SMALL, TEXT, WIDTH, escape, sentence, wrap

STYLES = ("data", "model", "locked", "open")
ICONS = {"lock": svg.lock}
ICON_ROOM = 28  # an icon's width and the gap after it


@dataclass(frozen=True)
class Box:
    title: str
    text: str | None
    style: str


@dataclass(frozen=True)
class Item:
    """One step of the diagram: a box, or a panel (``panel`` is its name)."""

    box: Box | None  # a box, or a panel's one title and text
    arrow: str | None  # words on the arrow to the next item
    panel: str | None = None
    heading: str | None = None
    style: str = "open"
    icon: str | None = None
    boxes: tuple[Box, ...] = ()


@dataclass(frozen=True)
class Diagram:
    items: tuple[Item, ...]


DIAGRAM_FIELDS = {"boxes": True}
BOX_FIELDS = {"title": True, "text": False, "style": False, "arrow": False}
PANEL_FIELDS = {"panel": True, "heading": False, "style": False, "icon": False,
                "title": False, "text": False, "boxes": False, "arrow": False}


def _box(read, entry, what: str) -> Box:
    return Box(read.words(entry, "title", what), read.words(entry, "text", what),
               read.choice(entry, "style", STYLES, what, "data"))


def read_diagram(read, entry) -> Diagram:
    items = []
    listed = read.entries(entry, "boxes", "the diagram")
    for index, (item, line) in enumerate(listed):
        is_panel = isinstance(item, dict) and "panel" in item
        what = f"{'panel' if is_panel else 'box'} {index + 1}"
        read.fields(item, PANEL_FIELDS if is_panel else BOX_FIELDS, what, line)
        arrow = read.words(item, "arrow", what)
        if arrow and index == len(listed) - 1:
            read.fail(item.line_of("arrow"), f"{what} is the last, so its arrow would point at nothing",
                      "remove its 'arrow:' line, or add the box it leads to")
        if not is_panel:
            items.append(Item(_box(read, item, what), arrow))
            continue
        inner = []
        if "boxes" in item:
            if "title" in item or "icon" in item:
                read.fail(item.line_of("boxes"), f"{what} has both boxes and a title of its own",
                          "a panel holds either boxes, or one title and text (with an icon)")
            for number, (child, child_line) in enumerate(read.entries(item, "boxes", what), 1):
                child_what = f"box {number} of {what}"
                read.fields(child, {"title": True, "text": False, "style": False}, child_what, child_line)
                inner.append(_box(read, child, child_what))
        elif "title" not in item:
            read.fail(line, f"{what} holds nothing", "give it 'boxes:', or a 'title:' and 'text:'")
        icon = item.get("icon")
        if icon is not None and icon not in ICONS:
            read.fail(item.line_of("icon"), f"{what} has icon '{icon}'", "use one of: " + ", ".join(ICONS))
        items.append(Item(
            Box(read.words(item, "title", what), read.words(item, "text", what), "data") if "title" in item else None,
            arrow, panel=read.words(item, "panel", what), heading=read.words(item, "heading", what),
            style=read.choice(item, "style", STYLES, what, "open"), icon=icon, boxes=tuple(inner)))
    return Diagram(tuple(items))


def diagram_figures(diagram: Diagram, facts) -> list[str]:
    return []  # only through {{ fig:key }} in its words, which the page's text already shows


# --- Drawing -------------------------------------------------------------------------

def _draw_box(y: float, box: Box, x: float = MARGIN, width: float = WIDTH - 2 * MARGIN) -> tuple[list[str], float]:
    """A rounded box with a bold title and a wrapped text; returns (svg, bottom)."""
    inner = width - 28
    titles = wrap(box.title, inner, TEXT + 1, bold=True)
    details = wrap(box.text, inner, TEXT) if box.text else []
    height = 10 + len(titles) * (LINE + 1) + len(details) * LINE + 8
    parts = [svg.rect(x, y, width, height, f"chart-node chart-node--{box.style}", rx=8)]
    parts += svg.lines(x + 14, y + 10 + TEXT, titles, "chart-text chart-text--strong", TEXT + 1, step=LINE + 1)
    parts += svg.lines(x + 14, y + 10 + TEXT + len(titles) * (LINE + 1), details)
    return parts, y + height


def _draw_panel(y: float, item: Item) -> tuple[list[str], float]:
    """A panel: its heading, then its boxes or its one titled text (with its icon); returns (svg, bottom)."""
    x, width = MARGIN, WIDTH - 2 * MARGIN
    cls = f"chart-node chart-node--{item.style}"
    heading = svg.text(x + 14, y + 24, item.heading or item.panel, "chart-text chart-text--muted", SMALL)
    if item.boxes:
        top, parts = y, [heading]
        y += 34
        for box in item.boxes:
            drawn, y = _draw_box(y, box, x + 10, width - 20)
            parts += drawn
            y += 8
        return [svg.rect(x, top, width, y - top + 2, cls, rx=8), *parts], y + 2
    indent = 14 + (ICON_ROOM if item.icon else 0)
    room = width - indent - 14
    titles = wrap(item.box.title, room, TEXT + 1, bold=True)
    details = wrap(item.box.text, room, TEXT) if item.box.text else []
    height = 44 + len(titles) * (LINE + 1) + len(details) * LINE + 6
    parts = [svg.rect(x, y, width, height, cls, rx=8), heading]
    if item.icon:
        parts += ICONS[item.icon](x + 14, y + 38)
    title_y = y + 38 + TEXT + 1
    parts += svg.lines(x + indent, title_y, titles, "chart-text chart-text--strong", TEXT + 1, step=LINE + 1)
    parts += svg.lines(x + indent, title_y + len(titles) * (LINE + 1), details)
    return parts, y + height


def _draw_arrow(y: float, words: str) -> tuple[list[str], float]:
    """An arrow down the middle with its words beside it; returns (svg, where the next item starts)."""
    middle = WIDTH / 2
    label = wrap(words, WIDTH - middle - 12 - MARGIN, SMALL)
    length = 32 + 16 * (len(label) - 1)  # longer for each further line of words
    parts = svg.arrow_down(middle, y + 2, y + 2 + length)
    parts += svg.lines(middle + 12, y + 22, label, "chart-text chart-text--muted", SMALL, step=SMALL + 3)
    return parts, y + length + 2 + 2 * len(label)


def _said(box: Box) -> str:
    return f"{box.title}: {sentence(box.text)}" if box.text else sentence(box.title)


def _text_version(diagram: Diagram) -> str:
    """Numbered steps; or, with panels, each panel's name and what it holds."""
    def strong(box: Box) -> str:
        words = f"<strong>{escape(box.title, quote=False)}</strong>"
        return f"{words}: {escape(sentence(box.text), quote=False)}" if box.text else words

    if not any(item.panel for item in diagram.items):
        return "<ol>" + "".join(f"<li>{strong(item.box)}</li>" for item in diagram.items) + "</ol>"
    parts = []
    for item in diagram.items:
        if item.panel is None:
            parts.append(f"<dt>{escape(item.box.title, quote=False)}</dt>"
                         + (f"<dd>{escape(sentence(item.box.text), quote=False)}</dd>" if item.box.text else ""))
            continue
        parts.append(f"<dt>{escape(item.panel, quote=False)}</dt>")
        parts += [f"<dd>{strong(box)}</dd>" for box in (item.boxes or (item.box,))]
    return "<dl>" + "".join(parts) + "</dl>"


def draw_diagram(declared, facts) -> svg.Chart:
    diagram: Diagram = declared.details
    body, y = [], 4.0
    for index, item in enumerate(diagram.items):
        drawn, y = _draw_panel(y, item) if item.panel else _draw_box(y, item.box)
        body += drawn
        if item.arrow:
            drawn, y = _draw_arrow(y, item.arrow)
            body += drawn
        elif index < len(diagram.items) - 1:
            y += 8
    steps = []
    for item in diagram.items:
        if item.panel:
            held = "; ".join(_said(box).rstrip(".") for box in (item.boxes or (item.box,)))
            steps.append(f"{item.panel}: {sentence(held)}")
        else:
            steps.append(_said(item.box))
    return svg.Chart(
        kind="diagram",
        title=declared.title,
        desc=declared.description or "Flow diagram, top to bottom. " + " Then: ".join(steps),
        height=y + 4,
        body=body,
        caption=declared.caption,
        summary=declared.summary,
        alternative=_text_version(diagram),
    )
