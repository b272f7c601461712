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

from agentbench.core.safe_text import printable

if TYPE_CHECKING:
    from agentbench.ui.app import AgentbenchApp


@dataclass(frozen=True, slots=True)
class Entry:
    text: str
    detail: str
    run: Callable[[], object]


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
