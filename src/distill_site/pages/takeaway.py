"""What a teacher takes away, in the site's own words: a figure's citation,
a chart's source line and credit, the README of the data download.

A site declares its words file (``data/takeaway.yml``) with the figure
extension's ``takeaway:`` option in mkdocs.yml; without one, nothing here is
made. The file holds words only. Its texts may name fields in braces
(``{site}``), filled in here from a fixed list per text, so a misspelt field
fails the build with the file and line instead of being published as typed.

The date of the data is the one every page gives: the day the facts were
last checked against the reports (``facts_checked_on``, through
``handouts.data_date``), so a citation, the download and the chapters' "as
of" line agree. A reader's access date is theirs to fill in: a static page
cannot know it, so the citation's words leave room for it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
from ..facts import syntax
from ..facts.facts_cache import cached
from ..facts.formatting import format_figure, format_value
from ..facts.yaml_lines import LineMap, load_yaml
from .presentation import figure_anchor, plain_text

CITE_FIELDS = ("sources", "label", "shown", "site", "address", "dated")
LICENCE_FIELDS = ("licence", "licence address")
# Each text of the file, by where it is: the {fields} it may use.
TEXTS = {
    "licence": (),
    "licence address": (),
    "cite": {
        "summary": (),
        "stated": CITE_FIELDS,
        "derived": CITE_FIELDS,
        "source": ("name", "title"),
        "dated": ("date",),
    },
    "chart": {
        "download": (),
        "embed": (),
        "embed help": (),
        "sources": ("sources",),
        "credit": ("site", "address", *LICENCE_FIELDS),
        "page title": ("title", "site"),
    },
    "readme": ("site", "address", "dated", *LICENCE_FIELDS),
    "worksheet": {
        "name": (),
        "class": (),
        "date": (),
        "intro": ("chapter",),
        "key words": (),
        "questions": (),
        "tick": (),
        "discussion": (),
        "write": (),
        "pdf": (),
        "answers": (),
    },
    "numbers": {
        "figure": (),
        "value": (),
        "stated by": (),
        "used on": (),
        "derived": ("operation", "inputs"),
    },
    "quote": {
        "quoted": ("source", "quote"),
        "unquoted": ("source",),
    },
    "corrections": {
        "none": (),
        "correction": ("date", "old", "new", "why", "source"),
    },
    "sources list": {
        "kind": ("kind",),
    },
    "conflicts": {
        "reading": (),
    },
    "reading levels": {
        "chapter": (),
        "words": (),
        "reading time": (),
        "grade": (),
        "minutes": ("minutes",),
    },
    "tooltip": {
        "calculated": ("inputs",),
        "quoted": ("source", "quote"),
        "unquoted": ("source",),
        "also stated": ("sources",),
        "corrected": ("date",),
        "details": (),
    },
}
UNITS = "units"  # kind of figure -> its unit: words, no fields


@dataclass(frozen=True)
class Words:
    path: str
    texts: dict  # (section, name) or (name,) -> text
    units: dict[str, str]

    def fill(self, *where: str, **values) -> str:
        """The text at ``where`` with its fields filled in (``licence_address`` fills {licence address})."""
        text = self.texts[where]
        return text.format_map({name.replace("_", " "): value for name, value in values.items()})

    def __getitem__(self, where) -> str:
        return self.texts[where if isinstance(where, tuple) else (where,)]

    def of(self, section: str) -> tuple:
        """A section's texts, as a key for what is worked out from them (a figure's tooltip)."""
        return tuple(text for where, text in self.texts.items() if where[0] == section)


def cached_words(path: str | Path) -> Words:
    """The words file, read once per build and again when it changes, as the facts are."""
    return cached(path, read_words)


def read_words(path: str | Path) -> Words:
    """The words file at ``path``, every text checked; a problem names the file and line."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteError("mkdocs.yml", None, f"the takeaway words file {name} does not exist",
                        "give the path of the words file (data/takeaway.yml), relative to the project's folder, "
                        "or remove the takeaway: option") from None
    data = load_yaml(text, name)
    if not isinstance(data, LineMap):
        raise SiteError(name, 1, "the takeaway words file must be a set of fields, one 'name: value' a line")
    texts: dict[tuple[str, ...], str] = {}
    _read_texts(name, data, TEXTS, (), texts, 1)
    units = data.get(UNITS) or {}
    if not isinstance(units, LineMap) or not all(isinstance(v, str) for v in units.values()):
        raise SiteError(name, data.line_of(UNITS), "'units' must be a set of 'kind: unit' lines, like 'duration: days'")
    return Words(name, texts, dict(units))


