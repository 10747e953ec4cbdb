"""A careless or hostile maintainer edits data/figures.yml: a catalogue.

Each row is one bad edit to (a copy of) the real data file and what the
build must answer: the data file's line, and words that say what to do.
Nothing wrong is published: the data rows are refused by ``load_figures``
itself, in-process; markup that got past the loader anyway is shown
literally when the pages are rendered (in-process, with the project's
Markdown extensions); two rows run a real build and find no site written.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from conftest import BUILD_ENV, ROOT, build, copy_project, correct_figure
from distill_site.pages import blocks, chart_fence, markdown_ext, page_context
from distill_site.tools import preview_image
from distill_site.errors import SiteError
from distill_site.facts.figures import load_figures
from distill_site.pages.markdown_ext import FiguresExtension
from distill_site.facts.yaml_lines import load_yaml

DATA = ROOT / "data" / "figures.yml"

# Entries planted at the top of each section of a copy of the real file.
# A row changes one field of one of them (or adds a field), so it does not
# depend on the texts of the real file, which are edited by hand.
PLANTED = {
    "sources": """\
  - id: planted-source
    short: Planted source
    publisher: Planted publisher
    title: "[An untitled planted report]"
    kind: news report
    archive: none
""",
    "figures": """\
  - id: planted_figure
    label: A planted figure
    value: 7654321
    kind: count
    qualifier: about
    sources: [planted-source]
""",
    "timeline": """\
  - when: 2026-01
    text: A planted event.
    sources: [planted-source]
""",
    "conflicts": """\
  - id: planted-conflict
    topic: A planted disagreement
    claims:
      - sources: [planted-source]
        says: One planted claim.
    note: Our planted reading.
""",
    "glossary": """\
  - term: planted term
    definition: A planted definition.
