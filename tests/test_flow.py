"""Flow mode in the core: walking the demo team, undo, branch, record and replay, flow lint."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from agentbench.core.flow.check import flow_diagnostics
from agentbench.core.flow.record import FlowFile, FlowRun
from agentbench.core.flow.walk import FlowError, NeedsValues
from agentbench.core.library.loader import load_library
from agentbench.core.model import Library
from agentbench.core.write.flow_file import save_flow

FEATURE = "add a due date to invoices"
FAILING = "tests/test_invoices.py::test_overdue"


@pytest.fixture
def demo(demo_dir: Path) -> Library:
    return load_library(str(demo_dir))


@pytest.fixture
def team(tmp_path: Path, demo_dir: Path) -> Path:
    """A writable copy of the demo team (with its flows folder)."""
    copy = tmp_path / "agents"
    shutil.copytree(demo_dir, copy)
    return copy


def test_a_run_starts_at_the_entry_agent_with_its_prompt_rendered(demo: Library) -> None:
    run = FlowRun(demo)
    assert run.current == "orchestrator"
    assert run.transcript == ()
    body = run.render_current()
    assert "You are the orchestrator for **Ledgerly**" in body.text
    labels = [c.handoff.label for c in run.choices()]
    assert labels[:2] == ["Implement Backend", "Design API"]
    assert all(c.available for c in run.choices())


def test_a_run_can_start_at_any_agent_and_refuses_an_unknown_one(demo: Library) -> None:
    assert FlowRun(demo, start="docs-agent").current == "docs-agent"
    with pytest.raises(FlowError, match="did you mean 'docs-agent'"):
        FlowRun(demo, start="doc-agent")


def test_per_invocation_values_are_asked_for_once_and_remembered(demo: Library) -> None:
    run = FlowRun(demo)
    assert run.needed_values("Implement Backend") == ("feature_description",)
    with pytest.raises(NeedsValues) as asked:
        run.take("Implement Backend")
    assert asked.value.names == ("feature_description",)
    assert run.transcript == ()  # nothing happened
    step = run.take("Implement Backend", values={"feature_description": FEATURE})
    assert step.source == "orchestrator" and step.target == "backend-agent"
    assert step.prompt.startswith(f"Implement the server-side part of this feature: {FEATURE}.")
    assert not step.edited and not step.send
    assert run.current == "backend-agent"
    # Remembered for the run: the next handoff that uses it does not ask again.
    run.start("orchestrator")
    run.set_value("feature_description", FEATURE)
    assert run.needed_values("Design API") == ()
    assert FEATURE in run.preview("Design API").text


def test_walking_round_the_backend_test_cycle_and_back(demo: Library) -> None:
    run = FlowRun(demo)
    run.take("Implement Backend", values={"feature_description": FEATURE})
    run.take("Write Tests")
    fix = run.take("Fix Failures", values={"failing_tests": FAILING})
    assert fix.send  # send: true, sent at once
    assert fix.prompt == (f"These tests fail after the last change: {FAILING}. Please fix the"
                          " code (not the tests) and hand back when done.")
    run.take("Write Tests")
    again = run.take("Fix Failures")  # the value is remembered round the cycle
    assert FAILING in again.prompt
    assert [s.target for s in run.transcript] == ["backend-agent", "test-agent",
                                                 "backend-agent", "test-agent",
                                                 "backend-agent"]
    assert run.back() == again
    assert run.current == "test-agent"
    run.back()
    run.back()
    assert run.current == "test-agent"
    # Undoing the step that first asked for a value forgets it.
    assert run.needed_values("Fix Failures") == ("failing_tests",)
    run.back()
    run.back()
    assert run.current == "orchestrator" and run.transcript == ()
    assert run.back() is None
    assert run.needed_values("Implement Backend") == ("feature_description",)


def test_send_false_can_be_edited_and_send_true_cannot(demo: Library) -> None:
    run = FlowRun(demo, start="backend-agent")
    step = run.take("Write Tests", prompt_override="Only test the overdue filter, please.")
    assert step.edited
    assert step.prompt == "Only test the overdue filter, please."
    assert step.rendered.startswith("Please write tests for the backend change")
    with pytest.raises(FlowError, match="sends at once"):
        run.take("Fix Failures", prompt_override="Something else",
                 values={"failing_tests": FAILING})
    assert run.current == "test-agent"
    assert run.needed_values("Fix Failures") == ("failing_tests",)  # not half-remembered


def test_handoffs_are_chosen_by_label_target_or_index(demo: Library) -> None:
    run = FlowRun(demo, start="backend-agent")
    assert run.resolve("Plan Schema")[1].target == "database-agent"
    assert run.resolve("security-agent")[1].label == "Security Review"
    assert run.resolve(2)[1].label == "Write Tests"
    with pytest.raises(FlowError, match="has no handoff 'Deploy'"):
        run.resolve("Deploy")
    with pytest.raises(FlowError, match="no handoff number 9"):
        run.resolve(9)


def test_restart_and_branch(demo: Library) -> None:
    run = FlowRun(demo)
    run.take("Implement Backend", values={"feature_description": FEATURE})
    run.take("Write Tests")
    run.take("Fix Failures", values={"failing_tests": FAILING}, reply="fixed")
    other = run.branch(1)
    assert len(run.transcript) == 3  # the original walk is kept
    assert other.transcript == run.transcript[:1]
    assert other.current == "backend-agent"
    assert other.needed_values("Design API") == ()
    other.take("Security Review")
    assert [s.target for s in other.transcript] == ["backend-agent", "security-agent"]
    assert other.needed_values("Fix Finding") == ("finding_summary",)
    assert run.branch(0).transcript == () and run.branch(3).transcript == run.transcript
    with pytest.raises(FlowError):
        run.branch(4)
    run.restart(keep_values=True)
    assert run.current == "orchestrator" and not run.transcript
    assert run.needed_values("Implement Backend") == ()
    run.restart()
    assert run.needed_values("Implement Backend") == ("feature_description",)


def test_a_dangling_handoff_is_shown_but_cannot_be_taken(write: Callable[..., Path],
                                                         tmp_path: Path) -> None:
    write("lib/lead.md", "---\nname: lead\ndescription: d\nhandoffs:\n"
                         "  - target: ghost\n    label: Haunt\n    prompt: boo\n    send: false\n"
                         "  - target: helper\n    label: Help\n    prompt: hi\n    send: true\n"
                         "---\nbody\n")
    write("lib/helper.md", "---\nname: helper\ndescription: d\n---\nbody\n")
    run = FlowRun(load_library(str(tmp_path / "lib")), start="lead")
    haunt, helper = run.choices()
    assert not haunt.available and "'ghost' is not an agent" in haunt.reason
    assert helper.available
    with pytest.raises(FlowError, match="'ghost', which is not an agent"):
        run.take("Haunt")
    assert run.take("Help").target == "helper"


def test_session_values_beat_the_runs_own(demo: Library) -> None:
    assert demo.workspace is not None
    run = FlowRun(demo, demo.workspace.values(None, {"feature_description": "from --var"}))
    step = run.take("Implement Backend", values={"feature_description": "typed in"})
    assert "from --var" in step.prompt


def test_record_save_load_and_replay_to_the_same_transcript(demo: Library,
                                                            tmp_path: Path) -> None:
    run = FlowRun(demo)
    run.take("Implement Backend", values={"feature_description": FEATURE}, reply="done: 2 files")
    run.take("Write Tests", prompt_override="Test 'overdue'; then run\nthe suite #1")
    run.take("Fix Failures", values={"failing_tests": FAILING}, reply="green")
    run.take("Write Tests")
    run.take("Fix Failures")
    run.take("Design API")
    run.take("Document API")
    run.take("Report Done", reply="Closed.")
    path = tmp_path / "flows" / "walk.yaml"
    save_flow(run.record("A walk"), path)
    text = path.read_text("utf-8")
    assert text.startswith("title: A walk\nstart: orchestrator\nprofile: fastapi\nvalues:\n")
    assert "prompt: " in text and text.count("reply: ") == 3
    loaded, problems = FlowFile.load(path)
    assert problems == [] and loaded is not None
    replayed, problem = loaded.replay(demo)
    assert problem is None and replayed is not None
    assert replayed.transcript == run.transcript
    assert replayed.current == "orchestrator"
    # Replay step by step, as an autoplaying screen does.
    stepwise = loaded.new_run(demo)
    for index in range(len(loaded.steps)):
        assert loaded.apply_step(stepwise, index) is None
    assert stepwise.transcript == run.transcript


def test_the_sample_flow_replays_round_the_cycle(demo: Library, demo_dir: Path) -> None:
    flow, problems = FlowFile.load(demo_dir / "flows" / "feature.yaml")
    assert problems == [] and flow is not None
    run, problem = flow.replay(demo)
    assert problem is None and run is not None
    assert [s.target for s in run.transcript] == ["backend-agent", "test-agent",
                                                 "backend-agent", "api-agent", "docs-agent",
                                                 "orchestrator"]
    assert all(not s.unfilled for s in run.transcript)
    assert [s.edited for s in run.transcript] == [False, False, False, True, False, False]
    assert flow_diagnostics(demo, demo.root) == []


def test_replay_stops_at_a_step_the_library_no_longer_has(team: Path) -> None:
    backend = team / "backend-agent.md"
    backend.write_text(backend.read_text("utf-8").replace('label: "Write Tests"',
                                                          'label: "Run Tests"'), "utf-8")
    library = load_library(str(team))
    flow, _ = FlowFile.load(team / "flows" / "feature.yaml")
    assert flow is not None
    run, problem = flow.replay(library)
    assert run is not None and problem is not None
    assert len(run.transcript) == 1 and run.current == "backend-agent"
    assert problem.step == 1 and problem.code == "AB904"
    assert problem.message.startswith("step 2 ('Write Tests' from 'backend-agent') no longer"
                                      " exists")
    assert "'Run Tests'" in problem.message  # the handoffs it has now
    lines = (team / "flows" / "feature.yaml").read_text("utf-8").splitlines()
    assert lines[problem.line - 1] == "- handoff: Write Tests"


def test_replay_notices_a_handoff_that_now_goes_elsewhere(team: Path) -> None:
    orchestrator = team / "orchestrator.md"
    orchestrator.write_text(orchestrator.read_text("utf-8").replace(
        "target: backend-agent", "target: api-agent", 1), "utf-8")
    flow, _ = FlowFile.load(team / "flows" / "feature.yaml")
    assert flow is not None
    _, problem = flow.replay(load_library(str(team)))
    assert problem is not None and problem.step == 0
    assert "now goes to 'api-agent', not 'backend-agent'" in problem.message


BAD_FLOWS = [
    # (file text, code, line, words in the message)
    ("start: orchestrator\nsteps:\n  - handoff: [unclosed\n", "AB901", 3, "YAML syntax error"),
    ("- just\n- a list\n", "AB901", 1, "found a list"),
    ("", "AB901", 1, "found nothing"),
    ("start: orchestrator\nsteps: Implement Backend\n", "AB901", 2, "'steps' must be a list"),
    ("start: [orchestrator]\nsteps: []\n", "AB901", 1, "'start' must be text"),
    ("start: orchestrator\nvalues: [a, b]\nsteps: []\n", "AB901", 2, "'values' must map"),
    ("start: orchestrator\nvalues:\n  feature_description: {a: 1}\nsteps: []\n", "AB901", 3,
     "value of 'feature_description' must be text"),
    ("start: orchestrator\nsteps:\n  - handoff: Implement Backend\n    reply: [1, 2]\n",
     "AB901", 4, "step 1: 'reply' must be text"),
    ("start: orchestrator\nsteps:\n  - 12.5\n", "AB901", 3, "step 1 must be a handoff label"),
    ("start: orchestrator\nsteps:\n  - reply: hi\n", "AB901", 3, "step 1 names no handoff"),
    ("start: orchestrator\n", "AB901", 1, "no 'steps:' list"),
    ("start: orchestrator\nstep: []\nsteps: []\n", "AB902", 2, "did you mean 'steps'"),
    ("start: orchestrator\nsteps:\n  - handoff: Write Tests\n    promt: x\n", "AB902", 4,
     "did you mean 'prompt'"),
    ("title: t\nstart: orchestrater\nsteps: []\n", "AB903", 2, "did you mean 'orchestrator'"),
    ("start: orchestrator\nsteps:\n  - Implement Backend\n  - Deploy It\n", "AB904", 4,
     "step 2 ('Deploy It' from 'backend-agent') no longer exists"),
    ("start: test-agent\nvalues: {failing_tests: x}\nsteps:\n  - handoff: Fix Failures\n"
     "    prompt: edited\n", "AB905", 4, "sends at once"),
    ("start: orchestrator\nsteps:\n  - Implement Backend\n", "AB906", 3,
     "leaves '{{feature_description}}' unfilled"),
    ("start: orchestrator\nprofile: django\nsteps: []\n", "AB907", 2, "'django' is not defined"),
]


@pytest.mark.parametrize(("text", "code", "line", "words"), BAD_FLOWS)
def test_lint_reports_a_broken_flow_with_its_line(team: Path, run_cli: Callable[..., tuple[
        int, str, str]], text: str, code: str, line: int, words: str) -> None:
    (team / "flows" / "bad.yaml").write_text(text, "utf-8")
    exit_code, out, err = run_cli("lint", str(team), "--format", "json")
    assert "Traceback" not in err
    found = [d for d in json.loads(out)["diagnostics"] if d["path"].endswith("bad.yaml")]
    assert [(d["code"], d["line"]) for d in found if d["code"] == code] == [(code, line)], found
    assert any(words in d["message"] for d in found), found
    assert exit_code == (1 if code not in {"AB902", "AB906"} else 0)


def test_unreadable_flow_files_become_diagnostics(team: Path) -> None:
    (team / "flows" / "binary.yaml").write_bytes(b"start: \xff\xfe\x00\n")
    (team / "flows" / "bomb.yml").write_text(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c,"
        " *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "utf-8")
    (team / "flows" / "folder.yaml").mkdir()
    library = load_library(str(team))
    found = {Path(d.path).name: d for d in flow_diagnostics(library, library.root)}
    assert found["binary.yaml"].code == "AB901" and "not UTF-8" in found["binary.yaml"].message
    assert found["bomb.yml"].code == "AB901" and "aliases" in found["bomb.yml"].message
    assert found["folder.yaml"].code == "AB901"


def test_a_library_without_flows_has_no_flow_diagnostics(write: Callable[..., Path],
                                                          tmp_path: Path) -> None:
    write("lib/a.md", "---\nname: a\ndescription: d\n---\nbody\n")
    library = load_library(str(tmp_path / "lib"))
    assert flow_diagnostics(library, library.root) == []


def test_hand_written_flows_may_name_steps_by_target(demo: Library) -> None:
    flow, problems = FlowFile.parse("start: orchestrator\nvalues: {feature_description: x}\n"
                                    "steps:\n  - backend-agent\n  - to: test-agent\n")
    assert problems == [] and flow is not None
    run, problem = flow.replay(demo)
    assert problem is None and run is not None
    assert [(s.label, s.target) for s in run.transcript] == [
        ("Implement Backend", "backend-agent"), ("Write Tests", "test-agent")]


def test_a_walk_follows_a_reloaded_library_until_a_step_is_gone(team: Path) -> None:
    run = FlowRun(load_library(str(team)))
    run.take("Implement Backend", values={"feature_description": FEATURE})
    run.take("Write Tests", prompt_override="edited", reply="2 failed")
    same, problem = run.rebase(load_library(str(team)))
    assert problem is None and same is not None and same.transcript == run.transcript
    (team / "test-agent.md").unlink()
    shorter, problem = run.rebase(load_library(str(team)))
    assert shorter is not None and problem is not None
    assert len(shorter.transcript) == 1 and "'test-agent'" in problem.message
