"""A reader who only reads downloads no JavaScript; the first interaction loads it.

Material's bundle, and with it the search worker and the search index, is
loaded by overrides/partials/lazy-bundle.html on the reader's first mouse
press, tap, focus or key press (keys that only scroll excepted), not with the
page. Whatever the reader does first must still work: the palette toggle
switches on the first click and is remembered, search finds what is typed
straight away, and Material's tooltips take over from the native ones.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .site_pages import CHAPTERS, PAGES

# The longest chapter: the most to scroll through.
LONG = next((page for page in CHAPTERS if page.source == "outputs-not-weights.md"), CHAPTERS[0])
RESULT = ".md-search-result__item"
TOGGLE = "form[data-md-component='palette'] label.md-header__button:visible"


def lazy(requests: list[str]) -> list[str]:
    """What the first interaction should load, and reading should not."""
    return [url for url in requests if "/assets/javascripts/" in url or url.endswith("search_index.json")]


def loaded_everything(tab) -> bool:
    found = lazy(tab.requests)
    return (any("/javascripts/bundle." in url for url in found)
            and any("/workers/search." in url for url in found)
            and any(url.endswith("search_index.json") for url in found))


def wait_until_loaded(tab, seconds: float = 10) -> None:
    """Wait for the bundle, the worker and the index (networkidle, once
    reached on the page's load, does not wait again)."""
    for _ in range(int(seconds * 10)):
        if loaded_everything(tab):
            return
        tab.page.wait_for_timeout(100)
    pytest.fail(f"the interaction did not load the bundle, worker and index: {lazy(tab.requests)}")


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


@pytest.mark.parametrize("nav_page", PAGES, ids=str)
def test_opening_a_page_downloads_no_javascript_and_no_search_index(new_tab, site_url, nav_page):
    tab = new_tab()
    tab.page.goto(site_url + nav_page.path)
    tab.page.wait_for_load_state("networkidle")
    assert lazy(tab.requests) == []
    assert tab.errors == []
    # The page is not left in Material's no-JavaScript look: the search
    # button and the palette toggle are there for the first interaction.
    expect(tab.page.locator("html")).to_have_class("js")
    expect(tab.page.locator(".md-search__input")).to_be_visible()
    expect(tab.page.locator(TOGGLE)).to_have_count(1)


def test_a_reader_who_scrolls_with_wheel_and_keys_downloads_nothing_more(new_tab, site_url):
    tab = new_tab()
    page = tab.page
    page.goto(site_url + LONG.path)
    page.wait_for_load_state("networkidle")
    page.mouse.move(640, 400)  # the pointer rests on the text, as a reader's does
    for _ in range(3):
        page.mouse.wheel(0, 1200)
        page.wait_for_timeout(200)
    for key in ("PageDown", "Space", "ArrowDown", "Home", "End"):
        page.keyboard.press(key)
        page.wait_for_timeout(100)
    assert page.evaluate("scrollY") > 1000  # the reader really scrolled
    page.wait_for_timeout(500)
    assert lazy(tab.requests) == []


def test_a_reader_who_swipes_on_a_phone_downloads_nothing_more(new_tab, site_url):
    tab = new_tab(viewport=PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    page.goto(site_url + LONG.path)
    page.wait_for_load_state("networkidle")
    cdp = page.context.new_cdp_session(page)
    for _ in range(2):  # a finger swipe up the screen, as the touch screen sends it
        for kind, y in [("touchStart", 550), ("touchMove", 450), ("touchMove", 350),
                        ("touchMove", 250), ("touchMove", 150), ("touchEnd", None)]:
            cdp.send("Input.dispatchTouchEvent", {
                "type": kind, "touchPoints": [] if y is None else [{"x": 180, "y": y}]})
            page.wait_for_timeout(30)
    page.wait_for_timeout(500)
    assert page.evaluate("scrollY") > 500  # the reader really scrolled
    assert lazy(tab.requests) == []


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_first_click_on_the_palette_toggle_switches_and_is_remembered(new_tab, site_url, device):
    phone = device == "phone"
    tab = new_tab(color_scheme="light", **({"viewport": PHONE, "is_mobile": True, "has_touch": True}
                                           if phone else {}))
    page = tab.page
    page.goto(site_url + CHAPTERS[0].path)
    page.wait_for_load_state("networkidle")
    assert scheme(page) == "default" and lazy(tab.requests) == []
    toggle = page.locator(TOGGLE)
    toggle.tap() if phone else toggle.click()  # the interaction that loads the bundle
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    wait_until_loaded(tab)
    # The bundle, now running, agrees: the sun (switch to light) is shown.
    expect(page.locator(TOGGLE)).to_have_attribute("for", "__palette_0")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    # The next page is dark from the start, before any interaction.
    page.goto(site_url + CHAPTERS[1].path)
    assert scheme(page) == "slate"
    # Toggling back, on a page where the bundle loaded first, works too.
    page.keyboard.press("Tab")
    page.wait_for_function("() => !!window.component$")  # the bundle runs
    page.locator(TOGGLE).click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    page.reload()
    assert scheme(page) == "default"
    assert tab.errors == []


def test_search_typed_before_the_bundle_has_loaded_finds_results(new_tab, site_url):
    tab = new_tab()
    page = tab.page
    # Hold the bundle back until the reader has typed: a slow connection.
    held = []
    page.route("**/assets/javascripts/bundle.*.js", lambda route: held.append(route))
    page.goto(site_url + CHAPTERS[0].path)
    page.wait_for_load_state("networkidle")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("distillation", delay=10)
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1, "the click into the search box did not ask for the bundle"
    assert not any("/workers/search." in url for url in tab.requests)  # typed before search existed
    held[0].continue_()
    results = page.locator(RESULT)
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark").first).to_contain_text("distillation", ignore_case=True)
    assert tab.errors == []


def test_the_search_shortcut_works_as_the_first_key_pressed(new_tab, site_url):
    tab = new_tab()
    page = tab.page
    page.goto(site_url + CHAPTERS[0].path)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the "/" opened search; it was not typed
    page.keyboard.type("guardrail", delay=10)
    expect(page.locator(RESULT).first).to_be_visible()
    assert tab.errors == []


def test_search_opens_from_the_phone_header_as_the_first_tap(new_tab, site_url):
    tab = new_tab(viewport=PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.locator("header label.md-header__button[for='__search']").tap()
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()  # the phone's keyboard comes up
    box.press_sequentially("distillation", delay=10)
    expect(page.locator(RESULT).first).to_be_in_viewport()
    assert tab.errors == []


def test_tooltips_are_the_native_ones_until_material_takes_over(new_tab, site_url):
    tab = new_tab()
    page = tab.page
    page.goto(site_url + CHAPTERS[0].path)
    page.wait_for_load_state("networkidle")
    first = page.locator("article a.fig[title]").first
    title = first.get_attribute("title")
    # Material moves a title into its own tooltip: find the figure by its address.
    figure = page.locator(f'article a.fig[href="{first.get_attribute("href")}"]').first
    assert title  # the browser's own tooltip, while no script runs
    figure.hover()  # hovering loads nothing
    page.wait_for_timeout(300)
    assert lazy(tab.requests) == [] and page.locator(".md-tooltip2").count() == 0
    page.keyboard.press("Tab")  # an interaction
    wait_until_loaded(tab)
    page.mouse.move(0, 0)
    figure.hover()
    # Material's tooltip, with the same text: its page components started
    # (they wait for DOMContentLoaded, which the loader fires again).
    tooltip = page.locator(".md-tooltip2").filter(has_text=title[:40])
    expect(tooltip.first).to_be_visible()
    assert tab.errors == []


def test_a_page_opened_from_a_search_result_highlights_without_interaction(new_tab, site_url):
    tab = new_tab()
    page = tab.page
    page.goto(site_url + CHAPTERS[0].path + "?h=distillation")
    expect(page.locator("article mark[data-md-highlight]").first).to_be_visible()
    assert tab.errors == []


def test_search_and_menu_left_open_are_closed_when_the_reader_comes_back(new_tab, site_url):
    # Material keeps its drawer and search checkboxes from being restored,
    # checked, with autocomplete="off", which HTML does not allow on a
    # checkbox (distill_site.tools.fix_toggles drops it); the loader closes them
    # when the page shows again. Chromium restores them on Back (measured).
    tab = new_tab()
    page = tab.page
    page.goto(site_url + CHAPTERS[0].path)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.evaluate("document.getElementById('__drawer').checked = true")
    expect(page.locator("#__search")).to_be_checked()
    page.goto(site_url + CHAPTERS[1].path)
    page.wait_for_load_state("networkidle")
    page.go_back()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#__search")).not_to_be_checked()
    expect(page.locator("#__drawer")).not_to_be_checked()
    assert page.locator("#__search[autocomplete], #__drawer[autocomplete]").count() == 0
    assert tab.errors == []
