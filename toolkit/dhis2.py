"""Indicator values as a DHIS2 data value set (CSV), through the programme's mapping.

DHIS2 reads a data value set CSV by position: data element, period, org unit, category option
combo, attribute option combo, value, stored by, last updated, comment (and follow-up), with a
header row it skips. :data:`DHIS2_COLUMNS` names them in that order.

What goes out, for each indicator in ``export.dhis2.data_elements`` (see
:mod:`toolkit.export_settings`):

- periods: DHIS2 ISO periods. A cycle quarter becomes ``YYYYQn`` only when it is a calendar
  quarter (the cycle starts on 1 January, April, July or October); a cycle month becomes
  ``YYYYMM`` only when the cycle starts on the 1st. Any other period has no DHIS2 equivalent:
  its values are left out with a finding that says what to change. Only periods that ended by
  the reference date go out, since DHIS2 would read a partial quarter's figure as final.
- org units: one per group of ``org_unit_by`` (country or office); category option combos: one
  per group of the optional disaggregation, else the default combo. The engine disaggregates by
  one dimension at a time, so org unit x disaggregation cells are summed here from the
  engine's per-person rows (``report.units``).
- values: numerator, denominator and value, each to its own data element; whole numbers as
  integers, others with at most 2 decimals; a cell whose denominator is 0 sends nothing.

Mapping problems (an unknown indicator code, a country with data but no org unit, a group with
data but no category option combo) are findings located in ``programme.yaml``; when there is
one, no file is written, so DHIS2 never receives a partial picture.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.export_settings import Dhis2Mapping
from toolkit.indicators import IndicatorReport
from toolkit.indicators.periods import add_months, month_bounds, quarter_bounds
from toolkit.messages import Finding, Severity, finding
from toolkit.privacy import MIN_PEOPLE
from toolkit.text import normalise

DHIS2_COLUMNS = [
    "dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo",
    "value", "storedBy", "lastUpdated", "comment",
]  # fmt: skip
STORED_BY = "mentorkit"
_KEY = "export.dhis2"


@dataclass(frozen=True)
class Cell:
    """One org unit (x category option combo) figure of one indicator in one period."""

    org_group: str
    combo_group: str | None
    numerator: float
    denominator: float
    value: float | None
    people: int


@dataclass
class Dhis2Export:
    """The data values to write, or the findings that stop them."""

    rows: list[list[str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    """DHIS2 periods that received values, sorted."""
    not_ended: list[str] = field(default_factory=list)
    """Cycle periods left out because they are not final yet: their quarter's return
    deadline had not passed by the reference date."""
    empty_cells: int = 0
    """Org unit (x combo) cells left out because their denominator is 0."""
    small_rows: int = 0
    """Values written whose figure rests on fewer than 3 people."""

    @property
    def blocked(self) -> bool:
        """Whether a mapping problem stops the file from being written."""
        return any(f.severity is Severity.ERROR for f in self.findings)


def dhis2_values(
    report: IndicatorReport,
    mapping: Dhis2Mapping,
    lines: dict[str, int],
    file: str = "programme.yaml",
    deadline_days: int = 0,
) -> Dhis2Export:
    """The DHIS2 data values of ``report`` under ``mapping``.

    ``lines`` maps dotted keys of programme.yaml to their line (for locating findings). A
    period goes out once it is final: its quarter's return deadline (``deadline_days`` after
    the quarter's end) has passed, so the quarter's workbooks are in; DHIS2 takes a value as
    final.
    """
    out = Dhis2Export()
    where = _Locator(lines, file)
    planned, off_calendar = _plan(report, mapping, where, out, deadline_days)
    out.findings += _calendar_findings(report, off_calendar, where)
    cells = _all_cells(report, mapping, planned)
    org_units = _resolved(mapping.org_units, mapping.org_unit_by)
    dis = mapping.disaggregation
    combos = _resolved(dis.category_option_combos, dis.dimension) if dis else {}
    out.findings += _missing(cells, org_units, combos, mapping, where)
    out.not_ended = sorted(set(out.not_ended), key=period_rank)
    if out.not_ended and not (planned or off_calendar or out.blocked):
        ends = min(final_day(report, p, deadline_days) for p in out.not_ended)
        out.findings.append(
            finding(
                "EXP009", file=file, as_of=report.as_of.isoformat(),
                periods=", ".join(out.not_ended), ends=ends.isoformat(),
            )
        )  # fmt: skip
    if not out.blocked:
        _add_rows(out, cells, mapping, org_units, combos)
    return out


def iso_period(start: dt.date, end: dt.date, *, monthly: bool) -> str | None:
    """The DHIS2 ISO period that runs exactly from ``start`` to ``end``: ``202602`` for a
    calendar month (``monthly``), ``2026Q1`` for a calendar quarter; None when there is none."""
    months = 1 if monthly else 3
    if start.day != 1 or end != add_months(start, months) - dt.timedelta(days=1):
        return None
    if monthly:
        return f"{start.year}{start.month:02d}"
    if start.month % 3 == 1:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return None


def period_bounds(report: IndicatorReport, period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a cycle period: ``Q1``..``Q4``, ``M1``..``M24``, ``cumulative``."""
    if period == "cumulative":
        return report.cycle_start, report.as_of
    if period.startswith("M"):
        return month_bounds(report.cycle_start, int(period[1:]))
    found = next(p for p in report.periods if p.code == period)
    return found.start, found.end


