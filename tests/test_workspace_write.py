from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agentbench.core.library.workspace import load_workspace
from agentbench.core.write.atomic import WriteRefused
from agentbench.core.write.profile import FileStamp, save_profile

DEMO = Path(__file__).resolve().parent.parent / "agents"


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "agents"))


def test_new_profile_keeps_comments_and_order(team: Path) -> None:
    path = team / "agentbench.yaml"
    before = path.read_text("utf-8")
    stamp = FileStamp.of(path)
    new = save_profile(path, "django", {"framework": "Django 5", "odd": "a: [b] #c"}, stamp)
    after = path.read_text("utf-8")
    assert new == FileStamp.of(path)
    assert after.startswith(before.rstrip("\n"))
    assert "# Python service: FastAPI" in after
    workspace = load_workspace(team)
    assert workspace.profiles["django"] == {"framework": "Django 5", "odd": "a: [b] #c"}
    assert list(workspace.profiles) == ["fastapi", "nest", "django"]


def test_existing_profile_updated_in_place(team: Path) -> None:
    path = team / "agentbench.yaml"
    save_profile(path, "nest", {"test_command": "pnpm test"}, FileStamp.of(path))
    workspace = load_workspace(team)
    assert workspace.profiles["nest"]["test_command"] == "pnpm test"
    assert workspace.profiles["nest"]["framework"] == "NestJS 10"
    assert "# TypeScript service" in path.read_text("utf-8")


def test_refuses_when_changed_on_disk(team: Path) -> None:
    path = team / "agentbench.yaml"
    stamp = FileStamp.of(path)
    path.write_text(path.read_text("utf-8") + "\n# edited elsewhere\n", "utf-8")
    changed = path.read_text("utf-8")
    with pytest.raises(WriteRefused, match="changed on disk"):
        save_profile(path, "x", {"a": "b"}, stamp)
    assert path.read_text("utf-8") == changed
    assert [p.name for p in team.iterdir() if p.name.endswith(".tmp")] == []


def test_creates_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "agentbench.yaml"
    save_profile(path, "mine", {"k": "v"}, FileStamp.of(path))
    assert load_workspace(tmp_path).profiles == {"mine": {"k": "v"}}


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "[bold]"])
def test_refuses_bad_names(team: Path, name: str) -> None:
    path = team / "agentbench.yaml"
    with pytest.raises(WriteRefused):
        save_profile(path, name, {"a": "b"}, FileStamp.of(path))


def test_refuses_non_mapping(tmp_path: Path) -> None:
    path = tmp_path / "agentbench.yaml"
    path.write_text("- a\n- b\n", "utf-8")
    with pytest.raises(WriteRefused):
        save_profile(path, "p", {"a": "b"}, FileStamp.of(path))
