"""Crash safety: the sync lock, a sync killed mid-run (a real subprocess and SIGKILL), the
master workbook replaced through a temporary file with a backup, a locked master, dry runs,
receipts, conflicts on the master and in the next revision, and encrypted issue."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from builders.programme import build_programme
from builders.receipt import ReceiptWriter, receipt_name
from sync.lock import LOCK_NAME
from sync.run import sync_programme
from tests.test_roundtrip import _typical
from toolkit.cli import cli
from toolkit.demo.fill import PairWorkbookFiller
from toolkit.ledger import Ledger

RETURNED = dt.datetime(2026, 4, 10, 17, 0, tzinfo=dt.timezone.utc)
ROOT = Path(__file__).resolve().parent.parent


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def test_a_second_sync_is_refused_while_one_runs(programme: Path, built) -> None:
    # This test process plays the running sync: it is alive, so its lock holds.
    (programme / LOCK_NAME).write_text(f"{os.getpid()}\n{os.uname().nodename}\n2026-04-10T17:00\n")
    (programme / "inbox" / "x.xlsx").write_bytes(built.workbooks[0].path.read_bytes())

    result = CliRunner().invoke(cli, ["sync", str(programme)])

    assert result.exit_code == 2
    assert "SYN001" in result.output and str(os.getpid()) in result.output
    assert (programme / "inbox" / "x.xlsx").exists()  # nothing was done


def test_a_stale_lock_is_taken_over_with_a_note(programme: Path, built) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (programme / LOCK_NAME).write_text(f"{dead.pid}\n{os.uname().nodename}\n2026-04-10T16:00\n")
    (programme / "inbox" / "x.xlsx").write_bytes(built.workbooks[0].path.read_bytes())

    result = sync_programme(programme, now=RETURNED)

    assert [(n.code, n.value) for n in result.notes] == [("SYN002", str(dead.pid))]
    assert [o.status for o in result.files] == ["accepted"]
    assert not (programme / LOCK_NAME).exists()


def _meaningful(ledger_path: Path) -> dict[str, list[tuple]]:
    """The ledger's content without ids and arrival times, which differ between runs."""
    conn = sqlite3.connect(ledger_path)
    queries = {
        # A quarantined file's saved-at is its arrival time: a timestamp like received_at.
        "submissions": "SELECT file_name, sha256, "
        "CASE WHEN status = 'accepted' THEN saved_at ELSE '' END, pair_id, revision, returned_by, "
        "status, reason_code, stored_as, values_new, values_changed FROM submissions",
        "values": "SELECT s.file_name, v.pair_id, v.tool, v.row_key, v.field, v.value "
        "FROM field_values v JOIN submissions s USING (submission_id)",
        "snapshots": "SELECT s.file_name, n.tool, n.row_key, n.field, n.value "
        "FROM snapshots n JOIN submissions s USING (submission_id)",
        "findings": "SELECT s.file_name, f.code, f.sheet, f.cell, f.value "
        "FROM findings f JOIN submissions s USING (submission_id)",
        "conflicts": "SELECT pair_id, tool, row_key, field, value, other_value, current_value "
        "FROM conflicts",
        "current": "SELECT pair_id, tool, row_key, field, value FROM current_values",
    }
    out = {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}
    conn.close()
    return out


def _alive(pid: int) -> bool:
    """Whether a process still runs (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    """The processes ``pid`` forked (Linux), waiting briefly for the first."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    for _ in range(200):
        found = [int(p) for p in path.read_text().split()] if path.exists() else []
        if found:
            return found
        time.sleep(0.01)
    return []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills and /proc: Linux")
