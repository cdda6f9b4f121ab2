"""sample_workbooks/ is up to date with the code (contents compared, not bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from toolkit.cli.samples import RETURNED_SAMPLE, SAMPLES, write_samples

COMMITTED = Path(__file__).resolve().parent.parent / "sample_workbooks"


def contents(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("samples")
    write_samples(target)
    return target


@pytest.mark.parametrize("name", sorted([*SAMPLES, RETURNED_SAMPLE]))
def test_sample_is_up_to_date(regenerated: Path, name: str) -> None:
    committed = COMMITTED / name
    assert committed.is_file(), f"{name} is missing: run 'mentorkit samples sample_workbooks'"
    assert contents(committed) == contents(regenerated / name), (
        f"sample_workbooks/{name} is out of date: run 'mentorkit samples sample_workbooks'"
    )


def test_samples_readme_lists_every_sample() -> None:
    readme = (COMMITTED / "README.md").read_text(encoding="utf-8")
    for name in [*SAMPLES, RETURNED_SAMPLE]:
        assert name in readme
