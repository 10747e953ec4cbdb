"""A reader with JavaScript switched off reads and finds everything, on a phone and a desktop.

Chromium runs with script execution disabled (Playwright's
``java_script_enabled=False``, which is DevTools'
``Emulation.setScriptExecutionDisabled``): not even the loader in
overrides/partials/lazy-bundle.html runs, so ``<html>`` keeps Material's
``no-js`` class, and every page is what Material's HTML and CSS make of it.
The reader opens the home page, reaches every page through the navigation (on
a phone through the menu, Material's drawer: a CSS checkbox toggle), a
section through the table of contents, each chart and its text version (a
native ``<details>``), and a glossary word's definition (its ``title``, and
the Glossary page in the navigation, whose terms have anchors). Search, which
needs Material's script, is hidden (Material's CSS hides it under ``no-js``),
and so is the palette toggle, which does nothing without it. And nothing a
reader with JavaScript sees on a page is missing without it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, open_tab, stall_guard
from .site_pages import CHAPTERS, PAGES, ROOT

PHONE = {"width": 360, "height": 740}
DEVICES = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}
MISSING = "no-such-page/"  # the site's 404 page
PATHS = [page.path for page in PAGES] + [MISSING]
PATH_IDS = [str(page) for page in PAGES] + ["404"]
GLOSSARY = next(page for page in PAGES if page.source == "glossary.md")
# Every chart and diagram is declared in a page, in a ```chart or ```diagram fence.
FENCE = re.compile(r"^```(chart|diagram)\s*$", re.M)
DECLARED_CHARTS = sum(len(FENCE.findall(page.read_text(encoding="utf-8")))
                      for page in (ROOT / "docs").rglob("*.md"))

# Every piece of text the reader can see on the page, as "where: words"
# (where: the navigation, table of contents, header, article or footer it is
# in): drawn (a box, no ancestor hidden or transparent) and not cut off by an
# ancestor that hides what overflows it. Scrolled out of view still counts as
# seen: the reader can scroll to it. What the drawer holds off-screen counts
# too; that the drawer opens is a story of its own.
SEEN = """() => {
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const element = node.parentElement;
    if (!text || element.closest("script, style, noscript, title, desc")) continue;
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    let cut = false;
    for (let up = element; up && up !== document.body && !cut; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (!/hidden|clip/.test(style.overflowX + style.overflowY)) continue;
      const limit = up.getBoundingClientRect();
      cut = box.right <= limit.left || box.left >= limit.right
         || box.bottom <= limit.top || box.top >= limit.bottom;
    }
    const place = element.closest("nav[aria-label], header, footer, article");
    if (!cut) seen.add((place ? place.getAttribute("aria-label") || place.tagName.toLowerCase() : "page") + ": " + text);
  }
  return [...seen];
}"""


def without_script(device: str) -> dict:
    """A browser context's options: JavaScript off, on this device."""
    return {"java_script_enabled": False, **DEVICES[device]}


@pytest.fixture
def reader(new_tab, request):
    """A fresh tab with JavaScript off, on the device the test names."""
    return request.param, new_tab(**without_script(request.param)).page


@pytest.fixture(scope="module", params=list(DEVICES))
def tabs_with_and_without(browser, request):
    """One tab with JavaScript off and one with it on, on the same device."""
    without = open_tab(browser, **without_script(request.param))
    with_script = open_tab(browser, **DEVICES[request.param])
    yield request.param, without, with_script
    with stall_guard():
        without.page.context.close()
        with_script.page.context.close()


def both_devices(test):
    """Run the test once as a desktop reader and once as a phone reader."""
    return pytest.mark.parametrize("reader", list(DEVICES), indirect=True)(test)


def open_page(page, url: str) -> None:
    page.goto(url)
    # The loader turns "no-js" into "js" at once wherever a script runs.
    expect(page.locator("html")).to_have_class("no-js")


def navigation(page):
    return page.get_by_role("navigation", name="Navigation", exact=True)


def open_menu(page, device: str) -> None:
    """The phone's menu opens from the header; a desktop shows it beside the page."""
    if device == "phone":
        page.locator("header label.md-header__button[for='__drawer']").tap()
        expect(page.locator(".md-sidebar--primary")).to_be_in_viewport(ratio=1)
    else:
        expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()


