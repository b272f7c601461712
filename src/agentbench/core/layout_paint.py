"""Rasterise routed edges, boxes and labels onto the grid, remembering who owns each cell."""

from __future__ import annotations

from agentbench.core.layout_route import EdgePath, NodeGeom, Point
from agentbench.core.layout_text import (
    CROSSINGS,
    DOTTED,
    E,
    GHOST_BORDER,
    HEAVY,
    LINE_GLYPHS,
    NODE_BORDER,
    PLAIN,
    JOINTS,
    N,
    S,
    STEM,
    W,
    text_width,
    to_cells,
)
from agentbench.core.layout_types import Drawing, EdgeSpec, Owner

_HORIZONTAL, _VERTICAL = E | W, N | S


def _raster(points: list[Point]) -> list[Point]:
    """Every cell along an orthogonal polyline, each corner once."""
    cells = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x0 == x1:
            step = 1 if y1 >= y0 else -1
            cells.extend((x0, y) for y in range(y0 + step, y1 + step, step))
        elif y0 == y1:
            step = 1 if x1 >= x0 else -1
            cells.extend((x, y0) for x in range(x0 + step, x1 + step, step))
        else:
            raise AssertionError(f"diagonal step {(x0, y0)} -> {(x1, y1)}")
    return cells


def _bits(cells: list[Point]) -> dict[Point, int]:
    """Direction bits of each cell: which neighbours along the path it connects to."""
    bits: dict[Point, int] = dict.fromkeys(cells, 0)
    for (x0, y0), (x1, y1) in zip(cells, cells[1:], strict=False):
        if x1 > x0:
            forward, backward = E, W
        elif x1 < x0:
            forward, backward = W, E
        elif y1 > y0:
            forward, backward = S, N
        else:
            forward, backward = N, S
        bits[(x0, y0)] |= forward
        bits[(x1, y1)] |= backward
    return bits


def paint(
    geoms: dict[str, NodeGeom],
    paths: list[EdgePath],
    edges: tuple[EdgeSpec, ...],
    back: frozenset[int],
) -> Drawing:
    lines: dict[Point, list[tuple[int, int]]] = {}
    label_spans: dict[int, list[Point]] = {}
    edge_cells: dict[int, list[Point]] = {}
    right, bottom = 0, 0
    for path in paths:
        x0, row = path.label_at
        span = [(x, row) for x in range(x0, x0 + text_width(path.label) + 2)]
        label_spans[path.index] = span
        skip = set(span)
        cells = _raster(path.points)
        bits = _bits([path.joint, *cells, path.arrow])
        kept: list[Point] = [path.joint]
        for cell in cells:
            if cell not in skip:
                lines.setdefault(cell, []).append((path.index, bits[cell]))
                kept.append(cell)
        kept.append(path.arrow)
        edge_cells[path.index] = kept
        right = max(right, max(x for x, _ in cells), span[-1][0])
        bottom = max(bottom, max(y for _, y in cells))
    for geom in geoms.values():
        right = max(right, geom.x + geom.box_w - 1)
        bottom = max(bottom, geom.y + geom.box_h - 1)
    width, height = right + 1, bottom + 1
    grid = [[" "] * width for _ in range(height)]
    owners: list[list[Owner | None]] = [[None] * width for _ in range(height)]
    conflicts: list[Point] = []

    boxes: dict[str, tuple[int, int, int, int]] = {}
    for name, geom in sorted(geoms.items()):
        x, y, w, h = geom.x, geom.y, geom.box_w, geom.box_h
        boxes[name] = (x, y, w, h)
        owner = Owner("ghost" if geom.ghost else "node", name)
        tl, tr, bl, br, hz, vt = GHOST_BORDER if geom.ghost else NODE_BORDER
        top = [tl] + [hz] * (w - 2) + [tr]
        middle = [vt] + [" "] * (w - 2) + [vt]
        rows = [top] + [list(middle) for _ in range(h - 2)] + [[bl] + [hz] * (w - 2) + [br]]
        rows[1][2 : 2 + text_width(geom.text)] = to_cells(geom.text)
        if geom.ports:
            rows[-1][geom.stem] = STEM
        for dy, cells_row in enumerate(rows):
            grid[y + dy][x : x + w] = cells_row
            owners[y + dy][x : x + w] = [owner] * w

    for cell, entries in lines.items():
        x, y = cell
        if owners[y][x] is not None:
            conflicts.append(cell)
        if len(entries) == 1:
            index, bits = entries[0]
            glyph = LINE_GLYPHS[_style(edges[index], index in back)].get(bits)
        elif len(entries) == 2 and {entries[0][1], entries[1][1]} == {_HORIZONTAL, _VERTICAL}:
            index = min(entries[0][0], entries[1][0])
            across = [e for e, b in entries if b == _HORIZONTAL][0]
            down = [e for e, b in entries if b == _VERTICAL][0]
            glyph = CROSSINGS[(edges[across].send, edges[down].send)]
        else:
            index, glyph = entries[0][0], None
        if glyph is None:
            conflicts.append(cell)
            glyph = "┼"
        grid[y][x] = glyph
        owners[y][x] = Owner("edge", index)

    for path in paths:
        x, y = path.joint
        if owners[y][x] is not None:
            conflicts.append(path.joint)
        grid[y][x] = JOINTS[(path.last_port, edges[path.index].send)]
        owners[y][x] = Owner("edge", path.index)
        x, y = path.arrow
        on_border = owners[y][x]
        # Arrowheads replace a border cell of their target; anything else is a bug.
        if on_border is None or on_border.kind not in ("node", "ghost") or grid[y][x] in "▼▲◄":
            conflicts.append(path.arrow)
        grid[y][x] = path.arrow_glyph
        owners[y][x] = Owner("edge", path.index)

    for path in paths:
        span = label_spans[path.index]
        owner = Owner("label", path.index)
        for (x, y), glyph in zip(span, [" ", *to_cells(path.label), " "], strict=True):
            if owners[y][x] is not None:
                conflicts.append((x, y))
            grid[y][x] = glyph
            owners[y][x] = owner

    return Drawing(
        width=width,
        height=height,
        cells=grid,
        owners=owners,
        boxes=boxes,
        edge_cells=edge_cells,
        edges=edges,
        label_cells=label_spans,
        arrow_cells={path.index: path.arrow for path in paths},
        ghosts=frozenset(name for name, geom in geoms.items() if geom.ghost),
        back_edges=back,
        conflicts=conflicts,
    )


def _style(edge: EdgeSpec, back: bool) -> int:
    return (DOTTED if back else PLAIN) + (HEAVY if edge.send else 0)
