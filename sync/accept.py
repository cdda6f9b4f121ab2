"""``mentorkit accept``: the coordinator confirms which pair sent a held file.

A returned file whose signed identity sheet is missing is identified from its Start here sheet
alone, which anyone can type (another pair's code and names): sync therefore holds it in
``quarantine/`` (IDN006) instead of merging it. Once the coordinator has checked with the pair
that they sent it, :func:`accept_held` records that confirmation in the ledger, by the file's
SHA-256 and pair, and moves the file back into ``inbox/`` under its original name: the next
sync merges it (IDN008), and only if its Start here sheet still names the confirmed pair.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from toolkit.errors import ProgrammeFolderError
from toolkit.ledger import Ledger, SubmissionRecord, now_iso
from toolkit.messages import finding
from toolkit.programme import ProgrammeFolder


@dataclass(frozen=True)
class Accepted:
    """A held file the coordinator confirmed."""

    file_name: str
    pair_id: str
    moved_to: Path


def accept_held(
    root: Path, file: str, pair_id: str | None = None, now: dt.datetime | None = None
) -> Accepted:
    """Confirm that the held file ``file`` (a path, its name in ``quarantine/``, or the name
    it arrived under) was sent by ``pair_id`` (by default the pair it appears to be), and put
    it back in the inbox for the next sync."""
    folder = ProgrammeFolder(root)
    folder.require()
    with Ledger(folder.ledger) as ledger:
        path, record = _held(folder, ledger, file)
        pair = (pair_id or record.pair_id or "").strip()
        if not pair or ledger.pair(pair) is None:
            _refuse(file, f"pair {pair!r} is not a pair of this programme")
        ledger.confirm_identity(record.sha256, pair, now_iso(now))
    target = folder.inbox / Path(record.file_name).name
    if target.exists():
        target = target.with_name(f"{record.sha256[:12]}_{target.name}")
    folder.inbox.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), target)
    reason = path.with_name(path.name + ".reason.txt")
    reason.unlink(missing_ok=True)  # it no longer says what is true of the file
    return Accepted(record.file_name, pair, target)


def _held(folder: ProgrammeFolder, ledger: Ledger, file: str) -> tuple[Path, SubmissionRecord]:
    """The held file named ``file`` and its quarantine record."""
    candidates = [Path(file), folder.quarantine / file, folder.root / file]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        stored = [folder.root / s for s in ledger.held_files(file)]
        path = next((p for p in stored if p.is_file()), None)
    if path is None:
        _refuse(file, "no such file in quarantine/")
    record = ledger.held_submission(hashlib.sha256(path.read_bytes()).hexdigest())
    if record is None:
        _refuse(file, "sync did not hold it for confirmation (its reason is not IDN006)")
    return path, record


def _refuse(file: str, detail: str) -> NoReturn:
    problem = finding("SYN004", file=file, value=file, detail=detail)
    raise ProgrammeFolderError(problem.render(), [problem])
