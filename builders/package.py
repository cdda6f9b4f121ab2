"""The zip package of a workbook: its parts out, and back in, deterministically.

:func:`pack` writes what ``zipfile`` writes for these parts (deflated at the highest level, no
file attributes: the same bytes on every platform), from parts that may have been compressed
already: many pair workbooks of one build share all their parts but two, and compressing a
part once instead of once a workbook saves about 2 ms a workbook (builders.pair_shapes).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

Member = tuple[str, tuple[int, int, int, int, int, int], bytes]
"""One part of a package: its name, its date and time in the zip, its bytes."""

_VERSION = 20  # the zip format version that deflate needs, as zipfile writes it
_UNIX = 3  # "made by" a Unix-like system: fixed, so that the bytes do not depend on it
_RIGHTS = 0o600 << 16  # read and write for the owner, as zipfile gives a part without any
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Part:
    """A part ready for a package: compressed once, written into any number of packages."""

    name: bytes
    dos_time: int
    dos_date: int
    crc: int
    size: int
    data: bytes


def compress(member: Member) -> Part:
    """A part deflated at the highest level, as ``zipfile`` deflates it."""
    name, when, body = member
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = deflate.compress(body) + deflate.flush()
    dos_date = (when[0] - 1980) << 9 | when[1] << 5 | when[2]
    dos_time = when[3] << 11 | when[4] << 5 | when[5] // 2
    return Part(name.encode("ascii"), dos_time, dos_date, zlib.crc32(body), len(body), data)


def unpack(data: bytes) -> list[Member]:
    """The parts of a package, in their order."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return [(i.filename, i.date_time, src.read(i.filename)) for i in src.infolist()]


def pack(parts: list[Member | Part]) -> bytes:
    """A package of these parts, in this order; the same parts always give the same bytes."""
    out = io.BytesIO()
    central = io.BytesIO()
    for part in parts:
        p = part if isinstance(part, Part) else compress(part)
        fields = (_VERSION, 0, 0, zipfile.ZIP_DEFLATED, p.dos_time, p.dos_date, p.crc,
                  len(p.data), p.size, len(p.name))  # fmt: skip
        central.write(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, *fields, 0, 0, 0, 0, _RIGHTS,
                                    out.tell()))  # fmt: skip
        central.write(p.name)
        out.write(_LOCAL.pack(b"PK\x03\x04", *fields, 0))
        out.write(p.name)
        out.write(p.data)
    start, directory = out.tell(), central.getvalue()
    out.write(directory)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), start, 0))
    return out.getvalue()
