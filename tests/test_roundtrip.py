"""Build → fill as a person would → sync → the ledger holds exactly what was typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sync.run import sync_programme
from toolkit.ledger import Ledger

RETURNED = dt.datetime(2026, 4, 10, 17, 0, tzinfo=dt.timezone.utc)


def _typical(f) -> None:
    f.set("start", "returned_by", "mentee")
    f.set("agreement", "goal_1", "Write SMART indicators for my project")
    f.set("agreement", "meeting_mode", "video")
    f.set("agreement", "confidentiality", "yes")
    f.set("agreement", "mentor_signed_on", dt.date(2026, 1, 20))
    f.set("sessions", "session_date", dt.date(2026, 1, 21), "1")
    f.set("sessions", "minutes", 90, "1")
    f.set("sessions", "attendance", "both", "1")
    f.set("competencies", "baseline", "2", "TEC-J1")
    f.set("competencies", "q1", "3", "TEC-J1")
    f.set("reflection", "mentee_satisfaction", "4", "Q1")
    f.set("reflection", "support_needed", "no", "Q1")


EXPECTED = {
    ("agreement", "", "goal_1"): "Write SMART indicators for my project",
    ("agreement", "", "meeting_mode"): "video",
    ("agreement", "", "confidentiality"): "yes",
    ("agreement", "", "mentor_signed_on"): "2026-01-20",
    ("sessions", "1", "session_date"): "2026-01-21",
    ("sessions", "1", "minutes"): "90",
    ("sessions", "1", "attendance"): "both",
    ("competencies", "TEC-J1", "baseline"): "2",
    ("competencies", "TEC-J1", "q1"): "3",
    ("reflection", "Q1", "mentee_satisfaction"): "4",
    ("reflection", "Q1", "support_needed"): "no",
}


def test_ledger_holds_exactly_what_was_typed(programme: Path, fill, ledger_values) -> None:
    f = fill("P001")
    _typical(f)
    f.save(programme / "inbox" / "Re_ my workbook.xlsx")

    result = sync_programme(programme, now=RETURNED)

    assert [(o.name, o.status, o.pair_id, o.values_new) for o in result.files] == [
        ("Re_ my workbook.xlsx", "accepted", "P001", len(EXPECTED))
    ]
    assert result.exit_code == 0
    assert ledger_values("P001") == EXPECTED
    assert not list((programme / "inbox").iterdir())
    archived = list((programme / "archive").iterdir())
    assert [p.name.split("_", 1)[1] for p in archived] == ["Re_ my workbook.xlsx"]


def test_french_labels_give_the_same_codes_as_english(programme: Path, fill, ledger_values):
    english, french = fill("P001"), fill("P002")
    for f in (english, french):
        f.set("agreement", "meeting_mode", "phone")
        f.set("agreement", "no_fault_exit", "yes")
        f.set("sessions", "attendance", "mentee_absent", "2")
        f.set("reflection", "goals_status", "on_track", "Q1")
    english.save(programme / "inbox" / "en.xlsx")
    french.save(programme / "inbox" / "fr.xlsx")
    sync_programme(programme, now=RETURNED)
    assert ledger_values("P001") == ledger_values("P002")
    assert ledger_values("P002")[("agreement", "", "meeting_mode")] == "phone"


def test_quarter_rows_say_t1_in_french_and_older_workbooks_saying_q1_still_sync(
    programme: Path, fill, ledger_values
) -> None:
    french = fill("P002")
    sheet = french.wb[next(n for n in french.wb.sheetnames if n.startswith("R"))]
    shown = [sheet.cell(row=r, column=1).value for r in range(1, sheet.max_row + 1)]
    assert "T1" in shown and "Q1" not in shown
    french.set("reflection", "goals_status", "on_track", "Q2")
    french.save(programme / "inbox" / "fr.xlsx")
    first = sync_programme(programme, now=RETURNED)
    # A French workbook issued before quarter rows were translated says 'Q3' where new ones
    # say 'T3': the same row.
    older = fill("P002")
    older.set("reflection", "goals_status", "achieved", "Q3")
    sheet = older.wb[sheet.title]
    for r in range(1, sheet.max_row + 1):
        text = str(sheet.cell(row=r, column=1).value or "")
        if text.startswith("T") and text[1:].isdigit():
            sheet.cell(row=r, column=1).value = "Q" + text[1:]
    older.save(programme / "inbox" / "old.xlsx")
    second = sync_programme(programme, now=RETURNED)

    for result in (first, second):
        assert not [f.code for f in result.findings if f.code in ("VAL009", "VAL018")]
    values = ledger_values("P002")
    assert values[("reflection", "Q2", "goals_status")] == "on_track"
    assert values[("reflection", "Q3", "goals_status")] == "achieved"


def test_second_sync_and_same_file_again_change_nothing(programme: Path, fill) -> None:
    f = fill("P001")
    _typical(f)
    f.save(programme / "inbox" / "first.xlsx")
    sync_programme(programme, now=RETURNED)
    with Ledger(programme / "mentorkit.db") as ledger:
        before = (ledger.value_count(), ledger.current_values())

    again = sync_programme(programme, now=RETURNED)  # empty inbox
    assert again.files == []
    archived = next((programme / "archive").glob("*first.xlsx"))
    (programme / "inbox" / "forwarded copy.xlsx").write_bytes(archived.read_bytes())
    dup = sync_programme(programme, now=RETURNED)

    assert [(o.status, o.findings[0].code) for o in dup.files] == [("duplicate", "FIL005")]
    with Ledger(programme / "mentorkit.db") as ledger:
        assert (ledger.value_count(), ledger.current_values()) == before
    assert (programme / "archive" / "duplicates").is_dir()


def test_stale_copy_does_not_erase_newer_values(programme: Path, fill, ledger_values) -> None:
    newer = fill("P001")
    _typical(newer)
    newer.save(programme / "inbox" / "newer.xlsx")
    sync_programme(programme, now=RETURNED)
    stale = fill("P001")  # the blank copy as issued, sent later
    stale.set("sessions", "session_date", dt.date(2026, 2, 18), "2")
    stale.save(programme / "inbox" / "stale.xlsx")

    result = sync_programme(programme, now=RETURNED)

    assert [(o.values_new, o.values_changed) for o in result.files] == [(1, 0)]
    assert ledger_values("P001") == EXPECTED | {("sessions", "2", "session_date"): "2026-02-18"}


def test_a_changed_value_is_kept_with_its_history(programme: Path, fill, ledger_values) -> None:
    f = fill("P001")
    f.set("sessions", "minutes", 60, "1")
    f.save(programme / "inbox" / "a.xlsx")
    sync_programme(programme, now=RETURNED)
    f.set("sessions", "minutes", 75, "1")
    f.save(programme / "inbox" / "b.xlsx")

    result = sync_programme(programme, now=RETURNED)

    assert [(o.values_new, o.values_changed) for o in result.files] == [(0, 1)]
    assert ledger_values("P001")[("sessions", "1", "minutes")] == "75"
    with Ledger(programme / "mentorkit.db") as ledger:
        history = ledger.conn.execute(
            "SELECT value FROM field_values WHERE field = 'minutes' ORDER BY value_id"
        ).fetchall()
    assert history == [("60",), ("75",)]


def test_bad_values_become_located_findings_and_the_rest_is_kept(
    programme: Path, fill, ledger_values
) -> None:
    f = fill("P001")
    f.set("sessions", "session_date", dt.date(2026, 1, 21), "1")
    f.type_raw("sessions", "minutes", "ninety", "1")
    f.type_raw("sessions", "mode", "WhatsApp", "1")
    f.type_raw("sessions", "minutes", 12.5, "2")
    f.type_raw("sessions", "minutes", 900, "3")
    f.type_raw("sessions", "session_date", "31/02/2026", "2")
    f.type_raw("sessions", "session_date", "15/03/2026", "3")
    f.type_raw("agreement", "mentee_signed_on", "2026-01-22")
    f.save(programme / "inbox" / "typos.xlsx")

    result = sync_programme(programme, now=RETURNED)

    outcome = result.files[0]
    assert outcome.status == "accepted"
    assert result.exit_code == 1
    located = sorted((x.code, x.sheet, x.cell, x.column, x.value) for x in outcome.findings)
    assert located == [
        ("VAL001", "Session log", "E5", "How", "WhatsApp"),
        ("VAL002", "Session log", "C6", "Date held", "31/02/2026"),
        ("VAL003", "Session log", "D5", "Minutes", "ninety"),
        ("VAL004", "Session log", "D6", "Minutes", "12.5"),
        ("VAL005", "Session log", "D7", "Minutes", "900"),
    ]
    values = ledger_values("P001")
    assert values[("sessions", "1", "session_date")] == "2026-01-21"
    assert values[("sessions", "3", "session_date")] == "2026-03-15"
    assert values[("agreement", "", "mentee_signed_on")] == "2026-01-22"
    assert ("sessions", "1", "minutes") not in values
    with Ledger(programme / "mentorkit.db") as ledger:
        stored = {(f["code"], f["cell"]) for f in ledger.findings()}
    assert ("VAL003", "D5") in stored


def test_inserted_rows_and_moved_columns_are_read_by_header_text(
    programme: Path, fill, ledger_values
) -> None:
    f = fill("P001")
    f.set("sessions", "minutes", 80, "4")
    ws = f.wb["Session log"]
    ws.protection.sheet = False
    ws.insert_rows(3, amount=2)  # rows inserted above the table
    ws.insert_cols(2)  # a column inserted between the key and the topic
    f.save(programme / "inbox" / "edited.xlsx")

    result = sync_programme(programme, now=RETURNED)

    assert result.files[0].status == "accepted"
    assert ledger_values("P001") == {("sessions", "4", "minutes"): "80"}


def test_unknown_row_key_is_reported_not_read(programme: Path, fill, ledger_values) -> None:
    f = fill("P001")
    ws = f.wb["Session log"]
    ws.protection.sheet = False
    ws.cell(row=20, column=1, value="13")
    ws.cell(row=20, column=4, value=90)
    f.save(programme / "inbox" / "extra.xlsx")

    result = sync_programme(programme, now=RETURNED)

    assert [(x.code, x.cell, x.value) for x in result.files[0].findings] == [
        ("VAL009", "A20", "13")
    ]
    assert ledger_values("P001") == {}


def test_data_below_the_table_without_a_key_is_reported(programme: Path, fill) -> None:
    f = fill("P001")
    ws = f.wb["Reflection"]
    ws.protection.sheet = False
    ws.cell(row=12, column=2, value="Extra notes typed below the table")
    f.save(programme / "inbox" / "below.xlsx")
    result = sync_programme(programme, now=RETURNED)
    assert [(x.code, x.cell) for x in result.files[0].findings] == [("VAL010", "B12")]


def test_deleted_sheet_and_renamed_header_are_reported(programme: Path, fill) -> None:
    f = fill("P001")
    del f.wb["Reflection"]
    ws = f.wb["Session log"]
    ws.protection.sheet = False
    ws["D4"] = "Duration"
    f.save(programme / "inbox" / "mangled.xlsx")
    result = sync_programme(programme, now=RETURNED)
    codes = sorted((x.code, x.sheet, x.column) for x in result.files[0].findings)
    assert codes == [("VAL007", "Reflection", ""), ("VAL008", "Session log", "Minutes")]


def test_very_long_text_is_kept_in_full_with_a_warning(programme: Path, fill, ledger_values):
    text = "x" * 300
    f = fill("P001")
    f.type_raw("agreement", "meeting_time", text)
    f.save(programme / "inbox" / "long.xlsx")
    result = sync_programme(programme, now=RETURNED)
    assert [x.code for x in result.files[0].findings] == ["VAL006"]
    assert ledger_values("P001")[("agreement", "", "meeting_time")] == text


def test_refresh_issues_a_new_revision_carrying_merged_values(
    programme: Path, fill, contract
) -> None:
    from builders.programme import build_programme
    from toolkit.demo.fill import PairWorkbookFiller

    f = fill("P001")
    _typical(f)
    f.save(programme / "inbox" / "r1.xlsx")
    sync_programme(programme, now=RETURNED)

    result = build_programme(programme, refresh=True, now=RETURNED)

    assert sorted((w.pair_id, w.revision) for w in result.workbooks) == [
        ("P001", 2), ("P002", 2), ("P003", 2)
    ]  # fmt: skip
    r2 = next(w.path for w in result.workbooks if w.pair_id == "P001")
    assert r2.name == "test_P001_r2.xlsx"
    # A person returns revision 2 untouched: nothing changes, nothing is erased.
    (programme / "inbox" / "r2.xlsx").write_bytes(r2.read_bytes())
    again = sync_programme(programme, now=RETURNED)
    assert [(o.revision, o.values_new, o.values_changed) for o in again.files] == [(2, 0, 0)]
    # And what it shows is what was merged.
    shown = PairWorkbookFiller(r2, contract, "en").wb["Agreement"]
    assert "Write SMART indicators for my project" in [c.value for c in shown["B"]]


def test_an_older_copy_sent_again_does_not_undo_a_newer_change(
    programme: Path, fill, ledger_values
) -> None:
    mentee = fill("P001")
    mentee.set("start", "returned_by", "mentee")
    mentee.set("agreement", "goal_1", "A")
    mentee.save(programme / "inbox" / "mentee.xlsx")
    sync_programme(programme, now=RETURNED)
    mentor = fill("P001")
    mentor.set("start", "returned_by", "mentor")
    mentor.set("agreement", "goal_1", "B")
    mentor.save(programme / "inbox" / "mentor.xlsx")
    sync_programme(programme, now=RETURNED)
    mentee.set("sessions", "minutes", 90, "1")  # the mentee adds a session to their old copy
    mentee.save(programme / "inbox" / "mentee again.xlsx")

    result = sync_programme(programme, now=RETURNED)

    assert [(o.values_new, o.values_changed) for o in result.files] == [(1, 0)]
    assert ledger_values("P001") == {
        ("agreement", "", "goal_1"): "B",
        ("sessions", "1", "minutes"): "90",
    }


def test_a_deliberate_change_back_on_a_new_revision_is_applied(
    programme: Path, fill, ledger_values, contract
) -> None:
    from builders.programme import build_programme
    from toolkit.demo.fill import PairWorkbookFiller

    for value, name in (("A", "a.xlsx"), ("B", "b.xlsx")):
        f = fill("P001")
        f.set("agreement", "goal_1", value)
        f.save(programme / "inbox" / name)
        sync_programme(programme, now=RETURNED)
    r2 = build_programme(programme, refresh=True, now=RETURNED).workbooks[0].path
    f = PairWorkbookFiller(r2, contract, "en")
    f.set("agreement", "goal_1", "A")
    f.save(programme / "inbox" / "back to A.xlsx")
    sync_programme(programme, now=RETURNED)
    assert ledger_values("P001")[("agreement", "", "goal_1")] == "A"


def test_outputs_have_normal_file_permissions(programme: Path, built) -> None:
    import os
    import stat

    umask = os.umask(0)
    os.umask(umask)
    for path in [built.workbooks[0].path, programme / "master.xlsx", programme / "roster.xlsx"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path.name


def _send(f, programme: Path, name: str, saved: dt.datetime | None = None) -> list:
    f.save(programme / "inbox" / name, saved_at=saved)
    return sync_programme(programme, now=RETURNED).files


def test_a_cleared_cell_is_applied(programme: Path, fill, ledger_values) -> None:
    f = fill("P001")
    f.set("agreement", "goal_1", "Learn DHIS2")
    f.set("agreement", "goal_2", "Run a DQA")
    f.set("sessions", "minutes", 90, "1")
    _send(f, programme, "1.xlsx")
    f.type_raw("agreement", "goal_1", None)
    [outcome] = _send(f, programme, "2.xlsx")
    assert (outcome.values_new, outcome.values_changed) == (0, 1)
    assert ledger_values("P001")[("agreement", "", "goal_1")] == ""


def test_a_copy_that_looks_like_an_older_return_is_reported_not_applied(
    programme: Path, fill, ledger_values
) -> None:
    """A file whose content equals an earlier return cannot be told from that older copy sent
    again, so its old values are not applied: each is listed for the coordinator instead."""
    f = fill("P001")
    results = []
    for i, goal in enumerate(("Learn DHIS2", "Learn R", "Learn DHIS2")):
        f.set("agreement", "goal_1", goal)
        results.append(_send(f, programme, f"{i}.xlsx")[0])
    assert ledger_values("P001")[("agreement", "", "goal_1")] == "Learn R"
    assert [(x.code, x.value) for x in results[-1].findings] == [
        ("FIL011", ""),  # the whole file is that older copy
        ("VAL014", "Learn DHIS2"),
    ]


def test_an_older_revision_sent_again_after_a_newer_one_is_reported(
    programme: Path, fill, ledger_values
) -> None:
    """After a refresh, the copy returns the new revision; its round 1 attachment, found in the
    mailbox and sent again, holds exactly its first return: an older copy ("FIL011")."""
    from builders.programme import build_programme

    first = fill("P001")
    first.set("agreement", "goal_1", "Learn DHIS2")
    _send(first, programme, "round1.xlsx")
    later = RETURNED + dt.timedelta(days=5)
    refreshed = build_programme(programme, refresh=True, now=later)
    second = fill("P001", next(w.path for w in refreshed.workbooks if w.pair_id == "P001"))
    second.set("agreement", "goal_1", "Learn R")
    _send(second, programme, "round2.xlsx")
    [outcome] = _send(first, programme, "old again.xlsx", saved=later + dt.timedelta(days=1))
    assert outcome.status == "accepted" and outcome.revision == 1
    assert [x.code for x in outcome.findings][:1] == ["FIL011"]
    assert (outcome.values_new, outcome.values_changed) == (0, 0)
    assert ledger_values("P001")[("agreement", "", "goal_1")] == "Learn R"


def test_a_new_entry_typed_into_an_old_attachment_erases_nothing(
    programme: Path, fill, ledger_values
) -> None:
    newer = fill("P001")
    _typical(newer)
    _send(newer, programme, "newer.xlsx")
    old_attachment = fill("P001")  # the same sender starts again from the blank attachment
    old_attachment.set("sessions", "minutes", 45, "5")
    [outcome] = _send(old_attachment, programme, "old.xlsx")
    assert (outcome.values_new, outcome.values_changed) == (1, 0)
    assert ledger_values("P001") == EXPECTED | {("sessions", "5", "minutes"): "45"}


def test_a_partner_who_corrects_their_copy_to_agree_is_applied(programme, fill, ledger_values):
    mentee, mentor = fill("P001"), fill("P001")
    mentee.set("start", "returned_by", "mentee")
    mentor.set("start", "returned_by", "mentor")
    mentee.set("sessions", "minutes", 90, "1")
    _send(mentee, programme, "mentee.xlsx")
    mentor.set("sessions", "minutes", 60, "1")
    _send(mentor, programme, "mentor.xlsx")
    mentor.set("sessions", "minutes", 90, "1")
    _send(mentor, programme, "mentor again.xlsx")
    assert ledger_values("P001")[("sessions", "1", "minutes")] == "90"


def test_a_copy_saved_before_the_current_value_does_not_overwrite_it(
    programme: Path, fill, ledger_values
) -> None:
    early, late = dt.datetime(2026, 3, 1, 9, 0), dt.datetime(2026, 3, 20, 9, 0)
    mentor, mentee = fill("P001"), fill("P001")
    mentor.set("start", "returned_by", "mentor")
    mentee.set("start", "returned_by", "mentee")
    mentor.set("sessions", "minutes", 60, "1")
    _send(mentor, programme, "mentor.xlsx", saved=late)
    mentee.set("sessions", "minutes", 90, "1")  # saved earlier, arrives later
    [outcome] = _send(mentee, programme, "mentee.xlsx", saved=early)

    # Both copies changed it: a conflict, recorded; the copy saved last stays current.
    assert ledger_values("P001")[("sessions", "1", "minutes")] == "60"
    assert [(x.code, x.value, x.sheet) for x in outcome.findings] == [
        ("SYN003", "90", "Session log")
    ]
    assert outcome.saved_at == "2026-03-01T09:00:00+00:00"
    with Ledger(programme / "mentorkit.db") as ledger:
        [conflict] = ledger.conflicts()
    assert (conflict["value"], conflict["other_value"], conflict["current_value"]) == (
        "90", "60", "60"
    )  # fmt: skip


def test_a_copy_saved_before_a_value_it_never_changed_does_not_overwrite_it(
    programme: Path, fill, ledger_values
) -> None:
    def at(day: int) -> dt.datetime:
        return dt.datetime(2026, 3, day, 9, 0)

    mentee, mentor = fill("P001", sender="mentee"), fill("P001", sender="mentor")
    mentee.set("agreement", "goal_1", "A")
    _send(mentee, programme, "1.xlsx", saved=at(1))
    mentor.set("agreement", "goal_1", "B")
    _send(mentor, programme, "2.xlsx", saved=at(5))  # a conflict; B, saved later, is current
    mentor.set("agreement", "goal_1", "A")
    _send(mentor, programme, "3.xlsx", saved=at(20))  # the mentor goes back to A
    # The mentee changes A (what their copy last had, and what is current) to C, in a file
    # saved before the mentor's: not a conflict, but too old to replace the newer value.
    mentee.set("agreement", "goal_1", "C")
    [outcome] = _send(mentee, programme, "4.xlsx", saved=at(10))
    assert ledger_values("P001")[("agreement", "", "goal_1")] == "A"
    assert [(x.code, x.value) for x in outcome.findings] == [("VAL011", "C")]


def test_an_unexpected_reader_failure_quarantines_the_file(
    programme: Path, fill, monkeypatch
) -> None:
    import sync.examine

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a reader bug")

    monkeypatch.setattr(sync.examine, "parse_workbook", broken)
    f = fill("P001")
    f.save(programme / "inbox" / "x.xlsx")
    data = (programme / "inbox" / "x.xlsx").read_bytes()
    [outcome] = sync_programme(programme, now=RETURNED).files
    assert (outcome.status, outcome.reason.code) == ("quarantined", "FIL007")
    assert (programme / outcome.stored_as).read_bytes() == data


def test_long_nested_names_are_archived_under_a_short_safe_name(programme: Path, built):
    nested = programme / "inbox" / ("m" * 120) / ("Re: " + "very long subject " * 12 + ".xlsx")
    nested.parent.mkdir()
    nested.write_bytes(built.workbooks[0].path.read_bytes())
    [outcome] = sync_programme(programme, now=RETURNED).files
    stored = programme / outcome.stored_as
    assert outcome.status == "accepted" and stored.is_file()
    assert len(stored.name) <= 93 and stored.suffix == ".xlsx" and ":" not in stored.name
    assert not nested.exists()


def test_a_busy_ledger_is_a_clear_error(programme: Path, built) -> None:
    import sqlite3

    import pytest

    from toolkit.errors import StoreError
    from toolkit.ledger import Ledger as LedgerClass

    (programme / "inbox" / "x.xlsx").write_bytes(built.workbooks[0].path.read_bytes())
    blocker = sqlite3.connect(programme / "mentorkit.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        ledger = LedgerClass(programme / "mentorkit.db")
        ledger.conn.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(StoreError, match="busy"), ledger.transaction():
            pass
        ledger.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_unnamed_copies_cannot_erase_each_other(programme: Path, fill, ledger_values) -> None:
    mentee, mentor = fill("P001", sender=""), fill("P001", sender="")
    mentee.set("agreement", "goal_1", "Learn DHIS2")
    mentee.set("sessions", "minutes", 90, "1")
    _send(mentee, programme, "mentee.xlsx")
    mentor.set("sessions", "minutes", 60, "2")  # blank everywhere else
    [second] = _send(mentor, programme, "mentor.xlsx")

    assert ledger_values("P001") == {
        ("agreement", "", "goal_1"): "Learn DHIS2",
        ("sessions", "1", "minutes"): "90",
        ("sessions", "2", "minutes"): "60",
    }
    assert [x.code for x in second.findings] == ["VAL013"]
    assert second.findings[0].severity.value == "info"


def test_answering_who_sends_later_does_not_bring_back_old_values(
    programme: Path, fill, ledger_values
) -> None:
    mentee = fill("P001", sender="")
    mentee.set("agreement", "goal_1", "A")
    _send(mentee, programme, "1.xlsx")
    mentor = fill("P001", sender="mentor")
    mentor.set("agreement", "goal_1", "B")
    _send(mentor, programme, "2.xlsx")
    mentee.set("start", "returned_by", "mentee")  # answered at last, goal untouched
    _send(mentee, programme, "3.xlsx")
    assert ledger_values("P001")[("agreement", "", "goal_1")] == "B"


def test_emptying_a_cell_does_not_clear_the_other_copy_s_value(
    programme: Path, fill, ledger_values
) -> None:
    mentor, mentee = fill("P001", sender="mentor"), fill("P001", sender="mentee")
    mentor.set("agreement", "goal_1", "A")
    mentor.set("agreement", "goal_2", "C")
    mentor.set("sessions", "minutes", 60, "1")
    _send(mentor, programme, "1.xlsx")
    mentee.set("agreement", "goal_1", "B")
    _send(mentee, programme, "2.xlsx")
    mentor.type_raw("agreement", "goal_1", None)
    [outcome] = _send(mentor, programme, "3.xlsx")
    assert ledger_values("P001")[("agreement", "", "goal_1")] == "B"
    assert [(x.code, x.value) for x in outcome.findings] == [("VAL012", "")]


def test_files_of_one_sync_are_taken_oldest_save_first(programme: Path, fill, ledger_values):
    f = fill("P001")
    f.set("sessions", "minutes", 60, "1")
    f.save(programme / "inbox" / "workbook.xlsx", saved_at=dt.datetime(2026, 3, 1, 9, 0))
    f.set("sessions", "minutes", 75, "1")
    f.save(programme / "inbox" / "workbook (2).xlsx", saved_at=dt.datetime(2026, 3, 8, 9, 0))
    result = sync_programme(programme, now=RETURNED)
    assert [o.name for o in result.files] == ["workbook.xlsx", "workbook (2).xlsx"]
    assert ledger_values("P001")[("sessions", "1", "minutes")] == "75"


def test_a_quarantined_file_sent_again_is_read_again(programme: Path, fill, monkeypatch):
    import sync.examine

    f = fill("P001")
    f.set("sessions", "minutes", 90, "1")
    f.save(programme / "inbox" / "x.xlsx")
    data = (programme / "inbox" / "x.xlsx").read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(sync.examine, "parse_workbook", lambda *a, **k: 1 / 0)
        [first] = sync_programme(programme, now=RETURNED).files
    (programme / "inbox" / "x again.xlsx").write_bytes(data)
    [second] = sync_programme(programme, now=RETURNED).files
    assert (first.status, second.status) == ("quarantined", "accepted")


def test_a_file_name_that_is_not_utf8_is_taken_in(programme: Path, built) -> None:
    import os

    raw = os.path.join(os.fsencode(programme / "inbox"), b"caf\xe9.xlsx")
    with open(raw, "wb") as fh:
        fh.write(built.workbooks[0].path.read_bytes())
    [outcome] = sync_programme(programme, now=RETURNED).files
    assert (outcome.name, outcome.status) == ("caf\ufffd.xlsx", "accepted")
