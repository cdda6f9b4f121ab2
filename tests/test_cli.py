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


@pytest.fixture(scope="module")
def demo_twice(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    """``mentorkit demo DIR --seed 7`` run twice, as a user would, with LibreOffice: each
    run's folder and output."""
    from tests.conftest import soffice_path

    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it and runs this test")
    runs = []
    for n in (1, 2):
        root = tmp_path_factory.mktemp(f"demo{n}") / "y"
        result = CliRunner().invoke(cli, ["demo", str(root), "--seed", "7"])
        assert result.exit_code == 0, result.output
        runs.append((root, result.output))
    return runs


@pytest.mark.libreoffice
def test_demo_twice_with_the_same_seed_gives_the_same_ledger(demo_twice) -> None:
    from toolkit.demo.digest import ledger_digest

    (first, said_first), (second, said_second) = demo_twice
    digests = [line for line in (said_first + said_second).splitlines()
               if line.startswith("Ledger digest: ")]  # fmt: skip
    assert len(digests) == 2 and digests[0] == digests[1]
    # Byte for byte too, except the one .ods LibreOffice orders differently on each run.
    with Ledger(first / "mentorkit.db") as a, Ledger(second / "mentorkit.db") as b:
        files_a = {(s.file_name, s.sha256) for s in a.submissions()}
        files_b = {(s.file_name, s.sha256) for s in b.submissions()}
    differ = {name for name, _ in files_a ^ files_b}
    assert all(name.endswith(".ods") for name in differ) and len(differ) <= 1
    # The digest is the ledger's, with only that file's bytes left out.
    with Ledger(first / "mentorkit.db") as a:
        varying = [s.sha256 for s in a.submissions() if s.file_name.endswith(".ods")]
    assert digests[0] == f"Ledger digest: {ledger_digest(first / 'mentorkit.db', varying)}"


@pytest.mark.libreoffice
def test_demo_then_sync_changes_nothing(runner: CliRunner, demo_twice) -> None:
    root, said = demo_twice[0]
    assert "Where to look" in said
    assert len(list((root / "outbox").glob("*_r1.xlsx"))) == 49  # 48 pairs and the re-match
    assert len(list((root / "quarantine").glob("*.reason.txt"))) == 2
    with Ledger(root / "mentorkit.db") as ledger:
        before = (ledger.value_count(), len(ledger.submissions()), ledger.current_values())

    again = runner.invoke(cli, ["sync", str(root)])

    assert again.exit_code == 0
    with Ledger(root / "mentorkit.db") as ledger:
        assert (ledger.value_count(), len(ledger.submissions()), ledger.current_values()) == before


@pytest.mark.libreoffice
def test_demo_shows_how_each_odd_return_was_handled(demo_twice) -> None:
    from python_calamine import CalamineWorkbook

    from toolkit.demo import year

    root, _ = demo_twice[0]
    with Ledger(root / "mentorkit.db") as ledger:
        pair_of = {p.mentee_id: p.pair_id for p in reversed(ledger.pairs())}
        language = {p.pair_id: p.language for p in ledger.pairs()}
    wb = CalamineWorkbook.from_path(str(root / "master.xlsx"))
    submissions = wb.get_sheet_by_name("Submissions").to_python()[4:]
    quality = wb.get_sheet_by_name("Data quality").to_python()[4:]
    handled = {(r[3], r[9], r[10]) for r in submissions}
    word = {"en": "workbook", "fr": "classeur", "es": "libro", "pt": "livro"}
    for mentee, fmt in year.LIBREOFFICE.items():
        pid = pair_of[mentee]
        quarter = "Q2" if language[pid] == "en" else "T2"
        name = f"Re_ {word[language[pid]]} {pid} ({quarter}).{fmt}"
        assert (name, "accepted", "") in handled, name  # re-saved by LibreOffice
    statuses = {(r[9], r[10]) for r in submissions}
    assert {
        ("duplicate", "FIL005"),
        ("quarantined", "FIL002"),
        ("quarantined", "FIL004"),
    } <= statuses
    stale = pair_of[year.STALE]
    assert any(r[3] == "FIL011" and stale in r[1] for r in quality)
    assert len(list((root / "outbox" / "receipts").glob("receipt_*.xlsx"))) == len(submissions)
