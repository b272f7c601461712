"""Bytes of one file -> an Agent and its diagnostics, for every dialect.

Never raises on content: whatever the bytes, the result is a ParsedFile whose diagnostics say
what was wrong. Schema checks live in `schema.py`; text checks (mojibake, control characters)
in `core/text/checks.py`.
"""

from __future__ import annotations

from types import MappingProxyType

from agentbench.core.codes import severity
from agentbench.core.model import Agent, Diagnostic, Dialect, ParsedFile
from agentbench.core.read import dialects, schema
from agentbench.core.text import checks as textcheck
from agentbench.core.yamlio import reader as yamlio

MAX_FILE_BYTES = 5 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


# (dialect, suffixes, folders) in detection order, unpacked once: detection runs per file.
_PATH_RULES = tuple(
    (s.dialect, s.suffixes, tuple((f.parent, f.child, f.any_depth) for f in s.folders))
    for s in dialects.DETECTED_BY_PATH
)


def detect_dialect(path: str) -> Dialect:
    """The dialect a file is written for, from where it lives and what it is called."""
    # String splitting rather than PurePath: this runs for every file of a lint.
    parts = [part for part in path.replace("\\", "/").split("/") if part not in {"", "."}]
    name = parts[-1] if parts else ""
    for dialect, suffixes, folders in _PATH_RULES:
        for parent, child, any_depth in folders:
            if parent not in parts:
                continue
            if any_depth:
                if child in parts[parts.index(parent) :]:
                    return dialect
                continue
            for index in range(len(parts) - 2):
                if parts[index] == parent and parts[index + 1] == child:
                    return dialect
        if suffixes and name.endswith(suffixes):
            return dialect
    return dialects.FALLBACK


def stem_of(path: str) -> str:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    for suffix in dialects.STEM_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


class _Collector:
    """Accumulates diagnostics for one file with the file's path filled in."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Diagnostic] = []
        self.agent: str | None = None

    def add(self, code: str, line: int, column: int, message: str, fix: str | None = None) -> None:
        self.items.append(
            Diagnostic(
                self.path, max(line, 1), max(column, 1), severity(code), code, message,
                self.agent, fix,
            )
        )


def too_large_message(size_bytes: int) -> str:
    """AB107's words, whether the size came from a stat (discovery) or from the bytes."""
    return f"file is {size_bytes / 1_048_576:.1f} MB; agentbench reads up to 5 MB"


def parse_bytes(path: str, data: bytes, stamp: tuple[int, int] = (0, 0)) -> ParsedFile:
    out = _Collector(path)
    if len(data) > MAX_FILE_BYTES:
        out.add("AB107", 1, 1, too_large_message(len(data)))
        return ParsedFile(path, None, tuple(out.items), stamp)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        out.add("AB102", line, 1, "file contains NUL bytes: it looks binary, not an agent file")
        return ParsedFile(path, None, tuple(out.items), stamp)
    if data.startswith(_BOM):
        out.add("AB104", 1, 1, "file starts with a UTF-8 byte order mark")
        data = data[len(_BOM) :]
    # Plain printable ASCII (most agent files) can hold neither mojibake nor control
    # characters; bytes.translate decides that ~8x faster than a regex over the text.
    plain = data.isascii() and not data.translate(None, _PLAIN_ASCII)
    text = _decode(data, out)
    if "\r" in text:
        if "\r\n" in text:
            out.add("AB105", 1, 1, "file uses CRLF (Windows) line endings")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    agent = parse_text(path, text, out, plain=plain)
    return ParsedFile(path, agent, tuple(out.items), stamp)


def _decode(data: bytes, out: _Collector) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        out.add(
            "AB103", line, column,
            f"not valid UTF-8: byte 0x{data[error.start]:02x} at line {line}, column {column};"
            " bad bytes are shown as \ufffd",
        )
        return data.decode("utf-8", errors="replace")


def split_frontmatter(text: str) -> tuple[str, str, int] | None:
    """(frontmatter, body, body_line) or None when there is no closing fence.

    `body_line` is the 1-based line of the file where the body starts.
    """
    first_newline = text.find("\n")
    if first_newline < 0:
        return None
    fence = _closing_fence(text, first_newline + 1)
    if fence is None:
        return None
    fence_start, fence_end = fence
    front = text[first_newline + 1 : fence_start]
    body_start = fence_end + 1 if fence_end < len(text) else fence_end
    body_line = text.count("\n", 0, body_start) + 1
    return front, text[body_start:], body_line


def _closing_fence(text: str, start: int) -> tuple[int, int] | None:
    """Start and end of the first line from `start` on that is `---` and optional blanks.
    (str.find rather than a multiline regex: a third of the cost of a 10 KB file's split.)"""
    at = start if text.startswith("---", start) else text.find("\n---", start) + 1
    while at > 0:
        end = text.find("\n", at + 3)
        if end < 0:
            end = len(text)
        if not text[at + 3 : end].strip(" \t"):
            return at, end
        at = text.find("\n---", end) + 1
    return None


def parse_text(
    path: str, text: str, out: _Collector | None = None, *, plain: bool = False
) -> Agent | None:
    out = out or _Collector(path)
    dialect = detect_dialect(path)
    if not text.strip():
        out.add("AB106", 1, 1, "file is empty")
        return None
    if not plain:
        textcheck.check(text, out.add)
    first_line = text.split("\n", 1)[0]
    if first_line.rstrip() != "---":
        out.add("AB108", 1, 1, "no frontmatter: the file must start with a '---' line")
        return None
    parts = split_frontmatter(text)
    if parts is None:
        out.add("AB202", 1, 1, "frontmatter opened on line 1 is never closed with a '---' line")
        return None
    front, body, body_line = parts
    try:
        data, lines = yamlio.load_frontmatter(front, plain)
    except yamlio.YamlProblem as problem:
        out.add(problem.code, problem.line + 2, problem.column + 1, problem.message)
        return None
    if data is None:
        out.add("AB206", 1, 1, "frontmatter is empty")
        data = {}
    if not isinstance(data, dict):
        out.add(
            "AB205", 2, 1,
            f"frontmatter must be 'key: value' pairs, but it is {yamlio.type_name(data)}",
        )
        return None
    if "\\" in front:  # only a double-quoted escape can hide a control character
        textcheck.check_values(data, lines, out.add, 2)
    fields = schema.read_fields(stem_of(path), dialect, data, lines, out.add)
    out.agent = fields.name
    for item in out.items:
        if item.agent is None:
            out.items[out.items.index(item)] = _with_agent(item, fields.name)
    return Agent(
        name=fields.name,
        path=path,
        dialect=dialect,
        description=fields.description,
        model=fields.model,
        triggers=fields.triggers,
        handoffs=fields.handoffs,
        tools=fields.tools,
        body=body,
        body_line=body_line,
        name_line=fields.name_line,
        frontmatter=MappingProxyType(data),
        key_lines=MappingProxyType({k: v + 2 for k, v in yamlio.top_key_lines(lines).items()}),
    )


def _with_agent(item: Diagnostic, name: str) -> Diagnostic:
    return Diagnostic(
        item.path, item.line, item.column, item.severity, item.code, item.message, name, item.fix
    )
