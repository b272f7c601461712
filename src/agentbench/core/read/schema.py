"""Per-dialect frontmatter schemas: which keys exist, their types, and the model names accepted.

Reads a frontmatter mapping into normalised fields and reports what does not fit, with the
line of the offending key. Messages name types, never whole values (an alias-heavy value can
be huge).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agentbench.core.hints import suggest
from agentbench.core.model import Dialect, Handoff
from agentbench.core.read.handoffs import read_handoffs
from agentbench.core.yamlio import reader as yamlio

Add = Callable[..., None]

KNOWN_KEYS: dict[Dialect, frozenset[str]] = {
    Dialect.FACTORY: frozenset({"name", "model", "description", "triggers", "handoffs"}),
    Dialect.VSCODE: frozenset(
        {
            "description", "name", "tools", "model", "argument-hint", "target", "agents",
            "user-invocable", "disable-model-invocation", "mcp-servers", "handoffs",
        }
    ),
    Dialect.CLAUDE: frozenset(
        {
            "name", "description", "tools", "disallowedTools", "model", "permissionMode",
            "maxTurns", "skills", "mcpServers", "hooks", "memory", "color", "background",
            "isolation", "effort", "initialPrompt",
        }
    ),
}
_ALL_KEYS = frozenset().union(*KNOWN_KEYS.values())
_TOOL_NAMES = {Dialect.FACTORY: "the factory templates", Dialect.VSCODE: "VS Code",
               Dialect.CLAUDE: "Claude Code"}

CLAUDE_ALIASES = frozenset({"sonnet", "opus", "haiku", "inherit"})
_CLAUDE_ID = re.compile(
    r"claude-(?:(?:opus|sonnet|haiku)-\d+(?:-\d+)?(?:-\d{8})?"
    r"|3(?:-[57])?-(?:opus|sonnet|haiku)(?:-\d{8}|-latest)?)(?:@\d{8})?"
)
_CLAUDE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOOL_SPLIT = re.compile(r",(?![^()]*\))")


@dataclass(slots=True)
class Fields:
    name: str
    name_line: int
    description: str = ""
    model: str | None = None
    triggers: tuple[str, ...] = ()
    handoffs: tuple[Handoff, ...] = ()
    tools: tuple[str, ...] = ()


def suggest_model(model: str) -> str | None:
    """The Claude model id a malformed one most likely meant (`claude-4-5-opus` -> opus-4-5)."""
    tokens = model.lower().replace(".", "-").replace("_", "-").split("-")
    family = next((t for t in tokens if t in {"opus", "sonnet", "haiku"}), None)
    digits = [t for t in tokens if t.isdigit() and len(t) <= 2]
    if family is None or not digits:
        return None
    return "claude-" + family + "-" + "-".join(digits[:2])


def check_model(model: str, dialect: Dialect) -> str | None:
    """A message when the model name is not one the dialect's tools accept."""
    lowered = model.strip()
    if dialect is Dialect.CLAUDE and lowered in CLAUDE_ALIASES:
        return None
    if lowered.startswith("claude"):
        if _CLAUDE_ID.fullmatch(lowered):
            return None
        hint = suggest_model(lowered)
        better = f"; did you mean '{hint}'?" if hint else ""
        return f"'{model[:60]}' is not a Claude model name{better}"
    if dialect is Dialect.CLAUDE:
        return (
            f"Claude Code accepts 'sonnet', 'opus', 'haiku', 'inherit' or a full Claude model id,"
            f" not '{model[:60]}'"
        )
    return None


def read_fields(
    stem: str, dialect: Dialect, data: dict[Any, Any], lines: yamlio.Lines, add: Add
) -> Fields:
    """`stem`: the file's name without its suffix. `lines` are the frontmatter's (0-based,
    from `yamlio.load_frontmatter`); the file's lines are two further down, past the opening
    `---`."""

    def line_of(key: str) -> int:
        return lines.get((key,), 0) + 2

    _check_keys(dialect, data, line_of, add)
    fields = Fields(name=stem, name_line=1)
    _read_name(dialect, data, stem, fields, line_of, add)
    _read_description(dialect, data, fields, line_of, add)
    _read_model(dialect, data, fields, line_of, add)
    fields.triggers = _string_list(data, "triggers", lines, line_of, add, comma_ok=False)
    if "tools" in data:
        fields.tools = _string_list(data, "tools", lines, line_of, add, comma_ok=True)
    if "handoffs" in data:
        if dialect is Dialect.CLAUDE:
            add("AB407", line_of("handoffs"), 1, "Claude Code subagents ignore 'handoffs'")
        fields.handoffs = read_handoffs(dialect, fields.name, data["handoffs"], lines,
                                        line_of("handoffs"), add)
    return fields


