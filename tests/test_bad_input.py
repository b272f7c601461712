"""DESIGN §5: every kind of bad input becomes a diagnostic with a stable code and a line.

Never an exception, a hang or a surprise.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agentbench.core.library import loader as library_module
from agentbench.core.library.loader import FileCache, load_library
from agentbench.core.model import Diagnostic, ParsedFile
from agentbench.core.read.parse import parse_bytes

Write = Callable[[str, str | bytes], Path]

GOOD = "---\nname: x\ndescription: d\n---\nBody.\n"


def parse(data: bytes, path: str = "agents/x.md") -> ParsedFile:
    return parse_bytes(path, data)


def of(items: ParsedFile | tuple[Diagnostic, ...], code: str) -> list[Diagnostic]:
    diagnostics = items.diagnostics if isinstance(items, ParsedFile) else items
    return [d for d in diagnostics if d.code == code]


def one(items: ParsedFile | tuple[Diagnostic, ...], code: str) -> Diagnostic:
    found = of(items, code)
    assert len(found) == 1, f"expected one {code}, got {found!r}"
    return found[0]


# Encoding and bytes ------------------------------------------------------------------------


def test_not_utf8_gives_position_of_bad_byte_and_still_reads_the_agent() -> None:
    data = b"---\nname: x\ndescription: d\n---\nline five\nhello \xff there\n"
    parsed = parse(data)
    bad = one(parsed, "AB103")
    assert (bad.line, bad.column) == (6, 7)
    assert "0xff" in bad.message
    assert bad.severity == "error"
    assert parsed.agent is not None
    assert parsed.agent.name == "x"
    assert "\ufffd" in parsed.agent.body


def test_latin1_in_frontmatter_is_located() -> None:
    parsed = parse(b"---\nname: x\ndescription: caf\xe9 owner\n---\n")
    bad = one(parsed, "AB103")
    assert (bad.line, bad.column) == (3, 17)
    assert parsed.agent is not None and parsed.agent.description == "caf\ufffd owner"


def test_binary_file_is_skipped() -> None:
    parsed = parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert [d.code for d in parsed.diagnostics] == ["AB102"]
    assert parsed.agent is None


def test_bom_is_noted_and_line_numbers_are_unchanged() -> None:
    data = b"\xef\xbb\xbf---\nname: x\ndescription: d\ndescripton: typo\n---\nBody\n"
    parsed = parse(data)
    assert one(parsed, "AB104").line == 1
    assert one(parsed, "AB303").line == 4
    assert parsed.agent is not None
    assert parsed.agent.name == "x"
    assert parsed.agent.frontmatter.keys() >= {"name"}  # no BOM glued to the first key


def test_crlf_is_noted_and_lines_are_right() -> None:
    data = b"---\r\nname: x\r\ndescription: d\r\nfoo: 1\r\n---\r\nBody\r\nmore\r\n"
    parsed = parse(data)
    assert one(parsed, "AB105").severity == "info"
    assert one(parsed, "AB303").line == 4
    assert parsed.agent is not None
    assert parsed.agent.body == "Body\nmore\n"
    assert parsed.agent.body_line == 6


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n"])
def test_empty_file(data: bytes) -> None:
    parsed = parse(data)
    assert [d.code for d in parsed.diagnostics] == ["AB106"]
    assert parsed.agent is None


def test_no_frontmatter() -> None:
    parsed = parse(b"# Just notes\n\nNothing here.\n")
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("AB108", 1)]
    assert parsed.agent is None


@pytest.mark.parametrize("data", [b"---\nname: x\ndescription: d\n", b"---", b"---\n"])
def test_unclosed_frontmatter(data: bytes) -> None:
    parsed = parse(data)
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("AB202", 1)]


# YAML ---------------------------------------------------------------------------------------


def test_yaml_syntax_error_points_at_the_bad_line() -> None:
    parsed = parse(b"---\nname: x\ndescription: d\n  bad: indent\n---\nBody\n")
    error = one(parsed, "AB201")
    assert (error.line, error.column) == (4, 6)
    assert error.message.startswith("YAML syntax error")
    assert parsed.agent is None


@pytest.mark.parametrize(
    ("front", "line", "column"),
    [
        ("name: x\ndescription: 'never closed\n", 3, 14),  # the quote that opened
        ("name: x\ndescription: d\ntriggers: [a, b\n", 4, 11),  # the '[' that opened
        ("name: x\ndescription: \"d\n\nmodel: m\n", 3, 14),
    ],
)
def test_unterminated_yaml_points_where_it_opened(front: str, line: int, column: int) -> None:
    """Not at the closing '---' where the YAML parser ran out of text."""
    error = one(parse(f"---\n{front}---\nBody\n".encode()), "AB201")
    assert (error.line, error.column) == (line, column)


def test_tab_indentation_is_a_syntax_error_not_a_crash() -> None:
    error = one(parse(b"---\nname: x\ntriggers:\n\t- a\n---\n"), "AB201")
    assert error.line == 4


@pytest.mark.parametrize(
    ("front", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "text"), ("42\n", "a number")],
)
def test_frontmatter_that_is_not_a_mapping(front: str, kind: str) -> None:
    parsed = parse(f"---\n{front}---\nBody\n".encode())
    error = one(parsed, "AB205")
    assert error.line == 2
    assert kind in error.message
    assert parsed.agent is None


def test_empty_frontmatter_is_noted_and_agent_named_by_file() -> None:
    parsed = parse(b"---\n---\nBody\n", "agents/helper.md")
    assert one(parsed, "AB206").line == 1
    assert parsed.agent is not None and parsed.agent.name == "helper"


def test_triggers_as_text_is_a_type_error() -> None:
    parsed = parse(b"---\nname: x\ndescription: d\ntriggers: when asked\n---\n")
    error = one(parsed, "AB302")
    assert error.line == 4 and "triggers" in error.message and "list" in error.message
    assert parsed.agent is not None


def test_trigger_item_with_colon_space_is_reported_on_its_own_line() -> None:
    text = (b"---\nname: x\ndescription: d\ntriggers:\n  - fine\n"
            b"  - Orchestrator Phase 0: State machine\n  - also fine\n---\n")
    parsed = parse(text)
    error = one(parsed, "AB302")
    assert error.line == 6
    assert "item 2" in error.message and "quotes" in error.message
    assert parsed.agent is not None
    assert parsed.agent.triggers == ("fine", "also fine")


@pytest.mark.parametrize(
    ("front", "field", "line"),
    [
        ("name: [a, b]\ndescription: d\n", "name", 2),
        ("name: x\ndescription: {a: 1}\n", "description", 3),
        ("name: x\ndescription: d\nmodel: 3\n", "model", 4),
        ("name: x\ndescription: d\nhandoffs: text\n", "handoffs", 4),
        ("name: x\ndescription: d\ntriggers: {a: b}\n", "triggers", 4),
    ],
)
def test_wrong_field_types(front: str, field: str, line: int) -> None:
    parsed = parse(f"---\n{front}---\n".encode())
    error = one(parsed, "AB302")
    assert error.line == line and f"'{field}'" in error.message
    assert parsed.agent is not None


def test_non_text_keys_do_not_crash() -> None:
    parsed = parse(b"---\nname: x\ndescription: d\n1: one\n---\n")
    assert one(parsed, "AB302").message.startswith("frontmatter keys must be text")
    assert parsed.agent is not None


def test_malformed_handoffs() -> None:
    text = (b"---\nname: x\ndescription: d\nhandoffs:\n  - just text\n  - label: no target\n"
            b"    prompt: p\n  - target: [a, b]\n    label: l\n    prompt: p\n---\n")
    parsed = parse(text)
    assert [d.line for d in of(parsed, "AB401")] == [5, 6, 8]
    assert parsed.agent is not None and parsed.agent.handoffs == ()


def test_self_handoff() -> None:
    text = (b"---\nname: x\ndescription: d\nhandoffs:\n  - target: x\n    label: l\n"
            b"    prompt: p\n---\n")
    warning = one(parse(text), "AB404")
    assert warning.line == 5


def test_unknown_key_suggests_the_close_match() -> None:
    parsed = parse(b"---\nname: x\ndescripton: d\nzzz: 1\n---\n")
    typo, unknown = of(parsed, "AB303")
    assert typo.line == 3 and "did you mean 'description'" in typo.message
    assert unknown.line == 4 and "did you mean" not in unknown.message


def test_billion_laughs_is_refused_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    data = ("---\nname: x\n" + "\n".join(lines) + "\n---\nBody\n").encode()
    started = time.perf_counter()
    parsed = parse(data)
    elapsed = time.perf_counter() - started
    bomb = one(parsed, "AB203")
    assert elapsed < 1.0
    assert parsed.agent is None
    assert 2 <= bomb.line <= 11
    assert len(bomb.message) < 300  # never stringifies the value


def test_small_aliases_are_fine() -> None:
    text = b"---\nname: x\ndescription: &d shared\nmodel: *d\n---\n"
    parsed = parse(text)
    assert of(parsed, "AB203") == []
    assert parsed.agent is not None and parsed.agent.model == "shared"


def test_recursive_alias_does_not_hang() -> None:
    started = time.perf_counter()
    parsed = parse(b"---\nname: x\nloop: &a [*a]\n---\n")
    assert time.perf_counter() - started < 1.0
    assert of(parsed, "AB203") or of(parsed, "AB201")


def test_duplicate_key() -> None:
    parsed = parse(b"---\nname: x\ndescription: d\nname: y\n---\n")
    error = one(parsed, "AB204")
    assert error.line == 4 and "name" in error.message


def test_duplicate_key_inside_a_handoff() -> None:
    parsed = parse(b"---\nname: x\nhandoffs:\n  - target: y\n    label: One\n"
                   b"    prompt: p\n    label: Two\n---\n")
    error = one(parsed, "AB204")
    assert error.line == 7 and "label" in error.message


def test_an_int_that_python_cannot_build_is_a_yaml_error() -> None:
    parsed = parse(b"---\nname: a\ndescription: d\nversion: 0x_\n---\n")
    assert one(parsed, "AB201").line == 4


def test_keys_of_different_types_are_not_duplicates() -> None:
    parsed = parse(b"---\nname: x\nhandoffs:\n  - target: y\n    1: a\n    '1': b\n---\n")
    assert not of(parsed, "AB204") and parsed.agent is not None


def test_control_characters_written_as_yaml_escapes_are_reported() -> None:
    parsed = parse(b'---\nname: x\ndescription: "red \\e[31m text"\n---\nBody\n')
    found = one(parsed, "AB702")
    assert found.line == 3 and "ESC" in found.message and "'description'" in found.message
    parsed = parse(b'---\nname: x\nhandoffs:\n  - target: y\n    label: L\n'
                   b'    prompt: "go\\x07"\n---\nBody\n')
    found = one(parsed, "AB702")
    assert found.line == 6 and "U+0007" in found.message and "'prompt'" in found.message
    assert not of(parse(b'---\nname: x\ndescription: "a \\\\ b \\t"\n---\n'), "AB702")


def test_deeply_nested_yaml_does_not_crash() -> None:
    data = ("---\nname: x\nz: " + "[" * 5000 + "]" * 5000 + "\n---\n").encode()
    parsed = parse(data)
    assert isinstance(parsed, ParsedFile)


# Text content -------------------------------------------------------------------------------


def test_ansi_escape_in_body() -> None:
    parsed = parse(b"---\nname: x\ndescription: d\n---\nok\nred \x1b[31mtext\x1b[0m\n")
    warning = one(parsed, "AB702")
    assert (warning.line, warning.column) == (6, 5)
    assert "ESC" in warning.message and "1 more" in warning.message


def test_c1_control_character_is_reported() -> None:
    parsed = parse("---\nname: x\ndescription: d\n---\nA\u009b2J\n".encode())
    assert one(parsed, "AB702").line == 5


def test_mojibake_gives_the_fix() -> None:
    text = "---\nname: x\ndescription: d\n---\n- a \u00e2\u20ac\u201c b\n"
    parsed = parse(text.encode())
    warning = one(parsed, "AB701")
    assert warning.line == 5 and warning.column == 5
    assert "–" in warning.message
    assert warning.fix == "- a – b"


def test_correct_non_ascii_text_is_not_mojibake() -> None:
    text = "---\nname: x\ndescription: Ça marche – naïve café ✅ Ärger\n---\nÂge\n"
    assert of(parse(text.encode()), "AB701") == []


# Files on disk (through library loading) ----------------------------------------------------


def test_huge_file_is_skipped(tmp_path: Path, write: Write) -> None:
    write("lib/a.md", GOOD)
    big = tmp_path / "lib" / "big.md"
    with big.open("wb") as handle:  # sparse: instant, no 6 MB written
        handle.truncate(6 * 1024 * 1024)
    library = load_library(str(tmp_path / "lib"))
    error = one(library.diagnostics, "AB107")
    assert error.path.endswith("big.md") and error.line == 1
    assert "5 MB" in error.message
    assert [a.name for a in library.agents] == ["x"]


def test_huge_bytes_are_refused_by_the_parser() -> None:
    parsed = parse(b"-" * (5 * 1024 * 1024 + 1))
    assert [d.code for d in parsed.diagnostics] == ["AB107"]


def test_symlink_loop(tmp_path: Path, write: Write) -> None:
    write("lib/a.md", GOOD)
    (tmp_path / "lib" / "sub").mkdir()
    os.symlink("..", tmp_path / "lib" / "sub" / "loop")
    os.symlink("self.md", tmp_path / "lib" / "self.md")  # a file symlink to itself
    library = load_library(str(tmp_path / "lib"))
    loops = of(library.diagnostics, "AB101")
    assert {Path(d.path).name for d in loops} >= {"loop", "self.md"}
    assert [a.name for a in library.agents] == ["x"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can read a chmod 000 file")
def test_unreadable_file(tmp_path: Path, write: Write) -> None:
    write("lib/a.md", GOOD)
    locked = write("lib/locked.md", GOOD)
    locked.chmod(0)
    try:
        library = load_library(str(tmp_path / "lib"))
    finally:
        locked.chmod(0o644)
    error = one(library.diagnostics, "AB101")
    assert error.path.endswith("locked.md") and "permission" in error.message


def test_permission_denied_on_open_is_a_diagnostic(tmp_path: Path, write: Write,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as chmod 000, simulated so it also runs as root."""
    path = write("lib/a.md", GOOD)

    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(library_module, "open", denied, raising=False)
    parsed = FileCache().read(str(path))
    assert [d.code for d in parsed.diagnostics] == ["AB101"]
    assert "permission denied" in parsed.diagnostics[0].message


