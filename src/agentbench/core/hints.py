""""Did you mean …": the closest known word to a misspelt one, for any diagnostic that names one.

The answer is difflib's (`get_close_matches`, cutoff 0.75), so suggestions read the same
whatever the library's size. difflib alone compares the word with every known one in Python,
which on a 10,000-agent library with a few hundred dangling handoffs took most of `lint`'s
time. `Names` is built once per set of words and, past a few hundred of them, ranks them by
rapidfuzz's Indel ratio (in C) before asking difflib about the best few: that ratio is
2·LCS/(len a + len b), and difflib's matching blocks form a common subsequence, so difflib's
ratio is never above it. Walking the ranking until it falls below the best difflib ratio
found gives difflib's answer exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.75
# Below this many words difflib alone is as quick as the filter and spares its import (~10 ms).
_INDEXED_FROM = 200


class Names:
    """Known words, sorted once, for many lookups."""

    __slots__ = ("_memo", "_words")

    def __init__(self, words: Iterable[str]) -> None:
        self._words = sorted(set(words))
        self._memo: dict[str, str | None] = {}

    def __len__(self) -> int:
        return len(self._words)

    def closest(self, word: str) -> str | None:
        if word not in self._memo:  # a gone agent is usually named by several handoffs
            self._memo[word] = self._closest(word)
        return self._memo[word]

    def _closest(self, word: str) -> str | None:
        import difflib  # only needed when something is misspelt

        if len(self._words) < _INDEXED_FROM:
            match = difflib.get_close_matches(word, self._words, n=1, cutoff=CUTOFF)
            return match[0] if match else None
        from rapidfuzz import fuzz, process

        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        seen: set[str] = set()
        # Names alike enough to tie (agent-01230 … agent-01239) come in dozens: one call
        # usually covers them.
        limit = 128
        while True:
            # Best Indel ratio first, a hair under the cutoff so no word is lost to rounding.
            ranked = process.extract(word, self._words, scorer=fuzz.ratio,
                                     score_cutoff=CUTOFF * 100 - 1e-6, limit=limit)
            # Among equal bounds the later word first: a tie goes to it, so the words before
            # it that can only tie are skipped below.
            ordered = sorted(ranked, key=lambda found: found[0], reverse=True)
            ordered.sort(key=lambda found: found[1], reverse=True)
            for choice, bound, _index in ordered:
                # difflib's ratio is never above the Indel ratio: once that falls below the
                # best difflib ratio found, no later word can win or tie.
                if best is not None and bound / 100 < best[0] - 1e-9:
                    return best[1]
                # A word that can at most tie the best loses the tie unless it sorts after it.
                if choice in seen or (best is not None and bound / 100 <= best[0] + 1e-9
                                      and choice < best[1]):
                    continue
                seen.add(choice)
                matcher.set_seq1(choice)
                # The cheap upper bounds first, as get_close_matches does.
                floor = CUTOFF if best is None else max(CUTOFF, best[0] - 1e-9)
                if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                    continue
                ratio = matcher.ratio()
                # As get_close_matches: at or above the cutoff, the higher (ratio, word) wins.
                if ratio >= CUTOFF and (best is None or (ratio, choice) > best):
                    best = (ratio, choice)
            if len(ranked) < limit:  # every word at or above the cutoff has been looked at
                return best[1] if best else None
            limit *= 4

    def suggest(self, word: str) -> str:
        """' (did you mean `x`?)' or ''."""
        match = self.closest(word)
        return f" (did you mean '{match}'?)" if match else ""


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean `x`?)' or '', for a one-off lookup; build `Names` for many."""
    return Names(choices).suggest(word)
