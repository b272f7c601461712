"""A read-only TextArea that marks stretches of text (filled and unfilled placeholders).

Why a TextArea: measured, the Markdown widget takes 78 ms for a 10 KB prompt (several frames
per keystroke in the variables panel) while a read-only TextArea with markdown highlighting
takes 12 ms, and it also gives selection, copy and line navigation for free. Its text is never
parsed as markup, so untrusted agent text cannot style or act on the app.

Marks are added on top of the tree-sitter highlights, so they win. Their styles come from
component classes, so they follow the app theme through $variables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

MarkKind = Literal["filled", "unfilled", "placeholder"]
_KINDS: tuple[MarkKind, ...] = ("filled", "unfilled", "placeholder")


@dataclass(frozen=True, slots=True)
class Mark:
    """A stretch of one document line, in characters: [start, end)."""

    row: int
    start: int
    end: int
    kind: MarkKind


class MarkedTextArea(TextArea):
    DEFAULT_CSS = """
    MarkedTextArea {
        & > .marked--filled { background: $success-muted; text-style: underline; }
        & > .marked--unfilled { background: $error; color: $text; text-style: bold; }
        & > .marked--placeholder { background: $accent-muted; text-style: bold; }
    }
    """
    COMPONENT_CLASSES = TextArea.COMPONENT_CLASSES | {f"marked--{k}" for k in _KINDS}
    BINDINGS = [
        # Read-only text has nothing to undo: ctrl+z undoes the last write, as elsewhere.
        Binding("ctrl+z", "app.undo_write", "Undo", show=False, id="marked.undo_write",
                tooltip="Undo the last change written from the workbench"),
    ]

    _marks_by_row: dict[int, list[Mark]]

    def show(self, text: str, marks: list[Mark], *, keep_scroll: bool = False) -> None:
        """Replace the text and its marks in one go (one highlight pass, one refresh).

        `keep_scroll` holds the view still while a value is typed: the reader is looking at
        the place where it lands, not at the top.
        """
        self._marks_by_row = defaultdict(list)
        for mark in marks:
            self._marks_by_row[mark.row].append(mark)
        scroll = self.scroll_offset
        self.load_text(text)
        if keep_scroll:
            self.scroll_to(scroll.x, scroll.y, animate=False, immediate=True)
        # load_text only repaints when the wrapped height changes; a value of the same
        # length would otherwise leave the old text on screen.
        self.refresh()

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        marks = getattr(self, "_marks_by_row", None)
        if not marks:
            return
        document = self.document
        for row, row_marks in marks.items():
            if row >= document.line_count:
                continue
            line = document.get_line(row)
            for mark in row_marks:
                # Highlights are in UTF-8 byte columns (tree-sitter's unit).
                start = len(line[: mark.start].encode("utf-8"))
                end = len(line[: mark.end].encode("utf-8"))
                self._highlights[row].append((start, end, f"ab.{mark.kind}"))

    def render_lines(self, crop: Region) -> list[Strip]:
        theme = self._theme
        if theme is not None:
            styles: dict[str, Style] = dict(theme.syntax_styles)
            for kind in _KINDS:
                styles[f"ab.{kind}"] = self.get_component_rich_style(f"marked--{kind}")
            theme.syntax_styles = styles
        return super().render_lines(crop)
