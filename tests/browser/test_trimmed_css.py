"""Trimming Material's CSS changes no pixel: every page looks the same with
the original stylesheets and with the trimmed ones (distill_site.trim_css).

Each view is captured twice in the same browser: once as built (the trimmed
``main`` and ``palette`` files) and once with the browser handed Material's
original files under the same addresses (``page.route``). The screenshots
must be identical: every nav page, full length, at 1280 px (desktop) and
375 px (phone), light and dark, before and after Material's script runs
(it adds classes of its own); search open with results; the phone menu open.
A control plants a trimmed file that lacks rules the site uses, and the
comparison must see it.
"""

from __future__ import annotations

from pathlib import Path

import material
import pytest

from distill_site import trim_css

from .conftest import DESKTOP, PHONE, open_tab, stall_guard
from .site_pages import CHAPTERS, PAGES

MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def original(stem: str) -> bytes:
    files = sorted(MATERIAL_CSS.glob(f"{stem}.*.min.css"))
    assert len(files) == 1, files
    return files[0].read_bytes()


ORIGINALS = {stem: original(stem) for stem in trim_css.TRIMMED}
VIEWS = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


def serve(page, stylesheets: dict[str, bytes]) -> None:
    """Answer the page's requests for Material's stylesheets with these bodies."""
    def answer(body: bytes):
        return lambda route: route.fulfill(status=200, content_type="text/css", body=body)

    for stem, body in stylesheets.items():
        page.route(f"**/assets/stylesheets/{stem}.*.min.css", answer(body))


def start_material(page) -> None:
    """An interaction loads Material's bundle; wait until it has run."""
    page.keyboard.press("Shift")
    page.wait_for_function("() => !!window.component$ && !!document.querySelector('meta[name=theme-color]')")
    page.wait_for_timeout(300)  # let its first frames (sidebars, header) settle


def shots(tab, url: str, scene: str, view: str = "desktop") -> list[bytes]:
    page = tab.page
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if scene == "page":
        before = page.screenshot(full_page=True, animations="disabled")
        start_material(page)
        return [before, page.screenshot(full_page=True, animations="disabled")]
    start_material(page)
    if scene == "search":
        if view == "phone":  # the search button in the header
            page.locator("header label.md-header__button[for='__search']").click()
        else:  # the search box in the header
            page.locator(".md-search__input").click()
        page.keyboard.type("distillation")
        page.locator(".md-search-result__item").first.wait_for()
        page.wait_for_timeout(300)
    elif scene == "menu":
        page.locator("header label.md-header__button[for='__drawer']").click()
        page.wait_for_timeout(300)
    return [page.screenshot(animations="disabled")]


@pytest.fixture(scope="module")
def tabs(browser):
    """Two tabs per view and scheme: Material's original CSS, and the trimmed one."""
    made = {}

    def get(view: str, scheme: str, css: str):
        key = (view, scheme, css)
        if key not in made:
            tab = open_tab(browser, color_scheme=scheme, **VIEWS[view])
            if css == "original":
                serve(tab.page, ORIGINALS)
            made[key] = tab
        return made[key]

    yield get
    with stall_guard():
        for tab in made.values():
            tab.page.context.close()


def assert_same(trimmed: list[bytes], untrimmed: list[bytes], what: str, tmp_path: Path) -> None:
    for index, (a, b) in enumerate(zip(trimmed, untrimmed)):
        if a != b:
            (tmp_path / "trimmed.png").write_bytes(a)
            (tmp_path / "original.png").write_bytes(b)
            stage = ["before Material's script", "after"][index] if len(trimmed) > 1 else ""
            pytest.fail(f"{what} {stage} looks different with the trimmed CSS; "
                        f"screenshots in {tmp_path}")
    assert len(trimmed) == len(untrimmed)


def test_the_site_serves_trimmed_stylesheets(built_site):
    for stem, body in ORIGINALS.items():
        served = list((built_site / "assets" / "stylesheets").glob(f"{stem}.*.min.css"))
        assert len(served) == 1 and len(served[0].read_bytes()) < 0.8 * len(body), served


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("nav_page", PAGES, ids=str)
def test_every_page_looks_the_same_with_the_trimmed_css(tabs, site_url, nav_page, view, scheme, tmp_path):
    url = site_url + nav_page.path
    trimmed = shots(tabs(view, scheme, "trimmed"), url, "page")
    untrimmed = shots(tabs(view, scheme, "original"), url, "page")
    assert_same(trimmed, untrimmed, f"{nav_page} ({view}, {scheme})", tmp_path)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("scene,view", [("search", "desktop"), ("search", "phone"), ("menu", "phone")])
def test_search_and_menu_look_the_same_with_the_trimmed_css(tabs, site_url, scene, view, scheme, tmp_path):
    url = site_url + CHAPTERS[0].path
    trimmed = shots(tabs(view, scheme, "trimmed"), url, scene, view)
    untrimmed = shots(tabs(view, scheme, "original"), url, scene, view)
    assert_same(trimmed, untrimmed, f"{scene} ({view}, {scheme})", tmp_path)


def test_the_comparison_sees_a_missing_rule(browser, built_site, site_url):
    # Control: trim as if the page's header had no title; the screenshots must differ.
    usage = trim_css.site_usage(built_site)
    usage.classes.discard("md-header__title")
    planted = trim_css.trim_css(ORIGINALS["main"].decode("utf-8"), usage).encode("utf-8")
    url = site_url + CHAPTERS[0].path
    tab_planted, tab_original = open_tab(browser), open_tab(browser)
    try:
        serve(tab_planted.page, {"main": planted})
        serve(tab_original.page, {"main": ORIGINALS["main"]})
        assert shots(tab_planted, url, "page") != shots(tab_original, url, "page")
    finally:
        with stall_guard():
            tab_planted.page.context.close()
            tab_original.page.context.close()
