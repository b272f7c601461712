"""The layered graph drawing: a golden picture, then properties over random graphs."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import unicodedata
from collections import deque
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from agentbench.core.graph.layout.channel import Seg, route_channel
from agentbench.core.graph.layout.draw import (
    Drawing,
    EdgeSpec,
    Owner,
    focus_subgraph,
    handoff_tree,
    layout,
)
from agentbench.core.graph.layout.glyphs import clean

ARROWS = set("▼▲◄")
CROSSINGS = set("┼┿╂╋")

SMALL_NODES = ["planner", "coder", "reviewer"]
SMALL_EDGES = [
    EdgeSpec("planner", "coder", "Write code"),
    EdgeSpec("coder", "reviewer", "Review", send=True),
    EdgeSpec("reviewer", "coder", "Fix issues"),
    EdgeSpec("reviewer", "planner", "Replan"),
    EdgeSpec("coder", "coder", "Retry"),
    EdgeSpec("reviewer", "deployer", "Deploy", dangling=True),
]

# Forward edges are solid; back edges (closing a cycle) and self-loops dotted; send:true
# heavy; the missing `deployer` a dashed ghost box.
SMALL_PICTURE = """\
    ╭─────────╮
    │ planner │
    ╰▲─┬──────╯
     ┊ └─ Write code ─┐
     ┊                │
     ┊         ╭──────▼╮
     ┊         │ coder ◄┈┈┈┈┐
     ┊         ╰▲─┬────╯    ┊
     ┊          ┊ ├┈ Retry ┈┘
     ┊          ┊ ┕━ Review ━┓
     └┈┈┈┈┈┈┈┐  ┊            ┃
          ┏━━┿━━┿━━━━━━━━━━━━┛
