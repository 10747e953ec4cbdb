"""Titles in the site's configuration are published exactly as written.

The nav titles, the site's name and description and the copyright line
reach every page (menu, <title>, link previews, footer) without passing
through Markdown, so a ``{{ fig:... }}`` there would be published as
typed. The Markdown extension checks the configuration file once per
build (again only when it changes) and names the line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SiteError
from .page_context import shown_path

# Top-level keys whose text is published as written.
PUBLISHED = {
    "nav": "a nav title, which is published as written (in the menu on every page)",
    "site_name": "the site's name, which is published as written (in every page's <title> and header)",
    "site_description": "the site's description, which is published as written (in link previews)",
    "copyright": "the copyright line, which is published as written (in every page's footer)",
}
TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")

_checked: dict[Path, tuple[int, int]] = {}


def check_config_titles(path: Path | None) -> None:
    if path is None:
        return
    try:
        stat = path.stat()
    except OSError:
        return
    stamp = (stat.st_mtime_ns, stat.st_size)
    if _checked.get(path) == stamp:
        return
    section = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        key = TOP_LEVEL_KEY.match(line)
        if key:
            section = key[1]
        if section in PUBLISHED and not line.lstrip().startswith("#") and ("{{" in line or "}}" in line):
            raise SiteError(shown_path(path), number,
                            f"a figure cannot go in {PUBLISHED[section]}: «{line.strip()}»",
                            "type the words there; the configuration takes no {{ ... }}")
    _checked[path] = stamp
