"""Edit in place: one agent file in a code editor, checked as you type.

The pane shows the file name with a modified marker (●) and what happened on disk, the
editor, and under it a strip of the buffer's problems (click or enter on one, or F8, moves the
cursor to its line). It owns no file: `ui/features/editing.py` loads text into it, saves it
and decides what a change on disk means; the pane's keys call the app's actions.

Typing pauses for CHECK_DELAY, then one exclusive thread worker parses and lints the buffer
(`core.checks.buffer.check_buffer`) and posts `Checked`; a result from an older check than the
last one started is dropped, so a slow check never overwrites a newer one. `Checked` bubbles
to the app, which shows the edited agent in the preview.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from agentbench.core.checks.buffer import BufferCheck, BufferContext, check_buffer
from agentbench.core.model import Diagnostic, Severity
from agentbench.core.text.safe import printable
from agentbench.core.write.editor_text import EditorText
from agentbench.ui.widgets.code_editor import EditorTextArea

# Seconds of quiet after a keystroke before the buffer is checked.
CHECK_DELAY = 0.15
# Problems listed under the editor at most (the count line always has them all).
MAX_LISTED = 200

DiskState = Literal["", "changed", "deleted"]
_ICON = {Severity.ERROR: ("✖", "$text-error"), Severity.WARNING: ("▲", "$text-warning"),
         Severity.INFO: ("●", "$text-secondary")}
_NOUN = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class EditorPane(Vertical):
    BINDINGS = [
        Binding("ctrl+s", "app.save_file", "Save", id="editor.save",
                tooltip="Editor: save the file (atomic; asks if it changed on disk)"),
        Binding("escape", "app.close_editor", "Close", id="editor.close",
                tooltip="Editor: close it (asks first when there are unsaved changes)"),
        Binding("f8", "next_problem", "Next problem", id="editor.next_problem",
                tooltip="Editor: move the cursor to the next problem in the file"),
        Binding("shift+f8", "next_problem(-1)", "Previous problem", show=False,
                id="editor.previous_problem",
                tooltip="Editor: move the cursor to the previous problem"),
    ]
    # For the help screen: the keys above, the text area's own, and its undo.
    HELP_BINDINGS = [
        *BINDINGS, *EditorTextArea.BINDINGS,
        Binding("ctrl+z,ctrl+y", "undo", "Undo",
                tooltip="Editor: undo / redo typing (elsewhere ctrl+z undoes a save)"),
    ]

    @dataclass
    class Checked(Message):
        """A check of the buffer finished (posted by the check worker)."""

        pane: EditorPane
        generation: int
        check: BufferCheck

        @property
        def control(self) -> EditorPane:
            return self.pane

    def __init__(self, path: str, opened: EditorText, context: Callable[[], BufferContext],
                 *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.path = path
        self.opened = opened
        # The text as last loaded or saved: the buffer is modified when it differs.
        self.saved_text = opened.text
        self.disk: DiskState = ""
        self.diagnostics: tuple[Diagnostic, ...] = ()
        self._buffer_context = context
        self._timer: Timer | None = None
        self._generation = 0
        self._read_only = False

    def compose(self) -> ComposeResult:
        yield Static(id="editor-title")
        yield EditorTextArea.code_editor(self.opened.text, language="markdown", theme="css",
                                         soft_wrap=False, show_line_numbers=True,
                                         id="editor-text")
        yield Static(id="editor-summary")
        yield OptionList(id="editor-problems")

    def on_mount(self) -> None:
        self.query_one("#editor-problems").display = False
        self.open_file(self.path, self.opened)
        self.text_area.focus()

    def open_file(self, path: str, opened: EditorText) -> None:
        """Edit another file (the caller asked about unsaved changes first). The focus stays
        where it is: moving through the agent list opens each agent in turn."""
        self.path = path
        self._read_only = _read_only(path)
        if self.opened is not opened:
            self.load(opened)
        self._show_title()
        self.check_now()

    @property
    def text_area(self) -> EditorTextArea:
        return self.query_one("#editor-text", EditorTextArea)

    @property
    def text(self) -> str:
        return self.text_area.text

    @property
    def settled(self) -> bool:
        """No check is waiting for typing to pause."""
        return self._timer is None

    @property
    def generation(self) -> int:
        """How many checks were started: only the latest one's result is shown."""
        return self._generation

    @property
    def modified(self) -> bool:
        return self.text_area.text != self.saved_text

    # -- what the editing glue tells the pane -------------------------------------------------

    def load(self, opened: EditorText, keep_cursor: bool = False) -> None:
        """Replace the buffer with a file's text (its own undo history goes too)."""
        self.opened = opened
        self.saved_text = opened.text
        self.disk = ""
        area = self.text_area
        row, column = area.cursor_location
        scroll = area.scroll_offset
        area.load_text(opened.text)
        if keep_cursor:
            row = min(row, area.document.line_count - 1)
            column = min(column, len(area.document.get_line(row)))
            area.move_cursor((row, column))
            area.scroll_to(scroll.x, scroll.y, animate=False, immediate=True)
        else:
            area.move_cursor((0, 0))
            area.scroll_home(animate=False, immediate=True)
        self._show_title()

    def mark_saved(self, opened: EditorText, text: str) -> None:
        self.opened = opened
        self.saved_text = text
        self.disk = ""
        self._read_only = False
        self._show_title()

    def set_disk(self, state: DiskState) -> None:
        if state != self.disk:
            self.disk = state
            self._show_title()

    def goto(self, line: int, column: int = 1) -> None:
        area = self.text_area
        row = max(0, min(line - 1, area.document.line_count - 1))
        area.move_cursor((row, max(column - 1, 0)), center=True)
        area.focus()

    # -- the title line ------------------------------------------------------------------------

    @on(TextArea.Changed, "#editor-text")
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._show_title()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(CHECK_DELAY, self.check_now)

    def _show_title(self) -> None:
        parts: list[tuple[str, str] | str] = [
            (" ✎ ", "$text-accent"), (printable(os.path.basename(self.path)), "bold")]
        if self.modified:
            parts.append((" ●", "bold $text-warning"))
        if self.disk == "changed":
            parts.append(("  changed on disk: saving will ask", "bold $text-error"))
        elif self.disk == "deleted":
            parts.append(("  deleted on disk: ctrl+s recreates it", "bold $text-error"))
        elif self._read_only:
            parts.append(("  read-only", "$text-warning"))
        endings = {"\r\n": "CRLF", "\r": "CR"}.get(self.opened.newline)
        notes = [n for n in (endings, "BOM" if self.opened.bom else None) if n]
        if notes:
            parts.append((f"  {' '.join(notes)}", "$text-muted"))
        self.query_one("#editor-title", Static).update(Content.assemble(*parts))

    # -- checking as you type ------------------------------------------------------------------

    def check_now(self) -> None:
        """Check the buffer now (also when the values or the library changed)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._generation += 1
        self._check(self._generation, self.path, self.opened, self.text, self._buffer_context())

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-check",
          name="editor check")
    def _check(self, generation: int, path: str, opened: EditorText, text: str,
               context: BufferContext) -> None:
        result = check_buffer(path, opened.to_bytes(text), context)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Checked(self, generation, result))

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        if message.generation != self._generation:
            message.stop()  # a newer check has started: this result is stale
            return
        self.show_problems(message.check.diagnostics)

    def show_problems(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.diagnostics = diagnostics
        counts = {s: sum(d.severity is s for d in diagnostics) for s in Severity}
        summary = self.query_one("#editor-summary", Static)
        problems = self.query_one("#editor-problems", OptionList)
        if not diagnostics:
            summary.update(Content.styled(" ✓ no problems", "$text-success"))
            problems.display = False
            problems.clear_options()
            return
        summary.update(Content.assemble(
            " ", *(part for s in Severity for part in (
                (f"{_ICON[s][0]} {counts[s]} {_NOUN[s]}{'s' if counts[s] != 1 else ''}",
                 _ICON[s][1] if counts[s] else "$text-muted"), "  ")),
            ("F8 next", "$text-muted")))
        highlighted = problems.highlighted
        problems.clear_options()
        problems.add_options(Option(_problem_line(d)) for d in diagnostics[:MAX_LISTED])
        problems.display = True
        if highlighted is not None and problems.option_count:
            problems.highlighted = min(highlighted, problems.option_count - 1)

    @on(OptionList.OptionSelected, "#editor-problems")
    def _problem_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.diagnostics):
            found = self.diagnostics[event.option_index]
            self.goto(found.line, found.column)

    def action_next_problem(self, step: int = 1) -> None:
        lines = sorted({d.line for d in self.diagnostics})
        if not lines:
            return
        here = self.text_area.cursor_location[0] + 1
        if step > 0:
            line = next((n for n in lines if n > here), lines[0])
        else:
            line = next((n for n in reversed(lines) if n < here), lines[-1])
        self.goto(line)
        listed = self.diagnostics[:MAX_LISTED]
        found = next((i for i, d in enumerate(listed) if d.line == line), None)
        if found is not None:
            self.query_one("#editor-problems", OptionList).highlighted = found


def _read_only(path: str) -> bool:
    """As `core/write/change.py` judges it when saving: no write bit, or no write access."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not mode & 0o222 or not os.access(path, os.W_OK)


def _problem_line(found: Diagnostic) -> Content:
    icon, style = _ICON[found.severity]
    return Content.assemble((f"{found.line:>4} ", "$text-muted"), (icon, style), " ",
                            (printable(found.code), "bold"), " ",
                            printable(found.message)[:300])
