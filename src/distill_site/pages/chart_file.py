"""A drawing on its own: an SVG file for slides, and a page to embed in another site.

The same drawing as on its page (``svg.Chart``), with what a reader needs
once it has left the page: its title, its caption, the sources of its
figures and the credit with the licence.

- The SVG file carries its own colours: the stylesheet text it is given
  (``chart-file.css``, fixed light colours, no theme variables) goes into
  its ``<style>``, so a slide program draws it without the site's CSS. Its
  texts are wrapped here, like the drawing's, and it has a white background.
- The embed page is one ``<figure>`` as the site draws it, with the source
  line and the credit under it, and two stylesheets of the site's own: no
  script, nothing from another host.

Every text is escaped; the output depends on its inputs only.
"""

from __future__ import annotations

import re
from html import escape as html_escape

from . import svg
from .svg import LINE, MARGIN, SMALL, TEXT, WIDTH, escape, num, text_width, wrap

SMALL_LINE = SMALL + 4


def wrap_with_addresses(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` wrapped like the drawing's texts, but a word too long for a line
    (an address) is broken after a slash rather than run past the edge."""
    lines: list[str] = []
    for line in wrap(text, width, size, bold):
        if text_width(line, size, bold) <= width:
            lines.append(line)
            continue
        current = ""
        for piece in re.findall(r"[^/]*/+|[^/]+$", line):
            if current and text_width(current + piece, size, bold) > width:
                lines.append(current)
                current = piece
            else:
                current += piece
        lines.append(current)
    return lines


def _text_block(y: float, texts: list[str], cls: str, size: float, step: float,
                bold: bool = False) -> tuple[list[str], float]:
    """Each of ``texts`` wrapped to the drawing's width, one under the other, from baseline ``y``."""
    parts = []
    for words in texts:
        lines = wrap_with_addresses(words, WIDTH - 2 * MARGIN, size, bold)
        parts += svg.lines(MARGIN, y, lines, cls, size, step=step)
        y += step * len(lines)
    return parts, y


def standalone_svg(chart: svg.Chart, *, lines_under: list[str], style: str, lang: str) -> str:
    """The drawing as a standalone SVG file: title, drawing, caption, then ``lines_under`` (sources, credit)."""
    body: list[str] = []
    title, y = _text_block(MARGIN + TEXT + 2, [chart.title], "chart-text chart-text--strong", TEXT + 1,
                           LINE + 1, bold=True)
    body += title
    top = y - TEXT + 4
    body.append(f'<g transform="translate(0 {num(top)})">')
    body += chart.body
    body.append("</g>")
    y = top + chart.height + 14 + SMALL
    caption, y = _text_block(y, [chart.caption], "chart-text", SMALL, SMALL_LINE)
    credit, y = _text_block(y + 6, lines_under, "chart-text chart-text--muted", SMALL, SMALL_LINE)
    body += caption + credit
    height = num(y - SMALL_LINE + MARGIN + 4)
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-file" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH * 2}" height="{num(float(height) * 2)}" font-size="{TEXT}" role="img"'
        f' aria-labelledby="title" aria-describedby="desc" xml:lang="{escape(lang)}">',
        f'<title id="title">{escape(chart.title, quote=False)}</title>',
        f'<desc id="desc">{escape(chart.desc, quote=False)}</desc>',
        f"<style><![CDATA[\n{style.strip().replace(']]>', ']] >')}\n]]></style>",
        f'<rect class="chart-file__paper" width="{WIDTH}" height="{height}"/>',
        *body,
        "</svg>",
        "",
    ])


def embed_page(chart: svg.Chart, ident: str, *, title: str, lines_under: list[str], lang: str,
               stylesheets: list[str], icon: str | None = None) -> str:
    """A minimal HTML page: the drawing's title, the drawing, and ``lines_under``
    (HTML: the source line and the credit)."""
    links = "\n".join(f'<link rel="stylesheet" href="{html_escape(href)}">' for href in stylesheets)
    return "\n".join([
        "<!doctype html>",
        f'<html lang="{html_escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Made for other sites' iframes: search engines should send readers to the chart's page.
        '<meta name="robots" content="noindex">',
        f"<title>{html_escape(title, quote=False)}</title>",
        *([f'<link rel="icon" href="{html_escape(icon)}">'] if icon else []),
        links,
        "</head>",
        '<body class="chart-embed">',
        "<main>",
        f"<h1>{html_escape(chart.title, quote=False)}</h1>",
        svg.render_figure(chart, ident),
        '<p class="chart-credit">' + "<br>\n".join(lines_under) + "</p>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ])
