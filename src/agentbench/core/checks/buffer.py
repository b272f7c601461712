"""Lint as you type: the checks that can judge one unsaved agent file on its own.

The editor pane runs `check_buffer` in a worker on every pause in typing. It is the parser's
own diagnostics (syntax, schema, text) plus the per-agent checks `rules.py` runs for the whole
library: placeholders without a value under the current values, handoff prompts asking for
per-invocation values, handoffs to agents the library does not have, and a name another file
already uses. Library-wide checks that need every file (cycles, reachability) wait for the
save and the reload that follows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from agentbench.core.checks.rules import (
    agent_placeholder_checks,
    dangling_message,
    duplicate_message,
)
from agentbench.core.codes import severity
from agentbench.core.hints import Names
from agentbench.core.model import Agent, Diagnostic, ParsedFile
from agentbench.core.read.parse import parse_bytes


@dataclass(frozen=True, slots=True)
class BufferContext:
    """What the buffer is checked against, taken from the app when the check starts."""

    # Placeholder names that have a value, and the profile they come from.
    known: frozenset[str] = frozenset()
    profile: str | None = None
    # Every agent of the library: name -> the file that defines it.
    agents: Mapping[str, str] = field(default_factory=dict)
    # A lone file has no library around it: its handoff targets cannot be judged.
    single_file: bool = False


@dataclass(frozen=True, slots=True)
class BufferCheck:
    parsed: ParsedFile
    # Sorted by line, then column, errors first.
    diagnostics: tuple[Diagnostic, ...]


def check_buffer(path: str, data: bytes, context: BufferContext) -> BufferCheck:
    parsed = parse_bytes(path, data)
    found = list(parsed.diagnostics)
    agent = parsed.agent
    if agent is not None:
        found += agent_placeholder_checks(agent, context.known, context.profile).diagnostics
        if not context.single_file:
            found += _library_checks(agent, path, context.agents)
    found.sort(key=lambda d: (d.line, d.column, d.severity.rank, d.code))
    return BufferCheck(parsed, tuple(found))


def _library_checks(agent: Agent, path: str, agents: Mapping[str, str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    # The names as they will be once this buffer is saved: its old name goes, its new comes.
    names = {name for name, where in agents.items() if where != path} | {agent.name}
    other = agents.get(agent.name)
    if other is not None and other != path:
        found.append(_diag(path, agent.name_line, "AB501", duplicate_message(agent.name, other),
                           agent.name))
    known: Names | None = None  # sorted on the first miss only
    for handoff in agent.handoffs:
        target = handoff.target
        if target and target not in names:
            known = known or Names(names)
            found.append(_diag(path, handoff.line, "AB403",
                               dangling_message(handoff.label, target, known.suggest(target)),
                               agent.name))
    return found


def _diag(path: str, line: int, code: str, message: str, agent: str) -> Diagnostic:
    return Diagnostic(path, max(line, 1), 1, severity(code), code, message, agent)
