"""Project detection on a 10,000-file project vs. a bare `os.walk` listing of the same tree.

Detection reads manifests and lists folders to a bounded depth, never every file, so it must
finish under 1 s; the floor shows what merely listing the whole tree costs on this machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.common import median_seconds, report_absolute

FILES = int(os.environ.get("AGENTBENCH_BENCH_FILES", "10000"))
LIMIT_S = 1.0


def make_project(root: Path, count: int) -> None:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "big"\nrequires-python = ">=3.12"\n'
        'dependencies = ["fastapi", "sqlalchemy==2.0.30", "celery[redis]", "alembic"]\n'
        "\n[tool.ruff]\nline-length = 100\n", "utf-8")
    (root / "package.json").write_text(
        '{"name": "big-web", "scripts": {"test": "vitest run", "build": "vite build"},'
        ' "dependencies": {"react": "^18.2.0"}}\n', "utf-8")
    (root / "app").mkdir()
    (root / "app" / "main.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n")
    per_folder = 100
    for index in range(count):
        folder = root / "app" / f"area{index // 1000:02d}" / f"pkg{(index // per_folder) % 10:02d}"
        if index % per_folder == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module{index:05d}.py").write_text("x = 1\n")
    # Dependencies a real checkout has, which detection must not even list.
    modules = root / "node_modules" / "left-pad"
    modules.mkdir(parents=True)
    for index in range(2000):
        (modules / f"f{index}.js").write_text("")


def floor_walk(root: str) -> int:
    return sum(len(files) for _path, _dirs, files in os.walk(root))


def main() -> int:
    from agentbench.core.project.detect import detect

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        make_project(root, FILES)
        found = detect(root)
        assert found.findings["framework"].value == "FastAPI", "fixture not detected"
        value = median_seconds(lambda: detect(root), repeat=7)
        floor = median_seconds(lambda: floor_walk(temp), repeat=7)
        ratio = value / floor if floor > 0 else float("inf")
        print(f"{'os.walk listing (floor)':<44} {floor * 1000:9.2f} ms")
        print(f"{'detection vs floor':<44} ratio {ratio:5.2f}")
        return 0 if report_absolute(f"detect, {FILES} files", value, LIMIT_S) else 1


if __name__ == "__main__":
    sys.exit(main())
