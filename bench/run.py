"""Run every benchmark: `python -m bench.run`. Prints medians beside same-run floors."""

from __future__ import annotations

import importlib
import sys

BENCHES = ("bench.bench_core", "bench.bench_layout", "bench.bench_detect",
           "bench.bench_graph_ui", "bench.bench_reload", "bench.bench_workbench")


def main() -> int:
    failed = []
    for name in BENCHES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            print(f"== {name}: not available ({error})")
            continue
        print(f"== {name}")
        if module.main() != 0:
            failed.append(name)
    if failed:
        print("over their limits:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
