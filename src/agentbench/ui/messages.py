"""Messages posted by workers to the app (workers compute, handlers own state)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from agentbench.core.model import Library
from agentbench.core.workspace_write import FileStamp


@dataclass
class LibraryLoaded(Message):
    """A (re)load finished. A later reload replaces the library and keeps the selection."""

    library: Library
    # The workspace file as it was when this library was read; saving compares against it.
    workspace_stamp: FileStamp
    workspace_path: str
