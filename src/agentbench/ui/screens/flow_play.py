"""Replaying a recorded flow on the flow screen: the autoplay timer, whether the walk still
follows the recording, the status line, and the path walked (for the graph view).

Autoplay is a Textual timer (`set_interval`), never a sleep; tests drive it by calling the
screen's `action_advance` directly, so no test waits on the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.timer import Timer

from agentbench.core.flow.record import FlowFile, FlowProblem, FlowRun
from agentbench.ui.widgets.flow_card import one_line

# Seconds between steps when space starts autoplay on a flow opened without --autoplay.
DEFAULT_INTERVAL = 2.0
MIN_INTERVAL = 0.1


class Player:
    """Owns the screen's autoplay timer: play, pause, toggle."""

    def __init__(self, set_interval: Callable[[float, Callable[[], None]], Timer],
                 tick: Callable[[], None], interval: float | None) -> None:
        # The screen's set_interval and its one-step action (flow_walk.WalkScreen).
        self._set_interval, self._tick = set_interval, tick
        self.interval = interval
        self.playing = False
        self._timer: Timer | None = None

    def play(self) -> None:
        if self.interval is None:
            self.interval = DEFAULT_INTERVAL
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._set_interval(max(self.interval, MIN_INTERVAL), self._tick)
        self.playing = True

    def pause(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.playing = False

    def toggle(self, run: FlowRun | None, script: FlowFile | None, stopped: bool) -> bool:
        """Pause, or play on; at the end of the recording (or off it, or `stopped` by a
        problem), play from the start. True when the walk was restarted."""
        if script is None or run is None:
            return False
        if self.playing:
            self.pause()
            return False
        restarted = not on_script(run, script) or len(run.steps) >= len(script.steps) \
            or stopped
        if restarted:
            run.restart()
        self.play()
        return restarted


def _same(recorded_handoff: str, label: str, target: str) -> bool:
    return recorded_handoff in (label, target) or recorded_handoff.casefold() == label.casefold()


def on_script(run: FlowRun, script: FlowFile) -> bool:
    """Whether the walk so far is a beginning of the recording (so its next step applies)."""
    if len(run.steps) > len(script.steps):
        return False
    if script.start is not None and run.start_agent != script.start:
        return False
    for step, recorded in zip(run.steps, script.steps, strict=False):
        if not _same(recorded.handoff, step.label, step.target):
            return False
        if recorded.to is not None and recorded.to != step.target:
            return False
        if (recorded.prompt if recorded.prompt is not None else step.rendered) != step.prompt:
            return False
    return True


def path_of(run: FlowRun | None) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """Agents reached (each once, in order) and edges taken (each once, in order)."""
    if run is None:
        return (), ()
    agents = [run.start_agent]
    edges: list[tuple[str, str, str]] = []
    for step in run.steps:
        if step.target not in agents:
            agents.append(step.target)
        edge = (step.source, step.target, step.label)
        if edge not in edges:
            edges.append(edge)
    return tuple(agents), tuple(edges)


def status_line(run: FlowRun | None, script: FlowFile | None, player: Player,
                problem: FlowProblem | None, message: str) -> Content:
    if run is None:
        why = problem.message if problem else message
        return Content.styled(f" ⚠ cannot start: {one_line(why or 'no library', 200)}",
                              "bold $text-error")
    if problem is not None:
        return Content.styled(f" ⚠ replay stopped: {one_line(problem.message, 300)}",
                              "bold $text-error")
    parts: list[Content] = []
    steps = len(run.steps)
    if script is not None:
        parts.append(Content.assemble(" Replaying ", (one_line(script.name, 60), "bold"),
                                      f": step {steps} of {len(script.steps)}"))
        if not on_script(run, script):
            parts.append(Content.styled("off the recording", "$text-warning"))
        elif steps >= len(script.steps):
            parts.append(Content.styled("end of the recording", "$text-success"))
        if player.playing:
            parts.append(Content.styled(f"autoplay every {player.interval:g}s (space pauses)",
                                        "$text-accent"))
        elif player.interval is not None:
            parts.append(Content.styled("autoplay paused (space plays)", "$text-muted"))
    else:
        noun = "step" if steps == 1 else "steps"
        parts.append(Content.assemble(" Walk from ", (one_line(run.start_agent, 60), "bold"),
                                      f": {steps} {noun}"))
    parts.append(Content.assemble("at ", (one_line(run.current, 60), "bold $text-accent")))
    if run.run_values:
        count = len(run.run_values)
        parts.append(Content.styled(f"{count} value{'s' if count != 1 else ''} remembered",
                                    "$text-muted"))
    return Content(" · ").join(parts)
