"""A chapter prints as a clean handout: text, figures and link addresses only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .site_pages import CHAPTERS

SCREEN_ONLY = {
    "header": ".md-header",
    "navigation sidebar": ".md-sidebar--primary",
    "contents sidebar": ".md-sidebar--secondary",
    "footer": ".md-footer",
    "back-to-top button": ".md-top",
    "skip link": ".md-skip",
    "search": ".md-search",
}
AFTER = "a => getComputedStyle(a, '::after').content"
INK = "e => getComputedStyle(e).color"


def lightness(css_color: str) -> float:
    red, green, blue, *alpha = (float(x) for x in re.findall(r"[\d.]+", css_color))
    opacity = alpha[0] if alpha else 1.0
    # Over white paper.
    return sum(opacity * c + (1 - opacity) * 255 for c in (red, green, blue)) / 3


def check_handout(page, chapter):
    for name, selector in SCREEN_ONLY.items():
        expect(page.locator(selector).first, f"{chapter}: {name} printed").to_be_hidden()
    article = page.locator("article")
    expect(article).to_be_visible()
    # Nothing of the text is cut off at the right edge of the paper.
    width = page.evaluate("document.documentElement.clientWidth")
    assert article.bounding_box()["width"] <= width
    # Figures, charts, images and tables are all kept.
    for element in article.locator("figure, svg, img, table").all():
        expect(element).to_be_visible()
    # Links to other sites print their address; links within the site do not
    # print a meaningless relative path.
    for link in article.locator("a[href^='http']:not(.headerlink)").all():
        href = link.get_attribute("href")
        assert link.evaluate(AFTER) == f'" (" attr(href) ")"' or href in link.evaluate(AFTER), href
    for link in article.locator("a:not([href^='http'])").all():
        assert link.evaluate(AFTER) in ("none", "normal"), link.get_attribute("href")
    # Dark ink on white paper, whatever scheme the reader had on screen.
    for text in article.locator("h1, p").all()[:10]:
        assert lightness(text.evaluate(INK)) < 110, (chapter, text.evaluate(INK))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=str)
def test_chapter_prints_as_a_clean_handout(desktop_tab, site_url, chapter):
    page = desktop_tab.page
    page.emulate_media(media="print")
    try:
        page.goto(site_url + chapter.path)
        check_handout(page, chapter)
    finally:
        page.emulate_media(media="screen")


def test_print_rules_on_planted_links_and_figures(new_tab, site_url):
    # The chapters may not yet hold every kind of element: plant one of each,
    # so the print rules are checked whatever the text.
    page = new_tab(color_scheme="dark").page
    page.goto(site_url + CHAPTERS[0].path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("beforeend", `
      <p id="planted">See <a id="ext" href="https://example.org/report">the report</a>
      and <a id="int" href="../numbers/#fig-x">the numbers</a>.</p>
      <figure class="chart" id="fig"><svg viewBox="0 0 10 10" width="100" height="100">
      <rect width="10" height="10"/></svg><figcaption>A chart</figcaption></figure>
      <details id="closed"><summary>More</summary><p id="inside">Hidden on screen</p></details>`)""")
    page.emulate_media(media="print")
    assert page.locator("#ext").evaluate(AFTER) == '" (https://example.org/report)"'
    assert page.locator("#int").evaluate(AFTER) in ("none", "normal")
    expect(page.locator("#fig svg")).to_be_visible()
    expect(page.locator("#inside")).to_be_visible()  # closed details print open
    assert lightness(page.locator("#planted").evaluate(INK)) < 110  # dark mode prints dark
    check_handout(page, CHAPTERS[0])
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
