"""The Pilot harness the authoring and editor tests share: the app on a library folder with
watchers off, and the messages it posts kept so tests wait on them (the reload after a write
posts LibraryReloaded, a buffer check EditorPane.Checked, a toast Notify), never on sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Button, DataTable

from agentbench.core.library.loader import LibraryLoader
from agentbench.ui.app import AgentbenchApp, make_app
from agentbench.ui.messages import LibraryReloaded
from agentbench.ui.widgets.editor_pane import EditorPane
from agentbench.ui.widgets.problems import ProblemsPanel

SIZE = (120, 40)
TIMEOUT = 10.0


class Bench:
    def __init__(self, app: AgentbenchApp, pilot: Pilot[None],
                 reloads: asyncio.Queue[LibraryReloaded],
                 checks: asyncio.Queue[EditorPane.Checked], notes: list[Notify]) -> None:
        self.app, self.pilot, self.notes = app, pilot, notes
        self.reloads, self.checks = reloads, checks

    async def reloaded(self) -> LibraryReloaded:
        message = await asyncio.wait_for(self.reloads.get(), TIMEOUT)
        await self.pilot.pause()
        return message

    async def select(self, name: str) -> None:
        self.app.select_agent(name)
        await self.pilot.pause()

    def said(self, text: str) -> bool:
        return any(text in n.notification.message or text in n.notification.title
                   for n in self.notes)

    async def problems_at(self, code: str, file: str) -> None:
        """Show the problems panel with the cursor on the first `code` problem in `file`."""
        panel = self.app.query_one(ProblemsPanel)
        if not panel.display:
            await self.pilot.press("f2")
            await self.pilot.pause()
        row = next(i for i, d in enumerate(panel.shown)
                   if d.code == code and d.path.endswith(file))
        panel.query_one(DataTable).move_cursor(row=row)
        await self.pilot.pause()

    async def press(self, button: str) -> None:
        """Press a dialog's button the way a keyboard user does (it scrolls into view)."""
        self.app.screen.query_one(button, Button).focus()
        await self.pilot.pause()
        await self.pilot.press("enter")
        await self.pilot.pause()


B = TypeVar("B", bound=Bench)


@asynccontextmanager
async def running(folder: Path, kind: type[B]) -> AsyncIterator[B]:
    """The workbench on `folder`, loaded, as a `kind` of Bench."""
    reloads: asyncio.Queue[LibraryReloaded] = asyncio.Queue()
    checks: asyncio.Queue[EditorPane.Checked] = asyncio.Queue()
    notes: list[Notify] = []

    def hook(message: Message) -> None:
        if isinstance(message, LibraryReloaded):
            reloads.put_nowait(message)
        elif isinstance(message, EditorPane.Checked):
            checks.put_nowait(message)
        elif isinstance(message, Notify):
            notes.append(message)

    app = make_app(LibraryLoader.for_path(str(folder)), watch=False)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.library is not None
        yield kind(app, pilot, reloads, checks, notes)
