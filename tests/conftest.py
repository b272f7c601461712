"""Fixtures shared by the tests (the TUI tests keep their harnesses in tests/ui/).

Only fixtures live here: test modules do not import from conftest, so a second conftest.py
elsewhere cannot shadow it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path (creating folders) and return its path."""

    def _write(relative: str, content: str | bytes) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return _write


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `agentbench ARGS...` in-process through the real entry point: (exit, out, err)."""
    from agentbench.cli import main

    def _run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


@pytest.fixture
def demo_dir() -> Path:
    """The bundled demo team (read it only; copy it to tmp_path to change it)."""
    return REPO / "agents"


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "copilot-agent-factory").is_dir():
        pytest.skip(f"the shared corpus is not present at {CORPUS}")
    return CORPUS


@pytest.fixture(autouse=True)
def _quiet_ui(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The TUI tests run the app made deterministic to draw (tests/ui/probe.py: no cursor
    blink, no cursor in the read-only previews); a test module there is on sys.path then."""
    if request.path.parent.name != "ui":
        return
    from probe import quiet

    quiet(partial(monkeypatch.setattr, raising=False))


@pytest.fixture
def real() -> Callable[[str], Path]:
    """A published library of `../shared/corpus/real/` by folder name (read it only)."""

    def _real(name: str) -> Path:
        path = CORPUS / "real" / name
        if not path.is_dir():
            pytest.skip(f"the real library {name} is not present at {path}")
        return path

    return _real
