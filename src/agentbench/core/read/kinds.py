"""What reads a file, from where it really is: an agent (of which dialect), or another kind.

Only agents are agents. A repository's Markdown is also skills, slash commands, prompt and
instructions files, memory files and documentation; reading those as agents buried the true
findings under false ones. Every rule is a row of `KIND_RULES` (names and suffixes) or of a
dialect's table (folders, suffixes, see dialects.py), tried in `locate`'s documented order.

Paths are made absolute first: the tool sees `.claude/agents/x.md` whether PATH was
spelled `.` inside that folder or the repository's root. They are not resolved through
symlinks, because the tools read a linked file where the link is.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import NamedTuple

from agentbench.core.model import Dialect, FileKind
from agentbench.core.read import dialects


@dataclass(frozen=True, slots=True)
class KindRule:
    kind: FileKind
    # Exact file names (compared case-insensitively) and file name endings.
    names: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    # A folder name: every file below one (at any depth) is of this kind.
    folder: str | None = None
    # A folder holding `<name>/` subfolders of this kind (`skills/<skill>/`).
    parent_of: str | None = None
    # The header keys the tool reads in files of this kind. An agent key that is unknown
    # but valid here (`mode:`, `applyTo:`) was written on purpose: never "fixed" (AB303).
    keys: frozenset[str] = frozenset()


# One row per kind that is not an agent, in the order `locate` tries them.
SKILL_NAME = "SKILL.md"
KIND_RULES: tuple[KindRule, ...] = (
    KindRule(FileKind.SKILL, names=(SKILL_NAME,), parent_of="skills",
             keys=frozenset({"name", "description", "license", "allowed-tools", "metadata",
                             "compatibility"})),
    KindRule(FileKind.PROMPT, suffixes=(".prompt.md",),
             keys=frozenset({"agent", "mode", "model", "tools", "description", "name",
                             "argument-hint"})),
    KindRule(FileKind.INSTRUCTIONS, names=("copilot-instructions.md",),
             suffixes=(".instructions.md",),
             keys=frozenset({"applyTo", "description", "name", "excludeAgent"})),
    KindRule(FileKind.MEMORY, names=("AGENTS.md", "CLAUDE.md", "GEMINI.md")),
    KindRule(FileKind.DOCUMENTATION,
             names=("README.md", "CHANGELOG.md", "LICENSE.md", "CONTRIBUTING.md",
                    "CODE_OF_CONDUCT.md", "SECURITY.md", "SUPPORT.md")),
    KindRule(FileKind.COMMAND, folder="commands",
             keys=frozenset({"description", "argument-hint", "allowed-tools", "model",
                             "disable-model-invocation"})),
)
SIBLING_KEYS: frozenset[str] = frozenset().union(*(rule.keys for rule in KIND_RULES))
_BY_KIND = {rule.kind: rule for rule in KIND_RULES}
# How `list` and the summaries name each kind, one and many.
KIND_NOUNS: dict[FileKind, tuple[str, str]] = {
    FileKind.AGENT: ("agent", "agents"),
    FileKind.PROMPT: ("prompt file", "prompt files"),
    FileKind.INSTRUCTIONS: ("instructions file", "instructions files"),
    FileKind.SKILL: ("skill file", "skill files"),
    FileKind.COMMAND: ("command", "commands"),
    FileKind.MEMORY: ("memory file", "memory files"),
    FileKind.DOCUMENTATION: ("documentation file", "documentation files"),
}
assert set(KIND_NOUNS) == set(FileKind)

# A folder named like a dialect's default folder (`agents/`) holds agents whatever their
# dialect: there a file without a header is a broken agent (AB108), not documentation.
AGENT_FOLDERS = frozenset(dialects.spec(d).default_folder[-1] for d in Dialect)


class Location(NamedTuple):
    kind: FileKind
    # None: the place says nothing about the dialect; the content decides (parse.py).
    dialect: Dialect | None
    rule: str
    # False: nothing but its content says the file is an agent; without an agent header it
    # is documentation, not a broken agent.
    located: bool
    # The folder rule that decided, when the tool loads every `.md` file there.
    every_md: bool = False


def _folder_parts(folder: str) -> list[str]:
    return [part for part in os.path.normpath(folder).split("/") if part and part != "."]


# (dialect, folder, pattern parts) in detection order, unpacked once: this runs per file.
_FOLDER_RULES = tuple(
    (s.dialect, f, tuple(f.parent.split("/")))
    for s in dialects.DETECTED_BY_PATH for f in s.folders
)
_SUFFIX_RULES = tuple((s.dialect, s.suffixes) for s in dialects.DETECTED_BY_PATH if s.suffixes)
_MANIFESTS = tuple((s.dialect, s.manifest_folder) for s in dialects.DETECTED_BY_PATH
                   if s.manifest_folder)


def _matches(part: str, pattern: str) -> bool:
    return pattern == "*" or part == pattern


def _folder_end(dirs: list[str], folder: dialects.Folder, parent: tuple[str, ...]) -> int:
    """The index in `dirs` of the deepest `child` folder this rule matches, or -1."""
    best = -1
    width = len(parent)
    for start in range(len(dirs) - width):
        if not all(_matches(dirs[start + j], parent[j]) for j in range(width)):
            continue
        after = start + width
        candidates = range(after, len(dirs)) if folder.any_depth else range(after, after + 1)
        for end in candidates:
            if dirs[end] == folder.child and (folder.nested or end == len(dirs) - 1):
                best = max(best, end)
    return best


@functools.lru_cache(maxsize=4096)
def _has_folder(folder: str, name: str) -> bool:
    return os.path.isdir(os.path.join(folder, name))


def _by_folder(dirs: list[str]) -> tuple[Dialect, dialects.Folder | None, str] | None:
    """The dialect the deepest matching folder rule gives, with the rule's words."""
    found: tuple[int, Dialect, dialects.Folder | None, str] | None = None
    for dialect, folder, parent in _FOLDER_RULES:
        end = _folder_end(dirs, folder, parent)
        if end >= 0 and (found is None or end > found[0]):
            found = (end, dialect, folder, folder.rule)
    # A plugin: `<plugin>/agents/` beside `<plugin>/.claude-plugin/`.
    if _MANIFESTS and "agents" in dirs:
        end = len(dirs) - 1 - dirs[::-1].index("agents")
        if end >= 1 and (found is None or end > found[0]):
            plugin = "/" + "/".join(dirs[:end])
            for dialect, manifest in _MANIFESTS:
                if manifest and _has_folder(plugin, manifest):
                    found = (end, dialect, None, f"path agents/ beside {manifest}/")
                    break
    return None if found is None else found[1:]


