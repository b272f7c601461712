"""`agentbench PATH --project DIR` in the workbench: detected values with their evidence, the
agents that apply, and exporting from the palette (watchers off, no sleeps)."""

from __future__ import annotations

import shutil
from pathlib import Path

import probe
import pytest
from snapshot_app import DEMO
from textual.command import CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Static

from agentbench.core.library.loader import LibraryLoader
from agentbench.core.placeholders import Source
from agentbench.ui.app import AgentbenchApp, make_app
from agentbench.ui.features.export import open_export
from agentbench.ui.screens.export_dialog import ExportDialog
from agentbench.ui.screens.help import HelpScreen
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.marked_text import MarkedTextArea
from agentbench.ui.widgets.variables import VariableRow

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
ALL = ["api-agent", "backend-agent", "database-agent", "docs-agent", "orchestrator",
       "security-agent", "test-agent"]
PYPROJECT = """\
[project]
name = "shop"
requires-python = ">=3.12"
dependencies = [
    "fastapi>=0.110",
    "sqlalchemy>=2.0",
]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small FastAPI project: SQLAlchemy is on line 6 of pyproject.toml."""
    root = tmp_path / "shop"
    (root / "app").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "app" / "main.py").write_text("from fastapi import FastAPI\n", encoding="utf-8")
    (root / "tests" / "test_main.py").write_text("def test_ok(): pass\n", encoding="utf-8")
    return root


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """The demo team with `orm` removed from the fastapi profile: the detected value shows."""
    agents = Path(shutil.copytree(DEMO, tmp_path / "agents"))
    workspace = agents / "agentbench.yaml"
    text = workspace.read_text(encoding="utf-8")
    removed = '    orm: "SQLAlchemy 2.0 with Alembic"\n'
    assert removed in text
    workspace.write_text(text.replace(removed, ""), encoding="utf-8")
    return agents


def _app(team: Path, project: Path | None) -> AgentbenchApp:
    return make_app(LibraryLoader.for_path(str(team)), watch=False,
                    project=None if project is None else str(project))


async def _settled(app: AgentbenchApp, pilot: Pilot[None]) -> None:
    """Workers done and the messages they posted handled."""
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _screen_text(app: AgentbenchApp) -> str:
    return probe.screen_text(app)


def _row(app: AgentbenchApp, name: str) -> VariableRow:
    return next(r for r in app.query(VariableRow) if r.placeholder == name)


def _static_text(widget: Static) -> str:
    content = widget.content
    assert isinstance(content, Content)  # never markup
    return content.plain


async def test_detected_value_shows_with_its_evidence(team: Path, project: Path) -> None:
    app = _app(team, project)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        app.select_agent("backend-agent")
        await pilot.pause()
        value = app.values.resolve("orm")
        assert (value.value, value.source, value.origin) == (
            "SQLAlchemy", Source.DETECTED, "pyproject.toml:6")
        # Higher layers still win: the profile's framework, not the detected one.
        assert app.values.resolve("framework").source is Source.PROFILE
        heading = _row(app, "orm").query_one(".variable-name", Static)
        assert _static_text(heading) == "orm  detected pyproject.toml:6"
        preview = app.query_one("#preview-text", MarkedTextArea).text
        assert "**ORM:** SQLAlchemy on PostgreSQL 16" in preview


async def test_list_marks_the_agents_that_apply(team: Path, project: Path) -> None:
    app = _app(team, project)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        app.select_agent("backend-agent")
        await pilot.pause()
        text = _screen_text(app)
        assert "✓ backend-agent" in text
        assert "○ orchestrator" in text
        assert "· docs-agent" in text
        match = _static_text(app.query_one("#card-match", Static))
        assert match.startswith("Applies to the project")
        assert "FastAPI (pyproject.toml:5)" in match
        app.select_agent("docs-agent")
        await pilot.pause()
        assert _static_text(app.query_one("#card-match", Static)) == (
            "Not triggered by this project")


async def test_palette_filters_to_agents_that_apply(team: Path, project: Path) -> None:
    app = _app(team, project)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        agents = app.query_one(AgentList)
        assert agents.visible_names == ALL
        for _ in range(2):
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*"only agents that apply")
            await app.screen.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            if app.project.only_applying:
                assert agents.visible_names == ["backend-agent", "database-agent",
                                                "orchestrator", "test-agent"]
        assert not app.project.only_applying
        assert agents.visible_names == ALL


