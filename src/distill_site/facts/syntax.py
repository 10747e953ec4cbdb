r"""The one syntax pages use to reach the data, parsed in one place.

    {{ fig:key }}                          the figure, with its qualifier
    {{ fig:key | full }}                   a format variant ("28,800,000")
    {{ fig:key | bare }}                   without the qualifier ("more than")
    {{ fig:key | full bare }}              both; works inside table cells too
    {{ block:numbers }}                    a generated block, alone on its line
    {{ block:worksheet some-chapter }}     a block that takes one word (which chapter)
    {{ source:s1-feature }}                a source: introduced on its first use on a page, named after
    {{ typed:six weeks }}                  words that look like a figure, on purpose
    `{{ fig:key }}`                        in code: the syntax itself, as written

(A ``\{{`` escape in prose would publish the braces, which the check of
the built site refuses: the syntax is shown in code.) Front matter, the
``---`` block at the top of a page, is found here too.

Double braces never occur in ordinary prose, and the words inside say
what they do, so the raw Markdown stays readable.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import yaml

from .formatting import VARIANTS

# Any {{ ... }} not preceded by a backslash.
REFERENCE = re.compile(r"(?<!\\)\{\{\s*(?P<body>[^{}]*?)\s*\}\}")
# The page scan, in one pass: an escaped reference (left as written), a
# reference, or braces that belong to no whole reference - an unclosed or
# nested "{{", a "}}" that closes nothing, a "{ fig:" with one brace - which
# would otherwise be published as typed. Every case starts at one of three
# characters, matched first so the scan skips to them (about six times faster, measured).
SCAN = re.compile(r"""
    [\\{}]
    (?:
        (?<=\\) \{\{ [^{}]* \}\}                           # \{{ ... }}: shown as written
      | (?<=\{) (?<!\\\{) \{ \s* (?P<body>[^{}]*?) \s* \}\}     # {{ body }}
      | (?<=\{) (?<!\\\{) (?P<open>\{)                       # a '{{' that opens no whole reference
      | (?<=\}) (?P<close>\})                               # a '}}' that closes none
      | (?<=\{) (?<![{\\]\{) (?P<single>[ \t]*fig:)           # '{ fig:', one brace
    )""", re.X)
# What is wrong with each kind of stray brace, and what to do.
STRAY = {
    "open": ("this '{{' opens no whole reference (unclosed, nested, or closed with one brace)",
             "write {{ fig:key }}, two braces each side and none inside; to show the braces, write \\{{"),
    "close": ("this '}}' closes no reference",
              "write {{ fig:key }}, two braces each side and none inside"),
    "single": ("this reference has one brace where it needs two",
               "write {{ fig:key }}, two braces each side"),
}


def stray_kind(match: re.Match) -> str | None:
    """Which STRAY a SCAN match is, or None for a reference or an escaped one."""
    return next((kind for kind in STRAY if match[kind] is not None), None)


# The bar before options is optional. Inside a Markdown table it cannot split
# the cell: the preprocessor puts a token in place of the whole reference first.
FIGURE = re.compile(r"fig:(?P<key>[A-Za-z0-9_]+)(?:\s*\|)?\s*(?P<options>[A-Za-z ]*)")
TYPED = re.compile(r"typed:\s*(?P<text>.+)")
BLOCK = re.compile(r"block:(?P<name>[a-z0-9-]+)(?:\s+(?P<argument>[a-z0-9-]+))?")
SOURCE = re.compile(r"source:\s*(?P<id>\S+)")
LINK_OPTIONS = ("bare", "nolink")


@dataclass(frozen=True)
class SourceRef:
    """A ``{{ source:id }}``: how its words read depends on where it is on the page."""
    id: str


def parse_source(body: str, sources: dict) -> SourceRef:
    """Parse the inside of ``{{ source:... }}``; ValueError says what is wrong."""
    ident = SOURCE.fullmatch(body)["id"]
    if ident not in sources:
        raise ValueError(f"unknown source '{ident}'; close ids: {', '.join(_close_keys(ident, sources)) or 'none'}")
    return SourceRef(ident)


@dataclass(frozen=True)
class FigureRef:
    key: str
    variant: str | None
    qualified: bool
    linked: bool


def parse_figure(body: str, figures: dict) -> FigureRef:
    """Parse the inside of ``{{ fig:... }}``; ValueError says what is wrong."""
    match = FIGURE.fullmatch(body)
    if not match:
        raise ValueError(f"'{{{{ {body} }}}}' is not a figure reference; write {{{{ fig:key }}}}")
    key = match["key"]
    if key not in figures:
        raise ValueError(f"unknown figure '{key}'; close keys: {', '.join(_close_keys(key, figures)) or 'none'}")
    words = (match["options"] or "").split()
    variants = [w for w in words if w not in LINK_OPTIONS]
    allowed = VARIANTS[figures[key].kind]
    if len(variants) > 1 or (variants and variants[0] not in allowed):
        raise ValueError(f"figure '{key}' is a {figures[key].kind}: its formats are "
                         f"{', '.join(allowed)}, plus {', '.join(LINK_OPTIONS)}; got '{' '.join(words)}'")
    return FigureRef(key, variants[0] if variants else None, "bare" not in words, "nolink" not in words)


def _close_keys(key: str, figures: dict) -> list[str]:
    import difflib
    return difflib.get_close_matches(key, list(figures), n=3, cutoff=0.5)


def figure_keys_in(text: str) -> list[str]:
    """The figure keys referenced in ``text`` (valid or not)."""
    keys = []
    for match in REFERENCE.finditer(text):
        figure = FIGURE.fullmatch(match["body"])
        if figure:
            keys.append(figure["key"])
    return keys


def front_matter_length(lines: list[str]) -> int:
    """Lines of front matter (both ``---`` included; 0 if none), as MkDocs and Zensical find it."""
    if not lines or lines[0].strip() != "---":
        return 0
    for number, line in enumerate(lines[1:], 2):
        if line.strip() in ("---", "..."):
            return number
    return 0


def front_matter(text: str) -> dict:
    """The page's front matter as data ({} if none or not a mapping)."""
    lines = text.split("\n")
    length = front_matter_length(lines)
    data = yaml.safe_load("\n".join(lines[1:length - 1])) if length else None
    return data if isinstance(data, dict) else {}


def without_front_matter(text: str) -> str:
    """The page's Markdown without its front matter."""
    lines = text.split("\n")
    return "\n".join(lines[front_matter_length(lines):])


def template_fields(text: str) -> list[str]:
    """The {fields} a words text names, in order (the data file's as_of:, the words file's
    texts); ValueError on a brace that opens or closes no field."""
    return [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
