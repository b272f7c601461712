"""A virtual list of agents that draws only the visible rows.

Measured on the target machine: OptionList takes 32/216 ms to show 1k/10k rows and ListView is
unusable at that size, while drawing only the visible rows with the Line API costs 4/15 ms.
Rows are built from `Segment`s of text made printable, never from markup: names and models
come from untrusted files.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from agentbench.core.model import Agent, Diagnostic, Severity
from agentbench.core.text.safe import printable

# Long enough for any real name; a 100 KB name is cut before it reaches the cell arithmetic.
_MAX_LABEL = 120


@dataclass(frozen=True, slots=True)
class Row:
    """One drawn line: an agent (index into the agents) or a group heading."""

    agent: int | None
    heading: str = ""


@dataclass(frozen=True, slots=True)
class Badge:
    errors: int = 0
    warnings: int = 0


def fuzzy_pattern(query: str) -> re.Pattern[str] | None:
    """A subsequence matcher for `query`; one compiled regex keeps 10,000 rows fast."""
    query = query.strip()
    if not query:
        return None
    return re.compile(".*?".join(re.escape(c) for c in query), re.IGNORECASE)


class AgentList(ScrollView, can_focus=True):
    """Every agent on one line: name, model (dim), handoff count and a problem badge."""

    DEFAULT_CSS = """
    AgentList {
        background: $surface;
        & > .agent-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .agent-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .agent-list--model { color: $text-muted; }
        & > .agent-list--count { color: $text-secondary; }
        & > .agent-list--error { color: $text-error; text-style: bold; }
        & > .agent-list--warning { color: $text-warning; }
        & > .agent-list--heading { color: $text-accent; text-style: bold; }
        & > .agent-list--empty { color: $text-muted; text-style: italic; }
        & > .agent-list--mark { color: $text-success; text-style: bold; }
    }
    """
    COMPONENT_CLASSES = {
        "agent-list--cursor", "agent-list--model", "agent-list--count", "agent-list--error",
        "agent-list--warning", "agent-list--heading", "agent-list--empty",
        "agent-list--mark",
    }
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False, id="list.up", tooltip="Previous agent"),
        Binding("down", "cursor_down", "Down", show=False, id="list.down",
                tooltip="Next agent"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up",
                tooltip="Up one page"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down",
                tooltip="Down one page"),
        Binding("home", "first", "First", show=False, id="list.first",
                tooltip="First agent"),
        Binding("end", "last", "Last", show=False, id="list.last", tooltip="Last agent"),
    ]

    class AgentSelected(Message):
        """The cursor moved onto an agent (by key or click)."""

        def __init__(self, agent_list: AgentList, name: str) -> None:
            super().__init__()
            self.agent_list = agent_list
            self.name = name

        @property
        def control(self) -> AgentList:
            return self.agent_list

    class FilterTyped(Message):
        """A printable key reached the list: the owner forwards it to the filter box."""

        def __init__(self, agent_list: AgentList, character: str) -> None:
            super().__init__()
            self.agent_list = agent_list
            self.character = character

        @property
        def control(self) -> AgentList:
            return self.agent_list

    cursor: reactive[int] = reactive(-1, always_update=False, init=False)

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._agents: list[Agent] = []
        self._labels: list[tuple[str, str]] = []
        self._badges: dict[str, Badge] = {}
        self._rows: list[Row] = []
        self._query = ""
        self._grouped = False
        self._root = ""
        self._name_width = 0
        # With --project: a mark per agent path (ui/features/project.py MARKS), and the paths
        # kept by "only agents that apply" (None: every agent). No marks: no mark column.
        self._marks: dict[str, str] = {}
        self._only: frozenset[str] | None = None

    # -- data ---------------------------------------------------------------------------------

    @property
    def agent_count(self) -> int:
        return len(self._agents)

    @property
    def visible_names(self) -> list[str]:
        return [self._agents[r.agent].name for r in self._rows if r.agent is not None]

    @property
    def highlighted(self) -> str | None:
        if 0 <= self.cursor < len(self._rows):
            index = self._rows[self.cursor].agent
            if index is not None:
                return self._agents[index].name
        return None

    def set_agents(self, agents: Iterable[Agent], badges: Mapping[str, Badge],
                   root: str = "") -> None:
        """Replace the agents, keeping the highlighted one when it still exists."""
        keep = self.highlighted
        # One stat for the whole list, not one per agent: 10,000 rows must stay fast.
        base = root if not root or os.path.isdir(root) else os.path.dirname(root)
        base = base.rstrip("/\\")
        self._agents = sorted(agents, key=lambda a: (*_group_key(a, base), a.path))
        self._labels = [(printable(a.name[:_MAX_LABEL]), printable((a.model or "")[:_MAX_LABEL]))
                        for a in self._agents]
        self._name_width = max((cell_len(n) for n, _ in self._labels), default=0)
        self._badges = dict(badges)
        groups = {_group_key(a, base) for a in self._agents}
        self._grouped = len(groups) > 1
        self._root = base
        self._rebuild(keep)

    def set_filter(self, query: str) -> None:
        if query != self._query:
            before = self.highlighted
            self._query = query
            self._rebuild(before)
            # Filtering away the selected agent selects the best remaining match.
            if self.highlighted is not None and self.highlighted != before:
                self.post_message(self.AgentSelected(self, self.highlighted))

    def set_marks(self, marks: Mapping[str, str], only: Iterable[str] | None = None) -> None:
        """Mark each agent (by path) in a column before its name; with `only`, show just
        those agents. Empty marks and no `only`: the list as without a project."""
        keep = self.highlighted
        self._marks = dict(marks)
        self._only = None if only is None else frozenset(only)
        self._rebuild(keep)
        if self.highlighted is not None and self.highlighted != keep:
            self.post_message(self.AgentSelected(self, self.highlighted))

    def select(self, name: str | None) -> None:
        """Move the cursor to `name` without posting AgentSelected (the caller knows)."""
        for index, row in enumerate(self._rows):
            if row.agent is not None and self._agents[row.agent].name == name:
                self.set_reactive(AgentList.cursor, index)
                self._scroll_to_cursor()
                self.refresh()
                return

    def _rebuild(self, keep: str | None) -> None:
        pattern = fuzzy_pattern(self._query)
        rows: list[Row] = []
        group: tuple[str, str] | None = None
        for index, agent in enumerate(self._agents):
            if pattern is not None and not pattern.search(agent.name):
                continue
            if self._only is not None and agent.path not in self._only:
                continue
            if self._grouped:
                key = _group_key(agent, self._root)
                if key != group:
                    group = key
                    rows.append(Row(None, printable(f"{key[0] or '.'}/ · {key[1]}")))
            rows.append(Row(index))
        self._rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        self.set_reactive(AgentList.cursor, -1)
        self.select(keep)
        if self.cursor == -1:
            # Quietly: the owner decides what is selected after a rebuild.
            first = self._next_agent_row(0, 1)
            if first is not None:
                self.set_reactive(AgentList.cursor, first)
        self.refresh()

    # -- movement -----------------------------------------------------------------------------

    def _next_agent_row(self, start: int, step: int) -> int | None:
        index = start
        while 0 <= index < len(self._rows):
            if self._rows[index].agent is not None:
                return index
            index += step
        return None

    def _move_to(self, target: int, step: int) -> None:
        target = max(0, min(target, len(self._rows) - 1))
        found = self._next_agent_row(target, step)
        if found is None:
            found = self._next_agent_row(target, -step)
        if found is not None:
            self.cursor = found

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        name = self.highlighted
        if name is not None:
            self.post_message(self.AgentSelected(self, name))

    def _scroll_to_cursor(self) -> None:
        if self.cursor < 0:
            return
        height = max(self.scrollable_content_region.height, 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1, -1)

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1, 1)

    def action_page_up(self) -> None:
        self._move_to(self.cursor - max(self.scrollable_content_region.height - 1, 1), -1)

    def action_page_down(self) -> None:
        self._move_to(self.cursor + max(self.scrollable_content_region.height - 1, 1), 1)

    def action_first(self) -> None:
        self._move_to(0, 1)

    def action_last(self) -> None:
        self._move_to(len(self._rows) - 1, -1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y + self.scroll_offset.y
        if 0 <= index < len(self._rows) and self._rows[index].agent is not None:
            self.cursor = index
        self.focus()

    def on_key(self, event: events.Key) -> None:
        # Type-to-filter: a printable key on the list starts (or extends) the filter.
        if event.is_printable and event.character and event.character not in "?/":
            event.stop()
            event.prevent_default()
            self.post_message(self.FilterTyped(self, event.character))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._rows))

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        base = self.rich_style
        if not self._rows:
            if y == 0:
                message = "no agents match" if self._agents else "no agents"
                style = self.get_component_rich_style("agent-list--empty")
                return Strip([Segment(set_cell_size(f" {message}", width), base + style)],
                             width)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[index]
        if row.agent is None:
            style = base + self.get_component_rich_style("agent-list--heading")
            return Strip([Segment(set_cell_size(f" {row.heading}", width), style)], width)
        row_style = base
        if index == self.cursor:
            row_style = base + self.get_component_rich_style("agent-list--cursor")
        return Strip(self._agent_segments(row.agent, width, row_style), width)

    def _agent_segments(self, index: int, width: int, row_style: Style) -> list[Segment]:
        agent = self._agents[index]
        name, model = self._labels[index]
        style = self.get_component_rich_style
        badge = self._badges.get(agent.path, Badge())
        right: list[Segment] = [Segment(f" →{len(agent.handoffs)}",
                                        row_style + style("agent-list--count"))]
        if badge.errors:
            right.append(Segment(f" ✖{badge.errors}", row_style + style("agent-list--error")))
        if badge.warnings:
            right.append(Segment(f" ▲{badge.warnings}",
                                 row_style + style("agent-list--warning")))
        right.append(Segment(" ", row_style))
        right_width = sum(cell_len(s.text) for s in right)
        room = max(width - right_width - 1, 0)
        left = [Segment(" ", row_style)]
        if self._marks:  # the mark column (only with a project)
            mark = set_cell_size(self._marks.get(agent.path, " "), 1)
            kind = "agent-list--mark" if mark == "✓" else "agent-list--model"
            left += [Segment(mark, row_style + style(kind)), Segment(" ", row_style)]
            room = max(room - 2, 0)
        # Names padded to one column so models line up, unless that leaves no room for them.
        column = min(self._name_width, max(room * 3 // 5, cell_len(name)), room)
        name_text = set_cell_size(name, column)
        left.append(Segment(name_text, row_style))
        spare = room - cell_len(name_text)
        if model and spare > 2:
            model_text = set_cell_size(" " + model, min(cell_len(model) + 1, spare))
            left.append(Segment(model_text, row_style + style("agent-list--model")))
            spare -= cell_len(model_text)
        left.append(Segment(" " * max(spare, 0), row_style))
        return [*left, *right]


def _group_key(agent: Agent, base: str) -> tuple[str, str]:
    """(folder relative to the library, dialect): the groups shown when a library mixes them."""
    folder = os.path.dirname(agent.path)
    if base and (folder == base or folder.startswith(base + os.sep)):
        folder = folder[len(base) + 1 :]
    return (folder, str(agent.dialect))


def badges_from(diagnostics: tuple[Diagnostic, ...]) -> dict[str, Badge]:
    """Error and warning counts by agent file: by path, not name, so two files that define
    the same agent each show their own."""
    errors = Counter(d.path for d in diagnostics if d.severity is Severity.ERROR and d.agent)
    warnings = Counter(d.path for d in diagnostics
                       if d.severity is Severity.WARNING and d.agent)
    return {path: Badge(errors[path], warnings[path]) for path in {*errors, *warnings}}
