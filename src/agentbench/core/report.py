"""The lint report: text for people, JSON for scripts, SARIF for code-scanning services.

The formats are a public contract (DESIGN.md §4): keep them stable.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from agentbench.core.codes import CODES
from agentbench.core.model import Diagnostic, Library, Severity
from agentbench.core.text.safe import json_safe, printable


def summary(library: Library, diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    return {
        "files": len(library.files),
        "agents": len(library.agents),
        "errors": sum(d.severity is Severity.ERROR for d in diagnostics),
        "warnings": sum(d.severity is Severity.WARNING for d in diagnostics),
        # Files found that are not agents, by kind (never linted).
        "others": library.other_counts(),
    }


def also_found(library: Library) -> str:
    """'also found: 3 skill files, 2 commands' (or ''): what was found and is not an agent."""
    from agentbench.core.model import FileKind
    from agentbench.core.read.kinds import noun

    counts = library.other_counts()
    if not counts:
        return ""
    return "also found: " + ", ".join(noun(FileKind(k), n) for k, n in counts.items()) + \
        " (not agents; not linted)"


def to_text(library: Library, diagnostics: Sequence[Diagnostic]) -> str:
    lines = [
        f"{printable(d.path)}:{d.line}:{d.column}: {d.severity} {d.code} {printable(d.message)}"
        for d in diagnostics
    ]
    counts = summary(library, diagnostics)
    infos = sum(d.severity is Severity.INFO for d in diagnostics)
    lines.append(
        f"{_count(counts['agents'], 'agent')} in {_count(counts['files'], 'file')}:"
        f" {_count(counts['errors'], 'error')}, {_count(counts['warnings'], 'warning')},"
        f" {_count(infos, 'note')}"
    )
    if also := also_found(library):
        lines.append(also)
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def to_json(library: Library, diagnostics: Sequence[Diagnostic]) -> str:
    payload = {
        "diagnostics": [d.to_json() for d in diagnostics],
        "summary": summary(library, diagnostics),
    }
    # json.dumps escapes C0 only; DEL, C1 and the invisible characters are escaped too.
    return json_safe(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def _rule_name(title: str) -> str:
    """SARIF rule names are PascalCase identifiers: 'per-invocation placeholder' ->
    'PerInvocationPlaceholder'."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", title))


def _artifact_uri(path: str) -> str:
    """Relative paths stay relative (resolved against the scan's working folder); absolute
    ones become file:// URIs, as SARIF requires of absolute locations."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path.replace("\\", "/"))


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(library: Library, diagnostics: Sequence[Diagnostic], version: str) -> str:
    used = sorted({d.code for d in diagnostics})
    rules = [
        {
            "id": code,
            "name": _rule_name(CODES[code].title),
            "shortDescription": {"text": CODES[code].title},
            "fullDescription": {"text": CODES[code].explanation},
            "help": {"text": CODES[code].explanation},
            "defaultConfiguration": {"level": _SARIF_LEVEL[CODES[code].severity]},
        }
        for code in used
    ]
    results: list[dict[str, Any]] = [
        {
            "ruleId": d.code,
            "ruleIndex": used.index(d.code),
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _artifact_uri(d.path)},
                        "region": {"startLine": d.line, "startColumn": d.column},
                    }
                }
            ],
        }
        for d in diagnostics
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "agentbench",
                        "version": version,
                        "informationUri": "https://pypi.org/project/agentbench/",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json_safe(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
