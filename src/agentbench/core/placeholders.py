"""`{{ name }}` placeholders: finding them, rendering them, and where each value comes from.

The grammar (DESIGN.md §2) is two braces, optional spaces, an identifier, optional spaces, two
braces. `${{ … }}` (GitHub Actions) is never a placeholder, so the pattern refuses a `$` right
before the braces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice

# The lookbehind comes after the literal braces so the regex engine can scan for `{{` at C
# speed; written first, it made every search ~8x slower.
PLACEHOLDER_RE = re.compile(r"\{\{(?<!\$\{\{)[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}")

# Near misses: braces around something that is almost a placeholder. Only checked outside code
# fences, where template-language expressions (`{{ user.email }}`) are legitimately at home.
_SUSPICIOUS_RES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"(?<![\{\$])\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}(?!\})"),
        "closes with one brace",
    ),
    (
        re.compile(r"(?<![\{\$])\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}(?!\})"),
        "opens with one brace",
    ),
    (
        re.compile(
            r"(?<![\{\$])\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*(?:[- ][A-Za-z0-9_]+)+)[ \t]*\}\}"
        ),
        "has a hyphen or space in its name",
    ),
    (
        re.compile(r"\{\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}\}"),
        "has three braces",
    ),
)

_FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


def find_names(text: str) -> tuple[str, ...]:
    """Distinct placeholder names in `text`, in order of first appearance."""
    if "{{" not in text:
        return ()
    return tuple(dict.fromkeys(PLACEHOLDER_RE.findall(text)))


def first_occurrences(text: str, wanted: Iterable[str],
                      occurrences: list[str] | None = None) -> list[tuple[str, int, int]]:
    """(name, 0-based line, 1-based column) of the first occurrence of each wanted
    placeholder, in order of appearance. `occurrences`: `PLACEHOLDER_RE.findall(text)`, when
    the caller has it."""
    if occurrences is None:
        occurrences = PLACEHOLDER_RE.findall(text)
    # Which match is each name's first comes from the list (C speed); only the matches up to
    # the last of those need their offsets. Past a few dozen matches, one reversed dict
    # (earlier indexes overwrite later ones) replaces a list.index per name, which was
    # quadratic: 10,000 distinct placeholders in one file took 1.8 s.
    if len(occurrences) > 64:
        first = dict(zip(reversed(occurrences), range(len(occurrences) - 1, -1, -1),
                         strict=True))
        order = sorted((first[name], name) for name in wanted)
    else:
        order = sorted((occurrences.index(name), name) for name in wanted)
    if not order:
        return []
    starts = [m.start() for m in islice(PLACEHOLDER_RE.finditer(text), order[-1][0] + 1)]
    found: list[tuple[str, int, int]] = []
    line = previous = 0
    for index, name in order:
        start = starts[index]
        line += text.count("\n", previous, start)  # newlines counted once, hit to hit
        previous = start
        found.append((name, line, start - text.rfind("\n", 0, start)))
    return found


@dataclass(frozen=True, slots=True)
class Occurrence:
    name: str
    start: int
    end: int


def find_occurrences(text: str) -> list[Occurrence]:
    """Every placeholder with its character span, for highlighting."""
    if "{{" not in text:
        return []
    return [Occurrence(m.group(1), m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]


@dataclass(frozen=True, slots=True)
class Suspicious:
    line_offset: int  # 0-based line within the text
    column: int  # 1-based
    snippet: str
    reason: str


def find_suspicious(text: str, placeholder_count: int | None = None) -> list[Suspicious]:
    """Brace syntax that looks like a mistyped placeholder, outside code fences.

    `placeholder_count`, when the caller already has it, is the number of placeholder
    occurrences in `text` (saves a pass over it).
    """
    if "{" not in text:
        return []
    # Most braces in an agent file are well-formed placeholders. Every near miss below holds
    # an opening brace that is not part of one, so when each `{` belongs to a placeholder
    # there is nothing to find and the patterns need not run.
    count = placeholder_count
    if count is None:
        count = len(PLACEHOLDER_RE.findall(text)) if "{{" in text else 0
    if text.count("{") == 2 * count:
        return []
    return _near_misses(text)


def _near_misses(text: str) -> list[Suspicious]:
    # Near misses are rare: match the whole text first, and only work out line numbers and
    # fences when something matched (this runs on every file of a 10,000-file lint).
    hits = [(m.start(), m.group(0), reason) for pattern, reason in _SUSPICIOUS_RES
            for m in pattern.finditer(text)]
    if not hits:
        return []
    fenced = _fenced_lines(text)
    found: list[Suspicious] = []
    for start, snippet, reason in sorted(hits):
        line = text.count("\n", 0, start)
        if line in fenced:
            continue
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        found.append(Suspicious(line, column, snippet[:80], reason))
    return found


def _fenced_lines(text: str) -> set[int]:
    """0-based numbers of the lines inside (or opening/closing) a code fence."""
    fenced: set[int] = set()
    fence: str | None = None
    for index, line in enumerate(text.split("\n")):
        marker = _FENCE_RE.match(line)
        if marker:
            token = marker.group(1)
            fenced.add(index)
            if fence is None:
                fence = token[0] * len(token)
            elif token.startswith(fence):
                fence = None
            continue
        if fence is not None:
            fenced.add(index)
    return fenced


class Source(StrEnum):
    """Where a value came from, highest precedence first."""

    SESSION = "session"
    PROFILE = "profile"
    OVERRIDES = "agent-config"
    DETECTED = "detected"
    UNSET = "unset"


@dataclass(frozen=True, slots=True)
class Value:
    name: str
    value: str | None
    source: Source
    # Human detail of the source: the profile name, the file, the evidence.
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Values:
    """Layered values, resolved highest precedence first (DESIGN.md §2)."""

    session: Mapping[str, str]
    profile: Mapping[str, str]
    overrides: Mapping[str, str]
    detected: Mapping[str, str]
    profile_name: str | None = None
    overrides_path: str = ""
    # Where each detected value was found ("pyproject.toml:5"), shown as its origin.
    detected_origins: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Values:
        return cls({}, {}, {}, {})

    def resolve(self, name: str) -> Value:
        if name in self.session:
            return Value(name, self.session[name], Source.SESSION, "this session")
        if name in self.profile:
            return Value(name, self.profile[name], Source.PROFILE, self.profile_name or "")
        if name in self.overrides:
            return Value(name, self.overrides[name], Source.OVERRIDES, self.overrides_path)
        if name in self.detected:
            return Value(name, self.detected[name], Source.DETECTED,
                         self.detected_origins.get(name, ""))
        return Value(name, None, Source.UNSET, "")

    def lookup(self, name: str) -> str | None:
        for layer in (self.session, self.profile, self.overrides, self.detected):
            if name in layer:
                return layer[name]
        return None

    def names(self) -> set[str]:
        return {*self.session, *self.profile, *self.overrides, *self.detected}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of rendered output: literal text, a filled value, or an unfilled placeholder."""

    text: str
    name: str | None = None
    filled: bool = True


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    spans: tuple[Span, ...]
    unfilled: tuple[str, ...]
    used: tuple[str, ...]


