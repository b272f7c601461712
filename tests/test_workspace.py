"""agentbench.yaml and .github/agent-config.yml: finding, reading, and what they mean for lint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from agentbench.core.library.loader import load_library
from agentbench.core.library.workspace import load_workspace
from agentbench.core.model import Diagnostic
from agentbench.core.placeholders import Source

Write = Callable[[str, str | bytes], Path]


def of(items: tuple[Diagnostic, ...], code: str) -> list[Diagnostic]:
    return [d for d in items if d.code == code]


def agent(name: str, body: str = "Body\n", extra: str = "") -> str:
    return f"---\nname: {name}\ndescription: d\n{extra}---\n{body}"


def handoffs(*targets: str) -> str:
    return "handoffs:\n" + "".join(
        f"  - target: {t}\n    label: To {t}\n    prompt: Go.\n" for t in targets)


WORKSPACE = """\
# team settings
entry: lead
default_profile: fastapi
profiles:
  fastapi:
    tech_stack: "Python, FastAPI"
    test_command: pytest -q
    port: 8000
    debug: true
  nest:
    tech_stack: "TypeScript, NestJS"
    test_command: npm test
"""


def test_workspace_found_at_library_root(tmp_path: Path, write: Write) -> None:
    write("team/agentbench.yaml", WORKSPACE)
    workspace = load_workspace(tmp_path / "team")
    assert workspace.path == str(tmp_path / "team" / "agentbench.yaml")
    assert workspace.entry == "lead"
    assert workspace.default_profile == "fastapi"
    assert workspace.profile_names() == ["fastapi", "nest"]
    assert workspace.profiles["fastapi"] == {
        "tech_stack": "Python, FastAPI", "test_command": "pytest -q", "port": "8000",
        "debug": "true"}
    assert workspace.diagnostics == ()


def test_workspace_found_in_a_parent_folder(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", WORKSPACE)
    write("deep/er/agents/lead.md", agent("lead"))
    workspace = load_workspace(tmp_path / "deep" / "er" / "agents")
    assert workspace.path == str(tmp_path / "agentbench.yaml")
    # A file PATH finds the workspace beside it too.
    assert load_workspace(tmp_path / "deep" / "er" / "agents" / "lead.md").entry == "lead"


def test_profile_values_resolve_with_their_source(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", WORKSPACE)
    workspace = load_workspace(tmp_path)
    default = workspace.values()
    assert default.profile_name == "fastapi"
    assert default.resolve("tech_stack").value == "Python, FastAPI"
    assert default.resolve("tech_stack").source is Source.PROFILE
    nest = workspace.values("nest", session={"test_command": "yarn test"})
    assert nest.resolve("tech_stack").value == "TypeScript, NestJS"
    assert (nest.resolve("test_command").value, nest.resolve("test_command").source) == (
        "yarn test", Source.SESSION)


def test_unknown_default_profile(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "profiles:\n  fastapi: {a: b}\ndefault_profile: fastapy\n")
    (error,) = of(load_workspace(tmp_path).diagnostics, "AB802")
    assert error.line == 3
    assert "fastapy" in error.message and "did you mean 'fastapi'" in error.message


def test_non_text_profile_values(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "profiles:\n  p:\n    ok: yes\n    nested: {a: 1}\n"
                             "    items: [1, 2]\n  q: [1]\n")
    workspace = load_workspace(tmp_path)
    errors = of(workspace.diagnostics, "AB801")
    assert [e.line for e in errors] == [4, 5, 6]
    assert "nested" in errors[0].message and "a mapping" in errors[0].message
    assert workspace.profiles["p"] == {"ok": "true"}


def test_workspace_with_wrong_shapes(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "- just\n- a list\n")
    assert [d.code for d in load_workspace(tmp_path).diagnostics] == ["AB801"]
    write("agentbench.yaml", "profiles: [a]\nentry: [x]\n")
    assert [d.line for d in load_workspace(tmp_path).diagnostics] == [2, 1]


def test_broken_workspace_yaml_is_a_diagnostic(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "entry: a\nprofiles:\n  p: {a: [}\n")
    (error,) = load_workspace(tmp_path).diagnostics
    assert error.code == "AB801" and error.line == 3


def test_unknown_workspace_key(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "entry: a\nprofles: {}\n")
    (warning,) = of(load_workspace(tmp_path).diagnostics, "AB803")
    assert warning.line == 2 and "did you mean 'profiles'" in warning.message


def test_agent_config_overrides_are_read(tmp_path: Path, write: Write) -> None:
    write(".github/agent-config.yml",
          "agents: [backend-agent]\noverrides:\n  tech_stack: Go\n  port: 8080\n")
    write("agentbench.yaml", "profiles:\n  p: {tech_stack: Rust}\n")
    workspace = load_workspace(tmp_path)
    assert workspace.overrides == {"tech_stack": "Go", "port": "8080"}
    assert workspace.overrides_path == str(tmp_path / ".github" / "agent-config.yml")
    values = workspace.values()
    assert values.resolve("tech_stack").source is Source.PROFILE
    assert values.resolve("port").source is Source.OVERRIDES
    assert values.resolve("port").origin.endswith("agent-config.yml")


def test_bad_agent_config_overrides(tmp_path: Path, write: Write) -> None:
    write(".github/agent-config.yml", "overrides: [a, b]\n")
    (error,) = load_workspace(tmp_path).diagnostics
    assert error.code == "AB801" and error.path.endswith("agent-config.yml")


def test_unused_profile_values(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", WORKSPACE)
    write("agents/lead.md", agent("lead", "Stack {{tech_stack}}; run {{test_command}}\n"))
    library = load_library(str(tmp_path / "agents"))
    unused = of(library.diagnostics, "AB602")
    assert sorted((d.line, d.message.split("'")[3]) for d in unused) == [
        (8, "port"), (9, "debug")]
    assert all(d.path.endswith("agentbench.yaml") for d in unused)


def test_unknown_entry(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "entry: leed\n")
    write("agents/lead.md", agent("lead"))
    library = load_library(str(tmp_path / "agents"))
    (error,) = of(library.diagnostics, "AB504")
    assert "leed" in error.message and "did you mean 'lead'" in error.message
    assert error.path.endswith("agentbench.yaml")


def test_unreachable_agents_from_entry(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "entry: lead\n")
    write("agents/lead.md", agent("lead", extra=handoffs("dev")))
    write("agents/dev.md", agent("dev", extra=handoffs("qa")))
    write("agents/qa.md", agent("qa"))
    write("agents/loner.md", agent("loner", extra=handoffs("lead")))
    library = load_library(str(tmp_path / "agents"))
    unreachable = of(library.diagnostics, "AB502")
    assert [(Path(d.path).name, d.line) for d in unreachable] == [("loner.md", 2)]
    assert "lead" in unreachable[0].message


def test_no_entry_means_no_reachability_check(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "profiles: {}\n")
    write("agents/a.md", agent("a"))
    write("agents/b.md", agent("b"))
    assert of(load_library(str(tmp_path / "agents")).diagnostics, "AB502") == []


def test_selected_profile_fills_placeholders_and_lint_says_which(tmp_path: Path,
                                                                  write: Write) -> None:
    write("agentbench.yaml", "profiles:\n  a: {x: '1'}\n  b: {y: '2'}\n")
    write("agents/one.md", agent("one", "{{x}} {{y}}\n"))
    default = of(load_library(str(tmp_path / "agents")).diagnostics, "AB601")
    assert [d.message for d in default] == ["placeholder '{{y}}' has no value under profile 'a'"]
    chosen = load_library(str(tmp_path / "agents"), profile="b")
    assert ["{{x}}" in d.message for d in of(chosen.diagnostics, "AB601")] == [True]
