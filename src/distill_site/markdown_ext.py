"""The Python-Markdown extension that puts the data file into pages.

Named in mkdocs.yml under ``markdown_extensions`` (not a hook or plugin:
Zensical runs Markdown extensions from the same file but ignores hooks and
unknown plugins, which would publish placeholders unreplaced).

- A preprocessor, after ``pymdownx.snippets`` so snippets are covered too,
  checks every ``{{ ... }}`` on a page, refuses figures typed by hand,
  expands ``{{ block:name }}`` lines and hands the glossary to ``abbr``.
- A tree pass after inline parsing turns ``{{ fig:key }}`` into the
  formatted value, linked to its row on the numbers page with its sources
  on hover.

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
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.postprocessors import Postprocessor
from markdown.util import ETX, STX, AtomicString

from . import blocks, syntax
from .errors import SiteError
from .facts_cache import cached_facts
from .formatting import format_figure, format_value, machine_value, typed_figure_pattern, typed_forms

# After pymdownx.snippets (32), normalize_whitespace (30) and fenced code (25,
# so code blocks keep {{ ... }} literally); before raw HTML is stashed (20).
PREPROCESSOR_PRIORITY = 24
# Right after inline parsing (20), so code spans are settled; before
# attr_list (8), abbr (7), toc (5) and MkDocs' link rewriting (0) see the figures.
TREE_PRIORITY = 19


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
        md.treeprocessors.register(FigureTreeprocessor(md, page), "distill_figures", TREE_PRIORITY)
        # After raw HTML comes back (30): a token there was never a figure.
        md.postprocessors.register(LeftoverTokenPostprocessor(md, page), "distill_leftovers", 25)


class PageContext:
    """What the extension knows about the page it is converting.

    MkDocs gives each page its own Markdown instance, with its file on the
    'relpath' treeprocessor; Zensical does not, and then links are made
    relative to the docs root (our pages all live there).
    """

    def __init__(self, md, config: dict):
        self.md = md
        self.config = config
        # This page's references in the order met: (as written, FigureRef or typed words).
        self.references: list[tuple[str, object]] = []

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

    def as_written(self, text: str) -> str:
        """``text`` with each token put back as the reference the page wrote."""
        return TOKEN.sub(lambda m: self.references[int(m[1])][0], text)

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


class FigurePreprocessor(Preprocessor):
    """Checks a page's references and hand-typed figures; expands blocks.

    Works on the page as one string (one regex pass for each job), not
    line by line: it runs on every page of every build.
    """

    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        facts = self.page.facts
        self.page.references = []
        text = "\n".join(lines)
        self._check_typed(facts, text, lines)
        if "{{" in text:
            self._check_heading_ids(text, lines)
            text = self._tokenise(facts, text, lines)
            lines = text.split("\n")
            if "block:" in text:
                lines = self._expand_blocks(facts, lines)
        _add_glossary_abbreviations(self.md, facts, text)
        return lines

    def _expand_blocks(self, facts, lines: list[str]) -> list[str]:
        out: list[str] = []
        for lineno, line in enumerate(lines, 1):
            block = syntax.BLOCK.fullmatch(_only_reference(line) or "")
            if not block:
                out.append(line)
                continue
            name = block["name"]
            if name not in blocks.BLOCKS:
                self.page.fail(lineno, line, f"unknown block '{name}'",
                               "known blocks: " + ", ".join(sorted(blocks.BLOCKS)))
            made = blocks.BLOCKS[name].render(self.page)
            out.extend(self._tokenise(facts, "\n".join(made), made).split("\n"))
        return out

    def _tokenise(self, facts, text: str, lines: list[str]) -> str:
        """Check every {{ ... }} on the page and put a token in place of each figure.

        The token (STX "fig:" n ETX, like Python-Markdown's own placeholders)
        gives inline parsing nothing to work on - figure keys are full of
        underscores, each one a possible emphasis - and cannot split a table
        cell. The tree pass puts the figure in its place.
        """
        # The same reference recurs across pages: parse each spelling once a build.
        known = facts.remember("parsed_references", dict)
        references = self.page.references
        tokens: dict[str, str] = {}

        def check(match):
            written = match.group(0)
            if written in tokens:
                return tokens[written]
            body = match["body"]
            if body not in known:
                lineno = text.count("\n", 0, match.start()) + 1
                if syntax.BLOCK.fullmatch(body):
                    if _only_reference(lines[lineno - 1]) is None:
                        self.page.fail(lineno, lines[lineno - 1], "a {{ block:... }} must stand alone on its own line")
                    return written  # expanded after this pass
                typed = syntax.TYPED.fullmatch(body)
                try:
                    known[body] = typed["text"] if typed else syntax.parse_figure(body, facts.figures)
                except ValueError as problem:
                    self.page.fail(lineno, lines[lineno - 1], str(problem), "keys are listed in data/figures.yml")
            references.append((written, known[body]))
            tokens[written] = f"{TOKEN_START}{len(references) - 1}{ETX}"
            return tokens[written]
        return syntax.REFERENCE.sub(check, text)

    def _check_heading_ids(self, text: str, lines: list[str]) -> None:
        """A heading that shows a figure needs an id of its own.

        Else its address (/chapter/#the-44-day-campaign) would change with
        the figure, and teachers' links to the section would break.
        """
        for match in FIGURE_HEADING.finditer(text):
            if not HEADING_ID.search(match.group(0)):
                lineno = text.count("\n", 0, match.start()) + 1
                self.page.fail(lineno, lines[lineno - 1], "a heading with a figure in it needs its own id",
                               "end the heading with { #a-lasting-id }, so its address does not change with the figure")

    def _check_typed(self, facts, text: str, lines: list[str]) -> None:
        pattern, owner = facts.remember("typed_pattern", lambda: typed_figure_pattern(facts))
        # Blank out references and escapes, keeping line breaks so a match's line is known.
        prose = syntax.ESCAPED.sub(_blank, syntax.REFERENCE.sub(_blank, text)) if "{{" in text else text
        match = pattern.search(prose)
        if match:
            lineno = prose.count("\n", 0, match.start()) + 1
            key = owner[match.group(0)]
            self.page.fail(
                lineno, lines[lineno - 1], f"the figure '{match.group(0)}' is typed by hand",
                f"write {{{{ fig:{key} }}}} so it follows the data file; if the words must stay "
                f"as they are, wrap them as {{{{ typed:{match.group(0)} }}}}",
            )


# An ATX heading ("## ...") with a figure reference in it, and an attr_list id.
FIGURE_HEADING = re.compile(r"^#{1,6}[ \t].*\{\{\s*fig:.*$", re.M)
HEADING_ID = re.compile(r"\{:?[^}]*#[\w-]+[^}]*\}\s*#*\s*$")


def _blank(match) -> str:
    return "\n" * match.group(0).count("\n")


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


class FigureTreeprocessor(Treeprocessor):
    """Puts each figure where the preprocessor left its token.

    ``<a class="fig" href=... title=...>more than 28.8 million</a>``; a
    ``{{ typed:... }}`` becomes its words. In inline code and code blocks
    the reference is put back as written, so it shows literally.
    """

    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        if not self.page.references:
            return
        pending = [el for el in root.iter()
                   if _has_token(el.text) or any(_has_token(child.tail) for child in el)]
        made: dict[int, tuple] = {}  # token -> what its element is made of
        for parent in pending:
            # Children from the last, so inserting figures leaves the indexes still to visit as they were.
            for index in reversed(range(len(parent))):
                child = parent[index]
                if _has_token(child.tail):
                    child.tail, figures = self._split(child.tail, made)
                    parent[index + 1:index + 1] = figures
            if _has_token(parent.text):
                if parent.tag in LITERAL_TAGS or isinstance(parent.text, AtomicString):
                    parent.text = AtomicString(self.page.as_written(parent.text))
                else:
                    parent.text, figures = self._split(parent.text, made)
                    parent[0:0] = figures

    def _split(self, text: str, made: dict) -> tuple[str, list[etree.Element]]:
        """The text before the first figure, and the figures, each with the text after it as tail."""
        parts = TOKEN.split(text)
        lead, elements = parts[0], []
        for token, after in zip(parts[1::2], parts[2::2]):
            index = int(token)
            reference = self.page.references[index][1]
            if isinstance(reference, str):  # words kept as typed, on purpose
                if elements:
                    elements[-1].tail += reference + after
                else:
                    lead += reference + after
                continue
            if index not in made:
                made[index] = figure_parts(self.page, self.page.facts, reference)
            element = build_figure(*made[index])
            element.tail = after
            elements.append(element)
        return lead, elements


class LeftoverTokenPostprocessor(Postprocessor):
    """A reference where no figure can go (an image's alt text, say) shows as written."""

    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, text: str) -> str:
        return self.page.as_written(text) if TOKEN_START in text else text


def _has_token(text) -> bool:
    return bool(text) and TOKEN_START in text


# Elements whose text is shown as written: a reference there stays literal.
LITERAL_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
TOKEN_START = f"{STX}fig:"
TOKEN = re.compile(rf"{STX}fig:(\d+){ETX}")


def figure_parts(page: PageContext, facts, ref: syntax.FigureRef) -> tuple:
    """What a reference's element is made of: tag, attributes, text, and a date's datetime."""
    tag, attributes, qualifier, text, datetime = facts.remember(("figure", ref), lambda: _page_free_parts(facts, ref))
    if ref.linked:  # the link is relative to the page
        href = page.link(f"{page.config['numbers_page']}#{figure_anchor(ref.key)}")
        attributes = {"class": "fig", "href": href, "title": attributes["title"]}
    return tag, attributes, qualifier, text, datetime


def _page_free_parts(facts, ref: syntax.FigureRef) -> tuple:
    figure = facts.figures[ref.key]
    if ref.linked:
        tag, attributes = "a", {"class": "fig", "title": figure_tooltip(facts, figure)}
    else:
        tag, attributes = "span", {"class": "fig"}
    qualifier = f"{figure.qualifier} " if ref.qualified and figure.qualifier else ""
    text = format_figure(figure, ref.variant, qualified=False)
    datetime = machine_value(figure) if figure.kind == "date" else None
    return tag, attributes, qualifier, text, datetime


def build_figure(tag: str, attributes: dict, qualifier: str, text: str, datetime: str | None) -> etree.Element:
    """One element with the text inside (a date adds <time datetime>): each extra
    element would cost every later pass of the build, search indexing included."""
    element = etree.Element(tag, attributes)
    # AtomicString: finished text, not scanned again by other processors.
    if datetime is None:
        element.text = AtomicString(qualifier + text)
    else:
        element.text = AtomicString(qualifier)
        etree.SubElement(element, "time", {"datetime": datetime}).text = AtomicString(text)
    return element


def figure_anchor(key: str) -> str:
    return "fig-" + key.replace("_", "-")


def cited_words(facts, citation) -> str:
    """A source's name and its own words: PYMNTS: “…more than 28.8 million interactions…”."""
    short = facts.sources[citation.source].short
    if citation.quote is None:
        return f"{short} (we have no copy of it to quote)"
    return f"{short}: “…{citation.quote}…”"


def figure_tooltip(facts, figure) -> str:
    """What a reader sees on hover: each source's words, or how we computed it."""
    parts = []
    if figure.is_derived:
        parts.append("Our calculation from: " + "; ".join(
            facts.figures[key].label for key in figure.derive.inputs) + ".")
    if figure.citations:
        said = "; ".join(cited_words(facts, c) for c in figure.citations)
        parts.append(("Also stated by " if figure.is_derived else "") + said)
    if figure.corrections:
        parts.append(f"Corrected on {format_value('date', figure.corrections[-1].date)}.")
    parts.append("Details on The numbers page.")
    return " ".join(parts)


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return FiguresExtension(**kwargs)