def render(text: str, values: Values) -> Rendered:
    """Fill placeholders literally; a value containing `{{x}}` is not expanded again."""
    if "{{" not in text:
        return Rendered(text, (Span(text),), (), ())
    spans: list[Span] = []
    out: list[str] = []
    unfilled: dict[str, None] = {}
    used: dict[str, None] = {}
    last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > last:
            literal = text[last : match.start()]
            spans.append(Span(literal))
            out.append(literal)
        name = match.group(1)
        used.setdefault(name, None)
        value = values.lookup(name)
        if value is None:
            unfilled.setdefault(name, None)
            spans.append(Span(match.group(0), name, filled=False))
            out.append(match.group(0))
        else:
            spans.append(Span(value, name, filled=True))
            out.append(value)
        last = match.end()
    if last < len(text):
        spans.append(Span(text[last:]))
        out.append(text[last:])
    return Rendered("".join(out), tuple(spans), tuple(unfilled), tuple(used))


def render_text(text: str, values: Mapping[str, str]) -> str:
    """Fast path used by exports: one compiled `re.sub`."""
    if "{{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return PLACEHOLDER_RE.sub(fill, text)


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`KEY=VALUE` pairs from the command line; raises ValueError naming the bad one."""
    parsed: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ValueError(f"expected KEY=VALUE with KEY a placeholder name, got {item[:60]!r}")
        parsed[key] = value
    return parsed
