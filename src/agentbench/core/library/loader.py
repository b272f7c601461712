"""Finding agent files under a path, reading them through a stat-validated cache, reloading.

A scan never raises for what it finds on disk: unreadable files, symlink loops, folders named
`*.md` and files deleted mid-scan all become diagnostics.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agentbench.core.checks.rules import CheckCache
from agentbench.core.codes import severity
from agentbench.core.library.workspace import WORKSPACE_NAME, load_workspace
from agentbench.core.model import (
    Diagnostic,
    Dialect,
    FileKind,
    Library,
    OtherFile,
    ParsedFile,
    Workspace,
)
from agentbench.core.read import dialects, kinds
from agentbench.core.read.kinds import Location
from agentbench.core.read.parse import MAX_FILE_BYTES, parse_bytes, too_large_message

DEFAULT_DIRS = tuple(os.path.join(*dialects.spec(d).default_folder) for d in Dialect)
# Hidden folders are skipped, except those a dialect's files live in (`.github`, `.claude`).
_DIALECT_DIRS = frozenset(folder.parent for d in Dialect for folder in dialects.spec(d).folders
                          if folder.parent.startswith("."))
# The file watcher (ui/watcher.py) ignores these names; discovery lists them as documentation.
SKIPPED_NAMES = frozenset({"readme.md", "changelog.md", "license.md", "contributing.md",
                           "code_of_conduct.md"})
# `flows/` holds recorded flows and their Markdown exports (docs/flows.md), not agents.
SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".hg",
                          ".mypy_cache", ".pytest_cache", ".tox", "dist", "build", "flows"})
AGENT_SUFFIXES = (".md",)


class PathError(Exception):
    """The PATH given cannot be used (does not exist, not readable)."""


def demo_path() -> Path:
    """The bundled demo team: inside the package when installed, else the repository's."""
    here = Path(__file__).resolve().parents[2]  # src/agentbench (or site-packages/agentbench)
    bundled = here / "demo"
    if bundled.is_dir():
        return bundled
    return here.parent.parent / "agents"


def looked_for() -> str:
    """Where discovery finds agents, in the words of the 'no agent files' error."""
    folders = [f.rule.removeprefix("path ") for d in dialects.DETECTED_BY_PATH
               for f in d.folders]
    suffixes = [f"*{x}" for d in dialects.DETECTED_BY_PATH for x in d.suffixes]
    agent_folders = [f"{name}/" for name in sorted(kinds.AGENT_FOLDERS)]
    return ", ".join([*folders, *suffixes, *agent_folders,
                      "Markdown files whose frontmatter is an agent's"])


def is_agent_file_name(name: str) -> bool:
    lowered = name.lower()
    # `.#name.md` is an editor's lock file (Emacs): a dangling symlink, never an agent.
    return (lowered.endswith(AGENT_SUFFIXES) and lowered not in SKIPPED_NAMES
            and not lowered.startswith(".#"))


def is_candidate_dir(name: str) -> bool:
    """Whether discovery looks inside a folder of this name (the watcher asks the same)."""
    return name not in SKIPPED_DIRS and (not name.startswith(".") or name in _DIALECT_DIRS)


@dataclass
class Found:
    """What discovery found: files to read (they may be agents), and the others."""

    candidates: list[tuple[str, Location]] = field(default_factory=list)
    others: list[OtherFile] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def discover(root: str) -> Found:
    """Markdown files under `root` (sorted), classified by what reads them (core/read/kinds),
    and diagnostics for what cannot be used."""
    found = Found()
    if os.path.isfile(root):
        _classify(found, root, _inside_skill(os.path.dirname(root) or "."))
        return found
    seen_dirs: set[tuple[int, int]] = set()
    for path, is_dir_md, in_skill in _walk(root, seen_dirs, found.problems,
                                            _inside_skill(root)):
        if is_dir_md:
            found.problems.append(_diag(path, "AB109",
                                        "this is a folder named like an agent file"))
        else:
            _classify(found, path, in_skill)
    found.candidates.sort()
    found.others.sort()
    return found


def _classify(found: Found, path: str, in_skill: bool) -> None:
    where = kinds.locate(path, in_skill)
    if where.kind is FileKind.AGENT:
        found.candidates.append((path, where))
    else:
        found.others.append(OtherFile(path, where.kind, where.rule))


