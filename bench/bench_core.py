"""Parse/lint throughput and core import cost, each against a floor measured in the same run.

- lint of N generated ~10 KB agent files vs. reading them and parsing their frontmatter with
  yaml.CSafeLoader (the floor): must stay within 1.3x. Twice: every handoff resolvable, and 3%
  of handoffs pointing at agents that are gone (a library being renamed or split), whose
  "did you mean" once made lint 16x its floor. Peak RSS of a lint run is printed beside.
- `import agentbench.core` vs. a bare `python -c pass`: must add under 50 ms.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

import yaml

from bench.common import median_seconds, paired_medians, report

FILES = int(os.environ.get("AGENTBENCH_BENCH_FILES", "10000"))
WORDS = ("service", "endpoint", "schema", "migration", "review", "tests", "queue", "cache",
         "handler", "module", "deploy", "contract", "fixture", "latency", "rollback")
PLACEHOLDERS = ("tech_stack", "test_command", "lint_command", "source_dir", "test_dir",
                "framework", "orm", "database", "project_name", "build_command")


def agent_text(index: int, count: int, rng: random.Random, dangling: float = 0.0) -> str:
    # A gone agent's name is like the others' (agent-10123 beside agent-00123 … agent-09999),
    # the hardest case for the suggestion search.
    targets = [f"agent-{rng.randrange(count, count + count // 20 + 1):05d}"
               if rng.random() < dangling else f"agent-{rng.randrange(count):05d}"
               for _ in range(4)]
    handoffs = "".join(
        f'  - target: {t}\n    label: "Hand off {i}"\n'
        f'    prompt: "Please continue with {{{{feature_description}}}} for {t}."\n'
        f"    send: false\n"
        for i, t in enumerate(targets)
    )
    front = (
        f"---\nname: agent-{index:05d}\nmodel: claude-sonnet-4-5\n"
        f"description: Generated agent {index} that works on {rng.choice(WORDS)} tasks\n"
        "triggers:\n  - Backend framework detected\n  - src/ directory with server code\n"
        f"handoffs:\n{handoffs}---\n"
    )
    lines = [f"# Agent {index}", ""]
    while sum(len(line) + 1 for line in lines) < 10_000:
        words = " ".join(rng.choice(WORDS) for _ in range(10))
        lines.append(f"- {words} using {{{{{rng.choice(PLACEHOLDERS)}}}}} and `code` here")
    return front + "\n".join(lines) + "\n"


def make_library(folder: Path, count: int, dangling: float = 0.0) -> None:
    rng = random.Random(1234)
    for index in range(count):
        text = agent_text(index, count, rng, dangling)
        (folder / f"agent-{index:05d}.md").write_text(text, "utf-8")


def floor_parse(paths: list[str]) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in paths:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        end = text.index("\n---", 3)
        yaml.load(text[4:end], Loader=loader)


def lint_library(folder: str) -> None:
    from agentbench.core.library.loader import LibraryLoader

    library = LibraryLoader.for_path(folder).load()
    assert len(library.agents) == FILES


def peak_rss_mb(folder: str) -> float:
    """Peak RSS of a fresh process that lints `folder` (ru_maxrss is in KiB on Linux)."""
    code = ("import resource, sys; from bench.bench_core import lint_library;"
            f" lint_library({folder!r});"
            " print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parents[1])
    return int(out.stdout.split()[-1]) / 1024


def import_cost() -> tuple[float, float]:
    def run(code: str) -> None:
        subprocess.run([sys.executable, "-c", code], check=True)

    bare = median_seconds(lambda: run("pass"), repeat=15, warmup=2)
    core = median_seconds(lambda: run("import agentbench.core"), repeat=15, warmup=2)
    stack = median_seconds(lambda: run("from agentbench.core import load_library"), repeat=15,
                           warmup=2)
    print(f"{'(for information) the whole parse stack':<44} {stack * 1000:9.2f} ms"
          f"   adds {(stack - bare) * 1000:6.1f} ms over python -c pass")
    return bare, core


def main() -> int:
    ok = True
    for label, dangling in (("", 0.0), (", 3% dangling", 0.03)):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_library(folder, FILES, dangling)
            paths = sorted(str(p) for p in folder.glob("*.md"))
            floor, lint = paired_medians(partial(floor_parse, paths),
                                         partial(lint_library, str(folder)), repeat=5)
            ok &= report(f"lint {FILES} x 10 KB files{label}", lint, "read+CSafeLoader", floor,
                         1.3)
            print(f"{'  peak RSS of that lint':<44} {peak_rss_mb(str(folder)):9.1f} MB")
    bare, core = import_cost()
    added = core - bare
    print(f"{'import agentbench.core':<44} {core * 1000:9.2f} ms   floor (python -c pass)"
          f" {bare * 1000:9.2f} ms   adds {added * 1000:6.1f} ms (limit 50)  "
          f"{'ok' if added < 0.050 else 'SLOW'}")
    ok &= added < 0.050
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
