"""`agentbench detect` and `agentbench export`: values from a real project, tool-ready files.

Registered on the main group at the end of cli.py. Exit codes follow the README contract: 0
success, 1 the export was refused (files differ, a write failed), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from agentbench.cli_common import EXIT_FAILED, load_library_or_exit, parse_vars
from agentbench.core.text.safe import json_safe, printable

if TYPE_CHECKING:
    from agentbench.core.project.scan import Detection

_FORMATS = click.Choice(["text", "json"])


def detected_values(project: str | None) -> dict[str, str]:
    """Placeholder values detected from PROJECT (empty without one); a usage error when the
    folder cannot be used."""
    if project is None:
        return {}
    return _detect(project).values()


def _detect(project: str) -> Detection:
    from agentbench.core.project.detect import ProjectError, detect

    try:
        return detect(project)
    except ProjectError as error:
        raise click.UsageError(str(error)) from None


@click.command("detect")
@click.argument("project", type=click.Path())
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
@click.option("--agents", "agents_path", is_flag=False, flag_value="", default=None,
              metavar="[PATH]",
              help="Also list which agents of PATH (default: the usual library) this project"
                   " triggers.")
def detect_command(project: str, fmt: str, agents_path: str | None) -> None:
    """Detect placeholder values (stack, commands, folders) from PROJECT's own files."""
    from agentbench.core.project import detect as detect_module
    from agentbench.core.project.triggers import match_agents
    from agentbench.core.project.triggers import to_text as triggers_text

    detection = _detect(project)
    matches = None
    if agents_path is not None:
        library = load_library_or_exit(agents_path or None)
        matches = match_agents(library.agents, detection)
    if fmt == "json":
        payload = detection.to_json()
        if matches is not None:
            payload["agents"] = [m.to_json() for m in matches]
        click.echo(json_safe(json.dumps(payload, indent=2, ensure_ascii=False)))
        return
    click.echo(detect_module.to_text(detection), nl=False)
    if matches is not None:
        click.echo("")
        click.echo(triggers_text(matches), nl=False)


@click.command("export")
@click.argument("path", required=False, type=click.Path())
@click.option("--to", "target", type=click.Choice(["vscode", "claude", "cursor"]),
              required=True, help="The tool whose format to write.")
@click.option("--out", "out", type=click.Path(file_okay=False), required=True,
              help="Project folder to write into (.github/agents, .claude/agents or"
                   " .cursor/agents under it).")
@click.option("--profile", "-p", help="Workspace profile whose values fill placeholders.")
@click.option("--project", type=click.Path(),
              help="Fill placeholders with values detected from this project (lowest"
                   " precedence).")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE",
              help="Set a placeholder value (repeatable; beats the profile).")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite existing files that differ.")
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
def export_command(path: str | None, target: str, out: str, profile: str | None,
                   project: str | None, variables: tuple[str, ...], dry_run: bool,
                   force: bool, fmt: str) -> None:
    """Write the agents of PATH, placeholders filled, in a tool's own format."""
    from agentbench.core.export.plan import (
        ExportRefused,
        flatten,
        plan_export,
        report_text,
        write_plan,
    )
    from agentbench.core.model import Workspace

    session = parse_vars(variables)
    detected = detected_values(project)
    library = load_library_or_exit(path, profile)
    workspace = library.workspace or Workspace()
    values = flatten(workspace.values(profile, session, detected))
    plan = plan_export(library.agents, target, out, values)
    written: list[str] = []
    refused: str | None = None
    if not dry_run:
        try:
            written = write_plan(plan, force=force)
        except ExportRefused as error:
            refused = str(error)
    if fmt == "json":
        payload = plan.to_json()
        payload["dry_run"] = dry_run
        payload["written"] = written
        payload["refused"] = refused
        click.echo(json_safe(json.dumps(payload, indent=2, ensure_ascii=False)))
    else:
        click.echo(report_text(plan, dry_run, written, refused is not None), nl=False)
    if refused is not None:
        click.echo(f"agentbench: {printable(refused)}", err=True)
        sys.exit(EXIT_FAILED)
