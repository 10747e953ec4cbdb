"""A reader finds their way: the sidebar, the footer's next links, the logo."""

from __future__ import annotations

from playwright.sync_api import expect

from .site_pages import CHAPTERS, PAGES


def primary_nav(page):
    return page.get_by_role("navigation", name="Navigation", exact=True)


def test_reader_reaches_every_chapter_by_clicking_the_navigation(new_tab, site_url):
    page = new_tab().page
    page.goto(site_url)
    expect(page.locator("article h1")).to_be_visible()
    for chapter in CHAPTERS:
        primary_nav(page).get_by_role("link", name=chapter.title, exact=True).click()
        expect(page).to_have_url(site_url + chapter.path)
        expect(page.locator("article h1")).to_be_visible()
        # The navigation marks where the reader is.
        expect(primary_nav(page).locator("a.md-nav__link--active")).to_have_text(chapter.title)
    primary_nav(page).get_by_role("link", name=PAGES[0].title, exact=True).click()
    expect(page).to_have_url(site_url)


def test_next_links_walk_the_chapters_in_navigation_order(new_tab, site_url):
    page = new_tab().page
    page.goto(site_url)
    visited = [page.url]
    for _ in PAGES:
        next_link = page.locator("a.md-footer__link--next")
        if not next_link.count():
            break
        next_link.click()
        page.wait_for_load_state()
        visited.append(page.url)
    assert visited == [site_url + p.path for p in PAGES]


def test_the_logo_leads_home_from_a_chapter(new_tab, site_url):
    page = new_tab().page
    page.goto(site_url + CHAPTERS[-1].path)
    page.locator("header a.md-logo").click()
    expect(page).to_have_url(site_url)