def test_folder_named_like_an_agent(tmp_path: Path, write: Write) -> None:
    write("lib/a.md", GOOD)
    write("lib/notes.md/inner.txt", "not an agent")
    library = load_library(str(tmp_path / "lib"))
    error = one(library.diagnostics, "AB109")
    assert error.path.endswith("notes.md")
    assert len(library.agents) == 1


def test_file_deleted_between_discovery_and_read(tmp_path: Path) -> None:
    parsed = FileCache().read(str(tmp_path / "gone.md"))
    assert parsed.agent is None
    assert [d.code for d in parsed.diagnostics] == ["AB101"]
    assert "disappeared" in parsed.diagnostics[0].message


def test_cache_forgets_a_file_that_was_deleted(tmp_path: Path, write: Write) -> None:
    path = write("a.md", GOOD)
    cache = FileCache()
    assert cache.read(str(path)).agent is not None
    path.unlink()
    assert [d.code for d in cache.read(str(path)).diagnostics] == ["AB101"]


def test_duplicate_names_in_a_library(tmp_path: Path, write: Write) -> None:
    write("lib/a.md", "---\nname: twin\ndescription: d\n---\n")
    write("lib/sub/b.md", "---\n# comment\nname: twin\ndescription: d\n---\n")
    library = load_library(str(tmp_path / "lib"))
    error = one(library.diagnostics, "AB501")
    assert error.path.endswith("b.md") and error.line == 3
    assert "a.md" in error.message


