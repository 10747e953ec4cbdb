"""Trim Material's stylesheets to the rules the built site can use.

Material ships one ``main.<hash>.min.css`` (137 KB, 23 KB gzipped) for every
feature it has: code highlighting, tabs, diagrams, versions, tags... This
site uses a fraction. Run after the build (``mkdocs build`` or Zensical's;
it reads only the finished site), it rewrites Material's ``main`` and
``palette`` stylesheets keeping a style rule when one of its selectors can
match:

- every class the selector needs occurs in the built HTML (``class``
  attributes of every page, ``404.html`` and redirect stubs included) or
  as a word in a string of Material's JavaScript (the bundle and the search
  worker add classes at run time: tooltips, search results, active states);
  ``:is(...)`` and ``:where(...)`` need one of their selectors to match;
  classes inside ``:not(.x)``, ``:has()`` and other functional
  pseudo-classes are not required, so such selectors are kept;
- in ``palette``, a ``[data-md-color-primary=X]`` or
  ``[data-md-color-accent=X]`` needs X among the values of those attributes
  in the HTML (the palette toggles carry every colour the site can show;
  Material's script copies them to ``<body>``).

Kept whole, always: rules without classes (``:root``, custom properties on
elements, element and attribute selectors), ``@font-face``, ``@keyframes``,
``@page`` and every other at-rule but ``@media`` / ``@supports`` /
``@container`` / ``@layer``, whose contents are trimmed the same way (and
the block dropped if nothing is left). A selector list is kept whole if one
of its selectors is kept, so a list the browser would reject stays rejected.

The trimmed file depends on the site, so it gets a name of its own
(``main.<sha256 of its text, 8 hex>.min.css``), the original and its source
map are removed, and every HTML file is rewritten to point at it: a cache
never serves a stale trimmed file under the old name.

Usage: ``python -m distill_site.tools.trim_css site``
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

TRIMMED = ("main", "palette")  # Material's stylesheets, by the first part of their name
NESTING = ("@media", "@supports", "@container", "@layer")
COLOR_ATTRIBUTES = ("data-md-color-primary", "data-md-color-accent")
_NAME = re.compile(r"^(?P<stem>[a-z]+)\.(?P<hash>[0-9a-f]{8})\.min\.css$")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_WORD = re.compile(r"-?[_a-zA-Z][\w-]*")
_JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`')
_COLOR_SELECTOR = re.compile(r"\[(data-md-color-(?:primary|accent))=[\"']?([\w-]+)[\"']?\]")


class TrimError(Exception):
    pass


# --- parsing ------------------------------------------------------------------------

@dataclass
class Rule:
    prelude: str  # selector list, or the at-rule with its condition
    body: str | list[Rule] | None  # declarations, nested rules, or None for `@import ...;`


def _skip_string(text: str, i: int) -> int:
    """Index just past the string that starts at text[i]."""
    quote, i = text[i], i + 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _scan(text: str, i: int, stops: str, opens: str = "([", closes: str = ")]") -> int:
    """Index of the first character in ``stops`` at depth 0, outside strings
    (``len(text)`` if none); ``opens`` and ``closes`` set the depth."""
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            i = _skip_string(text, i)
            continue
        if depth == 0 and ch in stops:
            return i
        if ch in opens:
            depth += 1
        elif ch in closes:
            depth -= 1
        i += 1
    return i


def _block_end(text: str, i: int) -> int:
    """Index of the ``}`` that closes the block whose ``{`` is at i - 1."""
    end = _scan(text, i, "}", opens="{", closes="}")
    if end >= len(text):
        raise TrimError("unbalanced braces in the stylesheet")
    return end


def strip_comments(css: str) -> str:
    out, i = [], 0
    while i < len(css):
        if css[i] in "\"'":
            end = _skip_string(css, i)
            out.append(css[i:end])
            i = end
        elif css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = len(css) if end < 0 else end + 2
        else:
            out.append(css[i])
            i += 1
    return "".join(out)


def parse(css: str) -> list[Rule]:
    rules, _ = _parse(css, 0)
    return rules


def _parse(text: str, i: int) -> tuple[list[Rule], int]:
    rules = []
    while i < len(text):
        j = _scan(text, i, "{;}")
        if j >= len(text):
            if text[i:].strip():
                raise TrimError(f"stylesheet ends inside a rule: {text[i:i + 60]!r}")
            return rules, j
        prelude = text[i:j].strip()
        if text[j] == "}":
            return rules, j + 1
        if text[j] == ";":
            if prelude:
                rules.append(Rule(prelude, None))
            i = j + 1
        elif prelude.startswith(NESTING):
            nested, i = _parse(text, j + 1)
            rules.append(Rule(prelude, nested))
        else:
            end = _block_end(text, j + 1)
            rules.append(Rule(prelude, text[j + 1:end]))
            i = end + 1
    return rules, i


def serialize(rules: list[Rule]) -> str:
    out = []
    for rule in rules:
        if rule.body is None:
            out.append(rule.prelude + ";")
        elif isinstance(rule.body, list):
            out.append(rule.prelude + "{" + serialize(rule.body) + "}")
        else:
            out.append(rule.prelude + "{" + rule.body + "}")
    return "".join(out)


# --- what the site uses -----------------------------------------------------------------

@dataclass
class Usage:
    classes: set[str]  # class names in the HTML and in Material's script strings
    colors: dict[str, set[str]]  # data-md-color-primary / -accent -> values in the HTML


class _Classes(HTMLParser):
    def __init__(self, usage: Usage):
        super().__init__(convert_charrefs=True)
        self.usage = usage

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "class":
                self.usage.classes.update(value.split())
            elif name in COLOR_ATTRIBUTES:
                self.usage.colors[name].add(value)


def site_usage(site: Path) -> Usage:
    usage = Usage(set(), {name: set() for name in COLOR_ATTRIBUTES})
    pages = sorted(site.rglob("*.html"))
    if not pages:
        raise TrimError(f"no HTML files in {site}: build the site first")
    for page in pages:
        parser = _Classes(usage)
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
    javascripts = site / "assets" / "javascripts"
    scripts = sorted(set(javascripts.rglob("bundle.*.js")) | set(javascripts.rglob("workers/*.js")))
    if not scripts:
        raise TrimError(f"no Material JavaScript under {site / 'assets/javascripts'}")
    for script in scripts:
        for string in _JS_STRING.finditer(script.read_text(encoding="utf-8")):
            usage.classes.update(_WORD.findall(string.group(0)[1:-1]))
    return usage


# --- trimming ------------------------------------------------------------------------

def split_selectors(prelude: str) -> list[str]:
    parts, start, i = [], 0, 0
    while True:
        j = _scan(prelude, i, ",")
        parts.append(prelude[start:j])
        if j >= len(prelude):
            return parts
        start = i = j + 1


_ANY_OF = (":is", ":where", ":matches", ":-webkit-any", ":-moz-any")


def _functions(selector: str, usage: Usage) -> tuple[str, bool]:
    """The selector with the arguments of its functional pseudo-classes taken
    out, and whether every :is() / :where() among them can match (one of its
    selectors can); :not(), :has() and the others require nothing."""
    out, ok, i = [], True, 0
    while i < len(selector):
        if selector[i] != "(":
            out.append(selector[i])
            i += 1
            continue
        start, depth = i + 1, 1
        i += 1
        while i < len(selector) and depth:
            if selector[i] in "\"'":
                i = _skip_string(selector, i)
                continue
            depth += {"(": 1, ")": -1}.get(selector[i], 0)
            i += 1
        name = re.search(r":[-\w]+$", "".join(out))
        if name and name.group(0) in _ANY_OF:
            ok = ok and any(can_match(inner, usage) for inner in split_selectors(selector[start:i - 1]))
        out.append("()")
    return "".join(out), ok


def can_match(selector: str, usage: Usage) -> bool:
    outer, ok = _functions(selector, usage)
    if not ok:
        return False
    for attribute, value in _COLOR_SELECTOR.findall(outer):
        if value not in usage.colors[attribute]:
            return False
    outer = re.sub(r"\[[^\]]*\]", "", outer)  # attribute values may contain dots
    return all(name in usage.classes for name in _CLASS.findall(outer))


def trim(rules: list[Rule], usage: Usage) -> list[Rule]:
    kept = []
    for rule in rules:
        if rule.body is None or (rule.prelude.startswith("@") and not isinstance(rule.body, list)):
            kept.append(rule)  # @import, @font-face, @keyframes, @page...
        elif isinstance(rule.body, list):
            inner = trim(rule.body, usage)
            if inner:
                kept.append(Rule(rule.prelude, inner))
        elif any(can_match(selector, usage) for selector in split_selectors(rule.prelude)):
            kept.append(rule)
    return kept


def trim_css(css: str, usage: Usage) -> str:
    text = strip_comments(css)
    rules = parse(text)
    if re.sub(r"\s+", "", serialize(rules)) != re.sub(r"\s+", "", text):
        raise TrimError("the stylesheet did not survive parsing unchanged; refusing to trim it")
    return serialize(trim(rules, usage))


# --- the site --------------------------------------------------------------------------

def material_stylesheets(site: Path) -> list[Path]:
    found = [path for path in sorted((site / "assets" / "stylesheets").rglob("*.min.css"))
             if (match := _NAME.match(path.name)) and match["stem"] in TRIMMED]
    if not any(path.name.startswith("main.") for path in found):
        raise TrimError(f"Material's main.<hash>.min.css is not under {site / 'assets/stylesheets'}")
    return found


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def trim_site(site: Path) -> list[str]:
    """Trim the stylesheets of a built site in place; a line per file, for the log."""
    usage = site_usage(site)
    pages = sorted(site.rglob("*.html"))
    report = []
    for path in material_stylesheets(site):
        original = path.read_bytes()
        trimmed = trim_css(original.decode("utf-8"), usage).encode("utf-8")
        stem = _NAME.match(path.name)["stem"]
        name = f"{stem}.{hashlib.sha256(trimmed).hexdigest()[:8]}.min.css"
        if name != path.name:
            path.with_name(name).write_bytes(trimmed)
            path.unlink()
            path.with_name(path.name + ".map").unlink(missing_ok=True)
            rewritten = 0
            for page in pages:
                html = page.read_text(encoding="utf-8")
                if path.name in html:
                    page.write_text(html.replace(path.name, name), encoding="utf-8")
                    rewritten += 1
        else:
            rewritten = 0  # already trimmed for this site
        report.append(f"{path.name} -> {name}: {len(original):,} -> {len(trimmed):,} bytes, "
                      f"gzipped {gzipped(original):,} -> {gzipped(trimmed):,}; {rewritten} pages rewritten")
    return report


def own_stylesheets(site: Path) -> list[Path]:
    """The site's own stylesheets (overrides/assets/stylesheets): every .css file there but Material's."""
    return [path for path in sorted((site / "assets" / "stylesheets").glob("*.css"))
            if not path.name.endswith(".min.css")]


def compact(css: str) -> str:
    """Our CSS as a browser needs it: the comments (which explain it in overrides/) and the
    indentation left out; a rule per line still, so a browser's messages stay readable."""
    lines = (line.strip() for line in strip_comments(css).splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def compact_site(site: Path) -> list[str]:
    report = []
    for path in own_stylesheets(site):
        original = path.read_bytes()
        compacted = compact(original.decode("utf-8")).encode("utf-8")
        if compacted != original:
            path.write_bytes(compacted)
            report.append(f"{path.name}: {len(original):,} -> {len(compacted):,} bytes (comments left in overrides/)")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    args = parser.parse_args(argv)
    try:
        for line in trim_site(args.site) + compact_site(args.site):
            print(f"trim_css: {line}")
    except TrimError as error:
        print(f"trim_css: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
