""""Did you mean …": the closest known word to a misspelt one, for any diagnostic that names one."""

from __future__ import annotations


def suggest(word: str, choices: frozenset[str] | set[str]) -> str:
    """' (did you mean `x`?)' or ''."""
    import difflib  # only needed when something is misspelt

    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.75)
    return f" (did you mean '{match[0]}'?)" if match else ""
