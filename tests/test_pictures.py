"""Pictures of workbook sheets (builders/pictures.py): drawn by LibreOffice and pdftoppm, and
every way that can fail said plainly with a catalogue code."""

from __future__ import annotations

import os
import shutil
import stat
import time
import zlib
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from builders import pictures
from builders.pictures import PictureError, PictureRequest, png_size, render_pictures
from toolkit.demo.samples import PICTURES_FOLDER, draw_pictures, picture_samples

SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"
MASTER = SAMPLES / "master.xlsx"
PAIR = SAMPLES / "pair-workbook-blank-en.xlsx"


def png_pixels(path: Path) -> bytes:
    """The decompressed image data of a PNG (filter bytes included)."""
    data, pos, idat = path.read_bytes(), 8, b""
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(idat)


def fake_tool(folder: Path, name: str, script: str) -> str:
    """A stand-in program: a shell script doing ``script``."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def use_tools(monkeypatch: pytest.MonkeyPatch, soffice: str | None, pdftoppm: str | None) -> None:
    found = {"soffice": soffice, "libreoffice": None, "pdftoppm": pdftoppm}
    monkeypatch.setattr(pictures.shutil, "which", lambda name: found.get(name))


def test_draws_the_pictures_of_the_samples_as_pngs_that_are_not_blank(
    soffice: str, tmp_path: Path
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is required with LibreOffice; .ci/run installs it")
    for workbook in SAMPLES.glob("*.xlsx"):
        shutil.copy(workbook, tmp_path / workbook.name)
    (returned,) = SAMPLES.glob("pair-workbook-returned-*.xlsx")
    lang = returned.stem.rsplit("-", 1)[1]
    drawn = draw_pictures(tmp_path, picture_samples(lang, "en"))
    committed = sorted(p.name for p in (SAMPLES / PICTURES_FOLDER).glob("*.png"))
    assert sorted(p.path.name for p in drawn) == committed
    assert sorted(p.name for p in (tmp_path / PICTURES_FOLDER).iterdir()) == committed
    for picture in drawn:
        assert picture.path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert png_size(picture.path) == (picture.width, picture.height)
        assert 800 <= picture.width <= 2000 and 500 <= picture.height <= 2000  # a page at 100 dpi
        assert 10_000 <= picture.size_bytes <= 400_000
        assert len(set(png_pixels(picture.path))) > 50, f"{picture.path.name} looks blank"
    assert len({p.path.read_bytes() for p in drawn}) == len(drawn)  # each a different sheet


def test_the_copy_to_print_shows_only_the_sheet_asked_for(tmp_path: Path) -> None:
    copy = tmp_path / "copy.xlsx"
    pictures._copy_showing_only(PAIR, "Competencies", copy)
    sheets = CalamineWorkbook.from_path(str(copy)).sheets_metadata
    visible = [s.name for s in sheets if str(s.visible).endswith("Visible")]
    assert visible == ["Competencies"]
    assert len(sheets) == len(CalamineWorkbook.from_path(str(PAIR)).sheets_metadata)
    original = CalamineWorkbook.from_path(str(PAIR))
    assert original.get_sheet_by_name("Competencies").to_python() == (
        CalamineWorkbook.from_path(str(copy)).get_sheet_by_name("Competencies").to_python()
    )


def test_missing_libreoffice_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_tools(monkeypatch, None, "/usr/bin/pdftoppm")
    with pytest.raises(PictureError) as caught:
        render_pictures([PictureRequest(MASTER, "Dashboard", "d.png")], tmp_path / "out")
    assert [f.code for f in caught.value.findings] == ["PIC001"]
    assert "apt-get install libreoffice-calc-nogui" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_missing_pdftoppm_is_said_plainly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_tools(monkeypatch, "/usr/bin/soffice", None)
    with pytest.raises(PictureError) as caught:
        render_pictures([PictureRequest(MASTER, "Dashboard", "d.png")], tmp_path)
    assert [f.code for f in caught.value.findings] == ["PIC002"]
    assert "poppler-utils" in str(caught.value)


def test_libreoffice_failing_names_the_workbook(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    soffice = fake_tool(tmp_path, "soffice", "echo 'source file could not be loaded' >&2; exit 1")
    use_tools(monkeypatch, soffice, fake_tool(tmp_path, "pdftoppm", "exit 0"))
    with pytest.raises(PictureError) as caught:
        render_pictures([PictureRequest(MASTER, "Dashboard", "d.png")], tmp_path / "out")
    (f,) = caught.value.findings
    assert (f.code, f.file) == ("PIC003", "master.xlsx")
    assert "exit code 1" in f.message and "could not be loaded" in f.message


def test_libreoffice_hanging_is_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Like soffice, the script starts a child that would outlive it and hold the output open.
    soffice = fake_tool(tmp_path, "soffice", "sleep 30 &\nsleep 30")
    use_tools(monkeypatch, soffice, "/usr/bin/pdftoppm")
    started = time.monotonic()
    with pytest.raises(PictureError) as caught:
        render_pictures([PictureRequest(MASTER, "Dashboard", "d.png")], tmp_path, timeout=0.5)
    (f,) = caught.value.findings
    assert f.code == "PIC003" and "did not finish within 0.5 seconds" in f.message
    assert time.monotonic() - started < 10


def test_pdftoppm_failing_names_the_sheet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A LibreOffice that "prints" every file it is given into --outdir (the last-but-n args).
    soffice = fake_tool(
        tmp_path,
        "soffice",
        'out=""; prev=""; for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done\n'
        'mkdir -p "$out"; for a in "$@"; do case "$a" in *.xlsx) '
        'b=$(basename "$a" .xlsx); echo "%PDF-1.4" > "$out/$b.pdf";; esac; done',
    )
    pdftoppm = fake_tool(tmp_path, "pdftoppm", "echo 'Syntax Error: broken PDF' >&2; exit 99")
    use_tools(monkeypatch, soffice, pdftoppm)
    with pytest.raises(PictureError) as caught:
        render_pictures([PictureRequest(PAIR, "Session log", "s.png")], tmp_path / "out")
    (f,) = caught.value.findings
    assert (f.code, f.file, f.sheet) == ("PIC004", PAIR.name, "Session log")
    assert "exit code 99" in f.message and "broken PDF" in f.message
    assert os.listdir(tmp_path / "out") == []


def test_a_sheet_that_is_not_there_lists_the_visible_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_tools(monkeypatch, "/usr/bin/soffice", "/usr/bin/pdftoppm")
    with pytest.raises(PictureError) as caught:
        render_pictures([PictureRequest(PAIR, "_mentorkit", "m.png")], tmp_path)
    (f,) = caught.value.findings
    assert (f.code, f.sheet) == ("PIC005", "_mentorkit")
    assert "Start here, Agreement, Competencies" in f.todo


def test_png_size_refuses_what_is_no_png(tmp_path: Path) -> None:
    path = tmp_path / "not.png"
    path.write_bytes(b"GIF89a" + bytes(40))
    with pytest.raises(ValueError, match="not a PNG"):
        png_size(path)
