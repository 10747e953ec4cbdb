"""A maintainer makes a bad edit to a page; the build says which file and line.

One row per kind of bad edit: the page text planted, the file and line the
error must name, and words the message must hold. Each row converts one
small page in-process with Python-Markdown, configured from mkdocs.yml's
``markdown_extensions`` (read once), with a stand-in for what MkDocs tells
the extension about the page (its source file, the configuration file).
A few rows run MkDocs' own build in-process on a tiny project (front
matter and nav need it) and check that nothing was published.

Lines count in the page's file, front matter included.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from markdown import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from conftest import ROOT
from distill_site.pages import blocks
from distill_site.errors import SiteError
from distill_site.site_config import PythonName, read_site_config

OURS = "distill_site.pages.markdown_ext"
FRONT = "---\ntitle: A page\ndescription: A page for a test.\n---\n"  # 4 lines: the body starts on line 5


def _objects(value):
    """Options as Python-Markdown wants them: each !!python/name as the object it names."""
    if isinstance(value, PythonName):
        return value.resolve()
    if isinstance(value, dict):
        return {key: _objects(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_objects(item) for item in value]
    return value


def _extensions_from_mkdocs_yml() -> tuple[list[str], dict]:
    config = read_site_config(ROOT / "mkdocs.yml")
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        configs[name] = _objects(dict(options or {}))
    # Our data file and words, wherever the test runs; the pages' folder is the test's.
    configs[OURS]["data_file"] = str(ROOT / configs[OURS]["data_file"])
    configs[OURS]["takeaway"] = str(ROOT / configs[OURS]["takeaway"])
    return names, configs


EXTENSIONS, CONFIGS = _extensions_from_mkdocs_yml()
NAV_HOME = "  - Home: index.md"
NAV_LINE = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(NAV_HOME) + 1


class AsMkDocs(Extension):
    """What MkDocs gives our extension: the page's file and the configuration, on 'relpath'."""

    def __init__(self, page: Path, config_file: Path):
        super().__init__()
        self.processor = Treeprocessor()
        self.processor.file = SimpleNamespace(abs_src_path=str(page), src_uri=page.name)
        self.processor.config = SimpleNamespace(config_file_path=str(config_file))
        self.processor.run = lambda root: None

    def extendMarkdown(self, md):
        md.treeprocessors.register(self.processor, "relpath", 0)


class AsZensical(Extension):
    """What Zensical gives instead: a 'rendering_context' preprocessor with the page's path."""

    def __init__(self, page: Path, project: Path):
        super().__init__()
        self.processor = Preprocessor()
        self.processor.page = SimpleNamespace(path=page.relative_to(project / "docs").as_posix())
        self.processor.config = {"root_dir": str(project), "docs_dir": "docs"}
        self.processor.run = lambda lines: lines

    def extendMarkdown(self, md):
        md.preprocessors.register(self.processor, "rendering_context", 0)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A folder to build in: docs/ and a copy of mkdocs.yml; errors name files relative to it."""
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def convert_page(project: Path, body: str, *, front: str = FRONT, tool: str = "mkdocs") -> str:
    """Write docs/page.md (front matter + body) and convert it as the build tool would."""
    page = project / "docs" / "page.md"
    page.write_text(front + body, encoding="utf-8")
    stand_in = AsMkDocs(page, project / "mkdocs.yml") if tool == "mkdocs" else AsZensical(page, project)
    configs = {**CONFIGS, OURS: {**CONFIGS[OURS], "docs_dir": str(project / "docs")}}
    md = markdown.Markdown(extensions=[stand_in, *EXTENSIONS], extension_configs=configs)
    html = md.convert(body)  # the build tools strip the front matter before Markdown
    assert "\x02" not in html and "\x03" not in html, "a placeholder leaked into the page"
    return html


@dataclass(frozen=True)
class Bad:
    name: str
    body: str  # the page after its front matter (which ends on line 4)
    where: str  # file:line the message must start with
    words: str  # what the message must say
    front: str = FRONT
    nav_title: str | None = None  # planted as the Home nav title in mkdocs.yml
    chapter: str | None = None  # planted as docs/what-is-distillation.md, a chapter the page's block reads


def chart(**fields) -> str:
    """A page with a bar chart declared from line 7 (its fields from line 8); a field given None is left out."""
    declared = {"type": "bar chart", "id": "a-chart", "title": "A chart", "caption": "A caption.",
                "summary": "The numbers", "columns": "[What, How many, Stated by]", **fields}
    figure = declared.pop("figure", "alibaba_exchanges")
    lines = [f"{name}: {value}" for name, value in declared.items() if value is not None]
    return "Intro.\n\n```chart\n" + "\n".join(lines) + f"\nbars:\n  - figure: {figure}\n    label: A bar\n```\n"


QUIZ = """show answer: Show the answer
marked right: Right.
marked wrong: Not quite.
score: "{right} of {total} right"
questions:
  - question: What does a student model learn from?
    choices:
      - wrong: The teacher's weights
      - right: The teacher's written answers
    explanation: Only answers travel.
