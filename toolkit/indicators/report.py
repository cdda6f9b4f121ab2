"""From units to the figures managers read: the tidy table, the tracking rows and statuses.

:func:`compute_report` sums the units (:mod:`toolkit.indicators.units`) by indicator and
period, in total and by each disaggregation (the person's country, office, sex, level, sector
and role), so every part of a breakdown adds up to its total. Every figure carries its
numerator, denominator and the number of people behind it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from toolkit.framework import Framework
from toolkit.framework_model import Indicator, status
from toolkit.indicators.completeness import Completeness, completeness
from toolkit.indicators.inputs import IndicatorInputs
from toolkit.indicators.periods import Period, months_completed, quarters
from toolkit.indicators.units import CUMULATIVE, UNIT_COLUMNS, compute_units

TIDY_COLUMNS = [
    "code", "period", "dimension", "group", "numerator", "denominator", "value", "people", "unit",
]  # fmt: skip
DIMENSIONS = ("country", "office", "sex", "level", "sector", "role")
NOT_RECORDED = "not recorded"
TOTAL, ALL = "total", "all"


@dataclass(frozen=True)
class TrackingRow:
    """One line of the Indicator Tracking Table."""

    code: str
    name: dict[str, str]
    kind: str
    unit: str
    baseline: float | None
    baseline_note: dict[str, str] | None
    target: float
    direction: str
    by_quarter: dict[str, float | None]
    cumulative: float | None
    numerator: float
    denominator: float
    people: int
    pct_of_target: float | None
    status: str
    responsible: str


@dataclass(frozen=True)
class IndicatorReport:
    """Every indicator, per period and breakdown, and the tracking table's rows."""

    tidy: pd.DataFrame
    units: pd.DataFrame
    periods: list[Period]
    as_of: dt.date
    cycle_start: dt.date
    cycle_months: int = 12
    tracking: list[TrackingRow] = field(default_factory=list)
    completeness: Completeness = field(default_factory=lambda: Completeness(0, 0, None, 0))

    @property
    def year(self) -> int:
        """The year of the reference date."""
        return self.as_of.year

    def row(
        self, code: str, period: str = CUMULATIVE, dimension: str = TOTAL, group: str = ALL
    ) -> dict[str, object] | None:
        """One tidy row as a dict, or None."""
        t = self.tidy
        hit = t[(t.code == code) & (t.period == period) & (t.dimension == dimension)
                & (t.group == group)]  # fmt: skip
        return None if hit.empty else hit.iloc[0].to_dict()


def compute_report(inputs: IndicatorInputs) -> IndicatorReport:
    """Compute every indicator of the framework from the snapshot."""
    fw = inputs.framework
    units = pd.DataFrame(compute_units(inputs), columns=UNIT_COLUMNS)
    # A unit with nothing below the line (a pair with no milestone achieved yet, for EVID)
    # adds nothing to a figure, and its person is not "behind" it.
    units = units[units["denominator"] > 0].reset_index(drop=True)
    units = _with_attributes(units, inputs.people)
    periods = quarters(inputs.cycle_start, inputs.cycle_months, inputs.as_of)
    unit_of = {i.code: i.unit for i in fw.indicators}
    comp = unit_of.get("COMP", "number")
    for d in fw.domains:
        unit_of[f"COMP-{d.code}"] = comp
    tidy = _tidy(units, unit_of, _expected(fw, periods, inputs))
    report = IndicatorReport(
        tidy, units, periods, inputs.as_of, inputs.cycle_start, inputs.cycle_months
    )
    tracking = [tracking_row(report, i) for i in fw.indicators]
    return dataclasses.replace(report, tracking=tracking, completeness=completeness(inputs))


def pct_of_target(indicator: Indicator, value: float | None) -> float | None:
    """Achievement against the target, in %: 100 means on target.

    For an indicator to increase, 100 × value / target (above 100 when it is beaten). For one
    to decrease (early endings), 100 when the value is at or below the target, else
    100 × target / value: how far the programme is from bringing it down to the target.
    """
    if value is None or not indicator.target:
        return None
    if indicator.direction == "increase":
        return round(100 * value / indicator.target, 1)
    return 100.0 if value <= indicator.target else round(100 * indicator.target / value, 1)


