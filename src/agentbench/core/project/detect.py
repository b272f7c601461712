"""Values for placeholders detected from a target project, each with its evidence.

`detect(root)` reads the project's own manifests (pyproject.toml, requirements*.txt,
package.json and lockfiles, go.mod, Cargo.toml, pom.xml, build.gradle, Gemfile, composer.json,
Makefile, CI workflows, prisma/schema.prisma, .editorconfig) and its folder layout to a bounded
depth, never every file, and turns what it finds into placeholder values: the tech stack,
languages, frameworks, ORM, commands and folders. Every value names the file and line it came
from. Detected values are the lowest-precedence value source (DESIGN.md §2).

A project that cannot be read is never an exception: unreadable, oversized or malformed files
are skipped with a note.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from agentbench.core.project import layout as detect_layout
from agentbench.core.project import others as detect_others
from agentbench.core.project import stacks as detect_stacks
from agentbench.core.project.scan import MAX_ENTRIES, Detection, Evidence, Finding, Scan, walk


class ProjectError(Exception):
    """The project folder cannot be used at all (missing, not a folder, unreadable)."""


def detect(root: str | os.PathLike[str]) -> Detection:
    """Detect placeholder values for the project at `root`. Raises ProjectError only when the
    folder itself is unusable."""
    root_str = os.fspath(root)
    if not os.path.isdir(root_str):
        what = "no such folder" if not os.path.exists(root_str) else "not a folder"
        raise ProjectError(f"{root_str}: {what}")
    try:
        os.scandir(root_str).close()
    except OSError as error:
        raise ProjectError(f"{root_str}: cannot read it ({error.strerror or error})") from None
    layout = walk(root_str)
    scan = Scan(root_str, layout)
    if layout.truncated:
        scan.note(f"the folder listing stopped after {MAX_ENTRIES} entries; folders beyond"
                  " that were not looked at")
    detect_stacks.read_python(scan)
    detect_stacks.read_node(scan)
    detect_others.read_all(scan)
    detect_layout.read_layout(scan)
    detect_layout.summarise(scan)
    findings = {name: _winner(name, options) for name, options in scan.candidates.items()}
    return Detection(root_str, findings, tuple(scan.techs.values()), dict(scan.deps), layout,
                     tuple(scan.notes))


def _winner(name: str, options: Iterable[tuple[int, int, str, tuple[Evidence, ...]]]
            ) -> Finding:
    _priority, _order, value, evidence = min(options)
    return Finding(name, value, evidence)


def to_text(detection: Detection) -> str:
    """A readable report: values with evidence, then notes."""
    from agentbench.core.text.safe import printable

    lines = [f"Project: {printable(detection.root)}"]
    if detection.techs:
        lines.append("Detected: " + ", ".join(printable(t.label) for t in detection.techs))
    lines.append("")
    if not detection.findings:
        lines.append("No placeholder values detected.")
    width = min(max((len(n) for n in detection.findings), default=0), 28)
    for name, finding in sorted(detection.findings.items()):
        where = ", ".join(printable(str(e)) for e in finding.evidence[:3])
        lines.append(f"  {name.ljust(width)}  {printable(finding.value)}"
                     + (f"    ({where})" if where else ""))
    for note in detection.notes:
        lines.append(f"note: {printable(note)}")
    return "\n".join(lines) + "\n"
