"""Search works with the network cut: the index and worker come from the site.

They load on the reader's first interaction (tests/browser/test_lazy_bundle.py):
here the first click into the search box.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PHONE

RESULT = ".md-search-result__item"


def search_for(page, query: str):
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    return page.locator(RESULT)


@pytest.mark.parametrize("query", ["distillation", "guardrail"])
def test_search_finds_offline(new_tab, site_url, query):
    tab = new_tab()
    page = tab.page
    page.goto(site_url)
    with page.expect_response(lambda response: response.url.endswith("search_index.json")):
        page.locator(".md-search__input").click()  # the first interaction loads them
    page.context.set_offline(True)  # from here on, nothing can come from anywhere
    results = search_for(page, query)
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching document")
    # The query is highlighted in what was found, and each result is a page of this site.
    expect(results.first.locator("mark").first).to_contain_text(query, ignore_case=True)
    for href in results.locator("a").evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith(site_url), href
    # Opening a result leads to that page, the query marked in its text.
    page.context.set_offline(False)
    target = results.first.locator("a").first.get_attribute("href")
    results.first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].split("?")[0] == target.split("#")[0].split("?")[0]
    expect(page.locator("article mark[data-md-highlight]").first).to_be_visible()


def test_search_opens_from_the_phone_header(new_tab, site_url):
    page = new_tab(viewport=PHONE, is_mobile=True, has_touch=True).page
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.locator("header label.md-header__button[for='__search']").click()
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    box.press_sequentially("distillation", delay=20)
    expect(page.locator(RESULT).first).to_be_in_viewport()
