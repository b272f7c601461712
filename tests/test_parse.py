"""Parsing well-formed files: dialects, normalised fields, line numbers, per-dialect rules."""

from __future__ import annotations

import pytest

from agentbench.core.model import Diagnostic, Dialect, ParsedFile
from agentbench.core.read.parse import detect_dialect, parse_bytes


def parse(text: str, path: str = "agents/x.md") -> ParsedFile:
    return parse_bytes(path, text.encode("utf-8"))


def of(parsed: ParsedFile, code: str) -> list[Diagnostic]:
    return [d for d in parsed.diagnostics if d.code == code]


FACTORY_AGENT = """\
---
name: backend-agent
model: claude-sonnet-4-5
description: Builds the backend
triggers:
  - "Server code present"
  - ORM models present
handoffs:
  - target: test-agent
    label: "Write Tests"
    prompt: "Test {{feature}} please."
    send: true
  - target: api-agent
    label: "Design API"
    prompt: "Design it."
---

You build {{project_name}} with {{ tech_stack }}.
"""


@pytest.mark.parametrize(
    ("path", "dialect"),
    [
        (".github/agents/x.md", Dialect.VSCODE),
        ("repo/.github/agents/x.md", Dialect.VSCODE),
        ("x.agent.md", Dialect.VSCODE),
        ("deep/folder/x.agent.md", Dialect.VSCODE),
        ("x.chatmode.md", Dialect.VSCODE),
        (".claude/agents/x.md", Dialect.CLAUDE),
        (".claude/agents/sub/x.md", Dialect.CLAUDE),
        ("proj/.claude/agents/a/b/x.md", Dialect.CLAUDE),
        ("x.md", Dialect.FACTORY),
        ("agents/x.md", Dialect.FACTORY),
        ("agent-templates/backend-agent.md", Dialect.FACTORY),
        (".github/x.md", Dialect.FACTORY),
        (".claude/x.md", Dialect.FACTORY),
        (".github\\agents\\x.md", Dialect.VSCODE),
    ],
)
def test_dialect_is_detected_from_the_path(path: str, dialect: Dialect) -> None:
    assert detect_dialect(path) is dialect


def test_factory_agent_is_read_into_the_model() -> None:
    parsed = parse(FACTORY_AGENT, "agents/backend-agent.md")
    agent = parsed.agent
    assert agent is not None
    assert parsed.diagnostics == ()
    assert agent.name == "backend-agent"
    assert agent.dialect is Dialect.FACTORY
    assert agent.model == "claude-sonnet-4-5"
    assert agent.description == "Builds the backend"
    assert agent.triggers == ("Server code present", "ORM models present")
    assert [(h.target, h.label, h.send, h.line) for h in agent.handoffs] == [
        ("test-agent", "Write Tests", True, 9),
        ("api-agent", "Design API", False, 13),
    ]
    assert agent.handoffs[0].prompt == "Test {{feature}} please."
    assert agent.body.startswith("\nYou build")
    assert agent.body_line == 17  # the line after the closing fence
    assert agent.placeholders == ("project_name", "tech_stack")
    assert agent.handoff_placeholders == ("feature",)
    assert agent.key_lines["handoffs"] == 8
    assert agent.name_line == 2


def test_name_defaults_to_file_stem_and_is_reported_for_factory() -> None:
    parsed = parse("---\ndescription: d\n---\nbody\n", "agents/helper.md")
    assert parsed.agent is not None and parsed.agent.name == "helper"
    (missing,) = of(parsed, "AB301")
    assert "helper" in missing.message


def test_vscode_name_defaults_to_stem_without_complaint() -> None:
    parsed = parse("---\ndescription: d\n---\nbody\n", "x/helper.agent.md")
    assert parsed.agent is not None and parsed.agent.name == "helper"
    assert parsed.diagnostics == ()


