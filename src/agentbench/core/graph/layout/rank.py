"""The layered part of the layout: cycles, layers, dummy nodes, ordering, x coordinates.

Written without networkx so the core imports fast and every tie is broken by name: the same
library always gives the same picture, whatever order the files were read in.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from agentbench.core.graph.layout.shapes import EdgeSpec

# Gap in columns between neighbouring items of a layer.
GAP = 2
ORDER_SWEEPS = 8
PLACE_ROUNDS = 4
# Above this many items (nodes and dummies) fewer sweeps are spent: a graph that big is read
# through the focus view, and drawing it whole should stay within a frame or two.
BIG = 2000


@dataclass(slots=True, eq=False)
class Item:
    """A node or a dummy (one layer's worth of a long edge) in a layer."""

    name: str | None
    edge: int
    layer: int
    key: tuple[int, str, int]
    width: int = 1
    pos: int = 0
    x: int = 0
    ups: list[Link] = field(default_factory=list)
    downs: list[Link] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Link:
    """One edge's passage between two adjacent layers."""

    upper: Item
    lower: Item
    edge: int
    # Columns, relative to the item's x, where the link attaches at each end.
    up_off: int = 0
    low_off: int = 0

    @property
    def up_x(self) -> int:
        return self.upper.x + self.up_off

    @property
    def low_x(self) -> int:
        return self.lower.x + self.low_off


def back_edges(
    names: Sequence[str], edges: Sequence[EdgeSpec], entry: str | None
) -> tuple[set[tuple[str, str]], dict[str, int]]:
    """Pairs (source, target) that close a cycle, found by DFS; and the DFS visit order.

    The DFS starts at the entry agent, then at agents nobody hands off to, then at the rest,
    in name order. Successors with more handoffs of their own are visited first: a hub seen
    early keeps its many handoffs pointing down, and the returns to it become the back edges.
    """
    succ: dict[str, set[str]] = {name: set() for name in names}
    has_pred: set[str] = set()
    for edge in edges:
        if edge.source != edge.target:
            succ[edge.source].add(edge.target)
            has_pred.add(edge.target)
    children = {
        name: sorted(targets, key=lambda t: (-len(succ[t]), t)) for name, targets in succ.items()
    }
    roots: list[str] = [entry] if entry is not None and entry in succ else []
    roots += sorted(n for n in names if n not in has_pred)
    roots += sorted(names)
    state: dict[str, int] = {}  # 1: on the DFS stack, 2: finished
    order: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        order[root] = len(order)
        stack = [(root, iter(children[root]))]
        while stack:
            node, todo = stack[-1]
            for child in todo:
                seen = state.get(child, 0)
                if seen == 1:
                    back.add((node, child))
                elif seen == 0:
                    state[child] = 1
                    order[child] = len(order)
                    stack.append((child, iter(children[child])))
                    break
            else:
                state[node] = 2
                stack.pop()
    return back, order


def assign_layers(names: Sequence[str], pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layering of an acyclic graph, then edges shortened (see `_shorten`)."""
    succ: dict[str, set[str]] = {name: set() for name in names}
    indeg = dict.fromkeys(names, 0)
    for source, target in pairs:
        if target not in succ[source]:
            succ[source].add(target)
            indeg[target] += 1
    layer = dict.fromkeys(names, 0)
    ready = [name for name in names if indeg[name] == 0]
    while ready:
        node = ready.pop()
        for child in succ[node]:
            layer[child] = max(layer[child], layer[node] + 1)
            indeg[child] -= 1
            if indeg[child] == 0:
                ready.append(child)
    _shorten(names, succ, layer)
    used = sorted(set(layer.values()))
    renumber = {value: index for index, value in enumerate(used)}
    return {name: renumber[value] for name, value in layer.items()}


def _shorten(names: Sequence[str], succ: dict[str, set[str]], layer: dict[str, int]) -> None:
    """Move nodes between layers while that shortens their edges in total.

    Longest-path layering hangs every node as high as it can go, which stretches edges out
    of sources and into sinks over many layers; each layer an edge crosses costs a dummy
    node, a column and time. A node with more edges in than out moves up as far as its
    parents allow, one with more out than in moves down; every move shortens the total, so
    this ends. A cheap stand-in for network simplex, which is too slow in Python here.
    """
    pred: dict[str, set[str]] = {name: set() for name in names}
    for source, targets in succ.items():
        for target in targets:
            pred[target].add(source)
    bottom = max(layer.values(), default=0)
    for _ in range(8):
        moved = False
        for node in names:
            ins, outs = len(pred[node]), len(succ[node])
            if ins == outs:
                continue
            if ins > outs:
                best = max(layer[p] for p in pred[node]) + 1
            else:
                best = min((layer[c] for c in succ[node]), default=bottom + 1) - 1
            if best != layer[node]:
                layer[node] = best
                moved = True
        if not moved:
            break


def build_items(
    names: Sequence[str],
    edges: Sequence[EdgeSpec],
    back: set[tuple[str, str]],
    layer: dict[str, int],
) -> tuple[list[list[Item]], dict[str, Item], dict[int, list[Item]]]:
    """Layers of items; each edge becomes a chain top-to-bottom with one dummy per layer."""
    nodes = {name: Item(name, -1, layer[name], (0, name, 0)) for name in names}
    depth = max(layer.values(), default=-1) + 1
    layers: list[list[Item]] = [[] for _ in range(depth)]
    for item in nodes.values():
        layers[item.layer].append(item)
    chains: dict[int, list[Item]] = {}
    for index, edge in enumerate(edges):
        if edge.source == edge.target:
            continue
        reverse = (edge.source, edge.target) in back
        top, bottom = (edge.target, edge.source) if reverse else (edge.source, edge.target)
        chain = [nodes[top]]
        for level in range(layer[top] + 1, layer[bottom]):
            dummy = Item(None, index, level, (1, "", index))
            layers[level].append(dummy)
            chain.append(dummy)
        chain.append(nodes[bottom])
        for upper, lower in pairwise(chain):
            link = Link(upper, lower, index)
            upper.downs.append(link)
            lower.ups.append(link)
        chains[index] = chain
    return layers, nodes, chains


def shelve_loners(layers: list[list[Item]], wrap: int) -> None:
    """Move agents joined to no other agent onto rows of their own under the graph.

    Longest-path layering puts them all in the first layer; a library of Claude Code
    subagents declares no handoffs at all, and thirty boxes side by side would be 600
    columns wide. Rows of at most `wrap` columns fit the screen instead.
    """
    loners = [
        item for items in layers for item in items if item.name and not item.ups and not item.downs
    ]
    if not loners:
        return
    gone = {id(item) for item in loners}
    layers[:] = [kept for items in layers if (kept := [i for i in items if id(i) not in gone])]
    row: list[Item] = []
    used = 0
    for item in sorted(loners, key=lambda item: item.key):
        if row and used + GAP + item.width > wrap:
            layers.append(row)
            row, used = [], 0
        used += (GAP if row else 0) + item.width
        row.append(item)
    layers.append(row)
    for level, items in enumerate(layers):
        for item in items:
            item.layer = level


def _size(layers: list[list[Item]]) -> int:
    return sum(len(items) for items in layers)


def _renumber(items: list[Item]) -> None:
    for pos, item in enumerate(items):
        item.pos = pos


def count_crossings(layers: list[list[Item]]) -> int:
    """Edge crossings between adjacent layers, counted on item positions."""
    total = 0
    for items in layers[:-1]:
        pairs = sorted((link.upper.pos, link.lower.pos) for item in items for link in item.downs)
        # Inversions among the lower ends; bisect on a sorted list beats a Python-level tree.
        seen: list[int] = []
        for _, lower in pairs:
            at = bisect.bisect_right(seen, lower)
            total += len(seen) - at
            seen.insert(at, lower)
    return total


def order_layers(layers: list[list[Item]], dfs_order: dict[str, int]) -> None:
    """Barycenter sweeps, keeping the ordering with the fewest crossings.

    Layers start in DFS order, so agents visited together start side by side; the first
    sweep places every dummy by its neighbours.
    """
    for items in layers:
        items.sort(key=lambda it: (dfs_order.get(it.name or "", 0), it.key))
        _renumber(items)

    def sweep(downward: bool) -> None:
        levels = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for level in levels:
            keyed = []
            for item in layers[level]:
                links = item.ups if downward else item.downs
                if links:
                    ends = [(ln.upper if downward else ln.lower).pos for ln in links]
                    centre = sum(ends) / len(ends)
                else:
                    centre = float(item.pos)
                keyed.append(((centre, item.key), item))
            keyed.sort(key=lambda pair: pair[0])
            layers[level][:] = [item for _, item in keyed]
            _renumber(layers[level])

    best = count_crossings(layers)
    best_order = [list(items) for items in layers]
    for round_ in range(ORDER_SWEEPS if _size(layers) < BIG else ORDER_SWEEPS // 2):
        if best == 0:
            break
        sweep(round_ % 2 == 0)
        crossings = count_crossings(layers)
        if crossings < best:
            best = crossings
            best_order = [list(items) for items in layers]
    for level, items in enumerate(best_order):
        layers[level][:] = items
        _renumber(items)


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """Weighted least-squares non-decreasing fit (pool adjacent violators)."""
    if all(a <= b for a, b in pairwise(values)):
        return values
    means: list[float] = []
    totals: list[float] = []  # weight of each pooled block
    counts: list[int] = []
    for value, weight in zip(values, weights, strict=True):
        mean, total, count = value, weight, 1
        while means and means[-1] > mean:
            previous = totals.pop()
            mean = (means.pop() * previous + mean * total) / (previous + total)
            total += previous
            count += counts.pop()
        means.append(mean)
        totals.append(total)
        counts.append(count)
    out: list[float] = []
    for mean, count in zip(means, counts, strict=True):
        out.extend([mean] * count)
    return out


def _median(values: list[int]) -> float:
    values.sort()
    mid = len(values) // 2
    return float(values[mid]) if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _gap(left: Item, right: Item) -> int:
    # Long edges side by side may run one blank column apart; boxes want more air.
    return 1 if left.name is None and right.name is None else GAP


def _packed(items: list[Item]) -> list[int]:
    """Each item's x when the layer is packed tight from 0."""
    offsets: list[int] = []
    packed = 0
    for i, item in enumerate(items):
        if i:
            packed += items[i - 1].width + _gap(items[i - 1], item)
        offsets.append(packed)
    return offsets


def _fit_layer(items: list[Item], values: list[float], weights: list[float]) -> None:
    """Move a layer's items as near `values` as order and gaps allow (least squares)."""
    offsets = _packed(items)
    # With the packed offsets subtracted, "keep order and gaps" is "non-decreasing".
    fitted = _isotonic([v - o for v, o in zip(values, offsets, strict=True)], weights)
    for item, z, offset in zip(items, fitted, offsets, strict=True):
        item.x = math.floor(z + 0.5) + offset


def place(layers: list[list[Item]], refresh: Callable[[bool], None]) -> None:
    """x coordinates: each item pulled towards its neighbours, keeping order and gaps.

    Alternating down and up sweeps; each layer is solved exactly as an isotonic regression.
    `refresh(reorder)` re-attaches links to ports and entries after items move; reordering
    ports can change a node's width, so the last pass makes room, then keeps the order.
    """
    refresh(True)
    for items in layers:
        # Packed from the left edge; the sweeps move whatever has neighbours.
        for item, x in zip(items, _packed(items), strict=True):
            item.x = x
    rounds = PLACE_ROUNDS if _size(layers) < BIG else 1
    for round_ in range(rounds * 2 + 1):
        refresh(True)
        downward = round_ % 2 == 0
        levels = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for level in levels:
            items = layers[level]
            values: list[float] = []
            weights: list[float] = []
            for item in items:
                links = item.ups if downward else item.downs
                if item.name is None and len(links) == 1:
                    # Dummies weigh more so long edges run straight.
                    ln = links[0]
                    near = ln.upper.x + ln.up_off if downward else ln.lower.x + ln.low_off
                    values.append(float(near))
                    weights.append(4.0)
                elif links:
                    if downward:
                        wanted = [ln.upper.x + ln.up_off - ln.low_off for ln in links]
                    else:
                        wanted = [ln.lower.x + ln.low_off - ln.up_off for ln in links]
                    values.append(_median(wanted))
                    weights.append(float(len(links)))
                else:
                    values.append(float(item.x))
                    weights.append(0.01)
            _fit_layer(items, values, weights)
    refresh(True)
    for items in layers:
        _fit_layer(items, [float(item.x) for item in items], [1.0] * len(items))
    lowest = min((item.x for items in layers for item in items), default=0)
    for items in layers:
        for item in items:
            item.x -= lowest
    refresh(False)