async def test_detect_again_reads_the_project_anew(team: Path, project: Path) -> None:
    app = _app(team, project)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        (project / "pyproject.toml").write_text(PYPROJECT.replace("sqlalchemy", "peewee"),
                                                encoding="utf-8")
        app.project.start()
        await _settled(app, pilot)
        await pilot.pause()
        assert app.values.resolve("orm").value != "SQLAlchemy"


async def test_without_a_project_nothing_changes(team: Path) -> None:
    app = _app(team, None)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        await pilot.pause()
        assert app.values.resolve("orm").source is Source.UNSET
        assert not app.query_one("#card-match", Static).display
        lines = _screen_text(app).splitlines()
        assert any(line.startswith(" backend-agent claude") for line in lines)  # no mark column
        app.action_help()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "list mark" not in _static_text(app.screen.query_one("#help-text", Static))


async def test_help_lists_the_marks_with_a_project(team: Path, project: Path) -> None:
    app = _app(team, project)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        app.action_help()
        await pilot.pause()
        assert "list mark ✓" in _static_text(app.screen.query_one("#help-text", Static))


async def _export(app: AgentbenchApp, pilot: Pilot[None]) -> ExportDialog:
    open_export(app.state, app.push_screen, app.notify, "vscode")
    await _settled(app, pilot)
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


async def test_export_writes_and_refuses_changed_files(team: Path, project: Path,
                                                       tmp_path: Path) -> None:
    app = _app(team, project)
    out = tmp_path / "export-vscode"
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        dialog = await _export(app, pilot)
        await pilot.pause()
        assert dialog.out == str(out)  # beside the library folder by default
        summary = _static_text(dialog.query_one("#export-summary", Static))
        assert "7 to create" in summary and "0 differ" in summary
        report = _static_text(dialog.query_one("#export-report", Static))
        assert "would create" in report and "Loss report" in report
        dialog.query_one("#export-ok", Button).press()
        await _settled(app, pilot)
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        written = sorted(p.name for p in (out / ".github" / "agents").iterdir())
        assert len(written) == 7 and "backend-agent.agent.md" in written
        backend = out / ".github" / "agents" / "backend-agent.agent.md"
        assert "SQLAlchemy on PostgreSQL 16" in backend.read_text(encoding="utf-8")
        assert any("Exported 7 files" in n.message for n in probe.notifications(app))

        # A file changed by hand is not replaced without "overwrite changed files".
        backend.write_text("mine\n", encoding="utf-8")
        dialog = await _export(app, pilot)
        await pilot.pause()
        assert "1 differ" in _static_text(dialog.query_one("#export-summary", Static))
        dialog.query_one("#export-ok", Button).press()
        await _settled(app, pilot)
        await pilot.pause()
        assert app.screen is dialog
        assert backend.read_text(encoding="utf-8") == "mine\n"
        assert "overwrite changed files" in _static_text(
            dialog.query_one("#export-error", Static))

        dialog.query_one("#export-force", Checkbox).value = True
        dialog.query_one("#export-ok", Button).press()
        await _settled(app, pilot)
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert "SQLAlchemy" in backend.read_text(encoding="utf-8")


async def test_a_reload_matches_only_the_agents_that_changed(team: Path, project: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    from agentbench.core.project import triggers as detect_triggers
    from agentbench.ui.watcher import Changes

    matched: list[list[str]] = []
    real = detect_triggers.match_agents

    def counting(agents, detection):  # type: ignore[no-untyped-def]
        agents = list(agents)
        matched.append([a.name for a in agents])
        return real(agents, detection)

    monkeypatch.setattr(detect_triggers, "match_agents", counting)
    app = _app(team, project)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        assert sorted(matched[-1]) == ALL
        docs = team / "docs-agent.md"
        text = docs.read_text(encoding="utf-8")
        docs.write_text(text.replace("triggers:\n", "triggers:\n  - FastAPI detected\n", 1),
                        encoding="utf-8")
        app.reloader.files_changed(Changes(modified=frozenset({str(docs)})))
        await _settled(app, pilot)
        assert matched[-1] == ["docs-agent"]
        app.select_agent("docs-agent")
        await pilot.pause()
        assert "✓ docs-agent" in _screen_text(app)
