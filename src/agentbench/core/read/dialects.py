"""What each dialect is, as data: one table per dialect.

Detection (parse.py), the schema (schema.py), handoffs (handoffs.py), discovery
(library/loader.py), new agents (write/new_agent.py) and export (export/rules.py) read these
tables instead of keeping their own constants, so teaching agentbench a key, a folder or a
model alias of a dialect is an edit here and nowhere else.

The tables describe what the code checks today, no more: a key's kind is checked only for
the keys the schema reads (name, description, model, triggers, tools, handoffs); every other
known key is `Kind.ANY`, read and kept as written.

Sits low on purpose: it imports only the model, so everything that reads files can use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from agentbench.core.model import Dialect


class Kind(StrEnum):
    """The value a known key must hold (the value is how the `model` message names it)."""

    TEXT = "text"
    TEXT_OR_TEXT_LIST = "text or a list of text"
    TEXT_LIST = "a list of text"
    # Commas inside parentheses stay with the item: `Read, Agent(worker, researcher)`.
    TEXT_LIST_OR_COMMAS = "a list of text or comma-separated text"
    HANDOFFS = "a list of handoffs"
    ANY = "anything"


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder whose files are all this dialect's: `child` inside `parent`.

    `parent` may be several folders (`plugins/*`), `*` standing for any one folder name.
    """

    parent: str
    child: str
    # True: `child` may sit at any depth below `parent` (detection has always taken
    # `.claude/x/agents/a.md` for Claude's); False: directly inside it.
    any_depth: bool = False
    # True: files may sit in subfolders of `child` too.
    nested: bool = False
    # True: the tool loads every `.md` file here, with or without a header (VS Code), so a
    # README or AGENTS.md in it is an agent too and a missing header is no error.
    every_md: bool = False

    @property
    def rule(self) -> str:
        """How `list` names the rule: `path .claude/agents/`."""
        middle = "**/" if self.any_depth else ""
        return f"path {self.parent}/{middle}{self.child}/" + ("**" if self.nested else "")


@dataclass(frozen=True, slots=True)
class HandoffShape:
    # The key the tool reads a handoff's target from. Both `agent` and `target` are read in
    # every dialect (see TARGET_KEYS); this one is what the tool needs and what is written.
    target_key: str
    keys: frozenset[str]
    # A handoff lacking any of these is silently dropped by the tool (AB402, an error).
    # When empty, a missing label or prompt is only a warning (AB405, AB406).
    dropped_without: tuple[str, ...] = ()
    label_key: str = "label"
    prompt_key: str = "prompt"
    send_key: str = "send"
    model_key: str = "model"


@dataclass(frozen=True, slots=True)
class DialectSpec:
    dialect: Dialect
    # How messages name the tool, and the agents it reads.
    tool: str
    agents: str
    # Path rules for detection: any folder, or any suffix, makes a file this dialect's.
    folders: tuple[Folder, ...]
    # The first is the one new files get; the others are legacy.
    suffixes: tuple[str, ...]
    # Every top-level key the tool reads, one line each: a line added here makes the key
    # known (no AB303), ignored rather than unknown in the other dialects (AB308), and
    # carried over by an export to the same tool.
    keys: Mapping[str, Kind]
    # Missing ones are errors (AB301).
    required: tuple[str, ...]
    # Without `name` the file's stem is the name; True says so (AB301), False stays silent.
    notes_stem_name: bool
    # A name the tool accepts, and how to say so when it does not (AB305).
    name_pattern: re.Pattern[str] | None
    name_rule: str
    handoff: HandoffShape
    # False: the tool ignores `handoffs` (AB407); they are still read for the graph.
    reads_handoffs: bool
    # Model names accepted besides Claude model ids, in the order messages list them.
    model_aliases: tuple[str, ...]
    # True: nothing else is accepted (AB306); False: other names are the tool's business.
    models_closed: bool
    # Where new agents of the dialect go.
    default_folder: tuple[str, ...]
    # True: the file's name is part of the agent's identity (the factory copies templates by
    # file name), so a name that differs is noted (AB307) and the fix renames the file.
    # VS Code and Claude Code identify an agent by `name`; the file name is free there.
    name_is_file_name: bool = False
    # An `agents/` folder beside a folder of this name is this dialect's (a plugin manifest).
    manifest_folder: str | None = None
    # What only this dialect's files hold, for files whose place says nothing: values of
    # `model` (besides the keys only this table knows, see CONTENT_KEYS).
    content_models: tuple[str, ...] = ()
    # True: `tools` written as comma-separated text says this dialect.
    content_comma_tools: bool = False
    # True: this dialect's `{{placeholders}}` are filled before the prompt is used (the
    # factory's templates). VS Code and Claude Code fill none: there `{{title}}` is a slot
    # the prompt asks the model to fill in its answer, so it is not judged unfilled (AB601,
    # AB603) unless the workspace gives placeholder values (the library uses them).
    fills_placeholders: bool = False
    # True: the tool resolves a handoff only among its own agents (what it loads), so a
    # match in another dialect's files (a Claude copy of the team) does not count.
    handoffs_within_dialect: bool = False
    # Agents the tool has built in: valid handoff targets without a file.
    builtin_agents: frozenset[str] = frozenset()
    # Model ids the tool accepts besides Claude's own (`claude-sonnet-4.6`: Copilot's ids).
    extra_model_ids: re.Pattern[str] | None = None
    known_keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        # Precomputed: the schema asks once per key of every file.
        object.__setattr__(self, "known_keys", frozenset(self.keys))


