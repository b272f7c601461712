"""Mermaid, DOT and JSON exports: parsed back, with hostile names and labels."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentbench.core.graph.export import to_dot, to_json, to_mermaid
from agentbench.core.graph.layout.draw import EdgeSpec

HOSTILE = [
    'say "hi"',
    "[@click=app.quit]",
    "a | b",
    "line\nbreak\r\nand\rmore",
    "{curly} (round) <angle> `tick`",
    "#35; &amp; %% comment ;",
    "back\\slash\\",
    '\\"',
    "end",
    "数据库 🚀 e\u0301",
    "\x1b[31mred\x00\u2028",
]

NODES = ["orchestrator", 'quo"te', "end", "back\\", "数据库"]
EDGES = [
    EdgeSpec("orchestrator", 'quo"te', HOSTILE[0]),
    EdgeSpec("orchestrator", "end", HOSTILE[1], send=True),
    EdgeSpec('quo"te', "back\\", HOSTILE[2]),
    EdgeSpec("back\\", "orchestrator", HOSTILE[3]),
    EdgeSpec("end", "end", HOSTILE[4]),
    EdgeSpec("数据库", "missing agent", HOSTILE[5], dangling=True),
    EdgeSpec("数据库", "orchestrator", HOSTILE[6], send=True),
    EdgeSpec("数据库", "orchestrator", HOSTILE[7]),
    EdgeSpec("end", "数据库", HOSTILE[10]),
]

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# ----------------------------------------------------------------------------- Mermaid

_ID = r"n_[A-Za-z0-9_]+"
# Inside a quoted string: nothing that could end it or switch on markup; `#N;` for those.
_TEXT = r'(?:[^"#&<>|\[\]{}()`%;\\\x00-\x1f\x7f-\x9f\u2028\u2029]|#\d+;)*'
_NODE = re.compile(rf'    ({_ID})\["({_TEXT})"\](:::dangling)?')
_EDGE = re.compile(rf'    ({_ID}) (-->|==>)\|"({_TEXT})"\| ({_ID})')
_CLASS = re.compile(r"    classDef dangling [a-z\-]+:[#a-z0-9 ]+(,[a-z\-]+:[#a-z0-9 ]+)*")


def _unmermaid(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


MermaidNodes = dict[str, tuple[str, bool]]  # id -> (name, dangling)
MermaidEdges = list[tuple[str, str, str, bool]]  # (source, target, label, send)


def parse_mermaid(text: str) -> tuple[MermaidNodes, MermaidEdges]:
    """A strict reader of the flowchart subset we emit: any other line is an error."""
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    assert lines[0] == "flowchart LR"
    nodes: MermaidNodes = {}
    edges: MermaidEdges = []
    styled = False
    for line in lines[1:]:
        if node := _NODE.fullmatch(line):
            assert not edges, "nodes are declared before edges"
            assert node[1] not in nodes
            nodes[node[1]] = (_unmermaid(node[2]), node[3] is not None)
        elif edge := _EDGE.fullmatch(line):
            assert edge[1] in nodes and edge[4] in nodes
            source, target = nodes[edge[1]][0], nodes[edge[4]][0]
            edges.append((source, target, _unmermaid(edge[3]), edge[2] == "==>"))
        else:
            assert _CLASS.fullmatch(line), line
            styled = True
    assert styled == any(dangling for _, dangling in nodes.values())
    return nodes, edges


def expected(nodes: list[str], edges: list[EdgeSpec]) -> tuple[set[str], set[str]]:
    real = set(nodes) | {e.source for e in edges}
    return real, {e.target for e in edges} - real


def test_mermaid_round_trips_hostile_text() -> None:
    text = to_mermaid(NODES, EDGES)
    nodes, edges = parse_mermaid(text)
    real, ghosts = expected(NODES, EDGES)
    assert {name for name, _ in nodes.values()} == {CONTROL.sub(" ", n) for n in real | ghosts}
    assert {name for name, dangling in nodes.values() if dangling} == ghosts
    assert sorted(edges) == sorted(
        (CONTROL.sub(" ", e.source), CONTROL.sub(" ", e.target), CONTROL.sub(" ", e.label), e.send)
        for e in EDGES
    )
    assert "[@click" not in text and '"hi"' not in text


def test_mermaid_ids_are_readable_and_unique() -> None:
    text = to_mermaid(["a-b", "a_b", "a b", "数据库"], [])
    nodes, _ = parse_mermaid(text)
    assert sorted(nodes) == ["n_a_b", "n_a_b_2", "n_a_b_3", "n_agent"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=5, unique=True),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 6), st.text(), st.booleans()), max_size=8),
)
def test_mermaid_grammar_holds_for_any_text(
    names: list[str], picks: list[tuple[int, int, str, bool]]
) -> None:
    targets = [*names, "ghost"]
    edges = [
        EdgeSpec(names[s % len(names)], targets[t % len(targets)], label, send)
        for s, t, label, send in picks
    ]
    nodes, parsed = parse_mermaid(to_mermaid(names, edges))
    assert len(parsed) == len(edges)
    assert len(nodes) == len(expected(names, edges)[0] | expected(names, edges)[1])


# ----------------------------------------------------------------------------- DOT

# pydot's parser still calls pyparsing's old camelCase names.
quiet_pydot = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _undot(quoted: str) -> str:
    assert quoted.startswith('"') and quoted.endswith('"'), quoted
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], quoted[1:-1])


def _dot_text(text: str) -> str:
    """What a name or label reads as once exported and parsed: one newline kind, no controls."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(CONTROL.sub(" ", part) for part in text.split("\n"))


