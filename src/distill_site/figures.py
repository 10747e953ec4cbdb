"""Load data/figures.yml into one validated model of the facts.

Everything the site says about numbers, dates and sources comes through
``load_figures``. It refuses anything it cannot vouch for: an unknown field,
a figure with no source, a value of the wrong type, a derived figure whose
inputs are missing or circular. Every refusal names the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import derive, syntax
from .errors import SiteError
from .formatting import typed_figure_pattern
from .yaml_lines import LineList, LineMap, load_yaml

SOURCE_KINDS = ("news report", "letter", "company post", "opinion")
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
                 "kind": True, "date": False, "url": False, "note": False}
FIGURE_FIELDS = {"id": True, "label": True, "kind": True, "sources": True,
                 "value": False, "derive": False, "qualifier": False, "note": False}
EVENT_FIELDS = {"when": True, "text": True, "sources": True, "until": False}
CONFLICT_FIELDS = {"id": True, "topic": True, "claims": True, "note": False}
CLAIM_FIELDS = {"sources": True, "says": True}
TERM_FIELDS = {"term": True, "definition": True}
TOP_FIELDS = {"sources": True, "figures": True, "timeline": False,
              "conflicts": False, "glossary": False}


@dataclass(frozen=True)
class Source:
    id: str
    short: str
    publisher: str
    title: str
    kind: str
    date: dt.date | None
    url: str | None
    note: str | None
    line: int


@dataclass
class Figure:
    id: str
    label: str
    kind: str
    value: object
    qualifier: str | None
    sources: tuple[str, ...]
    note: str | None
    line: int
    derive: derive.Formula | None = None

    @property
    def is_derived(self) -> bool:
        return self.derive is not None


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
    sources: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Claim:
    sources: tuple[str, ...]
    says: str


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
    # Things computed from the facts once per load (regexes, tooltips), by name.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def remember(self, name, compute):
        if name not in self.memo:
            self.memo[name] = compute()
        return self.memo[name]


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

    def source_ids(self, entry: LineMap, what: str, known: dict, *, allow_empty=False):
        ids = self.list_of(entry, "sources", what)
        line = entry.line_of("sources")
        if not ids and not allow_empty:
            self.fail(line, f"{what} has no source",
                      "every stated figure must name at least one source id")
        for source_id in ids:
            if not isinstance(source_id, str):
                self.fail(line, f"{what} lists {_shape(source_id)} among its sources",
                          "list source ids only, like [s1-feature, s3-pymnts]")
            if source_id not in known:
                self.fail(line, f"{what} names unknown source '{source_id}'",
                          "known sources: " + ", ".join(known))
        if len(set(ids)) != len(ids):
            self.fail(line, f"{what} names a source twice")
        return tuple(ids)

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
    )
    _check_references_in_texts(check, facts)
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
        typed = pattern.search(syntax.REFERENCE.sub(lambda m: " " * len(m.group(0)), text))
        if typed:
            check.fail(line, f"{where} types the figure '{typed.group(0)}' by hand",
                       f"write {{{{ fig:{owner[typed.group(0)]} }}}} so it follows the figure; if the words "
                       f"must stay as written (a source's own wording), wrap them as {{{{ typed:{typed.group(0)} }}}}")


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
        url = check.text(entry, "url", what)
        if url is not None and not URL_PATTERN.fullmatch(url):
            check.fail(entry.line_of("url"), f"{what} has url '{url}'",
                       "give a full https:// address, or leave the url out if none is known")
        sources[ident] = Source(
            id=ident, short=check.prose(entry, "short", what),
            publisher=check.prose(entry, "publisher", what),
            title=check.prose(entry, "title", what), kind=kind, date=date, url=url,
            note=check.prose(entry, "note", what), line=entry.line,
        )
    return sources


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
        value = entry.get("value")
        if has_value:
            _check_type(check, entry, what, kind, value)
        figures[ident] = Figure(
            id=ident, label=check.prose(entry, "label", what), kind=kind, value=value,
            qualifier=check.text(entry, "qualifier", what),
            sources=check.source_ids(entry, what, sources, allow_empty=has_formula),
            note=check.prose(entry, "note", what), line=entry.line, derive=formula,
        )
    return figures


def _check_type(check: _Checker, entry: LineMap, what: str, kind: str, value) -> None:
    line = entry.line_of("value")
    if kind in ("count", "duration"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            check.fail(line, f"{what} is a {kind}, so its value must be a whole number, got {value!r}",
                       "write digits only, like 28800000, with no commas or words")
    elif kind == "ratio":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            check.fail(line, f"{what} is a ratio, so its value must be a number, got {value!r}")
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
                 check.source_ids(entry, what, sources), entry.line)


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
            claims.append(Claim(check.source_ids(claim, f"claim in {what}", sources),
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
