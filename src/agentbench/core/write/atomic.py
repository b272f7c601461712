"""Atomic file writes that never lose the user's work (DESIGN.md §5).

`write_atomic` writes to a temporary file in the target's folder, flushes it to disk, then
renames it over the target with `os.replace`, so a reader sees the old file or the new one and
never half of either. Given the stamp a file had when it was read, it refuses to replace a file
that has changed since. An existing file keeps its permission bits; a new file gets the usual
ones (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

# (mtime_ns, size), as `stamp_of` returns it.
Stamp = tuple[int, int]
# The stamp to pass when the file must not exist yet (a new file must not clobber one that
# appeared in the meantime).
ABSENT: Stamp = (-1, -1)


class AtomicWriteError(Exception):
    """The write was not done; the message says why in plain words."""


class FileChanged(AtomicWriteError):
    """The file on disk is not the one that was read: replacing it would lose someone's edit."""


def stamp_of(path: str | os.PathLike[str]) -> Stamp:
    """(mtime_ns, size) of `path`, or ABSENT when it does not exist."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT
    return (info.st_mtime_ns, info.st_size)


def write_atomic(path: str | os.PathLike[str], data: bytes,
                 expected_stamp: Stamp | None = None) -> Stamp:
    """Replace `path` with `data` atomically and return the new stamp.

    `expected_stamp` is the (mtime_ns, size) the file had when it was read, or ABSENT when it
    did not exist; None skips the check. Raises FileChanged when the file no longer matches it,
    AtomicWriteError when the write fails (nothing is left behind but the untouched original).
    """
    target = Path(path)
    if target.is_symlink():
        # Write through the link, as editors do, instead of replacing the link with a file.
        target = Path(os.path.realpath(target))
    folder = target.parent
    _check(target, expected_stamp)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise AtomicWriteError(f"cannot read {target}: {error.strerror or error}") from None
    temp = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        # 0o666 through os.open so a new file gets the umask's usual permissions.
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         0o666)
    except OSError as error:
        raise AtomicWriteError(f"cannot write in {folder}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        # Checked again as late as possible: an editor may have saved while we wrote.
        _check(target, expected_stamp, late=True)
        os.replace(temp, target)
    except AtomicWriteError:
        temp.unlink(missing_ok=True)
        raise
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise AtomicWriteError(f"cannot write {target}: {error.strerror or error}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return stamp_of(target)


def _check(target: Path, expected: Stamp | None, late: bool = False) -> None:
    if expected is None:
        return
    now = stamp_of(target)
    if now == expected:
        return
    when = "while it was being written" if late else "since it was read"
    if expected == ABSENT:
        raise FileChanged(f"{target} was created by something else {when}; nothing was written")
    if now == ABSENT:
        raise FileChanged(f"{target} was deleted {when}; nothing was written")
    raise FileChanged(f"{target} changed on disk {when}; nothing was written")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(handle)
    os.close(handle)
