"""The Python-Markdown extension that puts the data file into pages.

Named in mkdocs.yml under ``markdown_extensions`` (not a hook or plugin:
Zensical runs Markdown extensions from the same file but ignores hooks and
unknown plugins, which would publish placeholders unreplaced).

- A first preprocessor checks every ``{{ ... }}`` on the page, code blocks
  included, before they are set aside; and the front matter and the
  configuration's titles, where no reference can go.
- A second, after ``pymdownx.snippets`` so snippets are covered too, puts a
  token in place of each reference (and of each stray brace), expands
  ``{{ block:name }}`` lines and hands the glossary to ``abbr``.
- A tree pass after inline parsing refuses references where no figure can
  be shown (attributes, raw HTML, abbreviations), checks headings and the
  figures typed by hand, then turns each token into the formatted value,
  linked to its row on the numbers page with its sources on hover.
- A last pass refuses any token still left: it would be published as typed.

Every problem raises ``SiteError`` naming the page and line, so the build
fails under MkDocs and under Zensical alike.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, replace
from typing import NamedTuple

from markdown import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.postprocessors import Postprocessor
from markdown.util import ETX, STX, AtomicString

from ..errors import SiteError
from ..facts import syntax
from ..facts.formatting import format_value
from ..facts.typed_figures import first_typed_figure
from . import blocks, glossary_marks
from .config_titles import check_config_titles
from .figure_element import build_figure, figure_parts
from .page_context import PageContext
from .presentation import capitalised, plain_text, source_anchor, source_words

# After pymdownx.snippets (32) and normalize_whitespace (30); before fenced
# code (25) sets code blocks aside, so references in them are checked too.
CHECK_PRIORITY = 26
# After fenced code (25, so code blocks keep {{ ... }} literally); before raw HTML is stashed (20).
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
            "chapters": [[], "The chapters, in order, for the teachers' reading-level table and the handouts"],
            "takeaway": ["", "The words file of the downloads, embeds and citations (data/takeaway.yml); "
                             "none: the site offers none"],
            "lesson_pack": [{}, "The handouts' lesson pack: title, description and the pages after the chapters"],
            "worksheets": [{}, "Each chapter's one-page worksheet: the folder of the worksheet pages, and the id "
                               "of a chapter's section whose numbered list holds its discussion questions"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        page = PageContext(md, self.getConfigs())
        md.preprocessors.register(ReferenceCheck(md, page), "distill_references", CHECK_PRIORITY)
        md.preprocessors.register(FigurePreprocessor(md, page), "distill_figures", PREPROCESSOR_PRIORITY)
        md.treeprocessors.register(FigureTreeprocessor(md, page), "distill_figures", TREE_PRIORITY)
        md.treeprocessors.register(glossary_marks.FirstUseOnly(md), "distill_first_use", glossary_marks.PRIORITY)
        # After raw HTML comes back (30): a token still there would be published as typed.
        md.postprocessors.register(LeftoverTokenPostprocessor(md, page), "distill_leftovers", 25)


@dataclass(frozen=True)
class Stray:
    """Braces that belong to no whole reference: an error wherever a reader would see them."""
    problem: str
    fix: str


class Reference(NamedTuple):
    """One ``{{ ... }}`` (or stray brace) on the page, where its token stands."""
    written: str
    value: object  # a syntax.FigureRef, a syntax.SourceRef, typed words (str) or a Stray
    offset: int  # where it is in the text the figure pass received (a block's: the block's line)


BLOCK_REFERENCE = object()  # what a {{ block:... }} body parses to: expanded, not tokenised


def parse_reference(page: PageContext, body: str, text: str, offset: int):
    """What a reference's body means, parsed once a build per spelling; else fail
    at the line of ``offset`` in ``text``."""
    known = page.facts.remember("parsed_references", dict)
    if body not in known:
        block = syntax.BLOCK.fullmatch(body)
        typed = syntax.TYPED.fullmatch(body)
        if syntax.SOURCE.fullmatch(body):
            try:
                known[body] = syntax.parse_source(body, page.facts.sources)
            except ValueError as problem:
                page.fail(*line_at(text, offset), str(problem), "source ids are listed under 'sources:' in the data file")
        elif block:
            if block["name"] not in blocks.BLOCKS:
                page.fail(*line_at(text, offset), f"unknown block '{block['name']}'",
                          "known blocks: " + ", ".join(sorted(blocks.BLOCKS)))
            known[body] = BLOCK_REFERENCE
        elif typed:
            known[body] = typed["text"]
        else:
            try:
                known[body] = syntax.parse_figure(body, page.facts.figures)
            except ValueError as problem:
                page.fail(*line_at(text, offset), str(problem), "keys are listed in data/figures.yml")
    return known[body]


def line_at(text: str, offset: int) -> tuple[int, str]:
    """The number (from 1) and the text of the line ``offset`` is on.

    Counted only when needed (an error): counting for every reference
    would cost every build."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text.count("\n", 0, offset) + 1, text[start:end if end >= 0 else len(text)]


