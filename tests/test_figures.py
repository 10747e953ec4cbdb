"""One data file for every figure: a maintainer's stories.

A maintainer corrects a figure once and every page follows; a mistake in the
data file or a page stops the build with the file and line to fix.
"""

from __future__ import annotations

import re
import textwrap
from fractions import Fraction

import markdown
import pytest

from conftest import ROOT, build, correct_figure
from distill_site.errors import SiteError
from distill_site.facts.figures import load_figures
from distill_site.facts.formatting import format_figure, typed_forms

DATA = "data/figures.yml"
CHAPTER = "docs/what-is-distillation.md"

SMALL_DATA = """\
sources:
  - id: paper
    short: The Paper
    publisher: Paper Inc.
    title: A report
    kind: news report
    archive: none
figures:
  - id: exchanges
    label: Exchanges
    value: 1000
    kind: count
    sources: [paper]
"""


def load_text(tmp_path, text):
    path = tmp_path / "figures.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_figures(path)


def refused(tmp_path, text) -> SiteError:
    with pytest.raises(SiteError) as caught:
        load_text(tmp_path, text)
    return caught.value


def append_figure(entry: str) -> str:
    return SMALL_DATA + textwrap.indent(textwrap.dedent(entry), "  ")


# --- The real data file ---------------------------------------------------

def test_the_data_file_loads_and_every_stated_figure_has_a_source():
    facts = load_figures(ROOT / DATA)
    for figure in facts.figures.values():
        assert figure.sources or figure.is_derived, figure.id


def test_derived_figures_are_computed_not_typed():
    facts = load_figures(ROOT / DATA)
    figures = facts.figures
    for key in ("campaign_days", "exchanges_per_day", "exchanges_per_account",
                "february_total", "alibaba_vs_february"):
        assert figures[key].is_derived, f"{key} must be derived, not typed"
    # The arithmetic in the fact sheet, redone from the stated figures.
    assert figures["campaign_days"].value == (figures["campaign_end"].value - figures["campaign_start"].value).days == 44
    # Each is rounded to what its inputs support (28,800,000 has 3 significant figures,
    # 25,000 has 2), the way its qualifier allows; the unrounded result stays available.
    assert figures["exchanges_per_day"].exact == Fraction(28_800_000, 44)
    assert figures["exchanges_per_day"].value == 655_000  # "about": to the nearest
    assert figures["exchanges_per_account"].exact == 1_152
    assert figures["exchanges_per_account"].value == 1_200
    assert figures["february_total"].exact == 16_550_000
    assert figures["february_total"].value == 16_000_000  # to the million, as 13,000,000 is known
    assert figures["alibaba_vs_february"].exact == Fraction(28_800_000, 16_550_000)
    assert figures["alibaba_vs_february"].value == 1.7  # "about": 2 significant figures


def test_a_big_number_gets_a_human_scale_that_stays_true():
    figures = load_figures(ROOT / DATA).figures
    per_second = figures["exchanges_per_second"]
    # More than 28.8 million over 44 days of 86,400 seconds is 7.57... a second; "more than"
    # rounds down, so the page says "more than 7", which also holds over 45 calendar days.
    assert per_second.exact == Fraction(28_800_000, 44 * 86_400)
    assert format_figure(per_second) == "more than 7"
    assert Fraction(28_800_000, figures["campaign_calendar_days"].value * 86_400) > per_second.value


def test_a_rate_per_second_takes_a_count_then_a_duration(tmp_path):
    error = refused(tmp_path, append_figure("""\
        - id: days
          label: Days
          value: 44
          kind: duration
          sources: [paper]
        - id: backwards
          label: Backwards
          derive: {op: per_second, of: [days, exchanges]}
          kind: count
          sources: []
        """))
    assert "figures.yml:21: derived figure 'backwards': 'per_second' spreads a count over a duration" in str(error)


