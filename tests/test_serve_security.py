"""`agentbench serve` is a door into the user's files (issue 14, DESIGN.md §5): a real server on
127.0.0.1 and a real HTTP + WebSocket client show that it opens only with the run's token, to
this server's Host and Origin, for a bounded number of sessions; and `--read-only` refuses
every write in the one place writes go through."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve")

import aiohttp  # installed with textual-serve

from agentbench.core.write import atomic

START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
PAINT_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], timeout: float,
               proc: subprocess.Popen[bytes] | None = None) -> bool:
    """Poll `condition` until it holds, the process exits, or time runs out (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc is not None and proc.poll() is not None:
            return condition()
        time.sleep(0.05)  # poll interval, not a wait for readiness
    return False


def children(pid: int) -> set[int]:
    """The live child processes of `pid` (Linux /proc), or an empty set where unknown."""
    found: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
                found |= {int(p) for p in listing.read().split()}
        except OSError:
            continue
    return found


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    port: int
    token: str
    out: Path
    err: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start(tmp: Path, library: Path, *extra: str) -> Served:
    port = free_port()
    out, err = tmp / "stdout", tmp / "stderr"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # Files, not pipes: the access log must never fill a pipe nobody reads and stall the server.
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "agentbench", "serve", str(library), "--port", str(port),
             *extra], stdout=stdout, stderr=stderr, env=env)
    token_line = re.compile(rb"http://127\.0\.0\.1:\d+/\?token=([A-Za-z0-9_-]+)")
    try:
        assert wait_until(lambda: token_line.search(out.read_bytes()) is not None,
                          START_TIMEOUT, proc), err.read_text()
        assert wait_until(lambda: port_open(port), START_TIMEOUT, proc), err.read_text()
    except BaseException:
        stop(proc)
        raise
    found = token_line.search(out.read_bytes())
    assert found is not None
    return Served(proc, port, found.group(1).decode(), out, err)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the module (each start costs seconds); the cap test starts its own."""
    library = Path(__file__).resolve().parents[1] / "agents"
    server = start(tmp_path_factory.mktemp("serve"), library)
    try:
        yield server
    finally:
        stop(server.proc)
    assert server.proc.returncode == 0, server.err.read_text()
    assert b"Traceback" not in server.err.read_bytes()


def jar() -> aiohttp.CookieJar:
    # aiohttp keeps no cookies for IP-address hosts unless told to; browsers do.
    return aiohttp.CookieJar(unsafe=True)


async def get(url: str, **headers: str) -> tuple[int, str, aiohttp.ClientResponse]:
    async with aiohttp.ClientSession(cookie_jar=jar()) as session, session.get(
            url, headers=headers, timeout=aiohttp.ClientTimeout(total=10)) as response:
        return response.status, await response.text(), response


async def ws_status(url: str, **headers: str) -> int:
    """The HTTP status a WebSocket upgrade got (101 when it was accepted)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers,
                                          timeout=aiohttp.ClientWSTimeout(ws_receive=10)):
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


async def paints(ws: aiohttp.ClientWebSocketResponse, wanted: bytes = b"orchestrator") -> bool:
    """Read the terminal stream until the workbench shows `wanted` (bounded by time)."""
    await ws.send_str(json.dumps(["resize", {"width": 120, "height": 40}]))
    seen = b""
    deadline = time.monotonic() + PAINT_TIMEOUT
    while wanted not in seen and time.monotonic() < deadline:
        try:
            message = await asyncio.wait_for(ws.receive(), deadline - time.monotonic())
        except TimeoutError:
            break
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
        elif message.type == aiohttp.WSMsgType.TEXT:
            seen += message.data.encode()
        else:
            break
    return wanted in seen


# -- the page ------------------------------------------------------------------------------------

def test_the_page_without_the_token_is_refused(served: Served) -> None:
    status, text, _ = asyncio.run(get(f"{served.base}/"))
    assert status == 403 and "token" in text
    assert served.token not in text


def test_the_page_with_a_wrong_token_is_refused(served: Served) -> None:
    wrong = ("A" if served.token[0] != "A" else "B") + served.token[1:]
    for token in (wrong, served.token[:-1], served.token + "A", "", "\u00e9"):
        status, _, _ = asyncio.run(get(f"{served.base}/?token={token}"))
        assert status == 403, token


