"""Renaming an agent across a library: its `name:`, its file, every handoff that targets it,
the workspace `entry:` and the recorded flows (`flows/*.yaml`, `rename_flows`) that name
it. `plan_rename` lists the changes (show them first); `change.save_all(plan.changes)` writes
them all or none.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from agentbench.core.model import Agent, Dialect, Library
from agentbench.core.read import dialects
from agentbench.core.read.parse import detect_dialect, parse_bytes, stem_of
from agentbench.core.write.agent_edit import edit_handoff, set_field
from agentbench.core.write.change import EditError, FileChange, Source, read_for_edit
from agentbench.core.write.rename_flows import plan_flow_renames
from agentbench.core.write.yaml_text import Front, find_key, replace_node, scalar

_CLAUDE_NAME = dialects.spec(Dialect.CLAUDE).name_pattern
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+ -]{0,99}")


@dataclass(frozen=True, slots=True)
class RenamePlan:
    old: str
    new: str
    changes: tuple[FileChange, ...]
    # Flow files that could not be read or changed safely, each 'path: not changed (why)'.
    skipped: tuple[str, ...] = ()

    @property
    def files(self) -> list[str]:
        """Each file to change, as 'path' or 'path -> new path'."""
        return [c.path if not c.new_path else f"{c.path} -> {c.new_path}"
                for c in self.changes]

    def diff(self) -> str:
        return "".join(c.diff() for c in self.changes)


def file_name_ok(name: str) -> bool:
    """A name that can be a file name: no folders, no hidden files, not a README."""
    return bool(_FILE_NAME.fullmatch(name)) and not name.lower().startswith(
        ("readme", "changelog", "license", "contributing", "code_of_conduct"))


def renamed_path(path: str, new_name: str) -> str:
    """`path` with its stem replaced by `new_name`, keeping `.agent.md`/`.chatmode.md`."""
    folder, base = os.path.split(path)
    suffix = base[len(stem_of(path)):]
    return os.path.join(folder, new_name + suffix)


def plan_rename(library: Library, old: str, new: str, *, rename_file: bool = True) -> RenamePlan:
    """The changes that rename agent `old` to `new`. Raises EditError when `new` is not a
    usable name, is taken, or `old` is ambiguous. The agent's file is renamed too when its
    name was its file name (and `rename_file`)."""
    new = new.strip()
    owners = [a for a in library.agents if a.name == old]
    if not owners:
        raise EditError(f"there is no agent named '{old[:60]}'")
    if len(owners) > 1:
        raise EditError(f"{len(owners)} files define '{old[:60]}'; rename one by hand first")
    agent = owners[0]
    _check_name(agent, new, library)
    changes: dict[str, FileChange] = {}
    data, stamp = read_for_edit(agent.path)
    after = data
    move = rename_file and stem_of(agent.path) == old
    if "name" in agent.frontmatter or not move:
        after = set_field(after, "name", new)
    new_path = renamed_path(agent.path, new) if move else None
    if new_path is not None and (not file_name_ok(new) or os.path.lexists(new_path)
                                 or detect_dialect(new_path) is not agent.dialect):
        if "name" not in agent.frontmatter:
            raise EditError(f"the file cannot be renamed to {new_path}")
        new_path = None
    changes[agent.path] = FileChange(agent.path, data, after, stamp,
                                     (f"name: {old} -> {new}",), new_path)
    for other in library.agents:
        if not any(h.target == old for h in other.handoffs):
            continue
        if other.path not in changes:
            fresh, fresh_stamp = read_for_edit(other.path)
            changes[other.path] = FileChange(other.path, fresh, fresh, fresh_stamp)
        previous = changes[other.path]
        before, current = previous.before, previous.after
        assert before is not None
        current, count = _retarget(other.path, current, old, new)
        summary = (*previous.summary, f"{count} handoffs: {old} -> {new}")
        changes[other.path] = FileChange(other.path, before, current, previous.stamp,
                                         summary, previous.new_path)
    workspace = library.workspace
    if workspace is not None and workspace.entry == old and workspace.path:
        changes[workspace.path] = _entry_change(workspace.path, new)
    flows, skipped = plan_flow_renames(library, old, new)
    for flow in flows:
        changes.setdefault(flow.path, flow)
    ordered = sorted(changes.values(), key=lambda c: c.path)
    return RenamePlan(old, new, tuple(c for c in ordered if c.changed), tuple(skipped))


def _check_name(agent: Agent, new: str, library: Library) -> None:
    if not new or any(ord(c) < 32 or ord(c) == 127 for c in new):
        raise EditError("a name cannot be empty or hold line breaks or control characters")
    if new == agent.name:
        raise EditError("the new name is the current name")
    if library.get(new) is not None:
        raise EditError(f"an agent named '{new[:60]}' already exists")
    if (agent.dialect is Dialect.CLAUDE and _CLAUDE_NAME is not None
            and not _CLAUDE_NAME.fullmatch(new)):
        raise EditError("Claude Code names are lowercase letters, digits and hyphens")


def _retarget(path: str, data: bytes, old: str, new: str) -> tuple[bytes, int]:
    """Point every handoff of the file that targets `old` at `new`, fresh from `data`."""
    parsed = parse_bytes(path, data)
    if parsed.agent is None:
        raise EditError(f"{path} can no longer be read as an agent")
    count = 0
    for handoff in parsed.agent.handoffs:
        if handoff.target == old:
            data = edit_handoff(data, path, handoff, {"target": new})
            count += 1
    return data, count


def _entry_change(path: str, new: str) -> FileChange:
    data, stamp = read_for_edit(path)
    source = Source.from_bytes(data)
    import yaml

    try:
        root = yaml.compose(source.text(), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise EditError(f"{path} is not valid YAML; its 'entry' was not changed") from None
    found = find_key(root, "entry") if isinstance(root, yaml.MappingNode) else None
    if found is None or not isinstance(root, yaml.MappingNode):
        return FileChange(path, data, data, stamp)
    value = found[1]
    style = value.style if isinstance(value, yaml.ScalarNode) else None
    replace_node(source, Front(root, 0), value, scalar(new, style))
    return FileChange(path, data, source.to_bytes(), stamp, (f"entry: -> {new}",))
