"""The state of one walk through a library's handoffs, driven one call at a time so a screen
can show each state:

    run = FlowRun(library, values)          # starts at the workspace entry agent
    run.choices()                           # the current agent's handoffs, previewed
    run.needed_values("Implement Backend")  # names to ask for before taking it
    run.take("Implement Backend", values={"feature_description": "..."})
    run.back(); run.restart(); other = run.branch(1)

A walk is the agent it started at, the steps taken so far (each the exact prompt sent), and the
per-invocation values asked for on the way (`{{feature_description}}` in a handoff prompt).
`Walk` is all of that; `FlowRun` (record.py) adds recording it as a flow file and replaying
it on a reloaded library, which need the file format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Self

from agentbench.core.hints import suggest
from agentbench.core.model import Agent, Handoff, Library
from agentbench.core.placeholders import Rendered, Values, find_names, render

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


class Walk:
    """One walk through a library's handoffs. Mutable; `branch` copies it."""

    def __init__(self, library: Library, values: Values | None = None,
                 start: str | None = None, run_values: Mapping[str, str] | None = None) -> None:
        self.library = library
        self.base_values = values if values is not None else workspace_values(library, None)
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

    def branch(self, step_index: int) -> Self:
        """A new run holding the first `step_index` steps of this one (this run is kept).

        `branch(0)` is a fresh run at the start agent with this run's initial values; the
        branch's current agent is the one that took step `step_index` here.
        """
        if not 0 <= step_index <= len(self.steps):
            raise FlowError(f"there is no step {step_index} to branch from (the run has"
                            f" {len(self.steps)} steps)")
        other = type(self)(self.library, self.base_values, self.start_agent,
                           self._initial_values)
        other.steps = list(self.steps[:step_index])
        other._history = [dict(h) for h in self._history[:step_index]]
        other.run_values = (dict(self._history[step_index]) if step_index < len(self.steps)
                            else dict(self.run_values))
        return other


def default_start(library: Library) -> str | None:
    """The workspace `entry` agent when it exists, else the first agent by name."""
    named = library.by_name()
    entry = library.workspace.entry if library.workspace is not None else None
    if entry is not None and entry in named:
        return entry
    return min(named) if named else None


def workspace_values(library: Library, profile: str | None,
                      session: Mapping[str, str] | None = None) -> Values:
    if library.workspace is None:
        return Values(dict(session or {}), {}, {}, {})
    return library.workspace.values(profile, session)
