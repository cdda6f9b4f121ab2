"""Ending a pair early (``mentorkit pair end``): recorded with its reason and date, never
deleted. An ended pair gets no new workbook revisions, its returns still sync, and its mentee
can be given a new mentor with ``mentorkit match --rematch``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.ledger import Ledger, MatchingStore, PairEnding, now_iso
from toolkit.messages import Finding, finding
from toolkit.programme import ProgrammeFolder

REASONS = ("no-fault", "mentor-left", "mentee-left", "other")
"""Why a pair ended: no-fault is the separation either side may ask for without giving a cause."""


@dataclass(frozen=True)
class Ended:
    """What ``end_pair`` did: the pair's ending, and a note (MAT020) when it had already
    ended, in which case nothing was recorded."""

    ending: PairEnding
    note: Finding | None = None


def end_pair(
    root: Path,
    pair_id: str,
    reason: str,
    ended_on: dt.date | None = None,
    *,
    now: dt.datetime | None = None,
) -> Ended:
    """Record the end of pair ``pair_id``; raise :class:`ConfigError` when it cannot be ended.
    A pair that already ended keeps its first ending (an ending is recorded once)."""
    if reason not in REASONS:
        raise ValueError(f"reason must be one of {REASONS}")
    folder = ProgrammeFolder(root)
    folder.require()
    moment = now or dt.datetime.now(dt.timezone.utc)
    on = ended_on or moment.date()
    with Ledger(folder.ledger) as ledger:
        store = MatchingStore(ledger)
        pair = ledger.pair(pair_id.strip().upper())
        if pair is None:
            _refuse("MAT019", value=pair_id)
        assert pair is not None
        earlier = next((e for e in store.endings() if e.pair_id == pair.pair_id), None)
        if earlier is not None:
            note = finding("MAT020", file="mentorkit.db", value=pair.pair_id,
                           detail=f"{earlier.ended_on} ({earlier.reason})")  # fmt: skip
            return Ended(earlier, note)
        created = dt.date.fromisoformat(pair.created_at[:10])
        if on < created:
            _refuse("MAT021", value=on.isoformat(), pair=pair.pair_id,
                    detail=f"before the pair was created ({created.isoformat()})")  # fmt: skip
        if on > moment.date():
            _refuse("MAT021", value=on.isoformat(), pair=pair.pair_id, detail="in the future")
        ending = PairEnding(pair.pair_id, reason, on.isoformat(), now_iso(moment))
        with ledger.transaction():
            store.end_pair(ending.pair_id, ending.reason, ending.ended_on, ending.recorded_at)
    return Ended(ending)


def _refuse(code: str, **facts: object) -> None:
    f = finding(code, file="mentorkit.db", **facts)
    raise ConfigError(f.render(), [f])
