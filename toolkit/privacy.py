"""Small-cell suppression for the reports that leave the coordinator's hands.

A figure about fewer than :data:`MIN_PEOPLE` people could point at someone, so the anonymous
report does not show it (*primary* suppression, reason ``small``). Some figures add up to
others: the groups of a breakdown to its total, the quarters of a cumulative indicator to the
cycle to date, the months of SES to their quarter. One hidden part of such a sum could be
worked out from the whole and the other parts, so when a sum has exactly one hidden part the
next smallest part is hidden too (*secondary* suppression, reason ``protect``), until no sum
has a single hidden part.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

MIN_PEOPLE = 3
"""The fewest people a figure of the anonymous report may be about."""
ADDITIVE = frozenset({"AGR30", "SES", "REF", "RET", "SPR", "SATE", "SATR", "GOAL", "REM", "END"})
"""Indicators whose quarters' numerators add up to the cycle to date (each unit of the
cumulative figure belongs to one quarter); the others measure a state at a date."""
SMALL, PROTECT = "small", "protect"


def suppression(tidy: pd.DataFrame, min_people: int = MIN_PEOPLE) -> pd.Series:
    """For each row of a tidy indicator table, why the anonymous report hides it: ``small``
    (fewer than ``min_people`` people), ``protect`` (it would reveal a hidden figure), or ''.

    Rows without data (no people) hide nothing and are never suppressed.
    """
    reason = pd.Series("", index=tidy.index, dtype=object)
    reason[(tidy["people"] > 0) & (tidy["people"] < min_people)] = SMALL
    sums = list(_sums(tidy))
    changed = True
    while changed:
        changed = False
        for whole, parts in sums:
            if reason[whole]:
                continue
            hidden = [i for i in parts if reason[i]]
            shown = [i for i in parts if not reason[i]]
            if len(hidden) == 1 and shown:
                smallest = min(shown, key=lambda i: (tidy.at[i, "people"], str(tidy.at[i, "group"]),
                                                     str(tidy.at[i, "period"])))  # fmt: skip
                reason[smallest] = PROTECT
                changed = True
    return reason


def suppressed(tidy: pd.DataFrame, min_people: int = MIN_PEOPLE) -> pd.Series:
    """True for each row the anonymous report hides (:func:`suppression`)."""
    return suppression(tidy, min_people) != ""


def _sums(tidy: pd.DataFrame) -> Iterator[tuple[int, list[int]]]:
    """(whole, parts) of every sum the published figures form, as row indexes; parts with no
    people are left out (they show nothing)."""
    has_data = tidy["people"] > 0
    keys = zip(tidy.code, tidy.period, tidy.dimension, tidy.group, strict=True)
    index = dict(zip(keys, tidy.index, strict=True))
    rows = tidy[has_data]
    # The groups of a breakdown add up to the total.
    for (code, period, _), part in rows[rows.dimension != "total"].groupby(
        ["code", "period", "dimension"], sort=False
    ):
        whole = index.get((code, period, "total", "all"))
        if whole is not None:
            yield whole, list(part.index)
    # Quarters add up to the cycle to date; months to their quarter (SES).
    for (code, dim, group), part in rows.groupby(["code", "dimension", "group"], sort=False):
        if code not in ADDITIVE:
            continue
        quarters = part[part.period.str.match(r"^Q\d+$")]
        whole = index.get((code, "cumulative", dim, group))
        if whole is not None and len(quarters):
            yield whole, list(quarters.index)
        months = part[part.period.str.match(r"^M\d+$")]
        quarter_of = months.period.map(lambda m: f"Q{(int(m[1:]) - 1) // 3 + 1}")
        for quarter, inside in months.groupby(quarter_of, sort=True):
            whole = index.get((code, quarter, dim, group))
            if whole is not None:
                yield whole, list(inside.index)
