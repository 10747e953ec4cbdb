"""A chapter prints as a clean handout: text, figures and link addresses only.

(How many sheets it takes, and how full they are, is measured on the PDF in
test_handouts.py.)
"""

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

# What a handout check needs from the page, read in one call (one call per
# element made this the slowest browser module after the accessibility scans).
# "Shown" as Playwright's to_be_visible means it: a box, and not hidden.
HANDOUT = r"""screenOnly => {
  const shown = e => { const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== "hidden"; };
  const after = a => [a.getAttribute("href"), getComputedStyle(a, "::after").content];
  const article = document.querySelector("article");
  return {
    printed: screenOnly.filter(selector => { const e = document.querySelector(selector); return e && shown(e); }),
    article: article && shown(article) ? article.getBoundingClientRect().width : 0,
    paper: document.documentElement.clientWidth,
    dropped: [...article.querySelectorAll("figure, svg, img, table")]
      .filter(e => !e.closest(".chart__data") && !shown(e)).map(e => e.outerHTML.slice(0, 80)),
    textVersions: [...article.querySelectorAll("figure.chart .chart__data")].filter(shown).length,
    external: [...article.querySelectorAll("a[href^='http']:not(.headerlink)")]
      .filter(a => !a.closest(".cite-box dd, .handout-foot")).map(after),
    internal: [...article.querySelectorAll("a:not([href^='http'])")]
      .map(a => [a.getAttribute("href"), a.className, a.dataset.printHref || null, getComputedStyle(a, "::after").content]),
    foot: (f => f && shown(f) ? f.textContent.replace(/\s+/g, " ").trim() : null)(document.querySelector(".handout-foot")),
    ink: [...article.querySelectorAll("h1, p")].slice(0, 10).map(e => getComputedStyle(e).color),
  };
}"""


def lightness(css_color: str) -> float:
    red, green, blue, *alpha = (float(x) for x in re.findall(r"[\d.]+", css_color))
    opacity = alpha[0] if alpha else 1.0
    # Over white paper.
    return sum(opacity * c + (1 - opacity) * 255 for c in (red, green, blue)) / 3


def check_handout(page, chapter):
    seen = page.evaluate(HANDOUT, list(SCREEN_ONLY.values()))
    printed = [name for name, selector in SCREEN_ONLY.items() if selector in seen["printed"]]
    assert not printed, f"{chapter}: printed {printed}"
    # Nothing of the text is cut off at the right edge of the paper.
    assert 0 < seen["article"] <= seen["paper"], seen
    # Figures, charts, images and tables are all kept; a chart's text version,
    # which says again what the printed drawing shows, is not.
    assert seen["dropped"] == [], f"{chapter}: not printed: {seen['dropped']}"
    assert seen["textVersions"] == 0, f"{chapter}: a chart's text version prints beside its drawing"
    # Links to other sites print their address after the text; so do links to
    # the site's other pages, with their published address (never a relative
    # path). Links within the page and figures' and sources' links (whose words
    # say what they are) print none.
    for href, after in seen["external"]:
        assert after == f'" ({href})"', (chapter, href, after)
    for href, classes, address, after in seen["internal"]:
        if href.startswith("#") or {"fig", "source"} & set(classes.split()):
            assert address is None and after in ("none", "normal"), (chapter, href, after)
        else:
            assert address and address.startswith("https://"), (chapter, href, address)
            assert after == f'" ({address})"', (chapter, href, after)
    # At the foot: the page's address and the date of its figures.
    assert seen["foot"] and "https://" in seen["foot"] and "Facts as of" in seen["foot"], seen["foot"]
    # Dark ink on white paper, whatever scheme the reader had on screen.
    for ink in seen["ink"]:
        assert lightness(ink) < 110, (chapter, ink)


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
      <p id="planted">See <a id="ext" href="https://example.org/report">the report</a>,
      <a id="int" href="../numbers/" data-print-href="https://example.org/explainer/numbers/">the numbers</a>,
      <a id="figure" class="fig" href="../numbers/#fig-x">12 million</a> and <a id="here" href="#planted">this</a>.</p>
      <figure class="chart" id="fig"><svg viewBox="0 0 10 10" width="100" height="100">
      <rect width="10" height="10"/></svg><figcaption>A chart
      <details class="chart__data" id="text-version"><summary>As text</summary><p>The same</p></details>
      </figcaption></figure>
      <details id="closed"><summary>More</summary><p id="inside">Hidden on screen</p></details>`)""")
    expect(page.locator("#text-version")).to_be_visible()  # on screen, the chart's text version is there
    page.emulate_media(media="print")
    assert page.locator("#ext").evaluate(AFTER) == '" (https://example.org/report)"'
    assert page.locator("#int").evaluate(AFTER) == '" (https://example.org/explainer/numbers/)"'
    assert page.locator("#figure").evaluate(AFTER) in ("none", "normal")
    assert page.locator("#here").evaluate(AFTER) in ("none", "normal")
    expect(page.locator("#fig svg")).to_be_visible()
    expect(page.locator("#text-version")).to_be_hidden()  # the drawing prints; its text version does not
    expect(page.locator("#inside")).to_be_visible()  # closed details print open
    assert lightness(page.locator("#planted").evaluate(INK)) < 110  # dark mode prints dark
    check_handout(page, CHAPTERS[0])
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
