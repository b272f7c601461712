"""Command palette entries built from live state: every agent, every profile, the actions
table (ui/actions.py), the graph, the project and the flow.

Agent names and descriptions are untrusted, and the palette parses `str` prompts as markup
(and `Matcher.highlight` does too), so prompts are built as `Content` here and matches are
highlighted by offsets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from agentbench.core.text.safe import printable
from agentbench.ui.actions import palette_actions
from agentbench.ui.features.export import open_export
from agentbench.ui.features.notifier import Notify
from agentbench.ui.main.presenter import Presenter
from agentbench.ui.main.views import Views
from agentbench.ui.screens.flow_files import start_export, start_record
from agentbench.ui.screens.flow_walk import WalkScreen
from agentbench.ui.state import WorkbenchState
from agentbench.ui.widgets.graph_exports import Format
from agentbench.ui.widgets.graph_view import Mode

EXPORTS = (("vscode", "VS Code"), ("claude", "Claude Code"), ("cursor", "Cursor"))


@dataclass(frozen=True, slots=True)
class Entry:
    text: str
    detail: str
    run: Callable[[], object]


@dataclass(frozen=True, slots=True)
class Palette:
    """What the palette offers, from the state and the app's actions; the app owns one, and
    `WorkbenchCommands` (which Textual builds itself) finds it on the app."""

    state: WorkbenchState
    presenter: Presenter
    views: Views
    notify: Notify
    # action(name): the app's action_<name>; editing(): whether the editor is open.
    action: Callable[[str], Callable[[], object]]
    editing: Callable[[], bool]
    select: Callable[[str], object]
    open_flow: Callable[[str], object]
    switch_profile: Callable[[str], object]
    push: Callable[..., object]
    project: Callable[[], Sequence[tuple[str, str, Callable[[], object]]]]
    walk: Callable[[], WalkScreen | None]

    def entries(self) -> list[Entry]:
        entries: list[Entry] = []
        library = self.state.library
        if library is not None:
            for agent in library.agents:
                name = printable(agent.name[:80])
                entries.append(Entry(f"Jump to agent: {name}",
                                     printable(agent.description[:100]),
                                     partial(self.select, agent.name)))
                entries.append(Entry(f"Start flow at {name}",
                                     "Walk the handoffs from this agent (flow mode)",
                                     partial(self.open_flow, agent.name)))
            workspace = library.workspace
            for profile in workspace.profiles if workspace else ():
                entries.append(Entry(f"Switch profile: {printable(profile[:60])}",
                                     "Fill placeholders from this profile",
                                     partial(self.switch_profile, profile)))
        for action in palette_actions():
            text = action.palette_open if action.palette_open and self.editing() \
                else action.palette
            entries.append(Entry(text, action.detail, self.action(action.name)))
        entries += self._graph_entries()
        entries += [Entry(*entry) for entry in self.project()]
        entries += [Entry(f"Export for {tool}…",
                          f"Write every agent, placeholders filled, in {tool}'s format",
                          partial(open_export, self.state, self.push, self.notify, target))
                    for target, tool in EXPORTS]
        walk = self.walk()
        if walk is not None and walk.run is not None and walk.run.steps:
            entries += [
                Entry("Export flow", "The walk as Markdown (transcript + Mermaid) in flows/",
                      partial(start_export, walk)),
                Entry("Record flow", "The walk as flows/NAME.yaml, to replay with demo",
                      partial(start_record, walk)),
            ]
        return entries

    def _graph_export(self, fmt: Format, save: bool) -> None:
        self.presenter.workbench_graph.export(fmt, save, self.state.library)

    def _graph_mode(self, mode: Mode) -> None:
        self.views.show("tab-graph")
        self.presenter.workbench_graph.set_mode(mode, focus=True)

    def _graph_entries(self) -> list[Entry]:
        root = "the library root"
        export, mode = self._graph_export, self._graph_mode
        return [
            Entry("Copy graph as Mermaid", "The handoff graph as a Mermaid flowchart",
                  partial(export, "mermaid", False)),
            Entry("Save graph as Mermaid", f"handoffs.mmd in {root}",
                  partial(export, "mermaid", True)),
            Entry("Copy graph as DOT", "The handoff graph as Graphviz DOT",
                  partial(export, "dot", False)),
            Entry("Save graph as DOT", f"handoffs.dot in {root}", partial(export, "dot", True)),
            Entry("Graph: focus mode", "Only the selected agent's 1-2 step neighbourhood",
                  partial(mode, "focus")),
            Entry("Graph: handoff tree", "Agent → handoff → target, ↺ where it loops back",
                  partial(mode, "tree")),
        ]


class WorkbenchCommands(Provider):
    def _entries(self) -> list[Entry]:
        palette = getattr(self.app, "palette", None)
        return palette.entries() if isinstance(palette, Palette) else []

    def _prompt(self, entry: Entry, title: Content) -> Content:
        if not entry.detail:
            return title
        return Content.assemble(title, "\n", (entry.detail, "$text-muted"))

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(self._prompt(entry, Content(entry.text)), entry.run,
                               text=entry.text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.text)
            if score > 0:
                yield Hit(score, self._prompt(entry, self._highlight(matcher, entry.text)),
                          entry.run, text=entry.text)

    @staticmethod
    def _highlight(matcher: Matcher, text: str) -> Content:
        content = Content(text)
        _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
        for offset in offsets:
            content = content.stylize("bold $text-accent underline", offset, offset + 1)
        return content