def _inside_skill(folder: str) -> bool:
    """True when `folder` or one above it, up to the repository's root, holds a SKILL.md:
    a lint started inside a skill still knows its files are the skill's."""
    here = os.path.abspath(folder)
    for _ in range(32):
        if os.path.isfile(os.path.join(here, kinds.SKILL_NAME)):
            return True
        if os.path.isdir(os.path.join(here, ".git")):
            return False
        parent = os.path.dirname(here)
        if parent == here:
            return False
        here = parent
    return False


def _is_markdown(name: str) -> bool:
    # `.#name.md` is an editor's lock file (Emacs): a dangling symlink, never an agent.
    return name.lower().endswith(AGENT_SUFFIXES) and not name.startswith(".#")


def _walk(folder: str, seen: set[tuple[int, int]], problems: list[Diagnostic],
          in_skill: bool) -> Iterator[tuple[str, bool, bool]]:
    try:
        info = os.stat(folder)
    except OSError as error:
        problems.append(_diag(folder, "AB101", f"cannot read this folder: {error.strerror}"))
        return
    key = (info.st_dev, info.st_ino)
    if key in seen:
        problems.append(_diag(folder, "AB101", "symlink loop: this folder was already scanned"))
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        problems.append(_diag(folder, "AB101", f"cannot list this folder: {error.strerror}"))
        return
    # A SKILL.md makes its folder and everything below it the skill's.
    in_skill = in_skill or any(e.name == kinds.SKILL_NAME for e in entries)
    for entry in entries:
        # `lint` with no PATH walks "."; its files are named `agents/x.md`, not `./agents/…`.
        path = entry.name if folder == "." else entry.path
        try:
            is_dir = entry.is_dir()  # follows symlinks; loops are caught by `seen`
        except OSError:
            is_dir = False
        if is_dir:
            if _is_markdown(entry.name):
                yield path, True, in_skill
            elif is_candidate_dir(entry.name):
                yield from _walk(path, seen, problems, in_skill)
        elif _is_markdown(entry.name):
            yield path, False, in_skill


def _diag(path: str, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, severity(code), code, message)


@dataclass
class FileCache:
    """Parsed files keyed by path, valid while (mtime_ns, size) is unchanged.

    With `keep_last_good` (the TUI, which follows files as they are edited) a file that
    stops parsing keeps the agent it last parsed to, beside its new diagnostics, so a file
    broken mid-edit does not vanish, nor turn every handoff to it into a dangling one.
    Such paths are listed in `stale`.
    """

    entries: dict[str, ParsedFile] = field(default_factory=dict)
    keep_last_good: bool = False
    stale: set[str] = field(default_factory=set)

    def read(self, path: str, location: Location | None = None) -> ParsedFile:
        try:
            info = os.stat(path)
        except OSError as error:
            self.entries.pop(path, None)
            return ParsedFile(path, None, (_diag(path, "AB101", _why(error)),))
        stamp = (info.st_mtime_ns, info.st_size)
        cached = self.entries.get(path)
        if cached is not None and cached.stamp == stamp:
            return cached
        return self._store(path, read_file(path, info.st_mode, info.st_size, stamp, location))

    def _store(self, path: str, parsed: ParsedFile) -> ParsedFile:
        cached = self.entries.get(path)
        self.stale.discard(path)
        if self.keep_last_good and parsed.agent is None and cached is not None \
                and cached.agent is not None:
            last = cached.agent
            parsed = ParsedFile(path, last, tuple(d._replace(agent=d.agent or last.name)
                                                  for d in parsed.diagnostics), parsed.stamp)
            self.stale.add(path)
        self.entries[path] = parsed
        return parsed

    def forget(self, paths: Iterable[str]) -> None:
        for path in paths:
            self.entries.pop(path, None)
            self.stale.discard(path)


