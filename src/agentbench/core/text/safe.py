"""Making untrusted agent text safe to print to a terminal.

Agent files can carry ANSI escape sequences and other control characters; printed raw they
would recolour, move or clear the user's terminal. They are shown as visible escapes instead.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]")
_CONTROL_AND_NEWLINES = re.compile("[\x00-\x1f\x7f\u0080-\u009f]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """One line of text with every control character, newlines included, made visible."""
    return _CONTROL_AND_NEWLINES.sub(_escape, text)


def printable_block(text: str) -> str:
    """Multi-line text with control characters (but not newlines or tabs) made visible."""
    return _CONTROL.sub(_escape, text)
