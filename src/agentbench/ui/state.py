"""The workbench's state: one object the app owns and every feature shares.

No Textual or Rich here (an import-linter contract holds it): the state is plain data that
handlers change and the presenter (ui/main/) shows. Features are handed this object instead
of the app, so the only attributes anyone writes are these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentbench.core.library.loader import LibraryLoader
from agentbench.core.model import Agent, Library, Workspace
from agentbench.core.placeholders import Values
from agentbench.core.write.profile import FileStamp


@dataclass(eq=False)
class WorkbenchState:
    loader: LibraryLoader
    # Values typed in this session (highest precedence); tests and features change it in place.
    session: dict[str, str] = field(default_factory=dict)
    # Whether files are followed (off in tests and snapshots).
    watch_files: bool = True
    library: Library | None = None
    selected: str | None = None
    profile: str | None = None
    # The workspace file as it was when the library was read; saving compares against it.
    workspace_stamp: FileStamp = field(default_factory=lambda: FileStamp(None))
    workspace_path: str = ""
    # Values detected from --project (lowest precedence), with where each was found.
    detected: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)

    @property
    def workspace(self) -> Workspace:
        return (self.library.workspace if self.library else None) or Workspace()

    @property
    def values(self) -> Values:
        return self.values_with(self.session)

    def values_with(self, session: dict[str, str]) -> Values:
        """Every layer, with `session` as the session's values (the detected layer lowest)."""
        return self.workspace.values(self.profile, session, self.detected, self.origins)

    @property
    def agent(self) -> Agent | None:
        return self.library.get(self.selected) if self.library and self.selected else None
