"""Page-weight budget, in bytes (not time): what a chapter's first view loads.

Measured from the browser's own responses on an empty cache: the HTML, the
CSS, the JavaScript, the search worker and index, the icon, anything else.
The test server does not compress, so these are the files' own sizes; a
host that gzips sends roughly a quarter (tests/bench/results-lighthouse.md).

The budgets were set from a measurement (below; Material 9.8.1) with a
little headroom, so that a regression - a web font, a script, an image, a
heavier theme - fails here. The theme's assets are the same on every page
and are held tight; the text (HTML and search index) grows with the
chapters and has more room.
"""

from __future__ import annotations

import pytest

from .site_pages import CHAPTERS, PAGES

KB = 1000
# Measured on 2026-11-23 (every nav page, first view):
#   theme (CSS, JS, search worker, icon): 313 KB, the same on every page
#   HTML: 21-46 KB a page; search index (all the site's text): 73 KB
#   total: 407-432 KB a page
THEME_BUDGET = 330 * KB  # tight: +5 %
DOCUMENT_BUDGET = 90 * KB  # the chapters are still being written
SEARCH_INDEX_BUDGET = 110 * KB
TOTAL_BUDGET = 500 * KB  # +16 % over the heaviest page


def kind(url: str, resource_type: str) -> str:
    if resource_type == "document":
        return "document"
    if url.endswith("search_index.json"):
        return "search index"
    return "theme"


def first_view(new_tab, url: str, plant=None) -> dict[str, int]:
    tab = new_tab()
    if plant:
        plant(tab.page)
    sizes: dict[str, tuple[str, int]] = {}

    def record(response):
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have none
            return
        sizes[response.url] = (kind(response.url, response.request.resource_type), len(body))

    tab.page.context.on("response", record)
    tab.page.goto(url)
    tab.page.wait_for_load_state("networkidle")
    totals = {"document": 0, "search index": 0, "theme": 0}
    for what, size in sizes.values():
        totals[what] += size
    totals["total"] = sum(size for _, size in sizes.values())
    totals["files"] = sizes
    return totals


@pytest.mark.parametrize("nav_page", PAGES, ids=str)
def test_first_view_stays_under_budget(new_tab, site_url, nav_page):
    weight = first_view(new_tab, site_url + nav_page.path)
    detail = "\n".join(f"  {size:>9,} B  {url}" for url, (_, size) in sorted(
        weight["files"].items(), key=lambda item: -item[1][1]))
    assert weight["theme"] <= THEME_BUDGET, f"theme assets over budget:\n{detail}"
    assert weight["document"] <= DOCUMENT_BUDGET, f"page HTML over budget:\n{detail}"
    assert weight["search index"] <= SEARCH_INDEX_BUDGET, f"search index over budget:\n{detail}"
    assert weight["total"] <= TOTAL_BUDGET, f"first view over budget:\n{detail}"
    assert weight["document"] > 0 and weight["theme"] > 0  # the measurement saw the page


def test_budget_measures_what_the_browser_loads(new_tab, site_url):
    # A chapter's first view includes the search worker and index, which
    # Material loads after the page: the measurement must wait for them.
    weight = first_view(new_tab, site_url + CHAPTERS[0].path)
    urls = list(weight["files"])
    assert any("/workers/search" in url for url in urls), urls
    assert any(url.endswith("search_index.json") for url in urls), urls


def test_a_heavier_theme_would_fail_the_budget(new_tab, site_url):
    # Plant a regression: our stylesheet grows by 25 KB (say, an inlined font).
    def heavier(page):
        page.route("**/assets/stylesheets/site.css", lambda route: route.fulfill(
            status=200, content_type="text/css", body="/*" + "x" * 25_000 + "*/"))

    weight = first_view(new_tab, site_url + CHAPTERS[0].path, plant=heavier)
    assert weight["theme"] > THEME_BUDGET
