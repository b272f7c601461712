"""Properties: the parser never raises on any input; rendering only touches placeholders."""

from __future__ import annotations

import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentbench.core.codes import CODES
from agentbench.core.model import ParsedFile
from agentbench.core.placeholders import Values, find_names, render, render_text
from agentbench.core.read.parse import parse_bytes

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
PATHS = st.sampled_from(["agents/x.md", ".github/agents/x.md", "a.agent.md",
                         ".claude/agents/x.md", "x.chatmode.md"])
IDENT = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


def check(parsed: ParsedFile, path: str) -> None:
    assert isinstance(parsed, ParsedFile)
    for item in parsed.diagnostics:
        assert item.line >= 1 and item.column >= 1
        assert item.code in CODES
        assert item.severity == CODES[item.code].severity
        assert item.path == path
        assert isinstance(item.message, str) and len(item.message) < 1000
    if parsed.agent is not None:
        assert parsed.agent.name
        assert parsed.agent.body_line >= 1


# Bytes that look a little like agent files, so the interesting paths are reached often.
FRAGMENTS = st.sampled_from([
    b"---\n", b"---\r\n", b"\xef\xbb\xbf", b"name: a\n", b"description: d\n", b"handoffs:\n",
    b"  - target: a\n", b"    label: x\n", b"triggers:\n", b"  - a: b\n", b"&a [1]\n",
    b"*a\n", b"{{ x }}", b"${{ y }}", b"\x1b[31m", b"\xff", b"\x00", b"\xe2\x80", b":", b"- ",
    b"model: claude-4-5-opus\n", b"\t", b"'", b'"', b"[", b"{", b"\n", b"\r",
    "\u00e2\u20ac\u201c".encode(),
])


@SETTINGS
@given(path=PATHS, data=st.binary(max_size=400))
def test_parse_never_raises_on_arbitrary_bytes(path: str, data: bytes) -> None:
    check(parse_bytes(path, data), path)


@SETTINGS
@given(path=PATHS, parts=st.lists(st.one_of(FRAGMENTS, st.binary(max_size=8)), max_size=40))
def test_parse_never_raises_on_agent_like_bytes(path: str, parts: list[bytes]) -> None:
    check(parse_bytes(path, b"".join(parts)), path)


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=20),
)
KEYS = st.one_of(
    st.sampled_from(["name", "description", "model", "triggers", "handoffs", "tools",
                     "target", "agent", "label", "prompt", "send", "descripton"]),
    st.text(max_size=10),
    st.integers(),
)
YAML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)
FRONTMATTER = st.one_of(st.dictionaries(KEYS, YAML_VALUES, max_size=6), YAML_VALUES)


@SETTINGS
@given(path=PATHS, front=FRONTMATTER, body=st.text(max_size=80))
def test_parse_never_raises_on_arbitrary_frontmatter(path: str, front: Any, body: str) -> None:
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    data = f"---\n{dumped}---\n{body}".encode("utf-8", "surrogatepass")
    check(parse_bytes(path, data), path)


@SETTINGS
@given(text=st.text(max_size=200).filter(lambda t: "{{" not in t), mapping=st.dictionaries(
    IDENT, st.text(max_size=10), max_size=5))
def test_render_leaves_text_without_placeholders_alone(text: str,
                                                       mapping: dict[str, str]) -> None:
    values = Values(mapping, {}, {}, {})
    assert render(text, values).text == text
    assert render_text(text, mapping) == text


TEMPLATE = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_characters="{}$"), max_size=10),
        IDENT.map(lambda n: "{{" + n + "}}"),
        IDENT.map(lambda n: "{{ " + n + "\t}}"),
        IDENT.map(lambda n: "${{ " + n + " }}"),
        IDENT.map(lambda n: "{" + n + "}"),
        st.sampled_from(["$ARGUMENTS", "${VAR}", "${input:x}", "{", "}", "$"]),
    ),
    max_size=12,
).map("".join)


@SETTINGS
@given(template=TEMPLATE, fill=st.text(max_size=6), seed=st.randoms(use_true_random=False))
def test_render_fills_every_named_placeholder(template: str, fill: str, seed: Any) -> None:
    names = find_names(template)
    chosen = [n for n in names if seed.random() < 0.7]
    values = {n: fill + "<" + n + ">" for n in chosen}
    result = render(template, Values(values, {}, {}, {}))
    assert set(result.unfilled) == set(names) - set(chosen)
    assert set(result.used) == set(names)
    # Nothing that had a value is left as a placeholder, unless a value wrote one back.
    if not re.search(r"[{}$]", fill):
        assert set(find_names(result.text)) <= set(result.unfilled)
    assert result.text == render_text(template, values)
    assert "".join(s.text for s in result.spans) == result.text
    # GitHub Actions expressions survive untouched.
    actions = re.compile(r"\$\{\{ [A-Za-z_][A-Za-z0-9_]* \}\}")
    if not re.search(r"[{}$]", fill):
        assert actions.findall(result.text) == actions.findall(template)
