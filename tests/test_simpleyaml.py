"""The fast frontmatter reader must agree with PyYAML exactly, or step aside (return None)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentbench.core.yamlio import block as simpleyaml
from agentbench.core.yamlio import reader as yamlio

TRICKY = ["0x_", "+0b_", "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true",
          "False", "0", "-1",
          "+2", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "1e3", "1.5", ".inf", "-.Inf",
          ".NaN", "2001-12-14", "2001-12-14 21:59:43.10 -5", "a: b", "a:b", "#x", "a #b", "a#b",
          "C#", "x:", "=", "<<", "http://example.com/a?b=c", "@a", "`b`", "[x]", "{y}", "a, b",
          "it's", "say \"hi\"", "back\\slash", "-a", "- a", "?a", ":a", "%a", "!a", "&a", "*a",
          "|", ">", "...", "---", "é", "✅ done", "{{ name }}", "a  b", "tab\there",
          "NEL\x85x", "LS\u2028x", "\ufeffbom", "bell\x07"]
KEYS = ["name", "model", "description", "triggers", "handoffs", "target", "label", "prompt",
        "send", "tools", "a.b", "x-y", "_k", "yes", "on", "n", "null", "true", "k1", "K"]

scalar_text = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
# (TRICKY also holds `0x_`, which YAML calls an int and Python cannot build.)
# Text the fast reader must take: words, digits and the punctuation agent files are full of.
clean_text = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.(){}/_é✅-]{0,20}[A-Za-z0-9.)}é]", fullmatch=True)
CLEAN_KEYS = [k for k in KEYS if k not in {"yes", "on", "n", "null", "true"}]


def quote(value: str, style: str) -> str:
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value + '"'
    return value


@st.composite
def documents(draw: st.DrawFn, depth: int = 0, indent: int = 0, clean: bool = False) -> str:
    """YAML-looking text: mostly valid simple YAML, with tricky scalars and layouts mixed in
    (none of them when `clean`)."""
    pad = " " * indent
    lines: list[str] = []
    texts = clean_text if clean else scalar_text
    keys = st.lists(st.sampled_from(CLEAN_KEYS if clean else KEYS), min_size=1, max_size=5,
                    unique=clean)
    for key in draw(keys):
        kind = draw(st.sampled_from(["scalar", "scalar", "list", "maps", "map", "empty"]
                                    if depth < 2 else ["scalar", "empty"]))
        if lines and draw(st.integers(0, 9)) == 0:
            lines.append(pad + draw(st.sampled_from(["# a comment", "", "   ", "  # indented"])))
        if kind == "scalar":
            value = quote(draw(texts), draw(st.sampled_from(["plain", "single", "double"])))
            tail = draw(st.sampled_from(["", " "] if clean else ["", " ", "  # c"]))
            lines.append(f"{pad}{key}: {value}{tail}")
        elif kind == "empty":
            lines.append(f"{pad}{key}:")
        elif kind == "list":
            lines.append(f"{pad}{key}:")
            dash = pad + draw(st.sampled_from(["", "  ", "    "]))
            for item in draw(st.lists(texts, min_size=1, max_size=3)):
                style = draw(st.sampled_from(["plain", "single", "double"]))
                lines.append(f"{dash}- {quote(item, style)}")
        elif kind == "maps":
            lines.append(f"{pad}{key}:")
            dash = pad + draw(st.sampled_from(["", "  "]))
            gap = draw(st.sampled_from([" ", "   "]))
            for _ in range(draw(st.integers(1, 3))):
                inner = draw(documents(depth + 1, len(dash) + 1 + len(gap), clean))
                first, *rest = inner.split("\n")
                lines.append(f"{dash}-{gap}{first.lstrip(' ')}")
                lines.extend(rest)
        else:
            lines.append(f"{pad}{key}:")
            lines.append(draw(documents(depth + 1, indent + draw(st.sampled_from([1, 2, 4])),
                                        clean)))
    return "\n".join(lines)


def pyyaml(text: str) -> tuple[Any, yamlio.Lines]:
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        return loader.construct_document(node), yamlio.node_lines(node)
    finally:
        loader.dispose()


def agrees(text: str) -> bool:
    """True when the fast reader took `text`; fails the test when it disagrees with PyYAML."""
    fast = simpleyaml.load(text)
    if fast is None:
        return False
    assert fast == pyyaml(text), text
    return True


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_read_as_pyyaml_reads_them(text: str) -> None:
    agrees(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(documents(clean=True))
def test_plain_block_yaml_takes_the_fast_path(text: str) -> None:
    assert agrees(text), text


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("ab:- '\"#\n\t[]{}|>&*!?%@`,.1yn~\\é")),
               max_size=60))
def test_arbitrary_text_is_read_as_pyyaml_reads_it_or_left_to_pyyaml(text: str) -> None:
    try:
        agrees(text)
    except yaml.YAMLError:
        pytest.fail(f"the fast reader accepted text PyYAML refuses: {text!r}")


def test_typical_frontmatter_takes_the_fast_path() -> None:
    text = (
        "name: backend-agent\nmodel: claude-sonnet-4-5\n"
        "description: Builds APIs with {{tech_stack}}, and it's fine:really\n"
        "# a comment line\n\ntriggers:\n  - Backend framework detected\n  - 'src/ folder'\n"
        "handoffs:\n  - target: test-agent\n    label: \"Write tests\"\n"
        "    prompt: Please test {{feature}}.\n    send: false\n"
        "  -   target: review-agent\n      label: Review\n      send: yes\n"
    )
    assert agrees(text)
    data, lines = simpleyaml.load(text) or ({}, {})
    assert data["handoffs"][1] == {"target": "review-agent", "label": "Review", "send": True}
    assert lines[("handoffs", 0, "label")] == 10
    assert lines[("handoffs", 1)] == 13
    assert lines[("triggers", 1)] == 7


@pytest.mark.parametrize("text", [
    "on: 1\n",  # the key is a boolean in YAML 1.1
    "a: b: c\n",  # an error in YAML
    "a: one\n  two\n",  # a plain scalar over two lines
    "a: 1 # note\n",  # a comment after a value
    "a: [1, 2]\n",  # a flow sequence
    "a: |\n  text\n",  # a block scalar
    "a: &x 1\nb: *x\n",  # an anchor and an alias
    "a: \"esc\\n\"\n",  # an escape
    "a: 1\na: 2\n",  # a duplicate key (PyYAML reports it)
    "a:\n\t- 1\n",  # a tab
    "a: x\x85y\n",  # NEL, a line break to YAML 1.1
    "a: 2001-12-14\n",  # a timestamp
    "- a\n- b\n",  # not a mapping
    "",
    "version: 0x_\n",  # an int to YAML's pattern that Python cannot build (PyYAML: error)
    "v: +0b_\n",
    "k" * 1025 + ": 1\n",  # libyaml refuses a key over 1024 characters
    "a:\n  - " + "k" * 1025 + ": 1\n",
])
def test_anything_outside_the_subset_is_left_to_pyyaml(text: str) -> None:
    assert simpleyaml.load(text) is None
