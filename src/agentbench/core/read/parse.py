"""Bytes of one file -> an Agent and its diagnostics, for every dialect.

Never raises on content: whatever the bytes, the result is a ParsedFile whose diagnostics say
what was wrong. Schema checks live in `schema.py`; text checks (mojibake, control characters)
in `core/text/checks.py`.
"""

from __future__ import annotations

from types import MappingProxyType

from agentbench.core.codes import severity
from agentbench.core.model import Agent, Diagnostic, Dialect, FileKind, ParsedFile
from agentbench.core.read import dialects, kinds, schema
from agentbench.core.text import checks as textcheck
from agentbench.core.yamlio import reader as yamlio

MAX_FILE_BYTES = 5 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def detect_dialect(path: str) -> Dialect:
    """The dialect a file at `path` is written for, from where it really is and what it is
    called (its content may say more: see `parse_text`)."""
    return kinds.locate(path).dialect or dialects.FALLBACK


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
        # Reading showed the file is no agent (see parse_text): its diagnostics are dropped.
        self.kind = FileKind.AGENT

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


def parse_bytes(path: str, data: bytes, stamp: tuple[int, int] = (0, 0),
                location: kinds.Location | None = None) -> ParsedFile:
    """`location`: what discovery found the file to be (else it is located from `path`)."""
    where = location or kinds.locate(path)
    if where.kind is not FileKind.AGENT:
        return ParsedFile(path, None, (), stamp, where.kind)
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
    agent = parse_text(path, text, out, plain=plain, location=where)
    if out.kind is not FileKind.AGENT:
        return ParsedFile(path, None, (), stamp, out.kind)
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
    path: str, text: str, out: _Collector | None = None, *, plain: bool = False,
    location: kinds.Location | None = None,
) -> Agent | None:
    out = out or _Collector(path)
    where = location or kinds.locate(path)
    if not text.strip():
        out.add("AB106", 1, 1, "file is empty")
        return None
    first_line = text.split("\n", 1)[0]
    headed = first_line.rstrip() == "---"
    if not headed and not where.located:
        # Markdown outside every agent folder, without a header: documentation.
        out.kind = FileKind.DOCUMENTATION
        return None
    if not plain:
        textcheck.check(text, out.add)
    if not headed:
        if where.every_md and where.dialect is not None:
            return _headerless(path, text, where, out)
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
    if not where.located and data and not any(key in dialects.ALL_KEYS for key in data):
        # A header no agent has (`title:`, `layout:`): a page of a documentation site.
        out.kind = FileKind.DOCUMENTATION
        return None
    dialect, rule = (where.dialect, where.rule) if where.dialect is not None else \
        _by_content(data, where.rule)
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
        dialect_rule=rule,
    )


_CONTENT_OWNER: dict[str, Dialect] = {
    key: dialect for dialect, keys in dialects.CONTENT_KEYS.items() for key in keys}


def _by_content(data: dict[object, object], place: str) -> tuple[Dialect, str]:
    """The dialect keys and values only one tool uses say, when the place says nothing.

    A factory key wins (the factory is what agentbench authors in); otherwise a file is
    another dialect's only when every signal it has points to that one dialect.
    """
    signals: dict[Dialect, str] = {}
    # A set intersection first: this runs for every file whose place says nothing.
    if _CONTENT_OWNER.keys() & data.keys():
        for key in data:
            owner = _CONTENT_OWNER.get(key) if isinstance(key, str) else None
            if owner is not None:
                signals.setdefault(owner, f"content: key '{key}'")
    model, tools = data.get("model"), data.get("tools")
    for sp in dialects.DETECTED_BY_PATH:
        if isinstance(model, str) and model.strip() in sp.content_models:
            signals.setdefault(sp.dialect, f"content: model '{model.strip()}'")
        if sp.content_comma_tools and isinstance(tools, str):
            signals.setdefault(sp.dialect, "content: tools as comma-separated text")
    if dialects.FALLBACK in signals:
        dialect, why = dialects.FALLBACK, signals[dialects.FALLBACK]
    elif len(signals) == 1:
        ((dialect, why),) = signals.items()
    else:
        dialect, why = dialects.FALLBACK, f"no other rule: {dialects.FALLBACK}"
    return dialect, f"{place}; {why}" if place else why


def _headerless(path: str, text: str, where: kinds.Location, out: _Collector) -> Agent:
    """A file without a header where the tool loads every `.md` file: an agent named by its
    file, whose whole text is the prompt."""
    stem = stem_of(path)
    sp = dialects.spec(where.dialect or dialects.FALLBACK)
    out.agent = stem
    out.add("AB110", 1, 1, f"no frontmatter: {sp.tool} loads every .md file here as an agent;"
                           f" this one is '{stem[:60]}', after its file name")
    out.items[:] = [_with_agent(item, stem) for item in out.items]
    return Agent(name=stem, path=path, dialect=sp.dialect, body=text, body_line=1,
                 dialect_rule=where.rule)


def _with_agent(item: Diagnostic, name: str) -> Diagnostic:
    return Diagnostic(
        item.path, item.line, item.column, item.severity, item.code, item.message, name, item.fix
    )
