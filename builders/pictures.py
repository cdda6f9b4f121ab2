"""Pictures of workbooks: one sheet's first printed page as a PNG, for the README.

LibreOffice prints a workbook to PDF (one ``soffice --headless`` call for every picture, with a
private profile so that it neither waits for nor disturbs a LibreOffice the user has open), and
``pdftoppm`` (poppler) draws the PDF's first page. To print only the sheet asked for, each
workbook is first copied with every other sheet hidden: a change to ``xl/workbook.xml`` alone,
so charts, print settings and formats stay exactly as the builders wrote them.

A missing program, a conversion that fails or hangs, or a sheet that is not there raises
:class:`PictureError` with one catalogue finding (``PIC001``-``PIC005``), never a traceback.
LibreOffice's rendering depends on its version and fonts, so pictures are not compared byte
for byte anywhere; the workbooks they show are.
"""

from __future__ import annotations

import html
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from toolkit.errors import ToolkitError
from toolkit.libreoffice import find_soffice, run_stoppable
from toolkit.messages import Finding, finding

DPI = 100
"""Resolution of the pictures: an A4 landscape page is then about 1170 × 830 pixels."""
TIMEOUT_SECONDS = 300
"""How long LibreOffice, and then pdftoppm, may take for the whole batch."""
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PictureError(ToolkitError):
    """A picture could not be drawn; ``findings`` holds the one catalogue finding saying why."""


@dataclass(frozen=True)
class PictureRequest:
    """Draw the first printed page of ``sheet`` of ``workbook`` into the PNG file ``name``."""

    workbook: Path
    sheet: str
    name: str


@dataclass(frozen=True)
class Picture:
    """A drawn picture: where it is, what it shows, and its size."""

    path: Path
    workbook: Path
    sheet: str
    width: int
    height: int
    size_bytes: int


def picture_tools() -> tuple[str, str]:
    """The paths of ``soffice`` and ``pdftoppm``; :class:`PictureError` when one is missing."""
    soffice = find_soffice()
    if soffice is None:
        _fail(finding("PIC001"))
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        _fail(finding("PIC002"))
    return soffice, pdftoppm


def render_pictures(
    requests: Sequence[PictureRequest],
    target: Path,
    *,
    dpi: int = DPI,
    timeout: float = TIMEOUT_SECONDS,
) -> list[Picture]:
    """Draw every requested picture into ``target`` (created if needed), in request order."""
    soffice, pdftoppm = picture_tools()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mentorkit-pictures-") as tmp:
        work = Path(tmp)
        sources = []
        for n, request in enumerate(requests):
            source = work / f"picture-{n}.xlsx"
            _copy_showing_only(request.workbook, request.sheet, source)
            sources.append(source)
        _print_to_pdf(soffice, sources, work, timeout, requests)
        pictures = []
        for request, source in zip(requests, sources, strict=True):
            pdf = work / "pdf" / f"{source.stem}.pdf"
            path = target / request.name
            _draw_first_page(pdftoppm, pdf, path, dpi, timeout, request)
            width, height = png_size(path)
            pictures.append(
                Picture(path, request.workbook, request.sheet, width, height, path.stat().st_size)
            )
    return pictures


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, read from its header; ValueError when it is no PNG."""
    head = path.read_bytes()[:24]
    if len(head) < 24 or not head.startswith(_PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG file")
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


# --- private helpers ----------------------------------------------------------------------------

_SHEET = re.compile(r"<sheet\b[^>]*?/>")
_NAME = re.compile(r'\bname="([^"]*)"')
_STATE = re.compile(r'\sstate="([^"]*)"')


def _state(tag: str) -> str:
    """A ``<sheet>`` tag's visibility: visible, hidden or veryHidden."""
    found = _STATE.search(tag)
    return found.group(1) if found else "visible"