# A handoff names its target with either key in every dialect; the first present wins.
TARGET_KEYS = ("agent", "target")
_HANDOFF_KEYS = frozenset({"target", "agent", "label", "prompt", "send", "model",
                           "showContinueOn"})

# Every `claude-…` model name is checked against this, whatever the dialect.
CLAUDE_MODEL_ID = re.compile(
    r"claude-(?:(?:opus|sonnet|haiku)-\d+(?:-\d+)?(?:-\d{8})?"
    r"|3(?:-[57])?-(?:opus|sonnet|haiku)(?:-\d{8}|-latest)?)(?:@\d{8})?"
)

FACTORY = DialectSpec(
    dialect=Dialect.FACTORY,
    tool="the factory templates",
    agents="factory templates",
    folders=(),
    suffixes=(),
    keys=MappingProxyType({
        "name": Kind.TEXT,
        "model": Kind.TEXT,
        "description": Kind.TEXT,
        "triggers": Kind.TEXT_LIST,
        "handoffs": Kind.HANDOFFS,
    }),
    required=(),
    notes_stem_name=True,
    name_pattern=None,
    name_rule="",
    handoff=HandoffShape(target_key="target", keys=_HANDOFF_KEYS),
    reads_handoffs=True,
    model_aliases=(),
    models_closed=False,
    default_folder=("agents",),
    name_is_file_name=True,
    fills_placeholders=True,
)

VSCODE = DialectSpec(
    dialect=Dialect.VSCODE,
    tool="VS Code",
    agents="VS Code custom agents",
    folders=(Folder(".github", "agents", nested=True, every_md=True),),
    suffixes=(".agent.md", ".chatmode.md"),
    keys=MappingProxyType({
        "description": Kind.TEXT,
        "name": Kind.TEXT,
        "tools": Kind.TEXT_LIST_OR_COMMAS,
        "model": Kind.TEXT_OR_TEXT_LIST,
        "argument-hint": Kind.ANY,
        "target": Kind.ANY,
        "agents": Kind.ANY,
        "user-invocable": Kind.ANY,
        "disable-model-invocation": Kind.ANY,
        "mcp-servers": Kind.ANY,
        "handoffs": Kind.HANDOFFS,
        # Deprecated (user-invocable and disable-model-invocation replace it), still read.
        "infer": Kind.ANY,
        "hooks": Kind.ANY,
        "metadata": Kind.ANY,
    }),
    required=(),
    notes_stem_name=False,
    name_pattern=None,
    name_rule="",
    handoff=HandoffShape(target_key="agent", keys=_HANDOFF_KEYS,
                         dropped_without=("agent", "label", "prompt")),
    reads_handoffs=True,
    model_aliases=(),
    models_closed=False,
    default_folder=(".github", "agents"),
    handoffs_within_dialect=True,
    # VS Code's documented example hands off to `agent`, its built-in agent.
    builtin_agents=frozenset({"agent", "ask", "edit", "plan"}),
    # Copilot's model picker ids are dotted, old ones family-last: `claude-sonnet-4.6`,
    # `claude-opus-4.7`, `claude-3.5-sonnet`, `claude-3.7-sonnet-thought`.
    extra_model_ids=re.compile(
        r"claude-(?:(?:opus|sonnet|haiku)-\d+(?:\.\d+)?|\d+(?:\.\d+)?-(?:opus|sonnet|haiku))"
        r"(?:-thinking|-thought)?"),
)

