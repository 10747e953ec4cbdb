"""mkdocs.yml, read in one place, with the values MkDocs itself would see.

The checks, the preview image and the Zensical wrapper need a few plain
settings (``site_url``, ``site_name``, ``site_dir``, the Markdown
extensions). MkDocs' own loader would import Material's Python objects;
this one reads the file as data instead:

- ``!ENV NAME`` and ``!ENV [NAME, OTHER, default]`` take the first
  variable that is set, else the default (the last item of a list of two
  or more), else None: the rules of MkDocs' ``pyyaml_env_tag``;
- ``!!python/name:module.thing`` is kept as a ``PythonName``: the dotted
  name as text, which ``resolve()`` imports (only a Markdown converter
  built from the configuration needs the object);
- other tags (``!relative``) are kept as their text, which no check needs.
"""

from __future__ import annotations

import os
import pydoc
from collections.abc import Mapping
from pathlib import Path

import yaml

from .errors import SiteError


class _ConfigLoader(yaml.SafeLoader):
    environ: Mapping[str, str] = os.environ  # where !ENV looks; a test can give its own


def _env(loader: _ConfigLoader, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if name in loader.environ:  # set, even if empty, wins (pyyaml_env_tag's rule)
            return yaml.safe_load(loader.environ[name])  # MkDocs reads the variable's text as YAML too
    return default


class PythonName(str):
    """A ``!!python/name:`` value: its dotted name, and the object it names on request."""

    def resolve(self):
        thing = pydoc.locate(self)
        if thing is None:
            raise SiteError("mkdocs.yml", None, f"!!python/name:{self} names nothing importable",
                            "check the module and the name after it")
        return thing


def _python_name(loader: _ConfigLoader, suffix: str, node: yaml.Node):
    return PythonName(suffix)


def _as_text(loader: _ConfigLoader, suffix: str, node: yaml.Node):
    return suffix + (loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else "")


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("!", _as_text)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _as_text)


def read_site_config(path: Path, environ: Mapping[str, str] | None = None) -> dict:
    """The settings in ``path``, ``!ENV`` taken from ``environ`` (default: this
    process's); a file that is not valid YAML fails with its line."""
    loader = _ConfigLoader(Path(path).read_text(encoding="utf-8"))
    loader.environ = os.environ if environ is None else environ
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise SiteError(str(path), mark.line + 1 if mark else None, f"not valid YAML: {error.problem}",
                        "fix the configuration's indentation or quoting") from None
    finally:
        loader.dispose()
    return data if isinstance(data, dict) else {}
