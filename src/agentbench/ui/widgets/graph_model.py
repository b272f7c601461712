"""What the graph view draws, without Textual: edges from a library, cell states, moves.

The drawing (core/layout) is laid out once per (library, mode, size); selecting an agent only
recomputes `cell_states`, a map of the few cells whose colour changes, so moving the selection
is a colour swap, never a re-layout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from agentbench.core.graph.layout.draw import Drawing

# Base kinds of a cell (what it is) ...
EMPTY, NODE, GHOST, EDGE, SEND, BACK, LABEL = range(7)
# ... and states (how the selection sees it). NORMAL when nothing is selected, DIM otherwise.
NORMAL, SELECTED, NEIGHBOUR, DIM, PATH = range(5)
KIND_NAMES = ("", "node", "ghost", "edge", "send", "back-edge", "label")
STATE_NAMES = ("", "selected", "neighbour", "dim", "path")
# Above this many agents the layout runs in a thread worker behind a loading indicator.
LARGE = 60

Cell = tuple[int, int]


@dataclass
class Scene:
    """A drawing plus what rendering and navigation need from it, computed once."""

    drawing: Drawing
    edge_kind: list[int] = field(default_factory=list)
    reading_order: list[str] = field(default_factory=list)
    _edge_index: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    _row_kinds: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        back = self.drawing.back_edges
        self.edge_kind = [BACK if i in back else SEND if e.send else EDGE
                          for i, e in enumerate(self.drawing.edges)]
        boxes = self.drawing.boxes
        self.reading_order = sorted(boxes, key=lambda n: (boxes[n][1], boxes[n][0], n))
        for index, edge in enumerate(self.drawing.edges):
            self._edge_index.setdefault((edge.source, edge.target, edge.label), []).append(index)

    def kind_at(self, x: int, y: int) -> int:
        owner = self.drawing.owners[y][x]
        if owner is None:
            return EMPTY
        kind = owner.kind
        if kind == "node":
            return NODE
        if kind == "ghost":
            return GHOST
        if kind == "label":
            return LABEL
        return self.edge_kind[owner.key] if isinstance(owner.key, int) else EDGE

    def row_kinds(self, y: int) -> list[int]:
        """The base kind of every cell of row `y`, listed on first use and kept."""
        kinds = self._row_kinds.get(y)
        if kinds is None:
            kinds = [self.kind_at(x, y) for x in range(self.drawing.width)]
            self._row_kinds[y] = kinds
        return kinds

    def box_cells(self, name: str) -> Iterable[Cell]:
        box = self.drawing.boxes.get(name)
        if box is None:
            return ()
        bx, by, bw, bh = box
        return ((x, y) for y in range(by, by + bh) for x in range(bx, bx + bw))

    def cell_states(self, selected: str | None, path_agents: Iterable[str] = (),
                    path_edges: Iterable[tuple[str, str, str]] = ()
                    ) -> dict[int, dict[int, int]]:
        """The cells that are not in the default state (NORMAL, or DIM with a selection),
        as {row: {column: state}}: rendering a row looks its cells up by column alone."""
        drawing = self.drawing
        states: dict[Cell, int] = {}
        if selected is not None and selected in drawing.boxes:
            states = dict.fromkeys(drawing.highlight_cells(selected), NEIGHBOUR)
        for key in path_edges:
            for index in self._edge_index.get(key, ()):
                for cell in drawing.edge_cells.get(index, ()):
                    states[cell] = PATH
                for cell in drawing.label_cells.get(index, ()):
                    states[cell] = PATH
        for name in path_agents:
            for cell in self.box_cells(name):
                states[cell] = PATH
        if selected is not None:
            for cell in self.box_cells(selected):
                states[cell] = SELECTED
        rows: dict[int, dict[int, int]] = {}
        for (x, y), state in states.items():
            row = rows.get(y)
            if row is None:
                row = rows[y] = {}
            row[x] = state
        return rows

    # -- moving the selection ---------------------------------------------------------------

    def _centre(self, name: str) -> tuple[float, float]:
        bx, by, bw, bh = self.drawing.boxes[name]
        return bx + bw / 2, by + bh / 2

    def move(self, selected: str | None, direction: str) -> str | None:
        """The agent a key moves to from `selected` (see GraphView's bindings for the scheme).

        down/up: the nearest target of an outgoing / source of an incoming handoff, else the
        nearest box below / above; left/right: the nearest box that way, same layer first;
        next/previous: reading order (top to bottom, left to right), wrapping.
        """
        order = self.reading_order
        if not order:
            return None
        if selected not in self.drawing.boxes:
            return order[0]
        assert selected is not None
        if direction in ("next", "previous"):
            step = 1 if direction == "next" else -1
            return order[(order.index(selected) + step) % len(order)]
        cx, cy = self._centre(selected)
        if direction in ("down", "up"):
            linked = {e.target if direction == "down" else e.source
                      for e in self.drawing.edges
                      if (e.source if direction == "down" else e.target) == selected}
            linked.discard(selected)
            if linked:
                return min(linked, key=lambda n: self._distance(n, cx, cy, across=False))
            sign = 1 if direction == "down" else -1
            ahead = [n for n in order if (self._centre(n)[1] - cy) * sign > 0]
            return min(ahead, key=lambda n: self._distance(n, cx, cy, across=False),
                       default=None)
        sign = 1 if direction == "right" else -1
        ahead = [n for n in order if (self._centre(n)[0] - cx) * sign > 0]
        return min(ahead, key=lambda n: self._distance(n, cx, cy, across=True), default=None)

    def _distance(self, name: str, cx: float, cy: float,
                  across: bool) -> tuple[float, float, str]:
        nx, ny = self._centre(name)
        if across:
            return abs(ny - cy), abs(nx - cx), name
        return abs(nx - cx), abs(ny - cy), name

    def agent_at(self, x: int, y: int, selected: str | None) -> str | None:
        """The agent a click at (x, y) selects: a box; for an edge or its label, the
        handoff's target (its source when the target is already selected)."""
        drawing = self.drawing
        name = drawing.node_at(x, y)
        if name is not None:
            return name
        if not (0 <= y < drawing.height and 0 <= x < drawing.width):
            return None
        owner = drawing.owners[y][x]
        if owner is None or not isinstance(owner.key, int):
            return None
        edge = drawing.edges[owner.key]
        return edge.source if edge.target == selected else edge.target