""",
}


def planted_file(tmp_path: Path, section: str | None = None, field: str | None = None,
                 value: str | None = None, entry: str | None = None) -> tuple[Path, str]:
    """A copy of the data file with the planted entries; in ``section``, ``field``
    set to ``value`` (a YAML line's right-hand side), or the whole entry replaced."""
    text = DATA.read_text(encoding="utf-8")
    for name, planted in PLANTED.items():
        if name == section and entry is not None:
            planted = entry
        elif name == section:
            pattern = re.compile(rf"^(\s*(?:- )?){field}:.*$", re.M)
            if pattern.search(planted):
                planted = pattern.sub(lambda m: f"{m[1]}{field}: {value}", planted, count=1)
            else:
                planted += f"    {field}: {value}\n"
        text, found = re.subn(rf"^{name}:\n", lambda m: m.group(0) + planted, text, count=1, flags=re.M)
        assert found, f"the data file has no '{name}:' section"
    path = tmp_path / "figures.yml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, marker: str) -> int:
    assert text.count(marker) == 1, f"{marker!r} must occur once in the edited file"
    return text[:text.index(marker)].count("\n") + 1


@dataclass(frozen=True)
class Bad:
    """One bad edit: where, what is written, the text on the line blamed, the words expected."""

    section: str
    field: str
    value: str
    marker: str
    words: tuple[str, ...]
    entry: str | None = None

    def __str__(self):
        return f"{self.section}.{self.field}: {self.value[:30]}"


def bad(section, field, value, *words, marker=None):
    return Bad(section, field, value, marker or value, words)


def bad_entry(section, entry, marker, *words):
    return Bad(section, "", "", marker, words, entry)


CATALOGUE = [
    # 1. Markup in data text: plain words and {{ fig:key }} references only.
    bad("sources", "note", "Read [this](javascript:alert(1)) first.", "a link or image"),
    bad("figures", "label", "A figure ![t](https://tracker.example/a.png)", "a link or image"),
    bad("timeline", "text", "'It *happened*{ onmouseover=\"alert(1)\" } then.'", "a brace { or }"),
    bad("conflicts", "topic", "Who { onmouseover=alert(1) } said it", "a brace { or }"),
    bad("conflicts", "says", "Claims <img src=x onerror=alert(1)> this.", "an HTML tag"),
    bad("sources", "title", "'<script>alert(1)</script>'", "an HTML tag"),
    bad("glossary", "definition", "'[r]: https://tracker.example/r'", "a link definition"),
    bad("glossary", "term", "'planted [term][r]'", "a link or image"),
    bad("sources", "publisher", "Planted &#106;avascript publisher", "an HTML character code"),
    bad("sources", "short", "Planted `code` source", "a backtick"),
    bad("sources", "name", "the *planted* source", "an emphasis marker"),
    bad("sources", "introduction", "a planted report <b>of June</b>", "an HTML tag"),
    bad("conflicts", "note", "Our _planted_ reading.", "an emphasis marker"),
    bad("figures", "note", "'A **bold** note.'", "an emphasis marker"),
    bad("timeline", "text", "A planted \\{{ fig:planted_figure }} event.", "a backslash"),
    bad("sources", "note", '"A \\x02fig:0\\x03 token."', "an invisible control character", marker="x02fig"),
    # 2. Numbers read as written, or refused.
    bad("figures", "value", "076543210", "octal", "write 76543210, digits only"),
    bad("figures", "value", "25:00", "base-60", "digits only"),
    bad("figures", "value", "7_654_321", "underscores", "write 7654321, digits only"),
    bad("figures", "value", "0x61A8", "hexadecimal", "write 25000"),
    bad("figures", "value", "1e6", "exponent", "1000000"),
    bad("figures", "value", "1.5e+6", "exponent", "1500000"),
    bad("figures", "value", "+7654321", "plus sign", "write 7654321"),
    bad("figures", "value", ".nan", "not a number a figure can have"),
    bad("figures", "value", ".inf", "not a number a figure can have"),
    bad("figures", "value", "-.inf", "not a number a figure can have"),
    bad("figures", "value", "9" * 400, "larger than 1,000,000,000,000,000", "surely a typo"),
    bad("sources", "date", "2026-02-30", "not a date that exists", "check the day and the month"),
    bad("sources", "date", "2026-06-10T10:00:00", "date with a time", "YYYY-MM-DD"),
    bad("timeline", "when", "2026-02-29", "not a date that exists"),
    # 2. A list, mapping or scalar where something else belongs: one line, no traceback.
    bad_entry("figures", "  - [planted, list]\n", "[planted, list]", "must be a set of fields"),
    bad_entry("glossary", "  - just a word\n", "just a word", "must be a set of fields"),
    bad("figures", "sources", "{planted-source: yes}", "must be a list", marker="{planted-source: yes}"),
    bad("timeline", "sources", "planted-source", "must be a list", marker="    sources: planted-source\n"),
    bad("figures", "sources", "[[planted-source]]", "lists a list among its sources"),
    bad_entry("conflicts", "  - id: planted-conflict\n    topic: A topic\n    claims: one claim\n",
              "claims: one claim", "must be a list"),
    bad_entry("conflicts", "  - id: planted-conflict\n    topic: A topic\n    claims:\n      - [a, b]\n",
              "- [a, b]", "must be a set of fields"),
    bad_entry("figures", "  - id: planted_figure\n    label: L\n    derive: quotient\n    kind: count\n"
              "    sources: []\n", "derive: quotient", "'derive' must be"),
    bad_entry("figures", "  - id: planted_figure\n    label: L\n    derive: {op: [quotient], of: [a, b]}\n"
              "    kind: count\n    sources: []\n", "derive: {op: [quotient]", "unknown operation"),
    bad("sources", "short", "[a, list]", "must be text", marker="short: [a, list]"),
    bad("sources", "short", "yes", "YAML reads it as bool", "put it in quotes", marker="short: yes"),
    bad("figures", "label", "", "is empty", marker="label: \n"),
    bad_entry("figures", "  - id: planted_figure\n    ? [a, b]\n    : x\n", "? [a, b]", "used as a field name"),
    # 3. Every reference in every text, blamed on the data file's line.
    bad("sources", "note", "See {{ fig:planted_figuer }}.", "unknown figure 'planted_figuer'", "planted_figure"),
    bad("glossary", "definition", "About {{ fig:no_such_figure }}.", "unknown figure 'no_such_figure'"),
    bad("figures", "label", "A label with {{ fig:no_such_figure }}", "unknown figure"),
    bad("conflicts", "topic", "When {{ fig:no_such_figure }} happened", "unknown figure"),
    bad("conflicts", "says", "It says {{ fig:planted_figure | long }}.", "its formats are"),
    bad("timeline", "text", "An event {{ block:numbers }} here.", "is not a figure reference"),
    bad("sources", "publisher", "Publisher of {{ fig:no_such_figure }}", "unknown figure"),
    bad("sources", "introduction", "A report of {{ fig:no_such_figure }}", "unknown figure"),
    bad("sources", "note", "As {{ source:s1-feature }} says.", "is not a figure reference"),
    # 4. The data file's own texts are linted for hand-typed figures.
    bad("sources", "note", "It counted 7,654,321 exchanges.", "types the figure '7,654,321' by hand",
        "{{ fig:planted_figure }}", "{{ typed:7,654,321 }}"),
    bad("conflicts", "says", "About 7.65 million of them.", "types the figure '7.65 million' by hand"),
    bad("glossary", "definition", "One of the 7.65M exchanges.", "types the figure '7.65M' by hand"),
    # 5. Glossary terms that are everyday words.
    bad("glossary", "term", "the", "is an everyday word", marker="term: the\n"),
    bad("glossary", "term", "And", "is an everyday word", marker="term: And\n"),
    bad("glossary", "term", "of the", "is an everyday word", marker="term: of the\n"),
    bad("glossary", "term", "'44'", "has no letters"),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_a_bad_edit_is_refused_with_the_data_files_line(tmp_path, case):
    path, text = planted_file(tmp_path, case.section, case.field, case.value, case.entry)
    with pytest.raises(SiteError) as caught:
        load_figures(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line_of(text, case.marker)}: "), message
    for words in case.words:
        assert words in message, message
    assert "\n" not in message, "one line, no traceback"


def test_the_planted_entries_themselves_are_fine(tmp_path):
    """So each row above fails for its one edit, not for the planted entries."""
    path, _ = planted_file(tmp_path)
    facts = load_figures(path)
    assert facts.figures["planted_figure"].value == 7654321


# Plain text keeps working: brackets alone, curly quotes, dashes, ampersands, references.
GOOD = [
    ("sources", "title", "\"[Letter to the senators, untitled]\""),
    ("sources", "note", "It says “hot takes” – and ‘others’ — aren't reporting (see p. 2); AT&T, C# & 3 < 4."),
    ("figures", "note", "'Our sum: {{ fig:planted_figure }}, or {{ fig:planted_figure | full bare }}.'"),
    ("conflicts", "says", "It says {{ typed:7,654,321 }} exchanges, as the source wrote."),
    ("figures", "value", "0"),
    ("figures", "value", "1000000000000000"),
    ("glossary", "term", "US"),
    ("glossary", "term", "GPU"),
    ("glossary", "term", "the teacher"),
]


@pytest.mark.parametrize("section, field, value", GOOD, ids=[f"{s}.{f}: {v[:25]}" for s, f, v in GOOD])
def test_ordinary_text_and_plain_numbers_still_load(tmp_path, section, field, value):
    path, _ = planted_file(tmp_path, section, field, value)
    load_figures(path)


def test_a_name_that_begins_like_a_number_with_an_exponent_is_text():
    # The archived copies of the sources have names like this one; only a whole
    # value such as 1e6 is a number with an exponent.
    data = load_yaml("archive: 003_e33426dfd86f6488.txt\nplain: 1e6x\n", "figures.yml")
    assert data == {"archive": "003_e33426dfd86f6488.txt", "plain": "1e6x"}


# --- Whatever gets past the loader still shows literally ---------------------------------

PAYLOADS = [
    '[x](javascript:alert(1)) ![t](https://tracker.example/a.png) *word*{ onmouseover="alert(1)" }',
    "<img src=x onerror=alert(1)> <script>alert(1)</script> `code` &#106;avascript _em_ \\*",
    "[r]: https://tracker.example/r",
    "# A heading",
    "- a list item",
    "1. an ordered item | a | cell",
    "\x02fig:0\x03 <!-- a comment -->",
]


def _source(facts, text, field):
    key = next(iter(facts.sources))
    facts.sources[key] = dataclasses.replace(facts.sources[key], **{field: text})


def _figure(facts, text, field):
    setattr(next(iter(facts.figures.values())), field, text)


def _event(facts, text):
    facts.timeline[0] = dataclasses.replace(facts.timeline[0], text=text)


def _conflict(facts, text, field):
    conflict = facts.conflicts[0]
    if field == "says":
        claims = (dataclasses.replace(conflict.claims[0], says=text),) + conflict.claims[1:]
        facts.conflicts[0] = dataclasses.replace(conflict, claims=claims)
    else:
        facts.conflicts[0] = dataclasses.replace(conflict, **{field: text})


def _term(facts, text, field):
    facts.glossary[0] = dataclasses.replace(facts.glossary[0], **{field: text})


def _timeline_chart() -> str:
    """The timeline chart as docs/timeline.md declares it, fence and all."""
    fence = next(f for f in chart_fence.fences_in((ROOT / "docs" / "timeline.md").read_text(encoding="utf-8")
                                                  .splitlines()) if "type: timeline" in f.lines)
    return "```chart\n" + "\n".join(fence.lines) + "\n```\n"


# (what is planted, the block that shows it: a block's name, or a chart's fence)
PLANTS = [
    (lambda f, t: _source(f, t, "short"), "sources"),
    (lambda f, t: _source(f, t, "short"), "numbers"),
    (lambda f, t: _source(f, t, "title"), "sources"),
    (lambda f, t: _source(f, t, "publisher"), "sources"),
    (lambda f, t: _source(f, t, "note"), "sources"),
    (lambda f, t: _figure(f, t, "label"), "numbers"),
    (lambda f, t: _figure(f, t, "note"), "numbers"),
    (_event, _timeline_chart()),
    (lambda f, t: _conflict(f, t, "topic"), "conflicts"),
    (lambda f, t: _conflict(f, t, "says"), "conflicts"),
    (lambda f, t: _conflict(f, t, "note"), "conflicts"),
    (lambda f, t: _term(f, t, "term"), "glossary"),
    (lambda f, t: _term(f, t, "definition"), "glossary"),
]
PLANT_NAMES = ["source short", "source short in a table", "source title", "source publisher", "source note",
               "figure label", "figure note", "event text", "conflict topic",
               "claim", "conflict note", "glossary term", "glossary definition"]


class PageReader(HTMLParser):
    """What a reader's browser would make of the page: elements, attributes, visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []  # a chart's drawing counts as one <svg>: its text wraps
        self.attributes: list[tuple[str, dict]] = []  # every element's, the drawing's too
        self.text: list[str] = []
        self._in_svg = 0

    def handle_starttag(self, tag, attrs):
        self.attributes.append((tag, dict(attrs)))
        if not self._in_svg:
            self.tags.append((tag, dict(attrs)))
        self._in_svg += tag == "svg"

    def handle_endtag(self, tag):
        self._in_svg -= tag == "svg"

    def handle_data(self, data):
        self.text.append(data)


def render(monkeypatch, facts, page: str) -> str:
    """A page through Python-Markdown with the site's extensions, on these facts."""
    monkeypatch.setattr(page_context, "cached_facts", lambda data_file: facts)
    # The numbers page's "used on" column reads every page; it shows no data text.
    monkeypatch.setattr(blocks, "where_used", lambda page: {})
    fences = [{"name": name, "class": "chart", "format": chart_fence.format_fence} for name in ("chart", "diagram")]
    md = markdown.Markdown(extensions=["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
                                       "tables", "toc", "pymdownx.superfences",
                                       FiguresExtension(data_file=str(DATA), docs_dir=str(ROOT / "docs"),
                                                        takeaway=str(ROOT / "data" / "takeaway.yml"))],
                           extension_configs={"pymdownx.superfences": {"custom_fences": fences}})
    return md.convert(page)


@pytest.fixture(scope="module")
def real_facts():
    return load_figures(DATA)


def read_block(monkeypatch, facts, plant, block: str, text: str) -> PageReader:
    facts = copy.deepcopy(facts)
    facts.memo.clear()
    plant(facts, text)
    reader = PageReader()
    reader.feed(render(monkeypatch, facts, block if block.startswith("```") else f"{{{{ block:{block} }}}}\n"))
    if block.startswith("```"):
        assert "figure" in [tag for tag, _ in reader.tags], "the chart was not drawn"
    return reader


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p[:20])
@pytest.mark.parametrize("plant, block", PLANTS, ids=PLANT_NAMES)
def test_markup_that_got_past_the_loader_shows_literally(monkeypatch, real_facts, plant, block, payload):
    page = read_block(monkeypatch, real_facts, plant, block, payload)
    # The same block with plain words there: the payload must add no element.
    # (A title in brackets is a description, not italicised; abbr cannot see through escapes.)
    plain = read_block(monkeypatch, real_facts, plant, block,
                       "[Plain words]" if payload.startswith("[") else "Plain words")
    assert [tag for tag, _ in page.tags if tag != "abbr"] == [tag for tag, _ in plain.tags if tag != "abbr"]
    for tag, attributes in page.attributes:
        assert not any(name.startswith("on") for name in attributes), (tag, attributes)
        for name in ("href", "src"):
            assert not re.search(r"javascript:|tracker", attributes.get(name) or ""), (tag, attributes)
    visible = " ".join("".join(page.text).split())
    assert payload.replace("\x02", "\ufffd").replace("\x03", "\ufffd") in visible, visible


# --- The preview image follows the data --------------------------------------------------

def test_a_changed_headline_figure_makes_the_preview_image_stale(tmp_path):
    figure = load_figures(DATA).figures[preview_image.headline_figure(ROOT / "mkdocs.yml")]
    text = DATA.read_text(encoding="utf-8")
    assert text.count(f"value: {figure.value}\n") == 1
    path = tmp_path / "figures.yml"
    path.write_text(text.replace(f"value: {figure.value}\n", f"value: {figure.value + 1}\n"), encoding="utf-8")
    preview_image.check_fresh(ROOT / preview_image.DEFAULT_OUT, DATA, ROOT / "mkdocs.yml")  # today's is fresh
    with pytest.raises(SiteError) as caught:
        preview_image.check_fresh(ROOT / preview_image.DEFAULT_OUT, path, ROOT / "mkdocs.yml")
    message = str(caught.value)
    assert message.startswith(f"{path}:{figure.line}: the headline figure changed"), message
    assert f"={figure.value + 1}" in message and "make preview-image" in message


# --- Two real builds: refused, and nothing written ----------------------------------------

def nothing_published(site: Path) -> bool:
    return not site.exists() or not any(site.iterdir())


def test_markup_in_the_data_file_stops_the_build_before_anything_is_written(tmp_path):
    project = copy_project(tmp_path / "project")
    path, text = planted_file(tmp_path, "sources", "note", "See [this](javascript:alert(1)).")
    shutil.copy(path, project / "data" / "figures.yml")
    result = build(project)
    assert not result.ok
    assert f"data/figures.yml:{line_of(text, 'See [this]')}: 'note' of source 'planted-source' has a link" \
        in result.output, result.output
    assert "Traceback" not in result.output
    assert nothing_published(result.site)


def test_make_build_stops_on_a_stale_preview_image_before_anything_is_written(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    figure = load_figures(DATA).figures[preview_image.headline_figure(ROOT / "mkdocs.yml")]
    # A correction recorded as it should be: only the preview image is left behind.
    correct_figure(project, figure.value, figure.value + 2_400_000)
    venv = ROOT / ".venv"
    # -o: use the project's own virtualenv as it is, never reinstall it from the copy,
    # and install no HTML checker into the copy (the build stops long before it).
    result = subprocess.run(["make", "-s", "build", f"VENV={venv}", "-o", f"{venv}/.site-installed",
                             "-o", "html-checker"],
                            cwd=project, env=BUILD_ENV, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"data/figures.yml:{figure.line}: the headline figure changed" in output, output
    assert "make preview-image" in output and "Traceback" not in output
    assert nothing_published(project / "site")
