"""The watcher's rules, without Textual: what a batch of file events means to agentbench."""

from __future__ import annotations

import asyncio
import errno
import os
from pathlib import Path

import pytest

from agentbench.ui.watcher import (
    REMOVAL_HOLD_S,
    Changes,
    ChangeTracker,
    WatchTargets,
    WatchUnavailable,
    explain,
    follow,
    kind_of,
    watch_targets,
)

ROOT = os.path.abspath("/lib")
ADDED, MODIFIED, DELETED = 1, 2, 3  # watchfiles.Change values; the tracker ignores them


def p(name: str) -> str:
    return os.path.join(ROOT, name)


class FakeDisk:
    """Which paths exist, for a tracker that never touches the real disk."""

    def __init__(self, *files: str, dirs: tuple[str, ...] = ()) -> None:
        self.files = set(files)
        self.dirs = set(dirs)

    def tracker(self, known: tuple[str, ...] = ()) -> ChangeTracker:
        tracker = ChangeTracker((ROOT,), exists=self.exists, isdir=self.dirs.__contains__)
        tracker.set_known(known)
        return tracker

    def exists(self, path: str) -> bool:
        return path in self.files or path in self.dirs


def test_existing_known_file_is_modified_and_new_one_added() -> None:
    disk = FakeDisk(p("a.md"), p("b.md"))
    tracker = disk.tracker(known=(p("a.md"),))
    ready = tracker.feed({(MODIFIED, p("a.md")), (ADDED, p("b.md"))}, now=0.0)
    assert ready == Changes(added=frozenset({p("b.md")}), modified=frozenset({p("a.md")}))


def test_atomic_save_is_one_modification() -> None:
    """Write-temp-then-rename arrives as added + deleted of the same path, in no order."""
    disk = FakeDisk(p("a.md"))
    tracker = disk.tracker(known=(p("a.md"),))
    batch = {(ADDED, p("a.md")), (DELETED, p("a.md")), (ADDED, p(".a.md.tmp")),
             (DELETED, p(".a.md.tmp"))}
    assert tracker.feed(batch, now=0.0) == Changes(modified=frozenset({p("a.md")}))


@pytest.mark.parametrize("name", ["4913", "a.md.tmp", ".a.md.swp", "a.md~", ".#a.md",
                                  "a.md.kate-swp", "#a.md#", "a.md___jb_tmp___", "notes.txt",
                                  "README.md", "node_modules/x.md", ".git/x.md",
                                  ".hidden/x.md", "build/x.md"])
def test_temporary_swap_and_foreign_files_are_ignored(name: str) -> None:
    disk = FakeDisk(p(name))
    tracker = disk.tracker()
    assert not tracker.feed({(ADDED, p(name)), (MODIFIED, p(name))}, now=0.0)


def test_agent_folders_github_and_claude_are_followed() -> None:
    for name in (".github/agents/x.md", ".claude/agents/y.md", "team/z.agent.md"):
        disk = FakeDisk(p(name))
        assert disk.tracker().feed({(ADDED, p(name))}, now=0.0).added == {p(name)}


def test_removal_is_held_then_confirmed() -> None:
    disk = FakeDisk()
    tracker = disk.tracker(known=(p("a.md"),))
    assert not tracker.feed({(DELETED, p("a.md"))}, now=0.0)
    assert tracker.holding
    assert not tracker.tick(now=REMOVAL_HOLD_S / 2)
    assert tracker.tick(now=REMOVAL_HOLD_S) == Changes(removed=frozenset({p("a.md")}))
    assert not tracker.holding and p("a.md") not in tracker.known


def test_delete_then_create_in_two_batches_is_one_modification() -> None:
    disk = FakeDisk()
    tracker = disk.tracker(known=(p("a.md"),))
    assert not tracker.feed({(DELETED, p("a.md"))}, now=0.0)
    disk.files.add(p("a.md"))
    assert tracker.feed({(ADDED, p("a.md"))}, now=0.1) == Changes(
        modified=frozenset({p("a.md")}))
    assert not tracker.tick(now=1.0)


def test_a_file_that_came_back_before_the_hold_ended_is_not_removed() -> None:
    disk = FakeDisk()
    tracker = disk.tracker(known=(p("a.md"),))
    tracker.feed({(DELETED, p("a.md"))}, now=0.0)
    disk.files.add(p("a.md"))  # recreated, but its event is still on its way
    assert not tracker.tick(now=REMOVAL_HOLD_S)
    assert not tracker.holding


def test_rename_is_held_together_as_one_change() -> None:
    disk = FakeDisk(p("new.md"))
    tracker = disk.tracker(known=(p("old.md"),))
    assert not tracker.feed({(DELETED, p("old.md")), (ADDED, p("new.md"))}, now=0.0)
    ready = tracker.tick(now=REMOVAL_HOLD_S)
    assert ready == Changes(added=frozenset({p("new.md")}), removed=frozenset({p("old.md")}))


def test_unknown_file_that_came_and_went_is_nothing() -> None:
    tracker = FakeDisk().tracker()
    assert not tracker.feed({(ADDED, p("a.md")), (DELETED, p("a.md"))}, now=0.0)
    assert not tracker.holding


