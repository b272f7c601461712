"""Showing the selected agent everywhere at once (list, card, preview, variables, problems,
centre view), and where a chosen problem or a character typed in the list takes the reader.

Kept out of app.py so the app stays readable; these functions act on the app's state, like
save_flow.py. The app's handlers call them synchronously, so the selection changes while the
message that asked for it is handled (a typed filter selects its best match at once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from agentbench.ui.widgets.agent_card import AgentCard
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.preview import PreviewPane
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariablesPanel

if TYPE_CHECKING:
    from agentbench.core.model import Agent, Diagnostic
    from agentbench.ui.app import AgentbenchApp


def show_agent(app: AgentbenchApp, name: str | None, reloaded: bool = False,
                 previous: Agent | None = None) -> None:
    """Show `name`; reloading the agent that was shown (`previous`) keeps the reader's
    place: scroll positions, the variables' rows and the focused input. The editor may
    ask about unsaved changes first (then it selects `name` itself), else follows."""
    if not reloaded and not app.editing.may_select(name):
        return
    app.selected = name
    agent = app.agent
    if not reloaded:
        app.editing.follow(agent)
    known = app.library.by_name() if app.library else {}
    app.query_one(AgentList).select(name)
    if app.reloader.card_changed(agent, known):
        app.query_one(AgentCard).show(agent, known)
    app.project.show_match(agent)
    app.query_one(PreviewPane).show(app.editing.shown(agent), app.values)
    if not app.reloader.refresh_values(previous, agent):
        app.query_one(VariablesPanel).show(agent.placeholders if agent else (),
                                           agent.handoff_placeholders if agent else (),
                                           app.values)
    app.query_one(ProblemsPanel).select_agent(name)
    if reloaded:
        app.views.source_path = None
    app.views.sync(keep_scroll=previous is not None)


def choose_problem(app: AgentbenchApp, found: Diagnostic) -> None:
    """To the problem's line: in the editor when it has the file open, else in the source."""
    agent = next((a for a in app.library.agents if a.path == found.path), None) \
        if app.library else None
    name = found.agent or (agent.name if agent else None)
    if app.editing.goto(found.path, found.line, found.column):
        return
    if name is not None and app.library and app.library.get(name):
        app.select_agent(name)
    app.views.show("tab-source")
    app.views.show_source(found.path, found.line, found.column)
    app.query_one("#source").focus()


def type_into_filter(app: AgentbenchApp, character: str) -> None:
    """A character typed in the list goes on in the filter box, which takes the focus."""
    box = app.query_one("#filter", Input)
    box.value += character
    box.cursor_position = len(box.value)
    box.focus()
