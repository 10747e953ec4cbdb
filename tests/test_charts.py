"""Charts and diagrams: declared in the pages, drawn from the data file, readable by everyone.

Most tests draw the site's own declarations (read from the fences in
docs/) on facts loaded from a copy of the data file, in-process; a few
build the whole site to see what a reader gets. The generator's own tests
(any subject, no Python changed) are in test_generator.py.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest

from conftest import ROOT, build, correct_figure
from distill_site.pages import chart_fence, svg
from distill_site.pages.blocks import where_used
from distill_site.errors import SiteError
from distill_site.facts.figures import load_figures
from distill_site.facts.formatting import VARIANTS, format_value
from distill_site.pages.markdown_ext import FiguresExtension
from distill_site.pages.presentation import event_when, plain_text

DATA = ROOT / "data" / "figures.yml"
DOCS = ROOT / "docs"
CSS = ROOT / "overrides" / "assets" / "stylesheets" / "charts.css"
PRINT_CSS = ROOT / "overrides" / "assets" / "stylesheets" / "print.css"
# A number with its unit, so "12 million" is not excused by a "June 12".
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?: (?:million|billion|days?))?")
SHAPES = ("rect", "circle", "line", "path", "polygon", "polyline", "ellipse")


# --- Helpers -------------------------------------------------------------------

def site_declarations() -> dict[str, tuple[str, chart_fence.Fence]]:
    """Every chart and diagram the pages declare: its id -> (page, fence)."""
    found = {}
    for page in sorted(DOCS.rglob("*.md")):
        for fence in chart_fence.fences_in(page.read_text(encoding="utf-8").splitlines()):
            ident = re.search(r"^id: (\S+)$", "\n".join(fence.lines), re.M)[1]
            found[ident] = (page.relative_to(ROOT).as_posix(), fence)
    return found


DECLARED = site_declarations()
NAMES = tuple(DECLARED)


def declaration(name: str, facts, text: str | None = None) -> chart_fence.Declaration:
    """The page's declaration of ``name`` (or ``text`` in its place), read against ``facts``."""
    page, fence = DECLARED[name]

    def fail(line, problem, fix=""):
        raise SiteError(page, fence.first_line + line - 1, problem, fix)
    return chart_fence.read(text if text is not None else "\n".join(fence.lines), fence.name, facts, fail)


def draw(name: str, facts, text: str | None = None) -> str:
    """The <figure> the page's declaration of ``name`` draws from ``facts``."""
    return chart_fence.draw(declaration(name, facts, text), facts)


def declared_text(name: str) -> str:
    return "\n".join(DECLARED[name][1].lines)


def facts_with(tmp_path: Path, *edits: tuple[str, str]):
    """The facts of a copy of the data file, each (old, new) text replaced once."""
    text = DATA.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"the data file no longer has exactly one {old!r}"
        text = text.replace(old, new)
    path = tmp_path / "figures.yml"
    path.write_text(text, encoding="utf-8")
    return load_figures(path)


@pytest.fixture(scope="module")
def facts():
    return load_figures(DATA)


def parse(html: str) -> ET.Element:
    """One chart's <figure>, parsed (the charts are written as well-formed XML)."""
    return ET.fromstring(html)


def svg_of(figure: ET.Element) -> ET.Element:
    drawing = figure.find("svg")
    assert drawing is not None, "the figure has no <svg>"
    return drawing