def close_menu(page) -> None:
    """A tap on the dimmed page beside the open drawer closes it."""
    page.touchscreen.tap(PHONE["width"] - 10, PHONE["height"] // 2)
    expect(page.locator(".md-sidebar--primary")).not_to_be_in_viewport()


def below_the_header(page, anchor: str) -> None:
    """The element with this id (or the page's title) is in the window, not under the sticky header."""
    target = page.locator(f'[id="{anchor}"]') if anchor else page.locator("article h1")
    expect(target).to_be_in_viewport()
    header = page.locator("header.md-header").bounding_box()
    assert target.bounding_box()["y"] >= header["y"] + header["height"] - 1, \
        f"{anchor or 'the title'} is hidden under the header"


def seen_text(page) -> set[str]:
    return set(page.evaluate(SEEN))


@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_a_page_shows_without_javascript_all_it_shows_with_it(tabs_with_and_without, site_url, path):
    device, without, with_script = tabs_with_and_without
    without.errors.clear()
    with_script.page.goto(site_url + path)
    with_script.page.keyboard.press("Shift")  # an interaction: Material's script loads and runs
    with_script.page.wait_for_function("() => !!window.component$")
    expect(with_script.page.locator("html")).to_contain_class("js")
    open_page(without.page, site_url + path)
    expect(without.page.locator("article h1")).to_be_visible()
    missing = seen_text(with_script.page) - seen_text(without.page)
    assert not missing, (f"{path or 'home'} ({device}): seen with JavaScript, not without it: "
                         f"{sorted(missing)[:10]}")
    width = DEVICES[device]["viewport"]["width"]
    scroll = without.page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{path or 'home'} ({device}) is {scroll} px wide in a {width} px window"
    # The browser logs the 404 page's own status; nothing else may go wrong.
    assert [error for error in without.errors if not (path == MISSING and "status of 404" in error)] == []


@both_devices
def test_search_and_the_palette_toggle_are_hidden_where_no_script_runs(reader, site_url):
    device, page = reader
    for path in PATHS:
        open_page(page, site_url + path)
        for needs_script in ("header label[for='__search']", ".md-search",
                             "[data-md-component=palette] label"):
            controls = page.locator(needs_script)
            assert controls.count(), f"{needs_script} is not on {path or 'home'}: the check looks for nothing"
            for index in range(controls.count()):
                expect(controls.nth(index), f"{needs_script} on {path or 'home'} ({device})").to_be_hidden()


@both_devices
def test_reader_reaches_every_page_through_the_navigation(reader, site_url):
    device, page = reader
    open_page(page, site_url)
    expect(page.locator("article h1")).to_be_visible()
    for chapter in CHAPTERS:
        open_menu(page, device)
        link = navigation(page).get_by_role("link", name=chapter.title, exact=True)
        expect(link, f"the menu's link to {chapter.title} ({device})").to_be_visible()
        link.click()
        expect(page).to_have_url(site_url + chapter.path)
        expect(page.locator("html")).to_have_class("no-js")
        below_the_header(page, "")
        # The new page opens with the menu closed.
        if device == "phone":
            expect(page.locator(".md-sidebar--primary")).not_to_be_in_viewport()
    open_menu(page, device)
    navigation(page).get_by_role("link", name=PAGES[0].title, exact=True).click()
    expect(page).to_have_url(site_url)


def test_reader_reaches_every_section_through_the_table_of_contents_on_a_desktop(new_tab, site_url):
    page = new_tab(**without_script("desktop")).page
    sections = 0
    for nav_page in PAGES:
        open_page(page, site_url + nav_page.path)
        contents = page.get_by_role("navigation", name="Table of contents", exact=True)
        links = contents.locator("a.md-nav__link")
        for index in range(links.count()):
            target = links.nth(index).get_attribute("href")
            links.nth(index).click()
            expect(page).to_have_url(site_url + nav_page.path + target)
            below_the_header(page, target.removeprefix("#"))
            sections += 1
    assert sections > 20, f"only {sections} sections in the tables of contents: the check looks for nothing"


def test_reader_reaches_a_section_through_the_table_of_contents_on_a_phone(new_tab, site_url):
    # In the drawer the current page's name opens its table of contents. The
    # last section is the one furthest down the drawer. Without a script the
    # drawer stays open after the jump (Material's script closes it): the
    # reader taps the page beside it.
    page = new_tab(**without_script("phone")).page
    sections = 0
    for nav_page in PAGES:
        open_page(page, site_url + nav_page.path)
        links = page.locator(".md-nav--primary nav.md-nav--secondary a.md-nav__link")
        if not links.count():
            continue
        open_menu(page, "phone")
        page.locator(".md-nav--primary label.md-nav__link--active[for='__toc']").tap()
        last = links.last
        expect(last, f"the last section of {nav_page} in the menu").to_be_visible()
        target = last.get_attribute("href")
        last.tap()
        expect(page).to_have_url(site_url + nav_page.path + target)
        close_menu(page)
        below_the_header(page, target.removeprefix("#"))
        sections += 1
    assert sections >= 4, f"only {sections} pages with a table of contents: the check looks for nothing"


@both_devices
def test_each_chart_shows_and_opens_its_text_version(reader, site_url):
    device, page = reader
    width = DEVICES[device]["viewport"]["width"]
    charts = 0
    for nav_page in PAGES:
        open_page(page, site_url + nav_page.path)
        figures = page.locator("article figure.chart")
        for index in range(figures.count()):
            figure = figures.nth(index)
            where = f"{nav_page} #{figure.get_attribute('id')} ({device})"
            if "chart--timeline-table" in figure.get_attribute("class"):  # a table, shown whole (test_timeline.py)
                expect(figure.locator("table"), where).to_be_visible()
                charts += 1
                continue
            drawing = figure.locator("svg").first
            drawing.scroll_into_view_if_needed()
            expect(drawing, where).to_be_visible()
            box = drawing.bounding_box()
            assert box["width"] > 100 and box["height"] > 50 and box["x"] >= 0 \
                and box["x"] + box["width"] <= width, f"{where}: the drawing is {box}"
            assert drawing.locator("title").text_content().strip(), f"{where}: the drawing has no title"
            text_version = figure.locator("details")
            words = text_version.locator(":scope > :not(summary)").first
            expect(words, where).to_be_hidden()  # folded away until asked for
            text_version.locator("summary").click()
            expect(text_version, where).to_have_attribute("open", "")
            expect(words, where).to_be_visible()
            assert words.inner_text().strip(), f"{where}: the text version is empty"
            charts += 1
    assert charts == DECLARED_CHARTS, f"{charts} charts seen ({device}), {DECLARED_CHARTS} declared in docs/"


@both_devices
def test_a_glossary_word_in_a_chapter_leads_to_its_definition(reader, site_url):
    # On a desktop the word's title is the browser's own tooltip; on a phone
    # there is no hover, and the Glossary, in the navigation, defines it.
    device, page = reader
    chapter = CHAPTERS[0]
    open_page(page, site_url + chapter.path)
    word = page.locator("article abbr[title]").first
    expect(word).to_be_visible()
    term, meaning = word.inner_text().strip(), word.get_attribute("title")
    assert meaning.strip()
    open_menu(page, device)
    link = navigation(page).get_by_role("link", name=GLOSSARY.title, exact=True)
    expect(link, f"the menu's link to the Glossary ({device})").to_be_visible()
    link.click()
    expect(page).to_have_url(site_url + GLOSSARY.path)
    entry = page.locator("article dt").filter(has_text=re.compile(rf"^{re.escape(term)}$", re.I))
    expect(entry).to_have_count(1)
    definition = entry.locator("xpath=following-sibling::dd[1]")
    expect(definition).to_be_visible()
    expect(definition).to_have_text(meaning)
    # The term's own address leads straight to it, from another page (a
    # teacher's link), with no script to scroll.
    anchor = entry.get_attribute("id")
    assert anchor, f"the glossary's {term!r} has no anchor"
    open_page(page, site_url + chapter.path)
    open_page(page, f"{site_url}{GLOSSARY.path}#{anchor}")
    below_the_header(page, anchor)


def test_every_glossary_word_on_every_page_is_defined_on_the_glossary(new_tab, site_url):
    page = new_tab(**without_script("desktop")).page
    open_page(page, site_url + GLOSSARY.path)
    defined = dict(page.evaluate("""() => [...document.querySelectorAll("article dt[id]")]
        .map(dt => [dt.textContent.trim().toLowerCase(), dt.nextElementSibling.textContent.trim()])"""))
    words = 0
    for nav_page in PAGES:
        open_page(page, site_url + nav_page.path)
        for term, meaning in page.evaluate("""() => [...document.querySelectorAll("article abbr[title]")]
                .map(a => [a.textContent.trim().toLowerCase(), a.title])"""):
            assert defined.get(term) == meaning, f"{nav_page}: {term!r} is not defined so on the Glossary"
            words += 1
    assert words > 10, f"only {words} glossary words on the site: the check looks for nothing"


def test_the_comparison_sees_what_only_a_script_would_show(new_tab, site_url):
    # Control: the navigation and a chart hidden until a script runs.
    page = new_tab(**without_script("desktop")).page
    open_page(page, site_url + CHAPTERS[0].path)
    before = seen_text(page)
    labels = set(page.evaluate("""() => [...document.querySelectorAll("article .chart__svg text")]
        .map(label => label.textContent.replace(/\\s+/g, " ").trim())"""))
    labels = {f"article: {label}" for label in labels}
    assert labels and labels <= before
    page.evaluate("""() => { const style = document.createElement("style");
        style.textContent = ".no-js .md-sidebar--primary { display: none } " +
                            ".no-js .chart__svg { visibility: hidden }";
        document.head.appendChild(style); }""")
    missing = before - seen_text(page)
    assert {f"Navigation: {chapter.title}" for chapter in CHAPTERS} <= missing
    assert labels <= missing
