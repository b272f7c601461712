"""Editor text <-> file bytes (core/edit_text.py) and lint as you type (core/buffer_lint.py)."""

from __future__ import annotations

import pytest

from agentbench.core.checks.buffer import BufferContext, check_buffer
from agentbench.core.write.change import EditError
from agentbench.core.write.editor_text import MAX_EDIT_BYTES, EditorText

BOM = b"\xef\xbb\xbf"
AGENT = b"---\nname: a\ndescription: d\n---\nHello {{who}}.\n"


@pytest.mark.parametrize("data", [
    b"", b"x", b"x\n", b"a\nb", b"a\n\n", b"\n", AGENT, AGENT.replace(b"\n", b"\r\n"),
    BOM + AGENT, BOM + AGENT.replace(b"\n", b"\r\n"), b"a\rb\r", b"a\r\nb\nc\rd",
    "caf\u00e9 \u2013 \u2705\t\x1b[31m\n".encode(),
])
def test_unchanged_text_gives_back_the_same_bytes(data: bytes) -> None:
    opened = EditorText.from_bytes(data)
    assert "\r" not in opened.text and not opened.text.startswith("\ufeff")
    assert opened.to_bytes(opened.text) == data


def test_a_crlf_bom_file_stays_crlf_with_its_bom_after_an_edit() -> None:
    data = BOM + AGENT.replace(b"\n", b"\r\n")
    opened = EditorText.from_bytes(data)
    assert opened.bom and opened.newline == "\r\n"
    edited = opened.text.replace("Hello", "Hello,\nworld:")
    assert opened.to_bytes(edited) == BOM + (
        b"---\r\nname: a\r\ndescription: d\r\n---\r\nHello,\r\nworld: {{who}}.\r\n")


def test_mixed_endings_keep_theirs_where_untouched_and_new_lines_get_the_usual() -> None:
    data = b"one\r\ntwo\r\nthree\nfour\r\n"
    opened = EditorText.from_bytes(data)
    assert opened.newline == "\r\n"
    edited = opened.text.replace("two\n", "two\nnew\n").replace("four", "FOUR")
    assert opened.to_bytes(edited) == b"one\r\ntwo\r\nnew\r\nthree\nFOUR\r\n"


def test_the_last_line_keeps_or_gains_its_newline_as_the_text_says() -> None:
    opened = EditorText.from_bytes(b"a\r\nb")
    assert opened.to_bytes("a\nb\nc") == b"a\r\nb\r\nc"
    assert opened.to_bytes("a\nb\n") == b"a\r\nb\r\n"
    assert opened.to_bytes("") == b""


@pytest.mark.parametrize(("data", "why"), [
    (b"---\nname: \xff\n---\n", "not valid UTF-8"),
    (b"a\x00b", "NUL"),
    (b"a\x0cb\n", "form feed"),
    ("a\u2028b\n".encode(), "line separator"),
    (b"x" * (MAX_EDIT_BYTES + 1), "up to 5 MB"),
])
def test_files_the_editor_would_change_are_refused(data: bytes, why: str) -> None:
    with pytest.raises(EditError, match=why):
        EditorText.from_bytes(data)


CONTEXT = BufferContext(known=frozenset({"who"}), profile="p",
                        agents={"a": "/lib/a.md", "b": "/lib/b.md"})


def test_buffer_check_has_parse_and_placeholder_problems_sorted_by_line() -> None:
    data = (b"---\nname: a\ndescription: d\nmodle: x\n---\n"
            b"Hello {{who}} and {{nobody}}.\n")
    checked = check_buffer("/lib/a.md", data, CONTEXT)
    assert checked.parsed.agent is not None
    assert [(d.code, d.line) for d in checked.diagnostics] == [("AB303", 4), ("AB601", 6)]
    assert "under profile 'p'" in checked.diagnostics[1].message


def test_buffer_check_judges_handoffs_and_names_against_the_library() -> None:
    data = (b"---\nname: b\ndescription: d\nhandoffs:\n  - target: aa\n    label: Go\n"
            b"    prompt: p\n  - target: a\n    label: Back\n    prompt: p\n---\nbody\n")
    checked = check_buffer("/lib/a.md", data, CONTEXT)
    codes = [(d.code, d.line) for d in checked.diagnostics]
    # Renamed to b, which b.md already is; its handoff to `a` now has no agent (a.md is b).
    assert ("AB501", 2) in codes
    assert ("AB403", 5) in codes and ("AB403", 8) in codes
    assert "did you mean" not in checked.diagnostics[-1].message
    alone = check_buffer("/lib/a.md", data, BufferContext(single_file=True))
    assert not [d for d in alone.diagnostics if d.code in ("AB403", "AB501")]


def test_buffer_check_never_raises_on_garbage() -> None:
    checked = check_buffer("/lib/a.md", b"---\n[: {\n---\n", CONTEXT)
    assert checked.parsed.agent is None and checked.diagnostics
