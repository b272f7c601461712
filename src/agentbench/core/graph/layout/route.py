"""Box sizes, ports, entries, and each edge's path through the layers.

Geometry of one node (the drawing reads top to bottom; `worker` below):

           ┌───────┼─┘     forward edges arrive on the top border (▼), a column each
   ╭───────▼╮      ┊
   │ worker ◄┈┈┈┐  ┊       self-loops come back to the right border (◄)
   ╰▲─┬─────╯   ┊  ┊
    ┊ ├┈ Retry ┈┘  ┊       the handoffs hang from a stem under the box, one row each, label
    ┊ ├┈ Ask back ┈┘       beside it: back edges first (they rise past the box's right side),
    ┊ └─ Check ─┐          then forward edges (they fall to the next layer)
    └┈┈┈┈┈┈┈┐   │          back edges arrive from below, left of the stem (▲)

Hanging the handoffs under the box rather than beside it lets labels share columns with
their box: a layer costs max(box, labels) columns per agent instead of box + labels, which
is what lets the demo team fit a 120-column terminal. Each port's track column is as far
left as its label allows, and tracks are nested (the top falling port has the rightmost),
so a node's own edges never cross one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentbench.core.graph.layout.channel import SLACK, Seg, route_channel
from agentbench.core.graph.layout.glyphs import ARROW_DOWN, ARROW_LEFT, ARROW_UP, fit, text_width
from agentbench.core.graph.layout.rank import Item, Link
from agentbench.core.graph.layout.shapes import EdgeSpec

Point = tuple[int, int]


@dataclass(slots=True, eq=False)
class NodeGeom:
    """One node's box and ports; columns and rows are relative to its item's x and band y."""

    item: Item
    ghost: bool
    text: str
    ups: list[int] = field(default_factory=list)
    downs: list[int] = field(default_factory=list)
    loops: list[int] = field(default_factory=list)
    top_in: list[int] = field(default_factory=list)
    bottom_in: list[int] = field(default_factory=list)
    box_w: int = 0
    box_h: int = 0
    stem: int = 0
    port_row: dict[int, int] = field(default_factory=dict)
    port_col: dict[int, int] = field(default_factory=dict)
    entry_col: dict[int, int] = field(default_factory=dict)
    loop_row: dict[int, int] = field(default_factory=dict)
    label_w: dict[int, int] = field(default_factory=dict)
    links: dict[int, Link] = field(default_factory=dict)
    y: int = 0

    @property
    def x(self) -> int:
        return self.item.x

    @property
    def ports(self) -> list[int]:
        return self.loops + self.ups + self.downs


@dataclass(slots=True)
class EdgePath:
    """An edge as drawn: its joint on the stem, its corner points, its arrowhead."""

    index: int
    joint: Point
    last_port: bool
    points: list[Point]
    arrow: Point
    arrow_glyph: str
    label_at: Point
    label: str


def measure(
    nodes: dict[str, Item],
    ghosts: set[str],
    edges: tuple[EdgeSpec, ...],
    back: set[int],
    label_width: int,
    name_width: int,
) -> tuple[dict[str, NodeGeom], dict[int, str]]:
    """Classify every node's edges and size its box."""
    geoms = {
        name: NodeGeom(item, name in ghosts, fit(name, name_width) or "?")
        for name, item in nodes.items()
    }
    labels: dict[int, str] = {}
    for index, edge in enumerate(edges):
        source, target = geoms[edge.source], geoms[edge.target]
        # An unlabelled handoff still needs something beside its port to be told apart.
        labels[index] = fit(edge.label, label_width) or fit("→ " + edge.target, label_width)
        source.label_w[index] = text_width(labels[index])
        if edge.source == edge.target:
            source.loops.append(index)
        elif index in back:
            source.ups.append(index)
            target.bottom_in.append(index)
        else:
            source.downs.append(index)
            target.top_in.append(index)
    for geom in geoms.values():
        for link in geom.item.ups + geom.item.downs:
            geom.links[link.edge] = link
        geom.box_w = max(
            text_width(geom.text) + 4, 2 * len(geom.top_in) + 1, 2 * len(geom.bottom_in) + 3
        )
        geom.box_h = 2 + max(1, len(geom.loops))
        # Back edges arrive left of the stem, at every other column.
        geom.stem = 2 * len(geom.bottom_in) + 1
        _order_ports(geom)  # a first width, before anything has a position
    return geoms, labels


def _spread(wanted: list[float], low: int, high: int, gap: int) -> list[int]:
    """Integer positions near `wanted` (sorted), at least `gap` apart, within [low, high]."""
    out: list[int] = []
    for value in wanted:
        floor = low if not out else out[-1] + gap
        out.append(max(floor, round(value)))
    ceiling = high
    for i in range(len(out) - 1, -1, -1):
        out[i] = min(out[i], ceiling)
        ceiling = out[i] - gap
    return out


