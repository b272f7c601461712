"""Quick fixes for the diagnostics that have a safe one, and `lint --fix`.

Safe means: the fix changes only the offending text, never what an agent is called or where a
handoff leads, and is checked by parsing the result (a fix that adds an error is dropped).

| code  | fix |
|-------|-----|
| AB402 | a VS Code handoff's `target:` key becomes `agent:` |
| AB303 | a misspelt key becomes the key the message suggests, only when that is certain:
          two neighbouring letters swapped (`modle:` -> `model:`) or only case and `_`/`-`
          differ (`Argument_Hint:`). A key valid in a sibling format (`mode:`, `agent:`,
          `applyTo:`) is never renamed, and a guess one letter away (`agent:` ->
          `agents:`) is a different word as often as a typo: those stay suggestions |
| AB701 | a line of mojibake is re-decoded (`â€“` -> `–`) |
| AB307 | factory templates only (the other tools name agents by `name`, not by file): the
          file is renamed after the agent's `name` when that is a slug (`backend-agent`);
          never a SKILL.md, never a name with spaces |
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import yaml

from agentbench.core.model import Diagnostic, Dialect, Library, Severity
from agentbench.core.read.kinds import SIBLING_KEYS, SKILL_NAME
from agentbench.core.read.parse import detect_dialect, parse_bytes
from agentbench.core.write.agent_edit import rename_handoff_key, rename_key
from agentbench.core.write.change import (
    EditError,
    FileChange,
    Source,
    edit_bytes,
    read_for_edit,
    save_all,
)
from agentbench.core.write.rename import file_name_ok, renamed_path
from agentbench.core.write.yaml_text import Front, compose, find_key, last_line

FIXABLE = frozenset({"AB402", "AB303", "AB701", "AB307"})
_SUGGESTION = re.compile(r"did you mean '([^']+)'\?")
_UNKNOWN = re.compile(r"unknown key '([^']*)'")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ROUNDS = 500


@dataclass(frozen=True, slots=True)
class Fix:
    """One quick fix: what it does, and the file's bytes (and name) after it."""

    code: str
    line: int
    title: str
    after: bytes
    new_path: str | None = None


def fixes_for(diagnostic: Diagnostic, data: bytes | str) -> Fix | None:
    """The safe fix for `diagnostic` in a file holding `data` (its bytes, or its text), or
    None. The result is not written: save it with `change.save(FileChange(...))`."""
    if diagnostic.code not in FIXABLE:
        return None
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fix = _fix(diagnostic, raw)
    except (EditError, yaml.YAMLError):
        return None
    if fix is None or (fix.after == raw and fix.new_path is None):
        return None
    return fix if _no_new_errors(diagnostic.path, raw, fix) else None


def _fix(diagnostic: Diagnostic, data: bytes) -> Fix | None:
    code, line = diagnostic.code, diagnostic.line
    if code == "AB402":
        if detect_dialect(diagnostic.path) is not Dialect.VSCODE:
            return None
        after = rename_handoff_key(data, _handoff_at(data, line), "target", "agent")
        return Fix(code, line, f"line {line}: handoff 'target:' -> 'agent:'", after)
    if code == "AB303":
        return _fix_key(diagnostic, data)
    if code == "AB701":
        return _fix_mojibake(diagnostic, data)
    if code == "AB307":
        return _fix_file_name(diagnostic, data)
    return None  # pragma: no cover - FIXABLE lists the codes above


def _handoffs(front: Front) -> list[yaml.Node]:
    found = find_key(front.root, "handoffs")
    if found is None or not isinstance(found[1], yaml.SequenceNode):
        return []
    return list(found[1].value)


def _handoff_at(data: bytes, line: int) -> int:
    front = compose(Source.from_bytes(data))
    for index, item in enumerate(_handoffs(front)):
        if front.index(item.start_mark) + 1 == line:
            return index
    raise EditError(f"no handoff starts on line {line}")


def _fix_key(diagnostic: Diagnostic, data: bytes) -> Fix | None:
    suggestion = _SUGGESTION.search(diagnostic.message)
    unknown = _UNKNOWN.search(diagnostic.message)
    if suggestion is None or unknown is None:
        return None
    good, shown = suggestion.group(1), unknown.group(1)
    if not certain_key_fix(shown, good):
        return None
    front = compose(Source.from_bytes(data))
    line = diagnostic.line

    def key_on_line(mapping: yaml.MappingNode) -> str | None:
        for key_node, _ in mapping.value:
            key = str(key_node.value)
            if front.index(key_node.start_mark) + 1 == line and key.startswith(shown):
                return key
        return None

    key = key_on_line(front.root)
    if key is not None:
        return Fix("AB303", line, f"line {line}: '{key}:' -> '{good}:'",
                   rename_key(data, key, good))
    for index, item in enumerate(_handoffs(front)):
        if not isinstance(item, yaml.MappingNode):
            continue
        if front.index(item.start_mark) + 1 <= line <= last_line(item) + front.offset + 1:
            key = key_on_line(item)
            if key is None:
                return None
            return Fix("AB303", line, f"line {line}: handoff '{key}:' -> '{good}:'",
                       rename_handoff_key(data, index, key, good))
    return None


