"""The one way untrusted text reaches a terminal's toasts and titles (ui/screen_text.py) and
the escaping under it (core/text/safe.py)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from agentbench.core.text.safe import json_safe, printable, printable_block
from agentbench.ui.app import AgentbenchApp
from agentbench.ui.screen_text import SafeTextApp, SafeTitles, screen_line, screen_text
from agentbench.ui.screens.flow import FlowScreen

UI = Path(__file__).resolve().parents[1] / "src" / "agentbench" / "ui"


def test_controls_escapes_bidi_and_zero_width_are_made_visible() -> None:
    hostile = "a\x1b]52;c;eA==\x07b\x1b[2J\u202ec\u2066d\u2069\u200be\u200f\u2060\ufeff\x85\x7f"
    assert printable(hostile) == ("a\\x1b]52;c;eA==\\x07b\\x1b[2J\\u202ec\\u2066d\\u2069"
                                  "\\u200be\\u200f\\u2060\\ufeff\\x85\\x7f")
    assert printable_block("x\n\ty\u202e") == "x\n\ty\\u202e"
    assert printable("x\ny") == "x\\ny"


def test_joiners_inside_emoji_and_scripts_stay_text() -> None:
    family, coder = "👨\u200d👩\u200d👧", "👩🏽\u200d💻"
    flag = "🏳\ufe0f\u200d🌈"
    persian = "می\u200cخواهم"  # ZWNJ inside a Persian word
    for text in (family, coder, flag, persian):
        assert printable(text) == text
    # Between ASCII letters, at an edge, or next to another invisible one, they hide text.
    assert printable("ad\u200dmin") == "ad\\u200dmin"
    assert printable("\u200d👩") == "\\u200d👩"
    assert printable("👩\u200d\u200b💻") == "👩\\u200d\\u200b💻"


def test_plain_and_non_ascii_text_is_unchanged() -> None:
    text = "café 日本語 🙂 [b]x[/b] \\x1b"
    assert printable(text) == text and printable_block(text) == text


def test_screen_text_and_line() -> None:
    assert screen_text(OSError(2, "No such file", "a\x1b[2J\u202e")) == \
        "[Errno 2] No such file: 'a\\x1b[2J\\u202e'"
    assert screen_line("one\ntwo\x07") == "one\\ntwo\\x07"
    assert screen_text("one\ntwo\x07") == "one\ntwo\\x07"


def test_json_escapes_every_control_and_invisible_character() -> None:
    value = {"m": "C1 \x85\x9b DEL \x7f bidi \u202e\u2066 zw \u200b\ufeff ls \u2028 é 🙂 \x1b"}
    encoded = json_safe(json.dumps(value, ensure_ascii=False))
    assert json.loads(encoded) == value
    assert "\\u0085" in encoded and "\\u009b" in encoded and "\\u007f" in encoded
    assert "\\u202e" in encoded and "\\u200b" in encoded and "\\u2028" in encoded
    assert "é 🙂" in encoded and "\\u001b" in encoded
    for char in encoded:
        assert not (0x7F <= ord(char) <= 0x9F) and char not in "\u202e\u2066\u200b\ufeff\u2028"


def test_every_toast_and_title_sink_is_the_safe_one() -> None:
    assert AgentbenchApp.notify is SafeTextApp.notify
    assert AgentbenchApp.validate_title is SafeTextApp.validate_title
    assert AgentbenchApp.validate_sub_title is SafeTextApp.validate_sub_title
    assert FlowScreen.validate_sub_title is SafeTitles.validate_sub_title
    assert FlowScreen.validate_title is SafeTitles.validate_title


def test_nothing_in_the_ui_goes_around_the_safe_notify() -> None:
    """Only screen_text.py may reach Textual's own notify; titles are set only on the app
    (the presenter) and on the flow screen, the two whose validators escape them."""
    titles = {"main/presenter.py", "screens/flow.py",
              "widgets/flow_card.py"}  # a Collapsible's, from counts only
    for path in UI.rglob("*.py"):
        name = path.relative_to(UI).as_posix()
        source = path.read_text("utf-8")
        if name != "screen_text.py":
            for around in ("super().notify(", "App.notify(", "Notification(", "(Notify(",
                           "_notifications"):
                assert around not in source, (name, around)
        for node in ast.walk(ast.parse(source)):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in ("title", "sub_title"):
                    assert name in titles, (name, ast.unparse(target))
