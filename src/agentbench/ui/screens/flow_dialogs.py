"""Small dialogs of the flow screen: per-invocation values, a file name, a canned reply."""

from __future__ import annotations

import os
import re
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from agentbench.core.text.safe import printable
from agentbench.ui.widgets.flow_card import one_line

_T = TypeVar("_T")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def valid_flow_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name)) and not name.endswith(".")


class _Dialog(ModalScreen[_T | None], Generic[_T]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="flow.dialog.cancel",
                        tooltip="Close without doing anything")]

    def _buttons(self, ok: str) -> ComposeResult:
        with HorizontalGroup(classes="flow-dialog-buttons"):
            yield Button(ok, variant="primary", id="dialog-ok")
            yield Button("Cancel", id="dialog-cancel")

    @on(Button.Pressed, "#dialog-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AskValuesScreen(_Dialog[dict[str, str]]):
    """One Input per placeholder name; dismisses with {name: value} or None."""

    def __init__(self, label: str, names: tuple[str, ...]) -> None:
        super().__init__()
        self._label = label
        self._names = names

    def compose(self) -> ComposeResult:
        with VerticalGroup(classes="flow-dialog", id="ask-values"):
            yield Static(Content.assemble(("Values for ", "bold"),
                                          (one_line(self._label, 60), "bold $text-accent")))
            yield Static(Content.styled("Used in this handoff's prompt; remembered for the"
                                        " rest of the walk.", "$text-muted"))
            for index, name in enumerate(self._names):
                yield Label(Content("{{" + one_line(name, 60) + "}}"), classes="ask-name")
                yield Input(id=f"ask-{index}", placeholder=one_line(name, 60))
            yield from self._buttons("Continue")

    def on_mount(self) -> None:
        self._check()

    @on(Input.Changed)
    def _check(self) -> None:
        self.query_one("#dialog-ok", Button).disabled = not all(
            box.value.strip() for box in self.query(Input))

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        boxes = list(self.query(Input))
        empty = next((b for b in boxes if not b.value.strip()), None)
        if empty is not None:
            empty.focus()
        else:
            self._ok()

    @on(Button.Pressed, "#dialog-ok")
    def _ok(self) -> None:
        boxes = list(self.query(Input))
        if all(b.value.strip() for b in boxes):
            self.dismiss({name: boxes[i].value.strip() for i, name in enumerate(self._names)})


class FlowNameScreen(_Dialog[str]):
    """Asks a file name in `folder`; dismisses with the full path, or None.

    An existing file is never replaced silently: the first Save turns into "Overwrite", and
    only pressing that replaces it.
    """

    def __init__(self, what: str, folder: str, suffix: str, suggested: str) -> None:
        super().__init__()
        self._what = what
        self._folder = folder
        self._suffix = suffix
        self._suggested = suggested
        self._confirmed: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalGroup(classes="flow-dialog", id="flow-name-dialog"):
            yield Static(Content.styled(self._what, "bold"))
            yield Static(Content.assemble("into ", (printable(self._folder), "$text-accent"),
                                          os.sep + "NAME" + self._suffix))
            yield Input(self._suggested, placeholder="name", id="flow-name")
            yield Static(id="flow-name-hint")
            yield from self._buttons("Save")

    def on_mount(self) -> None:
        self._hint(self._suggested)

    def path_for(self, name: str) -> str:
        return os.path.join(self._folder, name + self._suffix)

    @on(Input.Changed, "#flow-name")
    def _changed(self, event: Input.Changed) -> None:
        self._confirmed = None
        self._hint(event.value.strip())

    def _hint(self, name: str) -> None:
        hint = self.query_one("#flow-name-hint", Static)
        ok = self.query_one("#dialog-ok", Button)
        ok.disabled = not valid_flow_name(name)
        ok.label = "Save"
        ok.variant = "primary"
        if not valid_flow_name(name):
            hint.update(Content.styled("letters, digits, '_', '-', '.'", "$text-error"))
        elif os.path.exists(self.path_for(name)):
            hint.update(Content.styled(f"{name}{self._suffix} exists: Save asks before"
                                       " replacing it", "$text-warning"))
        else:
            hint.update(Content.styled(f"creates {name}{self._suffix}", "$text-muted"))

    @on(Input.Submitted, "#flow-name")
    @on(Button.Pressed, "#dialog-ok")
    def _save(self) -> None:
        name = self.query_one("#flow-name", Input).value.strip()
        if not valid_flow_name(name):
            return
        path = self.path_for(name)
        if os.path.exists(path) and self._confirmed != name:
            self._confirmed = name
            ok = self.query_one("#dialog-ok", Button)
            ok.label = "Overwrite"
            ok.variant = "error"
            self.query_one("#flow-name-hint", Static).update(Content.styled(
                f"{name}{self._suffix} exists: press Overwrite to replace it", "$text-error"))
            return
        self.dismiss(path)


class ReplyScreen(_Dialog[str]):
    """Edits a step's canned reply; dismisses with the text ('' clears it), or None."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="flow.reply.save",
                        tooltip="Keep this reply")]

    def __init__(self, title: Content, reply: str) -> None:
        super().__init__()
        self._title = title
        self._reply = reply

    def compose(self) -> ComposeResult:
        with VerticalGroup(classes="flow-dialog", id="reply-dialog"):
            yield Static(self._title)
            yield Static(Content.styled("A canned reply from the target agent, shown in the"
                                        " transcript and recorded (empty: none).",
                                        "$text-muted"))
            yield TextArea(self._reply, soft_wrap=True, id="reply-text")
            yield from self._buttons("Save")

    @on(Button.Pressed, "#dialog-ok")
    def action_save(self) -> None:
        self.dismiss(self.query_one("#reply-text", TextArea).text.strip())
