"""What stands between a web browser and `agentbench serve` (DESIGN.md §5, issue 14).

textual-serve on its own answers anyone: any web page the user opens may connect a WebSocket
to localhost (browsers allow it across origins), and DNS rebinding reaches it by another name.
The served workbench can change and export files, so `GuardedServer` adds to every request:

- `Host` must name the bound address (or `localhost` on loopback) and, when there is an
  `Origin`, it must be this server: a page elsewhere, or a rebound name, gets 403.
- The page, the WebSocket and downloads need the run's token: `?token=` in the printed URL,
  which the page answers with an HttpOnly, SameSite=Strict cookie that the page's own
  WebSocket carries (textual.js appends `?width=` to the WebSocket URL, so a query token
  cannot ride along). Static files (textual.js, xterm.css, fonts, one background image, all
  from the textual-serve package) carry nothing of the user's and are served without it.
- At most `max_sessions` WebSockets at once: each starts an app process, so the next one is
  refused (503) before any process starts.

Imported only by `agentbench serve`, after textual-serve was found.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

WILDCARDS = frozenset({"0.0.0.0", "::", ""})
# A name or an address, then a port: what a browser sends, and safe to put back in the page.
_HOST = re.compile(r"(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?")
NO_TOKEN = ("agentbench serve: this needs the token printed when the server started;"
            " open the whole URL, ?token=... included")


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: only this machine reaches them."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The `Host` values that name this server, lower-cased; None when bound to every address
    (then any name may reach it, and the token alone decides)."""
    if host in WILDCARDS:
        return None
    names = {host.strip("[]").lower()}
    if is_loopback(host):
        names.add("localhost")
    found = {_netloc(name, port) for name in names}
    if port == 80:  # browsers leave the default port out of Host
        found |= {f"[{name}]" if ":" in name else name for name in names}
    return frozenset(found)


class GuardedServer(Server):
    """textual-serve's Server with a token, Host/Origin checks and a session cap."""

    def __init__(self, command: str, *, host: str, port: int, token: str,
                 max_sessions: int, title: str = "agentbench") -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token
        self.max_sessions = max_sessions
        self.sessions = 0
        self.hosts = allowed_hosts(host, port)
        # Cookies ignore ports: a name per port keeps two servers' tokens apart.
        self.cookie = f"agentbench-token-{port}"

    async def on_startup(self, app: web.Application) -> None:
        """No logo: the command prints its own banner, with the URL and its token."""

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self._index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def _host_refusal(self, request: web.Request) -> str | None:
        host = request.headers.get("Host", "").lower()
        known = _HOST.fullmatch(host) if self.hosts is None else host in self.hosts
        if not known:
            return "agentbench serve: wrong Host header; use the address the server printed"
        origin = request.headers.get("Origin")
        if origin is not None:
            parts = urlsplit(origin.lower())
            if parts.scheme != "http" or parts.netloc != host:
                return "agentbench serve: requests from other web pages are refused"
        return None

    def _has_token(self, request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(self.cookie) or ""
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode())

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        refusal = self._host_refusal(request)
        if refusal is not None:
            return web.Response(status=403, text=refusal)
        if request.path.startswith("/static/"):
            return await handler(request)
        if not self._has_token(request):
            return web.Response(status=403, text=NO_TOKEN)
        if request.path == "/ws":
            return await self._session(request, handler)
        response = await handler(request)
        if request.path == "/":
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict",
                                path="/")
            # The token is in this page's URL: keep it out of caches, Referer and frames.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response

    async def _session(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        # Checked and counted with no await in between, so two upgrades cannot both pass.
        if self.sessions >= self.max_sessions:
            message = (f"agentbench serve: {self.sessions} sessions are open, the most"
                       f" allowed (--max-sessions {self.max_sessions}); close one and reload")
            print(message, file=sys.stderr, flush=True)
            return web.Response(status=503, text=message)
        self.sessions += 1
        try:
            return await handler(request)
        finally:
            self.sessions -= 1

    async def _index(self, request: web.Request) -> web.StreamResponse:
        """The page, its WebSocket URL built from the Host it was asked by (checked above), so
        the cookie set for that name goes with it; textual-serve would use the bound address."""
        base = f"http://{request.headers['Host']}"
        context: dict[str, Any] = {
            "font_size": _int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"ws://{request.headers['Host']}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)


def _int(text: str, default: int) -> int:
    try:
        return max(6, min(int(text), 64))
    except ValueError:
        return default
