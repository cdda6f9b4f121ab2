"""Small-cell suppression: fewer than 3 people hidden, and no hidden cell recoverable."""

from __future__ import annotations

import pandas as pd

from toolkit.privacy import suppressed


def _tidy(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [("SES", "cumulative", dim, group, 1.0, 2.0, 50.0, people, "percent")
         for dim, group, people in rows],
        columns=["code", "period", "dimension", "group", "numerator", "denominator", "value",
                 "people", "unit"],
    )  # fmt: skip


def test_fewer_than_three_people_are_hidden_and_the_next_smallest_group_too() -> None:
    t = _tidy([("total", "all", 12), ("country", "KE", 2), ("country", "SN", 4),
               ("country", "CD", 6), ("sex", "female", 6), ("sex", "male", 6)])  # fmt: skip
    hide = dict(zip(t["group"], suppressed(t), strict=True))
    assert hide == {"all": False, "KE": True, "SN": True, "CD": False, "female": False,
                    "male": False}  # fmt: skip


def test_two_hidden_groups_need_no_third_and_empty_rows_hide_nothing() -> None:
    t = _tidy([("total", "all", 9), ("level", "junior", 1), ("level", "mid", 2),
               ("level", "senior", 6), ("role", "mentee", 0)])  # fmt: skip
    assert list(suppressed(t)) == [False, True, True, False, False]


def test_a_tiny_total_is_hidden() -> None:
    t = _tidy([("total", "all", 2), ("sex", "female", 1), ("sex", "male", 1)])
    assert list(suppressed(t)) == [True, True, True]


def test_a_hidden_quarter_cannot_be_worked_out_from_the_cycle_to_date() -> None:
    rows = [("SATE", "Q1", 13), ("SATE", "Q2", 13), ("SATE", "Q3", 1), ("SATE", "cumulative", 13),
            ("COMP", "Q1", 13), ("COMP", "Q2", 1), ("COMP", "cumulative", 13)]  # fmt: skip
    t = pd.DataFrame(
        [(code, period, "total", "all", 1.0, 2.0, 50.0, people, "mean_rating")
         for code, period, people in rows],
        columns=["code", "period", "dimension", "group", "numerator", "denominator", "value",
                 "people", "unit"],
    )  # fmt: skip
    from toolkit.privacy import suppression

    # SATE adds up over quarters: Q3 is small, and Q1 (the smallest, then first) protects it.
    # COMP measures a state at each quarter's end: its quarters do not add up.
    assert list(suppression(t)) == ["protect", "", "small", "", "", "small", ""]


def test_a_hidden_month_cannot_be_worked_out_from_its_quarter() -> None:
    rows = [("M1", 2), ("M2", 5), ("M3", 4), ("M4", 5), ("Q1", 5), ("Q2", 5),
            ("cumulative", 5)]  # fmt: skip
    t = pd.DataFrame(
        [("SES", period, "total", "all", 1.0, 2.0, 50.0, people, "percent")
         for period, people in rows],
        columns=["code", "period", "dimension", "group", "numerator", "denominator", "value",
                 "people", "unit"],
    )  # fmt: skip
    from toolkit.privacy import suppression

    assert list(suppression(t)) == ["small", "", "protect", "", "", "", ""]
