"""The flow screen's current agent: a card (name, model, description), its rendered prompt in
a collapsible, and its handoffs as buttons (a dangling one disabled, with the reason).

Every string here comes from an agent file, so it is built into `Content` (never markup).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Collapsible, Static

from agentbench.core.flow.walk import Choice
from agentbench.core.model import Agent
from agentbench.core.placeholders import Values
from agentbench.core.text.safe import printable
from agentbench.ui.rendering import marked_preview
from agentbench.ui.widgets.marked_text import MarkedTextArea

_LIMIT = 300


def one_line(text: str, limit: int = _LIMIT) -> str:
    """Untrusted text made printable, on one line, cut to `limit` characters."""
    text = " ".join(printable(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FlowHandoffButton(Button):
    """One handoff of the current agent; disabled (with the reason) when it cannot be taken."""

    def __init__(self, number: int, choice: Choice) -> None:
        handoff = choice.handoff
        how = ("sends at once", "$text-warning") if handoff.send else ("edit, then send",
                                                                        "$text-muted")
        label = Content.assemble(
            (f"{number} ", "bold $text-accent"), one_line(handoff.label or "(no label)", 40),
            " → ", (one_line(handoff.target, 40), "bold"), "  ")
        if not choice.available:
            # In place of how it sends, so a long label (cut with an ellipsis) keeps it.
            label = label.append(Content.styled(f"⊘ {one_line(choice.reason, 80)}",
                                                "italic $text-error"))
        else:
            label = label.append(Content.styled(*how))
        if choice.available and choice.needs:
            asks = ", ".join("{{" + one_line(n, 30) + "}}" for n in choice.needs)
            label = label.append(Content.styled(f"  asks {asks}", "italic $text-muted"))
        tooltip = Content.assemble(one_line(choice.reason, 200) + "\n" if choice.reason else "",
                                   one_line(choice.preview.text, 400))
        super().__init__(label, compact=True, tooltip=tooltip,
                         disabled=not choice.available)
        self.choice = choice
        if not choice.available:
            self.add_class("-dangling")


class FlowCard(VerticalGroup):
    """Shows one agent of the walk; posts HandoffChosen when one of its handoffs is pressed."""

    class HandoffChosen(Message):
        def __init__(self, card: FlowCard, choice: Choice) -> None:
            super().__init__()
            self.card = card
            self.choice = choice

        @property
        def control(self) -> FlowCard:
            return self.card

    def compose(self) -> ComposeResult:
        yield Static(id="flow-agent-title")
        yield Static(id="flow-agent-description")
        with Collapsible(title="Prompt", collapsed=True, id="flow-prompt"):
            yield MarkedTextArea(language="markdown", soft_wrap=True, read_only=True,
                                 id="flow-prompt-text")
        yield Static(id="flow-handoffs-heading")
        yield VerticalGroup(id="flow-handoffs")

    @property
    def buttons(self) -> list[FlowHandoffButton]:
        return list(self.query(FlowHandoffButton))

    def show(self, agent: Agent | None, name: str, choices: tuple[Choice, ...]) -> None:
        """Show `agent` (None: `name` is not an agent any more) and its handoff choices."""
        title = self.query_one("#flow-agent-title", Static)
        description = self.query_one("#flow-agent-description", Static)
        heading = self.query_one("#flow-handoffs-heading", Static)
        prompt = self.query_one("#flow-prompt", Collapsible)
        handoffs = self.query_one("#flow-handoffs", VerticalGroup)
        handoffs.remove_children()
        if agent is None:
            title.update(Content.assemble((one_line(name, 80), "bold $text-error"),
                                          ("  not an agent in this library", "$text-muted")))
            description.update("")
            heading.update("")
            prompt.display = False
            return
        prompt.display = True
        title.update(Content.assemble(
            (one_line(agent.name, 80), "bold $text-accent"),
            "  ", (one_line(agent.model or "model not set", 60), "$text-muted"),
            "  ", (one_line(agent.path, 120), "$text-muted")))
        description.update(Content(one_line(agent.description or "(no description)")))
        if choices:
            heading.update(Content.styled("Handoffs", "bold"))
            handoffs.mount_all(FlowHandoffButton(n, c) for n, c in enumerate(choices, 1))
        else:
            heading.update(Content.styled("No handoffs: the walk ends here.", "$text-muted"))

    def show_prompt(self, body: str, values: Values) -> None:
        """The current agent's prompt, rendered, with fills marked; its status in the title."""
        marked, rendered = marked_preview(body, values)
        self.query_one("#flow-prompt-text", MarkedTextArea).show(marked.text, marked.marks)
        lines = len(marked.text.splitlines())
        state = (f"{len(rendered.unfilled)} unfilled" if rendered.unfilled
                 else "all filled" if rendered.used else "no placeholders")
        self.query_one("#flow-prompt", Collapsible).title = f"Prompt · {lines} lines · {state}"

    def toggle_prompt(self) -> None:
        prompt = self.query_one("#flow-prompt", Collapsible)
        prompt.collapsed = not prompt.collapsed

    @on(Button.Pressed, "FlowHandoffButton")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        assert isinstance(button, FlowHandoffButton)
        if button.choice.available:
            self.post_message(self.HandoffChosen(self, button.choice))
