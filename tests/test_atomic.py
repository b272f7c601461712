"""Atomic writes: all or nothing, never over someone else's edit, permissions kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from agentbench.core.write.atomic import (
    ABSENT,
    FileChanged,
    WriteRefused,
    stamp_of,
    write_atomic,
)


def test_creates_a_new_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    stamp = write_atomic(target, b"hello\n", ABSENT)
    assert target.read_bytes() == b"hello\n"
    assert stamp == stamp_of(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_replaces_a_file_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new", stamp_of(target))
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_refuses_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"v1")
    stamp = stamp_of(target)
    target.write_bytes(b"edited by someone else")
    with pytest.raises(FileChanged, match="changed on disk since it was read"):
        write_atomic(target, b"ours", stamp)
    assert target.read_bytes() == b"edited by someone else"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_refuses_to_clobber_a_file_that_appeared(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"theirs")
    with pytest.raises(FileChanged, match="created by something else"):
        write_atomic(target, b"ours", ABSENT)
    assert target.read_bytes() == b"theirs"


def test_refuses_when_the_file_was_deleted(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"v1")
    stamp = stamp_of(target)
    target.unlink()
    with pytest.raises(FileChanged, match="deleted"):
        write_atomic(target, b"ours", stamp)
    assert not target.exists()


def test_no_check_without_a_stamp(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"whatever")
    write_atomic(target, b"ours")
    assert target.read_bytes() == b"ours"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WriteRefused, match="cannot write in"):
        write_atomic(tmp_path / "nope" / "a.md", b"x")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomic(link, b"new", stamp_of(real))
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
