"""A teacher takes the figures and the charts away, and cites them.

The numbers page offers every figure as CSV and JSON (with a README), each
chart and diagram can be saved as an SVG for slides or embedded in a
learning platform from a page of its own, and each figure's row gives a
citation that names the sources first and this site second. All of it is
made from the data file and the pages' declarations (tools/downloads.py,
pages/takeaway.py, pages/chart_file.py), in the words of data/takeaway.yml.
These stories read the session's one build of the site; the browser story
(framing from another site) is tests/browser/test_takeaway.py.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import BUILD_ENV, ROOT
from distill_site.errors import SiteError
from distill_site.facts.figures import Correction, load_figures
from distill_site.facts.formatting import format_value
from distill_site.pages import takeaway
from distill_site.pages.handouts import data_date
from distill_site.pages.presentation import figure_anchor
from distill_site.site_config import read_site_config
from distill_site.tools import downloads
from test_worksheets import convert, edit, project  # noqa: F401 - project is a fixture

FACTS = load_figures(ROOT / "data" / "figures.yml")
WORDS = takeaway.read_words(ROOT / "data" / "takeaway.yml")
CONFIG = read_site_config(ROOT / "mkdocs.yml", BUILD_ENV)
SITE_URL = CONFIG["site_url"]
DATA_DATE = data_date(FACTS)
FIGURE = re.compile(r'<figure class="chart[^"]*" id="([^"]+)">.*?</figure>', re.S)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def read_csv(site: Path) -> list[dict]:
    raw = (site / "downloads" / "figures.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()), "the CSV starts with a byte-order mark, for spreadsheets"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def read_json(site: Path) -> dict:
    return json.loads((site / "downloads" / "figures.json").read_text(encoding="utf-8"))


def numbers_rows(site: Path) -> dict[str, str]:
    """Each figure's row on the numbers page, by its key."""
    page = (site / "numbers" / "index.html").read_text(encoding="utf-8")
    rows = {}
    for row in re.findall(r"<tr>.*?</tr>", page, re.S):
        anchor = re.search(r'<span id="fig-([\w-]+)"></span>', row)
        if anchor:
            rows[anchor[1].replace("-", "_")] = row
    return rows


def value_cell(row: str) -> str:
    return text_of(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1])


def as_value(kind: str, text: str):
    """A value of the CSV back as data, the way a spreadsheet or a program reads it."""
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind in ("count", "duration"):
        return int(text)
    if kind == "ratio":
        return float(text)
    return text


# --- The figures as data -------------------------------------------------------------------

def test_every_figure_is_in_both_downloads_in_the_data_files_order(built_site):
    keys = list(FACTS.figures)
    assert [row["id"] for row in read_csv(built_site)] == keys
    assert [figure["id"] for figure in read_json(built_site)["figures"]] == keys
    assert list(read_csv(built_site)[0]) == list(downloads.COLUMNS)


def test_the_download_gives_what_the_numbers_page_shows(built_site):
    # A teacher who formats the downloaded value, qualifier and kind gets the page's words.
    rows = numbers_rows(built_site)
    assert set(rows) == set(FACTS.figures)
    for row in read_csv(built_site):
        on_page = value_cell(rows[row["id"]])
        text = format_value(row["kind"], as_value(row["kind"], row["value"]), None, row["qualifier"] or None)
        assert " ".join(filter(None, [row["qualifier"], text])) == on_page == row["shown"], row["id"]
    for figure in read_json(built_site)["figures"]:
        value = dt.date.fromisoformat(figure["value"]) if figure["kind"] == "date" else figure["value"]
        text = format_value(figure["kind"], value, None, figure["qualifier"])
        assert " ".join(filter(None, [figure["qualifier"], text])) == value_cell(rows[figure["id"]])


def test_each_source_comes_with_its_own_words(built_site):
    by_id = {figure["id"]: figure for figure in read_json(built_site)["figures"]}
    csv_rows = {row["id"]: row for row in read_csv(built_site)}
    for figure in FACTS.figures.values():
        listed = by_id[figure.id]["sources"]
        assert [s["id"] for s in listed] == list(figure.sources)
        for citation, entry in zip(figure.citations, listed):
            source = FACTS.sources[citation.source]
            assert entry["quote"] == citation.quote and entry["name"] == source.short
            assert entry["date"] == (source.date.isoformat() if source.date else None)
            if citation.quote:
                assert f"{source.short}: “…{citation.quote}…”" in csv_rows[figure.id]["sources"]


