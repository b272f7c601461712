"""Changing agent files from the workbench (issue 7): open in $EDITOR, quick fixes, undo, the
handoffs editor, rename, new agent.

Each test works on a copy of the demo team and waits on the app's own messages (the reload
after a write posts LibraryReloaded; notifications are Notify messages), never on sleeps.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from snapshot_app import DEMO
from textual.content import Content
from textual.widgets import (
    Input,
    OptionList,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from workbench_harness import Bench, running

from agentbench.ui.screens.authoring import (
    AskNameScreen,
    ConfirmChangeScreen,
    HandoffFormScreen,
    HandoffsScreen,
)
from agentbench.ui.screens.new_agent import NewAgentScreen
from agentbench.ui.widgets.agent_card import HandoffButton
from agentbench.ui.widgets.problems import ProblemsPanel

pytestmark = pytest.mark.asyncio
UNTRUSTED = "[@click=app.quit]boom[/] [link=http://x]y[/link] [bold red]z"

EDITOR_SCRIPT = """\
import sys
args = sys.argv[1:]
with open(sys.argv[0] + ".args", "w", encoding="utf-8") as out:
    out.write(" ".join(args))
with open(args[-1], "a", encoding="utf-8") as target:
    target.write("\\nEDITED BY THE TEST EDITOR\\n")
