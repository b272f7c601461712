"""The Graph tab's status line: what is shown, the mode keys, and a legend of the lines."""

from __future__ import annotations

from textual.content import Content

from agentbench.core.graph.source import GraphInput
from agentbench.core.text.safe import printable

MUTED = "$text-muted"
LEGEND = Content.assemble(
    "   ", ("━ send", "$text-secondary"), "  ", ("┈ loop", "$text-primary"),
    "  ", ("┄ missing", "$text-error"))


def status_line(mode: str, selected: str | None, tree_root: str | None, depth: int,
                data: GraphInput) -> Content:
    """Content, never markup: agent names are untrusted."""
    if mode == "tree":
        head = Content.assemble("handoff tree from ", (printable(tree_root or ""), "bold"),
                                ("  ·  t graph", MUTED))
    elif mode == "focus":
        steps = "1 step" if depth == 1 else f"{depth} steps"
        head = Content.assemble("focus on ", (printable(selected or ""), "bold"), f", {steps}",
                                ("  ·  1/2 depth  f all", MUTED))
    else:
        head = Content.assemble(f"{len(data.nodes)} agents, {len(data.edges)} handoffs",
                                ("  ·  f focus  t tree", MUTED))
    return head + LEGEND
