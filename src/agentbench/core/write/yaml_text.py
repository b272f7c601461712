"""Where things are in a frontmatter, and how to write one YAML value on one line.

Edits are careful text edits: the frontmatter is composed (not constructed) with PyYAML's
pure-Python composer, whose marks give the line and column of every key and value, and only
the lines that must change are rewritten. Everything else stays byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from agentbench.core.write.change import EditError, Source


@dataclass(frozen=True, slots=True)
class Front:
    """A composed frontmatter; `offset` turns a node's 0-based line into a Source index."""

    root: yaml.MappingNode
    offset: int

    def index(self, mark: Any) -> int:
        return int(mark.line) + self.offset


def compose(source: Source) -> Front:
    first, _ = source.frontmatter_span()
    text = source.frontmatter()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise EditError(f"the frontmatter is not valid YAML ({_first_line(error)});"
                        " fix it before editing") from None
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise EditError("the frontmatter is not a block of 'key: value' lines")
    return Front(node, first)


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or ["YAML error"])[0][:120]


def find_key(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def last_line(node: yaml.Node) -> int:
    """0-based line (within the composed text) of the last character of `node`."""
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("|", ">"):
            return int(node.end_mark.line) - (1 if node.end_mark.column == 0 else 0)
        return int(node.end_mark.line)
    if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
        if node.flow_style or not node.value:
            return int(node.end_mark.line)
        last = node.value[-1]
        return last_line(last[1] if isinstance(last, tuple) else last)
    return int(node.end_mark.line)


def is_comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


# --- writing one value ----------------------------------------------------------------------


def _loads_back(text: str, value: str) -> bool:
    try:
        loaded = yaml.safe_load("k: " + text)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("k") == value


def scalar(value: str | bool, style: str | None = None) -> str:
    """`value` as a one-line YAML scalar, in `style` (None plain, '"' or "'") when that
    style can hold it, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if style is None and value and value == value.strip() and _loads_back(value, value):
        return value
    if style == "'" and "\n" not in value and _loads_back(_single(value), value):
        return _single(value)
    for ascii_only in (False, True):
        quoted = json.dumps(value, ensure_ascii=ascii_only)
        if _loads_back(quoted, value):
            return quoted
    raise EditError("this value cannot be written as YAML text")  # pragma: no cover


def _single(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def key_text(key: str) -> str:
    """A mapping key, plain when it can be."""
    if key and key == key.strip() and ":" not in key and _loads_back(key, key):
        loaded = yaml.safe_load(key + ": 1")
        if isinstance(loaded, dict) and key in loaded:
            return key
    return json.dumps(key, ensure_ascii=False)


def replace_node(source: Source, front: Front, node: yaml.Node, text: str) -> None:
    """Replace the text of `node` (a scalar, possibly over several lines) with `text`."""
    start = front.index(node.start_mark)
    column = int(node.start_mark.column)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        stop = last_line(node) + front.offset
        rest = ""
    else:
        stop = front.index(node.end_mark)
        rest = source.lines[stop][int(node.end_mark.column):]
    head = source.lines[start][:column]
    if isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None:
        # An empty value: `key:` becomes `key: value`.
        head = head.rstrip() + " "
        rest = source.lines[start][column:]
    source.replace(start, stop + 1, [head + text + rest])
