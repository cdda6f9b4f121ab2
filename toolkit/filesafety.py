"""Checks that stand between a file someone sent and the spreadsheet readers.

python-calamine aborts the whole process when a sheet declares a far-corner cell (it tries to
allocate the full grid), and no reader limits decompression (see FIELD-NOTES.md). So before any
reader touches a file, :func:`inspect_workbook` looks at its size, its kind by content, the zip
directory's uncompressed sizes and ratio, and each worksheet's declared dimension and far-most
cell reference (parsed as a stream, following the workbook's relationships), so that the usual
cause (a stray keystroke far away) gets a precise message. Then every file, whatever its
format, is read by :class:`IsolatedReader` in a child process with a memory and time limit,
so a hostile file that slips past the checks can kill only that child.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import posixpath
import re
import sys
import zipfile
import zlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

try:
    import resource
except ImportError:  # Windows: read_isolated reads in-process there
    resource = None  # type: ignore[assignment]
from xml.parsers import expat

from toolkit.messages import Finding, finding

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 20_000
MAX_COLS = 200  # column GR; the widest pair workbook sheet uses fewer than 20

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")
_A1 = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")


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


def inspect_workbook(path: Path, *, display_name: str = "", extents: bool = True) -> Inspection:
    """Check a file before any spreadsheet reader opens it.

    ``extents=False`` leaves out the scan of every sheet's cell references (the costliest
    check), for a caller that reads in a process whose loss costs nothing but a retry with
    the full checks (``sync.pool``)."""
    name = display_name or path.name
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        detail = f"{size:,} bytes, the limit is {MAX_FILE_BYTES:,}"
        return Inspection(FileKind.OTHER, [finding("FIL003", file=name, detail=detail)])
    with path.open("rb") as fh:
        kind = sniff(fh.read(8))
    if kind is FileKind.OLE2 and _ENCRYPTED_OOXML in path.read_bytes():
        # A password-protected .xlsx is an OLE2 container holding an "EncryptionInfo" stream.
        return Inspection(kind, [finding("FIL004", file=name)])
    if kind is not FileKind.ZIP:
        return Inspection(kind, [])
    try:
        with zipfile.ZipFile(path) as zf:
            return _inspect_zip(zf, name, extents)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
            NotImplementedError) as exc:  # fmt: skip
        return Inspection(FileKind.ZIP, [finding("FIL002", file=name, detail=str(exc))])


def _inspect_zip(zf: zipfile.ZipFile, name: str, extents: bool = True) -> Inspection:
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
    if kind is FileKind.ODS and b"encryption-data" in _member(zf, "META-INF/manifest.xml"):
        return Inspection(kind, [finding("FIL004", file=name)])
    if kind is FileKind.XLSX and extents:
        problem = _check_xlsx_extents(zf, name)
        if problem:
            return Inspection(kind, [problem])
    return Inspection(kind, [])


def _member(zf: zipfile.ZipFile, member: str, limit: int = 1 << 20) -> bytes:
    """The first ``limit`` bytes of a zip member, or b"" when it is absent."""
    try:
        with zf.open(member) as fh:
            return fh.read(limit)
    except KeyError:
        return b""


_HARMLESS_PARTS = ("styles", "theme", "sharedStrings", "calcChain")


def _check_xlsx_extents(zf: zipfile.ZipFile, name: str) -> Finding | None:
    """Check every part the workbook's relationships point to (wherever it is stored, as the
    readers follow them), and every part under ``xl/worksheets/``."""
    parts = {i.filename for i in zf.infolist() if i.filename.startswith("xl/worksheets/")}
    try:
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        rels = b""
    for rel in _relationship_targets(rels):
        target = rel.lstrip("/") if rel.startswith("/") else posixpath.normpath("xl/" + rel)
        if not any(h in target for h in _HARMLESS_PARTS):
            parts.add(target)
    existing = set(zf.namelist())
    for part in sorted(parts & existing):
        if part.endswith(".xml"):
            problem = _check_sheet_extent(zf, part, name)
            if problem:
                return problem
    return None


def _relationship_targets(xml: bytes) -> list[str]:
    targets: list[str] = []
    parser = _safe_parser()
    parser.StartElementHandler = lambda tag, attrs: (
        targets.append(attrs["Target"]) if tag.endswith("Relationship") and "Target" in attrs
        else None
    )  # fmt: skip
    if xml:
        parser.Parse(xml, True)
    return targets


class _TooFar(Exception):
    def __init__(self, cell: str) -> None:
        self.cell = cell


def _check_sheet_extent(zf: zipfile.ZipFile, part: str, name: str) -> Finding | None:
    """Refuse a sheet whose dimension, or any row or cell (explicit or implied by position),
    lies beyond the limits. Parsed as a stream with expat: no regular expression to backtrack,
    no entities, and quotes or spaces around attributes cannot hide a reference."""
    position = {"row": 0, "col": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1]
        if local == "dimension":
            for ref in attrs.get("ref", "").split(":"):
                _check_ref(ref)
        elif local == "row":
            r = attrs.get("r", "")
            position["row"] = int(r) if r.isdigit() else position["row"] + 1
            position["col"] = 0
            _check_position(position["row"], 1)
        elif local == "c":
            ref = attrs.get("r", "")
            if ref:
                col, row = _check_ref(ref)
                position["col"] = col
                position["row"] = max(position["row"], row)
            else:
                position["col"] += 1
                _check_position(position["row"], position["col"])

    parser = _safe_parser()
    parser.StartElementHandler = start
    sheet = part.rsplit("/", 1)[-1]
    try:
        with zf.open(part) as fh:
            while chunk := fh.read(65536):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _TooFar as far:
        detail = f"the limit is {MAX_ROWS:,} rows and {MAX_COLS} columns"
        return finding("FIL006", file=name, sheet=sheet, cell=far.cell, detail=detail)
    except (expat.ExpatError, ValueError) as exc:
        return finding("FIL002", file=name, detail=f"{sheet}: {exc}")
    return None


def _check_ref(ref: str) -> tuple[int, int]:
    m = _A1.fullmatch(ref.strip().replace("$", ""))
    if not m:
        return 0, 0
    col, row = _col_index(m.group(1)), int(m.group(2))
    _check_position(row, col, ref)
    return col, row


def _check_position(row: int, col: int, ref: str = "") -> None:
    if row > MAX_ROWS or col > MAX_COLS:
        raise _TooFar(ref or f"R{row}C{col}")


def _safe_parser() -> expat.XMLParserType:
    """An expat parser that refuses DTDs and entity declarations (billion laughs, XXE)."""
    parser = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise ValueError("the XML declares a DTD or entities, which workbooks never need")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    return parser


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


# --- reading in a child process --------------------------------------------------------------

ISOLATED_MEMORY_BYTES = 1536 * 1024 * 1024
ISOLATED_SECONDS = 60

RawSheet = tuple[str, str, list[list[Any]]]
"""(title, visibility, rows) as python-calamine returns them."""


def read_sheets(path: Path) -> list[RawSheet]:
    """Every sheet of a workbook, read by python-calamine in this process.

    Only for files :func:`inspect_workbook` has checked (xlsx); raises what calamine raises.
    """
    from python_calamine import CalamineWorkbook

    # From the open file, not the path: the format is then judged by content, so an .ods or
    # .xls that a mail client renamed .xlsx is still read.
    with path.open("rb") as fh:
        wb = CalamineWorkbook.from_filelike(fh)
    sheets = []
    for meta in wb.sheets_metadata:
        rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        sheets.append((meta.name, str(meta.visible).rsplit(".", 1)[-1].lower(), rows))
    return sheets


class IsolatedReadError(Exception):
    """Reading in the child process failed; ``limit`` is True when a limit stopped it."""

    def __init__(self, message: str, *, limit: bool = False) -> None:
        super().__init__(message)
        self.limit = limit


class IsolatedReader:
    """Reads workbooks with python-calamine in a long-lived child process whose memory and time
    are limited, so that a file which makes calamine abort or balloon costs only the child (it
    is restarted for the next file). Use as a context manager; one per sync run.

    Where ``fork`` is not available (Windows), it reads in this process.
    """

    def __init__(self) -> None:
        self._child: Any = None
        self._conn: Any = None

    def __enter__(self) -> IsolatedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, path: Path) -> list[RawSheet]:
        """Every sheet of the file; raises :class:`IsolatedReadError` when it cannot be read."""
        if not hasattr(os, "fork"):
            return _read_or_raise(path)
        self._start()
        self._conn.send(str(path))
        if not self._conn.poll(ISOLATED_SECONDS):
            self._stop(kill=True)
            raise IsolatedReadError(f"reading took over {ISOLATED_SECONDS} s", limit=True)
        try:
            status, payload = self._conn.recv()
        except EOFError:  # the child died: python-calamine aborts when an allocation fails
            self._stop(kill=True)
            raise IsolatedReadError(
                "reading it needed more memory than allowed", limit=True
            ) from None
        if status != "ok":
            raise IsolatedReadError(payload, limit=status == "limit")
        return payload

    def close(self) -> None:
        """Stop the child process."""
        self._stop(kill=False)

    def _start(self) -> None:
        if self._child is not None and self._child.is_alive():
            return
        ctx = multiprocessing.get_context("fork")
        self._conn, child_end = ctx.Pipe()
        self._child = ctx.Process(target=_worker, args=(child_end,), daemon=True)
        self._child.start()
        child_end.close()

    def _stop(self, *, kill: bool) -> None:
        if self._child is None:
            return
        if kill:
            self._child.kill()
        else:
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(None)
        self._child.join(5)
        if self._child.is_alive():
            self._child.kill()
            self._child.join(5)
        self._conn.close()
        self._child = self._conn = None


def read_isolated(path: Path) -> list[RawSheet]:
    """Read one file in a limited child process (see :class:`IsolatedReader`)."""
    with IsolatedReader() as reader:
        return reader.read(path)


def _read_or_raise(path: Path) -> list[RawSheet]:
    try:
        return read_sheets(path)
    except MemoryError:
        raise IsolatedReadError("reading it needed more memory than allowed", limit=True) from None
    except Exception as exc:
        raise IsolatedReadError(f"{type(exc).__name__}: {str(exc)[:200]}") from None


def die_with_parent() -> None:  # pragma: no cover - runs in a child
    """Ask Linux to kill this (forked) process when the process that forked it dies, so a
    sync killed with SIGKILL leaves no reader behind; elsewhere it does nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def limit_reading_process() -> None:  # pragma: no cover - runs in a child
    """Limit this (forked child) process's memory for reading, and silence its stderr."""
    # The limit is on address space, so it is added to what the forked child already maps.
    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # no /proc (macOS): the limit is then not enforced there anyway
        mapped = 0
    die_with_parent()
    limit = mapped + ISOLATED_MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # A reader that aborts prints a long backtrace; the coordinator gets a finding instead.
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


def _worker(conn: Any) -> None:  # pragma: no cover - runs in the child
    limit_reading_process()
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        try:
            conn.send(("ok", read_sheets(Path(path))))
        except MemoryError:
            conn.send(("limit", "reading it needed more memory than allowed"))
        except BaseException as exc:
            conn.send(("error", f"{type(exc).__name__}: {str(exc)[:200]}"))
