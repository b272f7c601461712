"""Writing what the flow screen walked: record it as a flow file, export it as Markdown.

Files go to `flows/` beside the library: the folder of the flow being replayed, else an
existing `flows/` (core.flow.flow_folders), else a new `flows/` in the library folder. Writes
are atomic and never replace a file silently.
"""

from __future__ import annotations

import os
from functools import partial

from agentbench.core.flow.check import flow_folders
from agentbench.core.flow.export import run_to_markdown
from agentbench.core.flow.record import FLOWS_DIR, FlowFile
from agentbench.core.text.safe import printable
from agentbench.core.write.atomic import WriteRefused, confine, stamp_of, write_atomic
from agentbench.core.write.flow_file import save_flow
from agentbench.ui.screens.flow_dialogs import FlowNameScreen
from agentbench.ui.screens.flow_walk import WalkScreen
from agentbench.ui.state import WorkbenchState


def flows_folder(state: WorkbenchState, script: FlowFile | None) -> str:
    if script is not None and script.path:
        return os.path.dirname(script.path) or "."
    root = state.loader.roots[0]
    if state.library is not None:
        existing = flow_folders(state.library, root)
        if existing:
            return existing[0]
    if os.path.isdir(root):
        return os.path.join(root, FLOWS_DIR)
    return os.path.join(os.path.dirname(root) or ".", FLOWS_DIR)


def _within(state: WorkbenchState, path: str) -> str:
    """The folder no symlink may lead a write out of: the library's, or, for a flow replayed
    from somewhere else, the folder it came from (the user chose it)."""
    root = state.loader.roots[0]
    library = os.path.abspath(root if os.path.isdir(root) else os.path.dirname(root) or ".")
    target = os.path.abspath(path)
    return library if target.startswith(library + os.sep) else os.path.dirname(target)


def start_record(screen: WalkScreen) -> None:
    if screen.run is None:
        return
    screen.app.push_screen(
        FlowNameScreen("Record this walk as a flow file", flows_folder(screen.state,
                                                                       screen.script),
                       ".yaml", screen.file_name()),
        partial(finish_record, screen))


def finish_record(screen: WalkScreen, path: str | None) -> None:
    if path is None or screen.run is None:
        return
    flow = screen.run.record(screen.script.title if screen.script else None)
    expected = stamp_of(path)  # ABSENT for a new file: one that appears meanwhile is kept
    try:
        save_flow(flow, path, expected, within=_within(screen.state, path))
    except WriteRefused as error:
        screen.notify(str(error), title="Not recorded", severity="error", timeout=15,
                      markup=False)
        return
    screen.saved_as(path)
    screen.notify(f"Recorded {len(flow.steps)} steps to {printable(path)}", markup=False)


def start_export(screen: WalkScreen) -> None:
    if screen.run is None:
        return
    screen.app.push_screen(
        FlowNameScreen("Export this walk as Markdown", flows_folder(screen.state,
                                                                    screen.script),
                       ".md", screen.file_name()),
        partial(finish_export, screen))


def finish_export(screen: WalkScreen, path: str | None) -> None:
    if path is None or screen.run is None:
        return
    title = (screen.script.title if screen.script else None) or \
        os.path.splitext(os.path.basename(path))[0]
    text = run_to_markdown(screen.run, title, screen.problem)
    within = _within(screen.state, path)
    try:
        confine(within, path)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        # ABSENT for a new file; the name dialog already asked before replacing one.
        write_atomic(path, text.encode("utf-8"), stamp_of(path), within=within)
    except (WriteRefused, OSError) as error:
        screen.notify(str(error), title="Not exported", severity="error", timeout=15,
                      markup=False)
        return
    screen.saved_as(path)
    screen.notify(f"Exported {len(screen.run.steps)} steps to {printable(path)}",
                  markup=False)
