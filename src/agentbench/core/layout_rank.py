"""The layered part of the layout: cycles, layers, dummy nodes, ordering, x coordinates.

Written without networkx so the core imports fast and every tie is broken by name: the same
library always gives the same picture, whatever order the files were read in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from agentbench.core.layout_types import EdgeSpec

# Gap in columns between neighbouring items of a layer.
GAP = 2
ORDER_SWEEPS = 8
PLACE_ROUNDS = 4


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
    """Longest-path layering of an acyclic graph, then sources pulled down to their children.

    Pulling a source down to just above its nearest child shortens its edges (fewer dummy
    nodes, less clutter) without making any layer deeper.
    """
    succ: dict[str, set[str]] = {name: set() for name in names}
    indeg = dict.fromkeys(names, 0)
    for source, target in pairs:
        if target not in succ[source]:
            succ[source].add(target)
            indeg[target] += 1
    layer = dict.fromkeys(names, 0)
    ready = [name for name in names if indeg[name] == 0]
    sources = list(ready)
    while ready:
        node = ready.pop()
        for child in succ[node]:
            layer[child] = max(layer[child], layer[node] + 1)
            indeg[child] -= 1
            if indeg[child] == 0:
                ready.append(child)
    for node in sources:
        if succ[node]:
            layer[node] = min(layer[child] for child in succ[node]) - 1
    used = sorted(set(layer.values()))
    renumber = {value: index for index, value in enumerate(used)}
    return {name: renumber[value] for name, value in layer.items()}


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
        for upper, lower in zip(chain, chain[1:], strict=False):
            link = Link(upper, lower, index)
            upper.downs.append(link)
            lower.ups.append(link)
        chains[index] = chain
    return layers, nodes, chains


def _renumber(items: list[Item]) -> None:
    for pos, item in enumerate(items):
        item.pos = pos


def count_crossings(layers: list[list[Item]]) -> int:
    total = 0
    for items in layers[:-1]:
        pairs = sorted((link.upper.pos, link.lower.pos) for item in items for link in item.downs)
        if not pairs:
            continue
        # Inversions among the lower ends, counted with a Fenwick tree.
        size = max(lower for _, lower in pairs) + 2
        tree = [0] * (size + 1)
        seen = 0
        for _, lower in pairs:
            i = lower + 1
            not_greater = 0
            while i > 0:
                not_greater += tree[i]
                i -= i & -i
            total += seen - not_greater
            seen += 1
            i = lower + 1
            while i <= size:
                tree[i] += 1
                i += i & -i
    return total


def order_layers(layers: list[list[Item]], dfs_order: dict[str, int]) -> None:
    """Barycenter sweeps, keeping the ordering with the fewest crossings."""
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
    for round_ in range(ORDER_SWEEPS):
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
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for value, weight in zip(values, weights, strict=True):
        blocks.append([value * weight, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
            last = blocks.pop()
            blocks[-1][0] += last[0]
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    out: list[float] = []
    for total, weight, count in blocks:
        out.extend([total / weight] * int(count))
    return out


def _median(values: list[int]) -> float:
    values.sort()
    mid = len(values) // 2
    return float(values[mid]) if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _gap(left: Item, right: Item) -> int:
    # Long edges side by side may run one blank column apart; boxes want more air.
    return 1 if left.name is None and right.name is None else GAP


def _fit_layer(items: list[Item], values: list[float], weights: list[float]) -> None:
    """Move a layer's items as near `values` as order and gaps allow (least squares)."""
    offsets: list[int] = []
    packed = 0
    for i, item in enumerate(items):
        if i:
            packed += items[i - 1].width + _gap(items[i - 1], item)
        offsets.append(packed)
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
        _fit_layer(items, [0.0] * len(items), [1.0] * len(items))
    for round_ in range(PLACE_ROUNDS * 2 + 1):
        refresh(True)
        downward = round_ % 2 == 0
        levels = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for level in levels:
            items = layers[level]
            values: list[float] = []
            weights: list[float] = []
            for item in items:
                links = item.ups if downward else item.downs
                if links:
                    if downward:
                        wanted = [ln.up_x - ln.low_off for ln in links]
                    else:
                        wanted = [ln.low_x - ln.up_off for ln in links]
                    values.append(_median(wanted))
                    # Dummies weigh more so long edges run straight.
                    weights.append(4.0 if item.name is None else float(len(links)))
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
