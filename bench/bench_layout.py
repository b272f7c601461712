"""Benchmark of the graph drawing on a large random library.

Run: `python bench/bench_layout.py [--runs N] [--seed S]`. Prints medians and compares them
with floors measured in the same run, so numbers from a busy or slow machine still say
something: the layout against building and topologically sorting the same graph with
networkx, and against just joining the finished grid into strings.

Targets (DESIGN.md §6 style): layout + drawing of 300 agents / 500 handoffs under 150 ms;
highlighting an agent and its neighbours (a colour swap over owned cells) under 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

try:
    from agentbench.core.graph.layout.draw import Drawing, EdgeSpec, layout
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from agentbench.core.graph.layout.draw import Drawing, EdgeSpec, layout

LAYOUT_TARGET_MS = 150.0
HIGHLIGHT_TARGET_MS = 5.0
LABELS = ["Design API", "Implement Backend", "Write Tests", "Review", "Phase 5.1: Review Impl"]


def random_library(agents: int, handoffs: int, seed: int) -> tuple[list[str], list[EdgeSpec]]:
    """A uniform random handoff graph with cycles, self-loops, dangling and send:true edges."""
    rnd = random.Random(seed)
    names = [f"agent-{i:03d}" for i in range(agents)]
    edges = []
    for _ in range(handoffs):
        source = rnd.choice(names)
        roll = rnd.random()
        if roll < 0.03:
            target = source
        elif roll < 0.06:
            target = f"missing-{rnd.randrange(5)}"
        else:
            target = rnd.choice(names)
        edges.append(
            EdgeSpec(
                source,
                target,
                rnd.choice(LABELS),
                send=rnd.random() < 0.2,
                dangling=target.startswith("missing-"),
            )
        )
    return names, edges


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def highlight(drawing: Drawing, name: str) -> int:
    """What the UI does on selection: find the neighbourhood, collect the cells to recolour."""
    return len(drawing.highlight_cells(name))


def networkx_floor(edges: list[EdgeSpec]) -> Callable[[], object]:
    import networkx as nx

    def build_and_sort() -> object:
        graph = nx.MultiDiGraph()
        graph.add_edges_from((e.source, e.target) for e in edges)
        return list(nx.topological_sort(nx.condensation(graph)))

    return build_and_sort


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--handoffs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    names, edges = random_library(args.agents, args.handoffs, args.seed)
    drawing = layout(names, edges, entry=names[0])
    degree: dict[str, int] = {}
    for edge in edges:
        degree[edge.source] = degree.get(edge.source, 0) + 1
        degree[edge.target] = degree.get(edge.target, 0) + 1
    busiest = max(sorted(degree), key=lambda n: degree[n])

    layout_ms = median_ms(lambda: layout(names, edges, entry=names[0]), args.runs)
    highlight_ms = median_ms(lambda: highlight(drawing, busiest), args.runs * 20)
    # The first highlight on a new drawing also indexes edges by node and lists their cells.
    first_times = []
    for _ in range(args.runs):
        fresh = layout(names, edges, entry=names[0])
        start = time.perf_counter()
        highlight(fresh, busiest)
        first_times.append(time.perf_counter() - start)
    first_highlight_ms = statistics.median(first_times) * 1000
    nx_floor_ms = median_ms(networkx_floor(edges), args.runs)
    join_floor_ms = median_ms(drawing.lines, args.runs)

    print(
        f"graph: {args.agents} agents, {args.handoffs} handoffs (seed {args.seed}); "
        f"drawing {drawing.width}x{drawing.height} cells; median of {args.runs} runs"
    )
    rows = [
        ("layout + drawing", layout_ms, LAYOUT_TARGET_MS),
        (f"highlight {busiest} ({degree[busiest]} edges)", highlight_ms, HIGHLIGHT_TARGET_MS),
        ("highlight, first on a new drawing", first_highlight_ms, HIGHLIGHT_TARGET_MS),
        ("floor: networkx build + SCC + topological sort", nx_floor_ms, None),
        ("floor: join the grid into strings", join_floor_ms, None),
    ]
    for label, value, target in rows:
        verdict = (
            ""
            if target is None
            else f"  target {target:g} ms: " + ("ok" if value <= target else "OVER")
        )
        print(f"  {label:<50} {value:9.2f} ms{verdict}")
    print(f"  layout / networkx floor: {layout_ms / nx_floor_ms:6.1f}x")
    print(f"  layout / join floor:     {layout_ms / join_floor_ms:6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
