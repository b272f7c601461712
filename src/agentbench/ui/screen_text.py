"""The one way text reaches a toast, a title or a sub-title.

Toasts and titles are built from file text and error strings (`str(OSError)` carries a file
name), and Textual writes them to the terminal as they are: an OSC 52 sequence in a flow label
would set the clipboard, a crafted folder name the window title. The app's `notify` (every
`Widget.notify` and `Screen.notify` ends there) and the title validators of the app and the
screens with a header pass their text through here, so no caller can forget; dialogs build
`Content` from `printable` text the same way.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel

from agentbench.core.text.safe import printable, printable_block


def screen_text(text: object) -> str:
    """A toast's body: control characters, escape sequences, bidirectional and zero-width
    characters made visible; newlines kept."""
    return printable_block(str(text))


def screen_line(text: object) -> str:
    """A title or sub-title: the same, on one line."""
    return printable(str(text))


class SafeTextApp(App[None]):
    """An app whose toasts and titles pass through `screen_text` and `screen_line`."""

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        # Never markup, whatever the caller passed: a `[link=…]` in a file name stays text.
        super().notify(screen_text(message), title=screen_line(title), severity=severity,
                       timeout=timeout, markup=False)

    # Textual calls these on every assignment (reactive validators), whoever assigns.
    def validate_title(self, title: Any) -> str:
        return screen_line(title)

    def validate_sub_title(self, sub_title: Any) -> str:
        return screen_line(sub_title)


class SafeTitles:
    """For a Screen with a header: its own title and sub-title, made visible."""

    def validate_title(self, title: Any) -> str | None:
        return None if title is None else screen_line(title)

    def validate_sub_title(self, sub_title: Any) -> str | None:
        return None if sub_title is None else screen_line(sub_title)
