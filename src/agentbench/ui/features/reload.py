"""Hot reload: following the files, choosing what stays selected, saying what changed.

The app owns one `Reloader`; its file watcher worker posts `FilesChanged`, the reloader
starts a load (through the `load` callable it was given), and when `LibraryLoaded` is handled
it picks the selection (the renamed file, or the deleted one's neighbour), notifies the user
of what changed and posts `LibraryReloaded`.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from textual.message import Message

from agentbench.core.library.loader import LibraryLoader
from agentbench.core.library.workspace import WORKSPACE_NAME
from agentbench.core.model import Agent, Diagnostic, Library, Severity
from agentbench.core.placeholders import Value
from agentbench.core.text.safe import printable
from agentbench.core.write.atomic import Stamp, stamp_of
from agentbench.core.write.profile import FileStamp
from agentbench.ui.features.notifier import Notify
from agentbench.ui.features.notifier import Severity as NotifySeverity
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.messages import LibraryLoaded, LibraryReloaded
from agentbench.ui.state import WorkbenchState
from agentbench.ui.watcher import Changes, ChangeTracker, WatchTargets, watch_targets

ProblemKey = tuple[str, str, str]


@dataclass(frozen=True)
class Summary:
    text: str
    new_problems: int
    severity: NotifySeverity


class Reloader:
    """The app's side of file watching: pending changes, the tracker, the header warning."""

    def __init__(self, state: WorkbenchState, presenter: Presenter, notify: Notify, *,
                 load: Callable[[], int], title: Callable[[], None],
                 after_refresh: Callable[..., object], post: Callable[[Message], object],
                 follow_files: Callable[[WatchTargets, asyncio.Event], object]) -> None:
        self.state, self.presenter, self.notify = state, presenter, notify
        # load starts a load and says its number; follow_files starts the watch worker.
        self._load, self._title, self._follow_files = load, title, follow_files
        self._after_refresh, self._post = after_refresh, post
        self.pending = Changes()
        self.tracker = ChangeTracker(tuple(os.path.abspath(r) for r in state.loader.roots))
        self.targets: WatchTargets | None = None
        self.stop_event = asyncio.Event()
        # Set once the watches are in place (see watcher.follow).
        self.watching = asyncio.Event()
        self.warning: str | None = None
        # The load that will include the pending changes; earlier loads did not see them.
        self._wanted = 0
        self._library: Library | None = None
        # What the card, the variables and the profile list last showed: each update costs
        # a layout pass (~20 ms with 1,000 agents), so unchanged ones are skipped.
        self._card: tuple[object, ...] | None = None
        self._list: tuple[object, ...] | None = None
        self._values: tuple[Value, ...] | None = None
        self._profiles: tuple[tuple[str, ...], str | None] | None = None
        # Files the workbench wrote itself, with their stamp after the write (ABSENT: removed).
        # The watcher's report of that same write is old news: reloading again would only
        # repeat the toast.
        self._written: dict[str, Stamp | None] = {}
        # The pending reload was asked for with ctrl+r: its toast says so.
        self._manual = False

    def files_changed(self, changes: Changes) -> None:
        self.pending = self.pending.merge(changes)
        self._wanted = self._load()

    def reload_all(self) -> None:
        """ctrl+r: read the library again (the file cache skips unchanged files), and try to
        follow files again when watching had failed."""
        self._manual = True
        if self.warning is not None:
            self.warning = None
            self.targets = None
            self._title()
        self.files_changed(Changes(rescan=True))

    def wrote(self, paths: Iterable[str]) -> None:
        """The workbench just wrote (or removed) these files and reloads them itself."""
        for path in paths:
            self._written[os.path.abspath(path)] = stamp_of(path)

    def watched(self, changes: Changes) -> None:
        """A batch from the file watcher: files still as the workbench wrote them are
        dropped; the rest reloads as usual."""
        if self._written:
            written = self._written
            own = frozenset(p for p in changes.added | changes.modified | changes.removed
                            if p in written and written.pop(p) == stamp_of(p))
            changes = Changes(changes.added - own, changes.modified - own,
                              changes.removed - own, changes.settings, changes.rescan)
            if not changes:
                return
        self.files_changed(changes)

    def watch_failed(self, reason: str) -> None:
        self.warning = reason
        self.notify(f"{reason}. Files edited from now on will not reload by themselves;"
                    " press ctrl+r to read them again.", title="Not following files",
                    severity="warning", timeout=10, markup=False)
        self._title()

    def choose(self, old: Library | None, new: Library, selected: str | None,
               order: Sequence[str]) -> tuple[str | None, str | None]:
        """What to select after a reload, and a note when the selection had to move."""
        names = new.by_name()
        if selected is None or selected in names or old is None:
            return selected, None
        gone = old.get(selected)
        was = os.path.basename(gone.path) if gone else printable(selected)
        changes = self.pending
        added = [a for a in new.agents if os.path.abspath(a.path) in changes.added]
        if gone is not None and len(added) == 1:
            now = os.path.basename(added[0].path)
            return added[0].name, f"{was} was renamed to {now}"
        successor: str | None = None
        if selected in order:
            index = order.index(selected)
            after = [n for n in order[index + 1:] if n in names]
            before = [n for n in reversed(order[:index]) if n in names]
            successor = next(iter(after or before), None)
        note = f"{was} was deleted" + (f"; showing {printable(successor)}" if successor else "")
        return successor, note

    def loaded(self, message: LibraryLoaded, generation: int, moved: str | None) -> None:
        """After the app took in a load: update the watch, and report changes from disk."""
        library = message.library
        self.tracker.set_known(f.path for f in library.files)
        if self._library is None and self.state.watch_files:
            # Measured with 1,000 agents: a full collection of the loaded heap took ~90 ms
            # every few reloads (a p95 spike); with what is loaded now frozen, ~7 ms.
            gc.freeze()
        if self._library is None:
            self.pending = Changes()  # edits during the first load are simply in it
        elif generation >= self._wanted and (self.pending or moved):
            changes, self.pending = self.pending, Changes()
            summary = summarise(changes, *problem_delta(self._library, library), message.stale,
                                moved, manual=self._manual)
            self._manual = False
            # After the next paint: the new text shows first, the toast's layout pass after.
            self._after_refresh(self.notify, summary.text, severity=summary.severity, timeout=4,
                                markup=False)
            self._post(LibraryReloaded(changes, summary.text, summary.new_problems))
        self._library = library
        self.follow()

    def stop(self) -> None:
        self.stop_event.set()
        if self._library is not None and self.state.watch_files:
            gc.unfreeze()  # what the app held can be collected again

    def list_changed(self, agents: Sequence[Agent], badges: Mapping[str, object]) -> bool:
        """Whether the agent list shows something new (its rows cost ~8 ms per 1,000)."""
        key = (tuple((a.name, a.model, a.path, a.dialect) for a in agents), dict(badges))
        changed, self._list = key != self._list, key
        return changed

    def refresh_values(self, previous: Agent | None, agent: Agent | None) -> bool:
        """Update the variables panel in place when the reloaded agent uses the same names,
        and only when a value changed. Rebuilding its rows would take the focus from a value
        being typed, and any update costs a layout pass. False: the caller rebuilds."""
        values = self.state.values
        names = (agent.placeholders, agent.handoff_placeholders) if agent else None
        resolved = tuple(values.resolve(n) for group in names or () for n in group)
        shown, self._values = self._values, resolved
        if agent is None or previous is None or names != (previous.placeholders,
                                                          previous.handoff_placeholders):
            return False
        if resolved == shown:
            return True
        return self.presenter.refresh_values(values)

    def profiles_changed(self, names: Iterable[str], current: str | None) -> bool:
        key = (tuple(names), current)
        changed, self._profiles = key != self._profiles, key
        return changed

    def card_changed(self, agent: Agent | None, known: Collection[str]) -> bool:
        """Whether the card must be redrawn: rebuilding its buttons costs a layout pass."""
        key = None if agent is None else (
            agent.name, agent.model, agent.dialect, agent.path, agent.description,
            agent.triggers, agent.handoffs, tuple(h.target in known for h in agent.handoffs))
        changed = key is None or key != self._card
        self._card = key
        return changed

    def follow(self) -> None:
        """Start watching, or watch again when the folders to watch changed."""
        if not self.state.watch_files or self.warning is not None:
            return
        targets = watch_targets(self.state.loader.roots)
        if targets != self.targets:
            self.targets = targets
            # Each watch has its own stop event: a cancelled watch sets the one it was given.
            self.stop_event.set()
            self.stop_event = asyncio.Event()
            self._follow_files(targets, self.stop_event)