def test_a_sync_killed_mid_run_then_run_again_gives_the_same_ledger(
    programme: Path, fill, tmp_path: Path
) -> None:
    import shutil

    for i in range(40):
        f = fill(("P001", "P002", "P003")[i % 3], sender=("mentee", "mentor")[i % 2])
        f.set("sessions", "minutes", 30 + i, str(1 + i % 12))
        f.set("agreement", "goal_1", f"Goal {i}")
        f.save(programme / "inbox" / f"{i:02d}.xlsx", saved_at=dt.datetime(2026, 3, 1, 9, i))
    (programme / "inbox" / "junk.xlsx").write_bytes(b"not a workbook")
    calm = tmp_path / "calm"
    shutil.copytree(programme, calm)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "from toolkit.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "sync", str(programme)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    ledger_path = programme / "mentorkit.db"
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        with sqlite3.connect(ledger_path, timeout=5) as conn:
            done = conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        if done >= 5:
            break
        time.sleep(0.005)
    children = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Its reader and worker processes die with it (PR_SET_PDEATHSIG on Linux).
    time.sleep(0.5)
    assert children and not [pid for pid in children if _alive(pid)]
    assert 5 <= done < 41, "the sync was not interrupted mid-run"
    assert (programme / LOCK_NAME).exists()  # the killed sync left its lock

    receipts = programme / "outbox" / "receipts"
    before = {p.name for p in receipts.iterdir()} if receipts.is_dir() else set()
    assert len(before) >= done - 1  # each recorded file's receipt was written before it
    again = sync_programme(programme, receipts=ReceiptWriter(programme))
    sync_programme(calm, receipts=ReceiptWriter(calm))

    assert [n.code for n in again.notes] == ["SYN002"]
    # Files the killed sync recorded are reported as it took them in, not as duplicates.
    resumed = [o for o in again.files if o.resumed]
    assert resumed and {o.status for o in resumed} <= {"accepted", "quarantined"}
    assert not [o for o in again.files if o.status == "duplicate"]
    # Exactly one receipt per file, the same ones as an uninterrupted sync wrote.
    with sqlite3.connect(ledger_path) as conn:
        rows = conn.execute("SELECT sha256, file_name FROM submissions").fetchall()
    expected = {receipt_name(sha, name) for sha, name in rows}
    assert len(expected) == 41
    assert {p.name for p in receipts.iterdir()} == expected
    assert {p.name for p in (calm / "outbox" / "receipts").iterdir()} == expected
    killed, uninterrupted = _meaningful(ledger_path), _meaningful(calm / "mentorkit.db")
    for table in killed:
        assert set(killed[table]) ^ set(uninterrupted[table]) == set(), table
    assert killed == uninterrupted
    assert not list((programme / "inbox").iterdir())


def test_the_master_is_replaced_whole_and_the_previous_one_kept(programme: Path, built) -> None:
    before = (programme / "master.xlsx").read_bytes()
    (programme / "inbox" / "x.xlsx").write_bytes(built.workbooks[0].path.read_bytes())
    result = CliRunner().invoke(cli, ["sync", str(programme)])
    assert result.exit_code == 0, result.output
    assert (programme / "master.bak.xlsx").read_bytes() == before
    assert (programme / "master.xlsx").read_bytes() != before
    assert not [p for p in programme.iterdir() if p.suffix == ".tmp"]


def test_a_locked_master_does_not_stop_the_sync(programme: Path, fill, monkeypatch) -> None:
    import builders.xlsx

    real = os.replace

    def locked(src: object, dst: object) -> None:
        if Path(str(dst)).name == "master.xlsx":
            raise PermissionError(13, "The process cannot access the file")
        real(src, dst)

    monkeypatch.setattr(builders.xlsx.os, "replace", locked)
    f = fill("P001")
    _typical(f)
    f.save(programme / "inbox" / "x.xlsx")

    result = CliRunner().invoke(cli, ["sync", str(programme)])

    assert result.exit_code == 0, result.output
    assert f"mentorkit report {programme}" in result.output
    assert "run the command again" not in result.output  # one instruction, not two
    with Ledger(programme / "mentorkit.db") as ledger:
        assert [s.status for s in ledger.submissions()] == ["accepted"]
    monkeypatch.setattr(builders.xlsx.os, "replace", real)
    assert CliRunner().invoke(cli, ["report", str(programme)]).exit_code == 0


def test_dry_run_prints_the_same_summary_and_writes_nothing(programme: Path, fill) -> None:
    f = fill("P001")
    _typical(f)
    f.save(programme / "inbox" / "a.xlsx")
    (programme / "inbox" / "junk.xlsx").write_bytes(b"junk")
    ledger = (programme / "mentorkit.db").read_bytes()

    dry = CliRunner().invoke(cli, ["sync", str(programme), "--dry-run"])

    assert (programme / "mentorkit.db").read_bytes() == ledger
    assert not (programme / "outbox" / "receipts").exists()
    assert not (programme / "master.bak.xlsx").exists()
    real = CliRunner().invoke(cli, ["sync", str(programme)])
    prefix = "Dry run (nothing written): "
    dry_lines = dry.output.replace(prefix, "").splitlines()
    assert dry.exit_code == real.exit_code == 1
    assert dry_lines == real.output.splitlines()[: len(dry_lines)]


