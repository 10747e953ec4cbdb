"""Load data/figures.yml into one validated model of the facts.

Everything the site says about numbers, dates and sources comes through
``load_figures``. It refuses anything it cannot vouch for: an unknown field,
a figure with no source, a value of the wrong type, a derived figure whose
inputs are missing or circular. Every refusal names the file and line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SiteError
from . import derive, syntax
from .formatting import QUALIFIER_ROUNDING
from .published import check_published, published_path
from .typed_figures import normalise, typed_figure_pattern
from .yaml_lines import LineList, LineMap, load_yaml

SOURCE_KINDS = ("news report", "letter", "company post", "opinion", "research paper")
FIGURE_KINDS = ("count", "date", "duration", "ratio", "text")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SOURCE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
URL_PATTERN = re.compile(r"https://[^\s<>\"'`\\{}]+")

# What the data file's texts may carry: plain words and punctuation, and
# {{ fig:key }} / {{ typed:... }} references. Whatever Markdown or HTML would
# act on is refused here, with its line (and blocks.safe() escapes it anyway).
# Square brackets alone, as in "[a description of an untitled letter]", are text.
MARKUP = (
    (re.compile(r"\]\s*[(\[]"), "a link or image, like [words](address)"),
    (re.compile(r"(?:^|\n)\s*\[[^\]]*\]:"), "a link definition, like [name]: address"),
    (re.compile(r"<\s*[A-Za-z/!?]"), "an HTML tag, like <b>"),
    (re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"), "an HTML character code, like &amp;"),
    (re.compile(r"\\"), "a backslash"),
    (re.compile(r"[{}]"), "a brace { or } outside a {{ fig:key }} reference"),
    (re.compile(r"`"), "a backtick"),
    (re.compile(r"[*_]"), "an emphasis marker, * or _"),
    (re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"), "an invisible control character"),
)

# A glossary term is explained on hover at every whole-word match, site-wide:
# a term made only of these (the commonest English function words) would mark
# up most sentences. Compared as written and capitalised, as the hover matches
# them, so an acronym such as "US" is still a possible term.
COMMON_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its just me more
most my no nor not now of off on once only or other our ours out over own same she should so
some such than that the their theirs them then there these they this those through to too
under until up upon very was we were what when where which while who whom why will with would
you your yours
""".split())

SOURCE_FIELDS = {"id": True, "short": True, "publisher": True, "title": True,
                 "kind": True, "archive": True, "date": False, "url": False, "note": False,
                 "name": False, "introduction": False}
# A source's `archive:` names its plain-text copy in the archive folder, or says
# `none`: then its quotes cannot be checked, and the check lists them as such.
NO_ARCHIVE = "none"
ARCHIVE_NAME_PATTERN = re.compile(r"^[\w.-]+$")
FIGURE_FIELDS = {"id": True, "label": True, "kind": True, "sources": True,
                 "value": False, "derive": False, "qualifier": False, "note": False,
                 "corrections": False, "significant": False}
CORRECTION_FIELDS = {"date": True, "old": True, "new": True, "why": True, "source": True}
EVENT_FIELDS = {"when": True, "text": True, "sources": True, "until": False}
CONFLICT_FIELDS = {"id": True, "topic": True, "claims": True, "note": False}
CLAIM_FIELDS = {"sources": True, "says": True}
TERM_FIELDS = {"term": True, "definition": True}
TOP_FIELDS = {"sources": True, "figures": True, "timeline": False,
              "conflicts": False, "glossary": False, "facts_checked_on": False, "as_of": False}
# The day the facts were last checked against the archived reports: each
# chapter says "as of" it ({{ block:as-of }}), and so does the foot of every printed page.
CHECKED_ON = "facts_checked_on"
# The words of that line: {checked} is the day, {newest} the date of the newest
# report the page's figures cite.
AS_OF = "as_of"
AS_OF_FIELDS = ("checked", "newest")


@dataclass(frozen=True)
class Source:
    id: str
    short: str
    publisher: str
    title: str
    kind: str
    archive: str | None  # the file name of its archived copy; None if there is none
    date: dt.date | None
    url: str | None
    note: str | None
    line: int
    # How a sentence names it ("the Washington news feature"), and the plain
    # words that introduce it the first time a page names it: {{ source:id }}.
    name: str | None = None
    introduction: str | None = None


