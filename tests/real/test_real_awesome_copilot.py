"""github/awesome-copilot (a snapshot of 80 VS Code custom agents)."""

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

NAME = "awesome-copilot"
FILES = 80
AGENTS = 80
OTHERS: dict[str, int] = {}
CODES = {
    # 16 x `mode:` (an OpenCode / prompt-file key: `mode: subagent`) and 1 x `agent: agent`
    # (a prompt-file key) in VS Code agents: VS Code ignores them. True, and infos, no
    # longer "did you mean 'model'" warnings whose fix changed what the agent means.
    "AB308": 17,
    # 16 x `hidden:` in the gem-* agents: VS Code does not read it (it hides an agent with
    # `user-invocable: false`). True.
    "AB303": 16,
    # declarative-agents-architect has no description: VS Code shows it in the picker. True.
    "AB304": 1,
    # Three files named 'quality-playbook' (agents/ and two copies under
    # skills/quality-playbook/agents/). True for the files as given; in the full repository
    # a SKILL.md (absent from the snapshot) makes the two copies skill files.
    "AB501": 2,
    # azure-verified-modules-owner-triage has a U+200B ZERO WIDTH SPACE at the start of two
    # lines (506, 511) before a code fence: invisible in every editor, and the fence is then
    # not a fence to a Markdown reader. True.
    "AB703": 2,
}


def test_dialect_of_every_agent_file(real: Real) -> None:
    root, library = _load(real)
    assert _dialects(root, library) == {".github/agents": Dialect.VSCODE,
                                        "agents": Dialect.VSCODE,
                                        "skills/quality-playbook/agents": Dialect.VSCODE}
    # Copilot's dotted model ids (claude-sonnet-4.6, claude-3.5-sonnet) are not AB306, the
    # built-in `agent` is a valid handoff target (context7), and {{slots}} of report
    # templates are not placeholders VS Code would fill (AB601).
    assert not {"AB306", "AB403", "AB601", "AB603"} & {d.code for d in library.diagnostics}
