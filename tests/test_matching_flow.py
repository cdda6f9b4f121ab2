"""``mentorkit match`` end to end: matches.xlsx checked independently, the coordinator's review
honoured across runs (also after a LibreOffice re-save), confirm then build, pair end then
rematch, and every roster or review problem reported with its location."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from builders.matches import match_programme
from builders.programme import build_programme, create_programme
from builders.roster import render_roster_template
from builders.xlsx import write_atomic
from sync.run import sync_programme
from tests.conftest import NOW, PEOPLE
from tests.matching_data import as_rows, generate_people, violations
from toolkit.cli import cli
from toolkit.endings import end_pair
from toolkit.errors import ConfigError, WorkbookWriteError
from toolkit.framework import load_framework
from toolkit.ledger import Ledger, MatchingStore
from toolkit.match_review import read_review
from toolkit.programme import CRITERIA, load_programme
from toolkit.roster import PEOPLE_COLUMNS, read_roster

HEADER = 4  # Excel row of the headers in matches.xlsx


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def table(path: Path, sheet: str) -> list[dict[str, object]]:
    """A sheet of matches.xlsx as dicts, read with openpyxl (not the toolkit's reader)."""
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[HEADER]]
    rows = []
    for values in ws.iter_rows(min_row=HEADER + 1, values_only=True):
        row = dict(zip(header, values, strict=False))
        if any(v not in (None, "") for v in values) and values[0] != "(none)":
            rows.append({**row, "_row": len(rows) + HEADER + 1})
    return rows


