"""Changing agent files from the workbench: open in $EDITOR, quick fixes, undo, the handoffs
editor, rename, new agent.

The app owns one `Authoring` and its actions delegate here. Every write goes through
`core.write.change` (atomic, refused when the file changed on disk since it was read); the
last write can be undone with ctrl+z. After a write the library is reloaded through the
reloader's entry point (`Reloader.files_changed`), so the selection follows a renamed file
and the reload toast says what changed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Protocol

from textual.app import SuspendNotSupported

from agentbench.core.text.safe import printable
from agentbench.core.write.atomic import WriteRefused, check_writable
from agentbench.core.write.change import (
    EditError,
    FileChange,
    Saved,
    read_for_edit,
    save,
    save_all,
    undo,
)
from agentbench.ui.features.notifier import Notify
from agentbench.ui.features.reload import Reloader
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.state import WorkbenchState
from agentbench.ui.watcher import Changes

if TYPE_CHECKING:
    from agentbench.core.write.new_agent import NewAgent


class Terminal(Protocol):
    """What opening $EDITOR needs of the app: handing it the screen, and taking it back."""

    @property
    def is_headless(self) -> bool: ...

    def suspend(self) -> AbstractContextManager[None]: ...

    def refresh(self) -> object: ...


def _name(path: str) -> str:
    return printable(os.path.basename(path))


def shown_diff(changes: Sequence[FileChange], root: str) -> str:
    """The diff of `changes` with paths relative to the library's folder (`a/orchestrator.md`
    rather than `a//home/...`)."""
    folder = root if os.path.isdir(root) else os.path.dirname(root) or "."

    def rel(path: str | None) -> str | None:
        if path is None:
            return None
        relative = os.path.relpath(path, folder)
        return path if relative.startswith("..") else relative

    return "".join(replace(c, path=rel(c.path) or c.path, new_path=rel(c.new_path)).diff()
                   for c in changes)


class Authoring:
    """The app's side of editing: the last write (for undo) and the flows that write."""

    def __init__(self, state: WorkbenchState, presenter: Presenter, notify: Notify,
                 reloader: Reloader, *, push: Callable[..., object],
                 terminal: Terminal) -> None:
        self.state, self.presenter, self.notify = state, presenter, notify
        self.reloader, self._push, self._terminal = reloader, push, terminal
        # The last write made from the workbench (several files for a rename).
        self.last: list[Saved] = []

    # -- writing -------------------------------------------------------------------------------

    def save(self, changes: Sequence[FileChange], done: str | None = None,
             select: str | None = None) -> list[Saved] | None:
        """Write `changes` (all or none); None when refused, after saying why. `select` is
        selected once written and before the reload starts, so the reload keeps it."""
        try:
            saved = [save(changes[0])] if len(changes) == 1 else save_all(changes)
        except (WriteRefused, EditError) as refused:
            self.notify(str(refused), title="Not saved", severity="error", timeout=15,
                        markup=False)
            return None
        if select is not None:
            self.state.selected = select
        self.last = saved
        if done:
            self.notify(done, markup=False)
        self.reload(saved)
        return saved

    def save_one(self, change: FileChange) -> Saved | None:
        """For dialogs that save as they go (the handoffs editor)."""
        saved = self.save([change])
        return saved[0] if saved else None

    def reload(self, saved: Sequence[Saved] = (), edited: Sequence[str] = ()) -> None:
        added: set[str] = set()
        modified = {os.path.abspath(p) for p in edited}
        removed: set[str] = set()
        for s in saved:
            path = os.path.abspath(s.path)
            if s.old_path:
                removed.add(os.path.abspath(s.old_path))
                added.add(path)
            elif s.previous is None:
                added.add(path)
            else:
                modified.add(path)
        changes = Changes(frozenset(added), frozenset(modified), frozenset(removed))
        self.reloader.wrote(added | modified | removed)  # the watcher's report is old news
        self.reloader.files_changed(changes)

    # -- 1. open in the user's editor ----------------------------------------------------------

    def editor_line(self) -> int:
        """The line of the problem highlighted in the problems panel when it is in the
        selected agent's file, else 1."""
        agent = self.state.agent
        found = self.presenter.highlighted_problem()
        if agent is not None and found is not None and found.path == agent.path:
            return max(found.line, 1)
        return 1

    def open_in_editor(self) -> None:
        notify, terminal = self.notify, self._terminal
        agent = self.state.agent
        if agent is None:
            notify("Select an agent first", severity="warning", markup=False)
            return
        try:
            check_writable(agent.path)  # the editor writes the file itself, past the writer
        except WriteRefused as refused:
            notify(str(refused), title="Editor not started", severity="error", timeout=10,
                   markup=False)
            return
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not command or not command.strip():
            notify("Set $VISUAL or $EDITOR to the editor to use (for example "
                   "EDITOR=nano)", title="No editor set", severity="error", timeout=10,
                   markup=False)
            return
        try:
            args = [*shlex.split(command), f"+{self.editor_line()}", agent.path]
        except ValueError as error:
            notify(f"Cannot read the editor command: {error}", title="Editor not started",
                   severity="error", timeout=10, markup=False)
            return
        try:
            try:
                with terminal.suspend():
                    result = subprocess.run(args, check=False)
            except SuspendNotSupported:
                if not terminal.is_headless:
                    notify("This terminal cannot hand the screen to an editor",
                           title="Editor not started", severity="error", markup=False)
                    return
                # Headless (tests): there is no screen to hand over; run it anyway.
                result = subprocess.run(args, check=False, stdin=subprocess.DEVNULL,
                                        capture_output=True)
        except OSError as error:
            notify(f"Cannot start {printable(args[0])}: {error.strerror or error}",
                   title="Editor not started", severity="error", timeout=10, markup=False)
            return
        if result.returncode != 0:
            notify(f"{printable(args[0])} exited with status {result.returncode}",
                   severity="warning", markup=False)
        terminal.refresh()
        self.reload(edited=[agent.path])

    # -- 2. quick fixes ------------------------------------------------------------------------

    def quick_fix(self) -> None:
        from agentbench.core.write.fixes import fixes_for
        from agentbench.ui.screens.authoring import ConfirmChangeScreen

        notify = self.notify
        found = self.presenter.highlighted_problem()
        if found is None:
            notify("Highlight a problem in the problems panel (F2) first",
                   severity="warning", markup=False)
            return
        try:
            data, stamp = read_for_edit(found.path)
        except EditError as error:
            notify(str(error), severity="error", markup=False)
            return
        fix = fixes_for(found, data)
        if fix is None:
            notify(f"No quick fix for {printable(found.code)}", severity="warning",
                   markup=False)
            return
        change = FileChange(found.path, data, fix.after, stamp, (fix.title,), fix.new_path)
        files = [change.path if not fix.new_path else f"{change.path} -> {fix.new_path}"]
        done = f"Fixed {printable(found.code)} in {_name(found.path)} — ctrl+z to undo"

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.save([change], done)

        self._push(ConfirmChangeScreen(f"Quick fix {found.code}: {fix.title}", files,
                                       shown_diff([change], self.state.loader.roots[0]), "Fix"),
                   confirmed)

    # -- 3. undo -------------------------------------------------------------------------------

    def undo(self) -> None:
        notify = self.notify
        if not self.last:
            notify("Nothing to undo: no file was changed from the workbench",
                   severity="warning", markup=False)
            return
        pending, done = list(self.last), []
        while pending:
            saved = pending[-1]
            try:
                done.append(undo(saved))
            except (WriteRefused, EditError) as refused:
                self.last = pending
                notify(f"{refused}", title="Not undone", severity="error", timeout=15,
                       markup=False)
                break
            pending.pop()
        else:
            self.last = []
            names = ", ".join(_name(s.path) for s in done[:3])
            notify(f"Undone: {names}", markup=False)
        if done:
            self.reload(done)

    # -- 4. handoffs and rename ----------------------------------------------------------------

    def edit_handoffs(self) -> None:
        from agentbench.ui.screens.authoring import HandoffsScreen

        notify, library = self.notify, self.state.library
        agent = self.state.agent
        if agent is None or library is None:
            notify("Select an agent first", severity="warning", markup=False)
            return
        names = [a.name for a in library.agents]
        try:
            screen = HandoffsScreen(agent.name, agent.path, names, self.save_one)
        except EditError as error:
            notify(str(error), severity="error", markup=False)
            return
        self._push(screen)

    def rename(self) -> None:
        from agentbench.ui.screens.authoring import AskNameScreen

        agent = self.state.agent
        if agent is None:
            self.notify("Select an agent first", severity="warning", markup=False)
            return
        self._push(AskNameScreen(f"Rename {agent.name[:60]} to", agent.name),
                   partial(self._rename_to, agent.name))

    def _rename_to(self, old: str, new: str | None) -> None:
        from agentbench.core.write.rename import plan_rename
        from agentbench.ui.screens.authoring import ConfirmChangeScreen

        library = self.state.library
        if new is None or new == old or library is None:
            return
        try:
            plan = plan_rename(library, old, new)
        except EditError as error:
            self.notify(str(error), title="Cannot rename", severity="error", timeout=10,
                       markup=False)
            return
        done = (f"Renamed {printable(old[:60])} to {printable(new[:60])} in "
                f"{len(plan.changes)} files — ctrl+z to undo")

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.save(list(plan.changes), done, select=new)

        self._push(ConfirmChangeScreen(f"Rename {old} to {new}", plan.files,
                                       shown_diff(plan.changes, self.state.loader.roots[0]),
                                       "Rename", plan.skipped), confirmed)

    # -- 5. new agent --------------------------------------------------------------------------

    def new_agent(self) -> None:
        from agentbench.ui.screens.new_agent import NewAgentScreen

        library = self.state.library
        if library is None:
            return
        root = self.state.loader.roots[0]
        self._push(NewAgentScreen(root, [a.name for a in library.agents]),
                   partial(self._create, root))

    def _create(self, root: str, spec: NewAgent | None) -> None:
        from agentbench.core.write.new_agent import plan_new_agent

        if spec is None:
            return
        try:
            change = plan_new_agent(root, spec)
        except EditError as error:
            self.notify(str(error), title="Not created", severity="error", markup=False)
            return
        self.save([change], f"Created {_name(change.path)} — ctrl+z to undo", select=spec.name)
