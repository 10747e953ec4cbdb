"""The Python-Markdown extension that puts the data file into pages.

Named in mkdocs.yml under ``markdown_extensions`` (not a hook or plugin:
Zensical runs Markdown extensions from the same file but ignores hooks and
unknown plugins, which would publish placeholders unreplaced).

- A preprocessor, after ``pymdownx.snippets`` so snippets are covered too,
  checks every ``{{ ... }}`` on a page, refuses figures typed by hand,
  expands ``{{ block:name }}`` lines and hands the glossary to ``abbr``.
- An inline processor turns ``{{ fig:key }}`` into the formatted value,
  linked to its row on the numbers page with its sources on hover.

Every problem raises ``SiteError`` naming the page and line, so the build
fails under MkDocs and under Zensical alike.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from functools import cached_property
from pathlib import Path

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

from . import blocks, syntax
from .errors import SiteError
from .facts_cache import cached_facts
from .formatting import format_figure, machine_value, typed_forms

# After pymdownx.snippets (32), normalize_whitespace (30) and fenced code (25,
# so code blocks keep {{ ... }} literally); before raw HTML is stashed (20).
PREPROCESSOR_PRIORITY = 24
# After backslash escapes (180), so that \{{ ... }} is never replaced.
INLINE_PRIORITY = 175


class FiguresExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "data_file": ["data/figures.yml", "The data file, relative to where the build runs"],
            "docs_dir": ["docs", "The pages folder, scanned for the numbers page's 'where used'"],
            "numbers_page": ["numbers.md", "The page that lists every figure, relative to docs_dir"],
            "sources_page": ["sources.md", "The page that lists every source, relative to docs_dir"],
            "chapters": [[], "The chapters, in order, for the teachers' reading-level table"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        page = PageContext(md, self.getConfigs())
        md.preprocessors.register(FigurePreprocessor(md, page), "distill_figures", PREPROCESSOR_PRIORITY)
        md.inlinePatterns.register(FigureInlineProcessor(page), "distill_figure_ref", INLINE_PRIORITY)


class PageContext:
    """What the extension knows about the page it is converting.

    MkDocs gives each page its own Markdown instance, with its file on the
    'relpath' treeprocessor; Zensical does not, and then links are made
    relative to the docs root (our pages all live there).
    """

    def __init__(self, md, config: dict):
        self.md = md
        self.config = config

    @cached_property
    def facts(self):
        # Once per page: MkDocs makes a new Markdown instance (and context) for each.
        return cached_facts(self.config["data_file"])

    @cached_property
    def file(self):
        processor = self.md.treeprocessors["relpath"] if "relpath" in self.md.treeprocessors else None
        return getattr(processor, "file", None)

    @property
    def src_uri(self) -> str | None:
        return getattr(self.file, "src_uri", None)

    @cached_property
    def _to_root(self) -> str:
        folder = posixpath.dirname(self.src_uri or "index.md")
        return "../" * (folder.count("/") + 1) if folder else ""

    def link(self, target: str) -> str:
        """A Markdown-style link to ``target`` (a docs-relative .md path, maybe with #anchor)."""
        path, _, anchor = target.partition("#")
        if path == (self.src_uri or "index.md"):
            return f"#{anchor}" if anchor else posixpath.basename(path)
        return self._to_root + target

    def locate(self, lineno: int, text: str) -> tuple[str, int]:
        """The file and line a preprocessed line came from, as best known."""
        if self.file is None:
            return "a page (the build tool did not say which; search for the line quoted)", lineno
        path = Path(self.file.abs_src_path)
        try:
            where = str(path.relative_to(Path.cwd()))
        except ValueError:
            where = str(path)
        source = path.read_text(encoding="utf-8").splitlines()
        guess = lineno + _front_matter_length(source)
        if 0 < guess <= len(source) and source[guess - 1].strip() == text.strip():
            return where, guess
        for number, line in enumerate(source, 1):
            if line.strip() == text.strip():
                return where, number
        return f"{where} (in a snippet it includes)", lineno

    def fail(self, lineno: int, text: str, problem: str, fix: str = "") -> None:
        where, line = self.locate(lineno, text)
        raise SiteError(where, line, f"{problem}: «{text.strip()}»", fix)


def _front_matter_length(lines: list[str]) -> int:
    if not lines or lines[0].strip() != "---":
        return 0
    for number, line in enumerate(lines[1:], 2):
        if line.strip() in ("---", "..."):
            return number
    return 0


def typed_figure_pattern(facts) -> tuple[re.Pattern, dict[str, str]]:
    """One regex for every hand-typed form of every figure, longest first."""
    owner: dict[str, str] = {}
    for figure in facts.figures.values():
        for form in typed_forms(figure):
            owner.setdefault(form, figure.id)
    forms = sorted(owner, key=len, reverse=True)
    alternation = "|".join(re.escape(form) for form in forms) or r"(?!x)x"
    return re.compile(rf"(?<![\w.,])(?:{alternation})(?![\w]|[.,]\d)"), owner


class FigurePreprocessor(Preprocessor):
    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        facts = self.page.facts
        typed_pattern, owner = facts.remember("typed_pattern", lambda: typed_figure_pattern(facts))
        out: list[str] = []
        for lineno, line in enumerate(lines, 1):
            block = syntax.BLOCK.fullmatch(_only_reference(line) or "")
            if block:
                out.extend(self._block(block["name"], lineno, line))
                continue
            self._check_typed(typed_pattern, owner, lineno, line)
            out.append(self._canonical_references(facts, lineno, line))
        _add_glossary_abbreviations(self.md, facts, "\n".join(out))
        return out

    def _block(self, name: str, lineno: int, line: str) -> list[str]:
        if name not in blocks.BLOCKS:
            self.page.fail(lineno, line, f"unknown block '{name}'",
                           "known blocks: " + ", ".join(sorted(blocks.BLOCKS)))
        return blocks.BLOCKS[name].render(self.page)

    def _canonical_references(self, facts, lineno: int, line: str) -> str:
        """Check every {{ ... }} on the line; return it with references in canonical form."""
        def check(match):
            body = match["body"]
            if syntax.TYPED.fullmatch(body):
                return match.group(0)
            if syntax.BLOCK.fullmatch(body):
                self.page.fail(lineno, line, "a {{ block:... }} must stand alone on its own line")
            try:
                return syntax.canonical(syntax.parse_figure(body, facts.figures))
            except ValueError as problem:
                self.page.fail(lineno, line, str(problem), "keys are listed in data/figures.yml")
        return syntax.REFERENCE.sub(check, line)

    def _check_typed(self, pattern, owner, lineno: int, line: str) -> None:
        prose = syntax.ESCAPED.sub("", syntax.REFERENCE.sub("", line))
        match = pattern.search(prose)
        if match:
            key = owner[match.group(0)]
            self.page.fail(
                lineno, line, f"the figure '{match.group(0)}' is typed by hand",
                f"write {{{{ fig:{key} }}}} so it follows the data file; if the words must stay "
                f"as they are, wrap them as {{{{ typed:{match.group(0)} }}}}",
            )


def _only_reference(line: str) -> str | None:
    match = syntax.REFERENCE.fullmatch(line.strip())
    return match["body"] if match else None


def _add_glossary_abbreviations(md, facts, text: str) -> None:
    """Glossary terms explain themselves on hover, through the abbr extension.

    Handed to abbr as its glossary, rather than written into each page as
    ``*[term]: ...`` lines, which abbr would parse again on every page; and
    only the terms the page contains, since abbr scans every element for
    each term it knows.
    """
    abbr = next((e for e in md.registeredExtensions if type(e).__name__ == "AbbrExtension"), None)
    if abbr is None:
        return
    glossary = facts.remember("glossary", lambda: {
        spelling: term.definition
        for term in facts.glossary
        for spelling in (term.term, term.term[:1].upper() + term.term[1:])
    })
    abbr.abbrs.update({term: meaning for term, meaning in glossary.items() if term in text})


class FigureInlineProcessor(InlineProcessor):
    """``{{ fig:key }}`` -> ``<a class="fig" ...>more than <data>28.8 million</data></a>``."""

    def __init__(self, page: PageContext):
        super().__init__(r"\{\{\s*(fig:[^{}]*?|typed:[^{}]*?)\s*\}\}")
        self.page = page

    def handleMatch(self, match, data):
        body = match.group(1)
        typed = syntax.TYPED.fullmatch(body)
        if typed:
            return typed["text"], match.start(0), match.end(0)
        facts = self.page.facts
        try:
            ref = syntax.parse_figure(body, facts.figures)
        except ValueError as problem:
            raise SiteError(self.page.src_uri or "a page", None, str(problem)) from None
        return render_figure(self.page, facts, ref), match.start(0), match.end(0)


def render_figure(page: PageContext, facts, ref: syntax.FigureRef) -> etree.Element:
    figure = facts.figures[ref.key]
    if ref.linked:
        href = page.link(f"{page.config['numbers_page']}#{figure_anchor(figure.id)}")
        tooltip = facts.remember(("tooltip", figure.id), lambda: figure_tooltip(facts, figure))
        element = etree.Element("a", {"class": "fig", "href": href, "title": tooltip})
    else:
        element = etree.Element("span", {"class": "fig"})
    # AtomicString: finished text, not scanned again by other inline patterns.
    if ref.qualified and figure.qualifier:
        element.text = AtomicString(f"{figure.qualifier} ")
    value = etree.SubElement(element, "time" if figure.kind == "date" else "data")
    value.set("datetime" if figure.kind == "date" else "value", machine_value(figure))
    value.text = AtomicString(format_figure(figure, ref.variant, qualified=False))
    return element


def figure_anchor(key: str) -> str:
    return "fig-" + key.replace("_", "-")


def figure_tooltip(facts, figure) -> str:
    if figure.sources:
        names = "; ".join(facts.sources[s].short for s in figure.sources)
        said = f"Source{'s' if len(figure.sources) > 1 else ''}: {names}."
    else:
        said = "Our calculation from: " + "; ".join(
            facts.figures[key].label for key in figure.derive.inputs) + "."
    return f"{said} Details on The numbers page."


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return FiguresExtension(**kwargs)
