"""Export for VS Code / Claude Code / Cursor from the workbench (docs/export.md).

The dialog asks for the output folder, shows the dry-run plan (files to create, files that
differ and would need overwriting, the loss report) and writes on confirm. Planning and
writing read and write files, so both run in thread workers that only post messages; a file
that differs on disk is never replaced unless "overwrite changed files" is ticked.
Paths, agent names and loss reasons are untrusted: everything is shown as `Content`.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from agentbench.core.export.plan import ExportPlan, ExportRefused, plan_export, report_text
from agentbench.core.text.safe import printable

if TYPE_CHECKING:
    from agentbench.core.model import Agent

TOOLS = {"vscode": "VS Code", "claude": "Claude Code", "cursor": "Cursor"}


def default_out(root: str, target: str) -> str:
    """`export-<target>` beside the library folder (for a file: beside its folder)."""
    folder = os.path.abspath(root)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    return os.path.join(os.path.dirname(folder), f"export-{target}")

@dataclass
class Planned(Message):
    generation: int
    plan: ExportPlan | None
    error: str = ""


@dataclass
class Written(Message):
    written: list[str]
    out: str
    error: str = ""


class ExportDialog(ModalScreen[tuple[int, str] | None]):
    """Dismisses with (files written, folder), or None when cancelled."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    #export-dialog {
        width: 90%; max-width: 110; height: 80%;
        padding: 1 2; background: $surface; border: thick $primary;
    }
    #export-summary { height: auto; margin: 1 0; }
    #export-plan { height: 1fr; background: $boost; padding: 0 1; }
    #export-error { height: auto; color: $text-error; }
    #export-buttons { height: auto; align-horizontal: right; }
    #export-buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Do not export"),
    ]

    def __init__(self, target: str, out: str, agents: list[Agent],
                 values: dict[str, str]) -> None:
        super().__init__()
        self.target = target
        self._out = out
        self._agents = agents
        self._values = values
        self._generation = 0
        self.plan: ExportPlan | None = None
        self.writing = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(Content.styled(f"Export for {TOOLS[self.target]}", "bold"))
            yield Input(self._out, placeholder="output folder", id="export-out")
            yield Static(Content.styled("planning…", "$text-muted"), id="export-summary")
            with VerticalScroll(id="export-plan"):
                yield Static(id="export-report")
            yield Static(id="export-error")
            yield Checkbox("overwrite changed files", id="export-force", compact=True)
            with HorizontalGroup(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-ok", disabled=True)
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self._start_plan()

    # -- planning -----------------------------------------------------------------------------

    @property
    def out(self) -> str:
        return os.path.expanduser(self.query_one("#export-out", Input).value.strip())

    @on(Input.Changed, "#export-out")
    def _out_changed(self) -> None:
        self.query_one("#export-error", Static).update("")
        self._start_plan()

    def _start_plan(self) -> None:
        self._generation += 1
        self.plan = None
        self.query_one("#export-ok", Button).disabled = True
        if not self.out:
            self.query_one("#export-summary", Static).update(
                Content.styled("choose a folder to write into", "$text-warning"))
            return
        self._plan(self._generation, self.out)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export-plan",
          name="plan export")
    def _plan(self, generation: int, out: str) -> None:
        try:
            plan = plan_export(self._agents, self.target, out, self._values)
        except (OSError, ValueError) as error:
            self.post_message(Planned(generation, None, str(error)))
            return
        self.post_message(Planned(generation, plan))

    @on(Planned)
    def _planned(self, message: Planned) -> None:
        if message.generation != self._generation:
            return  # the folder changed since
        summary = self.query_one("#export-summary", Static)
        if message.plan is None:
            summary.update(Content.styled(f"cannot plan: {printable(message.error)}",
                                          "$text-error"))
            return
        plan = self.plan = message.plan
        summary.update(summarise(plan))
        self.query_one("#export-report", Static).update(Content(report_text(plan, True)))
        self.query_one("#export-ok", Button).disabled = not plan.files or self.writing

    # -- writing ------------------------------------------------------------------------------

    @on(Button.Pressed, "#export-ok")
    def _confirm(self) -> None:
        if self.plan is None or self.writing:
            return
        self.writing = True
        self.query_one("#export-ok", Button).disabled = True
        self._write(self.plan, self.query_one("#export-force", Checkbox).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export-write",
          name="write export")
    def _write(self, plan: ExportPlan, force: bool) -> None:
        from agentbench.core.export.plan import write_plan

        try:
            self.post_message(Written(write_plan(plan, force=force), plan.out))
        except ExportRefused as error:
            self.post_message(Written([], plan.out, str(error)))

    @on(Written)
    def _written(self, message: Written) -> None:
        self.writing = False
        if not message.error:
            self.dismiss((len(message.written), message.out))
            return
        text = printable(message.error).replace("Use --force", "Tick 'overwrite changed files'")
        self.query_one("#export-error", Static).update(Content(text))
        self.notify(text, title="Export refused", severity="error", markup=False)
        self._start_plan()  # the files on disk may have changed: plan again

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def summarise(plan: ExportPlan) -> Content:
    """One line per kind: what would be created, what differs (needs overwriting), losses."""
    counts = Counter(f.status for f in plan.files)
    unfilled = {n for f in plan.files for n in f.unfilled}
    parts: list[Content | str | tuple[str, str]] = [
        (f"{counts['new']} to create", "$text-success"), " · ",
        (f"{counts['changed']} differ (need overwrite)",
         "bold $text-warning" if counts["changed"] else "$text-muted"), " · ",
        (f"{counts['unchanged']} unchanged", "$text-muted"),
    ]
    if counts["blocked"]:
        parts += [" · ", (f"{counts['blocked']} cannot be written", "bold $text-error")]
    parts += ["\n", (f"{len(plan.losses)} fields lost", "$text-warning" if plan.losses
                     else "$text-muted"),
              " · ", (f"{len(plan.changes)} values changed to fit", "$text-muted"),
              " · ", (f"{len(unfilled)} placeholders unfilled",
                      "$text-warning" if unfilled else "$text-muted")]
    parts += ["\n", Content.assemble("into ", (printable(plan.out), "$text-accent"))]
    return Content.assemble(*parts)
