"""The workbench's two hot paths: the agent list's first frame and a preview update.

- The agent list: setting 1,000 and 10,000 agents and rendering the visible rows, beside a
  floor measured in the same run (rendering the same rows with nothing changed). The issue's
  first-frame figures for comparison: OptionList 32 / 216 ms, ListView 2.2 s / 27 s. Limits:
  one frame (16.7 ms) for 1,000, three for 10,000.
- The preview: show() of a 10 KB and a 110 KB prompt (placeholders filled and marked) and
  rendering its visible lines, beside rendering them with nothing changed. Limit: a 10 KB
  prompt within one frame.

Timed synchronously inside a running headless app: Pilot's pause() waits for idle and adds
~30 ms of its own, which would drown what is measured here.

Run: `python -m bench.bench_workbench`.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from textual.app import App, ComposeResult
from textual.geometry import Region

from agentbench.core.model import Agent, Dialect, Handoff
from agentbench.core.placeholders import Values
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.preview import PreviewPane
from bench.common import report_absolute

SIZE = (120, 40)
FRAME_S = 1 / 60


def make_agents(count: int) -> list[Agent]:
    return [
        Agent(
            name=f"agent-{index:05d}",
            path=f"agents/agent-{index:05d}.md",
            dialect=Dialect.FACTORY,
            model="claude-sonnet-4-5" if index % 3 else "[gpt-4o]",
            handoffs=(Handoff(f"agent-{(index + 1) % count:05d}", "Next", "Go on", False),),
        )
        for index in range(count)
    ]


def body_of(size: int) -> str:
    """Markdown shaped like the corpus's prompts: ~18 placeholders per 12 KB, headings, lists
    and a code fence in every section."""
    section = (
        "## Responsibilities\n\n"
        "- Keep request handlers thin and move business rules into services\n"
        "- Validate input at the boundary and return typed errors to the caller\n"
        "- Use {{ framework }} conventions for routing, dependency injection and settings\n"
        "- Prefer small, reviewable changes; never refactor working code on the side\n"
        "- Log at decision points with structured fields, not on every line\n\n"
        "```bash\n{{test_command}}\nruff check . && mypy app\n```\n\n"
        "Ask before adding a dependency or touching {{ missing }} settings.\n\n"
    )
    return "# Backend agent\n\n" + section * max(1, size // len(section))


class _ListApp(App[None]):
    def __init__(self, agents: list[Agent]) -> None:
        super().__init__()
        self.agents = agents

    def compose(self) -> ComposeResult:
        yield AgentList(id="list")

    def on_mount(self) -> None:
        self.query_one(AgentList).set_agents(self.agents, {}, "agents")


class _PreviewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PreviewPane(id="preview")


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples)


async def _measure_list(counts: list[int], runs: int) -> tuple[float, dict[int, float]]:
    """set_agents + rendering the visible rows, beside rendering them with nothing changed."""
    agents = {count: make_agents(count) for count in counts}
    results: dict[int, list[float]] = {count: [] for count in counts}
    floor: list[float] = []
    app = _ListApp([])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(AgentList)
        region = Region(0, 0, widget.size.width, widget.size.height)
        for _ in range(runs):
            for count in counts:
                start = time.perf_counter()
                widget.set_agents(agents[count], {}, "agents")
                widget.render_lines(region)
                results[count].append(time.perf_counter() - start)
            start = time.perf_counter()
            widget.refresh()
            widget.render_lines(region)
            floor.append(time.perf_counter() - start)
    return _median_ms(floor), {c: _median_ms(v) for c, v in results.items()}


async def _measure_preview(sizes: list[int], runs: int) -> tuple[float, dict[int, float]]:
    """show() + rendering the visible lines, beside rendering them with nothing changed."""
    values = Values({}, {"framework": "FastAPI", "test_command": "pytest -q"}, {}, {},
                    profile_name="bench")
    agents = {size: Agent(name=f"a{size}", path=f"a{size}.md", dialect=Dialect.FACTORY,
                          body=body_of(size)) for size in sizes}
    results: dict[int, list[float]] = {size: [] for size in sizes}
    floor: list[float] = []
    app = _PreviewApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(PreviewPane)
        area = pane.text_area
        for _ in range(runs):
            for size in sizes:
                pane.show(None, values)
                await pilot.pause()
                region = Region(0, 0, area.size.width, area.size.height)
                start = time.perf_counter()
                pane.show(agents[size], values)
                area.render_lines(region)
                results[size].append(time.perf_counter() - start)
            start = time.perf_counter()
            area.refresh()
            area.render_lines(region)
            floor.append(time.perf_counter() - start)
    return _median_ms(floor), {s: _median_ms(v) for s, v in results.items()}


def main() -> int:
    ok = True
    floor, lists = asyncio.run(_measure_list([1_000, 10_000], runs=9))
    print(f"{'floor: render the visible list rows':<44} {floor * 1000:9.2f} ms")
    for count, seconds in lists.items():
        print(f"{f'agent list: set {count:,} agents + render':<44} {seconds * 1000:9.2f} ms"
              f"   (issue's OptionList figure: {'32' if count == 1000 else '216'} ms)")
        ok &= seconds <= FRAME_S if count == 1_000 else seconds <= 3 * FRAME_S
    repaint, updates = asyncio.run(_measure_preview([10_000, 110_000], runs=9))
    print(f"{'floor: render the visible preview lines':<44} {repaint * 1000:9.2f} ms")
    for size, seconds in updates.items():
        label = f"preview update, {size // 1000} KB prompt"
        if size <= 10_000:
            ok &= report_absolute(label, seconds, FRAME_S)
        else:
            print(f"{label:<44} {seconds * 1000:9.2f} ms   (x{seconds / repaint:.0f} the floor)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
