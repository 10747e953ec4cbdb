"""Give each link to another page of the site its published address, for print.

On paper a link needs its address after the text, and
``overrides/assets/stylesheets/print.css`` prints it, but a link to another
page of the site has a relative ``href`` (``../numbers/``), which means
nothing on paper and which CSS cannot make absolute. After the build, this
writes the absolute address (from ``site_url``) on every such link in a
page's text, as ``data-print-href``; the print stylesheet shows that.

Left alone: links to other sites (their ``href`` is already their address),
links within the same page, the figures' links to the numbers page
(``class="fig"``: dozens a chapter, whose words are what matters; the numbers
page is named at the foot of the handout's cite box anyway) and the sources'
links to the Sources page (``class="source"``: the words say what the source
is). Only links in
the article, the part of a page that prints. Like trim_css it runs after the
build (``make build``, the tests' build); ``mkdocs serve`` leaves links as
they are, which only a printout from the preview would show.

Usage: ``python -m distill_site.tools.print_addresses site [--config mkdocs.yml]``
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ..checks import built_site
from ..site_config import read_site_config

ATTRIBUTE = "data-print-href"
NEWLINE = re.compile("\n")


class _Links(HTMLParser):
    """Where each ``<a href>`` of the article starts, with its href and classes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[tuple[int, int], int, str, str]] = []
        self._article = 0

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self._article += 1
        elif tag == "a" and self._article:
            values = dict(attrs)
            if values.get("href") and ATTRIBUTE not in values:
                # Written last in the tag, so the tag still starts as it did (<a href=...).
                end = len(self.get_starttag_text()) - 1
                self.links.append((self.getpos(), end, values["href"], values.get("class") or ""))

    def handle_endtag(self, tag):
        if tag == "article" and self._article:
            self._article -= 1


def print_address(href: str, classes: str, page_url: str) -> str | None:
    """The address to print after a link on the page at ``page_url``, or None."""
    if {"fig", "source", "headerlink"} & set(classes.split()):
        return None
    if urlsplit(href).scheme or href.startswith(("//", "#")):
        return None  # another site (printed from its href), or this page
    target = urljoin(page_url, href)
    if target.split("#")[0] == page_url.split("#")[0]:
        return None
    return target


def annotate(text: str, page_url: str) -> str:
    parser = _Links()
    parser.feed(text)
    parser.close()
    # Where each line starts, counted as the parser counts lines (at "\n" only).
    starts = [0] + [match.end() for match in NEWLINE.finditer(text)]
    inserts = []
    for (line, column), end, href, classes in parser.links:
        address = print_address(href, classes, page_url)
        if address:
            at = starts[line - 1] + column + end
            inserts.append((at, f' {ATTRIBUTE}="{html.escape(address)}"'))
    for at, attribute in reversed(inserts):
        text = text[:at] + attribute + text[at:]
    return text


def annotate_site(site: Path, site_url: str) -> int:
    """Annotate every page of ``site``; the number of pages changed."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    changed = 0
    for page in sorted(site.rglob("*.html")):
        folder = page.parent.relative_to(site).as_posix()
        address = base + ("" if folder == "." else folder + "/")
        if page.name != "index.html":
            address += page.name
        text = page.read_text(encoding="utf-8")
        annotated = annotate(text, address)
        if annotated != text:
            page.write_text(annotated, encoding="utf-8")
            changed += 1
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    if built_site.missing(args.site):
        return 2
    site_url = read_site_config(args.config).get("site_url")
    if not site_url:
        print("print_addresses: no site_url in the configuration: links to other pages print without an address")
        return 0
    print(f"print_addresses: {annotate_site(args.site, site_url)} pages with the addresses of their links "
          "to other pages, for print")
    return 0


if __name__ == "__main__":
    sys.exit(main())
