"""Programme indicators, computed with pandas from the ledger's current view.

Every indicator of the framework's reference sheets (``toolkit/data/framework/evaluation.yaml``)
is computed per cycle quarter and cumulatively, in total and by country, office, sex, level,
sector and role, each figure with its numerator, denominator and the people behind it. The
figures are written into workbooks as values, never as formulas a viewer might show as 0.

- :mod:`~toolkit.indicators.periods`: the cycle's months and quarters;
- :mod:`~toolkit.indicators.inputs`: the snapshot of the ledger they are computed from;
- :mod:`~toolkit.indicators.units`: what each indicator counts, pair by pair;
- :mod:`~toolkit.indicators.report`: sums, breakdowns, targets and statuses.
"""

from toolkit.indicators.inputs import IndicatorInputs, inputs_from_ledger
from toolkit.indicators.periods import Period, months_elapsed
from toolkit.indicators.report import (
    ALL,
    DIMENSIONS,
    NOT_RECORDED,
    TIDY_COLUMNS,
    TOTAL,
    IndicatorReport,
    TrackingRow,
    compute_report,
    pct_of_target,
)
from toolkit.indicators.units import CUMULATIVE

__all__ = [
    "ALL", "CUMULATIVE", "DIMENSIONS", "NOT_RECORDED", "TIDY_COLUMNS", "TOTAL", "IndicatorInputs",
    "IndicatorReport", "Period", "TrackingRow", "compute_report", "inputs_from_ledger",
    "months_elapsed", "pct_of_target",
]  # fmt: skip
