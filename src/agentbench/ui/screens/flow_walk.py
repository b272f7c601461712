"""The flow screen's state and the keys that move in the walk: back, forward (redo, or the
recording's next step), autoplay, restart, branch, reply. `FlowScreen` (flow.py) adds the
widgets, taking handoffs and the files; this base keeps each file short.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from textual.binding import Binding
from textual.screen import Screen

from agentbench.core.flow.record import FlowFile, FlowProblem, FlowRun
from agentbench.core.model import Library
from agentbench.ui.screen_text import SafeTitles
from agentbench.ui.screens.flow_dialogs import ReplyScreen
from agentbench.ui.screens.flow_play import Player, on_script
from agentbench.ui.state import WorkbenchState
from agentbench.ui.widgets.flow_card import one_line
from agentbench.ui.widgets.transcript import Transcript, step_content

_TAKE = [Binding(str(n), f"take({n - 1})", show=False, id=f"flow.take{n}",
                 tooltip=f"Take handoff {n}") for n in range(1, 10)]


class WalkScreen(SafeTitles, Screen[None]):
    BINDINGS = [
        Binding("left", "back", "Back", id="flow.back", tooltip="Undo the last step"),
        Binding("right", "forward", "Forward", id="flow.forward",
                tooltip="Redo an undone step, or take the recorded flow's next step"),
        Binding("space", "play", "Play", id="flow.play",
                tooltip="Autoplay the recorded flow (from the start when at its end)"),
        Binding("space", "pause", "Pause", id="flow.pause", tooltip="Pause autoplay"),
        Binding("r", "restart", "Restart", id="flow.restart",
                tooltip="Back to the start agent, no steps taken"),
        Binding("b", "branch", "Branch", id="flow.branch",
                tooltip="Continue from the step highlighted in the transcript"),
        Binding("e", "reply", "Reply", id="flow.reply",
                tooltip="Edit the canned reply of the highlighted transcript step"),
        Binding("p", "toggle_prompt", "Prompt", show=False, id="flow.prompt",
                tooltip="Show or hide the current agent's rendered prompt"),
        Binding("ctrl+s", "record", "Record", id="flow.record",
                tooltip="Save the walk as flows/NAME.yaml beside the library"),
        Binding("ctrl+e", "export", "Export", id="flow.export",
                tooltip="Write the walk as Markdown (transcript + Mermaid) to flows/NAME.md"),
        Binding("escape,f5", "close", "Close", id="flow.close",
                tooltip="Back to the workbench; f5 returns to this walk"),
        Binding("f1,question_mark", "help", "Help", id="flow.help", tooltip="List every key"),
        Binding("slash,f2,f3,f4", "workbench_only", show=False, id="flow.workbench_only"),
        *_TAKE,
    ]

    def __init__(self, state: WorkbenchState, start: str | None = None,
                 script: FlowFile | None = None, autoplay: float | None = None,
                 help_rows: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        # The workbench's library, values and profile, read as the walk starts or replays.
        self.state = state
        self.help_rows = tuple(help_rows)
        self.run: FlowRun | None = None
        self.script = script
        self.problem: FlowProblem | None = None
        self.message = ""
        self.player = Player(self.set_interval, self.action_advance, autoplay)
        self.branches: list[FlowRun] = []
        self._start = start
        self._redo: list[FlowRun] = []
        self._name: str | None = None
        self._pending: Library | None = None
        self._ready = False

    def _changed(self, keep: int | None = None) -> None:
        """Show the run as it is now (FlowScreen draws it)."""
        raise NotImplementedError

    def file_name(self) -> str:
        """The name the record and export dialogs offer: the last one saved, else the
        replayed flow's, else the start agent's."""
        if self._name:
            return self._name
        if self.script is not None and self.script.path:
            return Path(self.script.path).stem
        return f"{self.run.start_agent if self.run else 'flow'}-walk"

    def saved_as(self, path: str) -> None:
        self._name = Path(path).stem

    # -- moving in the walk --------------------------------------------------------------

    def action_back(self) -> None:
        if self.run is None or not self.run.steps:
            return
        self.player.pause()
        self._redo.append(self.run.branch(len(self.run.steps)))
        self.run.back()
        self.problem, self.message = None, ""
        self._changed()

    def action_forward(self) -> None:
        self.player.pause()
        self.step_forward()

    def step_forward(self) -> bool:
        """Redo an undone step, else take the script's next step; False when neither."""
        if self.run is None:
            return False
        if self._redo:
            self.run = self._redo.pop()
            self._changed()
            return True
        script = self.script
        if script is None or not self._can_forward():
            return False
        problem = script.apply_step(self.run, len(self.run.steps))
        self.problem, self.message = problem, ""
        if problem is not None:
            self.player.pause()
            self.notify(problem.message, title="Replay stopped", severity="error",
                        timeout=15, markup=False)
        self._changed()
        return problem is None

    def action_advance(self) -> None:
        """One autoplay tick (the timer calls it; tests call it directly)."""
        if not self.step_forward():
            self.player.pause()
            self._changed()

    def action_play(self) -> None:
        if self.player.toggle(self.run, self.script, self.problem is not None):
            self.problem = None
        self._changed()

    def action_pause(self) -> None:
        self.player.pause()
        self._changed()

    def action_restart(self) -> None:
        if self.run is None:
            return
        self.player.pause()
        self._redo.clear()
        self.run.restart()
        self.problem, self.message = None, ""
        self._changed()

    def action_branch(self) -> None:
        run = self.run
        if run is None:
            return
        index = self.query_one(Transcript).highlighted
        if index is None or index >= len(run.steps):
            self.notify("Highlight an earlier step in the transcript, then press b",
                        severity="warning")
            return
        self.player.pause()
        self.branches.append(run)
        self.run = run.branch(index)
        self._redo.clear()
        self.problem, self.message = None, ""
        self.notify(f"Branched after step {index}: continue from {one_line(self.run.current)}"
                    f" (the walk of {len(run.steps)} steps is kept)", markup=False)
        self._changed()

    def action_reply(self) -> None:
        run = self.run
        index = self.query_one(Transcript).highlighted
        if run is None or not index or index > len(run.steps):
            self.notify("Highlight a step in the transcript, then press e", severity="warning")
            return
        step = run.steps[index - 1]
        self.app.push_screen(ReplyScreen(step_content(index, step), step.reply or ""),
                             partial(self._replied, index))

    def _replied(self, index: int, reply: str | None) -> None:
        if reply is None or self.run is None or index > len(self.run.steps):
            return
        self.run.set_reply(index - 1, reply or None)
        self._changed(keep=index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Textual 8: True shows the key, None shows it dimmed, False hides it."""
        run = self.run
        if action == "play":
            return self.script is not None and not self.player.playing
        if action == "pause":
            return self.player.playing
        if action in ("back", "restart", "branch", "reply"):
            return True if run and run.steps else None
        if action == "forward":
            return True if self._can_forward() else None
        return True

    def _can_forward(self) -> bool:
        run, script = self.run, self.script
        if run is None:
            return False
        if self._redo:
            return True
        return script is not None and on_script(run, script) and \
            len(run.steps) < len(script.steps)
