"""The form for a new agent: dialect, name, description, model, triggers, handoffs.

`plan_new_agent` checks the spec before the dialog closes (errors are shown in the form);
the app writes it (ui/features/authoring.py), never over an existing file.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from agentbench.core.model import Dialect, Handoff
from agentbench.core.text.safe import printable
from agentbench.core.write.change import EditError
from agentbench.core.write.new_agent import NewAgent, plan_new_agent

MODELS: dict[Dialect, tuple[str, ...]] = {
    Dialect.FACTORY: ("claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5", "gpt-4.1",
                      "gpt-4.1-mini", "gpt-5", "gemini-2.5-pro"),
    Dialect.VSCODE: ("claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5", "gpt-4.1",
                     "gpt-4.1-mini", "gpt-5", "gemini-2.5-pro"),
    Dialect.CLAUDE: ("sonnet", "opus", "haiku", "inherit"),
}
DEFAULT_LABEL = "Hand off to {target}"
DEFAULT_PROMPT = "Continue with the work described above."


class NewAgentScreen(ModalScreen[NewAgent | None]):
    """Dismisses with a checked `NewAgent`, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new_agent.cancel",
                tooltip="Close without creating anything"),
    ]

    def __init__(self, root: str, agents: Sequence[str]) -> None:
        super().__init__()
        self._root = root
        self._agents = list(agents)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="new-agent-dialog", classes="authoring-dialog"):
            yield Static(Content.styled("New agent", "bold"))
            yield Label("Dialect")
            yield Select[str](((str(d), str(d)) for d in Dialect), value=str(Dialect.FACTORY),
                              allow_blank=False, compact=True, id="new-dialect")
            yield Label("Name")
            yield Input(placeholder="cache-agent", compact=True, id="new-name")
            yield Label("Description")
            yield Input(placeholder="what this agent does", compact=True,
                        id="new-description")
            yield Label("Model (optional)")
            yield Input(placeholder="model", compact=True, id="new-model",
                        suggester=SuggestFromList(MODELS[Dialect.FACTORY]))
            with VerticalGroup(id="new-triggers-group"):
                yield Label("Triggers (one per line, factory agents only)")
                yield TextArea(id="new-triggers", compact=True)
            with VerticalGroup(id="new-handoffs-group"):
                yield Label("Handoffs to (each with a default label and prompt to edit later)")
                yield SelectionList[str](*((Content(printable(n)), n) for n in self._agents),
                                         compact=True, id="new-handoffs")
            yield Static(id="new-error")
            with HorizontalGroup(classes="authoring-buttons"):
                yield Button("Create", variant="primary", id="new-ok")
                yield Button("Cancel", id="new-cancel")

    def on_mount(self) -> None:
        self.query_one("#new-name").focus()

    @property
    def dialect(self) -> Dialect:
        value = self.query_one("#new-dialect", Select).value
        return Dialect(value) if isinstance(value, str) else Dialect.FACTORY

    @on(Select.Changed, "#new-dialect")
    def _dialect_changed(self) -> None:
        dialect = self.dialect
        self.query_one("#new-model", Input).suggester = SuggestFromList(MODELS[dialect])
        self.query_one("#new-triggers-group").display = dialect is Dialect.FACTORY
        self.query_one("#new-handoffs-group").display = dialect is not Dialect.CLAUDE

    def spec(self) -> NewAgent:
        dialect = self.dialect
        triggers: tuple[str, ...] = ()
        if dialect is Dialect.FACTORY:
            text = self.query_one("#new-triggers", TextArea).text
            triggers = tuple(t.strip() for t in text.splitlines() if t.strip())
        handoffs: tuple[Handoff, ...] = ()
        if dialect is not Dialect.CLAUDE:
            targets = self.query_one("#new-handoffs", SelectionList).selected
            handoffs = tuple(Handoff(str(t), DEFAULT_LABEL.format(target=t), DEFAULT_PROMPT,
                                     False) for t in targets)
        model = self.query_one("#new-model", Input).value.strip() or None
        return NewAgent(self.query_one("#new-name", Input).value.strip(),
                        self.query_one("#new-description", Input).value.strip(), dialect,
                        model, triggers, handoffs)

    @on(Button.Pressed, "#new-ok")
    def _ok(self) -> None:
        spec = self.spec()
        try:
            plan_new_agent(self._root, spec)
        except EditError as error:
            self.query_one("#new-error", Static).update(
                Content.styled(printable(str(error)), "$text-error"))
            return
        self.dismiss(spec)

    @on(Button.Pressed, "#new-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
