"""DESIGN §4: the command-line contract scripts and CI depend on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agentbench import __version__
from agentbench.core.codes import CODES

Run = Callable[..., tuple[int, str, str]]
Write = Callable[[str, str | bytes], Path]

REPO = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"(?<!\$)\{\{[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\}\}")
DEMO_NAMES = ["api-agent", "backend-agent", "database-agent", "docs-agent", "orchestrator",
              "security-agent", "test-agent"]


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    return REPO


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text
        assert "internal error" not in text


# lint ---------------------------------------------------------------------------------------


def test_lint_demo_passes(run_cli: Run, in_repo: Path) -> None:
    code, out, err = run_cli("lint", "agents")
    assert code == 0
    assert out.splitlines()[-1].startswith("7 agents in 7 files: 0 errors, 0 warnings")
    assert err == ""


def test_lint_of_a_device_is_a_usage_error(run_cli: Run) -> None:
    code, out, err = run_cli("lint", "/dev/null")
    assert code == 2 and out == ""
    assert "/dev/null: not a file or folder" in err
    no_traceback(out, err)


def test_lint_json_shape(run_cli: Run, in_repo: Path) -> None:
    code, out, err = run_cli("lint", "agents", "--format", "json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    assert set(payload) == {"diagnostics", "summary"}
    # `others` (files found that are not agents, by kind) extends the summary compatibly.
    assert payload["summary"] == {"files": 7, "agents": 7, "errors": 0, "warnings": 0,
                                  "others": {}}
    assert payload["diagnostics"], "the demo has cycle and per-invocation notes"
    for item in payload["diagnostics"]:
        assert set(item) == {"path", "line", "column", "severity", "code", "message"}
        assert item["path"].startswith("agents/") or item["path"].startswith("agents\\")
        assert not Path(item["path"]).is_absolute()
        assert isinstance(item["line"], int) and item["line"] >= 1
        assert isinstance(item["column"], int) and item["column"] >= 1
        assert item["severity"] in {"error", "warning", "info"}
        assert item["code"] in CODES
        assert isinstance(item["message"], str) and item["message"]
    cycle = next(d for d in payload["diagnostics"] if d["code"] == "AB503")
    assert cycle["path"] == "agents/api-agent.md" and cycle["line"] == 2


def test_lint_sarif_shape(run_cli: Run, in_repo: Path, write: Write, tmp_path: Path) -> None:
    write("lib/a.md", "---\nname: a\ndescription: d\nhandoffs:\n  - target: zz\n"
                      "    label: L\n    prompt: p\n---\n")
    for args in (("agents",), (str(tmp_path / "lib"),)):
        code, out, _ = run_cli("lint", *args, "--format", "sarif")
        log = json.loads(out)
        assert log["version"] == "2.1.0"
        assert "sarif" in log["$schema"]
        (run,) = log["runs"]
        driver = run["tool"]["driver"]
        assert driver["name"] == "agentbench" and driver["version"] == __version__
        rule_ids = [r["id"] for r in driver["rules"]]
        assert len(rule_ids) == len(set(rule_ids))
        assert run["results"]
        for result in run["results"]:
            assert result["ruleId"] in rule_ids
            assert rule_ids[result["ruleIndex"]] == result["ruleId"]
            assert result["level"] in {"error", "warning", "note", "none"}
            assert result["message"]["text"]
            (location,) = result["locations"]
            physical = location["physicalLocation"]
            assert physical["artifactLocation"]["uri"]
            assert physical["region"]["startLine"] >= 1
            assert physical["region"]["startColumn"] >= 1
    assert code == 1
    assert any(r["ruleId"] == "AB403" and r["level"] == "error" for r in run["results"])


def test_lint_exit_codes(run_cli: Run, write: Write, tmp_path: Path) -> None:
    write("warn/a.md", "---\nname: a\ndescription: d\nmodle: x\n---\n")
    write("err/a.md", "---\nname: a\ndescription: d\ntriggers: text\n---\n")
    assert run_cli("lint", str(tmp_path / "warn"))[0] == 0
    assert run_cli("lint", str(tmp_path / "warn"), "--strict")[0] == 1
    code, out, err = run_cli("lint", str(tmp_path / "err"))
    assert code == 1
    assert "AB302" in out
    no_traceback(out, err)


def test_lint_a_single_file(run_cli: Run, write: Write) -> None:
    path = write("a.md", "---\nname: a\ndescription: d\n---\nBody\n")
    code, out, _ = run_cli("lint", str(path), "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["agents"] == 1


# list ---------------------------------------------------------------------------------------


def test_list_json_shape(run_cli: Run, in_repo: Path) -> None:
    code, out, err = run_cli("list", "agents", "--format", "json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    # DESIGN §4's keys, extended: the files that are not agents, and why each agent has
    # its dialect.
    assert set(payload) == {"agents", "diagnostics", "others", "other_counts"}
    assert payload["others"] == [] and payload["other_counts"] == {}
    assert [a["name"] for a in payload["agents"]] == DEMO_NAMES
    for agent in payload["agents"]:
        assert set(agent) == {"name", "path", "dialect", "dialect_rule", "model",
                              "description", "handoffs", "placeholders"}
        assert agent["dialect_rule"].startswith("path agents/; ")
        assert agent["path"] == f"agents/{agent['name']}.md"
        assert agent["dialect"] == "factory"
        assert isinstance(agent["placeholders"], list)
        for handoff in agent["handoffs"]:
            assert set(handoff) == {"target", "label", "prompt", "send"}
            assert isinstance(handoff["send"], bool)
    backend = payload["agents"][1]
    assert "tech_stack" in backend["placeholders"]
    assert [h["target"] for h in backend["handoffs"]] == [
        "api-agent", "database-agent", "test-agent", "security-agent"]
    for item in payload["diagnostics"]:
        assert set(item) == {"path", "line", "column", "severity", "code", "message"}


def test_list_text(run_cli: Run, in_repo: Path) -> None:
    code, out, _ = run_cli("list", "agents")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "DIALECT", "MODEL", "HANDOFFS", "PLACEHOLDERS", "RULE",
                                "PATH"]
    assert lines[-1] == "7 agents"
    assert any(line.split()[:4] == ["orchestrator", "factory", "claude-opus-4-5", "6"]
               for line in lines)


def test_default_path_is_the_library_in_the_current_folder(
        run_cli: Run, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write("proj/.github/agents/helper.agent.md", "---\ndescription: Helps\n---\nHi\n")
    monkeypatch.chdir(tmp_path / "proj")
    code, out, _ = run_cli("list", "--format", "json")
    assert code == 0
    (agent,) = json.loads(out)["agents"]
    assert agent["name"] == "helper" and agent["dialect"] == "vscode"
    assert agent["path"] == str(Path(".github") / "agents" / "helper.agent.md")


def test_no_agent_files_is_a_usage_error_never_the_demo_team(
        run_cli: Run, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 13: this used to lint the bundled demo team and exit 0, so a CI job passed while
    # checking nothing.
    write("README.md", "# A project\n")
    write("docs/guide.md", "# Guide\n")
    write(".claude/commands/go.md", "---\ndescription: Go\n---\nGo $ARGUMENTS\n")
    monkeypatch.chdir(tmp_path)
    for command in (("list",), ("lint",), ("graph",), ("render", "x"),
                    ("lint", "--format", "json")):
        code, out, err = run_cli(*command)
        assert code == 2, command
        assert out == ""
        assert "no agent files under the current folder (looked for .claude/" in err
        assert "also found: 1 command, 2 documentation files" in err
    code, _, err = run_cli("lint", "docs")
    assert code == 2 and "no agent files under docs" in err


# render -------------------------------------------------------------------------------------


def test_render_fills_everything_with_the_default_profile(run_cli: Run, in_repo: Path) -> None:
    code, out, err = run_cli("render", "backend-agent", "agents")
    assert code == 0
    assert err == ""
    assert PLACEHOLDER.search(out) is None
    assert "FastAPI" in out


def test_render_with_a_profile(run_cli: Run, in_repo: Path) -> None:
    code, out, err = run_cli("render", "backend-agent", "agents", "--profile", "nest")
    assert code == 0 and err == ""
    assert "NestJS" in out and "FastAPI" not in out


def test_render_var_beats_the_profile(run_cli: Run, in_repo: Path) -> None:
    code, out, _ = run_cli("render", "backend-agent", "agents", "--var", "tech_stack=Elixir",
                           "--var", "language=Elixir 1.17")
    assert code == 0
    assert "**Stack:** Elixir\n" in out
    assert "**Language:** Elixir 1.17" in out


def test_render_reports_unfilled_on_stderr_and_strict_fails(run_cli: Run, write: Write,
                                                            tmp_path: Path) -> None:
    write("lib/agentbench.yaml", "profiles:\n  p: {known: K}\n")
    write("lib/a.md", "---\nname: a\ndescription: d\n---\n{{known}} {{ todo }} ${{ ci }}\n")
    code, out, err = run_cli("render", "a", str(tmp_path / "lib"))
    assert code == 0
    assert out == "K {{ todo }} ${{ ci }}\n"
    assert "{{todo}}" in err and "1 placeholder" in err
    code, out, err = run_cli("render", "a", str(tmp_path / "lib"), "--strict")
    assert code == 1
    assert "{{todo}}" in err
    code, out, err = run_cli("render", "a", str(tmp_path / "lib"), "--strict",
                             "--var", "todo=done")
    assert (code, out, err) == (0, "K done ${{ ci }}\n", "")


def test_render_unknown_agent(run_cli: Run, in_repo: Path) -> None:
    code, out, err = run_cli("render", "backend-agnet", "agents")
    assert code == 1
    assert "did you mean 'backend-agent'" in err
    no_traceback(out, err)


@pytest.mark.parametrize(
    "args",
    [
        ("render", "backend-agent", "agents", "--profile", "rails"),
        ("render", "backend-agent", "no/such/folder"),
        ("lint", "no/such/folder"),
        ("list", "no/such/folder"),
        ("render", "backend-agent", "agents", "--var", "bad"),
        ("render", "backend-agent", "agents", "--var", "a-b=1"),
        ("lint", "agents", "--format", "xml"),
        ("lint", "agents", "--profile", "rails"),
        ("render",),
    ],
)
def test_usage_errors_exit_2(run_cli: Run, in_repo: Path, args: tuple[str, ...]) -> None:
    code, out, err = run_cli(*args)
    assert code == 2
    assert err.strip()
    no_traceback(out, err)


def test_unknown_profile_names_the_known_ones(run_cli: Run, in_repo: Path) -> None:
    _, _, err = run_cli("render", "backend-agent", "agents", "--profile", "rails")
    assert "rails" in err and "fastapi" in err and "nest" in err


def test_version_in_a_real_process() -> None:
    result = subprocess.run([sys.executable, "-m", "agentbench", "--version"],
                            capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 0
    assert __version__ in result.stdout
    assert result.stderr == ""


# untrusted text -----------------------------------------------------------------------------


def test_escape_sequences_never_reach_the_terminal(run_cli: Run, write: Write,
                                                    tmp_path: Path) -> None:
    write("lib/evil\x1b[31m.md",
          '---\nname: "evil\\e[31m"\ndescription: "red \\e[31m\\e]0;title\\a text"\n'
          'modle: "\\e[2J"\n---\nBody \x1b[2J {{ x\x1b }}\n')
    write("lib/ok.md", '---\nname: "ok"\ndescription: "\\e[1mbold"\nmodel: "\\e[5m"\n---\n')
    for args in (("lint",), ("list",), ("lint", "--format", "json"),
                 ("list", "--format", "json"), ("lint", "--format", "sarif")):
        _, out, err = run_cli(*args, str(tmp_path / "lib"))
        assert "\x1b" not in out and "\x1b" not in err, args
        assert "\x07" not in out
        no_traceback(out, err)
    _, out, _ = run_cli("lint", str(tmp_path / "lib"))
    assert "AB702" in out


# graph --------------------------------------------------------------------------------------


def test_graph_json(run_cli: Run, in_repo: Path) -> None:
    pytest.importorskip("agentbench.core.graph.layout.draw")
    pytest.importorskip("agentbench.core.graph.export")
    code, out, err = run_cli("graph", "agents", "--format", "json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    text = json.dumps(payload)
    for name in DEMO_NAMES:
        assert name in text
    nodes = payload["nodes"] if isinstance(payload, dict) else None
    assert nodes is not None and len(nodes) == 7
    edges = payload["edges"]
    assert len(edges) == 18

    def pair(edge: dict[str, object]) -> tuple[object, object]:
        return (edge.get("source", edge.get("from")), edge.get("target", edge.get("to")))

    assert {pair(e) for e in edges} >= {("orchestrator", "backend-agent"),
                                        ("test-agent", "backend-agent"),
                                        ("docs-agent", "orchestrator")}


def test_graph_on_a_missing_path_is_a_usage_error(run_cli: Run, in_repo: Path) -> None:
    pytest.importorskip("agentbench.core.graph.layout.draw")
    pytest.importorskip("agentbench.core.graph.export")
    code, out, err = run_cli("graph", "no/such/folder")
    assert code == 2 and "no/such/folder" in err
    no_traceback(out, err)


@pytest.mark.parametrize("fmt", ["text", "mermaid", "dot"])
def test_graph_formats_run(run_cli: Run, in_repo: Path, fmt: str) -> None:
    pytest.importorskip("agentbench.core.graph.layout.draw")
    pytest.importorskip("agentbench.core.graph.export")
    code, out, err = run_cli("graph", "agents", "--format", fmt)
    assert code == 0 and err == ""
    assert "orchestrator" in out
    assert "\x1b" not in out


def test_copied_library_with_relative_paths(run_cli: Run, demo_dir: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(demo_dir, tmp_path / "team")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("lint", "team", "--format", "json")
    assert code == 0
    assert {d["path"].split("/")[0] for d in json.loads(out)["diagnostics"]} == {"team"}


def test_render_to_a_pipe_keeps_the_body_byte_for_byte(run_cli: Run, write: Write,
                                                       tmp_path: Path) -> None:
    """Piped (not a terminal), render is a faithful filter: nothing stripped or escaped."""
    write("lib/raw.md", "---\nname: raw\ndescription: d\n---\nBody \x1b[2J end\n")
    code, out, _ = run_cli("render", "raw", str(tmp_path / "lib"))
    assert code == 0
    assert out == "Body \x1b[2J end\n"


def test_no_path_keeps_the_profiles_of_a_library_in_agents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        run_cli: Callable[..., tuple[int, str, str]]) -> None:
    """Opened from a repository's root, a library in agents/ keeps its agentbench.yaml."""
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "a.md").write_text(
        "---\nname: a\ndescription: d\n---\nBuilt with {{stack}}.\n", "utf-8")
    (tmp_path / "agents" / "agentbench.yaml").write_text(
        "default_profile: p\nprofiles:\n  p: {stack: Django}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _err = run_cli("render", "a")
    assert code == 0
    assert "Built with Django." in out