@dataclass(frozen=True)
class Citation:
    """A source named for a claim, with the shortest words of that source that support it."""

    source: str
    quote: str | None  # None only where the source has no archived copy
    line: int


def _ids(citations) -> tuple[str, ...]:
    return tuple(c.source for c in citations)


@dataclass(frozen=True)
class Correction:
    """A published value corrected: when, from what, to what, why, on whose word."""

    date: dt.date
    old: object
    new: object
    why: str
    source: str
    line: int


@dataclass
class Figure:
    id: str
    label: str
    kind: str
    value: object
    qualifier: str | None
    citations: tuple[Citation, ...]
    note: str | None
    line: int
    derive: derive.Formula | None = None
    corrections: tuple[Correction, ...] = ()
    exact: object = None  # a derived figure's unrounded result; a stated one's value
    place: int | None = None  # the value is known to 10**place (5 for 28800000); None if exact

    @property
    def is_derived(self) -> bool:
        return self.derive is not None

    @property
    def sources(self) -> tuple[str, ...]:
        return _ids(self.citations)


@dataclass(frozen=True)
class Moment:
    """A point in the timeline: a day, or a month where that is all we know."""

    date: dt.date
    month_only: bool
    figure: str | None  # the date figure it comes from, if any


@dataclass(frozen=True)
class Event:
    when: Moment
    until: Moment | None
    text: str
    citations: tuple[Citation, ...]
    line: int

    @property
    def sources(self) -> tuple[str, ...]:
        return _ids(self.citations)


@dataclass(frozen=True)
class Claim:
    citations: tuple[Citation, ...]
    says: str

    @property
    def sources(self) -> tuple[str, ...]:
        return _ids(self.citations)


@dataclass(frozen=True)
class Conflict:
    id: str
    topic: str
    claims: tuple[Claim, ...]
    note: str | None
    line: int


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    line: int


@dataclass
class Facts:
    path: str
    sources: dict[str, Source]
    figures: dict[str, Figure]
    timeline: list[Event] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    glossary: list[Term] = field(default_factory=list)
    checked_on: dt.date | None = None  # facts_checked_on: None if the file does not give it
    as_of: str | None = None  # the words of a chapter's "as of" line, with {checked} and {newest}
    # Things computed from the facts once per load (regexes, tooltips), by name.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def remember(self, name, compute):
        if name not in self.memo:
            self.memo[name] = compute()
        return self.memo[name]

    def all_citations(self):
        """Every citation in the file, with what it supports: (citation, what)."""
        for figure in self.figures.values():
            for citation in figure.citations:
                yield citation, f"figure '{figure.id}'"
        for event in self.timeline:
            for citation in event.citations:
                yield citation, f"timeline event on line {event.line}"
        for conflict in self.conflicts:
            for claim in conflict.claims:
                for citation in claim.citations:
                    yield citation, f"conflict '{conflict.id}'"


