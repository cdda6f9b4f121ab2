"""``mentorkit samples``: what :func:`toolkit.demo.samples.write_samples` did, for the terminal."""

from __future__ import annotations

import click

from toolkit.demo.samples import PICTURES_FOLDER, SamplesResult


def echo_samples(result: SamplesResult) -> None:
    """Show what :func:`write_samples` did (for ``mentorkit samples``)."""
    for path in result.files:
        click.echo(f"  {path}")
    for old in result.removed:
        click.echo(f"  removed {old} (no longer a sample)")
    for picture in result.pictures:
        click.echo(
            f"  {picture.path} ({picture.width}x{picture.height}, {picture.size_bytes:,} bytes): "
            f"sheet '{picture.sheet}' of {picture.workbook.name}"
        )
    if result.pictures_skipped is not None:
        click.secho(f"Note: {result.pictures_skipped.render()}", fg="yellow")
        click.echo(
            f"The sample workbooks are up to date; the pictures in "
            f"{result.target / PICTURES_FOLDER} were left as they were."
        )
