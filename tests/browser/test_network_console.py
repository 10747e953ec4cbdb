"""Every page loads from 127.0.0.1 alone, and logs no error.

Every page, not a sample: each Markdown page of docs/ (in the nav or not,
redirect stubs included) and the 404 page, and a check that these are all
the pages the build wrote. On each, the reader's first key press loads
Material's bundle, the search worker and the index, and what has a tooltip
is hovered; nothing may ask another host. A browser without ResizeObserver
(Material's bundle would fetch a polyfill from unpkg.com for it) asks no
other host either. tests/test_site_checks.py refuses, in the built HTML,
what would make the bundle load from a CDN (mermaid, repo_url).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import HOST
from .site_pages import EMBED_IDS, ROOT

DOCS = ROOT / "docs"
EXCLUDED = ("includes/",)  # exclude_docs in mkdocs.yml: snippets, not pages


def page_paths() -> list[str]:
    """The URL path of every Markdown page ("" for the home page)."""
    paths = []
    for source in sorted(DOCS.rglob("*.md")):
        name = source.relative_to(DOCS).as_posix()
        if name.startswith(EXCLUDED):
            continue
        stem = name.removesuffix(".md")
        paths.append("" if stem == "index" else stem.removesuffix("/index") + "/")
    return paths


PATHS = page_paths()


def foreign(requests: list[str]) -> list[str]:
    return [url for url in requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname != HOST]


def test_these_are_all_the_pages_the_build_wrote(built_site):
    built = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    # The embed pages (a chart alone) are visited, framed by another site, in test_takeaway.py.
    embeds = [f"embed/{ident}/index.html" for ident in EMBED_IDS]
    expected = sorted([f"{path}index.html" for path in PATHS] + ["404.html"] + embeds)
    assert built == expected, "a built page is not visited by the tests below (or one is missing)"


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path or "home")
def test_page_stays_on_this_machine_and_logs_no_error(new_tab, site_url, path):
    tab = new_tab()
    tab.page.goto(site_url + path)
    tab.page.wait_for_load_state("networkidle")
    if urlsplit(tab.page.url).path.rstrip("/").endswith(path.rstrip("/")):
        # The first key press loads Material's bundle, the search worker and its index.
        with tab.page.expect_response(lambda response: response.url.endswith("search_index.json")):
            tab.page.keyboard.press("Tab")
        # Hover and focus what has tooltips, as a reader would (no lazy fetches).
        for element in tab.page.locator("article :is(abbr, a.fig)").all()[:3]:
            element.hover()
        tab.page.wait_for_load_state("networkidle")
        assert any(url.endswith("search_index.json") for url in tab.requests)
    # else: a redirect stub, which has sent the reader on (its target is a page here too)
    assert foreign(tab.requests) == [], f"{path or 'home'} asked another host"
    assert tab.errors == [], f"{path or 'home'} logged errors"


def test_search_and_toggle_stay_on_this_machine(new_tab, site_url):
    tab = new_tab()
    page = tab.page
    page.goto(site_url)
    page.locator(".md-search__input").press_sequentially("distillation", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("Escape")
    page.locator("form[data-md-component='palette'] label.md-header__button:visible").click()
    page.wait_for_load_state("networkidle")
    assert foreign(tab.requests) == []
    assert tab.errors == []


def test_the_404_page_loads_only_from_this_machine(new_tab, site_url):
    tab = new_tab()
    response = tab.page.goto(site_url + "no-such-page/")
    assert response.status == 404
    assert tab.page.locator("h1").first.is_visible()
    tab.page.wait_for_load_state("networkidle")
    tab.page.keyboard.press("Tab")  # the first interaction loads the bundle here too
    tab.page.wait_for_function("() => !!window.component$")
    tab.page.wait_for_load_state("networkidle")
    assert foreign(tab.requests) == []
    # The browser logs the 404 of the page itself; nothing else may fail.
    others = [e for e in tab.errors if "status of 404" not in e or "no-such-page" not in e]
    assert others == []


def test_a_browser_without_resize_observer_asks_no_cdn(new_tab, site_url):
    # Material's bundle loads https://unpkg.com/resize-observer-polyfill when
    # ResizeObserver is missing; the loader then keeps the page as it is
    # without JavaScript instead of loading the bundle.
    tab = new_tab()
    page = tab.page
    page.add_init_script("delete window.ResizeObserver")
    page.goto(site_url + PATHS[-1])
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    page.mouse.click(5, 300)
    page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle")
    assert foreign(tab.requests) == []
    assert not any("/javascripts/bundle." in url for url in tab.requests)
    assert page.evaluate("document.documentElement.classList.contains('no-js')")
    assert tab.errors == []


def test_the_watch_sees_a_request_to_another_host_and_an_error(new_tab, site_url):
    # Control: a page that asks a CDN for a script and logs an error.
    tab = new_tab()
    tab.page.goto(site_url)
    tab.page.evaluate("""() => { const s = document.createElement("script");
        s.src = "https://cdn.example.invalid/planted.js"; document.head.appendChild(s);
        console.error("planted error"); }""")
    tab.page.wait_for_load_state("networkidle")
    assert foreign(tab.requests) == ["https://cdn.example.invalid/planted.js"]
    assert any("planted error" in error for error in tab.errors), tab.errors
