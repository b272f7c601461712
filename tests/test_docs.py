"""Documentation that must stay true as the code moves."""

from __future__ import annotations

import re
from pathlib import Path

from agentbench.core.codes import CODES

ROOT = Path(__file__).resolve().parents[1]


def test_every_diagnostic_code_is_documented_with_its_severity() -> None:
    text = (ROOT / "docs" / "diagnostics.md").read_text("utf-8")
    rows = dict(re.findall(r"\*\*(AB\d{3})\*\* \| (\w+) \|", text))
    assert set(rows) == set(CODES), "docs/diagnostics.md and codes.py list different codes"
    for code, entry in CODES.items():
        assert rows[code] == str(entry.severity), f"{code} severity differs in the docs"


def test_readme_documents_every_cli_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in ("agentbench list", "agentbench lint", "agentbench render",
                    "agentbench graph"):
        assert command in readme
