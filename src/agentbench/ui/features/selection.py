"""Showing the selected agent everywhere at once (list, card, preview, variables, problems,
centre view), and where a chosen problem takes the reader.

The app's handlers call these synchronously, so the selection changes while the message
that asked for it is handled (a typed filter selects its best match at once).
"""

from __future__ import annotations

from agentbench.core.model import Agent, Diagnostic
from agentbench.ui.features.editing import Editing
from agentbench.ui.features.project import ProjectState
from agentbench.ui.features.reload import Reloader
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.main.views import Views
from agentbench.ui.state import WorkbenchState


class Selection:
    def __init__(self, state: WorkbenchState, presenter: Presenter, views: Views,
                 editing: Editing, reloader: Reloader, project: ProjectState) -> None:
        self.state, self.presenter, self.views = state, presenter, views
        self.editing, self.reloader, self.project = editing, reloader, project

    def show(self, name: str | None, reloaded: bool = False,
             previous: Agent | None = None) -> None:
        """Show `name`; reloading the agent that was shown (`previous`) keeps the reader's
        place: scroll positions, the variables' rows and the focused input. The editor may
        ask about unsaved changes first (then it selects `name` itself), else follows."""
        state, shown, editing = self.state, self.presenter, self.editing
        if not reloaded and not editing.may_select(name):
            return
        state.selected = name
        agent = state.agent
        if not reloaded:
            editing.follow(agent)
        known = state.library.by_name() if state.library else {}
        shown.select_in_list(name)
        if self.reloader.card_changed(agent, known):
            shown.show_card(agent, known)
        self.project.show_match(agent)
        shown.show_preview(editing.shown(agent), state.values)
        if not self.reloader.refresh_values(previous, agent):
            shown.show_variables(agent, state.values)
        shown.select_problems(name)
        if reloaded:
            self.views.source_path = None
        self.views.sync(keep_scroll=previous is not None)

    def choose_problem(self, found: Diagnostic) -> None:
        """To the problem's line: in the editor when it has the file open, else in the source."""
        library = self.state.library
        agent = next((a for a in library.agents if a.path == found.path), None) \
            if library else None
        name = found.agent or (agent.name if agent else None)
        if self.editing.goto(found.path, found.line, found.column):
            return
        if name is not None and library and library.get(name):
            self.show(name)
        self.views.show("tab-source")
        self.views.show_source(found.path, found.line, found.column)
        self.views.focus_source()
