"""Session values and the profile: a value typed in the variables panel, a profile chosen,
the session cleared, and every view that shows values following at once."""

from __future__ import annotations

from collections.abc import Callable

from agentbench.ui.features.editing import Editing
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.state import WorkbenchState


class Session:
    def __init__(self, state: WorkbenchState, presenter: Presenter, editing: Editing, *,
                 title: Callable[[], None], load: Callable[[], int]) -> None:
        self.state, self.presenter, self.editing = state, presenter, editing
        self._title, self._load = title, load

    def edit_value(self, name: str, value: str) -> None:
        """A session value is kept only while it differs from what the layers below give."""
        state = self.state
        below = state.values_with({k: v for k, v in state.session.items()
                                   if k != name}).lookup(name)
        if value == (below or ""):
            state.session.pop(name, None)
        else:
            state.session[name] = value
        self.values_changed(editing=name)

    def values_changed(self, editing: str | None = None) -> None:
        state, shown = self.state, self.presenter
        shown.show_preview(self.editing.shown(state.agent), state.values)
        self.editing.values_changed()
        shown.update_values(state.values, editing=editing)
        self._title()

    def use_profile(self, name: str) -> None:
        """All values at once; a reload follows so lint results match the profile."""
        state = self.state
        state.profile = state.loader.profile = name
        self.presenter.set_profiles(state.workspace.profiles, name)
        self.values_changed()
        self._load()

    def clear(self) -> None:
        self.state.session.clear()
        self.values_changed()