class _Checker:
    """Validation helpers that know which file they are reading."""

    def __init__(self, path: str):
        self.path = path
        # Every text checked as prose: (text, line, what), for the checks that need the figures.
        self.texts: list[tuple[str, int, str]] = []

    def fail(self, line, problem, fix=""):
        raise SiteError(self.path, line, problem, fix)

    def fields(self, entry, allowed: dict, what: str, line: int) -> None:
        if not isinstance(entry, LineMap):
            self.fail(line, f"each {what} must be a mapping of fields, got {type(entry).__name__}")
        for name in entry:
            if name not in allowed:
                self.fail(entry.line_of(name), f"unknown field '{name}' in {what}",
                          "allowed: " + ", ".join(allowed))
        for name, required in allowed.items():
            if required and name not in entry:
                self.fail(entry.line, f"{what} has no '{name}'", f"add '{name}:'")
            if required and entry[name] is None:
                self.fail(entry.line_of(name), f"'{name}' of {what} is empty", f"give '{name}:' a value")

    def text(self, entry: LineMap, name: str, what: str) -> str | None:
        value = entry.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            read_as = "" if isinstance(value, str) else f", but YAML reads it as {type(value).__name__} {value!r}"
            self.fail(entry.line_of(name), f"'{name}' of {what} must be text{read_as}",
                      "if it is text, put it in quotes" if read_as else "")
        return value.strip()

    def prose(self, entry: LineMap, name: str, what: str) -> str | None:
        """A text shown to readers: plain words and {{ fig:key }} references only."""
        value = self.text(entry, name, what)
        if value is None:
            return None
        line, where = entry.line_of(name), f"'{name}' of {what}"
        words = syntax.REFERENCE.sub(_typed_words_only, value)
        for pattern, markup in MARKUP:
            found = pattern.search(words)
            if found:
                self.fail(line, f"{where} has {markup}: «{_around(words, found)}»",
                          "texts in the data file are plain words and {{ fig:key }} references; "
                          "write it without the markup, since the site shows it as typed")
        self.texts.append((value, line, where))
        return value

    def choice(self, entry: LineMap, name: str, allowed: tuple, what: str):
        value = entry[name]
        if value not in allowed:
            self.fail(entry.line_of(name), f"{what} has {name} '{value}'", "use one of: " + ", ".join(allowed))
        return value

    def list_of(self, entry: LineMap, name: str, what: str) -> list:
        value = entry.get(name)
        if not isinstance(value, list):
            self.fail(entry.line_of(name), f"'{name}' of {what} must be a list, like [a, b]")
        return value

    def citations(self, entry: LineMap, what: str, known: dict, *, allow_empty=False):
        """The entry's `sources:`, each an id with its quote (`- id: "words"`).

        A bare id is accepted only for a source with no archived copy: there
        are no archived words to quote.
        """
        items = self.list_of(entry, "sources", what)
        line = entry.line_of("sources")
        if not items and not allow_empty:
            self.fail(line, f"{what} has no source",
                      "every stated figure must name at least one source id")
        citations = []
        for item in items:
            if isinstance(item, LineMap) and len(item) == 1:
                (source_id, quote), = item.items()
                item_line = item.line
            elif isinstance(item, str):
                source_id, quote, item_line = item, None, line
            else:
                self.fail(getattr(item, "line", line), f"{what} lists {_shape(item)} among its sources",
                          'write each source as `- source-id: "its own words"`')
            if source_id not in known:
                self.fail(item_line, f"{what} names unknown source '{source_id}'",
                          "known sources: " + ", ".join(known))
            if quote is None and known[source_id].archive is not None:
                self.fail(item_line, f"{what} cites '{source_id}' without its words",
                          f'write `- {source_id}: "the shortest words of the source that say it"`')
            if quote is not None and (not isinstance(quote, str) or not quote.strip()):
                self.fail(item_line, f"{what}: the quote from '{source_id}' must be text",
                          "put the source's exact words in quotes")
            citations.append(Citation(source_id, quote.strip() if quote else None, item_line))
        if len(set(_ids(citations))) != len(citations):
            self.fail(line, f"{what} names a source twice")
        return tuple(citations)

    def entries(self, data: LineMap, name: str) -> list:
        value = data.get(name, [])
        if not isinstance(value, list):
            self.fail(data.line_of(name), f"'{name}' must be a list of entries (each starting with '- ')")
        for index, entry in enumerate(value):
            if not isinstance(entry, LineMap):
                line = value.line_of(index) if isinstance(value, LineList) else data.line_of(name)
                self.fail(line, f"each entry under '{name}' must be a set of fields (like 'id: ...'), "
                                f"got {_shape(entry)}", "indent the entry's fields under its '- '")
        return value


