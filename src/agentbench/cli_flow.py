"""`agentbench demo FLOW.yaml`: replay a recorded flow, or export it as Markdown.

Registered on the main group at the end of cli.py. Heavy imports (the TUI) happen inside
the command, so `agentbench --help` and the other commands stay fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from agentbench.cli_common import EXIT_FAILED, parse_vars
from agentbench.core.library.loader import DEFAULT_DIRS, LibraryLoader, PathError
from agentbench.core.model import Diagnostic, Severity
from agentbench.core.text.safe import printable

if TYPE_CHECKING:
    from agentbench.core.flow.record import FlowFile



def _library_for_flow(flow_path: str) -> str | list[str]:
    """Where a flow's library is: the folder holding `flows/` (its agent folders, if any)."""
    folder = Path(flow_path).parent
    base = folder.parent if folder.name == "flows" else folder
    found = [str(base / d) for d in DEFAULT_DIRS if (base / d).is_dir()]
    return found or str(base)


def _loader(path: str | list[str], profile: str | None) -> LibraryLoader:
    if isinstance(path, list):
        return LibraryLoader(roots=path, profile=profile)
    try:
        return LibraryLoader.for_path(path, profile=profile)
    except PathError as error:
        raise click.UsageError(str(error)) from None


def _show(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(f"{printable(d.path)}:{d.line}:{d.column}: {d.severity} {d.code}"
                   f" {printable(d.message)}", err=True)


@click.command("demo")
@click.argument("flow_path", metavar="FLOW.yaml", type=click.Path(exists=True, dir_okay=False))
@click.option("--library", "library_path", type=click.Path(), metavar="PATH",
              help="The agents the flow walks. Default: the folder that holds flows/.")
@click.option("--profile", "-p", help="Workspace profile (default: the flow's, else the"
                                      " workspace default).")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE",
              help="Set a placeholder value (repeatable; beats the flow's values).")
@click.option("--autoplay", type=click.FloatRange(min=0.0), metavar="SECONDS",
              help="In the workbench, take the next recorded step every SECONDS.")
@click.option("--export", "export_format", type=click.Choice(["md"]),
              help="Print the transcript (Markdown with a Mermaid sequence diagram) instead"
                   " of opening the workbench.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="With --export: write to FILE (atomically) instead of stdout.")
@click.option("--no-watch", is_flag=True, help="Do not reload when files change.")
def demo_command(flow_path: str, library_path: str | None, profile: str | None,
                 variables: tuple[str, ...], autoplay: float | None,
                 export_format: str | None, out_path: str | None, no_watch: bool) -> None:
    """Replay the recorded flow FLOW.yaml in the workbench, or export it with --export md."""
    from agentbench.core.flow.record import FlowFile

    if out_path is not None and export_format is None:
        raise click.UsageError("--out needs --export md")
    if autoplay is not None and export_format is not None:
        raise click.UsageError("--autoplay is for the workbench; leave it out with --export")
    session = parse_vars(variables)
    flow, problems = FlowFile.load(flow_path)
    _show(problems)
    if flow is None or any(d.severity is Severity.ERROR for d in problems):
        click.echo(f"agentbench: {printable(flow_path)} is not a usable flow file (see above)",
                   err=True)
        sys.exit(EXIT_FAILED)
    chosen_profile = profile if profile is not None else flow.profile
    loader = _loader(library_path if library_path is not None else _library_for_flow(flow_path),
                     chosen_profile)
    if export_format == "md":
        _export(flow, loader, session, profile, out_path)
        return
    _open_workbench(loader, session, flow, autoplay, no_watch)


def _export(flow: FlowFile, loader: LibraryLoader, session: dict[str, str], profile: str | None,
            out_path: str | None) -> None:
    from agentbench.core.flow.export import run_to_markdown, to_markdown

    library = loader.load()
    run, problem = flow.replay(library, session, profile)
    if run is None:
        text = to_markdown(flow.start or "?", (), flow.title, problem)
    else:
        text = run_to_markdown(run, flow.title, problem)
    if out_path is None:
        click.echo(text, nl=False)
    else:
        _write_out(out_path, text)
    if problem is not None:
        click.echo(f"agentbench: {printable(flow.path or 'flow')}:{problem.line}: replay stopped:"
                   f" {printable(problem.message)}", err=True)
        sys.exit(EXIT_FAILED)


def _write_out(out_path: str, text: str) -> None:
    from agentbench.core.write.atomic import WriteRefused, write_atomic

    target = Path(out_path)
    if not target.parent.is_dir():
        raise click.UsageError(f"{out_path}: the folder {target.parent} does not exist")
    try:
        write_atomic(target, text.encode("utf-8"))
    except WriteRefused as error:
        raise click.ClickException(str(error)) from None


def _open_workbench(loader: LibraryLoader, session: dict[str, str], flow: FlowFile,
                    autoplay: float | None, no_watch: bool) -> None:
    import inspect

    from agentbench.ui.app import make_app

    accepted = inspect.signature(make_app).parameters
    message = ("agentbench: flow mode arrives with the flow screen; until then use"
               " 'agentbench demo FLOW.yaml --export md' for the transcript")
    if "flow" not in accepted:
        click.echo(message, err=True)
        sys.exit(EXIT_FAILED)
    extra: dict[str, Any] = {"flow": flow}
    if "autoplay" in accepted:
        extra["autoplay"] = autoplay
    try:
        app = make_app(loader, session=session, watch=not no_watch, **extra)
    except TypeError:
        click.echo(message, err=True)
        sys.exit(EXIT_FAILED)
    app.run()
