"""All diagnostics of the library in a table, filterable by severity and by agent."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Select, Static

from agentbench.core.model import Diagnostic, Library, Severity
from agentbench.core.text.safe import printable

# DataTable cells are Rich Text, so theme colours are looked up from the theme's variables.
_SEVERITY_VARIABLE = {Severity.ERROR: "text-error", Severity.WARNING: "text-warning",
                      Severity.INFO: "text-secondary"}
_SEVERITY_ICON = {Severity.ERROR: "✖ error", Severity.WARNING: "▲ warning",
                  Severity.INFO: "● info"}
# Rows listed at most. Filling a DataTable costs ~90 µs a row: 16,000 problems (a 1,000-agent
# library with unfilled placeholders) froze the screen for 1.5 s on every reload while the
# panel was open. The filters narrow what is listed; the title always counts everything.
MAX_ROWS = 500


class ProblemsPanel(Vertical):
    BINDINGS = [
        Binding("x", "app.quick_fix", "Quick fix", id="problems.quick_fix",
                tooltip="Fix the highlighted problem (shows the change first)"),
    ]

    class ProblemChosen(Message):
        def __init__(self, panel: ProblemsPanel, diagnostic: Diagnostic) -> None:
            super().__init__()
            self.panel = panel
            self.diagnostic = diagnostic

        @property
        def control(self) -> ProblemsPanel:
            return self.panel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._all: Sequence[Diagnostic] = ()
        self._shown: list[Diagnostic] = []
        self._agent: str | None = None
        self._root = ""
        self._library: Library | None = None  # what the table was last filled from

    def compose(self) -> ComposeResult:
        with HorizontalGroup(id="problems-bar"):
            yield Static("Problems", id="problems-title")
            yield Select[str](
                [("All severities", "all"), ("Errors", "error"), ("Warnings", "warning"),
                 ("Info", "info")],
                value="all", allow_blank=False, compact=True, id="problems-severity",
            )
            yield Checkbox("Selected agent only", compact=True, id="problems-agent-only")
        table: DataTable[Text] = DataTable(id="problems-table", cursor_type="row",
                                           zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Severity", key="severity", width=10)
        table.add_column("Code", key="code", width=6)
        table.add_column("Where", key="where", width=30)
        table.add_column("Message", key="message")
        self.watch(self.app, "theme", lambda _theme: self._refill(), init=False)

    @property
    def shown(self) -> list[Diagnostic]:
        return list(self._shown)

    @property
    def highlighted(self) -> Diagnostic | None:
        """The diagnostic on the table's cursor row, if any."""
        table: DataTable[Text] = self.query_one(DataTable)
        row = table.cursor_row
        return self._shown[row] if table.row_count and 0 <= row < len(self._shown) else None

    def show(self, diagnostics: Sequence[Diagnostic], agent: str | None,
             root: str = "") -> None:
        self._all = diagnostics
        self._root = root
        self._agent = agent
        self._refill()

    def follow(self, library: Library | None, selected: str | None, root: str) -> None:
        """Fill the table from `library`, only while it is shown: even capped at MAX_ROWS a
        fill and its layout cost ~100 ms, which a hidden panel must not add to each reload."""
        if self.display and library is not None and self._library is not library:
            self._library = library
            self.show(library.diagnostics, selected, root)

    def toggle(self, library: Library | None, selected: str | None, root: str) -> None:
        self.display = not self.display
        if self.display:
            self.follow(library, selected, root)
            self.query_one("#problems-table").focus()

    def select_agent(self, agent: str | None) -> None:
        self._agent = agent
        if self.query_one("#problems-agent-only", Checkbox).value:
            self._refill()

    @on(Select.Changed, "#problems-severity")
    @on(Checkbox.Changed, "#problems-agent-only")
    def _filters_changed(self, event: Select.Changed | Checkbox.Changed) -> None:
        event.stop()
        self._refill()

    def _refill(self) -> None:
        severity = self.query_one("#problems-severity", Select).value
        only_agent = self.query_one("#problems-agent-only", Checkbox).value
        shown = [
            d for d in self._all
            if (severity == "all" or str(d.severity) == severity)
            and (not only_agent or d.agent == self._agent)
        ]
        hidden = len(shown) - MAX_ROWS
        shown = shown[:MAX_ROWS]
        self._shown = shown
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear()
        variables = self.app.theme_variables
        styles = {s: Style(color=variables.get(v), bold=s is Severity.ERROR)
                  for s, v in _SEVERITY_VARIABLE.items()}
        for index, d in enumerate(shown):
            table.add_row(
                Text(_SEVERITY_ICON[d.severity], style=styles[d.severity]),
                Text(printable(d.code)),
                Text(printable(f"{self._where(d.path)}:{d.line}")[-60:], no_wrap=True),
                Text(printable(d.message)[:500]),
                key=str(index),
            )
        if hidden > 0:
            table.add_row(Text(""), Text(""), Text(""),
                          Text(f"… {hidden:,} more not listed: choose a severity or"
                               " 'Selected agent only' to see them", style="italic"),
                          key="more")
        counts = {s: sum(d.severity is s for d in self._all) for s in Severity}
        self.query_one("#problems-title", Static).update(Content.assemble(
            ("Problems ", "bold"),
            (f"✖{counts[Severity.ERROR]} ", "$text-error"),
            (f"▲{counts[Severity.WARNING]} ", "$text-warning"),
            (f"●{counts[Severity.INFO]}", "$text-secondary"),
        ))

    def _where(self, path: str) -> str:
        """Paths relative to the library's folder: the file and line must fit the column."""
        root = self._root.rstrip("/\\")
        if root and path.startswith(root + os.sep):
            return path[len(root) + 1 :]
        return path

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        value = event.row_key.value
        index = int(value) if value and value.isdigit() else -1
        if 0 <= index < len(self._shown):
            self.post_message(self.ProblemChosen(self, self._shown[index]))