"""


def quiz(*edits: tuple[str, str]) -> str:
    """A page with a quiz declared from line 7 (its fields from line 8: the question on 13, its choices on
    14-16, the explanation on 17), each (old, new) edit made once."""
    text = QUIZ
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    return "Intro.\n\n```quiz\n" + text + "```\n"


# A chapter with a worksheet (docs/what-is-distillation.md): its front matter picks
# the worksheet's questions on lines 3-5; its discussion questions are on lines 16-17.
CHAPTER = """---
title: A chapter
worksheet:
  quiz: [1, 2, 3]
  discussion: 1
---

# A chapter

!!! abstract "In brief"

    - A point.

## Questions { #questions }

1. Why?
2. How?

## Quiz

```quiz
""" + QUIZ.replace("questions:\n", "questions:\n" + "".join(
    f"  - question: Question {n}?\n    choices:\n      - right: It does\n      - wrong: It does not\n    explanation: Because.\n"
    for n in (2, 3)), 1).replace("  - question: What does", "  - question: And what does") + "```\n"
WORKSHEET = "{{ block:worksheet what-is-distillation }}\n"


def worksheet(*edits: tuple[str, str]) -> str:
    """The chapter above, each (old, new) edit made once."""
    text = CHAPTER
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    return text


BAD = [
    # Item 1: references that would be published as written.
    Bad("figure in an HTML block", "Intro.\n\n<div>{{ fig:alibaba_exchanges }}</div>\n",
        "docs/page.md:7", "a figure cannot go in raw HTML"),
    Bad("figure in a raw <details><summary>", "Intro.\n\n<details><summary>About {{ fig:alibaba_accounts }}"
        "</summary>\nText.\n</details>\n", "docs/page.md:7", "add the markdown attribute"),
    Bad("figure in an HTML comment", "Intro.\n\n<!-- {{ fig:campaign_days }} -->\n",
        "docs/page.md:7", "a figure cannot go in an HTML comment"),
    Bad("figure in an inline HTML attribute", 'A <span title="{{ fig:campaign_days }}">word</span>.\n',
        "docs/page.md:5", "a figure cannot go in raw HTML"),
    Bad("unterminated reference", "Intro.\n\nIt lasted {{ fig:campaign_days and more.\n",
        "docs/page.md:7", "this '{{' opens no whole reference"),
    Bad("one closing brace", "It lasted {{fig:campaign_days} in all.\n",
        "docs/page.md:5", "this '{{' opens no whole reference"),
    Bad("nested references", "Line.\nIt lasted {{ fig:{{ fig:campaign_days }} }}.\n",
        "docs/page.md:6", "this '{{' opens no whole reference"),
    Bad("a closing pair with no opening", "It lasted fig:campaign_days }} in all.\n",
        "docs/page.md:5", "this '}}' closes no reference"),
    Bad("one brace each side", "It lasted { fig:campaign_days } in all.\n",
        "docs/page.md:5", "has one brace where it needs two"),
    Bad("figure in the front matter's title", "Text.\n",
        "docs/page.md:2", "a figure cannot go in the front matter",
        front="---\ntitle: The {{ fig:campaign_days }} campaign\n---\n"),
    Bad("figure in the front matter's description", "Text.\n",
        "docs/page.md:3", "<title>, link previews, the nav and the sitemap",
        front="---\ntitle: A page\ndescription: It ran {{ fig:campaign_days }}.\n---\n"),
    Bad("figure in a nav title", "Text.\n", f"mkdocs.yml:{NAV_LINE}", "a figure cannot go in a nav title",
        nav_title='  - "Home, {{ fig:campaign_days }}": index.md'),
    Bad("figure in an image's alt text", "![Chart of {{ fig:alibaba_accounts }} accounts](chart.png)\n",
        "docs/page.md:5", "a figure cannot go in an image's alt text"),
    Bad("figure in an abbreviation's definition", "The API.\n\n*[API]: about {{ fig:campaign_days }}\n",
        "docs/page.md:7", "a figure cannot go in an abbreviation's definition"),
    Bad("figure in a link's title", 'See [the numbers](numbers.md "{{ fig:campaign_days }}").\n',
        "docs/page.md:5", "a figure cannot go in a title"),
    Bad("figure in an attribute list", 'A paragraph.\n{ title="{{ fig:campaign_days }}" }\n',
        "docs/page.md:6", "a figure cannot go in an attribute list"),
    # Item 2: figures typed by hand, as the reader sees them.
    Bad("typed figure", "Intro.\n\nAnthropic alleges 28.8 million exchanges.\n",
        "docs/page.md:7", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure wrapped over two lines", "Intro.\n\nAnthropic alleges 28.8\nmillion exchanges.\n",
        "docs/page.md:7", "{{ fig:alibaba_exchanges }}"),
    Bad("typed date wrapped over two lines", "It began on April\n22, 2026, reports say.\n",
        "docs/page.md:5", "the figure 'April 22, 2026' is typed by hand"),
    Bad("typed figure with a non-breaking space", "It was 28.8\u00a0million.\n",
        "docs/page.md:5", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure with &nbsp;", "It was 28.8&nbsp;million.\n",
        "docs/page.md:5", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure with a zero-width space", "It was 28.8 \u200bmillion.\n",
        "docs/page.md:5", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure with a capital", "Intro.\n\nIt was 28.8 Million.\n",
        "docs/page.md:7", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure half in bold", "It was **28.8** million.\n",
        "docs/page.md:5", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure in full-width digits", "It was \uff12\uff18.\uff18 million.\n",
        "docs/page.md:5", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure in a table cell", "| What | How many |\n| --- | --- |\n| Accounts | 25,000 |\n",
        "docs/page.md:7", "the figure '25,000' is typed by hand"),
    Bad("typed figure in raw HTML", "Intro.\n\n<div>It was 28.8 million.</div>\n",
        "docs/page.md:7", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure in alt text", "![28.8 million exchanges](chart.png)\n",
        "docs/page.md:5", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure over a hard line break", "It was 28.8  \nmillion.\n",
        "docs/page.md:5", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure split by a tag over two lines", 'It was 28.8 <span\nclass="x">million</span>.\n',
        "docs/page.md:5", "the figure '28.8 million' is typed by hand"),
    Bad("typed figure split by a reference link", "Intro.\n\nIt was [28.8][r] million.\n\n[r]: numbers.md\n",
        "docs/page.md:7", "the line is approximate"),
    # Item 3: smaller holes.
    Bad("unknown figure in a fenced code block", "Intro.\n\n```\n{{ fig:no_such_figure }}\n```\n",
        "docs/page.md:8", "unknown figure 'no_such_figure'"),
    Bad("unknown figure in an indented code block", "Intro.\n\n    {{ fig:no_such_figure }}\n",
        "docs/page.md:7", "unknown figure 'no_such_figure'"),
    Bad("unknown figure in inline code", "Write `{{ fig:no_such_figure }}`.\n",
        "docs/page.md:5", "unknown figure 'no_such_figure'"),
    Bad("ATX heading with a figure and no id", "Intro.\n\n## The {{ fig:campaign_days }} campaign\n",
        "docs/page.md:7", "a heading with a figure in it needs its own id"),
    Bad("setext heading with a figure and no id", "Intro.\n\nThe {{ fig:campaign_days }} campaign\n----\n",
        "docs/page.md:7", "a heading with a figure in it needs its own id"),
    Bad("the same block twice", "{{ block:sources }}\n\nText.\n\n{{ block:sources }}\n",
        "docs/page.md:9", "would repeat ids the {{ block:sources }} on line 5 already made"),
    Bad("unknown block", "Intro.\n\n{{ block:numbrs }}\n", "docs/page.md:7", "unknown block 'numbrs'"),
    Bad("the as-of line on a page that cites no dated report", "{{ block:as-of }}\n\nNo figures here.\n",
        "docs/page.md:5", "{{ block:as-of }} is on a page whose figures cite no dated report"),
    # Sources named by reference ({{ source:id }}), as prose is.
    Bad("unknown source", "Intro.\n\nAs {{ source:s1-featur }} says.\n",
        "docs/page.md:7", "unknown source 's1-featur'; close ids: s1-feature"),
    Bad("unknown source in inline code", "Write `{{ source:no-such-source }}`.\n",
        "docs/page.md:5", "unknown source 'no-such-source'"),
    Bad("source in an HTML block", "Intro.\n\n<div>{{ source:s3-pymnts }}</div>\n",
        "docs/page.md:7", "a source cannot go in raw HTML"),
    Bad("source in an image's alt text", "![As {{ source:s3-pymnts }} says](chart.png)\n",
        "docs/page.md:5", "a source cannot go in an image's alt text"),
    Bad("heading with a source and no id", "Intro.\n\n## What {{ source:s3-pymnts }} says\n",
        "docs/page.md:7", "a heading with a source in it needs its own id"),
    # Item 4: charts and diagrams declared in the page (the fence's first field is on line 8).
    Bad("chart naming an unknown figure", chart(figure="alibaba_exchangez"),
        "docs/page.md:15", "names unknown figure 'alibaba_exchangez'; close keys: alibaba_exchanges"),
    Bad("chart without a caption", chart(caption=None), "docs/page.md:8", "the bar chart has no 'caption'"),
    Bad("chart that is not valid YAML", chart(caption="Exchanges: in each campaign"),
        "docs/page.md:11", "not valid YAML"),
    Bad("chart of an unknown type", chart(type="pie chart"),
        "docs/page.md:8", "has type 'pie chart' (the types are: bar chart, timeline, period, boxes and arrows)"),
    Bad("chart with a misspelt field", chart().replace("summary:", "sumary:"),
        "docs/page.md:12", "unknown field 'sumary' in the bar chart (did you mean 'summary'?"),
    Bad("chart bar showing a date", chart(figure="campaign_start"),
        "docs/page.md:15", "names 'campaign_start', a date, where a count or a ratio or a duration is needed"),
    Bad("figure typed by hand in a chart's caption", chart(caption="It ran for 44 days."),
        "docs/page.md:11", "types the figure '44 days' by hand"),
    Bad("unknown figure in a chart's caption", chart(caption="It ran {{ fig:campaign_dayz }}."),
        "docs/page.md:11", "unknown figure 'campaign_dayz'"),
    Bad("diagram declared in a chart fence", chart(type="boxes and arrows"),
        "docs/page.md:8", "a boxes and arrows goes in a ```diagram block"),
    Bad("chart in an admonition", "!!! note\n\n    " + chart(type="bar chrt")[len("Intro.\n\n"):].replace("\n", "\n    "),
        "docs/page.md:8", "has type 'bar chrt'"),
    # A chapter's self-check quiz, declared in the page (the fence's first field is on line 8).
    Bad("quiz question with no right choice", quiz(("- right:", "- wrong:")),
        "docs/page.md:14", "question 1 of the quiz has no right choice; it needs exactly one"),
    Bad("quiz question with two right choices", quiz(("- wrong:", "- right:")),
        "docs/page.md:14", "question 1 of the quiz has 2 right choices; it needs exactly one"),
    Bad("quiz question with a misspelt field", quiz(("explanation:", "explanaton:")),
        "docs/page.md:17", "unknown field 'explanaton' in question 1 of the quiz (did you mean 'explanation'?"),
    Bad("quiz with a misspelt field of its own", quiz(("marked wrong:", "marked wong:")),
        "docs/page.md:10", "unknown field 'marked wong' in the quiz (did you mean 'marked wrong'?"),
    Bad("quiz choice marked neither right nor wrong", quiz(("- wrong:", "- correct:")),
        "docs/page.md:15", "must start with 'right:' or 'wrong:', but it has 'correct:'"),
    Bad("quiz question without an explanation", quiz(("    explanation: Only answers travel.\n", "")),
        "docs/page.md:13", "question 1 of the quiz has no 'explanation'"),
    Bad("figure typed by hand in a quiz's explanation", quiz(("Only answers travel.", "It ran for 44 days.")),
        "docs/page.md:17", "types the figure '44 days' by hand"),
    Bad("unknown figure in a quiz question", quiz(("a student model", "{{ fig:campaign_dayz }}")),
        "docs/page.md:13", "unknown figure 'campaign_dayz'"),
    Bad("quiz score with an unknown placeholder", quiz(("{total}", "{all}")),
        "docs/page.md:11", "has '{all}', which would be published as typed"),
    # A chapter's one-page worksheet: the page names the chapter, the chapter's front matter its questions.
    Bad("worksheet of a chapter that does not exist", "{{ block:worksheet what-is-distilation }}\n",
        "docs/page.md:5", "names 'what-is-distilation', which is not a chapter", chapter=worksheet()),
    Bad("worksheet block naming no chapter", "Intro.\n\n{{ block:worksheet }}\n",
        "docs/page.md:7", "{{ block:worksheet }} needs a chapter after its name"),
    Bad("a block that takes no word given one", "{{ block:glossary what-is-distillation }}\n",
        "docs/page.md:5", "{{ block:glossary }} takes no word after its name"),
    Bad("chapter without a worksheet declaration", WORKSHEET,
        "docs/what-is-distillation.md:3", "the chapter's front matter has no 'worksheet:'",
        chapter=worksheet(("worksheet:\n  quiz: [1, 2, 3]\n  discussion: 1\n", ""))),
    Bad("worksheet question beyond the quiz", WORKSHEET, "docs/what-is-distillation.md:4",
        "'quiz' of 'worksheet' names question 7, but the chapter's quiz has 3 questions",
        chapter=worksheet(("[1, 2, 3]", "[1, 2, 7]"))),
    Bad("worksheet discussion question beyond the list", WORKSHEET, "docs/what-is-distillation.md:5",
        "'discussion' of 'worksheet' names question 3, but the chapter's discussion section has 2 questions",
        chapter=worksheet(("discussion: 1", "discussion: 3"))),
    Bad("worksheet discussion question in words", WORKSHEET, "docs/what-is-distillation.md:5",
        "'discussion' of 'worksheet' names 'two', which is not a question number",
        chapter=worksheet(("discussion: 1", "discussion: two"))),
    Bad("worksheet quiz as one number", WORKSHEET, "docs/what-is-distillation.md:4",
        "'quiz' of 'worksheet' must be a list of 3 question numbers", chapter=worksheet(("[1, 2, 3]", "2"))),
    Bad("worksheet quiz with a question twice", WORKSHEET, "docs/what-is-distillation.md:4",
        "'quiz' of 'worksheet' must name 3 different questions, but names [1, 1, 2]",
        chapter=worksheet(("[1, 2, 3]", "[1, 1, 2]"))),
    Bad("worksheet quiz with two questions", WORKSHEET, "docs/what-is-distillation.md:4",
        "'quiz' of 'worksheet' must name 3 different questions, but names [1, 2]",
        chapter=worksheet(("[1, 2, 3]", "[1, 2]"))),
    Bad("worksheet with a misspelt field", WORKSHEET, "docs/what-is-distillation.md:5",
        "unknown field 'discusion' in 'worksheet' (did you mean 'discussion'?)",
        chapter=worksheet(("discussion: 1", "discusion: 1"))),
    Bad("worksheet declaration that is not a set of fields", WORKSHEET, "docs/what-is-distillation.md:3",
        "'worksheet' must be a set of fields: 'quiz' and 'discussion'",
        chapter=worksheet(("worksheet:\n  quiz: [1, 2, 3]\n  discussion: 1\n", "worksheet: [1, 2, 3]\n"))),
]


