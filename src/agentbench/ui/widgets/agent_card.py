"""The header card of the selected agent: description, model, dialect, triggers, handoffs.

Every string here comes from an agent file, so it is built into `Content` (never markup).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalGroup
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from agentbench.core.model import Agent, Handoff
from agentbench.core.text.safe import printable

_MAX_SHOWN = 300


def _one_line(text: str, limit: int = _MAX_SHOWN) -> str:
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HandoffButton(Button):
    """A handoff of the selected agent; pressing it jumps to the target."""

    def __init__(self, handoff: Handoff, dangling: bool) -> None:
        arrow = "→" if not handoff.send else "⇒"
        label = Content.assemble(_one_line(handoff.label or "(no label)", 40), f" {arrow} ",
                                 (_one_line(handoff.target, 40), "bold"))
        if dangling:
            label = label.append(Content.styled(" (missing)", "italic"))
        tooltip = Content.assemble(
            "sends at once" if handoff.send else "pre-fills, you send",
            "\n", _one_line(handoff.prompt, 400),
        )
        super().__init__(label, compact=True, tooltip=tooltip,
                         variant="error" if dangling else "default")
        self.handoff = handoff
        self.dangling = dangling
        if dangling:
            self.add_class("-dangling")


class AgentCard(VerticalGroup):
    BINDINGS = [
        Binding("h", "app.edit_handoffs", "Edit handoffs", id="card.edit_handoffs",
                tooltip="Add, edit, reorder or remove this agent's handoffs"),
        Binding("r", "app.rename_agent", "Rename", id="card.rename_agent",
                tooltip="Rename this agent (its file and every handoff to it)"),
    ]

    class HandoffChosen(Message):
        def __init__(self, card: AgentCard, target: str) -> None:
            super().__init__()
            self.card = card
            self.target = target

        @property
        def control(self) -> AgentCard:
            return self.card

    def compose(self) -> ComposeResult:
        yield Static(id="card-title")
        yield Static(id="card-description")
        yield Static(id="card-triggers")
        match = Static(id="card-match")
        match.display = False  # shown only with a project (show_match)
        yield match
        yield VerticalGroup(id="card-handoffs")

    def show(self, agent: Agent | None, known: Collection[str]) -> None:
        title = self.query_one("#card-title", Static)
        description = self.query_one("#card-description", Static)
        triggers = self.query_one("#card-triggers", Static)
        handoffs = self.query_one("#card-handoffs", VerticalGroup)
        handoffs.remove_children()
        if agent is None:
            title.update(Content.styled("No agent selected", "$text-muted"))
            description.update("")
            triggers.update("")
            return
        title.update(Content.assemble(
            (_one_line(agent.name, 80), "bold $text-accent"),
            "  ", (_one_line(agent.model or "model not set", 60), "$text-muted"),
            "  ", (str(agent.dialect), "italic $text-secondary"),
            "  ", (agent.path and _one_line(agent.path, 120), "$text-muted"),
        ))
        description.update(Content(_one_line(agent.description or "(no description)")))
        if agent.triggers:
            triggers.update(Content.assemble(("When: ", "bold $text-muted"),
                                             _one_line(" · ".join(agent.triggers))))
        else:
            triggers.update("")
        triggers.display = bool(agent.triggers)
        if agent.handoffs:
            handoffs.mount_all(HandoffButton(h, h.target not in known) for h in agent.handoffs)
        handoffs.display = bool(agent.handoffs)

    def show_match(self, status: str | None,
                   matches: Sequence[tuple[str, Sequence[str]]]) -> None:
        """With a project: whether the agent applies, each trigger that matched and why
        ("FastAPI (pyproject.toml:5)"). `status` None hides the line."""
        line = self.query_one("#card-match", Static)
        line.display = status is not None
        if status is None:
            return
        if not matches:
            what = {"always": "Always available (no project triggers)",
                    "on-request": "Used on request (its triggers name nothing in a project)",
                    }.get(status, "Not triggered by this project")
            line.update(Content.styled(what, "$text-muted"))
            return
        parts: list[Content | str | tuple[str, str]] = [
            ("Applies to the project", "bold $text-success")]
        for trigger, reasons in matches[:4]:
            parts += ["\n", ("✓ ", "$text-success"), _one_line(trigger, 120),
                      ("  ← ", "$text-muted"), (_one_line("; ".join(reasons), 160), "italic")]
        if len(matches) > 4:
            parts += ["\n", (f"and {len(matches) - 4} more", "$text-muted")]
        line.update(Content.assemble(*parts))

    @on(Button.Pressed, "HandoffButton")
    def _jump(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        assert isinstance(button, HandoffButton)
        if button.dangling:
            self.app.notify(f"No agent named '{_one_line(button.handoff.target, 60)}' in this"
                            " library", severity="warning", markup=False)
            return
        self.post_message(self.HandoffChosen(self, button.handoff.target))
