"""How a feature shows a toast, without holding the app (App.notify has this shape; the
app's makes the text visible and never reads markup: ui/screen_text.py)."""

from __future__ import annotations

from typing import Literal, Protocol

Severity = Literal["information", "warning", "error"]


class Notify(Protocol):
    def __call__(self, message: str, *, title: str = ..., severity: Severity = ...,
                 timeout: float | None = ..., markup: bool = ...) -> None: ...
