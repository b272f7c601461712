"""Changing the highlighted agent in the Graph tab of a headless workbench.

A random 300-agent / 500-handoff library (bench_layout's generator, written as agent files)
is opened in the real app at 120x40, Graph tab shown. Measured: selecting another agent
(the colour swap: new cell states from Drawing.highlight_cells) plus rendering the canvas's
visible lines, beside a floor: a bare refresh and render of the same lines with no change.
Target: under 5 ms (DESIGN.md §6 style).

Run: `python -m bench.bench_graph_ui`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_layout import random_library
from bench.common import report_absolute

AGENTS, HANDOFFS, SEED = 300, 500, 7
RUNS = 60
TARGET_S = 0.005


def write_library(root: Path) -> list[str]:
    names, edges = random_library(AGENTS, HANDOFFS, SEED)
    by_source: dict[str, list[str]] = {name: [] for name in names}
    for edge in edges:
        by_source[edge.source].append(
            f'  - target: {edge.target}\n    label: "{edge.label}"\n'
            f"    send: {'true' if edge.send else 'false'}\n")
    for name in names:
        handoffs = "".join(by_source[name])
        block = f"handoffs:\n{handoffs}" if handoffs else ""
        (root / f"{name}.md").write_text(
            f"---\nname: {name}\ndescription: Agent {name}\n{block}---\nBody of {name}\n",
            encoding="utf-8")
    return names


async def measure(root: Path, names: list[str]) -> tuple[float, float, str]:
    from textual.geometry import Region

    from agentbench.core.library.loader import LibraryLoader
    from agentbench.ui.app import make_app
    from agentbench.ui.widgets.graph_view import GraphView

    app = make_app(LibraryLoader.for_path(str(root)), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.select_agent(names[0])
        app.show_view("tab-graph")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        view = app.query_one(GraphView)
        canvas = view.canvas
        scene = view.scene
        if scene is None:
            raise RuntimeError("the graph was not drawn")
        region = Region(0, 0, canvas.size.width, canvas.size.height)
        # Agents in view, so each swap changes what is on screen.
        top = canvas.scroll_offset.y
        shown = [n for n, (_, y, _, h) in scene.drawing.boxes.items()
                 if n in names and top <= y < top + region.height] or names[:10]

        swaps, floors = [], []
        for index in range(RUNS):
            name = shown[index % len(shown)]
            start = time.perf_counter()
            view.select(name)
            canvas.render_lines(region)
            swaps.append(time.perf_counter() - start)
            start = time.perf_counter()
            canvas.refresh()
            canvas.render_lines(region)
            floors.append(time.perf_counter() - start)
            if view.scene is not scene:
                raise RuntimeError("selecting re-laid the graph out")
        size = f"{scene.drawing.width}x{scene.drawing.height} cells, view {region.size}"
    return statistics.median(swaps), statistics.median(floors), size


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        names = write_library(Path(folder))
        swap, floor, size = asyncio.run(measure(Path(folder), names))
    print(f"graph view: {AGENTS} agents, {HANDOFFS} handoffs; drawing {size}; "
          f"median of {RUNS}")
    ok = report_absolute("change highlighted agent + render view", swap, TARGET_S)
    print(f"{'floor: bare refresh + render, no change':<44} {floor * 1000:9.2f} ms   "
          f"ratio {swap / floor if floor else float('inf'):5.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
