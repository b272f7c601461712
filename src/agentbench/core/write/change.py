"""The bytes side of editing: a file as lines that keep their own endings, and safe saving.

An edit decodes a file once into `Source` (BOM remembered, each line with its own ending),
changes whole lines, and encodes back: lines it did not touch come back byte for byte, new
lines get the file's usual ending, and a BOM stays a BOM.

Saving (DESIGN.md §5) goes through `save`: it refuses when the file changed on disk since it
was read or is read-only, writes through `atomic.write_atomic` and returns the previous bytes
so `undo` can put them back through the same checks.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from agentbench.core.write.atomic import (
    ABSENT,
    FileChanged,
    Stamp,
    WriteFailed,
    WriteRefused,
    check_writable,
    link_no_clobber,
    stamp_of,
    write_atomic,
)

BOM = b"\xef\xbb\xbf"
_BREAK = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(r"---[ \t]*")


class EditError(Exception):
    """The edit cannot be made to this file; the message says why in plain words."""


@dataclass(slots=True)
class Source:
    """A decoded agent file as lines (without endings), each with its original ending."""

    lines: list[str]
    ends: list[str]
    bom: bool = False
    newline: str = "\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> Source:
        bom = data.startswith(BOM)
        if bom:
            data = data[len(BOM) :]
        if b"\x00" in data:
            raise EditError("the file contains NUL bytes; it is not a text file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise EditError("the file is not valid UTF-8; fix its encoding first") from None
        lines: list[str] = []
        ends: list[str] = []
        position = 0
        for match in _BREAK.finditer(text):
            lines.append(text[position : match.start()])
            ends.append(match.group(0))
            position = match.end()
        if position < len(text) or not lines:
            lines.append(text[position:])
            ends.append("")
        counts = {e: ends.count(e) for e in ("\r\n", "\n", "\r")}
        newline = max(counts, key=lambda e: (counts[e], e == "\n"))
        return cls(lines, ends, bom, newline if counts[newline] else "\n")

    def to_bytes(self) -> bytes:
        text = "".join(line + end for line, end in zip(self.lines, self.ends, strict=True))
        return (BOM if self.bom else b"") + text.encode("utf-8")

    def text(self) -> str:
        """The text as the parser sees it: no BOM, every line ending a `\\n`."""
        return "".join(line + ("\n" if end else "") for line, end in
                       zip(self.lines, self.ends, strict=True))

    def replace(self, start: int, stop: int, new: Sequence[str]) -> None:
        """Replace lines [start, stop) (0-based) with `new`; kept positions keep endings."""
        old_ends = self.ends[start:stop]
        ends = [old_ends[i] if i < len(old_ends) else self.newline for i in range(len(new))]
        if new and old_ends and len(new) > len(old_ends) and old_ends[-1] == "":
            # The replaced block ended the file without a newline: so does the new one.
            ends[len(old_ends) - 1] = self.newline
            ends[-1] = ""
        self.lines[start:stop] = list(new)
        self.ends[start:stop] = ends

    def frontmatter_span(self) -> tuple[int, int]:
        """(first, fence): 0-based index of the first frontmatter line and of the closing
        `---` line. Raises EditError when the file has no closed frontmatter."""
        if not self.lines or self.lines[0].rstrip() != "---":
            raise EditError("the file has no frontmatter (it must start with a '---' line)")
        for index in range(1, len(self.lines)):
            if _FENCE.fullmatch(self.lines[index]):
                return 1, index
        raise EditError("the frontmatter is never closed with a '---' line")

    def frontmatter(self) -> str:
        first, fence = self.frontmatter_span()
        return "".join(line + "\n" for line in self.lines[first:fence])


def edit_bytes(data: bytes, edit: Callable[[Source], None]) -> bytes:
    source = Source.from_bytes(data)
    edit(source)
    return source.to_bytes()


# --- changes and saving -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileChange:
    """A planned change to one file: what it held, what it will hold, and why.

    `before` is None for a file that does not exist yet; `new_path` is set when the file is
    also renamed. Nothing is written until `save(change)`.
    """

    path: str
    before: bytes | None
    after: bytes
    stamp: Stamp | None = None
    summary: tuple[str, ...] = ()
    new_path: str | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after or (self.new_path not in (None, self.path))

    def diff(self) -> str:
        """A unified diff (text, `\\n` endings) of the change, git-style headers for renames."""
        import difflib

        old = _lines_for_diff(self.before)
        new = _lines_for_diff(self.after)
        target = self.new_path or self.path
        head = ""
        if self.new_path and self.new_path != self.path:
            head = (f"diff --git a/{self.path} b/{self.new_path}\n"
                    f"rename from {self.path}\nrename to {self.new_path}\n")
        body = "".join(difflib.unified_diff(
            old, new, "/dev/null" if self.before is None else f"a/{self.path}", f"b/{target}"))
        if head and not body:
            return head
        return head + body


def _lines_for_diff(data: bytes | None) -> list[str]:
    if data is None:
        return []
    text = data.decode("utf-8", errors="replace")
    lines = [line + "\n" for line in text.split("\n")]
    if text.endswith("\n"):
        lines.pop()
    else:
        lines[-1] = lines[-1][:-1] + "\n\\ No newline at end of file\n"
    return lines


def read_for_edit(path: str) -> tuple[bytes, Stamp]:
    """The file's bytes and its (mtime_ns, size) stamp, read together for a later save."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as error:
        raise EditError(f"cannot read {path}: {_why(error)}") from None
    return data, (info.st_mtime_ns, info.st_size)


