"""The follow-up list: each rule fires exactly at its threshold and not a day before, ended
pairs never appear, conflicts close when the pair settles them, and the sheet holds the rows
and nothing a pair typed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from builders.followup_sheet import add_followup_sheet, band
from builders.xlsx import Book
from sync.run import sync_programme
from toolkit.followup import (
    AGREEMENT_UNSIGNED,
    LOW_SATISFACTION,
    NOT_RETURNED,
    OPEN_CONFLICT,
    RULES,
    SESSION_GAP,
    SUPPORT_REQUESTED,
    FollowUpItem,
    count_by_rule,
    follow_up_items,
    ladder_position,
)
from toolkit.framework import load_framework
from toolkit.indicators.periods import add_months, quarter_bounds
from toolkit.ledger import Conflict, Ledger, MatchingStore, SubmissionRecord, ValueKey
from toolkit.programme import Programme, load_programme, programme_template

FRAMEWORK = load_framework()
D = dt.date


@pytest.fixture
def settings(tmp_path: Path) -> Programme:
    """programme.yaml as init writes it: cycle from 2026-01-01, session gap 42 days, return
    deadline 14 days after each quarter."""
    path = tmp_path / "programme.yaml"
    path.write_text(
        programme_template(programme_id="t", name="T", cohort="2026-A", start_date=D(2026, 1, 1)),
        encoding="utf-8",
    )
    programme = load_programme(path)
    assert (programme.monitoring.session_gap_days, programme.monitoring.return_deadline_days) == (
        42, 14,
    )  # fmt: skip
    return programme


class Cohort:
    """A ledger built by hand: pairs created on given days, returns received on given days."""

    def __init__(self, path: Path, programme: Programme) -> None:
        self.ledger = Ledger(path, create=True)
        self.ledger.init_programme("t", "2026-A", "secret", "2026-01-01T00:00:00+00:00")
        self.programme = programme

    def pair(self, created: dt.date) -> str:
        n = len(self.ledger.pairs()) + 1
        pair, _ = self.ledger.ensure_pair(
            f"M{n}", f"E{n}", "en", "junior", f"{created}T08:00:00+00:00"
        )
        return pair.pair_id

    def send(
        self,
        pair_id: str,
        received: dt.date,
        values: dict[ValueKey, str],
        *,
        by: str = "mentee",
        snapshot: dict[ValueKey, str] | None = None,
        revision: int = 1,
    ) -> int:
        """An accepted return: ``values`` applied, ``snapshot`` (default: ``values``) held."""
        stamp = f"{received}T10:00:00+00:00"
        sid = self.ledger.add_submission(
            SubmissionRecord(0, stamp, stamp, "f.xlsx", f"sha{received}{by}", 1, pair_id,
                             revision, by, "accepted", "", "", "", len(values), 0)
        )  # fmt: skip
        self.ledger.add_values(sid, pair_id, values)
        self.ledger.add_snapshot(sid, snapshot if snapshot is not None else values)
        return sid

    def items(self, as_of: dt.date, lang: str = "en") -> list[FollowUpItem]:
        return follow_up_items(self.ledger, self.programme, FRAMEWORK, as_of, lang=lang)

    def fired(self, as_of: dt.date, rule: str) -> dict[str, FollowUpItem]:
        return {i.pair_id: i for i in self.items(as_of) if i.rule == rule}


@pytest.fixture
def cohort(tmp_path: Path, settings: Programme) -> Cohort:
    made = Cohort(tmp_path / "mentorkit.db", settings)
    yield made
    made.ledger.close()


def _session(row: str, day: dt.date, attendance: str = "both") -> dict[ValueKey, str]:
    return {
        ("sessions", row, "session_date"): day.isoformat(),
        ("sessions", row, "attendance"): attendance,
    }


SIGNED = {
    ("agreement", "", "mentor_signature"): "A",
    ("agreement", "", "mentor_signed_on"): "2026-01-10",
    ("agreement", "", "mentee_signature"): "B",
    ("agreement", "", "mentee_signed_on"): "2026-01-10",
}


def test_no_session_for_more_than_42_days(cohort: Cohort) -> None:
    met = cohort.pair(D(2026, 1, 1))
    cohort.send(
        met, D(2026, 3, 28),
        _session("1", D(2026, 3, 1))
        | _session("2", D(2026, 3, 20), "postponed")  # not held
        | _session("3", D(2026, 3, 25), "mentor_absent")  # not held
        | _session("4", D(2026, 3, 27), "mentee_absent"),  # not held
    )  # fmt: skip
    cohort.send(met, D(2026, 4, 20), _session("5", D(2026, 5, 2)))  # after the reference date
    never = cohort.pair(D(2026, 1, 1))

    assert cohort.fired(D(2026, 2, 12), SESSION_GAP) == {}  # 42 days since creation
    fired = cohort.fired(D(2026, 2, 13), SESSION_GAP)  # 43 days; met's session came later
    assert sorted(fired) == [met, never]
    item = fired[never]
    assert (item.pair_id, item.since, item.days_open, item.level) == (never, D(2026, 2, 12), 1, 1)
    assert item.facts == "43 days since the pair was created, on 2026-01-01, and no session held"
    assert item.wording == "No session held for more than 42 days"

    assert met not in cohort.fired(D(2026, 4, 12), SESSION_GAP)  # 42 days since 1 March
    item = cohort.fired(D(2026, 4, 13), SESSION_GAP)[met]
    assert (item.since, item.days_open) == (D(2026, 4, 12), 1)
    assert item.facts == "43 days since the last session held, on 2026-03-01"
    # A session logged in a file that arrived after the reference date was not known then.
    late = cohort.pair(D(2026, 1, 1))
    cohort.send(late, D(2026, 3, 10), _session("1", D(2026, 1, 20)))
    cohort.send(late, D(2026, 4, 2), _session("2", D(2026, 3, 1)))
    assert cohort.fired(D(2026, 3, 31), SESSION_GAP)[late].facts.endswith("on 2026-01-20")
    assert late not in cohort.fired(D(2026, 4, 2), SESSION_GAP)
    # Once the cycle is over, no more monthly sessions are due.
    assert never in cohort.fired(D(2026, 12, 31), SESSION_GAP)
    assert cohort.fired(D(2027, 1, 1), SESSION_GAP) == {}


def test_workbook_not_returned_after_the_deadline(cohort: Cohort) -> None:
    assert quarter_bounds(D(2026, 1, 1), 12, 1) == (D(2026, 1, 1), D(2026, 3, 31))
    silent = cohort.pair(D(2026, 1, 1))
    on_deadline = cohort.pair(D(2026, 1, 1))
    cohort.send(on_deadline, D(2026, 4, 14), {("agreement", "", "goal_1"): "x"})
    late = cohort.pair(D(2026, 1, 1))
    cohort.send(late, D(2026, 4, 20), {("agreement", "", "goal_1"): "x"})
    new = cohort.pair(D(2026, 4, 2))  # created after quarter 1 ended: owes no Q1 return

    assert cohort.fired(D(2026, 4, 14), NOT_RETURNED) == {}  # deadline day: not yet late
    fired = cohort.fired(D(2026, 4, 15), NOT_RETURNED)
    assert sorted(fired) == [silent, late]  # late's return had not arrived yet
    item = fired[silent]
    assert (item.since, item.days_open) == (D(2026, 4, 14), 1)
    # The window opens on the quarter's last month, as for the RET indicator; a pair that has
    # never returned anything is told apart.
    assert item.facts == (
        "Q1 workbook due by 2026-04-14; no workbook returned since the pair was created, on "
        "2026-01-01"
    )

    assert sorted(cohort.fired(D(2026, 4, 21), NOT_RETURNED)) == [silent]  # a late return settles
    # At quarter 2's deadline + 1, one item per pair, naming the latest quarter missed. The
    # April returns were quarter 1's workbooks: they do not count for quarter 2 (window from
    # June 1), so every pair owes its Q2 workbook.
    fired = cohort.fired(D(2026, 7, 15), NOT_RETURNED)
    assert sorted(fired) == sorted([silent, on_deadline, late, new])
    assert fired[silent].facts.startswith("Q2 workbook due by 2026-07-14;")
    assert fired[silent].since == D(2026, 7, 14)
    assert fired[late].facts == "Q2 workbook due by 2026-07-14; no return received since 2026-06-01"


def test_satisfaction_of_2_or_less_in_the_latest_rated_quarter(cohort: Cohort) -> None:
    def rated(pair_id: str, who: str, quarter: str, value: str, day: dt.date) -> None:
        cohort.send(pair_id, day, {("reflection", quarter, f"{who}_satisfaction"): value})

    low = cohort.pair(D(2026, 1, 1))
    rated(low, "mentee", "Q1", "3", D(2026, 3, 31))
    rated(low, "mentee", "Q2", "2", D(2026, 6, 30))
    three = cohort.pair(D(2026, 1, 1))
    rated(three, "mentee", "Q2", "3", D(2026, 6, 30))
    mentor_low = cohort.pair(D(2026, 1, 1))
    rated(mentor_low, "mentor", "Q1", "1", D(2026, 4, 2))  # the mentor's latest rating
    rated(mentor_low, "mentee", "Q2", "4", D(2026, 6, 30))
    recovered = cohort.pair(D(2026, 1, 1))
    rated(recovered, "mentee", "Q1", "1", D(2026, 3, 31))
    rated(recovered, "mentee", "Q2", "5", D(2026, 6, 30))

    fired = cohort.fired(D(2026, 7, 1), LOW_SATISFACTION)
    assert sorted(fired) == [low, mentor_low]
    assert (fired[low].facts, fired[low].since) == (
        "Mentee: 2 of 5 in Q2, received on 2026-06-30", D(2026, 6, 30)
    )  # fmt: skip
    assert fired[mentor_low].facts == "Mentor: 1 of 5 in Q1, received on 2026-04-02"
    # The day before the Q2 answers arrived: what was known then (recovered's Q1 rating of 1).
    assert sorted(cohort.fired(D(2026, 6, 29), LOW_SATISFACTION)) == [mentor_low, recovered]


def test_support_requested_in_the_latest_reflection(cohort: Cohort) -> None:
    asked = cohort.pair(D(2026, 1, 1))
    cohort.send(asked, D(2026, 4, 3), {("reflection", "Q1", "support_needed"): "yes"})
    answered = cohort.pair(D(2026, 1, 1))
    cohort.send(answered, D(2026, 4, 3), {("reflection", "Q1", "support_needed"): "yes"})
    cohort.send(answered, D(2026, 7, 3), {("reflection", "Q2", "support_needed"): "no"})

    fired = cohort.fired(D(2026, 7, 4), SUPPORT_REQUESTED)
    assert sorted(fired) == [asked]
    assert (fired[asked].since, fired[asked].days_open) == (D(2026, 4, 3), 92)
    assert fired[asked].facts == "Asked in the Q1 reflection, received on 2026-04-03"


def test_agreement_unsigned_after_30_days(cohort: Cohort) -> None:
    unsigned = cohort.pair(D(2026, 1, 1))
    signed = cohort.pair(D(2026, 1, 1))
    cohort.send(signed, D(2026, 1, 12), SIGNED)
    half = cohort.pair(D(2026, 1, 1))
    cohort.send(half, D(2026, 1, 12), SIGNED | {("agreement", "", "mentee_signed_on"): ""})

    assert cohort.fired(D(2026, 1, 31), AGREEMENT_UNSIGNED) == {}  # 30 days
    fired = cohort.fired(D(2026, 2, 1), AGREEMENT_UNSIGNED)  # 31 days
    assert sorted(fired) == [unsigned, half]
    assert (fired[half].since, fired[half].days_open) == (D(2026, 1, 31), 1)
    assert fired[half].facts == (
        "31 days since the pair was created, on 2026-01-01; missing: the mentee's date"
    )


def test_an_ended_pair_is_never_listed(cohort: Cohort) -> None:
    kept, ended = cohort.pair(D(2026, 1, 1)), cohort.pair(D(2026, 1, 1))
    for pair_id in (kept, ended):
        cohort.send(pair_id, D(2026, 4, 3), {
            ("reflection", "Q1", "support_needed"): "yes",
            ("reflection", "Q1", "mentee_satisfaction"): "1",
        })  # fmt: skip
        first = cohort.send(pair_id, D(2026, 4, 4), {("agreement", "", "goal_1"): "a"}, by="mentor")
        second = cohort.send(pair_id, D(2026, 4, 5), {("agreement", "", "goal_1"): "b"})
        cohort.ledger.add_conflicts(
            second, [Conflict(pair_id, ("agreement", "", "goal_1"), "b", "a", first, "b")]
        )
    MatchingStore(cohort.ledger).end_pair(ended, "no-fault", "2026-05-01", "t")

    items = cohort.items(D(2026, 12, 31))
    assert {i.pair_id for i in items} == {kept}
    assert {i.rule for i in items} == set(RULES)  # every rule fires for the pair kept
    # Before its ending, the ended pair was active, and listed.
    assert {i.pair_id for i in cohort.items(D(2026, 4, 30))} == {kept, ended}


def test_a_conflict_is_listed_until_the_pair_settles_it(cohort: Cohort) -> None:
    key: ValueKey = ("agreement", "", "goal_1")
    p = cohort.pair(D(2026, 1, 1))
    mentor = cohort.send(p, D(2026, 3, 2), {key: "Mentor's wording"}, by="mentor")
    mentee = cohort.send(p, D(2026, 3, 9), {key: "Mentee's wording"})
    cohort.ledger.add_conflicts(
        mentee,
        [Conflict(p, key, "Mentee's wording", "Mentor's wording", mentor, "Mentee's wording")],
    )
    assert cohort.fired(D(2026, 3, 8), OPEN_CONFLICT) == {}  # not recorded yet
    item = cohort.fired(D(2026, 3, 10), OPEN_CONFLICT)[p]
    assert (item.since, item.days_open) == (D(2026, 3, 9), 1)
    assert item.facts == (
        "Values in conflict: 1, the first recorded on 2026-03-09: "
        "sheet 'Agreement', 'Development goal 1'"
    )
    assert "wording" not in item.facts  # never the values the pair typed

    # The copy whose value is current sends it again: the mentor's copy may still differ.
    cohort.send(p, D(2026, 3, 15), {}, snapshot={key: "Mentee's wording"})
    assert p in cohort.fired(D(2026, 3, 16), OPEN_CONFLICT)
    # The mentor's copy comes back holding the current value: settled from that day on.
    cohort.send(p, D(2026, 3, 20), {}, snapshot={key: "Mentee's wording"}, by="mentor")
    assert p in cohort.fired(D(2026, 3, 19), OPEN_CONFLICT)
    assert cohort.fired(D(2026, 3, 20), OPEN_CONFLICT) == {}


def test_a_conflict_is_settled_when_the_pair_types_the_value_again(cohort: Cohort) -> None:
    key: ValueKey = ("sessions", "3", "minutes")
    p = cohort.pair(D(2026, 1, 1))
    first = cohort.send(p, D(2026, 3, 2), {key: "60"}, by="mentor")
    second = cohort.send(p, D(2026, 3, 9), {key: "90"})
    cohort.ledger.add_conflicts(second, [Conflict(p, key, "90", "60", first, "90")])
    # The mentor's copy still holds 60 (it changed nothing): not settled.
    cohort.send(p, D(2026, 3, 12), {}, snapshot={key: "60"}, by="mentor")
    item = cohort.fired(D(2026, 3, 13), OPEN_CONFLICT)[p]
    assert item.facts.endswith("sheet 'Session log', row 3, column 'Minutes'")
    # The mentee types 75 after talking it over: it becomes current, and the conflict closes.
    cohort.send(p, D(2026, 3, 14), {key: "75"})
    assert cohort.fired(D(2026, 3, 15), OPEN_CONFLICT) == {}


def test_the_escalation_ladder_counts_each_level_s_days_in_turn() -> None:
    ladder = FRAMEWORK.governance.escalation
    assert [e.time_limit_days for e in ladder] == [7, 10, 15, 20]

    def at(days: int) -> tuple[int, int, bool]:
        step, end, overdue = ladder_position(ladder, days)
        return step.level, end, overdue

    assert [at(d) for d in (0, 7, 8, 17, 18, 32, 33, 52, 53)] == [
        (1, 7, False), (1, 7, False), (2, 17, False), (2, 17, False), (3, 32, False),
        (3, 32, False), (4, 52, False), (4, 52, False), (4, 52, True),
    ]  # fmt: skip


def test_items_carry_the_ladder_s_owner_action_and_date_and_sort_most_overdue_first(
    cohort: Cohort,
) -> None:
    a, b = cohort.pair(D(2026, 1, 1)), cohort.pair(D(2026, 1, 11))
    cohort.send(a, D(2026, 1, 5), SIGNED | _session("1", D(2026, 1, 5)))
    cohort.send(b, D(2026, 1, 12), SIGNED | _session("1", D(2026, 1, 12)))
    # a: 42-day gap reached on 16 Feb; b: on 23 Feb. As of 25 Feb: 9 and 2 days open.
    items = cohort.items(D(2026, 2, 25))
    assert [(i.pair_id, i.rule, i.days_open) for i in items] == [
        (a, SESSION_GAP, 9), (b, SESSION_GAP, 2),
    ]  # fmt: skip
    first = items[0]
    assert (first.level, first.owner_role, first.owner, first.due_by) == (
        2, "focal_point", "Country focal point", D(2026, 3, 5)
    )  # fmt: skip
    assert first.action.startswith("The country focal point calls each person")
    assert (items[1].level, items[1].owner, items[1].due_by) == (1, "Mentor", D(2026, 3, 2))
    assert count_by_rule(items) == dict.fromkeys(RULES, 0) | {SESSION_GAP: 2}
    assert [band(i) for i in items] == ["escalated", "level1"]

    french = cohort.items(D(2026, 2, 25), lang="fr")
    assert french[0].wording == "Aucune séance tenue depuis plus de 42 jours"
    assert french[0].owner == "Point focal pays"
    assert french[0].facts == "51 jours depuis la dernière séance tenue, le 2026-01-05"


def test_months_are_added_within_the_month() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert quarter_bounds(D(2026, 1, 15), 10, 4) == (D(2026, 10, 15), D(2026, 11, 14))


def _sheet_rows(data: bytes, name: str) -> list[list[object]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_name(name).to_python()


def _render(items: list[FollowUpItem], lang: str = "en") -> bytes:
    book = Book(dt.datetime(2026, 3, 1))
    add_followup_sheet(book, items, lang, "Programme", "As of the day")
    return book.close()


def test_the_sheet_lists_every_item_with_its_dates(cohort: Cohort) -> None:
    a = cohort.pair(D(2026, 1, 1))
    cohort.send(a, D(2026, 4, 3), {("reflection", "Q1", "support_needed"): "yes"})
    items = cohort.items(D(2026, 4, 20))
    rows = _sheet_rows(_render(items), "Follow-up")
    assert rows[0][0] == "Programme: Follow-up"
    header = rows[4]
    assert header == ["Pair", "Rule code", "Rule", "Facts", "Since", "Days open", "Level",
                      "Owner", "Suggested action", "Resolve or escalate by"]  # fmt: skip
    body = [(*r[:3], r[4], r[5], r[6], r[7], r[9]) for r in rows[5:]]
    assert body == [
        (i.pair_id, i.rule, i.wording, i.since, float(i.days_open), float(i.level), i.owner,
         i.due_by)
        for i in items
    ]  # fmt: skip
    assert {r[1] for r in rows[5:]} == {SESSION_GAP, AGREEMENT_UNSIGNED,
                                         SUPPORT_REQUESTED}  # fmt: skip


def test_an_empty_list_says_so_in_the_language_asked() -> None:
    rows = _sheet_rows(_render([]), "Follow-up")
    assert rows[5][0] == "(nothing to follow up)"
    rows = _sheet_rows(_render([], "fr"), "Suivi")
    assert rows[4][0] == "Binôme" and rows[5][0] == "(rien à suivre)"


RETURNED = dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.timezone.utc)


def test_from_real_returns_with_no_name_or_typed_text_in_the_sheet(programme: Path, fill) -> None:
    from tests.conftest import PEOPLE

    mentor, mentee = fill("P001", sender="mentor"), fill("P001", sender="mentee")
    mentor.set("agreement", "goal_1", "Publish the baseline report with my unit")
    mentor.save(programme / "inbox" / "mentor.xlsx", saved_at=dt.datetime(2026, 3, 2, 9, 0))
    mentee.set("agreement", "goal_1", "Lead the district data review alone")
    mentee.set("sessions", "session_date", dt.date(2026, 1, 20), "1")
    mentee.set("sessions", "attendance", "both", "1")
    mentee.set("sessions", "discussed", "Tension with my supervisor about travel", "1")
    mentee.set("reflection", "mentee_progress", "I can now clean survey data", "Q1")
    mentee.set("reflection", "mentee_satisfaction", "2", "Q1")
    mentee.set("reflection", "support_needed", "yes", "Q1")
    mentee.save(programme / "inbox" / "mentee.xlsx", saved_at=dt.datetime(2026, 3, 9, 9, 0))
    sync_programme(programme, now=RETURNED)

    settings = load_programme(programme / "programme.yaml")
    with Ledger(programme / "mentorkit.db") as ledger:
        items = follow_up_items(ledger, settings, FRAMEWORK, D(2026, 3, 11))
    got = {(i.pair_id, i.rule) for i in items}
    # Pairs were created on 5 January: 65 days unsigned and without a session (P001 held one
    # on 20 January: 50 days). Quarter 1's return is not due before 14 April.
    assert got == {
        ("P001", SESSION_GAP), ("P001", AGREEMENT_UNSIGNED), ("P001", LOW_SATISFACTION),
        ("P001", SUPPORT_REQUESTED), ("P001", OPEN_CONFLICT),
        ("P002", SESSION_GAP), ("P002", AGREEMENT_UNSIGNED),
        ("P003", SESSION_GAP), ("P003", AGREEMENT_UNSIGNED),
    }  # fmt: skip
    support = next(i for i in items if i.rule == SUPPORT_REQUESTED)
    # The mentee asked the coordinator: the item starts at the coordinator's rung.
    assert (support.since, support.days_open, support.owner) == (
        D(2026, 3, 10), 1, "Programme coordinator",
    )  # fmt: skip
    assert (support.level, support.due_by) == (3, D(2026, 3, 25))

    data = _render(items)
    cells = " ".join(str(c) for row in _sheet_rows(data, "Follow-up") for c in row)
    typed = ["baseline report", "district data", "supervisor", "survey data"]
    people = [part for p in PEOPLE for part in (p[1], *p[1].split(), p[2])]
    assert [t for t in typed + people if t in cells] == []

    # The mentor's copy comes back with the mentee's goal: the conflict is settled.
    mentor.set("agreement", "goal_1", "Lead the district data review alone")
    mentor.save(programme / "inbox" / "mentor 2.xlsx", saved_at=dt.datetime(2026, 3, 12, 9, 0))
    sync_programme(programme, now=RETURNED + dt.timedelta(days=3))
    with Ledger(programme / "mentorkit.db") as ledger:
        items = follow_up_items(ledger, settings, FRAMEWORK, D(2026, 3, 14))
    assert OPEN_CONFLICT not in {i.rule for i in items}


def test_rows_are_coloured_by_how_far_up_the_ladder_they_are() -> None:
    import openpyxl

    def item(days_open: int) -> FollowUpItem:
        step, end, overdue = ladder_position(FRAMEWORK.governance.escalation, days_open)
        since = D(2026, 1, 1)
        return FollowUpItem(
            "P001", SESSION_GAP, "rule", "facts", since, days_open, step.level, step.who,
            step.who, "action", since + dt.timedelta(days=end), overdue, step.level == 4,
        )  # fmt: skip

    items = [item(d) for d in (60, 40, 20, 3)]
    assert [band(i) for i in items] == ["overdue", "last", "escalated", "level1"]
    sheet = openpyxl.load_workbook(io.BytesIO(_render(items)))["Follow-up"]
    fills = [sheet.cell(row, 1).fill.fgColor.rgb[-6:] for row in range(6, 10)]
    assert fills == ["F4B6B6", "F4B6B6", "FCE4D6", "FFF2CC"]
    assert [sheet.cell(row, 1).font.b for row in range(6, 10)] == [True, False, False, False]
    assert sheet.print_title_rows == "$5:$5" and sheet.page_setup.orientation == "landscape"


def test_support_requests_and_conflicts_start_at_the_coordinators_rung() -> None:
    ladder = FRAMEWORK.governance.escalation  # 7, 10, 15 (coordinator), 20 days
    got = [ladder_position(ladder, days, "coordinator") for days in (0, 15, 16, 35, 36)]
    assert [(step.level, end, late) for step, end, late in got] == [
        (3, 15, False), (3, 15, False), (4, 35, False), (4, 35, False), (4, 35, True),
    ]  # fmt: skip