def test_file_added_then_deleted_before_a_load_is_still_seen_going() -> None:
    disk = FakeDisk(p("a.md"))
    tracker = disk.tracker()
    assert tracker.feed({(ADDED, p("a.md"))}, now=0.0).added == {p("a.md")}
    disk.files.clear()
    tracker.feed({(DELETED, p("a.md"))}, now=0.1)
    assert tracker.tick(now=1.0).removed == {p("a.md")}


def test_settings_files() -> None:
    assert kind_of(p("agentbench.yaml")) == "settings"
    assert kind_of("/proj/.github/agent-config.yml") == "settings"
    assert kind_of(p("flows/feature.yaml")) == "settings"
    assert kind_of("/proj/agent-config.yml") is None
    assert kind_of(p("x.md")) == "agent"
    disk = FakeDisk("/proj/agentbench.yaml")
    ready = disk.tracker().feed({(MODIFIED, "/proj/agentbench.yaml")}, now=0.0)
    assert ready.settings == {"/proj/agentbench.yaml"} and ready.count == 1


def test_folders_appearing_or_vanishing_ask_for_a_rescan() -> None:
    disk = FakeDisk(dirs=(p("team"),))
    assert disk.tracker().feed({(ADDED, p("team"))}, now=0.0).rescan
    gone = FakeDisk().tracker(known=(p("old/a.md"),))
    assert gone.feed({(DELETED, p("old"))}, now=0.0).rescan
    # A temporary folder nothing was read from is not a reason to reload.
    assert not FakeDisk().tracker().feed({(DELETED, p("tmpdir"))}, now=0.0)


def test_merge_keeps_the_net_effect() -> None:
    a, b = p("a.md"), p("b.md")
    assert Changes(removed=frozenset({a})).merge(Changes(added=frozenset({a}))) == Changes(
        modified=frozenset({a}))
    assert not Changes(added=frozenset({a})).merge(Changes(removed=frozenset({a})))
    assert Changes(added=frozenset({a})).merge(Changes(modified=frozenset({a}))) == Changes(
        added=frozenset({a}))
    merged = Changes(modified=frozenset({a})).merge(Changes(removed=frozenset({b})))
    assert merged == Changes(modified=frozenset({a}), removed=frozenset({b}))
    assert Changes(rescan=True).merge(Changes()).rescan


def test_watch_targets_watch_the_root_deep_and_workspace_folders_flat(tmp_path: Path) -> None:
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / ".github" / "agents" / "sub").mkdir(parents=True)
    (tmp_path / ".github" / "agent-config.yml").write_text("overrides: {}\n")
    (tmp_path / "agentbench.yaml").write_text("profiles: {}\n")
    root = tmp_path / ".github" / "agents"
    targets = watch_targets([str(root)])
    assert targets.recursive == (str(root),)
    assert set(targets.flat) == {str(tmp_path / ".github"), str(tmp_path)}


def test_workspace_inside_the_root_needs_no_second_watch(tmp_path: Path) -> None:
    (tmp_path / "agentbench.yaml").write_text("profiles: {}\n")
    assert watch_targets([str(tmp_path)]) == WatchTargets((str(tmp_path),), ())


def test_a_file_root_is_followed_through_its_folder(tmp_path: Path) -> None:
    agent = tmp_path / "one.md"
    agent.write_text("---\nname: one\n---\n")
    targets = watch_targets([str(agent)])
    assert targets.recursive == () and str(tmp_path) in targets.flat
    tracker = ChangeTracker((str(agent),))
    assert tracker.feed({(MODIFIED, str(agent))}, now=0.0).added == {str(agent)}
    (tmp_path / "other.md").write_text("x")
    assert not tracker.feed({(ADDED, str(tmp_path / "other.md"))}, now=0.0)


def test_explain_says_what_to_do() -> None:
    assert "max_user_watches" in explain(OSError(errno.ENOSPC, "OS file watch limit reached"))
    assert "permission denied" in explain(PermissionError(13, "denied"))
    assert "RuntimeError" in explain(RuntimeError("boom"))


@pytest.mark.asyncio
async def test_follow_reports_a_real_write(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nname: a\n---\n")
    tracker = ChangeTracker((str(tmp_path),))
    tracker.set_known([str(tmp_path / "a.md")])
    seen: asyncio.Queue[Changes] = asyncio.Queue()
    stop, watching = asyncio.Event(), asyncio.Event()
    task = asyncio.ensure_future(follow(WatchTargets((str(tmp_path),)), tracker,
                                        seen.put_nowait, stop, watching))
    await asyncio.wait_for(watching.wait(), 10)
    (tmp_path / "a.md").write_text("---\nname: a\n---\nedited\n")
    (tmp_path / "a.md.swp").write_text("swap")
    changes = await asyncio.wait_for(seen.get(), 10)
    assert changes == Changes(modified=frozenset({str(tmp_path / "a.md")}))
    stop.set()
    await asyncio.wait_for(task, 10)


@pytest.mark.asyncio
async def test_follow_turns_a_refusal_into_watch_unavailable(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone")
    with pytest.raises(WatchUnavailable, match="no longer exists"):
        await asyncio.wait_for(follow(WatchTargets((missing,)), ChangeTracker((missing,)),
                                      lambda _: None, asyncio.Event()), 10)