def refused(project: Path, row: Bad, tool: str = "mkdocs") -> str:
    if row.nav_title:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(NAV_HOME, row.nav_title), encoding="utf-8")
    if row.chapter:
        (project / "docs" / "what-is-distillation.md").write_text(row.chapter, encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        html = convert_page(project, row.body, front=row.front, tool=tool)
        print(html)  # shown only if the page was (wrongly) converted
    return str(caught.value)


@pytest.mark.parametrize("row", BAD, ids=[row.name for row in BAD])
def test_a_bad_edit_names_the_file_and_line(project, row):
    message = refused(project, row)
    assert message.startswith(f"{row.where}: "), message
    assert row.words in message, message
    # The line is exact unless the row is about a line that can only be approximate.
    assert ("approximate" in message) == ("approximate" in row.words), message


ZENSICAL_ROWS = [row for row in BAD if row.name in (
    "figure in an HTML block", "typed figure wrapped over two lines", "unknown figure in a fenced code block",
    "the same block twice", "figure in the front matter's title", "figure in a nav title",
    "chart naming an unknown figure", "chart in an admonition", "quiz question with two right choices",
    "worksheet question beyond the quiz")]


@pytest.mark.parametrize("row", ZENSICAL_ROWS, ids=[row.name for row in ZENSICAL_ROWS])
def test_under_zensical_the_error_names_the_page_and_its_real_line(project, row):
    # Zensical gives no MkDocs file, but its rendering context says which page it is.
    message = refused(project, row, tool="zensical")
    assert message.startswith(f"{row.where}: "), message
    assert row.words in message, message


def test_the_planted_chapter_gives_its_worksheet_when_nothing_is_wrong(project):
    # Else the worksheet rows above could fail for another reason.
    (project / "docs" / "what-is-distillation.md").write_text(CHAPTER, encoding="utf-8")
    html = convert_page(project, WORKSHEET)
    assert "<li>A point.</li>" in html and "<p>Why?</p>" in html
    assert re.findall(r"<li>(Question \d\?|And what does a student model learn from\?)<ul>", html) == [
        "Question 2?", "Question 3?", "And what does a student model learn from?"]


# --- Where a figure does work ---------------------------------------------------------

def test_a_figure_in_link_text_shows_unlinked_not_as_a_link_in_a_link(project):
    html = convert_page(project, "See [the {{ fig:campaign_days }} campaign](numbers.md).\n")
    link = re.search(r'<a href="numbers.md">(.*?)</a>', html)
    assert link and link.group(1) == 'the <span class="fig">44 days</span> campaign', html
    assert html.count("<a") == 1


def test_figures_work_in_html_that_asks_for_markdown(project):
    html = convert_page(project, "<details markdown>\n<summary markdown>About {{ fig:campaign_days }}</summary>\n\n"
                                 "It ran {{ fig:campaign_days | bare }}.\n</details>\n\n"
                                 "<div markdown>Accounts: {{ fig:alibaba_accounts }}.</div>\n")
    assert re.search(r'<summary>About <a class="fig" [^>]*>44 days</a></summary>', html), html
    assert re.search(r'<div>\s*<p>Accounts: <a class="fig" [^>]*>nearly 25,000</a>', html), html


def test_a_setext_heading_with_its_own_id_keeps_it(project):
    html = convert_page(project, "The {{ fig:campaign_days }} campaign { #the-campaign }\n----\n")
    assert re.search(r'<h2 id="the-campaign">The <a class="fig" [^>]*>44 days</a>', html), html


def test_code_typed_words_and_escapes_stay_as_written(project):
    html = convert_page(project, "In code: `28.8 million` and `{{ fig:campaign_days` stay.\n\n"
                                 "```\n28.8 million {{ fig:campaign_days }}\n```\n\n"
                                 "    25,000 accounts\n\n"
                                 "One report says {{ typed:28.8 million }}; write \\{{ fig:key }} to show one.\n\n"
                                 "![{{ typed:28.8 million }} exchanges](chart.png)\n")
    assert "<code>28.8 million</code>" in html and "<code>{{ fig:campaign_days</code>" in html
    assert "28.8 million {{ fig:campaign_days }}" in html
    assert "One report says 28.8 million; write {{ fig:key }} to show one." in html
    assert 'alt="28.8 million exchanges"' in html


def test_what_a_block_writes_from_the_data_file_is_not_typed_by_hand(project, monkeypatch):
    # Data-file text may quote a figure's words (a source's claim); the page did not type them.
    monkeypatch.setitem(blocks.BLOCKS, "quote", blocks.Block(lambda page: ["A report says 28.8 million."]))
    html = convert_page(project, "Intro.\n\n{{ block:quote }}\n")
    assert "<p>A report says 28.8 million.</p>" in html


def test_words_near_a_figure_are_not_taken_for_it(project):
    # Normalising the reader's text must not make figures out of other numbers.
    html = convert_page(project, "Twenty-eight point eight million; 288 million; 28.80 percent; 1,000 days.\n")
    assert "Twenty-eight" in html


# --- The real build: nothing is published -------------------------------------------------

BUILD_ROWS = [row for row in BAD if row.name in (
    "figure in the front matter's title", "figure in a nav title", "figure in an HTML block",
    "typed figure wrapped over two lines", "chart naming an unknown figure")]


def tiny_project(project: Path, row: Bad | None) -> Path:
    """mkdocs.yml with a one-page nav, the real data file and theme; the planted page as index.md."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav_start = config.index("\nnav:\n")
    nav = NAV_HOME if row is None or row.nav_title is None else row.nav_title
    config = config[:nav_start] + f"\nnav:\n{nav}\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "data", project / "data")
    (project / "overrides").symlink_to(ROOT / "overrides")
    body = "# A page { #a-page }\n\nText.\n" if row is None else row.body
    front = FRONT if row is None else row.front
    (project / "docs" / "index.md").write_text(front + body, encoding="utf-8")
    return project


def mkdocs_build(project: Path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site"))
    build(config)


@pytest.mark.parametrize("row", BUILD_ROWS, ids=[row.name for row in BUILD_ROWS])
def test_the_mkdocs_build_fails_and_publishes_nothing(project, row, caplog, monkeypatch):
    from mkdocs.exceptions import Abort
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    tiny_project(project, row)
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        mkdocs_build(project)
    where = row.where.replace("docs/page.md", "docs/index.md")
    assert any(record.getMessage().startswith(f"{where}: ") and row.words in record.getMessage()
               for record in caplog.records), [r.getMessage() for r in caplog.records]
    published = [p for p in (project / "site").rglob("*.html")] if (project / "site").exists() else []
    assert not published, published


def test_the_tiny_project_builds_when_nothing_is_wrong(project, monkeypatch):
    # Else the rows above could fail for another reason.
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    tiny_project(project, None)
    mkdocs_build(project)
    assert (project / "site" / "index.html").is_file()