# Name rules, lowercased once: `locate` runs for every file found.
_NAMES: dict[str, tuple[FileKind, str]] = {
    known.lower(): (rule.kind, f"name {known}") for rule in KIND_RULES for known in rule.names}
_SUFFIXES: tuple[tuple[str, FileKind, str], ...] = tuple(
    (suffix, rule.kind, f"suffix {suffix}") for rule in KIND_RULES for suffix in rule.suffixes)
# Checked before a dialect's folder: the file's own name says what it is.
_FIRST = frozenset({FileKind.SKILL, FileKind.PROMPT, FileKind.INSTRUCTIONS})
_AGENT_SUFFIXES = tuple((suffix, dialect) for dialect, suffixes in _SUFFIX_RULES
                        for suffix in suffixes)


def _by_name(lowered: str) -> tuple[FileKind, str] | None:
    found = _NAMES.get(lowered)
    if found is not None:
        return found
    for suffix, kind, rule in _SUFFIXES:
        if lowered.endswith(suffix):
            return kind, rule
    return None


@functools.lru_cache(maxsize=8192)
def _folder_info(folder: str) -> tuple[tuple[Dialect, dialects.Folder | None, str] | None,
                                       Location]:
    """What a file's folder alone says (cached: every file of a folder shares it)."""
    dirs = _folder_parts(folder)
    return _by_folder(dirs), _by_deepest_folder(dirs)


def locate(path: str, in_skill: bool = False) -> Location:
    """What reads the file at `path`. `in_skill`: discovery saw a SKILL.md in its folder or
    above it (a skill's files are the skill's, whatever they are called). First that applies:

    1. `SKILL.md`; a prompt or instructions file (its suffix or name says so);
    2. a dialect's folder (`.claude/agents/**`, `plugins/*/agents/**`, `agents/` beside
       `.claude-plugin/`, `.github/agents/**`): an agent, unless it is named like
       documentation or memory in a folder whose tool reads only headed files;
    3. inside a skill folder;
    4. an agent suffix (`*.agent.md`, `*.chatmode.md`);
    5. memory (`AGENTS.md`, `CLAUDE.md`, `GEMINI.md`) and documentation names (README, …);
    6. the deepest of: `commands/**` (a command), `skills/<skill>/**` (a skill), an
       `agents/` folder (an agent of the dialect its content says);
    7. anything else: an agent if its header is an agent's (parse.py), else documentation.
    """
    path = path.replace("\\", "/").rstrip("/")
    folder, _, name = path.rpartition("/")
    if not path.startswith("/"):
        folder = os.path.join(os.getcwd(), folder)
    lowered = name.lower()
    named = _by_name(lowered)
    if named is not None and named[0] in _FIRST:
        return Location(named[0], None, named[1], False)
    by_folder, deepest = _folder_info(folder or "/")
    if by_folder is not None:
        dialect, rule_folder, words = by_folder
        every_md = rule_folder is not None and rule_folder.every_md
        if named is None or every_md:
            return Location(FileKind.AGENT, dialect, words, True, every_md)
    if in_skill:
        return Location(FileKind.SKILL, None, "in a skill folder (beside a SKILL.md)", False)
    for suffix, dialect in _AGENT_SUFFIXES:
        if lowered.endswith(suffix):
            return Location(FileKind.AGENT, dialect, f"suffix {suffix}", True)
    if named is not None:
        return Location(named[0], None, named[1], False)
    return deepest


def _by_deepest_folder(dirs: list[str]) -> Location:
    command = _BY_KIND[FileKind.COMMAND].folder
    skills = _BY_KIND[FileKind.SKILL].parent_of
    for index in range(len(dirs) - 1, -1, -1):
        folder = dirs[index]
        if folder == command:
            return Location(FileKind.COMMAND, None, f"path {command}/**", False)
        if folder == skills and index < len(dirs) - 1:
            return Location(FileKind.SKILL, None, f"path {skills}/*/**", False)
        if folder in AGENT_FOLDERS and index == len(dirs) - 1:
            return Location(FileKind.AGENT, None, f"path {folder}/", True)
    return Location(FileKind.AGENT, None, "", False)


def sibling_kinds(key: str) -> str:
    """'prompt files and commands': the kinds whose files read header key `key`."""
    return " and ".join(KIND_NOUNS[rule.kind][1] for rule in KIND_RULES if key in rule.keys)


def is_agent_path(path: str) -> bool:
    """True when reading the file is needed to say what it is (it may be an agent)."""
    return locate(path).kind is FileKind.AGENT


def noun(kind: FileKind, count: int) -> str:
    one, many = KIND_NOUNS[kind]
    return f"{count} {one if count == 1 else many}"