def all_text(element: ET.Element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def bars(figure: ET.Element) -> dict[str, tuple[str, float]]:
    """Bar chart rows: name -> (value label, bar length), read from the SVG."""
    rows, name, label = {}, [], None
    for element in svg_of(figure):
        cls = element.get("class", "")
        if element.tag == "text" and "chart-text--strong" in cls:
            name.append(element.text)
        elif element.tag == "text" and "chart-value" in cls:
            label = element.text
        elif element.tag == "rect" and "chart-bar" in cls:
            rows[" ".join(name)] = (label, float(element.get("width")))
            name, label = [], None
    return rows


def numbers_in_data(facts) -> set[str]:
    """Every number the data file holds, in every way the site writes it."""
    texts = []
    for figure in facts.figures.values():
        if figure.kind != "text":
            texts += [format_value(figure.kind, figure.value, v) for v in VARIANTS[figure.kind]]
    for event in facts.timeline:
        for moment in (event.when, event.until):
            if moment:
                texts += [format_value("date", moment.date, v) for v in VARIANTS["date"]]
    return {token for text in texts for token in NUMBER.findall(text)}


def foreign_numbers(figure: ET.Element, facts) -> list[str]:
    allowed = numbers_in_data(facts)
    return [n for n in NUMBER.findall(all_text(figure)) if n not in allowed]


def page_figures(html: str) -> list[str]:
    return re.findall(r'<figure class="chart[^"]*" id="[^"]+">.*?</figure>', html, re.S)


def test_the_site_declares_its_five_drawings():
    assert set(NAMES) == {"chart-scale", "chart-timeline", "chart-campaign",
                          "diagram-distillation", "diagram-outputs-weights"}


# --- The data drives the drawing ------------------------------------------------

def test_changing_a_figure_changes_its_bar_and_its_label(facts, tmp_path):
    before = bars(parse(draw("chart-scale", facts)))
    changed = facts_with(tmp_path, ("value: 13000000", "value: 20000000"))
    after = bars(parse(draw("chart-scale", changed)))

    assert before["MiniMax"][0] == "over 13 million"
    assert after["MiniMax"][0] == "over 20 million"
    assert after["MiniMax"][1] > before["MiniMax"][1]
    # The derived sum follows, and the bars keep one linear scale.
    combined = "The three February campaigns combined (our sum)"
    assert after[combined][0] == "over 20 million"  # 23,550,000, but 20000000 is known only to the ten million
    ratio = after["MiniMax"][1] / after["Alleged Alibaba-linked campaign"][1]
    assert ratio == pytest.approx(20_000_000 / 28_800_000, abs=0.01)


def test_bars_are_on_a_linear_scale_from_zero(facts):
    rows = bars(parse(draw("chart-scale", facts)))
    declared = declaration("chart-scale", facts).details.bars
    largest = max(facts.figures[bar.figure].value for bar in declared)
    longest = max(length for _, length in rows.values())
    assert [name for name in rows] == [bar.label for bar in declared]
    for bar in declared:
        expected = longest * facts.figures[bar.figure].value / largest
        assert rows[bar.label][1] == pytest.approx(max(expected, 1), abs=0.1), bar.label
    assert "linear scale" in all_text(parse(draw("chart-scale", facts)))


def test_qualifiers_stay_with_the_numbers(facts):
    rows = bars(parse(draw("chart-scale", facts)))
    assert rows["Alleged Alibaba-linked campaign"][0] == "more than 28.8 million"
    assert rows["DeepSeek"][0] == "over 150,000"


def test_campaign_chart_follows_the_dates(facts, tmp_path):
    later = facts_with(tmp_path, ("value: 2026-06-05", "value: 2026-06-08"))

    def campaign(facts_):
        drawing = svg_of(parse(draw("chart-campaign", facts_)))
        bar = next(e for e in drawing if e.tag == "rect" and "chart-bar" in e.get("class"))
        return all_text(drawing), float(bar.get("width"))

    text, width = campaign(facts)
    new_text, new_width = campaign(later)
    assert "44 days" in text and "June 5" in text
    assert "47 days" in new_text and "June 8" in new_text and "44 days" not in new_text
    assert new_width > width


def test_timeline_range_comes_from_the_data(facts, tmp_path):
    text = all_text(parse(draw("chart-timeline", facts)))
    assert "January 2025" in text and "June 2026" in text
    earlier = facts_with(tmp_path, (
        "timeline:\n",
        "timeline:\n  - when: 2024-11\n    text: An earlier event.\n    sources: [anthropic-feb-post]\n"))
    drawing = svg_of(parse(draw("chart-timeline", earlier)))
    assert "November 2024" in drawing.find("title").text
    axis_labels = [e.text for e in drawing if e.tag == "text" and "chart-text--muted" in e.get("class")]
    assert axis_labels[0] == "November 2024"


def test_every_timeline_event_is_in_the_chart(facts):
    figure = parse(draw("chart-timeline", facts))
    rows = figure.findall(".//details/table/tbody/tr")
    assert len(rows) == len(facts.timeline)
    marks = [e for e in svg_of(figure) if "chart-mark" in e.get("class", "")]
    assert len(marks) == 2 * len(facts.timeline)  # one on the strip, one in the list


def timeline_on_its_page() -> ET.Element:
    """The timeline's <figure> as its page shows it (the fence converted as mkdocs.yml sets it)."""
    figures = page_figures(convert("# Timeline\n\n" + fenced("chart-timeline") + "\n"))
    assert len(figures) == 1
    return parse(figures[0])


def as_read(element: ET.Element) -> str:
    """An element's words as a reader reads them: its text run together, one space between words."""
    return " ".join("".join(element.itertext()).split())


def test_the_timeline_page_shows_each_event_once_and_whole(facts):
    # The teacher's complaint: texts cut with "…", and each event three times (strip, list, table).
    figure = timeline_on_its_page()
    assert figure.find(".//svg") is None and figure.find(".//details") is None, "no strip, list or second table"
    rows = figure.findall("table/tbody/tr")
    assert len(rows) == len(facts.timeline)
    shown = as_read(figure.find("table"))
    assert "…" not in shown
    for event in facts.timeline:
        whole = " ".join(plain_text(facts, event.text).split())
        assert shown.count(whole) == 1, f"not once and whole: {whole[:60]}"
        row = next(r for r in rows if as_read(r[1]) == whole)
        assert as_read(row[0]) == event_when(facts, event)
        assert as_read(row[2]) == "; ".join(facts.sources[s].short for s in event.sources)
        assert [a.get("href").rsplit("/", 1)[-1] for a in row[2].iter("a")] == [f"#src-{s}" for s in event.sources]
    headings = [as_read(th) for th in figure.findall("table/thead/tr/th")]
    assert headings == list(declaration("chart-timeline", facts).details.columns)


def test_the_timeline_page_marks_the_months_without_an_event(facts):
    rows = timeline_on_its_page().findall("table/tbody/tr")
    after_gap = [as_read(row[0]) for row in rows if row.get("class") == "timeline__after-gap"]
    # January 2025, then nothing until February 2026; February, then nothing until April.
    assert after_gap == ["February 2026", "April 2026"]


# --- Honest numbers -----------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_a_chart_shows_no_number_the_data_file_does_not_hold(facts, name):
    figure = parse(draw(name, facts))
    assert foreign_numbers(figure, facts) == []


def test_the_number_check_would_catch_an_invented_number(facts):
    html = draw("chart-scale", facts).replace("over 13 million", "over 12 million")
    assert set(foreign_numbers(parse(html), facts)) == {"12 million"}


# --- Accessible to everyone --------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_every_chart_has_a_name_a_description_and_a_text_version(facts, name):
    figure = parse(draw(name, facts))
    drawing = svg_of(figure)
    assert drawing.get("role") == "img"
    title = drawing.find(f"title[@id='{drawing.get('aria-labelledby')}']")
    desc = drawing.find(f"desc[@id='{drawing.get('aria-describedby')}']")
    assert title is not None and title.text.strip()
    assert desc is not None and len(desc.text) > 40
    caption = figure.find("figcaption")
    assert caption is not None and caption.find("p").text.strip()
    details = caption.find("details")
    assert details is not None and details.find("summary").text.strip()
    assert details.find("table") is not None or details.find("ol") is not None or details.find("dl") is not None
    assert len(all_text(details)) > 80


def test_the_data_table_has_the_same_numbers_as_the_bars(facts):
    figure = parse(draw("chart-scale", facts))
    labels = {label for label, _ in bars(figure).values()}
    cells = {row[1].text for row in figure.findall(".//tbody/tr")}
    assert labels == cells


@pytest.mark.parametrize("name", NAMES)
def test_no_colour_is_written_into_the_svg(facts, name):
    drawing = svg_of(parse(draw(name, facts)))
    for element in drawing.iter():
        assert element.get("style") is None
        for attribute in ("fill", "stroke", "color", "stop-color"):
            assert element.get(attribute) in (None, "currentColor", "none"), (element.tag, attribute)
        if element.tag in SHAPES or element.tag == "text":
            assert element.get("class", "").startswith("chart-"), element.tag


def test_the_stylesheet_takes_colours_from_the_theme():
    css = CSS.read_text(encoding="utf-8")
    screen = re.split(r"@media", css)[0]
    colours = re.findall(r"(?:fill|stroke|color|background)\s*:\s*([^;]+);", screen)
    assert colours
    for value in colours:
        assert value.startswith("var(--") or value in ("currentColor", "none"), value
    assert "[data-md-color-scheme=\"slate\"]" in css


def test_print_keeps_bars_apart_without_colour():
    css = PRINT_CSS.read_text(encoding="utf-8")
    printed = css[css.index("@media print"):]
    assert re.search(r"\.chart-bar \{[^}]*fill: #fff; stroke: #000", printed)
    assert re.search(r"\.chart-bar--key \{[^}]*fill: #000", printed)
    assert re.search(r"\.chart-bar--derived \{[^}]*stroke-dasharray", printed)


@pytest.mark.parametrize("name", NAMES)
def test_text_fits_the_drawing_and_stays_legible_on_a_phone(facts, name):
    drawing = svg_of(parse(draw(name, facts)))
    width = float(drawing.get("viewBox").split()[2])
    height = float(drawing.get("viewBox").split()[3])
    phone_column = 328  # a 360-pixel screen less Material's side padding
    for text in drawing.iter("text"):
        size = float(text.get("font-size"))
        assert size * phone_column / width >= 12, f"text under 12 px on a phone: {text.text!r}"
        extent = svg.text_width(text.text, size, "strong" in text.get("class"))
        x, anchor = float(text.get("x")), text.get("text-anchor", "start")
        left = {"start": x, "middle": x - extent / 2, "end": x - extent}[anchor]
        assert -0.5 <= left and left + extent <= width + 0.5, f"{text.text!r} runs off the drawing"
        assert 0 < float(text.get("y")) <= height


# --- Safe and repeatable ----------------------------------------------------------

def test_text_from_the_data_file_is_escaped(tmp_path):
    # A qualifier can carry no markup: it is one of a fixed list of words (test_rounding.py),
    # and the loader refuses markup in texts (test_bad_data.py); the chart must still escape
    # whatever might get past them.
    facts = facts_with(tmp_path)
    index = next(i for i, e in enumerate(facts.timeline) if e.text.startswith("A low-cost model from"))
    facts.timeline[index] = dataclasses.replace(
        facts.timeline[index], text="<script>alert(1)</script> & \"DeepSeek's\" low-cost model")
    timeline = draw("chart-timeline", facts)
    assert "<script>" not in timeline
    assert "<script>alert(1)</script> & \"DeepSeek's\"" in all_text(parse(timeline))


def test_figure_references_in_event_texts_become_values(tmp_path):
    facts = facts_with(tmp_path, ("text: A low-cost model from the Chinese startup DeepSeek",
                                  "text: After {{ fig:deepseek_exchanges }} exchanges, DeepSeek's low-cost model"))
    assert "After over 150,000 exchanges" in all_text(parse(draw("chart-timeline", facts)))


@pytest.mark.parametrize("name", NAMES)
def test_same_data_gives_byte_identical_charts(facts, name):
    again = load_figures(DATA)
    assert draw(name, facts) == draw(name, again)


def test_declared_words_are_escaped_too(facts):
    # Pages are edited by hand: a declaration's words are text, never markup.
    text = declared_text("chart-scale").replace("label: DeepSeek", "label: '<b>Deep</b> & \"Seek\"'")
    html = draw("chart-scale", facts, text)
    assert "<b>" not in html
    assert "<b>Deep</b> & \"Seek\"" in all_text(parse(html))


def test_a_figure_the_page_names_but_the_data_lost_fails_at_the_page_line(tmp_path):
    facts = facts_with(tmp_path)
    del facts.figures["minimax_exchanges"]
    with pytest.raises(SiteError) as caught:
        draw("chart-scale", facts)
    page, fence = DECLARED["chart-scale"]
    line = fence.first_line + next(i for i, text in enumerate(fence.lines) if "minimax_exchanges" in text)
    assert str(caught.value).startswith(f"{page}:{line}: 'figure' of bar 3 names unknown figure 'minimax_exchanges'")


def test_a_derived_bar_is_dashed_and_the_caption_says_why_only_then(facts, tmp_path):
    figure = parse(draw("chart-scale", facts))
    note = declaration("chart-scale", facts).details.derived_note
    assert note and note in all_text(figure.find("figcaption"))
    assert len([e for e in svg_of(figure).iter("rect") if "chart-bar--derived" in e.get("class")]) == 1
    # The same chart with no derived figure among its bars: no dashed bar, no note.
    text = declared_text("chart-scale").replace("figure: february_total\n", "figure: february_total_reported\n")
    stated = parse(draw("chart-scale", facts, text))
    assert note not in all_text(stated.find("figcaption"))
    assert not [e for e in svg_of(stated).iter("rect") if "chart-bar--derived" in e.get("class")]


# --- A maintainer's mistake in a declaration names the page and its line ----------------

BAD_DECLARATIONS = [
    # (drawing, text in its declaration, replaced by, the text on the line named, words of the message)
    ("chart-timeline", "title: Timeline of events, {span}", "title: Timeline of events, {spam}", "{spam}",
     "'title' of the timeline has '{spam}', which would be published as typed"),
    ("chart-scale", "figure: minimax_exchanges", "figure: alibaba_vs_february", "alibaba_vs_february",
     "bar 3 shows a ratio, but the bars above show a count"),
    ("chart-scale", "id: chart-scale", "id: Chart Scale", "Chart Scale",
     "the id 'Chart Scale' of the bar chart is not allowed"),
    ("chart-scale", "label: DeepSeek", "label: yes", "label: yes",
     "'label' of bar 1 must be text, but YAML reads it as bool True"),
    ("chart-campaign", "from: letter_date", "from: alibaba_exchanges", "alibaba_exchanges",
     "'from' of event 1 names 'alibaba_exchanges', a count, where a date is needed"),
    ("diagram-distillation", "text: Learns to answer the way the teacher does",
     "text: Learns to answer the way the teacher does\n    arrow: and then", "arrow: and then",
     "box 5 is the last, so its arrow would point at nothing"),
    ("diagram-outputs-weights", "    style: open", "    style: open\n    title: Answers", "    boxes:",
     "panel 2 has both boxes and a title"),
]


@pytest.mark.parametrize("name, old, new, at, words", BAD_DECLARATIONS, ids=[row[4][:40] for row in BAD_DECLARATIONS])
def test_a_bad_declaration_names_the_page_and_line(facts, name, old, new, at, words):
    text = declared_text(name)
    assert text.count(old) == 1, f"the declaration no longer has exactly one {old!r}"
    planted = text.replace(old, new)
    page, fence = DECLARED[name]
    line = fence.first_line + planted[:planted.index(at)].count("\n")
    with pytest.raises(SiteError) as caught:
        draw(name, facts, planted)
    assert str(caught.value).startswith(f"{page}:{line}: {words}"), str(caught.value)


# --- In a page -------------------------------------------------------------------

def convert(text: str) -> str:
    """A page converted with the chart fences and the figure extension, as mkdocs.yml sets them."""
    fences = [{"name": name, "class": "chart", "format": chart_fence.format_fence} for name in ("chart", "diagram")]
    md = markdown.Markdown(
        extensions=["abbr", "tables", "pymdownx.superfences",
                    FiguresExtension(data_file=str(DATA), docs_dir=str(DOCS), takeaway=str(ROOT / "data" / "takeaway.yml"))],
        extension_configs={"pymdownx.superfences": {"custom_fences": fences}})
    return md.convert(text)


def fenced(name: str) -> str:
    return f"```{DECLARED[name][1].name}\n{declared_text(name)}\n```"


def test_fences_become_figures_outside_paragraphs_with_unique_ids():
    fences = [fenced(name) for name in NAMES] + [fenced("chart-scale")]
    html = convert("Some text.\n\n" + "\n\n".join(fences) + "\n\nMore text.\n")
    figures = page_figures(html)
    assert len(figures) == len(NAMES) + 1
    assert "<p><figure" not in html and "<p><svg" not in html and "<code" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids repeat on the page"
    assert 'id="chart-scale-2"' in html and 'aria-labelledby="chart-scale-2-title"' in html


def test_the_numbers_page_knows_where_chart_figures_are_used(facts):
    page = SimpleNamespace(facts=facts, config={"docs_dir": str(DOCS), "numbers_page": "numbers.md"})
    used = {key: [uri for uri, _ in pages] for key, pages in where_used(page).items()}
    # Figures only a chart shows (no page's text names them) are still listed, on the chart's page.
    for name in NAMES:
        page_uri = DECLARED[name][0].removeprefix("docs/")
        for key in chart_fence.figures_of(declaration(name, facts), facts):
            assert page_uri in used.get(key, []), (name, key)
    assert "outputs-not-weights.md" in used["moonshot_exchanges"]
    assert {"policy-dilemma.md", "timeline.md"} <= set(used["congress_public_end"])


def test_the_numbers_page_knows_which_figures_the_timeline_shows(facts, tmp_path):
    # A page with only the timeline shows each event's date figure, and the figures its texts name.
    (tmp_path / "dates.md").write_text("# Dates\n\n" + fenced("chart-timeline") + "\n", encoding="utf-8")
    page = SimpleNamespace(facts=facts, config={"docs_dir": str(tmp_path), "numbers_page": "numbers.md"})
    used = {key for key, pages in where_used(page).items() if ("dates.md", "Dates") in pages}
    dated = {moment.figure for event in facts.timeline for moment in (event.when, event.until)
             if moment is not None and moment.figure}
    assert dated and used == dated | {"february_post_date"}


def test_a_maintainer_edits_a_figure_and_the_built_chart_follows(project_copy):
    page = project_copy / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n## Charts { #charts }\n\n"
                    + fenced("chart-scale") + "\n\n" + fenced("chart-campaign") + "\n", encoding="utf-8")
    first = build(project_copy)
    assert first.ok, first.output
    html = (first.site / "about" / "index.html").read_text(encoding="utf-8")
    before = bars(parse(page_figures(html)[0]))

    correct_figure(project_copy, 3400000, 9400000)
    second = build(project_copy)
    assert second.ok, second.output
    after = bars(parse(page_figures((second.site / "about" / "index.html").read_text(encoding="utf-8"))[0]))

    assert before["Moonshot AI"][0] == "over 3.4 million"
    assert after["Moonshot AI"][0] == "over 9.4 million"
    assert after["Moonshot AI"][1] > 2 * before["Moonshot AI"][1]


def test_charts_in_the_built_site_are_accessible_blocks(built_site):
    found = {}
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert "<p><figure" not in html, path
        for chunk in page_figures(html):
            figure = parse(chunk)
            if "chart--timeline-table" in figure.get("class"):  # a table, titled and captioned above it
                assert figure.find("table/thead") is not None and figure.find("figcaption/p").text
            else:
                drawing = svg_of(figure)
                assert drawing.get("role") == "img" and drawing.find("title").text and drawing.find("desc").text
                assert figure.find("figcaption/details") is not None
            found.setdefault(figure.get("id"), []).append(path.relative_to(built_site).as_posix())
    expected = {
        "chart-timeline": "timeline/index.html",
        "diagram-distillation": "what-is-distillation/index.html",
        "diagram-outputs-weights": "outputs-not-weights/index.html",
        "chart-scale": "outputs-not-weights/index.html",
    }
    for ident, page in expected.items():
        assert page in found.get(ident, []), f"{ident} is not on {page}"
    assert "chart-campaign" in found