def test_each_kind_has_one_formatting_rule_and_its_variants():
    figures = load_figures(ROOT / DATA).figures
    assert format_figure(figures["alibaba_exchanges"]) == "more than 28.8 million"
    assert format_figure(figures["alibaba_exchanges"], "full", qualified=False) == "28,800,000"
    assert format_figure(figures["february_total"], qualified=False) == "16 million"
    assert format_figure(figures["alibaba_accounts"]) == "nearly 25,000"
    assert format_figure(figures["letter_date"]) == "June 10, 2026"
    assert format_figure(figures["letter_date"], "iso") == "2026-06-10"
    assert format_figure(figures["campaign_days"]) == "44 days"
    assert format_figure(figures["alibaba_vs_february"], qualified=False) == "1.7"
    assert {"28.8 million", "28,800,000"} <= set(typed_forms(figures["alibaba_exchanges"]))


# --- Bad input in the data file: file, line, what to do ---------------------

def test_malformed_yaml_names_the_file_and_line(tmp_path):
    error = refused(tmp_path, SMALL_DATA.replace("    kind: count", "    kind: [count"))
    assert re.search(r"figures\.yml:1[0-9]: not valid YAML", str(error)), str(error)


def test_duplicate_key_is_refused_not_silently_overwritten(tmp_path):
    error = refused(tmp_path, SMALL_DATA.replace("    value: 1000\n", "    value: 1000\n    value: 2000\n"))
    assert "figures.yml:12: duplicate key 'value' (first given on line 11)" in str(error)


def test_figure_with_no_source_is_refused(tmp_path):
    error = refused(tmp_path, SMALL_DATA.replace("sources: [paper]", "sources: []"))
    assert "figures.yml:13: figure 'exchanges' has no source" in str(error)


def test_unknown_source_id_is_refused(tmp_path):
    error = refused(tmp_path, SMALL_DATA.replace("sources: [paper]", "sources: [papr]"))
    assert "figures.yml:13: figure 'exchanges' names unknown source 'papr'" in str(error)
    assert "known sources: paper" in str(error)


def test_count_given_as_text_is_refused(tmp_path):
    error = refused(tmp_path, SMALL_DATA.replace("value: 1000", 'value: "1,000"'))
    assert "figures.yml:11: figure 'exchanges' is a count" in str(error)


def test_date_that_is_not_a_date_is_refused(tmp_path):
    error = refused(tmp_path, append_figure("""\
        - id: letter
          label: Letter
          value: June 10
          kind: date
          sources: [paper]
        """))
    assert "figures.yml:16: figure 'letter' is a date, but 'June 10' is not a date" in str(error)


def test_misspelt_field_is_refused(tmp_path):
    error = refused(tmp_path, SMALL_DATA.replace("    kind: count", "    knid: count"))
    assert "figures.yml:12: unknown field 'knid' in figure" in str(error)


def test_derived_figure_from_a_missing_figure_is_refused(tmp_path):
    error = refused(tmp_path, append_figure("""\
        - id: per_day
          label: Per day
          derive: {op: quotient, of: [exchanges, days]}
          kind: count
          sources: []
        """))
    assert "figures.yml:16: derived figure 'per_day' uses unknown figure 'days'" in str(error)


def test_derived_figures_in_a_cycle_are_refused(tmp_path):
    error = refused(tmp_path, append_figure("""\
        - id: first
          label: First
          derive: {op: sum, of: [exchanges, second]}
          kind: count
          sources: []
        - id: second
          label: Second
          derive: {op: sum, of: [exchanges, first]}
          kind: count
          sources: []
        """))
    assert "depends on itself: first -> second -> first" in str(error)
    assert re.search(r"figures\.yml:(16|21):", str(error))


def test_formulas_are_a_fixed_table_never_evaluated_code(tmp_path):
    error = refused(tmp_path, append_figure("""\
        - id: sneaky
          label: Sneaky
          derive: {op: "__import__('os').system('true')", of: [exchanges, exchanges]}
          kind: count
          sources: []
        """))
    assert "unknown operation" in str(error)