╭─────────▼╮ ┊  ┊
│ reviewer │ ┊  ┊
╰┬─────────╯ ┊  ┊
 ├┈ Replan ┈┈┘  ┊
 ├┈ Fix issues ┈┘
 └─ Deploy ─┐
            │
  ┌┄┄┄┄┄┄┄┄┄▼┐
  ┆ deployer ┆
  └┄┄┄┄┄┄┄┄┄┄┘"""


def demo_team() -> tuple[list[str], list[EdgeSpec]]:
    plan = {
        "orchestrator": [
            ("backend-agent", "Implement Backend"),
            ("api-agent", "Design API"),
            ("database-agent", "Design Database Schema"),
            ("test-agent", "Write Tests"),
            ("security-agent", "Security Review"),
            ("docs-agent", "Write Documentation"),
        ],
        "backend-agent": [
            ("api-agent", "Design API"),
            ("database-agent", "Database Design"),
            ("test-agent", "Write Tests"),
            ("security-agent", "Security Review"),
        ],
        "api-agent": [
            ("backend-agent", "Implement Endpoints"),
            ("test-agent", "Test API"),
            ("docs-agent", "Document API"),
        ],
        "database-agent": [("backend-agent", "Use Schema")],
        "test-agent": [("backend-agent", "Fix Failures")],
        "security-agent": [("backend-agent", "Fix Vulnerabilities"), ("docs-agent", "Document")],
        "docs-agent": [("orchestrator", "Report Done")],
    }
    edges = [EdgeSpec(s, t, label) for s, targets in plan.items() for t, label in targets]
    return list(plan), edges


def test_golden_small_graph() -> None:
    drawing = layout(SMALL_NODES, SMALL_EDGES, entry="planner")
    assert drawing.text() == SMALL_PICTURE
    assert drawing.conflicts == []
    assert drawing.ghosts == {"deployer"}
    assert drawing.node_at(6, 1) == "planner"
    assert drawing.owners[20][5] == Owner("ghost", "deployer")


def test_demo_team_fits_a_120x40_terminal() -> None:
    nodes, edges = demo_team()
    drawing = layout(nodes, edges, entry="orchestrator")
    check_invariants(drawing, nodes, edges)
    assert drawing.width <= 120 and drawing.height <= 40, drawing.text()
    # The entry agent is drawn first, at the top.
    assert drawing.boxes["orchestrator"][1] == 0


def test_max_width_narrows_labels_until_it_fits() -> None:
    nodes, edges = demo_team()
    wide = layout(nodes, edges, entry="orchestrator", label_width=40)
    narrow = layout(nodes, edges, entry="orchestrator", label_width=40, max_width=wide.width - 10)
    assert narrow.width <= wide.width - 10
    assert "…" in narrow.text()
    check_invariants(narrow, nodes, edges)


def test_max_height_trades_crossings_for_rows() -> None:
    nodes, edges = demo_team()
    tall = layout(nodes, edges, entry="orchestrator")
    short = layout(nodes, edges, entry="orchestrator", max_height=tall.height - 1)
    assert short.height < tall.height
    check_invariants(short, nodes, edges)


def test_empty_graph_and_lone_node() -> None:
    assert layout([], []).lines() == []
    drawing = layout(["solo"], [])
    assert drawing.lines() == ["╭──────╮", "│ solo │", "╰──────╯"]


def test_agents_without_handoffs_are_shelved_in_rows() -> None:
    # A Claude Code library declares no handoffs: its agents must not make one endless row.
    loners = [f"subagent-{i:02d}" for i in range(20)]
    drawing = layout([*loners, "a", "b"], [EdgeSpec("a", "b", "go")], max_width=80)
    assert drawing.width <= 80
    assert drawing.boxes["a"][1] == 0  # the graph first, the loners below it
    assert min(drawing.boxes[n][1] for n in loners) > drawing.boxes["b"][1]
    check_invariants(drawing, [*loners, "a", "b"], [EdgeSpec("a", "b", "go")])


def test_long_chain_and_dense_hub() -> None:
    chain = [EdgeSpec(f"n{i:03d}", f"n{i + 1:03d}", "next") for i in range(150)]
    chain.append(EdgeSpec("n150", "n000", "again"))
    hub = [EdgeSpec("hub", f"n{i:03d}", f"to {i}") for i in range(0, 150, 5)]
    nodes = sorted({e.source for e in chain + hub} | {e.target for e in chain + hub})
    drawing = layout(nodes, chain + hub, entry="n000")
    check_invariants(drawing, nodes, chain + hub)
    assert len(drawing.back_edges) >= 1


def test_neighbourhood_and_highlight() -> None:
    drawing = layout(SMALL_NODES, SMALL_EDGES, entry="planner")
    names, indices = drawing.neighbourhood("planner")
    assert names == {"planner", "coder", "reviewer"}
    assert {(drawing.edges[i].source, drawing.edges[i].target) for i in indices} == {
        ("planner", "coder"),
        ("reviewer", "planner"),
    }
    cells = drawing.highlight_cells("planner")
    for index in indices:
        assert set(drawing.edge_cells[index]) <= cells
        assert set(drawing.label_cells[index]) <= cells
    x, y, w, h = drawing.boxes["reviewer"]
    assert (x + w - 1, y + h - 1) in cells
    assert drawing.neighbourhood("nobody") == (set(), set())


def test_untrusted_text_cannot_reach_the_terminal() -> None:
    hostile = "\x1b[31mred\x1b[0m\u202eevil\u200d\n[@click=app.quit]"
    drawing = layout([hostile, "b"], [EdgeSpec(hostile, "b", hostile)])
    text = drawing.text()
    assert "\x1b" not in text and "\u202e" not in text and "\u200d" not in text
    assert all(unicodedata.category(ch)[0] != "C" for ch in text.replace("\n", ""))
    assert "?[31mred" in text  # the escape character is shown, not obeyed
    check_invariants(drawing, [hostile, "b"], [EdgeSpec(hostile, "b", hostile)])


def test_wide_characters_fill_two_cells() -> None:
    drawing = layout(["数据库代理", "🚀"], [EdgeSpec("数据库代理", "🚀", "テスト")])
    x, y, _, _ = drawing.boxes["数据库代理"]
    assert drawing.cells[y + 1][x + 2 : x + 4] == ["数", ""]
    widths = {len(line) + sum(1 for ch in line if is_wide(ch)) for line in drawing.lines()[:3]}
    assert len(widths) == 1  # every row of the box is as wide on screen


def test_handoff_tree_marks_loops_and_missing_agents() -> None:
    assert handoff_tree(SMALL_NODES, SMALL_EDGES, "planner") == [
        "planner",
        "└─ Write code → coder",
        "   ├─ Retry → coder ↺",
        "   └─ Review → reviewer",
        "      ├─ Fix issues → coder ↺",
        "      ├─ Deploy → deployer (missing)",
        "      └─ Replan → planner ↺",
    ]
    assert handoff_tree(SMALL_NODES, SMALL_EDGES, "ghost") == ["ghost (missing)"]


def test_handoff_tree_stays_linear_on_diamonds() -> None:
    # 20 stacked diamonds have 2**20 root-to-leaf paths; the tree lists each agent once.
    edges = []
    for level in range(20):
        for side in ("l", "r"):
            edges.append(EdgeSpec(f"n{level}", f"{side}{level}", side))
            edges.append(EdgeSpec(f"{side}{level}", f"n{level + 1}", "join"))
    nodes = sorted({e.source for e in edges} | {e.target for e in edges})
    lines = handoff_tree(nodes, edges, "n0")
    assert len(lines) == len(edges) + 1
    assert sum("(shown above)" in line for line in lines) == 20


def test_focus_subgraph_depths() -> None:
    nodes, edges = demo_team()
    near, near_edges = focus_subgraph(nodes, edges, "docs-agent", depth=1)
    assert near == ["api-agent", "docs-agent", "orchestrator", "security-agent"]
    assert all(e.source in near and e.target in near for e in near_edges)
    assert len(near_edges) == 6
    wider, _ = focus_subgraph(nodes, edges, "docs-agent", depth=2)
    assert set(near) < set(wider)
    ghost_nodes, ghost_edges = focus_subgraph(SMALL_NODES, SMALL_EDGES, "deployer", depth=1)
    assert ghost_nodes == ["reviewer"] and len(ghost_edges) == 1
    assert focus_subgraph(nodes, edges, "nobody") == ([], [])


def test_same_picture_in_every_process() -> None:
    # String hashing differs between processes; no set order may leak into the drawing.
    code = textwrap.dedent(
        """
        import hashlib, random
        from agentbench.core.graph.layout.draw import EdgeSpec, layout
        rnd = random.Random(5)
        names = [f"agent-{i}" for i in range(60)]
        edges = [EdgeSpec(rnd.choice(names), rnd.choice(names), rnd.choice("abc"))
                 for _ in range(120)]
        drawing = layout(names, edges, entry="agent-0")
        print(hashlib.sha256((drawing.text() + repr(drawing.owners)).encode()).hexdigest())
        """
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        digests.add(run.stdout)
    assert len(digests) == 1


def test_core_layout_imports_no_ui_and_no_networkx() -> None:
    code = textwrap.dedent(
        """
        import sys
        import agentbench.core.graph.layout.draw, agentbench.core.graph.export
        bad = {"networkx", "textual", "rich"} & {m.split(".")[0] for m in sys.modules}
        assert not bad, bad
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# ----------------------------------------------------------------------------- properties

