"""How much data the figures rest on: who has returned a workbook, and when last."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.indicators.inputs import IndicatorInputs, parse_date


@dataclass(frozen=True)
class Completeness:
    """Returns behind the figures: active pairs, those that returned an accepted workbook."""

    active: int
    returned: int
    latest: dt.date | None
    countries: int

    @property
    def silent(self) -> int:
        """Active pairs that have sent nothing accepted yet."""
        return self.active - self.returned

    @property
    def share(self) -> float | None:
        """Share of active pairs that returned, in %."""
        return round(100.0 * self.returned / self.active, 1) if self.active else None


def completeness(inputs: IndicatorInputs) -> Completeness:
    """Count the active pairs, those with an accepted return, and the latest return's date."""
    active = {p.pair_id: p for p in inputs.pairs if p.status == "active"}
    accepted = [s for s in inputs.submissions if s.status == "accepted" and s.pair_id]
    returned = {s.pair_id for s in accepted} & set(active)
    days = [d for s in accepted if (d := parse_date(s.received_at)) and d <= inputs.as_of]
    countries = {inputs.people.get(p.mentee_id, {}).get("country", "") for p in active.values()}
    return Completeness(len(active), len(returned), max(days, default=None),
                        len(countries - {""}))  # fmt: skip