def _read_texts(name: str, entry: LineMap, spec: dict, where: tuple, texts: dict, at: int) -> None:
    """Every text of ``spec`` in ``entry`` (whose own key is on line ``at``), checked."""
    what = f"'{where[-1]}'" if where else "the takeaway words file"
    known = set(spec) | ({UNITS} if not where else set())
    for key in entry:
        if key not in known:
            raise SiteError(name, entry.line_of(key), f"unknown field '{key}' in {what}",
                            "its fields are: " + ", ".join(sorted(known)))
    for key, wanted in spec.items():
        line = entry.line_of(key)
        if key not in entry:
            raise SiteError(name, at, f"{what} has no '{key}'", f"add a line '{key}: …'")
        value = entry[key]
        if isinstance(wanted, dict):
            if not isinstance(value, LineMap):
                raise SiteError(name, line, f"'{key}' must be a set of fields, one 'name: value' a line, indented under it")
            _read_texts(name, value, wanted, (*where, key), texts, line)
            continue
        if not isinstance(value, str) or not value.strip():
            raise SiteError(name, line, f"'{key}' must be text", "if it is text, put it in quotes")
        _check_fields(name, line, key, value, wanted)
        texts[(*where, key)] = value


def _check_fields(name: str, line: int, key: str, text: str, allowed: tuple[str, ...]) -> None:
    try:
        fields = syntax.template_fields(text)
    except ValueError:
        raise SiteError(name, line, f"'{key}' has a brace {{ or }} that opens or closes no field",
                        "a field is written {name}; a brace as such is written twice, {{ or }}") from None
    for field in fields:
        if field not in allowed:
            known = ", ".join("{" + f + "}" for f in allowed) or "none"
            raise SiteError(name, line, f"'{key}' has the field {{{field}}}, which is not one of its own",
                            f"its fields are: {known}")


# --- The date of the data -----------------------------------------------------------------

def dated(words: Words, date: dt.date | None) -> str:
    return words.fill("cite", "dated", date=format_value("date", date)) if date else ""


# --- Addresses ------------------------------------------------------------------------------

def page_address(uri: str) -> str:
    """A page's address from the site's root, for its Markdown file: "numbers.md" -> "numbers/"."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def absolute(site_url: str, path: str) -> str:
    """``path`` (from the site's root) on the site's address."""
    return posixpath.join(site_url if site_url.endswith("/") else site_url + "/", path)


# --- What a figure and a chart are credited to --------------------------------------------

def figure_sources(facts, figure) -> list[str]:
    """The sources a figure rests on: its own, then (derived) those of its inputs, each once."""
    found: list[str] = []
    for source in figure.sources:
        if source not in found:
            found.append(source)
    if figure.is_derived:
        for key in figure.derive.inputs:
            for source in figure_sources(facts, facts.figures[key]):
                if source not in found:
                    found.append(source)
    return found


def source_in_citation(words: Words, facts, source_id: str) -> str:
    source = facts.sources[source_id]
    parts = [words.fill("cite", "source", name=plain_text(facts, source.short),
                        title=plain_text(facts, source.title))]
    if source.date:
        parts.append(format_value("date", source.date))
    if source.url:
        parts.append(source.url)
    return ", ".join(parts)


def citation(words: Words, facts, figure, *, site: str, numbers_address: str, date: dt.date | None) -> str:
    """The figure's sources first, then this site: its row's address and the date of the data."""
    sources = "; ".join(source_in_citation(words, facts, s) for s in figure_sources(facts, figure))
    return words.fill("cite", "derived" if figure.is_derived else "stated", sources=sources,
                      label=plain_text(facts, figure.label), shown=format_figure(figure), site=site,
                      address=f"{numbers_address}#{figure_anchor(figure.id)}", dated=dated(words, date))


def chart_source_line(words: Words, facts, keys) -> str | None:
    """"Sources: …" for the figures a chart shows, by the sources' short names; None if it shows none."""
    found: list[str] = []
    for key in keys:
        for source in figure_sources(facts, facts.figures[key]):
            if source not in found:
                found.append(source)
    if not found:
        return None
    return words.fill("chart", "sources", sources="; ".join(plain_text(facts, facts.sources[s].short) for s in found))


def chart_credit(words: Words, *, site: str, address: str) -> str:
    return words.fill("chart", "credit", site=site, address=address, licence=words["licence"],
                      licence_address=words["licence address"])
