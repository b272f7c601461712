"""Edit in place (issue 7): the app's side of the editor pane (widgets/editor_pane.py).

The app owns one `Editing`, and its actions and a few hooks (selection, reload, values,
quit) delegate here. This module owns what the pane shows:
which file, the bytes it held when it was opened or last saved (`loaded`) and their stamp.

- Opening decodes the file with `write/editor_text.EditorText`, which remembers its BOM and line
  endings; a file the editor would change just by opening it (not UTF-8, NUL bytes, form
  feeds...) is refused with the reason.
- Saving writes `EditorText.to_bytes(buffer)` through `core.write.change.save` (atomic, refused for
  read-only files and on any write error, the original intact) and records the write for
  ctrl+z like every other write from the workbench. When the file on disk is no longer what
  was loaded, it asks first (ConflictScreen: reload, overwrite, show diff, cancel).
- After every library load the file is compared with what was loaded: an unmodified buffer
  takes the new text (the cursor keeps its line); a modified one is left alone and the title
  says the file changed (or was deleted) on disk.
- Closing, switching agent and quitting with unsaved changes ask: save, discard or cancel.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from agentbench.core.checks.buffer import BufferContext
from agentbench.core.model import Agent, Library
from agentbench.core.read.parse import parse_bytes
from agentbench.core.text.safe import printable
from agentbench.core.write.atomic import ABSENT, Stamp, WriteRefused, stamp_of
from agentbench.core.write.change import (
    EditError,
    FileChange,
    read_for_edit,
    save,
)
from agentbench.core.write.editor_text import EditorText
from agentbench.ui.features.authoring import Authoring
from agentbench.ui.features.notifier import Notify
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.main.views import Views
from agentbench.ui.screens.editor_dialogs import (
    ConflictChoice,
    ConflictScreen,
    UnsavedChoice,
    UnsavedScreen,
    buffer_diff,
)
from agentbench.ui.state import WorkbenchState
from agentbench.ui.widgets.editor_pane import EditorPane

SUMMARY = "edited in the workbench"


class Editing:
    def __init__(self, state: WorkbenchState, presenter: Presenter, views: Views,
                 notify: Notify, authoring: Authoring, *, push: Callable[..., object],
                 select: Callable[[str], object], exit: Callable[[], object]) -> None:
        self.state, self.presenter, self.views = state, presenter, views
        self.notify, self.authoring = notify, authoring
        # select: the app's selection (the editor may ask first, then selects itself).
        self._push, self._select, self._exit = push, select, exit
        self.pane: EditorPane | None = None
        self.path = ""
        # The file's bytes when it was opened, reloaded or saved, and their stamp.
        self.loaded = b""
        self.stamp: Stamp | None = None
        # The buffer's agent as last parsed (the last one that parsed): the preview shows it.
        self.agent: Agent | None = None
        self._names: tuple[Library | None, dict[str, str]] = (None, {})

    @property
    def modified(self) -> bool:
        return self.pane is not None and self.pane.modified

    @property
    def name(self) -> str:
        return printable(os.path.basename(self.path))

    # -- opening and closing -------------------------------------------------------------------

    def toggle(self) -> None:
        if self.pane is not None:
            self.close()
            return
        agent = self.state.agent
        if agent is None:
            self.notify("Select an agent first", severity="warning", markup=False)
            return
        self.open(agent)

    def open(self, agent: Agent) -> bool:
        """Show `agent`'s file in the editor (the pane's buffer is replaced: ask first)."""
        try:
            data, stamp = read_for_edit(agent.path)
            opened = EditorText.from_bytes(data)
        except EditError as error:
            self.notify(f"{printable(os.path.basename(agent.path))} cannot be edited here: "
                        f"{error}. ctrl+o opens it in your own editor.", title="Not opened",
                        severity="error", timeout=10, markup=False)
            return False
        self.path, self.loaded, self.stamp, self.agent = agent.path, data, stamp, agent
        if self.pane is None:
            self.pane = EditorPane(agent.path, opened, self.context, id="editor")
            self.presenter.mount_editor(self.pane)
            self.views.show("tab-preview")
        else:
            self.pane.open_file(agent.path, opened)
        return True

    def close(self, then: Callable[[], object] | None = None) -> None:
        """Close the editor, asking first when the buffer has unsaved changes."""

        def go() -> None:
            self._close()
            if then is not None:
                then()

        self._leave("close the editor", go)

    def _close(self) -> None:
        if self.pane is not None:
            self.pane.remove()
        self.pane, self.agent = None, None
        state, shown = self.state, self.presenter
        shown.main.remove_class("-editing")
        shown.show_preview(state.agent, state.values)
        shown.focus_list()

    def _leave(self, leaving: str, go: Callable[[], object]) -> None:
        """Run `go` now, or once the unsaved changes are saved or discarded."""
        if not self.modified:
            go()
            return

        def chosen(choice: UnsavedChoice | None) -> None:
            if choice == "save":
                self.save(then=go)
            elif choice == "discard":
                go()

        self._push(UnsavedScreen(self.name, leaving), chosen)

    # -- hooks the app calls -------------------------------------------------------------------

    def may_select(self, name: str | None) -> bool:
        """Whether the app may select `name` now. With unsaved changes in another agent's
        file it asks first, and selects `name` itself once they are saved or discarded."""
        state = self.state
        target = state.library.get(name) if state.library and name else None
        if self.pane is None or target is None or target.path == self.path:
            return True
        if not self.modified:
            return True  # follow() opens the newly selected agent's file

        def switch() -> None:
            if not self.open(target):
                self._close()
            self._select(target.name)

        self.presenter.select_in_list(state.selected)  # the list shows what is still edited
        self._leave(f"switch to {target.name[:60]}", switch)
        return False

    def follow(self, agent: Agent | None) -> None:
        """The user selected `agent` (the buffer is clean): edit its file instead."""
        if self.pane is not None and agent is not None and agent.path != self.path \
                and not self.open(agent):
            self._close()

    def may_quit(self) -> bool:
        if not self.modified:
            return True
        self._leave("quit", self._exit)
        return False

    def shown(self, agent: Agent | None) -> Agent | None:
        """What the preview shows: the edited buffer while the editor is open."""
        return (self.agent or agent) if self.pane is not None else agent

    def checked(self, message: EditorPane.Checked) -> None:
        """A check of the buffer finished (stale ones never get here): preview its agent."""
        if message.pane is not self.pane:
            return
        self.agent = message.check.parsed.agent or self.agent
        self.presenter.show_preview(self.shown(self.state.agent), self.state.values)

    def values_changed(self) -> None:
        if self.pane is not None:
            self.pane.check_now()

    def library_loaded(self) -> None:
        if self.pane is not None:
            self._check_disk()
            self.pane.check_now()  # the library's names (handoff targets) may have changed

    def goto(self, path: str, line: int, column: int = 1) -> bool:
        """Move the editor's cursor to a problem in the edited file (False: not edited)."""
        if self.pane is None or os.path.abspath(path) != os.path.abspath(self.path):
            return False
        self.pane.goto(line, column)
        return True

    def focus(self) -> bool:
        if self.pane is None:
            return False
        self.pane.text_area.focus()
        return True

    def context(self) -> BufferContext:
        """What the buffer is checked against: the values shown and the library's names."""
        values = self.state.values
        library = self.state.library
        if self._names[0] is not library:
            names = {a.name: a.path for a in reversed(library.agents)} if library else {}
            self._names = (library, names)
        single = library is not None and len(library.files) == 1 \
            and os.path.isfile(library.root)
        return BufferContext(frozenset(values.names()), values.profile_name, self._names[1],
                             single)

    # -- the file on disk ----------------------------------------------------------------------

    def _check_disk(self) -> None:
        pane = self.pane
        assert pane is not None
        now = stamp_of(self.path)
        if now == ABSENT:
            pane.set_disk("deleted")
            return
        if now == self.stamp and pane.disk != "deleted":
            return
        try:
            data, stamp = read_for_edit(self.path)
        except EditError:
            pane.set_disk("changed")
            return
        if data == self.loaded:
            self.stamp = stamp
            pane.set_disk("")
        elif pane.modified:
            pane.set_disk("changed")
        else:
            self._take(data, stamp, quiet=True)

    def _take(self, data: bytes, stamp: Stamp, quiet: bool = False) -> None:
        """The buffer becomes the file's new text; the cursor stays on its line."""
        assert self.pane is not None
        try:
            opened = EditorText.from_bytes(data)
        except EditError as error:
            self.pane.set_disk("changed")
            if not quiet:
                self.notify(f"Cannot reload {self.name}: {error}", title="Not reloaded",
                            severity="error", timeout=10, markup=False)
            return
        self.loaded, self.stamp = data, stamp
        self.pane.load(opened, keep_cursor=True)

    def reload(self) -> None:
        try:
            data, stamp = read_for_edit(self.path)
        except EditError as error:
            self.notify(str(error), title="Not reloaded", severity="error", markup=False)
            return
        self._take(data, stamp)

    # -- saving --------------------------------------------------------------------------------

    def save(self, then: Callable[[], object] | None = None) -> None:
        """Save the buffer; `then` runs once it is written (not after a refusal)."""
        pane = self.pane
        if pane is None:
            return
        try:
            disk = self._read_disk()
        except EditError as error:
            self._refused(error)
            return
        after = pane.opened.to_bytes(pane.text)
        if disk is not None and disk[0] != self.loaded:
            self._conflict(disk[0], after, then)
        elif disk is not None and after == disk[0]:
            self.stamp = disk[1]
            self.notify("No changes to save", markup=False)
            if then is not None:
                then()
        else:
            self._write(disk, then)

    def _read_disk(self) -> tuple[bytes, Stamp] | None:
        """The file's bytes and stamp now; None when it no longer exists."""
        try:
            return read_for_edit(self.path)
        except EditError:
            if os.path.lexists(self.path):
                raise
            return None

    def _conflict(self, disk: bytes, after: bytes, then: Callable[[], object] | None) -> None:
        assert self.pane is not None
        self.pane.set_disk("changed")

        def chosen(choice: ConflictChoice | None) -> None:
            if choice == "reload":
                self.reload()
            elif choice == "overwrite":
                try:
                    now = self._read_disk()
                except EditError as error:
                    self._refused(error)
                    return
                self._write(now, then)

        self._push(ConflictScreen(self.name, buffer_diff(self.name, disk, after)), chosen)

    def _write(self, disk: tuple[bytes, Stamp] | None, then: Callable[[], object] | None
               ) -> None:
        """Write the buffer over `disk` (what the file holds now; None: create it)."""
        pane = self.pane
        assert pane is not None
        text = pane.text
        after = pane.opened.to_bytes(text)
        try:
            reopened = EditorText.from_bytes(after)  # never write what could not be reopened
            before, stamp = disk if disk is not None else (None, None)
            saved = save(FileChange(self.path, before, after, stamp, (SUMMARY,)))
        except (WriteRefused, EditError) as error:
            self._refused(error)
            return
        self.loaded, self.stamp = after, saved.stamp
        pane.mark_saved(reopened, text)
        parsed = parse_bytes(self.path, after).agent
        if parsed is not None:
            # Before the reload starts, so the reload selects it, renamed or recreated.
            self.state.selected = parsed.name
        self.authoring.last = [saved]
        self.authoring.reload([saved])
        self.notify(f"Saved {self.name} — ctrl+z outside the editor undoes it", markup=False)
        if then is not None:
            then()

    def _refused(self, error: Exception) -> None:
        self.notify(f"{error}. Your text is still in the editor.", title="Not saved",
                    severity="error", timeout=15, markup=False)