def test_derived_figures_say_what_they_are_calculated_from(built_site):
    rows = {row["id"]: row for row in read_csv(built_site)}
    derived = [f for f in FACTS.figures.values() if f.is_derived]
    assert derived, "the data file has derived figures to check"
    for figure in FACTS.figures.values():
        row = rows[figure.id]
        if figure.is_derived:
            assert row["derived_from"].split("\n") == list(figure.derive.inputs)
            assert row["derivation"] == figure.derive.op
        else:
            assert row["derived_from"] == row["derivation"] == ""


def test_a_corrected_figure_says_when(built_site):
    figure = FACTS.figures["alibaba_accounts"]
    corrected = dataclasses.replace(figure, corrections=(
        Correction(dt.date(2026, 7, 1), 24000, figure.value, "The source corrected its figure.", "s3-pymnts", 1),))
    site = downloads.Site("A site", SITE_URL, "en", DATA_DATE, SITE_URL + "numbers/", WORDS)
    record = downloads.figure_record(FACTS, corrected, site)
    assert record["corrected_on"] == ["2026-07-01"]
    assert record["corrections"][0] == {"date": "2026-07-01", "old": 24000, "new": figure.value,
                                        "why": "The source corrected its figure.", "source": "s3-pymnts"}
    facts = dataclasses.replace(FACTS, figures={**FACTS.figures, figure.id: corrected})
    text = downloads.csv_text(facts, [downloads.figure_record(facts, f, site) for f in facts.figures.values()], WORDS)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows[figure.id]["corrected_on"] == "2026-07-01"
    assert {row["corrected_on"] for key, row in rows.items() if key != figure.id} == {""}


def test_the_readme_explains_every_column_and_what_the_licence_covers(built_site):
    readme = (built_site / "downloads" / "README.txt").read_text(encoding="utf-8")
    for column in downloads.COLUMNS:
        assert re.search(rf"^{column}\s", readme, re.M), f"the README does not explain '{column}'"
    licence = (ROOT / "LICENSE-content.md").read_text(encoding="utf-8")
    assert WORDS["licence"] in licence and WORDS["licence address"] in licence, "the licence is the site's own"
    assert WORDS["licence"] in readme and WORDS["licence address"] in readme
    assert "not covered" in readme, "the README says the quotes are not the site's to license"
    document = read_json(built_site)
    assert document["licence"] == WORDS["licence"] and document["site"] == CONFIG["site_name"]
    assert document["data_as_of"] == DATA_DATE.isoformat()


def test_the_numbers_page_links_to_the_downloads(built_site):
    page = (built_site / "numbers" / "index.html").read_text(encoding="utf-8")
    for name in ("figures.csv", "figures.json", "README.txt"):
        assert f'href="../downloads/{name}"' in page


# --- Cite this figure -----------------------------------------------------------------------

def test_each_figure_is_cited_sources_first_then_this_site_with_the_date_of_the_data(built_site):
    rows = numbers_rows(built_site)
    date = format_value("date", DATA_DATE)
    for figure in FACTS.figures.values():
        found = re.search(r'<details class="cite-figure" data-search-exclude><summary>(.*?)</summary>(.*?)</details>', rows[figure.id], re.S)
        assert found and text_of(found[1]) == WORDS["cite", "summary"], figure.id
        cited = text_of(found[2])
        sources = takeaway.figure_sources(FACTS, figure)
        assert sources, f"{figure.id} rests on no source"
        names = [cited.find(FACTS.sources[s].short + ",") for s in sources]
        site = cited.find(CONFIG["site_name"])
        assert names[0] == 0 and -1 not in names and max(names) < site, cited
        assert f"{SITE_URL}numbers/#{figure_anchor(figure.id)}" in cited
        # The date of the facts, then the room the words leave for the reader's access date.
        assert cited.endswith(WORDS.fill("cite", "dated", date=date) + WORDS["cite", "stated"].split("{dated}")[1]), cited
        assert (("Calculated by" in cited) == figure.is_derived), cited


def test_a_derived_figure_credits_the_sources_of_what_it_is_calculated_from():
    figure = FACTS.figures["exchanges_per_account"]
    assert not figure.sources, "a derived figure no source states"
    expected = FACTS.figures["alibaba_exchanges"].sources + FACTS.figures["alibaba_accounts"].sources
    assert takeaway.figure_sources(FACTS, figure) == list(dict.fromkeys(expected))


