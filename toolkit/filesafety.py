"""Checks that stand between a file someone sent and the spreadsheet readers.

python-calamine aborts the whole process when a sheet declares a far-corner cell (it tries to
allocate the full grid), and no reader limits decompression (see FIELD-NOTES.md). So before any
reader touches a file, :func:`inspect_workbook` looks at its size, its kind by content, the zip
directory's uncompressed sizes and ratio, and each worksheet's declared dimension and far-most
cell reference, reading at most a bounded prefix of each sheet's XML.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from toolkit.messages import Finding, finding

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 20_000
MAX_COLS = 200  # column GR; the widest pair workbook sheet uses fewer than 20

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension[^>]*\sref="([A-Z]+\d+)(?::([A-Z]+\d+))?"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c[^>]*\sr="([A-Z]{1,3})(\d{1,7})"')


class FileKind(str, Enum):
    """What a file is, judged by its content rather than its name."""

    XLSX = "xlsx"  # a zip holding an OOXML workbook (xlsx, xlsm)
    ODS = "ods"  # a zip holding an OpenDocument spreadsheet
    ZIP = "zip"  # another zip
    OLE2 = "ole2"  # legacy .xls, or a password-encrypted OOXML workbook
    OTHER = "other"


@dataclass(frozen=True)
class Inspection:
    """The outcome of :func:`inspect_workbook`: the file kind and any blocking findings."""

    kind: FileKind
    findings: list[Finding]

    @property
    def safe(self) -> bool:
        """True when no finding blocks handing the file to a reader."""
        return not self.findings


def sniff(head: bytes) -> FileKind:
    """The kind of a file from its first bytes (zip kinds need :func:`inspect_workbook`)."""
    if head.startswith(_ZIP):
        return FileKind.ZIP
    if head.startswith(_OLE2):
        return FileKind.OLE2
    return FileKind.OTHER


def inspect_workbook(path: Path, *, display_name: str = "") -> Inspection:
    """Check a file before any spreadsheet reader opens it."""
    name = display_name or path.name
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        detail = f"{size:,} bytes, the limit is {MAX_FILE_BYTES:,}"
        return Inspection(FileKind.OTHER, [finding("FIL003", file=name, detail=detail)])
    with path.open("rb") as fh:
        kind = sniff(fh.read(8))
    if kind is not FileKind.ZIP:
        return Inspection(kind, [])
    try:
        with zipfile.ZipFile(path) as zf:
            return _inspect_zip(zf, name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
            NotImplementedError) as exc:  # fmt: skip
        return Inspection(FileKind.ZIP, [finding("FIL002", file=name, detail=str(exc))])


def _inspect_zip(zf: zipfile.ZipFile, name: str) -> Inspection:
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names:
        kind = FileKind.XLSX
    elif "content.xml" in names:
        kind = FileKind.ODS
    else:
        return Inspection(FileKind.ZIP, [])
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
        detail = f"it unpacks to {total:,} bytes ({total / packed:.0f} times its packed size)"
        return Inspection(kind, [finding("FIL003", file=name, detail=detail)])
    if kind is FileKind.XLSX:
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                problem = _check_sheet_extent(zf, info, name)
                if problem:
                    return Inspection(kind, [problem])
    return Inspection(kind, [])


def _check_sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Finding | None:
    """Refuse a sheet whose dimension or any cell reference lies beyond the limits."""
    with zf.open(info) as fh:
        data = fh.read()
    sheet = info.filename.rsplit("/", 1)[-1]
    refs: list[tuple[bytes, bytes]] = []
    dim = _DIMENSION.search(data, 0, 4096)
    if dim:
        for ref in dim.groups():
            if ref:
                m = re.match(rb"([A-Z]+)(\d+)", ref)
                if m:
                    refs.append((m.group(1), m.group(2)))
    refs.extend(_CELL_REF.findall(data))
    for col_letters, row_digits in refs:
        col = _col_index(col_letters.decode())
        row = int(row_digits)
        if row > MAX_ROWS or col > MAX_COLS:
            cell = f"{col_letters.decode()}{row}"
            detail = f"the limit is {MAX_ROWS:,} rows and {MAX_COLS} columns"
            return finding("FIL006", file=name, sheet=sheet, cell=cell, detail=detail)
    return None


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n
