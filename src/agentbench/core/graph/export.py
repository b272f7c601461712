"""The handoff graph as Mermaid, Graphviz DOT or JSON.

Names and labels come from agent files and are untrusted: every one is quoted and escaped
so that no label can end a string early, add a node or edge, or inject markup. Output is
sorted, so the same library always exports byte-for-byte the same text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from agentbench.core.graph.layout.shapes import EdgeSpec

__all__ = ["to_dot", "to_json", "to_mermaid"]

# Mermaid renders `#<decimal>;` as that character; everything that could close a string,
# a label or a shape, start a comment or switch on markdown/HTML is written that way.
_MERMAID_SPECIAL = frozenset('"#&<>|[]{}()`%;\\')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
DANGLING_CLASS = "dangling"


def _graph(
    nodes: Sequence[str], edges: Sequence[EdgeSpec]
) -> tuple[list[str], set[str], list[EdgeSpec]]:
    """Sorted node names (agents and ghost targets), the ghosts, and sorted edges."""
    ordered = sorted(edges, key=EdgeSpec.sort_key)
    real = set(nodes) | {edge.source for edge in ordered}
    ghosts = {edge.target for edge in ordered if edge.target not in real}
    return sorted(real | ghosts), ghosts, ordered


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _mermaid_text(text: str) -> str:
    return "".join(f"#{ord(ch)};" if ch in _MERMAID_SPECIAL else ch for ch in _one_line(text))


def _mermaid_ids(names: list[str]) -> dict[str, str]:
    """Readable, unique identifiers: `n_` plus the name with anything unsafe as `_`."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = "n_" + (re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:40] or "agent")
        ident, suffix = base, 2
        while ident in taken:
            ident, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(ident)
        ids[name] = ident
    return ids


def to_mermaid(nodes: Sequence[str], edges: Sequence[EdgeSpec]) -> str:
    """A Mermaid flowchart: send:true handoffs thick (`==>`), missing agents styled."""
    names, ghosts, ordered = _graph(nodes, edges)
    ids = _mermaid_ids(names)
    lines = ["flowchart LR"]
    for name in names:
        style = f":::{DANGLING_CLASS}" if name in ghosts else ""
        lines.append(f'    {ids[name]}["{_mermaid_text(name)}"]{style}')
    for edge in ordered:
        arrow = "==>" if edge.send else "-->"
        label = _mermaid_text(edge.label)
        lines.append(f'    {ids[edge.source]} {arrow}|"{label}"| {ids[edge.target]}')
    if ghosts:
        lines.append(f"    classDef {DANGLING_CLASS} stroke:#d33,stroke-dasharray:4 3,color:#d33")
    return "\n".join(lines) + "\n"


def _dot_string(text: str, label: bool = False) -> str:
    """A DOT quoted string. Newlines become `\\n` (a line break in a label).

    Graphviz decodes HTML entities such as `&amp;` in labels, so a label's `&` is written
    `&amp;` and the label shows exactly what the file says. Identifiers stay as they are.
    """
    escaped = text.replace("&", "&amp;") if label else text
    escaped = escaped.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return '"' + _one_line(escaped) + '"'


def to_dot(nodes: Sequence[str], edges: Sequence[EdgeSpec]) -> str:
    """A Graphviz digraph: missing agents dashed red, send:true handoffs bold."""
    names, ghosts, ordered = _graph(nodes, edges)
    lines = [
        "digraph handoffs {",
        "    rankdir=LR;",
        '    node [shape=box, style=rounded, fontname="Helvetica"];',
        '    edge [fontname="Helvetica"];',
    ]
    for name in names:
        extra = ", style=dashed, color=red, fontcolor=red" if name in ghosts else ""
        lines.append(f"    {_dot_string(name)} [label={_dot_string(name, label=True)}{extra}];")
    for edge in ordered:
        extra = ", style=bold" if edge.send else ""
        lines.append(
            f"    {_dot_string(edge.source)} -> {_dot_string(edge.target)}"
            f" [label={_dot_string(edge.label, label=True)}{extra}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(nodes: Sequence[str], edges: Sequence[EdgeSpec]) -> dict[str, Any]:
    """`{"nodes": [{name, dangling}], "edges": [{source, target, label, send, dangling}]}`."""
    names, ghosts, ordered = _graph(nodes, edges)
    return {
        "nodes": [{"name": name, "dangling": name in ghosts} for name in names],
        "edges": [
            {
                "source": edge.source,
                "target": edge.target,
                "label": edge.label,
                "send": edge.send,
                "dangling": edge.target in ghosts,
            }
            for edge in ordered
        ],
    }
