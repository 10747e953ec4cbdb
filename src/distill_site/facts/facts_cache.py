"""Load the data file once per build, and again only when it changes.

Every page's Markdown instance asks for the facts (and the words file);
reading and validating the YAML for each of them would cost the build time
for nothing. The cache key includes the file's modification time, so
``mkdocs serve`` picks up an edited figure on the next rebuild.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

from .figures import Facts, load_figures

Loaded = TypeVar("Loaded")
_cache: dict[tuple[Callable, Path], tuple[int, int, object]] = {}


def cached(path: str | Path, load: Callable[[str | Path], Loaded]) -> Loaded:
    """``load(path)``, kept until the file at ``path`` changes."""
    resolved = Path(path).resolve()
    try:
        stat = resolved.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        return load(path)  # raises the error that names the file
    hit = _cache.get((load, resolved))
    if hit and hit[:2] == stamp:
        return hit[2]
    loaded = load(path)
    _cache[load, resolved] = (*stamp, loaded)
    return loaded


def cached_facts(data_file: str | Path) -> Facts:
    return cached(data_file, load_figures)
