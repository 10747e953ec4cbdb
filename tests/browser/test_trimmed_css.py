"""Trimming Material's CSS changes nothing a reader sees: every element of
every page has the same computed style and the same box with the original
stylesheets as with the trimmed ones (distill_site.tools.trim_css).

Each view is loaded twice in the same browser: once as built (the trimmed
``main`` and ``palette`` files) and once with the browser handed Material's
original files under the same addresses (``page.route``). Chromium's own
snapshot of the page (``DOMSnapshot.captureSnapshot``, one call) then gives,
for every element it lays out, its ``::before``, ``::after`` and ``::marker``
and every run of text: the computed value of every property a stylesheet
or style attribute on the page declares (~165; the other ~315 Chromium
computes follow from these), the box's position and size, and where each
line of text falls. All must be equal.
Compared: every nav page and the 404 page at 1280 px, light and dark, before
and after Material's script runs (it adds classes of its own); search open
with results (1280 and 375 px) and the phone menu open (375 px), light and
dark. An element the browser does not lay out (``display: none``) cannot be
seen; if a missing rule hid or showed one, the lists of boxes differ.

What the snapshot does not show (the search box's ``::placeholder``; the
pixels themselves) is left to one picture per scheme: the window (1280 x
800) of a chapter after Material's script: header with search box, both
sidebars, the chapter's opening. (Scrollbars, which Material styles with
``::-webkit-scrollbar``, neither shows: headless Chromium hides them.)

Controls plant trimmed files that lack a rule the site uses (in ``main``, in
``palette``, one that only draws a ``::before``); the style comparison must
see each, and the picture must see a placeholder without its rules.
"""

from __future__ import annotations

import base64
import warnings
from collections import defaultdict
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import material
import pytest

from distill_site.tools import trim_css

from . import printed
from .conftest import DESKTOP, PHONE, open_tab, stall_guard
from .site_pages import CHAPTERS, PAGES

MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
MISSING = "no-such-page/"  # answered with the site's 404 page
# A worksheet: a page outside the nav, without sidebars, printed on one sheet (the others are alike).
WORKSHEET = "worksheets/what-is-distillation/"
PAGE_PATHS = [page.path for page in PAGES] + [MISSING, WORKSHEET]
PAGE_IDS = [str(page) for page in PAGES] + ["404", "worksheet"]
SCHEMES = ["light", "dark"]
PICTURED = CHAPTERS[0]  # a chapter: text, figures, a chart, call-outs, both sidebars


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


# --- What the browser computed ------------------------------------------------------------

@dataclass(frozen=True)
class Box:
    node: int  # index into the snapshot's DOM nodes, for naming it
    kind: str  # "DIV", "::before", "#text"...
    styles: tuple[str, ...]  # one value per name in Snapshot.properties
    bounds: tuple[float, ...]  # x, y, width, height
    lines: tuple[tuple, ...]  # for text: where each line of it falls


@dataclass
class Snapshot:
    properties: list[str]
    boxes: list[Box]
    parents: list[int]  # per DOM node: its parent's index
    labels: list[str]  # per DOM node: tag#id.classes, to name it

    def path(self, node: int) -> str:
        parts = []
        while node >= 0 and len(parts) < 4:
            parts.insert(0, self.labels[node])
            node = self.parents[node]
        return " > ".join(parts)


# Every property a rule of any stylesheet on the page (or a style attribute)
# declares, shorthands as their longhands. A property no stylesheet declares
# gets the same value in both views whenever all declared ones are equal (its
# value comes from the browser's defaults, from its parent or from declared
# ones: font-size, color...), so comparing the declared ones, ~165 of the
# ~480 Chromium computes, shows every difference at a third of the cost.
DECLARED = """() => {
  const names = new Set();
  const walk = rules => { for (const rule of rules) {
    if (rule instanceof CSSStyleRule || rule instanceof CSSKeyframeRule) for (const name of rule.style) names.add(name);
    if (rule.cssRules) walk(rule.cssRules);
  } };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  for (const element of document.querySelectorAll("[style]")) for (const name of element.style) names.add(name);
  return [...names].filter(name => !name.startsWith("--"));
}"""