# --- Pages: the build fails and points at the page and line --------------------

def add_to_chapter(project, body: str) -> int:
    """Append a paragraph to a chapter; return the line number it starts on."""
    path = project / CHAPTER
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + body + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_unknown_figure_in_a_page_fails_build_with_page_and_line(project_copy):
    line = add_to_chapter(project_copy, "Intro.\n\nThe campaign used {{ fig:alibaba_acounts }} accounts.")
    result = build(project_copy)
    assert not result.ok
    assert f"docs/what-is-distillation.md:{line + 2}: unknown figure 'alibaba_acounts'" in result.output
    assert "alibaba_accounts" in result.output  # the close key it probably meant


def test_hand_typed_figure_fails_build_naming_file_line_and_key(project_copy):
    line = add_to_chapter(project_copy, "Anthropic alleges 28.8 million exchanges.")
    result = build(project_copy)
    assert not result.ok
    assert f"docs/what-is-distillation.md:{line}: the figure '28.8 million' is typed by hand" in result.output
    assert "{{ fig:alibaba_exchanges }}" in result.output


@pytest.mark.parametrize("typed, key", [("25,000 accounts", "alibaba_accounts"),
                                        ("about 655,000 a day", "exchanges_per_day"),
                                        ("on June 10, 2026", "letter_date"),
                                        ("it lasted 44 days", "campaign_days")])
def test_every_format_variant_counts_as_typed_by_hand(project_copy, typed, key):
    add_to_chapter(project_copy, f"Reports say {typed}.")
    result = build(project_copy)
    assert not result.ok
    assert f"{{{{ fig:{key} }}}}" in result.output


def test_a_deliberate_exception_is_allowed_one_occurrence_at_a_time(project_copy):
    add_to_chapter(project_copy, "One report rounds it to {{ typed:over 654,000 }} a day, "
                                "and {{ typed:28.8 million }} appears in its headline.")
    result = build(project_copy)
    assert result.ok, result.output
    html = (result.site / "what-is-distillation/index.html").read_text()
    assert "rounds it to over 654,000 a day" in html


def test_escaped_reference_shows_the_syntax_literally(project_copy):
    add_to_chapter(project_copy, "Write \\{{ fig:alibaba_exchanges }} to show a figure.")
    result = build(project_copy)
    assert result.ok, result.output
    html = (result.site / "what-is-distillation/index.html").read_text()
    assert "Write {{ fig:alibaba_exchanges }} to show a figure." in html


def test_a_heading_that_shows_a_figure_must_keep_its_own_id(project_copy):
    # Without an id of its own, the section's address would change with the figure.
    line = add_to_chapter(project_copy, "## The {{ fig:campaign_days }} campaign\n\nText.")
    result = build(project_copy)
    assert not result.ok
    assert f"docs/what-is-distillation.md:{line}: a heading with a figure in it needs its own id" in result.output

    page = project_copy / CHAPTER
    page.write_text(page.read_text().replace("campaign\n\nText.", "campaign { #the-campaign }\n\nText."))
    result = build(project_copy)
    assert result.ok, result.output
    assert 'id="the-campaign"' in (result.site / "what-is-distillation/index.html").read_text()


def test_malformed_data_file_fails_the_build_with_file_and_line(project_copy):
    data = project_copy / DATA
    data.write_text(data.read_text().replace("    kind: count\n", "    kind: count\n  bad indent: [\n", 1))
    result = build(project_copy)
    assert not result.ok
    assert re.search(r"data/figures\.yml:\d+: not valid YAML", result.output), result.output


# --- Readers see the figure, its source and its row on the numbers page ---------

