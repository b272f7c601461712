"""The editable prompt of a `send: false` handoff: pre-filled, the user may edit, then sends.

As VS Code does for such handoffs. The prompt text is untrusted; a TextArea never parses it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static, TextArea

from agentbench.core.flow.walk import Choice
from agentbench.ui.widgets.flow_card import one_line


class ComposeBox(Vertical):
    """Hidden until `open`; posts Sent (with the text) or Cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "send", "Send", id="flow.compose.send",
                tooltip="Send the prompt as it is in the box"),
        Binding("escape", "cancel", "Cancel", id="flow.compose.cancel",
                tooltip="Close the box without taking the handoff"),
    ]

    class Sent(Message):
        def __init__(self, box: ComposeBox, choice: Choice, text: str,
                     values: dict[str, str]) -> None:
            super().__init__()
            self.box = box
            self.choice = choice
            self.text = text
            self.values = values

        @property
        def control(self) -> ComposeBox:
            return self.box

    class Cancelled(Message):
        def __init__(self, box: ComposeBox) -> None:
            super().__init__()
            self.box = box

        @property
        def control(self) -> ComposeBox:
            return self.box

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choice: Choice | None = None
        self.values: dict[str, str] = {}
        self.rendered = ""

    def compose(self) -> ComposeResult:
        yield Static(id="flow-compose-heading")
        yield TextArea(soft_wrap=True, id="flow-compose-text")
        with HorizontalGroup(id="flow-compose-buttons"):
            yield Button("Send", variant="primary", compact=True, id="flow-send")
            yield Button("Cancel", compact=True, id="flow-cancel")
            yield Static(Content.styled("ctrl+s sends · esc cancels", "$text-muted"),
                         id="flow-compose-hint")

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#flow-compose-text", TextArea)

    def open(self, choice: Choice, rendered: str, values: dict[str, str]) -> None:
        self.choice = choice
        self.values = dict(values)
        self.rendered = rendered
        handoff = choice.handoff
        self.query_one("#flow-compose-heading", Static).update(Content.assemble(
            (one_line(handoff.label or "(no label)", 60), "bold"), " → ",
            (one_line(handoff.target, 60), "bold $text-accent"),
            ("   edit the prompt, then send", "$text-muted")))
        self.text_area.load_text(rendered)
        self.display = True
        self.text_area.focus()

    def close(self) -> None:
        self.choice = None
        self.values = {}
        self.display = False

    @on(Button.Pressed, "#flow-send")
    def action_send(self) -> None:
        if self.choice is not None:
            self.post_message(self.Sent(self, self.choice, self.text_area.text, self.values))

    @on(Button.Pressed, "#flow-cancel")
    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self))
