"""The pieces every chart and diagram is drawn with: measured text, SVG shapes, one ``<figure>``.

A drawing is one ``<figure>``: an inline SVG (``role="img"``, with
``<title>`` and ``<desc>``) and a ``<figcaption>`` that holds the same
information as text, in a ``<details>`` table or list.

Rules that keep the drawings honest and portable:

- every text is escaped: pages and the data file are edited by hand;
- no colour in the SVG: shapes carry classes, styled in
  ``overrides/assets/stylesheets/charts.css`` with Material's colour
  variables, so light, dark and print each get their own;
- sizes are viewBox units: drawings are ``WIDTH`` units wide and CSS shows
  them at the column's width up to 27em, so 15-unit text is about 13.7 px on
  a 360-pixel phone and 18 px on a desktop; text is wrapped here, with a
  per-character width estimate;
- the output depends on its input only: same declaration and data, byte-identical HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as html_escape

from markdown.util import ETX, STX


def escape(text: str, quote: bool = True) -> str:
    """Text for the drawing's HTML. It is raw HTML (Markdown never reads it),
    but Python-Markdown's placeholder characters would still be acted on."""
    return html_escape(text.replace(STX, "\ufffd").replace(ETX, "\ufffd"), quote=quote)


WIDTH = 360  # viewBox width of every drawing
MARGIN = 8
TEXT = 15  # body text size, viewBox units
SMALL = 14  # the smallest text used
LINE = 19  # line height for TEXT


# --- Text measuring and wrapping ------------------------------------------

_NARROW = set("iIjl.,;:'’‘!|")
_SEMI = set(" ftr()[]-–—“”\"/")
_WIDE = set("mwMW")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper estimate of the width of ``text`` in a sans-serif font."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.26
        elif char in _SEMI:
            em += 0.34
        elif char in _WIDE:
            em += 0.86
        elif char.isupper():
            em += 0.68
        else:
            em += 0.56
    return em * size * (1.08 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (a long word overflows)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and text_width(trial, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines or [""]


def clip(lines: list[str], most: int, width: float, size: float) -> list[str]:
    """At most ``most`` lines; a cut ends with an ellipsis at a word boundary."""
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    last = kept[-1]
    while last and text_width(last + " …", size) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else ""
    kept[-1] = last.rstrip(" ,;:") + "…"
    return kept


def sentence(text: str) -> str:
    """``text`` ending with a full stop (or the mark it already ends with)."""
    return text if text.endswith((".", "!", "?")) else text + "."


# --- SVG and HTML pieces ----------------------------------------------------

def num(value: float) -> str:
    """A coordinate rounded to a tenth, written the same way every time."""
    value = round(float(value), 1) + 0.0  # no "-0.0"
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = num(value)
        parts.append(f' {name}="{escape(str(value), quote=True)}"')
    return "".join(parts)


def text(x, y, content: str, cls: str = "chart-text", size: float = TEXT, anchor: str = "start") -> str:
    attrs = {"x": x, "y": y, "class": cls, "font-size": size,
             "text-anchor": None if anchor == "start" else anchor}
    return f"<text{_attrs(attrs)}>{escape(content, quote=False)}</text>"


def lines(x, y, texts: list[str], cls: str = "chart-text", size: float = TEXT,
          anchor: str = "start", step: float = LINE) -> list[str]:
    return [text(x, y + i * step, line, cls, size, anchor) for i, line in enumerate(texts)]


def rect(x, y, width, height, cls: str, rx=None) -> str:
    return f"<rect{_attrs({'x': x, 'y': y, 'width': max(width, 0), 'height': height, 'rx': rx, 'class': cls})}/>"


def line(x1, y1, x2, y2, cls: str) -> str:
    return f"<line{_attrs({'x1': x1, 'y1': y1, 'x2': x2, 'y2': y2, 'class': cls})}/>"


def circle(cx, cy, r, cls: str) -> str:
    return f"<circle{_attrs({'cx': cx, 'cy': cy, 'r': r, 'class': cls})}/>"


def path(d: str, cls: str) -> str:
    return f"<path{_attrs({'d': d, 'class': cls})}/>"


def arrow_down(x, y1, y2, cls: str = "chart-arrow") -> list[str]:
    """A vertical arrow from y1 to y2, its head drawn as a path (no marker ids)."""
    head = f"M{num(x - 5)} {num(y2 - 8)}L{num(x)} {num(y2)}L{num(x + 5)} {num(y2 - 8)}Z"
    return [line(x, y1, x, y2 - 6, cls), path(head, cls + "head")]


def lock(x: float, y: float) -> list[str]:
    """A padlock icon, 16 by 20 units, top-left at (x, y)."""
    shackle = f"M{num(x + 3)} {num(y + 9)}V{num(y + 6)}a5 5 0 0 1 10 0V{num(y + 9)}"
    return [path(shackle, "chart-icon-line"), rect(x, y + 9, 16, 11, "chart-icon", rx=2)]


# --- The figure ---------------------------------------------------------------

@dataclass
class Chart:
    """What a drawing function hands to ``render_figure``."""

    kind: str  # the CSS modifier: chart--<kind>
    title: str
    desc: str
    height: float
    body: list[str]
    caption: str  # plain text
    summary: str  # the <details> summary
    alternative: str  # HTML: the same information as a table or list


def render_figure(chart: Chart, ident: str) -> str:
    """The drawing as one ``<figure>``; ``ident`` makes its ids unique on the page."""
    height = num(chart.height)
    svg = [
        f'<svg class="chart__svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' role="img" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc"'
        f' fill="currentColor" font-size="{TEXT}">',
        f'<title id="{ident}-title">{escape(chart.title, quote=False)}</title>',
        f'<desc id="{ident}-desc">{escape(chart.desc, quote=False)}</desc>',
        *chart.body,
        "</svg>",
    ]
    return "\n".join([
        f'<figure class="chart chart--{chart.kind}" id="{ident}">',
        *svg,
        "<figcaption>",
        f"<p>{escape(chart.caption, quote=False)}</p>",
        f'<details class="chart__data"><summary>{escape(chart.summary, quote=False)}</summary>',
        chart.alternative,
        "</details>",
        "</figcaption>",
        "</figure>",
    ])


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain HTML table of texts (escaped here)."""
    head = "".join(f'<th scope="col">{escape(h, quote=False)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c, quote=False)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody>\n</table>"
