"""VoltAgent/awesome-claude-code-subagents (a snapshot): Claude Code subagents in category
folders, outside .claude/agents: their content (`model: sonnet`, comma tools) says Claude."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from agentbench.core.library.loader import load_library
from agentbench.core.model import Dialect, Library

Real = Callable[[str], Path]


def _load(real: Real) -> tuple[Path, Library]:
    root = real(NAME)
    return root, load_library(str(root))


def _dialects(root: Path, library: Library) -> dict[str, Dialect]:
    """Each agent file's dialect, by the folder it sits in (relative to the library)."""
    found: dict[str, set[Dialect]] = {}
    for agent in library.agents:
        found.setdefault(os.path.dirname(os.path.relpath(agent.path, root)), set()).add(
            agent.dialect)
    assert all(len(d) == 1 for d in found.values()), found
    return {folder: next(iter(d)) for folder, d in found.items()}


def test_agents_and_others(real: Real) -> None:
    _, library = _load(real)
    assert len(library.files) == FILES
    assert len(library.agents) == AGENTS
    assert library.other_counts() == OTHERS


def test_codes(real: Real) -> None:
    _, library = _load(real)
    assert dict(Counter(d.code for d in library.diagnostics)) == CODES

NAME = "voltagent-awesome-claude-code-subagents"
FILES = 46
AGENTS = 38
OTHERS: dict[str, int] = {}
CODES = {
    # A description with an unquoted ': ' (YAML reads a second mapping): Claude Code cannot
    # parse these headers either. 8 true.
    "AB201": 8,
    # 'dotnet-framework-4.8-expert', 'powershell-5.1-expert': a dot is not in Claude Code's
    # name rule (lowercase letters, digits, hyphens). 2 true.
    "AB305": 2,
}


def test_dialect_of_every_agent_file(real: Real) -> None:
    root, library = _load(real)
    dialects = _dialects(root, library)
    assert len(dialects) == 10 and set(dialects.values()) == {Dialect.CLAUDE}
    assert all(a.dialect_rule.startswith("content: ") for a in library.agents)
