"""`agentbench PATH --project DIR`: values detected from a project, and which agents apply.

Detection reads the project's files, so it runs in a thread worker that only posts
`ProjectDetected`; the app hands the message to `ProjectState`, which fills the state's
detected layer, owns the per-agent trigger results and the "only agents that apply" filter,
and has the presenter show them. Without a project every method here is a no-op: the UI
looks exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from agentbench.core.text.safe import printable
from agentbench.ui.features.notifier import Notify
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.state import WorkbenchState

if TYPE_CHECKING:
    from agentbench.core.model import Agent
    from agentbench.core.project.scan import Detection
    from agentbench.core.project.triggers import AgentTriggers

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

    def __init__(self, state: WorkbenchState, presenter: Presenter, notify: Notify,
                 root: str | None, *, run_worker: Callable[..., object],
                 post: Callable[[Message], object], values_changed: Callable[[], None]) -> None:
        self.state, self.presenter, self.notify = state, presenter, notify
        self._run_worker, self._post, self._values_changed = run_worker, post, values_changed
        self.root = root
        self.detection: Detection | None = None
        self.results: dict[str, AgentTriggers] = {}  # agent path -> trigger result
        # Results by path with the agent object they were matched for: the file cache hands
        # back the same object for an unchanged file, so a reload re-matches only what
        # changed (matching costs ~110 ms per 1,000 agents, on the UI thread).
        self._matched: dict[str, tuple[Agent, AgentTriggers]] = {}
        self.only_applying = False

    # -- detection ----------------------------------------------------------------------------

    def start(self) -> None:
        """Detect (again) in a thread worker; a no-op without a project."""
        if self.root is None:
            return
        root = self.root
        post = self._post

        def run() -> None:
            post(_detect(root))

        self._run_worker(run, thread=True, exclusive=True, exit_on_error=False,
                         group="project", name="detect project")

    def detected_project(self, message: ProjectDetected) -> None:
        state = self.state
        if message.detection is None:
            self.notify(f"Cannot detect values: {printable(message.error)}", title="Project",
                       severity="error", timeout=15, markup=False)
            return
        detection = self.detection = message.detection
        self._matched.clear()
        state.detected = detection.values()
        state.origins = {name: ", ".join(str(e) for e in finding.evidence[:3])
                        for name, finding in detection.findings.items()}
        self.library_loaded()
        self._values_changed()
        self.notify(f"{len(state.detected)} values detected in {printable(detection.root)}",
                    title="Project", markup=False)

    def library_loaded(self) -> None:
        """Match the (re)loaded agents' triggers and mark the list."""
        from agentbench.core.project.triggers import match_agents

        library = self.state.library
        if self.detection is None or library is None:
            return
        agents = library.agents
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
        self.presenter.set_marks(marks, only)
        self.show_match(self.state.agent)

    # -- the card -----------------------------------------------------------------------------

    def show_match(self, agent: Agent | None) -> None:
        if self.detection is None:
            return
        result = self.results.get(agent.path) if agent is not None else None
        self.presenter.show_match(
            None if result is None else result.status,
            [(m.trigger, tuple(m.reasons)) for m in result.matches] if result else [])

    # -- the filter ---------------------------------------------------------------------------

    def toggle_only_applying(self) -> None:
        self.only_applying = not self.only_applying
        self.library_loaded()
        shown = "only agents that apply" if self.only_applying else "every agent"
        self.notify(f"Showing {shown}", title="Project")


    # -- the help screen and the palette ------------------------------------------------------

    def help_rows(self) -> list[tuple[str, str]]:
        """The list marks for the help screen; none without a project (it is unchanged)."""
        if self.root is None:
            return []
        return [(f"list mark {mark}", what) for mark, what in LEGEND]

    def palette_entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        """(text, detail, callback) of the project commands; none without a project."""
        if self.root is None:
            return []
        return [
            ("Detect project values again", "Read the project's files again", self.start),
            ("Show only agents that apply to the project",
             "Toggle: matched and always-available agents only", self.toggle_only_applying),
        ]
