"""Hot reload speed, in a 1,000-agent library, beside watchfiles' own latency in the same run.

- floor: watchfiles alone (awatch with the app's debounce and step on the same folder):
  from a write to the batch arriving, over 50 writes;
- save: from a file write to the updated preview on screen (the first screen refresh after
  the reload's handler, which posts LibraryReloaded), over 50 saves of the selected agent,
  one at a time: p95 under 100 ms;
- burst: 1,000 files rewritten at once (a git checkout), from the first write until the
  library on screen holds every new version: under 1 s.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App

from bench.bench_core import make_library

AGENTS = int(os.environ.get("AGENTBENCH_BENCH_RELOAD_AGENTS", "1000"))
SAVES = 50
SAVE_P95_LIMIT = 0.100
BURST_LIMIT = 1.0
TIMEOUT = 30.0


def p50_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(len(ordered) * 0.95) - 1)]


def screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def watchfiles_floor(folder: Path) -> list[float]:
    import watchfiles

    from agentbench.ui.watcher import DEBOUNCE_MS, STEP_MS

    path = folder / "agent-00001.md"
    original = path.read_text(encoding="utf-8")
    stop = asyncio.Event()
    arrived: asyncio.Queue[float] = asyncio.Queue()
    ready = asyncio.Event()

    async def watch() -> None:
        async for _ in watchfiles.awatch(folder, debounce=DEBOUNCE_MS, step=STEP_MS,
                                         stop_event=stop, rust_timeout=100,
                                         yield_on_timeout=True):
            ready.set()
            arrived.put_nowait(time.perf_counter())

    task = asyncio.ensure_future(watch())
    await asyncio.wait_for(ready.wait(), TIMEOUT)
    samples = []
    for index in range(SAVES):
        while not arrived.empty():
            arrived.get_nowait()
        start = time.perf_counter()
        path.write_text(f"{original}\nfloor {index}\n", encoding="utf-8")
        while True:  # skip idle ticks that were already on their way
            at = await asyncio.wait_for(arrived.get(), TIMEOUT)
            if at > start:
                break
        samples.append(at - start)
    stop.set()
    await task
    path.write_text(original, encoding="utf-8")
    return samples


async def app_reloads(folder: Path) -> tuple[list[float], float, int]:
    from textual.message import Message

    from agentbench.core.library.loader import LibraryLoader
    from agentbench.ui.app import make_app
    from agentbench.ui.messages import LibraryReloaded
    from agentbench.ui.widgets.marked_text import MarkedTextArea

    # (when the screen was next refreshed, what the preview then held), per reload.
    painted: asyncio.Queue[tuple[float, str]] = asyncio.Queue()
    app = make_app(LibraryLoader.for_path(str(folder)), watch=True)

    def hook(message: Message) -> None:
        # Posted at the end of the reload's handler, in the app's thread: the next refresh
        # is the one that paints the new preview.
        if isinstance(message, LibraryReloaded):
            app.call_after_refresh(lambda: painted.put_nowait((time.perf_counter(),
                                                               preview.text)))

    name = "agent-00005"
    path = folder / f"{name}.md"
    original = path.read_text(encoding="utf-8")
    async with app.run_test(size=(160, 50), message_hook=hook) as pilot:
        await asyncio.wait_for(app.reloader.watching.wait(), TIMEOUT)
        while app.library is None:
            await pilot.pause(0.05)
        app.select_agent(name)
        await pilot.pause()
        preview = app.query_one("#preview-text", MarkedTextArea)
        samples = []
        for index in range(SAVES + 2):
            marker = f"SAVE-MARKER-{index}"
            start = time.perf_counter()
            path.write_text(original.replace("# Agent 5", f"# Agent 5 {marker}"),
                            encoding="utf-8")
            while True:
                at, shown = await asyncio.wait_for(painted.get(), TIMEOUT)
                if marker in shown:
                    break
            if index >= 2:  # the first saves warm up caches and imports
                samples.append(at - start)
            # A person saves at most a few times a second: let this save's toast and
            # repaint finish (untimed) so each sample is one save, not a pile-up.
            await pilot.pause()
        assert marker in screen_text(app), "the preview on screen is not the saved text"

        # A 1,000-file burst: every agent rewritten at once, as a git checkout does.
        texts = {p: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}

        def checkout() -> None:
            for file, text in texts.items():
                file.write_text(text + "\nburst\n", encoding="utf-8")

        start = time.perf_counter()
        writer = asyncio.ensure_future(asyncio.to_thread(checkout))
        reloads = 0
        while True:
            at, _ = await asyncio.wait_for(painted.get(), TIMEOUT)
            reloads += 1
            library = app.library
            assert library is not None
            if writer.done() and len(library.agents) == len(texts) and all(
                    a.body.endswith("burst\n") for a in library.agents):
                break
        await writer
    return samples, at - start, reloads


def main() -> int:
    from bench.common import report_absolute

    tmp = tempfile.mkdtemp(prefix="agentbench-reload-")
    try:
        folder = Path(tmp) / "agents"
        folder.mkdir()
        make_library(folder, AGENTS)
        floor = asyncio.run(watchfiles_floor(folder))
        saves, settled, reloads = asyncio.run(app_reloads(folder))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    floor50, floor95 = p50_p95(floor)
    save50, save95 = p50_p95(saves)
    print(f"{'watchfiles event (floor), ' + str(SAVES) + ' writes':<44} p50 {floor50 * 1000:7.1f}"
          f" ms   p95 {floor95 * 1000:7.1f} ms")
    print(f"{f'save -> preview on screen, {AGENTS} agents':<44} p50 {save50 * 1000:7.1f} ms"
          f"   p95 {save95 * 1000:7.1f} ms   ratio to floor p50 {save50 / floor50:5.2f}"
          f" p95 {save95 / floor95:5.2f}")
    ok = report_absolute(f"save p95, {AGENTS} agents", save95, SAVE_P95_LIMIT)
    print(f"{f'burst of {AGENTS} files: reloads':<44} {reloads}")
    ok &= report_absolute(f"burst of {AGENTS} files settled", settled, BURST_LIMIT)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
