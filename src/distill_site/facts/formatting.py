"""One formatting rule per kind of figure, so every page agrees.

``format_figure`` is the only place a value becomes text; ``typed_forms``
lists the same texts, so that the hand-typed-figure check
(``typed_figures``, on pages and on the data file's own texts) recognises them.

A qualifier must stay true once the number is shortened: "more than 28.8
million" may only show a number at most the value, so each qualifier says
which way its number rounds (``QUALIFIER_ROUNDING``). A figure with no
qualifier is shown exactly; where a short form ("28.81 million") would not
be exact, it is shown in full digits ("28,812,345") rather than failing:
the reader still gets a true number, and the editor who wants it shorter
adds a qualifier ("about") that says it was rounded.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

# Variants a page may ask for, per kind: {{ fig:key | variant }}.
VARIANTS = {
    "count": ("short", "full"),
    "date": ("long", "iso", "day", "month"),
    "duration": ("long", "number"),
    "ratio": ("short",),
    "text": ("short",),
}
DEFAULT_VARIANT = {kind: names[0] for kind, names in VARIANTS.items()}

DOWN, UP, NEAREST, EXACT = "down", "up", "nearest", "exact"
# The qualifiers the data file may use, and which way each lets its number round.
QUALIFIER_ROUNDING = {
    # a lower bound: the number shown is at most the value
    "more than": DOWN, "over": DOWN, "at least": DOWN,
    # an upper bound: the number shown is at least the value
    "nearly": UP, "almost": UP, "under": UP, "less than": UP, "fewer than": UP,
    # either side, by at most half the last digit shown
    "about": NEAREST, "roughly": NEAREST, "approximately": NEAREST, "around": NEAREST,
}

# Short counts: "28.8 million", to two decimals of the largest unit that fits.
UNITS = ((10**6, "million"), (10**9, "billion"))
SHORT_PLACES = 2
RATIO_PLACES = 2


def rounding_of(qualifier: str | None) -> str:
    """Which way a number with this qualifier may round; EXACT without one."""
    if qualifier is None:
        return EXACT
    if qualifier not in QUALIFIER_ROUNDING:
        raise ValueError(f"unknown qualifier '{qualifier}'; use one of: {', '.join(QUALIFIER_ROUNDING)}")
    return QUALIFIER_ROUNDING[qualifier]


def as_fraction(value) -> Fraction:
    """A number exactly as written: a float means its shortest decimal (0.3 is 3/10)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def round_to(value: Fraction, step: Fraction, rounding: str) -> Fraction | None:
    """``value`` as a whole number of ``step``s, rounded the qualifier's way.

    EXACT gives None when ``value`` is not already a whole number of steps.
    Halves round up under NEAREST.
    """
    steps = Fraction(value) / step
    if rounding == DOWN:
        whole = math.floor(steps)
    elif rounding == UP:
        whole = math.ceil(steps)
    elif rounding == NEAREST:
        whole = math.floor(steps + Fraction(1, 2))
    elif steps.denominator == 1:
        whole = steps.numerator
    else:
        return None
    return whole * step


def _decimal_text(number: Fraction, places: int) -> str:
    """A whole number of 10**-places as plain digits, without trailing zeros: 28.8, 1.7, 16."""
    scaled = number * 10**places
    if scaled.denominator != 1:
        raise ValueError(f"{number} does not fit in {places} decimals")
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    whole, decimals = digits[:len(digits) - places], digits[len(digits) - places:].rstrip("0")
    return ("-" if scaled < 0 else "") + whole + (f".{decimals}" if decimals else "")


def _decimal_places(number: Fraction) -> int:
    """How many decimals ``number`` needs to be written exactly (1.745 needs 3)."""
    denominator, twos, fives = number.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        raise ValueError(f"{number} has no exact decimal form")
    return max(twos, fives)


