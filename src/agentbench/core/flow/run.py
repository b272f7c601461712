"""Flow mode: walking a library's handoffs step by step, and recorded flows (`flows/*.yaml`).

A `FlowRun` is the state of one walk: the agent it started at, the steps taken so far (each the
exact prompt sent), and the per-invocation values asked for on the way (`{{feature_description}}`
in a handoff prompt). It is driven one call at a time so a screen can show each state:

    run = FlowRun(library, values)          # starts at the workspace entry agent
    run.choices()                           # the current agent's handoffs, previewed
    run.needed_values("Implement Backend")  # names to ask for before taking it
    run.take("Implement Backend", values={"feature_description": "..."})
    run.back(); run.restart(); other = run.branch(1)

A `FlowFile` is a recorded walk; `replay` walks it again against the library as it is now and
stops, with a message naming the step, where the library no longer matches.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from agentbench.core.codes import severity
from agentbench.core.hints import suggest
from agentbench.core.model import Agent, Diagnostic, Handoff, Library
from agentbench.core.placeholders import Rendered, Values, find_names, render
from agentbench.core.yamlio import reader as yamlio

FLOWS_DIR = "flows"
FLOW_KEYS = frozenset({"title", "start", "profile", "values", "steps"})
STEP_KEYS = frozenset({"handoff", "to", "prompt", "reply"})
MAX_FLOW_BYTES = 1_048_576

HandoffRef = int | str | Handoff


class FlowError(Exception):
    """A flow action that cannot be done; the message says why in plain words."""


class NeedsValues(FlowError):
    """The handoff's prompt uses per-invocation placeholders that have no value yet."""

    def __init__(self, label: str, names: Sequence[str]) -> None:
        self.names = tuple(names)
        shown = ", ".join("{{" + n + "}}" for n in self.names)
        super().__init__(f"handoff '{label[:60]}' needs a value for {shown}")


@dataclass(frozen=True, slots=True)
class Step:
    """One handoff taken: from-agent → label → the exact prompt sent → to-agent."""

    source: str
    label: str
    target: str
    # The exact prompt sent (the rendered one, or the user's edit of it).
    prompt: str
    # The handoff's prompt rendered with the run's values, before any edit.
    rendered: str
    # The handoff's `send:` flag: True means it was sent at once, without a chance to edit.
    send: bool
    handoff_index: int
    reply: str | None = None
    # Placeholders of the prompt that no value filled (left verbatim in `prompt`).
    unfilled: tuple[str, ...] = ()

    @property
    def edited(self) -> bool:
        return self.prompt != self.rendered


@dataclass(frozen=True, slots=True)
class Choice:
    """One handoff of the current agent, as a flow screen lists it."""

    index: int
    handoff: Handoff
    # False for a dangling handoff (its target is not an agent): shown, but cannot be taken.
    available: bool
    # Why it cannot be taken, when it cannot.
    reason: str
    # Per-invocation placeholders to ask for before taking it.
    needs: tuple[str, ...]
    # The prompt rendered with the values known now (unknown placeholders left verbatim).
    preview: Rendered