CLAUDE = DialectSpec(
    dialect=Dialect.CLAUDE,
    tool="Claude Code",
    agents="Claude Code subagents",
    # Plugins (`plugins/<plugin>/agents/`, or any folder with a `.claude-plugin/` manifest)
    # are how Claude Code subagents are published.
    folders=(Folder(".claude", "agents", any_depth=True, nested=True),
             Folder("plugins/*", "agents", nested=True)),
    suffixes=(),
    keys=MappingProxyType({
        "name": Kind.TEXT,
        "description": Kind.TEXT,
        "tools": Kind.TEXT_LIST_OR_COMMAS,
        "disallowedTools": Kind.ANY,
        "model": Kind.TEXT,
        "permissionMode": Kind.ANY,
        "maxTurns": Kind.ANY,
        "skills": Kind.ANY,
        "mcpServers": Kind.ANY,
        "hooks": Kind.ANY,
        "memory": Kind.ANY,
        "color": Kind.ANY,
        "background": Kind.ANY,
        "isolation": Kind.ANY,
        "effort": Kind.ANY,
        "initialPrompt": Kind.ANY,
    }),
    required=("name", "description"),
    notes_stem_name=False,
    name_pattern=re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
    name_rule="lowercase letters, digits and hyphens",
    handoff=HandoffShape(target_key="target", keys=_HANDOFF_KEYS),
    reads_handoffs=False,
    model_aliases=("sonnet", "opus", "haiku", "inherit"),
    models_closed=True,
    default_folder=(".claude", "agents"),
    manifest_folder=".claude-plugin",
    content_models=("sonnet", "opus", "haiku", "inherit"),
    content_comma_tools=True,
)

_SPECS: dict[Dialect, DialectSpec] = {s.dialect: s for s in (FACTORY, VSCODE, CLAUDE)}
assert set(_SPECS) == set(Dialect), "every Dialect needs a table"


def spec(dialect: Dialect) -> DialectSpec:
    return _SPECS[dialect]


# Detection tries these in order; the first whose folder or suffix matches decides. Claude
# comes first so `.claude/agents/x.agent.md` is Claude's. A file no rule claims is FALLBACK's.
DETECTED_BY_PATH: tuple[DialectSpec, ...] = (CLAUDE, VSCODE)
FALLBACK = Dialect.FACTORY
assert not spec(FALLBACK).folders and not spec(FALLBACK).suffixes

# `.md` last: `x.agent.md` has the stem `x`, not `x.agent`.
STEM_SUFFIXES: tuple[str, ...] = (
    *dict.fromkeys(suffix for s in _SPECS.values() for suffix in s.suffixes), ".md")

KNOWN_KEYS: Mapping[Dialect, frozenset[str]] = MappingProxyType(
    {d: s.known_keys for d, s in _SPECS.items()})
# Keys only one dialect reads: where the place of a file says nothing, they say its dialect.
CONTENT_KEYS: Mapping[Dialect, frozenset[str]] = MappingProxyType({
    d: keys - frozenset().union(*(k for o, k in KNOWN_KEYS.items() if o is not d))
    for d, keys in KNOWN_KEYS.items()})
# Keys some dialect reads: in a file of another dialect they are ignored (AB308), not unknown.
ALL_KEYS: frozenset[str] = frozenset().union(*KNOWN_KEYS.values())
