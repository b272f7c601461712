"""Which agents apply to a project: each trigger line is matched against what detect() found.

Trigger lines are prose ("Backend framework detected (Django, Flask, FastAPI)", "routes/,
controllers/ directories", "package.json contains \"react\" dependency", "*.tf files"). A line
is read for the things a project can be checked for: technology and dependency names, folders
(`name/`), files (`name.ext`, `Dockerfile`) and extensions (`*.sql`, `.tf files`). A line with
"with"/"contains" needs both sides to hold ("src/ directory with .tsx files"). A line naming
nothing checkable ("User invokes /prd") cannot match a project; an agent whose lines are all
like that is reported as used on request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from agentbench.core.model import Agent
from agentbench.core.project import tables
from agentbench.core.project.scan import Detection

ALWAYS, MATCHED, ON_REQUEST, NOT_MATCHED = "always", "matched", "on-request", "not-matched"

_ALWAYS_RE = re.compile(r"\balways\s+(?:available|generated?|active|applies|on)\b", re.I)
_QUOTED = re.compile(r"[\"'`“]([@\w][\w@/.-]*)[\"'`”]")
_FOLDER = re.compile(r"(?<![\w./@-])((?:\.?[\w-]+/)+)(?![\w])")
_FILE = re.compile(r"(?<![\w/*.-])((?:[\w-]+|\.[\w-]+)(?:\.[\w-]+)*\.(?:py|js|ts|tsx|jsx|json|"
                   r"ya?ml|toml|txt|xml|gradle|swift|plist|resolved|lock|cfg|ini|mod|prisma|"
                   r"kts|sh|rb|php))(?![\w.])|\b(Dockerfile|Makefile|Jenkinsfile|Podfile|"
                   r"Procfile|Vagrantfile)\b")
_EXTENSION = re.compile(r"(?:\*|(?<![\w/.-]))\.([A-Za-z][A-Za-z0-9]{0,11})\b(?![./\w])")
_SPLIT = re.compile(r"\s(?:with|contains?|containing)\s", re.I)
# Manifests named only as where to look ("in dependencies (requirements.txt, setup.py)").
_CONTEXT_FILES = frozenset({"package.json", "requirements.txt", "pyproject.toml", "setup.py",
                            "setup.cfg", "go.mod", "cargo.toml", "gemfile", "composer.json",
                            "pom.xml", "build.gradle"})
# Concepts a trigger names by kind rather than by technology.
_CONCEPTS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\bORM\b"), "orm", "an ORM"),
    (re.compile(r"\b(?:ML|machine learning) framework\b", re.I), "ml", "an ML framework"),
    (re.compile(r"\bbackend framework\b", re.I), "framework", "a backend framework"),
    (re.compile(r"\btest(?:ing)? framework\b", re.I), "test", "a test framework"),
    (re.compile(r"\bmessage (?:queue|broker)s?\b", re.I), "broker", "a message broker"),
)
# English words that are also technology names: matched only as written ("Express").
_CASE_SENSITIVE = frozenset({"black", "echo", "express", "rocket", "agenda", "sequel", "pest",
                             "slim", "warp", "bull", "koa", "ent", "chi", "gin", "zap", "mocha",
                             "jest", "fiber", "spring", "next", "rq", "arq", "huey", "react",
                             "vue", "docker", "pg", "redis", "hono", "knex", "motor", "graphql"})


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    trigger: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgentTriggers:
    name: str
    path: str
    status: str
    matches: tuple[TriggerMatch, ...]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "status": self.status,
                "matched": [{"trigger": m.trigger, "because": list(m.reasons)}
                            for m in self.matches]}


def _vocabulary() -> dict[str, str]:
    """Lower-case technology word -> the lower-case tech name(s) key it stands for."""
    words: dict[str, str] = {}
    for table in (tables.PYTHON, tables.NODE, tables.GO, tables.RUST, tables.RUBY, tables.PHP,
                  tables.JAVA):
        for key, entries in table.items():
            for display, _kind in entries:
                words.setdefault(display.lower(), display.lower())
            if not key.endswith("*") and "/" not in key.strip("@") and len(key) >= 3:
                words.setdefault(key, "dep:" + key)
    for alias, targets in tables.ALIASES.items():
        words[alias] = targets[0]
    return words


_VOCABULARY = _vocabulary()
_WORD_RE = re.compile(
    r"(?<![\w@/-])(" + "|".join(re.escape(w) for w in sorted(_VOCABULARY, key=len, reverse=True))
    + r")(?![\w-])", re.I)


class _Facts:
    def __init__(self, detection: Detection) -> None:
        self.techs = {t.name.lower(): t for t in detection.techs}
        self.deps = detection.dependencies
        self.layout = detection.layout
        self.dirs = detection.layout.dirs
        self.file_names: dict[str, str] = {}
        for rel in detection.layout.files:
            self.file_names.setdefault(rel.rsplit("/", 1)[-1].lower(), rel)
        for rel in detection.layout.dirs:  # Foo.xcodeproj, .gitlab folders and the like
            self.file_names.setdefault(rel.rsplit("/", 1)[-1].lower(), rel + "/")

    def tech(self, word: str, quoted: bool = False) -> str | None:
        """A reason when the named technology is present, "" when absent, None when `word`
        is not a technology name here."""
        lowered = word.lower()
        key = _VOCABULARY.get(lowered)
        if key is None or (lowered in _CASE_SENSITIVE and word.islower() and not quoted):
            return None
        for name in (*tables.ALIASES.get(lowered, ()), key, lowered):
            if name in self.techs:
                tech = self.techs[name]
                return f"{tech.label} ({tech.evidence})"
        dep = key[4:] if key.startswith("dep:") else lowered
        if dep in self.deps:
            return f"{dep} ({self.deps[dep]})"
        return ""

    def folder(self, token: str) -> str:
        wanted = token.strip("/")
        for rel in sorted(self.dirs, key=lambda d: (d.count("/"), d)):
            if (rel == wanted or rel.endswith("/" + wanted)) and rel.count("/") <= 3:
                return f"folder {rel}/"
        return ""

    def file(self, token: str) -> str:
        rel = self.file_names.get(token.lower())
        return f"file {rel}" if rel else ""

    def extension(self, ext: str) -> str:
        rel = self.layout.extensions.get("." + ext.lower())
        return f"*.{ext.lower()} ({rel})" if rel else ""

    def kind(self, kind: str) -> str:
        tech = next((t for t in self.techs.values() if t.kind == kind), None)
        return f"{tech.label} ({tech.evidence})" if tech else ""


def _blank(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]


def _check_part(text: str, facts: _Facts) -> tuple[list[str], int] | None:
    """(reasons, checkable count) for one clause; None when it names nothing checkable."""
    results: list[str] = []
    for match in list(_QUOTED.finditer(text)):
        word = match.group(1)
        found = facts.tech(word, quoted=True)
        if found is None:
            found = f"{word} ({facts.deps[word.lower()]})" if word.lower() in facts.deps else ""
        results.append(found)
        text = _blank(text, match)
    for match in list(_FOLDER.finditer(text)):
        results.append(facts.folder(match.group(1)))
        text = _blank(text, match)
    for match in list(_FILE.finditer(text)):
        name = match.group(1) or match.group(2)
        if name.lower() in _VOCABULARY:  # Next.js, Vue.js: technologies, not files
            continue
        text = _blank(text, match)
        if name.lower() not in _CONTEXT_FILES:
            results.append(facts.file(name))
    for pattern, kind, _label in _CONCEPTS:
        for match in list(pattern.finditer(text)):
            results.append(facts.kind(kind))
            text = _blank(text, match)
    for match in list(_WORD_RE.finditer(text)):
        found = facts.tech(match.group(1))
        if found is not None:
            results.append(found)
            text = _blank(text, match)
    for match in list(_EXTENSION.finditer(text)):
        results.append(facts.extension(match.group(1)))
        text = _blank(text, match)
    if not results:
        return None
    return results, len(results)


def _all_needed(text: str) -> bool:
    return " and " in text and " or " not in text and "," not in text


def match_trigger(trigger: str, facts: _Facts) -> tuple[str, ...] | None:
    """Reasons the trigger holds; () when it does not; None when it cannot be checked."""
    parts = _SPLIT.split(trigger, maxsplit=1)
    checked: list[tuple[str, tuple[list[str], int]]] = []
    for part in parts:
        result = _check_part(part, facts)
        if result is not None:
            checked.append((part, result))
        elif len(parts) == 2 and part is parts[1]:
            return None  # "X with <something we cannot see>": not checkable
    if not checked:
        return None
    reasons: list[str] = []
    for part, (found, _count) in checked:
        hits = [r for r in found if r]
        if not hits or (_all_needed(part) and len(hits) < len(found)):
            return ()
        reasons.extend(hits)
    return tuple(dict.fromkeys(reasons))


def match_agents(agents: Iterable[Agent], detection: Detection) -> list[AgentTriggers]:
    facts = _Facts(detection)
    results: list[AgentTriggers] = []
    for agent in agents:
        if not agent.triggers:
            results.append(AgentTriggers(agent.name, agent.path, ALWAYS, ()))
            continue
        matches: list[TriggerMatch] = []
        always = False
        checkable = False
        for trigger in agent.triggers:
            if _ALWAYS_RE.search(trigger):
                always = True
                continue
            reasons = match_trigger(trigger, facts)
            if reasons is None:
                continue
            checkable = True
            if reasons:
                matches.append(TriggerMatch(trigger, reasons))
        status = (ALWAYS if always else MATCHED if matches
                  else NOT_MATCHED if checkable else ON_REQUEST)
        results.append(AgentTriggers(agent.name, agent.path, status, tuple(matches)))
    return results


def to_text(results: list[AgentTriggers]) -> str:
    from agentbench.core.text.safe import printable

    groups = ((MATCHED, "Agents that apply to this project"),
              (ALWAYS, "Always available (no project triggers)"),
              (ON_REQUEST, "Used on request (their triggers name nothing in a project)"),
              (NOT_MATCHED, "Not triggered by this project"))
    lines: list[str] = []
    for status, title in groups:
        members = [r for r in results if r.status == status]
        if not members:
            continue
        lines.append(f"{title}: {len(members)}")
        for result in members:
            lines.append(f"  {printable(result.name)}")
            for match in result.matches:
                lines.append(f"    ✓ {printable(match.trigger)}")
                lines.append(f"      because: {printable('; '.join(match.reasons))}")
        lines.append("")
    return "\n".join(lines)
