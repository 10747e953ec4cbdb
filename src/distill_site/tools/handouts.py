"""Print the chapters to PDF handouts, after the build, with the site's print stylesheet.

What a teacher downloads from the teachers' page (``{{ block:handouts }}``):
one PDF per chapter and a lesson pack (every chapter, then the glossary,
each from a new sheet), and each chapter's one-page worksheet
(``{{ block:worksheets }}``), in the site's ``handouts/`` folder. The list is
``distill_site.pages.handouts``, read from mkdocs.yml, so the links and the
files agree.

Each page is printed by Debian's headless Chromium (``tools/chromium.py``,
the DevTools protocol on a pipe, one browser for all) from the built files,
at the page's published address, so the links in the PDF lead to the site.
The print rules are the ones a reader's browser uses
(``overrides/assets/stylesheets/print.css``). The paper is A4's width by US
Letter's height (210 x 279.4 mm): a handout prints on either, unscaled. The
PDFs' dates are the last commit's (SOURCE_DATE_EPOCH) and their internal ids
are numbered in order, so two builds of one commit give the same files
(without git history, the dates are the time they were made).

Without Chromium the step says it SKIPPED the handouts and makes none; the
link and URL checks are then told (``--unbuilt handouts``) and say what
they did not check. A build for publishing (PUBLISH=1) or under CI needs
Chromium and fails without it: a link to a missing PDF is never published.

Usage: ``python -m distill_site.tools.handouts site [--config mkdocs.yml] [--chromium /usr/bin/chromium]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sys
from pathlib import Path

from ..checks import built_site
from ..errors import SiteError
from ..pages.handouts import FOLDER, Handout, extension_options, handouts, page_address, worksheet_handouts
from ..site_config import read_site_config
from . import chromium
from .site_address import for_publishing

PAPER_INCHES = (8.27, 11.0)  # A4's width, US Letter's height
INSTALL = "sudo apt-get install chromium; make test installs it"
# The lesson pack: the first page is opened, the others' articles are added
# after its own (print.css starts each on a new sheet). Its pages are all as
# deep in the site (print_handouts checks), so their relative links mean the
# same in the first page.
APPEND_PAGES = """(async urls => {
  let last = document.querySelector("article");
  for (const url of urls) {
    const page = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
    const article = document.adoptNode(page.querySelector("article"));
    last.after(article);
    last = article;
  }
  await document.fonts.ready;
  return document.querySelectorAll("article").length;
})(%s)"""
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:\d{14}[^)]*)\)")
PDF_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")
PDF_NODE_ID = re.compile(rb"\((node\d+)\)")


def required(environ=os.environ) -> bool:
    """Under CI or for publishing, a build without handouts is a failure."""
    return bool(environ.get("CI")) or for_publishing(environ)


def fixed_dates(pdf: bytes, epoch: int) -> bytes:
    """The PDF with its creation and change dates set to ``epoch`` (same length, so
    its cross-reference table still holds)."""
    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'").encode()

    def replace(match):
        return match.group(0) if len(match.group(2)) != len(stamp) else b"/%s (%s)" % (match.group(1), stamp)
    return PDF_DATE.sub(replace, pdf)


def numbered_ids(pdf: bytes) -> bytes:
    """The PDF with its structure elements' ids numbered from 1 in their order.

    A tagged PDF names elements by the page's DOM node ids ("node00003141"),
    which Chromium hands out as it needs them, a few sooner or later from
    one run to the next (seen in the lesson pack). Renumbered by rank, at
    the same width, they keep their order (the id tree is sorted) and the
    file its length (its cross-reference table still holds)."""
    found = sorted(set(PDF_NODE_ID.findall(pdf)))
    renamed = {old: b"node%0*d" % (len(old) - 4, rank) for rank, old in enumerate(found, 1)}
    return PDF_NODE_ID.sub(lambda match: b"(" + renamed[match[1]] + b")", pdf)


def page_count(pdf: bytes) -> int:
    return len(PDF_PAGE.findall(pdf))


def line_of(config: Path, uri: str) -> int | None:
    """The line of the configuration that names ``uri`` (a chapter or a pack page)."""
    lines = config.read_text(encoding="utf-8").splitlines() if config.is_file() else []
    return next((number for number, line in enumerate(lines, 1) if line.strip() == f"- {uri}"), None)


def check_pages(site: Path, config: Path, found: list[Handout]) -> None:
    """Every page a handout prints was built, and a pack's pages share a folder."""
    for handout in found:
        for uri in handout.pages:
            if not (site / page_address(uri) / "index.html").is_file():
                raise SiteError(str(config), line_of(config, uri),
                                f"the handout '{handout.name}' prints {uri}, which was not built",
                                "name pages of the nav under chapters: and lesson_pack: pages:")
            if page_address(uri).count("/") != page_address(handout.pages[0]).count("/"):
                raise SiteError(str(config), line_of(config, uri),
                                f"the handout '{handout.name}' prints {uri}, which is not in the same folder "
                                f"as {handout.pages[0]}: its relative links would lead elsewhere",
                                "print pages of one folder together")


