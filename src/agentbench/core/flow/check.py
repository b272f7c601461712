"""Flow lint: the recorded flows beside a library, replayed against it (AB9xx)."""

from __future__ import annotations

import glob
import os

from agentbench.core.flow.record import FLOWS_DIR, FlowFile, diag
from agentbench.core.model import Diagnostic, Library

# -- lint ----------------------------------------------------------------------------------


def flow_folders(library: Library, root: str) -> list[str]:
    """`flows/` beside the library root and beside the workspace file, those that exist."""
    candidates = []
    if os.path.isdir(root):
        candidates.append(os.path.join(root, FLOWS_DIR))
    workspace = library.workspace
    if workspace is not None and workspace.path:
        candidates.append(os.path.join(os.path.dirname(workspace.path), FLOWS_DIR))
    folders: list[str] = []
    seen: set[str] = set()
    for folder in candidates:
        if not os.path.isdir(folder):
            continue
        real = os.path.realpath(folder)
        if real not in seen:
            seen.add(real)
            folders.append(folder)
    return folders


def flow_paths(library: Library, root: str) -> list[str]:
    paths: list[str] = []
    for folder in flow_folders(library, root):
        for pattern in ("*.yaml", "*.yml"):
            paths.extend(glob.glob(os.path.join(glob.escape(folder), pattern)))
    return sorted(paths)


def flow_diagnostics(library: Library, root: str) -> list[Diagnostic]:
    """Lint `flows/*.yaml` next to the library root / workspace file against the library."""
    found: list[Diagnostic] = []
    for path in flow_paths(library, root):
        flow, problems = FlowFile.load(path)
        found.extend(problems)
        if flow is not None:
            found.extend(check_flow(flow, library))
    return found


def check_flow(flow: FlowFile, library: Library) -> list[Diagnostic]:
    """Replay `flow` against `library`: where it stops, and prompts it leaves unfilled."""
    path = flow.path or "<flow>"
    run, problem = flow.replay(library)
    found: list[Diagnostic] = []
    if run is not None:
        for index, step in enumerate(run.steps):
            for name in step.unfilled:
                found.append(diag(path, flow.steps[index].line, "AB906",
                                   f"step {index + 1} ('{step.label[:40]}') leaves"
                                   f" '{{{{{name}}}}}' unfilled; give it under 'values:'"))
    if problem is not None and problem.code != "AB901":
        found.append(diag(path, problem.line, problem.code, problem.message))
    return found