def test_the_date_of_the_data_is_the_day_the_facts_were_checked_and_left_out_without_one():
    assert DATA_DATE == FACTS.checked_on
    site = downloads.Site("A site", SITE_URL, "en", None, SITE_URL + "numbers/", WORDS)
    cited = downloads.figure_record(FACTS, FACTS.figures["alibaba_accounts"], site)["citation"]
    assert "as of" not in cited and "#fig-alibaba-accounts." in cited


# --- Charts and diagrams --------------------------------------------------------------------

def drawings_on_pages(site: Path) -> dict[str, tuple[Path, str, str]]:
    """Each drawing on the site's pages: its page, its <figure> and what follows it."""
    found = {}
    for page in sorted(site.rglob("index.html")):
        if page.parent.parent.name == "embed":
            continue
        text = page.read_text(encoding="utf-8")
        for match in FIGURE.finditer(text):
            after = re.match(r'\s*<div class="chart-takeaway">.*?</div>', text[match.end():], re.S)
            found[match[1]] = (page, match[0], after[0] if after else "")
    return found


def test_every_drawing_has_its_svg_and_its_embed_code_beside_it(built_site):
    drawings = drawings_on_pages(built_site)
    assert len(drawings) == 5
    for ident, (page, figure, after) in drawings.items():
        assert after, f"no download or embed code after {ident} on {page}"
        link = re.search(r'<a href="([^"]+)" download[^>]*>(.*?)</a>', after)
        assert link and text_of(link[2]) == WORDS["chart", "download"]
        assert (page.parent / link[1]).resolve() == (built_site / "downloads" / "charts" / f"{ident}.svg").resolve()
        assert text_of(re.search(r"<summary>(.*?)</summary>", after)[1]) == WORDS["chart", "embed"]
        code = html.unescape(re.search(r"<pre><code>(.*?)</code></pre>", after, re.S)[1])
        iframe = re.fullmatch(r'<iframe src="([^"]+)" title="([^"]+)" width="100%" height="\d+" '
                              r'style="border: 0;" loading="lazy"></iframe>', code)
        assert iframe, code
        assert iframe[1] == f"{SITE_URL}embed/{ident}/", "the embed code's address comes from site_url"
        embed = built_site / urlsplit(iframe[1]).path.removeprefix(urlsplit(SITE_URL).path) / "index.html"
        assert embed.is_file()
        assert html.unescape(iframe[2]) == html.unescape(title_of(figure)), "the iframe's title is the chart's"


def test_an_embed_page_shows_just_the_chart_its_caption_and_sources(built_site):
    for ident, (page, figure, _) in drawings_on_pages(built_site).items():
        embed = (built_site / "embed" / ident / "index.html").read_text(encoding="utf-8")
        assert FIGURE.findall(embed) == [ident]
        if "<svg" in figure:
            assert FIGURE.search(embed)[0] == figure, "the same drawing, caption and text version as on its page"
        else:  # the timeline: its page shows it as a table, the embed page draws it
            drawn = FIGURE.search(embed)[0]
            assert "<svg" in drawn and title_of(drawn) == title_of(figure), "the same chart as on its page"
        assert "<script" not in embed.lower() and "<iframe" not in embed.lower()
        credit = re.search(r'<p class="chart-credit">(.*?)</p>', embed, re.S)[1]
        back = re.search(r'<a href="([^"]+)" target="_blank">', credit)[1]
        assert back == f"../../{page.parent.relative_to(built_site).as_posix()}/#{ident}", "back to the chart in its page"
        assert WORDS["licence"] in text_of(credit) and CONFIG["site_name"] in text_of(credit)
        title = html.unescape(re.search(r"<title>(.*?)</title>", embed)[1])
        assert title.endswith(CONFIG["site_name"])
        for href in re.findall(r'<link rel="stylesheet" href="([^"]+)">', embed):
            assert (built_site / "embed" / ident / href).resolve().is_file()


def title_of(figure: str) -> str:
    """A drawing's title; the timeline's table on its page shows it above the table."""
    return re.search(r'<title[^>]*>(.*?)</title>|<p class="chart__title">(.*?)</p>', figure).group(1, 2)[
        "<svg" not in figure]


