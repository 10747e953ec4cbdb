"""The timeline page: each event once, whole, for every reader.

A teacher found the old page hard to use: a strip of unlabelled marks, a
list whose texts were cut with "…" even on a desktop, and every event said
three times. Now a sighted reader on a 390-pixel phone or a 1280-pixel
desktop sees each event's whole text once, with its date and its reports;
a screen reader meets each event once, in a table (Chromium's
accessibility tree, as Playwright's ARIA snapshot reads it); and paper gets
the same table.
"""

from __future__ import annotations

import pytest

from distill_site.facts.figures import load_figures
from distill_site.pages.presentation import event_when, plain_text

from .site_pages import ROOT

FACTS = load_figures(ROOT / "data" / "figures.yml")
EVENTS = [(" ".join(plain_text(FACTS, e.text).split()), event_when(FACTS, e),
           [FACTS.sources[s].short for s in e.sources]) for e in FACTS.timeline]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

# Each cell of the timeline's table: its words as shown, and what a reader
# could not see of it (no box, cut off by its own box, or outside the window).
CELLS = """() => [...document.querySelectorAll("#chart-timeline tbody tr")].map(row =>
  [...row.cells].map(cell => { const r = cell.getBoundingClientRect();
    const unseen = !r.width || !r.height ? "not shown"
      : cell.scrollWidth > cell.clientWidth + 1 || cell.scrollHeight > cell.clientHeight + 1 ? "cut off"
      : r.left < -0.5 || r.right > innerWidth + 0.5 ? "outside the window" : "";
    return [cell.innerText.replace(/\\s+/g, " ").trim(), unseen]; }))"""
SHOWN = "() => document.querySelector('article').innerText.replace(/\\s+/g, ' ')"


def open_timeline(new_tab, site_url, viewport, media="screen"):
    page = new_tab(viewport=viewport).page
    page.emulate_media(media=media)
    page.goto(site_url + "timeline/")
    page.wait_for_load_state("load")
    return page


def check_each_event_once_and_whole(page, where):
    shown = page.evaluate(SHOWN)
    assert "…" not in shown, f"{where}: a text is cut short"
    for text, _, _ in EVENTS:
        assert shown.count(text) == 1, f"{where}: seen {shown.count(text)} times: {text[:60]}"
    rows = page.evaluate(CELLS)
    assert len(rows) == len(EVENTS), where
    expected = {text: [date, "; ".join(sources)] for text, date, sources in EVENTS}
    for when, what, reported in rows:
        assert [when[0], reported[0]] == expected[what[0]], (where, what[0][:60])
        unseen = [(cell[0][:40], cell[1]) for cell in (when, what, reported) if cell[1]]
        assert not unseen, f"{where}: {unseen}"


@pytest.mark.parametrize("width", WIDTHS, ids=str)
def test_a_reader_sees_each_event_once_with_its_whole_text(new_tab, site_url, width):
    check_each_event_once_and_whole(open_timeline(new_tab, site_url, WIDTHS[width]), width)


@pytest.mark.parametrize("width", WIDTHS, ids=str)
def test_a_screen_reader_meets_each_event_once_in_a_table(new_tab, site_url, width):
    page = open_timeline(new_tab, site_url, WIDTHS[width])
    # Chromium's accessibility tree, what a screen reader reads: the texts, and the names and
    # descriptions given to images (a drawing's) and to any element (aria-describedby, <desc>).
    cdp = page.context.new_cdp_session(page)
    said = []
    for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
        if node.get("ignored"):
            continue
        if node.get("role", {}).get("value") in ("StaticText", "image", "img"):
            said.append(node.get("name", {}).get("value", ""))
        said.append(node.get("description", {}).get("value", ""))
    for text, _, _ in EVENTS:
        start = text[:40]
        met = sum(start in words for words in said)
        assert met == 1, f"{width}: a screen reader meets '{start}' {met} times"
    # As a table: a header row and a row per event, so "When" and "Reported by" are read with each cell.
    figure = page.locator("#chart-timeline").aria_snapshot()
    assert "- table:" in figure and figure.count("- row ") == 1 + len(EVENTS), figure[:400]
    assert figure.count("- columnheader ") == 3
    assert page.locator("#chart-timeline [aria-hidden]").count() == 0, "nothing of it is hidden from them"


def test_the_timeline_prints_as_a_table(new_tab, site_url):
    page = open_timeline(new_tab, site_url, WIDTHS["desktop"], media="print")
    displays = page.evaluate("""() => [...document.querySelectorAll("#chart-timeline :is(table, thead, tr, td)")]
      .map(e => getComputedStyle(e).display)""")
    assert displays[:2] == ["table", "table-header-group"] and set(displays[2:]) == {"table-row", "table-cell"}
    # Across the sheet, not floated beside the text at half its width as a drawing is.
    widths = page.evaluate("""() => [document.querySelector("#chart-timeline table"),
      document.querySelector("article")].map(e => e.getBoundingClientRect().width)""")
    assert widths[0] >= 0.95 * widths[1], f"the table is {widths[0]:.0f} px wide on a {widths[1]:.0f} px sheet"
    check_each_event_once_and_whole(page, "print")
    assert page.locator(".chart-takeaway").is_hidden(), "paper has no use for the download link"
