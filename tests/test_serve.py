"""`agentbench serve`: starts, answers HTTP on loopback, stops cleanly on SIGTERM (its guards:
test_serve_security.py)."""

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
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")

START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


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


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[bytes],
             timeout: float) -> bool:
    """Poll `condition` (bounded retries) until it holds, the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.05)  # poll interval, not a wait for readiness
    return False


async def first_screen(port: int, token: str, wanted: str) -> bool:
    """Open a browser session (the websocket) and read until the workbench shows `wanted`."""
    import aiohttp

    seen = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(
            f"http://127.0.0.1:{port}/ws?token={token}") as ws:
        await ws.send_str(json.dumps(["resize", {"width": 120, "height": 40}]))
        deadline = time.monotonic() + START_TIMEOUT
        while wanted.encode() not in seen and time.monotonic() < deadline:
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
    return wanted.encode() in seen


def serve(path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "agentbench", "serve", str(path), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")
def test_serve_answers_http_on_loopback_and_stops_on_sigterm(demo_dir: Path) -> None:
    port = free_port()
    proc = serve(demo_dir, port)
    try:
        assert wait_for(lambda: port_open(port), proc, START_TIMEOUT), (
            proc.stderr.read().decode() if proc.poll() is not None and proc.stderr else
            "the server did not open its port")
        assert proc.stdout is not None
        # Printed before the port opens, so the line is there to read.
        banner = proc.stdout.readline().decode()
        found = re.search(rf"http://127\.0\.0\.1:{port}/\?token=([A-Za-z0-9_-]+)", banner)
        assert found is not None, banner
        token = found.group(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={token}",
                                    timeout=10) as response:
            assert response.status == 200
            page = response.read().decode("utf-8", "replace")
        assert "<html" in page.lower() and f"ws://127.0.0.1:{port}/ws" in page
        assert asyncio.run(first_screen(port, token, "orchestrator")), (
            "no workbench in the browser")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=STOP_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=STOP_TIMEOUT)
    assert proc.returncode == 0, err.decode()
    assert f"http://127.0.0.1:{port}" in banner + out.decode()
    assert b"Traceback" not in err
    assert not port_open(port)


def test_serve_refuses_a_missing_path(run_cli: Callable[..., tuple[int, str, str]],
                                      tmp_path: Path) -> None:
    code, _, err = run_cli("serve", str(tmp_path / "nope"))
    assert code == 2 and "no such file or folder" in err


@pytest.mark.skipif(sys.platform == "win32", reason="port reuse rules differ")
def test_serve_says_so_when_the_port_is_taken(demo_dir: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = serve(demo_dir, port)
        try:
            _, err = proc.communicate(timeout=START_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=STOP_TIMEOUT)
    assert proc.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in err.decode()
    assert b"Traceback" not in err
