"""The package is a generator: any subject's words and figures in, a checked site out.

The story lives in docs/ and data/; the Python under src/ only draws,
formats and checks. Two proofs:

- no module under src/ holds one of the data file's figure keys or a
  sentence of the story, in any string (docstrings included);
- a second explainer on another, fictional subject (tests/generator_site/:
  a town library's book lending) builds with the same package and theme, no
  Python changed, and passes the same post-build checks. Its bar chart,
  timeline, period and diagram are declared in its own pages.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_ENV, ROOT, build

SRC = ROOT / "src"
GENERATOR_SITE = ROOT / "tests" / "generator_site"
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
SENTENCE_WORDS = 5


# --- The story stays out of the Python -----------------------------------------------

def figure_keys(data_file: Path) -> set[str]:
    return {entry["id"] for entry in yaml.safe_load(data_file.read_text(encoding="utf-8"))["figures"]}


def story_text() -> str:
    """The pages and the facts, as one lower-case text with single spaces."""
    files = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "data" / "figures.yml"]
    return " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in files).lower()


def string_literals(path: Path):
    """Every string constant in a module (docstrings and f-strings' fixed parts included), with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def story_in_python(keys: set[str], story: str, modules) -> list[str]:
    found = []
    for path in modules:
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        for line, text in string_literals(path):
            named = sorted(keys & set(re.findall(r"\w+", text)))
            if named:
                found.append(f"{where}:{line}: names the figure key '{named[0]}'")
            words = " ".join(text.split())
            if len(WORD.findall(words)) >= SENTENCE_WORDS and words.lower() in story:
                found.append(f"{where}:{line}: holds words of the story: «{words[:80]}»")
    return found


def test_no_module_holds_a_figure_key_or_a_sentence_of_the_story():
    found = story_in_python(figure_keys(ROOT / "data" / "figures.yml"), story_text(), sorted(SRC.rglob("*.py")))
    assert found == [], "words belong in docs/ and data/, not in Python:\n" + "\n".join(found)


def test_the_check_would_see_a_key_or_a_caption_put_back_in_python(tmp_path):
    module = tmp_path / "planted.py"
    caption = "The bars are drawn to a linear scale that starts at zero."
    module.write_text(f'ROWS = ("deepseek_exchanges", "DeepSeek")\nCAPTION = "{caption}"\n'
                      'SHORT = "The bars"\n', encoding="utf-8")
    found = story_in_python(figure_keys(ROOT / "data" / "figures.yml"), story_text(), [module])
    found = sorted(f.split(": ", 1)[1] for f in found)
    assert found == [f"holds words of the story: «{caption}»", "names the figure key 'deepseek_exchanges'"]
