"""The app the snapshot tests and screenshots run: the demo team, watchers off, no blink."""

from __future__ import annotations

from pathlib import Path

from agentbench.core.library.loader import LibraryLoader
from agentbench.ui.app import AgentbenchApp, make_app

DEMO = Path(__file__).resolve().parents[2] / "agents"


def demo_app(path: Path = DEMO, profile: str | None = None) -> AgentbenchApp:
    return make_app(LibraryLoader.for_path(str(path), profile=profile), watch=False)
