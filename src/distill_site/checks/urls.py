"""Keep teachers' links working: every published URL stays reachable.

``tests/url_contract.txt`` lists every public page and section URL the site
has ever published, one per line, from the site's root (``/`` is the home
page; ``/what-is-distillation/#teacher-and-student`` a section), and every
file a reader downloads from a folder of the site (``/downloads/figures.csv``;
not the theme's ``assets/`` and ``search/``, nor the files at the top that
crawlers read). The check fails when:

- a URL in the contract no longer resolves: its page is gone (and no
  redirect stub stands in its place) or its section id is gone;
- the built site publishes a page or section that is not in the contract
  yet (run with ``--update`` to add it, and commit the file).

Files published for download (the PDF handouts) are listed too, by their
path. A folder the build did not make at all can be named with
``--unbuilt`` (the pipeline names ``handouts`` when no Chromium printed
them): while it is absent, its promised URLs are reported as not checked.

A renamed page keeps its old URL with a redirect stub: a Markdown file at
the old path with ``template: redirect.html`` and ``location: ../new-page/``
in its front matter (Material's redirect template keeps the #section).

Usage: ``python -m distill_site.checks.urls site [--contract FILE] [--update] [--unbuilt FOLDER]``
"""

from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

DEFAULT_CONTRACT = Path("tests/url_contract.txt")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_REDIRECT = re.compile(r'<meta http-equiv="refresh" content="0;url=([^"]+)"')


class _Sections(HTMLParser):
    """Ids on headings inside the article: the sections a teacher can link to."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.sections: list[str] = []
        self._in_article = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "article":
            self._in_article += 1
        elif tag in HEADINGS and self._in_article and attrs.get("id"):
            self.sections.append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "article" and self._in_article:
            self._in_article -= 1


def _parse(path: Path) -> _Sections:
    parser = _Sections()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_file(site: Path, url: str) -> Path:
    path = url.split("#")[0]
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def redirect_target(html_file: Path) -> str | None:
    """Where a redirect stub sends the reader (relative to the stub), if it is one."""
    match = _REDIRECT.search(html_file.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def resolve(site: Path, url: str, hops: int = 0) -> str | None:
    """None if ``url`` reaches a page and section; otherwise why not."""
    url = url.lstrip("/")
    path, _, anchor = url.partition("#")
    target = page_file(site, url)
    if not target.is_file():
        return f"no page at /{path}"
    if target.suffix != ".html":
        return None  # a file for download: there, or not
    location = redirect_target(target)
    if location:
        if hops > 5:
            return "too many redirects"
        new = urljoin("/" + target.parent.relative_to(site).as_posix() + "/", location)
        new = new.lstrip("/")
        new = "" if new in (".", "./") else new
        return resolve(site, new + (f"#{anchor}" if anchor else ""), hops + 1)
    if anchor and anchor not in _parse(target).ids:
        return f"page /{path} has no section '{anchor}'"
    return None


# Folders of the theme's own files: stylesheets, scripts, the search index.
THEME_FOLDERS = ("assets", "search")


def published_urls(site: Path) -> list[str]:
    """Every page and section URL the built site publishes (redirect stubs aside),
    and every file in a folder of its own that is not the theme's."""
    urls = []
    for html_file in sorted(site.rglob("index.html")):
        if redirect_target(html_file):
            continue
        folder = html_file.parent.relative_to(site).as_posix()
        page = "/" if folder == "." else f"/{folder}/"
        urls.append(page)
        urls += [f"{page}#{section}" for section in _parse(html_file).sections]
    for path in sorted(site.rglob("*")):
        parts = path.relative_to(site).parts
        if path.is_file() and len(parts) > 1 and parts[0] not in THEME_FOLDERS and path.name != "index.html":
            urls.append("/" + "/".join(parts))
    return urls


def read_contract(contract: Path) -> list[str]:
    lines = contract.read_text(encoding="utf-8").splitlines() if contract.is_file() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def unbuilt(site: Path, url: str, folders) -> bool:
    """A URL in a folder this build did not make at all (and says so)."""
    return any(url.lstrip("/").startswith(folder.strip("/") + "/") and not (site / folder.strip("/")).exists()
               for folder in folders)


def check(site: Path, contract: Path, unbuilt_folders=()) -> list[str]:
    problems = []
    promised = read_contract(contract)
    for url in promised:
        if unbuilt(site, url, unbuilt_folders):
            continue
        reason = resolve(site, url)
        if reason:
            problems.append(f"{contract}: '{url}' no longer works ({reason}); keep the id, "
                            "or add a redirect stub at the old path (see distill_site/checks/urls.py)")
    known = set(promised)
    for url in published_urls(site):
        if url not in known:
            problems.append(f"{contract}: '{url}' is published but not in the contract; "
                            "run `python -m distill_site.checks.urls site --update` and commit it")
    return problems


def update(site: Path, contract: Path) -> int:
    """Append newly published URLs; never remove a promise."""
    promised = read_contract(contract)
    new = [url for url in published_urls(site) if url not in set(promised)]
    if new:
        with contract.open("a", encoding="utf-8") as out:
            out.writelines(url + "\n" for url in new)
    return len(new)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--contract", type=Path, default=DEFAULT_CONTRACT)
    parser.add_argument("--update", action="store_true", help="add newly published URLs to the contract")
    parser.add_argument("--unbuilt", action="append", default=[], metavar="FOLDER",
                        help="a folder this build did not make: its promised URLs are not checked while it is absent")
    args = parser.parse_args(argv)
    if args.update:
        print(f"check_urls: added {update(args.site, args.contract)} URL(s) to {args.contract}")
    problems = check(args.site, args.contract, args.unbuilt)
    skipped = [url for url in read_contract(args.contract) if unbuilt(args.site, url, args.unbuilt)]
    if skipped:
        print(f"check_urls: NOT CHECKED: {len(skipped)} promised URL(s) in {', '.join(args.unbuilt)}/, "
              "which this build did not make")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    checked = len(read_contract(args.contract)) - len(skipped)
    print(f"check_urls: all {checked} promised URLs" + (" checked" if skipped else "") + " work")
    return 0


if __name__ == "__main__":
    sys.exit(main())
