"""The timeline as its page shows it: one table, each event once, in full.

The drawing (``charts.draw_timeline``: a strip to scale and the events in
short) is for the SVG file and the embed page, which leave the site. On its
own page the declaration shows as one ``<table>`` inside the ``<figure>``:
the date, the whole text and the reports of each event, with the figures
and the sources linked as everywhere else. Sighted readers, screen readers
and paper all meet that one table (styled in charts.css, site.css and
print.css); nothing is said twice and nothing is cut.

The figure is raw HTML (a SuperFences fence), which neither Markdown nor
MkDocs reads again, so the links are written here as the site publishes
them: from the page's address, like ``blocks.handouts_list``'s. Every text
is escaped; the same data gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from ..facts import syntax
from ..facts.formatting import format_value
from .figure_element import build_figure, figure_parts
from .presentation import event_when, figure_anchor, moment_text, source_anchor
from .svg import escape


def _href(page, uri: str, anchor: str) -> str:
    return page.raw_link(f"{uri}#{anchor}")


def _figure(page, body: str) -> str:
    """A ``{{ fig:... }}`` reference as the extension writes it: the value, linked, with its tooltip."""
    ref = syntax.parse_figure(body, page.facts.figures)
    tag, attributes, qualifier, text, datetime = figure_parts(page, page.facts, ref)
    if "href" in attributes:
        attributes = {**attributes, "href": _href(page, page.config["numbers_page"], figure_anchor(ref.key))}
    return etree.tostring(build_figure(tag, attributes, qualifier, text, datetime), encoding="unicode")


def _words(page, text: str) -> str:
    """A data text as HTML: escaped, its references made into figures."""
    parts, done = [], 0
    for match in syntax.REFERENCE.finditer(text):
        parts.append(escape(text[done:match.start()], quote=False))
        typed = syntax.TYPED.fullmatch(match["body"])
        parts.append(escape(typed["text"], quote=False) if typed else _figure(page, match["body"]))
        done = match.end()
    parts.append(escape(text[done:], quote=False))
    return " ".join("".join(parts).replace("\\{{", "{{").split())


def _moment(page, moment, variant: str | None = None) -> str:
    if moment.figure:
        return _figure(page, f"fig:{moment.figure} {variant or ''}".strip())
    if variant:
        return escape(format_value("date", moment.date, variant), quote=False)
    return escape(moment_text(page.facts, moment), quote=False)


def _when(page, event) -> str:
    """As ``presentation.event_when`` says it ("April 22 to June 5, 2026"), the figures linked."""
    return event_when(page.facts, event, lambda moment, variant: _moment(page, moment, variant))


def _months(day) -> int:
    return day.year * 12 + day.month


def events_table(page, ident: str, events: list, title: str, caption: str, columns: tuple[str, str, str]) -> str:
    """The ``<figure>`` of the timeline on its page: ``events`` in order, under ``title`` and ``caption``."""
    facts = page.facts
    when_label, what_label, sources_label = (escape(c) for c in columns)
    rows, last_month = [], None
    for event in events:
        when = _when(page, event)
        sources = "; ".join(
            f'<a href="{escape(_href(page, page.config["sources_page"], source_anchor(s)))}">'
            f"{escape(facts.sources[s].short, quote=False)}</a>" for s in event.sources)
        # A month with no event before this one: the table says so with a wider, dashed gap.
        month = _months(event.when.date)
        gap = ' class="timeline__after-gap"' if last_month is not None and month - last_month > 1 else ""
        last_month = max(last_month or month, _months((event.until or event.when).date))
        rows.append(f"<tr{gap}><td>{when}</td><td data-label=\"{what_label}\">{_words(page, event.text)}</td>"
                    f"<td data-label=\"{sources_label}\">{sources}</td></tr>")
    return "\n".join([
        f'<figure class="chart chart--timeline-table" id="{escape(ident)}">',
        # Its title and caption above the table, the table's name (a <caption> too would say it twice).
        f'<figcaption><p class="chart__title">{escape(title, quote=False)}</p>',
        f"<p>{escape(caption, quote=False)}</p></figcaption>",
        "<table>",
        f'<thead><tr><th scope="col">{when_label}</th><th scope="col">{what_label}</th>'
        f'<th scope="col">{sources_label}</th></tr></thead>',
        "<tbody>" + "".join(rows) + "</tbody>",
        "</table>",
        "</figure>",
    ])