class Viewed:
    """A tab whose layout can be read whole, through Chromium's DevTools protocol."""

    computed: set[str] = set()  # every standard CSS property Chromium computes

    def __init__(self, tab):
        self.page = tab.page
        self.devtools = tab.page.context.new_cdp_session(tab.page)
        if not Viewed.computed:
            Viewed.computed = set(self.page.evaluate(
                "[...getComputedStyle(document.documentElement)].filter(name => !name.startsWith('--'))"))

    def declared(self) -> set[str]:
        """The computed properties this page's stylesheets and style attributes can set."""
        names = set()
        for name in self.page.evaluate(DECLARED):
            # A longhand Chromium computes under its shorthand's name (background-position-x).
            owners = {name} & Viewed.computed or {known for known in Viewed.computed if name.startswith(known + "-")}
            assert owners, f"a stylesheet sets {name}, which Chromium does not compute: compare it some other way"
            names |= owners
        return names

    def snapshot(self, properties: list[str]) -> Snapshot:
        # Transitions and animations are finished first: no value is caught mid-way.
        self.page.evaluate("document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} })")
        taken = self.devtools.send("DOMSnapshot.captureSnapshot", {"computedStyles": properties})
        strings, document = taken["strings"], taken["documents"][0]
        nodes, layout, text = document["nodes"], document["layout"], document["textBoxes"]
        text_of = lambda index: strings[index] if index >= 0 else ""  # noqa: E731
        lines = defaultdict(list)
        for box, bounds, start, length in zip(text["layoutIndex"], text["bounds"], text["start"], text["length"]):
            lines[box].append((tuple(bounds), start, length))
        boxes = []
        for box, node in enumerate(layout["nodeIndex"]):
            kind = text_of(nodes["nodeName"][node])  # "DIV", "#text", "::before"...
            boxes.append(Box(node, kind, tuple(text_of(i) for i in layout["styles"][box]),
                             tuple(layout["bounds"][box]), tuple(lines[box])))
        labels = []
        for node, name in enumerate(nodes["nodeName"]):
            attributes = nodes["attributes"][node]
            pairs = dict(zip((text_of(i) for i in attributes[::2]), (text_of(i) for i in attributes[1::2])))
            labels.append(text_of(name).lower() + (f"#{pairs['id']}" if pairs.get("id") else "")
                          + "".join(f".{c}" for c in pairs.get("class", "").split()))
        return Snapshot(properties, boxes, nodes["parentIndex"], labels)

    def settle(self) -> None:
        """Wait until the page has stopped changing: Material's script and
        search render over several frames, later on a busy machine."""
        self.page.evaluate(QUIET, QUIET_MS)


# Installed in every tab: counts every change to the page, so a test can
# wait for a stretch with none (cheaper than comparing snapshot after snapshot).
COUNT_CHANGES = """window.__changes = 0;
new MutationObserver(() => window.__changes++).observe(document,
    {subtree: true, childList: true, attributes: true, characterData: true});"""
QUIET = """async ms => {
  const frames = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let tries = 0; tries < 50; tries++) {
    const seen = window.__changes;
    await new Promise(done => setTimeout(done, ms));
    await frames();
    if (window.__changes === seen) return true;
  }
  return false;
}"""
QUIET_MS = 100


# Computed values that only follow from the layout (a box grows when a box
# inside it does): a report lists first the boxes where something else
# differs, which is where a missing rule applied.
FOLLOWS_LAYOUT = {"block-size", "height", "inline-size", "width", "perspective-origin", "transform-origin",
                  "top", "bottom", "left", "right", "inset-block-start", "inset-block-end",
                  "inset-inline-start", "inset-inline-end"}


def cause(properties: list[str], trimmed: Box, untrimmed: Box) -> bool:
    """Whether a property that does not just follow the layout differs."""
    return any(new != old and name not in FOLLOWS_LAYOUT
               for name, new, old in zip(properties, trimmed.styles, untrimmed.styles))


