"""Snapshots of flow mode: plain `def` tests (snap_compare runs its own loop), fixed size, no
blink, autoplay driven by calling the screen's advance action (never the wall clock)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from snapshot_app import DEMO, demo_app
from textual.pilot import Pilot
from textual.widgets import Input

from agentbench.core.flow.record import FlowFile
from agentbench.core.library.loader import LibraryLoader
from agentbench.ui.app import AgentbenchApp, make_app
from agentbench.ui.screens.flow import FlowScreen

SIZE = (120, 40)
RELATIVE = Path("agents")
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _from_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths are shown as given: open the demo as `agents` from the repository folder."""
    monkeypatch.chdir(DEMO.parent)


async def _ready(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _autoplay_app() -> AgentbenchApp:
    flow, _ = FlowFile.load(RELATIVE / "flows" / "feature.yaml")
    assert flow is not None
    # 60 s between steps: the timer never fires while the test runs; the test advances it.
    return make_app(LibraryLoader.for_path(str(RELATIVE)), watch=False,
                    flow=flow, autoplay=60)


def test_flow_mid_walk(snap_compare: SnapCompare) -> None:
    """Flow mode after orchestrator → Implement Backend → backend-agent (the feature
    description typed into the values dialog), then Design API chosen: backend-agent's card
    (model, path, collapsed prompt 'all filled', four handoff buttons 'edit, then send'),
    below it the edit box headed 'Design API → api-agent' holding the rendered prompt with
    Send / Cancel; on the right the transcript (0. start at orchestrator, 1. orchestrator →
    Implement Backend → backend-agent, 'sent as rendered', the exact prompt with the typed
    description); the status line 'Walk from orchestrator: 1 step · at backend-agent'."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "add a due date to invoices"
        await pilot.click("#dialog-ok")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)


def test_flow_autoplay(snap_compare: SnapCompare) -> None:
    """`agentbench demo agents/flows/feature.yaml --autoplay 60` after three timer ticks: the
    flow screen at backend-agent having gone round the cycle (orchestrator → backend-agent →
    test-agent → backend-agent); the transcript shows the three steps with their prompts and
    green canned replies, step 3 'sent at once' highlighted; the status line says 'Replaying
    Invoice due dates: step 3 of 6 · autoplay every 60s (space pauses)'."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, FlowScreen)
        for _ in range(3):
            screen.action_advance()  # what the autoplay timer calls
        await pilot.pause()

    assert snap_compare(_autoplay_app(), terminal_size=SIZE, run_before=run_before)
