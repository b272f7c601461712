"""Checks on the raw text of a file: mojibake, terminal control characters, and invisible
and bidirectional characters (Trojan Source).

ftfy is imported only when the cheap pattern below finds a candidate, so clean files (almost
all of them) never pay its ~60 ms import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from agentbench.core.text.safe import INVISIBLE_RE, is_shaping_joiner

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
MAX_INVISIBLE_REPORTS = 20


def check(text: str, add: Callable[..., None]) -> None:
    _check_mojibake(text, add)
    _check_control(text, add)
    _check_invisible(text, add)


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


def _check_invisible(text: str, add: Callable[..., None]) -> None:
    """Each line holding bidirectional or zero-width characters, at the first of them: they
    reorder or hide what a reviewer reads. A BOM at the very start is AB104's (parse.py takes
    it off before this sees the text); a joiner inside an emoji or a word of a script that
    uses it is text."""
    if text.isascii():
        return
    reported = 0
    line_of = -1
    for match in INVISIBLE_RE.finditer(text):
        start = match.start()
        if is_shaping_joiner(text, start):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if line_start == line_of:
            continue  # one report per line
        line_of = line_start
        reported += 1
        if reported > MAX_INVISIBLE_REPORTS:
            continue
        line_end = text.find("\n", start)
        rest = text[start:] if line_end < 0 else text[start:line_end]
        count = sum(1 for m in INVISIBLE_RE.finditer(rest)
                    if not is_shaping_joiner(text, start + m.start()))
        char = match.group(0)
        more = f" and {count - 1} more on this line" if count > 1 else ""
        add("AB703", text.count("\n", 0, start) + 1, start - line_start + 1,
            f"invisible character U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
            + more)
    if reported > MAX_INVISIBLE_REPORTS:
        add("AB703", 1, 1, f"invisible characters on {reported - MAX_INVISIBLE_REPORTS} more"
            f" lines (first {MAX_INVISIBLE_REPORTS} reported)")


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