def edit(path: Path, sheet: str, row: int, **cells: str) -> None:
    """Type into matches.xlsx the way a coordinator would (openpyxl, saved in place)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = [c.value for c in ws[HEADER]]
    for name, value in cells.items():
        ws.cell(row=row, column=header.index(name) + 1, value=value)
    wb.save(path)


def pairs_in(rows: list[dict[str, object]]) -> list[tuple[str, str]]:
    return [(str(r["mentor_id"]), str(r["mentee_id"])) for r in rows]


@pytest.fixture(scope="module")
def cohort_people():
    return generate_people(120, 50, seed=11)


@pytest.fixture
def big(tmp_path: Path, cohort_people) -> Path:
    """A programme of 120 mentees and 50 mentors in 5 countries and 3 languages, no pairs."""
    root = tmp_path / "big"
    create_programme(
        root, programme_id="big", people=as_rows(cohort_people.values()), pairs=[],
        secret="s", now=NOW, start_date=dt.date(2026, 1, 1),
    )  # fmt: skip
    return root


def test_done_when_match_review_confirm_build_end_rematch(big: Path, cohort_people) -> None:
    people = cohort_people
    code, out = invoke("match", big)
    assert code in (0, 1), out
    path = big / "matches.xlsx"
    proposed = table(path, "Proposed pairs")
    unmatched = table(path, "Unmatched")
    # An independent check of the workbook: no hard constraint broken, every breakdown adds up,
    # every unmatched mentee has a reason, and every mentee is in exactly one of the two.
    capacity = {p.person_id: 2 if p.capacity is None else p.capacity
                for p in people.values() if p.role == "mentor"}  # fmt: skip
    assert violations(pairs_in(proposed), people, capacity=capacity) == []
    for r in proposed:
        assert sum(float(r[c]) for c in CRITERIA) == pytest.approx(float(r["total"]), abs=1e-3)
    assert all(str(r["code"]).startswith("MAT") and r["reason"] for r in unmatched)
    mentees = sorted(p.person_id for p in people.values() if p.role == "mentee")
    assert sorted([e for _, e in pairs_in(proposed)] + [r["mentee_id"] for r in unmatched]) == (
        mentees
    )
    fairness = table(path, "Fairness")
    assert {r["by"] for r in fairness} == {"country", "sex", "level"}
    assert len(proposed) > 80 and unmatched

    # The coordinator locks one pair, forbids one, comments one, and picks an alternative.
    alternatives = table(path, "Alternatives")
    keep, drop, note = proposed[0], proposed[1], proposed[2]
    edit(path, "Proposed pairs", keep["_row"], lock="yes")
    edit(path, "Proposed pairs", drop["_row"], forbid="yes", comment="They already work together")
    edit(path, "Proposed pairs", note["_row"], comment="Check availability in March")
    choice = next(a for a in alternatives if a["mentee_id"] not in
                  {keep["mentee_id"], drop["mentee_id"], note["mentee_id"]})  # fmt: skip
    edit(path, "Alternatives", choice["_row"], lock="yes")

    code, out = invoke("match", big)
    again = {(r["mentor_id"], r["mentee_id"]): r for r in table(path, "Proposed pairs")}
    assert again[(keep["mentor_id"], keep["mentee_id"])]["lock"] == "yes"
    assert (drop["mentor_id"], drop["mentee_id"]) not in again
    assert again[(note["mentor_id"], note["mentee_id"])]["comment"] == "Check availability in March"
    assert again[(choice["mentor_id"], choice["mentee_id"])]["lock"] == "yes"
    decisions = table(path, "Decisions")
    assert [(r["mentor_id"], r["mentee_id"], r["forbid"], r["comment"]) for r in decisions] == [
        (drop["mentor_id"], drop["mentee_id"], "yes", "They already work together")]  # fmt: skip
    alternatives = pairs_in(table(path, "Alternatives"))
    assert (drop["mentor_id"], drop["mentee_id"]) not in alternatives

    # A third run changes nothing: the decisions written back are read back the same.
    before = table(path, "Proposed pairs")
    invoke("match", big)
    assert table(path, "Proposed pairs") == before

    # Confirm, then build issues exactly the confirmed pairs' workbooks.
    code, out = invoke("match", big, "--confirm")
    assert f"Confirmed {len(before)} pair(s)" in out, out
    built = build_programme(big, now=NOW, as_of=dt.date(2026, 1, 1))
    assert len(built.workbooks) == len(before)
    with sqlite3.connect(big / "mentorkit.db") as db:
        ledger_pairs = db.execute("SELECT pair_id, mentor_id, mentee_id FROM pairs").fetchall()
        confirmed = db.execute("SELECT comment FROM match_confirmations").fetchall()
    assert sorted((m, e) for _, m, e in ledger_pairs) == sorted(pairs_in(before))
    assert ("Check availability in March",) in confirmed
    # After confirming, the confirmed mentees are no longer proposed.
    assert pairs_in(table(path, "Proposed pairs")) == []

    # End a pair, raise capacities, and re-match: a new mentor, never the previous one.
    pair_id, old_mentor, mentee = ledger_pairs[0]
    code, out = invoke("pair", "end", big, pair_id, "--reason", "no-fault", "--date", "2026-01-05")
    assert code == 0, out
    config = (big / "programme.yaml").read_text(encoding="utf-8")
    (big / "programme.yaml").write_text(
        config.replace("default_capacity: 2", "default_capacity: 6"), encoding="utf-8"
    )
    code, out = invoke("match", big)
    assert mentee not in {r["mentee_id"] for r in table(path, "Proposed pairs")}
    assert "--rematch" in out
    code, out = invoke("match", big, "--rematch")
    rematched = [r for r in table(path, "Proposed pairs") if r["mentee_id"] == mentee]
    assert len(rematched) == 1 and rematched[0]["mentor_id"] != old_mentor
    invoke("match", big, "--rematch", "--confirm")
    # Figures as of tomorrow: the pairs were confirmed (matched) today, by the real clock.
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    built = build_programme(big, now=NOW, as_of=tomorrow)
    new = [w for w in built.workbooks if w.revision == 1]
    assert new, "the re-matched pair gets its workbook"
    end, rem = (built.master.report.row(code) for code in ("END", "REM"))
    # The ended pair's mentee was re-matched: a re-match (REM), not an early ending (END);
    # the replacement pair is not an original pair, so it is the one pair not counted.
    assert (end["numerator"], rem["numerator"]) == (0, 1)
    with sqlite3.connect(big / "mentorkit.db") as db:
        (all_pairs,) = db.execute("SELECT count(*) FROM pairs").fetchone()
    assert rem["denominator"] == all_pairs - 1


def test_decisions_survive_a_libreoffice_resave(programme: Path, soffice: str, tmp_path) -> None:
    _no_typed_pairs(programme)
    assert invoke("match", programme)[0] in (0, 1)
    path = programme / "matches.xlsx"
    first = table(path, "Proposed pairs")
    edit(path, "Proposed pairs", first[0]["_row"], forbid="yes", comment="No: same office")
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    shutil.copy(out / "matches.xlsx", path)
    roster = read_roster(programme / "roster.xlsx", load_framework())
    assert read_review(path, roster.people).rematch is False  # the hidden About sheet survives
    invoke("match", programme)
    forbidden = (first[0]["mentor_id"], first[0]["mentee_id"])
    assert forbidden not in pairs_in(table(path, "Proposed pairs"))
    assert [(r["mentor_id"], r["mentee_id"], r["comment"]) for r in table(path, "Decisions")] == [
        (*forbidden, "No: same office")]  # fmt: skip


def _no_typed_pairs(root: Path) -> None:
    """Rewrite the roster of the small test programme without its typed pairs."""
    rows = [(*p, "", "", "") for p in PEOPLE]
    write_atomic(root / "roster.xlsx", render_roster_template(NOW, people=rows, pairs=[]))


def test_unreadable_review_cells_are_located(programme: Path) -> None:
    _no_typed_pairs(programme)
    invoke("match", programme)
    path = programme / "matches.xlsx"
    rows = table(path, "Proposed pairs")
    edit(path, "Proposed pairs", rows[0]["_row"], lock="maybe")
    edit(path, "Proposed pairs", HEADER + 10, mentor_id="M9", mentee_id="E1", lock="yes")
    saved = path.read_bytes()
    run = match_programme(programme, now=NOW)
    assert not run.written and path.read_bytes() == saved  # what was typed is kept
    got = [(f.code, f.sheet, f.cell, f.value) for f in run.findings]
    lock_cell = f"{openpyxl.utils.get_column_letter(15)}{rows[0]['_row']}"
    assert got == [
        ("MAT015", "Proposed pairs", lock_cell, "maybe"),
        ("MAT014", "Proposed pairs", "A14", "M9"),
    ]
    # The message lists what is understood, in the four languages.
    message = run.findings[0].message
    assert "yes (yes, oui, sí, sim, y, x, 1, true)" in message, message
    assert "no (no, non, não, n, 0, false, or an empty cell)" in message, message
    code, out = invoke("match", programme, "--confirm")
    assert code == 1 and "nothing was confirmed" in out
    assert path.read_bytes() == saved


@pytest.mark.parametrize("word", ["Oui", "sí", "SIM", "x", "1", "Yes"])
def test_yes_is_understood_in_every_language(programme: Path, word: str) -> None:
    _no_typed_pairs(programme)
    invoke("match", programme)
    path = programme / "matches.xlsx"
    first = table(path, "Proposed pairs")[0]
    edit(path, "Proposed pairs", first["_row"], lock=word)
    run = match_programme(programme, now=NOW)
    assert run.written and run.findings == []
    again = {(r["mentor_id"], r["mentee_id"]): r for r in table(path, "Proposed pairs")}
    assert again[(first["mentor_id"], first["mentee_id"])]["lock"] == "yes"


def test_an_unreadable_matches_file_is_never_overwritten(programme: Path) -> None:
    _no_typed_pairs(programme)
    (programme / "matches.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(ConfigError) as err:
        match_programme(programme)
    assert [f.code for f in err.value.findings] == ["MAT016"]
    assert invoke("match", programme)[0] == 2
    assert (programme / "matches.xlsx").read_bytes() == b"not a workbook"


def test_confirm_needs_a_reviewed_file_and_records_only_reviewed_pairs(programme: Path) -> None:
    _no_typed_pairs(programme)
    with pytest.raises(ConfigError) as err:
        match_programme(programme, confirm=True)
    assert [f.code for f in err.value.findings] == ["MAT018"]
    invoke("match", programme)
    path = programme / "matches.xlsx"
    rows = table(path, "Proposed pairs")
    wb = openpyxl.load_workbook(path)
    wb["Proposed pairs"].delete_rows(rows[-1]["_row"])  # a pair the coordinator never saw
    wb.save(path)
    twin = programme.parent / "twin"
    shutil.copytree(programme, twin)
    run = match_programme(programme, confirm=True)
    assert [(f.code, f.message.split("'")[1]) for f in run.findings] == [
        ("MAT017", rows[-1]["mentor_id"])]  # fmt: skip
    assert f"'mentorkit match {programme} --confirm'" in run.findings[0].todo
    assert len(run.confirmed) == len(rows) - 1
    # From the command line: a newly proposed pair left unconfirmed needs attention (exit 1).
    code, out = invoke("match", twin, "--confirm")
    assert code == 1 and "[MAT017]" in out and f"mentorkit match {twin} --confirm" in out, out


def test_confirmed_match_of_someone_removed_from_the_roster(programme: Path) -> None:
    _no_typed_pairs(programme)
    invoke("match", programme)
    invoke("match", programme, "--confirm")
    rows = [(*p, "", "", "") for p in PEOPLE if p[0] != "E2"]
    write_atomic(programme / "roster.xlsx", render_roster_template(NOW, people=rows, pairs=[]))
    result = build_programme(programme, now=NOW)
    assert [(f.code, f.message.split("'")[3]) for f in result.findings] == [("MAT022", "E2")]


def test_pair_end_refusals(programme: Path, built) -> None:
    with pytest.raises(ConfigError) as err:
        end_pair(programme, "P999", "no-fault", now=NOW)
    assert [f.code for f in err.value.findings] == ["MAT019"]
    with pytest.raises(ConfigError) as err:
        end_pair(programme, "P001", "no-fault", dt.date(2025, 12, 1), now=NOW)
    assert [(f.code, f.value) for f in err.value.findings] == [("MAT021", "2025-12-01")]
    with pytest.raises(ConfigError) as err:
        end_pair(programme, "P001", "no-fault", dt.date(2026, 2, 1), now=NOW)
    assert "in the future" in err.value.findings[0].message
    ending = end_pair(programme, "p001", "mentee-left", now=NOW).ending
    assert (ending.pair_id, ending.ended_on) == ("P001", "2026-01-05")
    # Ending it again changes nothing and is not an error: the first ending stands.
    again = end_pair(programme, "P001", "no-fault", now=NOW)
    assert again.ending == ending and again.note is not None and again.note.code == "MAT020"
    code, out = invoke("pair", "end", programme, "P001", "--reason", "no-fault")
    assert code == 0 and "[MAT020]" in out and "nothing was changed" in out, out
    # The ended pair gets no new revision.
    refreshed = build_programme(programme, refresh=True, now=NOW)
    assert sorted(w.pair_id for w in refreshed.workbooks) == ["P002", "P003"]


# --- roster problems, each located ------------------------------------------------------------


def _row(i: int, **values: str) -> tuple[str, ...]:
    names = [c.name for c in PEOPLE_COLUMNS]
    row = list(PEOPLE[i]) + [""] * (len(names) - len(PEOPLE[i]))
    for name, value in values.items():
        row[names.index(name)] = value
    return tuple(row)


def _people(**changes: dict[str, str]) -> list[tuple[str, ...]]:
    return [_row(i, **changes.get(f"r{i}", {})) for i in range(len(PEOPLE))]


ROSTER_CASES = [
    (_people(r1={"country": "XK"}), [("ROS013", 3, "country", "XK")]),
    (_people(r3={"preferred_mentors": "M1, E2"}), [("ROS014", 5, "preferred_mentors", "E2")]),
    (_people(r3={"preferred_mentors": "M1, M9"}), [("ROS006", 5, "preferred_mentors", "M9")]),
    (_people(r3={"preferred_mentors": "M2, M1"}), []),
    (_people(r3={"preferred_mentors": "M1, M2, M3, M1"}),
     [("ROS020", 5, "preferred_mentors", "M1, M2, M3, M1")]),
    (_people(r4={"preferred_mentors": "M1;M2;M3;M3;E9"}),
     [("ROS020", 6, "preferred_mentors", "M1;M2;M3;M3;E9"),
      ("ROS015", 6, "preferred_mentors", "M1;M2;M3;M3;E9"),
      ("ROS006", 6, "preferred_mentors", "E9")]),
    (_people(r0={"capacity": "two"}), [("ROS016", 2, "capacity", "two")]),
    (_people(r0={"capacity": "1.5"}), [("ROS016", 2, "capacity", "1.5")]),
    (_people(r0={"capacity": "-1"}), [("ROS016", 2, "capacity", "-1")]),
    (_people(r0={"line_manager_id": "M2"}, r1={"line_manager_id": "M1"}),
     [("ROS017", 2, "line_manager_id", "M2")]),
    (_people(r2={"line_manager_id": "M3"}), [("ROS017", 4, "line_manager_id", "M3")]),
    (_people(r3={"capacity": "2"}), [("ROS018", 5, "capacity", "2")]),
    (_people(r0={"preferred_mentors": "M2"}), [("ROS018", 2, "preferred_mentors", "M2")]),
    (_people(r0={"same_sex_preference": "yes"}), [("ROS018", 2, "same_sex_preference", "yes")]),
    (_people(r3={"sex": "", "same_sex_preference": "yes"}),
     [("ROS019", 5, "same_sex_preference", "yes")]),
    (_people(r3={"same_sex_preference": "maybe"}),
     [("ROS004", 5, "same_sex_preference", "maybe")]),
    (_people(r3={"languages": ", ;"}), [("ROS003", 5, "languages", "")]),
]  # fmt: skip


@pytest.mark.parametrize(("people", "expected"), ROSTER_CASES)
def test_roster_matching_columns_are_checked(tmp_path: Path, people, expected) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(render_roster_template(NOW, people=people, pairs=[]))
    if not expected:
        roster = read_roster(path, load_framework())
        assert roster.people["E1"].preferred_mentors == ("M2", "M1")
        return
    with pytest.raises(ConfigError) as err:
        read_roster(path, load_framework())
    got = [(f.code, f.row, f.column, f.value) for f in err.value.findings]
    assert got == expected
    assert all(f.cell and f.sheet == "People" for f in err.value.findings)


def test_one_run_reports_every_roster_problem(tmp_path: Path) -> None:
    # Rows with problems of their own still have their references checked, and are referred to.
    people = _people(
        r0={"email": "grace@", "line_manager_id": "M2"}, r1={"level": "boss", "line_manager_id":
        "M1"}, r3={"same_sex_preference": "maybe", "preferred_mentors": "E2, M9"},
        r4={"country": "XK", "line_manager_id": "BOSS"},
    )  # fmt: skip
    path = tmp_path / "roster.xlsx"
    path.write_bytes(render_roster_template(NOW, people=people, pairs=[("M3", "E1")]))
    with pytest.raises(ConfigError) as err:
        read_roster(path, load_framework())
    assert [(f.code, f.sheet, f.row, f.column, f.value) for f in err.value.findings] == [
        ("ROS009", "People", 2, "email", "grace@"),
        ("ROS004", "People", 3, "level", "boss"),
        ("ROS004", "People", 5, "same_sex_preference", "maybe"),
        ("ROS013", "People", 6, "country", "XK"),
        ("ROS014", "People", 5, "preferred_mentors", "E2"),
        ("ROS006", "People", 5, "preferred_mentors", "M9"),
        ("ROS006", "People", 6, "line_manager_id", "BOSS"),
        ("ROS017", "People", 2, "line_manager_id", "M2"),
        ("ROS011", "Pairs", 2, "mentor_id", "M3"),
    ]


def test_roster_matching_columns_are_read(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    people = _people(r0={"capacity": "3"}, r3={"preferred_mentors": "M2, M1",
                                                "same_sex_preference": "Yes"})  # fmt: skip
    path.write_bytes(render_roster_template(NOW, people=people, pairs=[]))
    roster = read_roster(path, load_framework())
    e1, m1 = roster.people["E1"], roster.people["M1"]
    assert (e1.preferred_mentors, e1.same_sex_preference, m1.capacity) == (("M2", "M1"), True, 3)
    assert roster.people["M2"].capacity is None


def test_matching_messages_are_translated() -> None:
    from toolkit.messages import missing_translations

    mine = [m for m in missing_translations() if m.startswith("MAT") or (m[:3] == "ROS"
            and int(m[3:6]) >= 13)]  # fmt: skip
    assert mine == []


def test_confirm_is_undone_when_matches_xlsx_cannot_be_replaced(programme: Path, monkeypatch):
    _no_typed_pairs(programme)
    invoke("match", programme)

    def locked(path: Path, data: bytes) -> None:
        raise WorkbookWriteError(f"Could not write {path}: it is open in Excel.")

    monkeypatch.setattr("builders.matches.write_atomic", locked)
    code, out = invoke("match", programme, "--confirm")
    assert code == 2 and "open in Excel" in out
    with sqlite3.connect(programme / "mentorkit.db") as db:
        assert db.execute("SELECT COUNT(*) FROM match_confirmations").fetchone() == (0,)


def test_matching_settings_are_checked_with_their_line(programme: Path) -> None:
    config = programme / "programme.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("cross_country: preferred", "cross_country: sometimes")
                      .replace("default_capacity: 2", "default_capacity: -1"),
                      encoding="utf-8")  # fmt: skip
    with pytest.raises(ConfigError) as err:
        load_programme(config)
    got = sorted(f.message.split(" (line")[0] for f in err.value.findings)
    assert [(f.code) for f in err.value.findings] == ["CFG002", "CFG002"]
    assert got == ["key matching.cross_country", "key matching.default_capacity"]


def test_a_ledger_made_before_matching_still_opens(programme: Path, built) -> None:
    with sqlite3.connect(programme / "mentorkit.db") as db:
        db.execute("DROP TABLE match_confirmations")
        db.execute("DROP TABLE pair_endings")
    ending = end_pair(programme, "P002", "other", now=NOW).ending
    assert ending.reason == "other"
    with Ledger(programme / "mentorkit.db") as ledger:
        assert [p.status for p in ledger.pairs()] == ["active", "ended", "active"]
        assert MatchingStore(ledger).confirmations() == []


def test_an_ended_pairs_returns_still_sync(programme: Path, fill, ledger_values) -> None:
    end_pair(programme, "P001", "mentor-left", now=NOW)
    f = fill("P001")
    f.set("agreement", "goal_1", "Write the final report")
    f.save(programme / "inbox" / "late return.xlsx")
    result = sync_programme(programme, now=NOW + dt.timedelta(days=30))
    assert [(o.status, o.pair_id) for o in result.files] == [("accepted", "P001")]
    assert ledger_values("P001")[("agreement", "", "goal_1")] == "Write the final report"


def test_rematch_after_endings_honours_the_reason_and_forgets_carried_out_locks(
    programme: Path,
) -> None:
    _no_typed_pairs(programme)
    invoke("match", programme)
    path = programme / "matches.xlsx"
    for r in table(path, "Proposed pairs"):
        edit(path, "Proposed pairs", r["_row"], lock="yes")
    assert invoke("match", programme, "--confirm")[0] == 0
    build_programme(programme, now=NOW, as_of=dt.date(2026, 1, 1))
    with Ledger(programme / "mentorkit.db") as ledger:
        pairs = {p.mentee_id: p for p in ledger.pairs()}
    assert sorted(pairs) == ["E1", "E2", "E3"]
    code, out = invoke("pair", "end", programme, pairs["E1"].pair_id, "--reason", "mentor-left")
    assert code == 0 and "left out of matching" in out, out
    end_pair(programme, pairs["E2"].pair_id, "mentee-left", now=NOW)
    code, out = invoke("match", programme)
    assert "1 mentee(s) whose pair ended are waiting" in out, out
    for _ in range(2):  # the old locks stay carried out, run after run
        code, out = invoke("match", programme, "--rematch")
        assert "MAT012" not in out and "MAT023" not in out, out
        assert "[MAT024]" in out and "[MAT025]" in out, out
        gone = pairs["E1"].mentor_id
        offered = table(path, "Proposed pairs") + table(path, "Alternatives")
        assert gone not in {r["mentor_id"] for r in offered}
        listed = offered + table(path, "Unmatched")
        assert "E2" not in {r["mentee_id"] for r in listed}
        assert "E1" in {r["mentee_id"] for r in listed}
        assert [r["lock"] for r in table(path, "Decisions")] == []
    note = openpyxl.load_workbook(path)["Proposed pairs"]["A3"].value
    assert f"mentor {gone} ({pairs['E1'].pair_id})" in note
    assert f"mentee E2 ({pairs['E2'].pair_id})" in note


def test_confirm_follows_how_matches_xlsx_was_made(programme: Path, built) -> None:
    end_pair(programme, "P003", "no-fault", now=NOW)  # E3 is waiting for a new mentor
    path = programme / "matches.xlsx"
    assert invoke("match", programme, "--rematch")[0] == 0
    proposed = pairs_in(table(path, "Proposed pairs"))
    assert [e for _, e in proposed] == ["E3"]
    about = openpyxl.load_workbook(path)["About"]
    assert (about.sheet_state, about["B2"].value) == ("hidden", "yes")
    code, out = invoke("match", programme, "--confirm")  # without --rematch: follows the file
    assert code == 0 and "Confirmed 1 pair(s) of matches.xlsx (made with --rematch)" in out, out
    with Ledger(programme / "mentorkit.db") as ledger:
        confirmed = [(c.mentor_id, c.mentee_id) for c in MatchingStore(ledger).confirmations()]
    assert confirmed == proposed


def test_rematch_confirm_of_a_file_made_without_it_is_said(programme: Path, built) -> None:
    end_pair(programme, "P003", "no-fault", now=NOW)
    invoke("match", programme)
    run = match_programme(programme, rematch=True, confirm=True, now=NOW)
    assert [f.code for f in run.findings] == ["MAT026"]
    assert (run.rematch, run.confirmed) == (False, [])


def test_each_reviewed_pair_not_confirmed_is_located_with_why(programme: Path) -> None:
    _no_typed_pairs(programme)
    invoke("match", programme)
    path = programme / "matches.xlsx"
    rows = table(path, "Proposed pairs")
    full = str(rows[0]["mentor_id"])
    index = [p[0] for p in PEOPLE].index(full)
    people = _people(**{f"r{index}": {"capacity": "0"}})
    write_atomic(programme / "roster.xlsx", render_roster_template(NOW, people=people, pairs=[]))
    run = match_programme(programme, confirm=True, now=NOW)
    dropped = [r for r in rows if r["mentor_id"] == full]
    mine = [f for f in run.findings if f.code == "MAT027"]
    assert [(f.sheet, f.row) for f in mine] == [("Proposed pairs", r["_row"]) for r in dropped]
    assert all("no free place (capacity 0, 0 active pairs)" in f.message for f in mine)
    assert all(f"'mentorkit match {programme} --confirm'" in f.todo for f in mine)
    assert len(run.confirmed) == len(rows) - len(dropped)
    code, out = invoke("match", programme, "--confirm")  # the rewritten file: nothing left out
    assert code == 1 and "Confirmed 0 pair(s)" in out and "[MAT027]" not in out, out


def test_a_missing_roster_gets_advice_that_works(programme: Path, tmp_path: Path) -> None:
    (programme / "roster.xlsx").unlink()
    with pytest.raises(ConfigError) as err:
        read_roster(programme / "roster.xlsx", load_framework())
    assert [(f.code, f.file) for f in err.value.findings] == [("ROS021", "roster.xlsx")]
    code, out = invoke("check", programme)
    assert code == 2 and "[ROS021]" in out and "CFG003" not in out, out
    # The advice: init a new folder elsewhere and copy its roster.xlsx here.
    fresh = tmp_path / "fresh"
    assert invoke("init", fresh)[0] == 0
    shutil.copy(fresh / "roster.xlsx", programme / "roster.xlsx")
    assert invoke("check", programme)[0] == 0


def test_a_key_given_twice_in_programme_yaml_is_reported_with_both_lines(programme: Path) -> None:
    config = programme / "programme.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  cross_sector:"))
    lines.insert(at + 1, "  cross_sector: preferred")
    lines.append("planned_pairs: 0")
    first_pairs = next(i for i, line in enumerate(lines) if line.startswith("planned_pairs:"))
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_programme(config)
    got = [(f.code, f.message.split(":")[0], f.value) for f in err.value.findings]
    assert got[:2] == [
        ("CFG002", f"key matching.cross_sector (lines {at + 1} and {at + 2})",
         "any, then preferred"),
        ("CFG002", f"key planned_pairs (lines {first_pairs + 1} and {len(lines)})",
         f"{lines[first_pairs].split(': ')[1].split()[0]}, then 0"),
    ]  # fmt: skip
    assert [f.code for f in err.value.findings[2:]] == ["CFG002"]  # and planned_pairs >= 1
