"""Every diagnostic code agentbench can emit, with its default severity and meaning.

Codes are a public contract (scripts filter on them, `docs/diagnostics.md` documents them and
a test keeps the two in step): never reuse or renumber one.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentbench.core.model import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str
    explanation: str


# Which package emits which range, so a new code goes beside its neighbours:
#   AB101 AB107 AB109   core/library/loader.py   files discovery cannot read or use
#   AB102-AB108 AB110   core/read/parse.py       bytes, encoding, no frontmatter (AB107 too,
#                                                for bytes that never came from the disk)
#   AB202 AB205 AB206   core/read/parse.py       the frontmatter's fences and shape
#   AB201 AB203 AB204   core/yamlio/reader.py    YAML itself; read/parse.py reports them
#   AB3xx               core/read/schema.py      keys, types, names, models, per the dialect
#                                                tables in core/read/dialects.py (AB302 and
#                                                AB303 for handoff items: read/handoffs.py)
#   AB4xx               core/read/handoffs.py    except AB407 (read/schema.py) and AB403,
#                                                which needs the library: core/checks/
#   AB5xx AB6xx         core/checks/rules.py     library-wide; checks/buffer.py re-derives
#                                                AB403 and AB501 for an unsaved buffer
#   AB7xx               core/text/checks.py
#   AB8xx               core/library/workspace.py (AB802 for a selected profile:
#                                                checks/rules.py)
#   AB9xx               core/flow/record.py (reading) and core/flow/check.py (replay)
# core/write/fixes.py and the CLI name codes to fix them; they emit none.
CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # Files
        Code("AB101", E, "unreadable file", "The file could not be read (permissions, I/O error, deleted while scanning, a symlink loop)."),
        Code("AB102", E, "binary file", "The file contains NUL bytes; it is not a text file and is skipped."),
        Code("AB103", E, "not UTF-8", "The file is not valid UTF-8. It is read with the bad bytes replaced; the first bad byte's position is given."),
        Code("AB104", I, "UTF-8 byte order mark", "The file starts with a UTF-8 BOM. It is read without it; most tools accept it, some show a stray character."),
        Code("AB105", I, "CRLF line endings", "The file uses Windows line endings. It is read normally; noted because mixed endings confuse diffs."),
        Code("AB106", W, "empty file", "The file is empty, so it defines no agent."),
        Code("AB107", E, "file too large", "The file is larger than agentbench reads (5 MB); it is skipped."),
        Code("AB108", W, "no frontmatter", "The file does not start with a `---` line, so it has no frontmatter and defines no agent."),
        Code("AB109", E, "folder named like an agent", "A folder's name ends in `.md`; it is not a file and is skipped."),
        Code("AB110", I, "agent without frontmatter", "The file has no `---` header, but its tool loads every `.md` file in its folder as an agent (VS Code, `.github/agents/`): it is an agent named after its file, with its whole text as the prompt. Give it a header, or move it out if it is not meant to be an agent."),
        # Frontmatter
        Code("AB201", E, "YAML syntax error", "The frontmatter is not valid YAML. The position of the error is given."),
        Code("AB202", E, "unclosed frontmatter", "The frontmatter opens with `---` but no closing `---` line follows."),
        Code("AB203", E, "YAML alias bomb", "The frontmatter's aliases (`&`/`*`) expand to an enormous document; it is refused."),
        Code("AB204", E, "duplicate key", "A key appears twice in one mapping (the frontmatter, a handoff, a profile); YAML keeps only the last, which hides the first."),
        Code("AB205", E, "frontmatter is not a mapping", "The frontmatter is a list or a single value, not `key: value` pairs."),
        Code("AB206", W, "empty frontmatter", "The frontmatter holds nothing."),
        # Fields
        Code("AB301", E, "missing required field", "A field this dialect requires is missing (Claude Code needs `name` and `description`)."),
        Code("AB302", E, "wrong field type", "A field has the wrong type (for example `triggers` as text instead of a list)."),
        Code("AB303", W, "unknown key", "The dialect does not know this key; a close match is suggested when there is one."),
        Code("AB304", W, "missing description", "The agent has no description; tools show it when choosing an agent."),
        Code("AB305", E, "invalid name", "The name is not usable: empty, or (Claude Code) not lowercase letters, digits and hyphens."),
        Code("AB306", W, "unknown model", "The model name is not one the target tools accept; the likely intended name is suggested."),
        Code("AB307", I, "name differs from file name", "The agent's name is not its file's name; tools that name agents by file will disagree."),
        Code("AB308", I, "key ignored by this dialect", "The key is meaningful in another dialect but this file's tool ignores it."),
        Code("AB309", W, "empty model", "`model:` is present but empty; the tool's default model is used."),
        # Handoffs
        Code("AB401", E, "malformed handoff", "A handoff is not a mapping, or names no target."),
        Code("AB402", E, "handoff dropped by VS Code", "VS Code keeps a handoff only when it has `agent`, `label` and `prompt`; this one lacks one (a factory `target:` must become `agent:`)."),
        Code("AB403", E, "handoff to a missing agent", "The handoff's target is not an agent in the library."),
        Code("AB404", W, "self-handoff", "The agent hands off to itself."),
        Code("AB405", W, "handoff without label", "The handoff has no label; tools show the label as the button text."),
        Code("AB406", W, "handoff without prompt", "The handoff has no prompt, so the target starts with nothing pre-filled."),
        Code("AB407", I, "handoffs ignored by Claude Code", "Claude Code subagents do not read `handoffs`."),
        Code("AB408", W, "duplicate handoff label", "Two handoffs of one agent share a label; the buttons are indistinguishable."),
        # Library graph
        Code("AB501", E, "duplicate agent name", "Two files define an agent with the same name; handoffs to it are ambiguous."),
        Code("AB502", W, "unreachable agent", "No chain of handoffs from the workspace `entry` agent reaches this agent."),
        Code("AB503", I, "handoff cycle", "These agents hand off to each other in a loop (often intended, e.g. test ↔ backend)."),
        Code("AB504", E, "unknown entry agent", "The workspace `entry` names no agent in the library."),
        # Placeholders
        Code("AB601", W, "unfilled placeholder", "No value source fills this placeholder under the selected profile; it would reach the model verbatim."),
        Code("AB602", I, "unused profile value", "A profile sets a value no agent uses (a typo, or a leftover)."),
        Code("AB603", W, "suspicious placeholder syntax", "Braces that look like a mistyped `{{ name }}` placeholder (one brace, a hyphen or space in the name, three braces)."),
        Code("AB604", I, "per-invocation placeholder", "A handoff prompt uses a placeholder no profile fills; it is asked for when the handoff is used."),
        # Text
        Code("AB701", W, "mojibake", "Text that was UTF-8 decoded as Windows-1252 (`â€“` for `–`); the fixed text is given."),
        Code("AB702", W, "control characters", "The file contains terminal control characters or escape sequences (also written as YAML escapes such as `\\e`), which can hide text or act on a terminal."),
        Code("AB703", W, "invisible or bidirectional characters", "The line holds bidirectional controls (U+202A-U+202E, U+2066-U+2069, LRM, RLM, ALM) or zero-width characters (U+200B-U+200D, U+2060-U+2064, U+FEFF inside the text), which reorder or hide what a reviewer reads (Trojan Source). A joiner inside an emoji or a word is text and is not reported."),
        # Workspace
        Code("AB801", E, "invalid workspace file", "`agentbench.yaml` or `.github/agent-config.yml` cannot be read or has the wrong shape."),
        Code("AB802", E, "unknown profile", "The selected or default profile is not defined in the workspace file."),
        Code("AB803", W, "unknown workspace key", "The workspace file has a key agentbench does not know."),
        # Flow files (flows/*.yaml)
        Code("AB901", E, "invalid flow file", "A recorded flow (`flows/*.yaml`) cannot be read, is not valid YAML, or has a field of the wrong type or shape."),
        Code("AB902", W, "unknown flow key", "A flow file or one of its steps has a key agentbench does not know; a close match is suggested when there is one."),
        Code("AB903", E, "flow starts at a missing agent", "The flow's `start` agent is not in the library."),
        Code("AB904", E, "flow step no longer exists", "The library changed: the current agent has no handoff with this step's label or target, it now goes elsewhere, or its target is missing. Replay stops here."),
        Code("AB905", E, "edited prompt on a send-at-once handoff", "The step edits the prompt, but the handoff has `send: true`, which sends the prompt at once without a chance to edit it."),
        Code("AB906", W, "flow leaves a placeholder unfilled", "A step's prompt uses a placeholder that neither the flow's `values:` nor the workspace fills; it would be sent verbatim."),
        Code("AB907", E, "unknown flow profile", "The flow's `profile` is not defined in the workspace file."),
    )
}


def severity(code: str) -> Severity:
    return CODES[code].severity
