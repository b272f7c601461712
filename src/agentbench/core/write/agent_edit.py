"""Structured edits of an agent file: handoffs (add, edit, move, remove) and top-level fields.

Every function takes the file's bytes and returns the new bytes; only the lines that must
change are rewritten (comments, key order, quoting, the body, line endings and a BOM stay as
they were), and a change followed by its inverse gives back the original bytes. Renaming an
agent across a library lives in `rename.py`; saving and undo in `change.py`.

A handoff is named either by its position in the `handoffs:` list (an int) or by the
`Handoff` the parser produced (found by its line, so malformed items do not shift it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from agentbench.core.model import Dialect, Handoff
from agentbench.core.read import dialects
from agentbench.core.read.parse import detect_dialect
from agentbench.core.write.change import EditError, Source, edit_bytes
from agentbench.core.write.yaml_text import (
    Front,
    compose,
    find_key,
    is_comment_or_blank,
    key_text,
    last_line,
    replace_node,
    scalar,
)

HANDOFF_FIELDS = ("target", "label", "prompt", "send", "model")
Value = str | bool | None
Which = int | Handoff


@dataclass(frozen=True, slots=True)
class _Items:
    """The handoffs list as lines: each item's block [start, stop) of Source indexes."""

    key: yaml.Node | None
    node: yaml.Node | None
    items: list[yaml.MappingNode]
    blocks: list[tuple[int, int]]


def _items(source: Source, front: Front) -> _Items:
    found = find_key(front.root, "handoffs")
    if found is None:
        return _Items(None, None, [], [])
    key, node = found
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null", "Null", "NULL"):
        return _Items(key, node, [], [])
    if not isinstance(node, yaml.SequenceNode):
        raise EditError("'handoffs' is not a list")
    if node.flow_style:
        if node.value:
            raise EditError("the handoffs are written inline ('[...]'); agentbench edits"
                            " handoffs written as '- ' items")
        return _Items(key, node, [], [])
    items: list[yaml.MappingNode] = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode) or item.flow_style:
            line = front.index(item.start_mark) + 1
            raise EditError(f"the handoff on line {line} is not written as 'key: value' lines;"
                            " fix it by hand first")
        items.append(item)
    first_line = front.index(key.start_mark)
    starts: list[int] = []
    for item in items:
        start = front.index(item.start_mark)
        # Comment lines right above an item belong to it.
        floor = starts[-1] + 1 if starts else first_line + 1
        while start - 1 >= floor and source.lines[start - 1].strip().startswith("#"):
            start -= 1
        starts.append(start)
    blocks = []
    for index, start in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else (
            last_line(items[index]) + front.offset + 1)
        blocks.append((start, stop))
    return _Items(key, node, items, blocks)


def _position(front: Front, found: _Items, which: Which) -> int:
    if isinstance(which, Handoff):
        for index, item in enumerate(found.items):
            if front.index(item.start_mark) + 1 == which.line:
                return index
        raise EditError(f"no handoff starts on line {which.line}; reload the file")
    if not 0 <= which < len(found.items):
        raise EditError(f"there is no handoff {which + 1} (the agent has"
                        f" {len(found.items)})")
    return which


def _style(front: Front, found: _Items, dialect: Dialect) -> tuple[str, str, list[str],
                                                                   dict[str, str | None]]:
    """(dash indent, key indent, key order, quote style per key) copied from the first item."""
    styles: dict[str, str | None] = {"label": '"', "prompt": '"', "target": None, "model": '"'}
    target_key = dialects.spec(dialect).handoff.target_key
    if not found.items:
        column = 2
        if found.key is not None:
            column = int(found.key.start_mark.column) + 2
        order = [target_key, "label", "prompt", "send"]
        return " " * column, " " * (column + 2), order, styles
    first = found.items[0]
    key_column = int(first.start_mark.column)
    dash = max(key_column - 2, 0)
    order = []
    for key_node, value_node in first.value:
        name = str(key_node.value)
        name = "target" if name in ("target", "agent") else name
        order.append(name)
        if isinstance(value_node, yaml.ScalarNode) and value_node.style in (None, '"', "'"):
            styles[name] = value_node.style
    for item in found.items:
        if find_key(item, "agent") is not None:
            target_key = "agent"
    order = [target_key if k == "target" else k for k in order]
    for key in (target_key, "label", "prompt", "send", "model"):
        if key not in order:
            order.append(key)
    return " " * dash, " " * key_column, order, styles


