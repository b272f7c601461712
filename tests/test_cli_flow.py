"""`agentbench demo`: export a recorded flow without the TUI, or hand it to the workbench."""

from __future__ import annotations

import shutil
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agentbench.core.flow.record import FlowFile

RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def team(tmp_path: Path, demo_dir: Path) -> Path:
    copy = tmp_path / "agents"
    shutil.copytree(demo_dir, copy)
    return copy


def test_export_md_prints_the_transcript(run_cli: RunCli, demo_dir: Path) -> None:
    code, out, err = run_cli("demo", str(demo_dir / "flows" / "feature.yaml"), "--export", "md")
    assert (code, err) == (0, "")
    assert out.startswith("# Flow: Invoice due dates\n")
    assert "## 6. docs-agent → Report Done → orchestrator" in out
    assert "```mermaid\nsequenceDiagram\n" in out


def test_export_md_to_a_file_is_atomic_and_replaces_it(run_cli: RunCli, team: Path,
                                                       tmp_path: Path) -> None:
    out_file = tmp_path / "out" / "feature.md"
    out_file.parent.mkdir()
    out_file.write_text("old", "utf-8")
    code, out, err = run_cli("demo", str(team / "flows" / "feature.yaml"), "--export", "md",
                             "--out", str(out_file))
    assert (code, out, err) == (0, "", "")
    assert out_file.read_text("utf-8").startswith("# Flow: Invoice due dates")
    assert [p.name for p in out_file.parent.iterdir()] == ["feature.md"]  # no temp files left


def test_var_and_profile_reach_the_export(run_cli: RunCli, demo_dir: Path) -> None:
    code, out, _ = run_cli("demo", str(demo_dir / "flows" / "feature.yaml"), "--export", "md",
                           "--var", "feature_description=dark mode", "--profile", "nest")
    assert code == 0
    assert "Implement the server-side part of this feature: dark mode." in out
    assert "profile **nest**" in out


def test_a_changed_library_stops_the_replay_with_a_message(run_cli: RunCli, team: Path) -> None:
    test_agent = team / "test-agent.md"
    test_agent.write_text(test_agent.read_text("utf-8").replace("Fix Failures", "Fix It"),
                          "utf-8")
    code, out, err = run_cli("demo", str(team / "flows" / "feature.yaml"), "--export", "md")
    assert code == 1
    assert "replay stopped: step 3 ('Fix Failures' from 'test-agent') no longer exists" in err
    assert "feature.yaml:24:" in err
    assert "## 2. backend-agent → Write Tests → test-agent" in out
    assert "## 3." not in out and "## Stopped" in out


def test_a_broken_flow_file_is_reported_not_a_traceback(run_cli: RunCli, team: Path) -> None:
    bad = team / "flows" / "bad.yaml"
    bad.write_text("start: orchestrator\nsteps:\n  - {handoff: [oops\n", "utf-8")
    code, out, err = run_cli("demo", str(bad), "--export", "md")
    assert code == 1 and out == ""
    assert f"{bad}:3:" in err and "error AB901 YAML syntax error" in err
    assert "Traceback" not in err


def test_usage_errors(run_cli: RunCli, demo_dir: Path, tmp_path: Path) -> None:
    flow = str(demo_dir / "flows" / "feature.yaml")
    assert run_cli("demo", flow, "--out", str(tmp_path / "x.md"))[0] == 2
    assert run_cli("demo", flow, "--export", "md", "--autoplay", "1")[0] == 2
    assert run_cli("demo", str(tmp_path / "missing.yaml"))[0] == 2
    code, _, err = run_cli("demo", flow, "--export", "md", "--out",
                           str(tmp_path / "no" / "such" / "x.md"))
    assert code == 2 and "does not exist" in err


def test_library_option_points_at_another_copy(run_cli: RunCli, team: Path,
                                               tmp_path: Path) -> None:
    flow = tmp_path / "elsewhere.yaml"
    shutil.copy(team / "flows" / "feature.yaml", flow)
    code, out, _ = run_cli("demo", str(flow), "--export", "md", "--library", str(team))
    assert code == 0 and "## 6." in out


def _fake_app_module(monkeypatch: pytest.MonkeyPatch,
                     make_app: Callable[..., Any]) -> None:
    module = types.ModuleType("agentbench.ui.app")
    module.make_app = make_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agentbench.ui.app", module)


def test_demo_hands_the_flow_to_the_workbench(run_cli: RunCli, demo_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class App:
        def run(self) -> None:
            seen["ran"] = True

    def make_app(loader: Any, session: dict[str, str] | None = None, watch: bool = True,
                 flow: FlowFile | None = None, autoplay: float | None = None) -> App:
        seen.update(loader=loader, session=session, watch=watch, flow=flow, autoplay=autoplay)
        return App()

    _fake_app_module(monkeypatch, make_app)
    code, _, err = run_cli("demo", str(demo_dir / "flows" / "feature.yaml"), "--autoplay",
                           "1.5", "--var", "failing_tests=x", "--no-watch")
    assert (code, err) == (0, "")
    assert seen["ran"] and seen["watch"] is False and seen["autoplay"] == 1.5
    assert seen["session"] == {"failing_tests": "x"}
    assert isinstance(seen["flow"], FlowFile) and seen["flow"].title == "Invoice due dates"
    assert seen["loader"].roots == [str(demo_dir)]
    assert seen["loader"].profile == "fastapi"


def test_demo_says_when_the_workbench_has_no_flow_screen_yet(
        run_cli: RunCli, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def make_app(loader: Any, session: dict[str, str] | None = None,
                 watch: bool = True) -> Any:
        raise AssertionError("must not be called without flow support")

    _fake_app_module(monkeypatch, make_app)
    code, _, err = run_cli("demo", str(demo_dir / "flows" / "feature.yaml"))
    assert code == 1
    assert "flow mode arrives with the flow screen" in err
    assert "--export md" in err


def test_lint_of_the_demo_team_includes_its_flows_cleanly(run_cli: RunCli,
                                                          demo_dir: Path) -> None:
    code, out, _ = run_cli("lint", str(demo_dir), "--format", "json")
    assert code == 0
    assert '"AB9' not in out


def test_readme_documents_demo_and_serve() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    assert "agentbench demo FLOW.yaml" in readme and "agentbench serve" in readme