def _with_attributes(units: pd.DataFrame, people: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Each unit with its person's country, office, sex, level and sector."""
    for dim in DIMENSIONS:
        if dim == "role":
            continue
        facts = {pid: person.get(dim) or NOT_RECORDED for pid, person in people.items()}
        units[dim] = units["subject_id"].map(facts).fillna(NOT_RECORDED)
    units["role"] = units["role"].replace("", NOT_RECORDED)
    # Categories make the breakdowns' group-bys fast on large cohorts.
    for column in ("code", "period", "role", *DIMENSIONS):
        units[column] = units[column].astype("category")
    return units


def _expected(fw: Framework, periods: list[Period], inputs: IndicatorInputs
              ) -> list[tuple[str, str]]:  # fmt: skip
    """(code, period) pairs that always get a total row, data or not: every indicator (and
    COMP by domain) for each begun quarter and cumulatively, SES for each completed month."""
    quarter_codes = [p.code for p in periods] + [CUMULATIVE]
    codes = [i.code for i in fw.indicators] + [f"COMP-{d.code}" for d in fw.domains]
    months = months_completed(inputs.cycle_start, inputs.as_of, inputs.cycle_months)
    out = [(c, p) for c in codes for p in quarter_codes]
    return out + [("SES", f"M{m}") for m in range(1, months + 1)]


def _tidy(units: pd.DataFrame, unit_of: dict[str, str], expected: list[tuple[str, str]]
          ) -> pd.DataFrame:  # fmt: skip
    parts = []
    for dim in (TOTAL, *DIMENSIONS):
        keys = ["code", "period"] + ([] if dim == TOTAL else [dim])
        grouped = units.groupby(keys, sort=True, observed=True)
        sums = grouped[["numerator", "denominator"]].sum()
        people = (
            units.drop_duplicates([*keys, "subject_id"])
            .groupby(keys, sort=True, observed=True)
            .size()
        )
        part = sums.join(people.rename("people"), how="left").reset_index()
        part["dimension"] = dim
        part["group"] = ALL if dim == TOTAL else part[dim].astype(str)
        part["code"] = part["code"].astype(str)
        part["period"] = part["period"].astype(str)
        parts.append(part[["code", "period", "dimension", "group", "numerator", "denominator",
                           "people"]])  # fmt: skip
    tidy = pd.concat(parts, ignore_index=True)
    have = set(zip(tidy.loc[tidy.dimension == TOTAL, "code"],
                   tidy.loc[tidy.dimension == TOTAL, "period"], strict=True))  # fmt: skip
    missing = [(c, p, TOTAL, ALL, 0.0, 0.0, 0) for c, p in expected if (c, p) not in have]
    if missing:
        tidy = pd.concat(
            [tidy, pd.DataFrame(missing, columns=list(tidy.columns))], ignore_index=True
        )
    tidy["people"] = tidy["people"].fillna(0).astype(int)
    tidy["unit"] = [unit_of.get(c, "percent") for c in tidy["code"]]
    tidy["value"] = pd.Series(
        [_value(n, d, u) for n, d, u in zip(tidy["numerator"], tidy["denominator"],
                                           tidy["unit"], strict=True)],
        dtype=object,
    )  # fmt: skip
    order = {c: i for i, c in enumerate(unit_of)}
    tidy["_c"] = tidy["code"].map(order)
    tidy["_p"] = tidy["period"].map(_period_rank)
    tidy["_d"] = tidy["dimension"].map({d: i for i, d in enumerate((TOTAL, *DIMENSIONS))})
    tidy = tidy.sort_values(["_c", "_p", "_d", "group"], kind="stable")
    return tidy[TIDY_COLUMNS].reset_index(drop=True)


def _period_rank(period: str) -> tuple[int, int]:
    if period == CUMULATIVE:
        return (2, 0)
    return (0 if period[0] == "Q" else 1, int(period[1:]))


def _value(num: float, den: float, unit: str) -> float | None:
    if not den:
        return None
    return round(100.0 * num / den if unit == "percent" else num / den, 1)


def tracking_row(
    report: IndicatorReport, indicator: Indicator, code: str | None = None
) -> TrackingRow:
    """One line of the tracking table: the indicator's figures, or those of ``code`` (such as
    ``COMP-data``) under the indicator's target and thresholds."""
    code = code or indicator.code
    by_quarter = {}
    for period in report.periods:
        row = report.row(code, period.code)
        by_quarter[period.code] = number(row["value"]) if row else None
    total = report.row(code) or {}
    value = number(total.get("value"))
    return TrackingRow(
        code=code,
        name=dict(indicator.name),
        kind=indicator.kind,
        unit=indicator.unit,
        baseline=indicator.baseline,
        baseline_note=dict(indicator.baseline_note) if indicator.baseline_note else None,
        target=indicator.target,
        direction=indicator.direction,
        by_quarter=by_quarter,
        cumulative=value,
        numerator=float(total.get("numerator", 0.0)),  # type: ignore[arg-type]
        denominator=float(total.get("denominator", 0.0)),  # type: ignore[arg-type]
        people=int(total.get("people", 0)),  # type: ignore[call-overload]
        pct_of_target=pct_of_target(indicator, value),
        status=status(indicator, value) or "no_data",
        responsible=indicator.responsible,
    )


def number(value: object) -> float | None:
    """A figure as a float, or None for no data (None or NaN)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)  # type: ignore[arg-type]
