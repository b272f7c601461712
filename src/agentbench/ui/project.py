"""`agentbench PATH --project DIR`: values detected from a project, and which agents apply.

Detection reads the project's files, so it runs in a thread worker that only posts
`ProjectDetected`; the app hands the message to `ProjectState`, which owns the detected layer,
the per-agent trigger results and the "only agents that apply" filter, and pushes them into
the widgets. Without a project every method here is a no-op: the UI looks exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.message import Message

from agentbench.core.placeholders import Values
from agentbench.core.text.safe import printable

if TYPE_CHECKING:
    from agentbench.core.model import Agent, Workspace
    from agentbench.core.project.scan import Detection
    from agentbench.core.project.triggers import AgentTriggers
    from agentbench.ui.app import AgentbenchApp

# The mark before each agent's name when a project is open (documented in the help screen).
MARKS = {"matched": "✓", "always": "○", "on-request": "?", "not-matched": "·"}
LEGEND = (
    ("✓", "applies: a trigger matched the project (the card says which, and why)"),
    ("○", "always available (no project triggers)"),
    ("?", "used on request: its triggers name nothing a project can show"),
    ("·", "not triggered by this project"),
)
# The statuses kept by "Show only agents that apply to the project".
APPLIES = frozenset({"matched", "always"})


@dataclass
class ProjectDetected(Message):
    """Detection of the project finished: a Detection, or why it could not run."""

    detection: Detection | None
    error: str = ""


def _detect(root: str) -> ProjectDetected:
    from agentbench.core.project.detect import ProjectError, detect

    try:
        return ProjectDetected(detect(root))
    except ProjectError as error:
        return ProjectDetected(None, str(error))


class ProjectState:
    """The app's project half: detected values with evidence, trigger marks, the filter."""

    def __init__(self, app: AgentbenchApp, root: str | None) -> None:
        self.app = app
        self.root = root
        self.detection: Detection | None = None
        self.detected: dict[str, str] = {}
        self.origins: dict[str, str] = {}
        self.results: dict[str, AgentTriggers] = {}  # agent path -> trigger result
        # Results by path with the agent object they were matched for: the file cache hands
        # back the same object for an unchanged file, so a reload re-matches only what
        # changed (matching costs ~110 ms per 1,000 agents, on the UI thread).
        self._matched: dict[str, tuple[Agent, AgentTriggers]] = {}
        self.only_applying = False

    def values(self, workspace: Workspace, profile: str | None,
               session: Mapping[str, str]) -> Values:
        """Every layer, the detected one (with its evidence) lowest."""
        return workspace.values(profile, session, self.detected, self.origins)

    # -- detection ----------------------------------------------------------------------------

    def start(self) -> None:
        """Detect (again) in a thread worker; a no-op without a project."""
        if self.root is None:
            return
        root = self.root
        app = self.app

        def run() -> None:
            app.post_message(_detect(root))

        app.run_worker(run, thread=True, exclusive=True, exit_on_error=False, group="project",
                       name="detect project")

    def detected_project(self, message: ProjectDetected) -> None:
        from agentbench.ui.session import values_changed

        app = self.app
        if message.detection is None:
            app.notify(f"Cannot detect values: {printable(message.error)}", title="Project",
                       severity="error", timeout=15, markup=False)
            return
        detection = self.detection = message.detection
        self._matched.clear()
        self.detected = detection.values()
        self.origins = {name: ", ".join(str(e) for e in finding.evidence[:3])
                        for name, finding in detection.findings.items()}
        self.library_loaded()
        values_changed(app)
        app.notify(f"{len(self.detected)} values detected in {printable(detection.root)}",
                   title="Project", markup=False)

    def library_loaded(self) -> None:
        """Match the (re)loaded agents' triggers and mark the list."""
        from agentbench.core.project.triggers import match_agents
        from agentbench.ui.widgets.agent_list import AgentList

        app = self.app
        if self.detection is None or app.library is None:
            return
        agents = app.library.agents
        matched = self._matched
        fresh = {a.path: a for a in agents
                 if (known := matched.get(a.path)) is None or known[0] is not a}
        for result in match_agents(fresh.values(), self.detection):
            matched[result.path] = (fresh[result.path], result)
        self.results = {a.path: matched[a.path][1] for a in agents}
        for gone in matched.keys() - self.results.keys():
            del matched[gone]
        marks = {path: MARKS.get(r.status, " ") for path, r in self.results.items()}
        only = {path for path, r in self.results.items() if r.status in APPLIES} \
            if self.only_applying else None
        app.query_one(AgentList).set_marks(marks, only)
        self.show_match(app.agent)

    # -- the card -----------------------------------------------------------------------------

    def show_match(self, agent: Agent | None) -> None:
        from agentbench.ui.widgets.agent_card import AgentCard

        if self.detection is None:
            return
        result = self.results.get(agent.path) if agent is not None else None
        self.app.query_one(AgentCard).show_match(
            None if result is None else result.status,
            [(m.trigger, tuple(m.reasons)) for m in result.matches] if result else [])

    # -- the filter ---------------------------------------------------------------------------

    def toggle_only_applying(self) -> None:
        self.only_applying = not self.only_applying
        self.library_loaded()
        shown = "only agents that apply" if self.only_applying else "every agent"
        self.app.notify(f"Showing {shown}", title="Project")


def help_rows(app: Any) -> list[tuple[str, str]]:
    """The list marks for the help screen; none without a project (the screen is unchanged)."""
    project = getattr(app, "project", None)
    if not isinstance(project, ProjectState) or project.root is None:
        return []
    return [(f"list mark {mark}", what) for mark, what in LEGEND]


def palette_entries(app: AgentbenchApp) -> list[tuple[str, str, Any]]:
    """(text, detail, callback) of the project and export commands."""
    from agentbench.ui.screens.export_dialog import open_export

    entries: list[tuple[str, str, Any]] = []
    project = app.project
    if project.root is not None:
        entries += [
            ("Detect project values again", "Read the project's files again",
             project.start),
            ("Show only agents that apply to the project",
             "Toggle: matched and always-available agents only",
             project.toggle_only_applying),
        ]
    for target, tool in (("vscode", "VS Code"), ("claude", "Claude Code"),
                         ("cursor", "Cursor")):
        entries.append((f"Export for {tool}…",
                        f"Write every agent, placeholders filled, in {tool}'s format",
                        partial(open_export, app, target)))
    return entries