def differences(trimmed: Snapshot, untrimmed: Snapshot) -> str:
    """'' if both views laid out the same boxes with the same styles; else what differs."""
    mine, theirs = trimmed.boxes, untrimmed.boxes
    for a, b in zip_longest(mine, theirs):
        if a is None or b is None or a.kind != b.kind:  # a box shown or hidden by a rule
            where = untrimmed.path(b.node) if b else trimmed.path(a.node)
            return (f"{len(theirs)} boxes laid out with the original CSS, {len(mine)} with the trimmed; "
                    f"the first that differs: {where}")
    differing = [(a, b) for a, b in zip(mine, theirs) if a != b]
    if not differing:
        return ""
    lines = []
    properties = untrimmed.properties
    for a, b in sorted(differing, key=lambda pair: not cause(properties, pair[0], pair[1]))[:5]:
        changed = [f"{name}: {old!r} -> {new!r}" for name, new, old in zip(properties, a.styles, b.styles)
                   if new != old]
        changed = sorted(changed, key=lambda text: text.split(":")[0] in FOLLOWS_LAYOUT)[:6]
        if a.bounds != b.bounds:
            changed.append(f"box {b.bounds} -> {a.bounds}")
        if a.lines != b.lines:
            changed.append("its lines of text fall elsewhere")
        lines.append(f"  {untrimmed.path(b.node)}: " + "; ".join(changed))
    return f"{len(differing)} box(es) differ (original -> trimmed):\n" + "\n".join(lines)


def compared(trimmed: Viewed, untrimmed: Viewed, looks: int = 2) -> str:
    """What differs once both views have settled ('' if nothing). One more
    look on a difference: a busy machine may catch Material mid-render (seen
    with search results); a missing rule differs every time."""
    for look in range(looks):
        for viewed in (trimmed, untrimmed):
            viewed.settle()
        properties = sorted(trimmed.declared() | untrimmed.declared())
        found = differences(trimmed.snapshot(properties), untrimmed.snapshot(properties))
        if not found:
            if look:  # shown in pytest's summary: a retry is not hidden
                warnings.warn(f"{trimmed.page.url}: equal only at the second look; the first saw {seen}")
            return ""
        seen = found
    return found


def start_material(page) -> None:
    """An interaction loads Material's bundle; wait until it has run."""
    page.keyboard.press("Shift")
    page.wait_for_function("() => !!window.component$ && !!document.querySelector('meta[name=theme-color]')")


def open_scene(page, url: str, scene: str, view: str) -> None:
    page.goto(url)
    start_material(page)
    if scene == "search":
        if view == "phone":  # the search button in the header
            page.locator("header label.md-header__button[for='__search']").click()
        else:  # the search box in the header
            page.locator(".md-search__input").click()
        # A word on 4 pages: Material draws long result lists in steps as they
        # scroll, and a word on 12 pages ("distillation") was once caught with
        # more results drawn in one tab than the other (1029 boxes against 970).
        page.keyboard.type("guardrails")
        page.locator(".md-search-result__item").first.wait_for()
        page.locator(".md-search__icon[type=reset]").wait_for()  # shown once the query is in
    elif scene == "menu":
        page.locator("header label.md-header__button[for='__drawer']").click()


def open_viewed(browser, view: str, scheme: str, stylesheets: dict[str, bytes] | None) -> Viewed:
    tab = open_tab(browser, color_scheme=scheme, **VIEWS[view])
    tab.page.add_init_script(COUNT_CHANGES)
    if stylesheets:
        serve(tab.page, stylesheets)
    return Viewed(tab)


@pytest.fixture(scope="module")
def tabs(browser):
    """Two tabs per view and scheme, reused: the trimmed CSS, and Material's original."""
    made = {}

    def get(view: str, scheme: str) -> tuple[Viewed, Viewed]:
        if (view, scheme) not in made:
            made[view, scheme] = (open_viewed(browser, view, scheme, None),
                                  open_viewed(browser, view, scheme, ORIGINALS))
        return made[view, scheme]

    yield get
    with stall_guard():
        for pair in made.values():
            for viewed in pair:
                viewed.page.context.close()


def test_the_site_serves_trimmed_stylesheets(built_site):
    for stem, body in ORIGINALS.items():
        served = list((built_site / "assets" / "stylesheets").glob(f"{stem}.*.min.css"))
        assert len(served) == 1 and len(served[0].read_bytes()) < 0.8 * len(body), served


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGE_PATHS, ids=PAGE_IDS)
def test_every_element_of_every_page_has_the_same_style_with_the_trimmed_css(tabs, site_url, path, scheme):
    trimmed, untrimmed = tabs("desktop", scheme)
    for viewed in (trimmed, untrimmed):
        viewed.page.goto(site_url + path)
    found = compared(trimmed, untrimmed)
    assert not found, f"{path or 'home'} ({scheme}), before Material's script: {found}"
    for viewed in (trimmed, untrimmed):
        start_material(viewed.page)
    found = compared(trimmed, untrimmed)
    assert not found, f"{path or 'home'} ({scheme}), after Material's script: {found}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("scene,view", [("search", "desktop"), ("search", "phone"), ("menu", "phone")])
