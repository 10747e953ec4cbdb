"""Check that every quote in the data file is the source's own words.

Each citation in ``data/figures.yml`` carries the shortest words of its
source that support the claim. This check finds each quote in the source's
archived plain-text copy (a folder of files, named by each source's
``archive:`` field). It compares after normalising what a copy-and-paste
changes without changing the words: runs of whitespace, curly and straight
quotes, the different dashes, and the ellipsis character.

A quote that is not found fails, with the data file's line, the source and
the nearest passage in the archive. A source whose ``archive:`` is ``none``
has no copy to check against: its citations are listed as not verified.

The archive (``../shared/sources``) is not part of the project: the articles
are others' copyright. Where the folder is absent (a stranger's clone) the
check says so and stops without failing - except under CI, where it must run.

Usage: ``python -m distill_site.checks.quotes [--archive DIR] [--data FILE]``
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
from ..facts.figures import load_figures

DEFAULT_ARCHIVE = Path("../shared/sources")
DEFAULT_DATA = Path("data/figures.yml")

_SAME = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00a0": " ",
})


def normalise(text: str) -> str:
    """The words as a reader would compare them: quotes, dashes and spacing made plain."""
    text = text.translate(_SAME).replace("\u2026", "...")
    # A dash may be set with or without spaces around it ("a—b", "a — b").
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Finding:
    line: int
    source: str
    what: str
    quote: str | None
    nearest: str = ""

    def describe(self, data_file: str) -> str:
        if self.quote is None:
            return f"{data_file}:{self.line}: {self.what} cites '{self.source}' (no archived copy)"
        return (f"{data_file}:{self.line}: {self.what}: the quote from '{self.source}' is not in its "
                f"archived text\n    quote:   «{self.quote}»\n    nearest: «{self.nearest}»")


def nearest_passage(quote: str, text: str, context: int = 3) -> str:
    """The stretch of ``text`` most like ``quote``, with a few words either side."""
    words, size = text.split(" "), max(1, len(quote.split(" ")))
    best, best_ratio = 0, -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote.lower())
    for start in range(0, max(1, len(words) - size + 1)):
        matcher.set_seq1(" ".join(words[start:start + size]).lower())
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = start, ratio
    return " ".join(words[max(0, best - context):best + size + context])


def archived_texts(facts, archive: Path) -> dict[str, str]:
    """Each archived source's text, normalised, by source id."""
    texts = {}
    for source in facts.sources.values():
        if source.archive is None:
            continue
        path = archive / source.archive
        if not path.is_file():
            raise SiteError(facts.path, source.line,
                            f"source '{source.id}' names archive '{source.archive}', but {path} does not exist",
                            "check the file name, or write 'archive: none' if there is no copy")
        texts[source.id] = normalise(path.read_text(encoding="utf-8"))
    return texts


def is_quoted(citation, texts: dict[str, str]) -> bool:
    return normalise(citation.quote) in texts[citation.source]


def check_quotes(data_file: str | Path, archive: Path) -> tuple[list[Finding], list[Finding]]:
    """(quotes not found, citations that cannot be verified) for the data file."""
    facts = load_figures(data_file)
    texts = archived_texts(facts, archive)
    missing, unverified = [], []
    for citation, what in facts.all_citations():
        if citation.source not in texts:
            unverified.append(Finding(citation.line, citation.source, what, None))
        elif not is_quoted(citation, texts):
            missing.append(Finding(citation.line, citation.source, what, citation.quote,
                                   nearest_passage(normalise(citation.quote), texts[citation.source])))
    return missing, unverified


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE,
                        help="folder of the sources' plain-text copies (default: %(default)s)")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the data file (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.archive.is_dir():
        if os.environ.get("CI"):
            print(f"check_quotes: the archive folder {args.archive} is missing; CI must check quotes.",
                  file=sys.stderr)
            return 1
        print(f"check_quotes: skipped: no archive folder at {args.archive} "
              "(the sources are not part of the project; pass --archive DIR).")
        return 0
    try:
        missing, unverified = check_quotes(args.data, args.archive)
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    for finding in unverified:
        print("not verified: " + finding.describe(args.data))
    for finding in missing:
        print(finding.describe(args.data), file=sys.stderr)
    checked = sum(1 for _ in load_figures(args.data).all_citations()) - len(unverified)
    print(f"check_quotes: {checked - len(missing)} of {checked} quotes found in the archive; "
          f"{len(unverified)} citations of sources with no archived copy not verified.")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
