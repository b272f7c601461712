"""The centre views (preview, source, graph) and the side panels: which is shown, and keeping
the hidden ones cheap.

Kept out of app.py so the app stays readable: the app owns one `Views`, and its view and
panel actions delegate here. The source and the graph cost more to draw than the preview, so
a hidden one is only brought up to date when it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import TabbedContent

from agentbench.ui.rendering import marked_source, read_source
from agentbench.ui.widgets.graph_view import GraphView
from agentbench.ui.widgets.marked_text import MarkedTextArea
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariablesPanel

if TYPE_CHECKING:
    from agentbench.ui.app import AgentbenchApp

VIEWS = ("tab-preview", "tab-source", "tab-graph")


class Views:
    """The app's centre tabs and panels, and what the costly tabs last drew."""

    def __init__(self, app: AgentbenchApp) -> None:
        self.app = app
        self.source_path: str | None = None
        self.graph_stale = False

    def sync(self, keep_scroll: bool = False) -> None:
        """Bring the hidden tabs up to date only when shown: they cost more than the preview."""
        app = self.app
        active = app.query_one("#views", TabbedContent).active
        # The graph needs the width: the card and the variables panel step aside (app.tcss).
        app.query_one("#main").set_class(active == "tab-graph", "-graph-tab")
        if active == "tab-source" and app.agent and self.source_path != app.agent.path:
            self.show_source(app.agent.path, keep_scroll=keep_scroll)
        elif active == "tab-graph" and self.graph_stale and app.library:
            self.graph_stale = False
            app.query_one(GraphView).show(app.library, app.selected)
        elif active == "tab-graph":
            app.query_one(GraphView).select(app.selected)

    def show_source(self, path: str, line: int | None = None, column: int = 1,
                    keep_scroll: bool = False) -> None:
        source = self.app.query_one("#source", MarkedTextArea)
        if self.source_path != path:
            marked = marked_source(read_source(path))
            source.show(marked.text, marked.marks, keep_scroll=keep_scroll)
            self.source_path = path
        if line is not None:
            row = max(0, min(line - 1, source.document.line_count - 1))
            source.move_cursor((row, max(column - 1, 0)), center=True)

    def show(self, view: str) -> None:
        self.app.query_one("#views", TabbedContent).active = view
        self.sync()

    def cycle(self) -> None:
        active = self.app.query_one("#views", TabbedContent).active
        self.show(VIEWS[(VIEWS.index(active) + 1) % len(VIEWS)] if active in VIEWS
                  else VIEWS[0])

    def toggle_problems(self) -> None:
        app = self.app
        app.query_one(ProblemsPanel).toggle(app.library, app.selected, app.loader.display_root)

    def toggle_variables(self) -> None:
        panel = self.app.query_one(VariablesPanel)
        panel.display = not panel.display
