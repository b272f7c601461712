"""The dialect tables (core/read/dialects.py) agree with what reads them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentbench.core.model import Dialect
from agentbench.core.read import dialects
from agentbench.core.read.dialects import Kind
from agentbench.core.read.parse import detect_dialect, parse_bytes, stem_of
from agentbench.core.write.new_agent import agent_path

# The keys the schema has a reader for; the kind of any other key is never checked.
READ_KEYS = {"name", "description", "model", "triggers", "tools", "handoffs"}


@pytest.mark.parametrize("dialect", list(Dialect))
def test_every_dialect_has_a_table(dialect: Dialect) -> None:
    table = dialects.spec(dialect)
    assert table.dialect is dialect
    assert table.known_keys == frozenset(table.keys)
    assert set(table.required) <= table.known_keys


@pytest.mark.parametrize("dialect", list(Dialect))
def test_only_keys_with_a_reader_declare_a_kind(dialect: Dialect) -> None:
    # A kind on another key would promise a check the schema does not make.
    declared = {k for k, kind in dialects.spec(dialect).keys.items() if kind is not Kind.ANY}
    assert declared <= READ_KEYS


@pytest.mark.parametrize("table", dialects.DETECTED_BY_PATH, ids=lambda t: str(t.dialect))
def test_the_path_rules_detect_their_dialect(table: dialects.DialectSpec) -> None:
    for folder in table.folders:
        assert detect_dialect(f"repo/{folder.parent}/{folder.child}/x.md") is table.dialect
    for suffix in table.suffixes:
        assert detect_dialect(f"repo/x{suffix}") is table.dialect
        assert stem_of(f"repo/x{suffix}") == "x"
    assert detect_dialect(os.path.join("repo", *table.default_folder, "x.md")) is table.dialect


@pytest.mark.parametrize("dialect", [d for d in Dialect if dialects.spec(d).folders])
def test_a_new_agent_goes_where_its_dialect_is_detected(tmp_path: Path,
                                                        dialect: Dialect) -> None:
    path = agent_path(str(tmp_path), dialect, "new-agent")
    assert detect_dialect(path) is dialect


def test_an_unknown_key_of_one_dialect_known_to_another_is_ignored_not_unknown() -> None:
    # In `.github/agents/` (VS Code by its place): in a plain `agents/` folder a Claude-only
    # key makes the file a Claude subagent (detection by content).
    text = b"---\nname: x\ndescription: d\npermissionMode: default\n---\n"
    codes = [d.code for d in parse_bytes(".github/agents/x.md", text).diagnostics]
    assert codes == ["AB308"]