def _item_lines(handoff: Handoff, dash: str, indent: str, order: Sequence[str],
                styles: Mapping[str, str | None]) -> list[str]:
    values: dict[str, Value] = {"label": handoff.label, "prompt": handoff.prompt,
                                "send": handoff.send, "model": handoff.model}
    lines: list[str] = []
    for key in order:
        if key in ("target", "agent"):
            value: Value = handoff.target
            style = styles.get("target")
        else:
            value = values.get(key)
            style = styles.get(key)
        if value is None or (key == "model" and not value):
            continue
        text = f"{key}: {scalar(value, style)}"
        lines.append(f"{dash}- {text}" if not lines else f"{indent}{text}")
    return lines


def _check_handoff(handoff: Handoff) -> None:
    if not handoff.target.strip():
        raise EditError("a handoff needs a target agent")


def add_handoff(data: bytes, path: str, handoff: Handoff, index: int | None = None, *,
                target_key: str | None = None) -> bytes:
    """Insert `handoff` at `index` of the list (default: at the end), written like the
    handoffs already there. The target is written as `agent:` in VS Code files and when the
    file's handoffs already use it, else `target:`; `target_key` overrides that."""
    if target_key not in (None, "target", "agent"):
        raise EditError("a handoff's target key is 'target' or 'agent'")
    _check_handoff(handoff)

    def edit(source: Source) -> None:
        front = compose(source)
        found = _items(source, front)
        dash, indent, order, styles = _style(front, found, detect_dialect(path))
        if target_key is not None:
            order = [target_key if k in ("target", "agent") else k for k in order]
        lines = _item_lines(handoff, dash, indent, order, styles)
        count = len(found.items)
        at = count if index is None else index
        if not 0 <= at <= count:
            raise EditError(f"cannot insert a handoff at position {at + 1}")
        if found.key is None:
            _, fence = source.frontmatter_span()
            source.replace(fence, fence, ["handoffs:", *lines])
        elif not found.items:
            key_line = front.index(found.key.start_mark)
            head = source.lines[key_line]
            assert found.node is not None
            value_column = int(found.node.start_mark.column)
            if front.index(found.node.start_mark) == key_line and value_column < len(head):
                rest = head[int(found.node.end_mark.column):]
                head = head[:value_column].rstrip() + rest
            source.replace(key_line, key_line + 1, [head, *lines])
        elif at < count:
            start = found.blocks[at][0]
            source.replace(start, start, lines)
        else:
            stop = found.blocks[-1][1]
            source.replace(stop, stop, lines)

    return edit_bytes(data, edit)


def remove_handoff(data: bytes, path: str, which: Which) -> bytes:
    """Remove one handoff (with the comment lines right above it). Removing the last one
    removes the `handoffs:` line too."""

    def edit(source: Source) -> None:
        front = compose(source)
        found = _items(source, front)
        at = _position(front, found, which)
        start, stop = found.blocks[at]
        if len(found.items) == 1 and found.key is not None:
            key_line = front.index(found.key.start_mark)
            if source.lines[key_line].strip() == "handoffs:" and all(
                is_comment_or_blank(line) for line in source.lines[key_line + 1 : start]
            ):
                start = key_line
        source.replace(start, stop, [])

    return edit_bytes(data, edit)


def move_handoff(data: bytes, path: str, which: Which, to: int) -> bytes:
    """Move one handoff to position `to` of the list (0 is first)."""

    def edit(source: Source) -> None:
        front = compose(source)
        found = _items(source, front)
        at = _position(front, found, which)
        if not 0 <= to < len(found.items):
            raise EditError(f"cannot move a handoff to position {to + 1}")
        if at == to:
            return
        blocks = [source.lines[a:b] for a, b in found.blocks]
        # Items are separated by whatever their blocks end with; move contents, keep layout.
        order = list(range(len(blocks)))
        order.insert(to, order.pop(at))
        first, last = found.blocks[0][0], found.blocks[-1][1]
        gaps = [blocks[position][len(_trimmed(blocks[position])):]
                for position in range(len(blocks))]
        out: list[str] = []
        for position, index in enumerate(order):
            out.extend(_trimmed(blocks[index]))
            out.extend(gaps[position])
        source.replace(first, last, out)

    return edit_bytes(data, edit)


