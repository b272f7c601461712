"""The workbench app: wiring between the core model and the widgets.

Workers compute and post messages; handlers here own the state (library, selection, profile,
session values) and push it into the widgets. What the handlers do lives beside them:
loading.py, selection.py, views.py, session.py (and authoring.py, editing.py, project.py).
"""

from __future__ import annotations

import asyncio
import threading

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.reactive import reactive
from textual.widgets import Footer, Header, Input, Select, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from agentbench.core.flow.record import FlowFile
from agentbench.core.library.loader import LibraryLoader
from agentbench.core.model import Agent, Library, Workspace
from agentbench.core.placeholders import Values
from agentbench.core.text.safe import printable
from agentbench.core.write.profile import FileStamp
from agentbench.ui.authoring import Authoring
from agentbench.ui.commands import WorkbenchCommands
from agentbench.ui.editing import Editing
from agentbench.ui.loading import apply_library, refresh_title
from agentbench.ui.messages import FilesChanged, FlowPathChanged, LibraryLoaded, WatchFailed
from agentbench.ui.project import ProjectDetected, ProjectState
from agentbench.ui.reload import Reloader, read_library
from agentbench.ui.save_flow import start_save
from agentbench.ui.screens.flow_files import open_flow
from agentbench.ui.screens.help import HelpScreen
from agentbench.ui.selection import choose_problem, show_agent, type_into_filter
from agentbench.ui.session import clear_session, edit_value, use_profile
from agentbench.ui.views import Views
from agentbench.ui.watcher import Changes, WatchTargets, WatchUnavailable, follow
from agentbench.ui.widgets.agent_card import AgentCard
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.editor_pane import EditorPane
from agentbench.ui.widgets.graph_view import GraphView
from agentbench.ui.widgets.marked_text import MarkedTextArea
from agentbench.ui.widgets.preview import PreviewPane
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariablesPanel


class AgentbenchApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "agentbench"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    # Wide enough for the agent list beside the editor and the preview (app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="List every key"),
        Binding("slash", "focus_filter", "Filter", id="app.filter",
                tooltip="Filter the agent list"),
        Binding("f2", "toggle_problems", "Problems", id="app.problems",
                tooltip="Show or hide the problems panel"),
        Binding("f3", "toggle_variables", "Variables", id="app.variables",
                tooltip="Show or hide the variables panel"),
        Binding("f4", "next_view", "Views", id="app.next_view",
                tooltip="Cycle the centre view: preview, source, graph"),
        Binding("f5", "flow", "Flow", id="app.flow",
                tooltip="Flow mode: walk the handoffs from the entry agent (f5 again returns)"),
        Binding("ctrl+e", "edit", "Edit", id="app.edit",
                tooltip="Edit the agent's file in place, beside its live preview"),
        Binding("ctrl+s", "save_profile", "Save profile", id="app.save_profile",
                tooltip="Save session values into the workspace file as a profile"),
        # Authoring (ui/authoring.py): open in $EDITOR, undo the last write, new agent.
        Binding("ctrl+o", "open_in_editor", "$EDITOR", id="app.open_in_editor",
                tooltip="Open the agent's file in $VISUAL/$EDITOR at the selected problem"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="app.reload",
                tooltip="Read the library again from disk (and follow files again)"),
        Binding("ctrl+z", "undo_write", "Undo", show=False, id="app.undo_write",
                tooltip="Undo the last change written from the workbench"),
        Binding("ctrl+n", "new_agent", "New agent", show=False, id="app.new_agent",
                tooltip="Create a new agent file"),
        Binding("escape", "focus_list", "Agents", show=False, id="app.focus_list",
                tooltip="Back to the agent list (to the editor while it is open)"),
    ]

    has_session: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, loader: LibraryLoader, session: dict[str, str] | None = None,
                 watch: bool = True, testing: bool = False, flow: FlowFile | None = None,
                 autoplay: float | None = None, project: str | None = None) -> None:
        super().__init__()
        self._flow, self._autoplay = flow, autoplay  # opened straight into the flow screen
        self.loader = loader
        self.session: dict[str, str] = dict(session or {})
        self.watch_files = watch
        self.testing = testing
        self.library: Library | None = None
        self.selected: str | None = None
        self.profile: str | None = loader.profile
        self.workspace_stamp = FileStamp(None)
        self.workspace_path = ""
        self.has_session = bool(self.session)
        # A file broken mid-edit keeps its last good agent (see FileCache.keep_last_good).
        loader.cache.keep_last_good = True
        self._loads = 0
        self._load_lock = threading.Lock()
        self.reloader = Reloader(self)
        self.views = Views(self)  # the centre tabs and the panels (ui/views.py)
        self.authoring = Authoring(self)
        self.editing = Editing(self)  # the in-place editor (ui/editing.py)
        self.project = ProjectState(self, project)  # --project: detected values (ui/project.py)

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
        self.project.start()
        self.reloader.follow()
        if self._flow is not None:
            open_flow(self, flow=self._flow, autoplay=self._autoplay)

    # -- loading ------------------------------------------------------------------------------

    def load_library(self) -> int:
        """Start a load (any running one is superseded); its number."""
        self._loads += 1
        self._load(self._loads)
        return self._loads

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", name="load")
    def _load(self, generation: int) -> None:
        # One load at a time (they share the cache); a superseded one never posts.
        with self._load_lock:
            worker = get_current_worker()
            loaded = None if worker.is_cancelled else read_library(self.loader, generation)
            if loaded is not None and not worker.is_cancelled:
                self.post_message(loaded)

    @work(exclusive=True, exit_on_error=False, group="watch", name="watch")
    async def follow_files(self, targets: WatchTargets, stop: asyncio.Event) -> None:
        """Watch the library and its workspace files; post FilesChanged (ui/watcher.py)."""
        reloader = self.reloader
        try:
            await follow(targets, reloader.tracker, self._post_changes, stop, reloader.watching)
        except WatchUnavailable as error:
            self.post_message(WatchFailed(str(error)))

    def _post_changes(self, changes: Changes) -> None:
        self.post_message(FilesChanged(changes))

    @on(FilesChanged)
    def _files_changed(self, message: FilesChanged) -> None:
        self.reloader.watched(message.changes)

    @on(WatchFailed)
    def _watch_failed(self, message: WatchFailed) -> None:
        self.reloader.watch_failed(message.reason)

    def on_unmount(self) -> None:
        self.reloader.stop()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.query_one("#main").loading = False
            error = event.worker.error
            self.notify(f"{event.worker.name} failed: {type(error).__name__}: {error}",
                        title="Error", severity="error", timeout=30, markup=False)

    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        if message.generation >= self._loads:  # else a later load is on its way
            apply_library(self, message)

    @property
    def workspace(self) -> Workspace:
        return (self.library.workspace if self.library else None) or Workspace()

    @property
    def values(self) -> Values:
        return self.project.values(self.workspace, self.profile, self.session)

    @on(ProjectDetected)
    def _project_detected(self, message: ProjectDetected) -> None:
        self.project.detected_project(message)

    def update_title(self) -> None:
        refresh_title(self)

    # -- selection and views (ui/selection.py, ui/views.py) -----------------------------------

    @property
    def agent(self) -> Agent | None:
        return self.library.get(self.selected) if self.library and self.selected else None

    def select_agent(self, name: str | None, reloaded: bool = False,
                     previous: Agent | None = None) -> None:
        show_agent(self, name, reloaded=reloaded, previous=previous)

    def show_view(self, view: str) -> None:
        self.views.show(view)

    @on(AgentList.AgentSelected)
    @on(GraphView.AgentSelected)
    def _selected(self, message: AgentList.AgentSelected | GraphView.AgentSelected) -> None:
        if message.name != self.selected:
            self.select_agent(message.name)

    @on(AgentCard.HandoffChosen)
    def _jump(self, message: AgentCard.HandoffChosen) -> None:
        self.select_agent(message.target)

    @on(GraphView.AgentChosen)
    def _graph_chosen(self, message: GraphView.AgentChosen) -> None:
        """Enter in the graph opens the agent in the preview."""
        self.select_agent(message.name)
        self.show_view("tab-preview")

    @on(FlowPathChanged)
    def _flow_path(self, message: FlowPathChanged) -> None:
        for view in self.screen_stack[0].query(GraphView):
            view.show_path(message.agents, message.edges)

    @on(TabbedContent.TabActivated, "#views")
    def _view_changed(self) -> None:
        self.views.sync()

    @on(ProblemsPanel.ProblemChosen)
    def _problem_chosen(self, message: ProblemsPanel.ProblemChosen) -> None:
        choose_problem(self, message.diagnostic)

    # -- filter -------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(AgentList).set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(AgentList).focus()

    @on(AgentList.FilterTyped)
    def _filter_typed(self, message: AgentList.FilterTyped) -> None:
        type_into_filter(self, message.character)

    # -- values (ui/session.py) ---------------------------------------------------------------

    @on(VariablesPanel.ValueEdited)
    def _value_edited(self, message: VariablesPanel.ValueEdited) -> None:
        edit_value(self, message.name, message.value)

    @on(Select.Changed, "#profile-select")
    def _profile_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.profile:
            self.switch_profile(event.value)

    def switch_profile(self, name: str) -> None:
        use_profile(self, name)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_profile":
            return True if self.has_session and self.library is not None else None
        if action == "focus_filter":  # the list steps aside for the editor when narrow
            return self.query_one("#left").display
        return True

    def action_help(self) -> None:
        every = [*self.BINDINGS, *EditorPane.HELP_BINDINGS, *GraphView.HELP_BINDINGS]
        bindings = [b for b in every if isinstance(b, Binding)]
        self.push_screen(HelpScreen(bindings))

    def action_focus_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_focus_list(self) -> None:
        if not self.editing.focus():
            self.query_one(AgentList).focus()

    def action_toggle_problems(self) -> None:
        self.views.toggle_problems()

    def action_toggle_variables(self) -> None:
        self.views.toggle_variables()

    def action_next_view(self) -> None:
        self.views.cycle()

    def action_clear_session(self) -> None:
        clear_session(self)

    def action_save_profile(self) -> None:
        start_save(self)

    def action_flow(self, start: str | None = None) -> None:
        open_flow(self, start=start)

    # Authoring actions delegate to ui/authoring.py.
    def action_open_in_editor(self) -> None:
        self.authoring.open_in_editor()

    def action_quick_fix(self) -> None:
        self.authoring.quick_fix()

    def action_undo_write(self) -> None:
        self.authoring.undo()

    def action_reload(self) -> None:
        self.reloader.reload_all()

    def action_edit_handoffs(self) -> None:
        self.authoring.edit_handoffs()

    def action_rename_agent(self) -> None:
        self.authoring.rename()

    def action_new_agent(self) -> None:
        self.authoring.new_agent()

    # Editing in place delegates to ui/editing.py.
    def action_edit(self) -> None:
        self.editing.toggle()

    def action_save_file(self) -> None:
        self.editing.save()

    def action_close_editor(self) -> None:
        self.editing.close()

    @on(EditorPane.Checked)
    def _buffer_checked(self, message: EditorPane.Checked) -> None:
        self.editing.checked(message)

    async def action_quit(self) -> None:
        if self.editing.may_quit():
            self.exit()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # Snapshots must not depend on where a blinking cursor was when the shot was taken.
        if self.testing and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False


def make_app(loader: LibraryLoader, session: dict[str, str] | None = None, watch: bool = True,
             testing: bool = False, flow: FlowFile | None = None,
             autoplay: float | None = None, project: str | None = None) -> AgentbenchApp:
    """The one way to build the app: the CLI, the tests and the screenshots all call this.

    With `flow`, the app opens straight into the flow screen replaying it, taking the next
    step every `autoplay` seconds when given. With `project`, values detected from that
    folder fill placeholders (lowest precedence) and the list marks the agents that apply.
    """
    return AgentbenchApp(loader, session=session, watch=watch, testing=testing, flow=flow,
                         autoplay=autoplay, project=project)
