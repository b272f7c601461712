"""`agentbench serve`: the workbench in a web browser, behind a token (agentbench/serve.py).

Registered on the main group at the end of cli.py. textual-serve and aiohttp are imported
inside the command, so `agentbench --help` and the other commands stay fast.
"""

from __future__ import annotations

import os
import secrets
import shlex
import sys
from collections.abc import Sequence

import click

from agentbench.cli_common import parse_vars
from agentbench.core.library.loader import LibraryLoader, PathError
from agentbench.core.text.safe import printable

HOST_HELP = ("Address to listen on. Only loopback (127.0.0.1, ::1, localhost) unless"
             " --allow-remote is given too.")


def app_command(path: str | None, profile: str | None, variables: Sequence[str],
                read_only: bool) -> list[str]:
    """The `agentbench open ...` each browser session runs in its own process."""
    command = [sys.executable, "-m", "agentbench", "open"]
    if path is not None:
        command.append(os.path.abspath(path))
    if profile is not None:
        command += ["--profile", profile]
    for item in variables:
        command += ["--var", item]
    if read_only:
        command.append("--read-only")
    return command


def served_url(host: str, port: int, token: str) -> str:
    """The URL to open, token included; a wildcard bind is shown as this machine's loopback."""
    from agentbench.serve import WILDCARDS

    shown = "127.0.0.1" if host in WILDCARDS else host
    netloc = f"[{shown}]:{port}" if ":" in shown else f"{shown}:{port}"
    return f"http://{netloc}/?token={token}"


@click.command("serve")
@click.argument("path", required=False, type=click.Path())
@click.option("--host", default="127.0.0.1", show_default=True, help=HOST_HELP)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--allow-remote", is_flag=True,
              help="Allow a --host other machines can reach (plain HTTP: only the token"
                   " stands between them and your files).")
@click.option("--max-sessions", default=2, show_default=True, type=click.IntRange(min=1),
              metavar="N", help="Browser sessions open at once (each runs its own"
                                " workbench process); the next one is refused.")
@click.option("--read-only", is_flag=True,
              help="The served workbench refuses every write (saves, fixes, renames, new"
                   " agents, profiles, flows, exports, graph files).")
@click.option("--profile", "-p", help="Workspace profile whose values fill placeholders.")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE",
              help="Set a placeholder value for each session (repeatable).")
def serve_command(path: str | None, host: str, port: int, allow_remote: bool,
                  max_sessions: int, read_only: bool, profile: str | None,
                  variables: tuple[str, ...]) -> None:
    """Serve the workbench on PATH to a web browser (through textual-serve).

    Each run makes a new token; the printed URL carries it, and the page, its WebSocket and
    downloads are refused without it. Requests whose Host or Origin is not this server are
    refused too.
    """
    parse_vars(variables)
    if path is not None:
        try:
            LibraryLoader.for_path(path, profile=profile)  # a bad PATH fails here, not per tab
        except PathError as error:
            raise click.UsageError(str(error)) from None
    try:
        from agentbench.serve import GuardedServer, is_loopback
    except ImportError:
        raise click.ClickException("agentbench serve needs textual-serve:"
                                   " pip install textual-serve") from None
    if not is_loopback(host):
        if not allow_remote:
            raise click.UsageError(
                f"--host {printable(host)} can be reached from other machines; add"
                " --allow-remote to mean it, or leave --host out for 127.0.0.1")
        click.echo(f"agentbench: warning: serving on {printable(host)}, which other machines"
                   " can reach over plain HTTP: anyone who learns the URL (its token) can"
                   f" {'read' if read_only else 'read and change'} the files the workbench"
                   " opens", err=True)
    token = secrets.token_urlsafe(32)
    command = shlex.join(app_command(path, profile, variables, read_only))
    server = GuardedServer(command, host=host, port=port, token=token,
                           max_sessions=max_sessions)
    mode = ", read-only" if read_only else ""
    click.echo(f"agentbench: serving the workbench at {served_url(host, port, token)}"
               f" (at most {max_sessions} sessions{mode}; Ctrl+C to stop)")
    try:
        server.serve()
    except OSError as error:
        raise click.ClickException(f"cannot serve on {printable(host)}:{port}:"
                                   f" {error.strerror or error}") from None