def _copy_showing_only(workbook: Path, sheet: str, copy: Path) -> None:
    """Copy ``workbook`` to ``copy`` with every sheet but ``sheet`` hidden and ``sheet`` active."""
    try:
        with zipfile.ZipFile(workbook) as source:
            parts = [(info, source.read(info)) for info in source.infolist()]
    except (OSError, zipfile.BadZipFile) as exc:
        _fail(finding("PIC003", file=workbook.name, detail=f"it cannot be read ({exc})"))
    index = next((i for i, (info, _) in enumerate(parts) if info.filename == "xl/workbook.xml"), -1)
    xml = parts[index][1].decode("utf-8") if index >= 0 else ""
    tags = _SHEET.findall(xml)
    names = [html.unescape(m.group(1)) if (m := _NAME.search(tag)) else "" for tag in tags]
    visible = [name for name, tag in zip(names, tags, strict=True) if _state(tag) == "visible"]
    if sheet not in visible:
        _fail(finding("PIC005", file=workbook.name, sheet=sheet, detail=", ".join(visible)))

    def hide(match: re.Match[str]) -> str:
        tag = match.group(0)
        name = _NAME.search(tag)
        if _state(tag) != "visible" or (name and html.unescape(name.group(1)) == sheet):
            return tag
        return _STATE.sub("", tag).replace("<sheet ", '<sheet state="hidden" ', 1)

    xml = _SHEET.sub(hide, xml)
    xml = re.sub(r'\s(?:activeTab|firstSheet)="\d+"', "", xml)
    xml = re.sub(
        r"<workbookView\b", f'<workbookView activeTab="{names.index(sheet)}"', xml, count=1
    )
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for n, (info, data) in enumerate(parts):
            out.writestr(info, xml.encode("utf-8") if n == index else data)


def _print_to_pdf(
    soffice: str,
    sources: list[Path],
    work: Path,
    timeout: float,
    requests: Sequence[PictureRequest],
) -> None:
    """One LibreOffice call printing every source to ``work/pdf``; each PDF is checked."""
    profile = (work / "profile").resolve().as_uri()
    command = [
        soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
        "--convert-to", "pdf", "--outdir", str(work / "pdf"), *(str(s) for s in sources),
    ]  # fmt: skip
    try:
        done = run_stoppable(command, timeout)
    except subprocess.TimeoutExpired:
        detail = f"LibreOffice did not finish within {timeout:g} seconds"
        _fail(finding("PIC003", file=requests[0].workbook.name, detail=detail))
    except OSError as exc:
        _fail(finding("PIC003", file=requests[0].workbook.name, detail=str(exc)))
    for request, source in zip(requests, sources, strict=True):
        if not (work / "pdf" / f"{source.stem}.pdf").is_file():  # it can skip a file silently
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            detail = f"exit code {done.returncode}" + (f", {said[:300]}" if said else "")
            _fail(finding("PIC003", file=request.workbook.name, detail=detail))


def _draw_first_page(
    pdftoppm: str, pdf: Path, path: Path, dpi: int, timeout: float, request: PictureRequest
) -> None:
    """Draw page 1 of ``pdf`` as the PNG ``path``."""
    stem = path.with_suffix("")
    command = [pdftoppm, "-f", "1", "-l", "1", "-r", str(dpi), "-png", "-singlefile"]
    try:
        done = run_stoppable([*command, str(pdf), str(stem)], timeout)
    except (subprocess.TimeoutExpired, OSError) as exc:
        _fail(finding("PIC004", file=request.workbook.name, sheet=request.sheet, detail=str(exc)))
    drawn = stem.with_suffix(".png")
    if done.returncode != 0 or not drawn.is_file():
        said = done.stderr.decode("utf-8", "replace").strip()[:300] or "no picture was written"
        detail = f"exit code {done.returncode}, {said}"
        _fail(finding("PIC004", file=request.workbook.name, sheet=request.sheet, detail=detail))
    if drawn != path:
        drawn.replace(path)


def _fail(f: Finding) -> NoReturn:
    """Raise :class:`PictureError` carrying one finding."""
    raise PictureError(f.render(), [f])
