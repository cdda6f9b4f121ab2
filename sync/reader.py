"""Opening a returned file safely and reading every sheet's cell values.

The file is first checked by :func:`toolkit.filesafety.inspect_workbook` (size, kind by
content, zip sizes, sheet extents); only then does python-calamine read it. Every failure
becomes a :class:`~toolkit.messages.Finding`, never an exception.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.filesafety import (
    FileKind,
    IsolatedReader,
    IsolatedReadError,
    inspect_workbook,
    read_isolated,
)
from toolkit.messages import Finding, finding


@dataclass(frozen=True)
class Sheet:
    """One sheet's title, visibility and cell values (rows of Python values, '' when empty)."""

    title: str
    visible: str
    rows: list[list[Any]]

    def cell(self, row: int, col: int) -> Any:
        """The value at 0-based (row, col), '' when outside the data."""
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""


@dataclass(frozen=True)
class ReadResult:
    """The sheets of a file, or the findings that kept it from being read."""

    sheets: list[Sheet]
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


def read_workbook(
    path: Path,
    *,
    display_name: str = "",
    reader: IsolatedReader | None = None,
    extents: bool = True,
) -> ReadResult:
    """Read every sheet of a returned workbook (xlsx, xlsm, xls, ods) after the safety checks,
    in ``reader``'s limited child process (a new one when none is given)."""
    name = display_name or path.name
    inspection = inspect_workbook(path, display_name=name, extents=extents)
    if not inspection.safe:
        return ReadResult([], inspection.findings)
    if inspection.kind in (FileKind.ZIP, FileKind.OTHER):
        detail = "it is not a spreadsheet" if inspection.kind is FileKind.OTHER else "a zip archive"
        return ReadResult([], [finding("FIL001", file=name, detail=detail)])
    try:
        raw = reader.read(path) if reader else read_isolated(path)
    except IsolatedReadError as exc:
        if "PasswordError" in str(exc):
            return ReadResult([], [finding("FIL004", file=name)])
        code = "FIL003" if exc.limit else "FIL002"
        return ReadResult([], [finding(code, file=name, detail=str(exc))])
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        return ReadResult([], [finding("FIL002", file=name, detail=detail)])
    sheets = [Sheet(title, visible, rows) for title, visible, rows in raw]
    return ReadResult(sheets, [])


_SAVED = (
    ("docProps/core.xml", re.compile(rb"<dcterms:modified[^>]{0,200}>([^<]{1,64})<")),  # xlsx
    ("meta.xml", re.compile(rb"<dc:date>([^<]{1,64})<")),  # ods
)
_STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,]\d+)?(Z|[+-]\d\d:\d\d)?$")


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole2_saved_at(path: Path) -> str | None:
    """The last-saved time an .xls keeps in its summary information (olefile, which
    msoffcrypto-tool already needs), or None."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            moment = ole.get_metadata().last_saved_time
    except Exception:  # a damaged or hostile container: the readers will say what is wrong
        return None
    if not isinstance(moment, dt.datetime) or moment.year < 1990:
        return None
    return moment.replace(tzinfo=dt.timezone.utc, microsecond=0).isoformat()


def file_saved_at(path: Path) -> str | None:
    """When the file says it was last saved, from its document properties (xlsx, ods) or
    summary information (xls), as UTC ISO 8601; None when it does not say. A time the file
    gives without a time zone (LibreOffice's .ods: its local time) is returned without an
    offset; :func:`in_utc` reads it in the pair's country's time.

    LibreOffice also writes its local time marked as UTC in .xlsx, which cannot be told apart:
    such times can be a few hours apart from the truth.
    """
    found = None
    try:
        with path.open("rb") as fh:
            if fh.read(8) == _OLE2:
                return _ole2_saved_at(path)
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            for member, pattern in _SAVED:
                if member in names:
                    with zf.open(member) as fh:
                        found = pattern.search(fh.read(65536))
                    break
        stamp = _STAMP.match(found.group(1).decode().strip()) if found else None
        if not stamp:
            return None
        zone = (stamp.group(2) or "").replace("Z", "+00:00")
        moment = dt.datetime.fromisoformat(stamp.group(1) + zone)
    except (OSError, ValueError, zipfile.BadZipFile, UnicodeDecodeError, RuntimeError):
        return None
    if moment.tzinfo is None:
        # Local time of wherever it was saved (LibreOffice's .ods): left without an offset, so
        # that sync can read it in the pair's country's time once it knows the pair.
        return moment.replace(microsecond=0).isoformat()
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def in_utc(stamp: str, utc_offset: float) -> str:
    """A saved-at time in UTC: one without an offset is read as local time ``utc_offset``
    hours from UTC; one with an offset is kept."""
    moment = dt.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=utc_offset)))
    return moment.astimezone(dt.timezone.utc).isoformat()
