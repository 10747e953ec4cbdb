"""Check every link in the built site, offline: pages, anchors, images, assets.

Why our own: MkDocs' validation never sees links in templates or in raw HTML;
mkdocs-htmlproofer-plugin skips 404.html and blames a template's broken link
on every page; linkchecker cannot check anchors on ``page/`` URLs. This reads
the finished HTML instead, so it sees exactly what a reader gets.

For each broken link it names the built file, the target, and where the link
was written: the Markdown page, or the ``overrides/`` template (once, with
the number of pages it breaks).

Usage: ``python -m distill_site.check_links site [--config mkdocs.yml]``
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

# Attributes that hold a URL the browser will follow or fetch.
URL_ATTRIBUTES = {
    ("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
    ("source", "src"), ("video", "src"), ("audio", "src"), ("iframe", "src"),
    ("use", "href"), ("image", "href"), ("form", "action"),
}
SKIPPED_SCHEMES = ("mailto", "tel", "javascript", "data")


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, int]] = []  # (tag, url, line)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in URL_ATTRIBUTES or (tag, name.split(":")[-1]) in URL_ATTRIBUTES:
                self.links.append((tag, value, self.getpos()[0]))
            elif tag in ("img", "source") and name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.links.append((tag, candidate.split()[0], self.getpos()[0]))

    handle_startendtag = handle_starttag


@dataclass(frozen=True)
class Problem:
    page: str  # built file, relative to the site folder
    url: str
    reason: str
    target: str = ""  # the target's path within the site, when it has one


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
        for tag, url, _line in self.parse(page).links:
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
    """``site_url`` from mkdocs.yml ("" if none)."""
    try:
        text = config.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    # Material's config uses Python tags (!!python/name); only site_url is needed.
    for line in text.splitlines():
        if line.startswith("site_url:"):
            return str(yaml.safe_load(line.partition(":")[2]) or "")
    return ""


def base_path_from_config(config: Path) -> str:
    """The path part of ``site_url`` in mkdocs.yml ("/" if none)."""
    path = urlsplit(site_url_from_config(config)).path or "/"
    return path if path.endswith("/") else path + "/"


def find_origin(page: str, url: str, target: str, docs: Path, overrides: Path) -> str:
    """Where a broken link was written: a template, or the page's Markdown.

    A template writes its links through filters (``{{ 'x/' | url }}``), so it
    is searched for the target's path within the site, not the built URL.
    """
    needles = [n for n in (url, target) if n and n not in ("/", "./", ".")]
    for template in sorted(overrides.rglob("*.html")) if overrides.is_dir() else []:
        text = template.read_text(encoding="utf-8")
        if any(needle in text for needle in needles):
            return template.as_posix()
    stem = page[: -len("index.html")].rstrip("/") if page.endswith("index.html") else page[:-5]
    for candidate in (f"{stem}.md", f"{stem}/index.md", "index.md" if not stem else None):
        if candidate and (docs / candidate).is_file():
            return (docs / candidate).as_posix()
    return f"a theme template (no Markdown page builds {page})"


def check_site(root: Path, base_path: str = "/") -> list[Problem]:
    site = Site(root, base_path)
    problems = []
    for page in sorted(root.rglob("*.html")):
        problems.extend(site.check_page(page))
    return problems


def report(problems: list[Problem], docs: Path, overrides: Path) -> list[str]:
    """One line per broken link; a template's link once, with its page count."""
    grouped: dict[tuple[str, str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        origin = find_origin(problem.page, problem.url, problem.target, docs, overrides)
        grouped[(origin, problem.target or problem.url, problem.reason)].append(problem)
    lines = []
    for (origin, _target, reason), seen in sorted(grouped.items()):
        where = seen[0].page + (f" and {len(seen) - 1} more page(s)" if len(seen) > 1 else "")
        lines.append(f"{origin}: broken link '{seen[0].url}' ({reason}; seen in site/{where})")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    parser.add_argument("--overrides", type=Path, default=Path("overrides"))
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"{args.site}: no built site here; run `make build` first", file=sys.stderr)
        return 2
    pages = list(args.site.rglob("*.html"))
    problems = check_site(args.site, base_path_from_config(args.config))
    for line in report(problems, args.docs, args.overrides):
        print(line, file=sys.stderr)
    if problems:
        print(f"check_links: {len(problems)} broken link(s) in {len(pages)} pages", file=sys.stderr)
        return 1
    print(f"check_links: {len(pages)} pages, every link, anchor and asset found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
