"""Agent text is untrusted: markup, ANSI, control characters, huge lines, emoji and CJK are
shown literally and never crash, style or act on the app (DESIGN.md §5)."""

from __future__ import annotations

from pathlib import Path

import probe
import pytest

from agentbench.core.library.loader import LibraryLoader
from agentbench.core.model import Agent, Dialect
from agentbench.ui.app import make_app
from agentbench.ui.widgets.agent_card import HandoffButton
from agentbench.ui.widgets.agent_list import AgentList, Badge
from agentbench.ui.widgets.marked_text import MarkedTextArea

pytestmark = pytest.mark.asyncio

HOSTILE = """---
name: "[@click=app.quit]evil[/]"
model: "[gpt-4o]"
description: "[link=https://x.invalid]click[/link] [bold red]loud[/] \\e[31mred\\x07 🙂 日本語"
handoffs:
  - target: "[b]ghost[/b]"
    label: "[@click=app.quit]Quit[/]"
    prompt: "unbalanced [/] and {{who}}"
    send: false
---

Body [@click=app.quit]press[/] [link=x]x[/link] \x1b[31mansi\x1b[0m bell\x07 🙂 日本語 {{who}}
LONG{long}
"""


def _screen_text(app: object) -> str:
    from textual.app import App

    assert isinstance(app, App)
    return probe.screen_text(app)


async def test_hostile_agent_is_shown_literally(tmp_path: Path) -> None:
    (tmp_path / "evil.md").write_text(HOSTILE.replace("{long}", "x" * 100_000), "utf-8")
    app = make_app(LibraryLoader.for_path(str(tmp_path)), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.selected == "[@click=app.quit]evil[/]"
        shown = _screen_text(app)
        assert "[@click=app.quit]evil[/]" in shown  # the list row and the card title
        assert "[gpt-4o]" in shown
        assert "[link=https://x.invalid]click[/link] [bold" in shown
        assert "red]loud[/] \\x1b[31mred\\x07 🙂 日本語" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        button = app.query_one(HandoffButton)
        assert button.dangling
        assert "[@click=app.quit]Quit[/] → [b]ghost[/b]" in str(button.label)
        preview = app.query_one("#preview-text", MarkedTextArea).text
        assert "[@click=app.quit]press[/] [link=x]x[/link] \\x1b[31mansi\\x1b[0m" in preview
        assert "bell\\x07" in preview and "\x1b" not in preview
        # Clicking everything that might carry an action must not quit the app.
        await pilot.click(AgentList, offset=(4, 1))
        await pilot.click(button)
        await pilot.click("#card-title")
        await pilot.press("f4", "f4", "f4", "f2")
        await pilot.pause()
        assert app.is_running
        assert "\x1b" not in app.query_one("#source", MarkedTextArea).text


def _agents(count: int) -> list[Agent]:
    return [Agent(f"agent-{i:05d}", f"lib/a{i:05d}.md", Dialect.FACTORY, model="m")
            for i in range(count)]


async def test_ten_thousand_rows_list_move_and_filter() -> None:
    """10,000 rows: keys reach the end and back, the filter narrows to one. How fast is the
    bench's business (bench/bench_workbench.py times 1,000 and 10,000 rows against a floor);
    a wall-clock bound here failed on a loaded machine and passed alone."""
    from textual.app import App, ComposeResult

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield AgentList()

    app = ListApp()
    async with app.run_test(size=(60, 40)) as pilot:
        agents = app.query_one(AgentList)
        agents.set_agents(_agents(10_000), {"lib/a00003.md": Badge(errors=2)})
        await pilot.pause()
        agents.focus()
        await pilot.press("end", "pageup", "up")
        await pilot.pause()
        assert agents.highlighted is not None
        assert 9_900 < int(agents.highlighted.removeprefix("agent-")) < 9_999
        agents.set_filter("a9999")
        await pilot.pause()
        assert agents.visible_names == ["agent-09999"]


# Trojan Source: an override that reverses what follows, isolates, a zero-width space.
INVISIBLE = "---\nname: tro\ndescription: \"d\u202eesc\"\n---\naccess \u202e\u2066// admin\u2069" \
    "\u2066 here\nzero\u200bwidth and 👨\u200d💻 kept\n"
_RAW_INVISIBLE = ("\u202e", "\u2066", "\u2069", "\u200b")


async def test_bidi_and_zero_width_characters_are_shown_visibly(tmp_path: Path) -> None:
    (tmp_path / "tro.md").write_text(INVISIBLE, "utf-8")
    app = make_app(LibraryLoader.for_path(str(tmp_path)), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = app.query_one("#preview-text", MarkedTextArea).text
        assert "access \\u202e\\u2066// admin\\u2069\\u2066 here" in preview
        assert "zero\\u200bwidth and 👨\u200d💻 kept" in preview  # an emoji's joiner is text
        shown = _screen_text(app)
        assert "d\\u202eesc" in shown  # the list row and the card
        await pilot.press("f4")
        await pilot.pause()
        assert "\\u202e" in app.query_one("#source", MarkedTextArea).text
        await pilot.press("ctrl+e")
        await pilot.pause()
        from agentbench.ui.widgets.code_editor import EditorTextArea

        area = app.query_one(EditorTextArea)
        assert area.text == INVISIBLE  # the document is the file's, byte for byte
        drawn = [area.get_line(row).plain for row in range(area.document.line_count)]
        assert "access ␦␦// admin␦␦ here" in drawn
        assert "zero␦width and 👨\u200d💻 kept" in drawn
        await pilot.pause()
        for char in _RAW_INVISIBLE:
            assert char not in _screen_text(app), repr(char)