def _check_keys(dialect: Dialect, data: dict[Any, Any], line_of: Callable[[str], int],
                add: Add) -> None:
    known = KNOWN_KEYS[dialect]
    for key in data:
        if not isinstance(key, str):
            add("AB302", 2, 1, f"frontmatter keys must be text, found {yamlio.type_name(key)}")
            continue
        if key in known or (dialect is Dialect.CLAUDE and key == "handoffs"):
            continue  # Claude's `handoffs` gets its own AB407 in read_fields
        if key in _ALL_KEYS:
            add("AB308", line_of(key), 1,
                f"'{key}' is not read by {_TOOL_NAMES[dialect]} ({dialect} dialect)")
            continue
        add("AB303", line_of(key), 1,
            f"unknown key '{key[:60]}' for the {dialect} dialect{suggest(key, known)}")


def _read_name(dialect: Dialect, data: dict[Any, Any], stem: str, fields: Fields,
               line_of: Callable[[str], int], add: Add) -> None:
    raw = data.get("name")
    if raw is None:
        if dialect is Dialect.CLAUDE:
            add("AB301", 2, 1, "Claude Code subagents need a 'name'")
        elif dialect is Dialect.FACTORY:
            add("AB301", 2, 1, f"no 'name': the file name '{stem[:60]}' is used")
        return
    line = line_of("name")
    if not isinstance(raw, str):
        add("AB302", line, 1, f"'name' must be text, not {yamlio.type_name(raw)}")
        return
    name = raw.strip()
    if not name or _CONTROL.search(name):
        add("AB305", line, 1, "'name' is empty or contains line breaks or control characters")
        return
    fields.name, fields.name_line = name, line
    if dialect is Dialect.CLAUDE and not _CLAUDE_NAME.fullmatch(name):
        add("AB305", line, 1,
            f"Claude Code names are lowercase letters, digits and hyphens; '{name[:60]}' is not")
    if name != stem:
        add("AB307", line, 1, f"name '{name[:60]}' differs from the file name '{stem[:60]}'")


def _read_description(dialect: Dialect, data: dict[Any, Any], fields: Fields,
                      line_of: Callable[[str], int], add: Add) -> None:
    raw = data.get("description")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if dialect is Dialect.CLAUDE:
            add("AB301", line_of("description"), 1, "Claude Code subagents need a 'description'")
        else:
            add("AB304", line_of("description"), 1, "no description")
        return
    if not isinstance(raw, str):
        add("AB302", line_of("description"), 1,
            f"'description' must be text, not {yamlio.type_name(raw)}")
        return
    fields.description = raw.strip()


def _read_model(dialect: Dialect, data: dict[Any, Any], fields: Fields,
                line_of: Callable[[str], int], add: Add) -> None:
    if "model" not in data:
        return
    raw = data["model"]
    line = line_of("model")
    models: list[str]
    if raw is None or raw == "":
        add("AB309", line, 1, "'model' is empty; the tool's default model is used")
        return
    if isinstance(raw, str):
        models = [raw]
    elif dialect is Dialect.VSCODE and isinstance(raw, list) and all(
        isinstance(m, str) for m in raw
    ):
        models = list(raw)
    else:
        expected = "text or a list of text" if dialect is Dialect.VSCODE else "text"
        add("AB302", line, 1, f"'model' must be {expected}, not {yamlio.type_name(raw)}")
        return
    for model in models:
        problem = check_model(model, dialect)
        if problem:
            add("AB306", line, 1, problem)
    fields.model = ", ".join(models) if models else None


def _string_list(data: dict[Any, Any], key: str, lines: yamlio.Lines,
                 line_of: Callable[[str], int], add: Add, *, comma_ok: bool) -> tuple[str, ...]:
    if key not in data or data[key] is None:
        return ()
    raw = data[key]
    line = line_of(key)
    if isinstance(raw, str):
        if comma_ok:
            # Commas inside parentheses belong to the tool: `Agent(worker, researcher)`.
            return tuple(part.strip() for part in _TOOL_SPLIT.split(raw) if part.strip())
        add("AB302", line, 1, f"'{key}' must be a list, not text (write '- item' lines)")
        return (raw,)
    if not isinstance(raw, list):
        add("AB302", line, 1, f"'{key}' must be a list, not {yamlio.type_name(raw)}")
        return ()
    items: list[str] = []
    for index, item in enumerate(raw):
        if isinstance(item, str):
            items.append(item)
            continue
        item_line = lines[(key, index)] + 2 if (key, index) in lines else line
        hint = (" (a ': ' inside an unquoted item makes it a mapping; put the item in quotes)"
                if isinstance(item, dict) else "")
        add("AB302", item_line, 1,
            f"'{key}' item {index + 1} must be text, not {yamlio.type_name(item)}{hint}")
    return tuple(items)
