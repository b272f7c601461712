"""Renaming an agent renames it in the recorded flows too (flows/*.yaml, docs/flows.md): in the
same plan, only the values that name it, all-or-none with the rest, and never failing on a
flow file it cannot read."""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentbench.core.flow.record import FlowFile
from agentbench.core.library.loader import load_library
from agentbench.core.model import Library
from agentbench.core.write.atomic import WriteRefused
from agentbench.core.write.change import save_all
from agentbench.core.write.rename import plan_rename

Write = Callable[[str, str | bytes], Path]
LIBRARIES: dict[str, Library] = {}
DEMO_AGENTS = ("api-agent", "backend-agent", "database-agent", "docs-agent", "orchestrator",
               "security-agent", "test-agent")


@pytest.fixture
def team(tmp_path: Path, demo_dir: Path) -> Path:
    """A writable copy of the demo team, with agents/flows/feature.yaml."""
    return Path(shutil.copytree(demo_dir, tmp_path / "agents"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def flow_problems(library: Library, unfilled_too: bool = True) -> list[str]:
    """AB901-AB907; `unfilled_too=False` leaves out AB906 (a prompt left unfilled), which
    flows written here without `values:` have whatever the rename does."""
    return [f"{d.code} {d.message}" for d in library.diagnostics
            if d.code.startswith("AB90") and (unfilled_too or d.code != "AB906")]


def rename(folder: Path, old: str, new: str) -> Library:
    save_all(plan_rename(load_library(str(folder)), old, new).changes)
    return load_library(str(folder))


def changed_lines(before: bytes, after: bytes) -> list[str]:
    """The -/+ lines of the unified diff (line endings kept, so a CRLF lost would show)."""
    diff = difflib.unified_diff(before.decode().splitlines(keepends=True),
                                after.decode().splitlines(keepends=True), n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")]


def test_rename_lists_the_flow_and_changes_only_its_to_lines(team: Path) -> None:
    flow = team / "flows" / "feature.yaml"
    original = snapshot(team)
    plan = plan_rename(load_library(str(team)), "backend-agent", "server-agent")
    assert str(flow) in plan.files and plan.skipped == ()
    assert f"+++ b/{flow}" in plan.diff()
    save_all(plan.changes)
    assert changed_lines(original["flows/feature.yaml"], flow.read_bytes()) == [
        "-  to: backend-agent\n", "+  to: server-agent\n",
        "-  to: backend-agent\n", "+  to: server-agent\n",
    ]
    library = load_library(str(team))
    assert flow_problems(library) == []
    loaded, _ = FlowFile.load(flow)
    assert loaded is not None and [s.to for s in loaded.steps].count("server-agent") == 2
    assert flow_problems(rename(team, "server-agent", "backend-agent")) == []
    assert snapshot(team) == original


def test_renaming_the_start_agent_changes_start_and_to_and_the_entry(team: Path) -> None:
    flow = team / "flows" / "feature.yaml"
    before = flow.read_bytes()
    library = rename(team, "orchestrator", "lead")
    assert changed_lines(before, flow.read_bytes()) == [
        "-start: orchestrator\n", "+start: lead\n", "-  to: orchestrator\n", "+  to: lead\n"]
    assert library.workspace is not None and library.workspace.entry == "lead"
    assert flow_problems(library) == []
    assert not [d for d in library.diagnostics if d.severity.name == "ERROR"]


@pytest.mark.parametrize("agent", DEMO_AGENTS)
def test_every_demo_agent_renames_and_back_without_breaking_the_flow(team: Path,
                                                                   agent: str) -> None:
    original = snapshot(team)
    assert flow_problems(rename(team, agent, "renamed-one")) == []
    assert flow_problems(rename(team, "renamed-one", agent)) == []
    assert snapshot(team) == original


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_comments_quoting_crlf_and_bom_are_kept(team: Path, bom: bytes) -> None:
    flow = team / "flows" / "odd.yml"
    text = ("# a hand-written flow\r\n"
            "start:   orchestrator   # where it starts\r\n"
            "steps:\r\n"
            "  - backend-agent                  # by target name\r\n"
            "  - {handoff: Write Tests, to: test-agent}\r\n"
            "  - handoff: 'Fix Failures'   # by label\r\n"
            "    to: \"backend-agent\"          # checked on replay\r\n"
            "  - to: security-agent\r\n")
    flow.write_bytes(bom + text.encode())
    before = flow.read_bytes()
    assert flow_problems(load_library(str(team)), unfilled_too=False) == []
    plan = plan_rename(load_library(str(team)), "orchestrator", "lead")
    assert str(flow) in plan.files
    save_all(plan.changes)
    after = flow.read_bytes()
    assert after.startswith(bom + b"# a hand-written flow\r\n")
    assert changed_lines(before, after) == [
        "-start:   orchestrator   # where it starts\r\n",
        "+start:   lead   # where it starts\r\n"]
    library = rename(team, "backend-agent", "server agent")
    assert changed_lines(before, flow.read_bytes()) == [
        "-start:   orchestrator   # where it starts\r\n",
        "+start:   lead   # where it starts\r\n",
        "-  - backend-agent                  # by target name\r\n",
        "+  - server agent                  # by target name\r\n",
        "-    to: \"backend-agent\"          # checked on replay\r\n",
        "+    to: \"server agent\"          # checked on replay\r\n"]
    assert flow_problems(library, unfilled_too=False) == []


def test_flow_style_steps_bare_steps_and_anchors(team: Path) -> None:
    flow = team / "flows" / "inline.yaml"
    flow.write_text("start: orchestrator\n"
                    "steps: [Implement Backend, {to: test-agent}, {handoff: backend-agent,"
                    " to: backend-agent}]\n", newline="")
    anchored = team / "flows" / "anchored.yaml"
    anchored.write_text("start: orchestrator\nsteps:\n- handoff: Implement Backend\n"
                        "  to: &b backend-agent\n- Write Tests\n- handoff: Fix Failures\n"
                        "  to: *b\n", newline="")
    save_all(plan_rename(load_library(str(team)), "backend-agent", "server-agent").changes)
    assert flow.read_text() == ("start: orchestrator\nsteps: [Implement Backend, {to:"
                                " test-agent}, {handoff: server-agent, to: server-agent}]\n")
    assert anchored.read_text() == ("start: orchestrator\nsteps:\n- handoff: Implement"
                                    " Backend\n  to: &b server-agent\n- Write Tests\n- handoff:"
                                    " Fix Failures\n  to: *b\n")
    assert flow_problems(load_library(str(team)), unfilled_too=False) == []


@pytest.mark.parametrize("content", [
    b"start: [orchestrator\nsteps:\n",             # not YAML
    b"start: \xff\xfe backend-agent\n",             # not UTF-8
    b"start: orchestrator\nstart: backend-agent\n",  # a key twice
    b"- backend-agent\n",                           # not a mapping
    b"",                                            # empty
    "title: a\u2028b\nstart: backend-agent\nsteps: []\n".encode(),  # YAML's other breaks
    b"title: &n backend-agent\nstart: *n\nsteps: []\n",  # an anchor used beyond agent names
])
def test_a_flow_file_it_cannot_read_or_change_safely_is_left_alone(team: Path,
                                                                   content: bytes) -> None:
    odd = team / "flows" / "odd.yaml"
    odd.write_bytes(content)
    plan = plan_rename(load_library(str(team)), "backend-agent", "server-agent")
    assert str(odd) not in plan.files
    assert str(team / "flows" / "feature.yaml") in plan.files
    assert all(s.startswith(f"{odd}: not changed (") for s in plan.skipped)
    save_all(plan.changes)
    assert odd.read_bytes() == content


def test_a_step_naming_a_label_equal_to_the_old_name_is_left_alone(write: Write,
                                                                    tmp_path: Path) -> None:
    def agent(name: str, target: str, label: str) -> str:
        return (f"---\nname: {name}\ndescription: d\nhandoffs:\n  - target: {target}\n"
                f"    label: {label}\n    prompt: go\n    send: true\n---\nBody\n")

    write("lib/lead.md", agent("lead", "helper", "helper"))   # a label that is a name
    write("lib/helper.md", agent("helper", "lead", "Back"))
    flow = write("lib/flows/walk.yaml", "start: lead\nsteps:\n- handoff: helper\n  to: helper\n"
                                        "- Back\n- helper\n")
    plan = plan_rename(load_library(str(tmp_path / "lib")), "helper", "aide")
    save_all(plan.changes)
    assert flow.read_text() == ("start: lead\nsteps:\n- handoff: helper\n  to: aide\n"
                                "- Back\n- helper\n")
    assert flow_problems(load_library(str(tmp_path / "lib")), unfilled_too=False) == []


def test_a_step_naming_the_target_is_renamed_when_no_label_is_that_name(
        write: Write, tmp_path: Path) -> None:
    write("lib/lead.md", "---\nname: lead\ndescription: d\nhandoffs:\n  - target: helper\n"
                         "    label: Help\n    prompt: go\n    send: true\n---\nBody\n")
    write("lib/helper.md", "---\nname: helper\ndescription: d\n---\nBody\n")
    flow = write("lib/flows/walk.yml", "start: lead\nsteps:\n- helper\n")
    flow2 = write("lib/flows/walk2.yaml", "start: lead\nsteps:\n- handoff: helper\n")
    save_all(plan_rename(load_library(str(tmp_path / "lib")), "helper", "aide").changes)
    assert flow.read_text() == "start: lead\nsteps:\n- aide\n"
    assert flow2.read_text() == "start: lead\nsteps:\n- handoff: aide\n"
    assert flow_problems(load_library(str(tmp_path / "lib")), unfilled_too=False) == []


def test_a_flow_changed_on_disk_after_planning_stops_the_whole_rename(team: Path) -> None:
    flow = team / "flows" / "feature.yaml"
    plan = plan_rename(load_library(str(team)), "backend-agent", "server-agent")
    flow.write_bytes(flow.read_bytes() + b"# edited meanwhile\n")
    original = snapshot(team)
    with pytest.raises(WriteRefused, match="changed on disk"):
        save_all(plan.changes)
    assert snapshot(team) == original


def test_a_flow_that_does_not_name_the_agent_is_not_in_the_plan(team: Path) -> None:
    plan = plan_rename(load_library(str(team)), "security-agent", "sec-agent")
    assert not [f for f in plan.files if "flows" in f]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(
    ["\r\n", "\r", "\n", " ", "\t", "#", ":", "- ", "&a ", "*a", "!!str ", "'", '"', "{", "[",
     "\ufeff", "\u2028", "\x85", "é", "backend-agent", "to: backend-agent\n"])),
    min_size=1, max_size=4))
def test_a_mangled_flow_never_breaks_the_rename_and_changes_only_names(
        team: Path, demo_dir: Path, edits: list[tuple[int, str]]) -> None:
    text = (demo_dir / "flows" / "feature.yaml").read_text()
    for at, piece in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at:]
    flow = team / "flows" / "feature.yaml"
    flow.write_bytes(text.encode())
    if str(team) not in LIBRARIES:  # the agents stay as they are: load them once
        LIBRARIES[str(team)] = load_library(str(team))
    plan = plan_rename(LIBRARIES[str(team)], "backend-agent", "server-agent")
    changed = [c for c in plan.changes if c.path == str(flow)]
    if not changed:
        return
    before, after = changed[0].before, changed[0].after
    assert before is not None
    old, _ = FlowFile.parse(before.decode("utf-8-sig"))
    new, _ = FlowFile.parse(after.decode("utf-8-sig"))
    assert old is not None and new is not None
    assert new.title == old.title and new.values == old.values
    assert [(s.prompt, s.reply) for s in new.steps] == [(s.prompt, s.reply) for s in old.steps]
    assert "server-agent" in after.decode("utf-8-sig")
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
