"""Making untrusted agent text safe to print to a terminal.

Agent files can carry ANSI escape sequences and other control characters; printed raw they
would recolour, move or clear the user's terminal. Bidirectional controls (Trojan Source) and
zero-width characters do not act on the terminal but reorder or hide text and take no cell,
which shifts every border drawn after them. All are shown as visible escapes instead.
"""

from __future__ import annotations

import re

# Bidirectional formatting (ALM, LRM, RLM, LRE..RLO, LRI..PDI) and zero-width characters
# (ZWSP, ZWNJ, ZWJ, word joiner, invisible operators, ZWNBSP/BOM): one source for the
# diagnostic (core/text/checks.py), the escapes here and the editor's drawn lines.
INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_JOINERS = "\u200c\u200d"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")

_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f{INVISIBLE}]")
_CONTROL_AND_NEWLINES = re.compile(f"[\x00-\x1f\x7f\u0080-\u009f{INVISIBLE}]")


def _shapes(char: str) -> bool:
    """Whether `char` is one a joiner can legitimately shape: non-ASCII, visible, not a
    control (emoji, Arabic and Indic letters, variation selectors)."""
    return (not char.isascii() and not char.isspace() and INVISIBLE_RE.match(char) is None
            and not "\u0080" <= char <= "\u009f")


def is_shaping_joiner(text: str, index: int) -> bool:
    """ZWJ/ZWNJ between two characters it shapes (👩‍💻, Persian and Indic words) is text,
    not something hidden."""
    return (text[index] in _JOINERS and 0 < index < len(text) - 1
            and _shapes(text[index - 1]) and _shapes(text[index + 1]))


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char in _JOINERS and is_shaping_joiner(match.string, match.start()):
        return char
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """One line of text with every control and invisible character, newlines included, made
    visible."""
    return _CONTROL_AND_NEWLINES.sub(_escape, text)


def printable_block(text: str) -> str:
    """Multi-line text with control and invisible characters (but not newlines or tabs) made
    visible."""
    return _CONTROL.sub(_escape, text)


# What JSON leaves raw with ensure_ascii=False and a terminal or a browser may act on: DEL,
# C1, the invisible characters, and the line and paragraph separators JavaScript breaks at.
_JSON_RAW = re.compile(f"[\x7f\u0080-\u009f{INVISIBLE}\u2028\u2029]")


def json_safe(encoded: str) -> str:
    """JSON text (from json.dumps(..., ensure_ascii=False)) with the characters above as
    `\\uXXXX` escapes; other non-ASCII stays readable. They can only be inside strings, where
    the escape decodes to the same character."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)
