"""A chapter's self-check quiz: written in the page's Markdown, read and checked in-process.

The bad declarations (no right choice, two, a misspelt field...) are rows of
tests/test_bad_pages.py: each names the page's file and line. Here: what a
good quiz becomes, and the site's own quizzes. What a reader does with one,
JavaScript on and off, is tests/browser/test_quizzes.py.
"""

from __future__ import annotations

import re

import markdown
import pytest

from conftest import ROOT
from distill_site.errors import SiteError
from distill_site.facts.figures import load_figures
from distill_site.pages import chart_fence, quiz_fence
from distill_site.pages.presentation import plain_text
from distill_site.pages.readability import measure
from test_chapters import CHAPTERS

FACTS = load_figures(ROOT / "data" / "figures.yml")
QUIZ = """show answer: Show the answer
marked right: Right.
marked wrong: Not quite.
score: "{right} of {total} right"
questions:
  - question: How many exchanges does Anthropic allege?
    choices:
      - wrong: None at all
      - right: "{{ fig:alibaba_exchanges }}"
      - wrong: A handful
    explanation: As Anthropic's letter is reported, through {{ fig:alibaba_accounts }} accounts.
  - question: Is it proven?
    choices:
      - right: "No"
      - wrong: "Yes"
    explanation: Alibaba had not publicly responded.
"""


def fail(line, problem, fix=""):
    raise SiteError("quiz", line, problem, fix)


def site_quizzes() -> dict[str, quiz_fence.Quiz]:
    found = {}
    for chapter in CHAPTERS:
        fences = chart_fence.fences_in((ROOT / "docs" / chapter).read_text(encoding="utf-8").splitlines(), ("quiz",))
        assert len(fences) == 1, f"{chapter}: {len(fences)} quizzes"
        found[chapter] = quiz_fence.read("\n".join(fences[0].lines), FACTS, fail)
    return found


def test_a_quiz_reads_its_questions_with_the_one_right_choice_and_the_figures_as_readers_see_them():
    quiz = quiz_fence.read(QUIZ, FACTS, fail)
    assert [len(q.choices) for q in quiz.questions] == [3, 2]
    first = quiz.questions[0]
    exchanges = plain_text(FACTS, "{{ fig:alibaba_exchanges }}")
    assert [right for _, right in first.choices] == [False, True, False]
    assert first.choices[1][0] == exchanges and "{{" not in first.explanation
    assert quiz.score == "{right} of {total} right"


def test_without_javascript_each_answer_and_why_are_in_a_details_under_radio_buttons():
    html = quiz_fence.render(quiz_fence.read(QUIZ, FACTS, fail), "quiz")
    exchanges = plain_text(FACTS, "{{ fig:alibaba_exchanges }}")
    questions = re.findall(r'<li class="quiz-question">.*?</li>', html, re.S)
    assert len(questions) == 2
    first = questions[0]
    assert "<legend>How many exchanges does Anthropic allege?</legend>" in first
    assert len(re.findall(r'<input type="radio" name="quiz-1" id="quiz-1-\d"', first)) == 3
    assert re.findall(r'<input [^>]*data-right>', first) == ['<input type="radio" name="quiz-1" id="quiz-1-2" '
                                                            'value="2" data-right>']
    assert '<label for="quiz-1-2">' + exchanges + "</label>" in first
    answer = re.search(r"<details class=\"quiz-answer\"><summary>Show the answer</summary>(.*?)</details>", first, re.S)
    assert answer and f"<strong>{exchanges}</strong>" in answer[1] and "As Anthropic's letter is reported" in answer[1]
    assert 'name="quiz-2"' in questions[1] and 'name="quiz-1"' not in questions[1]
    assert 'data-marked-wrong="Not quite."' in html and 'data-score="{right} of {total} right"' in html


def test_two_quizzes_on_one_page_do_not_share_radio_buttons(tmp_path, monkeypatch):
    from test_bad_pages import convert_page
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    fence = "```quiz\n" + QUIZ + "```\n"
    html = convert_page(tmp_path, "Intro.\n\n" + fence + "\nMore.\n\n" + fence)
    assert re.findall(r'<div class="quiz" id="([^"]+)"', html) == ["quiz", "quiz-2"]
    names = re.findall(r'name="([^"]+)"', html)
    assert len(set(names)) == 4 and "quiz-2-1" in names


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_ends_with_five_questions_each_with_three_choices(chapter):
    quiz = site_quizzes()[chapter]
    assert len(quiz.questions) == 5
    assert all(len(q.choices) == 3 for q in quiz.questions), chapter


def test_the_right_answer_is_not_always_in_the_same_place():
    places = [next(i for i, (_, right) in enumerate(q.choices) if right)
              for quiz in site_quizzes().values() for q in quiz.questions]
    assert len(set(places)) == 3, places


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_quiz_does_not_count_toward_the_chapters_reading_time(chapter):
    text = (ROOT / "docs" / chapter).read_text(encoding="utf-8")
    without = re.sub(r"^```quiz\n.*?^```\n", "", text, flags=re.S | re.M)
    assert without != text
    assert measure(text, FACTS) == measure(without.replace("## Check yourself { #check-yourself }\n", ""), FACTS)
