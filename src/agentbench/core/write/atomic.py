"""The one way agentbench writes a file, so that it never loses the user's work (DESIGN.md §5).

`write_atomic` writes to a temporary file in the target's folder, flushes it to disk, then
renames it over the target, so a reader sees the old file or the new one and never half of
either; the folder is flushed too so the rename survives a crash. Given the stamp a file had
when it was read, it refuses to replace a file that has changed since. An existing file keeps
its permission bits; a new file gets the caller's mode, or the usual ones (0666 less the umask).

Every refusal is a `WriteRefused`: `FileChanged` when the file is not the one that was read,
`WriteFailed` when the operating system said no (its OSError is kept for callers that word it
their own way), `ReadOnlySession` when the process was started read-only
(`refuse_every_write`, set by `agentbench open --read-only` and so by `serve --read-only`),
`LinkLeaves` when `within` is given and a symlink on the way leads out of it (`confine`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from agentbench.core.text.safe import printable

# (mtime_ns, size), as `stamp_of` returns it.
Stamp = tuple[int, int]
# A missing file's stamp: it compares unequal to every real stamp, so a new file must not
# clobber one that appeared in the meantime, and a deleted file is told from an unchanged one.
ABSENT: Stamp = (-1, -1)

# A temporary name already taken (O_EXCL) is drawn again rather than reused or refused.
_TEMP_TRIES = 100


class WriteRefused(Exception):
    """Nothing was written; the message says why in plain words."""


class FileChanged(WriteRefused):
    """The file on disk is not the one that was read: replacing it would lose someone's edit."""


class WriteFailed(WriteRefused):
    """The operating system refused (disk full, permission denied...); `os_error` says how."""

    def __init__(self, message: str, os_error: OSError) -> None:
        super().__init__(message)
        self.os_error = os_error


class ReadOnlySession(WriteRefused):
    """The process was started read-only: no file or folder is created, changed or removed."""


class LinkLeaves(WriteRefused):
    """A symlink on the way to the file (the file itself or a folder) resolves outside the
    folder being written: a planted link must not carry a write elsewhere."""


# Why this process writes nothing, or None. Process-wide on purpose: every write ends here or
# in `check_writable`, so one switch refuses them all, whichever screen asked.
_refusal: str | None = None


def refuse_every_write(reason: str) -> None:
    """From now on every write in this process raises ReadOnlySession, saying `reason`."""
    global _refusal
    _refusal = reason


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise ReadOnlySession when writes are refused; callers that create folders, rename or
    remove files call it first, so a refused change leaves nothing behind, not even a folder."""
    if _refusal is not None:
        raise ReadOnlySession(f"{printable(os.fspath(path))} was not written: {_refusal}")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def confine(within: str | os.PathLike[str], *paths: str | os.PathLike[str]) -> None:
    """Raise LinkLeaves unless every symlink from `within` down to each of `paths` (each
    folder on the way and the file itself, dangling ones included) resolves inside `within`;
    callers that create folders before writing call it first. A link to another file inside
    is fine (it is written through). `within` itself may be a link: the user named it."""
    base = os.path.abspath(within)
    root = os.path.realpath(base)
    for path in paths:
        target = os.path.abspath(path)
        if not _inside(target, base):
            raise LinkLeaves(f"{printable(target)} is not inside {printable(base)};"
                             " nothing was written")
        current = base
        for part in os.path.relpath(target, base).split(os.sep):
            current = os.path.join(current, part)
            if part != os.curdir and os.path.islink(current):
                resolved = os.path.realpath(current)
                if not _inside(resolved, root):
                    raise LinkLeaves(f"{printable(current)} is a symbolic link to"
                                     f" {printable(resolved)}, outside {printable(base)};"
                                     " nothing was written")


def stamp_of(path: str | os.PathLike[str]) -> Stamp:
    """(mtime_ns, size) of `path`, or ABSENT when it does not exist."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT
    return (info.st_mtime_ns, info.st_size)


def write_atomic(path: str | os.PathLike[str], data: bytes,
                 expected_stamp: Stamp | None = None, *, new_mode: int | None = None,
                 through_symlink: bool = True, create_only: bool = False,
                 before_replace: Callable[[], None] | None = None,
                 within: str | os.PathLike[str] | None = None) -> Stamp:
    """Replace `path` with `data` atomically and return the new stamp.

    `expected_stamp` is the (mtime_ns, size) the file had when it was read, or ABSENT when it
    did not exist; None skips the check. Raises FileChanged when the file no longer matches it,
    WriteFailed when the write fails (nothing is left behind but the untouched original).

    `new_mode`: the permission bits of a file that does not exist yet (None: the umask's).
    `through_symlink`: a symlink is written through (as editors do) rather than replaced by a
    file. `create_only`: the name must be free; an existing file or link is never replaced,
    even one that appears while writing (FileChanged). `before_replace` runs just before the
    rename, for a caller's own last check; whatever it raises stops the write. `within`: the
    folder being written (an export's --out, the library); no symlink may lead out of it
    (`confine`, LinkLeaves).
    """
    check_writable(path)
    if within is not None:
        confine(within, path)
    target = Path(path)
    if through_symlink and not create_only and target.is_symlink():
        # Write through the link, as editors do, instead of replacing the link with a file.
        target = Path(os.path.realpath(target))
    folder = target.parent
    _check(target, expected_stamp)
    mode = new_mode if create_only else _mode_of(target, new_mode)
    handle, temp = _open_temp(folder, target.name)
    # Whether the temporary name is still ours to remove: once renamed, a file that takes
    # that name later is someone else's.
    ours = True
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        if before_replace is not None:
            before_replace()
        # Checked again as late as possible: an editor may have saved while we wrote.
        _check(target, expected_stamp, late=True)
        if create_only:
            # After a hard link the temporary name is the new file's second name.
            ours = not link_no_clobber(temp, target)
        else:
            os.replace(temp, target)
            ours = False
    except WriteRefused:
        raise
    except OSError as error:
        raise WriteFailed(f"cannot write {target}: {error.strerror or error}", error) from None
    finally:
        if ours:
            temp.unlink(missing_ok=True)
    _fsync_folder(folder)
    return stamp_of(target)


def _mode_of(target: Path, new_mode: int | None) -> int | None:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return new_mode
    except OSError as error:
        raise WriteFailed(f"cannot read {target}: {error.strerror or error}", error) from None


def _open_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new temporary file beside the target (O_EXCL: never one that is already there)."""
    for _ in range(_TEMP_TRIES):
        temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            # 0o666 through os.open so a new file gets the umask's usual permissions.
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                           | getattr(os, "O_BINARY", 0), 0o666), temp
        except FileExistsError:
            continue
        except OSError as error:
            raise WriteFailed(f"cannot write in {folder}: {error.strerror or error}",
                              error) from None
    taken = FileExistsError(f"no free temporary name in {folder}")
    raise WriteFailed(f"cannot write in {folder}: {taken}", taken)


def link_no_clobber(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> bool:
    """Give `source` the name `target` too, never replacing what `target` names (a dangling
    symlink included: FileChanged). True when `source` was renamed instead, on a file system
    without hard links: then it no longer exists."""
    check_writable(target)
    exists = FileChanged(f"{target} already exists; nothing was written")
    try:
        os.link(source, target)
    except FileExistsError:
        raise exists from None
    except OSError:  # file systems without hard links: check, then rename
        if os.path.lexists(target):
            raise exists from None
        os.rename(source, target)
        return True
    return False


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