def change_file(path: str, edit: Callable[[bytes], bytes], *summary: str) -> FileChange:
    data, stamp = read_for_edit(path)
    return FileChange(path, data, edit(data), stamp, tuple(summary))


@dataclass(frozen=True, slots=True)
class Saved:
    """What a save did, enough to undo it: the bytes the file held before (None: it did not
    exist), where the content lives now, and its stamp after the write."""

    path: str
    previous: bytes | None
    stamp: Stamp
    old_path: str | None = None
    summary: tuple[str, ...] = field(default=())


def save(change: FileChange) -> Saved:
    """Write `change` atomically; refuses (WriteRefused) when the file changed on disk since
    it was read, exists when it should not, or is read-only. The original is intact on any
    failure and no temporary file is left behind."""
    path = change.path
    if change.before is None:
        _create(path, change.after)
        return Saved(path, None, _stamp_or_zero(path), summary=change.summary)
    _check_unchanged(path, change.before, change.stamp)
    target = change.new_path if change.new_path and change.new_path != path else None
    if target is not None and os.path.lexists(target):
        raise WriteRefused(f"{target} already exists; nothing was written")
    stamp = change.stamp or _stamp_or_zero(path)
    if change.after != change.before:
        stamp = _replace(path, change.after, stamp)
    if target is not None:
        _move(path, target)
        return Saved(target, change.before, _stamp_or_zero(target), path, change.summary)
    return Saved(path, change.before, stamp, summary=change.summary)


def undo(saved: Saved) -> Saved:
    """Put back what `saved` replaced, refusing when the file changed since that save."""
    current = saved.path
    if saved.previous is None:  # the save created the file: remove it if it is untouched
        if stamp_of(current) != saved.stamp:
            raise WriteRefused(f"{current} changed since it was created; it was not removed")
        check_writable(current)
        try:
            os.unlink(current)
        except OSError as error:
            raise WriteRefused(f"cannot remove {current}: {_why(error)}") from None
        return Saved(current, None, (0, 0))
    if saved.old_path is not None and os.path.lexists(saved.old_path):
        raise WriteRefused(f"{saved.old_path} exists again; the rename was not undone")
    data, _ = read_for_edit(current)
    change = FileChange(current, data, saved.previous, saved.stamp, saved.summary,
                        saved.old_path)
    if stamp_of(current) != saved.stamp:
        raise WriteRefused(f"{current} changed on disk since it was saved; not undone")
    return save(change)


def save_all(changes: Sequence[FileChange]) -> list[Saved]:
    """Save several changes as one: if one fails, those already saved are undone."""
    done: list[Saved] = []
    try:
        for change in changes:
            if change.changed:
                done.append(save(change))
    except WriteRefused:
        for saved in reversed(done):
            # Best effort: the error raised below names the change that failed.
            with contextlib.suppress(WriteRefused, OSError, EditError):
                undo(saved)
        raise
    return done


def _check_unchanged(path: str, before: bytes, stamp: Stamp | None) -> None:
    now = stamp_of(path)
    if now == ABSENT:
        raise WriteRefused(f"{path} was deleted since it was read; nothing was written")
    try:
        with open(path, "rb") as handle:
            current = handle.read()
    except OSError as error:
        raise WriteRefused(f"cannot read {path}: {_why(error)}") from None
    if current != before or (stamp is not None and now != stamp):
        raise WriteRefused(f"{path} changed on disk since it was read; reload and try again")


def _stamp_or_zero(path: str) -> Stamp:
    # A file gone right after its save is stamped (0, 0), not ABSENT: `undo` must then refuse
    # ("changed since it was created") instead of finding it unchanged and failing to remove it.
    stamp = stamp_of(path)
    return (0, 0) if stamp == ABSENT else stamp


def _why(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    return error.strerror or str(error)


def _read_only(info: os.stat_result, path: str) -> bool:
    return not (info.st_mode & 0o222) or not os.access(path, os.W_OK)


def _replace(path: str, data: bytes, expected_stamp: Stamp) -> Stamp:
    """`write_atomic`, refusing read-only files first (a rename would replace them), every
    refusal worded as "the file is unchanged". Returns the new stamp."""
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise WriteRefused(f"cannot write {path}: {_why(error)}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefused(f"{path} is not a regular file; nothing was written")
        if _read_only(info, real):
            raise WriteRefused(f"{path} is read-only; nothing was written")
    try:
        return write_atomic(path, data, expected_stamp)
    except WriteRefused as error:
        raise WriteRefused(f"{error}; the file is unchanged") from None


def _create(path: str, data: bytes) -> None:
    """Create a new file with `data`, never replacing an existing one (even in a race)."""
    check_writable(path)
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        # 0o644 whatever the umask, and a symlink at `path` counts as an existing file.
        write_atomic(path, data, new_mode=0o644, create_only=True)
    except FileChanged:
        raise WriteRefused(f"{path} already exists; it was not overwritten") from None
    except WriteFailed as error:
        raise WriteRefused(f"cannot create {path}: {_why(error.os_error)}") from None
    except OSError as error:
        raise WriteRefused(f"cannot create {path}: {_why(error)}") from None


def _move(source: str, target: str) -> None:
    try:
        if not link_no_clobber(source, target):
            os.unlink(source)
    except FileChanged:
        raise WriteRefused(f"{target} already exists; the file was not renamed") from None
    except OSError as error:
        raise WriteRefused(f"cannot rename {source} to {target}: {_why(error)}") from None
