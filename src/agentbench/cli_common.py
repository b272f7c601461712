"""What every command module shares: exit codes, loading a library, parsing --var."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from agentbench.core.library.loader import LibraryLoader, PathError, looked_for
from agentbench.core.model import Library
from agentbench.core.text.safe import printable

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def load_library_or_exit(path: str | None, profile: str | None = None) -> Library:
    """The library at PATH; a usage error (exit 2) for a bad PATH, an unknown profile, or
    no agent files under PATH: a CI job must not pass on nothing (never the demo team)."""
    try:
        loader = LibraryLoader.for_path(path, profile=profile)
    except PathError as error:
        raise click.UsageError(str(error)) from None
    library = loader.load()
    if not library.files:
        from agentbench.core.report import also_found

        where = printable(path) if path is not None else "the current folder"
        click.echo(f"agentbench: no agent files under {where} (looked for {looked_for()})",
                   err=True)
        if also := also_found(library):
            click.echo(f"agentbench: {also}", err=True)
        sys.exit(EXIT_USAGE)
    if profile is not None and library.workspace is not None and (
        profile not in library.workspace.profiles
    ):
        known = ", ".join(library.workspace.profiles) or "none"
        raise click.UsageError(f"unknown profile '{profile}' (profiles: {known})")
    return library


def parse_vars(values: Sequence[str]) -> dict[str, str]:
    """`--var KEY=VALUE` options; a usage error naming the bad one."""
    from agentbench.core.placeholders import parse_assignments

    try:
        return parse_assignments(values)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--var") from None
