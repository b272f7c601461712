"""taylorarndt/a11y-agent-team (a snapshot): one team written twice, for VS Code in
.github/agents and for Claude Code in .claude/agents."""

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

NAME = "a11y-agent-team"
FILES = 70
AGENTS = 70
OTHERS: dict[str, int] = {}
CODES = {
    # The Claude copies named in Title Case ('Accessibility Tool Builder'): Claude Code names
    # are lowercase letters, digits and hyphens. 6 files, 6 true.
    "AB305": 6,
    # AGENTS.md, shared-instructions.md, code-review-standards.md, preferences.md and
    # preferences.example.md in .github/agents: VS Code loads every .md there as an agent,
    # so each becomes a pickable agent named after its file. True (and an info).
    "AB110": 5,
    # VS Code handoffs naming a file stem ('contrast-master') where VS Code resolves by
    # `name:` ('Contrast Master'); 4 of them match only a Claude copy's name, which VS Code
    # does not load. All 130 true (checked: every target has a Title Case `name:`).
    "AB403": 130,
    # `user-invokable` (the key VS Code reads is `user-invocable`). 14 true.
    "AB303": 14,
}


def test_dialect_of_every_agent_file(real: Real) -> None:
    root, library = _load(real)
    assert _dialects(root, library) == {".claude/agents": Dialect.CLAUDE,
                                        ".github/agents": Dialect.VSCODE}
    # A Claude copy of a VS Code agent is the same agent for another tool, not a duplicate.
    assert not [d for d in library.diagnostics if d.code == "AB501"]
