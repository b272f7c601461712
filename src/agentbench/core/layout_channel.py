"""Track assignment in the channel between two layers.

Every edge that crosses the channel enters at the top at one column and leaves at the bottom
at another; each needs a row of its own ("track") to run sideways on, and no two may share a
run of cells, or the picture would merge two edges into one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Seg:
    """One edge's crossing of a channel: down from x_up, along a track, down to x_down."""

    edge: int
    x_up: int
    x_down: int
    track: int = -1
    # (row, free column, row) for a segment routed with a jog to break a constraint cycle.
    dogleg: tuple[int, int, int] | None = None


def route_channel(segs: list[Seg]) -> int:
    """Give every bending segment a track row; return the channel's height.

    A segment whose upper column is another's lower column must turn above it, or their
    vertical runs would overlap: a constrained left-edge packing. Each column is used by at
    most one upper and one lower end, so the constraints form paths and cycles; a cycle is
    broken by routing one segment through rows of its own at the top and bottom of the
    channel, with a jog through an unused column.
    """
    bent = [s for s in segs if s.x_up != s.x_down]
    if not bent:
        return 1
    by_up = {s.x_up: s for s in bent}
    above: dict[int, Seg] = {}  # id(segment) -> the segment that must turn above it
    for s in bent:
        first = by_up.get(s.x_down)
        if first is not None:
            above[id(s)] = first
    doglegs: list[Seg] = []
    state: dict[int, int] = {}
    for start in sorted(bent, key=lambda s: s.edge):
        walk: list[Seg] = []
        current: Seg | None = start
        while current is not None and id(current) not in state:
            state[id(current)] = 1
            walk.append(current)
            current = above.get(id(current))
        if current is not None and state[id(current)] == 1:
            cycle = walk[walk.index(current):]
            cut = min(cycle, key=lambda s: s.edge)
            doglegs.append(cut)
            above.pop(id(cut), None)
            for s in cycle:
                if above.get(id(s)) is cut:
                    del above[id(s)]
        for s in walk:
            state[id(s)] = 2
    cut_ids = {id(s) for s in doglegs}
    pending = sorted(
        (s for s in bent if id(s) not in cut_ids),
        key=lambda s: (min(s.x_up, s.x_down), max(s.x_up, s.x_down), s.edge),
    )
    track = len(doglegs)
    while pending:
        right = -(10**9)
        left_over: list[Seg] = []
        for s in pending:
            first = above.get(id(s))
            if first is not None and not (0 <= first.track < track):
                left_over.append(s)
                continue
            low = min(s.x_up, s.x_down)
            if low >= right + 2:
                s.track = track
                right = max(s.x_up, s.x_down)
            else:
                left_over.append(s)
        pending = left_over
        track += 1
    used = {s.x_up for s in segs} | {s.x_down for s in segs}
    bottom = track + len(doglegs) - 1
    for k, s in enumerate(doglegs):
        middle = (s.x_up + s.x_down) // 2
        free = next(
            c
            for d in range(10**9)
            for c in (middle + d, middle - d)
            if c >= 0 and c not in used
        )
        used.add(free)
        s.dogleg = (k, free, bottom - k)
    return track + len(doglegs)
