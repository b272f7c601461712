"""Saving session values as a workspace profile: the dialog, the write, the reload.

Kept out of app.py so the app stays readable; these functions act on the app's state.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from agentbench.core.write.atomic import WriteRefused
from agentbench.core.write.profile import save_profile
from agentbench.ui.screens.save_profile import SaveProfileScreen

if TYPE_CHECKING:
    from agentbench.ui.app import AgentbenchApp


def start_save(app: AgentbenchApp) -> None:
    if not app.session or app.library is None:
        return
    names = list(app.workspace.profiles)
    app.push_screen(SaveProfileScreen(app.profile or "session", app.workspace_path, names),
                    partial(finish_save, app))


def finish_save(app: AgentbenchApp, name: str | None) -> None:
    if name is None:
        return
    workspace = app.workspace
    # A new profile starts from the current one, so it fills everything the current one does.
    base = dict(workspace.profiles.get(app.profile or "", {}))
    if name in workspace.profiles and name != app.profile:
        base = {}
    values = {**base, **app.session}
    try:
        app.workspace_stamp = save_profile(app.workspace_path, name, values,
                                           app.workspace_stamp)
    except WriteRefused as refused:
        app.notify(str(refused), title="Not saved", severity="error", timeout=15, markup=False)
        return
    app.notify(f"Saved {len(values)} values as profile '{name}'", markup=False)
    app.session.clear()
    app.profile = app.loader.profile = name
    app.load_library()