def read_library(loader: LibraryLoader, generation: int) -> LibraryLoaded:
    """Load (in the load worker's thread) and wrap the result for the app."""
    library = loader.load()
    workspace = library.workspace
    path = workspace.path if workspace and workspace.path else _default_workspace(loader)
    return LibraryLoaded(library, FileStamp.of(path), path, frozenset(loader.cache.stale),
                         generation)


def _default_workspace(loader: LibraryLoader) -> str:
    root = loader.roots[0]
    folder = root if os.path.isdir(root) else os.path.dirname(root) or "."
    return os.path.join(folder, WORKSPACE_NAME)


def problem_delta(old: Library | None, new: Library
                  ) -> tuple[Counter[ProblemKey], Counter[ProblemKey]]:
    """Problems that appeared and problems that went, keyed without their line (an edit
    above a problem does not make it new). Unchanged files are the same cached objects and
    are skipped: a 1,000-agent library has ~14,000 diagnostics to compare otherwise."""
    before: Counter[ProblemKey] = Counter()
    after: Counter[ProblemKey] = Counter()
    old_files = {f.path: f for f in old.files} if old else {}
    for parsed in new.files:
        previous = old_files.pop(parsed.path, None)
        if previous is parsed or (previous and previous.diagnostics == parsed.diagnostics):
            continue
        after.update(_keys(parsed.diagnostics))
        before.update(_keys(previous.diagnostics if previous else ()))
    for gone in old_files.values():
        before.update(_keys(gone.diagnostics))
    old_extra = old.extra_diagnostics if old else ()
    if old_extra != new.extra_diagnostics:
        before.update(_keys(old_extra))
        after.update(_keys(new.extra_diagnostics))
    return after - before, before - after