class ReferenceCheck(Preprocessor):
    """Checks what the figure pass cannot see: references in code blocks (set
    aside before it runs), the front matter and the configuration's titles."""

    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        page = self.page
        page.check_front_matter()
        check_config_titles(page.config_file)
        text = "\n".join(lines)
        if "{{" in text:
            known = page.facts.remember("parsed_references", dict)
            for body in set(syntax.REFERENCE.findall(text)) - known.keys():
                offset = next(m.start() for m in syntax.REFERENCE.finditer(text) if m["body"] == body)
                parse_reference(page, body, text, offset)
        return lines


class FigurePreprocessor(Preprocessor):
    """Puts a token in place of each reference; expands blocks.

    Works on the page as one string (one regex pass), not line by line: it
    runs on every page of every build.
    """

    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        page = self.page
        text = "\n".join(lines)
        page.references, page.generated, page.lines, page.text = [], [], lines, text
        if "{{" in text or "}}" in text or "fig:" in text:
            text = self._tokenise(text)
            lines = text.split("\n")
            if "block:" in text:
                lines = self._expand_blocks(lines)
        # Raw HTML stashed from here on is the page's own (code blocks and charts come before).
        page.stash_floor = len(self.md.htmlStash.rawHtmlBlocks)
        _add_glossary_abbreviations(self.md, page.facts, text)
        return lines

    def _expand_blocks(self, lines: list[str]) -> list[str]:
        page = self.page
        out: list[str] = []
        ids_made: dict[str, tuple[str, int, str]] = {}  # id -> the block that made it, its line
        for lineno, line in enumerate(lines, 1):
            block = syntax.BLOCK.fullmatch(_only_reference(line) or "")
            if not block:
                out.append(line)
                continue
            name = block["name"]
            try:
                made = blocks.render(name, block["argument"], page)
            except blocks.BadArgument as error:
                page.fail(lineno, line, error.problem, error.fix)
            ids = set(filter(None, (i for pair in BLOCK_IDS.findall("\n".join(made)) for i in pair)))
            repeated = sorted(ids & ids_made.keys())
            if repeated:
                first_name, first_lineno, first_line = ids_made[repeated[0]]
                first = page.locate(first_lineno, first_line)[1]
                page.fail(lineno, line,
                          f"this {{{{ block:{name} }}}} would repeat ids the {{{{ block:{first_name} }}}} "
                          f"on line {first} already made (#{', #'.join(repeated[:3])})",
                          "use it once per page: an id must be unique, or links to it reach only the first")
            ids_made.update((ident, (name, lineno, line)) for ident in ids)
            page.generated.extend(made)
            line_start = sum(len(before) + 1 for before in page.lines[:lineno - 1])
            out.extend(self._tokenise("\n".join(made), line_start).split("\n"))
        return out

    def _tokenise(self, text: str, block_offset: int | None = None) -> str:
        """Put a token in place of each reference, and of each stray brace.

        The token (STX "fig:" n ETX, like Python-Markdown's own placeholders)
        gives inline parsing nothing to work on - figure keys are full of
        underscores, each one a possible emphasis - and cannot split a table
        cell. Each occurrence has its own, so the tree pass knows its line.
        A generated block's references are placed at the block's line.
        """
        page = self.page
        references = page.references
        known = page.facts.remember("parsed_references", dict)

        def token(match):
            written, body, stray = match.group(0), match["body"], syntax.stray_kind(match)
            if body is None and stray is None:
                return written  # an escaped reference, shown as written
            offset = match.start() if block_offset is None else block_offset
            if stray:
                value = Stray(*syntax.STRAY[stray])
            else:
                value = known[body] if body in known else parse_reference(page, body, page.text, offset)
                if value is BLOCK_REFERENCE:
                    lineno, line = line_at(page.text, offset)
                    if _only_reference(line) is None:
                        page.fail(lineno, line, "a {{ block:... }} must stand alone on its own line")
                    return written  # expanded after this pass
            references.append(Reference(written, value, offset))
            # Keep the line breaks of a reference written over two lines, so later lines keep their numbers.
            return f"{TOKEN_START}{len(references) - 1}{ETX}" + "\n" * written.count("\n")
        return syntax.SCAN.sub(token, text)


