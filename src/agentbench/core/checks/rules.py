"""Library-wide checks: duplicates, the handoff graph, placeholders, the workspace, flows.

One function per rule; `lint`, the workbench and lint-as-you-type (checks/buffer.py) share them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agentbench.core.codes import severity
from agentbench.core.graph.analysis import Graph
from agentbench.core.hints import Names
from agentbench.core.model import Agent, Diagnostic, Dialect, Library, Workspace
from agentbench.core.placeholders import (
    PLACEHOLDER_RE,
    find_names,
    find_suspicious,
    first_occurrences,
)
from agentbench.core.read import dialects
from agentbench.core.read.parse import stem_of


def _diag(path: str, line: int, code: str, message: str, agent: str | None = None,
          column: int = 1) -> Diagnostic:
    return Diagnostic(path, max(line, 1), max(column, 1), severity(code), code, message, agent)


def library_diagnostics(library: Library, workspace: Workspace, profile: str | None = None,
                        cache: CheckCache | None = None) -> tuple[Diagnostic, ...]:
    found: list[Diagnostic] = list(workspace.diagnostics)
    agents = library.agents
    found += _duplicates(agents)
    graph = Graph.from_agents(agents)
    # A lone file has no library around it: its targets and reachability cannot be judged.
    single_file = len(library.files) == 1 and os.path.isfile(library.root)
    if not single_file:
        found += _graph_checks(library, graph, workspace)
        # Recorded flows (flows/*.yaml): two stat calls when there is no flows folder.
        from agentbench.core.flow.check import flow_diagnostics

        found += flow_diagnostics(library, library.root)
    found += _placeholder_checks(agents, workspace, profile, cache)
    return tuple(found)


def duplicate_message(name: str, other_path: str) -> str:
    """AB501's words, for `lint` and for lint-as-you-type alike."""
    return f"agent '{name[:60]}' is also defined in {other_path}; handoffs to it are ambiguous"


def dangling_message(label: str, target: str, hint: str) -> str:
    """AB403's words (`hint` is a "did you mean" or ''), for `lint` and lint-as-you-type."""
    return (f"handoff '{label[:60]}' targets '{target[:60]}', which is not an agent in this"
            f" library{hint}")


def _duplicates(agents: Sequence[Agent]) -> list[Diagnostic]:
    # Within what one tool loads: a factory template and its VS Code or Claude copy are
    # one agent written for three tools, not a collision.
    first: dict[tuple[Dialect, str], Agent] = {}
    found: list[Diagnostic] = []
    for agent in agents:
        other = first.setdefault((agent.dialect, agent.name), agent)
        if other is not agent:
            found.append(_diag(agent.path, agent.name_line, "AB501",
                               duplicate_message(agent.name, other.path), agent.name))
    return found


def _graph_checks(library: Library, graph: Graph, workspace: Workspace) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    named = library.by_name()
    found += _dangling(library.agents, named)
    for component in graph.cycles():
        anchor = named[component[0]]
        loop = " → ".join([*component, component[0]]) if len(component) < 8 else (
            f"{len(component)} agents including {', '.join(component[:5])}, …")
        found.append(_diag(anchor.path, anchor.name_line, "AB503",
                           f"handoff cycle: {loop}", anchor.name))
    entry = workspace.entry
    if entry is not None and named:
        if entry not in named:
            found.append(_diag(workspace.path or library.root,
                               workspace.key_lines.get("entry", 1), "AB504",
                               f"entry '{entry[:60]}' is not an agent in this library"
                               f"{Names(named).suggest(entry)}"))
        else:
            reached = graph.reachable(entry)
            for name, agent in sorted(named.items()):
                if name not in reached:
                    found.append(_diag(agent.path, agent.name_line, "AB502",
                                       f"no handoff path from the entry agent '{entry}'"
                                       f" reaches '{name[:60]}'", name))
    return found


def _dangling(agents: Sequence[Agent], named: dict[str, Agent]) -> list[Diagnostic]:
    """AB403, resolved as the tool would: VS Code among the agents it loads (its own files,
    by `name`, else the stem) and its built-in agents; the factory across the library."""
    own: dict[Dialect, set[str]] = {}
    for agent in agents:
        own.setdefault(agent.dialect, set()).add(agent.name)
    # Per dialect, once: the names a handoff may reach (runs for every handoff of a lint).
    reach = {d: (own[d] if dialects.spec(d).handoffs_within_dialect else named.keys(),
                 dialects.spec(d).builtin_agents) for d in own}
    found: list[Diagnostic] = []
    stems: dict[tuple[Dialect, str], Agent] | None = None
    # Sorted once per dialect, on its first miss: suggestions once dominated a lint of a
    # library with dangling handoffs.
    indexes: dict[Dialect, Names] = {}
    for agent in agents:
        if not agent.handoffs:
            continue
        known, builtin = reach[agent.dialect]
        for handoff in agent.handoffs:
            target = handoff.target
            if target in known or target in builtin:
                continue
            if stems is None:
                # A target that is a file's stem where the tool finds agents by `name` (the
                # commonest broken handoff of published VS Code teams): the hint says so.
                stems = {}
                for other in agents:
                    stems.setdefault((other.dialect, stem_of(other.path)), other)
            found.append(_diag(agent.path, handoff.line, "AB403",
                               dangling_message(handoff.label, target,
                                                _dangling_hint(agent, target, indexes,
                                                               known, named, stems)),
                               agent.name))
    return found