def test_search_and_menu_have_the_same_style_with_the_trimmed_css(tabs, site_url, scene, view, scheme):
    trimmed, untrimmed = tabs(view, scheme)
    for viewed in (trimmed, untrimmed):
        open_scene(viewed.page, site_url + CHAPTERS[0].path, scene, view)
    found = compared(trimmed, untrimmed)
    assert not found, f"{scene} ({view}, {scheme}): {found}"


@pytest.mark.parametrize("path", [page.path for page in PAGES] + [WORKSHEET],
                         ids=[str(page) for page in PAGES] + ["worksheet"])
def test_every_page_prints_the_same_with_the_trimmed_css(tabs, site_url, path):
    # Material's print rules are trimmed like the rest: laid out for print,
    # every element has the same style and box, and the PDFs the same words on
    # the same sheets (print.css, ours, is not trimmed). The print media is set
    # on the tab's own DevTools session: with a second session attached,
    # Playwright's emulate_media no longer applies (measured).
    trimmed, untrimmed = tabs("desktop", "light")
    try:
        for viewed in (trimmed, untrimmed):
            viewed.devtools.send("Emulation.setEmulatedMedia", {"media": "print"})
            viewed.page.goto(site_url + path)
            assert viewed.page.evaluate("matchMedia('print').matches")
        found = compared(trimmed, untrimmed)
        assert not found, f"{path or 'home'}, printed: {found}"
        sheets = [printed.sheets_text(viewed.page.pdf(format="A4")) for viewed in (trimmed, untrimmed)]
        assert sheets[0] == sheets[1], f"{path or 'home'}: the PDF differs with the trimmed CSS"
    finally:
        for viewed in (trimmed, untrimmed):
            viewed.devtools.send("Emulation.setEmulatedMedia", {"media": ""})


# --- One picture per scheme -----------------------------------------------------------------

