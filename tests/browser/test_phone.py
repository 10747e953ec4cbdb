"""On a 375-pixel-wide phone: nothing scrolls sideways, and the menu opens."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .site_pages import CHAPTERS, PAGES

# Widest things on the page, for the failure message.
WIDEST = """limit => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > limit + 1)
  .filter(e => !e.parentElement.closest("[style*=overflow], .md-typeset__scrollwrap"))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.className && e.className.baseVal === undefined ? "." + e.className.split(" ").join(".") : "") +
    " right=" + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("nav_page", PAGES, ids=str)
def test_no_horizontal_scrolling_on_a_phone(phone_tab, site_url, nav_page):
    page = phone_tab.page
    page.goto(site_url + nav_page.path)
    page.wait_for_load_state("load")
    width = PHONE["width"]
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth]")
    assert max(scroll) <= width, (f"{nav_page} is {max(scroll)} px wide on a {width} px phone; "
                                  f"too wide: {page.evaluate(WIDEST, width)}")
    # Nor can the reader drag it sideways.
    page.evaluate("window.scrollTo(200, window.scrollY)")
    assert page.evaluate("window.scrollX") == 0


def test_the_menu_opens_and_leads_to_a_chapter_on_a_phone(new_tab, site_url):
    page = new_tab(viewport=PHONE, is_mobile=True, has_touch=True).page
    page.goto(site_url)
    nav = page.get_by_role("navigation", name="Navigation", exact=True)
    target = nav.get_by_role("link", name=CHAPTERS[-1].title, exact=True)
    expect(target).not_to_be_in_viewport()  # the drawer is closed
    page.locator("header label.md-header__button[for='__drawer']").click()
    expect(target).to_be_in_viewport()
    for chapter in CHAPTERS:
        expect(nav.get_by_role("link", name=chapter.title, exact=True)).to_be_visible()
    target.click()
    expect(page).to_have_url(site_url + CHAPTERS[-1].path)
    # The drawer is closed on the new page, the chapter's heading in view.
    expect(page.locator("article h1")).to_be_in_viewport()


def test_the_menu_closes_again(new_tab, site_url):
    page = new_tab(viewport=PHONE, is_mobile=True, has_touch=True).page
    page.goto(site_url + CHAPTERS[0].path)
    drawer = page.locator(".md-sidebar--primary")
    page.locator("header label.md-header__button[for='__drawer']").click()
    expect(drawer).to_be_in_viewport()
    # Tap the dimmed page beside the drawer.
    page.mouse.click(PHONE["width"] - 10, PHONE["height"] // 2)
    expect(drawer).not_to_be_in_viewport()
    expect(page.locator("header label.md-header__button[for='__drawer']")).to_be_visible()


def test_the_measure_sees_a_page_wider_than_the_phone(phone_tab, site_url):
    # Control: a table of figures 600 px wide, outside any scrolling box.
    page = phone_tab.page
    page.goto(site_url + CHAPTERS[0].path)
    page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("beforeend",
        '<div id="planted" style="width: 600px; height: 10px"></div>')""")
    assert page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]
    assert any(found.startswith("div#planted") for found in page.evaluate(WIDEST, PHONE["width"]))
