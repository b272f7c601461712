"""Layered (Sugiyama-style) drawing of the handoff graph onto a character grid.

Pipeline: break cycles by DFS from the entry agent (back edges are reversed for layering and
drawn dotted), longest-path layers shortened where that is free, one dummy node per layer a
long edge crosses, barycenter sweeps against crossings, x placement by isotonic regression,
then orthogonal routing through the channels between layers (see route.py for the shape
of one node, channel.py for the tracks, paint.py for the grid).

Only top to bottom: labels are horizontal text, and in a left-to-right drawing every layer
would pay for its widest label again. The 7-agent demo team draws in about 90x40 top to
bottom; left to right it would need about 180 columns.

Pure and deterministic: the same nodes and edges, in any order, give the same picture.
No networkx here: importing it costs ~175 ms, more than laying out 300 agents.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from agentbench.core.graph.layout.glyphs import clean
from agentbench.core.graph.layout.paint import paint
from agentbench.core.graph.layout.rank import (
    assign_layers,
    back_edges,
    build_items,
    order_layers,
    place,
    shelve_loners,
)
from agentbench.core.graph.layout.route import attach, measure, route
from agentbench.core.graph.layout.shapes import Drawing, EdgeSpec, Owner, OwnerKind

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
# Agents with no handoffs are shelved in rows at most this wide (or `max_width`).
WRAP = 100
# Narrower label columns tried, in order, when a drawing must fit `max_width`.
_NARROWER = (18, 14, 10, 6)


def layout(
    nodes: Sequence[str],
    edges: Sequence[EdgeSpec],
    entry: str | None = None,
    *,
    label_width: int = LABEL_WIDTH,
    max_width: int | None = None,
    max_height: int | None = None,
) -> Drawing:
    """Lay out and draw the graph.

    Edge sources missing from `nodes` are added as agents; edge targets missing from
    `nodes` become ghost boxes. Labels longer than `label_width` columns end in `…`. With
    `max_width`, narrower label columns are tried until the drawing fits (unless it is more
    than twice too wide), and agents without handoffs are shelved in rows that fit. With
    `max_height`, a drawing too tall is routed again with the fewest rows per channel, at the
    price of a few more crossings.
    """
    widths = [label_width]
    if max_width is not None:
        widths += [w for w in _NARROWER if w < label_width]
    wrap = max_width or WRAP
    with _collector_paused():
        drawing = _layout(nodes, edges, entry, widths[0], wrap, max_height)
        for width in widths[1:]:
            # Narrower labels save a few columns per agent, never half the drawing: past
            # that, another try only costs time (the focus view is the way to fit).
            if max_width is None or not max_width < drawing.width <= 2 * max_width:
                break
            drawing = _layout(nodes, edges, entry, width, wrap, max_height)
    return drawing


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the grid is built.

    A 300-agent drawing allocates about a million cells, all reachable, and the collector
    would rescan them again and again for nothing: about a quarter of the layout's time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _layout(
    nodes: Sequence[str],
    edges: Sequence[EdgeSpec],
    entry: str | None,
    label_width: int,
    wrap: int,
    max_height: int | None,
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
    shelve_loners(layers, wrap)
    order_layers(layers, dfs_order)
    place(layers, lambda reorder: attach(geoms, reorder))
    # Self-loops close a cycle too: drawn dotted like the back edges.
    cyclic = frozenset(back) | {i for i, e in enumerate(ordered) if e.source == e.target}
    drawing = paint(geoms, route(geoms, layers, chains, ordered, back, labels), ordered, cyclic)
    if max_height is not None and drawing.height > max_height:
        paths = route(geoms, layers, chains, ordered, back, labels, slack=0)
        drawing = paint(geoms, paths, ordered, cyclic)
    return drawing


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
        reached = (n for node in frontier for n in sorted(around.get(node, ())) if n not in seen)
        frontier = list(dict.fromkeys(reached))
        seen.update(frontier)
    ordered = sorted(edges, key=EdgeSpec.sort_key)
    kept = [e for e in ordered if e.source in seen and e.target in seen]
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
        label = clean(edge.label).strip() or "(no label)"
        line = f"{prefix}{'└─ ' if last else '├─ '}{label} → {clean(edge.target)}"
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