def print_handouts(site: Path, base_url: str, found: list[Handout], binary: str, epoch: int | None) -> dict[str, int]:
    """Print every handout into ``site/handouts/``; their page counts by file name.

    Written to a folder beside it and moved in when all are done, so a
    failed run leaves no half set behind."""
    partial = site / f".{FOLDER}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    pages = {}
    try:
        with chromium.Chromium(binary, chromium.site_server(site, base_url)) as browser:
            for handout in found:
                browser.open(base_url + page_address(handout.pages[0]))
                others = [base_url + page_address(uri) for uri in handout.pages[1:]]
                if others:
                    browser.evaluate(APPEND_PAGES % json.dumps(others))
                pdf = numbered_ids(browser.pdf(*PAPER_INCHES))
                if epoch is not None:
                    pdf = fixed_dates(pdf, epoch)
                if not pdf.startswith(b"%PDF-"):
                    raise chromium.ChromiumError(f"Chromium gave no PDF for {handout.path}")
                (partial / f"{handout.name}.pdf").write_bytes(pdf)
                pages[Path(handout.path).name] = page_count(pdf)
        shutil.rmtree(site / FOLDER, ignore_errors=True)
        partial.rename(site / FOLDER)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return pages


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--chromium", default=chromium.DEFAULT, help="Debian's Chromium (default: %(default)s)")
    args = parser.parse_args(argv)
    if built_site.missing(args.site):
        return 2
    config = read_site_config(args.config)
    options = extension_options(config)
    found = handouts(options) + worksheet_handouts(options)
    if not found:
        print("handouts: none to make (no chapters: under distill_site.pages.markdown_ext in the configuration)")
        return 0
    binary = chromium.find(args.chromium)
    if binary is None:
        if required():
            print(f"handouts: no Chromium at {args.chromium}, and a build for publishing or under CI must "
                  f"make the PDF handouts the teachers' page links to: {INSTALL}", file=sys.stderr)
            return 2
        print(f"handouts: SKIPPED, no PDF handouts made: no Chromium at {args.chromium} ({INSTALL}). "
              "The teachers' page links to them, so this site is not one to publish.")
        return 0
    base_url = str(config.get("site_url") or "")
    if not base_url:
        print(f"{args.config}: the handouts are printed at the pages' published address: set site_url",
              file=sys.stderr)
        return 2
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    # The last commit's time; without git history (0) Chromium's own, rather than a false 1970.
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0) or None
    try:
        check_pages(args.site, args.config, found)
        pages = print_handouts(args.site, base_url, found, binary, epoch)
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    except chromium.ChromiumError as error:
        print(f"handouts: Chromium failed: {error}", file=sys.stderr)
        return 1
    listed = ", ".join(f"{name} ({count} page{'s' if count != 1 else ''})" for name, count in pages.items())
    print(f"handouts: {len(pages)} PDFs in {args.site / FOLDER}: {listed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
