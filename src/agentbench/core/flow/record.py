"""Recorded flows (`flows/*.yaml`): the file format, recording a walk, replaying a recording.

A `FlowFile` is a recorded walk; `replay` walks it again against the library as it is now and
stops, with a message naming the step, where the library no longer matches. `FlowRun` is a
`Walk` that can be recorded as such a file and replayed on a reloaded library.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from agentbench.core.codes import severity
from agentbench.core.flow.walk import FlowError, Walk, default_start, workspace_values
from agentbench.core.hints import Names, suggest
from agentbench.core.model import Diagnostic, Library
from agentbench.core.placeholders import find_names
from agentbench.core.yamlio import reader as yamlio

FLOWS_DIR = "flows"
FLOW_KEYS = frozenset({"title", "start", "profile", "values", "steps"})
STEP_KEYS = frozenset({"handoff", "to", "prompt", "reply"})
MAX_FLOW_BYTES = 1_048_576
_FLOW_KEY_NAMES = Names(FLOW_KEYS)
_STEP_KEY_NAMES = Names(STEP_KEYS)


# -- flow files --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlowStep:
    """One recorded step: which handoff (label, or target), to whom, an edit, a reply."""

    handoff: str
    to: str | None = None
    prompt: str | None = None
    reply: str | None = None
    line: int = 1
    # False when the step could not be read (its diagnostic says why); replay stops there.
    valid: bool = True

    def to_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"handoff": self.handoff}
        for key in ("to", "prompt", "reply"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class FlowProblem:
    """Why a replay stopped: at which step (0-based; None for the start), where, and what."""

    step: int | None
    line: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class FlowFile:
    """A recorded flow: start agent, steps, prompt edits, canned replies and values."""

    start: str | None
    steps: tuple[FlowStep, ...] = ()
    values: Mapping[str, str] = field(default_factory=dict)
    title: str | None = None
    profile: str | None = None
    path: str | None = None
    # 1-based lines of the top-level keys, for diagnostics.
    key_lines: Mapping[str, int] = field(default_factory=dict)
    # (mtime_ns, size) of the file when it was loaded, for a save that must not clobber edits.
    stamp: tuple[int, int] | None = None

    @property
    def name(self) -> str:
        if self.title:
            return self.title
        return Path(self.path).stem if self.path else "flow"

    # -- reading and writing -------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> tuple[FlowFile | None, list[Diagnostic]]:
        """Read a flow file; never raises. Problems come back as diagnostics with lines."""
        shown = os.fspath(path)
        try:
            with open(shown, "rb") as handle:
                info = os.fstat(handle.fileno())
                data = handle.read(MAX_FLOW_BYTES + 1)
        except OSError as error:
            return None, [diag(shown, 1, "AB901", f"cannot read it: {error.strerror or error}")]
        if len(data) > MAX_FLOW_BYTES:
            return None, [diag(shown, 1, "AB901", "file is larger than 1 MB; a flow file is"
                                                   " a few lines")]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return None, [diag(shown, data.count(b"\n", 0, error.start) + 1, "AB901",
                                "not UTF-8 text")]
        flow, found = cls.parse(text, shown)
        if flow is not None:
            flow = replace(flow, stamp=(info.st_mtime_ns, info.st_size))
        return flow, found

    @classmethod
    def parse(cls, text: str, path: str = "<flow>") -> tuple[FlowFile | None, list[Diagnostic]]:
        found: list[Diagnostic] = []
        try:
            loaded = yamlio.load(text)
        except yamlio.YamlProblem as problem:
            return None, [diag(path, problem.line + 1, "AB901", problem.message)]
        data = loaded.data
        if not isinstance(data, dict):
            what = "nothing" if data is None else yamlio.type_name(data)
            return None, [diag(path, 1, "AB901", f"expected 'key: value' pairs (start, steps,"
                                                  f" …), found {what}")]
        lines = {k: v + 1 for k, v in yamlio.key_lines(loaded.node).items()}
        for key in data:
            if key not in FLOW_KEYS:
                hint = _FLOW_KEY_NAMES.suggest(str(key))
                found.append(diag(path, lines.get(str(key), 1), "AB902",
                                  f"unknown key '{str(key)[:60]}'{hint}"))
        text_fields: dict[str, str | None] = {}
        for key in ("title", "start", "profile"):
            value = data.get(key)
            if value is None:
                text_fields[key] = None
            elif isinstance(value, str) and value.strip():
                text_fields[key] = value.strip()
            else:
                text_fields[key] = None
                found.append(diag(path, lines.get(key, 1), "AB901",
                                   f"'{key}' must be text, not {yamlio.type_name(value)}"))
        values = _read_values(path, data.get("values"), yamlio.value_node(loaded.node, "values"),
                              lines.get("values", 1), found)
        steps = _read_steps(path, data.get("steps"), yamlio.value_node(loaded.node, "steps"),
                            lines.get("steps", 1), found)
        if "steps" not in data:
            found.append(diag(path, 1, "AB901", "no 'steps:' list"))
        flow = cls(start=text_fields["start"], steps=steps, values=values,
                   title=text_fields["title"], profile=text_fields["profile"], path=path,
                   key_lines=lines)
        return flow, found

    def to_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.title:
            out["title"] = self.title
        out["start"] = self.start
        if self.profile:
            out["profile"] = self.profile
        if self.values:
            out["values"] = dict(self.values)
        out["steps"] = [s.to_yaml() for s in self.steps]
        return out

    def dump(self) -> str:
        return yaml.safe_dump(self.to_yaml(), sort_keys=False, allow_unicode=True,
                              default_flow_style=False, width=100)

    # -- replay ----------------------------------------------------------------------------

    def start_problem(self, library: Library,
                      profile: str | None = None) -> FlowProblem | None:
        """Why this flow cannot start on `library` (missing profile or start agent), if so."""
        chosen = profile if profile is not None else self.profile
        workspace = library.workspace
        if chosen is not None and (workspace is None or chosen not in workspace.profiles):
            return FlowProblem(None, self.key_lines.get("profile", 1), "AB907",
                               f"profile '{chosen[:60]}' is not defined in the workspace file")
        start = self.start if self.start is not None else default_start(library)
        if start is None:
            return FlowProblem(None, 1, "AB903", "the flow names no start agent and the"
                                                 " workspace has no entry")
        if library.get(start) is None:
            return FlowProblem(None, self.key_lines.get("start", 1), "AB903",
                               f"the flow starts at '{start[:60]}', which is not an agent in"
                               f" this library{suggest(start, set(library.by_name()))}")
        return None

    def new_run(self, library: Library, session: Mapping[str, str] | None = None,
                profile: str | None = None) -> FlowRun:
        """A run at this flow's start with its values, ready for `apply_step`.

        Raises FlowError when the start agent (or the profile) does not exist.
        """
        problem = self.start_problem(library, profile)
        if problem is not None:
            raise FlowError(problem.message)
        chosen = profile if profile is not None else self.profile
        values = workspace_values(library, chosen, session)
        return FlowRun(library, values, self.start or default_start(library), self.values)

    def apply_step(self, run: FlowRun, index: int) -> FlowProblem | None:
        """Take recorded step `index` on `run`; a problem (and no step taken) when it fails."""
        step = self.steps[index]
        where = f"step {index + 1} ('{step.handoff[:60]}' from '{run.current[:60]}')"
        if not step.valid:
            return FlowProblem(index, step.line, "AB901", f"{where} could not be read")
        try:
            index_, handoff = run.resolve(step.handoff, step.to)
        except FlowError as error:
            return FlowProblem(index, step.line, "AB904", f"{where} no longer exists: {error}")
        if run.library.get(handoff.target) is None:
            return FlowProblem(index, step.line, "AB904",
                               f"{where} no longer exists: its target '{handoff.target[:60]}'"
                               " is not an agent in this library")
        if step.prompt is not None and handoff.send and step.prompt != run.preview(
                handoff).text:
            return FlowProblem(index, step.line, "AB905",
                               f"{where} has an edited prompt, but the handoff sends at once"
                               " (send: true)")
        run.take(index_, step.prompt, step.reply, allow_unfilled=True)
        return None

    def replay(self, library: Library, session: Mapping[str, str] | None = None,
               profile: str | None = None) -> tuple[FlowRun | None, FlowProblem | None]:
        """Walk the recording again; stops at the first step the library no longer has.

        The run is None only when it cannot start at all (missing start agent or profile).
        """
        problem = self.start_problem(library, profile)
        if problem is not None:
            return None, problem
        run = self.new_run(library, session, profile)
        for index in range(len(self.steps)):
            problem = self.apply_step(run, index)
            if problem is not None:
                return run, problem
        return run, None


def diag(path: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, max(line, 1), 1, severity(code), code, message)


def _read_values(path: str, raw: Any, node: yaml.Node | None, line: int,
                 found: list[Diagnostic]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        found.append(diag(path, line, "AB901", f"'values' must map placeholder names to"
                                                f" text, not {yamlio.type_name(raw)}"))
        return {}
    lines = yamlio.key_lines(node)
    values: dict[str, str] = {}
    for key, value in raw.items():
        where = lines.get(str(key), line - 1) + 1
        if isinstance(value, bool):
            values[str(key)] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            values[str(key)] = str(value)
        elif value is None:
            values[str(key)] = ""
        else:
            found.append(diag(path, where, "AB901", f"value of '{str(key)[:60]}' must be text,"
                                                     f" not {yamlio.type_name(value)}"))
    return values


def _read_steps(path: str, raw: Any, node: yaml.Node | None, line: int,
                found: list[Diagnostic]) -> tuple[FlowStep, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        found.append(diag(path, line, "AB901", f"'steps' must be a list, not"
                                                f" {yamlio.type_name(raw)}"))
        return ()
    item_lines = [n + 1 for n in yamlio.item_lines(node)]
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    steps: list[FlowStep] = []
    for index, item in enumerate(raw):
        where = item_lines[index] if index < len(item_lines) else line
        item_node = items[index] if index < len(items) else None
        steps.append(_read_step(path, index, item, item_node, where, found))
    return tuple(steps)


def _read_step(path: str, index: int, item: Any, node: yaml.Node | None, line: int,
               found: list[Diagnostic]) -> FlowStep:
    number = index + 1
    if isinstance(item, str | int) and not isinstance(item, bool):
        return FlowStep(handoff=str(item), line=line)
    if not isinstance(item, dict):
        found.append(diag(path, line, "AB901", f"step {number} must be a handoff label or a"
                                                f" mapping, not {yamlio.type_name(item)}"))
        return FlowStep(handoff="", line=line, valid=False)
    lines = {k: v + 1 for k, v in yamlio.key_lines(node).items()}
    valid = True
    for key in item:
        if key not in STEP_KEYS:
            found.append(diag(path, lines.get(str(key), line), "AB902",
                               f"step {number}: unknown key '{str(key)[:60]}'"
                               f"{_STEP_KEY_NAMES.suggest(str(key))}"))
    fields: dict[str, str | None] = {}
    for key in ("handoff", "to", "prompt", "reply"):
        value = item.get(key)
        if value is None:
            fields[key] = None
        elif isinstance(value, str) or (key == "handoff" and isinstance(value, int)
                                        and not isinstance(value, bool)):
            fields[key] = str(value)
        else:
            valid = False
            fields[key] = None
            found.append(diag(path, lines.get(key, line), "AB901",
                               f"step {number}: '{key}' must be text, not"
                               f" {yamlio.type_name(value)}"))
    handoff = fields["handoff"] or fields["to"]
    if not handoff:
        if "handoff" not in item:
            found.append(diag(path, line, "AB901", f"step {number} names no handoff (give"
                                                    " 'handoff: LABEL' or 'to: AGENT')"))
        valid = False
    return FlowStep(handoff=handoff or "", to=fields["to"], prompt=fields["prompt"],
                    reply=fields["reply"], line=line, valid=valid)


class FlowRun(Walk):
    """A walk that can be recorded as a flow file and replayed on a reloaded library."""

    def rebase(self, library: Library) -> tuple[FlowRun | None, FlowProblem | None]:
        """This walk replayed on a reloaded `library` (after a file changed on disk).

        Like `FlowFile.replay`: the new run (None when its start agent or profile is gone)
        and where it stopped, when the library no longer has one of its steps.
        """
        return self.record().replay(library, self.base_values.session)

    # -- recording ---------------------------------------------------------------------

    def record(self, title: str | None = None) -> FlowFile:
        """This walk as a flow file that replays to the same transcript."""
        used: dict[str, str] = dict(self.run_values)
        session = self.base_values.session
        agents = self.library.by_name()
        steps: list[FlowStep] = []
        for step in self.steps:
            source = agents.get(step.source)
            for name in (find_names(source.handoffs[step.handoff_index].prompt)
                         if source is not None else ()):
                if name in session:
                    used[name] = session[name]
            steps.append(FlowStep(handoff=step.label or step.target, to=step.target,
                                  prompt=step.prompt if step.edited else None,
                                  reply=step.reply))
        return FlowFile(title=title, start=self.start_agent,
                        profile=self.base_values.profile_name, values=used, steps=tuple(steps))
