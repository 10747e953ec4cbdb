"""A fact in words and addresses: what every renderer says about a figure,
a source, a term, a date or a correction.

The extension, the blocks, the charts, the readability measure and the
checks of declarations all ask here, so a figure's text, its anchor on the
numbers page, its tooltip with the sources' own words and a timeline's
date read the same everywhere. What depends only on the facts is
worked out once per load of the data file (``facts.remember``).
"""

from __future__ import annotations

import re

from ..facts import syntax
from ..facts.formatting import format_figure, format_value


# --- Addresses: the anchors teachers link to (listed in the URL contract) ---------------------

def figure_anchor(key: str) -> str:
    return "fig-" + key.replace("_", "-")


def source_anchor(source_id: str) -> str:
    return "src-" + source_id


def term_anchor(term: str) -> str:
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


# --- Words ------------------------------------------------------------------------------------

def plain_text(facts, text: str, *, unknown_as: str | None = None) -> str:
    """``text`` with each ``{{ fig:... }}`` / ``{{ typed:... }}`` replaced by the
    words a reader sees: the one substitution of references into words.

    A reference that names no figure raises ValueError, or reads as
    ``unknown_as`` where the page it is on reports it (the reading measure).
    A ``{{ source:id }}`` reads as its introduction the first time, then its name."""
    named: set[str] = set()

    def replace(match):
        body = match["body"]
        typed = syntax.TYPED.fullmatch(body)
        if typed:
            return typed["text"]
        if syntax.SOURCE.fullmatch(body):
            return _source_in_text(facts, body, named, unknown_as)
        try:
            ref = syntax.parse_figure(body, facts.figures)
        except ValueError:
            if unknown_as is None:
                raise
            return unknown_as
        return format_figure(facts.figures[ref.key], ref.variant, qualified=ref.qualified)
    return syntax.REFERENCE.sub(replace, text or "").replace("\\{{", "{{")


def source_words(facts, source_id: str, *, first: bool) -> str | None:
    """How a sentence names a source: its introduction the first time a page
    names it, its name after that (None if the data file gives neither)."""
    source = facts.sources[source_id]
    text = source.introduction if first else source.name
    return None if text is None else plain_text(facts, text)


def capitalised(words: str) -> str:
    """``words`` as they start a sentence: "the unsigned explainer" -> "The unsigned explainer"."""
    return words[:1].upper() + words[1:]


def _source_in_text(facts, body: str, named: set, unknown_as: str | None) -> str:
    try:
        ident = syntax.parse_source(body, facts.sources).id
    except ValueError:
        if unknown_as is None:
            raise
        return unknown_as
    words = source_words(facts, ident, first=ident not in named)
    named.add(ident)
    return words or facts.sources[ident].short


def cited_words(facts, citation, words) -> str:
    """A source's name and its own words, in the words file's ``tooltip`` texts:
    PYMNTS: “…more than 28.8 million interactions…”."""
    short = facts.sources[citation.source].short
    if citation.quote is None:
        return words.fill("tooltip", "unquoted", source=short)
    return words.fill("tooltip", "quoted", source=short, quote=citation.quote)


def figure_tooltip(facts, figure, words) -> str:
    """What a reader sees on hover: each source's words, or how we computed it (``words``: the words file's)."""
    return facts.remember(("tooltip", figure.id, words.of("tooltip")), lambda: _tooltip(facts, figure, words))


def _tooltip(facts, figure, words) -> str:
    parts = []
    if figure.is_derived:
        parts.append(words.fill("tooltip", "calculated",
                                inputs="; ".join(facts.figures[key].label for key in figure.derive.inputs)))
    if figure.citations:
        said = "; ".join(cited_words(facts, c, words) for c in figure.citations)
        parts.append(words.fill("tooltip", "also stated", sources=said) if figure.is_derived else said)
    if figure.corrections:
        parts.append(words.fill("tooltip", "corrected", date=format_value("date", figure.corrections[-1].date)))
    parts.append(words["tooltip", "details"])
    return " ".join(parts)


def stated_by(facts, figure) -> str:
    """Who states a figure, by short name, or which figures it is computed from."""
    if figure.sources:
        return "; ".join(facts.sources[s].short for s in figure.sources)
    inputs = ", ".join(facts.figures[k].label for k in figure.derive.inputs)
    return f"Our calculation from: {inputs}"


def correction_text(facts, figure, correction, words) -> str:
    """A correction in the words file's ``corrections`` words: when, the old and new value, why, who."""
    old, new = (format_value(figure.kind, v) for v in (correction.old, correction.new))
    return words.fill("corrections", "correction", date=format_value("date", correction.date), old=old, new=new,
                      why=correction.why.rstrip("."), source=facts.sources[correction.source].short)


# --- Dates of the timeline --------------------------------------------------------------------

def moment_text(facts, moment) -> str:
    """A timeline moment: a date figure's words, a month, or a day."""
    if moment.figure:
        return format_figure(facts.figures[moment.figure])
    return format_value("date", moment.date, "month" if moment.month_only else "long")


def event_when(facts, event, say=None) -> str:
    """"June 10, 2026", "June 2026" or "April 22 to June 5, 2026": a range in one
    year names the year once. ``say(moment, variant)`` writes one moment (the
    timeline's table links its figures); by default, its words."""
    if say is None:
        def say(moment, variant):
            return format_value("date", moment.date, variant) if variant else moment_text(facts, moment)
    start, end = event.when, event.until
    if not end:
        return say(start, None)
    same_year = not start.month_only and not end.month_only and start.date.year == end.date.year
    return f"{say(start, 'day' if same_year else None)} to {say(end, None)}"
