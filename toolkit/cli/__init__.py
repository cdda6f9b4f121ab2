"""The ``mentorkit`` command line: a thin layer over the library.

Each command parses its options, calls one library function, and renders the result object.
The toolkit's own errors become a clear message and exit code 2; data problems found in
returned files give exit code 1; success is 0.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from toolkit import __version__
from toolkit.cli.common import DATE, folder_argument, handle_errors, progress


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mentorkit")
def cli() -> None:
    """Run an M&E mentoring and coaching programme through offline Excel workbooks.

    The coordinator's cycle: init a programme folder, fill roster.xlsx, build the pair
    workbooks, email them, drop returned attachments into inbox/, sync, read master.xlsx.
    """


@cli.command()
@folder_argument
@click.option(
    "--id",
    "programme_id",
    default="mentoring",
    show_default=True,
    help="Short programme code used in file names (letters, digits, dashes).",
)
@click.option(
    "--name",
    default="M&E Mentoring Programme",
    show_default=True,
    help="Full name of the programme.",
)
@click.option("--cohort", default="2026-A", show_default=True, help="Cohort code of this cycle.")
@click.option(
    "--start",
    "start_date",
    type=DATE,
    default=None,
    help="First day of the cycle, YYYY-MM-DD (default: the 1st of this month).",
)
@handle_errors
def init(folder: Path, programme_id: str, name: str, cohort: str, start_date: Any) -> None:
    """Create a programme folder DIR: programme.yaml, roster.xlsx, ledger and sub-folders.

    Refuses to touch a folder that already holds a programme.
    """  # fmt: skip
    from builders.programme import create_programme
    from toolkit.programme import slug

    result = create_programme(
        folder, programme_id=slug(programme_id), name=name, cohort=cohort,
        start_date=start_date,
    )  # fmt: skip
    click.echo(f"Created the programme folder {result.folder}:")
    for path in result.created:
        click.echo(f"  {path.relative_to(result.folder)}{'/' if path.is_dir() else ''}")
    click.echo(
        "Next: edit programme.yaml, list your people and pairs in roster.xlsx, then run\n"
        f"  mentorkit build {folder}"
    )


@cli.command()
@folder_argument
@handle_errors
def check(folder: Path) -> None:
    """Check programme.yaml and roster.xlsx in DIR and report every problem."""
    from toolkit.framework import cycle_findings, framework_for
    from toolkit.programme import ProgrammeFolder, load_programme
    from toolkit.roster import read_roster

    pf = ProgrammeFolder(folder)
    pf.require()
    programme = load_programme(pf.config)
    framework = framework_for(folder, programme)
    roster = read_roster(pf.roster, framework)
    for f in [*cycle_findings(programme, framework), *roster.warnings]:
        click.secho(f"Warning: {f.render()}", fg="yellow", err=True)
    mentors = sum(1 for p in roster.people.values() if p.role == "mentor")
    click.echo(
        f"programme.yaml: OK ({programme.programme.name}, cohort {programme.programme.cohort}).\n"
        f"roster.xlsx: OK ({mentors} mentors, {len(roster.people) - mentors} mentees, "
        f"{len(roster.pairs)} pairs)."
    )


@cli.command()
@folder_argument
@click.option(
    "--refresh",
    is_flag=True,
    help="Issue a new revision of every active pair's workbook, carrying everything merged so far.",
)
@click.option(
    "--encrypt/--no-encrypt",
    default=None,
    help="Encrypt each pair workbook with its pair's own password, listed only on the "
    "'Passwords (coordinator only)' sheet of master.xlsx (default: programme.yaml's "
    "confidentiality.encrypt_workbooks).",
)
@handle_errors
def build(folder: Path, refresh: bool, encrypt: bool | None) -> None:
    """Write one workbook per pair into DIR/outbox and regenerate master.xlsx.

    Pairs that already have a workbook are left alone unless --refresh is given.
    """  # fmt: skip
    from builders.programme import build_programme

    result = build_programme(folder, refresh=refresh, encrypt=encrypt, progress=progress("built"))
    for f in result.findings:
        click.secho(f"Warning: {f.render()}", fg="yellow", err=True)
    if refresh:
        refreshed = len(result.workbooks) - result.new_pairs
        counts = f"{result.new_pairs} new pair(s), {refreshed} refreshed as a new revision"
        if result.unchanged_pairs:
            counts += f", {result.unchanged_pairs} ended pair(s) left as they were"
    else:
        counts = f"{result.new_pairs} new pair(s), {result.unchanged_pairs} already issued"
    click.echo(f"Built {len(result.workbooks)} pair workbook(s) in {folder / 'outbox'} ({counts}).")
    for w in result.workbooks:
        click.echo(f"  {w.path.name}  {w.language}  {w.size_bytes:,} bytes")
    if result.master:
        click.echo(f"Regenerated {result.master.path}.")
    if result.workbooks:
        click.echo("Next: email each workbook to its pair; save returned attachments in inbox/.")


@cli.command()
@folder_argument
@click.option(
    "--dry-run",
    is_flag=True,
    help="Do everything but write: the ledger, inbox and master stay as they are.",
)
@handle_errors
def sync(folder: Path, dry_run: bool) -> None:
    """Take every returned file in DIR/inbox into the ledger and regenerate master.xlsx.

    Workbooks (.xlsx, .xlsm, .xls, .ods, encrypted ones this programme issued) and .zip or
    .eml files holding them are read. Accepted files move to archive/, rejected ones to
    quarantine/ with a reason file; a receipt for each is written to outbox/receipts/.
    Exit code 0: every file accepted with nothing to check; 1: something needs the
    coordinator's attention (a file quarantined or held, a value not accepted, a conflict
    between copies, a warning); 2: usage error, or another sync is running.
    """  # fmt: skip
    from builders.receipt import ReceiptWriter
    from sync.run import sync_programme

    has_programme = (folder / "programme.yaml").is_file()
    writer = ReceiptWriter(folder) if not dry_run and has_programme else None
    result = sync_programme(folder, dry_run=dry_run, progress=progress("read"), receipts=writer)
    # The master first: a long listing cut short (sync ... | head) must not stop it.
    regenerated = _regenerate_master(folder, echo=False) if not dry_run else ""
    with _closed_stdout_ends_quietly(result.exit_code):
        _render_sync(result)
        if regenerated:
            click.echo(regenerated)
        if writer is not None and writer.written:
            click.echo(
                f"Wrote {len(writer.written)} receipt(s) in {folder / 'outbox' / 'receipts'}: "
                "email each back to its sender."
            )
    sys.exit(result.exit_code)


@contextlib.contextmanager
def _closed_stdout_ends_quietly(code: int) -> Iterator[None]:
    """When the reader of the output goes away (``mentorkit sync . | head -1``), stop
    printing and end with ``code``: everything was already done and written."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the pipe again when flushing at exit: point stdout elsewhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(code)


