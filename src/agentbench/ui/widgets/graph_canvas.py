"""The drawing on screen: a Line API widget that builds only the rows it is asked for.

Each cell's style is (what it is, how the selection sees it), looked up in a small table of
Rich styles resolved from the component classes below, so every theme works and a new
selection only changes the `states` map and refreshes the visible lines.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from agentbench.ui.widgets.graph_model import (
    DIM,
    EMPTY,
    GHOST,
    KIND_NAMES,
    NORMAL,
    STATE_NAMES,
    Scene,
)


class GraphCanvas(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "graph-view--node", "graph-view--ghost", "graph-view--edge", "graph-view--send",
        "graph-view--back-edge", "graph-view--label", "graph-view--selected",
        "graph-view--neighbour", "graph-view--dim", "graph-view--path",
    }
    DEFAULT_CSS = """
    GraphCanvas {
        background: $surface;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    GraphCanvas > .graph-view--node { color: $text; }
    GraphCanvas > .graph-view--ghost { color: $error; text-style: italic; }
    GraphCanvas > .graph-view--edge { color: $text-muted; }
    GraphCanvas > .graph-view--send { color: $text-secondary; }
    GraphCanvas > .graph-view--back-edge { color: $text-primary; }
    GraphCanvas > .graph-view--label { color: $text; }
    GraphCanvas > .graph-view--selected { color: $text-accent; text-style: bold reverse; }
    GraphCanvas > .graph-view--neighbour { color: $text-accent; text-style: bold; }
    GraphCanvas > .graph-view--dim { color: $text-disabled; }
    GraphCanvas > .graph-view--path { color: $text-success; text-style: bold; }
    """

    BINDINGS = [
        Binding("down", "move('down')", "Follow handoff", show=False, id="graph.down",
                tooltip="Graph: follow a handoff out, else the box below"),
        Binding("up", "move('up')", "Back along handoff", show=False, id="graph.up",
                tooltip="Graph: back along a handoff in, else the box above"),
        Binding("left", "move('left')", "Box to the left", show=False, id="graph.left",
                tooltip="Graph: the nearest box to the left, same layer first"),
        Binding("right", "move('right')", "Box to the right", show=False, id="graph.right",
                tooltip="Graph: the nearest box to the right, same layer first"),
        Binding("tab", "move('next')", "Next agent", show=False, id="graph.next",
                tooltip="Graph: next agent in reading order"),
        Binding("shift+tab", "move('previous')", "Previous agent", show=False,
                id="graph.previous", tooltip="Graph: previous agent in reading order"),
        Binding("enter", "choose", "Open agent", id="graph.choose",
                tooltip="Graph: open the selected agent in the preview"),
    ]

    class MoveRequested(Message):
        def __init__(self, direction: str) -> None:
            super().__init__()
            self.direction = direction

    class ChooseRequested(Message):
        pass

    class Clicked(Message):
        """A cell of the drawing was clicked (drawing coordinates)."""

        def __init__(self, x: int, y: int) -> None:
            super().__init__()
            self.x = x
            self.y = y

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scene: Scene | None = None
        self.states: dict[int, dict[int, int]] = {}
        self.dimmed = False
        self._styles: dict[int, Style] = {}
        self._base: Style | None = None
        # Built rows: {drawing row: ((scroll x, width), strip)}.
        self._lines: dict[int, tuple[tuple[int, int], Strip]] = {}

    def set_scene(self, scene: Scene | None) -> None:
        self.scene = scene
        drawing = scene.drawing if scene else None
        self.virtual_size = Size(drawing.width, drawing.height) if drawing else Size(0, 0)
        self._lines.clear()
        self.refresh()

    def set_states(self, states: dict[int, dict[int, int]], dimmed: bool) -> None:
        """The colour swap: new cell states, then a refresh of the visible lines. Only the
        rows whose states changed are built again (all of them when dimming toggles)."""
        if dimmed != self.dimmed:
            self._lines.clear()
        else:
            for row in self.states.keys() | states.keys():
                self._lines.pop(row, None)
        self.states = states
        self.dimmed = dimmed
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.clear()
        self._base = None

    @property
    def base_style(self) -> Style:
        """The widget's own style (`rich_style` walks the ancestors: too slow per line)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def state_at(self, x: int, y: int) -> int:
        """A drawing cell's state (for tests): -1 when it has the default."""
        return self.states.get(y, {}).get(x, -1)

    def _style(self, key: int) -> Style:
        """The style of `kind * 8 + state`."""
        style = self._styles.get(key)
        if style is None:
            kind, state = divmod(key, 8)
            # Full (not partial) component styles: colours such as $text-muted carry an
            # alpha that must be blended over this widget's background to mean anything.
            style = self.base_style
            if kind != EMPTY:
                style += self.get_component_rich_style(f"graph-view--{KIND_NAMES[kind]}")
                if state != NORMAL:
                    style += self.get_component_rich_style(f"graph-view--{STATE_NAMES[state]}")
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        row = y + scroll_y
        scene = self.scene
        if scene is None or not 0 <= row < scene.drawing.height:
            return Strip.blank(width, self.base_style)
        built = self._lines.get(row)
        if built is not None and built[0] == (scroll_x, width):
            return built[1]
        chars = scene.drawing.cells[row]
        kinds = scene.row_kinds(row)
        states = self.states.get(row, {})
        default = DIM if self.dimmed else NORMAL
        segments: list[Segment] = []
        run: list[str] = []
        current = EMPTY * 8 + NORMAL
        for x in range(scroll_x, min(scene.drawing.width, scroll_x + width)):
            char = chars[x]
            if not char:  # the second half of a wide character
                if x != scroll_x:
                    continue
                char = " "
            kind = kinds[x]
            if kind == EMPTY:
                key = EMPTY * 8 + NORMAL
            else:  # missing agents stay in the error colour even when dimmed
                state = states.get(x, default)
                key = kind * 8 + (NORMAL if state == DIM and kind == GHOST else state)
            if key != current:
                if run:
                    segments.append(Segment("".join(run), self._style(current)))
                run = []
                current = key
            run.append(char)
        if run:
            segments.append(Segment("".join(run), self._style(current)))
        strip = Strip(segments).adjust_cell_length(width, self.base_style)
        self._lines[row] = ((scroll_x, width), strip)
        return strip

    def show_cells(self, box: tuple[int, int, int, int], animate: bool = False) -> None:
        """Scroll (only as far as needed) so that a box is in view."""
        bx, by, bw, bh = box
        self.scroll_to_region(Region(bx, by, bw, bh), animate=animate, immediate=True,
                              force=True)

    def action_move(self, direction: str) -> None:
        self.post_message(self.MoveRequested(direction))

    def action_choose(self) -> None:
        self.post_message(self.ChooseRequested())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        scroll_x, scroll_y = self.scroll_offset
        self.post_message(self.Clicked(offset.x + scroll_x, offset.y + scroll_y))
