"""Messages posted by workers to the app (workers compute, handlers own state)."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from agentbench.core.model import Library
from agentbench.core.write.profile import FileStamp
from agentbench.ui.watcher import Changes


@dataclass
class LibraryLoaded(Message):
    """A (re)load finished. A later reload replaces the library and keeps the selection."""

    library: Library
    # The workspace file as it was when this library was read; saving compares against it.
    workspace_stamp: FileStamp
    workspace_path: str
    # Files that no longer parse, shown as they last parsed (see FileCache.keep_last_good).
    stale: frozenset[str] = field(default_factory=frozenset)
    # Which load this is (App.load_library counts them): an older one is superseded.
    generation: int = 0


@dataclass
class FilesChanged(Message):
    """The file watcher saw library or workspace files change on disk."""

    changes: Changes

    def can_replace(self, message: Message) -> bool:
        # Called on a queued message with the next one: a burst of batches is one reload.
        # The next message carries both, so nothing is lost from the notification.
        if isinstance(message, FilesChanged):
            message.changes = self.changes.merge(message.changes)
            return True
        return False


@dataclass
class LibraryReloaded(Message):
    """A reload caused by changes on disk is on screen (tests and benchmarks wait on it)."""

    changes: Changes
    summary: str
    new_problems: int


@dataclass
class WatchFailed(Message):
    """Files cannot be watched (too many folders, permission denied): say so, keep going."""

    reason: str


@dataclass
class FlowPathChanged(Message):
    """The flow screen's walk changed (a step taken, undone, branched, replayed, rebased).

    Posted by the flow screen and bubbled to the app, so the graph view can highlight the path
    walked. `agents`: the start agent, then each agent reached, each name once, in the order
    first reached. `edges`: (source, target, label) of each step taken, each once, in the order
    first taken. Both empty when there is no walk.
    """

    agents: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]