# Chromium's rasteriser is not quite deterministic on a busy machine: between
# two shots of the same page, a few pixels on the edge of a glyph or an SVG
# curve may differ (seen: 1 and 2 pixels, by more than 2 levels of 255, in
# full-page shots of unchanged code, every other pixel equal). A missing rule
# recolours or moves whole boxes: the search box's placeholder without its
# rules changes 320 pixels of the window, the header's title 17,500. So the
# shots may differ in at most STRAY_PIXELS pixels by more than NOISE_LEVELS.
NOISE_LEVELS = 2
STRAY_PIXELS = 20

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
    return {size: [one.width, one.height, two.width, two.height], count: one.width * one.height};
  const p = pixels(one), q = pixels(two);
  let count = 0, first = null;
  for (let i = 0; i < p.length; i += 4) {
    const d = Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]),
                       Math.abs(p[i + 2] - q[i + 2]), Math.abs(p[i + 3] - q[i + 3]));
    if (d > noise) { count++; first = first || [(i / 4) % one.width, Math.floor(i / 4 / one.width)]; }
  }
  return {count, first};
}"""


def differing_pixels(page, a: bytes, b: bytes) -> dict:
    """Pixels that differ by more than rendering noise, compared in Chromium itself."""
    if a == b:
        return {"count": 0}
    return page.evaluate(COMPARE, [base64.b64encode(a).decode(), base64.b64encode(b).decode(), NOISE_LEVELS])


# Longer than Material's slowest transition (0.25 s after a 0.25 s delay).
# Snapshots finish transitions instead; a screenshot cannot (its option to
# stop them misses the search box's ::placeholder, which fades for 0.25 s).
TRANSITIONS_MS = 600


def picture(viewed: Viewed, url: str) -> bytes:
    """The window after Material's script, once it has settled. The window,
    not the full page: a full-page shot resizes the window, Material redraws,
    and the shot catches its transitions (seen: the search box's placeholder
    in mid-fade, 300 pixels)."""
    viewed.page.goto(url)
    start_material(viewed.page)
    viewed.settle()
    viewed.page.wait_for_timeout(TRANSITIONS_MS)
    return viewed.page.screenshot(animations="disabled")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_chapter_looks_the_same_with_the_trimmed_css(tabs, site_url, scheme, tmp_path):
    trimmed, untrimmed = tabs("desktop", scheme)
    ours, theirs = picture(trimmed, site_url + PICTURED.path), picture(untrimmed, site_url + PICTURED.path)
    found = differing_pixels(trimmed.page, ours, theirs)
    if found["count"] > STRAY_PIXELS:
        (tmp_path / "trimmed.png").write_bytes(ours)
        (tmp_path / "original.png").write_bytes(theirs)
        pytest.fail(f"{PICTURED} ({scheme}) looks different with the trimmed CSS ({found}); screenshots in {tmp_path}")


# --- Controls: the comparisons see a missing rule -------------------------------------------

def without_rules(css: str, fragment: str) -> str:
    """``css`` less every style rule whose selector list holds ``fragment``."""
    def keep(rules):
        kept = []
        for rule in rules:
            if isinstance(rule.body, list):
                kept.append(trim_css.Rule(rule.prelude, keep(rule.body)))
            elif not (isinstance(rule.body, str) and fragment in rule.prelude):
                kept.append(rule)
        return kept

    rules = trim_css.parse(trim_css.strip_comments(css))
    result = trim_css.serialize(keep(rules))
    assert result != trim_css.serialize(rules), f"no rule of the stylesheet names {fragment}"
    return result


def no_header_title(usage):  # a rule of layout: the header's title
    usage.classes.discard("md-header__title")


def no_indigo(usage):  # the site's primary colour, in palette (in dark: the links' colour)
    usage.colors["data-md-color-primary"].discard("indigo")


CONTROLS = {  # name: (scheme, stylesheet, defect)
    # Trimmed as if the pages had no such class or colour: whole rules go.
    "main, the header's title": ("light", "main", no_header_title),
    "palette, the primary colour": ("dark", "palette", no_indigo),
    # One rule gone that only draws a ::before: the icon of the "abstract"
    # call-out that opens each chapter.
    "main, a ::before only": ("light", "main", ".abstract>.admonition-title:before"),
}


def planted_stylesheets(built_site: Path, stem: str, plant) -> dict[str, bytes]:
    """Material's stylesheets, with ``stem`` trimmed with ``plant``'s defect in it."""
    css, usage = ORIGINALS[stem].decode("utf-8"), trim_css.site_usage(built_site)
    if isinstance(plant, str):
        css = without_rules(trim_css.trim_css(css, usage), plant)
    else:
        plant(usage)
        css = trim_css.trim_css(css, usage)
    return {**ORIGINALS, stem: css.encode("utf-8")}


@pytest.mark.parametrize("control", list(CONTROLS))
def test_the_style_comparison_sees_a_missing_rule(browser, tabs, built_site, site_url, control):
    scheme, stem, plant = CONTROLS[control]
    defective = open_viewed(browser, "desktop", scheme, planted_stylesheets(built_site, stem, plant))
    try:
        untrimmed = tabs("desktop", scheme)[1]
        for viewed in (defective, untrimmed):
            viewed.page.goto(site_url + PICTURED.path)
        found = compared(defective, untrimmed, looks=1)
        assert found, f"{control}: the comparison saw no difference"
    finally:
        with stall_guard():
            defective.page.context.close()


def test_the_picture_sees_what_the_styles_cannot(browser, tabs, built_site, site_url):
    # The search box's placeholder without its rules: no snapshot shows it
    # (measured: 320 pixels of the picture differ, 16 times what may stray).
    defective = open_viewed(browser, "desktop", "light", planted_stylesheets(built_site, "main", "::placeholder"))
    try:
        untrimmed = tabs("desktop", "light")[1]
        for viewed in (defective, untrimmed):
            viewed.page.goto(site_url + PICTURED.path)
        assert not compared(defective, untrimmed, looks=1), "the snapshot sees the placeholder now: plant another"
        shot = picture(defective, site_url + PICTURED.path)
        found = differing_pixels(defective.page, shot, picture(untrimmed, site_url + PICTURED.path))
        assert found["count"] > STRAY_PIXELS, found
    finally:
        with stall_guard():
            defective.page.context.close()
