"""Renaming an agent in recorded flows (`flows/*.yaml`, docs/flows.md): the part of
`edit_rename.plan_rename` that keeps flow files replaying after a rename.

A flow names agents in `start:`, in each step's `to:`, and in a step's `handoff:` (or a bare
string step) when that is a target agent's name rather than a label. `start:` and `to:` equal
to the old name are always renamed; `handoff:` and bare steps only when no handoff in the
library is labelled exactly the old name (labels are not renamed, and a label would win).

Edits are careful text edits, like the other rename edits (`edit_yaml.replace_node`): only the
values that change are rewritten, so comments, key order, quoting, line endings and a BOM stay
byte for byte. Each edited file is read back and must hold exactly the data expected, else it
is left alone. A flow file that cannot be read is skipped, never an error: the rename goes on.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

import yaml

from agentbench.core.flow.check import flow_paths
from agentbench.core.flow.record import MAX_FLOW_BYTES
from agentbench.core.model import Library
from agentbench.core.write.change import EditError, FileChange, Source, read_for_edit
from agentbench.core.write.yaml_text import Front, replace_node, scalar
from agentbench.core.yamlio import reader as yamlio

# An anchor (`&a`) or tag (`!!str`) in front of a value, which an edit must keep.
_PROPERTIES = re.compile(r"(?:[&!]\S*[ \t]+)+")
_OTHER_BREAKS = frozenset("\x85\u2028\u2029")

DataPath = tuple[str | int, ...]


def plan_flow_renames(library: Library, old: str, new: str,
                      ) -> tuple[list[FileChange], list[str]]:
    """The changes that rename agent `old` to `new` in the library's flow files, and a note
    for each flow file left alone because it could not be read or changed safely."""
    rename_handoffs = not any(h.label == old for a in library.agents for h in a.handoffs)
    changes: list[FileChange] = []
    skipped: list[str] = []
    for path in flow_paths(library, library.root):
        try:
            change = _flow_change(path, old, new, rename_handoffs)
        except (EditError, yamlio.YamlProblem, IndexError) as error:
            skipped.append(f"{path}: not changed ({str(error)[:120]})")
            continue
        if change is not None:
            changes.append(change)
    return changes, skipped


def _flow_change(path: str, old: str, new: str, rename_handoffs: bool) -> FileChange | None:
    data, stamp = read_for_edit(path)
    if len(data) > MAX_FLOW_BYTES:
        raise EditError("it is larger than 1 MB")
    source = Source.from_bytes(data)
    loaded = yamlio.load(source.text())
    found = _mentions(loaded.node, loaded.data, old, rename_handoffs)
    if not found:
        return None
    if not _OTHER_BREAKS.isdisjoint(source.text()):
        # YAML counts these as line breaks, so its line numbers are not the file's lines.
        raise EditError("it holds Unicode line or paragraph separators; edit it by hand")
    assert isinstance(loaded.node, yaml.MappingNode)  # else _mentions found nothing
    front = Front(loaded.node, 0)
    expected = copy.deepcopy(loaded.data)
    edited: set[int] = set()
    text = scalar(new)
    for where, node in sorted(found, key=lambda f: _position(f[1]), reverse=True):
        _set(expected, where, new)
        if id(node) in edited:  # an alias: the anchored value is changed once
            continue
        edited.add(id(node))
        replace_node(source, front, _value_only(source, node),
                     scalar(new, node.style) if node.style in ('"', "'") else text)
    after = source.to_bytes()
    if yamlio.load(source.text()).data != expected:
        raise EditError("it uses YAML this rename cannot change safely; edit it by hand")
    return FileChange(path, data, after, stamp,
                      (f"{len(found)} mentions: {old[:60]} -> {new[:60]}",))


def _mentions(root: yaml.Node | None, data: Any, old: str,
              rename_handoffs: bool) -> list[tuple[DataPath, yaml.ScalarNode]]:
    """Where the flow names agent `old`: (path in the data, the scalar node to rewrite)."""
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        return []
    found: list[tuple[DataPath, yaml.ScalarNode]] = []
    start = _value(root, "start")
    value = data.get("start")
    if isinstance(start, yaml.ScalarNode) and isinstance(value, str) and value.strip() == old:
        found.append((("start",), start))
    steps = _value(root, "steps")
    items = data.get("steps")
    if not isinstance(steps, yaml.SequenceNode) or not isinstance(items, list):
        return found
    for index, (node, item) in enumerate(zip(steps.value, items, strict=False)):
        if isinstance(node, yaml.ScalarNode):
            if rename_handoffs and _name(item) == old:
                found.append((("steps", index), node))
            continue
        if not isinstance(node, yaml.MappingNode) or not isinstance(item, dict):
            continue
        handoff, to = _value(node, "handoff"), _value(node, "to")
        if (rename_handoffs and isinstance(handoff, yaml.ScalarNode)
                and _name(item.get("handoff")) == old):
            found.append((("steps", index, "handoff"), handoff))
        if isinstance(to, yaml.ScalarNode) and item.get("to") == old:
            found.append((("steps", index, "to"), to))
    return found


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in mapping.value:
        if (isinstance(key_node, yaml.ScalarNode) and key_node.tag == "tag:yaml.org,2002:str"
                and key_node.value == key):
            node: yaml.Node = value_node
            return node
    return None


def _name(value: Any) -> str | None:
    """A step's handoff as the flow reader takes it: text, or a whole number as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _position(node: yaml.Node) -> tuple[int, int]:
    return int(node.start_mark.line), int(node.start_mark.column)


def _value_only(source: Source, node: yaml.ScalarNode) -> yaml.ScalarNode:
    """`node` with its start moved past an anchor or tag written in front of the value."""
    line, column = _position(node)
    found = _PROPERTIES.match(source.lines[line], column)
    if found is None:
        return node
    if found.end() >= len(source.lines[line]):
        raise EditError("an agent name in it is written on the line after its anchor or tag")
    mark = yaml.Mark("", 0, line, found.end(), None, 0)
    return yaml.ScalarNode(node.tag, node.value, mark, node.end_mark, node.style)


def _set(data: Any, where: Sequence[str | int], value: str) -> None:
    for step in where[:-1]:
        data = data[step]
    data[where[-1]] = value
