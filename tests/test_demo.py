"""The demo plays a whole year: four return rounds, and the situations the indicators and the
follow-up list must find, in the ledger it leaves (read back, not taken from the demo's own
constants alone)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from toolkit.cli.demo import (
    EVIDENCE,
    MISSED,
    NOTES,
    OBSERVATIONS,
    PROGRESS,
    STRUGGLES,
    DemoResult,
    run_demo,
    where_to_look,
)
from toolkit.ledger import Ledger
from toolkit.programme import load_programme


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoResult, dict, list]:
    root = tmp_path_factory.mktemp("demo") / "demo"
    result = run_demo(root, libreoffice=False)
    with Ledger(root / "mentorkit.db") as ledger:
        return result, ledger.current_values(), ledger.submissions()


def _received(submissions: list, pair_id: str) -> list[dt.date]:
    return sorted(
        dt.datetime.fromisoformat(s.received_at).date()
        for s in submissions
        if s.pair_id == pair_id and s.status == "accepted"
    )


def test_four_rounds_one_after_each_quarter(year) -> None:
    result, _, submissions = year
    days = sorted({dt.datetime.fromisoformat(s.received_at).date() for s in submissions})
    assert days == [dt.date(2026, 4, 10), dt.date(2026, 7, 10), dt.date(2026, 10, 9),
                    dt.date(2026, 10, 27), dt.date(2027, 1, 11)]  # fmt: skip
    assert len(result.rounds) == 5  # four rounds and the late return's own sync
    assert result.master is not None and result.master.path.is_file()
    assert _received(submissions, "P013") == []  # the silent pair


def test_returns_late_and_missing(year) -> None:
    result, _, submissions = year
    deadline = load_programme(result.root / "programme.yaml").monitoring.return_deadline_days
    q3_end = dt.date(2026, 9, 30)
    late = [d for d in _received(submissions, "P012") if q3_end < d < dt.date(2027, 1, 1)]
    assert late == [dt.date(2026, 10, 27)] and (late[0] - q3_end).days > deadline
    on_time = [d for d in _received(submissions, "P001") if q3_end < d < dt.date(2027, 1, 1)]
    assert (on_time[0] - q3_end).days <= deadline
    assert _received(submissions, "P014")[-1] == dt.date(2026, 10, 9)  # no Q4 return
    assert _received(submissions, "P001")[-1] == dt.date(2027, 1, 11)


def test_the_year_holds_what_the_follow_up_list_looks_for(year) -> None:
    _, values, _ = year

    def field(pair: str, tool: str, row: str, name: str) -> str:
        return values[pair].get((tool, row, name), "")

    signed = {p for p in values if field(p, "agreement", "", "mentee_signed_on")}
    assert set(values) - signed == {"P011"}
    satisfaction = {
        (p, r): v for p in values for (t, r, f), v in values[p].items()
        if f == "mentee_satisfaction" and v and int(v) <= 2
    }  # fmt: skip
    assert satisfaction == {("P005", "Q2"): "2"}
    support = {(p, r) for p in values for (t, r, f), v in values[p].items()
               if f == "support_needed" and v == "yes"}  # fmt: skip
    assert support == {("P008", "Q3")}
    months = sorted(int(r) for (t, r, f), v in values["P009"].items()
                    if f == "session_date" and v)  # fmt: skip
    assert months[-1] == 7 and len(months) >= 4
    last = dt.date.fromisoformat(values["P009"][("sessions", str(months[-1]), "session_date")])
    assert (dt.date(2026, 12, 31) - last).days > 42


def test_sessions_sprints_and_evidence_are_varied_and_in_the_pair_s_language(year) -> None:
    _, values, _ = year
    attendance = Counter(v for p in values for (t, r, f), v in values[p].items()
                         if f == "attendance")  # fmt: skip
    assert {"both", "postponed", "mentee_absent", "mentor_absent"} <= set(attendance)
    assert attendance["both"] > 5 * (attendance.total() - attendance["both"])
    sprints = Counter(v for p in values for (t, r, f), v in values[p].items()
                      if f == "sprint_deliverable")  # fmt: skip
    assert set(sprints) == {"yes", "no"} and sprints["yes"] > 2 * sprints["no"]
    evidenced = 0
    for pair, vals in values.items():
        lang = "en" if pair <= "P005" else "fr"
        for (tool, row, name), text in vals.items():
            if name == "evidence" and text:
                evidenced += 1
                assert text in EVIDENCE[lang]
                ratings = [vals.get((tool, row, q), "") for q in ("q1", "q2", "q3", "q4")]
                assert max(int(r) for r in ratings if r) >= 3
            elif name in ("discussed", "mentee_progress", "mentor_observations") and text:
                bank = {"discussed": NOTES, "mentee_progress": PROGRESS,
                        "mentor_observations": OBSERVATIONS}[name]  # fmt: skip
                missed = [m[lang] for m in MISSED.values()] + STRUGGLES[lang]
                assert text in bank[lang] or text in missed, (pair, name, text)
            if name == "goals_status":  # the mentee's words match how the quarter went
                progress = vals.get((tool, row, "mentee_progress"), "")
                assert (text == "behind") == (progress == PROGRESS[lang][-1]), (pair, row)
    milestones = sum(1 for p in values for (t, r, f) in values[p] if f == "baseline")
    assert 0 < evidenced < milestones / 2


def test_the_last_words_say_where_to_look_and_what_the_year_holds() -> None:
    said = where_to_look(Path("demo"))
    assert "master.xlsx" in said and "P011 never signs" in said
    assert "P012 returns its Q3 workbook late (2026-10-27)" in said
    assert "Try: mentorkit sync demo" in said
