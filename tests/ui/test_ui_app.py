"""Pilot tests of the workbench on the demo team (watchers off, no sleeps)."""

from __future__ import annotations

import shutil
from pathlib import Path

import probe
import pytest
from snapshot_app import DEMO, demo_app
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from agentbench.core.placeholders import Source
from agentbench.ui.app import AgentbenchApp
from agentbench.ui.screens.save_profile import SaveProfileScreen
from agentbench.ui.widgets.agent_card import HandoffButton
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.marked_text import MarkedTextArea
from agentbench.ui.widgets.preview import PreviewPane
from agentbench.ui.widgets.problems import ProblemsPanel
from agentbench.ui.widgets.variables import VariableRow

# pytest-asyncio runs in strict mode (pyproject is not ours to change): mark the module.
pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
DEMO_NAMES = ["api-agent", "backend-agent", "database-agent", "docs-agent", "orchestrator",
              "security-agent", "test-agent"]


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A writable copy of the demo team."""
    return Path(shutil.copytree(DEMO, tmp_path / "agents"))


async def _loaded(app: AgentbenchApp) -> None:
    await app.workers.wait_for_complete()
    await app.workers.wait_for_complete()


def _screen_text(app: AgentbenchApp) -> str:
    return probe.screen_text(app)


def _preview_text(app: AgentbenchApp) -> str:
    return app.query_one("#preview-text", MarkedTextArea).text


async def test_list_shows_all_demo_agents() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        await pilot.pause()
        agents = app.query_one(AgentList)
        assert agents.visible_names == DEMO_NAMES
        assert app.selected == "orchestrator"  # the workspace's entry agent
        assert "7 agents" in app.sub_title and "profile fastapi" in app.sub_title


async def test_typing_filters_and_selects_best_match() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        await pilot.press("d", "b")
        await pilot.pause()
        assert app.query_one("#filter", Input).value == "db"
        agents = app.query_one(AgentList)
        assert agents.visible_names == ["database-agent"]
        assert app.selected == "database-agent"
        await pilot.press("enter", "up")
        assert app.focused is agents
        await pilot.press("escape")


async def test_selecting_updates_preview_and_card() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        app.query_one(AgentList).focus()
        await pilot.press("home")
        await pilot.pause()
        assert app.selected == "api-agent"
        assert "API designer" in _preview_text(app) or "api" in _preview_text(app).lower()
        await pilot.click(AgentList, offset=(3, 1))
        await pilot.pause()
        assert app.selected == "backend-agent"
        assert "You are the backend developer for **Ledgerly**" in _preview_text(app)


async def test_backend_fastapi_is_filled_and_session_edit_shows() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        app.select_agent("backend-agent")
        await pilot.pause()
        preview = app.query_one(PreviewPane)
        assert preview.last is not None and preview.last.unfilled == ()
        assert "{{" not in _preview_text(app)
        assert "FastAPI" in _preview_text(app)
        box = app.query_one("#var-framework", Input)
        box.focus()
        box.value = ""
        await pilot.press(*"Litestar")
        await pilot.pause()
        assert app.session == {"framework": "Litestar"}
        assert "**Framework:** Litestar" in _preview_text(app)
        assert "**Framework:** Litestar" in _screen_text(app)  # repainted, not just stored
        row = next(r for r in app.query(VariableRow) if r.placeholder == "framework")
        assert app.values.resolve(row.placeholder).source is Source.SESSION
        assert "1 session values" in app.sub_title


async def test_switching_profile_changes_values() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        app.select_agent("backend-agent")
        app.query_one("#profile-select", Select).value = "nest"
        await pilot.pause()
        await _loaded(app)
        await pilot.pause()
        assert app.profile == "nest"
        assert "**Framework:** NestJS 10" in _preview_text(app)
        assert app.query_one("#var-framework", Input).value == "NestJS 10"
        assert "profile nest" in app.sub_title


async def test_handoff_button_jumps_to_target() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        app.select_agent("backend-agent")
        await pilot.pause()
        buttons = list(app.query(HandoffButton))
        assert [b.handoff.target for b in buttons] == ["api-agent", "database-agent",
                                                       "test-agent", "security-agent"]
        await pilot.click(buttons[1])
        await pilot.pause()
        assert app.selected == "database-agent"
        assert app.query_one(AgentList).highlighted == "database-agent"


async def test_problems_panel_jumps_to_agent_and_line() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        await pilot.press("f2")
        panel = app.query_one(ProblemsPanel)
        assert panel.display
        shown = panel.shown
        target = next(i for i, d in enumerate(shown) if d.path.endswith("security-agent.md"))
        table = app.query_one("#problems-table", DataTable)
        table.focus()
        table.move_cursor(row=target)
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == "security-agent"
        assert app.query_one("#views", TabbedContent).active == "tab-source"
        source = app.query_one("#source", MarkedTextArea)
        assert source.cursor_location[0] == shown[target].line - 1
        assert "name: security-agent" in source.text
        # Only the selected agent's problems.
        await pilot.click("#problems-agent-only")
        await pilot.pause()
        assert {d.agent for d in panel.shown} <= {"security-agent"}
        await pilot.press("f2")
        assert not panel.display


async def test_command_palette_jumps_to_agent() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"jump docs")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == "docs-agent"


async def test_help_screen_opens_and_closes() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        assert type(app.screen).__name__ == "Screen"


async def _edit_and_save(app: AgentbenchApp, pilot: object, name: str) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    app.select_agent("backend-agent")
    await pilot.pause()
    box = app.query_one("#var-test_command", Input)
    box.focus()
    box.value = "pytest -x"
    await pilot.pause()
    assert app.session == {"test_command": "pytest -x"}
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, SaveProfileScreen)
    app.screen.query_one("#save-name", Input).value = name
    await pilot.press("enter")
    await pilot.pause()


async def test_save_profile_round_trip_keeps_comments(team: Path) -> None:
    app = demo_app(team)
    workspace = team / "agentbench.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        await _edit_and_save(app, pilot, "strict")
        await _loaded(app)
        await pilot.pause()
        text = workspace.read_text("utf-8")
        assert "# Python service: FastAPI + SQLAlchemy + Alembic on PostgreSQL" in text
        assert "strict:" in text and "test_command: pytest -x" in text
        assert app.profile == "strict" and app.session == {}
        assert app.library is not None and app.library.workspace is not None
        strict = app.library.workspace.profiles["strict"]
        assert strict["test_command"] == "pytest -x"
        assert strict["framework"] == "FastAPI"  # the rest of the profile came along
        assert "`pytest -x`" in _preview_text(app)


async def test_save_refuses_when_file_changed_underneath(team: Path) -> None:
    app = demo_app(team)
    workspace = team / "agentbench.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(app)
        changed = workspace.read_text("utf-8") + "# edited in another editor\n"
        workspace.write_text(changed, "utf-8")
        await _edit_and_save(app, pilot, "strict")
        assert workspace.read_text("utf-8") == changed
        assert app.session == {"test_command": "pytest -x"}  # nothing lost
        assert any("changed on disk" in str(n.message) for n in probe.notifications(app))


async def test_two_files_defining_one_agent_each_show_their_own_problem_count(
        tmp_path: Path) -> None:
    good = "---\nname: twin\ndescription: fine\n---\nBody\n"
    bad = "---\nname: twin\ndescription: broken\nhandoffs:\n  - label: x\n---\nBody\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "twin.md").write_text(good, encoding="utf-8")
    (tmp_path / "b" / "twin.md").write_text(bad, encoding="utf-8")
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        listed = app.query_one(AgentList)
        lines = ["".join(s.text for s in listed.render_line(y)) for y in range(8)]
        rows = [line for line in lines if "twin" in line]
        assert len(rows) == 2, lines
        # b/twin.md: an error (a handoff without a target) and the duplicate's warning;
        # a/twin.md: nothing of its own.
        assert "✖" not in rows[0] and "✖" in rows[1], rows


async def test_problems_panel_lists_the_first_rows_and_says_how_many_more() -> None:
    from textual.app import App, ComposeResult

    from agentbench.core.model import Diagnostic, Severity
    from agentbench.ui.widgets.problems import MAX_ROWS

    class PanelApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ProblemsPanel()

    diagnostics = [Diagnostic(f"lib/a{i:05d}.md", 3, 1, Severity.WARNING, "AB601",
                              "placeholder '{{x}}' has no value", f"a{i:05d}")
                   for i in range(MAX_ROWS + 42)]
    diagnostics.append(Diagnostic("lib/z.md", 1, 1, Severity.ERROR, "AB201", "bad", "z"))
    app = PanelApp()
    async with app.run_test(size=(120, 30)) as pilot:
        panel = app.query_one(ProblemsPanel)
        panel.show(diagnostics, None, "lib")
        await pilot.pause()
        table = panel.query_one(DataTable)
        assert table.row_count == MAX_ROWS + 1
        assert "43 more not listed" in str(table.get_row_at(MAX_ROWS)[3])
        assert "✖1" in str(panel.query_one("#problems-title", Static).content)  # all counted
        table.move_cursor(row=MAX_ROWS)
        assert panel.highlighted is None  # the note row is not a problem
        panel.query_one("#problems-severity", Select).value = "error"
        await pilot.pause()
        assert table.row_count == 1 and panel.shown[0].code == "AB201"