@cli.command()
@folder_argument
@click.option(
    "--anonymous",
    is_flag=True,
    help="Write master-anonymous.xlsx instead, for managers and donors: dashboard, tracking "
    "table and breakdowns with no names and no free text, and every figure about fewer than 3 "
    "people suppressed.",
)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="Compute the figures as of the end of this day (YYYY-MM-DD), e.g. a quarter's last "
    "day; files received later are left out. Default: today.",
)
@handle_errors
def report(folder: Path, anonymous: bool, as_of: dt.date | None) -> None:
    """Regenerate DIR/master.xlsx (dashboard, indicators, follow-up) from the ledger.

    Use it to see the figures as of another date, to write the anonymous version, or when
    master.xlsx was open in a spreadsheet during a sync and could not be replaced.
    """
    if anonymous:
        _write_anonymous(folder, as_of)
    else:
        _regenerate_master(folder, quiet_errors=False, as_of=as_of)
    from toolkit.programme import ProgrammeFolder, load_programme

    start = load_programme(ProgrammeFolder(folder).config).cycle.start_date
    if as_of is not None and as_of < start:
        click.secho(f"Note: {as_of} is before the cycle starts ({start}): no figure yet.",
                    fg="yellow")  # fmt: skip


def _write_anonymous(folder: Path, as_of: dt.date | None) -> None:
    from builders.anonymous import write_anonymous
    from toolkit.framework import framework_for
    from toolkit.ledger import Ledger
    from toolkit.programme import ProgrammeFolder, load_programme

    pf = ProgrammeFolder(folder)
    pf.require()
    programme = load_programme(pf.config)
    with Ledger(pf.ledger) as ledger:
        result = write_anonymous(pf, ledger, programme, framework_for(folder, programme),
                                 as_of=as_of)  # fmt: skip
    click.echo(
        f"Wrote {result.path} (as of {result.report.as_of.isoformat()}): no names, no free "
        "text, no follow-up list, and figures about fewer than 3 people suppressed."
    )


@cli.command()
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]", required=False
)
@click.option("--indent", default=2, show_default=True, help="JSON indentation.")
@handle_errors
def schema(folder: Path | None, indent: int) -> None:
    """Print the workbook contract (sheets, fields, types, choices, layout) as JSON.

    With a programme folder DIR, its milestones and months come from the framework that
    programme uses.
    """
    from toolkit.contract import load_contract
    from toolkit.contract import schema as contract_schema
    from toolkit.framework import framework_for, load_framework

    framework = framework_for(folder) if folder else load_framework()
    doc = contract_schema(load_contract(framework), framework)
    click.echo(json.dumps(doc, indent=indent, ensure_ascii=False))