def test_a_figure_in_a_page_is_marked_up_for_checking(built_site):
    html = (built_site / "index.html").read_text()
    match = re.search(r'<a class="fig" href="numbers/#fig-alibaba-exchanges" title="([^"]+)">'
                      r'more than 28.8 million</a>', html)
    assert match, "the home page shows the headline figure with its markup"
    assert "PYMNTS" in match.group(1)
    assert re.search(r'<a class="fig" href="numbers/#fig-letter-date" title="[^"]+">'
                     r'<time datetime="2026-06-10">June 10, 2026</time></a>', html), "a date says itself to machines"


def convert(text: str) -> str:
    """One page through Python-Markdown with our extension, as either build tool runs it."""
    md = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "distill_site.pages.markdown_ext"],
                           extension_configs={"distill_site.pages.markdown_ext": {
                               "data_file": str(ROOT / DATA), "docs_dir": str(ROOT / "docs"),
                               "takeaway": str(ROOT / "data" / "takeaway.yml")}})
    html = md.convert(text)
    assert "\x02" not in html and "\x03" not in html, "a placeholder leaked into the page"
    return html


def test_figures_in_a_sentence_keep_their_order_and_the_words_between():
    html = convert("**About {{ fig:alibaba_accounts }} accounts** made {{ fig:alibaba_exchanges | full bare }} "
                   "exchanges, {{ typed:over 654,000 }} a day, from {{ fig:campaign_days }}.")
    figures = load_figures(ROOT / DATA).figures
    text = re.sub(r"<[^>]+>", "", html)
    assert text == (f"About {format_figure(figures['alibaba_accounts'])} accounts made "
                    f"{format_figure(figures['alibaba_exchanges'], 'full', qualified=False)} exchanges, "
                    f"over 654,000 a day, from {format_figure(figures['campaign_days'])}."), text
    assert html.count('<a class="fig"') == 3


def test_a_figure_in_a_table_cell_does_not_split_the_cell():
    html = convert("| What | How many |\n| --- | --- |\n| Exchanges | {{ fig:alibaba_exchanges | full }} |\n")
    row = re.search(r"<tr>\s*<td>Exchanges</td>\s*<td>(.*?)</td>\s*</tr>", html, re.S)
    assert row and "more than 28,800,000</a>" in row.group(1), html


def test_a_reference_in_code_shows_as_written():
    # In raw HTML or alt text it is an error instead (tests/test_bad_pages.py).
    html = convert("Write `{{ fig:alibaba_accounts | full }}` in a page.\n\n"
                   "    {{ fig:campaign_days }}\n")
    assert "<code>{{ fig:alibaba_accounts | full }}</code>" in html
    assert "<code>{{ fig:campaign_days }}\n</code>" in html
    assert 'class="fig"' not in html


def test_numbers_page_lists_every_figure_with_its_sources_and_where_used(built_site):
    facts = load_figures(ROOT / DATA)
    html = (built_site / "numbers/index.html").read_text()
    for key, figure in facts.figures.items():
        row = re.search(rf'<tr>\s*<td><span id="fig-{key.replace("_", "-")}"></span>(.*?)</tr>', html, re.S)
        assert row, f"no row for {key}"
        for source in figure.sources:
            assert facts.sources[source].short.replace("'", "&#x27;") in row.group(1) or \
                facts.sources[source].short in row.group(1)
    headline = re.search(r'id="fig-alibaba-exchanges".*?</tr>', html, re.S).group(0)
    assert 'href="../what-is-distillation/"' in headline


