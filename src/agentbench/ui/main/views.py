"""The centre views (preview, source, graph) and the side panels: which is shown, and keeping
the hidden ones cheap.

Part of the presenter: the app owns one `Views`, and its view and panel actions delegate
here. The source and the graph cost more to draw than the preview, so
a hidden one is only brought up to date when it is shown.
"""

from __future__ import annotations

from agentbench.ui.main.presenter import Presenter
from agentbench.ui.rendering import marked_source, read_source
from agentbench.ui.state import WorkbenchState

VIEWS = ("tab-preview", "tab-source", "tab-graph")


class Views:
    """The app's centre tabs and panels, and what the costly tabs last drew."""

    def __init__(self, state: WorkbenchState, presenter: Presenter) -> None:
        self.state, self.presenter = state, presenter
        self.source_path: str | None = None
        self.graph_stale = False

    def sync(self, keep_scroll: bool = False) -> None:
        """Bring the hidden tabs up to date only when shown: they cost more than the preview."""
        state, shown = self.state, self.presenter
        active = shown.tabs.active
        agent = state.agent
        # The graph needs the width: the card and the variables panel step aside (app.tcss).
        shown.main.set_class(active == "tab-graph", "-graph-tab")
        if active == "tab-source" and agent and self.source_path != agent.path:
            self.show_source(agent.path, keep_scroll=keep_scroll)
        elif active == "tab-graph" and self.graph_stale and state.library:
            self.graph_stale = False
            shown.graph.show(state.library, state.selected)
        elif active == "tab-graph":
            shown.graph.select(state.selected)

    def focus_source(self) -> None:
        self.presenter.source.focus()

    def show_source(self, path: str, line: int | None = None, column: int = 1,
                    keep_scroll: bool = False) -> None:
        source = self.presenter.source
        if self.source_path != path:
            marked = marked_source(read_source(path))
            source.show(marked.text, marked.marks, keep_scroll=keep_scroll)
            self.source_path = path
        if line is not None:
            row = max(0, min(line - 1, source.document.line_count - 1))
            source.move_cursor((row, max(column - 1, 0)), center=True)

    def show(self, view: str) -> None:
        self.presenter.tabs.active = view
        self.sync()

    def cycle(self) -> None:
        active = self.presenter.tabs.active
        self.show(VIEWS[(VIEWS.index(active) + 1) % len(VIEWS)] if active in VIEWS
                  else VIEWS[0])

    def toggle_problems(self) -> None:
        state = self.state
        self.presenter.problems.toggle(state.library, state.selected, state.loader.display_root)

    def toggle_variables(self) -> None:
        panel = self.presenter.variables
        panel.display = not panel.display
