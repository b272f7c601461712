"""Toasts, titles and sub-titles are screens too: file text and error strings reach them only
made visible (ui/screen_text.py, DESIGN.md §5). Built from a flow label with an OSC 52
clipboard write and a folder name that sets the window title and clears the screen."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import probe
import pytest
from snapshot_app import DEMO

from agentbench.core.flow.record import FlowFile
from agentbench.core.library.loader import LibraryLoader
from agentbench.ui.app import AgentbenchApp, make_app
from agentbench.ui.screens.flow import FlowScreen

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
# OSC 52 (set the clipboard to `rm -rf ~`), OSC 0 (window title), clear screen, RLO, ZWSP.
HOSTILE = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[2J\u202e\u200b\x9b"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]")


def _raw_in(text: str | None) -> list[str]:
    return RAW.findall(text or "")


def _shown(app: AgentbenchApp) -> list[str]:
    """Every toast's title and message, the app's title and sub-title, the screen's."""
    texts = [app.title, app.sub_title, app.screen.title or "", app.screen.sub_title or ""]
    for note in probe.notifications(app):
        texts += [note.title, note.message]
        assert not note.markup
    return texts


async def test_a_flow_label_and_a_folder_name_reach_no_toast_or_title_raw(
        tmp_path: Path) -> None:
    team = Path(shutil.copytree(DEMO, tmp_path / f"team{HOSTILE}"))
    flow_path = team / "flows" / "feature.yaml"
    text = flow_path.read_text("utf-8").replace(
        "- handoff: Fix Failures",
        '- handoff: "Fix \\e]52;c;cm0gLXJmIH4=\\a\\e[2J\\u202eFailures"')
    flow_path.write_text(text, "utf-8")
    flow, _ = FlowFile.load(flow_path)
    assert flow is not None and "\x1b]52" in flow.steps[2].handoff
    app = make_app(LibraryLoader.for_path(str(team)), watch=False, flow=flow)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, FlowScreen) and app.screen.problem is not None
        await pilot.press("right")  # the recorded step again: the toast says why it stops
        await pilot.pause()
        notes = probe.notifications(app)
        assert any("Replay stopped" in n.title for n in notes), notes
        assert any("\\x1b]52;c;" in n.message and "\\u202e" in n.message for n in notes)
        app.screen.dismiss()
        await pilot.pause()
        assert "\\x1b]0;pwned\\x07\\x1b[2J\\u202e\\u200b\\x9b" in app.sub_title
        for shown in _shown(app):
            assert not _raw_in(shown), repr(shown)


async def test_every_sink_makes_text_visible(tmp_path: Path) -> None:
    """Whoever calls: the app's notify, a widget's or a screen's, and any title assignment."""
    (tmp_path / "a.md").write_text("---\nname: a\ndescription: d\n---\nA\n", "utf-8")
    app = make_app(LibraryLoader.for_path(str(tmp_path)), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.notify(f"[b]x{HOSTILE}\nsecond line", title=f"t{HOSTILE}", markup=True)
        app.screen.notify(HOSTILE, title=HOSTILE)
        app.query_one("#views").notify(HOSTILE)
        app.title = f"agentbench{HOSTILE}"
        app.sub_title = HOSTILE
        app.action_flow()
        await pilot.pause()
        app.screen.title = HOSTILE
        app.screen.sub_title = HOSTILE
        await pilot.pause()
        notes = probe.notifications(app)
        assert len(notes) >= 3
        assert notes[0].message.startswith("[b]x\\x1b]52;c;")  # markup stays text
        assert notes[0].message.endswith("\nsecond line")  # a toast keeps its lines
        for shown in _shown(app):
            assert not _raw_in(shown), repr(shown)
        assert app.screen.sub_title == "\\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b]0;pwned\\x07" \
            "\\x1b[2J\\u202e\\u200b\\x9b"
        assert "\x1b" not in probe.screen_text(app)