def _short_count(value: int, rounding: str) -> str | None:
    """'28.8 million', or None where the count is shown in full digits.

    A number that rounds up to 1000 of a unit moves to the next unit
    ("nearly 1 billion", never "1000 million").
    """
    fitting = [index for index, (size, _) in enumerate(UNITS) if abs(value) >= size]
    if not fitting:
        return None  # under a million: every digit is shown
    for size, word in UNITS[fitting[-1]:]:
        shown = round_to(Fraction(value, size), Fraction(1, 10**SHORT_PLACES), rounding)
        if shown is None:
            return None  # no qualifier, and two decimals would not be exact
        if abs(shown) < 1000:
            return f"{_decimal_text(shown, SHORT_PLACES)} {word}"
    return None  # past the largest unit


def _count(value: int, variant: str, rounding: str) -> str:
    if variant == "short":
        short = _short_count(value, rounding)
        if short:
            return short
    return f"{value:,}"


def _ratio(value, rounding: str) -> str:
    exact = as_fraction(value)
    if rounding == EXACT:
        return _decimal_text(exact, _decimal_places(exact))  # every digit it has
    return _decimal_text(round_to(exact, Fraction(1, 10**RATIO_PLACES), rounding), RATIO_PLACES)


def _date(value: dt.date, variant: str) -> str:
    if variant == "iso":
        return value.isoformat()
    if variant == "day":
        return f"{value:%B} {value.day}"
    if variant == "month":
        return f"{value:%B} {value.year}"
    return f"{value:%B} {value.day}, {value.year}"


def _duration(value: int, variant: str) -> str:
    if variant == "number":
        return str(value)
    return f"{value} day" if value == 1 else f"{value} days"


def format_value(kind: str, value, variant: str | None = None, qualifier: str | None = None) -> str:
    """The text of ``value`` as a figure of ``kind`` in ``variant``, rounded
    the way ``qualifier`` allows (exactly without one)."""
    variant = variant or DEFAULT_VARIANT[kind]
    if variant not in VARIANTS[kind]:
        raise ValueError(f"a {kind} has no format '{variant}'; use one of: {', '.join(VARIANTS[kind])}")
    rounding = rounding_of(qualifier)
    if kind == "count":
        return _count(value, variant, rounding)
    if kind == "date":
        return _date(value, variant)
    if kind == "duration":
        return _duration(value, variant)
    if kind == "ratio":
        return _ratio(value, rounding)
    return str(value)


def format_figure(figure, variant: str | None = None, *, qualified: bool = True) -> str:
    """The figure as a reader sees it, with its qualifier ("more than") first.

    Without the qualifier (``| bare``) the number is still rounded its way.
    """
    text = format_value(figure.kind, figure.value, variant, figure.qualifier)
    if qualified and figure.qualifier:
        return f"{figure.qualifier} {text}"
    return text


def machine_value(figure) -> str:
    """The value for machines: a date's ``<time datetime>``; a number's digits."""
    if figure.kind == "date":
        return figure.value.isoformat()
    return str(figure.value)


def typed_forms(figure) -> list[str]:
    """Texts that, typed into a page, mean someone copied this figure by hand."""
    if figure.kind == "text":
        return []
    forms = {format_value(figure.kind, figure.value, variant, figure.qualifier)
             for variant in VARIANTS[figure.kind]}
    if figure.kind == "count":
        forms.add(str(figure.value))
        if figure.value >= 1_000_000:
            forms.add(format_value("count", figure.value, "short", figure.qualifier).replace(" million", "M"))
        if figure.value < 1000:  # a bare small number ("44") is ordinary prose
            forms.discard(str(figure.value))
    elif figure.kind == "date":
        forms.discard(format_value("date", figure.value, "month"))  # "June 2026" is shared by many events
        forms.add(f"{figure.value.day} {figure.value:%B} {figure.value.year}")
    elif figure.kind == "duration":
        forms.discard(str(figure.value))
        forms.add(f"{figure.value}-day")
    return sorted(forms, key=len, reverse=True)
