"""A glossary term is marked (``<abbr title=...>``) on its first use in a section only.

The abbr extension marks every occurrence; a chapter that says "weights"
ten times would carry ten dotted underlines and ten identical tooltips.
After abbr has run, this keeps the first mark of each term in each section
(a section starts at an ``h1`` or ``h2``) and turns the others back into
plain text.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

SECTION_STARTS = frozenset({"h1", "h2"})
# After abbr's treeprocessor (7), which writes the marks.
PRIORITY = 6


def _unwrap(parent: etree.Element, element: etree.Element) -> None:
    """Put ``element``'s text in its place in ``parent`` (an abbr holds text only)."""
    words = (element.text or "") + (element.tail or "")
    index = list(parent).index(element)
    if index == 0:
        parent.text = (parent.text or "") + words
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + words
    parent.remove(element)


class FirstUseOnly(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        seen: set[str] = set()
        repeats = []
        for element in root.iter():
            if element.tag in SECTION_STARTS:
                seen = set()
            elif element.tag == "abbr":
                term = (element.text or "").lower()
                if term in seen:
                    repeats.append(element)
                seen.add(term)
        for element in repeats:
            _unwrap(parents[element], element)
