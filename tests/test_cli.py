"""Every command through click's CliRunner: output, files and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.ledger import Ledger

COMMANDS = sorted(cli.commands)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(cli.commands[command].help or "") > 40
    assert "Usage: " in result.output


def test_init_check_build_sync_report(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "prog"
    result = runner.invoke(cli, ["init", str(root), "--id", "acme", "--start", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "programme.yaml" in result.output and (root / "roster.xlsx").is_file()

    again = runner.invoke(cli, ["init", str(root)])
    assert again.exit_code == 2 and "already holds a programme" in again.output

    checked = runner.invoke(cli, ["check", str(root)])
    assert checked.exit_code == 0
    assert "1 mentors, 1 mentees, 1 pairs" in checked.output

    built = runner.invoke(cli, ["build", str(root)])
    assert built.exit_code == 0, built.output
    assert "Built 1 pair workbook(s)" in built.output
    issued = root / "outbox" / "acme_P001_r1.xlsx"
    assert issued.is_file() and (root / "master.xlsx").is_file()

    rebuilt = runner.invoke(cli, ["build", str(root)])
    assert "Built 0 pair workbook(s)" in rebuilt.output and "1 already issued" in rebuilt.output

    (root / "inbox" / "back.xlsx").write_bytes(issued.read_bytes())
    (root / "inbox" / "junk.xlsx").write_bytes(b"not a workbook")
    dry = runner.invoke(cli, ["sync", str(root), "--dry-run"])
    assert dry.exit_code == 1 and dry.output.startswith("Dry run (nothing written)")
    assert (root / "inbox" / "back.xlsx").exists()

    synced = runner.invoke(cli, ["sync", str(root)])
    assert synced.exit_code == 1
    assert "1 accepted, 0 duplicate, 1 quarantined" in synced.output
    assert "[FIL001]" in synced.output and "Regenerated" in synced.output

    clean = runner.invoke(cli, ["sync", str(root)])
    assert clean.exit_code == 0 and "0 file(s) in inbox/" in clean.output

    report = runner.invoke(cli, ["report", str(root)])
    assert report.exit_code == 0 and "Regenerated" in report.output


def test_configuration_error_exits_2_with_location(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "prog"
    runner.invoke(cli, ["init", str(root)])
    config = root / "programme.yaml"
    config.write_text(config.read_text().replace("months: 12", "months: 40"), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(root)])
    assert result.exit_code == 2
    assert "[CFG002]" in result.output and "cycle.months" in result.output
    assert "Traceback" not in result.output


def test_not_a_programme_folder_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    for command in ("check", "build", "sync", "report"):
        result = runner.invoke(cli, [command, str(tmp_path / "nowhere")])
        assert result.exit_code == 2, command
        assert "mentorkit init" in result.output


def test_schema_prints_json_naming_the_four_tools(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    tools = [t["code"] for t in json.loads(result.output)["tools"]]
    assert tools == ["start", "agreement", "competencies", "sessions", "reflection"]


def test_demo_then_sync_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    result = runner.invoke(cli, ["demo", str(root)])
    assert result.exit_code == 0, result.output
    assert "Where to look" in result.output
    assert len(list((root / "outbox").glob("*.xlsx"))) == 14
    assert len(list((root / "quarantine").glob("*.reason.txt"))) == 1
    with Ledger(root / "mentorkit.db") as ledger:
        before = (ledger.value_count(), len(ledger.submissions()), ledger.current_values())

    again = runner.invoke(cli, ["sync", str(root)])

    assert again.exit_code == 0
    with Ledger(root / "mentorkit.db") as ledger:
        assert (ledger.value_count(), len(ledger.submissions()), ledger.current_values()) == before


def test_demo_shows_how_each_odd_return_was_handled(
    runner: CliRunner, tmp_path: Path, soffice: str
) -> None:
    from python_calamine import CalamineWorkbook

    root = tmp_path / "demo"
    assert runner.invoke(cli, ["demo", str(root)]).exit_code == 0
    wb = CalamineWorkbook.from_path(str(root / "master.xlsx"))
    submissions = wb.get_sheet_by_name("Submissions").to_python()[4:]
    quality = wb.get_sheet_by_name("Data quality").to_python()[4:]
    handled = {(r[3], r[9], r[10]) for r in submissions}
    assert ("Re_ classeur P006 (2).ods", "accepted", "") in handled  # LibreOffice .ods
    assert ("Re_ workbook P003 (2).xlsx", "accepted", "") in handled  # LibreOffice .xlsx
    assert ("Re_ workbook P002 (1).xlsx", "duplicate", "FIL005") in handled
    assert ("P007 renvoi.xlsx", "quarantined", "FIL002") in handled
    assert ("Fwd_ old workbook P010.xlsx", "FIL011") in {(r[1], r[3]) for r in quality}
    assert len(list((root / "outbox" / "receipts").glob("receipt_*.xlsx"))) == 15 + 14 + 13 + 12


def test_the_demo_says_plainly_when_libreoffice_is_missing(tmp_path: Path, monkeypatch) -> None:
    import shutil

    from toolkit.cli.demo import run_demo

    monkeypatch.setattr(shutil, "which", lambda name: None)
    said: list[str] = []
    result = run_demo(tmp_path / "demo", echo=said.append)
    assert any("LibreOffice (soffice) is not installed" in line for line in said)
    names = [o.name for r in result.rounds for o in r.files]
    assert "Re_ classeur P006 (2).xlsx" in names and not any(n.endswith(".ods") for n in names)
