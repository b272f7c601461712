"""Dialogs for changing agent files from the workbench: confirm a change (its files and diff),
ask for a name, edit one handoff, and the handoffs editor of one agent.

Every string shown here comes from agent files and is untrusted: it goes into widgets as
`Content` built from plain strings (never markup), with control characters made visible.
The dialogs never write: they hand the change to a `save` callback (ui/features/authoring.py) that
writes through `core/write/change.py` and refuses a file that changed on disk since it was read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static, Switch, TextArea
from textual.widgets.option_list import Option

from agentbench.core.model import Handoff
from agentbench.core.read.parse import parse_bytes
from agentbench.core.text.safe import printable, printable_block
from agentbench.core.write import agent_edit as edit
from agentbench.core.write.change import EditError, FileChange, Saved, read_for_edit

# The lines of a diff shown at most (a rename across a large library can be long).
MAX_DIFF_LINES = 2000


def diff_content(diff: str) -> Content:
    """A unified diff as Content: literal text, added / removed lines coloured."""
    lines = diff.splitlines()
    shown = lines[:MAX_DIFF_LINES]
    parts: list[Content] = []
    for line in shown:
        text = printable_block(line)
        if line.startswith(("+++", "---", "diff --git", "rename ")):
            parts.append(Content.styled(text, "bold"))
        elif line.startswith("@@"):
            parts.append(Content.styled(text, "$text-secondary"))
        elif line.startswith("+"):
            parts.append(Content.styled(text, "$text-success"))
        elif line.startswith("-"):
            parts.append(Content.styled(text, "$text-error"))
        else:
            parts.append(Content(text))
    if len(lines) > len(shown):
        parts.append(Content.styled(f"… {len(lines) - len(shown)} more lines", "italic"))
    return Content("\n").join(parts)


class ConfirmChangeScreen(ModalScreen[bool]):
    """Shows what a change will do (title, files, diff); dismisses True to apply it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel", tooltip="Change nothing"),
    ]

    def __init__(self, title: str, files: Sequence[str], diff: str,
                 apply_label: str = "Apply", notes: Sequence[str] = ()) -> None:
        """`notes`: what the change leaves alone and why (e.g. a flow file it cannot read)."""
        super().__init__()
        self._title, self._files, self._diff = title, list(files), diff
        self._apply_label = apply_label
        self._notes = list(notes)

    def compose(self) -> ComposeResult:
        with VerticalGroup(id="confirm-dialog", classes="authoring-dialog"):
            yield Static(Content.styled(printable(self._title), "bold"), id="confirm-title")
            yield Static(Content("\n").join(
                Content.assemble("  ", (printable(f), "$text-accent")) for f in self._files),
                id="confirm-files")
            if self._notes:
                yield Static(Content("\n").join(
                    Content.assemble("  ", (printable(n), "$text-warning")) for n in self._notes),
                    id="confirm-notes")
            with VerticalScroll(id="confirm-diff-box"):
                yield Static(diff_content(self._diff), id="confirm-diff")
            with HorizontalGroup(classes="authoring-buttons"):
                yield Button(self._apply_label, variant="primary", id="confirm-ok")
                yield Button("Cancel", id="confirm-cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm-ok").focus()

    @on(Button.Pressed, "#confirm-ok")
    def _ok(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class AskNameScreen(ModalScreen[str | None]):
    """Asks for one line of text (a new agent name); None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="ask.cancel", tooltip="Change nothing"),
    ]

    def __init__(self, title: str, value: str) -> None:
        super().__init__()
        self._title, self._value = title, value

    def compose(self) -> ComposeResult:
        with VerticalGroup(id="ask-dialog", classes="authoring-dialog"):
            yield Static(Content.styled(printable(self._title), "bold"))
            yield Input(self._value, id="ask-name", select_on_focus=True)
            with HorizontalGroup(classes="authoring-buttons"):
                yield Button("Next", variant="primary", id="ask-ok")
                yield Button("Cancel", id="ask-cancel")

    @on(Input.Submitted, "#ask-name")
    @on(Button.Pressed, "#ask-ok")
    def _ok(self) -> None:
        value = self.query_one("#ask-name", Input).value.strip()
        if value:
            self.dismiss(value)

    @on(Button.Pressed, "#ask-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class HandoffFormScreen(ModalScreen[Handoff | None]):
    """One handoff's label, target, prompt and send; dismisses with the Handoff or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="handoff_form.cancel",
                tooltip="Close without changing the handoff"),
    ]

    def __init__(self, title: str, agents: Sequence[str], handoff: Handoff | None = None
                 ) -> None:
        super().__init__()
        self._title = title
        self._handoff = handoff
        names = list(dict.fromkeys(agents))
        if handoff is not None and handoff.target not in names:
            names.insert(0, handoff.target)  # a missing target stays choosable
        self._agents = names

    def compose(self) -> ComposeResult:
        handoff = self._handoff
        with VerticalGroup(id="handoff-form", classes="authoring-dialog"):
            yield Static(Content.styled(printable(self._title), "bold"))
            yield Label("Label")
            yield Input(handoff.label if handoff else "", id="handoff-label",
                        placeholder="what the button says")
            yield Label("Target agent")
            yield Select[str](((Content(printable(n)), n) for n in self._agents),
                              value=handoff.target if handoff else Select.NULL,
                              prompt="choose an agent", id="handoff-target")
            yield Label("Prompt")
            yield TextArea(handoff.prompt if handoff else "", id="handoff-prompt",
                           soft_wrap=True)
            with HorizontalGroup(id="handoff-send-row"):
                yield Switch(handoff.send if handoff else False, id="handoff-send")
                yield Label("send at once (off: the prompt is pre-filled for you to send)")
            yield Static(id="handoff-error")
            with HorizontalGroup(classes="authoring-buttons"):
                yield Button("OK", variant="primary", id="handoff-ok")
                yield Button("Cancel", id="handoff-cancel")

    @on(Button.Pressed, "#handoff-ok")
    def _ok(self) -> None:
        label = self.query_one("#handoff-label", Input).value.strip()
        target = self.query_one("#handoff-target", Select).value
        prompt = self.query_one("#handoff-prompt", TextArea).text.strip()
        send = self.query_one("#handoff-send", Switch).value
        error = ("choose a target agent" if not isinstance(target, str) else
                 "a handoff needs a label" if not label else
                 "a handoff needs a prompt" if not prompt else "")
        if error or not isinstance(target, str):
            self.query_one("#handoff-error", Static).update(Content.styled(error, "$text-error"))
            return
        old = self._handoff
        self.dismiss(Handoff(target, label, prompt, send, line=old.line if old else 1,
                             target_key=old.target_key if old else "target",
                             model=old.model if old else None))

    @on(Button.Pressed, "#handoff-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


SaveChange = Callable[[FileChange], Saved | None]


class HandoffsScreen(ModalScreen[None]):
    """The handoffs of one agent file: add, edit, move up / down, remove.

    Each change is saved at once through `save` (which refuses when the file changed on disk
    since this screen read it); after a refusal the screen edits nothing more until reopened.
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="handoffs.close", tooltip="Close the editor"),
        Binding("a", "add", "Add", id="handoffs.add", tooltip="Add a handoff"),
        Binding("e", "edit", "Edit", id="handoffs.edit", tooltip="Edit the chosen handoff"),
        Binding("u", "move(-1)", "Up", id="handoffs.up", tooltip="Move the handoff up"),
        Binding("d", "move(1)", "Down", id="handoffs.down", tooltip="Move the handoff down"),
        Binding("delete", "remove", "Remove", id="handoffs.remove",
                tooltip="Remove the chosen handoff"),
    ]

    def __init__(self, agent: str, path: str, agents: Sequence[str], save: SaveChange) -> None:
        super().__init__()
        self.agent, self.path = agent, path
        self._agents = list(agents)
        self._save = save
        self.data, self.stamp = read_for_edit(path)
        self.refused = False

    @property
    def handoffs(self) -> tuple[Handoff, ...]:
        parsed = parse_bytes(self.path, self.data).agent
        return parsed.handoffs if parsed else ()

    def compose(self) -> ComposeResult:
        with VerticalGroup(id="handoffs-dialog", classes="authoring-dialog"):
            yield Static(Content.assemble(("Handoffs of ", "bold"),
                                          (printable(self.agent[:80]), "bold $text-accent")))
            yield Static(Content.styled(printable(self.path), "$text-muted"))
            yield OptionList(id="handoffs-list")
            yield Static(id="handoffs-status")
            with HorizontalGroup(classes="authoring-buttons"):
                yield Button("Add", id="handoffs-add")
                yield Button("Edit", id="handoffs-edit")
                yield Button("Up", id="handoffs-up")
                yield Button("Down", id="handoffs-down")
                yield Button("Remove", variant="error", id="handoffs-remove")
                yield Button("Close", variant="primary", id="handoffs-close")

    def on_mount(self) -> None:
        self._refill()
        self.query_one(OptionList).focus()

    def _refill(self, highlight: int | None = None) -> None:
        options = self.query_one(OptionList)
        current = options.highlighted if highlight is None else highlight
        options.clear_options()
        for handoff in self.handoffs:
            arrow = " ⇒ " if handoff.send else " → "
            options.add_option(Option(Content.assemble(
                printable(handoff.label[:60] or "(no label)"), arrow,
                (printable(handoff.target[:60]), "bold"),
                ("  sends at once" if handoff.send else "", "$text-muted"))))
        if options.option_count:
            options.highlighted = min(current or 0, options.option_count - 1)

    def _chosen(self) -> tuple[int, Handoff] | None:
        index = self.query_one(OptionList).highlighted
        handoffs = self.handoffs
        if index is None or not 0 <= index < len(handoffs):
            return None
        return index, handoffs[index]

    def _apply(self, change: Callable[[bytes], bytes], summary: str,
               highlight: int | None = None) -> None:
        status = self.query_one("#handoffs-status", Static)
        if self.refused:
            status.update(Content.styled("The file changed on disk: close and reopen this"
                                         " editor to edit it.", "$text-error"))
            return
        try:
            after = change(self.data)
        except EditError as error:
            status.update(Content.styled(printable(str(error)), "$text-error"))
            return
        saved = self._save(FileChange(self.path, self.data, after, self.stamp, (summary,)))
        if saved is None:
            self.refused = True
            status.update(Content.styled("Not saved: the file changed on disk since it was"
                                         " read. Close and reopen to edit it.", "$text-error"))
            return
        self.data, self.stamp = after, saved.stamp
        status.update(Content.styled(printable(summary) + " — saved", "$text-success"))
        self._refill(highlight)

    @on(Button.Pressed, "#handoffs-add")
    def action_add(self) -> None:
        def done(handoff: Handoff | None) -> None:
            if handoff is not None:
                self._apply(lambda d: edit.add_handoff(d, self.path, handoff),
                            f"added handoff '{handoff.label}'", len(self.handoffs))

        self.app.push_screen(HandoffFormScreen("Add a handoff", self._agents), done)

    @on(Button.Pressed, "#handoffs-edit")
    @on(OptionList.OptionSelected, "#handoffs-list")
    def action_edit(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        index, old = chosen

        def done(new: Handoff | None) -> None:
            if new is None:
                return
            changes: dict[str, edit.Value] = {
                key: value for key, value, before in (
                    ("target", new.target, old.target), ("label", new.label, old.label),
                    ("prompt", new.prompt, old.prompt), ("send", new.send, old.send))
                if value != before}
            if changes:
                self._apply(lambda d: edit.edit_handoff(d, self.path, old, changes),
                            f"edited handoff '{new.label}'", index)

        self.app.push_screen(HandoffFormScreen("Edit the handoff", self._agents, old), done)

    @on(Button.Pressed, "#handoffs-up")
    def _up(self) -> None:
        self.action_move(-1)

    @on(Button.Pressed, "#handoffs-down")
    def _down(self) -> None:
        self.action_move(1)

    def action_move(self, step: int) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        index, handoff = chosen
        to = index + step
        if not 0 <= to < len(self.handoffs):
            return
        self._apply(lambda d: edit.move_handoff(d, self.path, handoff, to),
                    f"moved handoff '{handoff.label}'", to)

    @on(Button.Pressed, "#handoffs-remove")
    def action_remove(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            index, handoff = chosen
            self._apply(lambda d: edit.remove_handoff(d, self.path, handoff),
                        f"removed handoff '{handoff.label}'", index)

    @on(Button.Pressed, "#handoffs-close")
    def action_close(self) -> None:
        self.dismiss(None)
