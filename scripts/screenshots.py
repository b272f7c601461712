"""Screenshots of the main views on the demo team: `python scripts/screenshots.py`.

Uses the real app (make_app) through `run_test`, writes SVGs into screenshots/ and PNGs too
when `rsvg-convert` is installed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from agentbench.core.library.loader import LibraryLoader
from agentbench.ui.app import AgentbenchApp, make_app

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "screenshots"
Step = Callable[[AgentbenchApp, Pilot[Any]], Awaitable[None]]


async def _main_view(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    app.select_agent("backend-agent")


async def _problems(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    await pilot.press("f2")


async def _source(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    app.select_agent("backend-agent")
    app.show_view("tab-source")


async def _graph(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    """The Graph tab with backend-agent selected: its handoffs highlighted, the rest dim."""
    app.select_agent("backend-agent")
    app.show_view("tab-graph")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.query_one("#graph-canvas").focus()


async def _session(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    app.select_agent("backend-agent")
    await pilot.pause()
    await pilot.click("#var-framework")
    await pilot.press("ctrl+a", "ctrl+k", *"Litestar")


async def _palette(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+p", *"jump")
    await pilot.pause()
    await app.screen.workers.wait_for_complete()


async def _help(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    await pilot.press("f1")


async def _flow(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    from agentbench.core.flow.record import FlowFile

    flow, _ = FlowFile.load("agents/flows/feature.yaml")
    if flow is not None:
        app.open_flow(flow=flow)
        await pilot.pause()
        for _ in range(3):
            await pilot.press("left")  # back to the backend <-> test cycle


async def _editor(app: AgentbenchApp, pilot: Pilot[Any]) -> None:
    """Editing docs-agent in place: a typo'd key and a new placeholder, checked as typed."""
    from agentbench.ui.widgets.code_editor import EditorTextArea

    app.select_agent("docs-agent")
    await pilot.pause()
    await pilot.press("ctrl+e")
    await pilot.pause()
    area = app.query_one(EditorTextArea)
    area.move_cursor((3, 0))
    area.insert("colour: red\n")
    area.move_cursor((15, 0))
    area.insert("Ask {{reviewer}}. ")
    await pilot.pause(0.3)  # the check runs once typing pauses (150 ms)


SHOTS: dict[str, Step] = {
    "main": _main_view,
    "problems": _problems,
    "source": _source,
    "graph": _graph,
    "session-edit": _session,
    "palette": _palette,
    "help": _help,
    "flow": _flow,
    "editor": _editor,
}


async def shoot(name: str, step: Step) -> Path:
    app = make_app(LibraryLoader.for_path("agents"), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await step(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))
    return path


def main() -> int:
    # Drawn as the snapshot tests draw it: no cursor blink, no cursor in the previews.
    sys.path.insert(0, str(REPO / "tests" / "ui"))
    from probe import quiet

    quiet(setattr)
    OUT.mkdir(exist_ok=True)
    os.chdir(REPO)  # the header shows paths as given: keep them short and the same
    converter = shutil.which("rsvg-convert")
    for name, step in SHOTS.items():
        svg = asyncio.run(shoot(name, step))
        print(svg.relative_to(REPO))
        if converter:
            png = svg.with_suffix(".png")
            subprocess.run([converter, "-o", str(png), str(svg)], check=True)
            print(png.relative_to(REPO))
    if not converter:
        print("rsvg-convert not found: SVGs only", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
