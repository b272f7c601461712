"""Box sizes, ports, entries and orthogonal routing through the channels between layers.

Geometry of one node (the layout is top to bottom):

    ╭───────────╮
    │ name      ├─ Label of a back edge ─┐    up-ports: back edges, leave upwards
    │           ├─ Label ─────────────┐  │    down-ports: forward edges, leave downwards
    ╰──▲────────╯                     │  │
       ┊ back edges arrive from below, forward edges arrive on the top border (▼)

Every outgoing handoff has its own row on the right border with its label beside it, so
labels never compete for space; every incoming edge has its own column on the border, so
every edge keeps its own arrowhead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentbench.core.layout_rank import Item, Link
from agentbench.core.layout_text import ARROW_DOWN, ARROW_LEFT, ARROW_UP, fit, text_width
from agentbench.core.layout_types import EdgeSpec

Point = tuple[int, int]


@dataclass(slots=True, eq=False)
class NodeGeom:
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
    label_w: int = 0
    track_base: int = 0
    port_row: dict[int, int] = field(default_factory=dict)
    port_col: dict[int, int] = field(default_factory=dict)
    entry_col: dict[int, int] = field(default_factory=dict)
    links: dict[int, Link] = field(default_factory=dict)
    y: int = 0

    @property
    def x(self) -> int:
        return self.item.x


@dataclass(slots=True)
class EdgePath:
    """An edge as drawn: the box cell it starts from, its corner points, its arrowhead."""

    index: int
    anchor: Point
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
    """Sizes of every box and its label column; sets each node item's width."""
    geoms = {
        name: NodeGeom(item, name in ghosts, fit(name, name_width) or "?")
        for name, item in nodes.items()
    }
    labels: dict[int, str] = {}
    for index, edge in enumerate(edges):
        source, target = geoms[edge.source], geoms[edge.target]
        # An unlabelled handoff still needs something beside its port to be told apart.
        labels[index] = fit(edge.label, label_width) or fit("→ " + edge.target, label_width)
        if edge.source == edge.target:
            source.loops.append(index)
        elif index in back:
            source.ups.append(index)
            target.bottom_in.append(index)
        else:
            source.downs.append(index)
            target.top_in.append(index)
    for geom in geoms.values():
        item = geom.item
        for link in item.ups:
            geom.links[link.edge] = link
        for link in item.downs:
            geom.links[link.edge] = link
        entries = max(len(geom.top_in), len(geom.bottom_in))
        geom.box_w = max(text_width(geom.text) + 4, 2 * entries + 1)
        ports = len(geom.ups) + len(geom.downs) + 2 * len(geom.loops)
        geom.box_h = max(1, ports) + 2
        outgoing = geom.ups + geom.downs + geom.loops
        geom.label_w = max((text_width(labels[i]) for i in outgoing), default=0)
        # Border, "─ ", label, " ─", then one track column per port.
        geom.track_base = geom.box_w - 1 + geom.label_w + 5
        tracks = max(len(geom.ups), len(geom.downs) + len(geom.loops))
        item.width = geom.track_base + tracks if outgoing else geom.box_w
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


def attach(geoms: dict[str, NodeGeom]) -> None:
    """Order every node's ports and entries by where their other ends are, and attach links.

    Ports are nested so a node's own edges never cross: the top up-port gets the leftmost
    track and the top down-port the rightmost. Up- and down-ports share track columns
    because their vertical runs never share a row.
    """
    for geom in geoms.values():
        links = geom.links
        geom.ups.sort(key=lambda e: (links[e].up_x, e))
        geom.downs.sort(key=lambda e: (-links[e].low_x, e))
        n_up, n_down = len(geom.ups), len(geom.downs) + len(geom.loops)
        for i, e in enumerate(geom.ups):
            geom.port_row[e] = 1 + i
            geom.port_col[e] = geom.track_base + i
            links[e].low_off = geom.port_col[e]
        for j, e in enumerate(geom.downs):
            geom.port_row[e] = 1 + n_up + j
            geom.port_col[e] = geom.track_base + n_down - 1 - j
            links[e].up_off = geom.port_col[e]
        for k, e in enumerate(geom.loops):
            j = len(geom.downs) + k
            geom.port_row[e] = 1 + n_up + len(geom.downs) + 2 * k
            geom.port_col[e] = geom.track_base + n_down - 1 - j
        geom.top_in.sort(key=lambda e: (links[e].up_x, e))
        wanted = [float(links[e].up_x - geom.x) for e in geom.top_in]
        for e, col in zip(geom.top_in, _spread(wanted, 1, geom.box_w - 2, 2), strict=True):
            geom.entry_col[e] = col
            links[e].low_off = col
        geom.bottom_in.sort(key=lambda e: (links[e].low_x, e))
        wanted = [float(links[e].low_x - geom.x) for e in geom.bottom_in]
        for e, col in zip(geom.bottom_in, _spread(wanted, 1, geom.box_w - 2, 2), strict=True):
            geom.entry_col[e] = col
            links[e].up_off = col


