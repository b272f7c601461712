"""agentbench's core: files -> model -> checks. Never imports Textual or Rich.

Names are imported on first use (PEP 562) so `import agentbench.core` stays cheap for tools
that need one piece; `bench/bench_core.py` measures both that and the full parse stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentbench.core.library.loader import LibraryLoader, PathError, load_library
    from agentbench.core.model import Agent, Diagnostic, Dialect, Handoff, Library, Severity

_WHERE = {
    "LibraryLoader": "library.loader",
    "PathError": "library.loader",
    "load_library": "library.loader",
    "Agent": "model",
    "Diagnostic": "model",
    "Dialect": "model",
    "Handoff": "model",
    "Library": "model",
    "Severity": "model",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'agentbench.core' has no attribute {name!r}")
    return getattr(importlib.import_module(f"agentbench.core.{module}"), name)
