"""Structured edits change only the lines they must, undo exactly, and never lose a file."""

from __future__ import annotations

import difflib
import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from agentbench.core.library.loader import load_library
from agentbench.core.model import Handoff, Severity
from agentbench.core.read.parse import parse_bytes
from agentbench.core.write.agent_edit import (
    add_handoff,
    edit_handoff,
    move_handoff,
    remove_handoff,
    set_field,
)
from agentbench.core.write.atomic import WriteRefused
from agentbench.core.write.change import (
    EditError,
    FileChange,
    change_file,
    save,
    save_all,
    undo,
)
from agentbench.core.write.rename import plan_rename

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "copilot-agent-factory"
FILES = sorted([*CORPUS.glob("agent-templates/*.md"), *CORPUS.glob(".github/agents/*.md"),
                *(REPO / "agents").glob("*.md")])
NEW = Handoff("review-agent", 'Review "this"', "Review {{pr_url}}: focus on tests", True)

Write = Callable[[str, str | bytes], Path]


def changed_lines(before: bytes, after: bytes) -> list[str]:
    """The -/+ lines of the unified diff."""
    diff = difflib.unified_diff(before.decode().split("\n"), after.decode().split("\n"),
                                lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")]


def handoffs(path: Path, data: bytes) -> tuple[Handoff, ...]:
    parsed = parse_bytes(str(path), data)
    assert parsed.agent is not None
    return parsed.agent.handoffs


def test_the_corpus_is_there() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not present")
    assert len(FILES) == 60


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_edits_change_only_their_lines_and_invert_exactly(path: Path) -> None:
    data = path.read_bytes()
    existing = handoffs(path, data)
    count = len(existing)
    target_key = "agent" if ".github" in path.parts else "target"

    added = add_handoff(data, str(path), NEW)
    expected = [
        f"+  - {target_key}: review-agent",
        '+    label: "Review \\"this\\""',
        '+    prompt: "Review {{pr_url}}: focus on tests"',
        "+    send: true",
    ]
    # Only additions, exactly the new item's lines (difflib may align a repeated line such
    # as `send: true` differently, so the lines are compared in order of their text).
    assert sorted(changed_lines(data, added)) == sorted(
        expected if count else ["+handoffs:", *expected])
    assert handoffs(path, added)[-1] == Handoff(
        "review-agent", 'Review "this"', "Review {{pr_url}}: focus on tests", True,
        handoffs(path, added)[-1].line, target_key)
    assert remove_handoff(added, str(path), count) == data
    if not count:
        return

    first = add_handoff(data, str(path), NEW, 0)
    assert len(changed_lines(data, first)) == 4
    assert handoffs(path, first)[0].target == "review-agent"
    assert remove_handoff(first, str(path), 0) == data

    last = count - 1
    relabelled = edit_handoff(data, str(path), last, {"label": "Renamed"})
    assert changed_lines(data, relabelled) == [
        f'-    label: "{existing[last].label}"', '+    label: "Renamed"']
    assert edit_handoff(relabelled, str(path), last, {"label": existing[last].label}) == data

    flip = not existing[0].send
    sent = edit_handoff(data, str(path), existing[0], {"send": flip, "model": "gpt-5"})
    assert changed_lines(data, sent) == [f"-    send: {str(not flip).lower()}",
                                         f"+    send: {str(flip).lower()}",
                                         '+    model: "gpt-5"']
    assert edit_handoff(sent, str(path), 0, {"send": not flip, "model": None}) == data

    moved = move_handoff(data, str(path), 0, last)
    assert [h.target for h in handoffs(path, moved)] == [
        *(h.target for h in existing[1:]), existing[0].target]
    assert move_handoff(moved, str(path), last, 0) == data

    removed = remove_handoff(data, str(path), existing[last])
    assert len(changed_lines(data, removed)) == (4 if count > 1 else 5)  # + `handoffs:`
    old = existing[last]
    back = Handoff(old.target, old.label, old.prompt, old.send)
    assert add_handoff(removed, str(path), back, last, target_key=old.target_key) == data


def test_body_and_frontmatter_outside_the_edit_stay_byte_for_byte() -> None:
    path = REPO / "agents" / "orchestrator.md"
    data = path.read_bytes()
    after = add_handoff(data, str(path), NEW, 2)
    body = data.split(b"\n---\n", 1)[1]
    assert after.endswith(body)
    assert after.startswith(data[: data.index(b"  - target: database-agent")])


ODD = """---
name: odd   # the agent's name
description: 'single quoted'
handoffs:
  # the API comes first
  - target: api-agent
    label: Plain label   # a comment
    prompt: >
      folded
      prompt
    send: false

  - {target: inline, label: x, prompt: y}
---
body
"""


def test_comments_quoting_and_odd_layouts_survive() -> None:
    data = ODD.replace("  - {target: inline, label: x, prompt: y}\n", "").encode()
    relabelled = edit_handoff(data, "a.md", 0, {"label": "New: label"})
    assert changed_lines(data, relabelled) == [
        "-    label: Plain label   # a comment", '+    label: "New: label"   # a comment']
    prompt = edit_handoff(data, "a.md", 0, {"prompt": "one line"})
    # A folded prompt becomes one quoted line; the lines around it are untouched.
    assert changed_lines(data, prompt) == ["-    prompt: >", "-      folded", "-      prompt",
                                           '+    prompt: "one line"']
    described = set_field(data, "description", "it's new")
    assert changed_lines(data, described) == ["-description: 'single quoted'",
                                              "+description: 'it''s new'"]
    renamed = set_field(data, "name", "even")
    assert changed_lines(data, renamed) == ["-name: odd   # the agent's name",
                                            "+name: even   # the agent's name"]
    # The comment above a handoff moves and goes with it.
    two = add_handoff(data, "a.md", Handoff("b", "B", "p", False))
    moved = move_handoff(two, "a.md", 0, 1).decode()
    assert moved.index("  - target: b") < moved.index("  # the API comes first") < moved.index(
        "  - target: api-agent")
    assert move_handoff(moved.encode(), "a.md", 1, 0) == two


def test_inline_handoffs_are_refused_with_a_reason() -> None:
    with pytest.raises(EditError, match="not written as 'key: value' lines"):
        add_handoff(ODD.encode(), "a.md", NEW)
    with pytest.raises(EditError, match="inline"):
        add_handoff(b"---\nname: a\nhandoffs: [{target: b}]\n---\n", "a.md", NEW)


def test_adding_the_first_handoff_and_removing_it_again() -> None:
    data = b"---\nname: a\ndescription: d\n---\nbody\n"
    added = add_handoff(data, "a.md", NEW)
    assert added.decode().endswith(
        'handoffs:\n  - target: review-agent\n    label: "Review \\"this\\""\n'
        '    prompt: "Review {{pr_url}}: focus on tests"\n    send: true\n---\nbody\n')
    assert remove_handoff(added, "a.md", 0) == data
    empty = b"---\nname: a\nhandoffs: []  # none yet\n---\n"
    assert add_handoff(empty, "a.md", NEW).startswith(
        b"---\nname: a\nhandoffs:  # none yet\n  - target: review-agent\n")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_crlf_and_bom_files_keep_their_line_endings_and_bom(bom: bytes) -> None:
    path = REPO / "agents" / "backend-agent.md"
    data = bom + path.read_bytes().replace(b"\n", b"\r\n")
    after = add_handoff(data, "backend-agent.md", NEW)
    assert after.startswith(bom + b"---\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert b'    send: true\r\n' in after
    assert remove_handoff(after, "backend-agent.md", 4) == data
    relabelled = edit_handoff(data, "backend-agent.md", 0, {"label": "API"})
    assert relabelled == data.replace(b'label: "Design API"', b'label: "API"')


def test_unknown_fields_and_positions_are_refused() -> None:
    data = (REPO / "agents" / "backend-agent.md").read_bytes()
    with pytest.raises(EditError, match="no field"):
        edit_handoff(data, "a.md", 0, {"colour": "red"})
    with pytest.raises(EditError, match="no handoff 9"):
        remove_handoff(data, "a.md", 8)
    with pytest.raises(EditError, match="not valid UTF-8"):
        add_handoff(b"---\nname: \xff\n---\n", "a.md", NEW)


# --- saving ---------------------------------------------------------------------------------


@pytest.fixture
def agent_file(write: Write) -> Path:
    return write("agents/backend-agent.md", (REPO / "agents" / "backend-agent.md").read_bytes())


def relabel(data: bytes) -> bytes:
    return edit_handoff(data, "backend-agent.md", 0, {"label": "API first"})


def test_save_then_undo_restores_the_original_bytes(agent_file: Path) -> None:
    original = agent_file.read_bytes()
    saved = save(change_file(str(agent_file), relabel, "relabel"))
    assert b"API first" in agent_file.read_bytes()
    assert saved.previous == original
    undo(saved)
    assert agent_file.read_bytes() == original


def test_a_file_changed_underneath_is_not_overwritten(agent_file: Path) -> None:
    change = change_file(str(agent_file), relabel)
    agent_file.write_bytes(agent_file.read_bytes() + b"\nThe user's own edit.\n")
    with pytest.raises(WriteRefused, match="changed on disk"):
        save(change)
    assert agent_file.read_bytes().endswith(b"The user's own edit.\n")


def test_undo_refuses_when_the_file_changed_after_the_save(agent_file: Path) -> None:
    saved = save(change_file(str(agent_file), relabel))
    agent_file.write_bytes(b"edited elsewhere")
    with pytest.raises(WriteRefused, match="changed"):
        undo(saved)
    assert agent_file.read_bytes() == b"edited elsewhere"


def test_a_read_only_file_is_refused_and_left_intact(agent_file: Path) -> None:
    original = agent_file.read_bytes()
    agent_file.chmod(0o444)
    try:
        with pytest.raises(WriteRefused, match="read-only"):
            save(change_file(str(agent_file), relabel))
        assert agent_file.read_bytes() == original
    finally:
        agent_file.chmod(0o644)


@pytest.mark.parametrize("where", ["replace", "write"])
def test_disk_full_during_save_keeps_the_original_and_no_temp_file(
    agent_file: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    original = agent_file.read_bytes()
    change = change_file(str(agent_file), relabel)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "replace":
        monkeypatch.setattr(os, "replace", full)
    else:
        monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteRefused, match="No space left on device"):
        save(change)
    assert agent_file.read_bytes() == original
    assert sorted(p.name for p in agent_file.parent.iterdir()) == ["backend-agent.md"]


def test_save_all_undoes_the_saved_files_when_one_fails(write: Write) -> None:
    a = write("a.md", b"---\nname: a\n---\n")
    b = write("b.md", b"---\nname: b\n---\n")
    changes = [change_file(str(p), lambda d: set_field(d, "description", "x")) for p in (a, b)]
    b.write_bytes(b"---\nname: b\n---\nchanged\n")
    with pytest.raises(WriteRefused):
        save_all(changes)
    assert a.read_bytes() == b"---\nname: a\n---\n"


# --- rename across the library --------------------------------------------------------------


@pytest.fixture
def team(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "agents", tmp_path / "agents")
    return tmp_path / "agents"


def test_rename_lists_its_files_then_updates_every_handoff(team: Path) -> None:
    library = load_library(str(team))
    targeting = sorted({a.path for a in library.agents
                        if any(h.target == "test-agent" for h in a.handoffs)})
    plan = plan_rename(library, "test-agent", "qa-agent")
    test_file = str(team / "test-agent.md")
    flow = str(team / "flows" / "feature.yaml")  # `to: test-agent` in a recorded flow
    assert plan.files == sorted(
        [*targeting, flow, f"{test_file} -> {team / 'qa-agent.md'}"])
    before = {p: Path(p).read_bytes() for p in [*targeting, flow]}
    for change in plan.changes:
        if change.path in targeting:
            lines = changed_lines(change.before or b"", change.after)
            assert all(line.strip("+- ") in ("target: test-agent", "target: qa-agent")
                       for line in lines)
    saved = save_all(plan.changes)
    renamed = load_library(str(team))
    assert renamed.get("qa-agent") is not None and renamed.get("test-agent") is None
    assert not [d for d in renamed.diagnostics if d.code in ("AB403", "AB307")]
    for item in reversed(saved):
        undo(item)
    assert {p: Path(p).read_bytes() for p in before} == before
    assert (team / "test-agent.md").exists() and not (team / "qa-agent.md").exists()


def test_rename_updates_the_workspace_entry(team: Path) -> None:
    plan = plan_rename(load_library(str(team)), "orchestrator", "lead")
    assert str(team / "agentbench.yaml") in plan.files
    save_all(plan.changes)
    library = load_library(str(team))
    assert library.workspace is not None and library.workspace.entry == "lead"
    # The flow (agents/flows/feature.yaml) starts at it too, and is renamed with it.
    assert not [d for d in library.diagnostics
                if d.severity is Severity.ERROR or d.code.startswith("AB9")]


def test_rename_refuses_a_taken_or_bad_name(team: Path) -> None:
    library = load_library(str(team))
    with pytest.raises(EditError, match="already exists"):
        plan_rename(library, "test-agent", "docs-agent")
    with pytest.raises(EditError, match="no agent named"):
        plan_rename(library, "nobody", "x")
    with pytest.raises(EditError, match="line breaks"):
        plan_rename(library, "test-agent", "a\nb")


def test_a_change_is_a_plain_value_until_saved(agent_file: Path) -> None:
    change = change_file(str(agent_file), relabel)
    assert isinstance(change, FileChange) and change.changed
    assert change.diff().startswith(f"--- a/{agent_file}\n+++ b/{agent_file}\n")
    assert os.stat(agent_file).st_size == len(change.before or b"")