def test_every_processed_file_gets_a_receipt_in_the_pair_s_language(programme, fill) -> None:
    french = fill("P002")
    french.type_raw("sessions", "minutes", "quatre-vingt-dix", "1")
    french.set("sessions", "session_date", dt.date(2026, 1, 21), "1")
    french.save(programme / "inbox" / "classeur.xlsx")
    (programme / "inbox" / "junk.xlsx").write_bytes(b"junk")

    result = CliRunner().invoke(cli, ["sync", str(programme)])

    assert "Wrote 2 receipt(s)" in result.output
    receipts = sorted((programme / "outbox" / "receipts").iterdir())
    assert len(receipts) == 2 and all(p.name.startswith("receipt_") for p in receipts)
    by_name = {p.name.split("_", 2)[2]: _sheets(p) for p in receipts}
    [fr] = by_name["classeur.xlsx"].values()
    text = "\n".join(str(v) for row in fr for v in row)
    assert "Accusé de réception" in text and "Journal des séances" in text
    assert "VAL003" in text and "D5" in text and "quatre-vingt-dix" in text
    [junk] = by_name["junk.xlsx"].values()  # unknown pair: the programme's default language
    assert "Not accepted" in "\n".join(str(v) for row in junk for v in row)
    # Names come from each file's SHA-256 and name: the same file, the same receipt name.
    from builders.receipt import receipt_name

    with Ledger(programme / "mentorkit.db") as ledger:
        expected = {receipt_name(s.sha256, s.file_name) for s in ledger.submissions()}
    assert {p.name for p in receipts} == expected


def test_conflicts_are_listed_on_the_master_and_refresh_carries_the_winner(
    programme: Path, fill, contract
) -> None:
    mentor, mentee = fill("P001", sender="mentor"), fill("P001", sender="mentee")
    mentor.set("agreement", "goal_1", "Mentor's goal")
    mentor.save(programme / "inbox" / "mentor.xlsx", saved_at=dt.datetime(2026, 3, 2, 9, 0))
    mentee.set("agreement", "goal_1", "Mentee's goal")
    mentee.save(programme / "inbox" / "mentee.xlsx", saved_at=dt.datetime(2026, 3, 9, 9, 0))

    result = CliRunner().invoke(cli, ["sync", str(programme)])

    assert "Conflicts (1)" in result.output and "SYN003" in result.output
    conflicts = _sheets(programme / "master.xlsx")["Conflicts"]
    row = next(r for r in conflicts if r[0] == "P001")
    assert row[4] == "Mentee's goal" and row[8] == "Mentor's goal" and row[-1] == "Mentee's goal"
    refreshed = build_programme(programme, refresh=True, now=RETURNED)
    r2 = next(w.path for w in refreshed.workbooks if w.pair_id == "P001")
    shown = PairWorkbookFiller(r2, contract, "en").wb["Agreement"]
    assert "Mentee's goal" in [c.value for c in shown["B"]]


def test_encrypted_build_lists_passwords_only_on_the_master(programme: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(programme), "--encrypt"])
    assert result.exit_code == 0, result.output
    master = _sheets(programme / "master.xlsx")
    rows = master["Passwords (coordinator only)"]
    passwords = {r[0]: r[5] for r in rows if str(r[0]).startswith("P0")}
    assert sorted(passwords) == ["P001", "P002", "P003"] and len(set(passwords.values())) == 3
    for path in (programme / "outbox").glob("*.xlsx"):
        data = path.read_bytes()
        assert data[:4] == b"\xd0\xcf\x11\xe0"  # encrypted: an OLE2 container, not a zip
        assert not any(p.encode() in data for p in passwords.values())


