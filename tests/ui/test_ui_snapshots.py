"""Snapshot tests: plain `def` tests (snap_compare runs its own loop), fixed size, no blink."""

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
    """Paths in the header and the problems are shown as given: make them the same on every
    machine by opening the demo as `agents` from the repository folder."""
    monkeypatch.chdir(DEMO.parent)


async def _ready(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_backend_agent(snap_compare: SnapCompare) -> None:
    """The demo team under profile fastapi, backend-agent selected: the list on the left
    with backend-agent highlighted, its card with four handoff buttons, the preview with
    every placeholder filled (green, underlined) and 'all filled' in the header line, and
    the variables panel showing each value with 'profile fastapi'."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        pilot.app.select_agent("backend-agent")  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)


def test_problems_panel_open(snap_compare: SnapCompare) -> None:
    """The problems panel open at the bottom: the demo's info notes (a handoff cycle and
    per-invocation placeholders), with severity, code, file:line and message columns."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)


def test_session_edit(snap_compare: SnapCompare) -> None:
    """backend-agent after typing 'Litestar' into the framework value: that row says
    'session' (accent), the preview's Framework line shows Litestar marked as filled, and
    the header's sub-title counts 1 session value; ctrl+s Save profile is now enabled."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        pilot.app.select_agent("backend-agent")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.click("#var-framework")
        await pilot.press("ctrl+a", "ctrl+k", *"Litestar")
        await pilot.pause()

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: SnapCompare) -> None:
    """The help screen over the main screen, listing every key with what it does."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)


def test_editor_beside_the_preview(snap_compare: SnapCompare) -> None:
    """ctrl+e on docs-agent, then an unknown key and an unfilled placeholder typed (not
    saved): the editor on the left (line numbers, YAML keys coloured in the frontmatter, the
    title 'docs-agent.md ●'); the preview on the right starts 'Ask {{reviewer}}.' with the
    placeholder marked unfilled and '1 unfilled' in its status line; under the editor the
    counts (0 errors, 2 warnings, 0 notes) and the two problems, one line each: line 4
    AB303 and line 16 AB601. At 120 columns the agent list, card and variables panel step
    aside; the footer shows ^s Save, esc Close, f8 Next problem."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from agentbench.ui.widgets.editor_pane import EditorPane

        await _ready(pilot)
        pilot.app.select_agent("docs-agent")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        pane = pilot.app.query_one(EditorPane)
        pane.text_area.insert("colour: red\n", (3, 0))
        pane.text_area.insert("Ask {{reviewer}}. ", (15, 0))
        pane.text_area.move_cursor((15, 4))
        pane.check_now()  # rather than wait for the pause in typing
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(demo_app(RELATIVE), terminal_size=SIZE, run_before=run_before)
