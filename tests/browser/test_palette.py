"""The dark-mode toggle works, and the choice follows the reader to the next page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .site_pages import CHAPTERS

BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def click_toggle(page):
    """Click the palette button a reader sees in the header (sun or moon)."""
    page.locator("form[data-md-component='palette'] label.md-header__button:visible").click()


def brightness(css_rgb: str) -> float:
    red, green, blue = (float(part) for part in re.findall(r"[\d.]+", css_rgb)[:3])
    return (red + green + blue) / 3


def test_dark_mode_toggle_is_remembered_on_the_next_page(new_tab, site_url):
    page = new_tab(color_scheme="light").page
    page.goto(site_url + CHAPTERS[0].path)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert brightness(page.evaluate(BACKGROUND)) > 200

    click_toggle(page)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert brightness(page.evaluate(BACKGROUND)) < 60

    # Next page, by the navigation: dark from the first paint on.
    page.get_by_role("navigation", name="Navigation", exact=True).get_by_role(
        "link", name=CHAPTERS[1].title, exact=True).click()
    expect(page).to_have_url(site_url + CHAPTERS[1].path)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert brightness(page.evaluate(BACKGROUND)) < 60

    # And back: light is remembered too.
    click_toggle(page)
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


def test_the_scheme_is_applied_before_the_page_script_runs(new_tab, site_url):
    # A reader who chose dark must not see a white flash: the scheme is on
    # <body> while the page is still being parsed, before Material's bundle.
    page = new_tab(color_scheme="light").page
    page.goto(site_url)
    click_toggle(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.route("**/assets/javascripts/bundle.*.js", lambda route: route.abort())
    page.goto(site_url + CHAPTERS[0].path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_a_reader_whose_system_is_dark_gets_the_dark_scheme(new_tab, site_url):
    page = new_tab(color_scheme="dark").page
    page.goto(site_url + CHAPTERS[0].path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
