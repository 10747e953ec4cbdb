"""One formatting rule per kind of figure, so every page agrees.

``format_figure`` is the only place a value becomes text; ``typed_forms``
lists the same texts, and ``typed_figure_pattern`` finds them, so that the
hand-typed-figure check (of pages and of the data file's own texts) recognises them.
"""

from __future__ import annotations

import datetime as dt
import re

# Variants a page may ask for, per kind: {{ fig:key | variant }}.
VARIANTS = {
    "count": ("short", "full"),
    "date": ("long", "iso", "day", "month"),
    "duration": ("long", "number"),
    "ratio": ("short",),
    "text": ("short",),
}
DEFAULT_VARIANT = {kind: names[0] for kind, names in VARIANTS.items()}


def _count(value: int, variant: str) -> str:
    if variant == "short":
        for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
            if value >= size:
                number = f"{value / size:.2f}".rstrip("0").rstrip(".")
                return f"{number} {word}"
    return f"{value:,}"


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


def format_value(kind: str, value, variant: str | None = None) -> str:
    """The text of ``value`` as a figure of ``kind`` in ``variant``."""
    variant = variant or DEFAULT_VARIANT[kind]
    if variant not in VARIANTS[kind]:
        raise ValueError(f"a {kind} has no format '{variant}'; use one of: {', '.join(VARIANTS[kind])}")
    if kind == "count":
        return _count(value, variant)
    if kind == "date":
        return _date(value, variant)
    if kind == "duration":
        return _duration(value, variant)
    if kind == "ratio":
        return f"{value:.2f}"
    return str(value)


def format_figure(figure, variant: str | None = None, *, qualified: bool = True) -> str:
    """The figure as a reader sees it, with its qualifier ("more than") first."""
    text = format_value(figure.kind, figure.value, variant)
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
    forms = {format_value(figure.kind, figure.value, variant) for variant in VARIANTS[figure.kind]}
    if figure.kind == "count":
        forms.add(str(figure.value))
        if figure.value >= 1_000_000:
            forms.add(format_value("count", figure.value, "short").replace(" million", "M"))
        if figure.value < 1000:  # a bare small number ("44") is ordinary prose
            forms.discard(str(figure.value))
    elif figure.kind == "date":
        forms.discard(format_value("date", figure.value, "month"))  # "June 2026" is shared by many events
        forms.add(f"{figure.value.day} {figure.value:%B} {figure.value.year}")
    elif figure.kind == "duration":
        forms.discard(str(figure.value))
        forms.add(f"{figure.value}-day")
    return sorted(forms, key=len, reverse=True)


def typed_figure_pattern(facts) -> tuple[re.Pattern, dict[str, str]]:
    """One regex for every hand-typed form of every figure, longest first."""
    owner: dict[str, str] = {}
    for figure in facts.figures.values():
        for form in typed_forms(figure):
            owner.setdefault(form, figure.id)
    forms = sorted(owner, key=len, reverse=True)
    alternation = "|".join(re.escape(form) for form in forms) or r"(?!x)x"
    # Ruling a position out by its first character first makes the scan
    # of every page about twice as fast.
    first = re.escape("".join(sorted({form[0] for form in forms}))) or "x"
    return re.compile(rf"(?<![\w.,])(?=[{first}])(?:{alternation})(?![\w]|[.,]\d)"), owner
