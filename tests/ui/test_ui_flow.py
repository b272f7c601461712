"""Pilot tests of flow mode on the demo team (watchers off, no sleeps, timers driven by hand)."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import probe
import pytest
from snapshot_app import DEMO, demo_app
from textual.command import CommandPalette
from textual.message import Message
from textual.widgets import Button, Input, TextArea

from agentbench.core.flow.record import FlowFile, FlowRun
from agentbench.core.library.loader import LibraryLoader
from agentbench.ui.app import AgentbenchApp, make_app
from agentbench.ui.messages import FlowPathChanged
from agentbench.ui.screens.flow import FlowScreen
from agentbench.ui.screens.flow_dialogs import AskValuesScreen, FlowNameScreen, ReplyScreen
from agentbench.ui.screens.help import HelpScreen
from agentbench.ui.widgets.flow_card import FlowCard
from agentbench.ui.widgets.flow_compose import ComposeBox
from agentbench.ui.widgets.transcript import Transcript

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
FEATURE = DEMO / "flows" / "feature.yaml"
FEATURE_VALUE = "add a due date to invoices"
FAILING = "tests/test_invoices.py::test_overdue"


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A writable copy of the demo team (with its flows/)."""
    return Path(shutil.copytree(DEMO, tmp_path / "agents"))


def _flow(app: AgentbenchApp) -> FlowScreen:
    screen = app.screen
    assert isinstance(screen, FlowScreen), screen
    return screen


def _run(app: AgentbenchApp) -> FlowRun:
    run = _flow(app).run
    assert run is not None
    return run


def _walk(app: AgentbenchApp) -> list[tuple[str, str, str]]:
    return [(s.source, s.label, s.target) for s in _run(app).steps]


def _screen_text(app: AgentbenchApp) -> str:
    return probe.screen_text(app)


async def _open(pilot: object, app: AgentbenchApp) -> FlowScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await app.workers.wait_for_complete()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    return _flow(app)


