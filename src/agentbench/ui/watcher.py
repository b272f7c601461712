"""Following the library on disk: which folders to watch, and what a batch of events means.

No Textual here, so the rules are unit-tested on their own (tests/test_watcher.py). The app
runs `follow` in one exclusive async worker and turns each `Changes` into a message.

What watchfiles 1.3 delivers, measured here, and what this module does about it:
- a batch is an unordered set, and an atomic save (write temp, rename over) arrives as
  added + deleted of the same path: each path's existence is re-checked, the event kind
  is not trusted;
- temporary and swap files (`.tmp`, vim's `4913`, `.swp`, `~`, `.#x.md`) pass its default
  filter: only paths our own discovery rules would read count;
- a delete followed by a create ~100 ms later is two batches: a removal is held for
  `REMOVAL_HOLD_S` and dropped if the file comes back, so delete-and-recreate is one change;
- latency is set by `step` (a batch is yielded once nothing new arrived for one step), and
  measured here: the defaults (debounce=1600, step=50) delivered a save after 81 ms (p50);
  step=10 after 21 ms; step=5 after 11 ms. Idle cost of the whole app while watching the
  demo team: 0.50% of a core at step=10, 0.65% at step=5 (0% without watching). step=5 is
  chosen: the save-to-screen budget is 100 ms p95 and this buys 10 ms of it for 0.15% of
  a core. (step=5 also slowed a
  1,000-file writer thread in the same process; editors and git are other processes.)
  `debounce` caps how long a continuous burst is gathered before a batch is yielded:
  200 ms turned a ~250 ms git-checkout-like burst of 1,000 writes into 2 batches (50 ms:
  5 batches), and bursts are coalesced into one reload anyway (FilesChanged.can_replace,
  one load at a time). Polling mode is never used (it missed changes and cost up to 31%
  of a core).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentbench.core.library.loader import is_agent_file_name, is_candidate_dir
from agentbench.core.library.workspace import AGENT_CONFIG, WORKSPACE_NAME, find_upwards

DEBOUNCE_MS = 200
STEP_MS = 5
# How long a vanished file may take to come back before it counts as removed.
REMOVAL_HOLD_S = 0.2
# How often the watch thread returns to Python when nothing happens (it still checks for
# stop every `step`): measured idle cost of awatch at step=5, 0.95% of a core with 100 ms,
# 0.50% with 5,000 ms. Held removals are timed on the event loop instead.
IDLE_MS = 5000


@dataclass(frozen=True)
class Changes:
    """Files that changed, after re-checking the disk and filtering by our own rules."""

    added: frozenset[str] = frozenset()
    modified: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    # Workspace or flow files changed (values, profiles, entry, flow checks).
    settings: frozenset[str] = frozenset()
    # A folder appeared or went away: its files were not reported one by one.
    rescan: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.removed or self.settings
                    or self.rescan)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.modified) + len(self.removed) + len(self.settings)

    def merge(self, later: Changes) -> Changes:
        """This change followed by `later`, as one change."""
        touched = later.added | later.modified
        # Added then removed never existed for the library; removed then added was edited.
        added = (self.added - later.removed) | (later.added - self.removed)
        removed = (self.removed - touched) | (later.removed - self.added)
        modified = ((self.modified - later.removed) | (later.modified - self.added)
                    | (self.removed & touched))
        return Changes(frozenset(added), frozenset(modified), frozenset(removed),
                       self.settings | later.settings, self.rescan or later.rescan)


@dataclass(frozen=True)
class WatchTargets:
    """Library roots (watched recursively) and the folders holding workspace files (not)."""

    recursive: tuple[str, ...]
    flat: tuple[str, ...] = ()


def watch_targets(roots: Iterable[str]) -> WatchTargets:
    """Folders to watch so every file the loader reads is followed.

    A root folder is watched deep. A root that is a file is followed through its folder,
    flat (editors replace files, and a watch on the file itself dies with the old inode).
    Workspace files found above a root are followed through their folders, flat, never deep:
    a project folder can hold node_modules, and a deep watch costs one inotify watch per
    folder. Each extra kind of watch is one more thread waking every `step` (measured: the
    idle cost doubles), so folders holding nothing we read are not watched.
    """
    recursive: list[str] = []
    flat: list[str] = []
    for root in roots:
        path = os.path.abspath(root)
        start = path if os.path.isdir(path) else os.path.dirname(path)
        (recursive if start == path else flat).append(start)
        for name in (WORKSPACE_NAME, AGENT_CONFIG):
            found = find_upwards(Path(start), name)
            if found is not None:
                flat.append(str(found.parent))
    covered = tuple(recursive)
    kept = [f for f in dict.fromkeys(flat) if os.path.isdir(f) and not _inside(f, covered)]
    return WatchTargets(tuple(dict.fromkeys(recursive)), tuple(kept))


def _inside(path: str, folders: tuple[str, ...]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def kind_of(path: str) -> str | None:
    """What a path is to agentbench by its name alone: "agent", "settings" or None."""
    parts = Path(path).parts
    name = parts[-1] if parts else ""
    if name == WORKSPACE_NAME:
        return "settings"
    if len(parts) >= 2 and (parts[-2], name) == AGENT_CONFIG.parts:
        return "settings"
    if len(parts) >= 2 and parts[-2] == "flows" and name.endswith((".yaml", ".yml")) \
            and not name.startswith("."):
        return "settings"
    if is_agent_file_name(name):
        return "agent"
    return None


@dataclass
class ChangeTracker:
    """Turns raw watchfiles batches into `Changes`, holding removals briefly.

    `known` is the set of agent files the library currently holds (the app updates it after
    every load): a path that exists and is known was modified, one that exists and is not
    known was added, one that is known and gone is held, then removed.
    """

    roots: tuple[str, ...]
    hold: float = REMOVAL_HOLD_S
    exists: Callable[[str], bool] = os.path.exists
    isdir: Callable[[str], bool] = os.path.isdir
    known: set[str] = field(default_factory=set)
    _held: dict[str, float] = field(default_factory=dict)
    _waiting: Changes = field(default_factory=Changes)

    def set_known(self, paths: Iterable[str]) -> None:
        self.known = {os.path.abspath(p) for p in paths}

    def feed(self, batch: Iterable[tuple[object, str]], now: float) -> Changes:
        """One batch in; the changes that are ready to act on out (possibly none)."""
        added: set[str] = set()
        modified: set[str] = set()
        settings: set[str] = set()
        rescan = False
        for path in {os.path.abspath(p) for _, p in batch}:
            kind = kind_of(path)
            if kind == "settings":
                settings.add(path)
            elif kind == "agent" and self._in_library(path):
                if self.isdir(path):
                    rescan = True  # a folder named like an agent file: discovery reports it
                elif self.exists(path):
                    self._held.pop(path, None)
                    (modified if path in self.known else added).add(path)
                elif path in self.known:
                    self._held.setdefault(path, now)
            elif kind is None and self._is_library_folder(path):
                rescan = True
        self._waiting = self._waiting.merge(Changes(
            frozenset(added), frozenset(modified), frozenset(), frozenset(settings), rescan))
        return self.tick(now)

    def due(self, now: float) -> float | None:
        """Seconds until the next held removal is to be confirmed; None when none is held."""
        if not self._held:
            return None
        return max(0.0, min(self._held.values()) + self.hold - now)

    def tick(self, now: float) -> Changes:
        """Confirm held removals whose time is up; release what waited for them."""
        gone = {p for p, since in self._held.items() if now - since >= self.hold}
        for path in gone:
            del self._held[path]
        gone = {p for p in gone if not self.exists(p)}
        if gone:
            self._waiting = self._waiting.merge(Changes(removed=frozenset(gone)))
        if self._held:
            # A rename is a removal and an addition: keep them together, as one change.
            return Changes()
        ready, self._waiting = self._waiting, Changes()
        # What the next load will hold, so a file added now and deleted soon is seen going.
        self.known = (self.known | ready.added) - ready.removed
        return ready

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def _in_library(self, path: str) -> bool:
        for root in self.roots:
            if path == root:
                return True
            if path.startswith(root.rstrip(os.sep) + os.sep):
                folders = path[len(root.rstrip(os.sep)) + 1:].split(os.sep)[:-1]
                return all(is_candidate_dir(f) for f in folders)
        return False

    def _is_library_folder(self, path: str) -> bool:
        """A folder inside a root, appearing or vanishing (git checkout, mv of a folder)."""
        if not self._in_library(path) or not is_candidate_dir(os.path.basename(path)):
            return False
        if self.isdir(path):
            return True
        prefix = path + os.sep
        return any(k.startswith(prefix) for k in self.known)



class WatchUnavailable(Exception):
    """Watching cannot start or stopped: the reason, in words for the header."""


async def follow(targets: WatchTargets, tracker: ChangeTracker,
                 on_changes: Callable[[Changes], None], stop_event: asyncio.Event,
                 watching: asyncio.Event | None = None, debounce: int = DEBOUNCE_MS,
                 step: int = STEP_MS) -> None:
    """Watch until `stop_event` is set, calling `on_changes` for each settled change.

    `watching` is set once the system's watches exist, so a file written afterwards is
    seen (tests wait on it). Raises WatchUnavailable, with a reason a user can act on, when
    the system refuses.
    """
    import watchfiles  # ~25 ms; only a watching app pays it

    loop = asyncio.get_running_loop()
    # One awatch per kind of target (the roots deep, the folders above them flat), merged.
    queue: asyncio.Queue[set[tuple[Any, str]] | BaseException | None] = asyncio.Queue()

    async def pump(paths: tuple[str, ...], recursive: bool) -> None:
        try:
            async for batch in watchfiles.awatch(
                    *paths, debounce=debounce, step=step, stop_event=stop_event,
                    recursive=recursive, force_polling=False, rust_timeout=IDLE_MS):
                queue.put_nowait(batch)
            queue.put_nowait(None)
        except Exception as error:
            queue.put_nowait(error)

    tasks = [asyncio.ensure_future(pump(paths, recursive))
             for paths, recursive in ((targets.recursive, True), (targets.flat, False))
             if paths]
    try:
        # Each pump ran up to its first wait, and awatch sets its watches up before that: a
        # file written from now on is seen (or the refusal is already in the queue).
        await asyncio.sleep(0)
        if watching is not None and queue.empty():
            watching.set()
        ended = 0
        while ended < len(tasks):
            try:
                # Held removals have a deadline; otherwise wait for the next batch.
                item = await asyncio.wait_for(queue.get(), tracker.due(loop.time()))
            except TimeoutError:
                item = set()
            if item is None:
                ended += 1
                continue
            if isinstance(item, BaseException):
                raise item
            ready = tracker.feed(item, loop.time())
            if ready:
                on_changes(ready)
    except asyncio.CancelledError:
        raise
    except Exception as error:
        raise WatchUnavailable(explain(error)) from error
    finally:
        stop_event.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def explain(error: BaseException) -> str:
    """Why watching failed, in words that say what to do about it."""
    text = str(error)
    if isinstance(error, PermissionError):
        return "cannot watch for changes: permission denied"
    if "limit" in text.lower() or getattr(error, "errno", None) == 28:
        return ("cannot watch for changes: the system's limit on watched folders is reached"
                " (raise fs.inotify.max_user_watches)")
    if isinstance(error, FileNotFoundError):
        return "cannot watch for changes: a watched folder no longer exists"
    return f"cannot watch for changes: {type(error).__name__}: {text[:120]}"
