"""Reading `handoffs:` lists, and the rule a dialect's tool applies to them (dialects.py).

Both `target:` (factory) and `agent:` (VS Code) name the handoff's target; the key used is
remembered because VS Code silently drops a handoff without `agent`, `label` and `prompt`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentbench.core.hints import Names
from agentbench.core.model import Dialect, Handoff
from agentbench.core.read.dialects import TARGET_KEYS, DialectSpec, spec
from agentbench.core.yamlio import reader as yamlio

# Sorted once for every "did you mean", not once per unknown handoff key.
_KEY_NAMES = {keys: Names(keys) for keys in {spec(d).handoff.keys for d in Dialect}}

Add = Callable[..., None]

# Unpacked once: choosing the key runs for every handoff of a lint.
_FIRST_TARGET_KEY, _LAST_TARGET_KEY = TARGET_KEYS


def read_handoffs(
    dialect: Dialect, owner: str, raw: Any, lines: yamlio.Lines, key_line: int, add: Add
) -> tuple[Handoff, ...]:
    """`lines` are the frontmatter's `Lines` (0-based; file lines are two further down)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        add("AB302", key_line, 1, f"'handoffs' must be a list, not {yamlio.type_name(raw)}")
        return ()
    sp = spec(dialect)
    handoffs: list[Handoff] = []
    labels: dict[str, int] = {}
    for index, item in enumerate(raw):
        where = ("handoffs", index)
        line = lines[where] + 2 if where in lines else key_line
        handoff = _read_one(sp, owner, index, item, lines, line, add)
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
    sp: DialectSpec, owner: str, index: int, item: Any, lines: yamlio.Lines, line: int,
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

    shape = sp.handoff
    keys = shape.keys
    if not keys.issuperset(item):
        for key in item:
            if not isinstance(key, str) or key not in keys:
                shown = key[:40] if isinstance(key, str) else yamlio.type_name(key)
                hint = _KEY_NAMES[keys].suggest(key) if isinstance(key, str) else ""
                add("AB303", line_of(str(key)), 1, f"{where}: unknown key '{shown}'{hint}")

    target_key = _FIRST_TARGET_KEY if _FIRST_TARGET_KEY in item else _LAST_TARGET_KEY
    target = item.get(target_key)
    if not isinstance(target, str) or not target.strip():
        problem = "names no target" if target is None else (
            f"has a {target_key} that is {yamlio.type_name(target)}, not an agent name")
        add("AB401", line, 1, f"{where} {problem}: add {_expected_target(sp)}")
        return None
    target = target.strip()

    label_key, prompt_key, send_key = shape.label_key, shape.prompt_key, shape.send_key
    label = item.get(label_key)
    if not isinstance(label, str):
        label = _text(label, label_key, where, line_of(label_key), add)
    prompt = item.get(prompt_key)
    if not isinstance(prompt, str):
        prompt = _text(prompt, prompt_key, where, line_of(prompt_key), add)
    send = item.get(send_key, False)
    if not isinstance(send, bool):
        add("AB302", line_of(send_key), 1,
            f"{where}: '{send_key}' must be true or false, not {yamlio.type_name(send)}")
        send = False
    model = item.get(shape.model_key)
    if not isinstance(model, str):
        model = None

    if shape.dropped_without:
        present = {target_key: True, label_key: bool(label), prompt_key: bool(prompt)}
        missing = [k for k in shape.dropped_without if not present.get(k, False)]
        if missing:
            add("AB402", line, 1, f"{sp.tool} drops {where} (→ {target[:60]}):"
                                  f" {_why_dropped(sp, target_key, missing)}")
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


def _expected_target(sp: DialectSpec) -> str:
    """The key(s) an AB401 asks for: only the tool's own when the tool drops the others."""
    shape = sp.handoff
    if shape.target_key in shape.dropped_without:
        return f"'{shape.target_key}'"
    others = " or ".join(f"'{k}'" for k in TARGET_KEYS if k != shape.target_key)
    return f"'{shape.target_key}' (or {others})"


def _why_dropped(sp: DialectSpec, used: str, missing: list[str]) -> str:
    own = sp.handoff.target_key
    if own in missing:
        return (f"it names its target with '{used}:', which {sp.tool} does not read;"
                f" rename it to '{own}:'")
    return f"it has no {' or '.join(repr(m) for m in missing)}"
