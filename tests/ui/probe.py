"""What the UI tests read of a running app that Textual keeps private, in one place, and the
one switch that makes the app deterministic for snapshots.

Tests call these instead of reaching into `app.screen._compositor`, `app._notifications` and
the like: when Textual renames its internals, this file is the only one to change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.events import DescendantFocus
from textual.notifications import Notification

from agentbench.ui.app import AgentbenchApp
from agentbench.ui.screens.flow import FlowScreen
from agentbench.ui.widgets.marked_text import MarkedTextArea

# The read-only text areas whose cursor (and its highlighted line) snapshots leave out.
_NO_CURSOR = frozenset({"preview-text", "flow-prompt-text"})


def screen_text(app: App[Any]) -> str:
    """The current screen as plain text, one line per row, as last drawn."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notifications(app: App[Any]) -> list[Notification]:
    """The toasts the app is showing (or has queued) now."""
    return list(app._notifications)


def _blink_off(app: AgentbenchApp, event: DescendantFocus) -> None:
    # A snapshot must not depend on where a blinking cursor was when it was taken.
    if hasattr(event.widget, "cursor_blink"):
        event.widget.cursor_blink = False


def quiet(patch: Callable[[object, str, Any], None]) -> None:
    """Make the app deterministic to draw: no cursor blink, no cursor in the read-only
    previews. `patch` is `monkeypatch.setattr` in tests (undone after each), `setattr` in
    scripts/screenshots.py."""
    original = MarkedTextArea.__init__

    def init(self: MarkedTextArea, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("id") in _NO_CURSOR:
            kwargs["show_cursor"] = False
        original(self, *args, **kwargs)

    patch(MarkedTextArea, "__init__", init)
    patch(AgentbenchApp, "on_descendant_focus", _blink_off)


def redraw(screen: FlowScreen) -> None:
    """Draw the flow screen's walk again after a test changed its run directly."""
    screen._changed()
