"""The site's pages as a reader meets them: the nav of mkdocs.yml, in order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from distill_site.site_config import read_site_config

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class NavPage:
    title: str  # the link text in the navigation
    source: str  # the Markdown file, e.g. "timeline.md"

    @property
    def path(self) -> str:
        """URL path relative to the site root: "" for the home page, "timeline/" otherwise."""
        stem = self.source.removesuffix(".md")
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"

    @property
    def is_home(self) -> bool:
        return self.path == ""

    def __str__(self) -> str:  # readable test ids
        return self.path or "home"


def _flatten(entries) -> list[NavPage]:
    pages = []
    for entry in entries:
        if isinstance(entry, str):
            pages.append(NavPage(entry, entry))
            continue
        for title, target in entry.items():
            if isinstance(target, list):
                pages.extend(_flatten(target))
            elif isinstance(target, str) and target.endswith(".md"):
                pages.append(NavPage(title, target))
    return pages


def nav_pages(config: Path = ROOT / "mkdocs.yml") -> list[NavPage]:
    return _flatten(read_site_config(config)["nav"])


PAGES = nav_pages()
CHAPTERS = [page for page in PAGES if not page.is_home]


def pages_outside_nav(config: Path = ROOT / "mkdocs.yml") -> list[NavPage]:
    """The Markdown pages a reader reaches by a link, not the nav (not_in_nav: the answers, the worksheets)."""
    settings = read_site_config(config)
    docs = config.parent / settings.get("docs_dir", "docs")
    in_nav = {page.source for page in nav_pages(config)}
    excluded = tuple(line.strip() for line in str(settings.get("exclude_docs") or "").splitlines() if line.strip())
    return [NavPage(source, source) for source in sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
            if source not in in_nav and not source.startswith(excluded)]


OUTSIDE_NAV = pages_outside_nav()


def drawing_ids(docs: Path = ROOT / "docs") -> list[str]:
    """The ids of the charts and diagrams the pages declare, each with an embed page (embed/<id>/)."""
    from distill_site.pages.chart_fence import fences_in

    ids = set()
    for page in sorted(docs.rglob("*.md")):
        for fence in fences_in(page.read_text(encoding="utf-8").splitlines()):
            ids.update(re.findall(r"^id:\s*(\S+)\s*$", "\n".join(fence.lines), re.M))
    return sorted(ids)


EMBED_IDS = drawing_ids()