# The ids a generated block writes: attribute lists ({ #id }) and HTML.
BLOCK_IDS = re.compile(r'\{:?[^{}\n]*#([\w-]+)[^{}\n]*\}|\bid="([^"]+)"')


def _only_reference(line: str) -> str | None:
    match = syntax.REFERENCE.fullmatch(line.strip())
    return match["body"] if match else None


def _abbreviations(md) -> dict | None:
    abbr = next((e for e in md.registeredExtensions if type(e).__name__ == "AbbrExtension"), None)
    return None if abbr is None else abbr.abbrs


def _add_glossary_abbreviations(md, facts, text: str) -> None:
    """Glossary terms explain themselves on hover, through the abbr extension.

    Handed to abbr as its glossary, rather than written into each page as
    ``*[term]: ...`` lines, which abbr would parse again on every page; and
    only the terms the page contains, since abbr scans every element for
    each term it knows. A figure in a definition shows as its words.
    """
    abbrs = _abbreviations(md)
    if abbrs is None:
        return

    def glossary():
        return {spelling: plain_text(facts, term.definition)
                for term in facts.glossary
                for spelling in (term.term, term.term[:1].upper() + term.term[1:])}
    abbrs.update({term: meaning for term, meaning in facts.remember("glossary", glossary).items() if term in text})


# Where a figure cannot go, by attribute: what a reader gets there is plain text.
ATTRIBUTE_PLACES = {
    "alt": "an image's alt text, which is plain text",
    "title": "a title (the text shown on hover), which is plain text",
}
PLAIN_WORDS = "write the words there, as {{ typed:... }} if they look like a figure"
RAW_HTML_FIX = ("add the markdown attribute to the HTML element around it (<div markdown>, "
                "<summary markdown>) so Markdown and figures work inside it, or move the figure out of the HTML")
