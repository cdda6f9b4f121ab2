"""Programme indicators, computed with pandas from the ledger's current view.

Each indicator row carries its numerator and denominator, so a reader sees how much data is
behind a figure. Values are computed here and written as values (never as formulas whose cached
result a viewer might show as 0).

The first set, from the walking skeleton:

========  ==========================================================================
AGR       % of active pairs with a signed agreement (both signatures and dates)
SES       sessions held against sessions planned to date (held: a date, not postponed);
          each pair plans one a month from the month it was created (issued) and, for an
          ended pair, up to its end
REF-Qn    % of pairs due a quarter-n reflection that have both the mentee and mentor part
          (quarters that have ended by the reference date; a pair is due when it existed
          before the quarter ended and had not ended by then)
RET       % of active pairs that returned at least one accepted workbook
COMP-xxx  mean change in competency rating from baseline to the latest rating, by domain
END       % of original pairs ended before the cycle end with no later pair for the mentee
          (``mentorkit pair end``; ``mentee-left`` included: a departure)
REM       % of original pairs ended whose mentee was given a new mentor (a re-match)

END and REM follow their reference sheets: the denominator is the cycle's original pairs (a
mentee's first pair); replacement pairs are not counted.
========  ==========================================================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from toolkit.framework import Framework
from toolkit.ledger import PairEnding, PairRecord, SubmissionRecord, ValueKey
from toolkit.text import tr

COLUMNS = ["code", "indicator", "breakdown", "numerator", "denominator", "value", "unit"]
QUARTER_FIELDS = ("q1", "q2", "q3", "q4")


@dataclass(frozen=True)
class IndicatorInputs:
    """What indicators are computed from: a snapshot of the ledger and the programme."""

    pairs: list[PairRecord]
    values: dict[str, dict[ValueKey, str]]
    submissions: list[SubmissionRecord]
    cycle_start: dt.date
    cycle_months: int
    as_of: dt.date
    framework: Framework
    lang: str = "en"
    endings: list[PairEnding] = field(default_factory=list)

    def ended_on(self) -> dict[str, dt.date]:
        """Each ended pair's end date (``mentorkit pair end``)."""
        return {e.pair_id: dt.date.fromisoformat(e.ended_on[:10]) for e in self.endings}


def compute_indicators(inputs: IndicatorInputs) -> pd.DataFrame:
    """Every indicator as rows of :data:`COLUMNS`, in a fixed order."""
    active = [p.pair_id for p in inputs.pairs if p.status == "active"]
    long = _long_values(inputs.values, active)
    spans = _pair_spans(inputs)
    rows: list[dict[str, object]] = []
    rows.append(_agreements(long, active))
    rows.append(_sessions(_long_values(inputs.values, list(spans)), spans, inputs))
    rows.extend(_reflections(_long_values(inputs.values, list(spans)), spans, inputs))
    rows.append(_returns(inputs.submissions, active))
    rows.extend(_competencies(long, inputs.framework, inputs.lang))
    rows.extend(_endings_and_rematches(inputs))
    return pd.DataFrame(rows, columns=COLUMNS)


def months_elapsed(start: dt.date, as_of: dt.date, cycle_months: int) -> int:
    """Whole months of the cycle completed by ``as_of`` (0 to ``cycle_months``)."""
    months = (as_of.year - start.year) * 12 + (as_of.month - start.month)
    if as_of.day < start.day:
        months -= 1
    return max(0, min(cycle_months, months))


def _pair_spans(inputs: IndicatorInputs) -> dict[str, tuple[int, int]]:
    """For each pair that plans sessions, the cycle months it covers: (first, until).

    ``first`` is the number of cycle months completed when the pair was created, so the month
    it was created counts; ``until`` the number completed by the reference date or, for an
    ended pair, by its end. An ended pair with no recorded end date is left out.
    """
    start, months = inputs.cycle_start, inputs.cycle_months
    ended_on = inputs.ended_on()
    spans = {}
    for p in inputs.pairs:
        if p.status == "ended" and p.pair_id not in ended_on:
            continue
        created = dt.date.fromisoformat(p.created_at[:10])
        until = min(inputs.as_of, ended_on.get(p.pair_id, inputs.as_of))
        spans[p.pair_id] = (
            months_elapsed(start, created, months),
            months_elapsed(start, until, months),
        )
    return spans


def _long_values(values: dict[str, dict[ValueKey, str]], active: list[str]) -> pd.DataFrame:
    records = [
        (pid, tool, row_key, field, value)
        for pid in active
        for (tool, row_key, field), value in values.get(pid, {}).items()
        if value != ""
    ]
    return pd.DataFrame(records, columns=["pair_id", "tool", "row_key", "field", "value"])


def _ratio(
    code: str, name: str, breakdown: str, num: float, den: int, unit: str = "%"
) -> dict[str, object]:
    value = (100.0 * num / den if unit == "%" else num / den) if den else None
    num = int(num) if float(num).is_integer() else num
    return {
        "code": code, "indicator": name, "breakdown": breakdown, "numerator": num,
        "denominator": den, "value": None if value is None else round(value, 1), "unit": unit,
    }  # fmt: skip


def _tool_wide(long: pd.DataFrame, tool: str) -> pd.DataFrame:
    """One tool's values as a table: a row per (pair, row key), a column per field."""
    part = long[long["tool"] == tool]
    if part.empty:
        return pd.DataFrame(columns=["pair_id", "row_key"])
    return part.pivot_table(
        index=["pair_id", "row_key"], columns="field", values="value", aggfunc="first"
    ).reset_index()


