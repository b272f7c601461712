"""The handoff graph: edges, strongly connected components, dangling targets, reachability.

Pure Python on purpose: networkx costs ~175 ms to import and these need a few dozen lines
(the layout, graph/layout/, is written without it too).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from agentbench.core.model import Agent, Handoff


class Edge(NamedTuple):
    """A handoff as an edge (a named tuple: a 10,000-agent library has 40,000 of them)."""

    source: str
    target: str
    label: str
    send: bool
    dangling: bool
    handoff: Handoff


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]

    @classmethod
    def from_agents(cls, agents: Iterable[Agent]) -> Graph:
        named: dict[str, Agent] = {}
        for agent in agents:
            named.setdefault(agent.name, agent)
        nodes = sorted(named)
        # Sorted by (source, target, label): sources are unique, so sorting the nodes and then
        # each agent's few handoffs gives that order without one big sort of tuple keys.
        edges: list[Edge] = []
        for name in nodes:
            group = [Edge(name, h.target, h.label, h.send, h.target not in named, h)
                     for h in named[name].handoffs]
            if len(group) > 1:
                group.sort(key=lambda e: (e.target, e.label))
            edges += group
        return cls(tuple(nodes), tuple(edges))

    def successors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {n: [] for n in self.nodes}
        for edge in self.edges:
            if not edge.dangling and edge.target not in out[edge.source]:
                out[edge.source].append(edge.target)
        return out

    def dangling(self) -> list[Edge]:
        return [e for e in self.edges if e.dangling]

    def reachable(self, start: str) -> set[str]:
        return reachable(self.successors(), start)

    def cycles(self) -> list[list[str]]:
        """Strongly connected components that contain a cycle, each sorted, largest first."""
        succ = self.successors()
        found = [sorted(c) for c in strongly_connected(succ) if len(c) > 1]
        found += [[n] for n in self.nodes if n in succ[n]]
        return sorted(found, key=lambda c: (-len(c), c))

    def incoming(self, name: str) -> list[Edge]:
        return [e for e in self.edges if e.target == name]

    def outgoing(self, name: str) -> list[Edge]:
        return [e for e in self.edges if e.source == name]


def reachable(successors: Mapping[str, Sequence[str]], start: str) -> set[str]:
    if start not in successors:
        return set()
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in successors.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def strongly_connected(successors: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so a 10,000-agent chain cannot overflow the stack."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(successors):
        if root in index_of:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = successors.get(node, ())
            recursed = False
            for i in range(child_index, len(children)):
                child = children[i]
                if child not in index_of:
                    work.append((node, i + 1))
                    work.append((child, 0))
                    recursed = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index_of[child])
            if recursed:
                continue
            if low[node] == index_of[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
