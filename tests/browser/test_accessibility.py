"""axe-core on every page, light and dark, desktop and phone: zero violations.

No rule is switched off. axe-core comes bundled with axe-playwright-python
(pinned in requirements-test.txt), so nothing is fetched.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import PHONE, open_tab, stall_guard
from .site_pages import CHAPTERS, OUTSIDE_NAV, PAGES

AXE = Axe()
MISSING = "no-such-page/"  # the site's 404 page


def violations(page) -> str:
    results = AXE.run(page)
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_tab(request, browser):
    tab = open_tab(browser, color_scheme=request.param)
    yield request.param, tab
    with stall_guard():
        tab.page.context.close()


@pytest.mark.parametrize("path", [p.path for p in PAGES + OUTSIDE_NAV] + [MISSING],
                         ids=[str(p) for p in PAGES + OUTSIDE_NAV] + ["404"])
def test_no_axe_violations(scheme_tab, site_url, path):
    scheme, tab = scheme_tab
    tab.page.goto(site_url + path)
    expected = "slate" if scheme == "dark" else "default"
    expect(tab.page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
    report = violations(tab.page)
    assert not report, f"{path or 'home'} ({scheme}):\n{report}"


@pytest.mark.parametrize("nav_page", PAGES, ids=str)
def test_no_axe_violations_on_a_phone(phone_tab, site_url, nav_page):
    phone_tab.page.goto(site_url + nav_page.path)
    report = violations(phone_tab.page)
    assert not report, f"{nav_page} (phone):\n{report}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_with_search_results_open(new_tab, site_url, scheme):
    page = new_tab(color_scheme=scheme).page
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").press_sequentially("distillation", delay=20)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    report = violations(page)
    assert not report, f"search results ({scheme}):\n{report}"
    # The page a result leads to, with the search words highlighted.
    results.first.locator("a").first.click()
    expect(page.locator("article mark[data-md-highlight]").first).to_be_visible()
    report = violations(page)
    assert not report, f"highlighted page ({scheme}):\n{report}"


def test_no_axe_violations_with_the_phone_menu_open(new_tab, site_url):
    page = new_tab(viewport=PHONE, is_mobile=True, has_touch=True).page
    page.goto(site_url + CHAPTERS[0].path)
    page.locator("header label.md-header__button[for='__drawer']").click()
    expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()
    report = violations(page)
    assert not report, report


def test_axe_sees_a_planted_violation(desktop_tab, site_url):
    # Control: an image with no text alternative, and link text that barely
    # stands out from the page.
    page = desktop_tab.page
    page.goto(site_url + CHAPTERS[0].path)
    page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("beforeend",
        '<p><img src="../assets/images/favicon.svg"> <span style="color: #eee">pale</span></p>')""")
    report = violations(page)
    assert "image-alt" in report and "color-contrast" in report, report


def test_search_dialog_has_an_accessible_name(desktop_tab, site_url):
    desktop_tab.page.goto(site_url)
    expect(desktop_tab.page.get_by_role("dialog", name="Search")).to_have_count(1)