# A heading's own id, written as an attribute list at its end ({ #an-id }).
HEADING_ID = re.compile(r"\{:?[^}]*#[\w-]+[^}]*\}\s*#*\s*$")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class FigureTreeprocessor(Treeprocessor):
    """Puts each figure where the preprocessor left its token, after the checks.

    ``<a class="fig" href=... title=...>more than 28.8 million</a>``; a
    ``{{ typed:... }}`` becomes its words. In inline code and code blocks
    the reference is put back as written, so it shows literally. Inside a
    link's text the figure is not a second link: it shows unlinked.
    """

    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        # First, while typed words are still tokens, so they are not taken for figures typed by hand.
        typed = first_typed_figure(self.page, root)
        if typed:
            self._refuse_typed(*typed)
        if self.page.references:
            self._check_attributes(root)
            self._check_raw_html()
            self._check_abbreviations()
            self._check_headings(root)
            self.sources_named = self._sources_named(root)
            self._insert(root)

    def _fail_at(self, reference: Reference, problem: str, fix: str = "") -> None:
        self.page.fail(*line_at(self.page.text, reference.offset), problem, fix)

    def _words_only(self, text: str, place: str) -> str:
        """``text`` with each typed reference as its words; a figure or stray brace there fails."""
        def words(match):
            reference = self.page.references[int(match[1])]
            if isinstance(reference.value, str):
                return reference.value
            if isinstance(reference.value, Stray):
                self._fail_at(reference, reference.value.problem, reference.value.fix)
            self._fail_at(reference, f"{_kind(reference)} cannot go in {place}", PLAIN_WORDS)
        return TOKEN.sub(words, text)

    def _check_attributes(self, root) -> None:
        for element in root.iter():
            for name, value in list(element.attrib.items()):
                if TOKEN_START in value:
                    place = ATTRIBUTE_PLACES.get(name, f"the HTML attribute '{name}', which is plain text")
                    element.set(name, self._words_only(value, place))

    def _check_raw_html(self) -> None:
        stash = self.md.htmlStash.rawHtmlBlocks
        for index in range(self.page.stash_floor, len(stash)):
            if isinstance(stash[index], str) and TOKEN_START in stash[index]:
                if stash[index].lstrip().startswith("<!--"):
                    place, fix = "an HTML comment", "take it out: a comment is sent to every reader as written"
                else:
                    place, fix = "raw HTML", RAW_HTML_FIX

                def words(match):
                    reference = self.page.references[int(match[1])]
                    if isinstance(reference.value, str):
                        return html.escape(reference.value)
                    if isinstance(reference.value, Stray):
                        self._fail_at(reference, reference.value.problem, reference.value.fix)
                    self._fail_at(reference, f"{_kind(reference)} cannot go in {place}, which is published as written", fix)
                stash[index] = TOKEN.sub(words, stash[index])

    def _check_abbreviations(self) -> None:
        abbrs = _abbreviations(self.md) or {}
        for term, meaning in list(abbrs.items()):
            if meaning and TOKEN_START in meaning:
                abbrs[term] = self._words_only(
                    meaning, f"an abbreviation's definition (*[{term}]: ...), shown on hover as plain text")

    def _check_headings(self, root) -> None:
        """A heading that shows a figure needs an id of its own.

        Else its address (/chapter/#the-44-day-campaign) would change with
        the figure, and teachers' links to the section would break.
        ATX (## ...) and setext (underlined) headings alike.
        """
        for heading in root.iter():
            if heading.tag not in HEADINGS or "id" in heading.attrib:
                continue
            shown = [self.page.references[int(i)] for i in TOKEN.findall(_prose(heading))]
            figures = [r for r in shown if isinstance(r.value, (syntax.FigureRef, syntax.SourceRef))]
            if figures and not HEADING_ID.search("".join(heading.itertext())):
                self._fail_at(figures[0], f"a heading with {_kind(figures[0])} in it needs its own id",
                              "end the heading with { #a-lasting-id }, so its address does not change with the figure")

    def _refuse_typed(self, form: str, key: str, lineno: int | None, exact: bool) -> None:
        problem = f"the figure '{form}' is typed by hand"
        fix = (f"write {{{{ fig:{key} }}}} so it follows the data file; if the words must stay "
               f"as they are, wrap them as {{{{ typed:{form} }}}}")
        if lineno is None:
            raise SiteError(self.page.where, None,
                            problem + " (markup splits its words in the source: search the page for them)", fix)
        if not exact:
            problem += (" (the line is approximate: markup splits its words in the source, "
                        "and this is the first line with its first word)")
        self.page.fail(lineno, self.page.lines[lineno - 1], problem, fix)

    def _insert(self, root) -> None:
        in_links = {id(inner) for link in root.iter("a") for inner in link.iter()}
        pending = [el for el in root.iter()
                   if _has_token(el.text) or any(_has_token(child.tail) for child in el)]
        made: dict[syntax.FigureRef, tuple] = {}  # reference -> what its element is made of
        for parent in pending:
            literal = parent.tag in LITERAL_TAGS
            linked = id(parent) not in in_links
            # Children from the last, so inserting figures leaves the indexes still to visit as they were.
            for index in reversed(range(len(parent))):
                child = parent[index]
                if _has_token(child.tail):
                    if literal:
                        child.tail = _as_written(self.page, child.tail)
                        continue
                    child.tail, figures = self._split(child.tail, made, linked)
                    parent[index + 1:index + 1] = figures
            if _has_token(parent.text):
                if literal or isinstance(parent.text, AtomicString):
                    parent.text = AtomicString(_as_written(self.page, parent.text))
                else:
                    parent.text, figures = self._split(parent.text, made, linked)
                    parent[0:0] = figures

    def _split(self, text: str, made: dict, linked: bool) -> tuple[str, list[etree.Element]]:
        """The text before the first figure, and the figures, each with the text after it as tail."""
        references = self.page.references
        in_attributes = ATTRIBUTE_LIST_TOKEN.search(text)
        if in_attributes and not isinstance(references[int(in_attributes[1])].value, str):
            self._fail_at(references[int(in_attributes[1])],
                          "a figure cannot go in an attribute list { ... }, whose values are plain text",
                          PLAIN_WORDS)
        parts = TOKEN.split(text)
        lead, elements = parts[0], []
        for token, after in zip(parts[1::2], parts[2::2]):
            reference = references[int(token)]
            value = reference.value
            if isinstance(value, Stray):
                self._fail_at(reference, value.problem, value.fix)
            if isinstance(value, str):  # words kept as typed, on purpose
                if elements:
                    elements[-1].tail += value + after
                else:
                    lead += value + after
                continue
            if isinstance(value, syntax.SourceRef):
                elements.append(self._source(int(token), value, linked, after))
                continue
            if not linked:  # already inside a link: no link in a link
                value = replace(value, linked=False)
            if value not in made:
                made[value] = figure_parts(self.page, self.page.facts, value)
            element = build_figure(*made[value])
            element.tail = after
            elements.append(element)
        return lead, elements


    def _sources_named(self, root) -> dict[int, tuple[bool, bool]]:
        """For each {{ source:id }} token: is it the page's first mention of that
        source, and does it start a sentence? Read in the order a reader reads
        the page, code left out, sentences counted within each block of text."""
        references, named, places = self.page.references, set(), {}
        before = [""]  # the text so far in the current block (paragraph, list item, cell...)

        def read(text):
            done = 0
            for match in TOKEN.finditer(text or ""):
                before[0] += text[done:match.start()]
                value = references[int(match[1])].value
                if isinstance(value, syntax.SourceRef):
                    places[int(match[1])] = (value.id not in named, _starts_sentence(before[0]))
                    named.add(value.id)
                before[0] += "words"
                done = match.end()
            before[0] += (text or "")[done:]

        def visit(element):
            if element.tag in LITERAL_TAGS:
                before[0] += "code"
                return
            if element.tag in TEXT_BLOCKS:
                before[0] = ""
            read(element.text)
            for child in element:
                visit(child)
                read(child.tail)
        visit(root)
        return places

    def _source(self, token: int, ref: syntax.SourceRef, linked: bool, after: str) -> etree.Element:
        """A source named in a sentence: its introduction the first time, then its name, linked to its entry."""
        page, reference = self.page, self.page.references[token]
        first, capital = self.sources_named[token]
        words = source_words(page.facts, ref.id, first=first)
        if words is None:
            field = "introduction" if first else "name"
            self._fail_at(reference, f"source '{ref.id}' has no '{field}' in the data file, so this page cannot "
                                     f"{'introduce' if first else 'name'} it",
                          f"add '{field}:' under the source in {page.facts.path}")
        if first and "," in words and after[:1] and after[:1] not in CLOSING:
            after = "," + after  # an introduction with a comma in it is set off by commas when the sentence goes on
        if capital:
            words = capitalised(words)
        if linked:
            href = page.link(f"{page.config['sources_page']}#{source_anchor(ref.id)}")
            element = etree.Element("a", {"class": "source", "href": href})
        else:
            element = etree.Element("span", {"class": "source"})
        element.text = AtomicString(words)
        element.tail = after
        return element


