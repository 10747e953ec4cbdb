"""Trimming Material's CSS changes no pixel: every page looks the same with
the original stylesheets and with the trimmed ones (distill_site.trim_css).

Each view is captured twice in the same browser: once as built (the trimmed
``main`` and ``palette`` files) and once with the browser handed Material's
original files under the same addresses (``page.route``). The screenshots
must be identical (but for anti-aliasing noise of 2 levels of 255): every nav page, full length, at 1280 px (desktop) and
375 px (phone), light and dark, before and after Material's script runs
(it adds classes of its own); search open with results; the phone menu open.
A control plants a trimmed file that lacks rules the site uses, and the
comparison must see it.
"""

from __future__ import annotations

import base64
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


def settled(page, full_page: bool = False) -> bytes:
    """A screenshot once the page has stopped changing (two alike in a row):
    Material's script and search render over several frames, later on a busy machine."""
    shot = page.screenshot(full_page=full_page, animations="disabled")
    for _ in range(20):
        page.wait_for_timeout(150)
        again = page.screenshot(full_page=full_page, animations="disabled")
        if again == shot:
            return shot
        shot = again
    return shot


def shots(tab, url: str, scene: str, view: str = "desktop") -> list[bytes]:
    page = tab.page
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if scene == "page":
        before = page.screenshot(full_page=True, animations="disabled")  # no script runs yet
        start_material(page)
        return [before, settled(page, full_page=True)]
    start_material(page)
    if scene == "search":
        if view == "phone":  # the search button in the header
            page.locator("header label.md-header__button[for='__search']").click()
        else:  # the search box in the header
            page.locator(".md-search__input").click()
        page.keyboard.type("distillation")
        page.locator(".md-search-result__item").first.wait_for()
        page.locator(".md-search__icon[type=reset]").wait_for()  # shown once the query is in
    elif scene == "menu":
        page.locator("header label.md-header__button[for='__drawer']").click()
    return [settled(page)]


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


# Chromium's anti-aliasing is not quite deterministic: between two shots of
# the same page, a pixel or two may differ by one level of 255 (seen once in
# a 1280 x 2943 shot). A missing rule moves whole boxes or colours, far more.
NOISE_LEVELS = 2

COMPARE = """async ([a, b, noise]) => {
  const load = data => new Promise((done, fail) => {
    const image = new Image(); image.onload = () => done(image); image.onerror = fail;
    image.src = "data:image/png;base64," + data;
  });
  const pixels = image => {
    const canvas = document.createElement("canvas");
    canvas.width = image.width; canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  };
  const [one, two] = await Promise.all([load(a), load(b)]);
  if (one.width !== two.width || one.height !== two.height)
    return {size: [one.width, one.height, two.width, two.height], count: -1};
  const p = pixels(one), q = pixels(two);
  let count = 0, first = null;
  for (let i = 0; i < p.length; i += 4) {
    const d = Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]),
                       Math.abs(p[i + 2] - q[i + 2]), Math.abs(p[i + 3] - q[i + 3]));
    if (d > noise) { count++; first = first || [(i / 4) % one.width, Math.floor(i / 4 / one.width)]; }
  }
  return {count, first};
}"""


def differing_pixels(browser, a: bytes, b: bytes) -> dict:
    """Pixels that differ by more than rendering noise, compared in Chromium itself."""
    if a == b:
        return {"count": 0}
    tab = open_tab(browser)
    try:
        return tab.page.evaluate(COMPARE, [base64.b64encode(a).decode(), base64.b64encode(b).decode(), NOISE_LEVELS])
    finally:
        with stall_guard():
            tab.page.context.close()


def assert_same(browser, capture, what: str, tmp_path: Path) -> None:
    """``capture(css)`` shoots a view with "trimmed" or "original" CSS; they must match.

    One more try on a mismatch: on a busy machine a shot can catch Material
    mid-render (seen: search results before the panel had its width). A
    missing rule differs every time.
    """
    for attempt in (1, 2):
        trimmed, untrimmed = capture("trimmed"), capture("original")
        assert len(trimmed) == len(untrimmed)
        differences = [(index, differing_pixels(browser, a, b)) for index, (a, b) in enumerate(zip(trimmed, untrimmed))]
        differences = [(index, found) for index, found in differences if found["count"]]
        if not differences:
            return
    index, found = differences[0]
    (tmp_path / "trimmed.png").write_bytes(trimmed[index])
    (tmp_path / "original.png").write_bytes(untrimmed[index])
    stage = ["before Material's script", "after"][index] if len(trimmed) > 1 else ""
    pytest.fail(f"{what} {stage} looks different with the trimmed CSS, twice ({found}); screenshots in {tmp_path}")


def test_the_site_serves_trimmed_stylesheets(built_site):
    for stem, body in ORIGINALS.items():
        served = list((built_site / "assets" / "stylesheets").glob(f"{stem}.*.min.css"))
        assert len(served) == 1 and len(served[0].read_bytes()) < 0.8 * len(body), served


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("nav_page", PAGES, ids=str)
def test_every_page_looks_the_same_with_the_trimmed_css(browser, tabs, site_url, nav_page, view, scheme, tmp_path):
    url = site_url + nav_page.path
    assert_same(browser, lambda css: shots(tabs(view, scheme, css), url, "page"),
                f"{nav_page} ({view}, {scheme})", tmp_path)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("scene,view", [("search", "desktop"), ("search", "phone"), ("menu", "phone")])
def test_search_and_menu_look_the_same_with_the_trimmed_css(browser, tabs, site_url, scene, view, scheme, tmp_path):
    url = site_url + CHAPTERS[0].path
    assert_same(browser, lambda css: shots(tabs(view, scheme, css), url, scene, view),
                f"{scene} ({view}, {scheme})", tmp_path)


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
        planted_shots, original_shots = shots(tab_planted, url, "page"), shots(tab_original, url, "page")
        assert any(differing_pixels(browser, a, b)["count"] > 0 for a, b in zip(planted_shots, original_shots))
    finally:
        with stall_guard():
            tab_planted.page.context.close()
            tab_original.page.context.close()
