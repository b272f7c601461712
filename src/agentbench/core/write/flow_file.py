"""Saving a recorded flow (`flows/*.yaml`): a change to the user's files like any other, so it
goes through the one atomic writer; `core/flow/` only builds the file's text."""

from __future__ import annotations

import os
from pathlib import Path

from agentbench.core.flow.record import FlowFile
from agentbench.core.write.atomic import Stamp, check_writable, confine, write_atomic


def save_flow(flow: FlowFile, path: str | os.PathLike[str],
              expected_stamp: Stamp | None = None,
              within: str | os.PathLike[str] | None = None) -> Stamp:
    """Write `flow` atomically (creating `flows/` if needed); the new stamp.

    Pass `expected_stamp` (the `stamp` of the loaded file, or `atomic.ABSENT` for a new one) to
    refuse replacing a file changed on disk since: raises atomic.FileChanged, and another
    atomic.WriteRefused when the write fails. `within` (the library): no symlink on the way may
    lead out of it, `flows/` included, checked before that folder is made (atomic.LinkLeaves).
    """
    target = Path(path)
    check_writable(target)
    if within is not None:
        confine(within, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(target, flow.dump().encode("utf-8"), expected_stamp, within=within)