def _keys(diagnostics: Iterable[Diagnostic]) -> Iterator[ProblemKey]:
    return ((d.path, d.code, d.message) for d in diagnostics)


def summarise(changes: Changes, appeared: Counter[ProblemKey], went: Counter[ProblemKey],
              stale: frozenset[str], moved: str | None = None, *,
              manual: bool = False) -> Summary:
    """One line: which files changed, and how the problems changed."""
    new = sum(appeared.values())
    fixed = sum(went.values())
    parts = ["library read again from disk" if manual and not changes.count
             else _what_changed(changes)]
    counts = []
    if new:
        counts.append(f"{new} new problem{'s' if new != 1 else ''}")
    if fixed:
        counts.append(f"{fixed} fixed")
    if counts:
        parts.append(", ".join(counts))
    broken = sorted(os.path.basename(p) for p in stale
                    if os.path.abspath(p) in changes.modified | changes.added)
    if broken:
        parts.append(f"{', '.join(broken[:3])} does not parse: showing its last good version")
    text = printable(" — ".join(parts))
    if moved:
        text = f"{text}. {moved}"
    error_keys = {k for k in appeared if _is_error(k[1])}
    severity: NotifySeverity = "warning" if broken or error_keys or moved else "information"
    return Summary(text, new, severity)


def _is_error(code: str) -> bool:
    from agentbench.core.codes import severity

    try:
        return severity(code) is Severity.ERROR
    except KeyError:
        return False


def _what_changed(changes: Changes) -> str:
    added, modified, removed = changes.added, changes.modified, changes.removed
    settings = changes.settings
    total = changes.count
    name = os.path.basename
    if len(removed) == 1 and len(added) == 1 and not modified and not settings:
        return f"{name(next(iter(removed)))} renamed to {name(next(iter(added)))}"
    if total == 1:
        (path,) = added | modified | removed | settings
        verb = "added" if path in added else "removed" if path in removed else "reloaded"
        return f"{name(path)} {verb}"
    if total == 0:
        return "folders changed: library reloaded"
    kinds = [(len(added), "added"), (len(modified) + len(settings), "reloaded"),
             (len(removed), "removed")]
    detail = ", ".join(f"{n} {verb}" for n, verb in kinds if n)
    return f"{total} files changed ({detail})"
