"""A self-check quiz declared in the page, in a ```quiz fence.

    ```quiz
    intro: Pick an answer to each question, then open its answer to check.
    show answer: Show the answer
    marked right: Right.
    marked wrong: Not quite.
    score: "{right} of {total} right"
    questions:
      - question: What does the student model learn from?
        choices:
          - wrong: The teacher's weights
          - right: The teacher's written answers
        explanation: Only answers travel; the weights stay with the lab.
    ```

Each choice is one line, 'right:' or 'wrong:' before its words; a question
has exactly one right choice. Every word, the buttons' and marks' too, is
the page's: a quiz in another language needs no Python. Texts may hold
``{{ fig:key }}`` references and are refused if they type a figure by hand
(``declaration.Reader``, as charts are).

Without JavaScript each question shows its choices (radio buttons the reader
may pick) and a ``<details>`` that reveals the right choice and why. With it,
``overrides/assets/javascripts/quiz.js`` marks each pick and keeps the score
(the words above travel to it as data attributes).

``pymdownx.superfences`` hands each ```quiz fence to ``format_fence`` (named
under its ``custom_fences`` in mkdocs.yml); a bad quiz fails the build with
the page's file and line, like a bad chart (``DeclarationError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SiteError
from ..facts.yaml_lines import load_yaml
from .chart_fence import fence_on_page, free_id
from .declaration import Reader, shape
from .svg import escape

FENCE = "quiz"
# The quiz's own fields (True: required): the words of its controls, and its questions.
FIELDS = {"intro": False, "show answer": True, "marked right": True, "marked wrong": True, "score": True, "questions": True}
QUESTION_FIELDS = {"question": True, "choices": True, "explanation": True}
MARKS = ("right", "wrong")
SCORE_PLACEHOLDERS = ("{right}", "{total}")


@dataclass(frozen=True)
class Question:
    text: str
    choices: tuple[tuple[str, bool], ...]  # (words, right?) in the page's order
    explanation: str


@dataclass(frozen=True)
class Quiz:
    intro: str | None  # a line above the questions (in the quiz, so it is not counted as the chapter's reading)
    show_answer: str
    marked_right: str
    marked_wrong: str
    score: str  # with {right} and {total}, filled in by the script
    questions: tuple[Question, ...]


def read(text: str, facts, fail) -> Quiz:
    """The quiz in a fence's ``text``; ``fail(line, problem, fix)`` counts lines in ``text``."""
    try:
        entry = load_yaml(text, "the quiz")
    except SiteError as error:
        fail(error.line or 1, error.problem, error.fix)
    if entry is None:
        fail(1, "the ```quiz block is empty", "write its fields: " + ", ".join(FIELDS))
    reader = Reader(facts, fail)
    what = "the quiz"
    reader.fields(entry, FIELDS, what)
    words = {name: reader.words(entry, name, what) for name in ("intro", "show answer", "marked right", "marked wrong")}
    score = reader.words(entry, "score", what, SCORE_PLACEHOLDERS)
    questions = tuple(_question(reader, item, line, number)
                      for number, (item, line) in enumerate(reader.entries(entry, "questions", what), 1))
    return Quiz(words["intro"], words["show answer"], words["marked right"], words["marked wrong"], score, questions)


def _question(reader: Reader, entry, line: int, number: int) -> Question:
    what = f"question {number} of the quiz"
    reader.fields(entry, QUESTION_FIELDS, what, line)
    text = reader.words(entry, "question", what)
    choices = []
    for choice, choice_line in reader.entries(entry, "choices", what):
        if not isinstance(choice, dict) or len(choice) != 1 or next(iter(choice)) not in MARKS:
            found = f"'{next(iter(choice))}:'" if isinstance(choice, dict) and len(choice) == 1 else shape(choice)
            reader.fail(choice_line, f"a choice of {what} must start with 'right:' or 'wrong:', but it has {found}",
                        "write each choice on its own line as '- right: …' or '- wrong: …'")
        mark = next(iter(choice))
        choices.append((reader.words(choice, mark, f"a choice of {what}"), mark == "right"))
    right = [words for words, is_right in choices if is_right]
    if len(right) != 1:
        problem = "no right choice" if not right else f"{len(right)} right choices"
        reader.fail(entry.line_of("choices"), f"{what} has {problem}; it needs exactly one",
                    "mark the one right choice '- right: …' and every other '- wrong: …'")
    if len(choices) < 2:
        reader.fail(entry.line_of("choices"), f"{what} has only one choice", "add at least one '- wrong: …' choice")
    return Question(text, tuple(choices), reader.words(entry, "explanation", what))


def render(quiz: Quiz, ident: str) -> str:
    """The quiz as HTML: each question a fieldset of radio buttons and a <details> with its answer."""
    # data-search-exclude: Material's search leaves the quiz out; its answers retell the chapter,
    # which search already finds, and would weigh down the index every reader loads.
    parts = [f'<div class="quiz" id="{ident}" data-search-exclude data-marked-right="{escape(quiz.marked_right)}" '
             f'data-marked-wrong="{escape(quiz.marked_wrong)}" data-score="{escape(quiz.score)}">',
             *([f'<p class="quiz-intro">{escape(quiz.intro, quote=False)}</p>'] if quiz.intro else []),
             '<ol class="quiz-questions">']
    for number, question in enumerate(quiz.questions, 1):
        name = f"{ident}-{number}"
        parts.append(f'<li class="quiz-question"><fieldset><legend>{escape(question.text, quote=False)}</legend>')
        for index, (words, right) in enumerate(question.choices, 1):
            mark = " data-right" if right else ""
            # A <p>, not a <div>: Material's search tells elements apart by tag only, so a <div>
            # closing inside the excluded <div> would end the exclusion (and break its parser).
            parts.append(f'<p class="quiz-choice"><input type="radio" name="{name}" id="{name}-{index}"'
                         f' value="{index}"{mark}><label for="{name}-{index}">{escape(words, quote=False)}</label></p>')
        answer = next(words for words, right in question.choices if right)
        parts.append('</fieldset><p class="quiz-mark" aria-live="polite"></p>'
                     f'<details class="quiz-answer"><summary>{escape(quiz.show_answer, quote=False)}</summary>'
                     f'<p><strong>{escape(answer, quote=False)}</strong></p><p>{escape(question.explanation, quote=False)}</p></details></li>')
    parts.append('</ol><p class="quiz-score" aria-live="polite" hidden></p></div>')
    return "\n".join(parts)


# --- The SuperFences entry point -------------------------------------------------------

def format_fence(source: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
    """SuperFences' ``format`` for ```quiz: the quiz's HTML."""
    page, fail = fence_on_page(source, FENCE, md)
    return render(read(source, page.facts, fail), free_id(md, FENCE, _QUIZ_ID))  # radio names must not clash


_QUIZ_ID = re.compile(r'<div class="quiz" id="([^"]+)"')