def _agreements(long: pd.DataFrame, active: list[str]) -> dict[str, object]:
    wide = _tool_wide(long, "agreement")
    needed = ["mentor_signature", "mentor_signed_on", "mentee_signature", "mentee_signed_on"]
    signed = 0
    if not wide.empty and all(c in wide for c in needed):
        signed = int(wide[needed].notna().all(axis=1).sum())
    return _ratio("AGR", "Pairs with a signed mentoring agreement", "all", signed, len(active))


def _sessions(
    long: pd.DataFrame, spans: dict[str, tuple[int, int]], inputs: IndicatorInputs
) -> dict[str, object]:
    wide = _tool_wide(long, "sessions")
    held = 0
    if not wide.empty and "session_date" in wide:
        attendance = wide.get("attendance", pd.Series(index=wide.index, dtype=object))
        held = int((wide["session_date"].notna() & (attendance != "postponed")).sum())
    # One session a month, counted from the month the pair was created to its end.
    planned = sum(max(0, until - first) for first, until in spans.values())
    return _ratio("SES", "Sessions held against sessions planned to date", "all", held, planned)


def _reflections(
    long: pd.DataFrame, spans: dict[str, tuple[int, int]], inputs: IndicatorInputs
) -> list[dict[str, object]]:
    wide = _tool_wide(long, "reflection")
    # Only quarters that have ended by the reference date are due, and only from pairs that
    # existed before the quarter ended and had not ended by then.
    quarters = months_elapsed(inputs.cycle_start, inputs.as_of, inputs.cycle_months) // 3
    out = []
    for q in range(1, quarters + 1):
        due = [pid for pid, (first, until) in spans.items() if first < 3 * q <= until]
        complete = 0
        if not wide.empty:
            rows = wide[(wide["row_key"] == f"Q{q}") & wide["pair_id"].isin(due)]
            mentee = _any_filled(rows, ["mentee_progress", "mentee_satisfaction"])
            mentor = _any_filled(rows, ["mentor_observations", "mentor_satisfaction"])
            complete = int((mentee & mentor).sum())
        out.append(
            _ratio(f"REF-Q{q}", "Quarterly reflections completed", f"Q{q}", complete, len(due))
        )
    return out


def _any_filled(rows: pd.DataFrame, columns: list[str]) -> pd.Series:
    present = [c for c in columns if c in rows]
    if not present:
        return pd.Series(False, index=rows.index)
    return rows[present].notna().any(axis=1)


def _returns(submissions: list[SubmissionRecord], active: list[str]) -> dict[str, object]:
    returned = {s.pair_id for s in submissions if s.status == "accepted" and s.pair_id}
    n = len(returned & set(active))
    return _ratio("RET", "Pairs that returned their workbook", "all", n, len(active))


def _competencies(long: pd.DataFrame, framework: Framework, lang: str) -> list[dict[str, object]]:
    wide = _tool_wide(long, "competencies")
    domain_of = {m.code: m.domain for m in framework.milestones}
    changes: dict[str, list[float]] = {d.code: [] for d in framework.domains}
    if not wide.empty and "baseline" in wide:
        for _, row in wide.iterrows():
            baseline = row.get("baseline")
            latest = next(
                (row.get(q) for q in reversed(QUARTER_FIELDS) if pd.notna(row.get(q))), None
            )
            domain = domain_of.get(row["row_key"])
            if domain and pd.notna(baseline) and latest is not None:
                changes[domain].append(float(latest) - float(baseline))
    out = []
    for d in framework.domains:
        values = changes[d.code]
        out.append(
            _ratio(
                f"COMP-{d.code}",
                "Mean competency rating change, baseline to latest",
                tr(d.label, lang),
                sum(values),
                len(values),
                unit="points",
            )
        )
    return out


def _endings_and_rematches(inputs: IndicatorInputs) -> list[dict[str, object]]:
    """END and REM as their reference sheets define them, over the cycle's original pairs.

    An original pair is a mentee's first pair; a later pair of the same mentee is a
    replacement and is not counted. REM: original pairs ended whose mentee has a later pair.
    END: original pairs ended before the cycle end with no later pair for the mentee; a pair
    ended because the mentee left (``mentee-left``) is such an early ending (a departure).
    An ended pair with no recorded end date is taken as ended before the cycle end.
    """
    made = sorted(inputs.pairs, key=lambda p: (p.created_at, len(p.pair_id), p.pair_id))
    first: dict[str, PairRecord] = {}
    for p in made:
        first.setdefault(p.mentee_id, p)
    originals = list(first.values())
    replaced = {p.mentee_id for p in made if first[p.mentee_id] is not p}
    ended_on = inputs.ended_on()
    months = inputs.cycle_months
    ended = [p for p in originals if p.status == "ended"]
    rematched = [p for p in ended if p.mentee_id in replaced]
    early = [
        p
        for p in ended
        if p.mentee_id not in replaced
        and (
            p.pair_id not in ended_on
            or months_elapsed(inputs.cycle_start, ended_on[p.pair_id], months) < months
        )
    ]
    n = len(originals)
    return [
        _ratio("END", "Original pairs ended early, mentee not re-matched", "all", len(early), n),
        _ratio("REM", "Original pairs re-matched", "all", len(rematched), n),
    ]
