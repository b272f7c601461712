"""The workbench app: compose, workers, and handlers that wire the core model to the widgets.

Workers compute and post messages; handlers change the state (ui/state.py) through the
features (ui/features/), which have the presenter (ui/main/) show it. The app owns one of each
and hands every feature only the collaborators it needs; keys and palette entries come from
one table (ui/actions.py); toasts and titles pass through ui/screen_text.py.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import ClassVar, cast

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import Input, Select, TabbedContent
from textual.worker import Worker, WorkerState, get_current_worker

from agentbench.core.flow.record import FlowFile
from agentbench.core.library.loader import LibraryLoader
from agentbench.core.model import Agent, Library
from agentbench.core.placeholders import Values
from agentbench.ui import actions
from agentbench.ui.commands import Palette, WorkbenchCommands
from agentbench.ui.features.authoring import Authoring
from agentbench.ui.features.editing import Editing
from agentbench.ui.features.loading import Loading
from agentbench.ui.features.project import ProjectDetected, ProjectState
from agentbench.ui.features.reload import Reloader, read_library
from agentbench.ui.features.save_profile import ProfileSaving
from agentbench.ui.features.selection import Selection
from agentbench.ui.features.session import Session
from agentbench.ui.main.layout import main_screen
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.main.views import Views
from agentbench.ui.messages import FilesChanged, FlowPathChanged, LibraryLoaded, WatchFailed
from agentbench.ui.screen_text import SafeTextApp
from agentbench.ui.screens.flow import FlowScreen
from agentbench.ui.screens.help import HelpScreen
from agentbench.ui.state import WorkbenchState
from agentbench.ui.watcher import Changes, WatchTargets, WatchUnavailable, follow
from agentbench.ui.widgets.agent_card import AgentCard
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.editor_pane import EditorPane
from agentbench.ui.widgets.graph_view import GraphView
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariablesPanel

FLOW_SCREEN = "flow"


class AgentbenchApp(SafeTextApp):
    CSS_PATH = "app.tcss"
    TITLE = "agentbench"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    # Wide enough for the agent list beside the editor and the preview (app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [*actions.bindings()]

    has_session: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, loader: LibraryLoader, session: dict[str, str] | None = None,
                 watch: bool = True, flow: FlowFile | None = None,
                 autoplay: float | None = None, project: str | None = None) -> None:
        super().__init__()
        self._flow, self._autoplay = flow, autoplay  # opened straight into the flow screen
        self.loader = loader
        state = self.state = WorkbenchState(loader, dict(session or {}), watch,
                                            profile=loader.profile)
        self.has_session = bool(state.session)
        # A file broken mid-edit keeps its last good agent (see FileCache.keep_last_good).
        loader.cache.keep_last_good = True
        self._loads = 0
        self._load_lock = threading.Lock()
        shown = self.presenter = Presenter(self)
        self.views = Views(state, shown)
        self.reloader = Reloader(state, shown, self.notify, load=self.load_library,
                                 title=self.update_title, after_refresh=self.call_after_refresh,
                                 post=self.post_message, follow_files=self.follow_files)
        self.authoring = Authoring(state, shown, self.notify, self.reloader,
                                   push=self.push_screen, terminal=self)
        self.editing = Editing(state, shown, self.views, self.notify, self.authoring,
                               push=self.push_screen, select=self.select_agent, exit=self.exit)
        self.session_values = Session(state, shown, self.editing, title=self.update_title,
                                      load=self.load_library)
        self.project = ProjectState(state, shown, self.notify, project,
                                    run_worker=self.run_worker, post=self.post_message,
                                    values_changed=self.session_values.values_changed)
        self.selection = Selection(state, shown, self.views, self.editing, self.reloader,
                                   self.project)
        self.loading = Loading(state, shown, self.views, self.reloader, self.project,
                               self.editing, self.selection, title=self.update_title,
                               flows_reloaded=self._flows_reloaded)
        self.profiles = ProfileSaving(state, self.notify, push=self.push_screen,
                                      load=self.load_library)
        self.palette = Palette(state, shown, self.views, self.notify, self._action,
                               lambda: self.editing.pane is not None, self.select_agent,
                               self.action_flow, self.switch_profile, self.push_screen,
                               self.project.palette_entries, self.flow_screen)

    # The state, read-only here: features change it; the app, the CLI and tests read it.
    @property
    def library(self) -> Library | None:
        return self.state.library

    @property
    def selected(self) -> str | None:
        return self.state.selected

    @property
    def profile(self) -> str | None:
        return self.state.profile

    @property
    def session(self) -> dict[str, str]:
        return self.state.session

    @property
    def values(self) -> Values:
        return self.state.values

    @property
    def agent(self) -> Agent | None:
        return self.state.agent

    @property
    def loads(self) -> int:
        """How many loads were started (a load posts its number; older ones are dropped)."""
        return self._loads

    def compose(self) -> ComposeResult:
        yield from main_screen()

    def on_mount(self) -> None:
        self.presenter.starting()
        self.presenter.show_loading_title(self.loader.display_root)
        self.load_library()
        self.project.start()
        self.reloader.follow()
        if self._flow is not None:
            self.open_flow(flow=self._flow, autoplay=self._autoplay)

    # -- loading and following files ----------------------------------------------------------

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
            self.presenter.loading(False)
            error = event.worker.error
            self.notify(f"{event.worker.name} failed: {type(error).__name__}: {error}",
                        title="Error", severity="error", timeout=30, markup=False)

    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        if message.generation >= self._loads:  # else a later load is on its way
            self.loading.apply(message)

    @on(ProjectDetected)
    def _project_detected(self, message: ProjectDetected) -> None:
        self.project.detected_project(message)

    def update_title(self) -> None:
        self.presenter.show_title(self.state, self.reloader.warning)
        self.has_session = bool(self.state.session)

    # -- selection and views ------------------------------------------------------------------

    def select_agent(self, name: str | None, reloaded: bool = False,
                     previous: Agent | None = None) -> None:
        self.selection.show(name, reloaded=reloaded, previous=previous)

    def show_view(self, view: str) -> None:
        self.views.show(view)

    @on(AgentList.AgentSelected)
    @on(GraphView.AgentSelected)
    def _selected(self, message: AgentList.AgentSelected | GraphView.AgentSelected) -> None:
        if message.name != self.state.selected:
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
        self.presenter.show_path(message.agents, message.edges)

    @on(TabbedContent.TabActivated, "#views")
    def _view_changed(self) -> None:
        self.views.sync()

    @on(ProblemsPanel.ProblemChosen)
    def _problem_chosen(self, message: ProblemsPanel.ProblemChosen) -> None:
        self.selection.choose_problem(message.diagnostic)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.presenter.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.presenter.focus_list()

    @on(AgentList.FilterTyped)
    def _filter_typed(self, message: AgentList.FilterTyped) -> None:
        self.presenter.type_into_filter(message.character)

    # -- values (features/session.py) ---------------------------------------------------------

    @on(VariablesPanel.ValueEdited)
    def _value_edited(self, message: VariablesPanel.ValueEdited) -> None:
        self.session_values.edit_value(message.name, message.value)

    @on(Select.Changed, "#profile-select")
    def _profile_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.state.profile:
            self.switch_profile(event.value)

    def switch_profile(self, name: str) -> None:
        self.session_values.use_profile(name)

    # -- the flow screen ----------------------------------------------------------------------

    def flow_screen(self) -> FlowScreen | None:
        if not self.is_screen_installed(FLOW_SCREEN):
            return None
        screen = self.get_screen(FLOW_SCREEN)
        return screen if isinstance(screen, FlowScreen) else None

    def open_flow(self, start: str | None = None, flow: FlowFile | None = None,
                  autoplay: float | None = None) -> FlowScreen:
        """Show the flow screen: the walk kept from last time, or a new one at `start`, or a
        replay of `flow` (advancing by itself every `autoplay` seconds when given)."""
        screen = self.flow_screen()
        if screen is None:
            screen = FlowScreen(self.state, start=start, script=flow, autoplay=autoplay,
                                help_rows=self.project.help_rows())
            self.install_screen(screen, FLOW_SCREEN)
        elif flow is not None:
            screen.play_script(flow, autoplay)
        elif start is not None:
            screen.start_at(start)
        if self.screen is not screen:
            self.push_screen(FLOW_SCREEN)
        return screen

    def _flows_reloaded(self, library: Library) -> None:
        """After each (re)load: the walk is replayed on the new library."""
        screen = self.flow_screen()
        if screen is not None:
            screen.library_changed(library)

    # -- actions (the table in ui/actions.py) -------------------------------------------------

    def _action(self, name: str) -> Callable[[], object]:
        return cast("Callable[[], object]", getattr(self, f"action_{name}"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_profile":
            return True if self.has_session and self.state.library is not None else None
        if action == "focus_filter":  # the list steps aside for the editor when narrow
            return self.presenter.list_shown()
        return True

    def action_help(self) -> None:
        every = [*self.BINDINGS, *EditorPane.HELP_BINDINGS, *GraphView.HELP_BINDINGS]
        bindings = [b for b in every if isinstance(b, Binding)]
        self.push_screen(HelpScreen(bindings, self.project.help_rows()))

    def action_focus_filter(self) -> None:
        self.presenter.focus_filter()

    def action_focus_list(self) -> None:
        if not self.editing.focus():
            self.presenter.focus_list()

    def action_toggle_problems(self) -> None:
        self.views.toggle_problems()

    def action_toggle_variables(self) -> None:
        self.views.toggle_variables()

    def action_next_view(self) -> None:
        self.views.cycle()

    def action_show_preview(self) -> None:
        self.show_view("tab-preview")

    def action_show_source(self) -> None:
        self.show_view("tab-source")

    def action_show_graph(self) -> None:
        self.show_view("tab-graph")

    def action_clear_session(self) -> None:
        self.session_values.clear()

    def action_save_profile(self) -> None:
        self.profiles.start()

    def action_flow(self, start: str | None = None) -> None:
        self.open_flow(start=start)

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


def make_app(loader: LibraryLoader, session: dict[str, str] | None = None, watch: bool = True,
             flow: FlowFile | None = None, autoplay: float | None = None,
             project: str | None = None) -> AgentbenchApp:
    """The one way to build the app: the CLI, the tests and the screenshots all call this.

    With `flow`, it opens into the flow screen replaying it (a step every `autoplay` seconds
    when given); with `project`, values detected there fill placeholders (lowest precedence)
    and mark the agents that apply in the list."""
    return AgentbenchApp(loader, session=session, watch=watch, flow=flow, autoplay=autoplay,
                         project=project)