NAMES = st.one_of(
    st.sampled_from(
        ["a", "b", "c", "orchestrator", "数据库代理", "🚀-agent", "x" * 45, "e\u0301", "a b"]
    ),
    st.text(min_size=1, max_size=10),
)
LABELS = st.one_of(
    st.sampled_from(["Go", "Design API", "", "Phase 5.1: Review Implementation", "テスト"]),
    st.text(max_size=30),
)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[str], list[EdgeSpec], str | None]:
    nodes = draw(st.lists(NAMES, min_size=1, max_size=9, unique=True))
    ghosts = draw(st.lists(NAMES.filter(lambda n: n not in nodes), max_size=2, unique=True))
    edge = st.builds(
        EdgeSpec,
        source=st.sampled_from(nodes),
        target=st.sampled_from(nodes + ghosts),
        label=LABELS,
        send=st.booleans(),
    )
    edges = draw(st.lists(edge, max_size=22))
    # Parallel edges: the same pair again with another label.
    edges += [EdgeSpec(e.source, e.target, e.label + "!", e.send) for e in edges[:2]]
    edges = [EdgeSpec(e.source, e.target, e.label, e.send, e.target not in nodes) for e in edges]
    entry = draw(st.one_of(st.none(), st.sampled_from(nodes)))
    return nodes, edges, entry


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_random_graphs_are_drawn_completely_and_cleanly(
    graph: tuple[list[str], list[EdgeSpec], str | None],
) -> None:
    nodes, edges, entry = graph
    check_invariants(layout(nodes, edges, entry=entry), nodes, edges)


