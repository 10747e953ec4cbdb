"""A page printed from the browser says on paper what a screen shows by other means.

The print rules load for print only (a screen never waits for them or sees
them); a link to another page carries its published address, written by the
build (a relative href means nothing on paper); the foot names the page's
address and the date of the data. How it looks on paper, sheet by sheet:
tests/browser/test_print.py and test_handouts.py.
"""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT, correct_figure
from distill_site.facts.figures import load_figures
from distill_site.facts.formatting import format_value
from distill_site.pages.handouts import data_date
from distill_site.tools.print_addresses import annotate


def test_every_page_loads_the_print_rules_for_print_only(built_site):
    css = (ROOT / "overrides" / "assets" / "stylesheets" / "print.css").read_text(encoding="utf-8")
    outside = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    # Nothing but @page and @media print: whatever loads it, a screen is unchanged.
    depth, top_level = 0, []
    for match in re.finditer(r"[^{}]*[{}]", outside):
        if depth == 0 and match[0].endswith("{"):
            top_level.append(" ".join(match[0][:-1].split()))
        depth += 1 if match[0].endswith("{") else -1
    assert top_level == ["@page", "@media print"], top_level
    for page in sorted(built_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "<article" not in text:
            continue  # a redirect stub
        links = re.findall(r'<link rel="stylesheet" href="[^"]*print\.css"[^>]*>', text)
        assert len(links) == 1 and 'media="print"' in links[0], (page, links)


def test_a_printed_page_names_its_address_and_the_date_of_the_data(built_site):
    facts = load_figures(ROOT / "data" / "figures.yml")
    date = format_value("date", data_date(facts))
    html = (built_site / "outputs-not-weights" / "index.html").read_text(encoding="utf-8")
    foot = re.search(r'<footer class="handout-foot" hidden>(.*?)</footer>', html, re.S)
    assert foot, "no handout foot"
    assert "https://distillation.example.org/explainer/outputs-not-weights/" in foot[1]
    assert f"Facts as of {date}," in foot[1]
    # Paper and screen agree: the chapter's own "as of" line gives the same day.
    assert re.search(rf'<p class="as-of">Facts as of {date},', html), "no 'as of' line with the same date"


def test_the_date_of_the_data_is_the_day_the_facts_were_last_checked(tmp_path):
    facts = load_figures(ROOT / "data" / "figures.yml")
    assert data_date(facts) == facts.checked_on
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "figures.yml", tmp_path / "data" / "figures.yml")
    data = tmp_path / "data" / "figures.yml"
    data.write_text(re.sub(r"^facts_checked_on: .*$", "facts_checked_on: 2026-12-24", data.read_text(encoding="utf-8"),
                           flags=re.M), encoding="utf-8")
    assert data_date(load_figures(data)).isoformat() == "2026-12-24"


PAGE = "https://site.example.org/x/chapter/"


@pytest.mark.parametrize("link, printed", [
    ('<a href="../other/">', '<a href="../other/" data-print-href="https://site.example.org/x/other/">'),
    ('<a href="../other/#part" class="x">', '<a href="../other/#part" class="x" '
                                            'data-print-href="https://site.example.org/x/other/#part">'),
    ('<a href="../handouts/one.pdf" type="application/pdf">', '<a href="../handouts/one.pdf" type="application/pdf" '
                                                             'data-print-href="https://site.example.org/x/handouts/one.pdf">'),
    ('<a class="fig" href="../numbers/#fig-x">', None),  # a figure: its words are what matters
    ('<a class="source" href="../sources/#src-x">', None),  # a source: its words say what it is
    ('<a href="#part">', None),  # this page
    ('<a href="./#part">', None),  # this page, spelt otherwise
    ('<a href="https://example.org/report">', None),  # printed from its href already
])
def test_links_to_other_pages_get_their_published_address_for_print(link, printed):
    page = f"<header>{link}x</a></header>\n<article>\n<p>A {link}link</a>.</p>\n</article>"
    annotated = annotate(page, PAGE)
    assert annotated.startswith(f"<header>{link}x</a>")  # outside the article: does not print
    assert f"<p>A {printed or link}link</a>" in annotated
