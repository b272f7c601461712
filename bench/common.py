"""Shared helpers for the benchmarks: medians, and printing a result beside its floor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def paired_medians(first: Callable[[], object], second: Callable[[], object], repeat: int,
                   warmup: int = 1) -> tuple[float, float]:
    """Medians of `first` and `second` timed in alternation, so that a noisy neighbour slows
    both alike instead of whichever happened to run during it."""
    for _ in range(warmup):
        first()
        second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        for fn, samples in ((first, a), (second, b)):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def report(name: str, value: float, floor_name: str, floor: float, limit: float) -> bool:
    """Print one line; True when value/floor is within `limit`."""
    ratio = value / floor if floor > 0 else float("inf")
    ok = ratio <= limit
    print(
        f"{name:<44} {value * 1000:9.2f} ms   floor ({floor_name}) {floor * 1000:9.2f} ms"
        f"   ratio {ratio:5.2f} (limit {limit:.2f})  {'ok' if ok else 'SLOW'}"
    )
    return ok


def report_absolute(name: str, value: float, limit: float) -> bool:
    ok = value <= limit
    print(f"{name:<44} {value * 1000:9.2f} ms   limit {limit * 1000:.0f} ms  "
          f"{'ok' if ok else 'SLOW'}")
    return ok
