"""``mentorkit export``: the indicators as a tidy CSV and as a DHIS2 data value set."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from toolkit.cli.common import folder_argument, handle_errors


@click.command()
@folder_argument
@click.option(
    "--format",
    "formats",
    type=click.Choice(["csv", "dhis2"]),
    multiple=True,
    default=("csv",),
    show_default=True,
    help="csv: export/indicators.csv, every indicator by period and disaggregation; dhis2: "
    "export/dhis2-datavalues.csv, a DHIS2 data value set through the 'export: dhis2:' mapping "
    "in programme.yaml. Give --format twice for both.",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Reference date of the indicators, YYYY-MM-DD (default: today).",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: DIR/export).",
)
@handle_errors
def export(folder: Path, formats: tuple[str, ...], as_of: Any, output: Path | None) -> None:
    """Write the programme's indicators, computed from the ledger, as CSV files.

    Exit code 0: every file asked for was written with nothing to check; 1: a finding needs
    attention (no DHIS2 mapping, a country with data but no org unit, periods DHIS2 cannot
    take); 2: usage error.
    """
    from toolkit.export import export_programme

    result = export_programme(folder, formats, as_of=as_of.date() if as_of else None, output=output)
    for f in result.findings:
        click.secho(f.render(), fg="yellow" if f.severity.value != "error" else "red", err=True)
    for path in result.removed:
        click.echo(
            f"Removed {path}, written by an earlier export, so it is not imported by mistake."
        )
    for written in result.files:
        what = "data values" if written.format == "dhis2" else "rows"
        click.echo(f"Wrote {written.path} ({written.rows} {what}, as of {result.as_of}).")
    if result.dhis2 is not None and not result.dhis2.blocked:
        d = result.dhis2
        if d.periods:
            click.echo(f"  DHIS2 periods: {', '.join(d.periods)}.")
        if d.not_ended:
            click.echo(
                f"  Not sent yet (not final by {result.as_of}: their quarter's workbooks are "
                f"still due): {', '.join(d.not_ended)}."
            )
        if d.empty_cells:
            click.echo(f"  Left out: {d.empty_cells} org unit figure(s) with a denominator of 0.")
    sys.exit(result.exit_code)
