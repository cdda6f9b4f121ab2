"""``mentorkit match`` and ``mentorkit pair end``: proposing, confirming and ending pairs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from toolkit.cli.common import DATE, EXIT_FINDINGS, EXIT_OK, folder_argument, handle_errors
from toolkit.endings import REASONS


@click.command()
@folder_argument
@click.option(
    "--confirm",
    is_flag=True,
    help="Record the reviewed pairs of matches.xlsx in the ledger, so that 'build' issues "
    "their workbooks, and rewrite matches.xlsx for the mentees still unmatched. Follows how "
    "matches.xlsx was made (with or without --rematch).",
)
@click.option(
    "--rematch",
    is_flag=True,
    help="Also propose new mentors for mentees whose pair ended (never an earlier mentor; "
    "not for a mentee whose pair ended with mentee-left).",
)
@handle_errors
def match(folder: Path, confirm: bool, rematch: bool) -> None:
    """Propose a mentor for every mentee without one, into DIR/matches.xlsx.

    Reads roster.xlsx and the matching settings of programme.yaml, and honours the lock,
    forbid and comment columns of an existing matches.xlsx. Exit code 0: every mentee has a
    proposal; 1: some are unmatched or some decisions could not be honoured; 2: usage error.
    """
    from builders.matches import match_programme

    run = match_programme(folder, rematch=rematch, confirm=confirm)
    result = run.result
    locked = sum(p.locked for p in result.pairs)
    if not run.written:
        for f in run.findings:
            click.secho(f"  {f.render()}", fg="yellow")
        click.secho(
            f"{run.path} was not replaced and nothing was confirmed: please fix the cells "
            "above, save it, and run the command again.",
            fg="red",
        )
        sys.exit(EXIT_FINDINGS)
    click.echo(
        f"Wrote {run.path}: {len(result.mentees)} mentee(s) to match, {len(result.pairs)} "
        f"pair(s) proposed ({locked} locked), {len(result.unmatched)} unmatched; total score "
        f"{result.total_score:g}."
    )
    for u in result.unmatched:
        click.echo(f"  {u.reason.render()}")
    for f in run.findings:
        click.secho(f"  {f.render()}", fg="yellow")
    if confirm:
        made = "with" if run.rematch else "without"
        click.echo(
            f"Confirmed {len(run.confirmed)} pair(s) of matches.xlsx (made {made} --rematch). "
            f"Next: mentorkit build {folder} issues their workbooks."
        )
    elif result.waiting_rematch:
        click.echo(
            f"{len(result.waiting_rematch)} mentee(s) whose pair ended are waiting: "
            f"mentorkit match {folder} --rematch"
        )
    problems = result.unmatched or any(f.severity.value != "info" for f in run.findings)
    sys.exit(EXIT_FINDINGS if problems else EXIT_OK)


_AFTER_ENDING = {
    "mentor-left": "Its mentor is left out of matching from now on. 'mentorkit match {folder} "
    "--rematch' proposes a new mentor for its mentee.",
    "mentee-left": "Its mentee is left out of re-matching; its mentor's place is free again.",
    "other": "'mentorkit match {folder} --rematch' proposes a new mentor for its mentee (never "
    "the same one).",
}
"""What an ending means for matching, by reason (no-fault as other)."""


@click.group()
def pair() -> None:
    """Manage pairs after they are issued (end a pair)."""


@pair.command("end", short_help="Record that a pair ended, why and when.")
@folder_argument
@click.argument("pair_id", metavar="PAIR")
@click.option(
    "--reason",
    type=click.Choice(REASONS),
    required=True,
    help="Why the pair ended: no-fault (either side, no cause given), mentor-left (the mentor "
    "is never proposed again), mentee-left (the mentee is not re-matched) or other.",
)
@click.option(
    "--date",
    "ended_on",
    type=DATE,
    default=None,
    help="The day the pair ended, YYYY-MM-DD (default: today).",
)
@handle_errors
def end(folder: Path, pair_id: str, reason: str, ended_on: Any) -> None:
    """Record that pair PAIR (such as P003) of DIR ended, with its reason and date.

    Nothing is deleted: the pair gets no new workbook revisions, its returns still sync, and
    'mentorkit match DIR --rematch' proposes a new mentor for its mentee.
    """
    from toolkit.cli import _regenerate_master
    from toolkit.endings import end_pair

    ended = end_pair(folder, pair_id, reason, ended_on)
    if ended.note is not None:
        click.echo(ended.note.render())
        sys.exit(EXIT_OK)
    ending = ended.ending
    click.echo(f"Pair {ending.pair_id} ended on {ending.ended_on} ({ending.reason}).")
    click.echo(_AFTER_ENDING.get(reason, _AFTER_ENDING["other"]).format(folder=folder))
    _regenerate_master(folder)
