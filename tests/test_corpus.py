"""The real files in ../shared/corpus: what agentbench must say about them, and only true things."""

from __future__ import annotations

import re
from pathlib import Path

from agentbench.core.library.loader import load_library
from agentbench.core.model import Diagnostic, Dialect
from agentbench.core.read.parse import parse_bytes


def of(items: tuple[Diagnostic, ...], code: str) -> list[Diagnostic]:
    return [d for d in items if d.code == code]


def test_every_corpus_file_parses(corpus: Path) -> None:
    files = sorted(corpus.rglob("*.md"))
    assert len(files) >= 50
    for path in files:
        parsed = parse_bytes(str(path), path.read_bytes())
        for item in parsed.diagnostics:
            assert item.line >= 1 and item.column >= 1
        # The published libraries under real/ keep non-agent Markdown (AGENTS.md, READMEs)
        # in their agent folders; which of those files are agents is the file-kind rule's
        # business, checked on its own, not this folder-name shortcut.
        if "real" not in path.relative_to(corpus).parts[:1] and path.parent.name in {
            "agent-templates",
            "agents",
        }:
            assert parsed.agent is not None, path


def test_agent_templates_library(corpus: Path) -> None:
    library = load_library(str(corpus / "copilot-agent-factory" / "agent-templates"))
    agents = library.agents
    assert len(agents) == 41
    assert all(a.dialect is Dialect.FACTORY for a in agents)
    assert sum(len(a.handoffs) for a in agents) == 158
    assert library.get("backend-agent") is not None
    # Every handoff target of the templates is one of the templates, so none is dangling.
    names = {a.name for a in agents}
    assert {h.target for a in agents for h in a.handoffs} <= names
    assert of(library.diagnostics, "AB403") == []
    assert of(library.diagnostics, "AB501") == []
    # DESIGN §1 counts 285 distinct names written `{{name}}`. The §2 grammar also allows
    # spaces, which adds one more: Angular/Vue interpolation `{{ error }}` inside the
    # frontend templates' code examples. That is what the grammar says, so it is counted.
    distinct = {n for a in agents for n in (*a.placeholders, *a.handoff_placeholders)}
    tight = set()
    for path in (corpus / "copilot-agent-factory" / "agent-templates").glob("*.md"):
        tight |= set(re.findall(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}", path.read_text("utf-8")))
    assert len(tight) == 285
    assert distinct == tight | {"error"}
    # Cycles exist and are noted, not errors.
    assert of(library.diagnostics, "AB503")


def test_architecture_trigger_with_colon_is_reported(corpus: Path) -> None:
    path = corpus / "copilot-agent-factory" / "agent-templates" / "architecture-agent.md"
    parsed = parse_bytes(str(path), path.read_bytes())
    lines = path.read_text("utf-8").splitlines()
    (error,) = of(parsed.diagnostics, "AB302")
    assert ": " in lines[error.line - 1] and lines[error.line - 1].lstrip().startswith("- ")
    assert error.line == 6
    assert parsed.agent is not None and len(parsed.agent.triggers) == 4


def test_github_agents_drop_every_target_handoff(corpus: Path) -> None:
    folder = corpus / "copilot-agent-factory" / ".github" / "agents"
    library = load_library(str(folder))
    assert all(a.dialect is Dialect.VSCODE for a in library.agents)
    target_handoffs = [h for a in library.agents for h in a.handoffs if h.target_key == "target"]
    dropped = of(library.diagnostics, "AB402")
    assert target_handoffs and len(dropped) == len(target_handoffs)
    assert all("'agent:'" in d.message for d in dropped)
    assert of(library.diagnostics, "AB403") == []


def test_whole_factory_repository(corpus: Path) -> None:
    library = load_library(str(corpus / "copilot-agent-factory"))
    diagnostics = library.diagnostics
    assert len(library.agents) == 54
    assert not any(d.path.endswith("README.md") for d in diagnostics)
    malformed = [d for d in of(diagnostics, "AB306") if "claude-4-5-opus" in d.message]
    assert malformed and all("did you mean 'claude-opus-4-5'" in d.message for d in malformed)
    assert all(d.line == 3 for d in malformed)
    assert of(diagnostics, "AB601")
    assert any(d.path.endswith("architecture-agent.md") and d.line == 6
               for d in of(diagnostics, "AB302"))
    assert len(of(diagnostics, "AB402")) == 33
    # The same agents live in .github/agents (VS Code's) and agent-templates (the factory's):
    # one agent written for two tools, each loading one copy, so no name collides (DESIGN
    # §1: duplicates count within what one tool loads).
    assert of(diagnostics, "AB501") == []
    assert {(a.name, a.dialect) for a in library.agents} >= {
        ("orchestrator", Dialect.VSCODE), ("orchestrator", Dialect.FACTORY)}
    # Every target exists somewhere in the repository.
    assert of(diagnostics, "AB403") == []


def test_github_actions_expressions_are_not_placeholders(corpus: Path) -> None:
    templates = corpus / "copilot-agent-factory" / "agent-templates"
    with_actions = [p for p in templates.glob("*.md") if "${{" in p.read_text("utf-8")]
    assert with_actions
    for path in with_actions:
        parsed = parse_bytes(str(path), path.read_bytes())
        assert parsed.agent is not None
        assert "secrets" not in parsed.agent.placeholders
        assert "github" not in parsed.agent.placeholders


def test_seed_mojibake(corpus: Path) -> None:
    path = corpus / "seed" / "backend-agent.md"
    parsed = parse_bytes(str(path), path.read_bytes())
    assert parsed.agent is not None and parsed.agent.name == "backend-agent"
    mojibake = of(parsed.diagnostics, "AB701")
    assert mojibake
    lines = path.read_text("utf-8").splitlines()
    for item in mojibake:
        line = lines[item.line - 1]
        assert "â" in line[item.column - 1 : item.column + 1]
        assert item.fix is not None and "â" not in item.fix
    dash = [d for d in mojibake if "â€“" in d.message]
    check = [d for d in mojibake if "âœ…" in d.message]
    assert dash and all("'–'" in d.message and "–" in (d.fix or "") for d in dash)
    assert check and all("'✅'" in d.message and "✅" in (d.fix or "") for d in check)
