"""Quick fixes: each safe fix changes only the offending text, and `lint --fix [--diff]`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from agentbench.core.library.loader import load_library
from agentbench.core.model import Diagnostic
from agentbench.core.read.parse import parse_bytes
from agentbench.core.write.fixes import apply_fixes, fixes_for, plan_fixes

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "corpus" / "seed" / "backend-agent.md"
GITHUB_AGENTS = REPO.parent / "shared" / "corpus" / "copilot-agent-factory" / ".github" / "agents"

Write = Callable[[str, str | bytes], Path]
Run = Callable[..., tuple[int, str, str]]

TYPOS = """---
name: typos
modle: gpt-4
description: An agent with typos
handoffs:
  - target: other   # keep this comment
    lable: "Next"
    prompt: "Go on"
---
Body stays.
"""


def one(path: str, data: bytes, code: str) -> Diagnostic:
    (found,) = [d for d in parse_bytes(path, data).diagnostics if d.code == code]
    return found


def test_vscode_target_key_becomes_agent_and_nothing_else_changes() -> None:
    data = b"---\nname: a\nhandoffs:\n  - target: b  # why\n    label: L\n    prompt: P\n---\n"
    fix = fixes_for(one(".github/agents/a.md", data, "AB402"), data)
    assert fix is not None and fix.line == 4
    assert fix.after == data.replace(b"- target: b", b"- agent: b")
    assert not [d for d in parse_bytes(".github/agents/a.md", fix.after).diagnostics
                if d.code == "AB402"]


def test_ab402_for_a_missing_prompt_has_no_fix() -> None:
    data = b"---\nname: a\nhandoffs:\n  - agent: b\n    label: L\n---\n"
    assert fixes_for(one(".github/agents/a.md", data, "AB402"), data) is None


def test_misspelt_keys_take_the_suggested_name() -> None:
    data = TYPOS.encode()
    top = [d for d in parse_bytes("typos.md", data).diagnostics if d.code == "AB303"]
    assert [d.line for d in top] == [3, 7]
    first = fixes_for(top[0], data)
    second = fixes_for(top[1], data)
    assert first is not None and first.after == data.replace(b"modle:", b"model:")
    assert second is not None and second.after == data.replace(b"lable:", b"label:")


def test_an_unknown_key_without_a_suggestion_has_no_fix() -> None:
    data = b"---\nname: a\ndescription: d\nzzzz: 1\n---\n"
    assert fixes_for(one("a.md", data, "AB303"), data) is None


def test_a_fix_that_would_duplicate_a_key_is_not_offered() -> None:
    data = b"---\nname: a\ndescription: d\nmodel: x\nmodle: y\n---\n"
    assert fixes_for(one("a.md", data, "AB303"), data) is None


def test_mojibake_lines_are_repaired_one_line_each() -> None:
    if not SEED.is_file():
        pytest.skip("the seed file is not present")
    data = SEED.read_bytes()
    diagnostic = next(d for d in parse_bytes(str(SEED), data).diagnostics if d.code == "AB701")
    fix = fixes_for(diagnostic, data)
    assert fix is not None
    old_lines, new_lines = data.split(b"\n"), fix.after.split(b"\n")
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert changed == [diagnostic.line - 1]
    assert "\u2013" in new_lines[diagnostic.line - 1].decode()


def test_mojibake_fix_works_on_text_and_keeps_crlf() -> None:
    data = "---\r\nname: a\r\ndescription: d\r\n---\r\nA dash â€“ here\r\n".encode()
    fix = fixes_for(one("a.md", data, "AB701"), data)
    assert fix is not None and fix.after == data.replace("â€“".encode(), "–".encode())
    text_fix = fixes_for(one("a.md", data, "AB701"), data.decode())
    assert text_fix is not None and text_fix.after == fix.after


def test_a_name_that_differs_from_its_file_renames_the_file(write: Write) -> None:
    path = write("agents/old-file.md", "---\nname: new-name\ndescription: d\n---\n")
    data = path.read_bytes()
    fix = fixes_for(one(str(path), data, "AB307"), data)
    assert fix is not None and fix.after == data
    assert fix.new_path == str(path.parent / "new-name.md")
    write("agents/new-name.md", "taken")
    assert fixes_for(one(str(path), data, "AB307"), data) is None


@pytest.fixture
def messy(tmp_path: Path, write: Write) -> Path:
    write("lib/typos.md", TYPOS)
    write("lib/other.md", "---\nname: other\ndescription: d\n---\nA dash â€“ here\n")
    write("lib/.github/agents/vs.md",
          "---\r\nname: vs\r\ndescription: d\r\nhandoffs:\r\n  - target: other\r\n"
          "    label: L\r\n    prompt: P\r\n---\r\n")
    # VS Code resolves a handoff only among the agents it loads: the factory `other` above
    # does not count for it, this VS Code copy does.
    write("lib/.github/agents/other.md", "---\nname: other\ndescription: d\n---\n")
    return tmp_path / "lib"


def test_apply_fixes_fixes_every_file_and_lint_is_clean(messy: Path) -> None:
    library = load_library(str(messy))
    before = {p: p.read_bytes() for p in messy.rglob("*.md")}
    preview = plan_fixes(library)
    assert {p.read_bytes() for p in messy.rglob("*.md")} == set(before.values())
    changes = apply_fixes(library)
    assert [c.path for c in changes] == [c.path for c in preview]
    after = load_library(str(messy))
    fixable = {"AB303", "AB402", "AB701", "AB307"}
    assert [d for d in after.diagnostics if d.code in fixable] == []
    vs = (messy / ".github" / "agents" / "vs.md").read_bytes()
    assert vs == before[messy / ".github" / "agents" / "vs.md"].replace(b"target:", b"agent:")
    assert b"# keep this comment" in (messy / "typos.md").read_bytes()


def test_lint_fix_lists_what_changed_and_relints(messy: Path, run_cli: Run) -> None:
    code, out, _ = run_cli("lint", str(messy), "--fix")
    assert f"fixed {messy / 'typos.md'}" in out
    assert "AB303 line 3: 'modle:' -> 'model:'" in out
    assert "AB402 line 5: handoff 'target:' -> 'agent:'" in out
    assert code == 0
    code, out, _ = run_cli("lint", str(messy), "--fix")
    assert out.startswith("nothing to fix\n") and code == 0


def test_lint_fix_diff_prints_a_unified_diff_and_writes_nothing(messy: Path,
                                                                run_cli: Run) -> None:
    before = {p: p.read_bytes() for p in messy.rglob("*.md")}
    code, out, _ = run_cli("lint", str(messy), "--fix", "--diff")
    assert code == 1  # there is something to fix
    assert f"--- a/{messy / 'typos.md'}\n+++ b/{messy / 'typos.md'}\n" in out
    assert "-modle: gpt-4\n+model: gpt-4\n" in out
    assert "-  - target: other\r\n+  - agent: other\r\n" in out  # CRLF file: kept
    assert {p: p.read_bytes() for p in messy.rglob("*.md")} == before


def test_lint_fix_exits_1_when_errors_remain(write: Write, tmp_path: Path,
                                             run_cli: Run) -> None:
    write("lib/a.md", "---\nname: a\ndescription: d\nhandoffs:\n  - target: nobody\n"
                      "    label: L\n    prompt: P\n---\n")
    code, out, _ = run_cli("lint", str(tmp_path / "lib"), "--fix")
    assert code == 1 and "AB403" in out


def test_lint_fix_json_keeps_stdout_json(messy: Path, run_cli: Run) -> None:
    import json

    code, out, err = run_cli("lint", str(messy), "--fix", "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["errors"] == 0
    assert "fixed" in err


def test_lint_fix_on_read_only_files_writes_nothing(tmp_path: Path, run_cli: Run) -> None:
    if not GITHUB_AGENTS.is_dir():
        pytest.skip("the corpus is not present")
    shutil.copytree(GITHUB_AGENTS, tmp_path / ".github" / "agents")
    folder = tmp_path / ".github" / "agents"
    for path in folder.iterdir():
        path.chmod(0o644)
    (folder / "review-agent.md").chmod(0o444)
    before = {p: p.read_bytes() for p in folder.iterdir()}
    code, _, err = run_cli("lint", str(folder), "--fix")
    assert code == 1 and "read-only" in err
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
