"""mkdocs.yml, read in one place, with the values MkDocs itself would see.

The checks, the preview image and the Zensical wrapper need a few plain
settings (``site_url``, ``site_name``, ``site_dir``, the Markdown
extensions). MkDocs' own loader would import Material's Python objects;
this one reads the file as data instead:

- ``!ENV NAME`` and ``!ENV [NAME, OTHER, default]`` take the first
  variable that is set, else the default (the last item of a list of two
  or more), else None: the rules of MkDocs' ``pyyaml_env_tag``;
- ``!relative`` and ``!!python/name:module.thing`` tags are kept as their
  text, which no check needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .errors import SiteError


class _ConfigLoader(yaml.SafeLoader):
    pass


def _env(loader: _ConfigLoader, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])  # MkDocs reads the variable's text as YAML too
    return default


def _as_text(loader: _ConfigLoader, suffix: str, node: yaml.Node):
    return suffix + (loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else "")


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("!", _as_text)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _as_text)


def read_site_config(path: Path) -> dict:
    """The settings in ``path``; a file that is not valid YAML fails with its line."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise SiteError(str(path), mark.line + 1 if mark else None, f"not valid YAML: {error.problem}",
                        "fix the configuration's indentation or quoting") from None
    return data if isinstance(data, dict) else {}
