"""A teacher prints a chapter's one-page worksheet, and finds its answers and the key words on the teachers' page.

Everything on them is read from the chapters and the data file, so a
maintainer's edit to a chapter's "In brief", to a quiz question or to a
glossary definition shows on the worksheet and in the answer guidance
without anyone typing it again. Converted in-process, as the build
converts a page (test_bad_pages.convert_page's set-up). Bad worksheet
declarations are rows of tests/test_bad_pages.py; printing one page at A4
and Letter is tests/browser/test_worksheets.py.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import markdown
import pytest

from conftest import ROOT
from distill_site.facts import syntax
from distill_site.facts.figures import load_figures
from distill_site.pages import worksheet
from distill_site.pages.glossary_marks import terms_in_order
from distill_site.pages.handouts import extension_options, worksheet_handouts
from distill_site.site_config import read_site_config
from test_bad_pages import CONFIGS, EXTENSIONS, FRONT, OURS, AsMkDocs
from test_chapters import CHAPTERS

FACTS = load_figures(ROOT / "data" / "figures.yml")
OPTIONS = extension_options(read_site_config(ROOT / "mkdocs.yml"))
TEACHERS_BLOCKS = "{{ block:worksheets }}\n\n{{ block:key-words }}\n\n{{ block:answer-guidance }}\n"


@pytest.fixture
def project(pages_to_edit) -> Path:
    return pages_to_edit


def convert(project: Path, body: str) -> str:
    """``body`` as a page at the top of the project's docs/, converted as the build converts it."""
    page = project / "docs" / "page.md"
    page.write_text(FRONT + body, encoding="utf-8")
    configs = {**CONFIGS, OURS: {**CONFIGS[OURS], "docs_dir": str(project / "docs"),
                                 "data_file": str(project / "data" / "figures.yml"),
                                 "takeaway": str(project / "data" / "takeaway.yml")}}
    md = markdown.Markdown(extensions=[AsMkDocs(page, project / "mkdocs.yml"), *EXTENSIONS], extension_configs=configs)
    return md.convert(body)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} no longer has exactly one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def words(html: str) -> str:
    """The page's text as a reader reads it: permalinks and tags out, entities read, one space between words."""
    html = re.sub(r'<a class="headerlink".*?</a>', "", html)
    html = re.sub(r"</?(?:p|li|ul|ol|dl|dt|dd|h\d|div|br)\b[^>]*>", " ", html)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", html)).split())


def section(html: str, ident: str) -> str:
    """The HTML from the heading with ``ident`` to the next heading of its level or higher."""
    start = re.search(rf'<h(\d)[^>]* id="{ident}"', html)
    assert start, f"no heading #{ident}"
    end = re.compile(rf"<h[1-{start[1]}][ >]").search(html, start.end())
    return html[start.start():end.start() if end else len(html)]


def in_brief(chapter: str) -> list[str]:
    """The chapter's "In brief" points as a reader reads them."""
    text = (ROOT / "docs" / chapter).read_text(encoding="utf-8")
    box = text.split('!!! abstract "In brief"', 1)[1].split("\n## ", 1)[0]
    return [" ".join(point.split()) for point in re.findall(r"^    - (.+)$", box, re.M)]


def quiz_question_texts(chapter: str) -> list[str]:
    text = (ROOT / "docs" / chapter).read_text(encoding="utf-8")
    return [" ".join(q.strip("\"'").split()) for q in re.findall(r"^  - question: (.+)$", text, re.M)]


