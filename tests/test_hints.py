"""'Did you mean': the indexed lookup gives difflib's answer exactly, on small and large sets."""

from __future__ import annotations

import difflib
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from agentbench.core.hints import Names, suggest

_RNG = random.Random(7)
# Names shaped like a generated library (all alike) and like a real one (varied), past the size
# where the index is used.
ALIKE = [f"agent-{i:05d}" for i in range(2_000)] + ["backend-agent", "api-agent", "docs-agent"]
VARIED = sorted({"".join(_RNG.choice("abcdefghijklmnop-") for _ in range(_RNG.randint(2, 30)))
                 for _ in range(1_500)})
SMALL = ["name", "model", "description", "tools", "handoffs", "triggers"]


def _difflib(word: str, words: list[str]) -> str | None:
    match = difflib.get_close_matches(word, sorted(set(words)), n=1, cutoff=0.75)
    return match[0] if match else None


def _near(words: list[str]) -> st.SearchStrategy[str]:
    """A known word with a few edits: the misspellings suggestions exist for."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_"

    @st.composite
    def edited(draw: st.DrawFn) -> str:
        word = list(draw(st.sampled_from(words)))
        for _ in range(draw(st.integers(0, 4))):
            at = draw(st.integers(0, len(word)))
            kind = draw(st.sampled_from(("insert", "delete", "replace")))
            if kind == "insert":
                word.insert(at, draw(st.sampled_from(alphabet)))
            elif word:
                at = min(at, len(word) - 1)
                if kind == "delete":
                    del word[at]
                else:
                    word[at] = draw(st.sampled_from(alphabet))
        return "".join(word)

    return edited() | st.text(alphabet=alphabet, max_size=20)


@settings(max_examples=60, deadline=None)
@given(_near(ALIKE))
def test_alike_names_get_difflibs_answer(word: str) -> None:
    assert Names(ALIKE).closest(word) == _difflib(word, ALIKE)


@settings(max_examples=60, deadline=None)
@given(_near(VARIED))
def test_varied_names_get_difflibs_answer(word: str) -> None:
    assert Names(VARIED).closest(word) == _difflib(word, VARIED)


@given(_near(SMALL))
def test_small_sets_get_difflibs_answer(word: str) -> None:
    assert Names(SMALL).closest(word) == _difflib(word, SMALL)


def test_the_message_names_the_match_or_says_nothing() -> None:
    assert suggest("handofs", SMALL) == " (did you mean 'handoffs'?)"
    assert suggest("zzzz", SMALL) == ""
    assert Names(ALIKE).suggest("backend-agnet") == " (did you mean 'backend-agent'?)"