def test_name_that_differs_from_file_is_noted() -> None:
    parsed = parse("---\nname: other\ndescription: d\n---\n", "agents/x.md")
    (note,) = of(parsed, "AB307")
    assert note.line == 2


def test_missing_description_is_a_warning_on_its_line() -> None:
    parsed = parse("---\nname: x\ndescription: '  '\n---\n")
    (warning,) = of(parsed, "AB304")
    assert warning.line == 3


# VS Code dialect ---------------------------------------------------------------------------


VSCODE_AGENT = """\
---
description: Plans work
tools: ['search', 'fetch']
model: [GPT-4.1, claude-sonnet-4-5]
handoffs:
  - agent: implementer
    label: Start
    prompt: Implement the plan.
  - target: reviewer
    label: Review
    prompt: Review it.
  - agent: tester
    label: Test
---
Plan.
"""


def test_vscode_handoff_with_target_key_is_dropped_by_vscode() -> None:
    parsed = parse(VSCODE_AGENT, ".github/agents/planner.md")
    assert parsed.agent is not None
    assert parsed.agent.dialect is Dialect.VSCODE
    assert parsed.agent.name == "planner"
    assert parsed.agent.tools == ("search", "fetch")
    assert parsed.agent.model == "GPT-4.1, claude-sonnet-4-5"
    dropped = of(parsed, "AB402")
    assert [d.line for d in dropped] == [9, 12]
    assert "'agent:'" in dropped[0].message and "reviewer" in dropped[0].message
    assert "'prompt'" in dropped[1].message
    assert all(d.severity == "error" for d in dropped)
    # The agent+label+prompt handoff on line 6 is fine.
    assert not [d for d in parsed.diagnostics if d.line == 6]
    assert [h.target_key for h in parsed.agent.handoffs] == ["agent", "target", "agent"]


def test_complete_vscode_handoff_is_clean() -> None:
    text = ("---\ndescription: d\nhandoffs:\n  - agent: b\n    label: Go\n    prompt: Do it.\n"
            "    send: true\n    model: GPT-4.1\n---\n")
    parsed = parse(text, "a.agent.md")
    assert parsed.diagnostics == ()
    assert parsed.agent is not None
    assert parsed.agent.handoffs[0].model == "GPT-4.1"


def test_vscode_reports_factory_only_keys_as_ignored() -> None:
    parsed = parse("---\ndescription: d\ntriggers:\n  - x\n---\n", "a.chatmode.md")
    (ignored,) = of(parsed, "AB308")
    assert ignored.line == 3 and "triggers" in ignored.message


# Claude Code dialect -----------------------------------------------------------------------


def test_claude_requires_name_and_description() -> None:
    parsed = parse("---\nmodel: sonnet\n---\nbody\n", ".claude/agents/sub/helper.md")
    assert parsed.agent is not None and parsed.agent.dialect is Dialect.CLAUDE
    messages = [d.message for d in of(parsed, "AB301")]
    assert len(messages) == 2
    assert any("'name'" in m for m in messages)
    assert any("'description'" in m for m in messages)
    assert all(d.severity == "error" for d in of(parsed, "AB301"))


def test_claude_name_must_be_lowercase_hyphen() -> None:
    parsed = parse("---\nname: Code_Reviewer\ndescription: d\n---\n",
                   ".claude/agents/Code_Reviewer.md")
    (bad,) = of(parsed, "AB305")
    assert bad.line == 2 and "Code_Reviewer" in bad.message


def test_claude_good_name_is_clean() -> None:
    parsed = parse("---\nname: code-reviewer-2\ndescription: d\nmodel: inherit\n---\n",
                   ".claude/agents/code-reviewer-2.md")
    assert parsed.diagnostics == ()


def test_claude_tools_comma_string_becomes_a_list() -> None:
    parsed = parse("---\nname: r\ndescription: d\ntools: Read, Grep,  Glob ,Bash\n---\n",
                   ".claude/agents/r.md")
    assert parsed.agent is not None
    assert parsed.agent.tools == ("Read", "Grep", "Glob", "Bash")
    assert parsed.diagnostics == ()


