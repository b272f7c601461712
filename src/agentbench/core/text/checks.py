"""Checks on the raw text of a file: mojibake and terminal control characters.

ftfy is imported only when the cheap pattern below finds a candidate, so clean files (almost
all of them) never pay its ~60 ms import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# UTF-8 bytes of common punctuation and emoji, decoded as Windows-1252: a lead character
# (â, Ã, Â, ð, Å, Ä) followed by a character from the 0x80-0xBF range as cp1252 shows it.
_MOJIBAKE = re.compile(
    "[âÃÂðÅÄÎÏ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)
# C0 controls except tab and newline, DEL, and C1 controls (U+0080-U+009F, e.g. CSI U+009B).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]")
MAX_MOJIBAKE_REPORTS = 20


def check(text: str, add: Callable[..., None]) -> None:
    _check_mojibake(text, add)
    _check_control(text, add)


def _check_mojibake(text: str, add: Callable[..., None]) -> None:
    # str.isascii() is O(1) in CPython, and mojibake is never ASCII.
    if text.isascii() or _MOJIBAKE.search(text) is None:
        return
    import ftfy

    reported = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = _MOJIBAKE.search(line)
        if match is None:
            continue
        fixed = ftfy.fix_text(line)
        if fixed == line:
            continue
        reported += 1
        if reported > MAX_MOJIBAKE_REPORTS:
            continue
        bad, good = _first_difference(line, fixed)
        add("AB701", index + 1, match.start() + 1,
            f"mojibake: '{bad}' should read '{good}'", fixed)
    if reported > MAX_MOJIBAKE_REPORTS:
        add("AB701", 1, 1,
            f"mojibake on {reported - MAX_MOJIBAKE_REPORTS} more lines (first"
            f" {MAX_MOJIBAKE_REPORTS} reported)")


def _first_difference(line: str, fixed: str) -> tuple[str, str]:
    """The shortest mangled stretch and its repair, for a readable message."""
    start = 0
    while start < min(len(line), len(fixed)) and line[start] == fixed[start]:
        start += 1
    end_line, end_fixed = len(line), len(fixed)
    while end_line > start and end_fixed > start and line[end_line - 1] == fixed[end_fixed - 1]:
        end_line -= 1
        end_fixed -= 1
    return line[start:end_line][:40], fixed[start:end_fixed][:40]


def _check_control(text: str, add: Callable[..., None]) -> None:
    # isprintable() runs at C speed; only text that fails it is searched character by character.
    if text.replace("\n", "").replace("\t", "").isprintable():
        return
    match = _CONTROL.search(text)
    if match is None:
        return
    count = len(_CONTROL.findall(text))
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    name = _control_name(match.group(0))
    more = f" and {count - 1} more" if count > 1 else ""
    add("AB702", line, column, f"control character {name}{more} in the file")


def _control_name(char: str) -> str:
    return "ESC (an ANSI escape sequence)" if char == "\x1b" else f"U+{ord(char):04X}"


def check_values(data: Any, lines: dict[tuple[Any, ...], int], add: Callable[..., None],
                 line_offset: int) -> None:
    """Control characters that YAML escapes put into values (`"\\e[31m"`), which the check
    of the raw text cannot see. Reports the first, at the line of its key (`lines`: 0-based
    lines by path, as `yamlio.load_frontmatter` gives them)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    budget = 100_000  # values looked at, at most (aliases can repeat a subtree)
    while stack and budget:
        budget -= 1
        path, value = stack.pop()
        if isinstance(value, str):
            match = _CONTROL.search(value)
            if match is None:
                continue
            name = _control_name(match.group(0))
            where = path
            while where and where not in lines:
                where = where[:-1]
            key = next((p for p in reversed(path) if isinstance(p, str)), None)
            shown = f" of '{key[:40]}'" if key else ""
            add("AB702", lines.get(where, 0) + line_offset, 1,
                f"control character {name} in the value{shown}, written as a YAML escape")
            return
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))
