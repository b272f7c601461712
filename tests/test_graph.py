"""The handoff graph: edges, cycles (SCCs), dangling targets, reachability, and scale."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from agentbench.core.graph.analysis import Graph, reachable, strongly_connected
from agentbench.core.library.loader import load_library
from agentbench.core.model import Agent, Dialect, Handoff


def make(name: str, *targets: str) -> Agent:
    return Agent(
        name=name, path=f"agents/{name}.md", dialect=Dialect.FACTORY,
        handoffs=tuple(Handoff(t, f"to {t}", "p", False) for t in targets),
    )


def test_edges_nodes_and_dangling() -> None:
    graph = Graph.from_agents([make("a", "b", "ghost"), make("b", "a"), make("c")])
    assert graph.nodes == ("a", "b", "c")
    assert [(e.source, e.target, e.dangling) for e in graph.edges] == [
        ("a", "b", False), ("a", "ghost", True), ("b", "a", False)]
    assert [e.target for e in graph.dangling()] == ["ghost"]
    assert graph.successors() == {"a": ["b"], "b": ["a"], "c": []}
    assert [e.source for e in graph.incoming("a")] == ["b"]
    assert [e.target for e in graph.outgoing("a")] == ["b", "ghost"]


def test_duplicate_names_keep_the_first_agent() -> None:
    graph = Graph.from_agents([make("a", "b"), make("a", "c"), make("b"), make("c")])
    assert [(e.source, e.target) for e in graph.edges] == [("a", "b")]


def test_cycles_are_strongly_connected_components() -> None:
    graph = Graph.from_agents([
        make("a", "b"), make("b", "c"), make("c", "a", "d"),
        make("d", "e"), make("e", "d"),
        make("f", "f"),
        make("g", "a"),
    ])
    assert graph.cycles() == [["a", "b", "c"], ["d", "e"], ["f"]]


def test_acyclic_graph_has_no_cycles() -> None:
    graph = Graph.from_agents([make("a", "b", "c"), make("b", "c"), make("c")])
    assert graph.cycles() == []
    assert sorted(map(sorted, strongly_connected(graph.successors()))) == [["a"], ["b"], ["c"]]


def test_reachability() -> None:
    graph = Graph.from_agents([make("a", "b"), make("b", "c", "ghost"), make("c", "a"),
                               make("d", "a")])
    assert graph.reachable("a") == {"a", "b", "c"}
    assert graph.reachable("d") == {"a", "b", "c", "d"}
    assert graph.reachable("nobody") == set()
    assert reachable({"x": ["y"]}, "x") == {"x", "y"}


def test_long_chain_does_not_overflow_the_stack() -> None:
    n = 10_000
    assert n > sys.getrecursionlimit()
    agents = [make(f"n{i:05d}", f"n{i + 1:05d}") for i in range(n - 1)] + [make(f"n{n - 1:05d}")]
    started = time.perf_counter()
    graph = Graph.from_agents(agents)
    assert graph.cycles() == []
    assert len(graph.reachable("n00000")) == n
    ring = strongly_connected({f"r{i}": [f"r{(i + 1) % n}"] for i in range(n)})
    assert [len(c) for c in ring] == [n]
    assert time.perf_counter() - started < 5


def test_cycle_diagnostic_in_a_library(tmp_path: Path) -> None:
    folder = tmp_path / "agents"
    folder.mkdir()
    for name, target in (("backend", "test"), ("test", "backend"), ("docs", "backend")):
        (folder / f"{name}.md").write_text(
            f"---\nname: {name}\ndescription: d\nhandoffs:\n  - target: {target}\n"
            f"    label: L\n    prompt: p\n---\n", "utf-8")
    library = load_library(str(folder))
    cycles = [d for d in library.diagnostics if d.code == "AB503"]
    assert len(cycles) == 1
    assert cycles[0].severity == "info"
    assert cycles[0].path.endswith("backend.md") and cycles[0].line == 2
    assert "backend → test → backend" in cycles[0].message


def test_demo_team_graph(demo_dir: Path) -> None:
    library = load_library(str(demo_dir))
    graph = Graph.from_agents(library.agents)
    assert len(graph.nodes) == 7
    assert graph.dangling() == []
    assert graph.reachable("orchestrator") == set(graph.nodes)
    assert ("orchestrator", "backend-agent") in {(e.source, e.target) for e in graph.edges}
