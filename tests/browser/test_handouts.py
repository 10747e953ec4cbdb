"""A teacher prints a chapter, or downloads its PDF, and photocopies it for thirty pupils.

Measured on the printed PDF, not on the page's styles:

- the sheets: at most one per 350 words of the chapter's text, plus one
  (before print.css, chapter 2's 1,597 words took 10 sheets of A4, one of
  them holding two bullet points; now 5);
- no sheet but the last is less than half full (a diagram kept whole and
  pushed to the next sheet used to leave one nearly blank);
- every figure the page shows, and every word of its charts, is in the PDF's
  text (the charts' text versions are left out of print: the drawings must
  carry their words).

Every chapter at A4 and US Letter, printed from the served site by the
session's one Chromium; then the same checks on the PDF handouts the build
made (``site/handouts/``, distill_site.tools.handouts), and the lesson pack
holds every chapter and the glossary, each from a new sheet.
"""

from __future__ import annotations

import math
import re

import pytest

from conftest import ROOT
from distill_site.facts.figures import load_figures
from distill_site.pages.handouts import extension_options, handouts, page_address
from distill_site.pages.readability import measure
from distill_site.site_config import read_site_config

from . import printed

PAPERS = printed.PAPERS
WORDS_A_SHEET = 350
HANDOUTS = handouts(extension_options(read_site_config(ROOT / "mkdocs.yml")))
CHAPTERS = [handout for handout in HANDOUTS if not handout.is_pack]
PACK = next(handout for handout in HANDOUTS if handout.is_pack)
FACTS = load_figures(ROOT / "data" / "figures.yml")

# The words a printed chapter must show: its figures, and its charts' words.
SHOWN = """() => {
  const article = document.querySelector("article");
  const words = e => e.textContent.replace(/\\s+/g, " ").trim();
  const shown = e => e.getClientRects().length > 0;
  return {
    figures: [...article.querySelectorAll(".fig")].filter(shown).map(words),
    charts: [...article.querySelectorAll("figure.chart svg text")].map(words).filter(Boolean),
  };
}"""


def sheet_budget(uri: str) -> int:
    words = measure((ROOT / "docs" / uri).read_text(encoding="utf-8"), FACTS).words
    return math.ceil(words / WORDS_A_SHEET) + 1


@pytest.fixture(scope="module")
def printouts(desktop_tab, site_url, poppler) -> dict:
    """Every chapter printed at every paper size: (chapter name, paper) -> (PDF, what the page shows)."""
    return printed.print_each(desktop_tab.page, {chapter.name: site_url + page_address(chapter.pages[0])
                                                 for chapter in CHAPTERS}, SHOWN)


def check_sheets(pdf: bytes, what: str, budget: int) -> list[float]:
    fills = printed.fills(pdf)
    assert 0 < len(fills) <= budget, f"{what}: {len(fills)} sheets, more than {budget}"
    thin = [(number, fill) for number, fill in enumerate(fills[:-1], 1) if fill < 0.5]
    assert not thin, f"{what}: sheet(s) less than half full (sheet, fill): {thin}; all: {fills}"
    return fills


def check_words(pdf: bytes, shown: dict, what: str) -> None:
    text = printed.text(pdf)
    missing = [words for words in shown["figures"] + shown["charts"] if words not in text]
    assert not missing, f"{what}: shown on the page but not in the PDF's text: {missing}"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter.name)
def test_a_printed_chapter_is_a_compact_handout_with_every_figure(printouts, chapter, paper):
    pdf, shown = printouts[chapter.name, paper]
    assert shown["figures"], f"{chapter.name}: no figure found on the page (the test would prove nothing)"
    check_sheets(pdf, f"{chapter.name} on {paper}", sheet_budget(chapter.pages[0]))
    check_words(pdf, shown, f"{chapter.name} on {paper}")
    # The self-check quiz stays on screen: on paper its answers would print beside its questions.
    assert "Check yourself" not in printed.text(pdf), f"{chapter.name}: the quiz printed, answers and all"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter.name)
def test_the_built_pdf_handout_is_the_same_compact_handout(built_site, printouts, chapter):
    pdf = (built_site / chapter.path).read_bytes()
    check_sheets(pdf, chapter.path, sheet_budget(chapter.pages[0]))
    check_words(pdf, printouts[chapter.name, "A4"][1], chapter.path)
    # Its links lead to the published site, not to the machine that printed it.
    assert b"/URI (https://distillation.example.org/explainer/" in pdf
    assert b"127.0.0.1" not in pdf and b"file://" not in pdf


def test_the_lesson_pack_holds_every_chapter_then_the_glossary_each_from_a_new_sheet(built_site, printouts):
    pdf = (built_site / PACK.path).read_bytes()
    fills = printed.fills(pdf)
    singles = [len(printed.fills((built_site / chapter.path).read_bytes())) for chapter in CHAPTERS]
    # Each page from a new sheet: the chapters' sheets add up, and the glossary follows.
    assert len(fills) > sum(singles), (len(fills), singles)
    titles = [re.search(r"^title: (.+)$", (ROOT / "docs" / uri).read_text(encoding="utf-8"), re.M)[1]
              for uri in PACK.pages]
    sheets = printed.sheets_text(pdf)
    first_sheets = [next((n for n, sheet in enumerate(sheets) if sheet.startswith(title)), None) for title in titles]
    assert None not in first_sheets and first_sheets == sorted(first_sheets), dict(zip(titles, first_sheets))
    for chapter in CHAPTERS:
        check_words(pdf, printouts[chapter.name, "A4"][1], f"{PACK.path} ({chapter.name})")
