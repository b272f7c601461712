"""`agentbench.yaml` (entry agent, profiles) and `.github/agent-config.yml` (overrides).

Both are found at the library root or above it. Reading never raises: problems become
diagnostics and the workspace degrades to what could be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from agentbench.core.codes import severity
from agentbench.core.hints import Names, suggest
from agentbench.core.model import Diagnostic, Workspace
from agentbench.core.yamlio import reader as yamlio

WORKSPACE_NAME = "agentbench.yaml"
AGENT_CONFIG = Path(".github") / "agent-config.yml"
_WORKSPACE_KEYS = frozenset({"entry", "default_profile", "profiles"})
_WORKSPACE_KEY_NAMES = Names(_WORKSPACE_KEYS)
_AGENT_CONFIG_KEYS = frozenset({"agents", "overrides"})


def find_upwards(start: Path, relative: Path | str) -> Path | None:
    """The first `relative` in `start` or one of its parents."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):
        return None
    for folder in (here, *here.parents):
        candidate = folder / relative
        try:
            if candidate.is_file():
                return candidate
        except OSError:
            continue
    return None


def load_workspace(root: Path) -> Workspace:
    start = root if root.is_dir() else root.parent
    found: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    path = find_upwards(start, WORKSPACE_NAME)
    if path is not None:
        found.update(_read_workspace(path, diagnostics))
    config = find_upwards(start, AGENT_CONFIG)
    if config is not None:
        found["overrides"] = _read_overrides(config, diagnostics)
        found["overrides_path"] = str(config)
    workspace = Workspace(path=str(path) if path else None, diagnostics=(), **found)
    if workspace.default_profile and workspace.default_profile not in workspace.profiles:
        line = workspace.key_lines.get("default_profile", 1)
        hint = suggest(workspace.default_profile, set(workspace.profiles))
        diagnostics.append(_diag(str(path), line, "AB802",
                                 f"default_profile '{workspace.default_profile[:60]}' is not"
                                 f" one of the profiles{hint}"))
    return Workspace(**{**_fields(workspace), "diagnostics": tuple(diagnostics)})


def _fields(workspace: Workspace) -> dict[str, Any]:
    return {name: getattr(workspace, name) for name in workspace.__dataclass_fields__}


def _diag(path: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, max(line, 1), 1, severity(code), code, message)


def _load(path: Path, diagnostics: list[Diagnostic]) -> yamlio.Loaded | None:
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        diagnostics.append(_diag(str(path), 1, "AB801", f"cannot read it: {error}"))
        return None
    try:
        loaded = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        diagnostics.append(_diag(str(path), problem.line + 1, "AB801", problem.message))
        return None
    if loaded.data is None:
        return None
    if not isinstance(loaded.data, dict):
        diagnostics.append(_diag(str(path), 1, "AB801",
                                 f"expected 'key: value' pairs, found"
                                 f" {yamlio.type_name(loaded.data)}"))
        return None
    return loaded


def _read_workspace(path: Path, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    loaded = _load(path, diagnostics)
    if loaded is None:
        return {}
    data, lines = loaded.data, yamlio.key_lines(loaded.node)
    out: dict[str, Any] = {"key_lines": {k: v + 1 for k, v in lines.items()}}
    for key in data:
        if key not in _WORKSPACE_KEYS:
            diagnostics.append(_diag(str(path), lines.get(str(key), 0) + 1, "AB803",
                                     f"unknown key '{str(key)[:60]}'"
                                     f"{_WORKSPACE_KEY_NAMES.suggest(str(key))}"))
    for key in ("entry", "default_profile"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
        else:
            diagnostics.append(_diag(str(path), lines.get(key, 0) + 1, "AB801",
                                     f"'{key}' must be an agent or profile name, not"
                                     f" {yamlio.type_name(value)}"))
    raw_profiles = data.get("profiles")
    profiles_node = yamlio.value_node(loaded.node, "profiles")
    profiles: dict[str, dict[str, str]] = {}
    value_lines: dict[tuple[str, str], int] = {}
    if raw_profiles is not None and not isinstance(raw_profiles, dict):
        diagnostics.append(_diag(str(path), lines.get("profiles", 0) + 1, "AB801",
                                 "'profiles' must map profile names to values"))
    elif isinstance(raw_profiles, dict):
        profile_lines = yamlio.key_lines(profiles_node)
        for name, values in raw_profiles.items():
            line = profile_lines.get(str(name), 0) + 1
            if not isinstance(values, dict):
                diagnostics.append(_diag(str(path), line, "AB801",
                                         f"profile '{str(name)[:60]}' must map placeholder"
                                         f" names to values, not {yamlio.type_name(values)}"))
                continue
            value_node = yamlio.value_node(profiles_node, str(name))
            keys = yamlio.key_lines(value_node)
            profiles[str(name)] = _string_values(path, values, keys, diagnostics)
            for key in profiles[str(name)]:
                value_lines[(str(name), key)] = keys.get(key, line - 1) + 1
    out["profiles"] = profiles
    out["value_lines"] = value_lines
    return out


def _string_values(path: Path, values: dict[Any, Any], lines: dict[str, int],
                   diagnostics: list[Diagnostic]) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, bool):
            result[str(key)] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            result[str(key)] = str(value)
        elif value is None:
            result[str(key)] = ""
        else:
            diagnostics.append(_diag(str(path), lines.get(str(key), 0) + 1, "AB801",
                                     f"value of '{str(key)[:60]}' must be text, not"
                                     f" {yamlio.type_name(value)}"))
    return result


def _read_overrides(path: Path, diagnostics: list[Diagnostic]) -> dict[str, str]:
    loaded = _load(path, diagnostics)
    if loaded is None:
        return {}
    raw = loaded.data.get("overrides")
    if raw is None:
        return {}
    node = yamlio.value_node(loaded.node, "overrides")
    if not isinstance(raw, dict):
        line = (node.start_mark.line + 1) if isinstance(node, yaml.Node) else 1
        diagnostics.append(_diag(str(path), line, "AB801",
                                 "'overrides' must map placeholder names to values"))
        return {}
    return _string_values(path, raw, yamlio.key_lines(node), diagnostics)
