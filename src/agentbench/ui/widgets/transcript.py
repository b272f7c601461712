"""The walk so far: the start, then each step as from-agent → label → to-agent, the exact prompt
sent, and the canned reply. Option 0 is the start, option N is step N, so "branch from the
highlighted entry" is `run.branch(highlighted)`.

Agent names, labels, prompts and replies are untrusted: options are built as `Content`.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from agentbench.core.flow.walk import Step
from agentbench.ui.widgets.flow_card import one_line

# A prompt longer than this is shown cut in the list (the export has it whole).
MAX_SHOWN = 1500


def _block(text: str) -> str:
    return one_line(text, MAX_SHOWN)


def step_content(number: int, step: Step) -> Content:
    """One step: from → label → to, how it was sent, the exact prompt, the reply."""
    how = ("sent at once" if step.send else "edited, then sent" if step.edited
           else "sent as rendered")
    parts: list[Content] = [
        Content.assemble((f"{number}. ", "bold $text-accent"), (one_line(step.source, 40), "bold"),
                         " → ", (one_line(step.label or "(no label)", 40), "italic"), " → ",
                         (one_line(step.target, 40), "bold")),
        Content.styled(how, "italic $text-warning" if step.edited else "italic $text-muted"),
        Content.assemble("“", _block(step.prompt), "”"),
    ]
    if step.unfilled:
        names = ", ".join("{{" + one_line(n, 30) + "}}" for n in step.unfilled)
        parts.append(Content.styled(f"unfilled: {names}", "$text-error"))
    if step.reply:
        parts.append(Content.assemble(("↩ ", "bold $text-success"),
                                      (_block(step.reply), "$text-success")))
    return Content("\n").join(parts)


class Transcript(OptionList):
    """Focusable list of the walk; the screen's b / e keys act on the highlighted entry."""

    def show(self, start: str, steps: Sequence[Step], keep: int | None = None) -> None:
        """Show the walk and highlight entry `keep` (default: the last step)."""
        options: list[Option | None] = [Option(Content.assemble(
            ("0. ", "bold $text-accent"), "start at ", (one_line(start, 60), "bold")))]
        for number, step in enumerate(steps, 1):
            options += [None, Option(step_content(number, step))]
        self.set_options(options)
        chosen = len(steps) if keep is None else max(0, min(keep, len(steps)))
        self.highlighted = chosen
        self.scroll_to_highlight()
