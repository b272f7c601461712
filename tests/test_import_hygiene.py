"""The core must stay importable without Textual or Rich, so the CLI and scripts stay fast."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import pkgutil, importlib, sys
import agentbench.core
for module in pkgutil.walk_packages(agentbench.core.__path__, "agentbench.core."):
    importlib.import_module(module.name)
import agentbench.cli
leaked = sorted(m for m in sys.modules if m.split(".")[0] in {"textual", "rich"})
print(",".join(leaked))
"""


def test_core_and_cli_import_without_textual_or_rich() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"core pulled in: {result.stdout.strip()}"


def test_core_import_does_not_pull_in_heavy_optional_libraries() -> None:
    code = (
        "import sys, agentbench.core; "
        "print(','.join(m for m in ('networkx', 'ftfy', 'ruamel') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
