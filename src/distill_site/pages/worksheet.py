"""A chapter's one-page worksheet, read from the chapter itself.

The worksheet of a chapter is made of the chapter's parts, never typed
again: its key points (the list in its first admonition, the "In brief"
box), its key words (the glossary terms it uses, in order of first use,
with the data file's definitions), questions picked from its ```quiz
fence and one from the numbered list of its discussion section. Which
questions is declared in the chapter's front matter:

    worksheet:
      quiz: [1, 3, 4]     # three of the quiz's questions, by number
      discussion: 2       # one of the discussion questions, by number

and a bad declaration (missing, out of range, not numbers) fails the build
naming the chapter's file and line. The worksheet pages, the teachers'
answer guidance and key words (``blocks``) all read a chapter here.

Where the worksheets are and which section holds the discussion questions
is the figure extension's ``worksheets:`` option in mkdocs.yml.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
from ..facts import syntax
from ..facts.yaml_lines import LineList, LineMap, load_yaml
from . import quiz_fence
from .chart_fence import fences_in
from .glossary_marks import terms_in_order
from .page_context import shown_path

FIELD = "worksheet"  # the front matter's field
QUIZ, DISCUSSION = "quiz", "discussion"
COMPREHENSION = 3  # questions from the quiz on a worksheet: one page holds three
EXAMPLE = "worksheet: {quiz: [1, 2, 3], discussion: 1}"
# The first admonition ("!!! abstract \"In brief\"") and its list; a numbered list's items.
ADMONITION = re.compile(r'^!!! [\w-]+(?: +"(?P<title>[^"]*)")?[ \t]*$')
ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+\.)[ \t]+(?P<text>.*)$")
HEADING_ID = re.compile(r"^#{1,6} .*\{[^}]*#(?P<id>[\w-]+)[^}]*\}[ \t]*$")


@dataclass(frozen=True)
class Choice:
    words: str
    right: bool


@dataclass(frozen=True)
class Question:
    number: int  # its number in the chapter's quiz
    text: str
    choices: tuple[Choice, ...]
    explanation: str


@dataclass(frozen=True)
class Worksheet:
    chapter: str  # the chapter's file, docs-relative
    title: str  # the chapter's title
    points_title: str  # the first admonition's title ("In brief")
    points: tuple[str, ...]  # its list items, as Markdown
    terms: tuple  # the glossary terms the chapter uses, in order of first use
    questions: tuple[Question, ...]
    discussion: str  # as Markdown


def options(config: dict) -> dict:
    """The extension's ``worksheets:`` option ({} when the site has no worksheets)."""
    return config.get("worksheets") or {}