# Where a sentence's count starts again: the elements that hold a block of text.
TEXT_BLOCKS = frozenset({"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                         "div", "blockquote", "summary", "figcaption", "caption"})
# What can follow a source's introduction without a comma before it.
CLOSING = tuple(",.;:!?)]”’\"'")
SENTENCE_END = re.compile(r"(?:^|[.!?][”’\")\]]*)\s*[“‘\"(]*$")


def _starts_sentence(before: str) -> bool:
    return bool(SENTENCE_END.search(before))


def _kind(reference: Reference) -> str:
    return "a source" if isinstance(reference.value, syntax.SourceRef) else "a figure"


def _prose(element) -> str:
    """The text of ``element`` and its descendants, code left out."""
    if element.tag in LITERAL_TAGS:
        return ""
    parts = [element.text or ""]
    for child in element:
        parts += [_prose(child), child.tail or ""]
    return "".join(parts)


class LeftoverTokenPostprocessor(Postprocessor):
    """A token that reached the HTML would be published as typed: fail at its line.

    The tree pass already refuses the places it knows (attributes, raw HTML,
    abbreviations); this catches any other.
    """

    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, text: str) -> str:
        leftover = TOKEN.search(text) if TOKEN_START in text else None
        if leftover:
            reference = self.page.references[int(leftover[1])]
            self.page.fail(*line_at(self.page.text, reference.offset),
                           "a figure where none can be shown: it would be published as written",
                           "move it into the page's text")
        return text


def _as_written(page: PageContext, text: str) -> str:
    """``text`` with each token put back as the reference the page wrote."""
    return TOKEN.sub(lambda m: page.references[int(m[1])].written, text)


def _has_token(text) -> bool:
    return bool(text) and TOKEN_START in text


# Elements whose text is shown as written: a reference there stays literal.
LITERAL_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
TOKEN_START = f"{STX}fig:"
TOKEN = re.compile(rf"{STX}fig:(\d+){ETX}")
# A token inside an attribute list ({ title="..." }), which attr_list would read after the figures are in.
ATTRIBUTE_LIST_TOKEN = re.compile(rf"\{{:?[^{{}}\n]*{STX}fig:(\d+){ETX}[^{{}}\n]*\}}")


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    return FiguresExtension(**kwargs)
