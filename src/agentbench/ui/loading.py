"""Taking in a loaded library: the list, the profiles, the selection, the panels and the
header follow it, and a reload keeps the reader's place.

Kept out of app.py so the app stays readable: the load worker posts `LibraryLoaded` and the
app's handler, once it knows the load is the latest, delegates here. What stays selected
after a reload, and what the toast says changed, is the reloader's part (ui/reload.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentbench.core.text.safe import printable
from agentbench.ui.screens.flow_files import library_reloaded
from agentbench.ui.widgets.agent_list import AgentList, badges_from
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariablesPanel

if TYPE_CHECKING:
    from agentbench.ui.app import AgentbenchApp
    from agentbench.ui.messages import LibraryLoaded


def apply_library(app: AgentbenchApp, message: LibraryLoaded) -> None:
    old = app.library
    app.library = message.library
    app.workspace_stamp = message.workspace_stamp
    app.workspace_path = message.workspace_path
    workspace = app.workspace
    if app.profile is None or app.profile not in workspace.profiles:
        app.profile = workspace.active_profile(None)
    library = message.library
    # Unsorted is enough for the badges (sorting 14,000 diagnostics costs ~10 ms).
    diagnostics = (*(d for f in library.files for d in f.diagnostics),
                   *library.extra_diagnostics)
    agent_list = app.query_one(AgentList)
    keep, moved = app.reloader.choose(old, message.library, app.selected,
                                      agent_list.visible_names)
    badges = badges_from(diagnostics)
    if app.reloader.list_changed(library.agents, badges):
        agent_list.set_agents(library.agents, badges, app.loader.display_root)
    app.project.library_loaded()
    if app.reloader.profiles_changed(workspace.profiles, app.profile):
        app.query_one(VariablesPanel).set_profiles(workspace.profiles, app.profile)
    # The layout is the costliest view: drawn now only when shown, else when next shown.
    app.views.graph_stale = True
    names = message.library.by_name()
    keep = keep if keep in names else None
    keep = keep or (workspace.entry if workspace.entry in names else None)
    keep = keep or agent_list.highlighted
    previous = old.get(keep) if old and keep and keep == app.selected else None
    app.select_agent(keep, reloaded=old is not None, previous=previous)
    app.query_one(ProblemsPanel).follow(library, app.selected, app.loader.display_root)
    app.query_one("#main").loading = False
    app.update_title()
    app.reloader.loaded(message, message.generation, moved)
    library_reloaded(app, message.library)
    app.editing.library_loaded()


def refresh_title(app: AgentbenchApp) -> None:
    count = len(app.library.agents) if app.library else 0
    noun = "agent" if count == 1 else "agents"
    parts = [printable(app.loader.display_root), f"{count} {noun}"]
    parts.append(f"profile {printable(app.profile)}" if app.profile else "no profile")
    if app.session:
        parts.append(f"{len(app.session)} session values")
    if app.reloader.warning:
        parts.append(f"⚠ not following files: {app.reloader.warning}")
    app.sub_title = " · ".join(parts)
    app.has_session = bool(app.session)
