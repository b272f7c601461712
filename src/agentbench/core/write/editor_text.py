"""A file's bytes as editor text and back, keeping its BOM and its line endings.

An editor widget holds text with `\\n` between lines and no BOM. `EditorText.from_bytes`
decodes a file into that form and remembers what it took away: the BOM and each line's own
ending (`\\r\\n`, `\\n` or `\\r`). `to_bytes(text)` puts them back: a line the user did not
touch keeps its original ending, a new line gets the file's usual one, and a BOM stays a BOM.
So a CRLF file stays CRLF and a mixed file stays mixed where it was not edited.

Files the editor cannot hold without changing them are refused (EditError) rather than
opened: not UTF-8, NUL bytes, larger than the parser reads, or characters that a text widget
splits lines at (form feed, vertical tab, U+2028, ...), which would come back as line breaks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from agentbench.core.write.change import EditError, Source

# Larger files are not opened in the editor (the parser stops reading at the same size).
MAX_EDIT_BYTES = 5 * 1024 * 1024

# str.splitlines breaks lines at these too (besides \n and \r); a text widget built on it
# would turn each into a line break on save.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BREAK_NAMES = {"\x0b": "vertical tab", "\x0c": "form feed", "\x85": "U+0085 next line",
                "\u2028": "U+2028 line separator", "\u2029": "U+2029 paragraph separator"}


@dataclass(frozen=True, slots=True)
class EditorText:
    """What a file held, split into the editor's text and what the editor cannot hold."""

    text: str
    bom: bool
    # The ending of each line of `text` as the file had it ("" for a last line without one).
    ends: tuple[str, ...]
    # The file's usual ending: new lines get it.
    newline: str

    @classmethod
    def from_bytes(cls, data: bytes) -> EditorText:
        """Raises EditError (plain words) for a file the editor would change by opening."""
        if len(data) > MAX_EDIT_BYTES:
            raise EditError(f"the file is {len(data) / 1_048_576:.1f} MB; the editor opens "
                            "files up to 5 MB")
        source = Source.from_bytes(data)
        for number, line in enumerate(source.lines, 1):
            found = _OTHER_BREAKS.search(line)
            if found:
                what = _BREAK_NAMES.get(found.group(0), f"U+{ord(found.group(0)):04X}")
                raise EditError(f"line {number} holds a {what}, which the editor would turn "
                                "into a line break")
        return cls(source.text(), source.bom, tuple(source.ends), source.newline)

    def to_bytes(self, text: str) -> bytes:
        """`text` (lines separated by `\\n`) as the file's bytes."""
        lines = text.split("\n")
        # "a\nb\n" is two lines that both end; "a\nb" is two lines, the last without one.
        ends = ["\n"] * (len(lines) - 1) + [""]
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()
            ends.pop()
        ends = self._endings(lines, ends)
        body = "".join(line + end for line, end in zip(lines, ends, strict=True))
        return (b"\xef\xbb\xbf" if self.bom else b"") + body.encode("utf-8")

    def _endings(self, lines: list[str], ends: list[str]) -> list[str]:
        old_lines = self.text.split("\n")
        if len(old_lines) > 1 and old_lines[-1] == "":
            old_lines.pop()
        old_ends = self.ends
        usual = self.newline
        if all(e in ("", usual) for e in old_ends):
            # One kind of ending (nearly every file): no need to match lines up.
            return [usual if e else "" for e in ends]
        # Mixed endings: lines matched to the file's keep the ending they had there.
        kept: dict[int, str] = {}
        matcher = difflib.SequenceMatcher(None, old_lines, lines, autojunk=False)
        for old_start, new_start, size in matcher.get_matching_blocks():
            for offset in range(size):
                kept[new_start + offset] = old_ends[old_start + offset]
        return ["" if not end else (kept.get(index) or usual)
                for index, end in enumerate(ends)]
