"""Small-cell suppression for the reports that leave the coordinator's hands.

A figure about fewer than :data:`MIN_PEOPLE` people could point at someone, so the anonymous
report does not show it (*primary* suppression). Because the groups of a breakdown add up to
the total, one hidden group could be worked out from the total and the others; so when a
breakdown has exactly one hidden group, the next smallest group is hidden too (*secondary*
suppression).
"""

from __future__ import annotations

import pandas as pd

MIN_PEOPLE = 3
"""The fewest people a figure of the anonymous report may be about."""


def suppressed(tidy: pd.DataFrame, min_people: int = MIN_PEOPLE) -> pd.Series:
    """For each row of a tidy indicator table, True when the anonymous report must hide it.

    Rows without data (no people) hide nothing and are never suppressed.
    """
    primary = (tidy["people"] > 0) & (tidy["people"] < min_people)
    hide = primary.copy()
    breakdowns = tidy[tidy["dimension"] != "total"]
    for _, part in breakdowns.groupby(["code", "period", "dimension"], sort=False):
        hidden = hide.loc[part.index]
        shown = part[~hidden & (part["people"] > 0)]
        if hidden.sum() == 1 and len(shown):
            smallest = shown.sort_values(["people", "group"], kind="stable").index[0]
            hide.loc[smallest] = True
    return hide
