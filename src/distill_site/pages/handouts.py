"""The PDF handouts a site offers: which pages each prints, and where it is served.

One handout per chapter (the extension's ``chapters`` in mkdocs.yml), and a
lesson pack: every chapter, then the pages ``lesson_pack`` names (the
glossary), in one file. With the ``worksheets:`` option, each chapter's
one-page worksheet too (``worksheet_handouts``; ``{{ block:worksheets }}``
lists them). ``{{ block:handouts }}`` lists them on the teachers'
page; ``distill_site.tools.handouts`` prints them, after the build, into
the site's ``handouts/`` folder. Both read this list, so a link and its
file cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass

from ..facts.formatting import format_value
from .takeaway import figure_sources

FOLDER = "handouts"
PACK = "lesson-pack"
WORKSHEET = "worksheet-"  # a worksheet's file name: worksheet-what-is-distillation.pdf
EXTENSION = "distill_site.pages.markdown_ext"


@dataclass(frozen=True)
class Handout:
    name: str  # the file's name without ".pdf": the chapter's, or the lesson pack's
    pages: tuple[str, ...]  # the Markdown files it prints, in order (docs-relative)
    title: str | None = None  # the lesson pack's; a chapter's comes from its front matter
    description: str | None = None

    @property
    def path(self) -> str:
        """Where it is served, from the site's root: handouts/what-is-distillation.pdf."""
        return f"{FOLDER}/{self.name}.pdf"

    @property
    def is_pack(self) -> bool:
        return self.name == PACK


def handouts(options: dict) -> list[Handout]:
    """The handouts the extension's options (from mkdocs.yml) describe: none without chapters."""
    chapters = tuple(options.get("chapters") or ())
    found = [Handout(posixpath.splitext(posixpath.basename(uri))[0], (uri,)) for uri in chapters]
    pack = options.get("lesson_pack") or {}
    if chapters and pack:
        found.append(Handout(PACK, chapters + tuple(pack.get("pages") or ()),
                             pack.get("title"), pack.get("description")))
    return found


def worksheet_page(options: dict, chapter: str) -> str:
    """A chapter's worksheet page (docs-relative), in the folder the ``worksheets:`` option names."""
    return posixpath.join((options.get("worksheets") or {}).get("folder") or "", chapter)


def worksheet_handouts(options: dict) -> list[Handout]:
    """One PDF per chapter's one-page worksheet (handouts/worksheet-<chapter>.pdf), if the site has worksheets."""
    if not options.get("worksheets"):
        return []
    return [Handout(f"{WORKSHEET}{posixpath.splitext(posixpath.basename(uri))[0]}", (worksheet_page(options, uri),))
            for uri in options.get("chapters") or ()]


def extension_options(site_config: dict) -> dict:
    """The options mkdocs.yml gives the site's Markdown extension ({} if it has none)."""
    for entry in site_config.get("markdown_extensions") or ():
        if isinstance(entry, dict) and EXTENSION in entry:
            return entry[EXTENSION] or {}
    return {}


def page_address(uri: str) -> str:
    """A page's address from the site's root, as MkDocs and Zensical serve it
    (directory URLs): "" for index.md, "what-is-distillation/" for what-is-distillation.md."""
    stem = posixpath.splitext(uri)[0]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-len("index")]
    return stem + "/"


def data_date(facts) -> dt.date | None:
    """The date the facts are "as of": the day they were last checked against the
    reports (facts_checked_on; None if the data file does not give it). The foot
    of every printed page and each chapter's {{ block:as-of }} both say it."""
    return facts.checked_on


def data_date_text(facts) -> str:
    """The date of the data as the pages write a date; "" if there is none."""
    date = data_date(facts)
    return format_value("date", date) if date else ""


def newest_report(facts, keys, source_ids=()) -> dt.date | None:
    """The date of the newest dated source that the figures ``keys`` cite (a
    derived figure: the figures it is computed from), or that ``source_ids`` name."""
    cited = set(source_ids)
    for key in keys:
        if key in facts.figures:
            cited.update(figure_sources(facts, facts.figures[key]))
    return max((facts.sources[i].date for i in cited if i in facts.sources and facts.sources[i].date), default=None)