def _dangling_hint(agent: Agent, target: str, indexes: dict[Dialect, Names],
                   known: Iterable[str], named: dict[str, Agent],
                   stems: dict[tuple[Dialect, str], Agent]) -> str:
    sp = dialects.spec(agent.dialect)
    by_stem = stems.get((agent.dialect, target))
    if by_stem is not None and sp.handoffs_within_dialect:
        return (f" ({sp.tool} finds agents by 'name': {os.path.basename(by_stem.path)}"
                f" is named '{by_stem.name[:60]}')")
    index = indexes.get(agent.dialect)
    if index is None:
        index = indexes[agent.dialect] = Names(known)
    hint = index.suggest(target)
    if not hint and target in named:
        hint = (f" (only {dialects.spec(named[target].dialect).agents} have it;"
                f" {sp.tool} does not load those)")
    return hint


@dataclass(frozen=True, slots=True)
class Checked:
    diagnostics: tuple[Diagnostic, ...]
    used: frozenset[str]


# Per-agent placeholder results, reused across reloads while the agent object (from the file
# cache) and the known value names are unchanged: one saved file re-checks one agent.
CheckCache = dict[str, tuple[Agent, tuple[int, frozenset[str], str | None], Checked]]


def placeholder_context(workspace: Workspace,
                        profile: str | None) -> tuple[frozenset[str], str | None]:
    """The names that have a value, and the active profile: all per-agent checks depend on."""
    values = workspace.values(profile)
    return frozenset(values.names()), values.profile_name


def check_stamp(agent: Agent, known: frozenset[str],
                active: str | None) -> tuple[int, frozenset[str], str | None]:
    return (id(agent), known, active)


_AB601 = severity("AB601")
_AB604 = severity("AB604")


def agent_placeholder_checks(agent: Agent, known: frozenset[str],
                              active: str | None) -> Checked:
    # Runs for every agent of a lint: Diagnostics are built directly (lines and columns
    # here are already 1-based) rather than through `_diag`.
    found: list[Diagnostic] = []
    under = f" under profile '{active}'" if active else ""
    body, path, owner = agent.body, agent.path, agent.name
    occurrences = PLACEHOLDER_RE.findall(body) if "{{" in body else []
    used = set(occurrences)
    judged = bool(known) or dialects.spec(agent.dialect).fills_placeholders
    missing = used - known if judged else set()
    if missing:
        for name, line, column in first_occurrences(body, missing, occurrences):
            found.append(Diagnostic(path, agent.body_line + line, column, _AB601, "AB601",
                                    f"placeholder '{{{{{name}}}}}' has no value{under}",
                                    owner))
    for handoff in agent.handoffs:
        for name in find_names(handoff.prompt):
            used.add(name)
            if name in known:
                continue
            found.append(Diagnostic(path, max(handoff.line, 1), 1, _AB604, "AB604",
                                    f"handoff '{handoff.label[:40]}' asks for"
                                    f" '{{{{{name}}}}}' when it is used", owner))
    for item in find_suspicious(agent.body, len(occurrences)) if judged else ():
        found.append(_diag(agent.path, agent.body_line + item.line_offset, "AB603",
                           f"'{item.snippet}' {item.reason}; a placeholder is written"
                           " '{{ name }}'", agent.name, item.column))
    return Checked(tuple(found), frozenset(used))


def cached_checks(agent: Agent, known: frozenset[str], active: str | None,
                  cache: CheckCache | None) -> Checked:
    """`agent_placeholder_checks`, reused from `cache` while the agent and context hold."""
    stamp = check_stamp(agent, known, active)
    cached = cache.get(agent.path) if cache is not None else None
    if cached is not None and cached[0] is agent and cached[1] == stamp:
        return cached[2]
    checked = agent_placeholder_checks(agent, known, active)
    if cache is not None:
        # Holding `agent` keeps its id from being reused while the entry lives.
        cache[agent.path] = (agent, stamp, checked)
    return checked


def _placeholder_checks(agents: Sequence[Agent], workspace: Workspace, profile: str | None,
                        cache: CheckCache | None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if profile is not None and profile not in workspace.profiles:
        found.append(_diag(workspace.path or ".", 1, "AB802",
                           f"profile '{profile[:60]}' is not defined"
                           + (f" in {workspace.path}" if workspace.path else
                              " (no agentbench.yaml was found)")))
    known, active = placeholder_context(workspace, profile)
    used: set[str] = set()
    for agent in agents:
        checked = cached_checks(agent, known, active, cache)
        found.extend(checked.diagnostics)
        used.update(checked.used)
    if workspace.path and agents:
        for name, profile_values in workspace.profiles.items():
            for key in profile_values:
                if key not in used:
                    line = workspace.value_lines.get((name, key), 1)
                    found.append(_diag(workspace.path, line, "AB602",
                                       f"profile '{name}' sets '{key[:60]}', which no agent"
                                       " uses"))
    return found