def load_figures(path: str | Path) -> Facts:
    """Read, validate and derive everything in the data file at ``path``."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteError(name, None, "data file not found",
                        "run the build from the project's top folder") from None
    data = load_yaml(text, name)
    check = _Checker(name)
    if not isinstance(data, LineMap):
        check.fail(1, "the data file must be a mapping with 'sources:' and 'figures:'")
    check.fields(data, TOP_FIELDS, "the data file", 1)

    sources = _read_sources(check, data)
    figures = _read_figures(check, data, sources)
    derive.evaluate_all(figures, check.fail)
    facts = Facts(
        path=name,
        sources=sources,
        figures=figures,
        timeline=[_read_event(check, e, sources, figures) for e in check.entries(data, "timeline")],
        conflicts=_read_conflicts(check, data, sources),
        glossary=_read_glossary(check, data),
        checked_on=_read_checked_on(check, data, figures),
        as_of=_read_as_of(check, data),
    )
    _check_references_in_texts(check, facts)
    check_published(facts, published_path(path))
    return facts


def _check_references_in_texts(check: _Checker, facts: Facts) -> None:
    """Every text in the data file, on its own line: its {{ fig:key }} must exist,
    and it must not type a figure by hand (the pages' lint, on the data's words)."""
    pattern, owner = facts.remember("typed_pattern", lambda: typed_figure_pattern(facts))
    for text, line, where in check.texts:
        for match in syntax.REFERENCE.finditer(text):
            if syntax.TYPED.fullmatch(match["body"]):
                continue
            try:
                syntax.parse_figure(match["body"], facts.figures)
            except ValueError as problem:
                check.fail(line, f"{where}: {problem}", "keys are the ids under 'figures:'")
        # Compared as a reader reads it: one kind of space, no capitals, plain digits.
        typed = pattern.search(normalise(syntax.REFERENCE.sub(" ", text)))
        if typed:
            form, key = owner[typed.group(0)]
            check.fail(line, f"{where} types the figure '{form}' by hand",
                       f"write {{{{ fig:{key} }}}} so it follows the figure; if the words "
                       f"must stay as written (a source's own wording), wrap them as {{{{ typed:{form} }}}}")


def _typed_words_only(match) -> str:
    """A reference, for the markup check: a {{ typed:... }}'s words, else a space."""
    typed = syntax.TYPED.fullmatch(match["body"])
    return typed["text"] if typed else " "


def _around(text: str, found) -> str:
    start, end = max(found.start() - 15, 0), min(found.end() + 15, len(text))
    return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")


def _shape(value) -> str:
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    return f"the value {value!r}"


def _unique_id(check, entry, seen: dict, pattern, what):
    ident = entry["id"]
    line = entry.line_of("id")
    if not isinstance(ident, str) or not pattern.match(ident):
        check.fail(line, f"{what} id '{ident}' is not allowed",
                   f"use lower case letters, digits and {'_' if what == 'figure' else '-'}")
    if ident in seen:
        check.fail(line, f"duplicate {what} id '{ident}' (first on line {seen[ident].line})")
    return ident


def _read_sources(check: _Checker, data: LineMap) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for entry in check.entries(data, "sources"):
        check.fields(entry, SOURCE_FIELDS, "source", data.line_of("sources"))
        ident = _unique_id(check, entry, sources, SOURCE_ID_PATTERN, "source")
        what = f"source '{ident}'"
        kind = check.choice(entry, "kind", SOURCE_KINDS, what)
        date = entry.get("date")
        if date is not None and not isinstance(date, dt.date):
            check.fail(entry.line_of("date"), f"{what} has date '{date}', which is not a date",
                       "write it as YYYY-MM-DD")
        archive = check.text(entry, "archive", what)
        if archive is None or not ARCHIVE_NAME_PATTERN.match(archive):
            check.fail(entry.line_of("archive"), f"{what} has archive '{archive}'",
                       f"give the file name of its copy in the archive folder, or '{NO_ARCHIVE}' if there is none")
        url = check.text(entry, "url", what)
        if url is not None and not URL_PATTERN.fullmatch(url):
            check.fail(entry.line_of("url"), f"{what} has url '{url}'",
                       "give a full https:// address, or leave the url out if none is known")
        sources[ident] = Source(
            id=ident, short=check.prose(entry, "short", what),
            publisher=check.prose(entry, "publisher", what),
            title=check.prose(entry, "title", what), kind=kind,
            archive=None if archive == NO_ARCHIVE else archive, date=date, url=url,
            note=check.prose(entry, "note", what), line=entry.line,
            name=check.prose(entry, "name", what), introduction=check.prose(entry, "introduction", what),
        )
    return sources


def _read_checked_on(check: _Checker, data: LineMap, figures: dict) -> dt.date | None:
    """facts_checked_on: a day (not a day and time); no correction may be newer,
    since a correction is made after checking the facts."""
    if CHECKED_ON not in data:
        return None
    value, line = data[CHECKED_ON], data.line_of(CHECKED_ON)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        check.fail(line, f"'{CHECKED_ON}' is {value!r}, which is not a date",
                   "write the day the facts were last checked against the reports as YYYY-MM-DD, unquoted")
    for figure in figures.values():
        for correction in figure.corrections:
            if correction.date > value:
                check.fail(correction.line, f"a correction of figure '{figure.id}' is dated {correction.date}, "
                           f"after {CHECKED_ON} ({value}, line {line})",
                           f"a correction is a check of the facts: set {CHECKED_ON} to the day you checked them")
    return value


