"""Derived figures: computed from other figures, never typed.

A derived figure declares an operation and its inputs::

    derive: {op: quotient, of: [alibaba_exchanges, campaign_days]}

The operations are a fixed table of small Python functions, so nothing in
the data file is ever evaluated as code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# op name -> (number of inputs or None for two or more, input kinds, result kind)
OPERATIONS = {
    "days_between": (2, ("date",), "duration"),
    "quotient": (2, ("count", "duration", "ratio"), "count"),
    "ratio": (2, ("count", "duration", "ratio"), "ratio"),
    "sum": (None, ("count",), "count"),
    "difference": (2, ("count",), "count"),
}


@dataclass(frozen=True)
class Formula:
    op: str
    inputs: tuple[str, ...]
    line: int


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
    return Formula(op, tuple(inputs), line)


def evaluate_all(figures: dict, fail) -> None:
    """Fill in the value of every derived figure, in dependency order."""
    done: set[str] = set()

    def visit(key: str, chain: tuple[str, ...]) -> None:
        figure = figures[key]
        if key in done or not figure.is_derived:
            return
        if key in chain:
            cycle = " -> ".join(chain[chain.index(key):] + (key,))
            fail(figure.derive.line, f"derived figure '{key}' depends on itself: {cycle}",
                 "a derived figure must come from stated figures in the end")
        for name in figure.derive.inputs:
            if name not in figures:
                fail(figure.derive.line, f"derived figure '{key}' uses unknown figure '{name}'")
            visit(name, chain + (key,))
        figure.value = _compute(figure, [figures[name] for name in figure.derive.inputs], fail)
        done.add(key)

    for key in figures:
        visit(key, ())


def _compute(figure, inputs, fail):
    op = figure.derive.op
    allowed = OPERATIONS[op][1]
    for source in inputs:
        if source.kind not in allowed:
            fail(figure.derive.line, f"derived figure '{figure.id}': '{op}' cannot use "
                 f"'{source.id}', a {source.kind}", "it takes: " + ", ".join(allowed))
    values = [source.value for source in inputs]
    if op == "days_between":
        first, last = values
        if not isinstance(first, dt.date) or last < first:
            fail(figure.derive.line, f"derived figure '{figure.id}': the second date is before the first")
        # Plain subtraction, as the sources count it (April 22 to June 5 is 44 days).
        return (last - first).days
    if op in ("quotient", "ratio"):
        numerator, denominator = values
        if not denominator:
            fail(figure.derive.line, f"derived figure '{figure.id}' divides by zero")
        return round(numerator / denominator) if op == "quotient" else round(numerator / denominator, 2)
    if op == "sum":
        return sum(values)
    return values[0] - values[1]
