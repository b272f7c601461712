"""Saving session values into `agentbench.yaml` as a profile, without losing the user's work.

The file is edited round-trip (ruamel.yaml) so comments, key order and quoting survive; the
write goes through `atomic.write_atomic` and refuses to replace a file whose content changed on
disk since it was read (DESIGN.md §5).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentbench.core.write.atomic import WriteFailed, WriteRefused, write_atomic

PROFILE_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What the file held when it was read: a content hash, or None when it did not exist.

    Not the (mtime_ns, size) `atomic.Stamp`: the workbench keeps this from one library load
    to the next save, and only the content counts (a touch is not a change; a rewrite of the
    same size within one clock tick is).
    """

    sha256: str | None

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileStamp:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            return cls(None)
        return cls(hashlib.sha256(data).hexdigest())


def valid_profile_name(name: str) -> bool:
    return PROFILE_NAME_RE.fullmatch(name) is not None


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # Long values must stay on one line: wrapping would rewrite lines the user did not touch.
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def updated_text(original: str, name: str, values: Mapping[str, str]) -> str:
    """`original` with profile `name` holding `values` (existing keys updated in place)."""
    from ruamel.yaml.comments import CommentedMap

    yaml = _yaml()
    data = yaml.load(original) if original.strip() else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise WriteRefused("the workspace file is not a mapping of keys to values")
    profiles = data.get("profiles")
    if profiles is None:
        profiles = CommentedMap()
        data["profiles"] = profiles
    if not isinstance(profiles, CommentedMap):
        raise WriteRefused("'profiles' in the workspace file is not a mapping")
    profile = profiles.get(name)
    if profile is None:
        profile = CommentedMap()
        profiles[name] = profile
    if not isinstance(profile, CommentedMap):
        raise WriteRefused(f"profile '{name}' in the workspace file is not a mapping")
    for key, value in values.items():
        profile[key] = value
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def save_profile(path: str | os.PathLike[str], name: str, values: Mapping[str, str],
                 expected: FileStamp) -> FileStamp:
    """Write profile `name` into the workspace file at `path`; returns the new stamp.

    Raises WriteRefused when the name is not usable, the file changed since `expected` was
    taken, or the file cannot be understood or written.
    """
    if not valid_profile_name(name):
        raise WriteRefused("a profile name is letters, digits, '_', '-' or '.' (up to 64)")
    target = Path(path)
    if FileStamp.of(target) != expected:
        raise WriteRefused(f"{target} changed on disk since it was read; reload and try again")
    try:
        original = target.read_text("utf-8-sig") if expected.sha256 is not None else ""
    except (OSError, UnicodeDecodeError) as error:
        raise WriteRefused(f"cannot read {target}: {error}") from None
    try:
        text = updated_text(original, name, values)
    except WriteRefused:
        raise
    except Exception as error:  # ruamel raises many types for YAML it cannot round-trip
        raise WriteRefused(f"cannot edit {target}: {type(error).__name__}") from None
    data = text.encode("utf-8")

    def still_as_read() -> None:
        # Checked again as late as possible: an editor may have saved while we worked.
        if FileStamp.of(target) != expected:
            raise WriteRefused(f"{target} changed on disk while saving; nothing was written")

    try:
        # A symlinked workspace file is replaced by a regular file, as it always was here.
        write_atomic(target, data, new_mode=0o644, through_symlink=False,
                     before_replace=still_as_read)
    except WriteFailed as error:
        reason = error.os_error
        raise WriteRefused(f"cannot write {target}: {reason.strerror or reason}") from None
    return FileStamp(hashlib.sha256(data).hexdigest())
