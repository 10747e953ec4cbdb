"""A glossary term is marked (``<abbr title=...>``) on its first use in a section only.

The abbr extension marks every occurrence; a chapter that says "weights"
ten times would carry ten dotted underlines and ten identical tooltips.
After abbr has run, this keeps the first mark of each term in each section
(a section starts at an ``h1`` or ``h2``) and turns the others back into
plain text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from .presentation import capitalised
from .readability import plain_text

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


def spellings(glossary) -> dict[str, object]:
    """Each way a term is written that abbr marks (as written, and with a capital), and its term."""
    return {spelling: term for term in glossary for spelling in (term.term, capitalised(term.term))}


def terms_in_order(markdown_text: str, facts) -> list:
    """The glossary terms a page's Markdown uses, in the order a reader first meets them.

    Matched as abbr matches them in the page (whole words, the longest
    spelling first, as written or with a capital), in the words a reader
    reads (``readability.plain_text``: no code, quiz or chart fences): the
    terms this pass marks on first use, in the same order.
    """
    found = spellings(facts.glossary)
    if not found:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in sorted(found, key=len, reverse=True)) + r")\b")
    order: dict[str, object] = {}
    for match in pattern.finditer(plain_text(markdown_text, facts)):
        term = found[match.group(0)]
        order.setdefault(term.term, term)
    return list(order.values())
