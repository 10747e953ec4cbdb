"""The words a reader needs most are not the smallest on the page: the
"In brief" box and a glossary term's tooltip are at least body size."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from distill_site.site_config import read_site_config

from .site_pages import PAGES, ROOT

# The four chapters, as the teachers' reading table lists them (mkdocs.yml).
_EXTENSIONS = read_site_config(ROOT / "mkdocs.yml")["markdown_extensions"]
_OURS = next(entry["distill_site.pages.markdown_ext"] for entry in _EXTENSIONS
             if isinstance(entry, dict) and "distill_site.pages.markdown_ext" in entry)
CHAPTERS = [page for page in PAGES if page.source in _OURS["chapters"]]

FONT_SIZE = "e => parseFloat(getComputedStyle(e).fontSize)"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=str)
def test_the_in_brief_box_is_at_least_body_size(desktop_tab, site_url, chapter):
    page = desktop_tab.page
    page.goto(site_url + chapter.path)
    body = page.locator("article > p").first.evaluate(FONT_SIZE)
    brief = page.locator("article .admonition.abstract p").first
    expect(brief).to_be_visible()
    assert brief.evaluate(FONT_SIZE) >= body, f"{chapter}: In brief text is smaller than the body's {body}px"


def test_a_glossary_tooltip_is_at_least_body_size(new_tab, site_url):
    page = new_tab().page
    page.goto(site_url + CHAPTERS[0].path)
    body = page.locator("article > p").first.evaluate(FONT_SIZE)
    term = page.locator("article abbr[title]").first
    words = term.inner_text()
    page.keyboard.press("Tab")  # an interaction: Material's script loads and draws its tooltips
    page.wait_for_load_state("networkidle")
    term = page.locator("article abbr", has_text=words).first
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator("[role=tooltip] > .md-tooltip2__inner").first
    expect(tooltip).to_be_visible()
    assert tooltip.evaluate(FONT_SIZE) >= body, f"the tooltip's text is smaller than the body's {body}px"