def certain_key_fix(key: str, good: str) -> bool:
    """True when renaming `key` to `good` is certainly what was meant (see the table above)."""
    if key in SIBLING_KEYS:
        return False
    def folded(word: str) -> str:
        return word.lower().replace("_", "-")
    if folded(key) == folded(good):
        return True
    if len(key) != len(good):
        return False
    diff = [i for i, (a, b) in enumerate(zip(key, good, strict=True)) if a != b]
    return (len(diff) == 2 and diff[1] == diff[0] + 1
            and key[diff[0]] == good[diff[1]] and key[diff[1]] == good[diff[0]])


def _fix_mojibake(diagnostic: Diagnostic, data: bytes) -> Fix | None:
    import ftfy

    line = diagnostic.line
    source = Source.from_bytes(data)
    if not 1 <= line <= len(source.lines):
        return None
    old = source.lines[line - 1]
    # fix_encoding only undoes the mis-decoding; the diagnostic's `fix` (ftfy.fix_text) may
    # also straighten quotes elsewhere on the line, so it is the fallback.
    new = ftfy.fix_encoding(old)
    if new == old:
        new = diagnostic.fix or old
    if new == old or "\n" in new or "\r" in new:
        return None

    def edit(src: Source) -> None:
        src.replace(line - 1, line, [new])

    return Fix("AB701", line, f"line {line}: mojibake repaired", edit_bytes(data, edit))


def _fix_file_name(diagnostic: Diagnostic, data: bytes) -> Fix | None:
    parsed = parse_bytes(diagnostic.path, data)
    agent = parsed.agent
    if (agent is None or agent.dialect is not Dialect.FACTORY
            or os.path.basename(diagnostic.path) == SKILL_NAME
            or not _SLUG.fullmatch(agent.name) or not file_name_ok(agent.name)):
        return None
    new_path = renamed_path(diagnostic.path, agent.name)
    if os.path.lexists(new_path) or detect_dialect(new_path) is not agent.dialect:
        return None
    return Fix("AB307", diagnostic.line,
               f"renamed to {os.path.basename(new_path)} after the agent's name", data,
               new_path)


def _errors(path: str, data: bytes) -> set[tuple[str, str]]:
    return {(d.code, d.message) for d in parse_bytes(path, data).diagnostics
            if d.severity is Severity.ERROR}


def _no_new_errors(path: str, before: bytes, fix: Fix) -> bool:
    after_path = fix.new_path or path
    old = {(code, message) for code, message in _errors(path, before)}
    new = _errors(after_path, fix.after)
    return {code for code, _ in new} <= {code for code, _ in old} and len(new) <= len(old)


# --- the whole library ------------------------------------------------------------------------


def plan_fixes(library: Library) -> list[FileChange]:
    """Every safe fix in the library, one FileChange per file (nothing is written)."""
    changes: list[FileChange] = []
    for parsed in library.files:
        if not any(d.code in FIXABLE for d in parsed.diagnostics):
            continue
        try:
            change = _fix_file(parsed.path)
        except EditError:
            continue
        if change is not None and change.changed:
            changes.append(change)
    return changes


def apply_fixes(library: Library, *, write: bool = True) -> list[FileChange]:
    """Plan every safe fix and (when `write`) save them all, or none if one save fails
    (WriteRefused). Returns the changes; `FileChange.diff()` gives each unified diff."""
    changes = plan_fixes(library)
    if write:
        save_all(changes)
    return changes


def _fix_file(path: str) -> FileChange | None:
    before, stamp = read_for_edit(path)
    data = before
    titles: list[str] = []
    tried: set[tuple[str, int, str]] = set()
    new_path: str | None = None
    for _ in range(MAX_ROUNDS):
        pending = [d for d in parse_bytes(path, data).diagnostics
                   if d.code in FIXABLE - {"AB307"}
                   and (d.code, d.line, d.message) not in tried]
        if not pending:
            break
        diagnostic = pending[0]
        tried.add((diagnostic.code, diagnostic.line, diagnostic.message))
        fix = fixes_for(diagnostic, data)
        if fix is not None:
            data = fix.after
            titles.append(f"{diagnostic.code} {fix.title}")
    for diagnostic in parse_bytes(path, data).diagnostics:
        if diagnostic.code == "AB307":
            fix = fixes_for(diagnostic, data)
            if fix is not None:
                new_path = fix.new_path
                titles.append(f"{diagnostic.code} {fix.title}")
    if data == before and new_path is None:
        return None
    return FileChange(path, before, data, stamp, tuple(titles), new_path)
