"""A first, simple handoff graph: the core layout drawn as text, the selected agent marked.

Another engineer replaces this with the interactive version; keep the interface:
`show(library, selected)`, `select(name)` and the `AgentChosen` message.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.message import Message
from textual.widgets import Static

from agentbench.core.graph import Graph
from agentbench.core.model import Library
from agentbench.core.safe_text import printable


class GraphView(ScrollableContainer, can_focus=True):
    BINDINGS = [
        Binding("enter", "choose", "Open agent", id="graph.choose",
                tooltip="Jump to the selected agent"),
    ]

    class AgentChosen(Message):
        def __init__(self, view: GraphView, name: str) -> None:
            super().__init__()
            self.view = view
            self.name = name

        @property
        def control(self) -> GraphView:
            return self.view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._library: Library | None = None
        self._selected: str | None = None
        # Which agent each drawn line belongs to, for clicks in the list fallback.
        self._line_owner: list[str | None] = []
        self._drawing: object | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="graph-drawing", expand=True)

    def show(self, library: Library, selected: str | None) -> None:
        self._library = library
        self._selected = selected
        self._redraw()

    def select(self, name: str | None) -> None:
        if name != self._selected:
            self._selected = name
            self._redraw()

    def _redraw(self) -> None:
        if self._library is None or not self.is_mounted:
            return
        graph = Graph.from_agents(self._library.agents)
        text = Text(no_wrap=True, overflow="ignore")
        owners: list[str | None] = []
        accent = self.app.theme_variables.get("accent")
        drawn = self._layout_text(graph)
        if drawn is not None:
            for line in drawn:
                text.append(printable(line) + "\n")
                owners.append(None)
            if self._selected:
                text.highlight_words([printable(self._selected)], style=f"bold {accent}")
        else:
            for edge in graph.edges:
                style = f"bold {accent}" if self._selected in (edge.source, edge.target) else ""
                mark = " (missing)" if edge.dangling else ""
                line = f"{edge.source} —{edge.label}→ {edge.target}{mark}"
                text.append(printable(line)[:300] + "\n", style=style)
                owners.append(edge.target if not edge.dangling else edge.source)
        self._line_owner = owners
        self.query_one("#graph-drawing", Static).update(text)

    def _layout_text(self, graph: Graph) -> list[str] | None:
        try:
            from agentbench.core import layout
        except ImportError:
            return None
        library = self._library
        entry = library.workspace.entry if library and library.workspace else None
        edges = [layout.EdgeSpec(e.source, e.target, e.label, e.send, e.dangling)
                 for e in graph.edges]
        try:
            drawing = layout.layout(list(graph.nodes), edges, entry=entry)
        except Exception:  # a layout bug must not take the workbench down
            return None
        self._drawing = drawing
        return list(drawing.text().splitlines())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset.x + self.scroll_offset.x, offset.y + self.scroll_offset.y
        name: str | None = None
        node_at = getattr(self._drawing, "node_at", None)
        if node_at is not None:
            found = node_at(x, y)
            name = found if isinstance(found, str) else None
        elif 0 <= y < len(self._line_owner):
            name = self._line_owner[y]
        if name is not None:
            self.post_message(self.AgentChosen(self, name))

    def action_choose(self) -> None:
        if self._selected is not None:
            self.post_message(self.AgentChosen(self, self._selected))