def parse_dot(text: str) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, dict[str, Any]]]]:
    pydot = pytest.importorskip("pydot")
    graphs = pydot.graph_from_dot_data(text)
    assert graphs is not None and len(graphs) == 1
    graph = graphs[0]
    assert graph.get_type() == "digraph"
    nodes = {
        _undot(node.get_name()): node.get_attributes()
        for node in graph.get_nodes()
        if node.get_name() not in ("node", "edge", "graph")
    }
    edges = [
        (_undot(edge.get_source()), _undot(edge.get_destination()), edge.get_attributes())
        for edge in graph.get_edges()
    ]
    return nodes, edges


@quiet_pydot
def test_dot_parses_with_styles_for_send_and_missing() -> None:
    nodes, edges = parse_dot(to_dot(NODES, EDGES))
    real, ghosts = expected(NODES, EDGES)
    clean = {n: _dot_text(n) for n in real | ghosts}
    assert set(nodes) == set(clean.values())
    for name in real | ghosts:
        assert _undot(nodes[clean[name]]["label"]).replace("&amp;", "&") == clean[name]
    for name in ghosts:
        attributes = nodes[clean[name]]
        assert attributes["style"] == "dashed" and attributes["color"] == "red"
    assert all("color" not in nodes[clean[name]] for name in real)
    assert len(edges) == len(EDGES)
    for edge in EDGES:
        label = _dot_text(edge.label)
        match = [
            a
            for s, t, a in edges
            if (s, t) == (clean[edge.source], clean[edge.target])
            and _undot(a["label"]).replace("&amp;", "&") == label
        ]
        assert match, edge
        assert (match[0].get("style") == "bold") == edge.send


@quiet_pydot
@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=4, unique=True),
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5), st.text(max_size=15)), max_size=5),
)
def test_dot_parses_for_any_text(names: list[str], picks: list[tuple[int, int, str]]) -> None:
    targets = [*names, "ghost"]
    edges = [
        EdgeSpec(names[s % len(names)], targets[t % len(targets)], label) for s, t, label in picks
    ]
    nodes, parsed = parse_dot(to_dot(names, edges))
    real, ghosts = expected(names, edges)
    assert len(nodes) == len({_dot_text(n) for n in real | ghosts})
    assert len(parsed) == len(edges)


# ----------------------------------------------------------------------------- JSON


def test_json_shape_is_sorted_and_complete() -> None:
    data = to_json(NODES, EDGES)
    assert json.loads(json.dumps(data)) == data
    assert [n["name"] for n in data["nodes"]] == sorted(set(NODES) | {"missing agent"})
    assert [n["name"] for n in data["nodes"] if n["dangling"]] == ["missing agent"]
    assert all(set(e) == {"source", "target", "label", "send", "dangling"} for e in data["edges"])
    assert [e["dangling"] for e in data["edges"]].count(True) == 1
    keys = [(e["source"], e["target"], e["label"], e["send"]) for e in data["edges"]]
    assert keys == sorted(keys)
    assert to_json(list(reversed(NODES)), list(reversed(EDGES))) == data


def test_exports_are_deterministic() -> None:
    for export in (to_mermaid, to_dot):
        assert export(NODES, EDGES) == export(list(reversed(NODES)), list(reversed(EDGES)))