def dhis2_number(value: float | None) -> str:
    """A figure as DHIS2 takes it: whole numbers as integers, others with at most 2 decimals."""
    if value is None or pd.isna(value):
        return ""
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0")


def period_rank(period: str) -> tuple[int, int]:
    """Sort key of cycle periods: Q1..Q4, then M1..M24, then cumulative."""
    kind = {"Q": 0, "M": 1}.get(period[:1], 2)
    return (kind, int(period[1:]) if kind < 2 else 0)


# --- private ---------------------------------------------------------------------------------


def _ordered(codes: set[str]) -> list[str]:
    return sorted(codes, key=lambda c: (c.split("-")[0], c))


class _Locator:
    """Findings located at a key of programme.yaml, with its line when known."""

    def __init__(self, lines: dict[str, int], file: str) -> None:
        self.lines, self.file = lines, file

    def location(self, key: str) -> str:
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            line = self.lines.get(".".join(parts[:n]))
            if line:
                return f"{key} (line {line})"
        return key

    def finding(self, code: str, key: str, **facts: Any) -> Finding:
        return finding(code, file=self.file, location=self.location(key), **facts)


def final_day(report: IndicatorReport, period: str, deadline_days: int) -> dt.date:
    """The return deadline of the quarter a cycle period (``Q2``, ``M5``) belongs to: the day
    after which its figures are final."""
    quarter = (int(period[1:]) - 1) // 3 + 1 if period.startswith("M") else int(period[1:])
    end = quarter_bounds(report.cycle_start, report.cycle_months, quarter)[1]
    return end + dt.timedelta(days=deadline_days)


def _plan(
    report: IndicatorReport,
    mapping: Dhis2Mapping,
    where: _Locator,
    out: Dhis2Export,
    deadline_days: int,
) -> tuple[list[tuple[str, str, str]], dict[str, list[str]]]:
    """Which (code, cycle period, DHIS2 period) go out; which cycle periods have no DHIS2
    period (with the codes they hold). Unknown codes and periods not ended go into ``out``."""
    tidy: pd.DataFrame = report.tidy
    known = set(tidy["code"]) | {t.code for t in report.tracking}
    planned: list[tuple[str, str, str]] = []
    off_calendar: dict[str, list[str]] = {}
    for code, elements in mapping.data_elements.items():
        key = f"{_KEY}.data_elements.{code}"
        if code not in known:
            allowed = ", ".join(_ordered(known))
            out.findings.append(where.finding("EXP002", key, value=code, allowed=allowed))
            continue
        present = set(tidy.loc[tidy["code"] == code, "period"])
        months = sorted((p for p in present if p.startswith("M")), key=period_rank)
        monthly = (elements.period or ("monthly" if months else "quarterly")) == "monthly"
        if monthly and not months:
            out.findings.append(where.finding("EXP007", f"{key}.period", value=code))
            continue
        cycle_periods = months if monthly else [p.code for p in report.periods if p.code in present]
        for period in cycle_periods:
            start, end = period_bounds(report, period)
            if final_day(report, period, deadline_days) >= report.as_of:
                out.not_ended.append(period)  # its workbooks may still come in
            elif (iso := iso_period(start, end, monthly=monthly)) is None:
                off_calendar.setdefault(period, []).append(code)
            else:
                planned.append((code, period, iso))
    return planned, off_calendar


def _add_rows(
    out: Dhis2Export,
    cells: dict[tuple[str, str, str], list[Cell]],
    mapping: Dhis2Mapping,
    org_units: dict[str, str],
    combos: dict[str, str],
) -> None:
    """One row per data element of each cell with a non-zero denominator."""
    dis = mapping.disaggregation
    for (code, _period, iso), cell_list in cells.items():
        for cell in cell_list:
            if not cell.denominator:
                out.empty_cells += 1
                continue
            ou = org_units[_match_key(cell.org_group, mapping.org_unit_by)]
            coc = mapping.category_option_combo
            if dis is not None and cell.combo_group is not None:
                coc = combos[_match_key(cell.combo_group, dis.dimension)]
            figures = {"numerator": cell.numerator, "denominator": cell.denominator,
                       "value": cell.value}  # fmt: skip
            for role, element in mapping.data_elements[code].mapped():
                out.rows.append([
                    element, iso, ou, coc, mapping.attribute_option_combo,
                    dhis2_number(figures[role]), STORED_BY, "",
                    f"{code} {role}; n={cell.people}",
                ])  # fmt: skip
                out.small_rows += cell.people < MIN_PEOPLE
            if iso not in out.periods:
                out.periods.append(iso)
    out.periods.sort()


