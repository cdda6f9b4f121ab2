"""What every ``mentorkit`` command shares: exit codes, error handling, arguments, progress.

Command modules (``toolkit/cli/*.py``) import these, so each command group can live in its own
module and ``toolkit/cli/__init__.py`` only assembles them.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit.errors import ToolkitError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def handle_errors(func: F) -> F:
    """Turn the toolkit's own errors into a message and exit code 2 (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ToolkitError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def folder_argument(func: F) -> F:
    """The DIR argument naming a programme folder."""
    return click.argument(
        "folder", type=click.Path(file_okay=False, path_type=Path), metavar="DIR"
    )(func)


def progress(label: str) -> Callable[[int, int, str], None]:
    """A progress callback printing to stderr: a live counter on a terminal, else every 10%."""
    tty = sys.stderr.isatty()

    def report(done: int, total: int, what: str) -> None:
        if tty:
            end = "\n" if done == total else ""
            click.echo(f"\r  {label} {done}/{total} {what:<12}", err=True, nl=False)
            if end:
                click.echo("", err=True)
        elif total >= 20 and (done == total or done % max(1, total // 10) == 0):
            click.echo(f"  {label} {done}/{total}", err=True)

    return report


class DateParam(click.ParamType):
    """A day typed as YYYY-MM-DD, read as a :class:`datetime.date`; anything else is refused
    with the value and an example."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(
                f"{value!r} is not a date. Please type it as YYYY-MM-DD, e.g. 2026-06-30.",
                param,
                ctx,
            )


DATE = DateParam()
"""The type of every date option (``--as-of``, ``--date``)."""
