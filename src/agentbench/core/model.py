"""The immutable model every view shares: agents, their handoffs, diagnostics, the library.

Everything here is a frozen dataclass (or a named tuple) so a parsed file can be cached,
shared between the TUI's worker threads and the CLI, and compared cheaply on reload.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from agentbench.core.placeholders import Values


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort key: errors first."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Dialect(StrEnum):
    FACTORY = "factory"
    VSCODE = "vscode"
    CLAUDE = "claude"


class FileKind(StrEnum):
    """What reads a file (core/read/kinds.py decides). Only agents are agents."""

    AGENT = "agent"
    PROMPT = "prompt"
    INSTRUCTIONS = "instructions"
    SKILL = "skill"
    COMMAND = "command"
    MEMORY = "memory"
    DOCUMENTATION = "documentation"


class OtherFile(NamedTuple):
    """A file found beside the agents that is not one: counted and listed, never linted."""

    path: str
    kind: FileKind
    # The rule that decided the kind, as `list` shows it.
    rule: str = ""


class Diagnostic(NamedTuple):
    """One problem, anchored to a 1-based line and column of a file.

    A named tuple rather than a frozen dataclass: as immutable, and four times cheaper to
    create, which counts when a lint of 10,000 files makes 140,000 of them.
    """

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    agent: str | None = None
    # Replacement text for the offending span when a safe fix is known (e.g. mojibake).
    fix: str | None = None

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.line, self.column, self.severity.rank, self.code)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
        }


class Handoff(NamedTuple):
    """A declared handoff from one agent to another (a named tuple, like Diagnostic, for
    cheap creation)."""

    target: str
    label: str
    prompt: str
    send: bool
    line: int = 1
    # Which frontmatter key named the target: "target" (factory) or "agent" (VS Code).
    target_key: str = "target"
    model: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "label": self.label,
            "prompt": self.prompt,
            "send": self.send,
        }


@dataclass(frozen=True, slots=True)
class Agent:
    """One agent definition, normalised across dialects."""

    name: str
    path: str
    dialect: Dialect
    description: str = ""
    model: str | None = None
    triggers: tuple[str, ...] = ()
    handoffs: tuple[Handoff, ...] = ()
    tools: tuple[str, ...] = ()
    body: str = ""
    # 1-based line of the file on which the body starts, so body offsets map to file lines.
    body_line: int = 1
    # Line of the `name:` key (or 1 when the name came from the file stem).
    name_line: int = 1
    # The frontmatter as read, kept so nothing the model does not understand is lost.
    frontmatter: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # Line of each top-level frontmatter key.
    key_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Which rule decided `dialect` (`path .claude/agents/`, `suffix .agent.md`, `content …`).
    dialect_rule: str = ""

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Placeholder names in the body, in order of first appearance."""
        from agentbench.core.placeholders import find_names

        return find_names(self.body)

    @property
    def handoff_placeholders(self) -> tuple[str, ...]:
        """Per-invocation placeholders: those used only in handoff prompts."""
        from agentbench.core.placeholders import find_names

        in_body = set(find_names(self.body))
        seen: dict[str, None] = {}
        for handoff in self.handoffs:
            for name in find_names(handoff.prompt):
                if name not in in_body:
                    seen.setdefault(name, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """The result of reading one file: an agent when it could be read, and its diagnostics."""

    path: str
    agent: Agent | None
    diagnostics: tuple[Diagnostic, ...]
    # (mtime_ns, size) at read time; used to skip unchanged files on reload.
    stamp: tuple[int, int] = (0, 0)
    # Not AGENT when reading showed the file is no agent (Markdown without an agent header
    # outside any agent folder): the library lists it among its others.
    kind: FileKind = FileKind.AGENT


@dataclass(frozen=True, slots=True)
class Library:
    """Every agent found under a root, with the diagnostics of the files and of the whole."""

    root: str
    files: tuple[ParsedFile, ...]
    # Library-wide diagnostics (graph, placeholders, workspace), beside the per-file ones.
    extra_diagnostics: tuple[Diagnostic, ...] = ()
    workspace: Workspace | None = None
    # Files found that are not agents (skills, commands, prompt files, docs, …).
    others: tuple[OtherFile, ...] = ()

    def other_counts(self) -> dict[str, int]:
        """How many others of each kind, in the kinds' order."""
        counts = {str(kind): 0 for kind in FileKind if kind is not FileKind.AGENT}
        for other in self.others:
            counts[str(other.kind)] += 1
        return {kind: n for kind, n in counts.items() if n}

    @property
    def agents(self) -> tuple[Agent, ...]:
        return tuple(f.agent for f in self.files if f.agent is not None)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        found = [d for f in self.files for d in f.diagnostics]
        found.extend(self.extra_diagnostics)
        return tuple(sorted(found, key=Diagnostic.sort_key))

    def by_name(self) -> dict[str, Agent]:
        """Agents by name; when names collide the first file (sorted by path) wins."""
        named: dict[str, Agent] = {}
        for agent in self.agents:
            named.setdefault(agent.name, agent)
        return named

    def get(self, name: str) -> Agent | None:
        return self.by_name().get(name)


@dataclass(frozen=True, slots=True)
class Workspace:
    """`agentbench.yaml` and `.github/agent-config.yml` as read (see library/workspace.py)."""

    path: str | None = None
    entry: str | None = None
    default_profile: str | None = None
    profiles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # 1-based line of each profile's values, for "unused value" diagnostics.
    value_lines: Mapping[tuple[str, str], int] = field(default_factory=dict)
    overrides: Mapping[str, str] = field(default_factory=dict)
    overrides_path: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    # 1-based line of each top-level key of agentbench.yaml.
    key_lines: Mapping[str, int] = field(default_factory=dict)

    def profile_names(self) -> list[str]:
        return list(self.profiles)

    def active_profile(self, requested: str | None = None) -> str | None:
        if requested is not None:
            return requested
        if self.default_profile is not None:
            return self.default_profile
        return next(iter(self.profiles), None)

    def values(
        self,
        profile: str | None = None,
        session: Mapping[str, str] | None = None,
        detected: Mapping[str, str] | None = None,
        detected_origins: Mapping[str, str] | None = None,
    ) -> Values:
        from agentbench.core.placeholders import Values

        name = self.active_profile(profile)
        return Values(
            session=dict(session or {}),
            profile=dict(self.profiles.get(name, {})) if name else {},
            overrides=dict(self.overrides),
            detected=dict(detected or {}),
            profile_name=name,
            overrides_path=self.overrides_path or "",
            detected_origins=dict(detected_origins or {}),
        )
