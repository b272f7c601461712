"""The command line: the TUI by default, and `list`, `lint`, `render`, `graph` for scripts.

Exit codes are a contract (README): 0 success, 1 the check failed, 2 usage error or unreadable
PATH, 3 an internal error (a bug). No command prints a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click

from agentbench import __version__
from agentbench.cli_common import (
    EXIT_FAILED,
    EXIT_INTERNAL,
    EXIT_USAGE,
    load_library_or_exit,
    parse_vars,
)
from agentbench.cli_flow import demo_command
from agentbench.cli_project import detect_command, export_command
from agentbench.cli_serve import serve_command
from agentbench.core.hints import suggest
from agentbench.core.library.loader import LibraryLoader, PathError, demo_path
from agentbench.core.model import Severity
from agentbench.core.text.safe import printable, printable_block

PATH_HELP = (
    "A folder or file of agents. Default: the agent files anywhere under the current folder"
    " (the workbench opens the bundled demo team when there are none)."
)


class _DefaultToOpen(click.Group):
    """`agentbench [PATH]` opens the TUI; any other first word is a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                         "--version")):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToOpen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="agentbench")
def cli() -> None:
    """A workbench for libraries of AI agent files: preview, lint, render and graph them.

    Run `agentbench [PATH]` for the full-screen workbench, or a subcommand for scripts and CI.
    """


@cli.command("open")
@click.argument("path", required=False, type=click.Path())
@click.option("--profile", "-p", help="Workspace profile whose values fill placeholders.")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE",
              help="Set a placeholder value for this session (repeatable).")
@click.option("--no-watch", is_flag=True, help="Do not reload when files change.")
@click.option("--project", type=click.Path(exists=True, file_okay=False),
              help="Fill placeholders with values detected from this project (lowest"
                   " precedence) and mark the agents that apply to it.")
@click.option("--read-only", is_flag=True,
              help="Refuse every write (saves, fixes, renames, new agents, profiles, flows,"
                   " exports, graph files), each with a notification saying so.")
def open_command(path: str | None, profile: str | None, variables: tuple[str, ...],
                 no_watch: bool, project: str | None, read_only: bool) -> None:
    """Open the workbench on PATH (the default command)."""
    session = parse_vars(variables)
    try:
        loader = LibraryLoader.for_path(path, profile=profile)
    except PathError as error:
        raise click.UsageError(str(error)) from None
    if read_only:
        from agentbench.core.write.atomic import refuse_every_write

        refuse_every_write("this workbench is read-only (--read-only)")
    if path is None and not loader.load().files:
        # Only a folder without any agent file opens the demo team (DESIGN §4).
        click.echo("agentbench: no agent files here; opening the bundled demo team", err=True)
        loader = LibraryLoader(roots=[str(demo_path())], profile=profile)
    from agentbench.ui.app import make_app

    app = make_app(loader, session=session, watch=not no_watch, project=project)
    app.run()


