"""Safe YAML loading with line numbers, on PyYAML's C loader when it is there.

We compose the node tree ourselves (what `yaml.load` does internally anyway) so the nodes'
marks give every key a line number at no extra cost, and so an alias bomb can be measured on
the node graph before anything walks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from agentbench.core.yamlio import block as simpleyaml
from agentbench.core.yamlio.block import LINE_DEPTH as LINE_DEPTH
from agentbench.core.yamlio.block import Lines as Lines

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

# Beyond this many values after expanding aliases, a document is an alias bomb to us.
MAX_EXPANDED_NODES = 100_000


@dataclass(frozen=True, slots=True)
class YamlProblem(Exception):
    """A YAML document we refuse, with a 0-based line and column within the text."""

    line: int
    column: int
    message: str
    code: str = "AB201"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Loaded:
    data: Any
    node: yaml.Node | None




def load_frontmatter(text: str, plain: bool = False) -> tuple[Any, Lines]:
    """The data of a frontmatter block and the line of each key and item (see `Lines`).

    Plain block YAML is read by `simpleyaml` (two to three times faster); everything else
    by PyYAML. Raises YamlProblem like `load`. `plain`: `text` is known to be printable
    ASCII.
    """
    simple = simpleyaml.load(text, plain)
    if simple is not None:
        return simple
    loaded = load(text)
    return loaded.data, node_lines(loaded.node)


def node_lines(root: yaml.Node | None) -> Lines:
    """`Lines` of a composed document, down to LINE_DEPTH."""
    lines: Lines = {}
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    where = (*path, str(key_node.value))
                    lines[where] = key_node.start_mark.line
                    if len(where) < LINE_DEPTH:
                        stack.append((value_node, where))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                where = (*path, index)
                lines[where] = item.start_mark.line
                if len(where) < LINE_DEPTH:
                    stack.append((item, where))
    return lines


def top_key_lines(lines: Lines) -> dict[str, int]:
    """0-based line of each top-level key, from `Lines`."""
    return {path[0]: line for path, line in lines.items() if len(path) == 1}


def load(text: str) -> Loaded:
    """Parse one YAML document; raise YamlProblem with a position instead of yaml errors."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            raise _problem(error, len(text)) from None
        except yaml.YAMLError as error:
            raise YamlProblem(0, 0, _first_line(str(error))) from None
        if node is None:
            return Loaded(None, None)
        # Without an anchor and an alias there is nothing to expand: skip the walk.
        size = expanded_size(node) if "&" in text and "*" in text else 0
        if size > MAX_EXPANDED_NODES:
            raise YamlProblem(
                node.start_mark.line,
                node.start_mark.column,
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} values;"
                " refusing to read it",
                "AB203",
            )
        duplicate = _find_duplicate_key(node)
        if duplicate is not None:
            raise duplicate
        try:
            data = _construct(node, loader)
        except yaml.MarkedYAMLError as error:
            raise _problem(error) from None
        except (yaml.YAMLError, TypeError, ValueError, RecursionError) as error:
            raise YamlProblem(0, 0, _first_line(str(error))) from None
        return Loaded(data, node)
    except RecursionError:
        raise YamlProblem(0, 0, "YAML is nested too deeply to read") from None
    finally:
        loader.dispose()


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Fallback(Exception):
    """Something only PyYAML's own constructor handles (merge keys, explicit tags)."""


def _construct(root: yaml.Node, loader: Any) -> Any:
    """Build Python data from the node tree.

    PyYAML's constructor costs more than the C parser itself; plain strings, lists and
    mappings (nearly all frontmatter) are built here directly, and any other tag is handed to
    PyYAML's constructor so the result is exactly what `yaml.safe_load` gives.
    """
    try:
        return _build(root, loader)
    except _Fallback:
        return loader.construct_document(root)


def _build(node: yaml.Node, loader: Any) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        try:
            return loader.construct_object(node, deep=True)
        except ValueError as error:  # `0x_`: an int to YAML's pattern, not to Python
            mark = node.start_mark
            raise YamlProblem(mark.line, mark.column,
                              f"this value cannot be read: {_first_line(str(error))}") from None
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _Fallback
        return [_build(child, loader) for child in node.value]
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise _Fallback
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Fallback
            key = _build(key_node, loader)
            try:
                mapping[key] = _build(value_node, loader)
            except TypeError:
                mark = key_node.start_mark
                raise YamlProblem(mark.line, mark.column,
                                  "a mapping key is a list or mapping, which YAML cannot"
                                  " use as a key") from None
        return mapping
    raise _Fallback


def expanded_size(root: yaml.Node) -> int:
    """How many nodes the document would have with aliases expanded (capped), iteratively."""
    memo: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(memo.get(id(child), 0) for child in _children(node))
            memo[key] = min(total, MAX_EXPANDED_NODES + 1)
            continue
        if key in memo:
            continue
        if key in on_path:  # recursive alias: infinite expansion
            return MAX_EXPANDED_NODES + 1
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in memo:
                stack.append((child, False))
    return memo.get(id(root), 1)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _find_duplicate_key(root: yaml.Node) -> YamlProblem | None:
    """The first key that appears twice in one mapping, at any depth (YAML would silently
    keep the last). Each node is visited once, however often aliases repeat it."""
    visited: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            # By tag and text: `1:` (an int) and `"1":` (a string) are different keys.
            seen: set[tuple[str, str]] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if (key_node.tag, key_node.value) in seen:
                        mark = key_node.start_mark
                        return YamlProblem(mark.line, mark.column,
                                           f"key {key_node.value[:60]!r} appears twice",
                                           "AB204")
                    seen.add((key_node.tag, key_node.value))
            stack.extend(value for _, value in reversed(node.value))
    return None


def key_lines(node: yaml.Node | None) -> dict[str, int]:
    """0-based line of each scalar key of a top-level mapping."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(k.value): k.start_mark.line for k, _ in node.value if isinstance(k, yaml.ScalarNode)
    }


def value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            found: yaml.Node = v
            return found
    return None


def item_lines(node: yaml.Node | None) -> list[int]:
    """0-based line of each item of a sequence node."""
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line for item in node.value]


def _problem(error: yaml.MarkedYAMLError, end: int | None = None) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    # "Unexpected end of stream" points past the last line (at the closing `---`); the
    # unclosed quote or bracket that caused it is where the context mark is.
    if error.context_mark is not None and mark is not None and end is not None and (
        mark.index >= end
    ):
        mark = error.context_mark
    line = mark.line if mark is not None else 0
    column = mark.column if mark is not None else 0
    parts = [p for p in (error.context, error.problem) if p]
    return YamlProblem(line, column, "YAML syntax error: " + ", ".join(parts)[:200])


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["YAML error"])[0][:200]


def type_name(value: Any) -> str:
    """A plain word for a YAML value's type, for messages (never the value itself)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a " + type(value).__name__
