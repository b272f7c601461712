"""Copying and saving the handoff graph as Mermaid or DOT from the workbench.

Saving writes `<library root>/handoffs.mmd` (or `.dot`) atomically and never replaces a file
that changed since this session last wrote it, nor one it did not write that differs.
"""

from __future__ import annotations

import os
from typing import Literal

from textual.widget import Widget

from agentbench.core.graph.export import to_dot, to_mermaid
from agentbench.core.graph.source import graph_input
from agentbench.core.model import Library
from agentbench.core.text.safe import printable
from agentbench.core.write.atomic import ABSENT, Stamp, WriteRefused, stamp_of, write_atomic

Format = Literal["mermaid", "dot"]
SUFFIX = {"mermaid": ".mmd", "dot": ".dot"}
TITLE = {"mermaid": "Mermaid", "dot": "DOT"}


def export_text(library: Library, fmt: Format) -> str:
    data = graph_input(library)
    render = to_mermaid if fmt == "mermaid" else to_dot
    return render(data.nodes, data.edges)


def export_path(library: Library, fmt: Format) -> str:
    root = library.root
    folder = root if os.path.isdir(root) else os.path.dirname(root) or "."
    return os.path.join(folder, "handoffs" + SUFFIX[fmt])


class ExportSaver:
    """Remembers what this session wrote, so a later save can tell an edit from its own."""

    def __init__(self) -> None:
        self._written: dict[str, Stamp] = {}

    def save(self, library: Library, fmt: Format) -> tuple[bool, str]:
        """(saved, message): the message names the path, or says why nothing was written."""
        path = export_path(library, fmt)
        data = export_text(library, fmt).encode("utf-8")
        expected = self._written.get(os.path.abspath(path))
        if expected is None:
            expected = stamp_of(path)
            if expected != ABSENT:
                try:
                    with open(path, "rb") as stream:
                        same = stream.read() == data
                except OSError as error:
                    return False, f"cannot read {path}: {error.strerror or error}"
                if same:
                    self._written[os.path.abspath(path)] = expected
                    return True, f"{path} is already up to date"
                return False, (f"{path} exists and differs from this export; not replaced "
                               "(move it away to save a new one)")
        try:  # a link planted in the library must not carry the file out of it
            self._written[os.path.abspath(path)] = write_atomic(
                path, data, expected, within=os.path.dirname(path) or ".")
        except WriteRefused as error:
            return False, f"{path} not saved: {error}"
        return True, f"Saved {path}"


def run_export(widget: Widget, saver: ExportSaver, library: Library | None, fmt: Format,
               save: bool) -> None:
    """Copy to the clipboard or save beside the library, and say what happened."""
    if library is None:
        widget.notify("No library loaded yet", severity="warning")
        return
    if not save:
        widget.app.copy_to_clipboard(export_text(library, fmt))
        widget.notify(f"Graph copied as {TITLE[fmt]}", markup=False)
        return
    saved, message = saver.save(library, fmt)
    widget.notify(printable(message), markup=False, severity="information" if saved
                  else "error", timeout=8 if saved else 20)
