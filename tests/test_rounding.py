"""Words that round truthfully, and derived figures no more precise than their inputs.

An editor writes "more than" in the data file; whatever the site prints after
it must still be true. A reader trusts "more than 654,000 a day" because the
site never shows more digits than the reports it adds up. These tests read
what the site prints back into a number and hold it against the true value,
over many values (hypothesis), and tell the stories where the build must stop.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from distill_site.facts import derive
from distill_site.errors import SiteError
from distill_site.facts.figures import Citation, Figure, load_figures
from distill_site.facts.formatting import (DOWN, EXACT, NEAREST, QUALIFIER_ROUNDING, UP, VARIANTS,
                                     format_figure, format_value, rounding_of, typed_forms)
from distill_site.facts.typed_figures import normalise, typed_figure_pattern

# Fast and quiet: no example database written into the work tree.
PROPERTY = settings(max_examples=100, deadline=None, database=None)

QUALIFIERS = st.sampled_from([None, *QUALIFIER_ROUNDING])
UNIT_SIZE = {"million": 10**6, "billion": 10**9}
SHOWN = re.compile(r"(?P<number>-?[\d,]+(?:\.(?P<decimals>\d+))?)(?: (?P<unit>million|billion))?")

# Counts as the data file holds them: round ones (28800000) as often as ragged ones,
# and many next to a unit boundary (999,999,999).
ROUND_COUNTS = st.builds(lambda digits, zeros: digits * 10**zeros, st.integers(1, 99_999), st.integers(0, 9))
NEAR_BOUNDARY = st.builds(lambda size, offset: size + offset, st.sampled_from([10**6, 10**9, 10**12]),
                          st.integers(-10**7, 10**7)).filter(lambda n: n >= 0)
COUNTS = st.one_of(st.integers(0, 10**13), ROUND_COUNTS, NEAR_BOUNDARY)
RATIOS = st.one_of(st.floats(0, 1000, allow_nan=False, allow_infinity=False),
                   st.decimals(0, 100, places=3).map(float),
                   st.decimals(0, 100, places=2).map(float))


def read_back(text: str) -> tuple[Fraction, Fraction]:
    """The number a reader takes from ``text`` ("16.55 million"), and the last digit's size."""
    match = SHOWN.fullmatch(text)
    assert match, f"not a number as the site writes one: {text!r}"
    number = match["number"]
    if match["unit"]:
        assert "," not in number, text
        assert len(match["decimals"] or "") <= 2, text
    elif "," in number:
        assert f"{int(number.replace(',', '')):,}" == number, f"commas misplaced in {text!r}"
    shown = Fraction(Decimal(number.replace(",", "")))
    last_digit = Fraction(1, 10 ** len(match["decimals"] or ""))
    if match["unit"]:
        size = UNIT_SIZE[match["unit"]]
        shown, last_digit = shown * size, Fraction(size, 100)  # two decimals of the unit, zeros dropped
    return shown, last_digit


def assert_true_to(qualifier, shown: Fraction, value: Fraction, last_digit: Fraction, text: str):
    rounding = rounding_of(qualifier)
    if rounding == DOWN:
        assert shown <= value, f"'{qualifier} {text}' but the value is {value}"
    elif rounding == UP:
        assert shown >= value, f"'{qualifier} {text}' but the value is {value}"
    elif rounding == NEAREST:
        assert abs(shown - value) <= last_digit / 2, f"'{qualifier} {text}' but the value is {value}"
    else:
        assert shown == value, f"'{text}' without a qualifier, but the value is {value}"


def stated(key: str, kind: str, value, qualifier=None) -> Figure:
    return Figure(id=key, label=key, kind=kind, value=value, qualifier=qualifier,
                  citations=(Citation("paper", None, 1),), note=None, line=1)


def derived(key: str, kind: str, op: str, inputs, qualifier=None, significant=None) -> Figure:
    formula = derive.Formula(op, tuple(inputs), line=40, significant=significant,
                             significant_line=41 if significant else None)
    return Figure(id=key, label=key, kind=kind, value=None, qualifier=qualifier,
                  citations=(), note=None, line=39, derive=formula)


def fail(line, problem, fix=""):
    raise SiteError("data/figures.yml", line, problem, fix)


def evaluate(*figures: Figure) -> dict:
    table = {figure.id: figure for figure in figures}
    derive.evaluate_all(table, fail)
    return table


def stated_significant(count: int) -> int:
    """The definition the editors use: digits with trailing zeros stripped."""
    return len(str(count).rstrip("0"))


def significant_digits(value) -> int:
    digits = format(Decimal(repr(value)), "f").replace(".", "").replace("-", "")
    return len(digits.lstrip("0").rstrip("0"))


