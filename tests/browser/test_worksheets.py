"""A teacher prints a chapter's worksheet for the class: one sheet, on A4 or on US Letter, nothing cut off.

Each worksheet page is printed by the session's Chromium at A4 and at
Letter, and the PDF measured (Debian's poppler-utils, as in
test_handouts.py): exactly one sheet, every word the page prints is in the
PDF's text (a line pushed off the sheet or cut at its edge would be
missing), nothing runs past the paper's right edge, and the room to write
is there. The PDF the build made for the teachers' page is one sheet too.
On screen a worksheet is a page like the others: axe finds nothing.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT
from distill_site.pages.handouts import extension_options, page_address, worksheet_handouts
from distill_site.site_config import read_site_config

from . import printed

PAPERS = printed.PAPERS
PAPER_MM = {"A4": 210.0, "Letter": 215.9}  # the sheets' widths
WORKSHEETS = worksheet_handouts(extension_options(read_site_config(ROOT / "mkdocs.yml")))
WORD = re.compile(r"[A-Za-z0-9]+")

# What the printed page shows, read in one call: its words, its width against
# the paper's, and the size of the room to write and of the boxes to tick.
SHOWN = """() => {
  const article = document.querySelector("article");
  const box = e => e ? e.getBoundingClientRect() : {width: 0, height: 0};
  const tick = document.querySelector(".worksheet ol > li > ul > li");
  return {
    text: article.innerText,
    width: article.scrollWidth,
    paper: document.documentElement.clientWidth,
    room: box(document.querySelector(".worksheet-lines")).height,
    tick: tick ? getComputedStyle(tick, "::before").width : "none",
    blanks: [...document.querySelectorAll(".worksheet-blank")].map(e => box(e).width),
  };
}"""


def words(text: str) -> Counter:
    """The words of a text, counted; a hyphen dropped (pdftotext joins "hollowed-out" broken at its hyphen)."""
    return Counter(WORD.findall(text.replace("-", "")))


@pytest.fixture(scope="module")
def printouts(desktop_tab, site_url, poppler) -> dict:
    """Every worksheet printed at every paper size: (name, paper) -> (PDF, what the printed page shows),
    laid out at the width the paper leaves between print.css's margins, as it prints."""
    return printed.print_each(desktop_tab.page, {sheet.name: site_url + page_address(sheet.pages[0])
                                                 for sheet in WORKSHEETS}, SHOWN, width_for=text_width_px)


def text_width_px(paper: str) -> int:
    """The width between the left and right @page margins of print.css, in CSS pixels."""
    css = printed.PRINT_CSS.read_text(encoding="utf-8")
    sides = [float(v.removesuffix("mm")) for v in re.search(r"@page\s*\{[^}]*?margin:\s*([^;]+);", css)[1].split()]
    right = sides[1] if len(sides) > 1 else sides[0]
    left = sides[3] if len(sides) > 3 else right
    return int((PAPER_MM[paper] - left - right) / printed.MM_PER_INCH * 96)


def check_one_sheet(pdf: bytes, shown: dict, what: str) -> None:
    assert len(printed.fills(pdf)) == 1, f"{what}: {len(printed.fills(pdf))} sheets, not one"
    missing = words(shown["text"]) - words(printed.text(pdf))
    assert not missing, f"{what}: printed on the page but not on the sheet: {sorted(missing)}"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("sheet", WORKSHEETS, ids=lambda sheet: sheet.name)
def test_a_worksheet_prints_on_one_sheet_with_nothing_cut_off(printouts, sheet, paper):
    pdf, shown = printouts[sheet.name, paper]
    assert len(words(shown["text"])) > 150, f"{sheet.name}: hardly any words read (the test would prove nothing)"
    check_one_sheet(pdf, shown, f"{sheet.name} on {paper}")
    assert 0 < shown["width"] <= shown["paper"], f"{sheet.name} on {paper}: wider than the paper: {shown}"
    # Room to write an answer (four lines or so), a box before each choice, lines for a name.
    assert shown["room"] >= 80, f"{sheet.name} on {paper}: {shown['room']} px to write in"
    assert shown["tick"] not in ("none", "auto", "0px"), f"{sheet.name}: no box to tick ({shown['tick']})"
    assert len(shown["blanks"]) == 3 and min(shown["blanks"]) > 50, shown["blanks"]


@pytest.mark.parametrize("sheet", WORKSHEETS, ids=lambda sheet: sheet.name)
def test_the_built_pdf_worksheet_is_the_same_one_sheet(built_site, printouts, sheet):
    pdf = (built_site / sheet.path).read_bytes()
    check_one_sheet(pdf, printouts[sheet.name, "A4"][1], sheet.path)
    assert b"/URI (https://distillation.example.org/explainer/" in pdf and b"127.0.0.1" not in pdf


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("sheet", WORKSHEETS, ids=lambda sheet: sheet.name)
def test_a_worksheet_on_screen_has_no_axe_violations(new_tab, site_url, sheet, scheme):
    page = new_tab(color_scheme=scheme).page
    page.goto(site_url + page_address(sheet.pages[0]))
    results = Axe().run(page)
    assert results.violations_count == 0, f"{sheet.name} ({scheme}):\n{results.generate_report()}"
