"""The palette's "Export for …": the dialog (screens/export_dialog.py) on the values shown."""

from __future__ import annotations

from collections.abc import Callable

from agentbench.core.export.plan import flatten
from agentbench.core.text.safe import printable
from agentbench.ui.features.notifier import Notify
from agentbench.ui.screens.export_dialog import TOOLS, ExportDialog, default_out
from agentbench.ui.state import WorkbenchState


def open_export(state: WorkbenchState, push: Callable[..., object], notify: Notify,
                target: str) -> None:
    """Open the dialog with the values shown right now."""
    if state.library is None:
        notify("The library is still loading", severity="warning")
        return
    dialog = ExportDialog(target, default_out(state.loader.display_root, target),
                          list(state.library.agents), flatten(state.values))

    def done(result: tuple[int, str] | None) -> None:
        if result is not None:
            count, out = result
            notify(f"Exported {count} files for {TOOLS[target]} to {printable(out)}",
                   title="Export", markup=False)

    push(dialog, done)
