"""Saving session values as a workspace profile: the dialog, the write, the reload."""

from __future__ import annotations

from collections.abc import Callable

from agentbench.core.write.atomic import WriteRefused
from agentbench.core.write.profile import save_profile
from agentbench.ui.features.notifier import Notify
from agentbench.ui.screens.save_profile import SaveProfileScreen
from agentbench.ui.state import WorkbenchState


class ProfileSaving:
    def __init__(self, state: WorkbenchState, notify: Notify, *,
                 push: Callable[..., object], load: Callable[[], int]) -> None:
        self.state, self.notify = state, notify
        self._push, self._load = push, load

    def start(self) -> None:
        state = self.state
        if not state.session or state.library is None:
            return
        names = list(state.workspace.profiles)
        self._push(SaveProfileScreen(state.profile or "session", state.workspace_path, names),
                   self.finish)

    def finish(self, name: str | None) -> None:
        if name is None:
            return
        state = self.state
        workspace = state.workspace
        # A new profile starts from the current one, so it fills everything the current one does.
        base = dict(workspace.profiles.get(state.profile or "", {}))
        if name in workspace.profiles and name != state.profile:
            base = {}
        values = {**base, **state.session}
        try:
            state.workspace_stamp = save_profile(state.workspace_path, name, values,
                                                 state.workspace_stamp)
        except WriteRefused as refused:
            self.notify(str(refused), title="Not saved", severity="error", timeout=15,
                        markup=False)
            return
        self.notify(f"Saved {len(values)} values as profile '{name}'", markup=False)
        state.session.clear()
        state.profile = state.loader.profile = name
        self._load()
