"""Issue 13: what reads each file, and a dialect that does not depend on PATH's spelling."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from agentbench.core.library.loader import load_library
from agentbench.core.model import Dialect, FileKind
from agentbench.core.read.kinds import locate
from agentbench.core.write.fixes import plan_fixes

Write = Callable[[str, str | bytes], Path]
Real = Callable[[str], Path]
HEAD = "---\nname: {name}\ndescription: d\n---\nBody\n"


def test_every_kind_is_found_and_only_agents_are_agents(tmp_path: Path, write: Write) -> None:
    write("repo/.github/agents/helper.agent.md", HEAD.format(name="helper"))
    write("repo/.github/prompts/go.prompt.md", "---\nagent: helper\nmode: agent\n---\nGo\n")
    write("repo/.github/instructions/py.instructions.md", "---\napplyTo: '**/*.py'\n---\n")
    write("repo/.github/copilot-instructions.md", "Be nice.\n")
    write("repo/.claude/skills/pdf/SKILL.md", "---\nname: pdf\ndescription: d\n---\n")
    write("repo/.claude/skills/pdf/reference.md", "---\nname: ref\ndescription: d\n---\n")
    write("repo/.claude/commands/ship.md", "---\ndescription: Ship\n---\nShip $ARGUMENTS\n")
    write("repo/AGENTS.md", "# Agents\n")
    write("repo/CLAUDE.md", "---\nname: x\n---\n")
    write("repo/README.md", "# Readme\n")
    write("repo/docs/guide.md", "# A guide without a header\n")
    write("repo/docs/page.md", "---\ntitle: A page\nlayout: default\n---\nText\n")
    library = load_library(str(tmp_path / "repo"))
    assert [a.name for a in library.agents] == ["helper"]
    assert library.other_counts() == {"prompt": 1, "instructions": 2, "skill": 2,
                                      "command": 1, "memory": 2, "documentation": 3}
    # None of them gets an agent diagnostic (no AB108 for the docs without a header).
    assert {d.code for d in library.diagnostics} == set()


def test_ab108_only_where_agents_live(tmp_path: Path, write: Write) -> None:
    write("lib/agents/broken.md", "no header\n")
    write("lib/notes/notes.md", "no header either\n")
    write("lib/x.agent.md", "no header\n")
    library = load_library(str(tmp_path / "lib"))
    assert sorted(os.path.basename(d.path) for d in library.diagnostics
                  if d.code == "AB108") == ["broken.md", "x.agent.md"]
    assert [o.kind for o in library.others] == [FileKind.DOCUMENTATION]


def test_headerless_files_in_github_agents_are_vscode_agents(tmp_path: Path,
                                                             write: Write) -> None:
    write("repo/.github/agents/AGENTS.md", "# Shared rules\n")
    write("repo/.github/agents/lead.agent.md",
          "---\nname: lead\ndescription: d\nhandoffs:\n  - label: Rules\n    agent: AGENTS\n"
          "    prompt: p\n  - label: Built in\n    agent: agent\n    prompt: p\n---\n")
    library = load_library(str(tmp_path / "repo"))
    assert sorted(a.name for a in library.agents) == ["AGENTS", "lead"]
    assert [d.code for d in library.diagnostics] == ["AB110"]


@pytest.mark.parametrize(("path", "kind", "dialect"), [
    ("r/plugins/p/agents/a.md", FileKind.AGENT, Dialect.CLAUDE),
    ("r/plugins/p/agents/sub/a.md", FileKind.AGENT, Dialect.CLAUDE),
    ("r/plugins/p/commands/c.md", FileKind.COMMAND, None),
    ("r/plugins/p/skills/s/SKILL.md", FileKind.SKILL, None),
    ("r/templates/commands/plan.md", FileKind.COMMAND, None),
    ("r/.claude/agents/README.md", FileKind.DOCUMENTATION, None),
    ("r/.github/agents/README.md", FileKind.AGENT, Dialect.VSCODE),
    ("r/.github/agents/x.prompt.md", FileKind.PROMPT, None),
    ("r/x.chatmode.md", FileKind.AGENT, Dialect.VSCODE),
    ("r/skills/s/agents/x.md", FileKind.AGENT, None),
    ("r/skills/s/notes.md", FileKind.SKILL, None),
])
def test_locate(path: str, kind: FileKind, dialect: Dialect | None) -> None:
    where = locate(path)
    assert (where.kind, where.dialect) == (kind, dialect)


def test_a_plugin_manifest_makes_its_agents_folder_claude(tmp_path: Path, write: Write) -> None:
    write("my-plugin/.claude-plugin/plugin.json", "{}")
    path = write("my-plugin/agents/a.md", HEAD.format(name="a"))
    (agent,) = load_library(str(tmp_path / "my-plugin")).agents
    assert agent.dialect is Dialect.CLAUDE and "claude-plugin" in agent.dialect_rule
    assert locate(str(path)).dialect is Dialect.CLAUDE


def test_content_decides_where_the_place_says_nothing(tmp_path: Path, write: Write) -> None:
    write("lib/cat/reviewer.md", "---\nname: c\ndescription: d\ntools: Read, Grep\n---\n")
    write("lib/cat/vs.md", "---\nname: v\ndescription: d\nargument-hint: x\n---\n")
    write("lib/cat/factory.md", "---\nname: f\ndescription: d\ntriggers: [a]\nmodel: opus\n---\n")
    write("lib/cat/plain.md", HEAD.format(name="p"))
    dialects = {a.name: a.dialect for a in load_library(str(tmp_path / "lib")).agents}
    assert dialects == {"c": Dialect.CLAUDE, "v": Dialect.VSCODE, "f": Dialect.FACTORY,
                        "p": Dialect.FACTORY}


@pytest.mark.parametrize("name", ["a11y-agent-team", "wshobson-agents",
                                  "voltagent-awesome-claude-code-subagents",
                                  "awesome-copilot", "spec-kit-installed"])
def test_the_dialect_does_not_depend_on_how_path_is_spelt(
        real: Real, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = real(name)
    whole = {os.path.realpath(a.path): a.dialect for a in load_library(str(root)).agents}
    folders = sorted({os.path.dirname(p) for p in whole})
    for folder in folders:
        monkeypatch.chdir(folder)
        for spelling in (".", "./", os.path.join("..", os.path.basename(folder))):
            inside = {os.path.realpath(a.path): a.dialect
                      for a in load_library(spelling).agents}
            assert inside == {p: d for p, d in whole.items() if p in inside}, (folder, spelling)
            assert inside, (folder, spelling)


@pytest.mark.parametrize("name", ["a11y-agent-team", "wshobson-agents", "awesome-copilot",
                                  "voltagent-awesome-claude-code-subagents", "spec-kit",
                                  "spec-kit-installed"])
def test_fixes_on_real_libraries_change_nothing_the_tools_read(real: Real, name: str) -> None:
    # Before issue 13, `lint --fix` here turned `mode: subagent` into `model: subagent`,
    # `agent:` into `agents:`, and renamed files after display names with spaces. Every
    # finding left has no certain fix (the AB303 `user-invokable` guess is one letter away).
    assert plan_fixes(load_library(str(real(name)))) == []
