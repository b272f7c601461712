"""Session values and the profile: a value typed in the variables panel, a profile chosen,
the session cleared, and every view that shows values following at once.

Kept out of app.py so the app stays readable; these functions act on the app's state (its
`session` and `profile`), like save_flow.py, which saves the session as a profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentbench.ui.widgets.preview import PreviewPane
from agentbench.ui.widgets.variables import VariablesPanel

if TYPE_CHECKING:
    from agentbench.ui.app import AgentbenchApp


def edit_value(app: AgentbenchApp, name: str, value: str) -> None:
    """A session value is kept only while it differs from what the layers below give."""
    below = app.project.values(app.workspace, app.profile, {
        k: v for k, v in app.session.items() if k != name}).lookup(name)
    if value == (below or ""):
        app.session.pop(name, None)
    else:
        app.session[name] = value
    values_changed(app, editing=name)


def values_changed(app: AgentbenchApp, editing: str | None = None) -> None:
    app.query_one(PreviewPane).show(app.editing.shown(app.agent), app.values)
    app.editing.values_changed()
    app.query_one(VariablesPanel).update_values(app.values, editing=editing)
    app.update_title()


def use_profile(app: AgentbenchApp, name: str) -> None:
    """All values at once; a reload follows so lint results match the profile."""
    app.profile = app.loader.profile = name
    app.query_one(VariablesPanel).set_profiles(app.workspace.profiles, name)
    values_changed(app)
    app.load_library()


def clear_session(app: AgentbenchApp) -> None:
    app.session.clear()
    values_changed(app)
