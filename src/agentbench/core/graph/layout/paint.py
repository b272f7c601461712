"""Draw routed edges, boxes and labels onto the grid, remembering who owns each cell.

Edges are drawn run by run rather than cell by cell: a 300-agent graph has over a hundred
thousand line cells, and list slices are what keeps that affordable in Python. The grid is
one flat list while it is drawn, so a vertical run is a single extended slice too.

Order matters: boxes, then horizontal runs, then corners, then vertical runs (a vertical run
over another edge's horizontal run is a crossing), then joints, arrowheads and labels.
Anything else landing on an occupied cell is recorded in `Drawing.conflicts`, which the
tests keep empty.
"""

from __future__ import annotations

from itertools import pairwise

from agentbench.core.graph.layout.glyphs import (
    CROSSINGS,
    DOTTED,
    GHOST_BORDER,
    HEAVY,
    JOINTS,
    LINE_GLYPHS,
    NODE_BORDER,
    PLAIN,
    STEM,
    E,
    N,
    S,
    W,
    text_width,
    to_cells,
)
from agentbench.core.graph.layout.route import EdgePath, NodeGeom, Point
from agentbench.core.graph.layout.shapes import Drawing, EdgeCells, EdgeSpec, Owner, Run

_HORIZONTAL = frozenset(glyphs[E | W] for glyphs in LINE_GLYPHS.values())
_ARROWS = frozenset("▼▲◄")


def _step(a: Point, b: Point) -> int:
    """Direction bit from a towards b (which differ in exactly one coordinate)."""
    if b[0] > a[0]:
        return E
    if b[0] < a[0]:
        return W
    return S if b[1] > a[1] else N


def _polyline(path: EdgePath) -> list[Point]:
    """The path from joint to arrowhead with repeated and straight-through points removed."""
    chain: list[Point] = []
    for point in [path.joint, *path.points, path.arrow]:
        if chain and chain[-1] == point:
            continue
        if len(chain) >= 2:
            (ax, ay), (bx, by) = chain[-2], chain[-1]
            if (ax == bx == point[0]) or (ay == by == point[1]):
                chain[-1] = point
                continue
        chain.append(point)
    return chain


class _Canvas:
    """A flat grid of glyphs and owners, with the drawing operations the layout needs."""

    def __init__(self, width: int, height: int, edges: tuple[EdgeSpec, ...]) -> None:
        self.width, self.height, self.edges = width, height, edges
        self.chars = [" "] * (width * height)
        self.own: list[Owner | None] = [None] * (width * height)
        self.conflicts: list[Point] = []

    def box(self, geom: NodeGeom, owner: Owner) -> None:
        x, y, w, h = geom.x, geom.y, geom.box_w, geom.box_h
        tl, tr, bl, br, hz, vt = GHOST_BORDER if geom.ghost else NODE_BORDER
        rows = [[tl] + [hz] * (w - 2) + [tr]]
        rows += [[vt] + [" "] * (w - 2) + [vt] for _ in range(h - 2)]
        rows.append([bl] + [hz] * (w - 2) + [br])
        rows[1][2 : 2 + text_width(geom.text)] = to_cells(geom.text)
        if geom.ports:
            rows[-1][geom.stem] = STEM
        for dy, cells in enumerate(rows):
            start = (y + dy) * self.width + x
            self.chars[start : start + w] = cells
            self.own[start : start + w] = [owner] * w

    def across(self, row: int, low: int, high: int, glyph: str, owner: Owner) -> None:
        span = high - low + 1
        start = row * self.width + low
        if self.own[start : start + span].count(None) != span:
            self.conflicts += [
                (x, row) for x in range(low, high + 1) if self.own[row * self.width + x]
            ]
        self.chars[start : start + span] = [glyph] * span
        self.own[start : start + span] = [owner] * span

    def down(self, x: int, first: int, last: int, glyph: str, owner: Owner) -> None:
        span = last - first + 1
        run = slice(first * self.width + x, last * self.width + x + 1, self.width)
        before, was = self.own[run], self.chars[run]
        self.chars[run] = [glyph] * span
        self.own[run] = [owner] * span
        if before.count(None) == span:
            return
        # Put back what was there: a crossing where a horizontal run passes, else a bug.
        heavy = self.edges[int(owner.key)].send
        for k, here in enumerate(before):
            if here is None:
                continue
            at = run.start + k * self.width
            self.own[at] = here
            if here.kind == "edge" and was[k] in _HORIZONTAL:
                self.chars[at] = CROSSINGS[(self.edges[int(here.key)].send, heavy)]
            else:
                self.chars[at] = was[k]
                self.conflicts.append((x, first + k))

    def cell(self, point: Point, glyph: str, owner: Owner, free: bool = True) -> None:
        """One glyph; `free` says the cell should be empty (else it must be a box border)."""
        at = point[1] * self.width + point[0]
        here = self.own[at]
        if free:
            if here is not None:
                self.conflicts.append(point)
        elif here is None or here.kind not in ("node", "ghost") or self.chars[at] in _ARROWS:
            self.conflicts.append(point)
        self.chars[at] = glyph
        self.own[at] = owner

    def rows(self) -> tuple[list[list[str]], list[list[Owner | None]]]:
        w = self.width
        return (
            [self.chars[r * w : (r + 1) * w] for r in range(self.height)],
            [self.own[r * w : (r + 1) * w] for r in range(self.height)],
        )