def _calendar_findings(
    report: IndicatorReport, off: dict[str, list[str]], where: _Locator
) -> list[Finding]:
    out = []
    for period in sorted(off, key=period_rank):
        start, end = period_bounds(report, period)
        code = "EXP006" if period.startswith("M") else "EXP005"
        out.append(
            where.finding(
                code, "cycle.start_date", period=period, start=start.isoformat(),
                end=end.isoformat(), value=", ".join(off[period]),
            )
        )  # fmt: skip
    return out


def _all_cells(
    report: IndicatorReport, mapping: Dhis2Mapping, planned: list[tuple[str, str, str]]
) -> dict[tuple[str, str, str], list[Cell]]:
    """The figures of each planned (code, period, DHIS2 period), by org unit group and, with a
    disaggregation, by its group too."""
    if mapping.disaggregation is None:
        return {key: _single_cells(report.tidy, key[0], key[1], mapping.org_unit_by)
                for key in planned}  # fmt: skip
    unit_of = dict(zip(report.tidy["code"], report.tidy["unit"], strict=True))
    return {
        key: _cross_cells(
            report.units, key[0], key[1], mapping.org_unit_by, mapping.disaggregation.dimension,
            str(unit_of[key[0]]),
        )
        for key in planned
    }  # fmt: skip


def _single_cells(tidy: pd.DataFrame, code: str, period: str, dimension: str) -> list[Cell]:
    chosen = (tidy["code"] == code) & (tidy["period"] == period) & (tidy["dimension"] == dimension)
    rows = tidy[chosen].sort_values("group", kind="stable")
    return [
        Cell(str(r.group), None, float(r.numerator), float(r.denominator),
             None if r.value is None or pd.isna(r.value) else float(r.value), int(r.people))
        for r in rows.itertuples(index=False)
    ]  # fmt: skip


def _cross_cells(
    units: pd.DataFrame, code: str, period: str, org_by: str, combo_by: str, unit: str
) -> list[Cell]:
    """Sums of the engine's units (one per pair, or mentor, and period) by two dimensions at
    once, the way the engine sums them by one: people are distinct subjects with a non-zero
    denominator."""
    rows = units[(units["code"] == code) & (units["period"] == period)]
    cells = []
    for (org, combo), part in rows.groupby([org_by, combo_by], sort=True, observed=True):
        num, den = float(part["numerator"].sum()), float(part["denominator"].sum())
        people = int(part.loc[part["denominator"] > 0, "subject_id"].nunique())
        cells.append(Cell(str(org), str(combo), num, den, _value(unit, num, den), people))
    return cells


def _value(unit: str, numerator: float, denominator: float) -> float | None:
    """The engine's value rule (percent in 0-100, others a mean), rounded to 1 decimal."""
    if not denominator:
        return None
    return round((100.0 if unit == "percent" else 1.0) * numerator / denominator, 1)


def _match_key(group: str, dimension: str) -> str:
    """How a group and a mapping key are compared: ISO codes by upper case, other names as
    :func:`~toolkit.text.normalise` does (case, accents, spaces)."""
    return group.strip().upper() if dimension == "country" else normalise(group)


def _resolved(table: dict[str, str], dimension: str) -> dict[str, str]:
    return {_match_key(k, dimension): v for k, v in table.items()}


def _missing(
    cells: dict[tuple[str, str, str], list[Cell]],
    org_units: dict[str, str],
    combos: dict[str, str],
    mapping: Dhis2Mapping,
    where: _Locator,
) -> list[Finding]:
    """A finding for each group with data (a non-zero denominator) that the mapping lacks."""
    lacking_org: dict[str, set[str]] = {}
    lacking_combo: dict[str, set[str]] = {}
    for (code, _period, _iso), cell_list in cells.items():
        for cell in cell_list:
            if not cell.denominator:
                continue
            if _match_key(cell.org_group, mapping.org_unit_by) not in org_units:
                lacking_org.setdefault(cell.org_group, set()).add(code)
            dis = mapping.disaggregation
            if (
                dis is not None
                and cell.combo_group is not None
                and _match_key(cell.combo_group, dis.dimension) not in combos
            ):
                lacking_combo.setdefault(cell.combo_group, set()).add(code)
    out = [
        where.finding(
            "EXP003", f"{_KEY}.org_units", value=group, dimension=mapping.org_unit_by,
            indicators=", ".join(_ordered(codes)),
        )
        for group, codes in sorted(lacking_org.items())
    ]  # fmt: skip
    if mapping.disaggregation:
        out += [
            where.finding(
                "EXP004", f"{_KEY}.disaggregation.category_option_combos", value=group,
                dimension=mapping.disaggregation.dimension, indicators=", ".join(_ordered(codes)),
            )
            for group, codes in sorted(lacking_combo.items())
        ]  # fmt: skip
    return out
