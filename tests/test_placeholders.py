"""DESIGN §2: the placeholder grammar, literal rendering, value precedence, near misses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentbench.core.placeholders import (
    Source,
    Values,
    find_names,
    find_suspicious,
    parse_assignments,
    render,
    render_text,
)


def values(**layer: str) -> Values:
    return Values(session={}, profile=dict(layer), overrides={}, detected={},
                  profile_name="p")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("{{name}}", ("name",)),
        ("{{ name }}", ("name",)),
        ("{{\tname\t}}", ("name",)),
        ("{{  _a1 }} and {{B_2}}", ("_a1", "B_2")),
        ("{{a}} {{b}} {{a}}", ("a", "b")),
        ("prefix{{x}}suffix", ("x",)),
    ],
)
def test_placeholder_grammar_matches(text: str, names: tuple[str, ...]) -> None:
    assert find_names(text) == names


NEVER = [
    "${{ secrets.GITHUB_TOKEN }}",
    "${{ github }}",
    "${{github}}",
    "{single}",
    "${VAR}",
    "${input:x}",
    "$ARGUMENTS",
    "{{ 1abc }}",
    "{{ a.b }}",
    "{{ a-b }}",
    "{{ }}",
    "{{\nname\n}}",
    "{ {name} }",
]


@pytest.mark.parametrize("text", NEVER)
def test_things_that_are_never_placeholders(text: str) -> None:
    assert find_names(text) == ()
    every = Values({"github": "G", "name": "N", "a": "A", "x": "X", "VAR": "V",
                    "ARGUMENTS": "R", "single": "S", "secrets": "S"}, {}, {}, {})
    result = render(text, every)
    assert result.text == text
    assert result.unfilled == ()
    assert render_text(text, {"github": "G", "name": "N"}) == text


def test_github_expression_next_to_a_real_placeholder() -> None:
    text = "token: ${{ secrets.TOKEN }} for {{ project }} and ${{ github }}"
    result = render(text, values(project="P", github="no"))
    assert result.text == "token: ${{ secrets.TOKEN }} for P and ${{ github }}"
    assert result.used == ("project",)


def test_render_is_literal_and_does_not_re_expand() -> None:
    result = render("{{a}} / {{b}}", values(a="{{b}}", b="${{ x }} \\1 \\g<0>"))
    assert result.text == "{{b}} / ${{ x }} \\1 \\g<0>"
    assert result.unfilled == ()
    assert render_text("{{a}}", {"a": "{{a}} \\1"}) == "{{a}} \\1"


def test_unfilled_placeholders_stay_verbatim_and_are_reported() -> None:
    result = render("Hi {{ who }}, run {{cmd}} then {{ who }}.", values(cmd="make"))
    assert result.text == "Hi {{ who }}, run make then {{ who }}."
    assert result.unfilled == ("who",)
    assert result.used == ("who", "cmd")
    filled = [s for s in result.spans if s.name is not None]
    assert [(s.name, s.filled, s.text) for s in filled] == [
        ("who", False, "{{ who }}"), ("cmd", True, "make"), ("who", False, "{{ who }}")]
    assert "".join(s.text for s in result.spans) == result.text


def test_empty_value_fills() -> None:
    assert render("[{{a}}]", values(a="")).text == "[]"


def test_precedence_session_profile_overrides_detected() -> None:
    layered = Values(
        session={"a": "session"},
        profile={"a": "profile", "b": "profile"},
        overrides={"a": "cfg", "b": "cfg", "c": "cfg"},
        detected={"a": "det", "b": "det", "c": "det", "d": "det"},
        profile_name="fastapi",
        overrides_path=".github/agent-config.yml",
    )
    resolved = {n: layered.resolve(n) for n in "abcde"}
    assert {n: (v.value, v.source) for n, v in resolved.items()} == {
        "a": ("session", Source.SESSION),
        "b": ("profile", Source.PROFILE),
        "c": ("cfg", Source.OVERRIDES),
        "d": ("det", Source.DETECTED),
        "e": (None, Source.UNSET),
    }
    assert resolved["b"].origin == "fastapi"
    assert resolved["c"].origin == ".github/agent-config.yml"
    assert render("{{a}}{{b}}{{c}}{{d}}{{e}}", layered).text == "sessionprofilecfgdet{{e}}"


def test_suspicious_syntax_outside_fences_only() -> None:
    text = (
        "Use {{ name } here\n"          # line 0: closes with one brace
        "and { name }} there\n"         # line 1: opens with one brace
        "and {{ bad-name }}\n"          # line 2: hyphen
        "and {{{ triple }}}\n"          # line 3: three braces
        "```yaml\n"
        "email: {{ user.email }} {x}} {{ y }\n"
        "token: ${{ secrets.X }}\n"
        "```\n"
        "fine {{ ok }} {json: 1} ${{ github.sha }}\n"
    )
    found = find_suspicious(text)
    assert [(s.line_offset, s.reason.split()[0]) for s in found] == [
        (0, "closes"), (1, "opens"), (2, "has"), (3, "has")]
    assert found[0].column == 5
    assert "three braces" in found[3].reason
    assert "hyphen" in found[2].reason


def test_suspicious_ignores_tilde_fences_and_unclosed_fence_to_end() -> None:
    text = "~~~\n{{ a }\n~~~\n{{ b }\n```\n{{ c }\n"
    assert [s.line_offset for s in find_suspicious(text)] == [3]


def test_no_suspicious_in_clean_text() -> None:
    assert find_suspicious("{{ a }} {{b}} ${{ c }} {d} ${E}") == []


def test_parse_assignments() -> None:
    assert parse_assignments(["a=1", "b = x=y", "c="]) == {"a": "1", "b": " x=y", "c": ""}
    for bad in ("novalue", "=x", "a-b=1", "1a=2"):
        with pytest.raises(ValueError, match="KEY=VALUE"):
            parse_assignments([bad])


@settings(max_examples=2000)
@given(st.text(alphabet=st.sampled_from(list("{}{}$ ab_-\n`")), max_size=40))
def test_skipping_near_miss_patterns_when_every_brace_is_a_placeholder_loses_nothing(
    text: str,
) -> None:
    from agentbench.core.placeholders import _near_misses

    assert find_suspicious(text) == _near_misses(text)


@settings(max_examples=1000)
@given(st.text(alphabet=st.sampled_from(list("{}$ ab\n\t")), max_size=60))
def test_first_occurrences_give_the_line_and_column_of_each_first_match(text: str) -> None:
    from agentbench.core.placeholders import PLACEHOLDER_RE, first_occurrences

    expected: dict[str, tuple[int, int]] = {}
    for match in PLACEHOLDER_RE.finditer(text):
        before = text[: match.start()]
        expected.setdefault(match.group(1), (before.count("\n"),
                                             len(before) - (before.rfind("\n") + 1) + 1))
    wanted = set(list(expected)[::2])
    found = first_occurrences(text, wanted)
    assert [name for name, _, _ in found] == [n for n in expected if n in wanted]
    assert {name: (line, column) for name, line, column in found} == {
        n: expected[n] for n in wanted}


@settings(max_examples=50)
@given(st.lists(st.sampled_from([f"p{i}" for i in range(40)]), min_size=65, max_size=400),
       st.integers(0, 7))
def test_first_occurrences_in_a_body_with_many_placeholders(names: list[str], every: int) -> None:
    """Past 64 matches the first index of each name comes from a dict, not list.index."""
    from agentbench.core.placeholders import first_occurrences

    text = "".join(f"{{{{{n}}}}}" + ("\n" if every and i % every == 0 else " ")
                   for i, n in enumerate(names))
    expected: dict[str, tuple[int, int]] = {}
    offset = 0
    for name in names:
        start = text.index("{{" + name + "}}", offset)
        offset = start + 1
        before = text[:start]
        expected.setdefault(name, (before.count("\n"), start - before.rfind("\n")))
    wanted = set(list(expected)[1::2])
    found = first_occurrences(text, wanted)
    assert {name: (line, column) for name, line, column in found} == {
        n: expected[n] for n in wanted}
    assert [name for name, _, _ in found] == [n for n in expected if n in wanted]