def test_handoff_to_a_missing_agent(tmp_path: Path, write: Write) -> None:
    write("lib/a.md", "---\nname: a\ndescription: d\nhandoffs:\n  - target: b\n    label: B\n"
                      "    prompt: p\n  - target: tester\n    label: T\n    prompt: p\n---\n")
    write("lib/b.md", "---\nname: b\ndescription: d\n---\n")
    write("lib/test-agent.md", "---\nname: test-agent\ndescription: d\n---\n")
    library = load_library(str(tmp_path / "lib"))
    error = one(library.diagnostics, "AB403")
    assert error.line == 8 and error.path.endswith("a.md")
    assert "tester" in error.message


def test_a_lone_file_is_not_judged_for_missing_targets(tmp_path: Path, write: Write) -> None:
    path = write("a.md", "---\nname: a\ndescription: d\nhandoffs:\n  - target: b\n"
                         "    label: B\n    prompt: p\n---\n")
    library = load_library(str(path))
    assert of(library.diagnostics, "AB403") == []


def test_garbage_everywhere_still_loads(tmp_path: Path, write: Write) -> None:
    write("lib/bin.md", b"\x00\x01\x02")
    write("lib/empty.md", b"")
    write("lib/list.md", "---\n- a\n---\n")
    write("lib/ok.md", GOOD)
    write("lib/README.md", "# not an agent\n")
    library = load_library(str(tmp_path / "lib"))
    assert [a.name for a in library.agents] == ["x"]
    assert {d.code for d in library.diagnostics} >= {"AB102", "AB106", "AB205"}
    assert not any(d.path.endswith("README.md") for d in library.diagnostics)
