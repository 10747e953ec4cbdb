"""A teacher's link to a section (/page/#section-id) lands on that section."""

from __future__ import annotations

import pytest

from .site_pages import CHAPTERS

# True when the start of the section is in view, below Material's fixed header,
# and near the top of the window (or the page is scrolled as far as it goes).
LANDED = """id => {
  const target = document.getElementById(id);
  if (!target) return false;
  const box = target.getBoundingClientRect();
  const header = document.querySelector(".md-header").getBoundingClientRect();
  const atBottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
  return box.top >= header.bottom - 1 && box.top < window.innerHeight - 20
      && (box.top <= header.bottom + 120 || atBottom);
}"""


TARGETS = """() => {
  const ids = sel => [...document.querySelectorAll(sel)]
    .filter(e => !e.closest("svg")).map(e => e.id);
  const headings = ids("article :is(h2, h3)[id]");
  return headings.length ? headings : ids("article [id]:not(h1)");
}"""


def assert_lands(page, url: str, section: str):
    page.goto("about:blank")  # arrive from elsewhere, as from a worksheet
    page.goto(f"{url}#{section}")
    try:
        page.wait_for_function(LANDED, arg=section, timeout=5_000)
    except Exception:
        where = page.evaluate("""id => { const e = document.getElementById(id);
            return e ? [e.getBoundingClientRect().top, window.scrollY, window.innerHeight] : null }""", section)
        pytest.fail(f"{url}#{section} did not land on the section (top, scrollY, height: {where})")


def test_teacher_link_to_a_section_lands_on_it(desktop_tab, site_url):
    assert_lands(desktop_tab.page, site_url + "sources/", "where-the-sources-disagree")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=str)
def test_links_to_a_chapters_sections_land_on_them(desktop_tab, site_url, chapter):
    page = desktop_tab.page
    page.goto(site_url + chapter.path)
    # Section headings; on a page without any (a glossary, a table of
    # figures), whatever else a link can point at: terms, figures, rows.
    sections = page.evaluate(TARGETS)
    assert sections, f"{chapter} has nothing a link could point at"
    # The first, a middle one and the last: the last is the hardest to scroll to.
    for section in dict.fromkeys([sections[0], sections[len(sections) // 2], sections[-1]]):
        assert_lands(page, site_url + chapter.path, section)


def test_teacher_link_lands_on_a_phone_too(phone_tab, site_url):
    assert_lands(phone_tab.page, site_url + "sources/", "where-the-sources-disagree")