@cli.command()
@click.argument(
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="[DIR]",
    default=Path("mentorkit-demo"),
)
@click.option(
    "--seed",
    default=7,
    show_default=True,
    help="Seed of the simulated year: the same seed gives the same ledger (the demo prints its "
    "digest).",
)
@click.option(
    "--no-libreoffice",
    is_flag=True,
    help="Do not use LibreOffice even when it is installed (its two re-saved returns are then "
    "sent as Excel files).",
)
@handle_errors
def demo(folder: Path, seed: int, no_libreoffice: bool) -> None:
    """Play a whole 12-month cycle on an example cohort in DIR (default ./mentorkit-demo).

    48 pairs in six countries and four languages, matched by the matching engine: the
    workbooks are built, returned after each quarter the way people return them (late,
    missing, damaged, duplicated, stale, password-protected, from a mentor's and a mentee's
    copy, re-saved by LibreOffice when it is installed), synced with receipts, refreshed each
    quarter; one pair ends and its mentee is re-matched. It shows its progress, writes the
    master workbook, the anonymous report and the annual review, and ends by saying where to
    look.
    """  # fmt: skip
    from toolkit.demo import run_demo, where_to_look

    result = run_demo(folder, seed=seed, echo=click.echo, libreoffice=not no_libreoffice)
    click.echo(where_to_look(result))


@cli.command()
@click.argument(
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="[DIR]",
    default=Path("sample_workbooks"),
)
@handle_errors
def samples(folder: Path) -> None:
    """Regenerate the sample workbooks in DIR (default ./sample_workbooks) from the demo.

    It also redraws the README's pictures in DIR/pictures with LibreOffice and pdftoppm; when
    either is missing it says so and leaves the pictures as they were.
    """
    from toolkit.cli.samples import echo_samples
    from toolkit.demo.samples import write_samples

    echo_samples(write_samples(folder))


def _render_sync(result: Any) -> None:
    for note in result.notes:
        click.secho(f"Note: {note.render()}", fg="yellow")
    prefix = "Dry run (nothing written): " if result.dry_run else ""
    click.echo(
        f"{prefix}{len(result.files)} file(s) in inbox/: {result.count('accepted')} accepted, "
        f"{result.count('duplicate')} duplicate, {result.count('quarantined')} quarantined. "
        f"Values: {result.values_new} new, {result.values_changed} changed."
    )
    for outcome in result.files:
        if outcome.status == "quarantined" and outcome.reason:
            click.secho(f"  Quarantined {outcome.name} → {outcome.stored_as}", fg="red")
            click.echo(f"    {outcome.reason.render()}")
        elif outcome.resumed:
            click.echo(f"  {outcome.name}: taken in by the interrupted sync ({outcome.status}).")
        elif outcome.status == "duplicate":
            click.echo(f"  Duplicate {outcome.name}: already received; nothing changed.")
    if result.conflicts:
        click.secho(
            f"Conflicts ({len(result.conflicts)}): both copies changed these fields; the value "
            "saved last is current, both are kept (master.xlsx, sheet 'Conflicts').",
            fg="yellow",
        )
    findings = result.findings
    quarantined = {id(o.reason) for o in result.files if o.reason}
    located = [f for f in findings if id(f) not in quarantined]
    if located:
        click.echo(f"Findings ({len(located)}):")
        for f in located:
            click.echo(f"  {f.render()}")


def _regenerate_master(
    folder: Path, quiet_errors: bool = True, echo: bool = True, as_of: dt.date | None = None
) -> str:
    """Regenerate the master workbook; the line that says so is printed, or returned when
    ``echo`` is false ('' when it could not be replaced, which is said on stderr)."""
    from builders.master import write_master
    from toolkit.errors import WorkbookWriteError
    from toolkit.framework import framework_for
    from toolkit.ledger import Ledger
    from toolkit.programme import ProgrammeFolder, load_programme

    pf = ProgrammeFolder(folder)
    pf.require()
    programme = load_programme(pf.config)
    framework = framework_for(folder, programme)
    with Ledger(pf.ledger) as ledger:
        try:
            result = write_master(pf, ledger, programme, framework, as_of=as_of)
        except WorkbookWriteError as exc:
            if not quiet_errors:
                raise
            reason = exc.__cause__ or exc
            click.secho(
                f"The ledger is up to date, but {pf.root / 'master.xlsx'} could not be replaced "
                f"({reason}). Please close it in Excel or LibreOffice, then run: "
                f"mentorkit report {folder}",
                fg="yellow",
                err=True,
            )
            return ""
    line = f"Regenerated {result.path} ({result.pairs} pairs, {result.submissions} files)."
    if echo:
        click.echo(line)
    return line


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="mentorkit")


# Command groups that live in their own modules register below, one line each.
from toolkit.cli.framework import framework_group  # noqa: E402  (registered after cli exists)

cli.add_command(framework_group)

from toolkit.cli.matching import match, pair  # noqa: E402  (matching: issue 4)

cli.add_command(match)
cli.add_command(pair)

from toolkit.cli.accept import accept  # noqa: E402  (sync review: confirm a held file)

cli.add_command(accept)

from toolkit.cli.review import review  # noqa: E402  (annual review: issue 6)

cli.add_command(review)

from toolkit.cli.export import export  # noqa: E402  (issue 6: tidy CSV and DHIS2 export)

cli.add_command(export)