class FlowRun:
    """One walk through a library's handoffs. Mutable; `branch` copies it."""

    def __init__(self, library: Library, values: Values | None = None,
                 start: str | None = None, run_values: Mapping[str, str] | None = None) -> None:
        self.library = library
        self.base_values = values if values is not None else _workspace_values(library, None)
        # Values given when the run was made (a recording's `values:`); restart keeps them.
        self._initial_values = dict(run_values or {})
        self.run_values: dict[str, str] = dict(self._initial_values)
        self._history: list[dict[str, str]] = []
        self.steps: list[Step] = []
        first = start if start is not None else default_start(library)
        if first is None:
            raise FlowError("the library has no agents to start a flow at")
        self.start_agent = ""
        self.start(first)

    # -- state -------------------------------------------------------------------------

    @property
    def current(self) -> str:
        """The name of the current agent."""
        return self.steps[-1].target if self.steps else self.start_agent

    @property
    def current_agent(self) -> Agent | None:
        return self.library.get(self.current)

    @property
    def transcript(self) -> tuple[Step, ...]:
        return tuple(self.steps)

    @property
    def values(self) -> Values:
        """The layered values with this run's remembered ones: session > run > profile > …"""
        base = self.base_values
        return replace(base, session={**self.run_values, **base.session})

    def render_current(self) -> Rendered:
        """The current agent's prompt (its body) rendered with the run's values."""
        agent = self.current_agent
        return render(agent.body if agent is not None else "", self.values)

    # -- choices -----------------------------------------------------------------------

    def choices(self) -> tuple[Choice, ...]:
        agent = self.current_agent
        if agent is None:
            return ()
        named = self.library.by_name()
        found: list[Choice] = []
        for index, handoff in enumerate(agent.handoffs):
            available = handoff.target in named
            reason = "" if available else (f"'{handoff.target[:60]}' is not an agent in this"
                                           " library")
            found.append(Choice(index, handoff, available, reason,
                                self.needed_values(handoff), render(handoff.prompt,
                                                                    self.values)))
        return tuple(found)

    def resolve(self, ref: HandoffRef, to: str | None = None) -> tuple[int, Handoff]:
        """The current agent's handoff named by index, label or target (and target, if `to`)."""
        agent = self.current_agent
        if agent is None:
            raise FlowError(f"'{self.current[:60]}' is not an agent in this library")
        handoffs = agent.handoffs
        if isinstance(ref, Handoff):
            for index, handoff in enumerate(handoffs):
                if handoff == ref:
                    return index, handoff
            raise FlowError(f"'{agent.name[:60]}' has no such handoff")
        if isinstance(ref, int):
            if 0 <= ref < len(handoffs):
                return ref, handoffs[ref]
            raise FlowError(f"'{agent.name[:60]}' has {len(handoffs)} handoffs; there is no"
                            f" handoff number {ref}")
        folded = ref.casefold()
        for by in ("label", "target", "folded label"):
            hits = [(i, h) for i, h in enumerate(handoffs)
                    if (h.label == ref if by == "label" else h.target == ref if by == "target"
                        else h.label.casefold() == folded)]
            if to is not None and hits:
                aimed = [(i, h) for i, h in hits if h.target == to]
                if not aimed:
                    now = hits[0][1].target
                    raise FlowError(f"handoff '{ref[:60]}' of '{agent.name[:60]}' now goes to"
                                    f" '{now[:60]}', not '{to[:60]}'")
                hits = aimed
            if hits:
                return hits[0]
        labels = ", ".join(f"'{h.label[:40]}'" for h in handoffs) or "none"
        raise FlowError(f"'{agent.name[:60]}' has no handoff '{ref[:60]}' (its handoffs:"
                        f" {labels})")

    def needed_values(self, handoff: HandoffRef) -> tuple[str, ...]:
        """Placeholders in the handoff's prompt that no value source knows yet."""
        chosen = handoff if isinstance(handoff, Handoff) else self.resolve(handoff)[1]
        values = self.values
        return tuple(n for n in find_names(chosen.prompt) if values.lookup(n) is None)

    def preview(self, handoff: HandoffRef, values: Mapping[str, str] | None = None) -> Rendered:
        """The prompt the handoff would send, with `values` added to the run's."""
        chosen = handoff if isinstance(handoff, Handoff) else self.resolve(handoff)[1]
        current = self.values
        if values:
            current = replace(current, session={**current.session, **values})
        return render(chosen.prompt, current)

    # -- actions -----------------------------------------------------------------------

    def set_value(self, name: str, value: str) -> None:
        """Remember a value for the rest of the run (undone by `back` past this point)."""
        self.run_values[name] = value

    def take(self, handoff: HandoffRef, prompt_override: str | None = None,
             reply: str | None = None, values: Mapping[str, str] | None = None,
             to: str | None = None, allow_unfilled: bool = False) -> Step:
        """Take a handoff of the current agent; its target becomes current.

        `values` fills per-invocation placeholders (remembered for the run). Without them, a
        prompt that still needs one raises NeedsValues, unless `allow_unfilled`, which leaves
        the placeholder verbatim. `prompt_override` is the user's edit of the rendered prompt,
        allowed only for `send: false` handoffs. Raises FlowError when it cannot be taken.
        """
        index, chosen = self.resolve(handoff, to)
        source = self.current
        if self.library.get(chosen.target) is None:
            raise FlowError(f"handoff '{chosen.label[:60]}' of '{source[:60]}' targets"
                            f" '{chosen.target[:60]}', which is not an agent in this library")
        if prompt_override is not None and chosen.send and prompt_override != self.preview(
                chosen, values).text:
            raise FlowError(f"handoff '{chosen.label[:60]}' sends at once (send: true); its"
                            " prompt cannot be edited")
        snapshot = dict(self.run_values)
        for name, value in (values or {}).items():
            self.run_values[name] = value
        missing = self.needed_values(chosen)
        if missing and not allow_unfilled:
            self.run_values = snapshot
            raise NeedsValues(chosen.label or chosen.target, missing)
        rendered = render(chosen.prompt, self.values)
        prompt = rendered.text if prompt_override is None else prompt_override
        step = Step(source, chosen.label, chosen.target, prompt, rendered.text, chosen.send,
                    index, reply, rendered.unfilled)
        self._history.append(snapshot)
        self.steps.append(step)
        return step

    def set_reply(self, step_index: int, reply: str | None) -> None:
        """Attach (or clear) a canned reply on an earlier step."""
        self.steps[step_index] = replace(self.steps[step_index], reply=reply)

    def back(self) -> Step | None:
        """Undo the last step (and the values first given for it); None when at the start."""
        if not self.steps:
            return None
        self.run_values = self._history.pop()
        return self.steps.pop()

    def restart(self, keep_values: bool = False) -> None:
        """Back to the start agent with no steps; asked values are forgotten unless kept."""
        if not keep_values:
            self.run_values = dict(self._initial_values)
        self.steps.clear()
        self._history.clear()

    def start(self, agent: str) -> None:
        """Start over at `agent`."""
        if self.library.get(agent) is None:
            hint = suggest(agent, set(self.library.by_name()))
            raise FlowError(f"'{agent[:60]}' is not an agent in this library{hint}")
        self.start_agent = agent
        self.restart()

    def branch(self, step_index: int) -> FlowRun:
        """A new run holding the first `step_index` steps of this one (this run is kept).

        `branch(0)` is a fresh run at the start agent with this run's initial values; the
        branch's current agent is the one that took step `step_index` here.
        """
        if not 0 <= step_index <= len(self.steps):
            raise FlowError(f"there is no step {step_index} to branch from (the run has"
                            f" {len(self.steps)} steps)")
        other = FlowRun(self.library, self.base_values, self.start_agent, self._initial_values)
        other.steps = list(self.steps[:step_index])
        other._history = [dict(h) for h in self._history[:step_index]]
        other.run_values = (dict(self._history[step_index]) if step_index < len(self.steps)
                            else dict(self.run_values))
        return other

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


