"""The editor's TextArea: Markdown highlighting with a YAML frontmatter, control characters
shown as visible symbols, and escape / ctrl+e left to the editor pane and the app.

Agent text is untrusted. A TextArea never parses its text as markup, but it does write each
line to the terminal as it is, so an escape sequence in a file would reach the terminal raw.
Lines are drawn with every control character (but tab) replaced by its Unicode control
picture (`\\x1b` shows as `␛`), and bidirectional and zero-width characters by `␦`; the
document itself is untouched, so saving writes back exactly what the file held. Highlights,
which tree-sitter gives in UTF-8 byte columns of the document's line, are moved to the drawn
line's columns on the lines that hold such characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from agentbench.core.text.safe import INVISIBLE, is_shaping_joiner

# C0 controls but tab -> U+2400.., DEL -> U+2421, C1 controls -> U+FFFD, bidirectional and
# zero-width characters (which take no cell and shift the borders) -> U+2426 ␦: one cell each.
_PICTURES = {code: 0x2400 + code for code in range(0x20) if code != 0x09}
_PICTURES[0x7F] = 0x2421
_PICTURES.update({code: 0xFFFD for code in range(0x80, 0xA0)})
_CONTROL = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{INVISIBLE}]")
_FENCE = re.compile(r"---[ \t]*")

Highlight = tuple[int, int | None, str]


def drawn(line: str) -> str:
    """The line as drawn: the same characters, control characters as visible symbols."""
    if _CONTROL.search(line) is None:
        return line
    return _CONTROL.sub(_picture, line)


def _picture(match: re.Match[str]) -> str:
    char = match.group(0)
    if char < "\u00a0":
        return chr(_PICTURES[ord(char)])
    # A joiner inside an emoji or a word is text (core/text/safe.py).
    return char if is_shaping_joiner(match.string, match.start()) else "\u2426"


def _byte_mover(line: str) -> Callable[[int | None], int | None]:
    """Maps a UTF-8 byte column of `line` to the same character's column in `drawn(line)`."""
    shown = drawn(line)
    moved: dict[int, int] = {}
    old = new = 0
    for original, picture in zip(line, shown, strict=True):
        moved[old] = new
        old += len(original.encode("utf-8"))
        new += len(picture.encode("utf-8"))
    moved[old] = new
    return lambda column: None if column is None else moved.get(column, column)


@cache
def _yaml_highlighter() -> tuple[object, object] | None:
    """(parser, query) for YAML, or None when tree-sitter or its YAML grammar is missing."""
    try:
        import tree_sitter_yaml
        from tree_sitter import Language, Parser, Query
    except ImportError:
        return None
    language = Language(tree_sitter_yaml.language())
    query_text = TextArea._get_builtin_highlight_query("yaml")
    return Parser(language), Query(language, query_text)


def frontmatter_rows(lines: list[str]) -> int | None:
    """The 0-based row of the frontmatter's closing `---`, or None without a closed one."""
    if not lines or lines[0].rstrip() != "---":
        return None
    return next((row for row in range(1, len(lines)) if _FENCE.fullmatch(lines[row])), None)


class EditorTextArea(TextArea):
    """A code editor TextArea for agent files (see the module docstring)."""

    BINDINGS = [
        # TextArea binds ctrl+e to "end of line"; here it closes the editor, as everywhere.
        Binding("ctrl+e", "app.edit", "Close editor", show=False, id="editor.toggle",
                tooltip="Editor: close it (asks first when there are unsaved changes)"),
        Binding("ctrl+home", "document_edge(False)", "Start", show=False, id="editor.start",
                tooltip="Editor: the start of the file"),
        Binding("ctrl+end", "document_edge(True)", "End", show=False, id="editor.end",
                tooltip="Editor: the end of the file"),
    ]

    def action_document_edge(self, end: bool) -> None:
        self.move_cursor(self.document.end if end else (0, 0))

    async def _on_key(self, event: events.Key) -> None:
        # In "indent" tab mode TextArea takes escape to move the focus. Here escape first
        # drops a selection; else the pane's escape binding (close the editor) gets it.
        if event.key == "escape":
            event.prevent_default()
            if not self.selection.is_empty:
                event.stop()
                self.selection = Selection.cursor(self.selection.end)
            return
        # The TextArea's own keys (cursor moves, deletion, undo...) run here, in turn with
        # the typed characters. Left to Textual, a bound key bubbles up to the app to find
        # its binding while characters are inserted at once: keys arriving together (a busy
        # app, a fast typist) typed the text before the cursor moved.
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and "." not in bindings[0].action:
            event.prevent_default()
            event.stop()
            await self.run_action(bindings[0].action)

    def get_line(self, line_index: int) -> Text:
        return Text(drawn(self.document.get_line(line_index)), end="", no_wrap=True)

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        lines = self.document.lines
        fence = frontmatter_rows(lines)
        if fence is not None and self._highlight_query is not None:
            self._highlight_frontmatter(lines, fence)
        highlights = self._highlights
        for row in list(highlights):
            if row < len(lines) and _CONTROL.search(lines[row]):
                move = _byte_mover(lines[row])
                highlights[row] = [(move(start) or 0, move(end), name)
                                   for start, end, name in highlights[row]]

    def _highlight_frontmatter(self, lines: list[str], fence: int) -> None:
        """Markdown has no grammar for the frontmatter: YAML's highlights replace its own."""
        tools = _yaml_highlighter()
        if tools is None:
            return
        from tree_sitter import Parser, Query, QueryCursor

        parser, query = tools
        assert isinstance(parser, Parser) and isinstance(query, Query)
        highlights = self._highlights
        for row in range(fence + 1):
            highlights[row] = []
        highlights[0].append((0, None, "punctuation.special"))
        highlights[fence].append((0, None, "punctuation.special"))
        tree = parser.parse("\n".join(lines[1:fence]).encode("utf-8"))
        for name, nodes in QueryCursor(query).captures(tree.root_node).items():
            for node in nodes:
                (start_row, start), (end_row, end) = node.start_point, node.end_point
                for row in range(start_row, end_row + 1):
                    highlights[row + 1].append((start if row == start_row else 0,
                                                end if row == end_row else None, name))
