"""A library as the graph drawing and the exports take it: nodes, edge specs, the entry agent.

The CLI (`agentbench graph`) and the workbench's Graph tab both start here, so they draw the
same graph from the same library.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentbench.core.graph.analysis import Graph
from agentbench.core.graph.layout.shapes import EdgeSpec
from agentbench.core.model import Library


@dataclass(frozen=True, slots=True)
class GraphInput:
    nodes: tuple[str, ...]
    edges: tuple[EdgeSpec, ...]
    # None when the workspace names no entry or one that is not an agent here: the layout
    # then starts its cycle-breaking walk from the agents nobody hands off to.
    entry: str | None


def graph_input(library: Library) -> GraphInput:
    graph = Graph.from_agents(library.agents)
    edges = tuple(EdgeSpec(e.source, e.target, e.label, e.send, e.dangling) for e in graph.edges)
    workspace = library.workspace
    entry = workspace.entry if workspace and workspace.entry in graph.nodes else None
    return GraphInput(tuple(graph.nodes), edges, entry)
