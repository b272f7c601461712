"""New agents: a correct file for the dialect, in the right folder, never over another."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentbench.core.library.loader import load_library
from agentbench.core.model import Dialect, Handoff, Severity
from agentbench.core.write.atomic import WriteRefused
from agentbench.core.write.change import EditError, save, undo
from agentbench.core.write.new_agent import NewAgent, agent_path, create_agent, plan_new_agent

HANDOFF = Handoff("test-agent", "Write Tests", "Write tests for: {{feature}}", False)


def test_a_factory_agent_reads_back_with_every_field(tmp_path: Path) -> None:
    spec = NewAgent("cache-agent", "Caching specialist: Redis, CDN", model="claude-opus-4-5",
                    triggers=("redis in dependencies", "Cache: keys"), handoffs=(HANDOFF,))
    saved = create_agent(str(tmp_path), spec)
    assert saved.path == str(tmp_path / "cache-agent.md")
    library = load_library(str(tmp_path))
    agent = library.get("cache-agent")
    assert agent is not None
    assert agent.description == "Caching specialist: Redis, CDN"
    assert agent.model == "claude-opus-4-5"
    assert agent.triggers == ("redis in dependencies", "Cache: keys")
    assert [(h.target, h.label, h.prompt, h.send) for h in agent.handoffs] == [
        ("test-agent", "Write Tests", "Write tests for: {{feature}}", False)]
    file_codes = {d.code for f in library.files for d in f.diagnostics}
    assert not file_codes - {"AB307"}  # no problems in the file itself
    text = Path(saved.path).read_text()
    assert text.startswith("---\nname: cache-agent\ndescription: \"Caching specialist:")
    assert "  - target: test-agent\n    label: \"Write Tests\"\n" in text


def test_vscode_and_claude_agents_go_where_their_tools_look(tmp_path: Path) -> None:
    vscode = create_agent(str(tmp_path), NewAgent("planner", "Plans work", Dialect.VSCODE,
                                                  handoffs=(HANDOFF,)))
    assert vscode.path == str(tmp_path / "planner.agent.md")
    assert "  - agent: test-agent\n" in Path(vscode.path).read_text()
    claude = create_agent(str(tmp_path), NewAgent("reviewer", "Reviews code", Dialect.CLAUDE,
                                                  model="sonnet"))
    assert claude.path == str(tmp_path / ".claude" / "agents" / "reviewer.md")
    (tmp_path / "proj" / ".github" / "agents").mkdir(parents=True)
    assert agent_path(str(tmp_path / "proj"), Dialect.VSCODE, "x") == str(
        tmp_path / "proj" / ".github" / "agents" / "x.md")
    for path in (vscode.path, claude.path):
        parsed = load_library(path).files[0]
        assert not [d for d in parsed.diagnostics if d.severity is not Severity.INFO]


def test_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "cache-agent.md"
    existing.write_text("my work")
    with pytest.raises(EditError, match="already exists"):
        create_agent(str(tmp_path), NewAgent("cache-agent", "d"))
    change = plan_new_agent(str(tmp_path), NewAgent("late-agent", "d"))
    (tmp_path / "late-agent.md").write_text("appeared meanwhile")
    with pytest.raises(WriteRefused, match="already exists"):
        save(change)
    assert existing.read_text() == "my work"
    assert (tmp_path / "late-agent.md").read_text() == "appeared meanwhile"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache-agent.md", "late-agent.md"]


def test_invalid_agents_are_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(EditError, match="lowercase"):
        plan_new_agent(str(tmp_path), NewAgent("Reviewer", "d", Dialect.CLAUDE))
    with pytest.raises(EditError, match="file name"):
        plan_new_agent(str(tmp_path), NewAgent("../escape", "d"))
    with pytest.raises(EditError, match="description"):
        plan_new_agent(str(tmp_path), NewAgent("a", " "))
    with pytest.raises(EditError, match="triggers"):
        plan_new_agent(str(tmp_path), NewAgent("a", "d", Dialect.VSCODE, triggers=("t",)))
    with pytest.raises(EditError, match="target, a label and a prompt"):
        plan_new_agent(str(tmp_path), NewAgent("a", "d", handoffs=(Handoff("b", "", "", False),)))
    assert list(tmp_path.iterdir()) == []


def test_undo_removes_the_new_file(tmp_path: Path) -> None:
    saved = create_agent(str(tmp_path), NewAgent("temp-agent", "d"))
    undo(saved)
    assert list(tmp_path.iterdir()) == []
