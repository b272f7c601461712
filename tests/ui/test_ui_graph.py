"""Pilot tests of the Graph tab on the demo team, the corpus and a large generated library."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import probe
import pytest
from snapshot_app import DEMO, demo_app
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from agentbench.core.graph.export import to_mermaid
from agentbench.core.graph.source import graph_input
from agentbench.ui.app import AgentbenchApp
from agentbench.ui.messages import FlowPathChanged
from agentbench.ui.widgets.agent_list import AgentList
from agentbench.ui.widgets.graph_canvas import GraphCanvas
from agentbench.ui.widgets.graph_model import LARGE, NEIGHBOUR, PATH, SELECTED
from agentbench.ui.widgets.graph_tree import LOOP, HandoffTree
from agentbench.ui.widgets.graph_view import GraphView

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
CORPUS = Path(__file__).resolve().parents[3] / "shared/corpus/copilot-agent-factory/agent-templates"


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A writable copy of the demo team."""
    return Path(shutil.copytree(DEMO, tmp_path / "agents"))


async def _settle(pilot: Pilot[None]) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _graph_tab(pilot: Pilot[None], select: str | None = None) -> GraphView:
    """Wait for the library, select an agent, show the Graph tab and wait for its drawing
    (the first layout waits for the tab's size, then maybe for a worker)."""
    app = pilot.app
    assert isinstance(app, AgentbenchApp)
    await _settle(pilot)
    if select is not None:
        app.select_agent(select)
    app.show_view("tab-graph")
    await _settle(pilot)
    return app.query_one(GraphView)


def _box_states(view: GraphView, name: str) -> set[int]:
    assert view.scene is not None
    return {view.canvas.state_at(x, y) for x, y in view.scene.box_cells(name)}


async def test_list_selection_moves_the_graph_highlight() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "backend-agent")
        await _settle(pilot)
        assert view.scene is not None and view.selected == "backend-agent"
        assert _box_states(view, "backend-agent") == {SELECTED}
        assert _box_states(view, "api-agent") == {NEIGHBOUR}
        app.query_one(AgentList).focus()
        await pilot.press("end")  # test-agent
        await _settle(pilot)
        assert app.selected == view.selected == "test-agent"
        assert _box_states(view, "test-agent") == {SELECTED}
        # docs-agent is no neighbour of test-agent: not highlighted (drawn dim).
        assert _box_states(view, "docs-agent") == {-1}
        assert view.canvas.dimmed


async def test_a_new_selection_is_a_colour_swap_not_a_layout() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "backend-agent")
        await _settle(pilot)
        scene = view.scene
        app.select_agent("docs-agent")
        await _settle(pilot)
        assert view.scene is scene


async def test_demo_fits_without_horizontal_scrolling() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "backend-agent")
        await _settle(pilot)
        assert view.scene is not None
        canvas = view.canvas
        assert view.scene.drawing.width <= canvas.scrollable_content_region.width
        assert canvas.max_scroll_x == 0


async def test_clicking_a_box_selects_it_in_the_list() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "backend-agent")
        await _settle(pilot)
        assert view.scene is not None
        canvas = view.canvas
        bx, by, _, _ = view.scene.drawing.boxes["orchestrator"]
        canvas.scroll_to(0, by, animate=False, immediate=True)
        await pilot.pause()
        sx, sy = canvas.scroll_offset
        await pilot.click(GraphCanvas, offset=(bx + 2 - sx, by + 1 - sy))
        await _settle(pilot)
        assert app.selected == "orchestrator"
        assert app.query_one(AgentList).highlighted == "orchestrator"
        assert _box_states(view, "orchestrator") == {SELECTED}


async def test_clicking_a_label_follows_its_handoff() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "docs-agent")
        await _settle(pilot)
        scene = view.scene
        assert scene is not None
        index = next(i for i, e in enumerate(scene.drawing.edges)
                     if (e.source, e.target) == ("docs-agent", "orchestrator"))
        x, y = scene.drawing.label_cells[index][2]
        assert scene.agent_at(x, y, "docs-agent") == "orchestrator"
        assert scene.agent_at(x, y, "orchestrator") == "docs-agent"


async def test_keys_move_along_edges() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "docs-agent")
        await _settle(pilot)
        view.canvas.focus()
        await pilot.press("down")  # docs-agent's one handoff: Report Done -> orchestrator
        await _settle(pilot)
        assert view.selected == app.selected == "orchestrator"
        await pilot.press("down")  # an outgoing target of the orchestrator
        await _settle(pilot)
        targets = {"api-agent", "backend-agent", "database-agent", "docs-agent",
                   "security-agent", "test-agent"}
        assert app.selected in targets
        reached = app.selected
        await pilot.press("up")  # back along an incoming handoff
        await _settle(pilot)
        assert view.scene is not None
        sources = {e.source for e in view.scene.drawing.edges if e.target == reached}
        assert app.selected in sources
        order = view.scene.reading_order
        before = order.index(app.selected or "")
        await pilot.press("tab")
        await _settle(pilot)
        assert app.selected == order[(before + 1) % len(order)]
        await pilot.press("shift+tab")
        await _settle(pilot)
        assert app.selected == order[before]


