"""``mentorkit review``: write the annual programme review workbook for the steering group."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from toolkit.cli.common import DATE, EXIT_FINDINGS, folder_argument, handle_errors


@click.command()
@folder_argument
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="Year under review; names the file review-<year>.xlsx (default: the cycle's year "
    "that contains the reference date).",
)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="Reference date of the figures, YYYY-MM-DD. Default: today, or, once the year (or "
    "the cycle) is over, the day after its last quarter's return deadline, so that quarter's "
    "workbooks are in and counted.",
)
@handle_errors
def review(folder: Path, year: int | None, as_of: dt.date | None) -> None:
    """Write DIR/review-<year>.xlsx, the annual review workbook for the steering group.

    Its sheets follow the framework's review cycle: the cycle's steps with a column to mark
    each done, every indicator against its target, the themes of what worked and what did
    not from the pairs' reflections (quotes by pair code only), and recommendations with a
    Decision column. It is in the programme's default_language.
    """
    from builders.review import write_review

    result = write_review(folder, year=year, as_of=as_of)
    for f in result.findings:
        click.secho(f"Warning: {f.render()}", fg="yellow", err=True)
    s = result.statuses
    click.echo(
        f"Wrote {result.path} (figures as of {result.as_of.isoformat()}): "
        f"{result.indicators} indicators ({s.get('green', 0)} green, {s.get('amber', 0)} amber, "
        f"{s.get('red', 0)} red, {s.get('no_data', 0)} without data); {result.comments} "
        f"reflection comments, {result.classified} matched to a theme; "
        f"{result.recommendations} recommendations."
    )
    if result.backup:
        click.echo(f"The previous file is kept as {result.backup}.")
    if result.findings:
        sys.exit(EXIT_FINDINGS)
