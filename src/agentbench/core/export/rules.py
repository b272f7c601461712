"""Per-target naming, model and tool mappings used by plan.py (docs/export.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from agentbench.core.model import Dialect
from agentbench.core.read.dialects import CLAUDE_MODEL_ID, spec

TARGETS = ("vscode", "claude", "cursor")

_CLAUDE_ALIASES = frozenset(spec(Dialect.CLAUDE).model_aliases)

_FAMILY = re.compile(r"opus|sonnet|haiku")
_CLAUDE_VERSIONED = re.compile(
    r"claude-(?:(?P<f1>opus|sonnet|haiku)-(?P<a1>\d+)(?:[-.](?P<b1>\d{1,2}))?"
    r"|(?P<a2>\d+)(?:[-.](?P<b2>\d{1,2}))?-(?P<f2>opus|sonnet|haiku))(?:-\d{8})?")
_GPT = re.compile(r"gpt-?(\d[\w.]*)", re.I)

# VS Code tool names (and their tool-set prefixes) -> Claude Code tools.
_VSCODE_TO_CLAUDE: dict[str, tuple[str, ...]] = {
    "read": ("Read",), "readfile": ("Read",), "search": ("Grep", "Glob"),
    "codebase": ("Grep", "Glob"), "textsearch": ("Grep",), "filesearch": ("Glob",),
    "edit": ("Edit", "Write"), "editfiles": ("Edit", "Write"), "execute": ("Bash",),
    "runcommands": ("Bash",), "runinterminal": ("Bash",), "terminal": ("Bash",),
    "web": ("WebFetch", "WebSearch"), "fetch": ("WebFetch",), "websearch": ("WebSearch",),
    "todo": ("TodoWrite",), "todos": ("TodoWrite",), "agent": ("Agent",),
    "runsubagent": ("Agent",),
}
_CLAUDE_TO_VSCODE: dict[str, str] = {
    "Read": "read", "Grep": "search", "Glob": "search", "LS": "search", "Edit": "edit",
    "Write": "edit", "MultiEdit": "edit", "NotebookEdit": "edit", "Bash": "execute",
    "WebFetch": "web", "WebSearch": "web", "TodoWrite": "todo", "Agent": "agent",
    "Task": "agent",
}


def slug(name: str) -> str:
    """A lowercase-hyphen name: letters and digits, runs of anything else as one hyphen."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return cleaned[:64].rstrip("-") or "agent"


def claude_model(model: str) -> str:
    """A model Claude Code accepts: the alias or full id as written, else the family alias
    (claude-4-5-sonnet -> sonnet), else `inherit`."""
    first = model.split(",")[0].strip()
    lowered = first.lower()
    if lowered in _CLAUDE_ALIASES or CLAUDE_MODEL_ID.fullmatch(lowered):
        return lowered
    family = _FAMILY.search(lowered)
    if family and "claude" in lowered:
        return family.group(0)
    return "inherit"


def vscode_model(model: str) -> str:
    """The name VS Code's model picker shows (claude-sonnet-4-5 -> Claude Sonnet 4.5
    (copilot)); anything else is kept as written."""
    first = model.strip()
    lowered = first.lower()
    match = _CLAUDE_VERSIONED.fullmatch(lowered)
    if match:
        family = match.group("f1") or match.group("f2")
        major = match.group("a1") or match.group("a2")
        minor = match.group("b1") or match.group("b2")
        version = f"{major}.{minor}" if minor else major
        return f"Claude {family.capitalize()} {version} (copilot)"
    gpt = _GPT.fullmatch(lowered)
    if gpt:
        return f"GPT-{gpt.group(1)} (copilot)"
    return first


def claude_tools(tools: Iterable[str]) -> tuple[list[str], list[str]]:
    """(Claude Code tools, names with no equivalent) for VS Code or factory tool names."""
    mapped: dict[str, None] = {}
    unknown: list[str] = []
    for tool in tools:
        key = tool.strip()
        parts = [p.lower() for p in key.split("/") if p and p != "*"]
        found = next((_VSCODE_TO_CLAUDE[p] for p in (parts[-1:] + parts[:1])
                      if p in _VSCODE_TO_CLAUDE), None) if parts else None
        if found is None and key in _CLAUDE_TO_VSCODE:
            found = (key,)
        if found is None:
            unknown.append(key)
            continue
        for name in found:
            mapped.setdefault(name, None)
    return list(mapped), unknown


def vscode_tools(tools: Iterable[str]) -> tuple[list[str], list[str]]:
    """(VS Code tools, names with no equivalent) for Claude Code tool names."""
    mapped: dict[str, None] = {}
    unknown: list[str] = []
    for tool in tools:
        key = tool.strip().split("(", 1)[0]
        if key in _CLAUDE_TO_VSCODE:
            mapped.setdefault(_CLAUDE_TO_VSCODE[key], None)
        else:
            unknown.append(tool.strip())
    return list(mapped), unknown
