"""Every page loads from 127.0.0.1 alone, and logs no error."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import HOST
from .site_pages import PAGES


def foreign(requests: list[str]) -> list[str]:
    return [url for url in requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname != HOST]


@pytest.mark.parametrize("nav_page", PAGES, ids=str)
def test_page_stays_on_this_machine_and_logs_no_error(new_tab, site_url, nav_page):
    tab = new_tab()
    tab.page.goto(site_url + nav_page.path)
    tab.page.wait_for_load_state("networkidle")
    # The first key press loads Material's bundle, the search worker and its index.
    with tab.page.expect_response(lambda response: response.url.endswith("search_index.json")):
        tab.page.keyboard.press("Tab")
    # Hover and focus what has tooltips, as a reader would (no lazy fetches).
    for element in tab.page.locator("article :is(abbr, a.fig)").all()[:3]:
        element.hover()
    assert foreign(tab.requests) == [], f"{nav_page} asked another host"
    assert tab.errors == [], f"{nav_page} logged errors"
    assert any(url.endswith("search_index.json") for url in tab.requests)


def test_search_and_toggle_stay_on_this_machine(new_tab, site_url):
    tab = new_tab()
    page = tab.page
    page.goto(site_url)
    page.locator(".md-search__input").press_sequentially("distillation", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("Escape")
    page.locator("form[data-md-component='palette'] label.md-header__button:visible").click()
    page.wait_for_load_state("networkidle")
    assert foreign(tab.requests) == []
    assert tab.errors == []


def test_the_404_page_loads_only_from_this_machine(new_tab, site_url):
    tab = new_tab()
    response = tab.page.goto(site_url + "no-such-page/")
    assert response.status == 404
    assert tab.page.locator("h1").first.is_visible()
    tab.page.wait_for_load_state("networkidle")
    assert foreign(tab.requests) == []
    # The browser logs the 404 of the page itself; nothing else may fail.
    others = [e for e in tab.errors if "status of 404" not in e or "no-such-page" not in e]
    assert others == []
