"""github/spec-kit's command templates (templates/commands/*.md): commands, not agents."""

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

NAME = "spec-kit"
FILES = 0
AGENTS = 0
OTHERS = {"command": 10}
# Nothing is linted: `commands/**` are slash-command templates (spec-kit installs them as
# agents or commands per tool); `agentbench lint` on this folder exits 2 saying so.
CODES: dict[str, int] = {}


def test_lint_says_there_are_no_agents(real: Real,
                                       run_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = run_cli("lint", str(real(NAME)))
    assert code == 2 and out == ""
    assert "no agent files under" in err and "also found: 10 commands" in err