def declared(chapter: str) -> dict:
    return syntax.front_matter((ROOT / "docs" / chapter).read_text(encoding="utf-8"))["worksheet"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_worksheet_holds_its_chapters_points_key_words_and_the_questions_its_front_matter_picks(chapter):
    sheet = worksheet.read({**OPTIONS, "docs_dir": str(ROOT / "docs")}, chapter, FACTS)
    # Figures in the points are references, filled in on the page; here, their words as written.
    assert [" ".join(point.split()) for point in sheet.points] == in_brief(chapter)
    assert sheet.points_title == "In brief"
    asked = quiz_question_texts(chapter)
    assert [q.text for q in sheet.questions] == [asked[n - 1] for n in declared(chapter)["quiz"]]
    assert all(sum(choice.right for choice in q.choices) == 1 for q in sheet.questions)
    assert sheet.terms, f"{chapter}: no key words found"


def test_the_worksheet_page_shows_them_all_with_room_to_write_and_a_link_to_the_chapter(project):
    html = convert(project, "{{ block:worksheet outputs-not-weights }}\n")
    text = words(html)
    for point in ("A public service only lets out the model's answers.",
                  "Only the pattern across many prompts and accounts gives it away."):
        assert point in text
    # The figure in the last point is the site's figure, linked to its row, not words typed again.
    assert re.search(r'the campaign Anthropic alleges against Alibaba-linked operators was <a class="fig" '
                     r'href="numbers.md#fig-alibaba-vs-february"', html), html
    key_words = section(html, "key-words")
    assert [words(t) for t in re.findall(r"<dt>(.*?)</dt>", key_words)] == ["weights", "API", "student model",
                                                                              "distillation"]
    definition = next(t.definition for t in FACTS.glossary if t.term == "API")
    assert f"<dd>{definition}</dd>" in key_words
    questions = section(html, "questions")
    assert words(questions).startswith("Check your understanding Tick the one right answer to each question.")
    assert len(re.findall(r"<li>", questions)) == 3 + 9  # three questions, each with three choices to tick
    discussion = section(html, "discussion")
    assert "Which of the four signs (volume, repetition, structure, coordination)" in words(discussion)
    assert '<div class="worksheet-lines"></div>' in discussion
    for blank in ("Name:", "Class:", "Date:"):
        assert f'<span class="worksheet-field">{blank} <span class="worksheet-blank"></span></span>' in html
    assert ('Read the chapter <a href="outputs-not-weights.md">Outputs, not weights</a>, then answer'
            in re.sub(r"</?abbr[^>]*>", "", html))


def test_a_maintainers_edits_to_a_chapter_and_the_glossary_show_on_the_worksheet_and_in_the_answers(project):
    chapter = project / "docs" / "what-is-distillation.md"
    edit(chapter, "    - AI labs distill their own models all the time.",
         "    - Labs distill their own models every single day.")
    edit(chapter, "  - question: Why do AI labs distill their own models?",
         "  - question: What do labs gain when they distill their own models?")
    edit(chapter, "      - right: To get smaller, cheaper and faster models that keep much of the skill",
         "      - right: Smaller, cheaper, faster models that keep much of the skill")
    edit(project / "data" / "figures.yml", "definition: One question sent to a model and the answer it gives back.",
         "definition: One prompt sent to a model, and the reply that comes back.")
    sheet = words(convert(project, "{{ block:worksheet what-is-distillation }}\n"))
    teachers = convert(project, TEACHERS_BLOCKS)
    answers = words(section(teachers, "answers-what-is-distillation"))
    key_words = words(section(teachers, "key-words-what-is-distillation"))
    for shown in (sheet, answers):
        assert "Labs distill their own models every single day." in shown
        assert "AI labs distill their own models all the time." not in shown
        assert "What do labs gain when they distill their own models?" in shown
    assert "Smaller, cheaper, faster models that keep much of the skill" in sheet
    # The answer guidance gives the right answer, and the quiz's explanation of it.
    assert ("What do labs gain when they distill their own models? Smaller, cheaper, faster models that keep "
            "much of the skill A student is usually smaller") in answers
    for shown in (sheet, key_words):
        assert "exchange One prompt sent to a model, and the reply that comes back." in shown
        assert "the answer it gives back" not in shown


def test_a_worksheet_takes_other_questions_when_the_chapter_picks_others(project):
    chapter = project / "docs" / "safety-guardrails.md"
    edit(chapter, "  quiz: [2, 3, 4]\n  discussion: 3", "  quiz: [5, 1, 2]\n  discussion: 1")
    sheet = worksheet.read({**OPTIONS, "docs_dir": str(project / "docs")}, "safety-guardrails.md", FACTS)
    asked = quiz_question_texts("safety-guardrails.md")
    assert [q.text for q in sheet.questions] == [asked[4], asked[0], asked[1]]
    assert [q.number for q in sheet.questions] == [5, 1, 2]
    assert sheet.discussion.startswith("Why might the people building a copy leave refusals out")


def marked_terms(built_site: Path, chapter: str) -> list[str]:
    """The glossary terms the built chapter marks for a reader (abbr), in the order it marks them first."""
    html = (built_site / chapter.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    marked = re.findall(r"<abbr [^>]*>([^<]+)</abbr>", article)
    terms = {t.term.lower(): t.term for t in FACTS.glossary}
    return list(dict.fromkeys(terms[m.lower()] for m in marked))


def test_the_key_words_are_the_terms_the_built_chapter_marks_in_the_order_it_marks_them(built_site):
    # One rule for "a chapter uses a term": the marks a reader sees.
    for chapter in CHAPTERS:
        text = (ROOT / "docs" / chapter).read_text(encoding="utf-8")
        assert [t.term for t in terms_in_order(text, FACTS)] == marked_terms(built_site, chapter), chapter


def test_key_words_come_in_lesson_order_each_once_under_the_chapter_that_first_uses_it(project, built_site):
    html = convert(project, TEACHERS_BLOCKS)
    listed = []
    for chapter in CHAPTERS:
        ident = "key-words-" + chapter.removesuffix(".md")
        found = [words(t) for t in re.findall(r"<dt>(.*?)</dt>", section(html, ident))] if ident in html else []
        # The chapter's terms not met before, in the order the built chapter first marks them.
        assert found == [term for term in marked_terms(built_site, chapter) if term not in listed], chapter
        listed += found
    assert len(listed) == len(set(listed)) and listed


def test_the_teachers_page_lists_each_worksheet_and_its_pdf_and_the_answers_of_each_chapter(project):
    html = convert(project, TEACHERS_BLOCKS)
    for handout, chapter in zip(worksheet_handouts(OPTIONS), CHAPTERS):
        page = f"worksheets/{chapter}"
        title = syntax.front_matter((ROOT / "docs" / page).read_text(encoding="utf-8"))["title"]
        assert re.search(rf'<li><a href="{page}">{re.escape(title)}</a> \(<a href="../{handout.path}" '
                         r'type="application/pdf">PDF</a>\)</li>', re.sub(r"</?abbr[^>]*>", "", html)), title
        answers = section(html, "answers-" + chapter.removesuffix(".md"))
        assert words(answers).count("?") >= 3 and "<strong>In brief</strong>" in answers
        assert len(re.findall(r"<li>\s*<p>", answers)) == 3  # the worksheet's three questions, answered


def test_each_chapter_has_a_worksheet_page_and_a_pdf_named_after_it():
    handouts = worksheet_handouts(OPTIONS)
    assert [h.path for h in handouts] == [f"handouts/worksheet-{c.removesuffix('.md')}.pdf" for c in CHAPTERS]
    for handout, chapter in zip(handouts, CHAPTERS):
        page = ROOT / "docs" / handout.pages[0]
        assert f"{{{{ block:worksheet {chapter.removesuffix('.md')} }}}}" in page.read_text(encoding="utf-8")


def test_search_leaves_out_the_worksheets_and_the_answers_and_key_words_that_retell_the_chapters(built_site):
    # Search finds the words where the chapters and the glossary say them; each repeat would
    # weigh down the index every reader loads (tests/browser/test_page_weight.py).
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert "teachers/#worksheets" in locations  # the section itself is found
    repeats = [where for where in locations
               if where.startswith("worksheets/") or "#answers-" in where or "#key-words-" in where]
    assert not repeats, repeats
    explanation = "A student is usually smaller, cheaper to run and faster than its teacher."
    assert explanation in (ROOT / "docs" / "what-is-distillation.md").read_text(encoding="utf-8").replace("\n      ", " ")
    assert explanation not in json.dumps(index, ensure_ascii=False)
