"""Shared fixtures: a small programme folder, built, ready to be filled and synced."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builders.programme import BuildResult, build_programme, create_programme
from toolkit.contract import Contract, load_contract
from toolkit.demo.fill import PairWorkbookFiller
from toolkit.framework import load_framework
from toolkit.ledger import Ledger

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
START = dt.date(2026, 1, 1)

PEOPLE = [
    ("M1", "Grace Wanjiru", "grace@example.org", "mentor", "KE", "Nairobi", "Health", "senior",
     "en, fr", "female", "", "evaluation"),
    ("M2", "Aminata Ndiaye", "aminata@example.org", "mentor", "SN", "Dakar", "Health", "senior",
     "fr", "female", "", "data"),
    ("M3", "Peter Kamau", "peter@example.org", "mentor", "KE", "Kisumu", "WASH", "mid",
     "en", "male", "", "technical"),
    ("E1", "Brian Otieno", "brian@example.org", "mentee", "KE", "Kisumu", "Health", "junior",
     "en", "male", "M3", "technical"),
    ("E2", "Awa Sow", "awa@example.org", "mentee", "SN", "Dakar", "Health", "junior",
     "fr", "female", "", "data"),
    ("E3", "Lucy Wambui", "lucy@example.org", "mentee", "KE", "Nairobi", "WASH", "junior",
     "en", "female", "", "communication"),
]  # fmt: skip
PAIRS = [("M1", "E1"), ("M2", "E2"), ("M3", "E3")]
PAIR_LANG = {"P001": "en", "P002": "fr", "P003": "en"}


@pytest.fixture
def contract() -> Contract:
    return load_contract(load_framework())


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    """A programme folder with three pairs (two English, one French), not yet built."""
    root = tmp_path / "prog"
    create_programme(
        root, programme_id="test", name="Test Programme", cohort="2026-A", start_date=START,
        people=PEOPLE, pairs=PAIRS, secret="test-secret", now=NOW,
    )  # fmt: skip
    return root


@pytest.fixture
def built(programme: Path) -> BuildResult:
    """The programme after ``build``: one workbook per pair in outbox/."""
    return build_programme(programme, now=NOW, as_of=START)


@pytest.fixture
def fill(
    programme: Path, built: BuildResult, contract: Contract
) -> Callable[..., PairWorkbookFiller]:
    """Open a pair's issued workbook for filling (``fill("P001")``), answering "Who is sending
    this copy?" as ``sender`` (the mentee by default; "" leaves it unanswered)."""

    def opener(pair_id: str, source: Path | None = None, sender: str = "mentee"):
        path = source or next(w.path for w in built.workbooks if w.pair_id == pair_id)
        filler = PairWorkbookFiller(path, contract, PAIR_LANG[pair_id])
        if sender:
            filler.set("start", "returned_by", sender)
        return filler

    return opener


@pytest.fixture
def ledger_values(programme: Path) -> Callable[[str], dict]:
    """The current values of one pair, as {(tool, row_key, field): value}."""

    def read(pair_id: str) -> dict:
        with Ledger(programme / "mentorkit.db") as ledger:
            return ledger.current_values(pair_id).get(pair_id, {})

    return read


def soffice_path() -> str | None:
    """LibreOffice's command, or None. In CI its absence is a failure, not a skip."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is required in CI; .ci/run should install it")
    return found


@pytest.fixture
def soffice() -> str:
    found = soffice_path()
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it and runs this test")
    return found


@pytest.fixture(scope="session")
def demo_year(tmp_path_factory: pytest.TempPathFactory):
    """One run of ``mentorkit demo`` (seed 7) shared by the test modules that read what it
    leaves. It runs as on a machine without LibreOffice (so its files are the same on every
    machine, and the demo's "not installed" path is exercised); tests/test_cli.py runs it with
    LibreOffice."""
    from toolkit.demo import run_demo

    root = tmp_path_factory.mktemp("demo-year") / "demo"
    said: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("toolkit.demo.year.find_soffice", lambda: None)
        result = run_demo(root, seed=7, echo=said.append)
    assert result.progress == said  # what it kept is what it said
    return result
