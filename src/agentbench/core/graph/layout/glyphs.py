"""Terminal-safe text and the glyphs the graph is drawn with.

Agent names and labels are untrusted: they may hold control characters, bidi overrides,
combining marks or wide CJK/emoji characters. The grid needs to know exactly how many
columns each character takes, so text is first reduced to characters of a known width.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"

# Direction bits of a line through a cell.
N, E, S, W = 1, 2, 4, 8

# Line styles: plain, send:true (heavy), back edge (dotted), back edge with send:true.
PLAIN, HEAVY, DOTTED, DOTTED_HEAVY = 0, 1, 2, 3


def _glyphs(h: str, v: str, corners: str) -> dict[int, str]:
    se, sw, ne, nw = corners[0], corners[1], corners[2], corners[3]
    return {
        E | W: h,
        E: h,
        W: h,
        N | S: v,
        N: v,
        S: v,
        S | E: se,
        S | W: sw,
        N | E: ne,
        N | W: nw,
    }


LINE_GLYPHS: dict[int, dict[int, str]] = {
    PLAIN: _glyphs("─", "│", "┌┐└┘"),
    HEAVY: _glyphs("━", "┃", "┏┓┗┛"),
    DOTTED: _glyphs("┈", "┊", "┌┐└┘"),
    DOTTED_HEAVY: _glyphs("┅", "┇", "┏┓┗┛"),
}
# Crossings, keyed by (horizontal is heavy, vertical is heavy).
CROSSINGS = {(False, False): "┼", (True, False): "┿", (False, True): "╂", (True, True): "╋"}
# The stem under a box, and each handoff's joint on it, keyed by (last joint, heavy).
STEM = "┬"
JOINTS = {(False, False): "├", (False, True): "┝", (True, False): "└", (True, True): "┕"}

ARROW_DOWN, ARROW_UP, ARROW_LEFT = "▼", "▲", "◄"

# Boxes: (top-left, top-right, bottom-left, bottom-right, horizontal, vertical).
NODE_BORDER = ("╭", "╮", "╰", "╯", "─", "│")
GHOST_BORDER = ("┌", "┐", "└", "┘", "┄", "┆")


@lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """Text reduced to characters of a known terminal width, with nothing that can steer one.

    Newlines and tabs become spaces; other control characters become `?` so they stay
    visible; format characters (bidi overrides, zero-width joiners) and combining marks are
    dropped because their width depends on the terminal.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if ch.isspace():
            out.append(" ")
        elif category in ("Cf", "Mn", "Me"):
            continue
        elif category[0] == "C" or category == "Mc":
            out.append("?")
        else:
            out.append(ch)
    return "".join(out)


def char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


@lru_cache(maxsize=4096)
def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


@lru_cache(maxsize=4096)
def fit(text: str, max_width: int) -> str:
    """`clean(text)` cut to at most `max_width` columns, ending in `…` when cut."""
    text = clean(text).strip()
    if text_width(text) <= max_width:
        return text
    kept: list[str] = []
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > max_width - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept).rstrip() + ELLIPSIS


def to_cells(text: str) -> list[str]:
    """One entry per terminal column: a wide character is followed by an empty string."""
    cells: list[str] = []
    for ch in text:
        cells.append(ch)
        if char_width(ch) == 2:
            cells.append("")
    return cells