def _read_as_of(check: _Checker, data: LineMap) -> str | None:
    """The words of the "as of" line: plain words, and only the fields it has."""
    value = check.text(data, AS_OF, "the data file")
    if value is None:
        return None
    line = data.line_of(AS_OF)
    try:
        fields = syntax.template_fields(value)
    except ValueError:
        check.fail(line, f"'{AS_OF}' has a brace {{ or }} that opens or closes no field",
                   "its fields are written {checked} and {newest}")
    for name in fields:
        if name not in AS_OF_FIELDS:
            check.fail(line, f"'{AS_OF}' has the field {{{name}}}, which is not one of its own",
                       "its fields are {checked} (the day the facts were checked) and {newest} "
                       "(the date of the newest report the page's figures cite)")
    words = value.format_map({name: "x" for name in AS_OF_FIELDS})
    for pattern, markup in MARKUP:
        found = pattern.search(words)
        if found:
            check.fail(line, f"'{AS_OF}' has {markup}: «{_around(words, found)}»",
                       "write plain words and the fields {checked} and {newest}")
    return value


def _read_figures(check: _Checker, data: LineMap, sources) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    for entry in check.entries(data, "figures"):
        check.fields(entry, FIGURE_FIELDS, "figure", data.line_of("figures"))
        ident = _unique_id(check, entry, figures, KEY_PATTERN, "figure")
        what = f"figure '{ident}'"
        kind = check.choice(entry, "kind", FIGURE_KINDS, what)
        has_value, has_formula = "value" in entry, "derive" in entry
        if has_value == has_formula:
            check.fail(entry.line, f"{what} needs exactly one of 'value' or 'derive'",
                       "type a stated figure's value, or declare how a derived one is computed")
        formula = derive.read_formula(entry, what, check.fail) if has_formula else None
        if "significant" in entry and not has_formula:
            check.fail(entry.line_of("significant"), f"{what}: only a derived figure takes 'significant'",
                       "a stated figure shows the digits its sources give")
        value = entry.get("value")
        if has_value:
            _check_type(check, entry, what, kind, value)
        figures[ident] = Figure(
            id=ident, label=check.prose(entry, "label", what), kind=kind, value=value,
            qualifier=check.choice(entry, "qualifier", tuple(QUALIFIER_ROUNDING), what)
            if "qualifier" in entry else None,
            citations=check.citations(entry, what, sources, allow_empty=has_formula),
            note=check.prose(entry, "note", what), line=entry.line, derive=formula,
            corrections=_read_corrections(check, entry, what, kind, sources),
        )
    return figures


def _read_corrections(check, entry, what, kind, sources) -> tuple[Correction, ...]:
    """A figure's corrections, oldest first; the last one must end at today's value."""
    if "corrections" not in entry:
        return ()
    if "derive" in entry:
        check.fail(entry.line_of("corrections"), f"{what} is derived, so it has no corrections of its own",
                   "record the correction on the stated figure it is computed from")
    corrections = []
    for item in check.list_of(entry, "corrections", what):
        check.fields(item, CORRECTION_FIELDS, f"correction of {what}", entry.line_of("corrections"))
        if not isinstance(item["date"], dt.date):
            check.fail(item.line_of("date"), f"a correction of {what} has date '{item['date']}'",
                       "write the day of the correction as YYYY-MM-DD")
        for name in ("old", "new"):
            _check_type(check, item, f"the correction's '{name}' of {what}", kind, item[name], name)
        source = item["source"]
        if source not in sources:
            check.fail(item.line_of("source"), f"a correction of {what} names unknown source '{source}'",
                       "known sources: " + ", ".join(sources))
        corrections.append(Correction(item["date"], item["old"], item["new"],
                                      check.prose(item, "why", f"correction of {what}"), source, item.line))
    corrections.sort(key=lambda c: c.date)
    if corrections and corrections[-1].new != entry["value"]:
        check.fail(corrections[-1].line, f"the last correction of {what} says the value became "
                   f"{corrections[-1].new!r}, but its value is {entry['value']!r}",
                   "record each change as its own correction, the newest ending at the value")
    return tuple(corrections)


