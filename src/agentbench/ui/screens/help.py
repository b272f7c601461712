"""The help screen: every key of the workbench, read from the live bindings."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

_EXTRA_KEYS = (
    ("↑ ↓ PgUp PgDn Home End", "Move in the agent list"),
    ("type a letter", "Filter the agent list (fuzzy)"),
    ("Enter (problems)", "Jump to the problem's agent and line"),
    ("Enter, click (editor)", "Editor: move the cursor to the problem listed under it"),
    ("Tab / Shift+Tab", "Move between panels"),
    ("ctrl+p", "Command palette: jump to agent, switch profile, toggle views"),
    ("ctrl+q", "Quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close", id="help.close",
                tooltip="Close the help screen"),
    ]

    def __init__(self, bindings: list[Binding], rows: Sequence[tuple[str, str]] = ()) -> None:
        """`rows`: (keys, what) shown after the keys (the list marks with a project)."""
        super().__init__()
        self._keys = bindings
        self._rows = tuple(rows)

    def compose(self) -> ComposeResult:
        rows: list[Content] = [Content.styled("agentbench — keys", "bold $text-accent"),
                               Content("")]
        seen: set[str] = set()
        for binding in self._keys:
            if binding.action in seen or not binding.description:
                continue
            seen.add(binding.action)
            keys = ", ".join(self.app.get_key_display(Binding(k.strip(), ""))
                             for k in binding.key.split(","))
            rows.append(Content.assemble((f"{keys:<24}", "bold $text-accent"), "  ",
                                         binding.tooltip or binding.description))
        for keys, what in (*_EXTRA_KEYS, *self._rows):
            rows.append(Content.assemble((f"{keys:<24}", "bold $text-accent"), "  ", what))
        rows += [Content(""), Content.styled("Esc closes this screen", "$text-muted")]
        with VerticalScroll(id="help-body"):
            yield Static(Content("\n").join(rows), id="help-text")
