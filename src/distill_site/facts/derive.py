"""Derived figures: computed from other figures, never typed.

A derived figure declares an operation and its inputs::

    derive: {op: quotient, of: [total_exchanges, days]}

The operations are a fixed table of small Python functions, so nothing in
the data file is ever evaluated as code.

A result is no more precise than its inputs. A stated count is known to its
last non-zero digit (28800000 to the hundred thousand: 3 significant
figures); dates, and day counts made from them, are exact. A quotient or
ratio keeps the fewest significant figures of its inexact inputs; a sum or
difference is rounded to the coarsest place among them. The rounding goes
the way the derived figure's own qualifier allows ("more than" rounds
down), and ``significant:`` may ask for fewer figures, never more. The
unrounded result stays available as ``figure.exact``; readers see
``figure.value``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from .formatting import EXACT, as_fraction, round_to, rounding_of

# op name -> (number of inputs or None for two or more, input kinds, result kind)
OPERATIONS = {
    "days_between": (2, ("date",), "duration"),
    "calendar_days": (2, ("date",), "duration"),
    "quotient": (2, ("count", "duration", "ratio"), "count"),
    "per_second": (2, ("count", "duration"), "count"),
    "ratio": (2, ("count", "duration", "ratio"), "ratio"),
    "sum": (None, ("count",), "count"),
    "difference": (2, ("count",), "count"),
}
SECONDS_IN_A_DAY = 24 * 60 * 60
# The finest place a result of each kind is written to: a count is whole, a ratio has two decimals.
FINEST_PLACE = {"count": 0, "ratio": -2}


@dataclass(frozen=True)
class Formula:
    op: str
    inputs: tuple[str, ...]
    line: int
    significant: int | None = None  # fewer significant figures than the inputs allow, if asked
    significant_line: int | None = None


def read_formula(entry, what: str, fail) -> Formula:
    """Check the shape of a ``derive:`` mapping (inputs are checked later)."""
    spec = entry["derive"]
    line = entry.line_of("derive")
    if not isinstance(spec, dict) or set(spec) != {"op", "of"}:
        fail(line, f"{what}: 'derive' must be {{op: ..., of: [...]}}")
    op, inputs = spec["op"], spec["of"]
    if not isinstance(op, str) or op not in OPERATIONS:
        fail(line, f"{what}: unknown operation '{op}'", "use one of: " + ", ".join(OPERATIONS))
    arity = OPERATIONS[op][0]
    if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
        fail(line, f"{what}: 'of' must list figure keys, like [a, b]")
    if (arity and len(inputs) != arity) or len(inputs) < 2:
        fail(line, f"{what}: '{op}' takes {arity or 'two or more'} figures, got {len(inputs)}")
    expected = OPERATIONS[op][2]
    if entry["kind"] != expected:
        fail(entry.line_of("kind"), f"{what}: '{op}' gives a {expected}, but the kind says {entry['kind']}",
             f"set kind: {expected}")
    significant = entry.get("significant")
    if "significant" in entry:
        if isinstance(significant, bool) or not isinstance(significant, int) or significant < 1:
            fail(entry.line_of("significant"), f"{what}: 'significant' must be a whole number of "
                 f"significant figures, got {significant!r}", "write e.g. significant: 2")
        if expected not in FINEST_PLACE:
            fail(entry.line_of("significant"), f"{what}: a {expected} is exact; it takes no 'significant'")
    return Formula(op, tuple(inputs), line, significant,
                   entry.line_of("significant") if "significant" in entry else None)


def evaluate_all(figures: dict, fail) -> None:
    """Fill in the value of every derived figure, in dependency order.

    Every figure also gets ``exact`` (its unrounded value) and ``place``
    (the power of ten its value is known to, None if exact).
    """
    done: set[str] = set()

    def visit(key: str, chain: tuple[str, ...]) -> None:
        figure = figures[key]
        if key in done:
            return
        if not figure.is_derived:
            figure.exact, figure.place = figure.value, _stated_place(figure)
            done.add(key)
            return
        if key in chain:
            cycle = " -> ".join(chain[chain.index(key):] + (key,))
            fail(figure.derive.line, f"derived figure '{key}' depends on itself: {cycle}",
                 "a derived figure must come from stated figures in the end")
        for name in figure.derive.inputs:
            if name not in figures:
                fail(figure.derive.line, f"derived figure '{key}' uses unknown figure '{name}'")
            visit(name, chain + (key,))
        inputs = [figures[name] for name in figure.derive.inputs]
        figure.exact, place = _compute(figure, inputs, fail)
        figure.value, figure.place = _round(figure, place, fail)
        done.add(key)

    for key in figures:
        visit(key, ())


def _stated_place(figure) -> int | None:
    """A stated number is known to its last non-zero digit: 28800000 to 10**5, 1.74 to 10**-2."""
    if figure.kind not in ("count", "duration", "ratio"):
        return None
    try:
        number = as_fraction(figure.value)
    except (TypeError, ValueError):
        return None  # not a finite number: a formula that uses it fails, naming it
    if not number:
        return 0  # a zero is known to the unit
    place = 0
    while (number / Fraction(10) ** place).denominator == 1:
        place += 1
    place -= 1
    while (number / Fraction(10) ** place).denominator != 1:
        place -= 1
    return place


def _magnitude(number: Fraction) -> int:
    """The power of ten of the first digit: 2 for 654.5, -1 for 0.17."""
    number = abs(number)
    power = len(str(number.numerator)) - len(str(number.denominator))
    if Fraction(10) ** power > number:
        power -= 1
    if Fraction(10) ** (power + 1) <= number:
        power += 1
    return power


def significant_figures(number: Fraction, place: int) -> int:
    """How many significant figures ``number`` has when known to 10**place."""
    return _magnitude(number) - place + 1


def _compute(figure, inputs, fail) -> tuple[object, int | None]:
    """The exact result, and the place it is known to (None if exact)."""
    op = figure.derive.op
    line = figure.derive.line
    allowed = OPERATIONS[op][1]
    for source in inputs:
        if source.kind not in allowed:
            fail(line, f"derived figure '{figure.id}': '{op}' cannot use "
                 f"'{source.id}', a {source.kind}", "it takes: " + ", ".join(allowed))
    if op in ("days_between", "calendar_days"):
        first, last = (source.value for source in inputs)
        if not isinstance(first, dt.date) or last < first:
            fail(line, f"derived figure '{figure.id}': the second date is before the first")
        # days_between: days apart, as the sources count (April 22 to June 5 is 44);
        # calendar_days: both ends counted (45).
        return (last - first).days + (op == "calendar_days"), None
    values = []
    for source in inputs:
        try:
            values.append(as_fraction(source.exact))
        except (TypeError, ValueError):
            fail(line, f"derived figure '{figure.id}' uses '{source.id}', whose value "
                 f"{source.exact!r} is not a finite number", f"correct the value of '{source.id}'")
    inexact = [(value, source.place) for value, source in zip(values, inputs)
               if source.place is not None and value]
    if op == "per_second" and (inputs[0].kind, inputs[1].kind) != ("count", "duration"):
        fail(line, f"derived figure '{figure.id}': 'per_second' spreads a count over a duration in days",
             "write of: [a count, a duration]")
    if op == "per_second":
        values[1] *= SECONDS_IN_A_DAY  # a unit, not a fact of the case: exact, so it costs no precision
    if op in ("quotient", "ratio", "per_second"):
        numerator, denominator = values
        if not denominator:
            fail(line, f"derived figure '{figure.id}' divides by zero")
        exact = numerator / denominator
        if not inexact or not exact:
            return exact, None
        fewest = min(significant_figures(value, place) for value, place in inexact)
        return exact, _magnitude(exact) - fewest + 1
    exact = sum(values) if op == "sum" else values[0] - values[1]
    if not inexact:
        return exact, None
    place = max(place for _, place in inexact)
    if place > FINEST_PLACE[figure.kind] and abs(exact) < Fraction(10) ** place:
        fail(line, f"derived figure '{figure.id}': the result, {int(exact):,}, is smaller than the "
             f"{10 ** place:,} its inputs are known to, so no digit of it is certain",
             "use inputs stated more precisely, or drop this figure")
    return exact, place


def _round(figure, place: int | None, fail) -> tuple[object, int | None]:
    """The value readers see: ``figure.exact`` rounded to ``place``, the qualifier's way."""
    exact = figure.exact
    if figure.kind not in FINEST_PLACE:
        return exact, place  # day counts are exact
    formula = figure.derive
    if formula.significant and exact:
        allowed = significant_figures(exact, place) if place is not None else None
        if allowed is not None and formula.significant > allowed:
            fail(formula.significant_line, f"derived figure '{figure.id}' asks for {formula.significant} "
                 f"significant figures, but its inputs allow only {allowed}",
                 f"write significant: {allowed} or fewer, or leave it out")
        place = _magnitude(exact) - formula.significant + 1
    finest = FINEST_PLACE[figure.kind]
    if place is None and round_to(exact, Fraction(10) ** finest, EXACT) is None:
        place = finest  # exact inputs, but a count is whole and a ratio has two decimals
    elif place is not None and place < finest:
        place = finest
    rounding = rounding_of(figure.qualifier)
    value = exact if place is None else round_to(exact, Fraction(10) ** place, rounding)
    if value is None:
        fail(formula.significant_line or formula.line,
             f"derived figure '{figure.id}' has no qualifier, so it must be shown exactly, but its "
             f"result, {_digits(exact)}, can only be shown to {_digits(Fraction(10) ** place)}: "
             f"the qualifier and the display disagree",
             "add a qualifier that says which way it rounds: about, more than (down) or nearly (up)")
    return (int(value) if figure.kind == "count" else float(value)), place


def _digits(number: Fraction) -> str:
    """A number for an error message: 654,545.45…, 1,000, 0.01."""
    text = f"{float(number):,.2f}".rstrip("0").rstrip(".")
    return text if Fraction(text.replace(",", "")) == number else text + "…"
