"""Flow export: the Markdown transcript and a Mermaid sequence diagram that hostile text
cannot break."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from agentbench.core.flow.export import mermaid_text, run_to_markdown, to_markdown, to_mermaid
from agentbench.core.flow.record import FlowFile
from agentbench.core.flow.walk import Step
from agentbench.core.library.loader import load_library

HOSTILE = [
    'say "hi"',
    "a; b",
    "# not a comment",
    "line one\nline two\r\nthree",
    "[@click=app.quit]",
    "%% comment",
    "A->>B: injected",
    "end",
    "<script>alert(1)</script>",
    "tab\there & \x1b[31mred\x1b[0m",
    "`code` *bold* _em_ | pipe",
    "",
]

SAFE_TEXT = r"(?:[A-Za-z0-9 .,_()/!?'+*=@-]|#\d+;|[^\x00-\x7f])+"
PARTICIPANT = re.compile(rf"    participant (A\d+) as ({SAFE_TEXT})")
MESSAGE = re.compile(rf"    (A\d+)->>(A\d+): ({SAFE_TEXT})")
NOTE = re.compile(rf"    Note over (A\d+): ({SAFE_TEXT})")


def check_mermaid(text: str) -> list[str]:
    """Validate a sequence diagram line by line; return the decoded texts it shows."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "sequenceDiagram"
    declared: set[str] = set()
    shown: list[str] = []
    for line in lines[1:]:
        if m := PARTICIPANT.fullmatch(line):
            declared.add(m.group(1))
            shown.append(m.group(2))
        elif m := MESSAGE.fullmatch(line):
            assert {m.group(1), m.group(2)} <= declared, line
            shown.append(m.group(3))
        elif m := NOTE.fullmatch(line):
            assert m.group(1) in declared, line
            shown.append(m.group(2))
        else:
            raise AssertionError(f"not a valid sequence-diagram line: {line!r}")
        assert "%%" not in line and "<" not in line and '"' not in line
    return [html.unescape(re.sub(r"#(\d+);", r"&#\1;", s)) for s in shown]


def step(source: str, label: str, target: str, prompt: str = "p", reply: str | None = None,
         send: bool = False) -> Step:
    return Step(source, label, target, prompt, prompt, send, 0, reply)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_labels_names_and_replies_stay_inside_their_mermaid_line(text: str) -> None:
    steps = [step(text or "x", text, "other;agent", reply=text + " reply"),
             step("other;agent", "back", text or "x")]
    diagram = to_mermaid(text or "x", steps)
    shown = check_mermaid(diagram)
    flat = " ".join(text.replace("\x1b", " ").split())
    # Nothing is lost but control characters and line breaks: the text reads back.
    assert any(flat in s for s in shown), (flat, shown)


def test_mermaid_uses_generated_aliases_and_one_participant_per_agent() -> None:
    steps = [step("orchestrator", "Go", "backend-agent"), step("backend-agent", "Test",
                                                                "test-agent"),
             step("test-agent", "Fix", "backend-agent", send=True)]
    diagram = to_mermaid("orchestrator", steps)
    assert diagram.splitlines()[1:4] == ["    participant A1 as orchestrator",
                                         "    participant A2 as backend-agent",
                                         "    participant A3 as test-agent"]
    assert "    A3->>A2: 3. Fix" in diagram
    check_mermaid(diagram)


def test_long_text_is_shortened_in_the_diagram() -> None:
    assert len(mermaid_text("word " * 100)) <= 80
    assert mermaid_text("") == "#160;"


def test_markdown_transcript_of_the_sample_flow(demo_dir: Path) -> None:
    library = load_library(str(demo_dir))
    flow, _ = FlowFile.load(demo_dir / "flows" / "feature.yaml")
    assert flow is not None
    run, problem = flow.replay(library)
    assert run is not None and problem is None
    text = run_to_markdown(run, flow.title)
    assert text.startswith("# Flow: Invoice due dates\n")
    assert "## 1. orchestrator → Implement Backend → backend-agent" in text
    for taken in run.transcript:  # every exact prompt, in a fence of its own
        assert f"```text\n{taken.prompt}\n```" in text
    assert "Prompt, edited, then sent:" in text
    assert "Prompt, sent at once (`send: true`):" in text
    assert "Reply from test-agent:" in text
    mermaid = text.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    check_mermaid(mermaid)


def test_markdown_keeps_hostile_text_inert() -> None:
    prompt = "Run:\n```sh\nrm -rf /\n```\nthen \x1b[2J clear"
    steps = [step("lead", "[@click=app.quit] *now*\n# heading", "dev", prompt=prompt,
                  reply="ok ````")]
    text = to_markdown("lead", steps, title="T <b>")
    heading = next(line for line in text.splitlines() if line.startswith("## 1."))
    assert heading == r"## 1. lead → \[@click=app.quit\] \*now\* # heading → dev"
    assert "# Flow: T \\<b\\>" in text
    assert "````text\nRun:\n```sh\nrm -rf /\n```\nthen \\x1b[2J clear\n````" in text
    assert "`````text\nok ````\n`````" in text
    assert "\x1b" not in text


def test_a_stopped_replay_says_where_in_the_export(tmp_path: Path, demo_dir: Path) -> None:
    library = load_library(str(demo_dir))
    flow, _ = FlowFile.parse("start: orchestrator\nvalues: {feature_description: x}\n"
                             "steps:\n  - Implement Backend\n  - Deploy\n")
    assert flow is not None
    run, problem = flow.replay(library)
    assert run is not None and problem is not None
    text = run_to_markdown(run, None, problem)
    assert "## Stopped" in text and "step 2 ('Deploy' from 'backend\\-agent')" not in text
    assert "step 2 ('Deploy' from 'backend-agent') no longer exists" in text
