"""The Graph tab: the handoff graph drawn by core.graph.layout, its focus view and handoff tree.

Interface for the app: `show(library, selected)`, `select(name)`, `show_path(agents, edges)`;
messages `AgentSelected` (the selection moved in the graph: keep the list in step) and
`AgentChosen` (Enter: open the agent). Drawings are cached per (library, mode, centre,
depth, size bucket); a new selection is a colour swap (graph_model.Scene.cell_states).
Large graphs are laid out in a thread worker behind a loading indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static, Tree
from textual.worker import Worker, WorkerState

from agentbench.core.graph.layout.draw import EdgeSpec, focus_subgraph, layout
from agentbench.core.graph.source import GraphInput, graph_input
from agentbench.core.model import Library
from agentbench.core.text.safe import printable
from agentbench.ui.widgets.graph_canvas import GraphCanvas
from agentbench.ui.widgets.graph_exports import ExportSaver, Format, run_export
from agentbench.ui.widgets.graph_model import LARGE, Scene
from agentbench.ui.widgets.graph_status import status_line
from agentbench.ui.widgets.graph_tree import HandoffTree, TreeEntry

Mode = Literal["graph", "focus", "tree"]
# (mode, centre, depth, width bucket, height bucket)
Key = tuple[str, str | None, int, int, int]
CACHE_SIZE = 8


@dataclass
class _LaidOut(Message):
    """A thread worker finished a layout (or failed: scene None, error set)."""

    generation: int
    key: Key
    scene: Scene | None
    error: str = ""


class GraphView(Vertical):
    BINDINGS = [
        Binding("f", "mode('focus')", "Focus", id="graph.focus",
                tooltip="Graph: focus on the selected agent's neighbourhood (again: all)"),
        Binding("t", "mode('tree')", "Tree", id="graph.tree",
                tooltip="Graph: handoff tree from the selected agent (↺ loops back)"),
        Binding("1", "depth(1)", "1 step", show=False, id="graph.depth1",
                tooltip="Graph: focus on neighbours one handoff away"),
        Binding("2", "depth(2)", "2 steps", show=False, id="graph.depth2",
                tooltip="Graph: focus on neighbours up to two handoffs away"),
        Binding("plus", "depth_step(1)", "Deeper", show=False, id="graph.deeper",
                tooltip="Graph: focus one step deeper (up to 2)"),
        Binding("minus", "depth_step(-1)", "Shallower", show=False, id="graph.shallower",
                tooltip="Graph: focus one step shallower"),
    ]
    # Every graph key, for the help screen.
    HELP_BINDINGS = [*GraphCanvas.BINDINGS, *BINDINGS]

    class AgentSelected(Message):
        """The selection moved inside the graph (keys, click, tree cursor)."""

        def __init__(self, view: GraphView, name: str) -> None:
            super().__init__()
            self.view = view
            self.name = name

        @property
        def control(self) -> GraphView:
            return self.view

    class AgentChosen(Message):
        """Enter on an agent: open it."""

        def __init__(self, view: GraphView, name: str) -> None:
            super().__init__()
            self.view = view
            self.name = name

        @property
        def control(self) -> GraphView:
            return self.view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.selected: str | None = None
        self.mode: Mode = "graph"
        self.depth = 1
        self.scene: Scene | None = None
        self._input: GraphInput | None = None
        self._cache: dict[Key, Scene] = {}
        self._generation = 0
        self._wanted: Key | None = None
        self._path: tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]] = ((), ())
        self._tree_root: str | None = None
        self._saver = ExportSaver()

    def compose(self) -> ComposeResult:
        yield Static(id="graph-status", markup=False)
        yield GraphCanvas(id="graph-canvas")
        tree = HandoffTree(id="graph-tree")
        tree.display = False
        yield tree

    @property
    def canvas(self) -> GraphCanvas:
        return self.query_one(GraphCanvas)

    # -- the interface ------------------------------------------------------------------------

    def show(self, library: Library, selected: str | None) -> None:
        if library is not self.library:
            self.library = library
            self._input = graph_input(library)
            self._cache.clear()
            self._tree_root = None
        self.selected = selected
        self._update()

    def select(self, name: str | None) -> None:
        if name == self.selected and self.scene is not None:
            return
        self.selected = name
        self._update()

    def show_path(self, agents: tuple[str, ...], edges: tuple[tuple[str, str, str], ...]) -> None:
        """Highlight a walk (the flow screen's path) in its own colour."""
        self._path = (tuple(agents), tuple(edges))
        self._recolour()

    # -- laying out ---------------------------------------------------------------------------

    def _key(self) -> Key | None:
        width, height = self.size.width - 1, self.size.height - 2
        if self._input is None or width <= 0 or height <= 0:
            return None
        centre = self.selected if self.mode == "focus" else None
        return (self.mode, centre, self.depth if centre else 0, width // 4 * 4, height // 4 * 4)

    def _update(self) -> None:
        """Bring the drawing up to the library, mode, selection and size."""
        if not self.is_mounted:
            return
        self._show_mode()
        if self.mode == "tree":
            self._update_tree()
            return
        key = self._key()
        if key is None or self._input is None:
            return
        scene = self._cache.get(key)
        if scene is not None:
            self._use(scene)
            return
        if key == self._wanted:
            return  # a worker is on it
        nodes, edges = self._input.nodes, self._input.edges
        if key[1] is not None:
            picked, kept = focus_subgraph(nodes, edges, key[1], key[2])
            nodes, edges = tuple(picked), tuple(kept)
        self._generation += 1
        self._wanted = key
        if len(nodes) > LARGE:
            self.canvas.loading = True
            self._layout_in_thread(self._generation, key, nodes, edges, self._input.entry)
            return
        try:
            scene = Scene(layout(nodes, edges, self._input.entry, max_width=key[3],
                                 max_height=key[4]))
        except Exception as error:  # a layout bug must not take the workbench down
            self._failed(f"{type(error).__name__}: {error}")
            return
        self._laid_out(_LaidOut(self._generation, key, scene))

    @work(thread=True, exclusive=True, exit_on_error=False, group="graph-layout")
    def _layout_in_thread(self, generation: int, key: Key, nodes: tuple[str, ...],
                          edges: tuple[EdgeSpec, ...], entry: str | None) -> None:
        drawing = layout(nodes, edges, entry, max_width=key[3], max_height=key[4])
        self.post_message(_LaidOut(generation, key, Scene(drawing)))

    @on(_LaidOut)
    def _laid_out(self, message: _LaidOut) -> None:
        if message.scene is None:
            return
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[message.key] = message.scene
        if message.generation == self._generation:
            self._wanted = None
            self.canvas.loading = False
            if message.key == self._key():
                self._use(message.scene)
            else:
                self._update()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "graph-layout" and event.state is WorkerState.ERROR:
            self._failed(f"{type(event.worker.error).__name__}: {event.worker.error}")

    def _failed(self, why: str) -> None:
        self._wanted = None
        self.canvas.loading = False
        self.canvas.set_scene(None)
        self.scene = None
        self.query_one("#graph-status", Static).update(
            Content.styled(f"the graph could not be drawn: {printable(why)[:200]}", "$text-error"))

    def _use(self, scene: Scene) -> None:
        fresh = scene is not self.scene
        self.scene = scene
        if fresh:
            self.canvas.set_scene(scene)
        self._recolour()
        self._show_status()
        box = scene.drawing.boxes.get(self.selected or "")
        if box is not None:
            self.canvas.show_cells(box)

    def _recolour(self) -> None:
        """The colour swap: no layout, only which cells are selected, neighbours, dim, path."""
        if self.scene is None:
            return
        selected = self.selected if self.selected in self.scene.drawing.boxes else None
        agents, edges = self._path
        self.canvas.set_states(self.scene.cell_states(selected, agents, edges),
                               dimmed=selected is not None)

    def on_resize(self) -> None:
        self._update()

    # -- modes --------------------------------------------------------------------------------

    def _show_mode(self) -> None:
        canvas, tree = self.canvas, self.query_one(HandoffTree)
        in_tree = self.mode == "tree"
        if canvas.display == in_tree:
            focused = self.app.focused in (canvas, tree)
            canvas.display, tree.display = not in_tree, in_tree
            if focused:
                (tree if in_tree else canvas).focus()

    def _update_tree(self) -> None:
        tree = self.query_one(HandoffTree)
        cursor = tree.cursor_node
        on_it = cursor is not None and cursor.data is not None and \
            cursor.data.agent == self.selected
        root = self.selected or (self._input.entry if self._input else None)
        if self._input is not None and root is not None and \
                (self._tree_root is None or not on_it):
            self._tree_root = root
            tree.show_tree(self._input.nodes, self._input.edges, root)
        self._show_status()

    def _show_status(self) -> None:
        if self._input is not None:
            self.query_one("#graph-status", Static).update(status_line(
                self.mode, self.selected, self._tree_root, self.depth, self._input))

    def set_mode(self, mode: Mode, focus: bool = False) -> None:
        self.mode = mode
        self._update()
        self.refresh_bindings()
        if focus:
            widget = self.query_one(HandoffTree) if mode == "tree" else self.canvas
            widget.focus()

    def action_mode(self, mode: Mode) -> None:
        self.set_mode("graph" if self.mode == mode else mode)

    def action_depth(self, depth: int) -> None:
        self.depth = max(1, min(2, depth))
        self.mode = "focus"
        self._update()
        self.refresh_bindings()

    def action_depth_step(self, step: int) -> None:
        self.action_depth(self.depth + step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "depth_step":
            return self.mode == "focus"
        return True

    # -- input --------------------------------------------------------------------------------

    def _pick(self, name: str | None, chosen: bool = False) -> None:
        if name is None:
            return
        if name != self.selected:
            self.selected = name
            if self.mode == "focus":
                self._update()
            else:
                self._recolour()
                box = self.scene.drawing.boxes.get(name) if self.scene else None
                if box is not None:
                    self.canvas.show_cells(box)
            self._show_status()
        ghost = self.scene is not None and name in self.scene.drawing.ghosts
        if not ghost and self._input is not None and name in self._input.nodes:
            self.post_message(self.AgentChosen(self, name) if chosen
                              else self.AgentSelected(self, name))

    @on(GraphCanvas.MoveRequested)
    def _move(self, message: GraphCanvas.MoveRequested) -> None:
        if self.scene is not None:
            self._pick(self.scene.move(self.selected, message.direction))

    @on(GraphCanvas.ChooseRequested)
    def _choose(self) -> None:
        self._pick(self.selected, chosen=True)

    @on(GraphCanvas.Clicked)
    def _clicked(self, message: GraphCanvas.Clicked) -> None:
        if self.scene is not None:
            self._pick(self.scene.agent_at(message.x, message.y, self.selected))

    @on(Tree.NodeHighlighted, "#graph-tree")
    def _tree_moved(self, message: Tree.NodeHighlighted[TreeEntry]) -> None:
        entry = message.node.data
        if entry is not None and entry.agent != self.selected:
            self._pick(entry.agent)

    @on(Tree.NodeSelected, "#graph-tree")
    def _tree_chosen(self, message: Tree.NodeSelected[TreeEntry]) -> None:
        if message.node.data is not None:
            self._pick(message.node.data.agent, chosen=True)

    # -- exports (from the command palette) -----------------------------------------------------

    def export(self, fmt: Format, save: bool, library: Library | None = None) -> None:
        """Copy or save the whole graph of `library` (default: the one shown)."""
        run_export(self, self._saver, library or self.library, fmt, save)
