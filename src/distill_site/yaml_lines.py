"""Read YAML with line numbers and no silent duplicate keys.

PyYAML keeps the last of two equal keys without a word; a maintainer who
pastes a figure twice would then publish whichever came second. Here a
duplicate is an error, and every mapping remembers the line of each key.
"""

import yaml

from .errors import SiteError


class LineMap(dict):
    """A dict that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    source_name = "<yaml>"


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = LineMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            raise SiteError(
                loader.source_name, line,
                f"duplicate key '{key}' (first given on line {data.key_lines[key]})",
                "remove one of the two; YAML would silently keep only the last",
            )
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, source_name: str):
    """Parse ``text``; errors name ``source_name`` and the line."""
    loader = _LineLoader(text)
    loader.source_name = source_name
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise SiteError(source_name, line, f"not valid YAML: {problem}",
                        "check the indentation and quoting on that line") from None
    finally:
        loader.dispose()
