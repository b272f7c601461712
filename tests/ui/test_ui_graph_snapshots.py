"""Snapshot tests of the Graph tab: plain `def` tests (snap_compare runs its own loop)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from snapshot_app import DEMO, demo_app
from textual.pilot import Pilot

SIZE = (120, 40)
RELATIVE = Path("agents")
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _from_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Open the demo as `agents` from the repository folder, so the header is the same on
    every machine."""
    monkeypatch.chdir(DEMO.parent)


async def _graph(pilot: Pilot[Any], *keys: str) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.select_agent("backend-agent")  # type: ignore[attr-defined]
    app.show_view("tab-graph")  # type: ignore[attr-defined]
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.query_one("#graph-canvas").focus()
    await pilot.press(*keys)
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_graph_backend_agent(snap_compare: SnapCompare) -> None:
    """The Graph tab on the demo team, backend-agent selected: the card and variables panel
    make room, the whole graph fits the width (no horizontal scrollbar). backend-agent's box
    is drawn selected (accent, reversed); its neighbours' boxes, its incoming and outgoing
    handoffs and their labels are accent and bold; the rest is dim. Back edges are dotted
    (┈/┅), send:true handoffs heavy (━/┅). The status line says '7 agents, 18 handoffs' with
    the legend; the footer shows Enter Open agent, f Focus, t Tree."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _graph(pilot)

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)


def test_graph_focus_mode(snap_compare: SnapCompare) -> None:
    """Focus mode (f) on backend-agent: only backend-agent and its direct neighbours
    (orchestrator above; api-agent, database-agent, security-agent, test-agent below), no
    docs-agent. The status line says 'focus on backend-agent, 1 step'."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _graph(pilot, "f")

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)


def test_graph_tree_mode(snap_compare: SnapCompare) -> None:
    """Tree mode (t) from backend-agent: 'Design API → api-agent' expanded down through
    docs-agent and the orchestrator; every handoff back to an agent on the path ends in ↺
    (e.g. 'Implement Backend → backend-agent ↺', 'Use New Schema → backend-agent ↺ (send)')
    in the warning colour, repeats say '(shown above)'. The cursor is on the root."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _graph(pilot, "t")

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)
