"""A frontmatter checked against its dialect's table (dialects.py): keys, types, names, models.

Reads a frontmatter mapping into normalised fields and reports what does not fit, with the
line of the offending key. Messages name types, never whole values (an alias-heavy value can
be huge).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agentbench.core.hints import Names
from agentbench.core.model import Dialect, Handoff
from agentbench.core.read import dialects
from agentbench.core.read.dialects import DialectSpec, Kind
from agentbench.core.read.handoffs import read_handoffs
from agentbench.core.read.kinds import SIBLING_KEYS, sibling_kinds
from agentbench.core.yamlio import reader as yamlio

Add = Callable[..., None]

# export/plan.py reads the known keys from here.
KNOWN_KEYS = dialects.KNOWN_KEYS
# Sorted once for every "did you mean", not once per unknown key.
_KEY_NAMES = {d: Names(keys) for d, keys in KNOWN_KEYS.items()}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOOL_SPLIT = re.compile(r",(?![^()]*\))")
# A key this dialect does not know is still read with the kind the dialect that knows it
# gives it (a factory file's `tools` are exported, a VS Code file's `triggers` are checked).
_KINDS: dict[Dialect, dict[str, Kind]] = {
    d: {**{k: v for other in reversed(Dialect) for k, v in dialects.spec(other).keys.items()},
        **dialects.spec(d).keys}
    for d in Dialect
}


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
    sp = dialects.spec(dialect)
    lowered = model.strip()
    if lowered in sp.model_aliases:
        return None
    if lowered.startswith("claude"):
        if dialects.CLAUDE_MODEL_ID.fullmatch(lowered) or (
                sp.extra_model_ids is not None and sp.extra_model_ids.fullmatch(lowered)):
            return None
        hint = suggest_model(lowered)
        better = f"; did you mean '{hint}'?" if hint else ""
        return f"'{model[:60]}' is not a Claude model name{better}"
    if sp.models_closed:
        aliases = ", ".join(f"'{alias}'" for alias in sp.model_aliases)
        return f"{sp.tool} accepts {aliases} or a full Claude model id, not '{model[:60]}'"
    return None


def read_fields(
    stem: str, dialect: Dialect, data: dict[Any, Any], lines: yamlio.Lines, add: Add
) -> Fields:
    """`stem`: the file's name without its suffix. `lines` are the frontmatter's (0-based,
    from `yamlio.load_frontmatter`); the file's lines are two further down, past the opening
    `---`."""

    def line_of(key: str) -> int:
        return lines.get((key,), 0) + 2

    sp = dialects.spec(dialect)
    kinds = _KINDS[dialect]
    _check_keys(sp, data, line_of, add)
    fields = Fields(name=stem, name_line=1)
    _read_name(sp, data, stem, fields, line_of, add)
    _read_description(sp, data, fields, line_of, add)
    _read_model(sp, kinds.get("model", Kind.TEXT), data, fields, line_of, add)
    fields.triggers = _string_list(data, "triggers", lines, line_of, add,
                                   comma_ok=kinds.get("triggers") is Kind.TEXT_LIST_OR_COMMAS)
    if "tools" in data:
        fields.tools = _string_list(data, "tools", lines, line_of, add,
                                    comma_ok=kinds.get("tools") is Kind.TEXT_LIST_OR_COMMAS)
    if "handoffs" in data:
        if not sp.reads_handoffs:
            add("AB407", line_of("handoffs"), 1, f"{sp.agents} ignore 'handoffs'")
        fields.handoffs = read_handoffs(dialect, fields.name, data["handoffs"], lines,
                                        line_of("handoffs"), add)
    return fields


def _check_keys(sp: DialectSpec, data: dict[Any, Any], line_of: Callable[[str], int],
                add: Add) -> None:
    known = sp.known_keys
    for key in data:
        if not isinstance(key, str):
            add("AB302", 2, 1, f"frontmatter keys must be text, found {yamlio.type_name(key)}")
            continue
        if key in known or (key == "handoffs" and not sp.reads_handoffs):
            continue  # ignored `handoffs` get their own AB407 in read_fields
        if key in dialects.ALL_KEYS:
            add("AB308", line_of(key), 1,
                f"'{key}' is not read by {sp.tool} ({sp.dialect} dialect)")
            continue
        if key in SIBLING_KEYS:
            # `mode:`, `agent:`, `applyTo:`: right in a prompt or instructions file, command
            # or skill; here the tool ignores it. Not a misspelling of `model`/`agents`.
            add("AB308", line_of(key), 1,
                f"'{key}' is not read by {sp.tool} ({sp.dialect} dialect); it is a key of"
                f" {sibling_kinds(key)}")
            continue
        hint = _KEY_NAMES[sp.dialect].suggest(key)
        add("AB303", line_of(key), 1,
            f"unknown key '{key[:60]}' for the {sp.dialect} dialect{hint}")


def _read_name(sp: DialectSpec, data: dict[Any, Any], stem: str, fields: Fields,
               line_of: Callable[[str], int], add: Add) -> None:
    raw = data.get("name")
    if raw is None:
        if "name" in sp.required:
            add("AB301", 2, 1, f"{sp.agents} need a 'name'")
        elif sp.notes_stem_name:
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
    if sp.name_pattern is not None and not sp.name_pattern.fullmatch(name):
        add("AB305", line, 1, f"{sp.tool} names are {sp.name_rule}; '{name[:60]}' is not")
    if name != stem and sp.name_is_file_name:
        add("AB307", line, 1, f"name '{name[:60]}' differs from the file name '{stem[:60]}'")


def _read_description(sp: DialectSpec, data: dict[Any, Any], fields: Fields,
                      line_of: Callable[[str], int], add: Add) -> None:
    raw = data.get("description")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if "description" in sp.required:
            add("AB301", line_of("description"), 1, f"{sp.agents} need a 'description'")
        else:
            add("AB304", line_of("description"), 1, "no description")
        return
    if not isinstance(raw, str):
        add("AB302", line_of("description"), 1,
            f"'description' must be text, not {yamlio.type_name(raw)}")
        return
    fields.description = raw.strip()


def _read_model(sp: DialectSpec, kind: Kind, data: dict[Any, Any], fields: Fields,
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
    elif kind is Kind.TEXT_OR_TEXT_LIST and isinstance(raw, list) and all(
        isinstance(m, str) for m in raw
    ):
        models = list(raw)
    else:
        add("AB302", line, 1, f"'model' must be {kind}, not {yamlio.type_name(raw)}")
        return
    for model in models:
        problem = check_model(model, sp.dialect)
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