def read(config: dict, chapter: str, facts) -> Worksheet:
    """The worksheet of ``chapter`` (docs-relative), read from its file; a problem names the file and line."""
    path = Path(config["docs_dir"]) / chapter
    where = shown_path(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    picked = _declaration(lines, where)
    quiz = _quiz(lines, where, facts)
    discussion = _numbered_list(lines, options(config).get("discussion_section"), where)
    questions = _pick(picked, QUIZ, quiz.questions, where, "the chapter's quiz has")
    (discussion_text,) = _pick(picked, DISCUSSION, discussion, where, "the chapter's discussion section has")
    points_title, points = _first_admonition(lines, where)
    text = "\n".join(lines)
    return Worksheet(chapter, str(syntax.front_matter(text).get("title") or chapter), points_title, points,
                     tuple(terms_in_order(text, facts)),
                     tuple(Question(number, q.text, tuple(Choice(w, r) for w, r in q.choices), q.explanation)
                           for number, q in questions),
                     discussion_text)


def _declaration(lines: list[str], where: str) -> LineMap:
    length = syntax.front_matter_length(lines)
    if not length:
        raise SiteError(where, 1, "the chapter has no front matter, so no worksheet declaration",
                        f"add a front matter with the line '{EXAMPLE}'")
    # Lines of the front matter's YAML count from the file's second line.
    data = load_yaml("\n" + "\n".join(lines[1:length - 1]), where)
    if not isinstance(data, LineMap) or FIELD not in data:
        raise SiteError(where, length, f"the chapter's front matter has no '{FIELD}:', which picks the questions "
                        "of its worksheet", f"add a line '{EXAMPLE}'")
    declared = data[FIELD]
    if not isinstance(declared, LineMap):
        raise SiteError(where, data.line_of(FIELD), f"'{FIELD}' must be a set of fields: '{QUIZ}' and '{DISCUSSION}'",
                        f"write it as '{EXAMPLE}'")
    for name in declared:
        if name not in (QUIZ, DISCUSSION):
            close = difflib.get_close_matches(str(name), [QUIZ, DISCUSSION], n=1)
            raise SiteError(where, declared.line_of(name), f"unknown field '{name}' in '{FIELD}'"
                            + (f" (did you mean '{close[0]}'?)" if close else ""),
                            f"its fields are '{QUIZ}' and '{DISCUSSION}'")
    for name in (QUIZ, DISCUSSION):
        if declared.get(name) is None:
            raise SiteError(where, declared.line, f"'{FIELD}' has no '{name}'", f"write it as '{EXAMPLE}'")
    return declared


def _pick(declared: LineMap, name: str, items, where: str, has: str) -> list:
    """The items ``declared[name]`` names by number (from 1), checked."""
    value = declared[name]
    wanted = COMPREHENSION if name == QUIZ else 1
    numbers = value if isinstance(value, LineList) else [value]
    line = declared.line_of(name)
    if name == QUIZ and not isinstance(value, LineList):
        raise SiteError(where, line, f"'{name}' of '{FIELD}' must be a list of {wanted} question numbers",
                        f"write it like '{name}: [1, 3, 4]'")
    if name == DISCUSSION and isinstance(value, (list, dict)):
        raise SiteError(where, line, f"'{name}' of '{FIELD}' must be one question number",
                        f"write it like '{name}: 2'")
    for number in numbers:
        if isinstance(number, bool) or not isinstance(number, int):
            raise SiteError(where, line, f"'{name}' of '{FIELD}' names {number!r}, which is not a question number",
                            "number the questions from 1, in the order the chapter gives them")
        if not 1 <= number <= len(items):
            raise SiteError(where, line, f"'{name}' of '{FIELD}' names question {number}, but {has} "
                            f"{len(items)} question{'s' if len(items) != 1 else ''}",
                            f"pick numbers from 1 to {len(items)}")
    if len(numbers) != wanted or len(set(numbers)) != len(numbers):
        raise SiteError(where, line, f"'{name}' of '{FIELD}' must name {wanted} different questions, "
                        f"but names {value}", f"a worksheet has room for {wanted}")
    if name == QUIZ:
        return [(number, items[number - 1]) for number in numbers]
    return [items[numbers[0] - 1]]


def _quiz(lines: list[str], where: str, facts) -> quiz_fence.Quiz:
    fences = fences_in(lines, (quiz_fence.FENCE,))
    if len(fences) != 1:
        raise SiteError(where, None, f"a chapter with a worksheet needs one ```{quiz_fence.FENCE} block, "
                        f"but it has {len(fences)}", "its worksheet's questions come from the chapter's quiz")
    fence = fences[0]

    def fail(line, problem, fix=""):
        raise SiteError(where, fence.first_line + line - 1, problem, fix)
    return quiz_fence.read("\n".join(fence.lines), facts, fail)


def _first_admonition(lines: list[str], where: str) -> tuple[str, tuple[str, ...]]:
    """The first admonition's title and the items of its list (Markdown, each on one line)."""
    for number, line in enumerate(lines):
        found = ADMONITION.match(line)
        if found:
            body = []
            for inner in lines[number + 1:]:
                if inner.strip() and not inner.startswith((" ", "\t")):
                    break
                body.append(inner)
            items = _items(body)
            if items and found["title"]:
                return found["title"], tuple(items)
            raise SiteError(where, number + 1, "the chapter's first admonition, its key points, needs a title "
                            "and a list", 'write it as !!! abstract "Its title", then its points as a list')
    raise SiteError(where, None, "the chapter has no admonition with its key points, for its worksheet",
                    'open the chapter with !!! abstract "Its title", then its points as an indented list')


def _numbered_list(lines: list[str], section: str | None, where: str) -> list[str]:
    """The items of the list in the section whose heading has the id ``section``."""
    if not section:
        raise SiteError("mkdocs.yml", None, "the worksheets: option has no discussion_section",
                        "give the id of the chapters' section of discussion questions, like 'discussion_section: "
                        "questions'")
    start = next((n for n, line in enumerate(lines) if (m := HEADING_ID.match(line)) and m["id"] == section), None)
    if start is None:
        raise SiteError(where, None, f"the chapter has no section {{ #{section} }}, whose list holds the "
                        "discussion questions of its worksheet",
                        f"end the heading of its discussion questions with {{ #{section} }}")
    body = []
    for line in lines[start + 1:]:
        if line.startswith("#") or line.lstrip().startswith("```"):
            break
        body.append(line)
    return _items(body)


def _items(body: list[str]) -> list[str]:
    """A list's items, each item's lines joined into one; nested lists are not expected."""
    items: list[str] = []
    indent = None
    for line in body:
        found = ITEM.match(line)
        if found and (indent is None or len(found["indent"]) == indent):
            indent = len(found["indent"])
            items.append(found["text"].strip())
        elif items and line.strip() and len(line) - len(line.lstrip()) > indent:
            items[-1] += " " + line.strip()
    return items
