"""What detection reads and finds: the bounded folder walk, the scan in progress (manifests,
candidates with priorities) and the evidence every detected value carries (see detect.py)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agentbench.core.project import tables

# Folders never worth listing: dependencies, build output, caches, version control.
PRUNED_DIRS = frozenset({
    "node_modules", ".git", ".hg", ".svn", "venv", ".venv", "env", ".env", "dist", "build",
    "target", "vendor", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".idea", ".vscode", ".next", ".nuxt", ".gradle", ".terraform", "coverage",
    "htmlcov", "site-packages", ".cache", ".eggs", "bower_components", "Pods", ".dart_tool",
})
MAX_DEPTH = 4            # folder levels below the root that are listed
MAX_ENTRIES = 50_000     # entries listed before the walk stops (a note says so)
MAX_MANIFEST_BYTES = 2 * 1024 * 1024

# Priorities of competing candidates for one value: the project's own scripts beat what CI
# runs, which beats what a tool's configuration implies, which beats a framework's default.
EXPLICIT, MAKEFILE, CI, CONFIG, DEFAULT = 40, 30, 20, 15, 10


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value came from: a path relative to the project, and a 1-based line (0: the
    file's or folder's existence)."""

    path: str
    line: int = 0
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line or None, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    value: str
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "evidence": [e.to_json() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Tech:
    """A language, framework, library or tool the project uses."""

    name: str
    kind: str
    evidence: Evidence
    version: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


@dataclass(frozen=True, slots=True)
class Layout:
    """What a bounded walk of the project saw: relative POSIX paths."""

    dirs: frozenset[str]
    files: tuple[str, ...]
    extensions: Mapping[str, str]  # ".py" -> the first file with it
    truncated: bool = False
    file_set: frozenset[str] = frozenset()

    def has_file(self, rel: str) -> bool:
        return rel in self.file_set

    def names(self) -> set[str]:
        """Lower-case base names of every listed file and folder."""
        return {p.rsplit("/", 1)[-1].lower() for p in (*self.files, *self.dirs)}


@dataclass(frozen=True)
class Detection:
    root: str
    findings: Mapping[str, Finding]
    techs: tuple[Tech, ...]
    dependencies: Mapping[str, Evidence]
    layout: Layout
    notes: tuple[str, ...] = ()

    def values(self) -> dict[str, str]:
        """Placeholder name -> value, for `Workspace.values(detected=...)`."""
        return {name: finding.value for name, finding in self.findings.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "values": {n: f.to_json() for n, f in sorted(self.findings.items())},
            "technologies": [
                {"name": t.name, "kind": t.kind, "version": t.version or None,
                 "evidence": t.evidence.to_json()} for t in self.techs
            ],
            "notes": list(self.notes),
        }


@dataclass
class Scan:
    """Mutable state while detecting; `detect` freezes it into a Detection."""

    root: str
    layout: Layout
    notes: list[str] = field(default_factory=list)
    deps: dict[str, Evidence] = field(default_factory=dict)
    techs: dict[str, Tech] = field(default_factory=dict)
    candidates: dict[str, list[tuple[int, int, str, tuple[Evidence, ...]]]] = field(
        default_factory=dict)
    _order: int = 0

    def note(self, message: str) -> None:
        self.notes.append(message)

    def dep(self, name: str, evidence: Evidence) -> None:
        self.deps.setdefault(name.lower(), evidence)

    def tech(self, name: str, kind: str, evidence: Evidence, version: str = "") -> None:
        if name not in self.techs:
            self.techs[name] = Tech(name, kind, evidence, version)

    def has(self, *names: str) -> bool:
        return any(n in self.techs for n in names)

    def first(self, kind: str) -> Tech | None:
        return next((t for t in self.techs.values() if t.kind == kind), None)

    def all(self, kind: str) -> list[Tech]:
        return [t for t in self.techs.values() if t.kind == kind]

    def offer(self, name: str, value: str, priority: int, *evidence: Evidence) -> None:
        """A candidate value; the highest priority (then the first offered) wins."""
        if not value:
            return
        self._order += 1
        self.candidates.setdefault(name, []).append((-priority, self._order, value, evidence))

    def read(self, rel: str) -> str | None:
        """A project file's text, or None (with a note) when it cannot be used."""
        path = os.path.join(self.root, rel)
        try:
            size = os.stat(path).st_size
            if size > MAX_MANIFEST_BYTES:
                self.note(f"{rel}: skipped, {size / 1_048_576:.1f} MB is larger than the"
                          f" {MAX_MANIFEST_BYTES // 1_048_576} MB read for a manifest")
                return None
            with open(path, "rb") as handle:
                data = handle.read(MAX_MANIFEST_BYTES + 1)
        except OSError as error:
            self.note(f"{rel}: skipped, cannot read it ({error.strerror or error})")
            return None
        try:
            return data.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            self.note(f"{rel}: skipped, it is not UTF-8 text")
            return None

    def read_json_object(self, rel: str) -> tuple[str, dict[str, Any]] | None:
        """A JSON manifest's text and top-level object, or None (with a note)."""
        import json

        text = self.read(rel)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self.note(f"{rel}: skipped, not valid JSON (line {error.lineno}: {error.msg})")
            return None
        if not isinstance(data, dict):
            self.note(f"{rel}: skipped, it is not a JSON object")
            return None
        return text, data

    def read_toml(self, rel: str) -> tuple[str, dict[str, Any]] | None:
        """A TOML manifest's text and table, or None (with a note)."""
        import tomllib

        text = self.read(rel)
        if text is None:
            return None
        try:
            return text, tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            self.note(f"{rel}: skipped, not valid TOML ({error})")
            return None

    def manifests(self, *names: str, depth: int = 2) -> list[str]:
        """Files with one of these names at most `depth` levels down, shallowest first."""
        wanted = set(names)
        found = [f for f in self.layout.files
                 if f.rsplit("/", 1)[-1] in wanted and f.count("/") < depth]
        return sorted(found, key=lambda f: (f.count("/"), f))[:10]


def walk(root: str, max_depth: int = MAX_DEPTH, max_entries: int = MAX_ENTRIES) -> Layout:
    """List folders and files to `max_depth`, pruning dependency and build folders.

    Symlinked folders are not followed, so a symlink loop cannot trap the walk.
    """
    dirs: set[str] = set()
    files: list[str] = []
    extensions: dict[str, str] = {}
    seen = 0
    truncated = False
    stack: list[tuple[str, str, int]] = [(root, "", 0)]
    while stack:
        folder, prefix, depth = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        entries.sort(key=lambda e: e.name)
        subdirs: list[tuple[str, str, int]] = []
        for entry in entries:
            seen += 1
            if seen > max_entries:
                truncated = True
                break
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if is_dir:
                if entry.name in PRUNED_DIRS or entry.name.endswith(".egg-info"):
                    continue
                dirs.add(rel)
                _note_extension(extensions, entry.name, rel)  # Foo.xcodeproj and the like
                if depth + 1 < max_depth:
                    subdirs.append((entry.path, rel + "/", depth + 1))
            elif is_file:
                files.append(rel)
                _note_extension(extensions, entry.name, rel)
        if truncated:
            break
        stack.extend(reversed(subdirs))
    return Layout(frozenset(dirs), tuple(files), extensions, truncated, frozenset(files))


def _note_extension(extensions: dict[str, str], name: str, rel: str) -> None:
    dot = name.rfind(".")
    if dot > 0:
        extensions.setdefault(name[dot:].lower(), rel)


def line_of(text: str, pattern: str, after: str | None = None, flags: int = 0) -> int:
    """1-based line of the first match of `pattern` (after the first match of `after`), or 1."""
    start = 0
    if after is not None:
        anchor = re.search(after, text, flags | re.MULTILINE)
        if anchor is not None:
            start = anchor.end()
    match = re.compile(pattern, flags | re.MULTILINE).search(text, start)
    if match is None:
        return 1
    return text.count("\n", 0, match.start()) + 1


def add_dep(scan: Scan, table: dict[str, tuple[tables.Entry, ...]], name: str,
            evidence: Evidence, version: str = "") -> None:
    scan.dep(name, evidence)
    for index, (display, kind) in enumerate(tables.lookup(table, name)):
        # A driver's version is not the server's (pgx 5 is not PostgreSQL 5).
        own = index == 0 and kind not in ("database", "cache", "broker", "cloud")
        scan.tech(display, kind, evidence, version if own else "")
    if name == "celery" and re.search(r"\[[^\]]*\bredis\b", evidence.detail):
        scan.tech("Redis", "broker", evidence)  # celery[redis]: Redis is the broker
    elif name == "celery" and re.search(r"\[[^\]]*\b(?:librabbitmq|amqp)\b", evidence.detail):
        scan.tech("RabbitMQ", "broker", evidence)