def test_confidentiality_setting_makes_encryption_the_default(programme: Path) -> None:
    config = programme / "programme.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "\nconfidentiality:\n  encrypt_workbooks: true\n  password_scope: programme\n",
        encoding="utf-8",
    )
    built = build_programme(programme, now=RETURNED)
    assert all(w.path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0" for w in built.workbooks)
    with Ledger(programme / "mentorkit.db") as ledger:
        assert list(ledger.workbook_passwords()) == ["*"]
    # The returned (still encrypted) workbook is opened with the programme's password.
    (programme / "inbox" / "back.xlsx").write_bytes(built.workbooks[1].path.read_bytes())
    [outcome] = sync_programme(programme, now=RETURNED).files
    assert (outcome.status, outcome.pair_id) == ("accepted", "P002")


@pytest.mark.parametrize("lang", ["fr", "es", "pt"])
def test_new_sync_codes_are_translated(lang: str) -> None:
    from toolkit.messages import translations

    table = translations()
    for code in ("FIL008", "FIL009", "FIL010", "FIL011", "IDN006", "IDN007", "VAL015", "VAL016",
                 "VAL017", "VAL018", "SYN001", "SYN002", "SYN003"):  # fmt: skip
        assert table[code][lang]["text"] and table[code][lang]["todo"], (code, lang)


def test_the_ledger_is_one_plain_file_once_a_sync_is_done(programme: Path, fill) -> None:
    # Sync writes with a write-ahead log for speed, but a ledger at rest must be a single file
    # that can be copied, backed up or kept on a shared drive.
    f = fill("P001")
    _typical(f)
    f.save(programme / "inbox" / "a.xlsx")

    sync_programme(programme)

    assert not list(programme.glob("mentorkit.db-*"))
    with sqlite3.connect(programme / "mentorkit.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_a_closed_stdout_does_not_stop_the_master_or_the_receipts(programme: Path, fill) -> None:
    for i in range(3):
        fill("P001").save(programme / "inbox" / f"{i}.xlsx", saved_at=RETURNED)
    (programme / "inbox" / "junk.xlsx").write_bytes(b"not a workbook")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "from toolkit.cli import main; main()"
    sync = subprocess.Popen(
        [sys.executable, "-c", code, "sync", str(programme)], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert sync.stdout is not None and sync.stderr is not None
    sync.stdout.close()  # `| head -0`: the reader goes away before the sync prints anything
    errors = sync.stderr.read().decode()
    assert sync.wait(60) == 1  # a quarantined file: the coordinator's attention
    assert "Traceback" not in errors and "BrokenPipe" not in errors
    assert (programme / "master.xlsx").is_file()
    assert len(list((programme / "outbox" / "receipts").iterdir())) == 4


def test_a_receipt_counts_filled_values_and_lists_sheets_in_workbook_order(
    programme: Path, fill
) -> None:
    from builders.receipt import ReceiptWriter, receipt_name

    f = fill("P001")
    f.set("agreement", "goal_1", "One goal")
    f.set("sessions", "minutes", 45, "1")
    f.save(programme / "inbox" / "r.xlsx", saved_at=RETURNED)

    [outcome] = sync_programme(programme, now=RETURNED, receipts=ReceiptWriter(programme)).files
    rows = _sheets(programme / "outbox" / "receipts" / receipt_name(outcome.sha256, "r.xlsx"))
    [table] = rows.values()
    columns = ["Sheet", "Values read", "New or changed"]
    header = next(i for i, r in enumerate(table) if r[:3] == columns)
    listed = []
    for r in table[header + 1 :]:
        if not r[0]:
            break
        listed.append((r[0], r[1]))
    assert listed == [("Agreement", 1), ("Session log", 1)]  # filled cells, in workbook order


def test_build_refresh_says_how_many_pairs_it_refreshed(programme: Path, built) -> None:
    result = CliRunner().invoke(cli, ["build", str(programme), "--refresh"])

    assert result.exit_code == 0, result.output
    assert "(0 new pair(s), 3 refreshed as a new revision)" in result.output


def test_a_sync_with_only_a_conflict_needs_attention(programme: Path, fill) -> None:
    mentor, mentee = fill("P001", sender="mentor"), fill("P001", sender="mentee")
    mentor.set("agreement", "goal_1", "Mentor's goal")
    mentor.save(programme / "inbox" / "mentor.xlsx", saved_at=dt.datetime(2026, 3, 2, 9, 0))
    mentee.set("agreement", "goal_1", "Mentee's goal")
    mentee.save(programme / "inbox" / "mentee.xlsx", saved_at=dt.datetime(2026, 3, 9, 9, 0))

    result = sync_programme(programme, now=RETURNED)

    assert {x.code for x in result.findings} == {"SYN003"}
    assert result.exit_code == 1  # README: 1 = something needs the coordinator's attention
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(a conflict)" in readme.split("Exit codes:")[1][:600]
