"""The values the graph layout takes and gives: edges in, a character grid out.

Kept apart from the algorithm so the UI can import the types without the layout code, and
so the drawing stays a plain value: highlighting and hit-testing read it, never re-lay it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

OwnerKind = Literal["node", "edge", "label", "ghost"]


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    """One handoff as the layout sees it."""

    source: str
    target: str
    label: str
    # send:true handoffs submit at once; they are drawn with heavy lines.
    send: bool = False
    # The target is not a real agent: it is drawn as a dashed "ghost" box.
    dangling: bool = False

    def sort_key(self) -> tuple[str, str, str, bool, bool]:
        return (self.source, self.target, self.label, self.send, self.dangling)


@dataclass(frozen=True, slots=True)
class Owner:
    """What a grid cell belongs to: a node or ghost (key: name), an edge or label (key: index)."""

    kind: OwnerKind
    key: str | int


Run = tuple[int, int, int, int]  # (x0, y0, x1, y1), inclusive, along one axis


class EdgeCells(Mapping[int, list[tuple[int, int]]]):
    """Each edge's cells, listed on first use from the runs it was drawn with.

    A large drawing has over 10^5 line cells and the UI asks for the few edges around the
    selected agent, so listing them all up front would cost more than it saves.
    """

    __slots__ = ("_listed", "_runs")

    def __init__(self, runs: dict[int, list[Run]]) -> None:
        self._runs = runs
        self._listed: dict[int, list[tuple[int, int]]] = {}

    def __getitem__(self, index: int) -> list[tuple[int, int]]:
        cells = self._listed.get(index)
        if cells is None:
            cells = []
            for x0, y0, x1, y1 in self._runs[index]:
                if y0 == y1:
                    cells.extend([(x, y0) for x in range(x0, x1 + 1)])
                else:
                    cells.extend([(x0, y) for y in range(y0, y1 + 1)])
            self._listed[index] = cells
        return cells

    def __iter__(self) -> Iterator[int]:
        return iter(self._runs)

    def __len__(self) -> int:
        return len(self._runs)


@dataclass
class Drawing:
    """A laid-out graph on a character grid.

    `cells[y][x]` holds one character. A wide (East Asian) character fills two cells: the
    character, then an empty string, so joining a row gives the text as a terminal shows it.
    `owners` says which node, ghost, edge or label each cell belongs to; a cell where two
    edges cross belongs to one of them, but appears in both edges' `edge_cells`. An edge's
    cells run from its joint on the source's stem to its arrowhead (`arrow_cells`) on the
    target's border; its label's cells (`label_cells`) sit on its first row.
    Edge indices refer to `edges`, which is the input sorted by `EdgeSpec.sort_key`.
    """

    width: int
    height: int
    cells: list[list[str]]
    owners: list[list[Owner | None]]
    boxes: dict[str, tuple[int, int, int, int]]
    edge_cells: Mapping[int, list[tuple[int, int]]]
    edges: tuple[EdgeSpec, ...]
    label_cells: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    arrow_cells: dict[int, tuple[int, int]] = field(default_factory=dict)
    ghosts: frozenset[str] = frozenset()
    # Edges that close a cycle (back up the layering, or self-loops); drawn dotted.
    back_edges: frozenset[int] = frozenset()
    # Cells where two glyphs competed for one place. Empty unless the layout has a bug; the
    # tests assert it stays empty.
    conflicts: list[tuple[int, int]] = field(default_factory=list, repr=False)
    _incident: dict[str, list[int]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.cells]

    def text(self) -> str:
        return "\n".join(self.lines())

    def node_at(self, x: int, y: int) -> str | None:
        """The node (or ghost) whose box covers the cell, so a click selects it."""
        if not (0 <= y < self.height and 0 <= x < self.width):
            return None
        owner = self.owners[y][x]
        if owner is not None and owner.kind in ("node", "ghost"):
            return str(owner.key)
        # Arrowheads sit on their target's border but belong to their edge.
        for name, (bx, by, bw, bh) in self.boxes.items():
            if bx <= x < bx + bw and by <= y < by + bh:
                return name
        return None

    def neighbourhood(self, name: str) -> tuple[set[str], set[int]]:
        """The node, its direct neighbours (both directions), and the edges that join them."""
        if self._incident is None:
            incident: dict[str, list[int]] = {}
            for index, edge in enumerate(self.edges):
                incident.setdefault(edge.source, []).append(index)
                if edge.target != edge.source:
                    incident.setdefault(edge.target, []).append(index)
            self._incident = incident
        indices = set(self._incident.get(name, ()))
        names = {name} if name in self.boxes else set()
        for index in indices:
            edge = self.edges[index]
            names.add(edge.source)
            names.add(edge.target)
        return names, indices

    def highlight_cells(self, name: str) -> set[tuple[int, int]]:
        """Every cell to recolour when `name` is selected: boxes, edges and their labels."""
        names, indices = self.neighbourhood(name)
        cells: set[tuple[int, int]] = set()
        for node in names:
            box = self.boxes.get(node)
            if box is None:
                continue
            bx, by, bw, bh = box
            cells.update((x, y) for y in range(by, by + bh) for x in range(bx, bx + bw))
        for index in indices:
            cells.update(self.edge_cells.get(index, ()))
            cells.update(self.label_cells.get(index, ()))
        return cells