def _trailing_blank(block: list[str]) -> int:
    count = 0
    while count < len(block) and not block[len(block) - 1 - count].strip():
        count += 1
    return count


def _trimmed(block: list[str]) -> list[str]:
    return block[: len(block) - _trailing_blank(block)]


def edit_handoff(data: bytes, path: str, which: Which, changes: Mapping[str, Value]) -> bytes:
    """Change fields of one handoff: keys of `changes` are target, label, prompt, send, model
    (None removes `model`). Each value keeps the quoting it had; a new key goes after the
    item's last key."""
    unknown = set(changes) - set(HANDOFF_FIELDS)
    if unknown:
        raise EditError(f"a handoff has no field {sorted(unknown)[0]!r}")
    if "target" in changes and not (isinstance(changes["target"], str)
                                    and changes["target"].strip()):
        raise EditError("a handoff needs a target agent")

    def edit(source: Source) -> None:
        front = compose(source)
        found = _items(source, front)
        item = found.items[_position(front, found, which)]
        _, indent, _, styles = _style(front, found, detect_dialect(path))
        for field, value in changes.items():
            key = field
            if field == "target":
                key = "agent" if find_key(item, "agent") is not None else "target"
            _set(source, front, item, key, value, indent, styles.get(field))
            front = compose(source)
            found = _items(source, front)
            item = found.items[_position(front, found, which)]

    return edit_bytes(data, edit)


def _set(source: Source, front: Front, mapping: yaml.MappingNode, key: str, value: Value,
         indent: str, style: str | None) -> None:
    found = find_key(mapping, key)
    if value is None:
        if key in ("target", "agent", "label", "prompt"):
            raise EditError(f"a handoff's {key!r} cannot be removed, only changed")
        if found is None:
            return
        key_node, value_node = found
        if key_node is mapping.value[0][0]:
            raise EditError(f"{key!r} is the handoff's first key; it cannot be removed here")
        source.replace(front.index(key_node.start_mark),
                       last_line(value_node) + front.offset + 1, [])
        return
    if found is None:
        after = last_line(mapping) + front.offset + 1
        key_column = " " * int(mapping.start_mark.column) if mapping.value else indent
        source.replace(after, after, [f"{key_column}{key}: {scalar(value, style)}"])
        return
    _, value_node = found
    if not isinstance(value_node, yaml.ScalarNode):
        raise EditError(f"{key!r} is not a single value; edit it by hand")
    old_style = value_node.style if value_node.style in (None, '"', "'") else '"'
    replace_node(source, front, value_node, scalar(value, old_style))


def rename_handoff_key(data: bytes, which: Which, old: str, new: str) -> bytes:
    """Rename one key of one handoff (e.g. `target:` to `agent:`), keeping its value."""

    def edit(source: Source) -> None:
        front = compose(source)
        found = _items(source, front)
        item = found.items[_position(front, found, which)]
        _rename_key(source, front, item, old, new)

    return edit_bytes(data, edit)


def rename_key(data: bytes, old: str, new: str) -> bytes:
    """Rename a top-level frontmatter key, keeping its value and position."""

    def edit(source: Source) -> None:
        front = compose(source)
        _rename_key(source, front, front.root, old, new)

    return edit_bytes(data, edit)


def _rename_key(source: Source, front: Front, mapping: yaml.MappingNode, old: str,
                new: str) -> None:
    found = find_key(mapping, old)
    if found is None:
        raise EditError(f"there is no key {old!r}")
    if find_key(mapping, new) is not None:
        raise EditError(f"{new!r} is already there; renaming {old!r} would duplicate it")
    replace_node(source, front, found[0], key_text(new))


TOP_LEVEL_FIRST = ("name",)


def set_field(data: bytes, key: str, value: str | bool | None) -> bytes:
    """Set a top-level scalar field (name, description, model...); None removes it. A new
    `name` goes first, any other new key after the last one."""

    def edit(source: Source) -> None:
        front = compose(source)
        found = find_key(front.root, key)
        if value is None:
            if found is not None:
                start = front.index(found[0].start_mark)
                source.replace(start, last_line(found[1]) + front.offset + 1, [])
            return
        if found is None:
            first, fence = source.frontmatter_span()
            line = f"{key_text(key)}: {scalar(value)}"
            at = first if key in TOP_LEVEL_FIRST or not front.root.value else fence
            source.replace(at, at, [line])
            return
        _set(source, front, front.root, key, value, "", '"')

    return edit_bytes(data, edit)
