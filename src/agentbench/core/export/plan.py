"""Export agents, placeholders filled, as files a tool reads: VS Code, Claude Code or Cursor.

`plan_export` decides every file's content and what does not carry over (the loss report)
without touching the disk beyond reading what is already there; `write_plan` writes it
atomically, refusing to replace a file that differs unless forced. docs/export.md lists the
rules per target.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agentbench.core.export.rules import (
    TARGETS,
    claude_model,
    claude_tools,
    slug,
    vscode_model,
    vscode_tools,
)
from agentbench.core.model import Agent, Dialect
from agentbench.core.placeholders import find_names, render_text
from agentbench.core.read import dialects
from agentbench.core.text.safe import printable
from agentbench.core.write.atomic import ABSENT, Stamp, stamp_of, write_atomic

__all__ = ["TARGETS", "ExportPlan", "ExportRefused", "plan_export", "write_plan"]

# VS Code and Claude Code files go where those tools read them (read/dialects.py); Cursor is
# an export target only, not a dialect agentbench reads.
FOLDERS = {"vscode": dialects.spec(Dialect.VSCODE).default_folder,
           "claude": dialects.spec(Dialect.CLAUDE).default_folder,
           "cursor": (".cursor", "agents")}
SUFFIX = {"vscode": dialects.spec(Dialect.VSCODE).suffixes[0], "claude": ".md", "cursor": ".md"}
_HANDLED = frozenset({"name", "description", "model", "tools", "handoffs"})


class ExportRefused(Exception):
    """Nothing (more) was written; the message says why."""


@dataclass(frozen=True, slots=True)
class Note:
    """One entry of the report: a field that did not carry over, or one that was changed."""

    agent: str
    field: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"agent": self.agent, "field": self.field, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class PlannedFile:
    agent: str
    source: str
    path: str
    data: bytes
    status: str  # "new", "unchanged", "changed" (differs from the file on disk), "blocked"
    stamp: Stamp
    unfilled: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportPlan:
    target: str
    out: str
    files: tuple[PlannedFile, ...]
    losses: tuple[Note, ...]
    changes: tuple[Note, ...]
    skipped: tuple[Note, ...] = field(default=())

    @property
    def conflicts(self) -> tuple[PlannedFile, ...]:
        return tuple(f for f in self.files if f.status in ("changed", "blocked"))

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "out": self.out,
            "files": [{"agent": f.agent, "source": f.source, "path": f.path,
                       "status": f.status, "unfilled": list(f.unfilled)} for f in self.files],
            "losses": [n.to_json() for n in self.losses],
            "changes": [n.to_json() for n in self.changes],
            "skipped": [n.to_json() for n in self.skipped],
        }


def flatten(values: Any) -> dict[str, str]:
    """A `Values` (or plain mapping) as one name -> value mapping, precedence applied."""
    if isinstance(values, Mapping):
        return {str(k): str(v) for k, v in values.items()}
    out: dict[str, str] = {}
    for name in values.names():
        value = values.lookup(name)
        if value is not None:
            out[name] = value
    return out


def plan_export(agents: Iterable[Agent], target: str, out: str,
                values: Mapping[str, str]) -> ExportPlan:
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
    agents = list(agents)
    folder = os.path.join(out, *FOLDERS[target])
    losses: list[Note] = []
    changes: list[Note] = []
    skipped: list[Note] = []
    # Names first: Claude and Cursor need lowercase-hyphen names, unique, and handoff targets
    # must follow a rename.
    names: dict[str, str] = {}
    files: dict[str, str] = {}
    taken: set[str] = set()
    for agent in agents:
        if agent.name in names:
            skipped.append(Note(agent.name, "name", f"another agent already has this name;"
                                f" {agent.path} is not exported"))
            continue
        base = slug(agent.name)
        stem = base
        counter = 2
        while stem in taken:
            stem = f"{base}-{counter}"
            counter += 1
        taken.add(stem)
        files[agent.name] = stem
        names[agent.name] = agent.name if target == "vscode" else stem
        if names[agent.name] != agent.name:
            changes.append(Note(agent.name, "name", f"renamed to '{stem}' ({_NAME_RULE[target]})"))
    planned: list[PlannedFile] = []
    seen_paths: set[str] = set()
    for agent in agents:
        if agent.name not in files or agent.path in seen_paths:
            continue
        seen_paths.add(agent.path)
        front, body = _convert(agent, target, names, values, losses, changes)
        text = "---\n" + _dump(front) + "---\n" + body
        data = text.encode("utf-8")
        path = os.path.join(folder, files[agent.name] + SUFFIX[target])
        unfilled = tuple(dict.fromkeys(find_names(body)))
        planned.append(PlannedFile(agent.name, agent.path, path, data, *_status(path, data),
                                   unfilled))
    return ExportPlan(target, out, tuple(planned), tuple(losses), tuple(changes),
                      tuple(skipped))


_NAME_RULE = {"vscode": "", "claude": "Claude Code names are lowercase letters, digits and"
              " hyphens", "cursor": "Cursor names are used as file names; lowercase-hyphen"}


def _status(path: str, data: bytes) -> tuple[str, Stamp]:
    try:
        stamp = stamp_of(path)
    except OSError:
        return "blocked", ABSENT
    if stamp == ABSENT:
        return "new", ABSENT
    if not os.path.isfile(path):
        return "blocked", stamp
    try:
        with open(path, "rb") as handle:
            existing = handle.read(len(data) + 1)
    except OSError:
        return "blocked", stamp
    return ("unchanged" if existing == data else "changed"), stamp


def _dump(front: Mapping[str, Any]) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(dict(front), Dumper=dumper, sort_keys=False, allow_unicode=True,
                          width=1_000_000, default_flow_style=False)
    return text


def _fill(text: str, values: Mapping[str, str]) -> str:
    return render_text(text, values)


def _convert(agent: Agent, target: str, names: Mapping[str, str], values: Mapping[str, str],
             losses: list[Note], changes: list[Note]) -> tuple[dict[str, Any], str]:
    name = agent.name

    def lose(key: str, reason: str) -> None:
        losses.append(Note(name, key, reason))

    front: dict[str, Any] = {"name": names[name]}
    description = _fill(agent.description, values).strip()
    if not description and target != "vscode":
        description = f"The {names[name]} agent."
        changes.append(Note(name, "description", f"was empty; set to '{description}' because"
                            f" {_TOOL[target]} requires one"))
    if description:
        front["description"] = description
    if target == "vscode":
        _to_vscode(agent, front, names, values, lose, changes)
    elif target == "claude":
        _to_claude(agent, front, lose, changes)
    else:
        _to_cursor(agent, front, lose)
    target_dialect = {"vscode": Dialect.VSCODE, "claude": Dialect.CLAUDE,
                      "cursor": None}[target]
    from agentbench.core.read.schema import KNOWN_KEYS

    for key, value in agent.frontmatter.items():
        if not isinstance(key, str) or key in _HANDLED:
            continue
        if key == "triggers":
            count = len(value) if isinstance(value, list) else 1
            lose(key, f"{_TOOL[target]} has no triggers ({count} dropped); the agent is chosen"
                      " by its description")
        elif target_dialect is not None and agent.dialect is target_dialect and (
                key in KNOWN_KEYS[target_dialect]):
            front[key] = value  # same tool: carried over as written
        else:
            lose(key, f"not a {_TOOL[target]} field")
    return front, _fill(agent.body, values)


_TOOL = {"vscode": "VS Code", "claude": "Claude Code", "cursor": "Cursor"}


def _to_vscode(agent: Agent, front: dict[str, Any], names: Mapping[str, str],
               values: Mapping[str, str], lose: Any, changes: list[Note]) -> None:
    raw_model = agent.frontmatter.get("model")
    if agent.dialect is Dialect.VSCODE and isinstance(raw_model, list):
        front["model"] = raw_model
    elif agent.model:
        model = vscode_model(agent.model)
        if model != agent.model:
            changes.append(Note(agent.name, "model", f"'{agent.model}' written as '{model}',"
                                " the name VS Code's model picker uses"))
        front["model"] = model
    if agent.tools:
        if agent.dialect is Dialect.CLAUDE:
            tools, unknown = vscode_tools(agent.tools)
            for tool in unknown:
                lose("tools", f"Claude Code tool '{tool}' has no VS Code equivalent")
        else:
            tools = list(agent.tools)
        if tools:
            front["tools"] = tools
    handoffs: list[dict[str, Any]] = []
    for index, handoff in enumerate(agent.handoffs, 1):
        if handoff.target not in names:
            lose("handoffs", f"handoff {index} ('{handoff.label[:60]}') targets"
                             f" '{handoff.target[:60]}', which is not among the exported agents;"
                             " VS Code would show a button that does nothing")
            continue
        label = _fill(handoff.label, values).strip()
        prompt = _fill(handoff.prompt, values)
        if not label:
            label = f"Hand off to {names[handoff.target]}"
            changes.append(Note(agent.name, "handoffs", f"handoff {index} had no label; set to"
                                f" '{label}' (VS Code drops a handoff without one)"))
        if not prompt.strip():
            prompt = f"Continue with the work above as {names[handoff.target]}."
            changes.append(Note(agent.name, "handoffs", f"handoff {index} had no prompt; set to"
                                f" '{prompt}' (VS Code drops a handoff without one)"))
        item: dict[str, Any] = {"label": label, "agent": names[handoff.target],
                                "prompt": prompt, "send": handoff.send}
        if handoff.model:
            item["model"] = vscode_model(handoff.model)
        handoffs.append(item)
    if handoffs:
        front["handoffs"] = handoffs


def _to_claude(agent: Agent, front: dict[str, Any], lose: Any, changes: list[Note]) -> None:
    if agent.tools:
        if agent.dialect is Dialect.CLAUDE:
            tools = list(agent.tools)
        else:
            tools, unknown = claude_tools(agent.tools)
            for tool in unknown:
                lose("tools", f"tool '{tool}' has no Claude Code equivalent")
        if tools:
            front["tools"] = ", ".join(tools)
    if agent.model:
        model = claude_model(agent.model)
        if model != agent.model:
            reason = ("not a Claude model; the session's model is used" if model == "inherit"
                      else "Claude Code accepts an alias or a full model id")
            changes.append(Note(agent.name, "model", f"'{agent.model}' written as '{model}'"
                                f" ({reason})"))
        front["model"] = model
    for index, handoff in enumerate(agent.handoffs, 1):
        lose("handoffs", f"handoff {index} (→ {handoff.target[:60]}, '{handoff.label[:60]}'):"
                         " Claude Code subagents have no handoffs; the main agent delegates by"
                         " description")


def _to_cursor(agent: Agent, front: dict[str, Any], lose: Any) -> None:
    if agent.model:
        # Cursor takes `inherit`, `fast` or a model id; the model is kept as written.
        front["model"] = agent.model.split(", ")[0]
        if ", " in agent.model:
            lose("model", "Cursor takes one model; fallbacks after the first are dropped")
    if agent.tools:
        lose("tools", "Cursor subagents have no per-agent tool list (only `readonly`)")
    for index, handoff in enumerate(agent.handoffs, 1):
        lose("handoffs", f"handoff {index} (→ {handoff.target[:60]}, '{handoff.label[:60]}'):"
                         " Cursor subagents have no handoffs")


def write_plan(plan: ExportPlan, force: bool = False) -> list[str]:
    """Write the planned files; returns the paths written (unchanged files are skipped).

    Refuses (ExportRefused, nothing written) when a file differs on disk and `force` is not
    set; a file changed between planning and writing is never overwritten (FileChanged).
    """
    from agentbench.core.write.atomic import LinkLeaves, WriteRefused, check_writable, confine

    try:  # a link planted in --out (a file's or a folder's) must not lead the export out
        confine(plan.out, *(f.path for f in plan.files if f.status != "unchanged"))
    except LinkLeaves as error:
        raise ExportRefused(str(error)) from None
    blocked = [f.path for f in plan.files if f.status == "blocked"]
    if blocked:
        raise ExportRefused(f"{blocked[0]} cannot be written (it is not a regular file, or its"
                            " folder cannot be read); nothing was written")
    if plan.conflicts and not force:
        shown = ", ".join(f.path for f in plan.conflicts[:3])
        more = f" and {len(plan.conflicts) - 3} more" if len(plan.conflicts) > 3 else ""
        raise ExportRefused(f"{len(plan.conflicts)} existing files differ ({shown}{more});"
                            " nothing was written. Use --force to overwrite them.")
    written: list[str] = []
    for planned in plan.files:
        if planned.status == "unchanged":
            continue
        folder = os.path.dirname(planned.path)
        done = f" ({len(written)} files were written before it)" if written else ""
        try:
            check_writable(planned.path)
            os.makedirs(folder, exist_ok=True)
        except WriteRefused as error:
            raise ExportRefused(f"{error}{done}") from None
        except OSError as error:
            raise ExportRefused(f"cannot create the folder {folder}:"
                                f" {error.strerror or error}{done}") from None
        try:
            write_atomic(planned.path, planned.data, planned.stamp, within=plan.out)
        except WriteRefused as error:
            raise ExportRefused(f"{error}{done}") from None
        written.append(planned.path)
    return written


def report_text(plan: ExportPlan, dry_run: bool, written: list[str] | None = None,
                refused: bool = False) -> str:
    lines: list[str] = []
    verb = {"new": "would create" if dry_run else "created",
            "changed": "would overwrite" if dry_run else "overwrote",
            "unchanged": "unchanged", "blocked": "blocked"}
    for planned in plan.files:
        status = verb[planned.status]
        if not dry_run and written is not None and planned.status == "changed" and (
                planned.path not in written):
            status = "differs"
        lines.append(f"  {status:<16} {printable(planned.path)}")
    if plan.skipped:
        lines.append("")
        lines.extend(f"skipped {printable(n.agent)}: {printable(n.reason)}" for n in plan.skipped)
    if plan.losses:
        lines.append("")
        lines.append(f"Loss report: {len(plan.losses)} fields do not carry over to"
                     f" {_TOOL[plan.target]}")
        lines.extend(f"  {printable(n.agent)}: {n.field} — {printable(n.reason)}"
                     for n in plan.losses)
    if plan.changes:
        lines.append("")
        lines.append(f"Changed to fit {_TOOL[plan.target]}: {len(plan.changes)}")
        lines.extend(f"  {printable(n.agent)}: {n.field} — {printable(n.reason)}"
                     for n in plan.changes)
    unfilled = sorted({n for f in plan.files for n in f.unfilled})
    if unfilled:
        lines.append("")
        shown = ", ".join("{{" + n + "}}" for n in unfilled[:12])
        more = f" and {len(unfilled) - 12} more" if len(unfilled) > 12 else ""
        lines.append(f"{len(unfilled)} placeholders left unfilled: {printable(shown)}{more}")
    count = sum(f.status in ("new", "changed") for f in plan.files)
    lines.append("")
    if refused:
        lines.append(f"export stopped: {len(written or [])} of {len(plan.files)} files written"
                     f" to {printable(plan.out)}")
    elif dry_run:
        lines.append(f"dry run: {count} of {len(plan.files)} files would be written to"
                     f" {printable(plan.out)}")
    else:
        done = len(written or [])
        lines.append(f"wrote {done} of {len(plan.files)} files to {printable(plan.out)}"
                     f" ({len(plan.files) - done} unchanged)" if done != len(plan.files) else
                     f"wrote {done} files to {printable(plan.out)}")
    return "\n".join(lines) + "\n"
