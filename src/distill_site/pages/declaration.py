"""Reading what a page declares about a chart or diagram, field by field.

A declaration is the YAML inside a ```chart or ```diagram fence (see
``chart_fence``). This module reads its fields with their lines and checks
each: a field that is misspelt, missing, of the wrong kind, a figure key
that does not exist or is not a number or a date, a figure typed by hand
in the words. Every problem goes to ``fail(line, problem, fix)``, where
``line`` counts the fence's own lines (1 is the first line after the
opening fence); the caller turns it into the page's file and line.

Texts may hold ``{{ fig:key }}`` and ``{{ typed:... }}`` references; they
are read as the words a reader sees (``presentation.plain_text``).
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, NoReturn

from ..facts import syntax
from ..facts.typed_figures import normalise, typed_figure_pattern
from ..facts.yaml_lines import LineList, LineMap
from .presentation import plain_text

Fail = Callable[[int, str, str], NoReturn]

# A single-brace word such as {span}: a placeholder the drawing fills in, or a typo.
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def shape(value) -> str:
    """How YAML read a value, for an error message."""
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


class Reader:
    """Checks a declaration's fields against the facts; every problem goes to ``fail``."""

    def __init__(self, facts, fail: Fail):
        self.facts = facts
        self.fail = fail

    def fields(self, entry, allowed: dict[str, bool], what: str, line: int = 1) -> LineMap:
        """``entry`` as a set of fields, each known, every required one (True) present."""
        if not isinstance(entry, LineMap):
            self.fail(getattr(entry, "line", line), f"{what} must be a set of fields, one 'name: value' a line, "
                      f"but YAML reads {shape(entry)}", "write one field a line, like 'title: …'")
        for name in entry:
            if name not in allowed:
                close = difflib.get_close_matches(str(name), list(allowed), n=1)
                self.fail(entry.line_of(name), f"unknown field '{name}' in {what}",
                          (f"did you mean '{close[0]}'? " if close else "") + "its fields are: " + ", ".join(allowed))
        for name, required in allowed.items():
            if required and entry.get(name) is None:
                self.fail(entry.line_of(name) if name in entry else entry.line,
                          f"{what} has no '{name}'", f"add a line '{name}: …'")
        return entry

    def words(self, entry: LineMap, name: str, what: str, placeholders: tuple[str, ...] = ()) -> str | None:
        """A text readers see, as they see it: references replaced by their words, one space between words.

        ``placeholders`` are the single-brace words (like ``{span}``) the drawing fills in;
        any other is a typo that would be published as typed.
        """
        value = entry.get(name)
        if value is None:
            return None
        line = entry.line_of(name)
        if not isinstance(value, str) or not value.strip():
            read_as = f", but YAML reads it as {shape(value)}" if not isinstance(value, str) else " (it is empty)"
            self.fail(line, f"'{name}' of {what} must be text{read_as}",
                      "if it is text, put it in quotes" if not isinstance(value, str) else f"write the {name}")
        for match in syntax.REFERENCE.finditer(value):
            if not syntax.TYPED.fullmatch(match["body"]):
                try:
                    syntax.parse_figure(match["body"], self.facts.figures)
                except ValueError as problem:
                    self.fail(line, f"'{name}' of {what}: {problem}", "keys are the ids under 'figures:' in the data file")
        self._refuse_typed_figures(syntax.REFERENCE.sub(" ", value), line, f"'{name}' of {what}")
        words = " ".join(plain_text(self.facts, value).split())
        for found in PLACEHOLDER.findall(syntax.REFERENCE.sub(" ", value)):
            if found not in placeholders:
                known = f"the only ones here are {', '.join(placeholders)}" if placeholders else "there are none here"
                self.fail(line, f"'{name}' of {what} has '{found}', which would be published as typed",
                          f"remove the braces; {known}")
        return words

    def _refuse_typed_figures(self, text: str, line: int, where: str) -> None:
        facts = self.facts
        pattern, owner = facts.remember("typed_pattern", lambda: typed_figure_pattern(facts))
        typed = pattern.search(normalise(text))
        if typed:
            form, key = owner[typed.group(0)]
            self.fail(line, f"{where} types the figure '{form}' by hand",
                      f"write {{{{ fig:{key} }}}} so it follows the data file; if the words must stay "
                      f"as they are, wrap them as {{{{ typed:{form} }}}}")

    def figure(self, entry: LineMap, name: str, what: str, kinds: tuple[str, ...]):
        """The figure a field names by its key, of one of ``kinds``."""
        key = entry.get(name)
        if key is None:
            return None
        line = entry.line_of(name)
        if not isinstance(key, str):
            self.fail(line, f"'{name}' of {what} must be a figure's key, but YAML reads {shape(key)}",
                      "write the key as it is under 'figures:' in the data file")
        figure = self.facts.figures.get(key)
        if figure is None:
            close = difflib.get_close_matches(key, list(self.facts.figures), n=3, cutoff=0.5)
            self.fail(line, f"'{name}' of {what} names unknown figure '{key}'; close keys: {', '.join(close) or 'none'}",
                      "keys are the ids under 'figures:' in the data file")
        if figure.kind not in kinds:
            self.fail(line, f"'{name}' of {what} names '{key}', a {figure.kind}, where a "
                      f"{' or a '.join(kinds)} is needed", f"name a {' or a '.join(kinds)} figure")
        return figure

    def entries(self, entry: LineMap, name: str, what: str) -> list[tuple[LineMap, int]]:
        """A list of sets of fields, each with its line; at least one."""
        items = entry.get(name)
        line = entry.line_of(name)
        if not isinstance(items, LineList) or not items:
            self.fail(line, f"'{name}' of {what} must be a list of entries, each starting with '- '",
                      "write each entry on its own '- ' line, its fields indented under it")
        return [(item, items.line_of(index)) for index, item in enumerate(items)]

    def texts(self, entry: LineMap, name: str, what: str, count: int) -> tuple[str, ...]:
        """A list of exactly ``count`` texts, like a table's column headings."""
        items = entry.get(name)
        line = entry.line_of(name)
        if not isinstance(items, list) or len(items) != count or not all(isinstance(i, str) and i.strip() for i in items):
            self.fail(line, f"'{name}' of {what} must be a list of {count} texts, like [{', '.join(['…'] * count)}]",
                      "put texts that YAML could read otherwise (yes, no, numbers) in quotes")
        for text in items:
            self._refuse_typed_figures(text, line, f"'{name}' of {what}")
        return tuple(" ".join(text.split()) for text in items)

    def choice(self, entry: LineMap, name: str, allowed: tuple[str, ...], what: str, default: str) -> str:
        value = entry.get(name, default)
        if value not in allowed:
            self.fail(entry.line_of(name), f"'{name}' of {what} is '{value}'", "use one of: " + ", ".join(allowed))
        return value

    def flag(self, entry: LineMap, name: str, what: str) -> bool:
        value = entry.get(name, False)
        if not isinstance(value, bool):
            self.fail(entry.line_of(name), f"'{name}' of {what} must be true or false, but YAML reads {shape(value)}",
                      f"write '{name}: true', or leave the line out")
        return value
