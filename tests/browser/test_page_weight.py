"""Page-weight budget, in bytes (not time): what a chapter's first view loads,
and what the reader's first interaction adds.

Measured from the browser's own responses on an empty cache: the HTML, the
CSS, the icon, anything else; then, after one key press (the first
interaction, which loads Material's JavaScript: overrides/partials/
lazy-bundle.html), the bundle, the search worker and the search index.
The test server does not compress, so these are the files' own sizes; a
host that gzips sends roughly a quarter (tests/bench/results-lighthouse.md).

The budgets were set from a measurement (below; Material 9.8.1) with a
little headroom, so that a regression - a web font, a script loaded with the
page, an image, a heavier theme - fails here. The theme's assets are the
same on every page and are held tight; the text (HTML and search index)
grows with the chapters and has more room.
"""

from __future__ import annotations

import pytest

from .site_pages import CHAPTERS, PAGES

KB = 1000
# Measured on 2026-11-23 (every nav page, desktop, empty cache), with
# Material's CSS trimmed to the rules the site uses (distill_site.tools.trim_css):
#   first view: theme (Material's CSS, ours, icon) 100 KB, the same on
#   every page (159 KB untrimmed); HTML 21-47 KB a page; no script, no
#   search index; total 121-147 KB a page
#   first interaction adds: Material's bundle and search worker 154 KB,
#   the search index (all the site's text) 73 KB
THEME_BUDGET = 105 * KB  # tight: +5 %
DOCUMENT_BUDGET = 90 * KB  # the chapters are still being written
TOTAL_BUDGET = 170 * KB  # +16 % over the heaviest page
SCRIPT_BUDGET = 162 * KB  # tight: +5 %
SEARCH_INDEX_BUDGET = 110 * KB


def kind(url: str, resource_type: str) -> str:
    if resource_type == "document":
        return "document"
    if url.endswith("search_index.json"):
        return "search index"
    if "/assets/javascripts/" in url:
        return "script"
    return "theme"


class Weighing:
    """Every response of one tab, by kind."""

    def __init__(self, tab):
        self.tab = tab
        self.responses = []
        tab.page.context.on("response", lambda response: self.responses.append(response))

    @property
    def sizes(self) -> dict[str, tuple[str, int]]:
        """Read once the page is loaded, not in the event handler: there, on a
        busy machine, the document's body was sometimes not yet readable and
        the page weighed 0 bytes."""
        sizes = {}
        for response in list(self.responses):
            if 300 <= response.status < 400:
                continue  # a redirect has no body
            sizes[response.url] = (kind(response.url, response.request.resource_type), len(response.body()))
        return sizes

    def totals(self) -> dict[str, int]:
        totals, sizes = {"document": 0, "search index": 0, "theme": 0, "script": 0}, self.sizes
        for what, size in sizes.values():
            totals[what] += size
        totals["total"] = sum(size for _, size in sizes.values())
        return totals

    def detail(self) -> str:
        return "\n".join(f"  {size:>9,} B  {url}" for url, (_, size) in sorted(
            self.sizes.items(), key=lambda item: -item[1][1]))


def first_view(new_tab, url: str, plant=None) -> Weighing:
    tab = new_tab()
    if plant:
        plant(tab.page)
    weighing = Weighing(tab)
    tab.page.goto(url)
    tab.page.wait_for_load_state("networkidle")
    return weighing


def first_interaction(weighing: Weighing) -> None:
    """One key press; wait until the bundle, the worker and the index are weighed."""
    page = weighing.tab.page
    page.keyboard.press("Tab")
    for _ in range(100):
        urls = [response.url for response in weighing.responses]
        if (any("/javascripts/bundle." in url for url in urls)
                and any("/workers/search." in url for url in urls)
                and any(url.endswith("search_index.json") for url in urls)):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"the first interaction did not load the bundle, worker and index:\n{weighing.detail()}")


@pytest.mark.parametrize("nav_page", PAGES, ids=str)
def test_first_view_stays_under_budget(new_tab, site_url, nav_page):
    weighing = first_view(new_tab, site_url + nav_page.path)
    weight, detail = weighing.totals(), weighing.detail()
    assert weight["theme"] <= THEME_BUDGET, f"theme assets over budget:\n{detail}"
    assert weight["document"] <= DOCUMENT_BUDGET, f"page HTML over budget:\n{detail}"
    assert weight["script"] == 0, f"a script loads with the page:\n{detail}"
    assert weight["search index"] == 0, f"the search index loads with the page:\n{detail}"
    assert weight["total"] <= TOTAL_BUDGET, f"first view over budget:\n{detail}"
    assert weight["document"] > 0 and weight["theme"] > 0  # the measurement saw the page


def test_the_first_interaction_stays_under_budget(new_tab, site_url):
    weighing = first_view(new_tab, site_url + CHAPTERS[0].path)
    first_interaction(weighing)
    weight, detail = weighing.totals(), weighing.detail()
    assert weight["script"] <= SCRIPT_BUDGET, f"Material's scripts over budget:\n{detail}"
    assert weight["search index"] <= SEARCH_INDEX_BUDGET, f"search index over budget:\n{detail}"


def test_budget_measures_what_the_browser_loads(new_tab, site_url):
    # The first view's count includes every stylesheet the page links and the
    # icon, which the browser asks for after the page: the measurement waits.
    weighing = first_view(new_tab, site_url + CHAPTERS[0].path)
    linked = weighing.tab.page.evaluate(
        "[...document.querySelectorAll('link[rel=stylesheet], link[rel=icon]')].map(l => l.href)")
    assert any(url.endswith(".css") for url in linked)
    assert set(linked) <= set(weighing.sizes), (linked, list(weighing.sizes))


def test_a_heavier_theme_would_fail_the_budget(new_tab, site_url):
    # Plant a regression: our stylesheet grows by 25 KB (say, an inlined font).
    def heavier(page):
        page.route("**/assets/stylesheets/site.css", lambda route: route.fulfill(
            status=200, content_type="text/css", body="/*" + "x" * 25_000 + "*/"))

    weighing = first_view(new_tab, site_url + CHAPTERS[0].path, plant=heavier)
    assert weighing.totals()["theme"] > THEME_BUDGET
