"""What readers have already seen: a published figure changes only with a correction.

``data/published.yml`` holds the value of every stated figure as last
published. The publish workflow writes it after each deployment
(``python -m distill_site.tools.record_published --record``) and commits it. The build
compares it with the data file: a figure whose value differs from what was
published must carry a ``corrections:`` entry that leads from the published
value to today's, so the change is dated, explained, sourced and shown to
readers (on About, on the numbers page and in the figure's tooltip).

The command that records them is ``distill_site.tools.record_published``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SiteError
from .yaml_lines import load_yaml

PUBLISHED_NAME = "published.yml"
HEADER = ("# The value of every stated figure as last published. Written by the publish\n"
          "# workflow after each deployment (python -m distill_site.tools.record_published --record);\n"
          "# do not edit by hand. A figure whose value differs from this must carry a\n"
          "# correction in figures.yml (see data/README.md, \"Correct a figure\").\n")


def published_path(data_file: str | Path) -> Path:
    return Path(data_file).with_name(PUBLISHED_NAME)


def check_published(facts, path: Path) -> None:
    """Refuse a changed published value that no correction explains."""
    if not path.is_file():
        return
    published = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    for key, was in published.items():
        figure = facts.figures.get(key)
        if figure is None or figure.is_derived or figure.value == was:
            continue
        value = was
        for correction in figure.corrections:
            if correction.old == value:
                value = correction.new
        if value != figure.value:
            raise SiteError(
                facts.path, figure.line,
                f"figure '{key}' was published as {was!r} and is now {figure.value!r}, with no correction recorded",
                f"add under it: corrections: [{{date: YYYY-MM-DD, old: {_yaml(was)}, new: {_yaml(figure.value)}, "
                "why: ..., source: ...}]; see data/README.md")


def record_published(facts, path: Path) -> None:
    lines = [HEADER]
    for figure in facts.figures.values():
        if not figure.is_derived:
            lines.append(f"{figure.id}: {_yaml(figure.value)}\n")
    path.write_text("".join(lines), encoding="utf-8")


def _yaml(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else repr(value)