def _why(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "the file disappeared while it was being read"
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"cannot read it: {error.strerror or error}"


def read_file(path: str, mode: int, size_bytes: int, stamp: tuple[int, int],
              location: Location | None = None) -> ParsedFile:
    if not stat.S_ISREG(mode):
        return ParsedFile(path, None, (_diag(path, "AB101", "not a regular file"),), stamp)
    if size_bytes > MAX_FILE_BYTES:
        return ParsedFile(path, None, (_diag(path, "AB107", too_large_message(size_bytes)),),
                          stamp)
    try:
        data = _read_at_most(path, size_bytes + 1, MAX_FILE_BYTES + 1)
    except OSError as error:
        return ParsedFile(path, None, (_diag(path, "AB101", _why(error)),), stamp)
    return parse_bytes(path, data, stamp, location)


def _read_at_most(path: str, expected: int, limit: int) -> bytes:
    """Up to `limit` bytes of a file. Asking for the size stat gave (`expected`), unbuffered,
    spares allocating a `limit`-sized buffer per file: that was a third of the cost of
    reading a 10 KB file. The file may have grown since the stat, so read on to the end."""
    chunks: list[bytes] = []
    total = 0
    with open(path, "rb", buffering=0) as handle:
        want = min(expected, limit)
        while want > 0:
            chunk = handle.read(want)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            want = min(limit - total, 65536)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


@dataclass
class LibraryLoader:
    """Loads a library from its roots and reloads it cheaply, reusing unchanged files."""

    roots: list[str]
    profile: str | None = None
    cache: FileCache = field(default_factory=FileCache)
    workspace: Workspace = field(default_factory=Workspace)
    checks: CheckCache = field(default_factory=dict)

    @classmethod
    def for_path(cls, path: str | None, cwd: Path | None = None,
                 profile: str | None = None) -> LibraryLoader:
        """Raises PathError for a PATH that does not exist or cannot be read."""
        if path is None:
            # The current folder's library: its agent files wherever they are (DESIGN §4).
            base = cwd or Path.cwd()
            return cls(roots=["." if cwd is None else str(base)], profile=profile)
        if not os.path.exists(path):
            raise PathError(f"{path}: no such file or folder")
        if not os.path.isdir(path) and not os.path.isfile(path):
            raise PathError(f"{path}: not a file or folder (a device, a socket or a pipe)")
        if os.path.isdir(path) and not os.access(path, os.R_OK | os.X_OK):
            raise PathError(f"{path}: permission denied")
        if os.path.isfile(path) and not os.access(path, os.R_OK):
            raise PathError(f"{path}: permission denied")
        return cls(roots=[path], profile=profile)

    @property
    def display_root(self) -> str:
        return self.roots[0] if len(self.roots) == 1 else os.path.commonpath(self.roots)

    def load(self) -> Library:
        # A bulk load allocates hundreds of thousands of long-lived, acyclic objects; the
        # cyclic collector would rescan the growing heap again and again (measured: ~25% of
        # a 10,000-file lint), so it is paused for the load and resumed after.
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._load()
        finally:
            if paused:
                gc.enable()

    @staticmethod
    def _find_workspace(root: Path) -> Workspace:
        """The workspace file at the root or above it; else, for a folder, the one in a
        default agent folder below it (`agents/agentbench.yaml`): a repository whose library
        lives there keeps its profiles when opened from the repository's root."""
        workspace = load_workspace(root)
        if workspace.path is not None or not root.is_dir():
            return workspace
        for folder in DEFAULT_DIRS:
            if (root / folder / WORKSPACE_NAME).is_file():
                return load_workspace(root / folder)
        return workspace

    def _load(self) -> Library:
        from agentbench.core.checks.rules import library_diagnostics

        self.workspace = self._find_workspace(Path(self.roots[0]))
        where: dict[str, Location] = {}
        others: list[OtherFile] = []
        problems: list[Diagnostic] = []
        for root in self.roots:
            found = discover(root)
            where.update(found.candidates)
            others.extend(found.others)
            problems.extend(found.problems)
        self.cache.forget([p for p in self.cache.entries if p not in where])
        self.checks = {p: v for p, v in self.checks.items() if p in where}
        files: list[ParsedFile] = []
        for path in sorted(where):
            parsed = self.cache.read(path, where[path])
            if parsed.kind is FileKind.AGENT:
                files.append(parsed)
            else:  # reading showed it is no agent (documentation with or without a header)
                others.append(OtherFile(path, parsed.kind, "content: no agent frontmatter"))
        others.sort()
        library = Library(self.display_root, tuple(files), (), self.workspace)
        extra = library_diagnostics(library, self.workspace, self.profile, self.checks)
        return Library(self.display_root, tuple(files), tuple(problems) + extra,
                       self.workspace, tuple(others))


def load_library(path: str | None = None, profile: str | None = None) -> Library:
    return LibraryLoader.for_path(path, profile=profile).load()
