"""A reader checks a figure: its source shows on focus, its link leads to its row.

The issue's promise for every rendered figure: the reader can see where it
came from without leaving the page (each source named, with its own words, on hover or on
keyboard focus, and read out as the link's description by a screen reader),
and one click lands on the figure's row on The numbers page.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .site_pages import CHAPTERS

# "PYMNTS: “…more than 28.8 million interactions…”; Unsigned explainer: “…”. Details on The numbers page."
SOURCE = re.compile(r"^[^:]+: “….+…”")
QUOTED_SOURCE = re.compile(r"(?:^|; )([^;:“]+): “…")


def test_a_keyboard_reader_sees_a_figures_source_on_focus(new_tab, site_url):
    page = new_tab().page
    page.goto(site_url + CHAPTERS[0].path)
    figure = page.locator("article a.fig[title*=': “…']").first
    description = figure.get_attribute("title")
    assert description and SOURCE.match(description), description
    # Screen readers announce the title as the link's description.
    expect(figure).to_have_accessible_description(description)
    for _ in range(200):  # Tab until the first figure has the focus
        page.keyboard.press("Tab")
        if figure.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the first figure of the chapter")
    tooltip = page.get_by_role("tooltip").filter(has_text=description)
    expect(tooltip).to_be_visible()


def test_a_reader_follows_a_figure_to_its_row_which_names_the_same_sources(new_tab, site_url):
    page = new_tab().page
    page.goto(site_url + CHAPTERS[0].path)
    figure = page.locator("article a.fig[title*=': “…']").first
    description = figure.get_attribute("title")  # what hovering shows
    anchor = figure.get_attribute("href").rpartition("#")[2]
    figure.click()
    expect(page).to_have_url(re.compile(rf"/numbers/#{re.escape(anchor)}$"))
    row = page.locator(f"tr:has(#{anchor})")
    expect(row).to_be_in_viewport()
    # The row credits the same sources the tooltip named.
    named = sources_named(description)
    assert named, description
    for source in named:
        expect(row).to_contain_text(source)


def sources_named(description: str) -> list[str]:
    """'A: “…words…”; B: “…words…” Details on The numbers page.' -> ["A", "B"]."""
    return QUOTED_SOURCE.findall(description.split(" Details on")[0])
