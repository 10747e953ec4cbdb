"""Check every link in the built site, offline: pages, anchors, images, assets.

Why our own: MkDocs' validation never sees links in templates or in raw HTML;
mkdocs-htmlproofer-plugin skips 404.html and blames a template's broken link
on every page; linkchecker cannot check anchors on ``page/`` URLs. This reads
the finished HTML instead, so it sees exactly what a reader gets.

It also refuses every ``javascript:``, ``vbscript:`` and ``data:`` URL in an
attribute a browser follows or loads (``href``, ``src``, ``srcset``,
``action``, ``formaction``, ``poster``, ``xlink:href``, a refresh's ``url=``,
...), read the way a browser reads it: entities decoded, tabs and newlines
dropped, surrounding spaces and control characters ignored, any case. The
site needs none: Material writes one (``javascript:void(0)`` on the search
"share" button) only with the ``search.share`` feature, which is off, and
``tests/test_site_checks.py`` shows the check naming that template if it is
turned on. A planted one, from a page, the data file or a template, fails.

For each problem it names the built file, the target, and where the link
was written: the Markdown page or the data file (with the line, when the
text is found there), or the ``overrides/`` template (once, with the number
of pages it breaks).

A folder the build did not make at all can be named with ``--unbuilt``
(the pipeline names ``handouts`` when no Chromium printed them): while that
folder is absent, links into it are counted and reported as not checked,
not failed; once it exists, every link into it is checked like any other.

Usage: ``python -m distill_site.checks.links site [--config mkdocs.yml] [--unbuilt FOLDER]``
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..site_config import read_site_config
from . import built_site

# Attributes that hold a URL the browser will follow or fetch.
URL_ATTRIBUTES = {
    ("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
    ("source", "src"), ("video", "src"), ("audio", "src"), ("iframe", "src"),
    ("use", "href"), ("image", "href"), ("form", "action"),
}
SKIPPED_SCHEMES = ("mailto", "tel")
# Schemes that run code or smuggle content in a URL: never on this site.
DANGEROUS_SCHEMES = ("javascript", "vbscript", "data")
# Every attribute (on any element; "xlink:href" is read as "href") whose value
# a browser follows, loads or hands to a loader. data-src: our lazy loader
# (overrides/partials/lazy-bundle.html) loads the script it names.
URL_VALUED = {
    "href", "src", "action", "formaction", "poster", "background", "cite", "longdesc",
    "manifest", "codebase", "data", "archive", "icon", "lowsrc", "dynsrc", "usemap",
    "profile", "classid", "data-src",
}
URL_LISTS = {"ping": None, "values": ";", "to": None, "from": None}
REFRESH_URL = re.compile(r"^\s*\d*[.\d]*\s*[;,]?\s*(?:url\s*=\s*)?(?P<url>.*)$", re.I | re.S)
# What a URL parser skips before it reads the scheme (WHATWG URL standard).
_EDGES = "".join(chr(c) for c in range(0x21))
_TABS_AND_NEWLINES = re.compile(r"[\t\n\r]")
_SRCSET_URL = re.compile(r"[\s,]*(\S*)")


def scheme_as_read(url: str) -> str:
    """The scheme a browser sees in ``url`` (already entity-decoded), lower case, or ""."""
    cleaned = _TABS_AND_NEWLINES.sub("", url).strip(_EDGES)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match[1].lower() if match else ""


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset, parsed as browsers do: a URL runs to the next
    whitespace (so a data: URL keeps its commas), then descriptors to a comma."""
    urls, position = [], 0
    while position < len(value):
        match = _SRCSET_URL.match(value, position)
        url = match[1]
        position = match.end()
        if not url:
            break
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            position = value.find(",", position)
            position = len(value) if position < 0 else position + 1
        urls.append(url)
    return urls


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, int]] = []  # (tag, url, line)
        self.dangerous: list[tuple[str, str, int]] = []  # (attribute, url, line)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        attrs = [(name, value) for name, value in attrs if value is not None]
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in URL_ATTRIBUTES or (tag, name.split(":")[-1]) in URL_ATTRIBUTES:
                self.links.append((tag, value, line))
            elif tag in ("img", "source") and name == "srcset":
                self.links.extend((tag, url, line) for url in srcset_urls(value))
        for name, url in _urls_in(tag, attrs):
            if scheme_as_read(url) in DANGEROUS_SCHEMES:
                self.dangerous.append((name, url, line))

    handle_startendtag = handle_starttag


