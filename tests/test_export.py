"""Exporting agents to VS Code, Claude Code and Cursor files: content, loss report, safety."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from agentbench.core.library.loader import load_library
from agentbench.core.model import Dialect, Severity

Run = Callable[..., tuple[int, str, str]]
Write = Callable[[str, str | bytes], Path]
FOLDER = {"vscode": ".github/agents", "claude": ".claude/agents", "cursor": ".cursor/agents"}


def front(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    data = yaml.safe_load(text.split("---\n", 2)[1])
    assert isinstance(data, dict)
    return data


def lint_errors(folder: Path) -> list[str]:
    library = load_library(str(folder))
    return [f"{d.path}:{d.line} {d.code} {d.message}" for d in library.diagnostics
            if d.severity is Severity.ERROR]


def test_demo_to_vscode_keeps_every_handoff(run_cli: Run, tmp_path: Path,
                                            demo_dir: Path) -> None:
    code, out, _err = run_cli("export", "--to", "vscode", "--out", str(tmp_path), str(demo_dir))
    assert code == 0, out
    source = {a.name: a for a in load_library(str(demo_dir)).agents}
    exported = load_library(str(tmp_path / FOLDER["vscode"]))
    assert {a.name for a in exported.agents} == set(source)
    for agent in exported.agents:
        assert agent.dialect is Dialect.VSCODE
        assert agent.path.endswith(f"{agent.name}.agent.md")
        original = source[agent.name]
        assert len(agent.handoffs) == len(original.handoffs)
        for ours, theirs in zip(agent.handoffs, original.handoffs, strict=True):
            assert (ours.target_key, ours.target, ours.label, ours.send) == (
                "agent", theirs.target, theirs.label, theirs.send)
            assert ours.prompt  # per-invocation placeholders stay for the user to fill
    assert [d for d in exported.diagnostics if d.code == "AB402"] == []
    assert lint_errors(tmp_path / FOLDER["vscode"]) == []
    backend = (tmp_path / FOLDER["vscode"] / "backend-agent.agent.md").read_text("utf-8")
    # The default profile (fastapi) filled the body.
    assert "**Ledgerly**" in backend and "{{" not in backend
    assert front(tmp_path / FOLDER["vscode"] / "backend-agent.agent.md")["model"] == (
        "Claude Sonnet 4.5 (copilot)")
    assert "triggers — VS Code has no triggers" in out


def test_demo_to_claude_passes_the_claude_checks(run_cli: Run, tmp_path: Path,
                                                 demo_dir: Path) -> None:
    code, out, _err = run_cli("export", "--to", "claude", "--out", str(tmp_path),
                              "--profile", "nest", str(demo_dir))
    assert code == 0
    folder = tmp_path / FOLDER["claude"]
    assert lint_errors(folder) == []
    code, _lint, _ = run_cli("lint", str(folder))
    assert code == 0
    backend = front(folder / "backend-agent.md")
    assert list(backend) == ["name", "description", "model"]
    assert backend["model"] == "claude-sonnet-4-5"  # a valid id is kept
    assert front(folder / "docs-agent.md")["model"] == "inherit"  # gpt-4.1
    assert "'gpt-4.1' written as 'inherit'" in out
    assert "NestJS 10" in (folder / "backend-agent.md").read_text("utf-8")
    assert "backend-agent: handoffs — handoff 1 (→ api-agent, 'Design API'): Claude Code" in out


def test_claude_names_models_and_tools(tmp_path: Path, write: Write) -> None:
    from agentbench.core.export.plan import plan_export

    write("lib/Backend Agent.md", "---\nname: Backend Agent!\nmodel: claude-4-5-opus\n"
                                  "description: d\n---\nbody\n")
    write("lib/backend-agent.md", "---\nname: backend-agent\nmodel: claude-opus-4-1\n"
                                  "description: d\n---\nbody\n")
    write("lib/.github/agents/tooly.agent.md",
          "---\ndescription: t\nmodel: GPT-5 (copilot)\ntools: ['search', 'edit',"
          " 'runCommands', 'github/*']\nargument-hint: a file\n---\nbody\n")
    agents = load_library(str(tmp_path / "lib")).agents
    plan = plan_export(agents, "claude", str(tmp_path / "out"), {})
    by_agent = {f.agent: front_of(f.data) for f in plan.files}
    assert by_agent["Backend Agent!"]["name"] == "backend-agent"
    assert by_agent["Backend Agent!"]["model"] == "opus"
    assert by_agent["backend-agent"]["name"] == "backend-agent-2"  # no collision
    assert by_agent["backend-agent"]["model"] == "claude-opus-4-1"
    assert by_agent["tooly"]["tools"] == "Grep, Glob, Edit, Write, Bash"
    assert by_agent["tooly"]["model"] == "inherit"
    reasons = {(n.agent, n.field): n.reason for n in plan.losses}
    assert reasons[("tooly", "tools")] == "tool 'github/*' has no Claude Code equivalent"
    assert reasons[("tooly", "argument-hint")] == "not a Claude Code field"


def front_of(data: bytes) -> dict[str, Any]:
    loaded = yaml.safe_load(data.decode("utf-8").split("---\n", 2)[1])
    assert isinstance(loaded, dict)
    return loaded


def test_vscode_fixes_handoffs_vscode_would_drop(tmp_path: Path, write: Write) -> None:
    from agentbench.core.export.plan import plan_export

    write("lib/a.md", "---\nname: a\ndescription: d\nhandoffs:\n  - target: b\n"
                      "  - target: ghost\n    label: Haunt\n    prompt: boo\n---\nbody\n")
    write("lib/b.md", "---\nname: b\ndescription: d\n---\nbody\n")
    plan = plan_export(load_library(str(tmp_path / "lib")).agents, "vscode",
                       str(tmp_path / "out"), {})
    a = front_of(next(f.data for f in plan.files if f.agent == "a"))
    assert a["handoffs"] == [{"label": "Hand off to b", "agent": "b",
                              "prompt": "Continue with the work above as b.", "send": False}]
    assert any(n.field == "handoffs" and "'ghost'" in n.reason for n in plan.losses)
    assert any("had no label" in n.reason for n in plan.changes)


HOSTILE = 'He said "hi": [@click=app.quit] #not-a-comment\n  - item: {x}\n---\nend \'q\''


@pytest.mark.parametrize("target", ["vscode", "claude", "cursor"])
def test_hostile_values_round_trip(target: str, tmp_path: Path, write: Write) -> None:
    from agentbench.core.export.plan import plan_export, write_plan

    write("lib/a.md", "---\nname: a\ndescription: 'Agent for {{x}}'\nhandoffs:\n"
                      "  - target: a\n    label: '{{x}}'\n    prompt: 'Do {{x}}'\n---\n"
                      "Body {{x}}\n")
    plan = plan_export(load_library(str(tmp_path / "lib")).agents, target,
                       str(tmp_path / "out"), {"x": HOSTILE})
    write_plan(plan)
    path = tmp_path / "out" / FOLDER[target] / ("a.agent.md" if target == "vscode" else "a.md")
    data = front(path)
    assert data["description"] == f"Agent for {HOSTILE}".strip()
    if target == "vscode":
        assert data["handoffs"][0]["prompt"] == f"Do {HOSTILE}"
        assert data["handoffs"][0]["label"] == HOSTILE.strip()
    assert path.read_text("utf-8").endswith(f"Body {HOSTILE}\n")
    assert lint_errors(path.parent) == []


def test_dry_run_conflicts_and_force(run_cli: Run, tmp_path: Path, demo_dir: Path) -> None:
    args = ("export", "--to", "claude", "--out", str(tmp_path), str(demo_dir))
    code, out, _ = run_cli(*args, "--dry-run")
    assert code == 0
    assert "would create" in out and "dry run: 7 of 7 files would be written" in out
    assert not (tmp_path / ".claude").exists()
    assert run_cli(*args)[0] == 0
    code, out, _ = run_cli(*args)
    assert code == 0 and out.count("unchanged") >= 7
    edited = tmp_path / FOLDER["claude"] / "backend-agent.md"
    edited.write_text("my own edits\n", "utf-8")
    other = tmp_path / FOLDER["claude"] / "api-agent.md"
    other.unlink()
    code, out, err = run_cli(*args)
    assert code == 1
    assert "existing files differ" in err and "--force" in err
    assert edited.read_text("utf-8") == "my own edits\n"
    assert not other.exists()  # refused as a whole: nothing was written
    code, out, err = run_cli(*args, "--dry-run", "--format", "json")
    statuses = {Path(f["path"]).name: f["status"] for f in json.loads(out)["files"]}
    assert statuses["backend-agent.md"] == "changed" and statuses["api-agent.md"] == "new"
    assert run_cli(*args, "--force")[0] == 0
    assert edited.read_text("utf-8").startswith("---\nname: backend-agent\n")
    assert other.exists()


def test_cursor_export_keeps_name_description_model_and_body(run_cli: Run, tmp_path: Path,
                                                             demo_dir: Path) -> None:
    code, out, _ = run_cli("export", "--to", "cursor", "--out", str(tmp_path), str(demo_dir))
    assert code == 0
    data = front(tmp_path / FOLDER["cursor"] / "backend-agent.md")
    assert list(data) == ["name", "description", "model"]
    assert "Cursor subagents have no handoffs" in out
    assert lint_errors(tmp_path / FOLDER["cursor"]) == []


def test_export_fills_from_a_detected_project(run_cli: Run, tmp_path: Path,
                                              write: Write) -> None:
    write("proj/go.mod", "module example.com/shop\n\ngo 1.22\n")
    write("lib/a.md", "---\nname: a\ndescription: d\n---\nTest with {{test_command}}.\n")
    code, _out, _ = run_cli("export", "--to", "claude", "--out", str(tmp_path / "out"),
                            "--project", str(tmp_path / "proj"), str(tmp_path / "lib"))
    assert code == 0
    text = (tmp_path / "out" / FOLDER["claude"] / "a.md").read_text("utf-8")
    assert text.endswith("Test with go test ./....\n")


@pytest.mark.parametrize("target", ["vscode", "claude", "cursor"])
def test_corpus_and_demo_export_lint_clean(target: str, tmp_path: Path, corpus: Path,
                                           demo_dir: Path, run_cli: Run) -> None:
    templates = corpus / "copilot-agent-factory" / "agent-templates"
    for name, source in (("corpus", templates), ("demo", demo_dir)):
        out = tmp_path / name
        code, report, err = run_cli("export", "--to", target, "--out", str(out), str(source))
        assert code == 0, err
        assert lint_errors(out / FOLDER[target]) == []
        if target == "vscode":
            exported = load_library(str(out / FOLDER[target]))
            kept = sum(len(a.handoffs) for a in exported.agents)
            original = sum(len(a.handoffs) for a in load_library(str(source)).agents)
            assert kept == original
    assert "Loss report" in report
