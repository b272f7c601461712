"""Invisible and bidirectional characters (Trojan Source): reported with their line and
column (AB703), and escaped in every output, JSON and SARIF included (DESIGN.md §5)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from agentbench.core.model import Diagnostic
from agentbench.core.read.parse import parse_bytes

Run = Callable[..., tuple[int, str, str]]
Write = Callable[[str, str | bytes], Path]
FRONT = "---\nname: x\ndescription: d\n---\n"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                 "\ufeff\u2028\u2029]")


def ab703(text: str) -> list[Diagnostic]:
    return [d for d in parse_bytes("agents/x.md", text.encode()).diagnostics
            if d.code == "AB703"]


def test_bidi_override_is_reported_at_its_line_and_column() -> None:
    (found,) = ab703(FRONT + "ok\nif access == \"user\u202e \u2066// admin\u2069\u2066\":\n")
    assert (found.line, found.column) == (6, 19)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in found.message and "3 more" in found.message
    assert found.severity.value == "warning"


def test_zero_width_characters_are_reported_one_per_line() -> None:
    found = ab703(FRONT + "\u200b```\ncode\n\u200b```\nad\u2060min\u200d\n")
    assert [(d.line, d.column) for d in found] == [(5, 1), (7, 1), (8, 3)]
    assert "ZERO WIDTH SPACE" in found[0].message and "WORD JOINER" in found[2].message


def test_frontmatter_values_are_checked_too() -> None:
    (found,) = ab703("---\nname: x\ndescription: \"safe\u202e txet\"\n---\nBody\n")
    assert (found.line, found.column) == (3, 19)


def test_joiners_inside_emoji_and_words_are_text() -> None:
    assert ab703(FRONT + "### 👨\u200d💻 Mode 🏳\ufe0f\u200d🌈 👩🏽\u200d🔬\nمی\u200cخواهم\n") == []
    (found,) = ab703(FRONT + "ad\u200dmin\n")
    assert "ZERO WIDTH JOINER" in found.message


def test_a_bom_at_the_start_is_ab104_but_one_inside_is_reported() -> None:
    parsed = parse_bytes("agents/x.md", ("\ufeff" + FRONT + "Body\n").encode())
    assert [d.code for d in parsed.diagnostics] == ["AB104"]
    (found,) = ab703(FRONT + "a\ufeffb\n")
    assert (found.line, found.column) == (5, 2)


def test_many_lines_are_capped() -> None:
    found = ab703(FRONT + "x\u200by\n" * 30)
    assert len(found) == 21 and "on 10 more lines" in found[-1].message


def test_plain_non_ascii_text_is_not_reported() -> None:
    assert ab703(FRONT + "café 日本語 🙂 — “quotes” ü\n") == []


def test_json_and_sarif_escape_c1_bidi_and_zero_width(run_cli: Run, write: Write,
                                                      tmp_path: Path) -> None:
    name = "lib/evil\u202e\u0085\u009b\u200b\x7f.md"
    # An unknown key's message names the key: its raw characters reach SARIF too.
    write(name, FRONT.replace("name: x", "name: \"e\\u0085vil\\x7f\"\nk\u202e\u200by: 1") +
          "Body \u202e\u2066 and C1 \u0085 and zw \u200b, café 🙂\n")
    for fmt in ("json", "sarif"):
        _, out, _ = run_cli("lint", str(tmp_path / "lib"), "--format", fmt)
        assert RAW.findall(out.replace("\n", "")) == [], fmt
        assert "unknown key 'k\\u202e\\u200by'" in out
        json.loads(out)
    payload = json.loads(run_cli("lint", str(tmp_path / "lib"), "--format", "json")[1])
    assert any(d["path"].endswith(name.split("/")[1]) for d in payload["diagnostics"])
    assert any(d["message"] == "unknown key 'k\u202e\u200by' for the factory dialect"
               for d in payload["diagnostics"])  # the escapes decode to the same text
    assert {d["code"] for d in payload["diagnostics"]} >= {"AB702", "AB703"}
    _, out, _ = run_cli("lint", str(tmp_path / "lib"))
    assert RAW.findall(out.replace("\n", "")) == [] and "evil\\u202e\\x85\\x9b" in out


def test_export_json_escapes_them_too(run_cli: Run, write: Write, tmp_path: Path) -> None:
    # Cursor has no handoffs: the loss report names each one's label and target.
    write("lib/a.md", "---\nname: a\ndescription: d\nhandoffs:\n  - target: b\n"
          "    label: \"go\\x9b\u202e\u200b\"\n    prompt: p\n---\nBody\n")
    _, out, _ = run_cli("export", "--to", "cursor", "--out", str(tmp_path / "out"),
                        str(tmp_path / "lib"), "--dry-run", "--format", "json")
    assert "go\\u009b\\u202e\\u200b" in out
    assert RAW.findall(out.replace("\n", "")) == [] and json.loads(out)["files"]
