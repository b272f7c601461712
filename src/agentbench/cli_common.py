"""What every command module shares: exit codes, loading a library, parsing --var."""

from __future__ import annotations

from collections.abc import Sequence

import click

from agentbench.core.library.loader import LibraryLoader, PathError
from agentbench.core.model import Library

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def load_library_or_exit(path: str | None, profile: str | None = None) -> Library:
    """The library at PATH; a usage error (exit 2) for a bad PATH or an unknown profile."""
    try:
        loader = LibraryLoader.for_path(path, profile=profile)
    except PathError as error:
        raise click.UsageError(str(error)) from None
    library = loader.load()
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