def test_the_page_with_the_token_loads_and_sets_a_strict_httponly_cookie(served: Served) -> None:
    status, page, response = asyncio.run(get(f"{served.base}/?token={served.token}"))
    assert status == 200 and "<html" in page.lower()
    assert f"ws://127.0.0.1:{served.port}/ws" in page
    cookie = response.cookies[f"agentbench-token-{served.port}"]
    assert cookie.value == served.token
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_wrong_origin_is_refused_even_with_the_token(served: Served) -> None:
    for origin in ("http://evil.example", f"http://127.0.0.1:{served.port + 1}", "null",
                   f"https://127.0.0.1:{served.port}"):
        status, text, _ = asyncio.run(get(f"{served.base}/?token={served.token}",
                                          Origin=origin))
        assert status == 403 and "other web pages" in text, origin
    status, _, _ = asyncio.run(get(f"{served.base}/?token={served.token}",
                                   Origin=served.base))
    assert status == 200


def test_a_wrong_host_is_refused_even_with_the_token(served: Served) -> None:
    """DNS rebinding: the attacker's name resolves to 127.0.0.1, but Host still says it."""
    for host in (f"evil.example:{served.port}", "127.0.0.1", f"127.0.0.1:{served.port + 1}"):
        status, text, _ = asyncio.run(get(f"{served.base}/?token={served.token}", Host=host))
        assert status == 403 and "Host" in text, host
    status, _, _ = asyncio.run(get(f"{served.base}/?token={served.token}",
                                   Host=f"localhost:{served.port}"))
    assert status == 200


def test_static_files_need_no_token_and_list_no_folder(served: Served) -> None:
    status, script, _ = asyncio.run(get(f"{served.base}/static/js/textual.js"))
    assert status == 200 and "WebSocket" in script
    status, _, _ = asyncio.run(get(f"{served.base}/static/"))
    assert status in (403, 404)
    status, _, _ = asyncio.run(get(f"{served.base}/static/js/textual.js",
                                   Host=f"evil.example:{served.port}"))
    assert status == 403


def test_downloads_need_the_token(served: Served) -> None:
    status, _, _ = asyncio.run(get(f"{served.base}/download/anything"))
    assert status == 403


# -- the WebSocket -------------------------------------------------------------------------------

def test_the_websocket_without_the_token_is_refused(served: Served) -> None:
    before = children(served.proc.pid)
    assert asyncio.run(ws_status(f"{served.base}/ws")) == 403
    assert asyncio.run(ws_status(f"{served.base}/ws?token=wrong")) == 403
    assert children(served.proc.pid) == before


def test_the_websocket_from_another_origin_is_refused(served: Served) -> None:
    url = f"{served.base}/ws?token={served.token}"
    assert asyncio.run(ws_status(url, Origin="http://evil.example")) == 403
    assert asyncio.run(ws_status(url, Host=f"evil.example:{served.port}")) == 403


def test_the_page_cookie_opens_the_websocket_and_the_app_paints(served: Served) -> None:
    """As a browser does it: the page with the token, then its WebSocket with the cookie."""

    async def browse() -> bool:
        async with aiohttp.ClientSession(cookie_jar=jar()) as session:
            async with session.get(f"{served.base}/?token={served.token}") as page:
                assert page.status == 200
            async with session.ws_connect(f"ws://127.0.0.1:{served.port}/ws?width=120"
                                          "&height=40", origin=served.base) as ws:
                return await paints(ws)

    assert asyncio.run(browse()), "no workbench in the browser"


def test_a_session_past_the_cap_is_refused_and_starts_no_process(tmp_path: Path) -> None:
    library = Path(__file__).resolve().parents[1] / "agents"
    server = start(tmp_path, library, "--max-sessions", "1")
    url = f"{server.base}/ws?token={server.token}"

    async def two_sessions() -> tuple[bool, int, set[int], set[int], bool]:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url) as first:
                painted = await paints(first)
                running = children(server.proc.pid)
                try:
                    async with session.ws_connect(url):
                        status = 101
                except aiohttp.WSServerHandshakeError as error:
                    status = error.status
                after = children(server.proc.pid)
            # The cap counts open sessions: once the first closes, another may start.
            for _ in range(100):  # bounded: the server notices the close within a few ms
                if not children(server.proc.pid) - running and await ws_status(url) == 101:
                    return painted, status, running, after, True
                await asyncio.sleep(0.05)
            return painted, status, running, after, False

    try:
        painted, status, running, after, again = asyncio.run(two_sessions())
    finally:
        stop(server.proc)
    assert painted
    assert status == 503
    if os.path.exists(f"/proc/{server.proc.pid}"):
        assert running, "the first session's app process was not seen"
    assert after == running  # no app process for the refused session
    assert again
    assert "--max-sessions 1" in server.err.read_text()


# -- the command line ----------------------------------------------------------------------------

def test_a_non_loopback_host_needs_allow_remote(run_cli: Callable[..., tuple[int, str, str]],
                                                demo_dir: Path) -> None:
    for host in ("0.0.0.0", "::", "192.168.1.5", "example.com"):
        code, out, err = run_cli("serve", str(demo_dir), "--host", host)
        assert code == 2, host
        assert "--allow-remote" in err and out == ""


