"""A figure reference as one HTML element: its value, linked to its row on the
numbers page with the sources' words as its tooltip (a date in ``<time>``).

The extension makes one for each ``{{ fig:... }}`` in a page; the timeline's
table (``timeline_view``), raw HTML the extension never reads, makes the
same ones for the references in its events.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.util import AtomicString

from ..facts import syntax
from ..facts.formatting import format_figure, machine_value
from .page_context import PageContext
from .presentation import figure_anchor, figure_tooltip


def figure_parts(page: PageContext, facts, ref: syntax.FigureRef) -> tuple:
    """What a reference's element is made of: tag, attributes, text, and a date's datetime."""
    words = page.words
    tag, attributes, qualifier, text, datetime = facts.remember(
        ("figure", ref, words.of("tooltip")), lambda: _page_free_parts(facts, ref, words))
    if ref.linked:  # the link is relative to the page
        href = page.link(f"{page.config['numbers_page']}#{figure_anchor(ref.key)}")
        attributes = {"class": "fig", "href": href, "title": attributes["title"]}
    return tag, attributes, qualifier, text, datetime


def _page_free_parts(facts, ref: syntax.FigureRef, words) -> tuple:
    figure = facts.figures[ref.key]
    if ref.linked:
        tag, attributes = "a", {"class": "fig", "title": figure_tooltip(facts, figure, words)}
    else:
        tag, attributes = "span", {"class": "fig"}
    qualifier = f"{figure.qualifier} " if ref.qualified and figure.qualifier else ""
    text = format_figure(figure, ref.variant, qualified=False)
    datetime = machine_value(figure) if figure.kind == "date" else None
    return tag, attributes, qualifier, text, datetime


def build_figure(tag: str, attributes: dict, qualifier: str, text: str, datetime: str | None) -> etree.Element:
    """One element with the text inside (a date adds <time datetime>): each extra
    element would cost every later pass of the build, search indexing included."""
    element = etree.Element(tag, attributes)
    # AtomicString: finished text, not scanned again by other processors.
    if datetime is None:
        element.text = AtomicString(qualifier + text)
    else:
        element.text = AtomicString(qualifier)
        etree.SubElement(element, "time", {"datetime": datetime}).text = AtomicString(text)
    return element
