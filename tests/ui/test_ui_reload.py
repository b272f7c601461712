"""Hot reload on real files: each test edits a copy of the demo team the way an editor would,
then waits (bounded, never sleeping) for the app's own LibraryReloaded message."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import probe
import pytest
from snapshot_app import DEMO
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from agentbench.core.library.loader import LibraryLoader
from agentbench.ui.app import AgentbenchApp, make_app
from agentbench.ui.messages import LibraryReloaded, WatchFailed
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.marked_text import MarkedTextArea

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
TIMEOUT = 10.0


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "agents"))


class Watched:
    """The app under test, and the messages it posted that tests wait on."""

    def __init__(self, app: AgentbenchApp, pilot: Pilot[None],
                 reloads: asyncio.Queue[LibraryReloaded], failures: list[WatchFailed]) -> None:
        self.app, self.pilot, self.reloads, self.failures = app, pilot, reloads, failures

    async def reloaded(self) -> LibraryReloaded:
        message = await asyncio.wait_for(self.reloads.get(), TIMEOUT)
        await self.pilot.pause()
        return message

    async def select(self, name: str) -> None:
        self.app.select_agent(name)
        await self.pilot.pause()

    @property
    def preview(self) -> str:
        return self.app.query_one("#preview-text", MarkedTextArea).text

    def problems(self, path: Path) -> list[str]:
        library = self.app.library
        assert library is not None
        return [d.code for d in library.diagnostics if d.path == str(path)]


@asynccontextmanager
async def watched(folder: Path, **kwargs: Any) -> AsyncIterator[Watched]:
    reloads: asyncio.Queue[LibraryReloaded] = asyncio.Queue()
    failures: list[WatchFailed] = []

    def hook(message: Message) -> None:
        if isinstance(message, LibraryReloaded):
            reloads.put_nowait(message)
        elif isinstance(message, WatchFailed):
            failures.append(message)

    app = make_app(LibraryLoader.for_path(str(folder)), watch=True, **kwargs)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await asyncio.wait_for(app.reloader.watching.wait(), TIMEOUT)
        await loaded(app)
        await pilot.pause()
        assert app.library is not None
        yield Watched(app, pilot, reloads, failures)


async def loaded(app: AgentbenchApp) -> None:
    """Wait for the load workers only: the watch worker runs until the app exits (and
    wait_for_complete([]) would wait for every worker, the watcher too)."""
    loads = [w for w in app.workers if w.group == "load"]
    if loads:
        await asyncio.wait_for(app.workers.wait_for_complete(loads), TIMEOUT)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def test_edit_in_place_updates_preview_and_keeps_the_place(team: Path) -> None:
    async with watched(team) as w:
        app = w.app
        await w.select("backend-agent")
        await w.pilot.press("slash", "a", "g", "e", "n", "t")  # filter
        app.query_one(AgentList).focus()
        app.session["framework"] = "Litestar"
        app.query_one("#views", TabbedContent).active = "tab-preview"
        text = app.query_one("#preview-text", MarkedTextArea)
        text.scroll_to(y=5, animate=False, immediate=True)
        await w.pilot.pause()
        scroll = text.scroll_offset.y
        edit(team / "backend-agent.md", "You implement business rules",
             "You implement HOT-RELOADED business rules")
        message = await w.reloaded()
        assert message.summary.startswith("backend-agent.md reloaded")
        assert "HOT-RELOADED" in w.preview
        assert app.selected == "backend-agent"
        assert app.query_one("#filter", Input).value == "agent"
        assert app.session == {"framework": "Litestar"}
        assert text.scroll_offset.y == scroll > 0
        assert app.query_one("#views", TabbedContent).active == "tab-preview"


async def test_source_view_stays_active_and_shows_the_new_text(team: Path) -> None:
    async with watched(team) as w:
        await w.select("api-agent")
        w.app.show_view("tab-source")
        await w.pilot.pause()
        edit(team / "api-agent.md", "---\n\n", "---\n\nSOURCE-EDIT\n")
        await w.reloaded()
        assert w.app.query_one("#views", TabbedContent).active == "tab-source"
        assert "SOURCE-EDIT" in w.app.query_one("#source", MarkedTextArea).text


async def test_new_file_is_added(team: Path) -> None:
    async with watched(team) as w:
        (team / "review-agent.md").write_text(
            "---\nname: review-agent\ndescription: Reviews\n---\nReview {{tech_stack}}.\n",
            encoding="utf-8")
        message = await w.reloaded()
        assert message.summary.startswith("review-agent.md added")
        assert "review-agent" in w.app.query_one(AgentList).visible_names


async def test_deleting_the_selected_file_selects_its_neighbour(team: Path) -> None:
    async with watched(team) as w:
        await w.select("docs-agent")
        (team / "docs-agent.md").unlink()
        message = await w.reloaded()
        assert "docs-agent.md removed" in message.summary
        assert "docs-agent.md was deleted" in message.summary
        assert w.app.selected == "orchestrator"  # the next one in the list
        assert "docs-agent" not in w.app.query_one(AgentList).visible_names


async def test_rename_follows_the_file(team: Path) -> None:
    async with watched(team) as w:
        await w.select("backend-agent")
        os.rename(team / "backend-agent.md", team / "backend-service.md")
        message = await w.reloaded()
        assert message.summary.startswith("backend-agent.md renamed to backend-service.md")
        assert w.app.selected == "backend-agent"  # its name: field did not change
        assert w.app.agent is not None
        assert w.app.agent.path.endswith("backend-service.md")


async def test_renaming_a_file_named_by_its_stem_selects_the_new_name(team: Path) -> None:
    (team / "helper.md").write_text("---\ndescription: Helps\n---\nHelp.\n", encoding="utf-8")
    async with watched(team) as w:
        await w.select("helper")
        os.rename(team / "helper.md", team / "assistant.md")
        message = await w.reloaded()
        assert "helper.md was renamed to assistant.md" in message.summary
        assert w.app.selected == "assistant"


async def test_atomic_save_is_one_quiet_reload(team: Path) -> None:
    """VS Code / JetBrains: write a temporary file beside it, then rename it over."""
    async with watched(team) as w:
        await w.select("backend-agent")
        target = team / "backend-agent.md"
        temp = team / ".backend-agent.md.tmp"
        temp.write_text(target.read_text(encoding="utf-8") + "\nATOMIC-SAVE\n",
                        encoding="utf-8")
        os.replace(temp, target)
        message = await w.reloaded()
        assert message.summary.startswith("backend-agent.md reloaded")
        assert message.changes.modified == {os.path.abspath(target)}
        assert not message.changes.added and not message.changes.removed
        assert "ATOMIC-SAVE" in w.preview and w.app.selected == "backend-agent"


async def test_vim_style_save_with_swap_and_backup_files(team: Path) -> None:
    """vim: probe file 4913, swap file, original renamed to name~, new file written."""
    async with watched(team) as w:
        await w.select("backend-agent")
        target = team / "backend-agent.md"
        text = target.read_text(encoding="utf-8")
        (team / ".backend-agent.md.swp").write_bytes(b"swap")
        (team / "4913").write_text("")
        (team / "4913").unlink()
        os.rename(target, team / "backend-agent.md~")
        target.write_text(text + "\nVIM-SAVE\n", encoding="utf-8")
        (team / "backend-agent.md~").unlink()
        (team / ".#backend-agent.md").symlink_to("root@host.123")
        message = await w.reloaded()
        assert "VIM-SAVE" in w.preview and w.app.selected == "backend-agent"
        assert not message.changes.removed and not message.changes.added
        library = w.app.library
        assert library is not None and len(library.files) == 7


async def test_broken_yaml_keeps_the_agent_then_recovers(team: Path) -> None:
    async with watched(team) as w:
        await w.select("backend-agent")
        path = team / "backend-agent.md"
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("model: claude-sonnet-4-5", "model: [claude", 1),
                        encoding="utf-8")
        message = await w.reloaded()
        assert "does not parse" in message.summary and message.new_problems >= 1
        assert "AB201" in w.problems(path)
        assert "backend-agent" in w.app.query_one(AgentList).visible_names
        assert w.app.selected == "backend-agent" and "for **Ledgerly**" in w.preview
        # No handoff to it went dangling while it was broken.
        assert all(code != "AB403" for code in w.problems(team / "orchestrator.md"))
        path.write_text(good, encoding="utf-8")
        message = await w.reloaded()
        assert "fixed" in message.summary
        assert "AB201" not in w.problems(path)


async def test_workspace_profile_edit_changes_values_keeps_session(team: Path) -> None:
    async with watched(team) as w:
        await w.select("backend-agent")
        w.app.session["framework"] = "Litestar"
        edit(team / "agentbench.yaml", 'project_name: "Ledgerly"', 'project_name: "Tallyho"')
        message = await w.reloaded()
        assert message.summary.startswith("agentbench.yaml reloaded")
        assert "Tallyho" in w.preview and "Litestar" in w.preview
        assert w.app.profile == "fastapi"


async def test_workspace_file_above_the_root_is_followed(tmp_path: Path) -> None:
    """agentbench.yaml in the project folder, agents in project/agents: a second, flat
    watch follows the project folder without watching all of it deep."""
    project = tmp_path / "project"
    agents = Path(shutil.copytree(DEMO, project / "agents"))
    (agents / "agentbench.yaml").rename(project / "agentbench.yaml")
    async with watched(agents) as w:
        assert w.app.reloader.targets is not None
        assert w.app.reloader.targets.flat == (str(project),)
        await w.select("backend-agent")
        edit(project / "agentbench.yaml", 'project_name: "Ledgerly"', 'project_name: "Upstairs"')
        message = await w.reloaded()
        assert message.summary.startswith("agentbench.yaml reloaded")
        assert "Upstairs" in w.preview


async def test_thousand_files_at_once_settle_consistently_in_few_reloads(team: Path) -> None:
    """git checkout: 1,000 files written at once end in one consistent library."""
    async with watched(team) as w:
        await w.select("backend-agent")

        def checkout() -> None:
            for index in range(1000):
                (team / f"gen-{index:04d}.md").write_text(
                    f"---\nname: gen-{index:04d}\ndescription: Generated\n---\nBody {index}\n",
                    encoding="utf-8")

        await asyncio.to_thread(checkout)
        reloads = 0
        while True:
            await w.reloaded()
            reloads += 1
            library = w.app.library
            assert library is not None
            if len(library.files) == 1007:
                break
        assert reloads <= 10
        on_disk = {str(p) for p in team.glob("*.md")}
        assert {f.path for f in library.files} == on_disk
        assert w.app.selected == "backend-agent"
        assert w.app.query_one(AgentList).agent_count == 1007


async def test_watching_impossible_is_said_in_the_header(team: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import watchfiles

    def refuse(*args: object, **kwargs: object) -> object:
        raise OSError(28, "OS file watch limit reached")

    monkeypatch.setattr(watchfiles, "awatch", refuse)
    app = make_app(LibraryLoader.for_path(str(team)), watch=True)
    failed: asyncio.Queue[WatchFailed] = asyncio.Queue()

    def hook(message: Message) -> None:
        if isinstance(message, WatchFailed):
            failed.put_nowait(message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        message = await asyncio.wait_for(failed.get(), TIMEOUT)
        await loaded(app)
        await pilot.pause()
        assert "max_user_watches" in message.reason
        assert "not following files" in app.sub_title and "7 agents" in app.sub_title
        assert any("Not following files" in (n.title or "") for n in probe.notifications(app))


async def test_ctrl_r_reads_the_library_again_and_follows_files_again(
        team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When watching failed, ctrl+r still picks up an edit, and tries the watch again."""
    import watchfiles

    real = watchfiles.awatch

    def refuse(*args: object, **kwargs: object) -> object:
        raise OSError(28, "OS file watch limit reached")

    monkeypatch.setattr(watchfiles, "awatch", refuse)
    app = make_app(LibraryLoader.for_path(str(team)), watch=True)
    failed: asyncio.Queue[WatchFailed] = asyncio.Queue()
    reloads: asyncio.Queue[LibraryReloaded] = asyncio.Queue()

    def hook(message: Message) -> None:
        if isinstance(message, WatchFailed):
            failed.put_nowait(message)
        elif isinstance(message, LibraryReloaded):
            reloads.put_nowait(message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await asyncio.wait_for(failed.get(), TIMEOUT)
        await loaded(app)
        edit(team / "docs-agent.md", "description: ", "description: Edited. ")
        monkeypatch.setattr(watchfiles, "awatch", real)  # the limit was raised meanwhile
        await pilot.press("ctrl+r")
        reloaded = await asyncio.wait_for(reloads.get(), TIMEOUT)
        await pilot.pause()
        assert reloaded.summary.startswith("library read again from disk")
        docs = app.library.get("docs-agent") if app.library else None
        assert docs is not None and docs.description.startswith("Edited.")
        assert "not following files" not in app.sub_title
        await asyncio.wait_for(app.reloader.watching.wait(), TIMEOUT)
        assert [w for w in app.workers if w.group == "watch" and w.is_running]


async def test_no_watch_starts_no_watcher(team: Path) -> None:
    app = make_app(LibraryLoader.for_path(str(team)), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not [w for w in app.workers if w.group == "watch"]
        assert app.reloader.targets is None
