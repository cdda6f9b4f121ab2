"""``mentorkit framework``: export the default framework for editing, check an edited copy,
show the effective framework (with the computed time commitment)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.common import EXIT_FINDINGS, EXIT_OK, folder_argument, handle_errors

if TYPE_CHECKING:
    from toolkit.framework import Framework


@click.group("framework")
def framework_group() -> None:
    """The M&E framework: milestones, session plan, sprints, matching, governance, indicators.

    The defaults are built in. To adapt them, export them into a programme folder, edit the
    YAML files, check them, and add 'framework: framework' to programme.yaml.
    """


@framework_group.command("export")
@folder_argument
@handle_errors
def export(folder: Path) -> None:
    """Write the default framework into DIR/framework/ for editing (never overwrites)."""
    from toolkit.framework import export_framework

    result = export_framework(folder)
    click.echo(f"Wrote the default framework into {result.folder}:")
    for path in result.files:
        click.echo(f"  {path.name}")
    click.echo(
        "Next: edit these files, then run\n"
        f"  mentorkit framework check {result.folder}\n"
        "and add this line to programme.yaml so that build, sync and report use them:\n"
        f"  framework: {result.folder.name}"
    )


@framework_group.command("check")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), metavar="DIR")
@handle_errors
def check(folder: Path) -> None:
    """Check a framework folder (or the one a programme folder uses) and list every problem.

    Each problem names the file, the key path and what was expected; every text must be
    given in the programme's languages (all four for a framework folder on its own) and fit
    in a cell. Exit code 0: no problems; 1: problems found.
    """
    from toolkit.framework import (
        check_framework,
        default_files,
        programme_languages,
        resolve_folder,
        unused_copy,
    )

    target = resolve_folder(folder)
    if target is None:
        click.echo(f"{folder} uses the built-in framework ({len(default_files())} files): OK.")
        unused = unused_copy(folder)
        if unused is not None:
            click.echo(
                f"Note: {unused} holds a framework, but programme.yaml does not use it. To use "
                f"it, add this line to {folder / 'programme.yaml'}:\n  framework: {unused.name}\n"
                f"then run: mentorkit framework check {folder}"
            )
        sys.exit(EXIT_OK)
    result = check_framework(target, programme_languages(folder))
    if result.ok:
        assert result.framework is not None
        click.echo(f"{target}: OK ({_summary(result.framework)}).")
        sys.exit(EXIT_OK)
    click.echo(f"{target} has {len(result.findings)} problem(s):")
    for f in result.findings:
        click.echo(f"  {f.render()}")
    sys.exit(EXIT_FINDINGS)


@framework_group.command("show")
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]", required=False
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole framework as JSON.")
@click.option("--indent", default=2, show_default=True, help="JSON indentation.")
@handle_errors
def show(folder: Path | None, as_json: bool, indent: int) -> None:
    """Show the effective framework: the built-in one, or DIR's (a programme or framework
    folder), with the computed time commitment of mentor and mentee."""
    from toolkit.framework import load_framework, programme_languages, resolve_folder

    target = resolve_folder(folder)
    framework = load_framework(target, programme_languages(folder) if target else ())
    if as_json:
        doc = framework.model_dump(mode="json")
        click.echo(json.dumps(doc, indent=indent, ensure_ascii=False))
        return
    click.echo(f"Framework {framework.version}: {_summary(framework)}.")
    click.echo(f"Session template ({framework.session_minutes} minutes):")
    for s in framework.session_template:
        click.echo(f"  {s.minutes:>3} min  {s.title['en']}")
    click.echo("Time commitment (computed):")
    for role, c in framework.commitment.items():
        click.echo(
            f"  {role:<7} {c.hours_per_month:>4} h per month, {c.hours_per_cycle:>5} h per cycle"
        )


def _summary(framework: Framework) -> str:
    cells = len(framework.domains) * len(framework.levels)
    return (
        f"{len(framework.domains)} domains x {len(framework.levels)} levels, "
        f"{len(framework.milestones)} milestones in {cells} cells, "
        f"{len(framework.session_plan)} monthly topics, {len(framework.sprints)} sprints, "
        f"{len(framework.indicators)} indicators"
    )
