"""A walked or recorded flow as Markdown: the transcript, then a Mermaid sequence diagram.

Agent names, labels, prompts and replies are untrusted text. In Mermaid every participant gets
a generated alias (`A1`, `A2`, …) and every shown text is reduced to a safe alphabet, the rest
written as Mermaid entity codes (`#59;` for `;`), so no label can end a statement, open a
comment or inject HTML. In Markdown, prompts sit in code fences longer than any run of
backticks they contain, and inline text is backslash-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agentbench.core.flow.record import FlowProblem, FlowRun
from agentbench.core.flow.walk import Step
from agentbench.core.text.safe import printable_block

# Characters written as themselves in Mermaid text; everything else becomes `#NNN;`.
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 .,_()/!?'+*=@-]")
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x1f\x7f\u0080-\u009f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
MAX_MESSAGE = 80


def mermaid_text(text: str, limit: int = MAX_MESSAGE) -> str:
    """One line of text safe in any Mermaid sequence-diagram text position."""
    flat = _WHITESPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    if len(flat) > limit:
        flat = flat[: limit - 3].rstrip() + "..."
    out = [c if _MERMAID_SAFE.fullmatch(c) or (c.isalnum() and ord(c) > 127)
           else f"#{ord(c)};" for c in flat]
    return "".join(out) or "#160;"


def to_mermaid(start: str, steps: Sequence[Step]) -> str:
    """A Mermaid `sequenceDiagram`: one message per step, a note for each canned reply."""
    aliases: dict[str, str] = {}

    def alias(name: str) -> str:
        if name not in aliases:
            aliases[name] = f"A{len(aliases) + 1}"
        return aliases[name]

    alias(start)
    for step in steps:
        alias(step.source)
        alias(step.target)
    lines = ["sequenceDiagram"]
    lines += [f"    participant {a} as {mermaid_text(name, 60)}" for name, a in aliases.items()]
    for number, step in enumerate(steps, 1):
        label = f"{number}. {step.label or step.target}"
        if step.edited:
            label += " (edited)"
        lines.append(f"    {alias(step.source)}->>{alias(step.target)}:"
                     f" {mermaid_text(label)}")
        if step.reply:
            lines.append(f"    Note over {alias(step.target)}: {mermaid_text(step.reply)}")
    return "\n".join(lines) + "\n"


def md_inline(text: str) -> str:
    """Text safe inline in Markdown: one line, control characters dropped, punctuation escaped."""
    flat = _WHITESPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_fence(text: str, info: str = "text") -> str:
    """`text` in a code fence longer than any backtick run inside it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = printable_block(text.replace("\r\n", "\n")).rstrip("\n")
    return f"{fence}{info}\n{body}\n{fence}"


def to_markdown(start: str, steps: Sequence[Step], title: str | None = None,
                problem: FlowProblem | None = None, profile: str | None = None) -> str:
    """The transcript: each step as from → label → exact prompt → to, and its reply."""
    out = [f"# Flow: {md_inline(title or start)}", ""]
    facts = [f"Starts at **{md_inline(start)}**", f"{len(steps)} steps"]
    if profile:
        facts.append(f"profile **{md_inline(profile)}**")
    out += ["; ".join(facts) + ".", ""]
    for number, step in enumerate(steps, 1):
        how = ("sent at once (`send: true`)" if step.send else
               "edited, then sent" if step.edited else "sent unedited")
        out += [f"## {number}. {md_inline(step.source)} → {md_inline(step.label or '(no label)')}"
                f" → {md_inline(step.target)}", "", f"Prompt, {how}:", "", md_fence(step.prompt),
                ""]
        if step.unfilled:
            names = ", ".join(f"`{{{{{n}}}}}`" for n in step.unfilled)
            out += [f"Left unfilled: {names}.", ""]
        if step.reply is not None:
            out += [f"Reply from {md_inline(step.target)}:", "", md_fence(step.reply), ""]
    if problem is not None:
        out += ["## Stopped", "", f"The replay stopped: {md_inline(problem.message)}", ""]
    out += ["## Sequence", "", md_fence(to_mermaid(start, steps).rstrip("\n"), "mermaid"), ""]
    return "\n".join(out)


def run_to_markdown(run: FlowRun, title: str | None = None,
                    problem: FlowProblem | None = None) -> str:
    return to_markdown(run.start_agent, run.transcript, title, problem,
                       run.base_values.profile_name)
