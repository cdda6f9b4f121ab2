"""Regenerating ``sample_workbooks/``: what the demo produces, for people who cannot install
anything. Deterministic: the demo runs with a fixed seed and fixed clock."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from toolkit.cli.demo import BUILT_AT, MENTEES, MENTORS, START, _person, run_demo

SEED = 7
# sample file name → path inside the demo folder
SAMPLES: dict[str, str] = {
    "pair-workbook-blank-en.xlsx": "outbox/demo_P001_r1.xlsx",
    "pair-workbook-blank-fr.xlsx": "outbox/demo_P006_r1.xlsx",
    "roster.xlsx": "roster.xlsx",
    "master.xlsx": "master.xlsx",
    "matches.xlsx": "matching-example/matches.xlsx",
    "master-anonymous.xlsx": "master-anonymous.xlsx",
    "review-2026.xlsx": "review-2026.xlsx",
}
RETURNED_SAMPLE = "pair-workbook-returned-en.xlsx"
RETURNED_SOURCE = "Re_ workbook P001 (4).xlsx"


def write_samples(target: Path) -> list[Path]:
    """Run the demo in a temporary folder and copy its showcase files into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="mentorkit-samples-") as tmp:
        root = Path(tmp) / "demo"
        run_demo(root, seed=SEED, libreoffice=False)  # LibreOffice output varies
        _matching_example(root / "matching-example")
        sources = {name: root / rel for name, rel in SAMPLES.items()}
        sources[RETURNED_SAMPLE] = next((root / "archive").glob(f"*_{RETURNED_SOURCE}"))
        for name, source in sorted(sources.items()):
            shutil.copyfile(source, target / name)
            written.append(target / name)
    return written


def _matching_example(root: Path) -> None:
    """The demo's people without their typed pairs, matched by ``mentorkit match``."""
    from builders.matches import match_programme
    from builders.programme import create_programme

    people = [_person(p, "mentor") for p in MENTORS] + [_person(p, "mentee") for p in MENTEES]
    create_programme(
        root, programme_id="demo", name="Regional M&E Mentoring Programme", cohort="2026-A",
        start_date=START, people=people, pairs=[], secret=f"demo-secret-{SEED}", now=BUILT_AT,
    )  # fmt: skip
    match_programme(root, now=BUILT_AT)