@dataclass(slots=True)
class Seg:
    """One edge's crossing of a channel: down from x_up, along a track, down to x_down."""

    edge: int
    x_up: int
    x_down: int
    track: int = -1
    # (row, free column, row) for a segment routed with a jog to break a constraint cycle.
    dogleg: tuple[int, int, int] | None = None


def route_channel(segs: list[Seg]) -> int:
    """Give every bending segment a track row; return the channel's height.

    A segment whose upper column is another's lower column must turn above it, or their
    vertical runs would overlap: a constrained left-edge packing. Each column is used by at
    most one upper and one lower end, so the constraints form paths and cycles; a cycle is
    broken by routing one segment through rows of its own at the top and bottom of the
    channel, with a jog through an unused column.
    """
    bent = [s for s in segs if s.x_up != s.x_down]
    if not bent:
        return 1
    by_up = {s.x_up: s for s in bent}
    above: dict[int, Seg] = {}  # id(segment) -> the segment that must turn above it
    for s in bent:
        first = by_up.get(s.x_down)
        if first is not None:
            above[id(s)] = first
    doglegs: list[Seg] = []
    state: dict[int, int] = {}
    for start in sorted(bent, key=lambda s: s.edge):
        walk: list[Seg] = []
        current: Seg | None = start
        while current is not None and id(current) not in state:
            state[id(current)] = 1
            walk.append(current)
            current = above.get(id(current))
        if current is not None and state[id(current)] == 1:
            cycle = walk[walk.index(current):]
            cut = min(cycle, key=lambda s: s.edge)
            doglegs.append(cut)
            above.pop(id(cut), None)
            for s in cycle:
                if above.get(id(s)) is cut:
                    del above[id(s)]
        for s in walk:
            state[id(s)] = 2
    cut_ids = {id(s) for s in doglegs}
    pending = sorted(
        (s for s in bent if id(s) not in cut_ids),
        key=lambda s: (min(s.x_up, s.x_down), max(s.x_up, s.x_down), s.edge),
    )
    track = len(doglegs)
    while pending:
        right = -(10**9)
        left_over: list[Seg] = []
        for s in pending:
            first = above.get(id(s))
            if first is not None and not (0 <= first.track < track):
                left_over.append(s)
                continue
            low = min(s.x_up, s.x_down)
            if low >= right + 2:
                s.track = track
                right = max(s.x_up, s.x_down)
            else:
                left_over.append(s)
        pending = left_over
        track += 1
    used = {s.x_up for s in segs} | {s.x_down for s in segs}
    bottom = track + len(doglegs) - 1
    for k, s in enumerate(doglegs):
        middle = (s.x_up + s.x_down) // 2
        free = next(
            c
            for d in range(10**9)
            for c in (middle + d, middle - d)
            if c >= 0 and c not in used
        )
        used.add(free)
        s.dogleg = (k, free, bottom - k)
    return track + len(doglegs)


def route(
    geoms: dict[str, NodeGeom],
    layers: list[list[Item]],
    chains: dict[int, list[Item]],
    edges: tuple[EdgeSpec, ...],
    back: set[int],
    labels: dict[int, str],
) -> list[EdgePath]:
    """Route every edge: set each band's y, then build its corner points."""
    segs: dict[tuple[int, int], Seg] = {}
    channel_top: list[int] = []
    y = 0
    for level, items in enumerate(layers):
        band = max((geoms[i.name].box_h for i in items if i.name is not None), default=1)
        for item in items:
            if item.name is not None:
                geoms[item.name].y = y
        y += band
        channel_top.append(y)
        if level == len(layers) - 1:
            break
        found = [Seg(ln.edge, ln.up_x, ln.low_x) for item in items for ln in item.downs]
        for seg in found:
            segs[(seg.edge, level)] = seg
        y += route_channel(found)
    paths: list[EdgePath] = []
    for index, edge in enumerate(edges):
        source, target = geoms[edge.source], geoms[edge.target]
        right = source.x + source.box_w - 1
        row = source.y + source.port_row[index]
        track = source.x + source.port_col[index]
        points = [(right + 1, row), (track, row)]
        label_at = (right + 2, row)
        if edge.source == edge.target:
            points += [(track, row + 1), (right + 1, row + 1)]
            paths.append(
                EdgePath(index, (right, row), points, (right, row + 1), ARROW_LEFT,
                         label_at, labels[index])
            )
            continue
        chain = chains[index]
        levels = [item.layer for item in chain[:-1]]
        upward = index in back
        if upward:
            levels.reverse()
        for level in levels:
            seg = segs[(index, level)]
            top = channel_top[level]
            ends = [seg.x_up, seg.x_down]
            if seg.dogleg is not None:
                r1, free, r2 = seg.dogleg
                turn = [(ends[0], top + r1), (free, top + r1), (free, top + r2),
                        (ends[1], top + r2)]
            elif seg.track >= 0:
                turn = [(ends[0], top + seg.track), (ends[1], top + seg.track)]
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
        paths.append(EdgePath(index, (right, row), points, arrow, glyph, label_at, labels[index]))
    return paths
