"""Taking in a loaded library: the list, the profiles, the selection, the panels and the
header follow it, and a reload keeps the reader's place.

The load worker posts `LibraryLoaded`; the app's handler, once it knows the load is the
latest, hands it here. What stays selected after a reload, and what the toast says changed,
is the reloader's part (features/reload.py).
"""

from __future__ import annotations

from collections.abc import Callable

from agentbench.core.model import Library
from agentbench.ui.features.editing import Editing
from agentbench.ui.features.project import ProjectState
from agentbench.ui.features.reload import Reloader
from agentbench.ui.features.selection import Selection
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.main.views import Views
from agentbench.ui.messages import LibraryLoaded
from agentbench.ui.state import WorkbenchState
from agentbench.ui.widgets.agent_list import badges_from


class Loading:
    def __init__(self, state: WorkbenchState, presenter: Presenter, views: Views,
                 reloader: Reloader, project: ProjectState, editing: Editing,
                 selection: Selection, *, title: Callable[[], None],
                 flows_reloaded: Callable[[Library], None]) -> None:
        self.state, self.presenter, self.views = state, presenter, views
        self.reloader, self.project, self.editing, self.selection = (reloader, project,
                                                                     editing, selection)
        self._title, self._flows_reloaded = title, flows_reloaded

    def apply(self, message: LibraryLoaded) -> None:
        state, shown, reloader = self.state, self.presenter, self.reloader
        old = state.library
        state.library = message.library
        state.workspace_stamp = message.workspace_stamp
        state.workspace_path = message.workspace_path
        workspace = state.workspace
        if state.profile is None or state.profile not in workspace.profiles:
            state.profile = workspace.active_profile(None)
        library = message.library
        # Unsorted is enough for the badges (sorting 14,000 diagnostics costs ~10 ms).
        diagnostics = (*(d for f in library.files for d in f.diagnostics),
                       *library.extra_diagnostics)
        keep, moved = reloader.choose(old, message.library, state.selected, shown.list_order())
        badges = badges_from(diagnostics)
        if reloader.list_changed(library.agents, badges):
            shown.set_agents(library.agents, badges, state.loader.display_root)
        self.project.library_loaded()
        if reloader.profiles_changed(workspace.profiles, state.profile):
            shown.set_profiles(workspace.profiles, state.profile)
        # The layout is the costliest view: drawn now only when shown, else when next shown.
        self.views.graph_stale = True
        names = message.library.by_name()
        keep = keep if keep in names else None
        keep = keep or (workspace.entry if workspace.entry in names else None)
        keep = keep or shown.list_highlighted()
        previous = old.get(keep) if old and keep and keep == state.selected else None
        self.selection.show(keep, reloaded=old is not None, previous=previous)
        shown.follow_problems(library, state.selected, state.loader.display_root)
        shown.loading(False)
        self._title()
        reloader.loaded(message, message.generation, moved)
        self._flows_reloaded(message.library)
        self.editing.library_loaded()
