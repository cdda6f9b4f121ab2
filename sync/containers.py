"""Attachments that hold workbooks: a .zip of workbooks, or a whole email saved as .eml.

:func:`expand` opens such a container in memory (nothing is extracted to disk by the names it
holds) and returns the workbooks inside, each named ``container/inner name`` so that every
finding about it names the container too. Limits keep a hostile archive from costing more than
a workbook would: the number of entries, the total decompressed size (shared by nested
containers), the compression ratio, the nesting depth, and names that try to climb out of a
folder (``../``, absolute paths), which no mail client writes and which refuse the container.
"""

from __future__ import annotations

import email
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from io import BytesIO

from sync.discover import is_ignorable
from toolkit.filesafety import MAX_FILE_BYTES, MAX_RATIO, MAX_UNZIPPED_BYTES
from toolkit.messages import Finding, finding

MAX_ENTRIES = 100
MAX_DEPTH = 2
"""A zip inside an email, or an email inside a zip, is opened; anything deeper is not."""

WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
_OLE2 = b"\xd0\xcf\x11\xe0"
_EMAIL_HEADER = re.compile(
    rb"^(from|to|subject|date|mime-version|received|return-path|message-id|delivered-to|"
    rb"content-type|x-[a-z-]+):",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Inner:
    """One workbook found inside a container: its display name and bytes."""

    name: str
    data: bytes


@dataclass
class Expansion:
    """What a container held: workbooks, notes about skipped entries, or why it was refused."""

    workbooks: list[Inner] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    problem: Finding | None = None
    top: str = ""
    """The container's own name, which every note names as its file."""


def container_kind(data: bytes, name: str = "") -> str | None:
    """``"zip"`` for a zip that is not itself a workbook, ``"eml"`` for a saved email, else
    None (judged by content; the name only helps to recognise an email)."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None  # damaged: the workbook checks give the precise reason
        workbook = "xl/workbook.xml" in names or "content.xml" in names
        is_office = "[Content_Types].xml" in names or "mimetype" in names
        return None if workbook or is_office else "zip"
    head = data[:8192]
    headers = len(_EMAIL_HEADER.findall(head))
    if headers >= 2 or (name.lower().endswith(".eml") and headers >= 1):
        return "eml"
    return None


def expand(data: bytes, name: str) -> Expansion:
    """The workbooks inside a container (see :func:`container_kind`)."""
    out = Expansion(top=name)
    budget = _Budget()
    try:
        _expand(data, name, 1, out, budget)
    except _Refuse as refused:
        return Expansion(
            problem=finding("FIL008", file=name, value=refused.where, detail=str(refused))
        )
    if not out.workbooks and out.problem is None:
        skipped = ", ".join(n.value for n in out.notes) or "no attachment or entry at all"
        out.problem = finding("FIL009", file=name, detail=skipped)
    return out


class _Refuse(Exception):
    def __init__(self, where: str, why: str) -> None:
        super().__init__(why)
        self.where = where


@dataclass
class _Budget:
    entries: int = 0
    unpacked: int = 0

    def take(self, where: str, size: int) -> None:
        self.entries += 1
        self.unpacked += size
        if self.entries > MAX_ENTRIES:
            raise _Refuse(where, f"more than {MAX_ENTRIES} entries")
        if self.unpacked > MAX_UNZIPPED_BYTES:
            raise _Refuse(where, f"it unpacks to more than {MAX_UNZIPPED_BYTES:,} bytes")


def _expand(data: bytes, name: str, depth: int, out: Expansion, budget: _Budget) -> None:
    kind = container_kind(data, name)
    if kind == "zip":
        _zip(data, name, depth, out, budget)
    elif kind == "eml":
        _eml(data, name, depth, out, budget)


def _take(data: bytes, name: str, depth: int, out: Expansion, budget: _Budget) -> None:
    """Keep a workbook, open a nested container, or note an entry that is neither."""
    base = posixpath.basename(name)
    if is_ignorable(base) or "__MACOSX/" in name:
        return
    lowered = base.lower()
    kind = container_kind(data, base)
    if kind is not None:
        if depth >= MAX_DEPTH:
            detail = "an archive inside an archive is not opened"
            out.notes.append(finding("FIL010", file=out.top, value=name, detail=detail))
            return
        _expand(data, name, depth + 1, out, budget)
    elif lowered.endswith(WORKBOOK_EXTENSIONS) or _looks_like_workbook(data, lowered):
        out.workbooks.append(Inner(name, data))
    # Anything else (a signature image, a PDF, the mail's own text) is not a return: skipped.


def _zip(data: bytes, name: str, depth: int, out: Expansion, budget: _Budget) -> None:
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _Refuse(name, f"the archive is damaged: {exc}") from None
    for info in infos:
        entry = info.filename
        if _climbs_out(entry):
            raise _Refuse(f"{name}/{entry}", f"the entry name {entry!r} points outside the archive")
        if info.is_dir():
            continue
        where = f"{name}/{entry}"
        budget.take(where, info.file_size)
        if info.file_size > MAX_FILE_BYTES:
            raise _Refuse(where, f"{entry!r} unpacks to {info.file_size:,} bytes")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise _Refuse(
                where, f"{entry!r} is compressed {info.file_size // info.compress_size} times"
            )
        if info.flag_bits & 0x1:
            detail = "it is protected with a password"
            out.notes.append(finding("FIL010", file=out.top, value=where, detail=detail))
            continue
        try:
            with zf.open(info) as fh:
                content = fh.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError,
                RuntimeError) as exc:  # fmt: skip
            out.notes.append(finding("FIL010", file=out.top, value=where, detail=f"damaged: {exc}"))
            continue
        if len(content) > MAX_FILE_BYTES:  # the directory lied about the size
            raise _Refuse(where, f"{entry!r} unpacks to more than {MAX_FILE_BYTES:,} bytes")
        _take(content, where, depth, out, budget)


def _eml(data: bytes, name: str, depth: int, out: Expansion, budget: _Budget) -> None:
    try:
        message = email.message_from_bytes(data, policy=policy.default)
    except Exception as exc:  # the email parser is lenient; this is a last resort
        raise _Refuse(name, f"the email cannot be parsed: {type(exc).__name__}") from None
    assert isinstance(message, EmailMessage)
    seen: dict[str, int] = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if not filename and part.get_content_disposition() != "attachment":
            continue
        label = _clean(filename or "attachment")
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"({seen[label]}) {label}"
        where = f"{name}/{label}"
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception as exc:  # a malformed transfer encoding
            out.notes.append(finding("FIL010", file=out.top, value=where, detail=f"damaged: {exc}"))
            continue
        budget.take(where, len(payload))
        _take(payload, where, depth, out, budget)


def _looks_like_workbook(data: bytes, lowered_name: str) -> bool:
    """A workbook under another name (``ATT00001.bin``), not a Word or PowerPoint file."""
    if data.startswith(_OLE2):
        return not lowered_name.endswith((".doc", ".ppt", ".msg", ".pub", ".vsd"))
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return False
    return "xl/workbook.xml" in names or b"spreadsheet" in mimetype


def _climbs_out(entry: str) -> bool:
    normal = entry.replace("\\", "/")
    return (
        normal.startswith("/")
        or re.match(r"^[A-Za-z]:", normal) is not None
        or ".." in normal.split("/")
    )


def _clean(filename: str) -> str:
    """An attachment's name without folders (a mail client may send a full path)."""
    return re.split(r"[\\/]", filename.strip())[-1] or "attachment"