def power_of_first_digit(number: Fraction) -> int:
    power, number = 0, abs(number)
    while Fraction(10) ** power > number:
        power -= 1
    while Fraction(10) ** (power + 1) <= number:
        power += 1
    return power


# --- What the site prints keeps its qualifier true ------------------------------

@PROPERTY
@given(value=COUNTS, qualifier=QUALIFIERS, variant=st.sampled_from(VARIANTS["count"]))
def test_a_count_as_printed_is_true_to_its_qualifier(value, qualifier, variant):
    text = format_value("count", value, variant, qualifier)
    shown, last_digit = read_back(text)
    assert_true_to(qualifier, shown, Fraction(value), last_digit, text)
    number, _, unit = text.partition(" ")
    if unit:  # never "1000 million": a number that reaches 1000 takes the next unit
        assert Fraction(Decimal(number)) < 1000, text


@PROPERTY
@given(value=RATIOS, qualifier=QUALIFIERS)
def test_a_ratio_as_printed_is_true_to_its_qualifier(value, qualifier):
    text = format_value("ratio", value, qualifier=qualifier)
    shown, last_digit = read_back(text)
    # The data file's 0.3 means three tenths, not the binary float nearest to it.
    assert_true_to(qualifier, shown, Fraction(Decimal(repr(value))), last_digit, text)
    if qualifier:
        assert last_digit >= Fraction(1, 100), f"{text}: a ratio shows at most two decimals"


@PROPERTY
@given(value=st.one_of(st.floats(), st.sampled_from([float("nan"), float("inf"), -float("inf")])),
       qualifier=QUALIFIERS)
def test_a_ratio_never_prints_nan_or_inf(value, qualifier):
    if not math.isfinite(value):
        with pytest.raises(ValueError, match="not a finite number"):
            format_value("ratio", value, qualifier=qualifier)
        return
    text = format_value("ratio", value, qualifier=qualifier)
    assert re.fullmatch(r"-?\d+(\.\d+)?", text), text


