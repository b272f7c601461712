"""Flow mode: walk the library's handoffs one step at a time, or replay a recorded flow.

The screen holds one `FlowRun` (core.flow) and shows it: the current agent as a card with its
handoffs as buttons, and the transcript beside it. Taking a `send: false` handoff opens its
rendered prompt in an editable box first; `send: true` sends at once. Per-invocation values
are asked for in a small dialog and remembered by the run. A replayed flow (the `script`)
can be stepped with the arrow keys or advanced by a timer (`autoplay`).
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from agentbench.core.flow.record import FlowFile, FlowRun
from agentbench.core.flow.walk import Choice, FlowError
from agentbench.core.model import Library
from agentbench.ui.messages import FlowPathChanged
from agentbench.ui.rendering import visible
from agentbench.ui.screens.flow_dialogs import AskValuesScreen
from agentbench.ui.screens.flow_files import start_export, start_record
from agentbench.ui.screens.flow_play import path_of, status_line
from agentbench.ui.screens.flow_walk import WalkScreen
from agentbench.ui.screens.help import HelpScreen
from agentbench.ui.widgets.flow_card import FlowCard, one_line
from agentbench.ui.widgets.flow_compose import ComposeBox
from agentbench.ui.widgets.transcript import Transcript


class _Column(VerticalScroll, inherit_bindings=False):
    """Scrolls with the mouse and to the focused widget; its keys are left to the screen
    (VerticalScroll binds left/right, which here step the walk)."""


class FlowScreen(WalkScreen):
    """Flow mode: the current agent, its handoffs, the edit box and the transcript."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="flow-body"):
            with _Column(id="flow-main"):
                yield FlowCard(id="flow-card")
                yield ComposeBox(id="flow-compose")
            with Vertical(id="flow-side"):
                yield Static(Content.styled("Transcript", "bold"), id="flow-transcript-title")
                yield Transcript(id="flow-transcript")
        yield Static(id="flow-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ComposeBox).display = False
        self._ready = True
        library = self._pending or self.state.library
        if library is not None:
            self._begin(library)
        else:
            self._status(Content.styled("loading the library…", "$text-muted"))

    # -- starting and reloading ----------------------------------------------------------

    def _begin(self, library: Library) -> None:
        state = self.state
        self.run, self.problem, self.message = None, None, ""
        self._redo.clear()
        script = self.script
        try:
            if script is None:
                self.run = FlowRun(library, state.values, self._start)
            elif self.player.interval is not None:
                self.run = script.new_run(library, state.session, state.profile)
                self.player.play()
            else:
                self.run, self.problem = script.replay(library, state.session, state.profile)
        except FlowError as error:
            self.message = str(error)
        if script is not None and self.run is None and self.problem is None:
            self.problem = script.start_problem(library, state.profile)
        self._changed()

    def library_changed(self, library: Library) -> None:
        """The library was reloaded: replay the walk on it; say where it no longer fits."""
        if not self._ready:
            self._pending = library
            return
        if self.run is None:
            self._begin(library)
            return
        box = self.query_one(ComposeBox)
        editing = (box.choice, box.values, box.text_area.text) if box.display else None
        rebased, problem = self.run.rebase(library)
        self._redo.clear()
        if rebased is not None:
            self.run = rebased
        self.problem, self.message = problem, ""
        if problem is not None:
            self.player.pause()
            self.notify(problem.message, title="The walk no longer fits the library",
                        severity="warning", timeout=15, markup=False)
        self._changed()
        if editing is not None and self.run is not None:
            self._reopen(*editing)

    def _reopen(self, choice: Choice | None, values: dict[str, str], text: str) -> None:
        """Keep a prompt being edited across a reload, if its handoff is still there."""
        assert self.run is not None
        same = [c for c in self.run.choices() if choice is not None and c.available
                and c.index == choice.index and c.handoff.label == choice.handoff.label]
        if same and not same[0].handoff.send:
            self._with_values(same[0], values)
            self.query_one(ComposeBox).text_area.load_text(text)

    def start_at(self, agent: str) -> None:
        """A new walk at `agent` (the recorded flow, if any, is left)."""
        self.player.pause()
        self.script, self._start = None, agent
        if self._ready and self.state.library is not None:
            self._begin(self.state.library)

    def play_script(self, flow: FlowFile, autoplay: float | None) -> None:
        self.player.pause()
        self.script, self.player.interval = flow, autoplay
        if self._ready and self.state.library is not None:
            self._begin(self.state.library)

    # -- showing -------------------------------------------------------------------------

    def _changed(self, keep: int | None = None) -> None:
        card = self.query_one(FlowCard)
        self.query_one(ComposeBox).close()
        run = self.run
        if run is None:
            card.show(None, self._start or "", ())
            self.query_one(Transcript).show(self._start or "", ())
        else:
            agent = run.current_agent
            card.show(agent, run.current, run.choices())
            if agent is not None:
                card.show_prompt(agent.body, run.values)
            self.query_one(Transcript).show(run.start_agent, run.transcript, keep)
        self._status(status_line(run, self.script, self.player, self.problem, self.message))
        title = self.script.name if self.script else f"walk from {run.start_agent}" if run \
            else "walk"
        self.sub_title = f"flow · {one_line(title, 60)}"
        agents, edges = path_of(run)
        self.post_message(FlowPathChanged(agents, edges))
        self.refresh_bindings()
        self.call_after_refresh(self._focus_first)

    def _status(self, content: Content) -> None:
        self.query_one("#flow-status", Static).update(content)

    def _focus_first(self) -> None:
        if self.query_one(ComposeBox).display or isinstance(self.focused, Transcript):
            return
        enabled = [b for b in self.query_one(FlowCard).buttons if not b.disabled]
        (enabled[0] if enabled else self.query_one(Transcript)).focus()

    # -- taking handoffs -----------------------------------------------------------------

    @on(FlowCard.HandoffChosen)
    def _chosen(self, message: FlowCard.HandoffChosen) -> None:
        self.choose(message.choice)

    def choose(self, choice: Choice) -> None:
        """Take `choice`: ask for missing values, then send at once or open the edit box."""
        if self.run is None:
            return
        if not choice.available:
            self.notify(choice.reason, severity="warning", markup=False)
            return
        self.player.pause()
        needs = self.run.needed_values(choice.index)
        if needs:
            self.app.push_screen(AskValuesScreen(choice.handoff.label or choice.handoff.target,
                                                 needs), partial(self._with_values, choice))
        else:
            self._with_values(choice, {})

    def _with_values(self, choice: Choice, values: dict[str, str] | None) -> None:
        if values is None or self.run is None:
            return
        if choice.handoff.send:
            self._take(choice.index, None, values)
            return
        rendered = visible(self.run.preview(choice.index, values).text)
        self.query_one(ComposeBox).open(choice, rendered, values)

    @on(ComposeBox.Sent)
    def _sent(self, message: ComposeBox.Sent) -> None:
        edited = message.text if message.text != message.box.rendered else None
        self._take(message.choice.index, edited, message.values)

    @on(ComposeBox.Cancelled)
    def _cancelled(self) -> None:
        self.query_one(ComposeBox).close()
        self._focus_first()

    def _take(self, index: int, prompt: str | None, values: dict[str, str]) -> None:
        if self.run is None:
            return
        try:
            self.run.take(index, prompt_override=prompt, values=values)
        except FlowError as error:
            self.notify(str(error), title="Cannot take it", severity="error", markup=False)
            return
        self._redo.clear()
        self.problem, self.message = None, ""
        self._changed()

    def action_take(self, number: int) -> None:
        buttons = self.query_one(FlowCard).buttons
        if 0 <= number < len(buttons) and not self.query_one(ComposeBox).display:
            self.choose(buttons[number].choice)

    # -- files, help, leaving ------------------------------------------------------------

    def action_record(self) -> None:
        start_record(self)

    def action_export(self) -> None:
        start_export(self)

    def action_toggle_prompt(self) -> None:
        self.query_one(FlowCard).toggle_prompt()

    def action_close(self) -> None:
        self.player.pause()
        self.dismiss()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen([b for b in self.BINDINGS if isinstance(b, Binding)],
                                        self.help_rows))

    def action_workbench_only(self) -> None:
        self.notify("That key works in the workbench: Esc goes back to it")
