"""The cycle's calendar: months and quarters, which have begun and which have ended.

The reference date (``as_of``) is the day figures are computed for; a month or quarter has
*ended* when its last day is before the reference date, and has *begun* when its first day is
on or before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """A cycle quarter: ``Q1`` to ``Q4`` (or more for a longer cycle), with its dates."""

    code: str
    start: dt.date
    end: dt.date
    complete: bool

    @property
    def number(self) -> int:
        """The quarter's number (1 for Q1)."""
        return int(self.code[1:])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept inside the target month (31 Jan + 1 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def months_elapsed(start: dt.date, as_of: dt.date, cycle_months: int) -> int:
    """Whole months of the cycle completed by ``as_of`` (0 to ``cycle_months``)."""
    months = (as_of.year - start.year) * 12 + (as_of.month - start.month)
    if as_of.day < start.day:
        months -= 1
    return max(0, min(cycle_months, months))


def month_bounds(start: dt.date, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of cycle month ``month`` (1-based)."""
    first = add_months(start, month - 1)
    return first, add_months(start, month) - dt.timedelta(days=1)


def quarter_bounds(start: dt.date, months: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of cycle quarter ``quarter`` (1-based); the last quarter of a cycle
    whose length is not a multiple of 3 ends with the cycle."""
    first = add_months(start, 3 * (quarter - 1))
    return first, add_months(start, min(3 * quarter, months)) - dt.timedelta(days=1)


def quarters(start: dt.date, cycle_months: int, as_of: dt.date) -> list[Period]:
    """The cycle quarters that have begun by ``as_of``."""
    out = []
    for q in range(1, (cycle_months + 2) // 3 + 1):
        first, last = quarter_bounds(start, cycle_months, q)
        if first > as_of:
            break
        out.append(Period(f"Q{q}", first, last, last < as_of))
    return out


def quarter_of(start: dt.date, day: dt.date) -> int:
    """The cycle quarter (1-based) a date falls in; 0 before the cycle."""
    months = (day.year - start.year) * 12 + (day.month - start.month)
    if day.day < start.day:
        months -= 1
    return months // 3 + 1 if months >= 0 else 0
