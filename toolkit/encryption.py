"""Password-encrypted workbooks: issuing them (``build --encrypt``) and opening returns.

An encrypted .xlsx is an OLE2 container (ECMA-376 agile encryption), which Excel and
LibreOffice open after asking for the password. Each pair's workbooks get their own generated
password, or, with ``confidentiality.password_scope: programme``, one password for all; it is
kept in the ledger (``workbook_passwords``) and listed only on the coordinator-only sheet of
the master workbook, to be sent to the pair by another channel than the workbook itself.

Sync opens an encrypted return without being told the password: it tries the password of the
pair the file name names first (``..._P007_...``), then the programme's, then the others. Each
try costs about 0.1 s (the key derivation is deliberately slow, and its cost is set by the
file: ``spinCount``), so one crafted file could hold the sync for hours. Hence, before any try,
a file asking for more rounds than Excel, LibreOffice or this toolkit ever use is refused, and
at most :data:`MAX_TRIES` passwords (and :data:`MAX_SECONDS`) are spent on one file: a file
whose name does not name its pair may then stay closed, and the finding says to rename it.
"""

from __future__ import annotations

import io
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.ledger import Ledger
from toolkit.programme import Programme

PROGRAMME_SCOPE = "*"
"""The ledger key of the one programme-wide password."""

MAX_SPIN_COUNT = 100_000
"""The most key-derivation rounds a workbook may ask for: what Excel, LibreOffice and
``build --encrypt`` (msoffcrypto-tool) use. msoffcrypto accepts up to 10,000,000 (about
19 s a password)."""
MAX_TRIES = 24
"""The most passwords tried on one file (about 0.1 s each)."""
MAX_SECONDS = 5.0
"""The most time spent trying passwords on one file."""

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed from paper
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PAIR_IN_NAME = re.compile(r"(?<![A-Za-z0-9])(P\d{3,})(?![0-9])")


def generate_password(groups: int = 4, size: int = 4) -> str:
    """A random password easy to read over the phone, e.g. ``k7mw-3rtx-9bqe-ha4n``."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(size)) for _ in range(groups))


def password_for(ledger: Ledger, pair_id: str, scope: str, now: str) -> str:
    """The password for a pair's workbook, generated and kept in the ledger the first time."""
    key = PROGRAMME_SCOPE if scope == "programme" else pair_id
    existing = ledger.workbook_password(key)
    if existing:
        return existing
    password = generate_password()
    ledger.set_workbook_password(key, password, now)
    return password


def encrypt_for_pair(
    ledger: Ledger, pair_id: str, programme: Programme, data: bytes, now: str
) -> bytes:
    """A pair workbook encrypted with its pair's (or the programme's) kept password."""
    scope = programme.confidentiality.password_scope
    return encrypt(data, password_for(ledger, pair_id, scope, now))


def encrypt(data: bytes, password: str) -> bytes:
    """An .xlsx encrypted with ``password`` (msoffcrypto-tool, agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def is_encrypted(data: bytes) -> bool:
    """Whether the bytes are a password-encrypted Office file."""
    if not data.startswith(_OLE2):
        return False
    import msoffcrypto

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # not an Office file msoffcrypto knows: let the readers judge it
        return False


@dataclass(frozen=True)
class Decryption:
    """What trying the kept passwords on an encrypted file gave."""

    data: bytes | None = None
    """The decrypted workbook, or None."""
    label: str = ""
    """The ledger key of the password that opened it (a pair code, or ``*``)."""
    tried: int = 0
    left: int = 0
    """Passwords not tried because of the limits (:data:`MAX_TRIES`, :data:`MAX_SECONDS`)."""
    spin_count: int = 0
    """The key-derivation rounds the file asks for (0 when not read)."""
    damaged: bool = False

    @property
    def too_costly(self) -> bool:
        """Whether the file asks for more rounds than any real workbook: refused untried."""
        return self.spin_count > MAX_SPIN_COUNT


def decrypt(
    data: bytes,
    passwords: Iterable[tuple[str, str]],
    max_tries: int | None = None,
    max_seconds: float | None = None,
) -> Decryption:
    """Try the passwords in order on an encrypted file, within the limits (by default
    :data:`MAX_TRIES` and :data:`MAX_SECONDS`); see :class:`Decryption` for what it gives."""
    import msoffcrypto
    from msoffcrypto.exceptions import InvalidKeyError

    candidates = list(passwords)
    max_tries = MAX_TRIES if max_tries is None else max_tries
    max_seconds = MAX_SECONDS if max_seconds is None else max_seconds
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        info = getattr(office, "info", None)
        spin = int(info.get("spinValue", 0)) if isinstance(info, dict) else 0
    except Exception:  # a damaged container, or rounds out of msoffcrypto's own range
        return Decryption(damaged=True, left=len(candidates))
    if spin > MAX_SPIN_COUNT:
        return Decryption(spin_count=spin, left=len(candidates))
    started = time.monotonic()
    for tried, (label, password) in enumerate(candidates):
        if tried >= max_tries or time.monotonic() - started > max_seconds:
            return Decryption(tried=tried, left=len(candidates) - tried, spin_count=spin)
        try:
            office = msoffcrypto.OfficeFile(io.BytesIO(data))
            office.load_key(password=password, verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
        except InvalidKeyError:
            continue
        except Exception:  # a damaged container: no password will open it
            return Decryption(tried=tried + 1, damaged=True, spin_count=spin)
        return Decryption(out.getvalue(), label, tried + 1, spin_count=spin)
    return Decryption(tried=len(candidates), spin_count=spin)


def candidate_passwords(name: str, passwords: dict[str, str]) -> list[tuple[str, str]]:
    """The kept passwords in the order to try them for a file called ``name``: the pair the
    name names, the programme's, then every other (each distinct password once)."""
    named = [m for m in _PAIR_IN_NAME.findall(name) if m in passwords]
    order = [*named, PROGRAMME_SCOPE, *sorted(passwords)]
    seen: set[str] = set()
    out = []
    for key in order:
        password = passwords.get(key)
        if password and password not in seen:
            seen.add(password)
            out.append((key, password))
    return out