@PROPERTY
@given(size=st.sampled_from([10**6, 10**9]), below=st.integers(1, 5_000), qualifier=QUALIFIERS)
def test_rounding_up_to_a_thousand_of_a_unit_promotes_the_unit(size, below, qualifier):
    value = 1000 * size - below * (size // 10**6)  # within a hair of 1000 million / 1000 billion
    text = format_value("count", value, "short", qualifier)
    if rounding_of(qualifier) in (UP, NEAREST):
        assert text == ("1 billion" if size == 10**6 else f"{value:,}"), text
    assert not re.match(r"1,?000(\.0+)? (million|billion)", text), text


@PROPERTY
@given(value=COUNTS, qualifier=QUALIFIERS)
def test_the_typed_figure_check_knows_every_text_the_site_prints(value, qualifier):
    figure = stated("exchanges", "count", value, qualifier)
    pattern, owner = typed_figure_pattern(SimpleNamespace(figures={"exchanges": figure}))
    for variant in VARIANTS["count"]:
        printed = format_figure(figure, variant, qualified=False)
        if value < 1000:
            continue  # a small bare number ("44") is ordinary prose, never flagged
        assert printed in typed_forms(figure)
        found = pattern.search(normalise(f"Reports say {format_figure(figure, variant)} exchanges."))
        assert found and owner[found.group(0)] == (printed, "exchanges"), (printed, found)


def test_the_examples_from_the_issue():
    assert format_value("count", 3_399_999, qualifier="over") == "3.39 million"  # was "3.4 million": false
    assert format_value("count", 999_999_999, qualifier="nearly") == "1 billion"  # was "1000 million"
    assert format_value("count", 999_999_999, qualifier="about") == "1 billion"
    assert format_value("count", 999_999_999, qualifier="over") == "999.99 million"
    assert format_value("count", 28_812_345) == "28,812,345"  # "28.81 million" would not be exact
    assert format_value("count", 28_810_000) == "28.81 million"
    assert format_value("count", 28_812_345, "full", "about") == "28,812,345"
    assert format_value("ratio", 1.745, qualifier="about") == "1.75"
    assert format_value("ratio", 1.745, qualifier="over") == "1.74"
    assert format_value("ratio", 1.741, qualifier="nearly") == "1.75"
    assert format_value("ratio", 1.745) == "1.745"  # exact: every digit it has


def test_every_qualifier_has_one_of_the_three_directions():
    assert set(QUALIFIER_ROUNDING.values()) == {DOWN, UP, NEAREST}
    assert rounding_of(None) == EXACT
    for words, way in (("more than", DOWN), ("over", DOWN), ("nearly", UP), ("under", UP),
                       ("less than", UP), ("almost", UP), ("about", NEAREST), ("roughly", NEAREST),
                       ("approximately", NEAREST), ("around", NEAREST)):
        assert QUALIFIER_ROUNDING[words] == way, words


# --- Derived figures: no more precise than their inputs --------------------------

INPUTS = st.one_of(
    st.tuples(st.just("count"), st.one_of(ROUND_COUNTS, st.integers(1, 10**9))),
    st.tuples(st.just("days"), st.integers(1, 400)),  # a day count from two dates: exact
)


def input_figures(key: str, spec) -> list[Figure]:
    kind, value = spec
    if kind == "count":
        return [stated(key, "count", value)]
    start = dt.date(2026, 1, 1)
    return [stated(f"{key}_start", "date", start), stated(f"{key}_end", "date", start + dt.timedelta(value)),
            derived(key, "duration", "days_between", [f"{key}_start", f"{key}_end"])]


def assert_rounded_to(figure: Figure, place: int, qualifier):
    value, exact = Fraction(Decimal(repr(figure.value))), Fraction(figure.exact)
    assert value % Fraction(10) ** place == 0, f"{figure.value} shows digits finer than 10**{place}"
    assert_true_to(qualifier or "about", value, exact, Fraction(10) ** place, str(figure.value))
    assert abs(value - exact) < Fraction(10) ** place


@PROPERTY
@given(first=INPUTS, second=INPUTS, op=st.sampled_from(["quotient", "ratio"]), qualifier=QUALIFIERS)
@example(first=("count", 245), second=("days", 175), op="ratio", qualifier=None)  # 1.4: exact, but not as a float
def test_a_quotient_keeps_the_fewest_significant_figures_of_its_inputs(first, second, op, qualifier):
    kind = derive.OPERATIONS[op][2]
    try:
        figures = evaluate(*input_figures("a", first), *input_figures("b", second),
                           derived("result", kind, op, ["a", "b"], qualifier))
    except SiteError as error:
        assert qualifier is None and "the qualifier and the display disagree" in str(error), error
        assert str(error).startswith("data/figures.yml:40:"), error
        return
    result = figures["result"]
    exact = Fraction(first[1], second[1])
    assert result.exact == exact
    counts = [value for kind_, value in (first, second) if kind_ == "count"]
    finest = derive.FINEST_PLACE[kind]
    if not counts:  # two day counts: exact, as far as the kind can show
        assert_rounded_to(result, finest, qualifier)
        return
    fewest = min(stated_significant(value) for value in counts)
    assert significant_digits(result.value) <= fewest, (result.value, fewest)
    assert_rounded_to(result, max(power_of_first_digit(exact) - fewest + 1, finest), qualifier)
    if qualifier is None:  # shown exactly: the value as written (a ratio is a float) is the exact result
        assert Fraction(Decimal(repr(result.value))) == exact


@PROPERTY
@given(counts=st.lists(st.one_of(ROUND_COUNTS, st.integers(1, 10**9)), min_size=2, max_size=4),
       op=st.sampled_from(["sum", "difference"]), qualifier=QUALIFIERS)
def test_a_sum_or_difference_is_rounded_to_the_coarsest_place_of_its_inputs(counts, op, qualifier):
    counts = counts if op == "sum" else counts[:2]
    keys = [f"n{i}" for i in range(len(counts))]
    parts = [stated(key, "count", value) for key, value in zip(keys, counts)]
    exact = sum(counts) if op == "sum" else counts[0] - counts[1]
    coarsest = max(len(str(value)) - stated_significant(value) for value in counts)
    try:
        figures = evaluate(*parts, derived("result", "count", op, keys, qualifier))
    except SiteError as error:
        if coarsest > 0 and abs(exact) < 10**coarsest:
            assert "no digit of it is certain" in str(error), error
        else:
            assert qualifier is None and "the qualifier and the display disagree" in str(error), error
        return
    assert figures["result"].exact == exact
    assert_rounded_to(figures["result"], coarsest, qualifier)


@PROPERTY
@given(numerator=ROUND_COUNTS, days=st.integers(1, 400), asked=st.integers(1, 12),
       qualifier=st.sampled_from(list(QUALIFIER_ROUNDING)))
def test_significant_may_only_lower_the_precision(numerator, days, asked, qualifier):
    allowed = stated_significant(numerator)
    try:
        figures = evaluate(stated("total", "count", numerator), *input_figures("days", ("days", days)),
                           derived("per_day", "count", "quotient", ["total", "days"], qualifier, asked))
    except SiteError as error:
        assert asked > allowed, error
        assert f"data/figures.yml:41: derived figure 'per_day' asks for {asked} significant figures, " \
               f"but its inputs allow only {allowed}" in str(error)
        return
    assert asked <= allowed
    result = figures["per_day"]
    assert significant_digits(result.value) <= asked
    assert_rounded_to(result, max(power_of_first_digit(result.exact) - asked + 1, 0), qualifier)


def test_nan_or_infinite_inputs_never_reach_a_derived_figure():
    for bad in (float("nan"), float("inf")):
        with pytest.raises(SiteError) as caught:
            evaluate(stated("big", "ratio", bad), stated("small", "ratio", 2.0),
                     derived("share", "ratio", "ratio", ["big", "small"], "about"))
        assert "data/figures.yml:40: derived figure 'share' uses 'big'" in str(caught.value)
        assert "is not a finite number" in str(caught.value)


# --- The editor's stories, through the real loader --------------------------------

DATA = """\
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
    value: 28800000
    kind: count
    qualifier: more than
    sources: [paper]
  - id: start
    label: Start
    value: 2026-04-22
    kind: date
    sources: [paper]
  - id: end
    label: End
    value: 2026-06-05
    kind: date
    sources: [paper]
  - id: days_apart
    label: Days apart
    derive: {op: days_between, of: [start, end]}
    kind: duration
    sources: []
  - id: calendar
    label: Calendar days
    derive: {op: calendar_days, of: [start, end]}
    kind: duration
    sources: []
  - id: per_day
    label: Per day
    derive: {op: quotient, of: [exchanges, days_apart]}
    kind: count
    qualifier: more than
    sources: []
"""
PER_DAY_DERIVE_LINE = DATA.splitlines().index("    derive: {op: quotient, of: [exchanges, days_apart]}") + 1


def load(tmp_path, text):
    path = tmp_path / "figures.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_figures(path).figures


def refused(tmp_path, text) -> str:
    with pytest.raises(SiteError) as caught:
        load(tmp_path, text)
    return str(caught.value)


def test_a_derived_rate_shows_no_more_digits_than_the_total_it_divides(tmp_path):
    figures = load(tmp_path, DATA)
    assert figures["per_day"].exact == Fraction(28_800_000, 44)  # 654,545.45…: our arithmetic
    assert format_figure(figures["per_day"]) == "more than 654,000"  # not "more than 654,545"


def test_days_apart_and_calendar_days_are_two_conventions(tmp_path):
    figures = load(tmp_path, DATA)
    assert figures["days_apart"].value == 44  # April 22 to June 5, days apart
    assert figures["calendar"].value == 45  # both ends counted


def test_an_editor_asks_for_fewer_figures_with_significant(tmp_path):
    text = DATA.replace("    qualifier: more than\n    sources: []\n",
                        "    qualifier: about\n    significant: 2\n    sources: []\n")
    assert format_figure(load(tmp_path, text)["per_day"]) == "about 650,000"


def test_asking_for_more_figures_than_the_inputs_have_names_the_line(tmp_path):
    text = DATA.replace("    qualifier: more than\n    sources: []\n",
                        "    qualifier: more than\n    significant: 4\n    sources: []\n")
    line = text.splitlines().index("    significant: 4") + 1
    assert (f"figures.yml:{line}: derived figure 'per_day' asks for 4 significant figures, "
            "but its inputs allow only 3") in refused(tmp_path, text)


def test_significant_on_a_stated_figure_is_refused(tmp_path):
    text = DATA.replace("    value: 28800000\n", "    value: 28800000\n    significant: 2\n")
    assert "figures.yml:12: figure 'exchanges': only a derived figure takes 'significant'" in refused(tmp_path, text)


def test_an_unknown_qualifier_is_refused_with_its_line(tmp_path):
    error = refused(tmp_path, DATA.replace("qualifier: more than\n    sources: [paper]",
                                           "qualifier: well over\n    sources: [paper]"))
    assert "figures.yml:13: figure 'exchanges' has qualifier 'well over'" in error
    assert "more than" in error and "about" in error  # the words it may use


def test_a_derived_figure_without_a_qualifier_must_be_exact(tmp_path):
    text = DATA.replace("    qualifier: more than\n    sources: []\n", "    sources: []\n")
    error = refused(tmp_path, text)
    assert f"figures.yml:{PER_DAY_DERIVE_LINE}: derived figure 'per_day' has no qualifier" in error
    assert "the qualifier and the display disagree" in error


def test_division_by_zero_names_the_line(tmp_path):
    text = DATA.replace("value: 2026-06-05", "value: 2026-04-22")
    assert f"figures.yml:{PER_DAY_DERIVE_LINE}: derived figure 'per_day' divides by zero" in refused(tmp_path, text)


@pytest.mark.parametrize("written", [".nan", ".inf", "-.inf"])
def test_a_ratio_that_is_not_a_finite_number_is_refused(tmp_path, written):
    text = DATA.replace("    value: 28800000\n    kind: count\n", f"    value: {written}\n    kind: ratio\n")
    # The loader refuses YAML's words for "not a number" and infinity before the figure is read.
    assert f"figures.yml:11: '{written}' is not a number a figure can have" in refused(tmp_path, text)
