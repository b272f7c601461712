"""Writing a new agent file: correct for its dialect, in the folder that dialect's tools read,
checked with the real parser before anything is written, and never over an existing file.

    plan = plan_new_agent("agents", NewAgent("cache-agent", "Caching specialist"))
    saved = change.save(plan)         # refuses if the file appeared meanwhile
    change.undo(saved)                # removes it again (if untouched)
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from agentbench.core.model import Dialect, Handoff, Severity
from agentbench.core.read import dialects
from agentbench.core.read.parse import detect_dialect, parse_bytes
from agentbench.core.write.change import EditError, FileChange, Saved, save
from agentbench.core.write.rename import file_name_ok
from agentbench.core.write.yaml_text import scalar


@dataclass(frozen=True, slots=True)
class NewAgent:
    name: str
    description: str
    dialect: Dialect = Dialect.FACTORY
    model: str | None = None
    triggers: tuple[str, ...] = ()
    handoffs: tuple[Handoff, ...] = ()
    # The prompt; None writes a short outline to fill in.
    body: str | None = None


def agent_path(root: str, dialect: Dialect, name: str) -> str:
    """Where a new `dialect` agent called `name` goes, starting from library folder `root`:
    the dialect's default folder (`.github/agents/`, `.claude/agents/`; the folder itself
    when `root` is one, else below `root`), `root` for the factory dialect."""
    folder = os.path.dirname(root) if os.path.isfile(root) else root
    if detect_dialect(os.path.join(folder, name + ".md")) is dialect:
        return os.path.join(folder, name + ".md")
    table = dialects.spec(dialect)
    if not table.folders:
        # No folder makes a file this dialect's, so none below `folder` would either.
        raise EditError(f"{folder} holds {detect_dialect(os.path.join(folder, 'x.md'))} agents;"
                        f" a {dialect} agent does not belong there")
    home = os.path.join(folder, *table.default_folder)
    if table.suffixes and not os.path.isdir(home):
        # A suffix marks the file as well as the folder would: no folder is created for it.
        return os.path.join(folder, name + table.suffixes[0])
    return os.path.join(home, name + ".md")


def render_agent(spec: NewAgent) -> str:
    """The file's text (`\\n` line endings)."""
    lines = ["---", f"name: {scalar(spec.name)}", f"description: {scalar(spec.description)}"]
    if spec.model:
        lines.append(f"model: {scalar(spec.model)}")
    if spec.triggers:
        lines.append("triggers:")
        lines += [f"  - {scalar(trigger, chr(34))}" for trigger in spec.triggers]
    if spec.handoffs:
        shape = dialects.spec(spec.dialect).handoff
        lines.append("handoffs:")
        for handoff in spec.handoffs:
            lines += [
                f"  - {shape.target_key}: {scalar(handoff.target)}",
                f"    {shape.label_key}: {scalar(handoff.label, chr(34))}",
                f"    {shape.prompt_key}: {scalar(handoff.prompt, chr(34))}",
                f"    {shape.send_key}: {scalar(handoff.send)}",
            ]
            if handoff.model:
                lines.append(f"    {shape.model_key}: {scalar(handoff.model, chr(34))}")
    lines.append("---")
    body = spec.body if spec.body is not None else _outline(spec)
    return "\n".join(lines) + "\n\n" + body.rstrip("\n") + "\n"


def _outline(spec: NewAgent) -> str:
    return (
        f"You are {spec.name}: {spec.description.rstrip('.')}.\n\n"
        "## Your Role\n\n- Describe what this agent owns.\n\n"
        "## Boundaries\n\n- ✅ **Always:** the things this agent must do\n"
        "- 🚫 **Never:** the things it must leave to others\n"
    )


def plan_new_agent(root: str, spec: NewAgent) -> FileChange:
    """The new file as a FileChange (before=None), after checking it: a usable name, fields
    the dialect reads, a path where nothing exists yet, and no error from the parser."""
    name = spec.name.strip()
    if name != spec.name or not file_name_ok(name):
        raise EditError("a name is letters, digits, '-', '_' or '.' and can be a file name")
    if not spec.description.strip():
        raise EditError("an agent needs a description")
    table = dialects.spec(spec.dialect)
    if spec.triggers and "triggers" not in table.known_keys:
        raise EditError(f"'triggers' is a factory-dialect field; {spec.dialect} ignores it")
    if spec.handoffs and not table.reads_handoffs:
        raise EditError(f"{table.agents} do not read handoffs")
    for handoff in spec.handoffs:
        if not (handoff.target.strip() and handoff.label.strip() and handoff.prompt.strip()):
            raise EditError("each handoff needs a target, a label and a prompt")
    path = agent_path(root, spec.dialect, name)
    if detect_dialect(path) is not spec.dialect:
        raise EditError(f"a {spec.dialect} agent cannot live at {path}")
    if os.path.lexists(path):
        raise EditError(f"{path} already exists; choose another name")
    data = render_agent(spec).encode("utf-8")
    errors = [d for d in parse_bytes(path, data).diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise EditError("; ".join(f"{d.code} {d.message}" for d in errors[:3]))
    return FileChange(path, None, data, None, (f"new {spec.dialect} agent {name}",))


def create_agent(root: str, spec: NewAgent) -> Saved:
    """Write the new agent (see plan_new_agent); `change.undo` removes it again."""
    return save(plan_new_agent(root, spec))
