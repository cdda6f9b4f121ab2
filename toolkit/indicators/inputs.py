"""What indicators are computed from: one snapshot of the ledger and the programme settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from toolkit.framework import Framework
from toolkit.ledger import Ledger, MatchingStore, PairEnding, PairRecord, SubmissionRecord, ValueKey
from toolkit.programme import Programme


@dataclass(frozen=True)
class IndicatorInputs:
    """A snapshot of the ledger (pairs, current values, returns, endings, people) and the
    programme settings the indicators need."""

    pairs: list[PairRecord]
    values: dict[str, dict[ValueKey, str]]
    submissions: list[SubmissionRecord]
    cycle_start: dt.date
    cycle_months: int
    as_of: dt.date
    framework: Framework
    people: dict[str, dict[str, str]] = field(default_factory=dict)
    endings: list[PairEnding] = field(default_factory=list)
    return_deadline_days: int = 14

    @cached_property
    def ended_on(self) -> dict[str, dt.date]:
        """Each ended pair's end date (``mentorkit pair end``)."""
        return {e.pair_id: parse_date(e.ended_on) or self.as_of for e in self.endings}

    def matched_on(self, pair: PairRecord) -> dt.date:
        """The day the pair was matched: when it was recorded in the ledger."""
        return parse_date(pair.created_at) or self.cycle_start


def inputs_from_ledger(
    ledger: Ledger, programme: Programme, framework: Framework, as_of: dt.date
) -> IndicatorInputs:
    """Read everything the indicators need from the ledger, once, as it stood on ``as_of``.

    For a past date, files received later, pairs matched later and endings dated later are
    left out, and each field has the value it had then; the roster is today's.
    """
    day = as_of.isoformat()
    submissions = [s for s in ledger.submissions() if s.received_at[:10] <= day]
    later = any(s.received_at[:10] > day for s in ledger.submissions())
    values = ledger.values_received_by(day) if later else ledger.current_values()
    endings = [e for e in MatchingStore(ledger).endings() if e.ended_on[:10] <= day]
    ended = {e.pair_id for e in endings}
    pairs = [
        p if p.status != "ended" or p.pair_id in ended else dataclasses.replace(p, status="active")
        for p in ledger.pairs()
        if p.created_at[:10] <= day
    ]
    return IndicatorInputs(
        pairs=pairs,
        values=values,
        submissions=submissions,
        cycle_start=programme.cycle.start_date,
        cycle_months=programme.cycle.months,
        as_of=as_of,
        framework=framework,
        people=ledger.people(),
        endings=endings,
        return_deadline_days=programme.monitoring.return_deadline_days,
    )


def parse_date(text: str | None) -> dt.date | None:
    """A date from an ISO date or timestamp; None when it is not one."""
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except (TypeError, ValueError):
        return None