async def _answer(pilot: object, app: AgentbenchApp, *values: str) -> None:
    """Fill the values dialog (one Input per name) and continue."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    dialog = app.screen
    assert isinstance(dialog, AskValuesScreen)
    for box, value in zip(dialog.query(Input), values, strict=True):
        box.value = value
    await pilot.pause()
    await pilot.click("#dialog-ok")
    await pilot.pause()


async def test_f5_opens_flow_at_entry_and_posts_path() -> None:
    app = demo_app()
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = await _open(pilot, app)
        assert _run(app).current == "orchestrator"
        buttons = screen.query_one(FlowCard).buttons
        assert [b.choice.handoff.label for b in buttons] == [
            "Implement Backend", "Design API", "Plan Schema", "Write Tests", "Security Review",
            "Update Docs"]
        assert all(not b.disabled for b in buttons)
        paths = [m for m in messages if isinstance(m, FlowPathChanged)]
        assert paths and paths[-1].agents == ("orchestrator",) and paths[-1].edges == ()
        await pilot.press("f1")  # the flow keys
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Continue from the step highlighted in the transcript" in _screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # Esc goes back to the workbench; f5 comes back to the same walk.
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FlowScreen)
        await pilot.press("f5")
        await pilot.pause()
        assert _flow(app) is screen


async def test_walk_around_the_cycle_with_and_without_edits() -> None:
    app = demo_app()
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = await _open(pilot, app)
        # orchestrator -> backend: asks for {{feature_description}}, then the edit box.
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, AskValuesScreen)
        await _answer(pilot, app, FEATURE_VALUE)
        box = screen.query_one(ComposeBox)
        assert box.display and FEATURE_VALUE in box.text_area.text
        assert app.focused is box.text_area
        await pilot.press("ctrl+s")  # sent as rendered
        await pilot.pause()
        assert _run(app).current == "backend-agent" and not box.display
        first = _run(app).steps[0]
        assert not first.edited and FEATURE_VALUE in first.prompt and not first.send
        # backend -> test, edited before sending.
        await pilot.press("3")
        await pilot.pause()
        assert box.display
        box.text_area.load_text("Only test the overdue filter, please.")
        await pilot.click("#flow-send")
        await pilot.pause()
        step = _run(app).steps[1]
        assert step.edited and step.prompt == "Only test the overdue filter, please."
        # test -> backend: send: true asks for {{failing_tests}} and sends at once.
        await pilot.press("1")
        await pilot.pause()
        await _answer(pilot, app, FAILING)
        assert not box.display
        assert _walk(app) == [("orchestrator", "Implement Backend", "backend-agent"),
                              ("backend-agent", "Write Tests", "test-agent"),
                              ("test-agent", "Fix Failures", "backend-agent")]
        last = _run(app).steps[2]
        assert last.send and FAILING in last.prompt
        assert _run(app).run_values == {"feature_description": FEATURE_VALUE,
                                        "failing_tests": FAILING}
        transcript = screen.query_one(Transcript)
        assert transcript.option_count == 4 and transcript.highlighted == 3
        shown = _screen_text(app)
        assert "3. test-agent → Fix Failures → backend-agent" in shown
        assert "edited, then sent" in shown and "sent at once" in shown
        path = [m for m in messages if isinstance(m, FlowPathChanged)][-1]
        assert path.agents == ("orchestrator", "backend-agent", "test-agent")
        assert path.edges == (("orchestrator", "backend-agent", "Implement Backend"),
                              ("backend-agent", "test-agent", "Write Tests"),
                              ("test-agent", "backend-agent", "Fix Failures"))


async def _three_steps(pilot: object, app: AgentbenchApp) -> FlowScreen:
    screen = await _open(pilot, app)
    run = _run(app)
    run.take("Implement Backend", values={"feature_description": FEATURE_VALUE})
    run.take("Write Tests", prompt_override="edited")
    run.take("Fix Failures", values={"failing_tests": FAILING}, reply="fixed")
    probe.redraw(screen)
    return screen


async def test_back_forward_restart() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await _three_steps(pilot, app)
        walked = _walk(app)
        await pilot.press("left")
        await pilot.pause()
        assert _run(app).current == "test-agent" and len(_run(app).steps) == 2
        assert "failing_tests" not in _run(app).run_values  # given for the undone step
        await pilot.press("left", "left")
        await pilot.pause()
        assert _run(app).current == "orchestrator" and not _run(app).steps
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert _walk(app) == walked and _run(app).steps[2].reply == "fixed"
        await pilot.press("r")
        await pilot.pause()
        assert _run(app).current == "orchestrator" and not _run(app).steps
        await pilot.press("right")  # nothing to redo after a restart
        await pilot.pause()
        assert not _run(app).steps


async def test_branch_from_an_earlier_step_keeps_the_old_walk() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _three_steps(pilot, app)
        old = _run(app)
        transcript = screen.query_one(Transcript)
        transcript.focus()
        transcript.highlighted = 1  # step 1: orchestrator -> backend-agent
        await pilot.press("b")
        await pilot.pause()
        assert _run(app) is not old and len(old.steps) == 3 and screen.branches == [old]
        assert _walk(app) == [("orchestrator", "Implement Backend", "backend-agent")]
        # A different way from there: Plan Schema, sent as rendered.
        await pilot.press("2")
        await pilot.pause()
        await pilot.click("#flow-send")
        await pilot.pause()
        assert _walk(app)[-1] == ("backend-agent", "Plan Schema", "database-agent")
        # b on the latest step has nothing to branch from.
        transcript.highlighted = 2
        await pilot.press("b")
        await pilot.pause()
        assert len(_run(app).steps) == 2


async def test_reply_is_edited_from_the_transcript() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _three_steps(pilot, app)
        transcript = screen.query_one(Transcript)
        transcript.focus()
        transcript.highlighted = 2
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReplyScreen)
        dialog.query_one(TextArea).load_text("41 passed, 1 failed")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _run(app).steps[1].reply == "41 passed, 1 failed"
        assert transcript.highlighted == 2
        assert "↩ 41 passed, 1 failed" in _screen_text(app)


async def test_dangling_handoff_is_shown_disabled_with_reason(tmp_path: Path) -> None:
    (tmp_path / "lead.md").write_text(
        "---\nname: lead\ndescription: leads\nhandoffs:\n"
        "  - {target: ghost, label: Haunt, prompt: boo, send: true}\n"
        "  - {target: helper, label: Help, prompt: help me, send: true}\n---\nBody\n", "utf-8")
    (tmp_path / "helper.md").write_text("---\nname: helper\ndescription: helps\n---\nB\n",
                                        "utf-8")
    app = make_app(LibraryLoader.for_path(str(tmp_path)), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app)
        assert _run(app).current == "helper"  # no entry: the first agent by name
        _flow(app).start_at("lead")
        await pilot.pause()
        ghost, helper = _flow(app).query_one(FlowCard).buttons
        assert ghost.disabled and not helper.disabled
        assert "'ghost' is not an agent in this library" in str(ghost.label)
        await pilot.press("1")  # the dangling one: nothing happens
        await pilot.pause()
        assert not _run(app).steps
        await pilot.press("2")  # send: true, no values needed: taken at once
        await pilot.pause()
        assert _walk(app) == [("lead", "Help", "helper")]


async def test_record_then_replay_gives_the_same_transcript(team: Path) -> None:
    app = make_app(LibraryLoader.for_path(str(team)), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await _three_steps(pilot, app)
        walked = [(s.source, s.label, s.target, s.prompt, s.reply) for s in _run(app).steps]
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FlowNameScreen)
        name = dialog.query_one("#flow-name", Input)
        name.value = "cycle"
        await pilot.press("enter")
        await pilot.pause()
        target = team / "flows" / "cycle.yaml"
        assert target.is_file()
        written = target.read_bytes()
        # Again under the same name: never replaced silently.
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FlowNameScreen)
        assert dialog.query_one("#flow-name", Input).value == "cycle"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert str(dialog.query_one("#dialog-ok", Button).label) == "Overwrite"
        await pilot.press("escape")
        await pilot.pause()
        assert target.read_bytes() == written
    flow, problems = FlowFile.load(target)
    assert flow is not None and not problems
    # Reloaded and replayed in the app: the same transcript.
    replay = make_app(LibraryLoader.for_path(str(team)), watch=False, flow=flow)
    async with replay.run_test(size=SIZE) as pilot:
        await replay.workers.wait_for_complete()
        await replay.workers.wait_for_complete()
        await pilot.pause()
        again = [(s.source, s.label, s.target, s.prompt, s.reply) for s in _run(replay).steps]
        assert again == walked
        assert _flow(replay).problem is None


async def test_export_writes_markdown_next_to_the_library(team: Path) -> None:
    app = make_app(LibraryLoader.for_path(str(team)), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await _three_steps(pilot, app)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, FlowNameScreen)
        app.screen.query_one("#flow-name", Input).value = "cycle"
        await pilot.press("enter")
        await pilot.pause()
        text = (team / "flows" / "cycle.md").read_text("utf-8")
        assert "## 3. test-agent → Fix Failures → backend-agent" in text
        assert "sequenceDiagram" in text and FAILING in text
        # The palette offers it too while a walk is open.
        await pilot.press("ctrl+p", *"export flow")
        await pilot.pause()
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FlowNameScreen)


async def test_palette_starts_a_flow_at_any_agent() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+p", *"start flow at security")
        await pilot.pause()
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert _run(app).current == "security-agent"


async def test_demo_replays_the_recorded_flow() -> None:
    flow, _ = FlowFile.load(FEATURE)
    assert flow is not None
    app = make_app(LibraryLoader.for_path(str(DEMO)), watch=False, flow=flow)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = _flow(app)
        expected, problem = flow.replay(app.library)  # type: ignore[arg-type]
        assert problem is None and expected is not None
        assert _run(app).transcript == expected.transcript
        assert "end of the recording" in _screen_text(app)
        await pilot.press("left", "left")
        await pilot.pause()
        assert len(_run(app).steps) == 4
        await pilot.press("right")
        await pilot.pause()
        assert len(_run(app).steps) == 5
        assert screen.script is flow


async def test_autoplay_advances_by_timer_steps_and_pauses() -> None:
    flow, _ = FlowFile.load(FEATURE)
    assert flow is not None
    app = make_app(LibraryLoader.for_path(str(DEMO)), watch=False, flow=flow,
                   autoplay=60)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = _flow(app)
        assert screen.player.playing and not _run(app).steps
        for _ in range(3):
            screen.action_advance()  # what the timer calls
        await pilot.pause()
        assert _walk(app)[-1] == ("test-agent", "Fix Failures", "backend-agent")
        await pilot.press("space")
        assert not screen.player.playing
        await pilot.press("space")
        assert screen.player.playing
        for _ in range(4):
            screen.action_advance()
        await pilot.pause()
        assert len(_run(app).steps) == 6 and not screen.player.playing  # the end pauses
        await pilot.press("space")  # at the end: from the start again
        assert screen.player.playing and not _run(app).steps


async def test_replay_stops_at_a_step_that_no_longer_exists(team: Path) -> None:
    test_agent = team / "test-agent.md"
    test_agent.write_text(test_agent.read_text("utf-8").replace("Fix Failures", "Repair"),
                          "utf-8")
    flow, _ = FlowFile.load(team / "flows" / "feature.yaml")
    assert flow is not None
    app = make_app(LibraryLoader.for_path(str(team)), watch=False, flow=flow)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = _flow(app)
        assert len(_run(app).steps) == 2 and screen.problem is not None
        assert "step 3 ('Fix Failures' from 'test-agent') no longer exists" in \
            screen.problem.message
        assert "replay stopped: step 3 ('Fix Failures' from 'test-agent')" in _screen_text(app)


async def test_reload_rebases_the_walk_and_names_the_missing_step(team: Path) -> None:
    app = make_app(LibraryLoader.for_path(str(team)), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _three_steps(pilot, app)
        backend = team / "backend-agent.md"
        backend.write_text(backend.read_text("utf-8").replace('"Write Tests"', '"Test It"'),
                           "utf-8")
        app.load_library()
        await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.problem is not None and "step 2 ('Write Tests'" in screen.problem.message
        assert _walk(app) == [("orchestrator", "Implement Backend", "backend-agent")]


async def test_hostile_names_and_labels_are_shown_literally(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        '---\nname: "[@click=app.quit]a[/]"\ndescription: "[b]x[/b]"\nhandoffs:\n'
        '  - {target: "[red]b", label: "[@click=app.quit]go[/]", prompt: "[/] {{who}}",'
        " send: false}\n---\nBody\n", "utf-8")
    (tmp_path / "b.md").write_text('---\nname: "[red]b"\ndescription: d\n---\nB\n', "utf-8")
    app = make_app(LibraryLoader.for_path(str(tmp_path)), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app)
        _flow(app).start_at("[@click=app.quit]a[/]")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await _answer(pilot, app, "[bold]me")
        await pilot.click("#flow-send")
        await pilot.pause()
        shown = _screen_text(app)
        assert "1. [@click=app.quit]a[/] → [@click=app.quit]go[/]" in shown
        assert "[red]b  model not set" in shown
        assert "[/] [bold]me" in shown
        assert app.is_running


async def test_demo_command_passes_flow_and_autoplay() -> None:
    accepted = inspect.signature(make_app).parameters
    assert "flow" in accepted and "autoplay" in accepted


async def test_reload_keeps_a_prompt_being_edited(team: Path) -> None:
    app = make_app(LibraryLoader.for_path(str(team)), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _three_steps(pilot, app)
        await pilot.press("1")  # backend-agent: Design API, send: false
        await pilot.pause()
        box = screen.query_one(ComposeBox)
        box.text_area.load_text("my edit")
        docs = team / "docs-agent.md"
        docs.write_text(docs.read_text("utf-8").replace("accurate and short", "short"), "utf-8")
        app.load_library()
        await app.workers.wait_for_complete()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.problem is None and len(_run(app).steps) == 3
        assert box.display and box.text_area.text == "my edit"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _run(app).steps[-1].prompt == "my edit" and _run(app).current == "api-agent"
