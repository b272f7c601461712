"""Parse/lint throughput and core import cost, each against a floor measured in the same run.

- lint of N generated ~10 KB agent files vs. reading them and parsing their frontmatter with
  yaml.CSafeLoader (the floor): must stay within 1.3x.
- `import agentbench.core` vs. a bare `python -c pass`: must add under 50 ms.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench.common import median_seconds, paired_medians, report

FILES = int(os.environ.get("AGENTBENCH_BENCH_FILES", "10000"))
WORDS = ("service", "endpoint", "schema", "migration", "review", "tests", "queue", "cache",
         "handler", "module", "deploy", "contract", "fixture", "latency", "rollback")
PLACEHOLDERS = ("tech_stack", "test_command", "lint_command", "source_dir", "test_dir",
                "framework", "orm", "database", "project_name", "build_command")


def agent_text(index: int, count: int, rng: random.Random) -> str:
    targets = [f"agent-{rng.randrange(count):05d}" for _ in range(4)]
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


def make_library(folder: Path, count: int) -> None:
    rng = random.Random(1234)
    for index in range(count):
        (folder / f"agent-{index:05d}.md").write_text(agent_text(index, count, rng), "utf-8")


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
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_library(folder, FILES)
        paths = sorted(str(p) for p in folder.glob("*.md"))
        floor, lint = paired_medians(lambda: floor_parse(paths),
                                     lambda: lint_library(str(folder)), repeat=5)
        ok &= report(f"lint {FILES} x 10 KB files", lint, "read+CSafeLoader", floor, 1.3)
    bare, core = import_cost()
    added = core - bare
    print(f"{'import agentbench.core':<44} {core * 1000:9.2f} ms   floor (python -c pass)"
          f" {bare * 1000:9.2f} ms   adds {added * 1000:6.1f} ms (limit 50)  "
          f"{'ok' if added < 0.050 else 'SLOW'}")
    ok &= added < 0.050
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
