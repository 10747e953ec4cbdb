"""What the Markdown extension knows about the page it is converting.

Which page it is, where its source file is (so an error can name the file
and the line in it, front matter counted), and how to link from it.

MkDocs gives each page its own Markdown instance, with the page's file on
its 'relpath' treeprocessor. Zensical gives no file, but registers a
'rendering_context' preprocessor that holds the page's path (relative to
the docs folder) and the configuration (docs folder, project root).
Under plain Python-Markdown (tests) neither exists: errors then quote the
line so it can be searched for.
"""

from __future__ import annotations

import posixpath
from functools import cached_property
from pathlib import Path

from ..errors import SiteError
from ..facts.facts_cache import cached_facts
from ..facts.syntax import front_matter_length
from .handouts import page_address
from .takeaway import cached_words

UNKNOWN_PAGE = "a page (the build tool did not say which; search for the line quoted)"


class PageContext:
    def __init__(self, md, config: dict):
        self.md = md
        self.config = config
        # This page's references in the order met, one per occurrence (see markdown_ext.Reference).
        self.references: list = []
        # The page's lines (and as one text) as the figure pass received them (snippets
        # in, code blocks set aside), the lines generated blocks wrote, and how many raw HTML pieces
        # were stashed before the page's own (code blocks and charts come first).
        self.lines: list[str] = []
        self.text = ""
        self.generated: list[str] = []
        self.stash_floor = 0

    @cached_property
    def facts(self):
        # Once per page: MkDocs makes a new Markdown instance (and context) for each.
        return cached_facts(self.config["data_file"])

    @cached_property
    def words(self):
        """The site's words file (``takeaway:``): the words a page's tooltips and generated blocks add."""
        path = self.config.get("takeaway")
        if not path:
            raise SiteError(str(self.config_file or "mkdocs.yml"), None,
                            "the pages take the words they add to the data file's (a figure's tooltip, the numbers "
                            "table's headings, ...) from the takeaway words file, and the site names none",
                            "name it with takeaway: under the figure extension (like data/takeaway.yml)")
        return cached_words(path)

    @cached_property
    def file(self):
        """MkDocs' File for this page, or None under Zensical or plain Markdown."""
        processor = self.md.treeprocessors["relpath"] if "relpath" in self.md.treeprocessors else None
        return getattr(processor, "file", None)

    @cached_property
    def _zensical(self):
        """Zensical's rendering context (page and config), or None."""
        if "rendering_context" not in self.md.preprocessors:
            return None
        return self.md.preprocessors["rendering_context"]

    @property
    def src_uri(self) -> str | None:
        """The page's path in the docs folder (MkDocs' File says; else Zensical's context), or None."""
        if self.file is not None:
            return getattr(self.file, "src_uri", None)
        return getattr(getattr(self._zensical, "page", None), "path", None) or None

    @cached_property
    def source_path(self) -> Path | None:
        """The page's Markdown file, if the build tool says which it is."""
        if self.file is not None:  # a page a plugin generated has no source file
            return Path(self.file.abs_src_path) if getattr(self.file, "abs_src_path", None) else None
        context = self._zensical
        page, config = getattr(context, "page", None), getattr(context, "config", None) or {}
        if page is None or not getattr(page, "path", None):
            return None
        root = Path(config.get("root_dir") or Path.cwd())
        return root / config.get("docs_dir", "docs") / page.path

    @cached_property
    def config_file(self) -> Path | None:
        """The site's configuration file, if known (MkDocs says; Zensical keeps it at the root)."""
        processor = self.md.treeprocessors["relpath"] if "relpath" in self.md.treeprocessors else None
        path = getattr(getattr(processor, "config", None), "config_file_path", None)
        if path:
            return Path(path)
        config = getattr(self._zensical, "config", None)
        if config is not None:
            candidate = Path(config.get("root_dir") or Path.cwd()) / "mkdocs.yml"
            return candidate if candidate.is_file() else None
        return None

    @cached_property
    def where(self) -> str:
        """The page's file as an error names it (relative to the build folder)."""
        if self.source_path is None:
            return UNKNOWN_PAGE
        return shown_path(self.source_path)

    @cached_property
    def source(self) -> list[str] | None:
        """The lines of the page's file, front matter included."""
        if self.source_path is None:
            return None
        try:
            return self.source_path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return None

    @cached_property
    def front_matter_length(self) -> int:
        """Lines of front matter (both --- included), which the build tools strip before Markdown."""
        return front_matter_length(self.source or [])

    @cached_property
    def _to_root(self) -> str:
        folder = posixpath.dirname(self.src_uri or "index.md")
        return "../" * (folder.count("/") + 1) if folder else ""

    @cached_property
    def to_site_root(self) -> str:
        """What a raw HTML link on this page starts with to reach the site's root.

        MkDocs publishes raw HTML as written, so a link counts from the
        page's address ("../" for a chapter at /chapter/). Zensical rewrites
        relative links in raw HTML as it does Markdown's, from the page's
        source file, so there it counts from the file ("" at the top of docs/)."""
        if self._zensical is not None:
            folder = posixpath.dirname(getattr(getattr(self._zensical, "page", None), "path", None) or "")
            return "../" * (folder.count("/") + 1) if folder else ""
        return "../" * page_address(self.src_uri or "index.md").count("/")

    def raw_link(self, target: str) -> str:
        """A raw HTML link to ``target`` (a docs-relative .md path, maybe with #anchor), as
        ``link`` but written as published: MkDocs leaves raw HTML's links as they are."""
        if self._zensical is not None:
            return self.link(target)  # Zensical rewrites them from the source file, as Markdown's
        path, _, anchor = target.partition("#")
        if path == (self.src_uri or "index.md"):
            return f"#{anchor}" if anchor else ""
        return self.to_site_root + page_address(path) + (f"#{anchor}" if anchor else "")

    def link(self, target: str) -> str:
        """A Markdown-style link to ``target`` (a docs-relative .md path, maybe with #anchor)."""
        path, _, anchor = target.partition("#")
        if path == (self.src_uri or "index.md"):
            return f"#{anchor}" if anchor else posixpath.basename(path)
        return self._to_root + target

    def locate(self, lineno: int, text: str) -> tuple[str, int]:
        """The file and line a preprocessed line came from, as best known.

        ``lineno`` counts the lines Markdown saw: front matter removed and
        fenced code blocks folded to one line each, so the line is found by
        its text, nearest to where the count puts it.
        """
        source = self.source
        if source is None:
            return self.where, lineno
        guess = lineno + self.front_matter_length
        wanted = text.strip()
        matches = [number for number, line in enumerate(source, 1) if line.strip() == wanted]
        if matches:
            # Folded code blocks only move a line down the file: prefer the nearest at or after the guess.
            return self.where, min(matches, key=lambda number: (abs(number - guess), number < guess))
        return f"{self.where} (in a snippet it includes)", lineno

    def fail(self, lineno: int, text: str, problem: str, fix: str = "") -> None:
        where, line = self.locate(lineno, text)
        raise SiteError(where, line, f"{problem}: «{text.strip()}»", fix)

    def check_front_matter(self) -> None:
        """A reference in front matter would be published as typed: in <title>, link previews, the nav, the sitemap."""
        source = self.source
        for number in range(2, self.front_matter_length):
            if "{{" in source[number - 1] or "}}" in source[number - 1]:
                raise SiteError(self.where, number,
                                f"a figure cannot go in the front matter, which is published as written "
                                f"(in the page's <title>, link previews, the nav and the sitemap): "
                                f"«{source[number - 1].strip()}»",
                                "type the words there; the front matter takes no {{ ... }}")


def shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