def default_start(library: Library) -> str | None:
    """The workspace `entry` agent when it exists, else the first agent by name."""
    named = library.by_name()
    entry = library.workspace.entry if library.workspace is not None else None
    if entry is not None and entry in named:
        return entry
    return min(named) if named else None


def _workspace_values(library: Library, profile: str | None,
                      session: Mapping[str, str] | None = None) -> Values:
    if library.workspace is None:
        return Values(dict(session or {}), {}, {}, {})
    return library.workspace.values(profile, session)


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
            return None, [_diag(shown, 1, "AB901", f"cannot read it: {error.strerror or error}")]
        if len(data) > MAX_FLOW_BYTES:
            return None, [_diag(shown, 1, "AB901", "file is larger than 1 MB; a flow file is"
                                                   " a few lines")]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return None, [_diag(shown, data.count(b"\n", 0, error.start) + 1, "AB901",
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
            return None, [_diag(path, problem.line + 1, "AB901", problem.message)]
        data = loaded.data
        if not isinstance(data, dict):
            what = "nothing" if data is None else yamlio.type_name(data)
            return None, [_diag(path, 1, "AB901", f"expected 'key: value' pairs (start, steps,"
                                                  f" …), found {what}")]
        lines = {k: v + 1 for k, v in yamlio.key_lines(loaded.node).items()}
        for key in data:
            if key not in FLOW_KEYS:
                found.append(_diag(path, lines.get(str(key), 1), "AB902",
                                   f"unknown key '{str(key)[:60]}'{suggest(str(key), FLOW_KEYS)}"))
        text_fields: dict[str, str | None] = {}
        for key in ("title", "start", "profile"):
            value = data.get(key)
            if value is None:
                text_fields[key] = None
            elif isinstance(value, str) and value.strip():
                text_fields[key] = value.strip()
            else:
                text_fields[key] = None
                found.append(_diag(path, lines.get(key, 1), "AB901",
                                   f"'{key}' must be text, not {yamlio.type_name(value)}"))
        values = _read_values(path, data.get("values"), yamlio.value_node(loaded.node, "values"),
                              lines.get("values", 1), found)
        steps = _read_steps(path, data.get("steps"), yamlio.value_node(loaded.node, "steps"),
                            lines.get("steps", 1), found)
        if "steps" not in data:
            found.append(_diag(path, 1, "AB901", "no 'steps:' list"))
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

    def save(self, path: str | os.PathLike[str],
             expected_stamp: tuple[int, int] | None = None) -> tuple[int, int]:
        """Write the flow file atomically (creating `flows/` if needed); the new stamp.

        Pass `expected_stamp` (the `stamp` of the loaded file, or `atomic.ABSENT` for a new
        one) to refuse replacing a file changed on disk since: raises atomic.FileChanged;
        atomic.AtomicWriteError when the write fails.
        """
        from agentbench.core.write.atomic import write_atomic

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_atomic(target, self.dump().encode("utf-8"), expected_stamp)

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
        values = _workspace_values(library, chosen, session)
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


def _diag(path: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, max(line, 1), 1, severity(code), code, message)


def _read_values(path: str, raw: Any, node: yaml.Node | None, line: int,
                 found: list[Diagnostic]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        found.append(_diag(path, line, "AB901", f"'values' must map placeholder names to"
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
            found.append(_diag(path, where, "AB901", f"value of '{str(key)[:60]}' must be text,"
                                                     f" not {yamlio.type_name(value)}"))
    return values


def _read_steps(path: str, raw: Any, node: yaml.Node | None, line: int,
                found: list[Diagnostic]) -> tuple[FlowStep, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        found.append(_diag(path, line, "AB901", f"'steps' must be a list, not"
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
        found.append(_diag(path, line, "AB901", f"step {number} must be a handoff label or a"
                                                f" mapping, not {yamlio.type_name(item)}"))
        return FlowStep(handoff="", line=line, valid=False)
    lines = {k: v + 1 for k, v in yamlio.key_lines(node).items()}
    valid = True
    for key in item:
        if key not in STEP_KEYS:
            found.append(_diag(path, lines.get(str(key), line), "AB902",
                               f"step {number}: unknown key '{str(key)[:60]}'"
                               f"{suggest(str(key), STEP_KEYS)}"))
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
            found.append(_diag(path, lines.get(key, line), "AB901",
                               f"step {number}: '{key}' must be text, not"
                               f" {yamlio.type_name(value)}"))
    handoff = fields["handoff"] or fields["to"]
    if not handoff:
        if "handoff" not in item:
            found.append(_diag(path, line, "AB901", f"step {number} names no handoff (give"
                                                    " 'handoff: LABEL' or 'to: AGENT')"))
        valid = False
    return FlowStep(handoff=handoff or "", to=fields["to"], prompt=fields["prompt"],
                    reply=fields["reply"], line=line, valid=valid)


# -- lint ----------------------------------------------------------------------------------


def flow_folders(library: Library, root: str) -> list[str]:
    """`flows/` beside the library root and beside the workspace file, those that exist."""
    candidates = []
    if os.path.isdir(root):
        candidates.append(os.path.join(root, FLOWS_DIR))
    workspace = library.workspace
    if workspace is not None and workspace.path:
        candidates.append(os.path.join(os.path.dirname(workspace.path), FLOWS_DIR))
    folders: list[str] = []
    seen: set[str] = set()
    for folder in candidates:
        if not os.path.isdir(folder):
            continue
        real = os.path.realpath(folder)
        if real not in seen:
            seen.add(real)
            folders.append(folder)
    return folders


def flow_paths(library: Library, root: str) -> list[str]:
    paths: list[str] = []
    for folder in flow_folders(library, root):
        for pattern in ("*.yaml", "*.yml"):
            paths.extend(glob.glob(os.path.join(glob.escape(folder), pattern)))
    return sorted(paths)


def flow_diagnostics(library: Library, root: str) -> list[Diagnostic]:
    """Lint `flows/*.yaml` next to the library root / workspace file against the library."""
    found: list[Diagnostic] = []
    for path in flow_paths(library, root):
        flow, problems = FlowFile.load(path)
        found.extend(problems)
        if flow is not None:
            found.extend(check_flow(flow, library))
    return found


def check_flow(flow: FlowFile, library: Library) -> list[Diagnostic]:
    """Replay `flow` against `library`: where it stops, and prompts it leaves unfilled."""
    path = flow.path or "<flow>"
    run, problem = flow.replay(library)
    found: list[Diagnostic] = []
    if run is not None:
        for index, step in enumerate(run.steps):
            for name in step.unfilled:
                found.append(_diag(path, flow.steps[index].line, "AB906",
                                   f"step {index + 1} ('{step.label[:40]}') leaves"
                                   f" '{{{{{name}}}}}' unfilled; give it under 'values:'"))
    if problem is not None and problem.code != "AB901":
        found.append(_diag(path, problem.line, problem.code, problem.message))
    return found
