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
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_ENV, ROOT

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


def test_the_check_reads_the_example_site_too():
    # The example's own keys and words stay out of the Python as well.
    keys = figure_keys(GENERATOR_SITE / "data" / "figures.yml")
    files = sorted((GENERATOR_SITE / "docs").rglob("*.md")) + [GENERATOR_SITE / "data" / "figures.yml"]
    story = " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in files).lower()
    assert story_in_python(keys, story, sorted(SRC.rglob("*.py"))) == []


# --- The words the pages add stay in the words file --------------------------------------

# Left in Python for now: the bar chart's text version says who states each bar
# (presentation.stated_by), and charts draw from the facts alone, without the words file.
LEFT_IN_PYTHON = {"Our calculation from"}


def words_file_phrases(words_file: Path) -> set[str]:
    """The fixed words of each text of the words file (between its {fields}), two words or more."""
    from distill_site.pages.takeaway import read_words
    phrases = set()
    for text in read_words(words_file).texts.values():
        for words, _, _, _ in string.Formatter().parse(text):
            phrase = " ".join(words.split()).strip(" .,:;“”…()")
            if len(WORD.findall(phrase)) >= 2:
                phrases.add(phrase)
    return phrases


def words_file_text_in_python(phrases: set[str], modules) -> list[str]:
    found = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = " ".join(node.value.split())
                found += [f"{path.name}:{node.lineno}: «{phrase}»" for phrase in sorted(phrases - LEFT_IN_PYTHON)
                          if phrase in text]
    return found


def test_no_module_holds_the_words_of_the_words_file():
    # A heading or a tooltip's words typed again in Python would be an edit a maintainer cannot find.
    found = words_file_text_in_python(words_file_phrases(ROOT / "data" / "takeaway.yml"), sorted(SRC.rglob("*.py")))
    assert found == [], "these words belong in data/takeaway.yml, not in Python:\n" + "\n".join(found)


def test_the_check_would_see_a_column_heading_or_the_tooltip_put_back_in_python(tmp_path):
    module = tmp_path / "planted.py"
    module.write_text('HEADER = ["Figure", "Value", "Stated by", "Used on"]\n'
                      'def tip(inputs):\n    return f"Derived (sum) from: {inputs}. Details on The numbers page."\n',
                      encoding="utf-8")
    found = words_file_text_in_python(words_file_phrases(ROOT / "data" / "takeaway.yml"), [module])
    assert found == ["planted.py:1: «Stated by»", "planted.py:1: «Used on»",
                     "planted.py:3: «Details on The numbers page»"], found


# --- A second explainer, built by the same package ---------------------------------------

@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    """The example site built once, strictly, then finished and checked as `make build` does
    (the HTML validator is left to test_site_checks.py: one Java start per session is enough)."""
    site = tmp_path_factory.mktemp("example") / "site"
    result = subprocess.run([sys.executable, "-m", "distill_site.tools.pipeline", "--site", str(site),
                             "--stages", "build,finish,checks", "--skip", "html"],
                            cwd=GENERATOR_SITE, env=BUILD_ENV, capture_output=True, text=True)
    assert result.returncode == 0, f"the example site does not build and check clean:\n{result.stdout}{result.stderr}"
    return site


def test_the_example_uses_the_same_package_and_theme_and_no_python_of_its_own():
    config = (GENERATOR_SITE / "mkdocs.yml").read_text(encoding="utf-8")
    assert "custom_dir: ../../overrides" in config
    assert "distill_site.pages.markdown_ext" in config and "distill_site.pages.chart_fence.format_fence" in config
    assert not [path for path in GENERATOR_SITE.rglob("*") if path.suffix in (".py", ".html", ".css", ".js")]


def figures_on(site: Path, page: str) -> dict[str, str]:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return {m[1]: m[0] for m in re.finditer(r'<figure class="chart[^"]*" id="([^"]+)">.*?</figure>', html, re.S)}


def test_the_example_builds_its_charts_and_diagrams_from_its_own_pages(example_site):
    lending, history = figures_on(example_site, "lending"), figures_on(example_site, "history")
    assert set(lending) == {"chart-loans", "diagram-loan", "diagram-shelves"}
    assert set(history) == {"chart-year", "chart-challenge"}
    for figure in [*lending.values(), history["chart-challenge"]]:
        assert 'role="img"' in figure and "<title" in figure and "<desc" in figure and "<details" in figure
    # Its timeline, on its page, is one table: each event once, in full, with who reported it.
    assert "<svg" not in history["chart-year"] and history["chart-year"].count("<tr") == 1 + len(
        yaml.safe_load((GENERATOR_SITE / "data" / "figures.yml").read_text(encoding="utf-8"))["timeline"])
    assert 'href="../sources/#src-annual-report"' in history["chart-year"]
    # Its own words and figures: the bars, the dashed derived bar and its note, the diagrams' boxes.
    assert "E-books</text>" in lending["chart-loans"] and "6,400</text>" in lending["chart-loans"]
    assert "chart-bar--derived" in lending["chart-loans"] and "The dashed bar is our subtraction" in lending["chart-loans"]
    assert "Lending desk</text>" in lending["diagram-loan"] and "<ol>" in lending["diagram-loan"]
    assert "<dt>Stays in the library</dt>" in lending["diagram-shelves"]
    # Its own timeline and period: the span read from its events, the lengths from its data.
    assert ">The library's year, January 2024 to February 2025</p>" in history["chart-year"]
    assert "Reading challenge: 74 days</text>" in history["chart-challenge"]


def test_the_example_numbers_page_knows_which_page_shows_each_figure(example_site):
    html = (example_site / "numbers" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr>\s*<td[^>]*><span id="fig-ebook-loans"></span>.*?</tr>', html, re.S)
    assert row, "the e-book loans have no row"
    # Only its bar chart shows the e-book loans: the page is known from the chart's declaration.
    assert 'href="../lending/">Lending</a>' in row[0], row[0]
