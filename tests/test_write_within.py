"""Writes never follow a symlink out of the folder being written (DESIGN.md §5): an export's
--out, the library for a recorded flow and a saved graph. Real symlinks: dangling, to a
folder outside, to a file outside (with --force)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from agentbench.core.flow.record import FlowFile
from agentbench.core.library.loader import load_library
from agentbench.core.write.atomic import ABSENT, LinkLeaves, confine, write_atomic
from agentbench.core.write.flow_file import save_flow

Run = Callable[..., tuple[int, str, str]]
CLAUDE = Path(".claude") / "agents"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def _export(run_cli: Run, out: Path, demo_dir: Path, *more: str) -> tuple[int, str, str]:
    return run_cli("export", "--to", "claude", "--out", str(out), str(demo_dir), *more)


# the writer --------------------------------------------------------------------------------


def test_confine_refuses_links_out_and_names_them(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "dangling\x1b[2J.md").symlink_to(outside / "made.md")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "inside.md").symlink_to(root / "sub" / "real.md")
    with pytest.raises(LinkLeaves) as caught:
        confine(root, root / "sub" / "dangling\x1b[2J.md")
    assert "dangling\\x1b[2J.md is a symbolic link to" in str(caught.value)
    assert "\x1b" not in str(caught.value) and str(outside) in str(caught.value)
    with pytest.raises(LinkLeaves, match="linked is a symbolic link"):
        confine(root, root / "linked" / "deeper" / "x.md")
    with pytest.raises(LinkLeaves, match="is not inside"):
        confine(root, root / ".." / "x.md")
    confine(root, root / "inside.md", root / "sub" / "new.md", root / "new" / "folder" / "x")
    # write_atomic(within=...) refuses, and writes through a link that stays inside.
    with pytest.raises(LinkLeaves):
        write_atomic(root / "sub" / "dangling\x1b[2J.md", b"x", ABSENT, within=root)
    assert not (outside / "made.md").exists()
    write_atomic(root / "inside.md", b"through", ABSENT, within=root)
    assert (root / "sub" / "real.md").read_bytes() == b"through"
    assert (root / "inside.md").is_symlink()


def test_the_folder_written_may_itself_be_a_link(tmp_path: Path, outside: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(outside, target_is_directory=True)
    write_atomic(link / "x.md", b"x", ABSENT, within=link)
    assert (outside / "x.md").read_bytes() == b"x"


# export --out ------------------------------------------------------------------------------


def test_export_refuses_a_dangling_link_planted_in_out(run_cli: Run, tmp_path: Path,
                                                        outside: Path, demo_dir: Path) -> None:
    out = tmp_path / "out"
    (out / CLAUDE).mkdir(parents=True)
    (out / CLAUDE / "backend-agent.md").symlink_to(outside / "planted.md")
    code, _, err = _export(run_cli, out, demo_dir)
    assert code == 1 and "backend-agent.md is a symbolic link to" in err
    assert not (outside / "planted.md").exists()
    assert list((out / CLAUDE).iterdir()) == [out / CLAUDE / "backend-agent.md"]  # nothing


def test_export_refuses_a_linked_folder_in_out(run_cli: Run, tmp_path: Path, outside: Path,
                                               demo_dir: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".claude").symlink_to(outside, target_is_directory=True)
    code, _, err = _export(run_cli, out, demo_dir)
    assert code == 1 and ".claude is a symbolic link to" in err
    assert list(outside.iterdir()) == []  # not even the agents/ folder


def test_export_force_does_not_overwrite_a_link_target_outside(
        run_cli: Run, tmp_path: Path, outside: Path, demo_dir: Path) -> None:
    out = tmp_path / "out"
    (out / CLAUDE).mkdir(parents=True)
    victim = outside / "victim.md"
    victim.write_text("the user's own file\n", "utf-8")
    (out / CLAUDE / "api-agent.md").symlink_to(victim)
    code, _, err = _export(run_cli, out, demo_dir, "--force")
    assert code == 1 and "api-agent.md is a symbolic link to" in err
    assert victim.read_text("utf-8") == "the user's own file\n"


def test_export_through_a_link_that_stays_inside_out(run_cli: Run, tmp_path: Path,
                                                     demo_dir: Path) -> None:
    out = tmp_path / "out"
    (out / "shared").mkdir(parents=True)
    (out / ".claude").mkdir()
    (out / CLAUDE).symlink_to(out / "shared", target_is_directory=True)
    code, _, err = _export(run_cli, out, demo_dir)
    assert code == 0, err
    assert (out / "shared" / "backend-agent.md").is_file()


# the library: flow record, graph save ------------------------------------------------------


def _flow(demo_dir: Path) -> FlowFile:
    flow, _ = FlowFile.load(demo_dir / "flows" / "feature.yaml")
    assert flow is not None
    return flow


def test_flow_record_refuses_a_dangling_link_in_the_library(tmp_path: Path, outside: Path,
                                                            demo_dir: Path) -> None:
    library = tmp_path / "lib"
    (library / "flows").mkdir(parents=True)
    (library / "flows" / "walk.yaml").symlink_to(outside / "walk.yaml")
    with pytest.raises(LinkLeaves, match=r"walk\.yaml is a symbolic link"):
        save_flow(_flow(demo_dir), library / "flows" / "walk.yaml", ABSENT, within=library)
    assert not (outside / "walk.yaml").exists()
    (library / "flows" / "walk.yaml").unlink()
    (library / "flows").rmdir()
    (library / "flows").symlink_to(outside, target_is_directory=True)
    with pytest.raises(LinkLeaves, match="flows is a symbolic link"):
        save_flow(_flow(demo_dir), library / "flows" / "walk.yaml", ABSENT, within=library)
    assert list(outside.iterdir()) == []


def test_graph_save_refuses_a_dangling_link_in_the_library(tmp_path: Path, outside: Path,
                                                           demo_dir: Path) -> None:
    from agentbench.ui.widgets.graph_exports import ExportSaver

    library = tmp_path / "lib"
    library.mkdir()
    for agent in demo_dir.glob("*.md"):
        (library / agent.name).write_bytes(agent.read_bytes())
    (library / "handoffs.mmd").symlink_to(outside / "handoffs.mmd")
    saved, message = ExportSaver().save(load_library(str(library)), "mermaid")
    assert not saved and "handoffs.mmd is a symbolic link to" in message
    assert not (outside / "handoffs.mmd").exists()
    os.unlink(library / "handoffs.mmd")
    saved, message = ExportSaver().save(load_library(str(library)), "dot")
    assert saved and (library / "handoffs.dot").is_file()


def test_the_flow_screen_records_within_the_library(tmp_path: Path, outside: Path,
                                                    demo_dir: Path) -> None:
    """The wiring: finish_record passes the library as `within` (a stand-in screen)."""
    from types import SimpleNamespace

    from agentbench.core.library.loader import LibraryLoader
    from agentbench.ui.screens.flow_files import finish_record
    from agentbench.ui.state import WorkbenchState

    library = tmp_path / "lib"
    (library / "flows").mkdir(parents=True)
    (library / "flows" / "walk.yaml").symlink_to(outside / "walk.yaml")
    notes: list[tuple[str, str]] = []
    flow = _flow(demo_dir)
    screen = SimpleNamespace(
        run=SimpleNamespace(record=lambda title: flow), script=None,
        state=WorkbenchState(LibraryLoader.for_path(str(library)), {}, False),
        notify=lambda message, title="", **_: notes.append((title, message)),
        saved_as=lambda path: notes.append(("saved", path)))
    finish_record(screen, str(library / "flows" / "walk.yaml"))  # type: ignore[arg-type]
    assert notes and notes[0][0] == "Not recorded" and "symbolic link" in notes[0][1]
    assert not (outside / "walk.yaml").exists()
