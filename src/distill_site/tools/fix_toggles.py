"""Drop ``autocomplete="off"`` from Material's two toggle checkboxes, after the build
(and, on a page outside the nav, the table of contents' pointer to a toggle it lacks).

Material's base.html writes ``<input type="checkbox" id="__drawer"
autocomplete="off">`` (and ``__search``) straight into the page, outside any
block, so no template override can reach them short of copying base.html
(which tests/browser/test_overrides.py forbids). HTML allows
``autocomplete`` only on text-like inputs, so the Nu Html Checker reports
both on every page. Material uses it to stop a browser restoring the
toggles checked (drawer or search open) on reload or Back; the loader
(overrides/partials/lazy-bundle.html) clears them on load instead.

Only these two exact tags are rewritten, so anything else is left to the
HTML check. Like trim_css it runs after ``mkdocs build`` (``make build`` and
the tests' build); ``mkdocs serve`` leaves the attribute, which is harmless.

Usage: ``python -m distill_site.tools.fix_toggles site``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..checks import built_site

TOGGLES = [
    f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">'
    for name in ("drawer", "search")
]


# A page outside the nav (a chapter's worksheet) has no "__toc" toggle: Material
# writes it in the page's entry of the nav. Its table of contents' title still
# names it (<label for="__toc">), which HTML does not allow; the title stays,
# as a label of nothing (the sidebar is hidden on those pages anyway).
TOC_TITLE = '<label class="md-nav__title" for="__toc">'
TOC_TOGGLE = 'id="__toc"'


def fix_page(html: str) -> str:
    for tag in TOGGLES:
        html = html.replace(tag, tag.replace(' autocomplete="off"', ""))
    if TOC_TITLE in html and TOC_TOGGLE not in html:
        html = html.replace(TOC_TITLE, TOC_TITLE.replace(' for="__toc"', ""))
    return html


def fix_site(root: Path) -> int:
    """Rewrite every page that has the toggles; the number rewritten."""
    changed = 0
    for page in sorted(root.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        fixed = fix_page(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    args = parser.parse_args(argv)
    if built_site.missing(args.site):
        return 2
    print(f"fix_toggles: {fix_site(args.site)} pages without autocomplete on their toggle checkboxes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
