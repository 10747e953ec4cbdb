"""On a 360-pixel phone the numbers, sources and timeline pages fit the screen.

A reader checking a figure on a small phone reads every row whole, without
sideways scrolling: on narrow screens the numbers and timeline tables show
one card per row (site.css, with the header words blocks.py writes on each
cell). Checked as the page first loads (no JavaScript yet) and again after
the first tap, when Material's script has wrapped the tables in its own
scrolling boxes.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from distill_site.facts.figures import load_figures

from .site_pages import ROOT

NARROW = {"width": 360, "height": 740}
FACTS = load_figures(ROOT / "data" / "figures.yml")
# Each page, and how many rows its own table has (the sources page has none).
PAGES = {"numbers/": len(FACTS.figures), "sources/": 0, "timeline/": len(FACTS.timeline)}

# Elements whose box reaches past the right edge of the window, described
# for the failure message. Elements that are not drawn (no box) cannot be.
TOO_WIDE = """() => [...document.body.querySelectorAll("*")]
  .filter(e => { const r = e.getBoundingClientRect();
                 return (r.width || r.height) && r.right > innerWidth + 0.5; })
  .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
       (typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\\s+/).join(".") : "") +
       ` right=${Math.round(e.getBoundingClientRect().right)}`)"""

# For each element: its first words, and what a reader could not see of it
# (nothing drawn, or cut off at a side of the window or of its table), or "".
UNSEEN = """parts => parts.map(e => { const r = e.getBoundingClientRect();
  const cut = (e.closest("table") || e).getBoundingClientRect();
  const unseen = !r.width || !r.height ? "not shown"
    : r.left < -0.5 || r.right > innerWidth + 0.5 ? `outside the window (${Math.round(r.left)} to ${Math.round(r.right)})`
    : r.left < cut.left - 0.5 || r.right > cut.right + 0.5 ? "scrolled out of its table" : "";
  return [e.innerText.slice(0, 40), unseen]; })"""

# A cell narrower than this holds a word or two a line: unreadable. (On a
# 360 px phone a card's cells are about 300 px wide.)
READABLE_LINE = 200

# The page's own tables (the timeline's too), not the charts' text alternatives (folded away in <details>).
OWN_TABLES = "article table:not(.chart__data table)"


def open_narrow(new_tab, site_url, path, scheme="light"):
    page = new_tab(viewport=NARROW, is_mobile=True, has_touch=True, device_scale_factor=2,
                   color_scheme=scheme).page
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    return page


def load_material_script(page):
    """A tap on the title loads Material's script, which wraps each table."""
    page.locator("article h1").click()
    page.wait_for_function("() => window.component$ !== undefined")
    tables = page.locator("article table").count()
    page.wait_for_function(f"() => document.querySelectorAll('.md-typeset__scrollwrap table').length == {tables}")


def check_fits(page, path, when):
    width = page.evaluate("innerWidth")
    assert width == NARROW["width"]
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{path} ({when}) is {scroll} px wide on a {width} px phone"
    too_wide = page.evaluate(TOO_WIDE)
    assert not too_wide, f"{path} ({when}): wider than the {width} px window: {too_wide[:8]}"


def check_rows_readable(page, path, rows_expected, when):
    rows = page.locator(f"{OWN_TABLES} tbody tr")
    assert rows.count() == rows_expected, f"{path}: {rows.count()} rows, expected {rows_expected}"
    problems = []
    for index in range(rows_expected):
        row = rows.nth(index)
        title = row.locator("td").first.inner_text().split("\n")[0][:60]
        widths = row.locator("td").evaluate_all("cells => cells.map(c => c.getBoundingClientRect().width)")
        if min(widths) < READABLE_LINE:
            problems.append(f"{title!r}: cells squeezed to {[round(w) for w in widths]} px wide")
        # Every cell (the value, its sources, where it is used) and every link in it.
        problems += [f"{title!r}: {words!r} {unseen}"
                     for words, unseen in row.locator("td, td a").evaluate_all(UNSEEN) if unseen]
    assert not problems, f"{path} ({when}): {len(problems)} parts of rows unreadable: {problems[:6]}"


def check_sources_readable(page, path, when):
    """Every link to a source, and every source's own entry, is on screen."""
    parts = page.locator("article a[href*='#src-'], article [id^='src-']").evaluate_all(UNSEEN)
    assert parts, f"{path}: no sources"
    problems = [f"{words!r} {unseen}" for words, unseen in parts if unseen]
    assert not problems, f"{path} ({when}): sources not readable: {problems[:6]}"


@pytest.mark.parametrize("path", PAGES)
def test_a_360_px_phone_shows_every_row_whole(new_tab, site_url, path):
    page = open_narrow(new_tab, site_url, path)
    for when in ("as loaded", "after the first tap"):
        if when == "after the first tap":
            load_material_script(page)
        check_fits(page, path, when)
        check_rows_readable(page, path, PAGES[path], when)
        check_sources_readable(page, path, when)


@pytest.mark.parametrize("path", [path for path, rows in PAGES.items() if rows])
def test_on_a_phone_the_cards_are_still_a_table_to_a_screen_reader(new_tab, site_url, path):
    # Some browsers drop a table's roles when CSS changes its display. Ask
    # Chromium's own accessibility tree (what a screen reader gets), not the DOM.
    page = open_narrow(new_tab, site_url, path)
    table = page.locator(OWN_TABLES).first
    assert table.evaluate("t => getComputedStyle(t).display") == "block", "not shown as cards"
    columns = table.locator("thead th").count()
    cdp = page.context.new_cdp_session(page)
    handle = cdp.send("Runtime.evaluate", {"expression": f"document.querySelector('{OWN_TABLES}')"})

    def count(role):
        found = cdp.send("Accessibility.queryAXTree", {"objectId": handle["result"]["objectId"], "role": role})
        return sum(1 for node in found["nodes"] if not node.get("ignored"))
    roles = {role: count(role) for role in ("table", "row", "columnheader", "cell")}
    rows = PAGES[path]
    assert roles == {"table": 1, "row": rows + 1, "columnheader": columns, "cell": rows * columns}, roles


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_the_cards_have_no_axe_violations(new_tab, site_url, path, scheme):
    page = open_narrow(new_tab, site_url, path, scheme)
    results = Axe().run(page)
    assert results.violations_count == 0, f"{path} ({scheme}, 360 px):\n{results.generate_report()}"


def test_a_wide_screen_keeps_the_tables(new_tab, site_url):
    # Cards are for narrow screens only: on a desktop each row is one line of a table.
    page = new_tab(viewport={"width": 1280, "height": 800}).page
    for path in ("numbers/", "timeline/"):
        page.goto(site_url + path)
        table = page.locator(OWN_TABLES).first
        assert table.evaluate("t => getComputedStyle(t).display") in ("table", "inline-block")
        assert table.locator("tbody tr").first.evaluate("r => getComputedStyle(r).display") == "table-row"
        assert table.locator("thead").evaluate("h => h.getBoundingClientRect().height") > 10
        labels = table.locator("td[data-label]").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert labels and set(labels) == {"none"}, f"{path}: header words repeated in the cells: {set(labels)}"