@settings(max_examples=60, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_picture(
    graph: tuple[list[str], list[EdgeSpec], str | None], rnd: random.Random
) -> None:
    nodes, edges, entry = graph
    shuffled_nodes, shuffled_edges = list(nodes), list(edges)
    rnd.shuffle(shuffled_nodes)
    rnd.shuffle(shuffled_edges)
    first = layout(nodes, edges, entry=entry)
    again = layout(shuffled_nodes, shuffled_edges, entry=entry)
    assert first.cells == again.cells
    assert first.owners == again.owners
    assert first.boxes == again.boxes


@st.composite
def channels(draw: st.DrawFn) -> list[Seg]:
    """Segments as the layout makes them: no two share an upper or a lower column."""
    count = draw(st.integers(0, 12))
    ups = draw(st.lists(st.integers(0, 30), min_size=count, max_size=count, unique=True))
    downs = draw(st.lists(st.integers(0, 30), min_size=count, max_size=count, unique=True))
    return [Seg(i, up, down) for i, (up, down) in enumerate(zip(ups, downs, strict=True))]


@settings(max_examples=300, deadline=None)
@given(channels())
def test_channel_routes_never_merge(segs: list[Seg]) -> None:
    height = route_channel(segs)
    used: dict[tuple[int, int], list[tuple[int, str]]] = {}

    def run(edge: int, a: tuple[int, int], b: tuple[int, int]) -> None:
        (x0, y0), (x1, y1) = a, b
        way = "|" if x0 == x1 else "-"
        cells = (
            [(x0, y) for y in range(min(y0, y1), max(y0, y1) + 1)]
            if way == "|"
            else [(x, y0) for x in range(min(x0, x1), max(x0, x1) + 1)]
        )
        for cell in cells:
            used.setdefault(cell, []).append((edge, way))

    for seg in segs:
        if seg.dogleg is not None:
            r1, free, r2 = seg.dogleg
            points = [(seg.x_up, r1), (free, r1), (free, r2), (seg.x_down, r2)]
        elif seg.x_up != seg.x_down:
            assert 0 <= seg.track < height
            points = [(seg.x_up, seg.track), (seg.x_down, seg.track)]
        else:
            points = []
        points = [(seg.x_up, -1), *points, (seg.x_down, height)]
        for a, b in pairwise(points):
            run(seg.edge, a, b)
    for cell, users in used.items():
        edges = {edge for edge, _ in users}
        # Two edges may only meet where one runs straight across the other.
        if len(edges) > 1:
            assert len(users) == 2 and {way for _, way in users} == {"|", "-"}, (cell, users)


def test_channel_breaks_a_swap_with_a_jog() -> None:
    # Each segment's upper column is the other's lower column: no plain track order works.
    segs = [Seg(0, 4, 9), Seg(1, 9, 4)]
    height = route_channel(segs)
    assert sum(seg.dogleg is not None for seg in segs) == 1
    assert height == 3


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def check_invariants(drawing: Drawing, nodes: list[str], edges: list[EdgeSpec]) -> None:
    assert drawing.conflicts == []
    assert len(drawing.cells) == drawing.height
    assert all(len(row) == drawing.width for row in drawing.cells)
    for row in drawing.cells:
        for x, cell in enumerate(row):
            assert cell == "" or len(cell) == 1
            if cell and is_wide(cell):
                assert x + 1 < len(row) and row[x + 1] == ""
            if cell == "":
                assert x > 0 and is_wide(row[x - 1])

    # Every agent and every missing target: one box, its name inside.
    expected = set(nodes) | {e.source for e in edges} | {e.target for e in edges}
    assert set(drawing.boxes) == expected
    assert drawing.ghosts == {e.target for e in edges} - set(nodes) - {e.source for e in edges}
    rects = list(drawing.boxes.items())
    for i, (name, (x, y, w, h)) in enumerate(rects):
        shown = "".join(drawing.cells[y + 1][x + 2 : x + w - 2]).rstrip()
        assert_shows(shown, clean(name).strip() or "?")
        assert drawing.node_at(x + w // 2, y + 1) == name
        for _, (x2, y2, w2, h2) in rects[i + 1 :]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y

    def in_a_box(cell: tuple[int, int]) -> bool:
        return any(
            bx <= cell[0] < bx + bw and by <= cell[1] < by + bh
            for bx, by, bw, bh in drawing.boxes.values()
        )

    assert len(drawing.edges) == len(edges)
    assert sorted(drawing.edges, key=EdgeSpec.sort_key) == list(drawing.edges)
    all_labels: set[tuple[int, int]] = set()
    for index, edge in enumerate(drawing.edges):
        # A visible label: at least a prefix of the real one (or of "→ target").
        label_cells = drawing.label_cells[index]
        text = "".join(drawing.cells[y][x] for x, y in label_cells)
        assert text[0] == text[-1] == " " and text.strip()
        assert_shows(text[1:-1], clean(edge.label).strip() or clean("→ " + edge.target).strip())
        assert not any(in_a_box(cell) for cell in label_cells)
        assert all_labels.isdisjoint(label_cells)
        all_labels.update(label_cells)
        assert all(drawing.owners[y][x] == Owner("label", index) for x, y in label_cells)

        # Exactly one arrowhead, owned by the edge, on its target's border.
        cells = drawing.edge_cells[index]
        arrows = [c for c in cells if drawing.cells[c[1]][c[0]] in ARROWS]
        assert arrows == [drawing.arrow_cells[index]]
        ax, ay = arrows[0]
        assert drawing.owners[ay][ax] == Owner("edge", index)
        assert drawing.node_at(ax, ay) == edge.target
        for x, y in cells:
            owner = drawing.owners[y][x]
            assert owner == Owner("edge", index) or (
                owner is not None and owner.kind == "edge" and drawing.cells[y][x] in CROSSINGS
            )
            assert (x, y) == (ax, ay) or not in_a_box((x, y))

        # One unbroken line from the source's stem to the arrowhead (through the label).
        assert is_connected(set(cells) | set(label_cells))

    arrow_count = sum(
        1
        for y, row in enumerate(drawing.cells)
        for x, cell in enumerate(row)
        if cell in ARROWS and (o := drawing.owners[y][x]) is not None and o.kind == "edge"
    )
    assert arrow_count == len(edges)


def assert_shows(shown: str, wanted: str) -> None:
    """`shown` is `wanted`, or a prefix of it cut with an ellipsis."""
    if shown != wanted:
        assert shown.endswith("…") and wanted.startswith(shown[:-1]), (shown, wanted)


def is_connected(cells: set[tuple[int, int]]) -> bool:
    start = next(iter(cells))
    seen = {start}
    todo = deque([start])
    while todo:
        x, y = todo.popleft()
        for step in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if step in cells and step not in seen:
                seen.add(step)
                todo.append(step)
    return seen == cells