def _check_type(check: _Checker, entry: LineMap, what: str, kind: str, value, name: str = "value") -> None:
    line = entry.line_of(name)
    if kind in ("count", "duration"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            check.fail(line, f"{what} is a {kind}, so its value must be a whole number, got {value!r}",
                       "write digits only, like 28800000, with no commas or words")
    elif kind == "ratio":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            check.fail(line, f"{what} is a ratio, so its value must be a finite number, got {value!r}")
    elif kind == "date":
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            check.fail(line, f"{what} is a date, but {value!r} is not a date",
                       "write it as YYYY-MM-DD, unquoted")
    elif not isinstance(value, str):
        check.fail(line, f"{what} is text, so its value must be text, got {value!r}")


def _read_moment(check, entry, name, what, figures) -> Moment:
    value = entry[name]
    line = entry.line_of(name)
    if isinstance(value, dt.date):
        return Moment(value, False, None)
    if isinstance(value, str) and MONTH_PATTERN.match(value):
        year, month = map(int, value.split("-"))
        return Moment(dt.date(year, month, 1), True, None)
    if isinstance(value, str) and value in figures:
        figure = figures[value]
        if figure.kind != "date":
            check.fail(line, f"{what} uses figure '{value}' as a date, but it is a {figure.kind}")
        return Moment(figure.value, False, value)
    check.fail(line, f"{what} has '{name}: {value}'",
               "use a date (YYYY-MM-DD), a month (YYYY-MM) or the key of a date figure")


def _read_event(check, entry, sources, figures) -> Event:
    check.fields(entry, EVENT_FIELDS, "timeline event", getattr(entry, "line", None))
    what = f"timeline event on line {entry.line}"
    when = _read_moment(check, entry, "when", what, figures)
    until = _read_moment(check, entry, "until", what, figures) if "until" in entry else None
    if until and until.date < when.date:
        check.fail(entry.line_of("until"), f"{what} ends before it starts")
    return Event(when, until, check.prose(entry, "text", what),
                 check.citations(entry, what, sources), entry.line)


def _read_conflicts(check, data, sources) -> list[Conflict]:
    conflicts, seen = [], {}
    for entry in check.entries(data, "conflicts"):
        check.fields(entry, CONFLICT_FIELDS, "conflict", data.line_of("conflicts"))
        ident = _unique_id(check, entry, seen, SOURCE_ID_PATTERN, "conflict")
        what = f"conflict '{ident}'"
        claims = []
        check.list_of(entry, "claims", what)
        for claim in check.entries(entry, "claims"):
            check.fields(claim, CLAIM_FIELDS, f"claim in {what}", entry.line)
            claims.append(Claim(check.citations(claim, f"claim in {what}", sources),
                                check.prose(claim, "says", f"a claim in {what}")))
        conflict = Conflict(ident, check.prose(entry, "topic", what), tuple(claims),
                            check.prose(entry, "note", what), entry.line)
        seen[ident] = conflict
        conflicts.append(conflict)
    return conflicts


def _read_glossary(check, data) -> list[Term]:
    terms, seen = [], set()
    for entry in check.entries(data, "glossary"):
        check.fields(entry, TERM_FIELDS, "glossary term", data.line_of("glossary"))
        term = check.prose(entry, "term", "glossary term")
        _check_term_is_rare(check, term, entry.line_of("term"))
        if term.lower() in seen:
            check.fail(entry.line_of("term"), f"glossary term '{term}' is defined twice")
        seen.add(term.lower())
        terms.append(Term(term, check.prose(entry, "definition", f"glossary term '{term}'"), entry.line))
    return terms


def _check_term_is_rare(check, term: str, line: int) -> None:
    """A term is explained wherever it appears, so it must not be an everyday word."""
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", term)
    if not words:
        check.fail(line, f"glossary term '{term}' has no letters",
                   "a glossary term is a word or phrase, explained wherever it appears")
    if all(word.lower() in COMMON_WORDS and word in (word.lower(), word.capitalize()) for word in words):
        check.fail(line, f"glossary term '{term}' is an everyday word",
                   "every occurrence on the site would be marked as a glossary term; choose a more specific term")
