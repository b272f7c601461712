"""Dialogs of the in-place editor (ui/features/editing.py): the file changed on disk since it was
opened (reload, overwrite, show the diff, cancel), the diff itself, and unsaved changes
(save, discard, cancel).

File names and diff lines are untrusted: they go into widgets as `Content` built from plain
strings with control characters made visible (`diff_content`), never as markup.
"""

from __future__ import annotations

import difflib
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from agentbench.core.text.safe import printable
from agentbench.ui.screens.authoring import diff_content

ConflictChoice = Literal["reload", "overwrite", "cancel"]
UnsavedChoice = Literal["save", "discard", "cancel"]


def buffer_diff(name: str, disk: bytes, buffer: bytes) -> str:
    """A unified diff from the file on disk to the editor's buffer (text, `\\n` endings)."""

    def lines(data: bytes) -> list[str]:
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        return text.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)

    old, new = lines(disk), lines(buffer)
    diff = "".join(line if line.endswith("\n") else line + "\n" for line in
                   difflib.unified_diff(old, new, f"{name} (on disk)", f"{name} (editor)"))
    if not diff and disk != buffer:
        return "The two differ only in line endings or the byte order mark.\n"
    return diff


class DiffScreen(ModalScreen[None]):
    """A diff in a scrollable box; any close key goes back to the dialog below."""

    BINDINGS = [
        Binding("escape,q,d", "close", "Back", id="diff.close", tooltip="Back to the choice"),
    ]

    def __init__(self, title: str, diff: str) -> None:
        super().__init__()
        self._title, self._diff = title, diff

    def compose(self) -> ComposeResult:
        with VerticalGroup(id="diff-dialog", classes="authoring-dialog"):
            yield Static(Content.styled(printable(self._title), "bold"))
            with VerticalScroll(id="diff-box"):
                yield Static(diff_content(self._diff), id="diff-text")
            yield Static(Content.styled("↑ ↓ PgUp PgDn scroll · esc back to the choice",
                                        "$text-muted"), classes="dialog-keys")
            with HorizontalGroup(classes="authoring-buttons"):
                yield Button("Back", variant="primary", id="diff-back")

    def on_mount(self) -> None:
        self.query_one("#diff-box").focus()

    @on(Button.Pressed, "#diff-back")
    def action_close(self) -> None:
        self.dismiss(None)


class ConflictScreen(ModalScreen[ConflictChoice]):
    """The file changed on disk since the editor opened it: what now?"""

    BINDINGS = [
        Binding("r", "choose('reload')", "Reload", id="conflict.reload",
                tooltip="Discard the editor's text and load the file from disk"),
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict.overwrite",
                tooltip="Write the editor's text over the file anyway"),
        Binding("d", "diff", "Show diff", id="conflict.diff",
                tooltip="The difference between the file on disk and the editor's text"),
        Binding("escape", "choose('cancel')", "Cancel", id="conflict.cancel",
                tooltip="Save nothing; keep editing"),
    ]

    def __init__(self, name: str, diff: str) -> None:
        super().__init__()
        self._file, self._diff = name, diff

    def compose(self) -> ComposeResult:
        name = printable(self._file)
        with VerticalGroup(id="conflict-dialog", classes="authoring-dialog"):
            yield Static(Content.assemble((name, "bold $text-accent"),
                                          (" changed on disk since you opened it", "bold")))
            yield Static(Content(
                "Saving now would replace those changes. Reload to take the file from disk "
                "(your edits are lost), Overwrite to write your text anyway, or look at the "
                "difference first."), id="conflict-text")
            yield Static(Content.styled("r reload · o overwrite · d show diff · esc cancel",
                                        "$text-muted"), classes="dialog-keys")
            with HorizontalGroup(classes="authoring-buttons"):
                yield Button("Reload", id="conflict-reload")
                yield Button("Overwrite", variant="warning", id="conflict-overwrite")
                yield Button("Show diff", id="conflict-diff")
                yield Button("Cancel", variant="primary", id="conflict-cancel")

    def on_mount(self) -> None:
        self.query_one("#conflict-cancel").focus()

    @on(Button.Pressed, "#conflict-reload")
    def _reload(self) -> None:
        self.dismiss("reload")

    @on(Button.Pressed, "#conflict-overwrite")
    def _overwrite(self) -> None:
        self.dismiss("overwrite")

    @on(Button.Pressed, "#conflict-cancel")
    def _cancel(self) -> None:
        self.dismiss("cancel")

    def action_choose(self, choice: ConflictChoice) -> None:
        self.dismiss(choice)

    @on(Button.Pressed, "#conflict-diff")
    def action_diff(self) -> None:
        self.app.push_screen(DiffScreen(f"{self._file}: on disk → editor", self._diff))


class UnsavedScreen(ModalScreen[UnsavedChoice]):
    """The buffer has unsaved changes and the user is about to leave it."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save", id="unsaved.save", tooltip="Save, then go on"),
        Binding("d", "choose('discard')", "Discard", id="unsaved.discard",
                tooltip="Lose the unsaved changes and go on"),
        Binding("escape", "choose('cancel')", "Cancel", id="unsaved.cancel",
                tooltip="Stay in the editor"),
    ]

    def __init__(self, name: str, leaving: str) -> None:
        super().__init__()
        self._file, self._leaving = name, leaving

    def compose(self) -> ComposeResult:
        with VerticalGroup(id="unsaved-dialog", classes="authoring-dialog"):
            yield Static(Content.assemble((printable(self._file), "bold $text-accent"),
                                          (" has unsaved changes", "bold")))
            yield Static(Content(f"Save them before you {printable(self._leaving)}?"),
                         id="unsaved-text")
            yield Static(Content.styled("s save · d discard · esc cancel", "$text-muted"),
                         classes="dialog-keys")
            with HorizontalGroup(classes="authoring-buttons"):
                yield Button("Save", variant="primary", id="unsaved-save")
                yield Button("Discard", variant="error", id="unsaved-discard")
                yield Button("Cancel", id="unsaved-cancel")

    def on_mount(self) -> None:
        self.query_one("#unsaved-save").focus()

    @on(Button.Pressed, "#unsaved-save")
    def _save(self) -> None:
        self.dismiss("save")

    @on(Button.Pressed, "#unsaved-discard")
    def _discard(self) -> None:
        self.dismiss("discard")

    @on(Button.Pressed, "#unsaved-cancel")
    def _cancel(self) -> None:
        self.dismiss("cancel")

    def action_choose(self, choice: UnsavedChoice) -> None:
        self.dismiss(choice)
