"""``mentorkit accept``: confirm which pair sent a file sync held (IDN006)."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.common import folder_argument, handle_errors


@click.command()
@folder_argument
@click.argument("file")
@click.option(
    "--pair",
    "pair_id",
    default=None,
    help="The pair that sent it, when it is not the pair its Start here sheet names "
    "(the file is then held again, as IDN007, for you to sort out with the pair).",
)
@handle_errors
def accept(folder: Path, file: str, pair_id: str | None) -> None:
    """Confirm that FILE, held in DIR/quarantine because only its Start here sheet identified
    it (IDN006), was sent by the pair it names, and put it back in inbox/.

    FILE is its name in quarantine/, its path, or the name it arrived under. Check with the
    pair first that they sent it: anyone can type a pair's code and names on Start here. The
    confirmation is kept in the ledger by the file's SHA-256; the next sync merges it.
    """
    from sync.accept import accept_held

    done = accept_held(folder, file, pair_id)
    click.echo(
        f"Confirmed {done.file_name} as pair {done.pair_id}'s and moved it to {done.moved_to}.\n"
        f"Next: mentorkit sync {folder}"
    )
