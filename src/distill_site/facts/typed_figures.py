"""Figures typed by hand into a page, found as the reader will see them.

A page must not type "28.8 million": it would not follow the data file.
The check reads the page after Markdown (the element tree's text), not its
source lines, so that line wrapping, emphasis around part of a figure,
non-breaking or zero-width spaces, entities, full-width digits and
capitals do not hide a figure. Code, ``{{ typed:... }}`` words, the
figures themselves and what generated blocks write (data-file text) are
left out. The error still names the page's line: the figure's words are
searched for in the page's source.
"""

from __future__ import annotations

import html
import re
import unicodedata

from .formatting import typed_forms

# Between two pieces of text a reader does not read as one (two paragraphs,
# two table cells, text and a figure): no hand-typed figure spans it.
BARRIER = "\x00"
# Invisible characters that can sit inside a typed figure.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

# Elements whose text flows on with its neighbours'; any other element is a block of its own.
INLINE = frozenset("a abbr b bdi bdo cite data del dfn em i ins mark q s small span strong sub sup time u var wbr".split())
# Elements read as written, not prose (exempt, as code always was).
LITERAL = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
# Attributes a reader gets as text (alt text is read aloud; titles show on hover).
READ_ATTRIBUTES = ("alt", "title")

# Python-Markdown's placeholders: raw HTML it set aside, and backslash escapes.
STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")
ESCAPE = re.compile("\x02(\\d+)\x03")
TOKEN = re.compile("\x02fig:\\d+\x03")
# In raw HTML: literal elements and comments are exempt; inline tags join text, others separate it.
HTML_LITERAL = re.compile(r"<!--.*?-->|<(code|pre|kbd|samp|script|style)\b.*?</\1\s*>", re.S | re.I)
HTML_TAG = re.compile(r"</?([A-Za-z][\w-]*)[^>]*>")


def normalise(text: str) -> str:
    """Text as a reader compares it: one form of each character, one kind of space, no capitals."""
    if text.isascii():  # most pages: nothing for NFKC to do, and casefold() is lower()
        return " ".join(text.split()).lower()
    return " ".join(unicodedata.normalize("NFKC", text).translate(INVISIBLE).split()).casefold()


def typed_figure_pattern(facts) -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """One regex for every hand-typed form of every figure, longest first,
    and for each normalised form: the form as written and its figure's key."""
    owner: dict[str, tuple[str, str]] = {}
    for figure in facts.figures.values():
        for form in typed_forms(figure):
            owner.setdefault(normalise(form), (form, figure.id))
    forms = sorted(owner, key=len, reverse=True)
    alternation = "|".join(re.escape(form) for form in forms) or r"(?!x)x"
    # Ruling a position out by its first character first makes the scan
    # of every page about twice as fast.
    first = re.escape("".join(sorted({form[0] for form in forms}))) or "x"
    return re.compile(rf"(?<![\w.,])(?=[{first}])(?:{alternation})(?![\w]|[.,]\d)"), owner


# --- The page as the reader sees it ----------------------------------------------

def reader_text(root, stash: list, stash_floor: int) -> str:
    """The page's visible text, normalised, with BARRIER between separate pieces."""
    parts: list[str] = []
    _collect(root, parts)
    text = "".join(parts)
    if "\x02" in text:
        text = TOKEN.sub(BARRIER, text)
        text = STASHED.sub(lambda m: _stashed_text(stash, int(m[1]), stash_floor), text)
        text = ESCAPE.sub(lambda m: chr(int(m[1])), text)
    return normalise(text)


def _collect(element, parts: list[str]) -> None:
    if element.tag in LITERAL:
        parts.append(BARRIER)
        return
    if element.tag == "br":  # a line break: the words go on, on the next line
        parts.append(" ")
        return
    block = element.tag not in INLINE
    if block:
        parts.append(BARRIER)
    for name in READ_ATTRIBUTES:
        if name in element.attrib:
            parts += (BARRIER, element.attrib[name], BARRIER)
    if element.text:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(BARRIER)


def _stashed_text(stash: list, index: int, floor: int) -> str:
    """The text of a piece of raw HTML the page wrote; code blocks and charts (stashed first) are exempt."""
    if index < floor or index >= len(stash) or not isinstance(stash[index], str):
        return BARRIER
    piece = HTML_LITERAL.sub(BARRIER, stash[index])

    def tag(match):
        name = match[1].lower()
        return "" if name in INLINE else " " if name == "br" else BARRIER
    return html.unescape(HTML_TAG.sub(tag, piece))


# --- Finding the words in the page's source ---------------------------------------

# What the source has that the reader does not see: references, code spans,
# comments, link targets, attribute lists; tags are dropped.
_NOT_READ = re.compile(
    r"(?<!\\)\{\{[^{}]*\}\}|\\\{\{[^{}]*\}\}|(`+).+?\1|<!--.*?-->|\]\([^)]*\)|\{:?\s*[#.][^}]*\}|</?[A-Za-z][^>]*>")
_WORD = re.compile(r"\w+")


def visible_source(lines: list[str]) -> str:
    """``lines`` with what a reader does not see blanked out, normalised like the
    reader's text but keeping every line break, so a match's line can be counted."""
    text = "\n".join(lines)
    text = html.unescape(_NOT_READ.sub(lambda m: " " + "\n" * m.group(0).count("\n"), text))
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(INVISIBLE)
    return text.casefold()


def find_words(visible: str, form: str) -> int | None:
    """The line where the words of ``form`` stand one after another in ``visible``
    (anything but a word between them: spaces, line breaks, markup)."""
    words = _WORD.findall(form)
    found = re.search(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)", visible)
    return visible.count("\n", 0, found.start()) + 1 if found else None


def first_typed_figure(page, root) -> tuple[str, str, int | None, bool] | None:
    """The first figure typed by hand in the page, if any: (form, key, line, exact).

    ``line`` counts the lines Markdown saw (``page.lines``); ``exact`` is
    False when the words were not found one after another in the source
    (markup splits them), so the line is only the first with its first word.
    Matches found only in what generated blocks wrote are data-file text.
    """
    facts = page.facts
    pattern, owner = facts.remember("typed_pattern", lambda: typed_figure_pattern(facts))
    text = reader_text(root, page.md.htmlStash.rawHtmlBlocks, page.stash_floor)
    source = generated = None
    for match in pattern.finditer(text):
        found = match.group(0)
        form, key = owner[found]
        source = source if source is not None else visible_source(page.lines)
        line = find_words(source, found)
        if line is not None:
            return form, key, line, True
        generated = generated if generated is not None else visible_source(page.generated)
        if find_words(generated, found) is not None:
            continue
        return form, key, find_words(source, _WORD.findall(found)[0]), False
    return None