def test_maintainer_changes_one_figure_and_every_page_follows(project_copy):
    used_on = [p for p in (project_copy / "docs").glob("*.md") if "fig:alibaba_exchanges" in p.read_text()]
    assert used_on, "some page shows the headline figure"
    correct_figure(project_copy, 28800000, 31200000)
    data = project_copy / DATA  # the sources' own words change with them
    data.write_text(data.read_text().replace("28.8 million", "31.2 million"))

    result = build(project_copy)
    assert result.ok, result.output
    for page in used_on:
        name = "index.html" if page.stem == "index" else f"{page.stem}/index.html"
        assert "31.2 million" in (result.site / name).read_text(), name
    numbers = (result.site / "numbers/index.html").read_text()
    assert "about 709,000" in numbers  # the average per day follows: 31,200,000 / 44
    everything = "\n".join(p.read_text(errors="replace") for p in result.site.rglob("*")
                           if p.is_file() and p.suffix in (".html", ".json", ".xml", ".txt"))
    everything = everything.replace("was 28.8 million, now", "")  # the correction notice says what it was
    for old in ("28.8 million", "28,800,000", "about 655,000", ">1.7<"):
        assert old not in everything, f"the old value {old} is still published"
    about = (result.site / "about/index.html").read_text()
    assert "was 28.8 million, now 31.2 million" in about and "was 28.8 million, now 31.2 million" in numbers


def test_figures_inside_snippets_are_replaced_too(project_copy):
    (project_copy / "docs/includes").mkdir(exist_ok=True)
    (project_copy / "docs/includes/key-figure.md").write_text(
        "Anthropic counted {{ fig:alibaba_accounts }} accounts.\n")
    add_to_chapter(project_copy, '--8<-- "key-figure.md"')
    result = build(project_copy)
    assert result.ok, result.output
    html = (result.site / "what-is-distillation/index.html").read_text()
    assert 'counted <a class="fig" href="../numbers/#fig-alibaba-accounts"' in html
    assert not (result.site / "includes").exists(), "snippets are not published as pages"


def test_an_unknown_figure_in_a_snippet_names_the_including_page(project_copy):
    (project_copy / "docs/includes").mkdir(exist_ok=True)
    (project_copy / "docs/includes/key-figure.md").write_text("It was {{ fig:no_such_figure }}.\n")
    add_to_chapter(project_copy, '--8<-- "key-figure.md"')
    result = build(project_copy)
    assert not result.ok
    assert "docs/what-is-distillation.md (in a snippet it includes)" in result.output
    assert "unknown figure 'no_such_figure'" in result.output


# --- Corrections: a published figure changes only with a recorded correction ------

def test_an_unrecorded_change_to_a_published_figure_fails_and_says_what_to_add(tmp_path):
    (tmp_path / "published.yml").write_text("exchanges: 1000\n", encoding="utf-8")
    error = refused(tmp_path, SMALL_DATA.replace("value: 1000", "value: 1200"))
    assert "figures.yml:9: figure 'exchanges' was published as 1000 and is now 1200" in str(error)
    assert "corrections: [{date: YYYY-MM-DD, old: 1000, new: 1200" in str(error)


def test_a_recorded_correction_is_shown_on_hover_and_accepted(tmp_path):
    (tmp_path / "published.yml").write_text("exchanges: 1000\n", encoding="utf-8")
    facts = load_text(tmp_path, SMALL_DATA.replace("value: 1000", textwrap.dedent("""\
        value: 1200
            corrections:
              - {date: 2026-07-01, old: 1000, new: 1200, why: The paper corrected itself., source: paper}""")))
    figure = facts.figures["exchanges"]
    assert [(c.old, c.new) for c in figure.corrections] == [(1000, 1200)]
    from distill_site.pages.presentation import figure_tooltip
    from distill_site.pages.takeaway import read_words
    words = read_words(ROOT / "data" / "takeaway.yml")
    assert "Corrected on July 1, 2026." in figure_tooltip(facts, figure, words)


def test_a_correction_that_does_not_end_at_the_value_is_refused(tmp_path):
    error = refused(tmp_path, SMALL_DATA.replace("value: 1000", textwrap.dedent("""\
        value: 1200
            corrections:
              - {date: 2026-07-01, old: 1000, new: 1100, why: A typo., source: paper}""")))
    assert "the last correction of figure 'exchanges' says the value became 1100, but its value is 1200" in str(error)
