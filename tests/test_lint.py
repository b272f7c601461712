"""Library-wide lint rules and the three report formats, through the core API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from agentbench.core import report as lint
from agentbench.core.codes import CODES
from agentbench.core.library.loader import load_library
from agentbench.core.model import Diagnostic, Library

Write = Callable[[str, str | bytes], Path]


def of(items: tuple[Diagnostic, ...], code: str) -> list[Diagnostic]:
    return [d for d in items if d.code == code]


def test_demo_team_is_clean(demo_dir: Path) -> None:
    library = load_library(str(demo_dir))
    assert len(library.agents) == 7
    assert {d.severity for d in library.diagnostics} <= {"info"}
    assert {d.code for d in library.diagnostics} == {"AB503", "AB604"}


def test_unfilled_placeholder_points_at_its_line_and_column(tmp_path: Path,
                                                           write: Write) -> None:
    write("agentbench.yaml", "profiles:\n  p: {known: k}\n")
    write("agents/a.md",
          "---\nname: a\ndescription: d\n---\n\nIntro {{known}}\n  then {{ missing }} and"
          " {{missing}}\n")
    library = load_library(str(tmp_path / "agents"))
    (unfilled,) = of(library.diagnostics, "AB601")
    assert (unfilled.line, unfilled.column) == (7, 8)
    assert "missing" in unfilled.message and "profile 'p'" in unfilled.message
    assert unfilled.severity == "warning"


def test_per_invocation_placeholders_are_separate(tmp_path: Path, write: Write) -> None:
    write("agents/a.md",
          "---\nname: a\ndescription: d\nhandoffs:\n  - target: b\n    label: Go\n"
          "    prompt: Build {{feature}}\n---\n")
    write("agents/b.md", "---\nname: b\ndescription: d\n---\n")
    library = load_library(str(tmp_path / "agents"))
    (asked,) = of(library.diagnostics, "AB604")
    assert asked.line == 5 and "feature" in asked.message
    assert of(library.diagnostics, "AB601") == []


def test_suspicious_placeholders_in_a_library(tmp_path: Path, write: Write) -> None:
    write("agents/a.md",
          "---\nname: a\ndescription: d\n---\nUse {{ name } here\n```\n{{ user.email }}\n```\n")
    library = load_library(str(tmp_path / "agents"))
    (near,) = of(library.diagnostics, "AB603")
    assert (near.line, near.column) == (5, 5)
    assert "one brace" in near.message


def test_every_emitted_code_is_known_and_diagnostics_are_sorted(demo_dir: Path) -> None:
    library = load_library(str(demo_dir))
    assert all(d.code in CODES for d in library.diagnostics)
    assert list(library.diagnostics) == sorted(library.diagnostics, key=Diagnostic.sort_key)


def _library(tmp_path: Path, write: Write) -> Library:
    write("agents/a.md", "---\nname: a\ndescription: d\nmodle: x\nhandoffs:\n"
                         "  - target: nobody\n    label: L\n    prompt: p\n---\n")
    return load_library(str(tmp_path / "agents"))


def test_text_report(tmp_path: Path, write: Write) -> None:
    library = _library(tmp_path, write)
    text = lint.to_text(library, library.diagnostics)
    lines = text.splitlines()
    assert any(line.endswith("AB303 unknown key 'modle' for the factory dialect"
                             " (did you mean 'model'?)") and ":4:1: warning" in line
               for line in lines)
    assert any(":6:1: error AB403" in line for line in lines)
    assert lines[-1] == "1 agent in 1 file: 1 error, 1 warning, 0 notes"


def test_json_report_shape(tmp_path: Path, write: Write) -> None:
    library = _library(tmp_path, write)
    payload = json.loads(lint.to_json(library, library.diagnostics))
    assert set(payload) == {"diagnostics", "summary"}
    assert payload["summary"] == {"files": 1, "agents": 1, "errors": 1, "warnings": 1,
                                  "others": {}}
    for item in payload["diagnostics"]:
        assert set(item) == {"path", "line", "column", "severity", "code", "message"}


def test_sarif_levels(tmp_path: Path, write: Write) -> None:
    library = _library(tmp_path, write)
    log = json.loads(lint.to_sarif(library, library.diagnostics, "9.9"))
    run = log["runs"][0]
    assert run["tool"]["driver"]["version"] == "9.9"
    assert {r["ruleId"]: r["level"] for r in run["results"]} == {
        "AB303": "warning", "AB403": "error"}
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_unknown_entry_points_at_the_entry_line(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "# team\ndefault_profile: p\nentry: leed\nprofiles:\n  p: {}\n")
    write("agents/lead.md", "---\nname: lead\ndescription: d\n---\n")
    (error,) = of(load_library(str(tmp_path / "agents")).diagnostics, "AB504")
    assert error.line == 3


def test_unknown_profile_from_the_api(tmp_path: Path, write: Write) -> None:
    write("agentbench.yaml", "profiles:\n  p: {}\n")
    write("agents/a.md", "---\nname: a\ndescription: d\n---\n")
    library = load_library(str(tmp_path / "agents"), profile="q")
    (error,) = of(library.diagnostics, "AB802")
    assert "'q'" in error.message


def test_flow_exports_in_flows_folder_are_not_read_as_agents(tmp_path: Path) -> None:
    """A flow exported to Markdown next to its recording must not turn into an AB108."""
    from agentbench.core.library.loader import LibraryLoader

    (tmp_path / "flows").mkdir()
    (tmp_path / "lead.md").write_text("---\nname: lead\ndescription: d\n---\nbody\n", "utf-8")
    (tmp_path / "flows" / "demo.md").write_text("# Flow: demo\n\nno frontmatter here\n", "utf-8")
    library = LibraryLoader.for_path(str(tmp_path)).load()
    assert [a.name for a in library.agents] == ["lead"]
    assert not [d for d in library.diagnostics if d.path.endswith("demo.md")]