def _order_ports(geom: NodeGeom) -> None:
    """Rows and track columns of the ports, ordered by where their edges go."""
    links = geom.links
    geom.ups.sort(key=lambda e: (links[e].up_x, e))
    geom.downs.sort(key=lambda e: (-links[e].low_x, e))
    rising = geom.loops + geom.ups
    for i, e in enumerate(geom.ports):
        geom.port_row[e] = geom.box_h + i
    # Rising tracks pass the box on its right; each lies right of the one above it.
    column = geom.box_w
    for e in rising:
        column = max(column + 1, geom.stem + 5 + geom.label_w[e])
        geom.port_col[e] = column
    # Falling tracks: each lies left of the one above it, so they are placed bottom-up.
    column = -1
    for e in reversed(geom.downs):
        column = max(column + 1, geom.stem + 5 + geom.label_w[e])
        geom.port_col[e] = column
    for k, e in enumerate(geom.loops):
        geom.loop_row[e] = geom.box_h - 2 - k
    right = max((geom.port_col[e] for e in geom.ports), default=0)
    geom.item.width = max(geom.box_w, right + 1)


def attach(geoms: dict[str, NodeGeom], reorder: bool = True) -> None:
    """Attach every link to its port or entry column, given where items are now.

    With `reorder`, ports are re-sorted by where their edges go, which can change a node's
    width; the final pass keeps the port order so widths stay what placement assumed.
    """
    for geom in geoms.values():
        links = geom.links
        if reorder:
            _order_ports(geom)
        for e in geom.ups:
            links[e].low_off = geom.port_col[e]
        for e in geom.downs:
            links[e].up_off = geom.port_col[e]
        geom.top_in.sort(key=lambda e: (links[e].up_x, e))
        wanted = [float(links[e].up_x - geom.x) for e in geom.top_in]
        for e, col in zip(geom.top_in, _spread(wanted, 1, geom.box_w - 2, 2), strict=True):
            geom.entry_col[e] = col
            links[e].low_off = col
        geom.bottom_in.sort(key=lambda e: (links[e].low_x, e))
        for i, e in enumerate(geom.bottom_in):
            geom.entry_col[e] = 1 + 2 * i
            links[e].up_off = 1 + 2 * i


def route(
    geoms: dict[str, NodeGeom],
    layers: list[list[Item]],
    chains: dict[int, list[Item]],
    edges: tuple[EdgeSpec, ...],
    back: set[int],
    labels: dict[int, str],
    slack: int = SLACK,
) -> list[EdgePath]:
    """Set each band's y, route every channel, then build every edge's corner points.

    `slack`: rows a channel may add to avoid crossings (see `route_channel`).
    """
    segs: dict[tuple[int, int], Seg] = {}
    channel_top: list[int] = []
    y = 0
    for level, items in enumerate(layers):
        band = 1
        for item in items:
            if item.name is not None:
                geom = geoms[item.name]
                geom.y = y
                band = max(band, geom.box_h + len(geom.ports))
        y += band
        channel_top.append(y)
        if level == len(layers) - 1:
            break
        found = [Seg(ln.edge, ln.up_x, ln.low_x) for item in items for ln in item.downs]
        for seg in found:
            segs[(seg.edge, level)] = seg
        y += route_channel(found, slack)
    paths: list[EdgePath] = []
    for index, edge in enumerate(edges):
        source, target = geoms[edge.source], geoms[edge.target]
        stem = source.x + source.stem
        row = source.y + source.port_row[index]
        track = source.x + source.port_col[index]
        joint = (stem, row)
        last = index == source.ports[-1]
        points = [(stem + 1, row), (track, row)]
        label_at = (stem + 2, row)
        if edge.source == edge.target:
            entry = source.y + source.loop_row[index]
            right = source.x + source.box_w - 1
            points += [(track, entry), (right + 1, entry)]
            paths.append(
                EdgePath(
                    index, joint, last, points, (right, entry), ARROW_LEFT, label_at, labels[index]
                )
            )
            continue
        levels = [item.layer for item in chains[index][:-1]]
        upward = index in back
        if upward:
            levels.reverse()
        for level in levels:
            seg = segs[(index, level)]
            top = channel_top[level]
            if seg.dogleg is not None:
                r1, free, r2 = seg.dogleg
                turn = [
                    (seg.x_up, top + r1),
                    (free, top + r1),
                    (free, top + r2),
                    (seg.x_down, top + r2),
                ]
            elif seg.track >= 0:
                turn = [(seg.x_up, top + seg.track), (seg.x_down, top + seg.track)]
            else:
                turn = []
            points += reversed(turn) if upward else turn
        column = target.x + target.entry_col[index]
        if upward:
            bottom = target.y + target.box_h
            points.append((column, bottom))
            arrow, glyph = (column, bottom - 1), ARROW_UP
        else:
            points.append((column, target.y - 1))
            arrow, glyph = (column, target.y), ARROW_DOWN
        paths.append(EdgePath(index, joint, last, points, arrow, glyph, label_at, labels[index]))
    return paths
