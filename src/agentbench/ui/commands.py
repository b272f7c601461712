"""Command palette entries built from live state: every agent, every profile, the views.

Agent names and descriptions are untrusted, and the palette parses `str` prompts as markup
(and `Matcher.highlight` does too), so prompts are built as `Content` here and matches are
highlighted by offsets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from agentbench.core.text.safe import printable
from agentbench.ui.project import palette_entries
from agentbench.ui.screens.flow_files import flow_screen, open_flow, start_export, start_record
from agentbench.ui.widgets.graph_exports import Format
from agentbench.ui.widgets.graph_view import GraphView, Mode

if TYPE_CHECKING:
    from agentbench.ui.app import AgentbenchApp


@dataclass(frozen=True, slots=True)
class Entry:
    text: str
    detail: str
    run: Callable[[], object]


def _graph_view(app: AgentbenchApp) -> GraphView:
    return app.screen_stack[0].query_one(GraphView)


def _graph_export(app: AgentbenchApp, fmt: Format, save: bool) -> None:
    _graph_view(app).export(fmt, save, app.library)


def _graph_mode(app: AgentbenchApp, mode: Mode) -> None:
    app.show_view("tab-graph")
    _graph_view(app).set_mode(mode, focus=True)


def _graph_entries(app: AgentbenchApp) -> list[Entry]:
    root = "the library root"
    return [
        Entry("Copy graph as Mermaid", "The handoff graph as a Mermaid flowchart",
              partial(_graph_export, app, "mermaid", False)),
        Entry("Save graph as Mermaid", f"handoffs.mmd in {root}",
              partial(_graph_export, app, "mermaid", True)),
        Entry("Copy graph as DOT", "The handoff graph as Graphviz DOT",
              partial(_graph_export, app, "dot", False)),
        Entry("Save graph as DOT", f"handoffs.dot in {root}",
              partial(_graph_export, app, "dot", True)),
        Entry("Graph: focus mode", "Only the selected agent's 1-2 step neighbourhood",
              partial(_graph_mode, app, "focus")),
        Entry("Graph: handoff tree", "Agent → handoff → target, ↺ where it loops back",
              partial(_graph_mode, app, "tree")),
    ]


class WorkbenchCommands(Provider):
    def _entries(self) -> list[Entry]:
        app = cast("AgentbenchApp", self.app)
        entries: list[Entry] = []
        library = app.library
        if library is not None:
            for agent in library.agents:
                name = printable(agent.name[:80])
                entries.append(Entry(f"Jump to agent: {name}",
                                     printable(agent.description[:100]),
                                     partial(app.select_agent, agent.name)))
                entries.append(Entry(f"Start flow at {name}",
                                     "Walk the handoffs from this agent (flow mode)",
                                     partial(open_flow, app, agent.name)))
            workspace = library.workspace
            for profile in workspace.profiles if workspace else ():
                entries.append(Entry(f"Switch profile: {printable(profile[:60])}",
                                     "Fill placeholders from this profile",
                                     partial(app.switch_profile, profile)))
        entries += [
            Entry("Toggle problems panel", "Show or hide all diagnostics",
                  app.action_toggle_problems),
            Entry("Toggle variables panel", "Show or hide placeholder values",
                  app.action_toggle_variables),
            Entry("Show preview", "The prompt as the model sees it",
                  partial(app.show_view, "tab-preview")),
            Entry("Show source", "The file as written", partial(app.show_view, "tab-source")),
            Entry("Show graph", "The handoff graph", partial(app.show_view, "tab-graph")),
            Entry("Clear session values", "Forget values typed in this session",
                  app.action_clear_session),
            Entry("New agent…", "Create an agent file (ctrl+n)", app.action_new_agent),
            Entry("Rename agent…", "Rename the selected agent, its file and handoffs to it",
                  app.action_rename_agent),
            Entry("Edit handoffs…", "Add, edit, reorder or remove the selected agent's handoffs",
                  app.action_edit_handoffs),
            Entry("Edit in place" if app.editing.pane is None else "Close the editor",
                  "The selected agent's file beside its live preview, linted as you type"
                  " (ctrl+e)", app.action_edit),
            Entry("Open in editor", "The selected agent's file in $VISUAL/$EDITOR (ctrl+o)",
                  app.action_open_in_editor),
            Entry("Undo last change", "Undo the last write made from the workbench (ctrl+z)",
                  app.action_undo_write),
            Entry("Reload from disk", "Read the library again, and follow files again if that"
                  " had stopped (ctrl+r)", app.action_reload),
            *_graph_entries(app),
            *(Entry(*entry) for entry in palette_entries(app)),
        ]
        walk = flow_screen(app)
        if walk is not None and walk.run is not None and walk.run.steps:
            entries += [
                Entry("Export flow", "The walk as Markdown (transcript + Mermaid) in flows/",
                      partial(start_export, walk)),
                Entry("Record flow", "The walk as flows/NAME.yaml, to replay with demo",
                      partial(start_record, walk)),
            ]
        return entries

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
