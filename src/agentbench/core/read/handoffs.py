"""Reading `handoffs:` lists, and the rule VS Code applies to them.

Both `target:` (factory) and `agent:` (VS Code) name the handoff's target; the key used is
remembered because VS Code silently drops a handoff without `agent`, `label` and `prompt`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentbench.core.hints import suggest
from agentbench.core.model import Dialect, Handoff
from agentbench.core.yamlio import reader as yamlio

Add = Callable[..., None]

HANDOFF_KEYS = frozenset({"target", "agent", "label", "prompt", "send", "model"})


def read_handoffs(
    dialect: Dialect, owner: str, raw: Any, lines: yamlio.Lines, key_line: int, add: Add
) -> tuple[Handoff, ...]:
    """`lines` are the frontmatter's `Lines` (0-based; file lines are two further down)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        add("AB302", key_line, 1, f"'handoffs' must be a list, not {yamlio.type_name(raw)}")
        return ()
    handoffs: list[Handoff] = []
    labels: dict[str, int] = {}
    for index, item in enumerate(raw):
        where = ("handoffs", index)
        line = lines[where] + 2 if where in lines else key_line
        handoff = _read_one(dialect, owner, index, item, lines, line, add)
        if handoff is None:
            continue
        if handoff.label:
            if handoff.label in labels:
                add("AB408", line, 1,
                    f"label '{handoff.label[:60]}' is also used by the handoff on line"
                    f" {labels[handoff.label]}")
            else:
                labels[handoff.label] = line
        handoffs.append(handoff)
    return tuple(handoffs)


def _read_one(
    dialect: Dialect, owner: str, index: int, item: Any, lines: yamlio.Lines, line: int,
    add: Add,
) -> Handoff | None:
    # Runs for every handoff of a lint: the well-formed case is checked first, and messages
    # and key lines are only worked out for a problem.
    where = f"handoff {index + 1}"
    if not isinstance(item, dict):
        add("AB401", line, 1, f"{where} must be a mapping with target, label and prompt, not"
                              f" {yamlio.type_name(item)}")
        return None

    def line_of(key: str) -> int:
        found = lines.get(("handoffs", index, key))
        return line if found is None else found + 2

    if not HANDOFF_KEYS.issuperset(item):
        for key in item:
            if not isinstance(key, str) or key not in HANDOFF_KEYS:
                shown = key[:40] if isinstance(key, str) else yamlio.type_name(key)
                hint = suggest(key, HANDOFF_KEYS) if isinstance(key, str) else ""
                add("AB303", line_of(str(key)), 1, f"{where}: unknown key '{shown}'{hint}")

    target_key = "agent" if "agent" in item else "target"
    target = item.get(target_key)
    if not isinstance(target, str) or not target.strip():
        problem = "names no target" if target is None else (
            f"has a {target_key} that is {yamlio.type_name(target)}, not an agent name")
        expected = "'agent'" if dialect is Dialect.VSCODE else "'target' (or 'agent')"
        add("AB401", line, 1, f"{where} {problem}: add {expected}")
        return None
    target = target.strip()

    label = item.get("label")
    if not isinstance(label, str):
        label = _text(label, "label", where, line_of("label"), add)
    prompt = item.get("prompt")
    if not isinstance(prompt, str):
        prompt = _text(prompt, "prompt", where, line_of("prompt"), add)
    send = item.get("send", False)
    if not isinstance(send, bool):
        add("AB302", line_of("send"), 1,
            f"{where}: 'send' must be true or false, not {yamlio.type_name(send)}")
        send = False
    model = item.get("model")
    if not isinstance(model, str):
        model = None

    if dialect is Dialect.VSCODE:
        missing = [k for k, v in (("agent", target_key == "agent"), ("label", bool(label)),
                                  ("prompt", bool(prompt))) if not v]
        if missing:
            detail = ("it names its target with 'target:', which VS Code does not read;"
                      " rename it to 'agent:'") if "agent" in missing else (
                f"it has no {' or '.join(repr(m) for m in missing)}")
            add("AB402", line, 1, f"VS Code drops {where} (→ {target[:60]}): {detail}")
    else:
        if not label:
            add("AB405", line, 1, f"{where} (→ {target[:60]}) has no label")
        if not prompt:
            add("AB406", line, 1, f"{where} (→ {target[:60]}) has no prompt")
    if target == owner:
        add("AB404", line, 1, f"{where} hands off to the agent itself")
    return Handoff(target, label, prompt, send, line, target_key, model)


def _text(value: Any, key: str, where: str, line: int, add: Add) -> str:
    """A label or prompt that YAML did not read as text: numbers are taken as written."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    add("AB302", line, 1, f"{where}: '{key}' must be text, not {yamlio.type_name(value)}")
    return ""
