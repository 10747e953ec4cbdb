"""No page can make a reader's browser ask another host for anything.

The site promises (README, HOSTING.md) that its pages load from their own
host alone: no fonts, no CDN, no analytics. A page breaks that promise
either by naming another host in what the browser fetches by itself, or by
containing what Material's bundle answers with a download from a CDN or an
API. Read from Material 9.8's bundle, the second kind is:

- an element with class ``mermaid`` (a ``pre.mermaid`` diagram): the bundle
  loads ``https://unpkg.com/mermaid@11/dist/mermaid.min.js``;
- an element with ``data-md-component="source"`` (Material's repository
  link, from ``repo_url``): the bundle asks ``api.github.com`` (or the GitLab
  host) for stars and version (our ``overrides/partials/source.html`` drops
  the attribute and keeps the link);
- an inline script naming another host (``extra.analytics`` writes one that
  loads Google's tag manager; the consent banner goes with it).

(The bundle's third download, a ResizeObserver polyfill from unpkg.com on
browsers without ResizeObserver, depends on the browser, not the page: the
loader, overrides/partials/lazy-bundle.html, does not load the bundle on
such a browser.)

So this reads every built page and fails on any of those, and on any URL
with a host (``https://...``, ``//...``) in what a browser fetches without
a click: ``src``, ``srcset``, ``poster``, ``data`` of an object, stylesheets,
icons, preloads, preconnects and manifests in ``<link>``, ``ping``, SVG
``<use>``/``<image>``, our loader's ``data-src``, and ``url()``/``@import``
in style attributes, ``<style>`` and every CSS file of the site. Links a
reader follows (``<a href>``) and addresses that are only text
(``rel=canonical``, ``og:url``) may name other hosts.

Usage: ``python -m distill_site.checks.third_party site``
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import SiteError
from .links import srcset_urls
from . import built_site

# Attributes whose URL the browser fetches without a click, on any element.
FETCHED = {"src", "poster", "data-src", "background", "lowsrc", "dynsrc", "codebase", "archive"}
FETCHED_ON = {("object", "data"), ("embed", "src"), ("use", "href"), ("image", "href"),
              ("feimage", "href"), ("script", "href")}
FETCHED_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload",
                "prefetch", "modulepreload", "preconnect", "dns-prefetch", "prerender", "manifest",
                "pingback"}
WITH_HOST = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//", re.S)
SCRIPT_HOST = re.compile(r"https?://[^\s\"'`)]+|[\"'`]//[\w.-]+\.[A-Za-z]{2,}[^\s\"'`]*")
CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:\"([^\"]*)\"|'([^']*)')",
                     re.I)


@dataclass(frozen=True)
class Request:
    file: str  # relative to the site folder
    line: int
    what: str  # what would be requested, and why
    fix: str


def has_host(url: str) -> bool:
    """True for an absolute or protocol-relative URL: one that names a host."""
    scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme and scheme[1].lower() not in ("http", "https"):
        return False  # data:, mailto: ... (check_links refuses the dangerous ones)
    return bool(WITH_HOST.match(url))


def css_requests(css: str) -> list[tuple[int, str]]:
    """(line, URL) of each url() or @import in CSS that names another host."""
    found = []
    for match in CSS_URL.finditer(css):
        url = next(group for group in match.groups() if group is not None) if any(
            g is not None for g in match.groups()) else ""
        if has_host(url):
            found.append((css.count("\n", 0, match.start()) + 1, url))
    return found


class _PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []  # (line, what, fix)
        self._inline: str | None = None  # "script" or "style" while inside one without src

    def _add(self, what: str, fix: str):
        self.found.append((self.getpos()[0], what, fix))

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        if "mermaid" in classes:
            self._add(f"<{tag} class=\"mermaid\">: Material's bundle loads mermaid from unpkg.com for it",
                      "draw the diagram as an SVG chart or an image of the site; no mermaid blocks")
        if values.get("data-md-component") == "source":
            self._add(f"<{tag} data-md-component=\"source\"> (repo_url): Material's bundle asks "
                      f"api.github.com or the GitLab host for stars and version",
                      "keep overrides/partials/source.html, Material's partial without that attribute")
        rels = set(values.get("rel", "").lower().split())
        for name, value in values.items():
            bare = name.split(":")[-1]
            urls = []
            if bare in FETCHED or (tag, bare) in FETCHED_ON:
                urls = [value]
            elif bare in ("srcset", "imagesrcset"):
                urls = srcset_urls(value)
            elif bare == "ping":
                urls = value.split()
            elif tag == "link" and bare == "href" and rels & FETCHED_RELS:
                urls = [value]
            elif bare == "style":
                urls = [url for _, url in css_requests(value)]
            for url in urls:
                if has_host(url):
                    shown = f"url({url})" if bare == "style" else url
                    self._add(f"<{tag} {name}=\"{shown}\">: the browser requests it from another host by itself",
                              "copy the file into docs/ (or overrides/) and refer to it by a relative path")
        if tag in ("script", "style") and "src" not in values:
            self._inline = tag

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._inline = None

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._inline = None

    def handle_data(self, data):
        if self._inline == "script":
            for match in SCRIPT_HOST.finditer(data):
                line = self.getpos()[0] + data.count("\n", 0, match.start())
                self.found.append((line, f"an inline script names {match[0]!r}: it can load from "
                                         f"another host (analytics, a tag manager, an embed)",
                                   "remove it (extra.analytics, extra.consent, a template's script)"))
        elif self._inline == "style":
            for line, url in css_requests(data):
                self.found.append((self.getpos()[0] + line - 1, f"<style> loads {url!r} from another host",
                                   "serve the file from the site and refer to it by a relative path"))


def check_page(html: str) -> list[tuple[int, str, str]]:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.found


def check_site(root: Path) -> list[Request]:
    problems = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        if path.suffix in (".html", ".htm"):
            found = check_page(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".css":
            found = [(line, f"url({url}) in a stylesheet: fetched from another host",
                      "serve the file from the site and refer to it by a relative path")
                     for line, url in css_requests(path.read_text(encoding="utf-8", errors="replace"))]
        else:
            continue
        problems.extend(Request(name, line, what, fix) for line, what, fix in found)
    return problems


def describe(problem: Request, site_name: str = "site") -> str:
    return str(SiteError(f"{site_name}/{problem.file}", problem.line, problem.what, problem.fix))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    args = parser.parse_args(argv)
    if built_site.missing(args.site):
        return 2
    problems = check_site(args.site)
    site = args.site.as_posix().rstrip("/")
    for problem in problems:
        print(describe(problem, site), file=sys.stderr)
    pages = len(list(args.site.rglob("*.html")))
    if problems:
        print(f"check_third_party: {len(problems)} request(s) to another host possible", file=sys.stderr)
        return 1
    print(f"check_third_party: {pages} pages and their CSS ask no other host")
    return 0


if __name__ == "__main__":
    sys.exit(main())
