r"""No placeholder is ever published: a last look at every file of the built site.

The Markdown extension replaces every ``{{ fig:... }}``, ``{{ block:... }}``
and ``{{ typed:... }}`` and fails the build on a bad one. What it never sees
would still be published as written: a tool that does not run it, a title
or description in front matter, a template, a static file, a token of its
own (STX "fig:" n ETX) that something carried past it. So this reads every
file that text can land in (every HTML page with its ``<head>``,
``404.html``, ``sitemap.xml`` and its ``.gz``, ``search/search_index.json``,
``robots.txt``, any other XML, JSON, text or SVG file) and fails on:

- a reference, closed or not: ``{{ fig:key }}``, ``{{ fig:key``,
  ``{{fig:key}``, ``{ fig:key }``, ``fig:key }}`` (also ``block:``,
  ``typed:``), or any other ``{{ ... }}`` (a template expression that was
  never rendered);
- a control character STX or ETX: the extension's token, or one of
  Python-Markdown's own placeholders, left in the output.

Inside ``<code>`` and ``<pre>`` a reference stays as written on purpose:
that is how a page shows the syntax (data/README.md). The search index keeps
that markup, so it is read the same way. Anywhere else (text, attributes,
scripts, the head) it is a leftover. A ``\{{ fig:key }}`` escape in prose
comes out as the very same text as a leftover, so it is refused too: show
the syntax in backticks instead.

Not read: JavaScript, CSS and source maps (Material's bundles, where no text
of ours lands; its lunr helpers contain ``{{``), and binary files.

Usage: ``python -m distill_site.checks.placeholders site [--docs docs]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import SiteError
from . import built_site

KEYWORDS = r"(?:fig|block|typed)"
LEFTOVER = re.compile(
    r"\{\s*\{?\s*" + KEYWORDS + r"\s*:[^{}\n]{0,80}(?:\}\}?)?"  # {{ fig:x }}, {{ fig:x, {{fig:x}, { fig:x }
    r"|\b" + KEYWORDS + r"\s*:\s*[\w|, -]{0,80}\}\}"  # fig:x }} (opening braces lost)
    r"|\{\{[^{}\n]{0,200}\}\}"  # any other {{ ... }}
    r"|\x02[^\x02\x03\n]{0,40}\x03?|\x03",  # a token or a stash placeholder: STX ... ETX
    re.I,
)
TOKEN = re.compile(r"\x02[^\x02\x03\n]{0,40}\x03?|\x03")
CODE_ELEMENTS = {"code", "pre"}
SKIPPED_SUFFIXES = {
    ".js", ".mjs", ".css", ".map",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".pdf", ".zip", ".mp3", ".mp4", ".webm", ".wasm",
}
FIX = ("a reference the build did not replace: correct it where it is written{source}; "
       "to show the syntax itself, put it in backticks, where it stays as written")


@dataclass(frozen=True)
class Leftover:
    file: str  # relative to the site folder
    line: int
    text: str
    context: str = ""  # e.g. 'in an attribute', 'docs[3] (location "about/")'


def shown(text: str) -> str:
    return text.strip().replace("\x02", "\\x02").replace("\x03", "\\x03").replace("\n", " ")


def leftovers_in_text(text: str, first_line: int = 1, *, in_code: bool = False) -> list[tuple[int, str]]:
    """(line, text) of each leftover in plain text; in code, only control characters count."""
    pattern = TOKEN if in_code else LEFTOVER
    found = []
    for match in pattern.finditer(text):
        found.append((first_line + text.count("\n", 0, match.start()), match[0]))
    return found


class _HtmlReader(HTMLParser):
    """Leftovers in text and attributes, knowing which text is inside code."""

    def __init__(self, first_line: int = 1):
        super().__init__(convert_charrefs=True)
        self.lines_before = first_line - 1
        self.code_depth = 0
        self.found: list[tuple[int, str, str]] = []  # (line, text, context)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0] + self.lines_before
        for name, value in attrs:
            for _, text in leftovers_in_text(value or ""):
                self.found.append((line, text, f"in the {name} attribute of <{tag}>"))
        if tag in CODE_ELEMENTS:
            self.code_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in CODE_ELEMENTS:
            self.code_depth -= 1

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        line = self.getpos()[0] + self.lines_before
        for found_line, text in leftovers_in_text(data, line, in_code=self.code_depth > 0):
            self.found.append((found_line, text, ""))

    def handle_comment(self, data):
        self.handle_data(data)


def leftovers_in_html(html: str, first_line: int = 1) -> list[tuple[int, str, str]]:
    reader = _HtmlReader(first_line)
    reader.feed(html)
    reader.close()
    return reader.found


def _json_strings(value, path="$"):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(item, f"{path}.{key}")


def leftovers_in_json(raw: str) -> list[tuple[int, str, str]]:
    try:
        data = json.loads(raw)
    except ValueError:
        return [(line, text, "") for line, text in leftovers_in_text(raw)]
    locations = {}  # the search index: each entry's page and section
    if isinstance(data, dict) and isinstance(data.get("docs"), list):
        locations = {f"$.docs[{i}]": entry.get("location") for i, entry in enumerate(data["docs"])
                     if isinstance(entry, dict)}
    found = []
    for path, value in _json_strings(data):
        entry = path.rsplit(".", 1)[0]
        label = f'{path} (location "{locations[entry]}")' if locations.get(entry) is not None else path
        # The search index keeps each section's HTML: read it as HTML, code included.
        hits = leftovers_in_html(value) if "<" in value else [(1, t, "") for _, t in leftovers_in_text(value)]
        for _, text, context in hits:
            encoded = json.dumps(text)[1:-1]
            index = raw.find(encoded)
            line = raw.count("\n", 0, index) + 1 if index >= 0 else 1
            found.append((line, text, f"at {label}" + (f", {context}" if context else "")))
    return found


def read_text(path: Path) -> tuple[str, str] | None:
    """(text, kind) of a file text can land in, or None (code, binary)."""
    suffixes = [s.lower() for s in path.suffixes]
    data = path.read_bytes()
    if suffixes and suffixes[-1] == ".gz":
        try:
            data = gzip.decompress(data)
        except OSError:
            return None
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in SKIPPED_SUFFIXES:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    kind = "html" if suffix in (".html", ".htm") else "json" if suffix in (".json", ".webmanifest") else "text"
    return text, kind


def check_file(path: Path, root: Path) -> list[Leftover]:
    read = read_text(path)
    if read is None:
        return []
    text, kind = read
    if kind == "html":
        hits = leftovers_in_html(text)
    elif kind == "json":
        hits = leftovers_in_json(text)
    else:
        hits = [(line, found, "") for line, found in leftovers_in_text(text)]
    name = path.relative_to(root).as_posix()
    return [Leftover(name, line, found, context) for line, found, context in hits]


def check_site(root: Path) -> list[Leftover]:
    problems = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        problems.extend(check_file(path, root))
    return problems


def source_of(leftover: Leftover, docs: Path) -> str:
    """The Markdown page that holds the same text, with its line, if one does."""
    needle = leftover.text.strip()
    if not docs.is_dir() or len(needle) < 4 or TOKEN.search(needle):
        return ""
    for page in sorted(docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8", errors="replace")
        index = text.find(needle)
        if index >= 0:
            return f" ({page.as_posix()}:{text.count(chr(10), 0, index) + 1})"
    return ""


def describe(leftover: Leftover, site_name: str = "site", docs: Path | None = None) -> str:
    where = f"{site_name}/{leftover.file}"
    context = f" {leftover.context}" if leftover.context else ""
    problem = f"unreplaced placeholder '{shown(leftover.text)}'{context}"
    source = source_of(leftover, docs) if docs else ""
    return str(SiteError(where, leftover.line, problem, FIX.format(source=source)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    if built_site.missing(args.site):
        return 2
    files = [p for p in args.site.rglob("*") if p.is_file()]
    problems = check_site(args.site)
    for problem in problems:
        print(describe(problem, args.site.as_posix().rstrip("/"), args.docs), file=sys.stderr)
    if problems:
        print(f"check_placeholders: {len(problems)} unreplaced placeholder(s)", file=sys.stderr)
        return 1
    read = sum(1 for p in files if read_text(p) is not None)
    print(f"check_placeholders: {read} text files of {len(files)}, no placeholder left")
    return 0


if __name__ == "__main__":
    sys.exit(main())
