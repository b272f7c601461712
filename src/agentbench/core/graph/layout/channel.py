"""Track assignment in the channel between two layers.

Every edge that crosses the channel enters at the top at one column and leaves at the bottom
at another; each needs a row of its own ("track") to run sideways on, and no two may share a
run of cells, or the picture would merge two edges into one.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

# Extra rows a channel may grow by to avoid needless crossings: terminals are short.
SLACK = 1
# The crossing-aware packing is quadratic; a channel this busy is past reading anyway.
TIDY_LIMIT = 80


@dataclass(slots=True)
class Seg:
    """One edge's crossing of a channel: down from x_up, along a track, down to x_down."""

    edge: int
    x_up: int
    x_down: int
    track: int = -1
    # (row, free column, row) for a segment routed with a jog to break a constraint cycle.
    dogleg: tuple[int, int, int] | None = None


def route_channel(segs: list[Seg], slack: int = SLACK) -> int:
    """Give every bending segment a track row; return the channel's height.

    A segment whose upper column is another's lower column must turn above it, or their
    vertical runs would overlap: a constrained left-edge packing. Each column is used by at
    most one upper and one lower end, so the constraints form paths and cycles; a cycle is
    broken by routing one segment through rows of its own at the top and bottom of the
    channel, with a jog through an unused column.

    Tracks are packed two ways, fewest rows and fewest crossings; the second wins when it
    needs at most `slack` more rows.
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
            cycle = walk[walk.index(current) :]
            cut = min(cycle, key=lambda s: s.edge)
            doglegs.append(cut)
            above.pop(id(cut), None)
            for s in cycle:
                if above.get(id(s)) is cut:
                    del above[id(s)]
        for s in walk:
            state[id(s)] = 2
    cut_ids = {id(s) for s in doglegs}
    free = [s for s in bent if id(s) not in cut_ids]
    compact = _left_edge(free, above)
    rows = max(compact.values(), default=-1) + 1
    chosen = compact
    if len(free) <= TIDY_LIMIT:
        tidy = _front_first(free, above, rows)
        if max(tidy.values(), default=-1) < rows + slack:
            chosen = tidy
    for s in free:
        s.track = len(doglegs) + chosen[id(s)]
    track = len(doglegs) + max(chosen.values(), default=-1) + 1
    used = {s.x_up for s in segs} | {s.x_down for s in segs}
    bottom = track + len(doglegs) - 1
    for k, s in enumerate(doglegs):
        middle = (s.x_up + s.x_down) // 2
        column = next(
            c for d in range(10**9) for c in (middle + d, middle - d) if c >= 0 and c not in used
        )
        used.add(column)
        s.dogleg = (k, column, bottom - k)
    return track + len(doglegs)


def _left_edge(segs: list[Seg], above: dict[int, Seg]) -> dict[int, int]:
    """Fewest tracks: fill each track left to right with whatever fits (left-edge)."""
    tracks: dict[int, int] = {}
    pending = sorted(segs, key=lambda s: (min(s.x_up, s.x_down), max(s.x_up, s.x_down), s.edge))
    track = 0
    while pending:
        right = -(10**9)
        left_over: list[Seg] = []
        for s in pending:
            first = above.get(id(s))
            if first is not None and tracks.get(id(first), track) >= track:
                left_over.append(s)
            elif min(s.x_up, s.x_down) >= right + 2:
                tracks[id(s)] = track
                right = max(s.x_up, s.x_down)
            else:
                left_over.append(s)
        pending = left_over
        track += 1
    return tracks


def _front_first(segs: list[Seg], above: dict[int, Seg], cap: int) -> dict[int, int]:
    """Tracks that avoid needless crossings, where that costs no more than `cap` tracks.

    Two segments going the same way whose spans overlap without nesting cross twice if the
    one behind turns above the one ahead, and not at all the other way round; so segments
    are taken front first (rightward: rightmost start first; leftward: leftmost first), and
    each goes below every such overlapping one taken before it. Hard constraints go first.
    """
    below = {id(first): s for s in segs if (first := above.get(id(s))) is not None}

    def priority(s: Seg) -> tuple[int, int]:
        return (-s.x_up if s.x_down > s.x_up else s.x_up, s.edge)

    ready = [(priority(s), s.edge, s) for s in segs if id(s) not in above]
    heapq.heapify(ready)
    rows: list[list[tuple[int, int]]] = []
    done: list[tuple[int, int, int]] = []  # (low, high, track)
    tracks: dict[int, int] = {}
    while ready:
        _, _, seg = heapq.heappop(ready)
        low, high = min(seg.x_up, seg.x_down), max(seg.x_up, seg.x_down)
        first = above.get(id(seg))
        floor = tracks[id(first)] + 1 if first is not None else 0
        hard = floor
        for d_low, d_high, d_track in done:
            if (d_low < low < d_high < high) or (low < d_low < high < d_high):
                floor = max(floor, d_track + 1)
        if floor >= cap:
            floor = hard
        track = floor
        while track < len(rows) and any(
            low <= r_high + 1 and r_low <= high + 1 for r_low, r_high in rows[track]
        ):
            track += 1
        if track == len(rows):
            rows.append([])
        rows[track].append((low, high))
        done.append((low, high, track))
        tracks[id(seg)] = track
        after = below.get(id(seg))
        if after is not None:
            heapq.heappush(ready, (priority(after), after.edge, after))
    return tracks
