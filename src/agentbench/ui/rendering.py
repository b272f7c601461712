"""Turning an agent into text plus marks for the preview and source views (no widgets here).

Control characters are made visible before the text reaches a widget; `printable_block` keeps
newlines and tabs, so line numbers still match the file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from agentbench.core.placeholders import Rendered, Values, find_occurrences, render
from agentbench.core.text.safe import printable_block
from agentbench.ui.widgets.marked_text import Mark, MarkKind

# Files larger than this are shown cut, so a huge file cannot stall the UI thread.
MAX_SOURCE_CHARS = 2_000_000


# TextArea splits lines with str.splitlines, which also breaks at these; shown escaped so the
# preview's rows (and the source view's line numbers) match the file's.
_EXTRA_BREAKS = re.compile("[\u2028\u2029]")


def visible(text: str) -> str:
    return _EXTRA_BREAKS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", printable_block(text))


@dataclass(frozen=True, slots=True)
class Marked:
    text: str
    marks: list[Mark]


def _advance(row: int, column: int, text: str) -> tuple[int, int]:
    newlines = text.count("\n")
    if newlines:
        return row + newlines, len(text) - text.rfind("\n") - 1
    return row, column + len(text)


def _mark_lines(marks: list[Mark], row: int, column: int, text: str, kind: MarkKind) -> None:
    """Marks for `text` starting at (row, column), split at newlines (marks are per line)."""
    for index, part in enumerate(text.split("\n")):
        start = column if index == 0 else 0
        if part:
            marks.append(Mark(row + index, start, start + len(part), kind))


def marked_preview(body: str, values: Values) -> tuple[Marked, Rendered]:
    rendered = render(body, values)
    pieces: list[str] = []
    marks: list[Mark] = []
    row = column = 0
    for span in rendered.spans:
        shown = visible(span.text)
        if span.name is not None:
            _mark_lines(marks, row, column, shown, "filled" if span.filled else "unfilled")
        pieces.append(shown)
        row, column = _advance(row, column, shown)
    return Marked("".join(pieces), marks), rendered


def marked_source(text: str) -> Marked:
    """The file as written, with every placeholder marked."""
    shown = visible(text)
    marks: list[Mark] = []
    line_starts = [0, *(m.end() for m in re.finditer("\n", shown))]
    for occurrence in find_occurrences(shown):
        row = bisect.bisect_right(line_starts, occurrence.start) - 1
        start = occurrence.start - line_starts[row]
        marks.append(Mark(row, start, start + occurrence.end - occurrence.start, "placeholder"))
    return Marked(shown, marks)


def read_source(path: str) -> str:
    """The file's text for display; undecodable bytes become U+FFFD, CRLF becomes LF."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_CHARS + 1)
    except OSError as error:
        return f"(cannot read {Path(path).name}: {error.strerror or error})"
    text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    if len(data) > MAX_SOURCE_CHARS:
        text = text[:MAX_SOURCE_CHARS] + "\n… (cut: file too large to show whole)"
    return text
