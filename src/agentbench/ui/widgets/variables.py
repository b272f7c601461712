"""Every placeholder the selected agent uses, its value, and where that value came from."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalGroup, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Select, Static

from agentbench.core.placeholders import Source, Value, Values
from agentbench.core.text.safe import printable

_SOURCE_STYLE = {
    Source.SESSION: "bold $text-accent",
    Source.PROFILE: "$text-success",
    Source.OVERRIDES: "$text-secondary",
    Source.DETECTED: "$text-secondary",
    Source.UNSET: "bold $text-error",
}


def describe_source(value: Value) -> Content:
    label = str(value.source)
    if value.source is Source.PROFILE and value.origin:
        label = f"profile {printable(value.origin)[:40]}"
    content = Content.styled(label, _SOURCE_STYLE[value.source])
    if value.source is Source.DETECTED and value.origin:  # the evidence: "pyproject.toml:6"
        content = Content.assemble(content, " ", (printable(value.origin)[:60], "$text-muted"))
    return content


class VariableRow(VerticalGroup):
    """One placeholder: its name and source on a line, its value in an Input below."""

    def __init__(self, value: Value) -> None:
        super().__init__(classes="variable-row")
        self.placeholder = value.name
        self._value = value

    def compose(self) -> ComposeResult:
        yield Static(self._heading(self._value), classes="variable-name")
        yield Input(self._value.value or "", placeholder="unset", compact=True,
                    id=f"var-{self.placeholder}", select_on_focus=False)

    def _heading(self, value: Value) -> Content:
        return Content.assemble((printable(value.name), "bold"), "  ", describe_source(value))

    def refresh_value(self, value: Value, *, replace_input: bool) -> None:
        self._value = value
        self.query_one(".variable-name", Static).update(self._heading(value))
        self.set_class(value.source is Source.UNSET, "-unset")
        if replace_input:
            box = self.query_one(Input)
            if box.value != (value.value or ""):
                with box.prevent(Input.Changed):
                    box.value = value.value or ""


class VariablesPanel(VerticalScroll):
    class ValueEdited(Message):
        """The user typed a value for `name` (a session value)."""

        def __init__(self, panel: VariablesPanel, name: str, value: str) -> None:
            super().__init__()
            self.panel = panel
            self.name = name
            self.value = value

        @property
        def control(self) -> VariablesPanel:
            return self.panel

    def compose(self) -> ComposeResult:
        yield Static("Profile", classes="panel-heading")
        yield Select[str]([], prompt="no profiles", allow_blank=True, id="profile-select",
                          compact=True)
        yield Static("Placeholders", classes="panel-heading")
        yield VerticalGroup(id="vars-body")
        yield Static("Per invocation (handoff prompts)", classes="panel-heading",
                     id="vars-handoff-heading")
        yield VerticalGroup(id="vars-handoff")
        yield Button("Save as profile…", id="save-profile", compact=True,
                     tooltip="Write this session's values into the workspace file (ctrl+s)")

    def set_profiles(self, names: Iterable[str], current: str | None) -> None:
        select = self.query_one("#profile-select", Select)
        options = [(Content(printable(n)), n) for n in names]
        with select.prevent(Select.Changed):
            select.set_options(options)
            if current is not None and any(v == current for _, v in options):
                select.value = current
        select.disabled = not options

    def show(self, body_names: Iterable[str], invocation_names: Iterable[str],
             values: Values) -> None:
        """Rebuild the rows for a newly selected agent."""
        body = self.query_one("#vars-body", VerticalGroup)
        handoff = self.query_one("#vars-handoff", VerticalGroup)
        body.remove_children()
        handoff.remove_children()
        body_list = list(body_names)
        invocation = [n for n in invocation_names if n not in set(body_list)]
        if body_list:
            body.mount_all(VariableRow(values.resolve(n)) for n in body_list)
        else:
            body.mount(Static(Content.styled("none", "$text-muted")))
        handoff.mount_all(VariableRow(values.resolve(n)) for n in invocation)
        handoff.display = bool(invocation)
        self.query_one("#vars-handoff-heading").display = bool(invocation)

    def update_values(self, values: Values, *, editing: str | None = None) -> None:
        """New values for the same rows; the row being typed in keeps its Input untouched."""
        for row in self.query(VariableRow):
            row.refresh_value(values.resolve(row.placeholder),
                              replace_input=row.placeholder != editing)

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        # Inputs also report values set by code (on mount, on a profile switch), which may
        # arrive after the state they came from is gone; only the user's typing is an edit.
        if not event.input.has_focus:
            return
        row = next((a for a in event.input.ancestors if isinstance(a, VariableRow)), None)
        if row is not None:
            self.post_message(self.ValueEdited(self, row.placeholder, event.value))
