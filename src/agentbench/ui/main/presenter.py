"""The presenter: state in, widgets out. The only code that queries the main screen's widgets.

Features and handlers change the state (ui/state.py) and then ask the presenter to show it;
they never look a widget up themselves, so adding a panel touches compose, this file and the
feature that fills it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from textual.app import App
from textual.widget import Widget
from textual.widgets import Input, TabbedContent

from agentbench.core.model import Agent, Diagnostic, Library
from agentbench.core.placeholders import Values
from agentbench.core.text.safe import printable
from agentbench.ui.state import WorkbenchState
from agentbench.ui.widgets.agent_card import AgentCard
from agentbench.ui.widgets.agent_list import AgentList, Badge
from agentbench.ui.widgets.graph_view import GraphView
from agentbench.ui.widgets.marked_text import MarkedTextArea
from agentbench.ui.widgets.preview import PreviewPane
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariableRow, VariablesPanel


class Presenter:
    def __init__(self, app: App[Any]) -> None:
        self._app = app

    # -- the widgets (for ui/main/views.py, beside this file) ---------------------------------

    @property
    def agent_list(self) -> AgentList:
        return self._app.query_one(AgentList)

    @property
    def graph(self) -> GraphView:
        return self._app.query_one(GraphView)

    @property
    def workbench_graph(self) -> GraphView:
        """The graph of the workbench's own screen, also while the flow screen is on top."""
        return self._app.screen_stack[0].query_one(GraphView)

    @property
    def source(self) -> MarkedTextArea:
        return self._app.query_one("#source", MarkedTextArea)

    @property
    def tabs(self) -> TabbedContent:
        return self._app.query_one("#views", TabbedContent)

    @property
    def problems(self) -> ProblemsPanel:
        return self._app.query_one(ProblemsPanel)

    @property
    def variables(self) -> VariablesPanel:
        return self._app.query_one(VariablesPanel)

    @property
    def main(self) -> Widget:
        return self._app.query_one("#main")

    # -- the frame ----------------------------------------------------------------------------

    def starting(self) -> None:
        self._app.query_one("#problems").display = False
        self.loading(True)
        self.agent_list.focus()

    def loading(self, on: bool) -> None:
        self.main.loading = on

    def show_title(self, state: WorkbenchState, warning: str | None) -> None:
        """The header: the library, its size, the profile, session values, watch trouble."""
        count = len(state.library.agents) if state.library else 0
        noun = "agent" if count == 1 else "agents"
        parts = [printable(state.loader.display_root), f"{count} {noun}"]
        parts.append(f"profile {printable(state.profile)}" if state.profile else "no profile")
        if state.session:
            parts.append(f"{len(state.session)} session values")
        if warning:
            parts.append(f"⚠ not following files: {warning}")
        self._app.sub_title = " · ".join(parts)

    def show_loading_title(self, root: str) -> None:
        self._app.sub_title = f"{printable(root)} · loading…"

    def list_shown(self) -> bool:
        """Whether the agent list (and its filter) is on screen: narrow, the editor takes it."""
        return bool(self._app.query_one("#left").display)

    # -- the agent list and the filter --------------------------------------------------------

    def focus_list(self) -> None:
        self.agent_list.focus()

    def focus_filter(self) -> None:
        self._app.query_one("#filter").focus()

    def set_filter(self, text: str) -> None:
        self.agent_list.set_filter(text)

    def type_into_filter(self, character: str) -> None:
        """A character typed in the list goes on in the filter box, which takes the focus."""
        box = self._app.query_one("#filter", Input)
        box.value += character
        box.cursor_position = len(box.value)
        box.focus()

    def list_order(self) -> Sequence[str]:
        return self.agent_list.visible_names

    def list_highlighted(self) -> str | None:
        return self.agent_list.highlighted

    def set_agents(self, agents: Iterable[Agent], badges: Mapping[str, Badge], root: str
                   ) -> None:
        self.agent_list.set_agents(agents, badges, root)

    def set_marks(self, marks: Mapping[str, str], only: Iterable[str] | None) -> None:
        self.agent_list.set_marks(marks, only)

    def select_in_list(self, name: str | None) -> None:
        self.agent_list.select(name)

    # -- the selected agent -------------------------------------------------------------------

    def show_card(self, agent: Agent | None, known: Collection[str]) -> None:
        self._app.query_one(AgentCard).show(agent, known)

    def show_match(self, status: str | None, matches: Sequence[tuple[str, Sequence[str]]]
                   ) -> None:
        self._app.query_one(AgentCard).show_match(status, matches)

    def show_preview(self, agent: Agent | None, values: Values) -> None:
        self._app.query_one(PreviewPane).show(agent, values)

    def show_variables(self, agent: Agent | None, values: Values) -> None:
        self.variables.show(agent.placeholders if agent else (),
                            agent.handoff_placeholders if agent else (), values)

    def update_values(self, values: Values, editing: str | None = None) -> None:
        self.variables.update_values(values, editing=editing)

    def refresh_values(self, values: Values) -> bool:
        """Update the variables' rows in place, keeping a value being typed; False when the
        rows (from a selection a moment ago) are not built yet."""
        app = self._app
        if not all(row.is_mounted for row in app.query(VariableRow)):
            return False
        focused = app.focused
        row = next((a for a in focused.ancestors if isinstance(a, VariableRow)), None) \
            if focused else None
        self.update_values(values, editing=row.placeholder if row else None)
        return True

    def set_profiles(self, profiles: Iterable[str], current: str | None) -> None:
        self.variables.set_profiles(profiles, current)

    # -- problems -----------------------------------------------------------------------------

    def follow_problems(self, library: Library, selected: str | None, root: str) -> None:
        self.problems.follow(library, selected, root)

    def select_problems(self, name: str | None) -> None:
        self.problems.select_agent(name)

    def highlighted_problem(self) -> Diagnostic | None:
        """The problem under the panel's cursor while the panel is shown."""
        panel = self.problems
        return panel.highlighted if panel.display else None

    # -- the editor pane ----------------------------------------------------------------------

    def mount_editor(self, pane: Widget) -> None:
        main = self.main
        main.mount(pane, before="#centre")
        main.add_class("-editing")

    # -- the flow screen's walk ---------------------------------------------------------------

    def show_path(self, agents: tuple[str, ...], edges: tuple[tuple[str, str, str], ...]
                  ) -> None:
        for view in self._app.screen_stack[0].query(GraphView):
            view.show_path(agents, edges)
