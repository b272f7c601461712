"""The rendered prompt: placeholders filled, each fill marked, unfilled ones counted and loud."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agentbench.core.model import Agent
from agentbench.core.placeholders import Rendered, Values
from agentbench.core.text.safe import printable
from agentbench.ui.rendering import marked_preview
from agentbench.ui.widgets.marked_text import MarkedTextArea


class PreviewPane(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.last: Rendered | None = None
        self._agent_path: str | None = None
        self._last_status: Content | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="preview-status")
        yield MarkedTextArea(language="markdown", soft_wrap=True, read_only=True,
                             id="preview-text")

    @property
    def text_area(self) -> MarkedTextArea:
        return self.query_one("#preview-text", MarkedTextArea)

    def show(self, agent: Agent | None, values: Values) -> None:
        if agent is None:
            self.last = None
            self._agent_path = None
            self._status(Content.styled("Select an agent to preview its prompt", "$text-muted"))
            self.text_area.show("", [])
            return
        marked, rendered = marked_preview(agent.body, values)
        self.last = rendered
        filled = len(set(rendered.used) - set(rendered.unfilled))
        if rendered.unfilled:
            names = ", ".join("{{" + printable(n) + "}}" for n in rendered.unfilled)
            self._status(Content.assemble(
                (f" {len(rendered.unfilled)} unfilled ", "bold $text on $error"),
                " ", (names[:400], "$text-error"), f"  · {filled} filled",
            ))
        elif rendered.used:
            self._status(Content.assemble((" all filled ", "bold $text on $success-muted"),
                                          f"  {filled} placeholders"))
        else:
            self._status(Content.styled("no placeholders", "$text-muted"))
        same_agent = self._agent_path == agent.path
        self._agent_path = agent.path
        self.text_area.show(marked.text, marked.marks, keep_scroll=same_agent)

    def _status(self, content: Content) -> None:
        # An update costs a layout pass and a full repaint (~10 ms with 1,000 agents listed);
        # a reload of the file being read usually leaves the status as it was.
        if content != self._last_status:
            self._last_status = content
            self.query_one("#preview-status", Static).update(content)