def test_a_chart_credits_the_sources_of_its_figures():
    keys = ["deepseek_exchanges", "february_total"]  # a stated figure and a sum of three
    line = takeaway.chart_source_line(WORDS, FACTS, keys)
    expected = {FACTS.sources[s].short for key in ["deepseek_exchanges", "moonshot_exchanges", "minimax_exchanges"]
                for s in FACTS.figures[key].sources}
    assert line.startswith("Sources: ") and set(line.removeprefix("Sources: ").rstrip(".").split("; ")) == expected
    assert takeaway.chart_source_line(WORDS, FACTS, []) is None, "a diagram that shows no figure names no source"


SVG = "{http://www.w3.org/2000/svg}"


def css_classes(css: str) -> set[str]:
    return set(re.findall(r"\.(chart[\w-]*)", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))


def test_an_svg_download_stands_alone_for_slides(built_site):
    stylesheets = ROOT / "overrides" / "assets" / "stylesheets"
    style = (stylesheets / "chart-file.css").read_text(encoding="utf-8")
    styled = css_classes(style)
    styled_on_the_site = css_classes((stylesheets / "charts.css").read_text(encoding="utf-8"))
    for ident, (page, figure, _) in drawings_on_pages(built_site).items():
        image = built_site / "downloads" / "charts" / f"{ident}.svg"
        root = ET.parse(image).getroot()  # well-formed XML, as slide programs need
        assert root.tag == f"{SVG}svg" and root.get("viewBox", "").startswith("0 0 360 ")
        words = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
        title = root.find(f"{SVG}title").text
        # The drawing's caption, as its embed page shows it (on its page, the timeline is a table).
        drawn = FIGURE.search((built_site / "embed" / ident / "index.html").read_text(encoding="utf-8"))[0]
        caption = text_of(re.search(r"<figcaption>\s*<p>(.*?)</p>", drawn, re.S)[1])
        for expected in (title, caption, WORDS["licence"], WORDS["licence address"], CONFIG["site_name"]):
            assert " ".join(expected.split()) in " ".join(words.split()), f"{ident}: '{expected}' is not in the image"
        inline = root.find(f"{SVG}style").text
        assert inline.strip() == style.strip() and "var(" not in inline, "its colours travel with it"
        used = {name for element in root.iter() for name in (element.get("class") or "").split()}
        unstyled = (used - styled) & styled_on_the_site
        assert not unstyled, f"{ident}: classes the site colours but the image does not: {sorted(unstyled)}"


def test_every_class_the_site_colours_is_coloured_in_the_standalone_stylesheet():
    # A new look for drawings in charts.css must reach the downloads and embed pages too.
    stylesheets = ROOT / "overrides" / "assets" / "stylesheets"
    site = css_classes((stylesheets / "charts.css").read_text(encoding="utf-8")) - {
        "chart", "chart__svg", "chart__data", "chart-takeaway",  # the page's figure and what follows it
        "chart--timeline-table", "chart__title"}  # the timeline's table, on its page only
    missing = site - css_classes((stylesheets / "chart-file.css").read_text(encoding="utf-8"))
    assert missing == set(), f"charts.css colours classes chart-file.css does not: {sorted(missing)}"


def test_the_standalone_stylesheet_check_would_see_a_class_left_out():
    assert "chart-bar--key" not in css_classes(".chart-bar { fill: #757575; }")
    assert css_classes("/* .chart-x */ .chart-bar, .chart-node--model { }") == {"chart-bar", "chart-node--model"}


def test_a_long_address_breaks_after_a_slash_inside_the_image():
    from distill_site.pages.chart_file import wrap_with_addresses
    from distill_site.pages.svg import text_width
    address = "https://distillation.example.org/explainer/outputs-not-weights/#chart-scale"
    lines = wrap_with_addresses(f"Chart from a site, {address}.", 344, 14)
    assert "".join(lines[1:]) == address + "." and all(text_width(line, 14) <= 344 for line in lines)


# --- Mistakes a maintainer can make -----------------------------------------------------------

def plant(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "data" / "takeaway.yml").read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the words file no longer has exactly one {old!r}"
    path = tmp_path / "takeaway.yml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8")[:path.read_text(encoding="utf-8").index(text)].count("\n") + 1


