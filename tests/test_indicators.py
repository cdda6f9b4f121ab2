"""Every indicator against values computed by hand on a small cohort.

The cohort (cycle from 2026-01-01, figures as of 2026-07-20: Q1 and Q2 ended, Q3 begun):

=====  =======  ==========  ==================================================================
pair   mentee   matched     story
=====  =======  ==========  ==================================================================
P1     E1 (KE)  2026-01-05  signed in time; sessions m1 m2 m4 m5 held, m3 postponed, m6 mentee
                            absent; reflections Q1 complete (sprint done), Q2 mentee part only
P2     E2 (SN)  2026-01-05  mentee signed after 30 days; sessions m1 m4; Q1 reflection complete
P3     E3 (KE)  2026-01-05  ended 2026-03-15 (no-fault); E3 re-matched as P4
P4     E3 (KE)  2026-03-20  replacement pair; sessions m4 m5 m6 and one in July
P5     E5 (CD)  2026-01-05  no agreement; sessions m1-m4; ended 2026-05-10 (mentee left)
=====  =======  ==========  ==================================================================
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from toolkit.framework import load_framework
from toolkit.framework_model import status
from toolkit.indicators import (
    DIMENSIONS,
    IndicatorInputs,
    compute_report,
    months_elapsed,
    pct_of_target,
)
from toolkit.ledger import PairEnding, PairRecord, SubmissionRecord

AS_OF = dt.date(2026, 7, 20)
ATTRIBUTES = ("country", "office", "sex", "level", "sector")
PEOPLE = {
    person: dict(zip(ATTRIBUTES, facts.split(","), strict=True))
    for person, facts in {
        "E1": "KE,Nairobi,female,junior,Health",
        "E2": "SN,Dakar,male,junior,WASH",
        "E3": "KE,Nairobi,male,mid,Health",
        "E5": "CD,Goma,female,junior,",
        "M1": "SN,Dakar,female,senior,Health",
        "M2": "KE,Nairobi,male,senior,WASH",
    }.items()
}


def _pair(pid: str, mentor: str, mentee: str, created: str, status: str = "active") -> PairRecord:
    return PairRecord(pid, mentor, mentee, "en", "junior", status, created + "T09:00:00+00:00")


def _received(pid: str, day: str, status: str = "accepted") -> SubmissionRecord:
    return SubmissionRecord(1, day + "T10:00:00+00:00", "", "f", "h", 1, pid, 1, "mentee", status,
                            "", "", "", 0, 0)  # fmt: skip


def _signed(mentor_on: str, mentee_on: str) -> dict:
    form = {"mentor_signature": "Mentor", "mentor_signed_on": mentor_on,
            "mentee_signature": "Mentee", "mentee_signed_on": mentee_on}  # fmt: skip
    return {("agreement", "", field): value for field, value in form.items()}


def _sessions(*held: tuple[int, str], **attendance: str) -> dict:
    out = {("sessions", str(m), "session_date"): day for m, day in held}
    out |= {("sessions", key[1:], "attendance"): v for key, v in attendance.items()}
    return out


VALUES = {
    "P1": _signed("2026-01-20", "2026-01-20")
    | _sessions(
        (1, "2026-01-15"),
        (2, "2026-02-20"),
        (3, "2026-03-20"),
        (4, "2026-04-10"),
        (5, "2026-05-12"),
        (6, "2026-06-15"),
        m3="postponed",
        m6="mentee_absent",
    )
    | {
        ("reflection", "Q1", "mentee_progress"): "Drafted two indicators",
        ("reflection", "Q1", "mentee_satisfaction"): "5",
        ("reflection", "Q1", "mentor_satisfaction"): "4",
        ("reflection", "Q1", "goals_status"): "on_track",
        ("reflection", "Q1", "sprint_deliverable"): "yes",
        ("reflection", "Q2", "mentee_satisfaction"): "2",
        ("reflection", "Q2", "goals_status"): "behind",
        ("reflection", "Q2", "sprint_deliverable"): "no",
        ("competencies", "TEC-J1", "baseline"): "1",
        ("competencies", "TEC-J1", "q1"): "2",
        ("competencies", "TEC-J1", "q2"): "3",
        ("competencies", "TEC-J1", "evidence"): "Redrafted the logframe",
        ("competencies", "TEC-J2", "baseline"): "2",
        ("competencies", "TEC-J2", "q1"): "3",
        ("competencies", "EVA-J1", "baseline"): "2",
        ("competencies", "EVA-J1", "q1"): "3",
        ("competencies", "EVA-J1", "q2"): "4",
        ("competencies", "EVA-J1", "evidence"): "ToR",
        ("competencies", "DAT-J1", "baseline"): "1",
        ("competencies", "DAT-J1", "q2"): "2",
        ("competencies", "COM-J1", "baseline"): "1",  # no later rating
        ("competencies", "STR-J1", "q1"): "2",  # no baseline
    },
    "P2": _signed("2026-01-10", "2026-02-20")
    | _sessions((1, "2026-01-28"), (4, "2026-04-30"))
    | {
        ("reflection", "Q1", "mentee_satisfaction"): "3",
        ("reflection", "Q1", "mentor_observations"): "Keen and prepared",
        ("reflection", "Q1", "goals_status"): "achieved",
        ("competencies", "TEC-J1", "baseline"): "2",
        ("competencies", "TEC-J1", "q1"): "2",
        ("competencies", "EVA-J1", "baseline"): "1",
        ("competencies", "EVA-J1", "q1"): "2",
        ("competencies", "DAT-J1", "baseline"): "1",
        ("competencies", "DAT-J1", "q1"): "2",
    },
    "P3": _signed("2026-01-10", "2026-01-10") | _sessions((1, "2026-01-20"), (2, "2026-02-18")),
    "P4": _signed("2026-03-25", "2026-03-25")
    | _sessions((4, "2026-04-05"), (5, "2026-05-05"), (6, "2026-06-05"), (7, "2026-07-01")),
    "P5": _sessions((1, "2026-01-20"), (2, "2026-02-20"), (3, "2026-03-20"), (4, "2026-04-20")),
}


def _inputs(as_of: dt.date = AS_OF, **changes: object) -> IndicatorInputs:
    values = dict(
        pairs=[
            _pair("P1", "M1", "E1", "2026-01-05"),
            _pair("P2", "M2", "E2", "2026-01-05"),
            _pair("P3", "M1", "E3", "2026-01-05", "ended"),
            _pair("P4", "M2", "E3", "2026-03-20"),
            _pair("P5", "M2", "E5", "2026-01-05", "ended"),
        ],
        values=VALUES,
        submissions=[
            _received("P1", "2026-04-08"),
            _received("P1", "2026-07-10"),
            _received("P2", "2026-04-20"),  # late for Q1, and too early for Q2
            _received("P4", "2026-07-01", "quarantined"),
            _received("P5", "2026-04-02"),
        ],
        cycle_start=dt.date(2026, 1, 1),
        cycle_months=12,
        as_of=as_of,
        framework=load_framework(),
        people=PEOPLE,
        endings=[
            PairEnding("P3", "no-fault", "2026-03-15", "t"),
            PairEnding("P5", "mentee-left", "2026-05-10", "t"),
        ],
        return_deadline_days=14,
    )
    values.update(changes)
    return IndicatorInputs(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def report():
    return compute_report(_inputs())


def _figure(report, code: str, period: str = "cumulative", dim: str = "total", group: str = "all"):
    row = report.row(code, period, dim, group)
    assert row is not None, (code, period, dim, group)
    return row["numerator"], row["denominator"], row["value"]


# Each expectation is worked out in the comment beside it from the cohort above.
HAND = {
    # AGR30: 30-day deadlines Feb 4 (P1 P2 P3 P5, Q1) and Apr 19 (P4, Q2); in time P1 P3 P4.
    ("AGR30", "Q1"): (2, 4, 50.0), ("AGR30", "Q2"): (1, 1, 100.0),
    ("AGR30", "cumulative"): (3, 5, 60.0),
    # SES: due pair-months P1 6, P2 6, P3 2, P4 4 (m3-m6), P5 4 = 22; held 4+2+2+3+4 = 15.
    ("SES", "Q1"): (8, 12, 66.7), ("SES", "Q2"): (7, 10, 70.0), ("SES", "M4"): (4, 4, 100.0),
    # Month 3: P1 (postponed), P2 (none), P4 (matched Mar 20: none), P5 (held); P3 had ended.
    ("SES", "M3"): (1, 4, 25.0), ("SES", "cumulative"): (15, 22, 68.2),
    # FREQ: Q1 end: P1 P2 P4 P5 active; P2 has a 62-day gap. Q2 end: P1 (49 days Feb 20 to
    # Apr 10) and P2 fail, P4 passes. To Jul 20: P4 only (its July session closes the gap).
    ("FREQ", "Q1"): (3, 4, 75.0), ("FREQ", "Q2"): (1, 3, 33.3), ("FREQ", "Q3"): (1, 3, 33.3),
    ("FREQ", "cumulative"): (1, 3, 33.3),
    # REF/SPR: due Q1 P1 P2 P4 P5, Q2 P1 P2 P4; complete Q1 P1 P2; sprint done Q1 P1.
    ("REF", "Q1"): (2, 4, 50.0), ("REF", "Q2"): (0, 3, 0.0), ("REF", "cumulative"): (2, 7, 28.6),
    ("SPR", "Q1"): (1, 4, 25.0), ("SPR", "cumulative"): (1, 7, 14.3),
    # RET: Q1 window Mar 1-Apr 14: P1 P5 (P2's Apr 20 is late); Q2 window Jun 1-Jul 14: P1
    # (P2's April return is not a Q2 workbook; P4's was quarantined).
    ("RET", "Q1"): (2, 4, 50.0), ("RET", "Q2"): (1, 3, 33.3), ("RET", "cumulative"): (3, 7, 42.9),
    # REM/END over the 4 original pairs P1 P2 P3 P5: P3 re-matched (Q1), P5 left (Q2).
    ("REM", "Q1"): (1, 4, 25.0), ("REM", "Q2"): (0, 4, 0.0), ("REM", "cumulative"): (1, 4, 25.0),
    ("END", "Q1"): (0, 4, 0.0), ("END", "Q2"): (1, 4, 25.0), ("END", "cumulative"): (1, 4, 25.0),
    # Competencies of the active pairs P1 P2 (P4 has none). Latest to date: P1 TEC-J1 +2,
    # TEC-J2 +1, EVA-J1 +2, DAT-J1 +1; P2 TEC-J1 0, EVA-J1 +1, DAT-J1 +1: 8 points / 7.
    ("COMP", "cumulative"): (8, 7, 1.1), ("COMP-technical", "cumulative"): (3, 3, 1.0),
    ("COMP-evaluation", "cumulative"): (3, 2, 1.5), ("COMP-data", "cumulative"): (2, 2, 1.0),
    ("COMP-communication", "cumulative"): (0, 0, None),
    # Q1 only: P1 TEC-J1 +1, TEC-J2 +1, EVA-J1 +1; P2 0, +1, +1: 5 / 6.
    ("COMP", "Q1"): (5, 6, 0.8),
    # MIL: rated milestones P1 5 (3 at 3+), P2 3 (none); Q1: P1 4 (2), P2 3 (0).
    ("MIL", "cumulative"): (3, 8, 37.5), ("MIL", "Q1"): (2, 7, 28.6),
    # EVID: achieved P1 TEC-J1 (evidence), TEC-J2, EVA-J1 (evidence); Q1: TEC-J2, EVA-J1.
    ("EVID", "cumulative"): (2, 3, 66.7), ("EVID", "Q1"): (1, 2, 50.0),
    # ADV3: P1 rises 1.5, 2, 1 in 3 domains; P2 0, 1, 1. In Q1 P1 has only 2 domains rated.
    ("ADV3", "cumulative"): (1, 2, 50.0), ("ADV3", "Q1"): (0, 1, 0.0),
    # SATE: Q1 5 and 3, Q2 2; SATR: Q1 4; GOAL: Q1 on track, achieved; Q2 behind.
    ("SATE", "Q1"): (8, 2, 4.0), ("SATE", "Q2"): (2, 1, 2.0), ("SATE", "cumulative"): (10, 3, 3.3),
    ("SATR", "cumulative"): (4, 1, 4.0), ("GOAL", "Q1"): (2, 2, 100.0),
    ("GOAL", "Q2"): (0, 1, 0.0), ("GOAL", "cumulative"): (2, 3, 66.7),
}  # fmt: skip


@pytest.mark.parametrize(("code", "period"), sorted(HAND))
def test_indicator_equals_the_value_computed_by_hand(report, code: str, period: str) -> None:
    assert _figure(report, code, period) == HAND[(code, period)]


def test_every_framework_indicator_is_computed_and_checked_by_hand(report) -> None:
    codes = {i.code for i in load_framework().indicators}
    assert {code for code, _ in HAND} >= codes
    assert [t.code for t in report.tracking] == [i.code for i in load_framework().indicators]


def test_breakdowns_by_hand(report) -> None:
    # SES by the mentee's country: KE = E1 (6 due, 4 held) + E3 (P3 2/2, P4 4/3).
    assert _figure(report, "SES", "cumulative", "country", "KE") == (9, 12, 75.0)
    assert _figure(report, "SES", "cumulative", "country", "CD") == (4, 4, 100.0)
    assert report.row("SES", "cumulative", "country", "KE")["people"] == 2
    assert _figure(report, "SES", "cumulative", "sector", "not recorded") == (4, 4, 100.0)
    # SATR is the mentor's: disaggregated by the mentor's attributes and role.
    assert _figure(report, "SATR", "cumulative", "role", "mentor") == (4, 1, 4.0)
    assert _figure(report, "SATR", "cumulative", "country", "SN") == (4, 1, 4.0)
    assert report.row("SATR", "cumulative", "role", "mentee") is None


def _parts_add_up(report) -> None:
    t = report.tidy
    totals = t[t.dimension == "total"].set_index(["code", "period"])
    for dim in DIMENSIONS:
        sums = t[t.dimension == dim].groupby(["code", "period"])[["numerator", "denominator"]].sum()
        for key, row in sums.iterrows():
            assert row["numerator"] == pytest.approx(totals.loc[key, "numerator"]), (dim, key)
            assert row["denominator"] == pytest.approx(totals.loc[key, "denominator"]), (dim, key)
        with_data = totals[totals.denominator > 0].index
        assert set(with_data) <= set(sums.index), dim


def test_disaggregated_parts_add_up_to_the_totals(report) -> None:
    _parts_add_up(report)


@pytest.mark.parametrize("seed", range(5))
def test_parts_add_up_on_random_cohorts(seed: int) -> None:
    rng = random.Random(seed)
    fw = load_framework()
    milestones = [m.code for m in fw.milestones if m.level == "junior"]
    pairs, values, people = [], {}, {}
    for n in range(rng.randrange(3, 25)):
        mentee, mentor = f"E{n}", f"M{n % 4}"
        for pid in (mentee, mentor):
            people[pid] = {
                "country": rng.choice(["KE", "SN", "", "CD"]), "office": rng.choice("ABC"),
                "sex": rng.choice(["female", "male", ""]), "level": rng.choice(["junior", "mid"]),
                "sector": rng.choice(["Health", "WASH", ""]),
            }  # fmt: skip
        pid = f"P{n}"
        pairs.append(
            _pair(pid, mentor, mentee, f"2026-0{rng.randrange(1, 5)}-0{rng.randrange(1, 9)}")
        )
        v = {}
        for m in range(1, 13):
            if rng.random() < 0.6:
                v[("sessions", str(m), "session_date")] = f"2026-{m:02d}-1{rng.randrange(10)}"
        for q in range(1, 5):
            for f in ("mentee_satisfaction", "mentor_satisfaction"):
                if rng.random() < 0.7:
                    v[("reflection", f"Q{q}", f)] = str(rng.randrange(1, 6))
            for code in rng.sample(milestones, 5):
                v[("competencies", code, "baseline")] = str(rng.randrange(1, 3))
                v[("competencies", code, f"q{q}")] = str(rng.randrange(1, 5))
        values[pid] = v
    inputs = _inputs(dt.date(2026, rng.randrange(2, 13), 15), pairs=pairs, values=values,
                     people=people, endings=[], submissions=[])  # fmt: skip
    _parts_add_up(compute_report(inputs))


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("SES", 90.0, "green"), ("SES", 89.99, "amber"), ("SES", 75.0, "amber"),
        ("SES", 74.99, "red"), ("SATE", 4.0, "green"), ("SATE", 3.5, "amber"),
        ("SATE", 3.49, "red"), ("END", 10.0, "green"), ("END", 10.01, "amber"),
        ("END", 20.0, "amber"), ("END", 20.01, "red"), ("COMP", 1.0, "green"),
        ("COMP", 0.5, "amber"), ("COMP", 0.49, "red"),
    ],
)  # fmt: skip
def test_status_at_exactly_the_thresholds(code: str, value: float, expected: str) -> None:
    indicator = load_framework().indicator(code)
    assert status(indicator, value) == expected


def test_tracking_rows_carry_target_status_and_percent_of_target(report) -> None:
    rows = {t.code: t for t in report.tracking}
    ses = rows["SES"]
    assert (ses.cumulative, ses.target, ses.status, ses.pct_of_target) == (68.2, 90, "red", 75.8)
    assert ses.by_quarter == {"Q1": 66.7, "Q2": 70.0, "Q3": None}
    assert (ses.numerator, ses.denominator, ses.people) == (15, 22, 4)
    end = rows["END"]  # to decrease: 25% against a target of 10%
    assert (end.status, end.pct_of_target) == ("red", 40.0)
    assert pct_of_target(load_framework().indicator("END"), 5.0) == 100.0
    assert rows["SATR"].status == "green"


def test_nothing_yet_gives_rows_without_values() -> None:
    report = compute_report(_inputs(dt.date(2026, 1, 2), pairs=[], values={}, submissions=[],
                                    endings=[]))  # fmt: skip
    totals = report.tidy[report.tidy.dimension == "total"]
    assert totals["value"].isna().all()
    assert {t.status for t in report.tracking} == {"no_data"}
    assert [p.code for p in report.periods] == ["Q1"]


def test_a_reference_date_before_the_cycle_starts_gives_no_figures() -> None:
    # The pairs are built (and the master written) in December, before a January cycle.
    pairs = [_pair("P1", "M1", "E1", "2025-12-12"), _pair("P2", "M2", "E2", "2025-12-12")]
    report = compute_report(_inputs(dt.date(2025, 12, 12), pairs=pairs, values={},
                                    submissions=[], endings=[]))  # fmt: skip
    totals = report.tidy[report.tidy.dimension == "total"].set_index("code")
    # The pairs are matched and none has ended or been re-matched; nothing else is due yet.
    assert totals.loc[["REM", "END"], "value"].tolist() == [0.0, 0.0]
    assert totals.drop(["REM", "END"])["value"].isna().all()


def test_months_elapsed_boundaries() -> None:
    start = dt.date(2026, 1, 15)
    assert months_elapsed(start, dt.date(2026, 1, 1), 12) == 0
    assert months_elapsed(start, dt.date(2026, 2, 14), 12) == 0
    assert months_elapsed(start, dt.date(2026, 2, 15), 12) == 1
    assert months_elapsed(start, dt.date(2028, 1, 1), 12) == 12


def _one_pair(values: dict, as_of: dt.date, **changes: object):
    return compute_report(_inputs(as_of, pairs=[_pair("P1", "M1", "E1", "2026-01-05")],
                                  values={"P1": values}, endings=[], **changes))  # fmt: skip


def test_freq_judges_each_quarter_by_the_gaps_that_end_in_it() -> None:
    # Jan 5 (match) -> Jan 10 -> Mar 30 (79 days) -> Apr 20 -> May 20 -> Jun 20 -> Jun 30.
    held = _sessions((1, "2026-01-10"), (3, "2026-03-30"), (4, "2026-04-20"), (5, "2026-05-20"),
                     (6, "2026-06-20"))  # fmt: skip
    report = _one_pair(held, dt.date(2026, 6, 30))
    assert [_figure(report, "FREQ", q)[:2] for q in ("Q1", "Q2", "cumulative")] == [
        (0, 1), (1, 1), (0, 1),
    ]  # fmt: skip


def test_the_reference_date_counts_in_full() -> None:
    # As of a quarter's last day, that quarter and its last month are over.
    held = _sessions(*((m, f"2026-{m:02d}-10") for m in range(1, 7)))
    report = _one_pair(held, dt.date(2026, 6, 30))
    assert [p.complete for p in report.periods] == [True, True]
    assert _figure(report, "SES", "M6") == (1, 1, 100.0)
    assert _figure(report, "SES", "cumulative") == (6, 6, 100.0)
    assert report.row("SES", "M7") is None


def test_freq_after_the_cycle_looks_at_the_cycle_only() -> None:
    held = _sessions(*((m, f"2026-{m:02d}-10") for m in range(1, 13)))
    for as_of in (dt.date(2026, 12, 31), dt.date(2027, 3, 1)):
        report = _one_pair(held, as_of)
        assert _figure(report, "FREQ")[:2] == (1, 1), as_of


def test_returns_count_when_sent_and_once_at_most() -> None:
    def returned(*sent: tuple[str, str]) -> list:
        return [SubmissionRecord(i, received + "T10:00:00+00:00", saved, "f", "h", 1, "P1", 1,
                                 "mentee", "accepted", "", "", "", 0, 0)
                for i, (saved, received) in enumerate(sent)]  # fmt: skip

    # Saved on time (Apr 12) but synced late (Apr 20): on time. An April return is not the
    # Q2 workbook (window Jun 1 - Jul 14), and the deadline day itself is on time.
    report = _one_pair({}, dt.date(2026, 7, 20),
                       submissions=returned(("2026-04-12T08:00:00Z", "2026-04-20"),
                                            ("", "2026-07-14")))  # fmt: skip
    assert [_figure(report, "RET", q)[:2] for q in ("Q1", "Q2")] == [(1, 1), (1, 1)]
    report = _one_pair({}, dt.date(2026, 7, 20),
                       submissions=returned(("", "2026-04-10"), ("", "2026-07-15")))  # fmt: skip
    assert [_figure(report, "RET", q)[:2] for q in ("Q1", "Q2")] == [(1, 1), (0, 1)]


def test_a_past_reference_date_ignores_what_came_later(tmp_path) -> None:
    from toolkit import yamlio
    from toolkit.indicators import inputs_from_ledger
    from toolkit.ledger import Ledger, MatchingStore
    from toolkit.programme import Programme, programme_template

    programme = Programme.model_validate(yamlio.safe_load(programme_template(
        programme_id="t", name="T", cohort="2026-A", start_date=dt.date(2026, 1, 1))))  # fmt: skip
    with Ledger(tmp_path / "l.db", create=True) as ledger:
        ledger.init_programme("t", "2026-A", "s", "2026-01-01T00:00:00+00:00")
        for mentor, made in (("M1", "2026-01-05"), ("M2", "2026-05-20")):  # P001, then P002
            ledger.ensure_pair(mentor, "E1", "en", "junior", made + "T09:00:00+00:00")
        MatchingStore(ledger).end_pair("P001", "no-fault", "2026-05-10", "2026-05-10T00:00:00Z")
        key = ("reflection", "Q1", "mentee_satisfaction")
        for day, score in (("2026-04-08", "4"), ("2026-05-02", "2")):  # a later answer
            sid = ledger.add_submission(_received("P001", day))
            ledger.add_values(sid, "P001", {key: score})
        before = inputs_from_ledger(ledger, programme, load_framework(), dt.date(2026, 4, 20))
        after = inputs_from_ledger(ledger, programme, load_framework(), dt.date(2026, 6, 1))
    assert [(p.pair_id, p.status) for p in before.pairs] == [("P001", "active")]
    assert before.endings == [] and len(before.submissions) == 1
    assert before.values["P001"][key] == "4" and after.values["P001"][key] == "2"
    assert {p.pair_id: p.status for p in after.pairs} == {"P001": "ended", "P002": "active"}


def test_a_quarter_nobody_rated_stays_empty() -> None:
    ratings = {("competencies", "TEC-J1", "baseline"): "1", ("competencies", "TEC-J1", "q1"): "3"}
    report = _one_pair(ratings, dt.date(2026, 11, 20))
    assert _figure(report, "COMP", "Q1") == (2, 1, 2.0)
    assert _figure(report, "COMP", "Q3") == (0, 0, None)  # not the Q1 figure again
    assert _figure(report, "COMP") == (2, 1, 2.0)
    # EVID: the achieved milestone has no evidence, and a pair with nothing achieved would add
    # no one behind the figure.
    assert report.row("EVID")["people"] == 1
