"""The plain block-YAML most frontmatter is written in, read without building a node tree.

PyYAML's C parser is fast, but composing its node tree calls back into Python for every value
(resolver, node classes, marks), which makes YAML the largest cost of a lint. Frontmatter is
nearly always `key: value` lines, lists of `- item` and lists of small mappings, so those are
read here line by line, with each key's line recorded on the way.

Anything outside that subset (flow collections, block scalars, anchors, tags, comments after a
value, escapes, multi-line scalars, tabs, duplicate keys...) returns None and the caller falls
back to PyYAML, so the result is always what `yaml.load(text, CSafeLoader)` gives; the tests
compare the two on generated documents. Values are typed by PyYAML's own resolver tables
(YAML 1.1: `yes` is true, `0x1f` is 31), so types agree too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

# A path into the document (keys and item indexes) -> 0-based line of that key or item.
Lines = dict[tuple[Any, ...], int]
# Paths deeper than this are not recorded: the schema never looks further down.
LINE_DEPTH = 3

_MAX_NESTING = 40
# libyaml refuses a plain key longer than this ("could not find expected ':'").
_MAX_KEY = 1024

# indentation, `-` and the spaces after it, `key:` and the spaces after it, the value
_LINE = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_.-]*):(?: +|$))?(.*)$",
                   re.MULTILINE)
# Characters libyaml would refuse, or treat as line breaks (NEL, LS, PS), or a BOM; tabs,
# because their indentation rules are subtle. Any of them sends the text to PyYAML.
_NOT_SIMPLE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# A plain scalar cannot start with these (some can when a non-space follows; rare, so all go
# to PyYAML).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers
_STR = "tag:yaml.org,2002:str"
_constructor = SafeConstructor()


def _int(value: str) -> Any:
    return _constructor.construct_yaml_int(yaml.ScalarNode("tag:yaml.org,2002:int", value))


def _float(value: str) -> Any:
    return _constructor.construct_yaml_float(yaml.ScalarNode("tag:yaml.org,2002:float", value))


_CONSTRUCT: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:null": lambda value: None,
    "tag:yaml.org,2002:bool": lambda value: SafeConstructor.bool_values[value.lower()],
    "tag:yaml.org,2002:int": _int,
    "tag:yaml.org,2002:float": _float,
}
# Resolved tags of plain scalars seen so far: keys and values like `name` or `false` recur in
# every file. Bounded: cleared when full.
_TAGS: dict[str, str] = {}
_TAGS_MAX = 4096


class _NotSimple(Exception):
    pass


def load(text: str, plain: bool = False) -> tuple[dict[Any, Any], Lines] | None:
    """The mapping `text` holds and the line of each key and item, or None when `text` is not
    in the simple subset (PyYAML must read it). `plain`: the caller knows `text` is printable
    ASCII."""
    if "\t" in text or (not plain and _NOT_SIMPLE.search(text)):
        return None
    # One regex pass splits every line into indentation, dash, key and value (the C engine
    # does the per-character work); a line's index in the result is its number. Blank and
    # comment lines drop out.
    entries = [(len(indent), dash, key, value, number)
               for number, (indent, dash, key, value) in enumerate(_LINE.findall(text))
               if key or dash or (value and value[0] != "#")]
    if not entries:
        return None
    reader = _Reader(entries)
    try:
        data, end = reader.mapping(0, entries[0][0], (), 0)
    except (_NotSimple, ValueError, OverflowError):
        # ValueError: a scalar the int or float pattern matches but Python cannot build
        # (`0x_`); PyYAML reports it as a YAML error with its line.
        return None
    if end != len(entries):
        return None
    return data, reader.lines


# column, the dash of a list item ("" if none), the key ("" if none), the value ("" if
# none, maybe with trailing spaces), the line number
_Entry = tuple[int, str, str, str, int]


class _Reader:
    def __init__(self, entries: list[_Entry]) -> None:
        self.entries = entries
        self.lines: Lines = {}

    def mapping(self, index: int, indent: int, path: tuple[Any, ...],
                depth: int) -> tuple[dict[Any, Any], int]:
        entries = self.entries
        count = len(entries)
        result: dict[Any, Any] = {}
        record = len(path) < LINE_DEPTH
        while index < count:
            column, dash, key, value, number = entries[index]
            if column != indent:
                if column < indent:
                    break
                raise _NotSimple
            if dash or not key or key in result or len(key) > _MAX_KEY or (
                    key[0] in _RESOLVERS and _tag(key) != _STR):
                raise _NotSimple
            if record:
                self.lines[(*path, key)] = number
            index += 1
            if value:
                result[key] = _scalar(value)
                continue
            if index < count:
                next_column, next_dash = entries[index][0], entries[index][1]
                if next_column > indent or (next_column == indent and next_dash):
                    result[key], index = self.block(index, (*path, key), depth + 1)
                    continue
            result[key] = None
        return result, index

    def block(self, index: int, path: tuple[Any, ...], depth: int) -> tuple[Any, int]:
        if depth > _MAX_NESTING:
            raise _NotSimple
        column, dash = self.entries[index][0], self.entries[index][1]
        if dash:
            return self.sequence(index, column, path, depth)
        return self.mapping(index, column, path, depth)

    def sequence(self, index: int, indent: int, path: tuple[Any, ...],
                 depth: int) -> tuple[list[Any], int]:
        entries = self.entries
        count = len(entries)
        items: list[Any] = []
        record = len(path) < LINE_DEPTH
        while index < count:
            column, dash, key, value, number = entries[index]
            if column != indent:
                if column < indent:
                    break
                raise _NotSimple
            if not dash:
                break  # the parent mapping's next key, at the same indentation
            if record:
                self.lines[(*path, len(items))] = number
            if key:  # `- key: value` opens a mapping at the key's column
                item_column = column + len(dash)
                entries[index] = (item_column, "", key, value, number)
                item, index = self.mapping(index, item_column, (*path, len(items)),
                                           depth + 1)
                items.append(item)
                continue
            if not value:  # `-` alone: the item is on the lines below, or empty
                raise _NotSimple
            items.append(_scalar(value))
            index += 1
        return items, index


def _tag(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar whose first character it has rules
    for."""
    tag = _TAGS.get(value)
    if tag is not None:
        return tag
    tag = next((t for t, pattern in _RESOLVERS[value[0]] if pattern.match(value)), _STR)
    if len(_TAGS) >= _TAGS_MAX:
        _TAGS.clear()
    _TAGS[value] = tag
    return tag


def _scalar(text: str) -> Any:
    if text[-1] == " ":
        text = text.rstrip(" ")
    first = text[0]
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotSimple
        return inner.replace("''", "'")
    if first == '"':
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
            raise _NotSimple
        return inner
    if first in _INDICATORS or ": " in text or " #" in text or text[-1] == ":":
        raise _NotSimple
    if first not in _RESOLVERS:
        return text
    tag = _tag(text)
    if tag == _STR:
        return text
    construct = _CONSTRUCT.get(tag)
    if construct is None:  # timestamps, `=` and `<<`: rare, and PyYAML's to build
        raise _NotSimple
    return construct(text)