@pytest.mark.parametrize("old, new, at, words", [
    ('  derived: "Derived ({operation}) from: {inputs}"', '  derived: "Derived ({operation}) from: {input}"',
     "{input}", "'derived' has the field {input}, which is not one of its own"),
    ('  calculated: "Our calculation from: {inputs}."', '  calculated: "Our calculation from: {inputs}.{"',
     "Our calculation from: {inputs}.{", "'calculated' has a brace { or } that opens or closes no field"),
    ('  correction: "Corrected on {date}: was {old}', '  correction: "Corrected on {day}: was {old}',
     "{day}", "'correction' has the field {day}, which is not one of its own"),
    ('  minutes: "about {minutes} min"', '  minutes: "about {minute} min"', "{minute}",
     "'minutes' has the field {minute}, which is not one of its own"),
    ("  stated by: Stated by\n", "  stated_by: Stated by\n", "stated_by", "unknown field 'stated_by' in 'numbers'"),
    ("  details: Details on The numbers page.\n", "", "tooltip:", "'tooltip' has no 'details'"),

    ("{address}{dated}. Accessed [the date you read it].\"\n  derived",
     "{adress}{dated}. Accessed [the date you read it].\"\n  derived", "{adress}",
     "'stated' has the field {adress}, which is not one of its own"),
    ("  summary: Cite this figure", "  sumary: Cite this figure", "sumary", "unknown field 'sumary' in 'cite'"),
    ("  embed: Embed this chart\n", "", "chart:", "'chart' has no 'embed'"),
    ('  sources: "Sources: {sources}."', '  sources: "Sources: {sources."', "Sources: {sources.",
     "'sources' has a brace { or } that opens or closes no field"),
    ("licence: CC BY 4.0", "licence: [CC BY 4.0]", "licence: [", "'licence' must be text"),
])
def test_a_mistake_in_the_words_file_names_its_line(tmp_path, old, new, at, words):
    path = plant(tmp_path, old, new)
    with pytest.raises(SiteError) as caught:
        takeaway.read_words(path)
    assert str(caught.value).startswith(f"{path}:{line_of(path, at)}: {words}"), str(caught.value)


def test_a_maintainer_rewords_a_column_heading_and_the_tooltip_and_the_pages_show_it(project):
    # The words the pages add to the data file's are the words file's, not Python's.
    edit(project / "data" / "takeaway.yml", "  stated by: Stated by\n", "  stated by: Reported by\n")
    edit(project / "data" / "takeaway.yml", 'calculated: "Our calculation from: {inputs}."',
         'calculated: "We worked it out from: {inputs}."')
    numbers = convert(project, "{{ block:numbers }}\n")
    assert "<th>Reported by</th>" in numbers and 'data-label="Reported by"' in numbers
    assert "Stated by" not in numbers
    derived = next(figure for figure in FACTS.figures.values() if figure.is_derived)
    page = convert(project, f"A figure we calculated: {{{{ fig:{derived.id} }}}}.\n")
    assert 'title="We worked it out from: ' in page and "Our calculation from" not in page


def test_two_drawings_with_one_id_fail_at_the_second(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    docs, built = Path("docs"), Path("site")
    chart = ("```chart\ntype: bar chart\nid: {id}\ntitle: T\ncaption: C.\nsummary: S\ncolumns: [A, B, C]\n"
             "bars:\n  - figure: {figure}\n    label: L\n```\n")
    for name, figure in (("one", "alibaba_exchanges"), ("two", "alibaba_accounts")):
        (docs / f"{name}.md").parent.mkdir(exist_ok=True)
        (docs / f"{name}.md").write_text("# A page\n\nText.\n\n" + chart.format(id="chart-x", figure=figure))
        (built / name).mkdir(parents=True)
        (built / name / "index.html").write_text("<html></html>")
    with pytest.raises(SiteError) as caught:
        downloads.declared_drawings(docs, FACTS, built)
    assert str(caught.value).startswith("docs/two.md:6: the drawing id 'chart-x' is also the id of another "
                                        "drawing, on docs/one.md:6"), str(caught.value)
    # The same drawing shown on two pages is one drawing, with one image and one embed page.
    (docs / "two.md").write_text((docs / "one.md").read_text())
    assert len(downloads.declared_drawings(docs, FACTS, built)) == 2


def test_a_site_that_names_no_words_file_gets_no_takeaway(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      takeaway: data/takeaway.yml\n", ""), encoding="utf-8")
    assert downloads.write_takeaway(tmp_path / "site", config) is None
    assert not (tmp_path / "site").exists()
