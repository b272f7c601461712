"""Edit in place (issue 7): the editor pane beside the live preview, lint as you type, saving
that keeps BOM and line endings, the conflict dialog, refusals that keep the file intact, undo,
the unsaved-changes guard, and reloads from disk.

Each test works on a copy of the demo team (watchers off: a reload from disk is started the way
the watcher starts one) and waits on the app's own messages: the buffer check posts
`EditorPane.Checked`, a reload after a write posts `LibraryReloaded`. Never a sleep.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import workbench_harness as harness
from snapshot_app import DEMO
from textual.content import Content
from textual.widgets import OptionList, Static

from agentbench.ui.messages import FilesChanged
from agentbench.ui.screens.editor_dialogs import ConflictScreen, DiffScreen, UnsavedScreen
from agentbench.ui.watcher import Changes
from agentbench.ui.widgets.code_editor import EditorTextArea
from agentbench.ui.widgets.editor_pane import EditorPane
from agentbench.ui.widgets.marked_text import MarkedTextArea

pytestmark = pytest.mark.asyncio
UNTRUSTED = "[@click=app.quit]boom[/] [bold]x"
# docs-agent.md: line 15 is the first line of the body.
BODY_ROW = 14


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "agents"))


class Bench(harness.Bench):
    @property
    def pane(self) -> EditorPane:
        return self.app.query_one(EditorPane)

    @property
    def area(self) -> EditorTextArea:
        return self.pane.text_area

    @property
    def preview(self) -> str:
        return self.app.query_one("#preview-text", MarkedTextArea).text

    @property
    def title(self) -> str:
        return str(self.pane.query_one("#editor-title", Static).content)

    def codes(self) -> list[str]:
        return [d.code for d in self.pane.diagnostics]

    async def checked(self, after: int) -> None:
        """Until the pane shows a check started after generation `after`."""
        while True:
            message = await asyncio.wait_for(self.checks.get(), harness.TIMEOUT)
            pane = self.pane
            if after < message.generation == pane.generation and pane.settled:
                break
        await self.pilot.pause()

    async def open(self, agent: str) -> EditorPane:
        self.app.select_agent(agent)
        await self.pilot.pause()
        await self.pilot.press("ctrl+e")
        await self.pilot.pause()
        await self.checked(0)
        return self.pane

    async def type_at(self, row: int, text: str, column: int = 0, keys: bool = False) -> None:
        """Type `text` at (row, column) key by key (`keys`) or as one edit (a paste: faster),
        and wait for the check that follows."""
        start = self.pane.generation
        self.area.move_cursor((row, column))
        if keys:
            await self.pilot.press(*("enter" if c == "\n" else c for c in text))
        else:
            self.area.insert(text)
        await self.checked(start)

    async def disk_changed(self, path: Path) -> None:
        """What the file watcher does after an edit on disk: reload, and wait for it."""
        self.app.reloader.files_changed(Changes(modified=frozenset({str(path)})))
        await self.reloaded()


@asynccontextmanager
async def bench(folder: Path) -> AsyncIterator[Bench]:
    async with harness.running(folder, Bench) as b:
        yield b


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- opening, typing, the live preview --------------------------------------------------------


async def test_ctrl_e_opens_the_file_beside_the_preview_and_closes_again(team: Path) -> None:
    path = team / "docs-agent.md"
    async with bench(team) as b:
        pane = await b.open("docs-agent")
        assert b.area.text == path.read_text(encoding="utf-8")
        assert b.area.has_focus and b.area.show_line_numbers and not b.area.soft_wrap
        assert b.app.query_one("#main").has_class("-editing")
        assert b.app.query_one("#preview").display
        assert "docs-agent.md" in b.title and "●" not in b.title
        assert pane.diagnostics == ()
        await b.pilot.press("shift+down", "escape")  # escape first drops the selection
        await b.pilot.pause()
        assert b.area.selection.is_empty and b.app.query(EditorPane)
        await b.pilot.press("ctrl+e")
        await b.pilot.pause()
        assert not b.app.query(EditorPane)
        await b.pilot.press("ctrl+e", "escape")  # escape closes an unmodified editor at once
        await b.pilot.pause()
        assert not b.app.query(EditorPane)
        assert not b.app.query_one("#main").has_class("-editing")


async def test_typing_updates_the_preview_and_the_problems_strip(team: Path) -> None:
    path = team / "docs-agent.md"
    before = path.read_bytes()
    async with bench(team) as b:
        await b.open("docs-agent")
        await b.type_at(BODY_ROW, "Ask {{nobody}}. ", keys=True)
        assert b.preview.startswith("\nAsk {{nobody}}. You are the technical writer")
        assert b.codes() == ["AB601"]
        assert "●" in b.title
        summary = str(b.pane.query_one("#editor-summary", Static).content)
        assert "1 warning" in summary or "1 error" in summary
        await b.type_at(2, "colour: red\n", keys=True)  # an unknown key in the frontmatter
        assert b.codes() == ["AB303", "AB601"]
        assert "unknown key 'colour'" in b.pane.diagnostics[0].message
        # Choosing a problem moves the cursor to its line.
        problems = b.pane.query_one("#editor-problems", OptionList)
        problems.highlighted = 1
        problems.focus()
        await b.pilot.press("enter")
        await b.pilot.pause()
        assert b.area.cursor_location[0] == BODY_ROW + 1 and b.area.has_focus
        await b.pilot.press("f8")
        assert b.area.cursor_location[0] == 2
    assert path.read_bytes() == before  # nothing is written until ctrl+s


async def test_a_stale_check_never_overwrites_a_newer_one(team: Path) -> None:
    async with bench(team) as b:
        pane = await b.open("docs-agent")
        await b.type_at(BODY_ROW, "{{nobody}}")
        newer = pane.diagnostics
        from agentbench.core.checks.buffer import BufferCheck
        from agentbench.core.read.parse import parse_bytes

        old = BufferCheck(parse_bytes(pane.path, b"not an agent"), ())
        pane.post_message(EditorPane.Checked(pane, pane.generation - 1, old))
        await b.pilot.pause()
        assert pane.diagnostics == newer
        assert b.preview.startswith("\n{{nobody}}")


async def test_handoffs_to_missing_agents_are_flagged_as_you_type(team: Path) -> None:
    async with bench(team) as b:
        await b.open("docs-agent")
        await b.type_at(8, "x", column=len("  - target: orchestrator"))
        assert b.codes() == ["AB403"]
        assert "did you mean 'orchestrator'" in b.pane.diagnostics[0].message


# -- saving -----------------------------------------------------------------------------------


async def test_save_writes_the_buffer_and_ctrl_z_outside_the_editor_undoes_it(
        team: Path) -> None:
    path = team / "docs-agent.md"
    before = path.read_bytes()
    async with bench(team) as b:
        await b.open("docs-agent")
        await b.type_at(BODY_ROW, "Hi. ")
        await b.pilot.press("ctrl+s")
        await b.reloaded()
        lines = before.split(b"\n")
        lines[BODY_ROW] = b"Hi. " + lines[BODY_ROW]
        assert path.read_bytes() == b"\n".join(lines)
        assert "●" not in b.title and not b.pane.modified
        assert b.said("Saved docs-agent.md")
        assert b.app.authoring.last[0].previous == before
        # ctrl+z in the editor undoes typing; from the preview it undoes the save, and the
        # unmodified buffer follows the file.
        b.app.query_one("#preview-text").focus()
        await b.pilot.press("ctrl+z")
        await b.reloaded()
        assert path.read_bytes() == before
        assert b.area.text == before.decode()
        assert b.area.cursor_location[0] == BODY_ROW  # the cursor keeps its line


async def test_save_keeps_crlf_line_endings_and_the_bom(team: Path) -> None:
    path = team / "docs-agent.md"
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    async with bench(team) as b:
        await b.open("docs-agent")
        assert "\r" not in b.area.text and not b.area.text.startswith("\ufeff")
        assert "CRLF BOM" in b.title
        await b.type_at(BODY_ROW, "X")
        start = b.pane.generation
        b.area.move_cursor((BODY_ROW, 0))
        await b.pilot.press("enter")  # a new line gets the file's CRLF
        await b.checked(start)
        await b.pilot.press("ctrl+s")
        await b.reloaded()
    lines = original.split(b"\r\n")
    lines[BODY_ROW : BODY_ROW + 1] = [b"", b"X" + lines[BODY_ROW]]
    assert path.read_bytes() == b"\r\n".join(lines)


async def test_a_file_that_is_not_utf8_is_not_opened(team: Path) -> None:
    path = team / "docs-agent.md"
    path.write_bytes(path.read_bytes().replace(b"technical writer", b"technical wr\xefter"))
    async with bench(team) as b:
        b.app.select_agent("docs-agent")
        await b.pilot.press("ctrl+e")
        await b.pilot.pause()
        assert not b.app.query(EditorPane)
        assert b.said("cannot be edited here: the file is not valid UTF-8")


async def test_a_read_only_file_is_refused_intact_and_the_buffer_kept(team: Path) -> None:
    path = team / "docs-agent.md"
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        async with bench(team) as b:
            await b.open("docs-agent")
            assert "read-only" in b.title
            await b.type_at(BODY_ROW, "Hi. ")
            await b.pilot.press("ctrl+s")
            await b.pilot.pause()
            assert b.said("read-only; nothing was written")
            assert b.pane.modified and b.area.text.splitlines()[BODY_ROW].startswith("Hi. ")
            assert b.app.authoring.last == []
        assert path.read_bytes() == before
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(("error", "said"), [
    (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
    (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
])
async def test_a_failed_write_keeps_the_file_and_the_buffer(
        team: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, said: str) -> None:
    path = team / "docs-agent.md"
    before = path.read_bytes()
    async with bench(team) as b:
        await b.open("docs-agent")
        await b.type_at(BODY_ROW, "Hi. ")

        def fail(*args: object, **kwargs: object) -> None:
            raise error

        monkeypatch.setattr(os, "replace", fail)
        await b.pilot.press("ctrl+s")
        await b.pilot.pause()
        monkeypatch.undo()
        assert b.said("Not saved") and b.said(said)
        assert b.pane.modified and "●" in b.title
        assert path.read_bytes() == before
        assert _leftovers(team) == []
        # Once the disk has room again, the same buffer saves.
        await b.pilot.press("ctrl+s")
        await b.reloaded()
        assert path.read_bytes().split(b"\n")[BODY_ROW].startswith(b"Hi. ")


# -- the file changed on disk -----------------------------------------------------------------


async def _conflict(b: Bench, path: Path) -> ConflictScreen:
    await b.open("docs-agent")
    await b.type_at(BODY_ROW, "Mine. ")
    path.write_bytes(path.read_bytes().replace(b"ten minutes", b"five minutes"))
    await b.pilot.press("ctrl+s")
    await b.pilot.pause()
    screen = b.app.screen
    assert isinstance(screen, ConflictScreen)
    return screen


async def test_conflict_cancel_keeps_both(team: Path) -> None:
    path = team / "docs-agent.md"
    async with bench(team) as b:
        await _conflict(b, path)
        theirs = path.read_bytes()
        await b.pilot.press("escape")
        await b.pilot.pause()
        assert not isinstance(b.app.screen, ConflictScreen)
        assert path.read_bytes() == theirs
        assert b.pane.modified and "changed on disk" in b.title
        assert "Mine. " in b.area.text


async def test_conflict_reload_takes_the_file_from_disk(team: Path) -> None:
    path = team / "docs-agent.md"
    async with bench(team) as b:
        await _conflict(b, path)
        theirs = path.read_bytes()
        start = b.pane.generation
        await b.pilot.press("r")
        await b.checked(start)
        assert b.area.text == theirs.decode() and not b.pane.modified
        assert "changed on disk" not in b.title
        assert "five minutes" in b.preview
        assert path.read_bytes() == theirs


async def test_conflict_overwrite_writes_the_buffer_and_can_be_undone(team: Path) -> None:
    path = team / "docs-agent.md"
    async with bench(team) as b:
        await _conflict(b, path)
        theirs = path.read_bytes()
        await b.pilot.press("o")
        await b.reloaded()
        mine = path.read_bytes()
        assert b"Mine. " in mine and b"ten minutes" in mine
        assert not b.pane.modified and "changed on disk" not in b.title
        await b.pilot.press("escape")  # close the (saved) editor
        await b.pilot.pause()
        await b.pilot.press("ctrl+z")
        await b.reloaded()
        assert path.read_bytes() == theirs


async def test_conflict_show_diff_is_literal_then_goes_back_to_the_choice(team: Path) -> None:
    path = team / "docs-agent.md"
    async with bench(team) as b:
        await b.open("docs-agent")
        await b.type_at(BODY_ROW, UNTRUSTED)
        path.write_bytes(path.read_bytes().replace(b"ten minutes", b"five minutes"))
        await b.pilot.press("ctrl+s")
        await b.pilot.pause()
        conflict = b.app.screen
        assert isinstance(conflict, ConflictScreen)
        await b.pilot.press("d")
        await b.pilot.pause()
        diff_screen = b.app.screen
        assert isinstance(diff_screen, DiffScreen)
        diff = diff_screen.query_one("#diff-text", Static).content
        assert isinstance(diff, Content)
        assert f"+{UNTRUSTED}You are the technical writer" in diff.plain
        assert "-just cloned the repository and wants to get something working in five" \
            in diff.plain
        assert "docs-agent.md (on disk)" in diff.plain
        await b.pilot.press("escape")
        await b.pilot.pause()
        assert b.app.screen is conflict
        await b.pilot.press("escape")
        await b.pilot.pause()
        assert b.app.is_running and b.pane.modified


async def test_disk_change_reloads_a_clean_buffer_and_marks_a_modified_one(team: Path) -> None:
    path = team / "docs-agent.md"
    async with bench(team) as b:
        await b.open("docs-agent")
        b.area.move_cursor((20, 3))
        path.write_bytes(path.read_bytes().replace(b"ten minutes", b"five minutes"))
        await b.disk_changed(path)
        assert "five minutes" in b.area.text and not b.pane.modified
        assert b.area.cursor_location == (20, 3)
        await b.type_at(BODY_ROW, "Mine. ")
        path.write_bytes(path.read_bytes().replace(b"five minutes", b"an hour"))
        await b.disk_changed(path)
        assert "Mine. " in b.area.text and "five minutes" in b.area.text
        assert "changed on disk" in b.title
        await b.pilot.press("ctrl+s")
        await b.pilot.pause()
        assert isinstance(b.app.screen, ConflictScreen)


async def test_a_deleted_file_is_marked_and_saving_creates_it_again(team: Path) -> None:
    path = team / "docs-agent.md"
    before = path.read_bytes()
    async with bench(team) as b:
        await b.open("docs-agent")
        path.unlink()
        await b.disk_changed(path)
        assert "deleted on disk" in b.title
        assert b.area.text == before.decode()
        await b.pilot.press("ctrl+s")
        await b.reloaded()
        assert path.read_bytes() == before
        assert b.app.selected == "docs-agent"
        assert "deleted" not in b.title


# -- unsaved changes --------------------------------------------------------------------------


async def test_closing_with_unsaved_changes_asks(team: Path) -> None:
    path = team / "docs-agent.md"
    before = path.read_bytes()
    async with bench(team) as b:
        await b.open("docs-agent")
        await b.type_at(BODY_ROW, "Hi. ")
        await b.pilot.press("escape")
        await b.pilot.pause()
        assert isinstance(b.app.screen, UnsavedScreen)
        await b.pilot.press("escape")  # cancel: keep editing
        await b.pilot.pause()
        assert b.pane.modified and b.area.has_focus
        await b.pilot.press("ctrl+e")
        await b.pilot.pause()
        assert isinstance(b.app.screen, UnsavedScreen)
        await b.pilot.press("d")  # discard
        await b.pilot.pause()
        assert not b.app.query(EditorPane)
        assert path.read_bytes() == before
        assert not b.preview.startswith("\nHi. ")
        await b.open("docs-agent")
        await b.type_at(BODY_ROW, "Hi. ")
        await b.pilot.press("escape")
        await b.pilot.pause()
        await b.pilot.press("s")  # save, then close
        await b.reloaded()
        assert not b.app.query(EditorPane)
        assert path.read_bytes().split(b"\n")[BODY_ROW].startswith(b"Hi. ")


async def test_switching_agent_with_unsaved_changes_asks(team: Path) -> None:
    async with bench(team) as b:
        await b.open("docs-agent")
        b.app.select_agent("api-agent")  # what the list, the palette and the graph call
        await b.pilot.pause()
        assert b.pane.path.endswith("api-agent.md")  # clean: the editor follows
        await b.type_at(BODY_ROW, "Hi. ")
        b.app.select_agent("docs-agent")
        await b.pilot.pause()
        assert isinstance(b.app.screen, UnsavedScreen)
        assert b.app.selected == "api-agent"
        await b.pilot.press("escape")
        await b.pilot.pause()
        assert b.app.selected == "api-agent" and b.pane.modified
        b.app.select_agent("docs-agent")
        await b.pilot.pause()
        await b.pilot.press("d")
        await b.pilot.pause()
        assert b.app.selected == "docs-agent"
        assert b.pane.path.endswith("docs-agent.md") and not b.pane.modified


async def test_quitting_with_unsaved_changes_asks(team: Path) -> None:
    async with bench(team) as b:
        await b.open("docs-agent")
        await b.type_at(BODY_ROW, "Hi. ")
        await b.pilot.press("ctrl+q")
        await b.pilot.pause()
        assert isinstance(b.app.screen, UnsavedScreen)
        await b.pilot.press("escape")
        await b.pilot.pause()
        assert b.app.is_running and b.pane.modified
        await b.pilot.press("ctrl+q")
        await b.pilot.pause()
        await b.pilot.press("d")
        await b.pilot.pause()
        assert not b.app.is_running


# -- untrusted text ---------------------------------------------------------------------------


async def test_markup_in_the_file_is_shown_literally(team: Path) -> None:
    path = team / "docs-agent.md"
    text = path.read_text(encoding="utf-8").replace(
        "model: gpt-4.1", f"model: gpt-4.1\n'{UNTRUSTED}': 1").replace(
        "You are the", "\x1b[2JYou are the")
    path.write_text(text, encoding="utf-8")
    async with bench(team) as b:
        await b.open("docs-agent")
        assert UNTRUSTED in b.area.text and "\x1b[2J" in b.area.text
        # Drawn with the escape character as a visible symbol; the document keeps it.
        line = b.area.get_line(BODY_ROW + 1).plain
        assert line.startswith("␛[2JYou are the") and "\x1b" not in line
        assert b.area.document.get_line(BODY_ROW + 1).startswith("\x1b[2JYou")
        messages = [d.message for d in b.pane.diagnostics]
        assert any(UNTRUSTED in m for m in messages)
        problems = b.pane.query_one("#editor-problems", OptionList)
        prompts = [problems.get_option_at_index(i).prompt
                   for i in range(problems.option_count)]
        assert all(isinstance(p, Content) for p in prompts)
        assert any(UNTRUSTED in p.plain for p in prompts if isinstance(p, Content))
        assert not any("\x1b" in p.plain for p in prompts if isinstance(p, Content))
        await b.pilot.press("ctrl+s")  # nothing changed: nothing written
        await b.pilot.pause()
        assert b.said("No changes to save")
        assert b.app.is_running
    assert path.read_text(encoding="utf-8") == text


async def test_the_watchers_news_of_the_save_itself_does_not_reload_again(team: Path) -> None:
    path = team / "docs-agent.md"
    async with bench(team) as b:
        await b.open("docs-agent")
        await b.type_at(BODY_ROW, "Hi. ")
        await b.pilot.press("ctrl+s")
        await b.reloaded()
        loads = b.app.loads
        # What the file watcher posts a moment after the save: old news, dropped.
        b.app.post_message(FilesChanged(Changes(modified=frozenset({str(path)}))))
        await b.pilot.pause()
        assert b.app.loads == loads
        # A later change by someone else reloads as usual.
        path.write_bytes(path.read_bytes().replace(b"Hi. ", b"Hello. "))
        b.app.post_message(FilesChanged(Changes(modified=frozenset({str(path)}))))
        await b.reloaded()
        assert b.area.text.splitlines()[BODY_ROW].startswith("Hello. ")


async def test_keys_that_arrive_together_are_applied_in_order(team: Path) -> None:
    """Cursor keys and typed characters delivered in one burst (a busy app, a fast typist,
    tmux send-keys) land in the order they were pressed: the movement first."""
    from textual import events

    async with bench(team) as b:
        await b.open("docs-agent")
        b.area.move_cursor((0, 0))
        start = b.pane.generation
        for key, char in [("down", None), ("down", None), ("end", None), ("X", "X")]:
            b.app.post_message(events.Key(key, char))  # no pause between them
        await b.checked(start)
        lines = b.area.text.split("\n")
        assert lines[0] == "---" and lines[2].endswith("X"), lines[:3]
