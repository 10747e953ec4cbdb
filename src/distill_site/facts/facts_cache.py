"""Load the data file once per build, and again only when it changes.

Every page's Markdown instance asks for the facts; reading and validating
the YAML for each of them would cost the build time for nothing. The cache
key includes the file's modification time, so ``mkdocs serve`` picks up an
edited figure on the next rebuild.
"""

from __future__ import annotations

from pathlib import Path

from .figures import Facts, load_figures

_cache: dict[Path, tuple[int, int, Facts]] = {}


def cached_facts(data_file: str | Path) -> Facts:
    path = Path(data_file).resolve()
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        return load_figures(data_file)  # raises the error that names the file
    hit = _cache.get(path)
    if hit and hit[:2] == stamp:
        return hit[2]
    facts = load_figures(data_file)
    _cache[path] = (*stamp, facts)
    return facts