@cli.command("list")
@click.argument("path", required=False, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def list_command(path: str | None, fmt: str) -> None:
    """List the agents of PATH."""
    library = load_library_or_exit(path)
    if fmt == "json":
        payload = {
            "agents": [
                {
                    "name": a.name,
                    "path": a.path,
                    "dialect": str(a.dialect),
                    "dialect_rule": a.dialect_rule,
                    "model": a.model,
                    "description": a.description,
                    "handoffs": [h.to_json() for h in a.handoffs],
                    "placeholders": list(a.placeholders),
                }
                for a in library.agents
            ],
            "diagnostics": [d.to_json() for d in library.diagnostics],
            # Files found that are not agents: counted and listed, never linted.
            "others": [{"path": o.path, "kind": str(o.kind), "rule": o.rule}
                       for o in library.others],
            "other_counts": library.other_counts(),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    rows = [("NAME", "DIALECT", "MODEL", "HANDOFFS", "PLACEHOLDERS", "RULE", "PATH")]
    rows += [
        (a.name, str(a.dialect), a.model or "-", str(len(a.handoffs)),
         str(len(a.placeholders)), a.dialect_rule or "-", a.path)
        for a in library.agents
    ]
    widths = [min(max(len(printable(r[i])) for r in rows), 40) for i in range(6)]
    for row in rows:
        cells = [printable(c)[:40].ljust(w) for c, w in zip(row[:6], widths, strict=True)]
        click.echo("  ".join([*cells, printable(row[6])]).rstrip())
    errors = sum(d.severity is Severity.ERROR for d in library.diagnostics)
    click.echo(f"{len(library.agents)} agents; {errors} errors (run 'agentbench lint' for"
               " details)" if errors else f"{len(library.agents)} agents")
    from agentbench.core.report import also_found

    if also := also_found(library):
        click.echo(also)


@cli.command("lint")
@click.argument("path", required=False, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--profile", "-p", help="Check placeholders under this profile.")
@click.option("--fix", is_flag=True,
              help="Apply the safe fixes (AB303, AB307, AB402, AB701), list them, lint again.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the fixes --fix would make as a unified diff; write nothing.")
def lint_command(path: str | None, fmt: str, strict: bool, profile: str | None, fix: bool,
                 show_diff: bool) -> None:
    """Check PATH; exit 1 when it has errors (or warnings, with --strict)."""
    from agentbench.core import report as lint

    library = load_library_or_exit(path, profile)
    if fix or show_diff:
        from agentbench.core.write.atomic import WriteRefused
        from agentbench.core.write.fixes import apply_fixes

        try:
            changes = apply_fixes(library, write=not show_diff)
        except WriteRefused as error:
            click.echo(f"agentbench: nothing was fixed: {printable(str(error))}", err=True)
            sys.exit(EXIT_FAILED)
        if show_diff:
            click.echo("".join(c.diff() for c in changes), nl=False)
            sys.exit(EXIT_FAILED if changes else 0)
        report = ["nothing to fix"] if not changes else []
        for change in changes:
            moved = f" (now {printable(change.new_path)})" if change.new_path else ""
            report.append(f"fixed {printable(change.path)}{moved}")
            report += [f"  {printable(title)}" for title in change.summary]
        click.echo("\n".join(report), err=fmt != "text")
        if changes:
            library = load_library_or_exit(path, profile)
    diagnostics = library.diagnostics
    if fmt == "json":
        click.echo(lint.to_json(library, diagnostics), nl=False)
    elif fmt == "sarif":
        click.echo(lint.to_sarif(library, diagnostics, __version__), nl=False)
    else:
        click.echo(lint.to_text(library, diagnostics), nl=False)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(d.severity in failing for d in diagnostics):
        sys.exit(EXIT_FAILED)


@cli.command("render")
@click.argument("name")
@click.argument("path", required=False, type=click.Path())
@click.option("--profile", "-p", help="Workspace profile whose values fill placeholders.")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE",
              help="Set a placeholder value (repeatable; beats the profile).")
@click.option("--strict", is_flag=True, help="Exit 1 when a placeholder is left unfilled.")
@click.option("--project", type=click.Path(),
              help="Fill placeholders with values detected from this project (lowest"
                   " precedence).")
def render_command(name: str, path: str | None, profile: str | None,
                   variables: tuple[str, ...], strict: bool, project: str | None) -> None:
    """Print agent NAME's prompt with its placeholders filled."""
    from agentbench.core.model import Workspace
    from agentbench.core.placeholders import render
    session = parse_vars(variables)
    library = load_library_or_exit(path, profile)
    agent = library.get(name)
    if agent is None:
        hint = suggest(name, set(library.by_name()))
        click.echo(f"agentbench: no agent named '{printable(name)}'{hint}", err=True)
        sys.exit(EXIT_FAILED)
    workspace = library.workspace or Workspace()
    from agentbench.cli_project import detected_values

    detected = detected_values(project)
    result = render(agent.body, workspace.values(profile, session, detected))
    out = result.text
    if sys.stdout.isatty():
        out = printable_block(out)
    # color=True: click would otherwise strip escape sequences from piped output, and a
    # pipe is promised the body exactly as rendered (a terminal gets visible escapes above).
    click.echo(out, nl=not out.endswith("\n"), color=True)
    if result.unfilled:
        names = ", ".join("{{" + printable(n) + "}}" for n in result.unfilled)
        count = len(result.unfilled)
        noun = "placeholder" if count == 1 else "placeholders"
        click.echo(f"agentbench: {count} {noun} left unfilled: {names}", err=True)
        if strict:
            sys.exit(EXIT_FAILED)


@cli.command("graph")
@click.argument("path", required=False, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "mermaid", "dot", "json"]),
              default="text", show_default=True)
def graph_command(path: str | None, fmt: str) -> None:
    """Print the handoff graph of PATH as a drawing, Mermaid, DOT or JSON."""
    library = load_library_or_exit(path)
    from agentbench.core.graph import export as graph_export
    from agentbench.core.graph.layout import draw as layout
    from agentbench.core.graph.source import graph_input

    data = graph_input(library)
    nodes, edges, entry = list(data.nodes), list(data.edges), data.entry
    if fmt == "mermaid":
        click.echo(graph_export.to_mermaid(nodes, edges), nl=False)
    elif fmt == "dot":
        click.echo(graph_export.to_dot(nodes, edges), nl=False)
    elif fmt == "json":
        payload: Any = graph_export.to_json(nodes, edges)
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        drawing = layout.layout(nodes, edges, entry=entry)
        click.echo(printable_block(drawing.text()).rstrip("\n"))


cli.add_command(demo_command, "demo")
cli.add_command(serve_command, "serve")
cli.add_command(detect_command, "detect")
cli.add_command(export_command, "export")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="agentbench",
                 standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_FAILED
    except click.ClickException as error:
        error.show()
        return EXIT_USAGE if isinstance(error, click.UsageError) else error.exit_code
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_FAILED
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: say so plainly instead of a traceback
        click.echo(f"agentbench: internal error: {type(error).__name__}: {error}", err=True)
        click.echo("This is a bug in agentbench; please report it with the command you ran.",
                   err=True)
        return EXIT_INTERNAL
    return 0
