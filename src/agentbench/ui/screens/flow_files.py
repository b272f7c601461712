"""Opening the flow screen, telling it about reloads, and writing what it walked.

Kept out of app.py (which only calls `open_flow` and `library_reloaded`) and out of the
screen, which stays about showing the walk. Files go to `flows/` beside the library: the
folder of the flow being replayed, else an existing `flows/` (core.flow.flow_folders), else a
new `flows/` in the library folder. Writes are atomic and never replace a file silently.
"""

from __future__ import annotations

import os
from functools import partial
from typing import TYPE_CHECKING

from agentbench.core.flow.check import flow_folders
from agentbench.core.flow.export import run_to_markdown
from agentbench.core.flow.record import FLOWS_DIR, FlowFile
from agentbench.core.model import Library
from agentbench.core.text.safe import printable
from agentbench.core.write.atomic import WriteRefused, stamp_of, write_atomic
from agentbench.core.write.flow_file import save_flow
from agentbench.ui.screens.flow import FlowScreen
from agentbench.ui.screens.flow_dialogs import FlowNameScreen

if TYPE_CHECKING:
    from agentbench.ui.app import AgentbenchApp

FLOW_SCREEN = "flow"


def flow_screen(app: AgentbenchApp) -> FlowScreen | None:
    if not app.is_screen_installed(FLOW_SCREEN):
        return None
    screen = app.get_screen(FLOW_SCREEN)
    return screen if isinstance(screen, FlowScreen) else None


def open_flow(app: AgentbenchApp, start: str | None = None, flow: FlowFile | None = None,
              autoplay: float | None = None) -> FlowScreen:
    """Show the flow screen: the walk kept from last time, or a new one at `start`, or a replay
    of `flow` (advancing by itself every `autoplay` seconds when given)."""
    screen = flow_screen(app)
    if screen is None:
        screen = FlowScreen(start=start, script=flow, autoplay=autoplay)
        app.install_screen(screen, FLOW_SCREEN)
    elif flow is not None:
        screen.play_script(flow, autoplay)
    elif start is not None:
        screen.start_at(start)
    if app.screen is not screen:
        app.push_screen(FLOW_SCREEN)
    return screen


def library_reloaded(app: AgentbenchApp, library: Library) -> None:
    """Called by the app after each (re)load: the walk is replayed on the new library."""
    screen = flow_screen(app)
    if screen is not None:
        screen.library_changed(library)


def flows_folder(app: AgentbenchApp, script: FlowFile | None) -> str:
    if script is not None and script.path:
        return os.path.dirname(script.path) or "."
    root = app.loader.roots[0]
    if app.library is not None:
        existing = flow_folders(app.library, root)
        if existing:
            return existing[0]
    if os.path.isdir(root):
        return os.path.join(root, FLOWS_DIR)
    return os.path.join(os.path.dirname(root) or ".", FLOWS_DIR)


def start_record(screen: FlowScreen) -> None:
    if screen.run is None:
        return
    app = screen.workbench
    screen.app.push_screen(
        FlowNameScreen("Record this walk as a flow file", flows_folder(app, screen.script),
                       ".yaml", screen.file_name()),
        partial(finish_record, screen))


def finish_record(screen: FlowScreen, path: str | None) -> None:
    if path is None or screen.run is None:
        return
    flow = screen.run.record(screen.script.title if screen.script else None)
    expected = stamp_of(path)  # ABSENT for a new file: one that appears meanwhile is kept
    try:
        save_flow(flow, path, expected)
    except WriteRefused as error:
        screen.notify(str(error), title="Not recorded", severity="error", timeout=15,
                      markup=False)
        return
    screen.saved_as(path)
    screen.notify(f"Recorded {len(flow.steps)} steps to {printable(path)}", markup=False)


def start_export(screen: FlowScreen) -> None:
    if screen.run is None:
        return
    screen.app.push_screen(
        FlowNameScreen("Export this walk as Markdown", flows_folder(screen.workbench,
                                                                    screen.script),
                       ".md", screen.file_name()),
        partial(finish_export, screen))


def finish_export(screen: FlowScreen, path: str | None) -> None:
    if path is None or screen.run is None:
        return
    title = (screen.script.title if screen.script else None) or \
        os.path.splitext(os.path.basename(path))[0]
    text = run_to_markdown(screen.run, title, screen.problem)
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        # ABSENT for a new file; the name dialog already asked before replacing one.
        write_atomic(path, text.encode("utf-8"), stamp_of(path))
    except (WriteRefused, OSError) as error:
        screen.notify(str(error), title="Not exported", severity="error", timeout=15,
                      markup=False)
        return
    screen.saved_as(path)
    screen.notify(f"Exported {len(screen.run.steps)} steps to {printable(path)}",
                  markup=False)