"""


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "agents"))


@asynccontextmanager
async def bench(folder: Path) -> AsyncIterator[Bench]:
    async with running(folder, Bench) as b:
        yield b


def _misspell(team: Path) -> tuple[Path, bytes]:
    """database-agent.md with `modle:` (AB303, fixable) under a comment full of markup."""
    path = team / "database-agent.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("model: claude-sonnet-4-5", f"# {UNTRUSTED}\nmodle: claude-sonnet-4-5")
    path.write_text(text, encoding="utf-8")
    return path, path.read_bytes()


# -- 1. open in your editor -------------------------------------------------------------------


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "fake editor.py"
    script.write_text(EDITOR_SCRIPT, encoding="utf-8")
    monkeypatch.delenv("EDITOR", raising=False)
    # shlex.split: a quoted path with a space stays one argument.
    monkeypatch.setenv("VISUAL", f"{sys.executable} '{script}'")
    return script


async def test_ctrl_o_opens_the_editor_at_the_problem_line_and_reloads(
        team: Path, editor: Path) -> None:
    """Headless, App.suspend raises SuspendNotSupported: the editor runs without it."""
    async with bench(team) as b:
        await b.select("orchestrator")
        await b.problems_at("AB604", "orchestrator.md")
        line = b.app.query_one(ProblemsPanel).highlighted
        assert line is not None and line.line > 1
        await b.pilot.press("ctrl+o")
        message = await b.reloaded()
        path = team / "orchestrator.md"
        assert path.read_text(encoding="utf-8").endswith("EDITED BY THE TEST EDITOR\n")
        args = Path(str(editor) + ".args").read_text(encoding="utf-8")
        assert args == f"+{line.line} {path}"
        assert "orchestrator.md reloaded" in message.summary
        assert b.app.selected == "orchestrator"


async def test_ctrl_o_without_a_problem_opens_at_line_1(team: Path, editor: Path) -> None:
    async with bench(team) as b:
        await b.select("docs-agent")
        await b.pilot.press("ctrl+o")
        await b.reloaded()
        args = Path(str(editor) + ".args").read_text(encoding="utf-8")
        assert args == f"+1 {team / 'docs-agent.md'}"


async def test_no_editor_set_says_so(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    before = (team / "orchestrator.md").read_bytes()
    async with bench(team) as b:
        await b.pilot.press("ctrl+o")
        await b.pilot.pause()
        assert b.said("No editor set")
    assert (team / "orchestrator.md").read_bytes() == before


async def test_editor_that_cannot_start_says_so(team: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISUAL", str(team / "no-such-editor"))
    async with bench(team) as b:
        await b.pilot.press("ctrl+o")
        await b.pilot.pause()
        assert b.said("Editor not started")


# -- 2. quick fixes and 3. undo ---------------------------------------------------------------


async def _open_fix(b: Bench) -> ConfirmChangeScreen:
    await b.problems_at("AB303", "database-agent.md")
    await b.pilot.press("x")
    await b.pilot.pause()
    screen = b.app.screen
    assert isinstance(screen, ConfirmChangeScreen)
    return screen


async def test_quick_fix_shows_the_diff_literally_then_saves_and_undoes(team: Path) -> None:
    path, original = _misspell(team)
    async with bench(team) as b:
        screen = await _open_fix(b)
        diff = screen.query_one("#confirm-diff", Static).content
        assert isinstance(diff, Content)
        assert UNTRUSTED in diff.plain  # shown as text, never parsed as markup
        assert "+model: claude-sonnet-4-5" in diff.plain
        await b.press("#confirm-ok")
        await b.reloaded()
        fixed = path.read_text(encoding="utf-8")
        assert "\nmodel: claude-sonnet-4-5" in fixed and "modle" not in fixed
        assert UNTRUSTED in fixed
        assert b.said("Fixed AB303 in database-agent.md — ctrl+z to undo")
        library = b.app.library
        assert library is not None
        assert not [d for d in library.diagnostics if d.code == "AB303"]
        await b.pilot.press("ctrl+z")
        await b.reloaded()
        assert path.read_bytes() == original
        assert b.said("Undone: database-agent.md")
        await b.pilot.press("ctrl+z")
        await b.pilot.pause()
        assert b.said("Nothing to undo")


async def test_quick_fix_cancelled_writes_nothing(team: Path) -> None:
    path, original = _misspell(team)
    async with bench(team) as b:
        await _open_fix(b)
        await b.pilot.press("escape")
        await b.pilot.pause()
        assert not isinstance(b.app.screen, ConfirmChangeScreen)
    assert path.read_bytes() == original


async def test_quick_fix_refused_when_the_file_changed_underneath(team: Path) -> None:
    path, _ = _misspell(team)
    async with bench(team) as b:
        await _open_fix(b)
        changed = path.read_bytes() + b"\nchanged by someone else\n"
        path.write_bytes(changed)
        await b.press("#confirm-ok")
        await b.pilot.pause()
        assert b.said("changed on disk")
        assert path.read_bytes() == changed
        assert b.app.authoring.last == []


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """As `agentbench --read-only` (and `serve --read-only`) starts it; put back after."""
    from agentbench.core.write import atomic

    monkeypatch.setattr(atomic, "_refusal", None)
    atomic.refuse_every_write("this workbench is read-only (--read-only)")


async def test_read_only_refuses_a_quick_fix_and_says_so(team: Path, read_only: None) -> None:
    path, original = _misspell(team)
    async with bench(team) as b:
        await _open_fix(b)
        await b.press("#confirm-ok")
        await b.pilot.pause()
        assert b.said("this workbench is read-only")
        assert b.app.authoring.last == []
    assert path.read_bytes() == original


async def test_read_only_starts_no_editor(team: Path, editor: Path, read_only: None) -> None:
    before = (team / "orchestrator.md").read_bytes()
    async with bench(team) as b:
        await b.select("orchestrator")
        await b.pilot.press("ctrl+o")
        await b.pilot.pause()
        assert b.said("Editor not started") and b.said("read-only")
    assert (team / "orchestrator.md").read_bytes() == before
    assert not Path(str(editor) + ".args").exists()


async def test_no_fix_for_the_problem_says_so(team: Path) -> None:
    async with bench(team) as b:
        await b.problems_at("AB604", "orchestrator.md")
        await b.pilot.press("x")
        await b.pilot.pause()
        assert b.said("No quick fix for AB604")


async def test_undo_refused_when_the_file_changed_since(team: Path) -> None:
    path, _ = _misspell(team)
    async with bench(team) as b:
        await _open_fix(b)
        await b.press("#confirm-ok")
        await b.reloaded()
        edited = path.read_bytes() + b"\nlater edit\n"
        path.write_bytes(edited)
        await b.pilot.press("ctrl+z")
        await b.pilot.pause()
        assert b.said("Not undone")
        assert path.read_bytes() == edited


# -- 4. handoffs editor and rename ------------------------------------------------------------


async def _handoffs(b: Bench, agent: str) -> HandoffsScreen:
    await b.select(agent)
    b.app.query(HandoffButton).first().focus()
    await b.pilot.press("h")
    await b.pilot.pause()
    screen = b.app.screen
    assert isinstance(screen, HandoffsScreen)
    return screen


def _targets(path: Path) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in path.read_text().splitlines()
            if line.startswith("  - target:")]


async def test_handoffs_move_remove_and_add(team: Path) -> None:
    path = team / "orchestrator.md"
    async with bench(team) as b:
        screen = await _handoffs(b, "orchestrator")
        assert screen.query_one(OptionList).option_count == 6
        await b.pilot.press("d")  # move the first one down
        await b.reloaded()
        assert _targets(path)[:2] == ["api-agent", "backend-agent"]
        assert screen.query_one(OptionList).highlighted == 1
        await b.pilot.press("u")
        await b.reloaded()
        assert path.read_bytes() == (DEMO / "orchestrator.md").read_bytes()
        await b.pilot.press("delete")
        await b.reloaded()
        assert _targets(path)[0] == "api-agent" and len(_targets(path)) == 5
        await b.pilot.press("a")
        await b.pilot.pause()
        form = b.app.screen
        assert isinstance(form, HandoffFormScreen)
        form.query_one("#handoff-label", Input).value = UNTRUSTED
        form.query_one("#handoff-target", Select).value = "backend-agent"
        form.query_one("#handoff-prompt", TextArea).text = "Do the thing."
        await b.press("#handoff-ok")
        await b.reloaded()
        assert b.app.screen is screen
        assert _targets(path)[-1] == "backend-agent"
        agent = b.app.agent
        assert agent is not None and agent.handoffs[-1].label == UNTRUSTED
        options = screen.query_one(OptionList)
        shown = options.get_option_at_index(options.option_count - 1).prompt
        assert isinstance(shown, Content) and UNTRUSTED in shown.plain
        # The whole session is one write at a time; ctrl+z undoes the last (the add).
        await b.pilot.press("escape")
        await b.pilot.pause()
        await b.pilot.press("ctrl+z")
        await b.reloaded()
        assert _targets(path)[-1] == "docs-agent" and len(_targets(path)) == 5


async def test_handoff_edit_changes_only_what_changed(team: Path) -> None:
    path = team / "database-agent.md"
    async with bench(team) as b:
        screen = await _handoffs(b, "database-agent")
        await b.pilot.press("e")
        await b.pilot.pause()
        form = b.app.screen
        assert isinstance(form, HandoffFormScreen)
        assert form.query_one("#handoff-label", Input).value == "Use New Schema"
        form.query_one("#handoff-label", Input).value = "Adopt Schema"
        await b.press("#handoff-ok")
        await b.reloaded()
        assert b.app.screen is screen
        expected = (DEMO / "database-agent.md").read_text().replace(
            '"Use New Schema"', '"Adopt Schema"')
        assert path.read_text() == expected


async def test_handoff_form_needs_a_label(team: Path) -> None:
    async with bench(team) as b:
        await _handoffs(b, "database-agent")
        await b.pilot.press("a")
        await b.pilot.pause()
        await b.press("#handoff-ok")
        await b.pilot.pause()
        form = b.app.screen
        assert isinstance(form, HandoffFormScreen)
        error = form.query_one("#handoff-error", Static).content
        assert "choose a target" in str(error)
    assert (team / "database-agent.md").read_bytes() == (DEMO / "database-agent.md").read_bytes()


async def test_handoffs_refused_when_the_file_changed_underneath(team: Path) -> None:
    path = team / "orchestrator.md"
    async with bench(team) as b:
        screen = await _handoffs(b, "orchestrator")
        changed = path.read_bytes().replace(b"Team lead", b"Team leader")
        path.write_bytes(changed)
        await b.pilot.press("d")
        await b.pilot.pause()
        assert screen.refused
        assert b.said("changed on disk")
        assert path.read_bytes() == changed
        await b.pilot.press("d")  # still refused: nothing is written after a conflict
        await b.pilot.pause()
        assert path.read_bytes() == changed


async def test_rename_shows_the_files_then_renames_and_undoes(team: Path) -> None:
    async with bench(team) as b:
        await b.select("test-agent")
        b.app.query(HandoffButton).first().focus()
        await b.pilot.press("r")
        await b.pilot.pause()
        assert isinstance(b.app.screen, AskNameScreen)
        name = b.app.screen.query_one("#ask-name", Input)
        name.value = "qa-agent"
        await b.pilot.press("enter")
        await b.pilot.pause()
        confirm = b.app.screen
        assert isinstance(confirm, ConfirmChangeScreen)
        files = confirm.query_one("#confirm-files", Static).content
        assert "test-agent.md -> " in str(files) and "qa-agent.md" in str(files)
        assert "orchestrator.md" in str(files)
        assert "feature.yaml" in str(files)  # the recorded flow's `to: test-agent`
        await b.press("#confirm-ok")
        await b.reloaded()
        assert not (team / "test-agent.md").exists()
        assert "target: qa-agent" in (team / "orchestrator.md").read_text()
        assert "to: qa-agent" in (team / "flows" / "feature.yaml").read_text()
        assert b.app.selected == "qa-agent"
        assert b.said("Renamed test-agent to qa-agent")
        await b.pilot.press("ctrl+z")
        await b.reloaded()
        for file in [*DEMO.glob("*.md"), DEMO / "flows" / "feature.yaml"]:
            assert (team / file.relative_to(DEMO)).read_bytes() == file.read_bytes()
        assert not (team / "qa-agent.md").exists()


async def test_rename_lists_the_flow_files_it_leaves_alone(team: Path) -> None:
    (team / "flows" / "broken.yaml").write_text("start: test-agent\nsteps: [\n")
    async with bench(team) as b:
        await b.select("test-agent")
        b.app.action_rename_agent()
        await b.pilot.pause()
        b.app.screen.query_one("#ask-name", Input).value = "qa-agent"
        await b.pilot.press("enter")
        await b.pilot.pause()
        confirm = b.app.screen
        assert isinstance(confirm, ConfirmChangeScreen)
        notes = str(confirm.query_one("#confirm-notes", Static).content)
        assert "broken.yaml" in notes and "not changed" in notes
        assert "broken.yaml" not in str(confirm.query_one("#confirm-files", Static).content)


async def test_rename_to_a_taken_name_is_refused(team: Path) -> None:
    async with bench(team) as b:
        await b.select("test-agent")
        b.app.action_rename_agent()
        await b.pilot.pause()
        b.app.screen.query_one("#ask-name", Input).value = "api-agent"
        await b.pilot.press("enter")
        await b.pilot.pause()
        assert not isinstance(b.app.screen, ConfirmChangeScreen)
        assert b.said("Cannot rename")
    assert (team / "test-agent.md").exists()


# -- 5. new agent -----------------------------------------------------------------------------


async def test_new_agent_checks_first_then_creates_and_selects(team: Path) -> None:
    async with bench(team) as b:
        await b.pilot.press("ctrl+n")
        await b.pilot.pause()
        form = b.app.screen
        assert isinstance(form, NewAgentScreen)
        form.query_one("#new-name", Input).value = "cache-agent"
        await b.press("#new-ok")
        await b.pilot.pause()
        assert "needs a description" in str(form.query_one("#new-error", Static).content)
        assert not (team / "cache-agent.md").exists()
        form.query_one("#new-description", Input).value = "Caching specialist"
        form.query_one("#new-model", Input).value = "claude-haiku-4-5"
        form.query_one("#new-triggers", TextArea).focus()
        await b.pilot.press(*"Caching", "enter", "enter", *"Slow")
        form.query_one("#new-handoffs", SelectionList).select("backend-agent")
        await b.press("#new-ok")
        await b.reloaded()
        text = (team / "cache-agent.md").read_text()
        assert "name: cache-agent" in text and "model: claude-haiku-4-5" in text
        assert '  - "Caching"' in text and '  - "Slow"' in text
        assert "target: backend-agent" in text
        assert b.app.selected == "cache-agent"
        library = b.app.library
        assert library is not None and library.get("cache-agent") is not None
        await b.pilot.press("ctrl+z")
        await b.reloaded()
        assert not (team / "cache-agent.md").exists()


async def test_new_agent_never_overwrites(team: Path) -> None:
    before = (team / "api-agent.md").read_bytes()
    async with bench(team) as b:
        await b.pilot.press("ctrl+n")
        await b.pilot.pause()
        form = b.app.screen
        assert isinstance(form, NewAgentScreen)
        form.query_one("#new-name", Input).value = "api-agent"
        form.query_one("#new-description", Input).value = "Another"
        await b.press("#new-ok")
        await b.pilot.pause()
        assert b.app.screen is form
        assert "already exists" in str(form.query_one("#new-error", Static).content)
    assert (team / "api-agent.md").read_bytes() == before


async def test_new_agent_model_suggestions_follow_the_dialect(team: Path) -> None:
    async with bench(team) as b:
        await b.pilot.press("ctrl+n")
        await b.pilot.pause()
        form = b.app.screen
        assert isinstance(form, NewAgentScreen)
        model = form.query_one("#new-model", Input)
        assert model.suggester is not None
        assert await model.suggester.get_suggestion("claude-s") == "claude-sonnet-4-5"
        form.query_one("#new-dialect", Select).value = "claude"
        await b.pilot.pause()
        assert model.suggester is not None
        assert await model.suggester.get_suggestion("so") == "sonnet"
        assert not form.query_one("#new-handoffs-group").display