def test_claude_tools_keep_commas_inside_parentheses() -> None:
    parsed = parse("---\nname: lead\ndescription: d\n"
                   "tools: Read, Agent(worker, researcher), Bash(git diff:*)\n---\n",
                   ".claude/agents/lead.md")
    assert parsed.agent is not None
    assert parsed.agent.tools == ("Read", "Agent(worker, researcher)", "Bash(git diff:*)")


def test_tools_as_a_yaml_list() -> None:
    parsed = parse("---\nname: r\ndescription: d\ntools:\n  - Read\n  - 3\n---\n",
                   ".claude/agents/r.md")
    assert parsed.agent is not None and parsed.agent.tools == ("Read",)
    (error,) = of(parsed, "AB302")
    assert error.line == 6


@pytest.mark.parametrize("model", ["sonnet", "opus", "haiku", "inherit", "claude-opus-4-5",
                                   "claude-sonnet-4-5-20250929", "claude-3-5-haiku-20241022"])
def test_claude_accepts_aliases_and_full_ids(model: str) -> None:
    parsed = parse(f"---\nname: r\ndescription: d\nmodel: {model}\n---\n", ".claude/agents/r.md")
    assert of(parsed, "AB306") == []


def test_malformed_claude_model_suggests_the_real_id() -> None:
    parsed = parse("---\nname: r\ndescription: d\nmodel: claude-4-5-opus\n---\n",
                   ".claude/agents/r.md")
    (unknown,) = of(parsed, "AB306")
    assert unknown.line == 4
    assert "claude-opus-4-5" in unknown.message


def test_claude_rejects_a_non_claude_model() -> None:
    parsed = parse("---\nname: r\ndescription: d\nmodel: gpt-4.1\n---\n", ".claude/agents/r.md")
    assert len(of(parsed, "AB306")) == 1


def test_factory_accepts_non_claude_models() -> None:
    parsed = parse("---\nname: x\ndescription: d\nmodel: gpt-4.1\n---\n")
    assert parsed.diagnostics == ()


def test_handoffs_in_a_claude_file_are_reported_once() -> None:
    text = ("---\nname: r\ndescription: d\nhandoffs:\n  - target: b\n    label: l\n"
            "    prompt: p\n---\n")
    parsed = parse(text, ".claude/agents/r.md")
    (ignored,) = of(parsed, "AB407")
    assert ignored.line == 4
    # One diagnostic for one problem: not also an "ignored key" note on the same line.
    assert [d.code for d in parsed.diagnostics if d.line == 4] == ["AB407"]


def test_empty_model_is_reported() -> None:
    parsed = parse("---\nname: x\ndescription: d\nmodel:\n---\n")
    (empty,) = of(parsed, "AB309")
    assert empty.line == 4


def test_diagnostics_carry_the_agent_name() -> None:
    parsed = parse("---\nname: x\ndescription: d\ndescripton: typo\n---\n")
    assert [d.agent for d in parsed.diagnostics] == ["x"]


def test_handoff_details_are_checked() -> None:
    text = """\
---
name: a
description: d
handoffs:
  - target: b
    label: Same
    prompt: p
  - target: c
    label: Same
    prompt: p
  - target: d
  - target: e
    label: E
    prompt: p
    send: "yes"
    tagret: oops
---
"""
    parsed = parse(text, "agents/a.md")
    found = {(d.code, d.line) for d in parsed.diagnostics}
    assert ("AB408", 8) in found
    assert ("AB405", 11) in found and ("AB406", 11) in found
    assert ("AB302", 15) in found
    typo = [d for d in parsed.diagnostics if d.code == "AB303"]
    assert len(typo) == 1 and typo[0].line == 16 and "did you mean 'target'" in typo[0].message
    assert parsed.agent is not None
    assert [h.send for h in parsed.agent.handoffs] == [False, False, False, False]
