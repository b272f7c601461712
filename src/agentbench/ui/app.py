"""The workbench app: wiring between the core model and the widgets.

Workers compute and post messages; handlers here own the state (library, selection, profile,
session values) and push it into the widgets.
"""

from __future__ import annotations

import os

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.reactive import reactive
from textual.widgets import Footer, Header, Input, Select, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from agentbench.core.library import LibraryLoader
from agentbench.core.model import Agent, Library
from agentbench.core.placeholders import Values
from agentbench.core.safe_text import printable
from agentbench.core.workspace import WORKSPACE_NAME, Workspace
from agentbench.core.workspace_write import FileStamp
from agentbench.ui.commands import WorkbenchCommands
from agentbench.ui.messages import LibraryLoaded
from agentbench.ui.rendering import marked_source, read_source
from agentbench.ui.save_flow import start_save
from agentbench.ui.screens.help import HelpScreen
from agentbench.ui.widgets.agent_card import AgentCard
from agentbench.ui.widgets.agent_list import AgentList, badges_from
from agentbench.ui.widgets.graph_view import GraphView
from agentbench.ui.widgets.marked_text import MarkedTextArea
from agentbench.ui.widgets.preview import PreviewPane
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariablesPanel

VIEWS = ("tab-preview", "tab-source", "tab-graph")


class AgentbenchApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "agentbench"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="List every key"),
        Binding("slash", "focus_filter", "Filter", id="app.filter",
                tooltip="Filter the agent list"),
        Binding("f2", "toggle_problems", "Problems", id="app.problems",
                tooltip="Show or hide the problems panel"),
        Binding("f3", "toggle_variables", "Variables", id="app.variables",
                tooltip="Show or hide the variables panel"),
        Binding("f4", "next_view", "Preview/Source/Graph", id="app.next_view",
                tooltip="Cycle the centre view: preview, source, graph"),
        Binding("ctrl+s", "save_profile", "Save profile", id="app.save_profile",
                tooltip="Save session values into the workspace file as a profile"),
        Binding("escape", "focus_list", "Agents", show=False, id="app.focus_list",
                tooltip="Back to the agent list"),
    ]

    has_session: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, loader: LibraryLoader, session: dict[str, str] | None = None,
                 watch: bool = True, testing: bool = False) -> None:
        super().__init__()
        self.loader = loader
        self.session: dict[str, str] = dict(session or {})
        self.watch_files = watch  # file watching is its own issue; kept for it
        self.testing = testing
        self.library: Library | None = None
        self.selected: str | None = None
        self.profile: str | None = loader.profile
        self.workspace_stamp = FileStamp(None)
        self.workspace_path = ""
        self._source_path: str | None = None
        self.has_session = bool(self.session)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Input(placeholder="filter agents…", id="filter", compact=True,
                            select_on_focus=False)
                yield AgentList(id="agents")
            with Vertical(id="centre"):
                yield AgentCard(id="card")
                with TabbedContent(id="views", initial="tab-preview"):
                    with TabPane("Preview", id="tab-preview"):
                        yield PreviewPane(id="preview", testing=self.testing)
                    with TabPane("Source", id="tab-source"):
                        yield MarkedTextArea.code_editor(
                            language="markdown", read_only=True, soft_wrap=True,
                            id="source", theme="css")
                    with TabPane("Graph", id="tab-graph"):
                        yield GraphView(id="graph")
            yield VariablesPanel(id="variables")
        yield ProblemsPanel(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#problems").display = False
        self.query_one("#main").loading = True
        self.sub_title = f"{printable(self.loader.display_root)} · loading…"
        self.query_one(AgentList).focus()
        self.load_library()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load_library(self) -> None:
        library = self.loader.load()
        workspace = library.workspace
        path = workspace.path if workspace and workspace.path else self._default_workspace()
        self.post_message(LibraryLoaded(library, FileStamp.of(path), path))

    def _default_workspace(self) -> str:
        root = self.loader.roots[0]
        folder = root if os.path.isdir(root) else os.path.dirname(root) or "."
        return os.path.join(folder, WORKSPACE_NAME)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.query_one("#main").loading = False
            error = event.worker.error
            self.notify(f"{event.worker.name} failed: {type(error).__name__}: {error}",
                        title="Error", severity="error", timeout=30, markup=False)

    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        self.library = message.library
        self.workspace_stamp = message.workspace_stamp
        self.workspace_path = message.workspace_path
        workspace = self.workspace
        if self.profile is None or self.profile not in workspace.profiles:
            self.profile = workspace.active_profile(None)
        badges = badges_from(message.library.diagnostics)
        agent_list = self.query_one(AgentList)
        agent_list.set_agents(message.library.agents, badges, self.loader.display_root)
        self.query_one(VariablesPanel).set_profiles(workspace.profiles, self.profile)
        self.query_one(GraphView).show(message.library, self.selected)
        names = message.library.by_name()
        keep = self.selected if self.selected in names else None
        keep = keep or (workspace.entry if workspace.entry in names else None)
        keep = keep or agent_list.highlighted
        self._source_path = None
        self.select_agent(keep)
        self.query_one(ProblemsPanel).show(message.library.diagnostics, self.selected,
                                           self.loader.display_root)
        self.query_one("#main").loading = False
        self._update_title()

    @property
    def workspace(self) -> Workspace:
        return (self.library.workspace if self.library else None) or Workspace()

    @property
    def values(self) -> Values:
        return self.workspace.values(self.profile, self.session)

    def _update_title(self) -> None:
        count = len(self.library.agents) if self.library else 0
        parts = [printable(self.loader.display_root), f"{count} agents"]
        parts.append(f"profile {printable(self.profile)}" if self.profile else "no profile")
        if self.session:
            parts.append(f"{len(self.session)} session values")
        self.sub_title = " · ".join(parts)
        self.has_session = bool(self.session)

    # -- selection ----------------------------------------------------------------------------

    @property
    def agent(self) -> Agent | None:
        return self.library.get(self.selected) if self.library and self.selected else None

    def select_agent(self, name: str | None) -> None:
        self.selected = name
        agent = self.agent
        known = self.library.by_name() if self.library else {}
        self.query_one(AgentList).select(name)
        self.query_one(AgentCard).show(agent, known)
        self.query_one(PreviewPane).show(agent, self.values)
        self.query_one(VariablesPanel).show(agent.placeholders if agent else (),
                                            agent.handoff_placeholders if agent else (),
                                            self.values)
        self.query_one(ProblemsPanel).select_agent(name)
        self._sync_view()

    def _sync_view(self) -> None:
        """Bring the hidden tabs up to date only when shown: they cost more than the preview."""
        active = self.query_one("#views", TabbedContent).active
        if active == "tab-source" and self.agent and self._source_path != self.agent.path:
            self.show_source(self.agent.path)
        elif active == "tab-graph":
            self.query_one(GraphView).select(self.selected)

    def show_source(self, path: str, line: int | None = None, column: int = 1) -> None:
        source = self.query_one("#source", MarkedTextArea)
        if self._source_path != path:
            marked = marked_source(read_source(path))
            source.show(marked.text, marked.marks)
            self._source_path = path
        if line is not None:
            row = max(0, min(line - 1, source.document.line_count - 1))
            source.move_cursor((row, max(column - 1, 0)), center=True)

    @on(AgentList.AgentSelected)
    def _list_selected(self, message: AgentList.AgentSelected) -> None:
        if message.name != self.selected:
            self.select_agent(message.name)

    @on(AgentCard.HandoffChosen)
    @on(GraphView.AgentChosen)
    def _jump(self, message: AgentCard.HandoffChosen | GraphView.AgentChosen) -> None:
        self.select_agent(message.target if isinstance(message, AgentCard.HandoffChosen)
                          else message.name)

    @on(TabbedContent.TabActivated, "#views")
    def _view_changed(self) -> None:
        self._sync_view()

    @on(ProblemsPanel.ProblemChosen)
    def _problem_chosen(self, message: ProblemsPanel.ProblemChosen) -> None:
        found = message.diagnostic
        agent = next((a for a in self.library.agents if a.path == found.path), None) \
            if self.library else None
        name = found.agent or (agent.name if agent else None)
        if name is not None and self.library and self.library.get(name):
            self.select_agent(name)
        self.show_view("tab-source")
        self.show_source(found.path, found.line, found.column)
        self.query_one("#source").focus()

    # -- filter -------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(AgentList).set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(AgentList).focus()

    @on(AgentList.FilterTyped)
    def _filter_typed(self, message: AgentList.FilterTyped) -> None:
        box = self.query_one("#filter", Input)
        box.value += message.character
        box.cursor_position = len(box.value)
        box.focus()

    # -- values -------------------------------------------------------------------------------

    @on(VariablesPanel.ValueEdited)
    def _value_edited(self, message: VariablesPanel.ValueEdited) -> None:
        below = self.workspace.values(self.profile, {
            k: v for k, v in self.session.items() if k != message.name}).lookup(message.name)
        if message.value == (below or ""):
            self.session.pop(message.name, None)
        else:
            self.session[message.name] = message.value
        self._values_changed(editing=message.name)

    def _values_changed(self, editing: str | None = None) -> None:
        self.query_one(PreviewPane).show(self.agent, self.values)
        self.query_one(VariablesPanel).update_values(self.values, editing=editing)
        self._update_title()

    @on(Select.Changed, "#profile-select")
    def _profile_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.profile:
            self.switch_profile(event.value)

    def switch_profile(self, name: str) -> None:
        """All values at once; a reload follows so lint results match the profile."""
        self.profile = self.loader.profile = name
        self.query_one(VariablesPanel).set_profiles(self.workspace.profiles, name)
        self._values_changed()
        self.load_library()

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_profile":
            return True if self.has_session and self.library is not None else None
        return True

    def action_help(self) -> None:
        bindings = [b for b in self.BINDINGS if isinstance(b, Binding)]
        self.push_screen(HelpScreen(bindings))

    def action_focus_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_focus_list(self) -> None:
        self.query_one(AgentList).focus()

    def action_toggle_problems(self) -> None:
        panel = self.query_one(ProblemsPanel)
        panel.display = not panel.display
        if panel.display:
            panel.query_one("#problems-table").focus()

    def action_toggle_variables(self) -> None:
        panel = self.query_one(VariablesPanel)
        panel.display = not panel.display

    def action_next_view(self) -> None:
        active = self.query_one("#views", TabbedContent).active
        self.show_view(VIEWS[(VIEWS.index(active) + 1) % len(VIEWS)] if active in VIEWS
                       else VIEWS[0])

    def show_view(self, view: str) -> None:
        self.query_one("#views", TabbedContent).active = view
        self._sync_view()

    def action_clear_session(self) -> None:
        self.session.clear()
        self._values_changed()

    def action_save_profile(self) -> None:
        start_save(self)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # Snapshots must not depend on where a blinking cursor was when the shot was taken.
        if self.testing and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False


def make_app(loader: LibraryLoader, session: dict[str, str] | None = None, watch: bool = True,
             testing: bool = False) -> AgentbenchApp:
    """The one way to build the app: the CLI, the tests and the screenshots all call this."""
    return AgentbenchApp(loader, session=session, watch=watch, testing=testing)
