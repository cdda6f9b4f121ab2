"""sample_workbooks/ is up to date with the code (contents compared, not bytes), its README lists
every file, and the main README's pictures are committed files.

The demo runs once for the whole module, through ``mentorkit samples`` with LibreOffice and
pdftoppm hidden: that checks the command still writes every workbook and says plainly that the
pictures were left as they were (the pictures themselves are drawn in tests/test_pictures.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from builders.receipt import receipt_label
from toolkit.cli import cli
from toolkit.demo.samples import PICTURES_FOLDER, README

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "sample_workbooks"
WORKBOOKS = sorted(p.name for p in COMMITTED.glob("*.xlsx"))


def contents(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``mentorkit samples`` into a fresh folder, with no LibreOffice or pdftoppm to be found."""
    target = tmp_path_factory.mktemp("samples") / "sample_workbooks"
    # An earlier run's folder: its README lists a sample that is no longer one; the
    # coordinator's own notes are not listed and must be kept.
    (target / PICTURES_FOLDER).mkdir(parents=True)
    (target / "receipt-xx.xlsx").write_bytes(b"old")
    (target / PICTURES_FOLDER / "old.png").write_bytes(b"old")
    (target / "notes.txt").write_text("mine")
    (target / README).write_text(
        "# Sample workbooks\n\n| `receipt-xx.xlsx` | old |\n| `pictures/old.png` | old |\n"
        "| `../outside.txt` | never removed |\n\nmentorkit samples\n"
    )
    (target.parent / "outside.txt").write_text("not a sample")
    real_which = shutil.which

    def which(name: str, *args: object, **kwargs: object) -> str | None:
        hidden = name in ("soffice", "libreoffice", "pdftoppm")
        return None if hidden else real_which(name, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shutil, "which", which)
        run = CliRunner().invoke(cli, ["samples", str(target)])
    assert run.exit_code == 0, run.output
    return target, run.output


def test_samples_without_libreoffice_still_writes_the_workbooks(
    regenerated: tuple[Path, str],
) -> None:
    target, output = regenerated
    assert "[PIC001]" in output
    assert f"the pictures in {target / PICTURES_FOLDER} were left as they were" in output
    assert not list((target / PICTURES_FOLDER).glob("*.png"))


def test_samples_remove_only_what_an_earlier_run_listed(regenerated: tuple[Path, str]) -> None:
    target, output = regenerated
    assert f"removed {target / 'receipt-xx.xlsx'} (no longer a sample)" in output
    assert f"removed {target / PICTURES_FOLDER / 'old.png'}" in output
    assert (target / "notes.txt").read_text() == "mine"
    assert (target.parent / "outside.txt").is_file()


@pytest.mark.parametrize(
    ("present", "code"),
    [("programme.yaml", "SMP001"), ("mentorkit.db", "SMP001"), ("notes.txt", "SMP002")],
)
def test_samples_refuse_a_programme_or_a_folder_of_other_files(
    tmp_path: Path, present: str, code: str
) -> None:
    (tmp_path / present).write_text("keep me")
    run = CliRunner().invoke(cli, ["samples", str(tmp_path)])
    assert run.exit_code != 0 and f"[{code}]" in run.output, run.output
    assert "Traceback" not in run.output
    assert [p.name for p in tmp_path.iterdir()] == [present]
    assert (tmp_path / present).read_text() == "keep me"


def test_every_sample_is_committed(regenerated: tuple[Path, str]) -> None:
    target, _ = regenerated
    written = sorted(p.name for p in target.glob("*.xlsx"))
    assert written == WORKBOOKS, "run 'mentorkit samples sample_workbooks' and commit the files"
    assert {"en", "fr"} <= {
        name.split("-")[-1].removesuffix(".xlsx") for name in written if "-blank-" in name
    }


@pytest.mark.parametrize("name", WORKBOOKS)
def test_sample_is_up_to_date(regenerated: tuple[Path, str], name: str) -> None:
    target, _ = regenerated
    assert (target / name).is_file(), f"{name} is no longer a sample: delete it"
    assert contents(COMMITTED / name) == contents(target / name), (
        f"sample_workbooks/{name} is out of date: run 'mentorkit samples sample_workbooks'"
    )


def identity(path: Path) -> dict[str, str]:
    """The hidden, signed sheet of a pair workbook, as a dict."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("_mentorkit").to_python()
    return {str(row[0]): str(row[1]) for row in rows}


def test_the_samples_are_what_their_names_say() -> None:
    blanks = sorted(COMMITTED.glob("pair-workbook-blank-*.xlsx"))
    for blank in blanks:
        lang = blank.stem.rsplit("-", 1)[1]
        assert identity(blank)["language"] == lang and identity(blank)["revision"] == "1"
    (returned,) = COMMITTED.glob("pair-workbook-returned-*.xlsx")
    lang = returned.stem.rsplit("-", 1)[1]
    pair = identity(returned)["pair_id"]
    assert identity(returned)["language"] == lang
    (blank_of_lang,) = [b for b in blanks if b.stem.endswith(f"-{lang}")]
    typed = sum(
        1 for rows in contents(returned).values() for row in rows for cell in row if cell != ""
    )
    issued = sum(
        1 for rows in contents(blank_of_lang).values() for row in rows for cell in row if cell != ""
    )
    assert typed > issued + 100, "the returned sample holds hardly more than a blank one"
    receipt = contents(COMMITTED / f"receipt-{lang}.xlsx")
    rows = {str(row[0]): str(row[1]) for rows in receipt.values() for row in rows if row}
    revision = identity(returned)["revision"]
    assert rows[receipt_label("pair", lang)] == f"{pair} (r{revision})"
    assert rows[receipt_label("result", lang)] == receipt_label("accepted", lang)


def test_samples_readme_is_up_to_date(regenerated: tuple[Path, str]) -> None:
    target, _ = regenerated
    committed = (COMMITTED / README).read_text(encoding="utf-8")
    assert committed == (target / README).read_text(encoding="utf-8"), (
        "sample_workbooks/README.md is out of date: run 'mentorkit samples sample_workbooks'"
    )


def test_samples_readme_lists_every_file_and_only_those() -> None:
    readme = (COMMITTED / README).read_text(encoding="utf-8")
    files = {
        p.relative_to(COMMITTED).as_posix()
        for p in COMMITTED.rglob("*")
        if p.is_file() and p.name != README
    }
    listed = set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE))
    assert files - listed == set(), "files in sample_workbooks/ that its README does not list"
    assert listed - files == set(), "files its README lists that are not in sample_workbooks/"
    assert any(name.endswith(".png") for name in listed)


def test_readme_pictures_are_committed_files() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", readme)
    assert links, "README.md shows no picture"
    for link in links:
        assert (REPO / link).is_file(), f"README.md shows {link}, which is not in the repository"
    shown = {Path(link).name for link in links}
    drawn = {p.name for p in (COMMITTED / PICTURES_FOLDER).glob("*.png")}
    assert drawn <= shown, f"pictures the README does not show: {sorted(drawn - shown)}"
