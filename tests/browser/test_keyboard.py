"""Keyboard readers: the skip link comes first, and Tab reaches the content."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .site_pages import CHAPTERS

FOCUSED = """() => {
  const e = document.activeElement;
  const box = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), cls: String(e.className), href: e.getAttribute("href"),
          download: e.hasAttribute("download"),
          text: (e.textContent || "").trim().slice(0, 40), inArticle: !!e.closest("article"),
          visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
}"""


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_skip_link_is_first_and_jumps_to_the_content(new_tab, site_url, viewport):
    page = new_tab(**({"viewport": viewport} if viewport else {})).page
    page.goto(site_url + CHAPTERS[0].path)
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # it shows itself when focused
    target = skip.get_attribute("href")
    assert target.startswith("#")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site_url + CHAPTERS[0].path + target)
    expect(page.locator(target)).to_be_in_viewport()
    # The next Tab carries on from the content, not from the top of the page.
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["inArticle"], focused


def test_tab_order_reaches_the_content_through_header_and_navigation(new_tab, site_url):
    page = new_tab().page
    page.goto(site_url + CHAPTERS[0].path)
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused)
        if focused["inArticle"]:
            break
    else:
        pytest.fail(f"80 presses of Tab never reached the article: {[f['text'] or f['cls'] for f in seen]}")
    assert seen[0]["cls"].startswith("md-skip")
    # On the way: the search box and every chapter in the navigation.
    assert any("md-search__input" in f["cls"] for f in seen)
    hrefs = {f["href"] for f in seen}
    for chapter in CHAPTERS[1:]:
        assert any(h and h.rstrip("/").endswith(chapter.path.rstrip("/")) for h in hrefs), chapter
    # The focused link in the article is where the reader can see it.
    assert seen[-1]["visible"], seen[-1]


def test_a_link_in_the_text_can_be_followed_with_the_keyboard(new_tab, site_url):
    page = new_tab().page
    page.goto(site_url + CHAPTERS[0].path)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip to content
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        href = focused["href"] or ""
        # A link to another page of this site (the sandbox has no other sites).
        # (Not a chart's download link: it saves a file, it opens no page.)
        if focused["inArticle"] and href and not href.startswith(("#", "http:", "https:")) and not focused["download"]:
            break
    else:
        pytest.fail("40 presses of Tab met no link to another page in the first chapter")
    assert focused["visible"], focused
    page.keyboard.press("Enter")
    expected = urljoin(page.url, href).split("#")[0]
    page.wait_for_url(lambda url: url.split("#")[0] == expected)
    page.wait_for_load_state()
