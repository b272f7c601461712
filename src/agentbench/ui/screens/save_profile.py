"""Asks for the name of the profile that session values are saved into."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from agentbench.core.text.safe import printable
from agentbench.core.write.profile import valid_profile_name


class SaveProfileScreen(ModalScreen[str | None]):
    """Dismisses with the chosen profile name, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="save.cancel", tooltip="Do not save"),
    ]

    def __init__(self, suggested: str, target: str, names: list[str]) -> None:
        super().__init__()
        self._suggested = suggested
        self._target = target
        self._names = names

    def compose(self) -> ComposeResult:
        with VerticalGroup(id="save-dialog"):
            yield Static(Content.styled("Save session values as a profile", "bold"))
            yield Static(Content.assemble("into ", (printable(self._target), "$text-accent")))
            yield Input(self._suggested, placeholder="profile name", id="save-name")
            yield Static(id="save-hint")
            with HorizontalGroup(id="save-buttons"):
                yield Button("Save", variant="primary", id="save-ok")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        self._hint(self._suggested)

    @on(Input.Changed, "#save-name")
    def _changed(self, event: Input.Changed) -> None:
        self._hint(event.value)

    def _hint(self, name: str) -> None:
        hint = self.query_one("#save-hint", Static)
        ok = valid_profile_name(name)
        self.query_one("#save-ok", Button).disabled = not ok
        if not ok:
            hint.update(Content.styled("letters, digits, '_', '-', '.'", "$text-error"))
        elif name in self._names:
            hint.update(Content.styled("updates this existing profile", "$text-warning"))
        else:
            hint.update(Content.styled("creates a new profile", "$text-muted"))

    @on(Input.Submitted, "#save-name")
    @on(Button.Pressed, "#save-ok")
    def _save(self) -> None:
        name = self.query_one("#save-name", Input).value.strip()
        if valid_profile_name(name):
            self.dismiss(name)

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
