"""Layered (Sugiyama-style) drawing of the handoff graph onto a character grid.

Pipeline: break cycles by DFS from the entry agent (back edges are reversed for layering and
drawn dotted), longest-path layers, one dummy node per layer crossed by a long edge,
barycenter sweeps against crossings, isotonic x placement, then orthogonal routing through
the channels between layers. The drawing reads top to bottom: labels are written beside
their source box (one row per handoff), so a wide layer costs columns once per box, while a
left-to-right drawing would pay every label's width once per layer.

Pure and deterministic: the same nodes and edges, in any order, give the same picture.
No networkx here: it costs ~175 ms to import, more than laying out 300 agents.
"""

from __future__ import annotations

from collections.abc import Sequence

from agentbench.core.layout_paint import paint
from agentbench.core.layout_rank import (
    assign_layers,
    back_edges,
    build_items,
    order_layers,
    place,
)
from agentbench.core.layout_route import attach, measure, route
from agentbench.core.layout_text import clean
from agentbench.core.layout_types import Drawing, EdgeSpec, Owner, OwnerKind

__all__ = [
    "Drawing",
    "EdgeSpec",
    "Owner",
    "OwnerKind",
    "focus_subgraph",
    "handoff_tree",
    "layout",
]

LABEL_WIDTH = 24
NAME_WIDTH = 32
# Narrower label columns tried, in order, when a drawing must fit `max_width`.
_NARROWER = (18, 14, 10, 6)


def layout(
    nodes: Sequence[str],
    edges: Sequence[EdgeSpec],
    entry: str | None = None,
    *,
    label_width: int = LABEL_WIDTH,
    max_width: int | None = None,
) -> Drawing:
    """Lay out and draw the graph.

    Edge sources missing from `nodes` are added as agents; edge targets missing from
    `nodes` become ghost boxes. Labels longer than `label_width` columns end in `…`. With
    `max_width`, narrower label columns are tried until the drawing fits (or none is left).
    """
    widths = [label_width]
    if max_width is not None:
        widths += [w for w in _NARROWER if w < label_width]
    drawing = _layout(nodes, edges, entry, widths[0])
    for width in widths[1:]:
        if max_width is None or drawing.width <= max_width:
            break
        drawing = _layout(nodes, edges, entry, width)
    return drawing


def _layout(
    nodes: Sequence[str], edges: Sequence[EdgeSpec], entry: str | None, label_width: int
) -> Drawing:
    ordered = tuple(sorted(edges, key=EdgeSpec.sort_key))
    real = set(nodes) | {edge.source for edge in ordered}
    ghosts = {edge.target for edge in ordered if edge.target not in real}
    names = sorted(real | ghosts)
    if not names:
        return Drawing(0, 0, [], [], {}, {}, ordered)
    back_pairs, dfs_order = back_edges(names, ordered, entry)
    back = {i for i, e in enumerate(ordered) if (e.source, e.target) in back_pairs}
    dag = [
        (e.target, e.source) if i in back else (e.source, e.target)
        for i, e in enumerate(ordered)
        if e.source != e.target
    ]
    layers, items, chains = build_items(names, ordered, back_pairs, assign_layers(names, dag))
    geoms, labels = measure(items, ghosts, ordered, back, max(label_width, 2), NAME_WIDTH)
    order_layers(layers, dfs_order)
    place(layers, lambda reorder: attach(geoms, reorder))
    paths = route(geoms, layers, chains, ordered, back, labels)
    loops = {i for i, e in enumerate(ordered) if e.source == e.target}
    return paint(geoms, paths, ordered, frozenset(back | loops))


def focus_subgraph(
    nodes: Sequence[str], edges: Sequence[EdgeSpec], center: str, depth: int = 1
) -> tuple[list[str], list[EdgeSpec]]:
    """The agents within `depth` handoffs of `center` (either direction), and their edges.

    Ghost targets are not returned as nodes (they are not agents) but their edges are, so
    `layout` draws them as ghosts again.
    """
    real = set(nodes) | {edge.source for edge in edges}
    around: dict[str, set[str]] = {}
    for edge in edges:
        around.setdefault(edge.source, set()).add(edge.target)
        around.setdefault(edge.target, set()).add(edge.source)
    if center not in real and center not in around:
        return [], []
    seen = {center}
    frontier = [center]
    for _ in range(depth):
        frontier = [n for node in frontier for n in sorted(around.get(node, ())) if n not in seen]
        seen.update(frontier)
    kept = [e for e in sorted(edges, key=EdgeSpec.sort_key) if e.source in seen and e.target in seen]
    return sorted(n for n in seen if n in real), kept


def handoff_tree(nodes: Sequence[str], edges: Sequence[EdgeSpec], root: str) -> list[str]:
    """The handoffs reachable from `root` as indented text lines, `agent → label → target`.

    A target already on the path from the root is marked `↺` and not expanded; a target
    already expanded elsewhere is marked `(shown above)`, which keeps the tree linear in the
    size of the graph (a diamond-rich graph would otherwise grow exponentially).
    """
    real = set(nodes) | {edge.source for edge in edges}
    children: dict[str, list[EdgeSpec]] = {}
    for edge in sorted(edges, key=EdgeSpec.sort_key):
        children.setdefault(edge.source, []).append(edge)
    lines = [clean(root) + ("" if root in real else " (missing)")]
    expanded = {root}
    # (edges to list, next index, prefix, agents on the path from the root)
    stack: list[tuple[list[EdgeSpec], int, str, frozenset[str]]] = [
        (children.get(root, []), 0, "", frozenset({root}))
    ]
    while stack:
        todo, index, prefix, path = stack.pop()
        if index >= len(todo):
            continue
        stack.append((todo, index + 1, prefix, path))
        edge = todo[index]
        last = index == len(todo) - 1
        line = f"{prefix}{'└─ ' if last else '├─ '}{clean(edge.label)} → {clean(edge.target)}"
        target = edge.target
        if target not in real:
            line += " (missing)"
        elif target in path:
            line += " ↺"
        elif target in expanded:
            line += " (shown above)"
        else:
            expanded.add(target)
            inner = prefix + ("   " if last else "│  ")
            stack.append((children.get(target, []), 0, inner, path | {target}))
        lines.append(line)
    return lines
