"""spec-kit as installed for Copilot: .github/agents/speckit.<cmd>.agent.md."""

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

NAME = "spec-kit-installed"
FILES = 10
AGENTS = 10
OTHERS: dict[str, int] = {}
# Every handoff names `speckit.<cmd>`, the stem of a file without a `name:`: VS Code's
# resolution by stem finds them all. Nothing to report, and nothing is.
CODES: dict[str, int] = {}


def test_dialect_of_every_agent_file(real: Real) -> None:
    root, library = _load(real)
    assert _dialects(root, library) == {".github/agents": Dialect.VSCODE}
    assert sum(len(a.handoffs) for a in library.agents) > 0
