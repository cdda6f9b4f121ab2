"""Indicators against values computed by hand on a tiny cohort."""

from __future__ import annotations

import datetime as dt

from toolkit.framework import load_framework
from toolkit.indicators import IndicatorInputs, compute_indicators, months_elapsed
from toolkit.ledger import PairEnding, PairRecord, SubmissionRecord


def _pair(pid: str, status: str = "active") -> PairRecord:
    return PairRecord(pid, "M", "E" + pid, "en", "junior", status, "2026-01-01")


def _submission(pid: str, status: str = "accepted") -> SubmissionRecord:
    return SubmissionRecord(1, "t", "t", "f", "h", 1, pid, 1, "", status, "", "", "", 0, 0)


SIGNED = {
    ("agreement", "", "mentor_signature"): "A",
    ("agreement", "", "mentor_signed_on"): "2026-01-10",
    ("agreement", "", "mentee_signature"): "B",
    ("agreement", "", "mentee_signed_on"): "2026-01-10",
}
VALUES = {
    "P1": SIGNED
    | {
        ("sessions", "1", "session_date"): "2026-01-20",
        ("sessions", "2", "session_date"): "2026-02-20",
        ("sessions", "3", "session_date"): "2026-03-20",
        ("sessions", "3", "attendance"): "postponed",  # not held
        ("reflection", "Q1", "mentee_satisfaction"): "4",
        ("reflection", "Q1", "mentor_observations"): "Good progress",
        ("competencies", "TEC-J1", "baseline"): "1",
        ("competencies", "TEC-J1", "q1"): "3",
        ("competencies", "TEC-J2", "baseline"): "2",
        ("competencies", "TEC-J2", "q1"): "2",
        ("competencies", "TEC-J2", "q2"): "3",
        ("competencies", "DAT-J1", "baseline"): "2",  # no later rating: not counted
    },
    "P2": {
        ("agreement", "", "mentor_signature"): "A",  # half signed
        ("sessions", "1", "session_date"): "2026-01-25",
        ("reflection", "Q1", "mentee_progress"): "Learnt a lot",  # mentor part missing
        ("competencies", "TEC-J1", "baseline"): "2",
        ("competencies", "TEC-J1", "q1"): "2",
    },
    "P3": SIGNED,  # ended: excluded from every indicator
}


def _indicators(as_of: dt.date) -> dict[str, tuple]:
    inputs = IndicatorInputs(
        pairs=[_pair("P1"), _pair("P2"), _pair("P3", "ended")],
        values=VALUES,
        submissions=[_submission("P1"), _submission("P3"), _submission("P2", "quarantined")],
        cycle_start=dt.date(2026, 1, 1),
        cycle_months=12,
        as_of=as_of,
        framework=load_framework(),
    )
    df = compute_indicators(inputs)
    return {row.code: (row.numerator, row.denominator, row.value) for row in df.itertuples()}


def test_indicators_equal_hand_computed_values() -> None:
    got = _indicators(dt.date(2026, 4, 15))
    assert got["AGR"] == (1, 2, 50.0)  # P1 fully signed; P2 not
    assert got["SES"] == (3, 6, 50.0)  # 2 + 1 held; 3 months due × 2 active pairs
    assert got["REF-Q1"] == (1, 2, 50.0)  # only P1 has both parts
    assert "REF-Q2" not in got  # quarter 2 has not ended
    assert got["RET"] == (1, 2, 50.0)  # P2's only return was quarantined; P3 ended
    # Technical: P1 TEC-J1 +2, TEC-J2 +1 (latest q2), P2 TEC-J1 0 → 3 / 3 = 1.0
    assert got["COMP-technical"] == (3, 3, 1.0)
    assert got["COMP-data"][:2] == (0, 0)  # DAT-J1 has a baseline only: no value
    assert got["COMP-data"][2] != got["COMP-data"][2]  # NaN


def test_months_elapsed_boundaries() -> None:
    start = dt.date(2026, 1, 15)
    assert months_elapsed(start, dt.date(2026, 1, 1), 12) == 0
    assert months_elapsed(start, dt.date(2026, 2, 14), 12) == 0
    assert months_elapsed(start, dt.date(2026, 2, 15), 12) == 1
    assert months_elapsed(start, dt.date(2028, 1, 1), 12) == 12


def test_empty_ledger_gives_rows_without_values() -> None:
    inputs = IndicatorInputs([], {}, [], dt.date(2026, 1, 1), 12, dt.date(2026, 1, 2),
                             load_framework())  # fmt: skip
    df = compute_indicators(inputs)
    assert df["value"].isna().all()
    assert set(df["code"]) >= {"AGR", "SES", "RET"}


def test_replacement_and_ended_pairs_count_only_the_months_they_existed() -> None:
    def pair(pid: str, mentee: str, created: str, status: str = "active") -> PairRecord:
        return PairRecord(pid, "M" + pid, mentee, "en", "junior", status, created + "T08:00:00Z")

    pairs = [
        pair("A", "E1", "2026-01-01"),  # months 0-6: 6 planned; Q1 and Q2 due
        pair("B", "E2", "2026-01-01", "ended"),  # ended in month 3: 2 planned; no quarter due
        pair("C", "E2", "2026-04-20"),  # E2's replacement, from month 4: 3 planned; Q2 due
        pair("D", "E3", "2026-01-01", "ended"),  # mentee left in month 5: 4 planned; Q1 due
        pair("E", "E4", "2026-01-01", "ended"),  # ended in month 2, not re-matched: 1 planned
    ]
    endings = [
        PairEnding("B", "no-fault", "2026-03-10", "t"),
        PairEnding("D", "mentee-left", "2026-05-02", "t"),
        PairEnding("E", "no-fault", "2026-02-01", "t"),
    ]
    values = {
        "A": {
            ("sessions", "1", "session_date"): "2026-01-20",
            ("sessions", "2", "session_date"): "2026-02-20",
            ("reflection", "Q1", "mentee_progress"): "Yes",
            ("reflection", "Q1", "mentor_observations"): "Yes",
        },
        "C": {("sessions", "1", "session_date"): "2026-05-20"},
    }
    inputs = IndicatorInputs(
        pairs=pairs, values=values, submissions=[], cycle_start=dt.date(2026, 1, 1),
        cycle_months=12, as_of=dt.date(2026, 7, 15), framework=load_framework(),
        endings=endings,
    )  # fmt: skip
    got = {r.code: (r.numerator, r.denominator) for r in compute_indicators(inputs).itertuples()}
    assert got["SES"] == (3, 6 + 2 + 3 + 4 + 1)
    assert got["REF-Q1"] == (1, 2)  # A and D existed through quarter 1
    assert got["REF-Q2"] == (0, 2)  # A and the replacement C
    # Original pairs A, B, D, E (C replaces B). REM: B, whose mentee has a new mentor. END:
    # D (the mentee left) and E, ended early with no later pair.
    assert got["END"] == (2, 4)
    assert got["REM"] == (1, 4)
