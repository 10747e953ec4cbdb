"""A reader meets each source once, in plain words, and knows how old the facts are.

A chapter names a source by reference, ``{{ source:s1-feature }}``: the
first time, the data file's introduction ("a Washington news feature of
June 25, 2026, which draws on Reuters"), after that its name ("the
Washington news feature"), each linked to its entry on the Sources page.
Under its In brief box each chapter says "as of" the day its facts were
last checked (``facts_checked_on``) and the date of the newest report its
figures cite; the foot of every printed page gives the same day.

Each story renders the real chapters in-process, with a copy of the data
file that a maintainer has edited.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import markdown
import pytest

from conftest import ROOT
from distill_site.errors import SiteError
from distill_site.facts import syntax
from distill_site.facts.figures import load_figures
from distill_site.facts.formatting import format_value
from distill_site.pages.handouts import data_date, newest_report
from distill_site.pages.presentation import capitalised
from distill_site.tools import pipeline
from test_bad_pages import CONFIGS, EXTENSIONS, OURS, AsMkDocs
from test_chapters import CHAPTERS

PAGES = ["index.md", *CHAPTERS]  # where the story is told: each introduces the sources it names
FACTS = load_figures(ROOT / "data" / "figures.yml")
SOURCE_LINK = re.compile(r'<a class="source" href="[^"]*#src-([a-z0-9-]+)">(.*?)</a>(.?)', re.S)


@pytest.fixture
def project(pages_to_edit) -> Path:
    return pages_to_edit


def edit_data(project: Path, old: str, new: str) -> None:
    data = project / "data" / "figures.yml"
    text = data.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in the data file"
    data.write_text(text.replace(old, new), encoding="utf-8")


def render(project: Path, name: str) -> str:
    """A page of the copy as the build renders it (front matter stripped, as MkDocs does)."""
    page = project / "docs" / name
    configs = {**CONFIGS, OURS: {**CONFIGS[OURS], "data_file": str(project / "data" / "figures.yml"),
                                 "docs_dir": str(project / "docs")}}
    md = markdown.Markdown(extensions=[AsMkDocs(page, project / "mkdocs.yml"), *EXTENSIONS],
                           extension_configs=configs)
    return md.convert(syntax.without_front_matter(page.read_text(encoding="utf-8")))


def mentions(page_html: str) -> list[tuple[str, str, str]]:
    """Each source named on the page, in order: (id, the words shown, the character after them)."""
    return [(ident, html.unescape(words), after) for ident, words, after in SOURCE_LINK.findall(page_html)]


# --- Sources -------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_each_page_introduces_a_source_the_first_time_it_names_it_and_names_it_after(project, page):
    facts = load_figures(project / "data" / "figures.yml")
    seen: set[str] = set()
    named = mentions(render(project, page))
    assert named, f"{page} names no source by reference"
    for ident, words, _ in named:
        source = facts.sources[ident]
        expected = source.name if ident in seen else source.introduction
        expected = expected.replace("{{ typed:", "").replace(" }}", "")
        if "{{" not in expected:  # an introduction with a figure in it is checked below
            assert words in (expected, capitalised(expected)), (page, ident, words)
        seen.add(ident)


def test_a_maintainer_rewrites_a_sources_introduction_and_every_chapter_follows(project):
    edit_data(project, "introduction: a Washington news feature of June 25, 2026, which draws on Reuters",
              "introduction: a planted feature, with a comma in it")
    edit_data(project, "name: the Washington news feature", "name: the planted feature")
    for chapter in CHAPTERS:
        feature = [(words, after) for ident, words, after in mentions(render(project, chapter))
                   if ident == "s1-feature"]
        assert feature, f"{chapter} no longer names the Washington news feature"
        first, *later = feature
        assert first[0].lower() == "a planted feature, with a comma in it", (chapter, first)
        # Set off by commas when the sentence goes on, as an aside is.
        assert first[1] in ",.;)", (chapter, first)
        assert all(words.lower() == "the planted feature" for words, _ in later), (chapter, later)


def test_a_source_starting_a_sentence_is_capitalised_and_one_inside_it_is_not(project):
    page = project / "docs" / "page.md"
    page.write_text("---\ntitle: A page\n---\n{{ source:s0-explainer }} says so. Later, "
                    "{{ source:s0-explainer }} says more.\n\n- {{ source:s0-explainer }} again.\n",
                    encoding="utf-8")
    shown = [words for _, words, _ in mentions(render(project, "page.md"))]
    assert shown == ["An unsigned explainer with no date, which mixes reporting with opinion",
                     "the unsigned explainer", "The unsigned explainer"], shown


# Labels the chapters used before sources had names of their own, and each
# source's name and table label: typed in a sentence, they skip the introduction.
OLD_LABELS = ["Washington-datelined", "news feature", "news summary", "unsigned explainer", "PYMNTS"]
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")


def typed_source_names(text: str) -> list[tuple[int, str]]:
    """(line, words) for each source named in ``text`` without a reference (code and fences left out)."""
    names = set(OLD_LABELS)
    for source in FACTS.sources.values():
        names.update(n.removeprefix("the ") for n in (source.name, source.short) if n)
    blank = lambda match: re.sub(r"[^\n]", " ", match.group(0))  # keeps the lines where they are
    prose = syntax.REFERENCE.sub(blank, CODE.sub(blank, FENCE.sub(blank, text)))
    found = []
    for name in names:
        words = r"\s+".join(map(re.escape, name.split()))
        for match in re.finditer(rf"(?<![\w-]){words}(?![\w-])", prose, re.I):
            found.append((prose.count("\n", 0, match.start()) + 1, match.group(0)))
    return sorted(found)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_names_its_sources_only_by_reference(page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    typed = typed_source_names(text)
    assert not typed, "\n".join(f"docs/{page}:{line}: '{words}' is typed by hand: write {{{{ source:id }}}}"
                                for line, words in typed)


def test_the_check_for_typed_source_names_finds_one_wrapped_over_two_lines():
    text = "---\ntitle: x\n---\nIntro.\n\nAs the Washington-datelined\nfeature and the news\nsummary say.\n"
    assert typed_source_names(text) == [(6, "Washington-datelined"), (7, "news\nsummary")]
    assert typed_source_names("`the news summary` and {{ source:s2-summary }}.") == []


# --- As of ---------------------------------------------------------------------------------

def as_of_line(page_html: str) -> str:
    found = re.findall(r'<p class="as-of">(.*?)</p>', page_html, re.S)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_says_how_old_its_facts_are_under_its_in_brief(project, chapter):
    page_html = render(project, chapter)
    brief_end = page_html.index("</div>", page_html.index("In brief"))
    line = as_of_line(page_html)
    assert page_html.index('<p class="as-of">') > brief_end
    assert page_html.index('<p class="as-of">') < page_html.index("<h2")
    assert line.startswith(f"Facts as of {format_value('date', FACTS.checked_on)}, when they were last checked")
    text = (ROOT / "docs" / chapter).read_text(encoding="utf-8")
    keys = set(syntax.figure_keys_in(text))
    newest = max(FACTS.sources[s].date for k in keys for s in FACTS.figures[k].sources if FACTS.sources[s].date)
    assert line.endswith(f"the newest report used here is dated {format_value('date', newest)}."), line


def test_a_maintainer_checks_the_facts_again_and_every_chapter_and_the_printed_foot_say_so(project):
    edit_data(project, f"facts_checked_on: {FACTS.checked_on.isoformat()}", "facts_checked_on: 2026-12-24")
    for chapter in CHAPTERS:
        assert as_of_line(render(project, chapter)).startswith("Facts as of December 24, 2026,"), chapter
    # The foot of every printed page (mkdocs.yml's extra.data_date, set by the build) reads the same day.
    assert pipeline.data_date(project / "mkdocs.yml") == "December 24, 2026"


def test_the_newest_report_is_that_of_the_figures_the_page_shows(project):
    # The letter's date is stated by the unsigned explainer (undated) and the June 25 feature;
    # a derived figure counts the sources of the figures it is computed from.
    assert newest_report(FACTS, ["letter_date"]) == dt.date(2026, 6, 25)
    assert newest_report(FACTS, ["february_total"]) == dt.date(2026, 6, 25)
    assert newest_report(FACTS, ["february_total", "congress_public_end"]) == dt.date(2026, 6, 26)
    page = project / "docs" / "page.md"
    page.write_text("---\ntitle: A page\n---\n{{ block:as-of }}\n\nThe letter is dated {{ fig:letter_date }}.\n",
                    encoding="utf-8")
    assert as_of_line(render(project, "page.md")).endswith("is dated June 25, 2026.")


def test_screen_and_paper_read_the_same_date():
    assert data_date(FACTS) == FACTS.checked_on


def test_without_facts_checked_on_a_chapter_fails_at_its_as_of_line(project):
    edit_data(project, f"facts_checked_on: {FACTS.checked_on.isoformat()}\n", "")
    chapter = CHAPTERS[0]
    lines = (project / "docs" / chapter).read_text(encoding="utf-8").splitlines()
    with pytest.raises(SiteError) as caught:
        render(project, chapter)
    message = str(caught.value)
    assert message.startswith(f"docs/{chapter}:{lines.index('{{ block:as-of }}') + 1}: "), message
    assert "needs 'facts_checked_on'" in message and "YYYY-MM-DD" in message


@pytest.mark.parametrize("value, words", [
    ("2026-13-03", "not a date that exists"),
    ("soon", "'facts_checked_on' is 'soon', which is not a date"),
    ("2026-12-03T10:00:00", "a date with a time"),
])
def test_a_malformed_facts_checked_on_fails_at_its_line(project, value, words):
    edit_data(project, f"facts_checked_on: {FACTS.checked_on.isoformat()}", f"facts_checked_on: {value}")
    data = project / "data" / "figures.yml"
    line = data.read_text(encoding="utf-8").splitlines().index(f"facts_checked_on: {value}") + 1
    with pytest.raises(SiteError) as caught:
        load_figures(data)
    assert str(caught.value).startswith(f"{data}:{line}: "), caught.value
    assert words in str(caught.value), caught.value


def test_a_correction_newer_than_the_last_check_fails_at_the_correction(project):
    edit_data(project, "value: 28800000\n", "value: 28900000\n    corrections:\n      - {date: 2026-12-20, "
              "old: 28800000, new: 28900000, why: The source corrected its figure., source: s3-pymnts}\n")
    data = project / "data" / "figures.yml"
    line = next(n for n, text in enumerate(data.read_text(encoding="utf-8").splitlines(), 1) if "2026-12-20" in text)
    with pytest.raises(SiteError) as caught:
        load_figures(data)
    assert str(caught.value).startswith(f"{data}:{line}: "), caught.value
    assert "set facts_checked_on to the day you checked them" in str(caught.value)


@pytest.mark.parametrize("words, problem", [
    ("Facts as of {chekced}.", "has the field {chekced}, which is not one of its own"),
    ("Facts as of {checked.", "has a brace { or } that opens or closes no field"),
    ("Facts as of **{checked}**.", "an emphasis marker"),
])
def test_bad_words_for_the_as_of_line_fail_at_their_line(project, words, problem):
    data = project / "data" / "figures.yml"
    text = re.sub(r"^as_of: .*$", lambda _: f'as_of: "{words}"', data.read_text(encoding="utf-8"), flags=re.M)
    data.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f'as_of: "{words}"') + 1
    with pytest.raises(SiteError) as caught:
        load_figures(data)
    assert str(caught.value).startswith(f"{data}:{line}: "), caught.value
    assert problem in str(caught.value), caught.value
