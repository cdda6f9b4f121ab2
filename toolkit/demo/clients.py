"""What the demo's simulated pairs' computers do to a workbook besides filling it: re-save it
in LibreOffice (as .xlsx or .ods), protect it with a password of their own, or damage it in
transit.

Everything here is repeatable for a given seed, so the same seed gives the same ledger:

* LibreOffice writes the current time into each zip entry's header. The demo sets those
  header fields to the simulated moment of the save (the compressed data, which is what
  LibreOffice wrote, is kept byte for byte), as if LibreOffice had run on that day. For an
  .xlsx this makes LibreOffice's output identical from run to run (measured with LibreOffice
  7.4). An .ods still differs: LibreOffice 7.4 writes some of an .ods's styles (its page
  styles, and in some runs its validations) in a different order each time, so its SHA-256
  differs; :mod:`toolkit.demo.digest` says how the demo's ledger digest leaves those bytes out.
* Encryption draws random salts and keys and writes the current time into the encrypted
  container; the pair's own password protection draws them from the seed and writes the
  simulated moment instead.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.encryption import encrypt
from toolkit.errors import ToolkitError
from toolkit.libreoffice import run_stoppable

LIBREOFFICE_TIMEOUT = 300
"""Seconds one LibreOffice call may take (it converts all of a round's files at once)."""


def resave_with_libreoffice(
    soffice: str, fmt: str, jobs: list[tuple[Path, Path]], work: Path, saved_at: dt.datetime
) -> None:
    """Open each (source, target) workbook in LibreOffice and save it as ``fmt`` (xlsx or ods)
    at ``target``, as a pair using LibreOffice would; one LibreOffice call for all."""
    work.mkdir(parents=True, exist_ok=True)
    sources = []
    for n, (source, target) in enumerate(jobs):
        copy = work / f"in-{n}.xlsx"
        shutil.copy(source, copy)
        sources.append((copy, target))
    profile = (work / "profile").resolve().as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        fmt,
        "--outdir",
        str(work / "out"),
        *(str(s) for s, _ in sources),
    ]
    try:
        run_stoppable(command, LIBREOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise ToolkitError(
            f"LibreOffice did not finish re-saving within {LIBREOFFICE_TIMEOUT} seconds; "
            "please run the demo again, or with --no-libreoffice."
        ) from exc  # fmt: skip
    for copy, target in sources:
        converted = work / "out" / f"{copy.stem}.{fmt}"
        if not converted.is_file():  # LibreOffice can skip a file without a word
            raise ToolkitError(
                f"LibreOffice did not convert {target.name}; please run the demo again."
            )
        target.write_bytes(pin_zip_times(converted.read_bytes(), saved_at))
        converted.unlink()


def pin_zip_times(data: bytes, moment: dt.datetime) -> bytes:
    """The zip ``data`` with every entry's modification time set to ``moment`` (in its local
    and central headers), its compressed contents untouched."""
    moment = moment.replace(second=moment.second - moment.second % 2)
    dos_time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    dos_date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            local = info.header_offset
            if out[local : local + 4] != b"PK\x03\x04":
                raise ValueError(f"{info.filename}: no local header where the directory says")
            struct.pack_into("<HH", out, local + 10, dos_time, dos_date)
    end = out.rfind(b"PK\x05\x06")
    count, _size, offset = struct.unpack_from("<HII", out, end + 10)
    for _ in range(count):
        if out[offset : offset + 4] != b"PK\x01\x02":
            raise ValueError("the zip's central directory is not where its end record says")
        struct.pack_into("<HH", out, offset + 12, dos_time, dos_date)
        name, extra, comment = struct.unpack_from("<HHH", out, offset + 28)
        offset += 46 + name + extra + comment
    return bytes(out)


def protect_with_password(
    data: bytes, password: str, rng: random.Random, saved_at: dt.datetime
) -> tuple[bytes, bool]:
    """``data`` encrypted with ``password`` as Excel's "Protect Workbook > Encrypt with
    Password" does, at ``saved_at``, with the salts and keys drawn from ``rng``; and whether
    they were (False when the installed msoffcrypto-tool no longer has the two names this
    replaces: the bytes then differ from run to run, like LibreOffice's .ods)."""
    with _simulated(rng, saved_at) as repeatable:
        return encrypt(data, password), repeatable


def damaged_in_transit(data: bytes) -> bytes:
    """An attachment cut off halfway, as a broken mail transfer leaves it."""
    return data[: len(data) // 2]


@contextmanager
def _simulated(rng: random.Random, moment: dt.datetime) -> Iterator[bool]:
    """msoffcrypto-tool's random bytes drawn from ``rng``, and its clock at ``moment``, for
    the duration (msoffcrypto-tool 5.4 to 6.1: ``_random_buffer`` and the container's
    ``datetime``). Yields whether it could; nothing is replaced when either name is gone."""
    from msoffcrypto.method import ecma376_agile
    from msoffcrypto.method.container import ecma376_encrypted

    if not (
        callable(getattr(ecma376_agile, "_random_buffer", None))
        and getattr(ecma376_encrypted, "datetime", None) is dt.datetime
    ):
        yield False
        return

    class _Clock(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> _Clock:  # type: ignore[override]
            at = moment.astimezone(tz or dt.timezone.utc)  # UTC whatever the machine's zone
            return cls(*at.timetuple()[:6], tzinfo=at.tzinfo if tz else None)

    drawn, clock = ecma376_agile._random_buffer, ecma376_encrypted.datetime
    ecma376_agile._random_buffer = rng.randbytes  # type: ignore[assignment]
    ecma376_encrypted.datetime = _Clock  # type: ignore[misc]
    try:
        yield True
    finally:
        ecma376_agile._random_buffer = drawn  # type: ignore[assignment]
        ecma376_encrypted.datetime = clock  # type: ignore[misc]
