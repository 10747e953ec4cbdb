"""Read YAML with line numbers, no silent duplicate keys and no surprise numbers.

PyYAML keeps the last of two equal keys without a word; a maintainer who
pastes a figure twice would then publish whichever came second. Here a
duplicate is an error, and every mapping and list remembers its lines.

PyYAML also reads numbers by YAML 1.1's rules: ``025000`` is octal (10752),
``25:00`` base 60 (1500), ``0x61A8`` hex, ``25_000`` has its underscores
dropped. A figure typed one way and published another is the worst kind of
error this site can make, so a number here is plain decimal digits (with a
decimal point for a fraction) or it is refused, with its line. Dates are
YYYY-MM-DD and must exist.
"""

import datetime as dt
import re

import yaml

from ..errors import SiteError

# A count above this is a typo: no figure on the site comes near it, and
# below it every whole number is exact as a float (2**53 is about 9 * 10**15),
# so the derived quotients and ratios are computed exactly.
LARGEST_NUMBER = 10**15

PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
PLAIN_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+$")
PLAIN_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# YAML 1.2 reads 1e6 as a number, YAML 1.1 as text: either way it is not
# what a maintainer should write, so it is resolved as a float and refused.
# Anchored at both ends: PyYAML's resolvers use re.match, so without them a
# file name such as 003_e33426.txt would be read as a number.
EXPONENT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")


class LineMap(dict):
    """A dict that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows the line it starts on and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


# libyaml's parser when PyYAML has it (about ten times faster); the same rules either way.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    source_name = "<yaml>"

    def refuse(self, node, problem: str, fix: str):
        raise SiteError(self.source_name, node.start_mark.line + 1, problem, fix)


_LineLoader.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT, list("-+0123456789"))


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = LineMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if isinstance(key, (list, dict, set)):
            loader.refuse(key_node, "a list or mapping is used as a field name",
                          "a field name is a single word followed by a colon, like 'label:'")
        if key in data.key_lines:
            raise SiteError(
                loader.source_name, line,
                f"duplicate key '{key}' (first given on line {data.key_lines[key]})",
                "remove one of the two; YAML would silently keep only the last",
            )
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode):
    items = LineList()
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield items
    items.extend(loader.construct_object(child, deep=True) for child in node.value)


def _digits_only(text: str) -> str:
    return re.sub(r"[^0-9]", "", text).lstrip("0") or "0"


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode):
    text = node.value
    if not PLAIN_INT.fullmatch(text):
        if re.fullmatch(r"[-+]?0[xXbB][0-9a-fA-F_]+", text):
            base = "hexadecimal" if text.lstrip("+-")[1] in "xX" else "binary"
            problem, fix = f"a {base} number", f"write {int(text.replace('_', ''), 0)}, digits only"
        elif ":" in text:
            problem, fix = "a base-60 number, like a time", "write the number in digits only, with no colon"
        elif "_" in text:
            problem, fix = "a number with underscores", f"write {_digits_only(text)}, digits only"
        elif text.startswith("+"):
            problem, fix = "a number with a plus sign", f"write {text[1:]}, digits only"
        elif re.fullmatch(r"-?0[0-9]+", text):
            problem, fix = "an octal number (it starts with 0)", f"write {_digits_only(text)}, digits only"
        else:
            problem, fix = "a whole number", "write digits only"
        loader.refuse(node, f"'{text}' would be read as {problem}, not as written",
                      f"{fix}; if it is text, put it in quotes")
    _check_size(loader, node, text.lstrip("-").split(".")[0])
    return int(text)


def _construct_float(loader: _LineLoader, node: yaml.ScalarNode):
    text = node.value
    lowered = text.lower().lstrip("+-")
    if lowered in (".nan", ".inf"):
        loader.refuse(node, f"'{text}' is not a number a figure can have",
                      "write the figure's value in digits, like 1.74")
    if not PLAIN_FLOAT.fullmatch(text):
        if "e" in lowered:
            problem = "uses an exponent"
            try:
                fix = f"write it in full, like {float(text.replace('_', '')):.15g}"
            except ValueError:
                fix = "write it in full"
        else:
            problem, fix = "is not a plain decimal", "write digits, a point and digits, like 1.74 or 0.5"
        loader.refuse(node, f"'{text}' {problem}", f"{fix}; if it is text, put it in quotes")
    _check_size(loader, node, text.lstrip("-").split(".")[0])
    return float(text)


def _check_size(loader: _LineLoader, node, whole_digits: str) -> None:
    # Compared as text first: a 400-digit number should not reach int().
    if len(whole_digits) > len(str(LARGEST_NUMBER)) or int(whole_digits) > LARGEST_NUMBER:
        loader.refuse(node, f"the number '{node.value[:20]}{'…' if len(node.value) > 20 else ''}' "
                            f"is larger than {LARGEST_NUMBER:,}, surely a typo",
                      "check the digits; no figure on the site comes near that size")


def _construct_date(loader: _LineLoader, node: yaml.ScalarNode):
    match = PLAIN_DATE.fullmatch(node.value)
    if not match:
        loader.refuse(node, f"'{node.value}' is a date with a time or another format",
                      "write the date only, as YYYY-MM-DD, like 2026-06-10")
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError as problem:
        loader.refuse(node, f"'{node.value}' is not a date that exists ({problem})",
                      "check the day and the month")


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)


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
