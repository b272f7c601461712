"""The handoff tree: agent → handoff → target, `↺` where a target is already on the path.

Like core.graph.layout.draw.handoff_tree, an agent reached a second time on another branch is marked
"(shown above)" and not expanded again, so the tree stays linear in the size of the graph.
Labels are `Text` (never markup); their colour is applied at render time from component
classes, so a theme change restyles them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from agentbench.core.graph.layout.draw import EdgeSpec
from agentbench.core.text.safe import printable

LOOP = "↺"


@dataclass(frozen=True, slots=True)
class TreeEntry:
    agent: str
    # "", "loop", "ghost" or "seen": how the line is coloured.
    marker: str = ""


def _one_line(text: str, limit: int = 80) -> str:
    text = " ".join(printable(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HandoffTree(Tree[TreeEntry]):
    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {
        "graph-view--loop", "graph-view--ghost", "graph-view--seen"}
    DEFAULT_CSS = """
    HandoffTree > .graph-view--loop { color: $text-warning; }
    HandoffTree > .graph-view--ghost { color: $text-error; text-style: italic; }
    HandoffTree > .graph-view--seen { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(""), id=id)
        self.auto_expand = False
        self.guide_depth = 3

    def show_tree(self, nodes: tuple[str, ...], edges: tuple[EdgeSpec, ...],
                  root: str) -> None:
        real = set(nodes) | {e.source for e in edges}
        children: dict[str, list[EdgeSpec]] = {}
        for edge in sorted(edges, key=EdgeSpec.sort_key):
            children.setdefault(edge.source, []).append(edge)
        self.clear()
        top = self.root
        top.set_label(Text(_one_line(root)))
        top.data = TreeEntry(root, "" if root in real else "ghost")
        expanded = {root}
        # Depth first like layout.draw.handoff_tree, iteratively (a long chain must not hit
        # the recursion limit): (node, edges to list, next index, agents on the path).
        stack: list[tuple[TreeNode[TreeEntry], list[EdgeSpec], int, frozenset[str]]] = [
            (top, children.get(root, []), 0, frozenset({root}))]
        while stack:
            parent, todo, index, path = stack.pop()
            if index >= len(todo):
                continue
            stack.append((parent, todo, index + 1, path))
            edge = todo[index]
            target = edge.target
            text = Text(f"{_one_line(edge.label) or '(no label)'} → {_one_line(target)}")
            marker = ""
            if target not in real:
                marker = "ghost"
                text.append(" (missing)")
            elif target in path:
                marker = "loop"
                text.append(f" {LOOP}")
            elif target in expanded:
                marker = "seen"
                text.append(" (shown above)")
            if edge.send:
                text.append(" (send)")
            more = children.get(target, []) if not marker else []
            node = parent.add(text, TreeEntry(target, marker), expand=True,
                              allow_expand=bool(more))
            if not marker:
                expanded.add(target)
                stack.append((node, more, 0, path | {target}))
        top.expand_all()
        self.move_cursor(top)

    def render_label(self, node: TreeNode[TreeEntry], base_style: Style,
                     style: Style) -> Text:
        text = super().render_label(node, base_style, style)
        entry = node.data
        if entry is not None and entry.marker:
            text.stylize(self.get_component_rich_style(f"graph-view--{entry.marker}",
                                                       partial=True))
        return text

    def lines_text(self) -> list[str]:
        """Every line's label as plain text (for tests and the snapshot docstrings)."""
        found: list[str] = []
        todo = [self.root]
        while todo:
            node = todo.pop()
            label = node.label
            found.append(label.plain if isinstance(label, Text) else label)
            todo.extend(reversed(node.children))
        return found