def _urls_in(tag: str, attrs: list[tuple[str, str]]):
    """(attribute, URL) for every URL a start tag carries."""
    values = dict(attrs)
    for name, value in attrs:
        bare = name.split(":")[-1]
        if bare in URL_VALUED:
            yield name, value
        elif bare in ("srcset", "imagesrcset"):
            yield from ((name, url) for url in srcset_urls(value))
        elif bare in URL_LISTS:
            separator = URL_LISTS[bare]
            for candidate in value.split(separator) if separator else value.split():
                candidate = candidate.strip()
                if candidate:
                    yield name, candidate
    if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
        match = REFRESH_URL.match(values.get("content") or "")
        if match and match["url"].strip():
            yield "content (refresh)", match["url"].strip().strip("'\"")


@dataclass(frozen=True)
class Problem:
    page: str  # built file, relative to the site folder
    url: str
    reason: str
    target: str = ""  # the target's path within the site, when it has one
    kind: str = "broken link"
    line: int = 0  # in the built file, when known


class Site:
    def __init__(self, root: Path, base_path: str):
        self.root = root
        self.base_path = base_path  # site_url's path, e.g. "/explainer/"
        self._parsed: dict[Path, _PageParser] = {}

    def parse(self, path: Path) -> _PageParser:
        if path not in self._parsed:
            parser = _PageParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            self._parsed[path] = parser
        return self._parsed[path]

    def resolve(self, page: Path, path: str) -> Path | None:
        """The file a URL path points to, or None if it leads outside the site."""
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return None
            target = self.root / path[len(self.base_path):]
        else:
            target = page.parent / path
        target = Path(_normalise(target))
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target

    def check_page(self, page: Path) -> list[Problem]:
        problems = []
        name = page.relative_to(self.root).as_posix()
        parsed = self.parse(page)
        for attribute, url, line in parsed.dangerous:
            scheme = scheme_as_read(url)
            problems.append(Problem(name, url, f"a {scheme}: URL in {attribute}, which can run code or hide "
                                    f"content; link to a page or a file of the site instead",
                                    kind="unsafe link", line=line))
        for tag, url, _line in parsed.links:
            if scheme_as_read(url) in DANGEROUS_SCHEMES:
                continue  # reported above
            reason = self.check_link(page, url)
            if reason:
                problems.append(Problem(name, url, reason, self.site_path(page, url)))
        return problems

    def site_path(self, page: Path, url: str) -> str:
        """'gone/' for any spelling of a link to <site>/gone/ (relative or absolute)."""
        path = unquote(urlsplit(url).path)
        if not path:
            return ""
        if path.startswith(self.base_path):
            return path[len(self.base_path):]
        if path.startswith("/"):
            return ""
        resolved = _normalise(page.parent / path)
        try:
            inside = Path(resolved).relative_to(_normalise(self.root)).as_posix()
        except ValueError:
            return ""
        return inside + ("/" if path.endswith("/") else "")

    def check_link(self, page: Path, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme in SKIPPED_SCHEMES or (parts.scheme and parts.scheme not in ("http", "https")):
            return None
        if parts.scheme or parts.netloc:
            return None  # external: `make check-external` checks these, online
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if not path:
            target = page
        else:
            target = self.resolve(page, path)
            if target is None:
                return f"points outside the site (not under {self.base_path})"
            if not target.is_file():
                return f"missing file {_shown(target, self.root)}"
        if fragment and target.suffix == ".html" and fragment not in self.parse(target).ids:
            return f"no element with id '{fragment}' in {_shown(target, self.root)}"
        return None


def _normalise(path: Path) -> str:
    import os.path
    return os.path.normpath(path)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def site_url_from_config(config: Path) -> str:
    """``site_url`` from mkdocs.yml, as the build sees it (its !ENV resolved; "" if none)."""
    if not config.is_file():
        return ""
    return str(read_site_config(config).get("site_url") or "")


def base_path_from_config(config: Path) -> str:
    """The path part of ``site_url`` in mkdocs.yml ("/" if none)."""
    path = urlsplit(site_url_from_config(config)).path or "/"
    return path if path.endswith("/") else path + "/"


def find_origin(page: str, url: str, target: str, docs: Path, overrides: Path,
                data: Path | None = None) -> str:
    """Where a link was written: the page's Markdown, a template or the data file.

    The page's own Markdown is searched first (with the line, when the link
    is written there as built, as raw HTML is), then the templates, which
    write their links through filters (``{{ 'x/' | url }}``) and so are
    searched for the target's path within the site, not the built URL, then
    the data file. Without a match, the page's Markdown, without a line.
    """
    needles = [n for n in (url, target, _payload(url)) if n and n not in ("/", "./", ".")]
    markdown = _markdown_of(page, docs)
    if markdown and (line := _line_of(markdown, needles)):
        return f"{markdown.as_posix()}:{line}"
    for template in sorted(overrides.rglob("*.html")) if overrides.is_dir() else []:
        if line := _line_of(template, needles):
            return f"{template.as_posix()}:{line}"
    if data and data.is_file() and (line := _line_of(data, needles)):
        return f"{data.as_posix()}:{line}"
    if markdown:
        return markdown.as_posix()
    return f"a theme template (no Markdown page builds {page})"


def _markdown_of(page: str, docs: Path) -> Path | None:
    stem = page[: -len("index.html")].rstrip("/") if page.endswith("index.html") else page[:-5]
    for candidate in (f"{stem}.md", f"{stem}/index.md", "index.md" if not stem else None):
        if candidate and (docs / candidate).is_file():
            return docs / candidate
    return None


def _payload(url: str) -> str:
    """What follows a dangerous scheme, to find a URL written with entities or tabs."""
    if scheme_as_read(url) not in DANGEROUS_SCHEMES:
        return ""
    payload = url.split(":", 1)[1].strip()
    return payload if len(payload) >= 6 else ""


def _line_of(path: Path, needles: list[str]) -> int | None:
    """The first line of ``path`` holding one of ``needles``, or None."""
    text = path.read_text(encoding="utf-8", errors="replace")
    for needle in needles:
        index = text.find(needle)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None


def check_site(root: Path, base_path: str = "/") -> list[Problem]:
    site = Site(root, base_path)
    problems = []
    for page in sorted(root.rglob("*.html")):
        problems.extend(site.check_page(page))
    return problems


def into_unbuilt(problem: Problem, site: Path, folders: list[str]) -> bool:
    """A link to a file in a folder this build did not make (and says so)."""
    return problem.kind == "broken link" and problem.reason.startswith("missing file") and any(
        problem.target.startswith(folder.strip("/") + "/") and not (site / folder.strip("/")).exists()
        for folder in folders)


def report(problems: list[Problem], docs: Path, overrides: Path, data: Path | None = None) -> list[str]:
    """One line per broken link; a template's link once, with its page count."""
    grouped: dict[tuple[str, str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        origin = find_origin(problem.page, problem.url, problem.target, docs, overrides, data)
        grouped[(origin, problem.target or problem.url, problem.reason, problem.kind)].append(problem)
    lines = []
    for (origin, _target, reason, kind), seen in sorted(grouped.items()):
        first = seen[0].page + (f":{seen[0].line}" if seen[0].line else "")
        where = first + (f" and {len(seen) - 1} more page(s)" if len(seen) > 1 else "")
        shown = seen[0].url.translate({9: "\\t", 10: "\\n", 13: "\\r"})
        lines.append(f"{origin}: {kind} '{shown}' ({reason}; seen in site/{where})")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    parser.add_argument("--overrides", type=Path, default=Path("overrides"))
    parser.add_argument("--data", type=Path, default=Path("data/figures.yml"))
    parser.add_argument("--unbuilt", action="append", default=[], metavar="FOLDER",
                        help="a folder this build did not make: links into it are not checked while it is absent")
    args = parser.parse_args(argv)
    if built_site.missing(args.site):
        return 2
    pages = list(args.site.rglob("*.html"))
    problems = check_site(args.site, base_path_from_config(args.config))
    unchecked = [problem for problem in problems if into_unbuilt(problem, args.site, args.unbuilt)]
    problems = [problem for problem in problems if problem not in unchecked]
    if unchecked:
        print(f"check_links: NOT CHECKED: {len(unchecked)} link(s) into {', '.join(args.unbuilt)}/, "
              "which this build did not make")
    for line in report(problems, args.docs, args.overrides, args.data):
        print(line, file=sys.stderr)
    if problems:
        print(f"check_links: {len(problems)} broken or unsafe link(s) in {len(pages)} pages", file=sys.stderr)
        return 1
    print(f"check_links: {len(pages)} pages, every link, anchor and asset found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
