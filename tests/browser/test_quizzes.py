"""A reader takes a chapter's self-check quiz, with JavaScript off and on.

Off: every question shows its choices, and its answer with the explanation
opens from the keyboard. On: picking a choice marks it right or wrong in
words and keeps the score; the marker (assets/javascripts/quiz.js) is not
loaded with the page but on the first interaction, like Material's bundle.
axe finds nothing on a chapter with its quiz answered and opened.
The words expected are the page's own, read from its ```quiz fence.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from conftest import ROOT
from distill_site.errors import SiteError
from distill_site.facts.figures import load_figures
from distill_site.pages import chart_fence, quiz_fence

from test_chapters import CHAPTERS as CHAPTER_FILES

from .site_pages import PAGES

FACTS = load_figures(ROOT / "data" / "figures.yml")
# The four chapters (mkdocs.yml), not site_pages.CHAPTERS (every page but the home page).
QUIZ_PAGES = [page for page in PAGES if page.source in CHAPTER_FILES]
CHAPTER = QUIZ_PAGES[0]
assert len(QUIZ_PAGES) == len(CHAPTER_FILES) == 4


def declared_quiz(nav_page) -> quiz_fence.Quiz:
    lines = (ROOT / "docs" / nav_page.source).read_text(encoding="utf-8").splitlines()
    fence, = chart_fence.fences_in(lines, ("quiz",))

    def fail(line, problem, fix=""):
        raise SiteError(nav_page.source, fence.first_line + line - 1, problem, fix)
    return quiz_fence.read("\n".join(fence.lines), FACTS, fail)


def choice_index(question, right: bool) -> int:
    return next(i for i, (_, is_right) in enumerate(question.choices) if is_right == right)


@pytest.mark.parametrize("nav_page", QUIZ_PAGES, ids=str)
def test_without_javascript_a_reader_opens_an_answer_from_the_keyboard_and_reads_why(new_tab, site_url, nav_page):
    quiz = declared_quiz(nav_page)
    page = new_tab(java_script_enabled=False).page
    page.goto(site_url + nav_page.path)
    questions = page.locator(".quiz-question")
    expect(questions).to_have_count(len(quiz.questions))
    last = questions.nth(len(quiz.questions) - 1)
    question = quiz.questions[-1]
    expect(last.locator("legend")).to_have_text(question.text)
    expect(last.locator(".quiz-choice label")).to_have_text([words for words, _ in question.choices])
    explanation = last.locator(".quiz-answer p").nth(1)
    expect(explanation).to_be_hidden()
    summary = last.locator(".quiz-answer summary")
    expect(summary).to_have_text(quiz.show_answer)
    summary.focus()
    page.keyboard.press("Enter")
    expect(last.locator(".quiz-answer strong")).to_have_text(question.choices[choice_index(question, True)][0])
    expect(explanation).to_be_visible()
    expect(explanation).to_have_text(question.explanation)
    # Nothing pretends to mark: no score, no marks.
    expect(page.locator(".quiz-score")).to_be_hidden()
    expect(page.locator(".quiz-question.quiz-right, .quiz-question.quiz-wrong")).to_have_count(0)


def test_with_javascript_picking_choices_marks_them_and_keeps_the_score(new_tab, site_url):
    quiz = declared_quiz(CHAPTER)
    tab = new_tab()
    page = tab.page
    page.goto(site_url + CHAPTER.path)
    page.wait_for_load_state("networkidle")
    assert not any(url.endswith("/quiz.js") for url in tab.requests), "the marker loaded before any interaction"
    questions = page.locator(".quiz-question")
    first, second = questions.nth(0), questions.nth(1)
    score = page.locator(".quiz-score")
    # The very first click both loads the marker and picks the right choice: it is still marked.
    first.locator(".quiz-choice label").nth(choice_index(quiz.questions[0], True)).click()
    expect(first).to_have_class("quiz-question quiz-right")
    expect(first.locator(".quiz-mark")).to_have_text(quiz.marked_right)
    expect(score).to_be_visible()
    total = len(quiz.questions)
    expect(score).to_have_text(quiz.score.replace("{right}", "1").replace("{total}", str(total)))
    # A wrong choice, picked from the keyboard: focus it and press Space.
    second.locator("input").nth(choice_index(quiz.questions[1], False)).focus()
    page.keyboard.press("Space")
    expect(second).to_have_class("quiz-question quiz-wrong")
    expect(second.locator(".quiz-mark")).to_have_text(quiz.marked_wrong)
    expect(second.locator(".quiz-choice.quiz-picked input")).to_be_checked()
    expect(score).to_have_text(quiz.score.replace("{right}", "1").replace("{total}", str(total)))
    # Changing the first answer to a wrong one takes its point away.
    first.locator(".quiz-choice label").nth(choice_index(quiz.questions[0], False)).click()
    expect(first).to_have_class("quiz-question quiz-wrong")
    expect(score).to_have_text(quiz.score.replace("{right}", "0").replace("{total}", str(total)))
    host = urlsplit(site_url).hostname
    assert any(url.endswith("/assets/javascripts/quiz.js") for url in tab.requests)
    assert all(urlsplit(url).hostname in (host, None) for url in tab.requests if url.startswith("http"))
    assert tab.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_a_chapter_with_its_quiz_answered_and_opened(new_tab, site_url, scheme):
    quiz = declared_quiz(CHAPTER)
    page = new_tab(color_scheme=scheme).page
    page.goto(site_url + CHAPTER.path)
    questions = page.locator(".quiz-question")
    for number, question in enumerate(quiz.questions):
        questions.nth(number).locator(".quiz-choice label").nth(choice_index(question, number % 2 == 0)).click()
        questions.nth(number).locator(".quiz-answer summary").click()
    expect(page.locator(".quiz-question.quiz-wrong")).to_have_count(len(quiz.questions) // 2)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