def test_allow_remote_warns_and_serves(run_cli: Callable[..., tuple[int, str, str]],
                                       demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is bound here (tests bind loopback only): `serve` itself is replaced."""
    from agentbench.serve import GuardedServer

    seen: dict[str, Any] = {}
    monkeypatch.setattr(GuardedServer, "serve", lambda self: seen.update(vars(self)))
    code, out, err = run_cli("serve", str(demo_dir), "--host", "0.0.0.0", "--allow-remote",
                             "--read-only", "--max-sessions", "5")
    assert code == 0, err
    assert "warning" in err and "0.0.0.0" in err and "other machines" in err
    token = re.search(r"\?token=([A-Za-z0-9_-]{43})", out)
    assert token is not None and seen["token"] == token.group(1)
    assert seen["max_sessions"] == 5 and seen["hosts"] is None
    assert seen["command"].endswith("--read-only")


def test_each_run_has_its_own_token(run_cli: Callable[..., tuple[int, str, str]],
                                    demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agentbench.serve import GuardedServer

    tokens: list[str] = []
    monkeypatch.setattr(GuardedServer, "serve", lambda self: tokens.append(self.token))
    for _ in range(2):
        assert run_cli("serve", str(demo_dir))[0] == 0
    assert len(set(tokens)) == 2 and all(len(t) >= 43 for t in tokens)


def test_loopback_and_allowed_hosts() -> None:
    from agentbench.serve import allowed_hosts, is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost",
                                        "LOCALHOST."))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "localhost.evil",
                                            "example.com", ""))
    assert allowed_hosts("127.0.0.1", 8000) == frozenset({"127.0.0.1:8000", "localhost:8000"})
    assert allowed_hosts("::1", 80) == frozenset({"[::1]:80", "localhost:80", "[::1]", "localhost"})
    assert allowed_hosts("0.0.0.0", 8000) is None


# -- read-only -----------------------------------------------------------------------------------

@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process-wide switch, put back after the test."""
    monkeypatch.setattr(atomic, "_refusal", None)
    atomic.refuse_every_write("read-only for the test")


def test_read_only_refuses_every_kind_of_write(read_only: None, tmp_path: Path) -> None:
    from agentbench.core.write.change import FileChange, save
    from agentbench.core.write.flow_file import save_flow

    existing = tmp_path / "a.md"
    existing.write_bytes(b"old\n")
    with pytest.raises(atomic.ReadOnlySession, match="read-only for the test"):
        atomic.write_atomic(existing, b"new\n")
    with pytest.raises(atomic.ReadOnlySession):
        atomic.link_no_clobber(existing, tmp_path / "b.md")
    with pytest.raises(atomic.WriteRefused, match="read-only"):
        save(FileChange(str(tmp_path / "new" / "c.md"), None, b"x\n"))
    from agentbench.core.flow.record import FlowFile

    with pytest.raises(atomic.WriteRefused, match="read-only"):
        save_flow(FlowFile(start="a"), tmp_path / "flows" / "f.yaml")
    assert existing.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_read_only_refuses_an_export(read_only: None, tmp_path: Path, demo_dir: Path) -> None:
    from agentbench.core.export.plan import ExportRefused, plan_export, write_plan
    from agentbench.core.library.loader import LibraryLoader

    library = LibraryLoader.for_path(str(demo_dir)).load()
    plan = plan_export(library.agents, "claude", str(tmp_path / "out"), {})
    with pytest.raises(ExportRefused, match="read-only"):
        write_plan(plan)
    assert not (tmp_path / "out").exists()


def test_open_read_only_sets_the_switch_before_the_workbench_runs(
        run_cli: Callable[..., tuple[int, str, str]], demo_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import agentbench.ui.app as ui_app

    monkeypatch.setattr(atomic, "_refusal", None)
    outcome: list[str] = []

    class FakeApp:
        def run(self) -> None:
            try:
                atomic.write_atomic(tmp_path / "x.md", b"x")
                outcome.append("written")
            except atomic.ReadOnlySession as error:
                outcome.append(str(error))

    monkeypatch.setattr(ui_app, "make_app", lambda *a, **k: FakeApp())
    code, _, err = run_cli("open", str(demo_dir), "--read-only")
    assert code == 0, err
    assert len(outcome) == 1 and "read-only" in outcome[0] and "x.md" in outcome[0]
    assert not (tmp_path / "x.md").exists()


def test_the_served_command_carries_read_only() -> None:
    from agentbench.cli_serve import app_command

    assert app_command("lib", "dev", ["A=1"], True)[-1] == "--read-only"
    assert "--read-only" not in app_command(None, None, [], False)
