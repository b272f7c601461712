"""The main screen's widgets, as the app composes them; the presenter (presenter.py) is the
only code that looks them up again, by the ids given here."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, TabbedContent, TabPane

from agentbench.ui.widgets.agent_card import AgentCard
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.graph_view import GraphView
from agentbench.ui.widgets.marked_text import MarkedTextArea
from agentbench.ui.widgets.preview import PreviewPane
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariablesPanel


def main_screen() -> ComposeResult:
    yield Header()
    with Horizontal(id="main"):
        with Vertical(id="left"):
            yield Input(placeholder="filter agents…", id="filter", compact=True,
                        select_on_focus=False)
            yield AgentList(id="agents")
        with Vertical(id="centre"):
            yield AgentCard(id="card")
            with TabbedContent(id="views", initial="tab-preview"):
                with TabPane("Preview", id="tab-preview"):
                    yield PreviewPane(id="preview")
                with TabPane("Source", id="tab-source"):
                    yield MarkedTextArea.code_editor(
                        language="markdown", read_only=True, soft_wrap=True,
                        id="source", theme="css")
                with TabPane("Graph", id="tab-graph"):
                    yield GraphView(id="graph")
        yield VariablesPanel(id="variables")
    yield ProblemsPanel(id="problems")
    yield Footer()