async def test_left_and_right_stay_in_the_layer() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "security-agent")
        await _settle(pilot)
        assert view.scene is not None
        boxes = view.scene.drawing.boxes
        row = boxes["security-agent"][1]
        view.canvas.focus()
        await pilot.press("left")
        await _settle(pilot)
        left = app.selected or ""
        assert boxes[left][1] == row and boxes[left][0] < boxes["security-agent"][0]
        await pilot.press("right")
        await _settle(pilot)
        assert app.selected == "security-agent"


async def test_enter_opens_the_preview() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "backend-agent")
        await _settle(pilot)
        view.canvas.focus()
        await pilot.press("down")
        await _settle(pilot)
        chosen = app.selected
        await pilot.press("enter")
        await _settle(pilot)
        assert app.query_one("#views", TabbedContent).active == "tab-preview"
        assert app.selected == chosen and chosen != "backend-agent"


async def test_focus_mode_shows_only_the_neighbourhood() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "docs-agent")
        await _settle(pilot)
        view.canvas.focus()
        await pilot.press("f")
        await _settle(pilot)
        assert view.scene is not None
        assert set(view.scene.drawing.boxes) == {"docs-agent", "api-agent", "security-agent",
                                                 "orchestrator"}
        await pilot.press("2")
        await _settle(pilot)
        assert len(view.scene.drawing.boxes) == 7
        await pilot.press("minus")
        await _settle(pilot)
        assert len(view.scene.drawing.boxes) == 4
        await pilot.press("f")  # back to the whole graph
        await _settle(pilot)
        assert view.mode == "graph" and len(view.scene.drawing.boxes) == 7


async def test_tree_mode_marks_the_cycle() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "orchestrator")
        await _settle(pilot)
        view.canvas.focus()
        await pilot.press("t")
        await _settle(pilot)
        tree = app.query_one(HandoffTree)
        assert tree.display and not view.canvas.display
        assert app.focused is tree
        lines = tree.lines_text()
        assert lines[0] == "orchestrator"
        assert f"Report Done → orchestrator {LOOP} (send)" in lines
        assert sum(LOOP in line for line in lines) >= 3
        await pilot.press("down")  # the tree's cursor selects the agent it is on
        await _settle(pilot)
        assert app.selected != "orchestrator"
        assert app.query_one(AgentList).highlighted == app.selected
        assert lines == tree.lines_text()  # moving inside the tree keeps its root


async def test_flow_path_is_highlighted() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "docs-agent")
        await _settle(pilot)
        app.post_message(FlowPathChanged(("orchestrator", "backend-agent"),
                                         (("orchestrator", "backend-agent",
                                           "Implement Backend"),)))
        await _settle(pilot)
        assert _box_states(view, "backend-agent") == {PATH}
        scene = view.scene
        assert scene is not None
        index = next(i for i, e in enumerate(scene.drawing.edges)
                     if (e.source, e.target) == ("orchestrator", "backend-agent"))
        assert {view.canvas.state_at(x, y) for x, y in scene.drawing.label_cells[index]} == {PATH}


async def test_save_and_copy_mermaid(team: Path) -> None:
    app = demo_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+p", *"Save graph as Mermaid")
        await pilot.pause()
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await _settle(pilot)
        saved = team / "handoffs.mmd"
        text = saved.read_text(encoding="utf-8")
        assert app.library is not None
        data = graph_input(app.library)
        assert text == to_mermaid(data.nodes, data.edges)
        arrows = [line for line in text.splitlines() if "-->" in line or "==>" in line]
        assert len(arrows) == len(data.edges) == 18
        for edge in data.edges:
            assert f'|"{edge.label}"|' in text
        view = app.query_one(GraphView)
        view.export("mermaid", save=True, library=app.library)  # its own file: replaced freely
        saved.write_text("edited by hand\n", encoding="utf-8")
        view.export("mermaid", save=True, library=app.library)  # changed since: refused
        assert saved.read_text(encoding="utf-8") == "edited by hand\n"
        view.export("dot", save=False, library=app.library)
        assert app.clipboard.startswith("digraph handoffs {")


async def test_corpus_opens_in_the_graph_and_scrolls() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    app = demo_app(CORPUS)
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot)
        await _settle(pilot)
        assert view.scene is not None
        assert len(view.scene.drawing.boxes) >= 41
        canvas = view.canvas
        assert canvas.max_scroll_y > 0
        canvas.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert canvas.scroll_offset.y == canvas.max_scroll_y
        text = probe.screen_text(app)
        assert "could not be drawn" not in text


async def test_a_large_library_is_laid_out_in_a_worker(tmp_path: Path) -> None:
    rnd = random.Random(7)
    count = LARGE + 20
    for i in range(count):
        targets = rnd.sample(range(count), 2)
        handoffs = "".join(f'  - target: agent-{t:03d}\n    label: "Go {t}"\n'
                           for t in targets)
        (tmp_path / f"agent-{i:03d}.md").write_text(
            f"---\nname: agent-{i:03d}\ndescription: Agent {i}\nhandoffs:\n{handoffs}---\n"
            f"Body {i}\n", encoding="utf-8")
    app = demo_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await _graph_tab(pilot, "agent-040")
        await _settle(pilot)
        assert view.scene is not None and not view.canvas.loading
        assert len(view.scene.drawing.boxes) == count
        assert _box_states(view, "agent-040") == {SELECTED}
