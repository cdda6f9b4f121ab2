"""What indicators are computed from: one snapshot of the ledger and the programme settings."""

from __future__ import annotations

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
        return {e.pair_id: _date(e.ended_on) or self.as_of for e in self.endings}

    def matched_on(self, pair: PairRecord) -> dt.date:
        """The day the pair was matched: when it was recorded in the ledger."""
        return _date(pair.created_at) or self.cycle_start


def inputs_from_ledger(
    ledger: Ledger, programme: Programme, framework: Framework, as_of: dt.date
) -> IndicatorInputs:
    """Read everything the indicators need from the ledger, once."""
    return IndicatorInputs(
        pairs=ledger.pairs(),
        values=ledger.current_values(),
        submissions=ledger.submissions(),
        cycle_start=programme.cycle.start_date,
        cycle_months=programme.cycle.months,
        as_of=as_of,
        framework=framework,
        people=ledger.people(),
        endings=MatchingStore(ledger).endings(),
        return_deadline_days=programme.monitoring.return_deadline_days,
    )


def _date(text: str | None) -> dt.date | None:
    """A date from an ISO date or timestamp; None when it is not one."""
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except (TypeError, ValueError):
        return None


parse_date = _date
