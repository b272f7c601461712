"""agentbench's core: files -> model -> checks. Never imports Textual or Rich."""

from agentbench.core.library import LibraryLoader, PathError, load_library
from agentbench.core.model import Agent, Diagnostic, Dialect, Handoff, Library, Severity

__all__ = [
    "Agent",
    "Diagnostic",
    "Dialect",
    "Handoff",
    "Library",
    "LibraryLoader",
    "PathError",
    "Severity",
    "load_library",
]