def paint(
    geoms: dict[str, NodeGeom],
    paths: list[EdgePath],
    edges: tuple[EdgeSpec, ...],
    back: frozenset[int],
) -> Drawing:
    polylines = {path.index: _polyline(path) for path in paths}
    right = max((geom.x + geom.box_w - 1 for geom in geoms.values()), default=0)
    bottom = max((geom.y + geom.box_h - 1 for geom in geoms.values()), default=0)
    for path in paths:
        right = max(right, path.label_at[0] + text_width(path.label) + 1)
        for x, y in polylines[path.index]:
            right, bottom = max(right, x), max(bottom, y)
    canvas = _Canvas(right + 1, bottom + 1, edges)

    boxes: dict[str, tuple[int, int, int, int]] = {}
    for name, geom in sorted(geoms.items()):
        boxes[name] = (geom.x, geom.y, geom.box_w, geom.box_h)
        canvas.box(geom, Owner("ghost" if geom.ghost else "node", name))

    owners = {path.index: Owner("edge", path.index) for path in paths}
    glyphs = {
        i: LINE_GLYPHS[(DOTTED if i in back else PLAIN) + (HEAVY if edges[i].send else 0)]
        for i in owners
    }
    runs: dict[int, list[Run]] = {path.index: [(*path.joint, *path.joint)] for path in paths}
    label_cells: dict[int, list[Point]] = {}
    verticals: list[tuple[int, int, int, int]] = []  # (edge, x, first y, last y)

    for path in paths:
        index = path.index
        label_x, label_row = path.label_at
        label_end = label_x + text_width(path.label) + 1
        label_cells[index] = [(x, label_row) for x in range(label_x, label_end + 1)]
        for (x0, y0), (x1, y1) in pairwise(polylines[index]):
            if y0 == y1 and abs(x1 - x0) > 1:
                low, high = min(x0, x1) + 1, max(x0, x1) - 1
                # The label sits on its own edge's first run, which goes round it.
                pieces = (
                    [(low, label_x - 1), (label_end + 1, high)]
                    if y0 == label_row and low <= label_x <= high
                    else [(low, high)]
                )
                for first, last in pieces:
                    if first <= last:
                        canvas.across(y0, first, last, glyphs[index][E | W], owners[index])
                        runs[index].append((first, y0, last, y0))
            elif x0 == x1 and abs(y1 - y0) > 1:
                verticals.append((index, x0, min(y0, y1) + 1, max(y0, y1) - 1))

    for path in paths:
        line = polylines[path.index]
        for before, point, after in zip(line, line[1:], line[2:], strict=False):
            bits = _step(point, before) | _step(point, after)
            canvas.cell(point, glyphs[path.index].get(bits, "┼"), owners[path.index])
            runs[path.index].append((*point, *point))

    for index, x, first, last in verticals:
        canvas.down(x, first, last, glyphs[index][N | S], owners[index])
        runs[index].append((x, first, x, last))

    for path in paths:
        owner = owners[path.index]
        canvas.cell(path.joint, JOINTS[(path.last_port, edges[path.index].send)], owner)
        # An arrowhead replaces a border cell of its target.
        canvas.cell(path.arrow, path.arrow_glyph, owner, free=False)
        runs[path.index].append((*path.arrow, *path.arrow))

    for path in paths:
        owner = Owner("label", path.index)
        texts = [" ", *to_cells(path.label), " "]
        for point, glyph in zip(label_cells[path.index], texts, strict=True):
            canvas.cell(point, glyph, owner)

    cells, cell_owners = canvas.rows()
    return Drawing(
        width=canvas.width,
        height=canvas.height,
        cells=cells,
        owners=cell_owners,
        boxes=boxes,
        edge_cells=EdgeCells(runs),
        edges=edges,
        label_cells=label_cells,
        arrow_cells={path.index: path.arrow for path in paths},
        ghosts=frozenset(name for name, geom in geoms.items() if geom.ghost),
        back_edges=back,
        conflicts=canvas.conflicts,
    )
